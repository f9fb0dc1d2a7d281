import { createHash } from 'node:crypto';
import { bankHolidays } from '../domain/calendar.js';
import type { Policy } from '../domain/policy-schema.js';
import type { IsoDate } from '../domain/types.js';
import { type CaseContribution, repeatContactOf } from './compute.js';
import { type Period, YEARS } from './period.js';

/**
 * The public report from counters instead of cases (issue goal: no read of every case). The
 * table's stream keeps, per day a case was received, the sum of its cases' contributions
 * (`CaseCounter.contribution`), and per complainant digest the days of their cases; a report adds
 * up the days of its period. This module is the arithmetic of that, free of storage.
 */

/**
 * Counts are only as right as the policy and calendar they were worked out with: a case's
 * deadlines, working days and directorate come from them. Counters are kept under this basis,
 * a digest of the policy, of the bank holidays of every year a report may cover and of the form
 * of the counts, so a deployment with another policy or calendar starts fresh counters (built by
 * `npm run reports:count`) and reads cases until they are built, never figures of the old rules.
 */
export function countingBasis(policy: Policy): string {
  const hash = createHash('sha256');
  hash.update(`counts-v${COUNTS_FORMAT}\n`);
  // The complaints team's mailbox may be set on some functions only (`COMPLAINTS_TEAM`); it counts nothing.
  hash.update(canonicalJson({ ...policy, routing: { ...policy.routing, complaintsTeam: undefined } }));
  for (let year = YEARS.first; year <= YEARS.last; year++) {
    hash.update(`\n${year}:${bankHolidays(year, policy.calendar.nation).join(',')}`);
  }
  return hash.digest('base64url').slice(0, 16);
}

/**
 * JSON with every object's keys in order, so the same policy has the same basis however it was
 * read (the deployed file as written, or parsed again by the backfill). Hand-written: ten lines
 * for one digest do not warrant a dependency.
 */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Bumped whenever `CaseCounter` counts differently, so old counters are never read as new. */
export const COUNTS_FORMAT = 1;

/** Whether two contributions are the same (then a redelivered record changes nothing). */
export function sameContribution(a: CaseContribution | undefined, b: CaseContribution | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.receivedOn !== b.receivedOn || a.complainant !== b.complainant) return false;
  const ak = Object.keys(a.counts);
  if (ak.length !== Object.keys(b.counts).length) return false;
  return ak.every((key) => a.counts[key] === b.counts[key]);
}

/**
 * What `b` adds to what `a` counted, per day: the counts to add to each day's counters (negative
 * where `a` counted more), only those that move.
 */
export function contributionChange(
  a: CaseContribution | undefined,
  b: CaseContribution | undefined,
): Map<IsoDate, Record<string, number>> {
  const out = new Map<IsoDate, Record<string, number>>();
  const apply = (c: CaseContribution | undefined, sign: 1 | -1) => {
    if (!c) return;
    let day = out.get(c.receivedOn);
    if (!day) {
      day = {};
      out.set(c.receivedOn, day);
    }
    for (const [key, n] of Object.entries(c.counts)) day[key] = (day[key] ?? 0) + sign * n;
  };
  apply(a, -1);
  apply(b, 1);
  for (const [date, counts] of out) {
    for (const key of Object.keys(counts)) if (counts[key] === 0) delete counts[key];
    if (Object.keys(counts).length === 0) out.delete(date);
  }
  return out;
}

/**
 * Repeat contact in a period from the days of each repeat complainant's cases (complainants
 * with one case ever cannot be repeat contact and need not be read).
 */
export function repeatContactIn(
  period: Period,
  daysPerComplainant: Iterable<readonly IsoDate[]>,
): { complainants: number; cases: number } {
  const inPeriod = function* () {
    for (const days of daysPerComplainant) {
      yield days.filter((d) => d >= period.from && d <= period.to).length;
    }
  };
  return repeatContactOf(inPeriod());
}

/** Version a case is settled at when the table no longer holds it: nothing older counts again. */
export const GONE_VERSION = Number.MAX_SAFE_INTEGER;

/** A period's figures as the counters hold them. */
export interface CountedFigures {
  figures: Map<string, number>;
  repeat: { complainants: number; cases: number };
}

/**
 * What settling a case did: counted a change, found nothing to change, or met a newer count; or
 * met a newer version counted into another generation ('behind'), which says nothing of this
 * one's: the case is counted again as it is now.
 */
export type SettleOutcome = 'changed' | 'unchanged' | 'superseded' | 'behind';

/** One generation of the counters, to settle cases into (`ReportCounterStore.counting`, `rebuilding`). */
export interface Counting {
  /** Makes the counters hold the case's contribution at `version`; `undefined`: the case is gone. */
  settle(caseId: string, version: number, contribution: CaseContribution | undefined): Promise<SettleOutcome>;
}

/**
 * Where the counters live (`dynamodb-report-counters.ts`). Every write is exactly-once by
 * construction: the store remembers, per case, the contribution it counted and the case version
 * it came from, and moves the counters by the difference in the same transaction, so settling the
 * same version twice (a redelivered stream record, a retried batch, the backfill going over a case
 * the stream already counted) changes nothing, and an older version never replaces a newer one.
 *
 * Counters are never reused once the stream has left them. The stream counts into one generation
 * at a time, of one basis; when it starts counting under another basis (a policy changed, or
 * rolled back), or a backfill begins, a new generation starts from nothing, and the report reads
 * cases until a backfill has built it. Counters that missed changes are never read again, and a
 * rollback never adds a case to counters that already hold it.
 */
export interface ReportCounterStore {
  /** The generation the stream counts into, taken over for this basis if the stream counted under another. */
  counting(): Promise<Counting>;
  /** A new generation of this basis for the backfill, which the stream counts into from now on. */
  rebuilding(): Promise<Counting & { markBuilt(): Promise<void> }>;
  /** The period's figures, or undefined while the counters the stream keeps for this basis are not built. */
  figures(period: Period): Promise<CountedFigures | undefined>;
  /** Whether the generation the stream counts into is of this basis and built (`markBuilt`). */
  built(): Promise<boolean>;
  /** Every case id in the table, for the backfill. */
  caseIds(): AsyncIterable<string>;
}

/**
 * The counters moved on to another generation while a writer still held an older one: a backfill
 * began, or the stream started counting under another basis. The writer's work is for counters
 * nobody reads: a stream batch is retried (and counts into the new one), a backfill is run again.
 */
export class CountersMovedOnError extends Error {
  override name = 'CountersMovedOnError';
}
