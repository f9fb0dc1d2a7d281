import { endOfLondonDay, startOfLondonDay } from '../domain/calendar.js';
import type { IsoDate, IsoTimestamp } from '../domain/types.js';

/**
 * Reporting periods: calendar dates in Europe/London, both ends included. A financial year runs
 * from 1 April to 31 March (the Code's annual report, section 8); a monthly report covers the
 * calendar month before the day it runs.
 */

/** A reporting period: London calendar dates, `from` and `to` both included. */
export interface Period {
  from: IsoDate;
  to: IsoDate;
}

/** Longest period a report may cover: two years (bounded work for one request). */
export const MAX_PERIOD_YEARS = 2;

/** Reports cover cases from this year to the next century; other years are typing mistakes. */
export const YEARS = { first: 2000, last: 2099 } as const;

/** `date` moved by whole days (UTC arithmetic on a calendar date: no time zone involved). */
export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** `date` moved by whole calendar years (29 February → 28 February). */
export function addYears(date: IsoDate, years: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

/** The financial year starting 1 April `year`: `2025` → 2025-04-01 to 2026-03-31. */
export function financialYear(year: number): Period {
  return { from: `${year}-04-01`, to: `${year + 1}-03-31` };
}

/** `2025` → `2025/26`, as councils name financial years. */
export function financialYearName(year: number): string {
  return `${year}/${String((year + 1) % 100).padStart(2, '0')}`;
}

/** The financial year a London date falls in (January–March belong to the year before). */
export function financialYearOf(date: IsoDate): number {
  const year = Number(date.slice(0, 4));
  return date.slice(5) < '04-01' ? year - 1 : year;
}

/** The calendar month before the one `today` falls in: run on 3 May → 1–30 April. */
export function previousMonth(today: IsoDate): Period {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 2, 1));
  const last = new Date(Date.UTC(y, m - 1, 0));
  return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
}

/** The instants bounding a period for `CaseStore.receivedBetween` (start included, end excluded). */
export function periodInstants(period: Period): { from: IsoTimestamp; to: IsoTimestamp } {
  return { from: startOfLondonDay(period.from), to: startOfLondonDay(addDays(period.to, 1)) };
}

/** The last instant of a period: 23:59:59 Europe/London on its last day. */
export function endOfPeriod(period: Period): IsoTimestamp {
  return endOfLondonDay(period.to);
}
