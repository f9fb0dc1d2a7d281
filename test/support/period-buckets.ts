import { addDays, type Period } from '../../functions/reports/period.js';

// How the versions of the counters before day items alone read a period (their fixtures,
// `previous-report-counters.ts` and `month-report-counters.ts`, import it from here): the
// current counters add up days and keep no months.

/**
 * How a period is read from counters kept per day and per month: the whole months in it from the
 * months' counters, the days before the first and after the last whole month from the days'.
 */
export function periodBuckets(period: Period): { days: Period[]; months?: { from: string; to: string } } {
  const firstWhole = period.from.endsWith('-01')
    ? period.from
    : `${addDays(`${period.from.slice(0, 7)}-28`, 7).slice(0, 7)}-01`;
  const afterTo = addDays(period.to, 1);
  // The first day after the last whole month: `to`'s month ends with it, or `to`'s month starts it.
  const afterWhole = afterTo.endsWith('-01') ? afterTo : `${period.to.slice(0, 7)}-01`;
  if (firstWhole >= afterWhole) return { days: [period] };
  const days: Period[] = [];
  if (period.from < firstWhole) days.push({ from: period.from, to: addDays(firstWhole, -1) });
  if (afterWhole <= period.to) days.push({ from: afterWhole, to: period.to });
  return { days, months: { from: firstWhole.slice(0, 7), to: addDays(afterWhole, -1).slice(0, 7) } };
}
