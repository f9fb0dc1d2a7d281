const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * The months `fromMonth` to `toMonth` (`YYYY-MM`, inclusive), for items kept one partition a month
 * (equality answers, the audit log). A value that is not a month is a programming error.
 */
export function* monthsBetween(fromMonth: string, toMonth: string): Generator<string> {
  for (const month of [fromMonth, toMonth]) {
    if (!MONTH.test(month)) throw new RangeError(`not a month (YYYY-MM): ${month}`);
  }
  for (let month = fromMonth; month <= toMonth; month = nextMonth(month)) yield month;
}

function nextMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}
