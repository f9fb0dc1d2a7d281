import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { provideAdapters, resetAdapters } from '../../functions/app/container.js';
import {
  FOUND_RUNNING_WINDOW_MS,
  MAX_REDRIVES,
  RECENT_CASE_MS,
  type ReconcileDeps,
  ReconcileIncompleteError,
  reconcileWorkflows,
  WORKFLOW_FAIL_ERRORS,
} from '../../functions/app/reconcile.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { CaseStore, EmailMessage } from '../../functions/domain/ports.js';
import { handler } from '../../functions/handlers/reconcile.js';
import { aslPath, WORKFLOWS } from '../../workflows/catalog.js';
import { RecordingWorkflows } from '../support/fake-workflows.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { openCase } from '../support/open-case.js';

const policy = loadPolicy('lgsco-code-2024');
const CREATED = '2026-03-02T09:00:00.000Z';
/** Well after the cases were created: none is too new to judge. */
let now = new Date('2026-03-02T10:00:00.000Z');

let store: MemoryCaseStore;
let workflows: RecordingWorkflows;
let sent: EmailMessage[];
let deps: ReconcileDeps;

/** Stores an open case, with its workflow started unless `started` is false. */
async function stored(caseId: string, options: { started?: boolean } & Partial<CaseRecord> = {}) {
  const { started = true, ...overrides } = options;
  const record = openCase(caseId, { createdAt: CREATED, ...overrides });
  await store.create(record, { at: record.createdAt, type: 'received', actor: 'resident' });
  if (started) {
    await workflows.start('complaint', caseId, { caseId });
    await store.appendEvent(caseId, { at: CREATED, type: 'workflow-started', actor: 'system' });
  }
  return record;
}

async function eventTypes(caseId: string): Promise<string[]> {
  return (await store.events(caseId)).map((e) => e.type);
}

beforeEach(() => {
  now = new Date('2026-03-02T10:00:00.000Z');
  store = new MemoryCaseStore();
  workflows = new RecordingWorkflows();
  sent = [];
  deps = {
    store,
    workflows,
    policy,
    now: () => now,
    mailer: {
      async ping() {},
      async send(message) {
        sent.push(message);
        return { messageId: `m-${sent.length}` };
      },
    },
    caseLink: async (c) => `http://redress.test/cases/${c.reference}?link=signed`,
  };
});

describe('the reconciler', () => {
  it('leaves cases with running workflows alone and emails nobody', async () => {
    await stored('case-1');
    await stored('case-2');

    const result = await reconcileWorkflows(deps);

    expect(result).toMatchObject({ checked: 2, findings: [], started: 0, redriven: 0, withoutWorkflow: 0 });
    expect(result.emailed).toBe(false);
    expect(sent).toEqual([]);
  });

  it('records the start of a young case found running with none recorded, and reads no history of older ones', async () => {
    // Prepare: two running executions whose starts nobody recorded, one case an hour old, one two days old
    now = new Date(Date.parse(CREATED) + 60 * 60_000);
    const twoDaysAgo = new Date(now.getTime() - FOUND_RUNNING_WINDOW_MS - 1).toISOString();
    await stored('case-young', { started: false });
    await stored('case-old', { started: false, createdAt: twoDaysAgo });
    for (const caseId of ['case-young', 'case-old']) await workflows.start('complaint', caseId, { caseId });
    const historiesRead: string[] = [];
    const events = store.events.bind(store);
    store.events = async (caseId) => {
      historiesRead.push(caseId);
      return events(caseId);
    };

    // Act
    const result = await reconcileWorkflows(deps);

    // Assess: the young one's start recorded, as found running; the old one's history not read
    expect(result).toMatchObject({ findings: [], started: 0 });
    expect(await eventTypes('case-young')).toContain('workflow-started');
    expect(historiesRead).not.toContain('case-old');
    expect(sent).toEqual([]);
  });

  it('starts the workflow of an open case that has none, records it, and tells the complaints team', async () => {
    await stored('case-1');
    await stored('case-2', { started: false });

    const result = await reconcileWorkflows(deps);

    expect(workflows.executions.get('case-2')?.status).toBe('RUNNING');
    expect(workflows.started.at(-1)).toEqual({
      workflow: 'complaint',
      caseId: 'case-2',
      input: { caseId: 'case-2', startedBy: 'reconciler' },
    });
    expect((await store.events('case-2')).at(-1)).toMatchObject({
      type: 'workflow-started',
      actor: 'system',
      detail: { by: 'reconciler' },
    });
    expect(result).toMatchObject({ started: 1, redriven: 0, withoutWorkflow: 1, emailed: true });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      to: [policy.routing.complaintsTeam],
      template: 'workflow-reconciliation',
    });
    expect(sent[0]?.text).toContain('CMP-2026-000002: Its workflow had not started. Redress has started it.');
    expect(sent[0]?.text).toContain('http://redress.test/cases/CMP-2026-000002?link=signed');
  });

  it('leaves a case created in the last five minutes to the stream', async () => {
    now = new Date(Date.parse(CREATED) + RECENT_CASE_MS - 1000);
    await stored('case-1', { started: false });

    const result = await reconcileWorkflows(deps);

    expect(result).toMatchObject({ checked: 0, tooRecent: 1, started: 0 });
    expect(workflows.executions.size).toBe(0);
  });

  it('checks a case once five minutes have passed since it was created', async () => {
    now = new Date(Date.parse(CREATED) + RECENT_CASE_MS);
    await stored('case-1', { started: false });

    expect((await reconcileWorkflows(deps)).started).toBe(1);
  });

  it('waits five minutes of real time, not of an accelerated clock, before it checks a case', async () => {
    // The stream runs in real time: at 1440, five real minutes are five days of the service's clock.
    await stored('case-1', { started: false });
    const accelerated = { ...deps, timeScale: 1440 };

    now = new Date(Date.parse(CREATED) + RECENT_CASE_MS * 1440 - 1000);
    expect(await reconcileWorkflows(accelerated)).toMatchObject({ checked: 0, tooRecent: 1, emailed: false });
    now = new Date(Date.parse(CREATED) + RECENT_CASE_MS * 1440);
    expect(await reconcileWorkflows(accelerated)).toMatchObject({ checked: 1, started: 1, emailed: true });
  });

  it.each(['FAILED', 'TIMED_OUT', 'ABORTED'] as const)(
    'redrives a %s execution from where it stopped and records it',
    async (status) => {
      await stored('case-1');
      workflows.stop('case-1', status, status === 'FAILED' ? { error: 'States.Runtime' } : {});

      const result = await reconcileWorkflows(deps);

      expect(workflows.redriven).toEqual([{ workflow: 'complaint', caseId: 'case-1' }]);
      expect(workflows.executions.get('case-1')).toMatchObject({ status: 'RUNNING', redriveCount: 1 });
      expect((await store.events('case-1')).at(-1)).toMatchObject({
        type: 'workflow-redriven',
        detail: { by: 'reconciler', status, redriveCount: 1 },
      });
      expect(result).toMatchObject({ redriven: 1, started: 0, withoutWorkflow: 1, emailed: true });
      expect(sent[0]?.text).toMatch(
        /CMP-2026-000001: Its workflow had stopped \(.+\)\. Redress has restarted it/,
      );
    },
  );

  it('asks a person, once, about a workflow that gave up after telling the team', async () => {
    await stored('case-1');
    workflows.stop('case-1', 'FAILED', { error: 'WorkflowFailed' });

    const first = await reconcileWorkflows(deps);
    const second = await reconcileWorkflows(deps);

    expect(workflows.redriven).toEqual([]);
    expect(first.findings).toEqual([expect.objectContaining({ action: 'needs-a-person', found: 'FAILED' })]);
    expect(second.findings).toEqual([
      expect.objectContaining({ action: 'needs-a-person', alreadyReported: true }),
    ]);
    // The alarm keeps counting it; the team is emailed once.
    expect([first.withoutWorkflow, second.withoutWorkflow]).toEqual([1, 1]);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.subject).toBe('Case workflows: 1 case needs a person');
    expect(await eventTypes('case-1')).toEqual(['received', 'workflow-started', 'workflow-needs-attention']);
  });

  it(`stops redriving an execution that has been redriven ${MAX_REDRIVES} times`, async () => {
    await stored('case-1');
    workflows.stop('case-1', 'TIMED_OUT', { redriveCount: MAX_REDRIVES });

    const result = await reconcileWorkflows(deps);

    expect(workflows.redriven).toEqual([]);
    expect(result.findings).toEqual([
      expect.objectContaining({
        action: 'needs-a-person',
        reason: `TIMED_OUT: redriven ${MAX_REDRIVES} times already`,
      }),
    ]);
  });

  it('asks a person about an execution Step Functions will not redrive', async () => {
    await stored('case-1');
    workflows.stop('case-1', 'ABORTED', { redrivable: false });

    const result = await reconcileWorkflows(deps);

    expect(workflows.redriven).toEqual([]);
    expect(result.findings).toEqual([
      expect.objectContaining({ action: 'needs-a-person', found: 'ABORTED' }),
    ]);
  });

  it('alerts once when a workflow has finished but its case is still open', async () => {
    await stored('case-1', { status: 'investigating' });
    workflows.stop('case-1', 'SUCCEEDED');

    await reconcileWorkflows(deps);
    await reconcileWorkflows(deps);

    expect(workflows.redriven).toEqual([]);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toContain(
      'CMP-2026-000001: Its workflow has finished, but the case is still investigating. Please check it',
    );
  });

  it('asks again when a workflow that was restarted stops again', async () => {
    await stored('case-1');
    workflows.stop('case-1', 'FAILED', { error: 'WorkflowFailed' });
    await reconcileWorkflows(deps);
    await store.appendEvent('case-1', {
      at: now.toISOString(),
      type: 'workflow-redriven',
      actor: 'officer@council.example',
    });

    await reconcileWorkflows(deps);

    expect(sent).toHaveLength(2);
  });

  it('asks a person rather than start again a case whose execution Step Functions no longer has', async () => {
    await stored('case-1');
    workflows.executions.delete('case-1');

    const result = await reconcileWorkflows(deps);

    expect(workflows.started).toHaveLength(1);
    expect(result.findings).toEqual([expect.objectContaining({ action: 'needs-a-person', found: 'gone' })]);
  });

  it('leaves alone a case the index still lists as open after its workflow closed it', async () => {
    const c = await stored('case-1');
    workflows.stop('case-1', 'SUCCEEDED');
    store.cases.set('case-1', { ...c, status: 'closed', version: 2 });
    const staleIndex: CaseStore = Object.assign(Object.create(store) as CaseStore, {
      async *openCases() {
        yield c;
      },
    });

    const result = await reconcileWorkflows({ ...deps, store: staleIndex });

    expect(result).toMatchObject({ checked: 1, findings: [], withoutWorkflow: 0 });
    expect(sent).toEqual([]);
  });

  it('reports a case it could not check, carries on with the others, and emails nothing for that alone', async () => {
    await stored('case-1', { started: false });
    await stored('case-2');
    workflows.stop('case-2', 'ABORTED');
    const describe = workflows.describe.bind(workflows);
    workflows.describe = async (workflow, caseId) => {
      if (caseId === 'case-1') throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottledError' });
      return describe(workflow, caseId);
    };

    const result = await reconcileWorkflows(deps);

    expect(result.findings).toEqual([
      expect.objectContaining({ caseId: 'case-1', action: 'failed', reason: 'ThrottledError' }),
      expect.objectContaining({ caseId: 'case-2', action: 'redriven' }),
    ]);
    expect(result.withoutWorkflow).toBe(1);
    expect(sent[0]?.text).toContain('CMP-2026-000001: Redress could not check it (ThrottledError)');

    workflows.stop('case-2', 'RUNNING');
    sent.length = 0;
    await reconcileWorkflows(deps);
    expect(sent).toEqual([]);
  });

  it('follows a long case into the fresh execution it continued in', async () => {
    const c = await stored('case-1');
    workflows.stop('case-1', 'SUCCEEDED');
    await workflows.start('complaint', 'case-1_2', { caseId: 'case-1' });
    store.cases.set('case-1', {
      ...c,
      workflow: { executionArn: 'arn:aws:states:eu-west-2:000000000000:execution:complaint:case-1_2' },
    });

    expect((await reconcileWorkflows(deps)).findings).toEqual([]);

    workflows.stop('case-1_2', 'ABORTED');
    const result = await reconcileWorkflows(deps);

    expect(result.findings).toEqual([expect.objectContaining({ action: 'redriven', found: 'ABORTED' })]);
    expect(workflows.redriven).toEqual([{ workflow: 'complaint', caseId: 'case-1_2' }]);
    expect((await store.events('case-1')).at(-1)?.detail).toMatchObject({ execution: 'case-1_2' });
  });

  it('ignores closed and redirected cases', async () => {
    await stored('case-1', { started: false, status: 'closed', closedAt: CREATED });
    await stored('case-2', { started: false, status: 'redirected', deadlines: {} });

    const result = await reconcileWorkflows(deps);

    expect(result).toMatchObject({ checked: 0, findings: [] });
  });

  it('writes references and statuses to the team, never what the resident wrote or who they are', async () => {
    const c = await stored('case-1', { started: false });

    await reconcileWorkflows(deps);

    const message = sent[0] as EmailMessage;
    for (const personal of [c.summary, c.complainant.name, c.complainant.email]) {
      expect(message.text).not.toContain(personal);
      expect(message.html).not.toContain(personal);
    }
    expect(message.html).toContain('<strong>CMP-2026-000001</strong>');
    expect(message.html).toContain('href="http://redress.test/cases/CMP-2026-000001?link=signed"');
  });

  it('knows the error of every Fail state of the workflows, which a redrive cannot get past', () => {
    const errors = new Set<string>();
    for (const name of WORKFLOWS) {
      const asl = JSON.parse(readFileSync(aslPath(name), 'utf8')) as {
        States: Record<string, { Type: string; Error?: string }>;
      };
      for (const state of Object.values(asl.States))
        if (state.Type === 'Fail') errors.add(String(state.Error));
    }

    expect([...errors].sort()).toEqual([...WORKFLOW_FAIL_ERRORS].sort());
  });
});

describe('the reconcile entry file', () => {
  afterEach(() => resetAdapters());

  function provide() {
    provideAdapters({ store, workflows, policy, mailer: deps.mailer, clock: () => now });
  }

  it('reconciles with the adapters of the composition root and answers what it did', async () => {
    provide();
    await stored('case-1', { started: false });

    const result = await handler({}, { awsRequestId: 'reconcile-1' } as Context);

    expect(result).toEqual({ checked: 1, started: 1, redriven: 0, withoutWorkflow: 1 });
    expect(sent.map((m) => m.template)).toEqual(['workflow-reconciliation']);
  });

  it('fails, for Lambda to retry and the errors alarm to see, when a case could not be checked', async () => {
    provide();
    await stored('case-1');
    workflows.describe = async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottledError' });
    };

    await expect(handler({}, { awsRequestId: 'reconcile-2' } as Context)).rejects.toBeInstanceOf(
      ReconcileIncompleteError,
    );
  });
});
