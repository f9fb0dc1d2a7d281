import { londonDate, londonTime } from './calendar.js';
import { londonWallClock } from './london-time.js';
import type { Policy } from './policy-schema.js';
import type { RetentionClass } from './ports.js';
import type { IsoTimestamp } from './types.js';

/**
 * Retention of closed case files (South Norfolk Council Complaints Policy "Retention Guidelines":
 * destroy 2 years after closure, 6 years when the ombudsman was involved), counted in calendar
 * years: a case closed on 1 March 2027 is kept until 1 March 2029 (or 2033), however many 29
 * Februaries lie between; one closed on 29 February is kept until 28 February of a common year.
 *
 * The record and its archive go together, on the day `retentionEnd` gives: the case table's TTL
 * is set to it, and on AWS the stream's TTL removal of the case item deletes the case's archive
 * (`archive-expiry.ts`). S3 lifecycle rules count whole days from an object's creation (rounded up
 * to midnight UTC) and cannot say "calendar years", so the bucket's rules are a backstop only:
 * `expireAfterDays` is later than any calendar span of the years, with room for TTL running late,
 * so they never take an archive before its record. `npm start` does the same: its own TTL
 * (DynamoDB Local runs none) and the stream's function, with the local sweeper as the backstop.
 */
export interface RetentionRule {
  /** Value of the object tag `retention`. */
  tag: RetentionClass;
  /** Calendar years after closure that the record and the archive are kept (the table's TTL). */
  years: number;
  /**
   * Days after the archive object is written that the bucket's lifecycle rule expires it: the
   * backstop, `years` × 366 plus `BACKSTOP_GRACE_DAYS`.
   */
  expireAfterDays: number;
}

/**
 * Days the bucket's backstop waits beyond the longest span of the years. DynamoDB deletes an
 * expired item "typically within a few days" (not a promise), and the stream's function retries a
 * failed deletion before its on-failure queue calls someone: a month covers both.
 */
export const BACKSTOP_GRACE_DAYS = 30;

/** The lifecycle rules for a policy: the calendar years, and the days of the S3 backstop. */
export function retentionRules(policy: Pick<Policy, 'retention'>): RetentionRule[] {
  const rule = (tag: RetentionClass, years: number): RetentionRule => ({
    tag,
    years,
    // 366 days a year is never shorter than that many calendar years (a leap day every 4 years).
    expireAfterDays: years * 366 + BACKSTOP_GRACE_DAYS,
  });
  return [rule('2y', policy.retention.closedYears), rule('6y', policy.retention.ombudsmanYears)];
}

/** The retention class a closed case file belongs to. */
export function retentionClassFor(ombudsmanInvolved: boolean | undefined): RetentionClass {
  return ombudsmanInvolved ? '6y' : '2y';
}

/** The years a closed case is kept under a policy. */
export function retentionYearsFor(
  policy: Pick<Policy, 'retention'>,
  ombudsmanInvolved: boolean | undefined,
): number {
  return ombudsmanInvolved ? policy.retention.ombudsmanYears : policy.retention.closedYears;
}

/**
 * When the retention of a case closed at `closedAt` ends: the same Europe/London wall-clock time
 * `years` calendar years on, on the same day of the same month (28 February for 29 February in a
 * common year). Counted on London's calendar, so the day is the one the council's staff and the
 * resident read, whatever the clocks did in between.
 */
export function retentionEnd(closedAt: IsoTimestamp, years: number): Date {
  const ms = Date.parse(closedAt);
  if (Number.isNaN(ms)) throw new RangeError(`not a timestamp: ${closedAt}`);
  const w = londonWallClock(ms);
  const year = w.year + years;
  const lastDay = new Date(Date.UTC(year, w.month, 0)).getUTCDate();
  const day = `${String(year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(Math.min(w.day, lastDay)).padStart(2, '0')}`;
  const end = Date.parse(londonTime(day, w.hour, w.minute)) + w.second * 1000 + (((ms % 1000) + 1000) % 1000);
  return new Date(end);
}

/** The London calendar day a case closed at `closedAt` stops being kept. */
export function retentionEndDay(closedAt: IsoTimestamp, years: number): string {
  return londonDate(retentionEnd(closedAt, years).toISOString());
}
