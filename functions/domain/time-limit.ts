import { londonDate } from './calendar.js';
import type { CaseRecord } from './case.js';
import type { Policy } from './policy-schema.js';
import type { IsoDate } from './types.js';

/**
 * The time limit for making a complaint (the Code §2.2: normally within 12 months of the matter
 * or of the resident finding out; `complaint.timeLimitMonths`). Past it the officer decides:
 * accept it (the Code allows discretion) or refuse with reasons and the Ombudsman's details.
 */

/** The last day a complaint about something on `happenedOn` is within the limit. */
export function timeLimitEnds(policy: Policy, happenedOn: IsoDate): IsoDate {
  const [y, m, d] = happenedOn.split('-').map(Number) as [number, number, number];
  const months = m - 1 + policy.complaint.timeLimitMonths;
  const year = y + Math.floor(months / 12);
  const month = months % 12;
  // The same day N months on, or the month's last day when it has no such day (31 → 30/28).
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(d, last);
  return `${year}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Whether the complaint was received after the time limit for what it is about. */
export function isOutOfTime(
  policy: Policy,
  c: Pick<CaseRecord, 'happenedOn' | 'receivedAt' | 'kind'>,
): boolean {
  if (!c.happenedOn || (c.kind !== 'complaint' && c.kind !== 'social-care')) return false;
  return londonDate(c.receivedAt) > timeLimitEnds(policy, c.happenedOn);
}
