import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { caseKey } from '../adapters/case-table.js';
import type { CaseRecord } from '../domain/case.js';
import type { CaseStore, WorkflowEngine } from '../domain/ports.js';
import type { CaseKind } from '../domain/types.js';
import { WORKFLOW_NAMES, type WorkflowName } from '../domain/workflow-names.js';
import { logger } from '../observability.js';

/**
 * Starts each new case's workflow from the case table's stream (DynamoDB Streams → Lambda), so a
 * case stored is a case whose workflow starts, whatever happens to the intake request after the
 * write: a Lambda timeout or crash between storing the case and starting its execution no longer
 * leaves a case nobody handles. The stream keeps the INSERT until the starter has dealt with it
 * (Lambda retries a failed record, then sends it to a dead-letter queue), and the reconciler
 * (`reconcile.ts`) finds any case that still has no execution.
 *
 * Starting is idempotent: the execution is named after the case id, so a record delivered twice
 * finds the execution the first delivery started, and `workflow-started` is recorded once.
 */

/** What the stream carries for each item: the new item, for the case's id and kind (never logged). */
export const CASE_STREAM_VIEW_TYPE = 'NEW_IMAGE';

/** Sort key of a case item (`CASE#<id>` / `CASE`); events, references, counters and idempotency items differ. */
const CASE_SORT_KEY = caseKey('').SK;

/**
 * The Lambda event filter of the starter's event source mapping: INSERTs of case items only, so
 * events, references, counters and idempotency items never invoke it. The local stream poller
 * applies the same rule (`isNewCaseRecord`).
 */
export const NEW_CASE_FILTER = {
  eventName: ['INSERT'],
  dynamodb: { Keys: { SK: { S: [CASE_SORT_KEY] } } },
} as const;

/** Who started a workflow, as recorded on the `workflow-started` event. */
export type StartedBy = 'stream' | 'reconciler';

/** What starting workflows needs; built once per container by the entry file. */
export interface WorkflowStarterDeps {
  store: CaseStore;
  workflows: WorkflowEngine;
  now: () => Date;
}

/** The case a stream record is about. */
export interface NewCase {
  caseId: string;
  kind: CaseKind;
}

/** A stream record of a case item lacks the case's id or names a kind no workflow handles. */
export class MalformedStreamRecordError extends Error {
  override name = 'MalformedStreamRecordError';
}

/** The workflow that handles each kind of case (one ASL file each under `workflows/`). */
export function workflowFor(kind: CaseKind): WorkflowName {
  return kind;
}

/** Whether a stream record is the INSERT of a case item: what `NEW_CASE_FILTER` lets through. */
export function isNewCaseRecord(record: DynamoDBRecord): boolean {
  return record.eventName === 'INSERT' && record.dynamodb?.Keys?.SK?.S === CASE_SORT_KEY;
}

/** The case of an INSERT record: its id and kind, read from the new image (nothing else is read). */
export function newCaseIn(record: DynamoDBRecord): NewCase {
  const image = record.dynamodb?.NewImage;
  const caseId = image?.caseId?.S;
  const kind = image?.kind?.S;
  if (!caseId) {
    throw new MalformedStreamRecordError(
      `Stream record ${record.eventID ?? '?'} has no case id (is the stream's view type ${CASE_STREAM_VIEW_TYPE}?)`,
    );
  }
  if (!isWorkflowName(kind)) {
    throw new MalformedStreamRecordError(`Case ${caseId} names a kind no workflow handles`);
  }
  return { caseId, kind };
}

/**
 * Starts the case's execution (named after the case id, input `{ caseId }`) and records
 * `workflow-started` on the case unless an earlier start recorded it: an execution that already
 * exists is the one asked for, so a repeated start changes nothing.
 */
export async function startCaseWorkflow(
  deps: WorkflowStarterDeps,
  c: NewCase | Pick<CaseRecord, 'caseId' | 'kind'>,
  by: StartedBy,
): Promise<{ executionArn: string; recorded: boolean }> {
  const workflow = workflowFor(c.kind);
  const { executionArn } = await deps.workflows.start(workflow, c.caseId, { caseId: c.caseId });
  const events = await deps.store.events(c.caseId);
  if (events.some((e) => e.type === 'workflow-started')) return { executionArn, recorded: false };
  await deps.store.appendEvent(c.caseId, {
    at: deps.now().toISOString(),
    type: 'workflow-started',
    actor: 'system',
    detail: { by },
  });
  return { executionArn, recorded: true };
}

/**
 * Handles one batch of the table's stream: starts the workflow of every case inserted and
 * reports the records it could not handle (`batchItemFailures`), so Lambda retries from the
 * first of them while the ones before it stay done. Every record is tried, a failure of one case
 * does not hold up the others' first attempt; the retry repeats the later ones harmlessly.
 */
export async function startWorkflowsFor(
  deps: WorkflowStarterDeps,
  event: DynamoDBStreamEvent,
): Promise<DynamoDBBatchResponse> {
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    // The event filter already drops other items; locally and in tests this is the same rule.
    if (!isNewCaseRecord(record)) continue;
    const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
    try {
      const c = newCaseIn(record);
      const { recorded } = await startCaseWorkflow(deps, c, 'stream');
      logger.info('workflow started', {
        caseId: c.caseId,
        workflow: workflowFor(c.kind),
        already: !recorded,
      });
    } catch (error: unknown) {
      logger.error('workflow start failed', {
        sequenceNumber,
        caseId: record.dynamodb?.NewImage?.caseId?.S,
        error: error instanceof Error ? error.name : typeof error,
        ...(error instanceof MalformedStreamRecordError ? { detail: error.message } : {}),
      });
      // An empty identifier makes Lambda retry the whole batch, which is still right.
      batchItemFailures.push({ itemIdentifier: sequenceNumber });
    }
  }
  return { batchItemFailures };
}

function isWorkflowName(value: string | undefined): value is WorkflowName {
  return (WORKFLOW_NAMES as readonly string[]).includes(value ?? '');
}
