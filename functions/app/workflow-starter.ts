import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { caseKey } from '../adapters/case-table.js';
import type { CaseRecord } from '../domain/case.js';
import { type CaseStore, ConcurrentUpdateError, type WorkflowEngine } from '../domain/ports.js';
import type { CaseKind } from '../domain/types.js';
import { WORKFLOW_NAMES, type WorkflowName } from '../domain/workflow-names.js';
import { logger } from '../observability.js';
import { CHANGE_ATTEMPTS } from './case-writes.js';

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

/**
 * The `by` of a `workflow-started` recorded by the reconciler for an execution it found running
 * with no record of its start (its starter could not record it): who started it is not known.
 */
export const FOUND_RUNNING = 'found running';

const OTHER_STARTER: Record<StartedBy, StartedBy> = { stream: 'reconciler', reconciler: 'stream' };

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
 * The execution's input from each starter. They differ so that Step Functions, which answers a
 * repeat of the same start as the first, refuses the other starter's (`ExecutionAlreadyExists`):
 * whether a start made the execution is then Step Functions' own answer (`created`), and the
 * reconciler counts as started, and tells the complaints team of, only the cases it started.
 */
export function startInput(caseId: string, by: StartedBy): Record<string, unknown> {
  return by === 'stream' ? { caseId } : { caseId, startedBy: by };
}

/**
 * The execution was started (or found started) but its `workflow-started` record lost every
 * attempt to the case's other writes (the new execution's own first ones). The stream's record is
 * retried; the reconciler's next run records an execution it finds running unrecorded.
 */
export class StartNotRecordedError extends Error {
  override name = 'StartNotRecordedError';
  constructor(
    message: string,
    /** This start made the execution (see `startCaseWorkflow`). */
    readonly created: boolean,
  ) {
    super(message);
  }
}

/**
 * Starts the case's execution (named after the case id, input `startInput`) and records
 * `workflow-started` on the case unless it is recorded already: an execution that already exists
 * is the one asked for, so a repeated start changes nothing. `created`: this start made the
 * execution (or a repeat of it did), rather than the other starter or an earlier run. `recorded`:
 * this call's record is the one kept; two reconciler runs at once both get `created` (the same
 * start, repeated), and only one of them `recorded`. `recordedBy`, when not: the starter that
 * wrote the record found (a start recorded by the starter that did not make it says so, as
 * `recordedBy`, so the one that made it still knows the start was its own). Throws `StartNotRecordedError` when the
 * record lost every attempt.
 *
 * The start is recorded whoever made it, since a starter may have made it and failed before
 * recording (the record is what tells the reconciler an execution Step Functions no longer knows
 * has run), and names the starter that made it: the other one, when this start was refused (or,
 * in the rare case of an execution that finished before its own starter came back to record it,
 * the other one wrongly). It is recorded once: the stream and the reconciler may each find it
 * unrecorded at the same moment, and the record is written only after the history as read.
 */
export async function startCaseWorkflow(
  deps: WorkflowStarterDeps,
  c: NewCase | Pick<CaseRecord, 'caseId' | 'kind'>,
  by: StartedBy,
): Promise<{ executionArn: string; created: boolean; recorded: boolean; recordedBy?: string }> {
  const workflow = workflowFor(c.kind);
  const { executionArn, created } = await deps.workflows.start(workflow, c.caseId, startInput(c.caseId, by));
  for (let attempt = 1; ; attempt++) {
    const events = await deps.store.events(c.caseId);
    const recordedStart = events.find((e) => e.type === 'workflow-started');
    if (recordedStart) {
      const recordedBy = String(recordedStart.detail?.recordedBy ?? recordedStart.detail?.by ?? '');
      return { executionArn, created, recorded: false, recordedBy };
    }
    try {
      await deps.store.appendEvent(
        c.caseId,
        {
          at: deps.now().toISOString(),
          type: 'workflow-started',
          actor: 'system',
          detail: created ? { by } : { by: OTHER_STARTER[by], recordedBy: by },
        },
        { afterSeq: events.reduce((last, e) => Math.max(last, e.seq), 0) },
      );
      return { executionArn, created, recorded: true };
    } catch (error: unknown) {
      // Another event came first: read again (it may be the other starter's record).
      if (!(error instanceof ConcurrentUpdateError)) throw error;
      if (attempt >= CHANGE_ATTEMPTS) {
        throw new StartNotRecordedError(`case ${c.caseId}'s start could not be recorded`, created);
      }
    }
  }
}

/**
 * Records the start of an execution found running whose start nobody recorded (its starter lost
 * every attempt to record it, `StartNotRecordedError`): the record is what later tells the
 * reconciler that an execution Step Functions no longer knows has run. Who started it is not
 * known (`FOUND_RUNNING`). Nothing is written when a start is recorded already; true when this
 * call recorded it. A record that still loses every attempt is left to the next run.
 */
export async function recordFoundRunning(
  deps: Pick<WorkflowStarterDeps, 'store' | 'now'>,
  caseId: string,
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const events = await deps.store.events(caseId);
    if (events.some((e) => e.type === 'workflow-started')) return false;
    try {
      await deps.store.appendEvent(
        caseId,
        {
          at: deps.now().toISOString(),
          type: 'workflow-started',
          actor: 'system',
          detail: { by: FOUND_RUNNING },
        },
        { afterSeq: events.reduce((last, e) => Math.max(last, e.seq), 0) },
      );
      return true;
    } catch (error: unknown) {
      if (!(error instanceof ConcurrentUpdateError)) throw error;
      if (attempt >= CHANGE_ATTEMPTS) {
        throw new StartNotRecordedError(`case ${caseId}'s running execution could not be recorded`, false);
      }
    }
  }
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
      const { created, recorded } = await startCaseWorkflow(deps, c, 'stream');
      logger.info('workflow started', {
        caseId: c.caseId,
        workflow: workflowFor(c.kind),
        already: !created,
        recorded,
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
