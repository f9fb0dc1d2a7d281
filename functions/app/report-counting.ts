import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { backoff } from '../adapters/backoff.js';
import { caseKey, OUTBOX_ONLY_ATTRIBUTE } from '../adapters/case-table.js';
import { caseOfStreamRecord } from '../adapters/dynamodb-case-store.js';
import type { CaseRecord } from '../domain/case.js';
import type { CaseStore } from '../domain/ports.js';
import { isRetryable } from '../http/errors.js';
import { logger } from '../observability.js';
import type { CaseCounter } from '../reports/compute.js';
import {
  CountersMovedOnError,
  type Counting,
  GONE_VERSION,
  type ReportCounterStore,
  type SettleOutcome,
} from '../reports/counted.js';
import { caseIdOfRecord } from './archive-expiry.js';

/**
 * Keeps the public report's counters from the case table's stream: every change of a case item
 * (new, changed, erased, expired) but the steps' outbox marks, which count nothing
 * (`COUNTED_CASE_FILTERS`), settles that case's contribution to its day's counters.
 *
 * Exactly once, under at-least-once delivery: a record is only a nudge. The case as the change
 * left it (its image, or a read) has its whole contribution recomputed; the counter store moves
 * the counters by the difference from what it last counted for the case, in one transaction
 * with that record, conditional on it being unchanged since read (`ReportCounterStore.settle`).
 * So a redelivered record or a retried batch finds the difference zero and writes nothing;
 * records out of order or skipped (a batch bisected, the backfill) still end on the case's latest
 * version; a batch that fails has written all or nothing for each case and is retried until it
 * goes through.
 */

/** What counting needs; built once per container by the entry file. */
export interface ReportCountingDeps {
  store: Pick<CaseStore, 'get'>;
  counters: ReportCounterStore;
  /** Under the deployed policy: the same as the report's own. */
  counter: CaseCounter;
}

/** Sort key of a case item; events, references and the counters' own items differ. */
const CASE_SORT_KEY = caseKey('').SK;
const CASE_ITEM = { Keys: { SK: { S: [CASE_SORT_KEY] } } } as const;

/**
 * The Lambda event filters of the counting function's event source mapping (either lets a record
 * through): a case item removed (expired, deleted), and any other change of a case item but one
 * of the steps' outbox alone (`OUTBOX_ONLY_ATTRIBUTE`), which counts nothing and was half of
 * them. Never its events or other items, so the counters' own writes do not come back to it.
 */
export const COUNTED_CASE_FILTERS = [
  { eventName: ['REMOVE'], dynamodb: CASE_ITEM },
  {
    dynamodb: {
      ...CASE_ITEM,
      NewImage: { [OUTBOX_ONLY_ATTRIBUTE]: { BOOL: [{ exists: false }] } },
    },
  },
] as const;

/**
 * How many case changes the counting function takes at once, at most (its mapping's batch size).
 * Each batch reads the item naming the counters' generation and settles its cases side by side.
 * At a campaign's rate (a thousand complaints a second, each case changing a few times in its
 * first minutes) batches of ten would be thousands of invocations, and reads of that one item, a
 * second, and a shard's batches, taken one at a time, could fall behind; a hundred make a tenth
 * of both. At one council's rate the batching window, not the size, closes each batch.
 */
export const COUNTED_CASE_BATCH_SIZE = 100;

/**
 * How long the counting function's mapping gathers case changes before it invokes the function
 * (or `COUNTED_CASE_BATCH_SIZE` are waiting). A step changes its case two or three times within a
 * second, and the workflow's next steps follow within the minute: one invocation then counts them
 * all (a stage-1 complaint: 5 invocations instead of 25, `npm run bench:cost`). The public report
 * is a day's or a month's figures, so a minute's delay changes nothing anyone reads; new cases are
 * not delayed (their workflows start from the other mapping, which does not wait). `npm start`'s
 * stream poller gathers for the same window.
 */
export const COUNTED_CASE_BATCHING_WINDOW_SECONDS = 60;

/** Whether a stream record is a change of a case item. */
export function isCaseItemRecord(record: DynamoDBRecord): boolean {
  return record.dynamodb?.Keys?.SK?.S === CASE_SORT_KEY;
}

/** Whether a stream record is one `COUNTED_CASE_FILTERS` lets through. */
export function isCountedCaseRecord(record: DynamoDBRecord): boolean {
  if (!isCaseItemRecord(record)) return false;
  return (
    record.eventName === 'REMOVE' || record.dynamodb?.NewImage?.[OUTBOX_ONLY_ATTRIBUTE]?.BOOL === undefined
  );
}

/**
 * Settles one case's contribution: as the given version of it (the last a batch of the stream
 * holds) or, without one, as the table holds it now; none when it is gone.
 */
export async function countCase(
  deps: Omit<ReportCountingDeps, 'counters'>,
  into: Counting,
  caseId: string,
  known?: CaseRecord | 'gone',
): Promise<SettleOutcome> {
  let c = known;
  for (let attempt = 1; ; attempt++) {
    c ??= (await deps.store.get(caseId)) ?? 'gone';
    const outcome =
      c === 'gone'
        ? await into.settle(caseId, GONE_VERSION, undefined)
        : await into.settle(caseId, c.version, deps.counter.contribution(c));
    // Behind a version counted into another generation (a change this writer never sees, an
    // outbox mark): the case as the table holds it now, read strongly consistently, is at
    // least that version.
    if (outcome !== 'behind') return outcome;
    if (attempt >= BEHIND_ATTEMPTS) {
      throw new CountersMovedOnError(`report counters: case ${caseId} kept changing while counted`);
    }
    c = undefined;
  }
}

/** Reads of a case found behind another generation's count before the writer gives up (and is retried). */
const BEHIND_ATTEMPTS = 3;

/**
 * One batch of the table's stream: settles each case once (a batch may hold several changes of
 * one case; one settle counts them all), the cases side by side, and reports the records it
 * could not handle, so Lambda retries from the first of them (settling again changes nothing).
 *
 * Each case is settled as the batch's last record of it left it (the record's new image), not
 * read again: most changes of a case item are a step's bookkeeping, which counts nothing, and a
 * read for each was a third of the requests the table served while complaints came in. The
 * records of one item come in order, and a settle never puts an older version over a newer one,
 * so a later record (in this batch or the next) still ends the counters on the latest version.
 * A record without an image (a stream of another view type) is counted from a read of the case.
 */
export async function countReportsFor(
  deps: ReportCountingDeps,
  event: DynamoDBStreamEvent,
): Promise<DynamoDBBatchResponse> {
  const cases = new Map<string, { firstSequence: string; last: DynamoDBRecord }>();
  for (const record of event.Records) {
    if (!isCountedCaseRecord(record)) continue;
    const caseId = caseIdOfRecord(record);
    if (!caseId) {
      logger.error('case record without a case key', { eventID: record.eventID });
      continue;
    }
    const firstSequence = cases.get(caseId)?.firstSequence ?? record.dynamodb?.SequenceNumber ?? '';
    cases.set(caseId, { firstSequence, last: record });
  }
  if (cases.size === 0) return { batchItemFailures: [] };
  let into: Counting;
  try {
    into = await deps.counters.counting();
  } catch (error: unknown) {
    logger.error('report counting could not find the generation to count into', {
      error: error instanceof Error ? error.name : typeof error,
    });
    // Nothing settled: the batch again, from its first counted record (the first case met).
    return { batchItemFailures: [{ itemIdentifier: [...cases.values()][0]?.firstSequence ?? '' }] };
  }
  const failed = await Promise.all(
    [...cases].map(async ([caseId, { firstSequence: sequenceNumber, last }]) => {
      try {
        const outcome = await countCase(deps, into, caseId, caseOfStreamRecord(last));
        logger.debug('report counters settled', { caseId, outcome });
        return undefined;
      } catch (error: unknown) {
        logger.error('report counting failed', {
          caseId,
          error: error instanceof Error ? error.name : typeof error,
        });
        // An empty identifier makes Lambda retry the whole batch, which is still right.
        return { itemIdentifier: sequenceNumber };
      }
    }),
  );
  return { batchItemFailures: failed.filter((f) => f !== undefined) };
}

/** Tries of one case in a backfill, against throttling or a blip, before the backfill fails. */
const BACKFILL_ATTEMPTS = 4;

/**
 * One case of a backfill, tried again after a failure worth another try (throttled, the service
 * unreachable) with a growing pause: a backfill that stops leaves the report reading cases until
 * it is run again.
 */
async function countPatiently(
  deps: Omit<ReportCountingDeps, 'counters'>,
  into: Counting,
  caseId: string,
): Promise<SettleOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await countCase(deps, into, caseId);
    } catch (error: unknown) {
      if (!isRetryable(error) || attempt >= BACKFILL_ATTEMPTS) throw error;
      await backoff(attempt, { baseMs: 200, capMs: 5000 });
    }
  }
}

/**
 * Counts every case in the table into a new generation of the counters (those from before the
 * counters, or after a change of policy or calendar, or to start clean), then marks it built so
 * the public report reads it. Safe beside the stream, which counts into the same generation from
 * the moment it begins: each case is settled, not added. Fails with `CountersMovedOnError` when
 * the stream moved on meanwhile (it started counting under another policy): run it again then.
 */
export async function buildReportCounters(
  deps: ReportCountingDeps,
  options: { concurrency?: number; onProgress?: (cases: number) => void } = {},
): Promise<{ cases: number; changed: number }> {
  const concurrency = options.concurrency ?? 16;
  const into = await deps.counters.rebuilding();
  let cases = 0;
  let changed = 0;
  let failure: { error: unknown } | undefined;
  const running = new Set<Promise<void>>();
  for await (const caseId of deps.counters.caseIds()) {
    if (failure) break;
    const job = countPatiently(deps, into, caseId).then(
      (outcome) => {
        cases += 1;
        if (outcome === 'changed') changed += 1;
        if (cases % 1000 === 0) options.onProgress?.(cases);
      },
      (error: unknown) => {
        failure ??= { error };
      },
    );
    const tracked = job.finally(() => running.delete(tracked));
    running.add(tracked);
    if (running.size >= concurrency) await Promise.race(running);
  }
  await Promise.all(running);
  if (failure) throw failure.error;
  await into.markBuilt();
  return { cases, changed };
}
