import type { Context, DynamoDBRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  caseKey,
  counterKey,
  eventKey,
  idempotencyKey,
  referenceKey,
} from '../../functions/adapters/case-table.js';
import { provideAdapters, resetAdapters } from '../../functions/app/container.js';
import {
  isNewCaseRecord,
  NEW_CASE_FILTER,
  startCaseWorkflow,
  startInput,
  startWorkflowsFor,
  type WorkflowStarterDeps,
  workflowFor,
} from '../../functions/app/workflow-starter.js';
import type { CaseKind } from '../../functions/domain/types.js';
import { handler } from '../../functions/handlers/start-workflows.js';
import { RecordingWorkflows } from '../support/fake-workflows.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { openCase } from '../support/open-case.js';
import { caseInserted, streamEvent, streamRecord } from '../support/stream-records.js';

const NOW = new Date('2026-03-02T09:00:05.000Z');

let store: MemoryCaseStore;
let workflows: RecordingWorkflows;
let deps: WorkflowStarterDeps;

/** Stores a case as intake does, and returns the INSERT record its write puts on the stream. */
async function stored(caseId: string, kind: CaseKind = 'complaint', sequence = 1): Promise<DynamoDBRecord> {
  const record = openCase(caseId, { kind, submittedKind: kind === 'social-care' ? 'complaint' : kind });
  await store.create(record, { at: record.createdAt, type: 'received', actor: 'resident' });
  return caseInserted(record, sequence);
}

beforeEach(() => {
  store = new MemoryCaseStore();
  workflows = new RecordingWorkflows();
  deps = { store, workflows, now: () => NOW };
});

describe('starting workflows from the case table’s stream', () => {
  it('starts the case’s workflow named after the case, with the case id as its only input', async () => {
    const record = await stored('case-1');

    const response = await startWorkflowsFor(deps, streamEvent([record]));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(workflows.started).toEqual([
      { workflow: 'complaint', caseId: 'case-1', input: { caseId: 'case-1' } },
    ]);
    expect(await store.events('case-1')).toEqual([
      expect.objectContaining({ seq: 1, type: 'received' }),
      expect.objectContaining({
        seq: 2,
        type: 'workflow-started',
        actor: 'system',
        at: NOW.toISOString(),
        detail: { by: 'stream' },
      }),
    ]);
  });

  it.each<CaseKind>(['complaint', 'compliment', 'comment', 'representation', 'social-care'])(
    'starts the %s workflow for a case of that kind',
    async (kind) => {
      const record = await stored('case-1', kind);

      await startWorkflowsFor(deps, streamEvent([record]));

      expect(workflows.started.map((s) => s.workflow)).toEqual([workflowFor(kind)]);
      expect(workflowFor(kind)).toBe(kind);
    },
  );

  it('starts one execution and records one start when the same record comes twice', async () => {
    const record = await stored('case-1');

    await startWorkflowsFor(deps, streamEvent([record]));
    const again = await startWorkflowsFor(deps, streamEvent([record]));

    expect(again).toEqual({ batchItemFailures: [] });
    expect(workflows.executions.size).toBe(1);
    expect((await store.events('case-1')).filter((e) => e.type === 'workflow-started')).toHaveLength(1);
  });

  it('records a start the reconciler made, and was about to record, once and as the reconciler’s', async () => {
    // Prepare: the reconciler has started the execution (with its own input) but not yet recorded it.
    const record = await stored('case-1');
    const byReconciler = await workflows.start('complaint', 'case-1', startInput('case-1', 'reconciler'));

    // Act: the stream's late record, then the reconciler recording its start.
    const stream = await startWorkflowsFor(deps, streamEvent([record]));
    const reconcilerAgain = await startCaseWorkflow(
      deps,
      { caseId: 'case-1', kind: 'complaint' },
      'reconciler',
    );

    // Assess
    expect(byReconciler.created).toBe(true);
    expect(stream).toEqual({ batchItemFailures: [] });
    expect(workflows.executions.size).toBe(1);
    expect(reconcilerAgain).toMatchObject({ created: true, recorded: false });
    expect(
      (await store.events('case-1')).filter((e) => e.type === 'workflow-started').map((e) => e.detail),
    ).toEqual([{ by: 'reconciler', recordedBy: 'stream' }]);
  });

  it('ignores events, references, counters, idempotency items, and changes to cases', async () => {
    const record = await stored('case-1');
    const image = { caseId: 'case-1', kind: 'complaint' };

    await startWorkflowsFor(
      deps,
      streamEvent([
        streamRecord('INSERT', eventKey('case-1', 1), image, 1),
        streamRecord('INSERT', referenceKey('CMP-2026-000001'), image, 2),
        streamRecord('INSERT', counterKey('CMP', 2026), { value: 1 }, 3),
        streamRecord('INSERT', idempotencyKey('key-1'), image, 4),
        { ...record, eventName: 'MODIFY' },
        streamRecord('REMOVE', caseKey('case-1'), undefined, 6),
      ]),
    );

    expect(workflows.started).toEqual([]);
  });

  it('reports the record it could not handle by its sequence number, and handles the others', async () => {
    const first = await stored('case-1', 'complaint', 1);
    const second = await stored('case-2', 'complaint', 2);
    const third = await stored('case-3', 'complaint', 3);
    const start = workflows.start.bind(workflows);
    workflows.start = async (workflow, caseId, input) => {
      if (caseId === 'case-2') throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottledError' });
      return start(workflow, caseId, input);
    };

    const response = await startWorkflowsFor(deps, streamEvent([first, second, third]));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: second.dynamodb?.SequenceNumber }]);
    expect(workflows.started.map((s) => s.caseId)).toEqual(['case-1', 'case-3']);
    expect((await store.events('case-2')).map((e) => e.type)).toEqual(['received']);
  });

  it('reports a case record without an id or with a kind no workflow handles', async () => {
    const noId = streamRecord('INSERT', caseKey('case-9'), { kind: 'complaint' }, 7);
    const oddKind = streamRecord('INSERT', caseKey('case-8'), { caseId: 'case-8', kind: 'rant' }, 8);

    const response = await startWorkflowsFor(deps, streamEvent([noId, oddKind]));

    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
      noId.dynamodb?.SequenceNumber,
      oddKind.dynamodb?.SequenceNumber,
    ]);
    expect(workflows.started).toEqual([]);
  });

  it('lets through the same records as the event source mapping’s filter', async () => {
    const record = await stored('case-1');
    const records = [
      record,
      { ...record, eventName: 'MODIFY' as const },
      streamRecord('INSERT', eventKey('case-1', 1), {}, 2),
      streamRecord('INSERT', referenceKey('CMP-2026-000001'), {}, 3),
      streamRecord('REMOVE', caseKey('case-1'), undefined, 4),
    ];

    expect(records.map(isNewCaseRecord)).toEqual(records.map((r) => matchesFilter(NEW_CASE_FILTER, r)));
    expect(records.map(isNewCaseRecord)).toEqual([true, false, false, false, false]);
  });
});

describe('the start-workflows entry file', () => {
  afterEach(() => resetAdapters());

  it('starts workflows with the adapters of the composition root and answers Lambda’s partial batch response', async () => {
    provideAdapters({ store, workflows, clock: () => NOW });
    const record = await stored('case-1');

    const response = await handler(streamEvent([record]), { awsRequestId: 'stream-1' } as Context);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(workflows.started.map((s) => s.caseId)).toEqual(['case-1']);
  });
});

/**
 * Whether a Lambda event filter pattern matches a record: every key of the pattern must be in the
 * record, arrays list the values allowed (only exact values are used here), objects nest.
 */
function matchesFilter(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.includes(value);
  if (pattern !== null && typeof pattern === 'object') {
    if (value === null || typeof value !== 'object') return false;
    return Object.entries(pattern).every(([key, inner]) =>
      matchesFilter(inner, (value as Record<string, unknown>)[key]),
    );
  }
  return pattern === value;
}
