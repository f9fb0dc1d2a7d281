/**
 * The GOV.UK date input pattern (day, month and year boxes) read from a query or a form: the
 * fields `<name>-day`, `<name>-month`, `<name>-year` become one `YYYY-MM-DD`, or the message the
 * Design System's pattern gives for what is wrong, with the box to highlight. Checks only that
 * it is a real date: what range a page accepts is the page's own rule.
 */

export type DatePart = 'day' | 'month' | 'year';

export type DateInputResult =
  | { ok: true; date: string }
  | { ok: false; error: string; parts: DatePart[] }
  | { ok: 'absent' };

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** A month as typed: `4`, `04`, `April` or `Apr` (the pattern asks services to accept names too). */
function monthNumber(raw: string): number | undefined {
  if (/^\d{1,2}$/.test(raw)) return Number(raw);
  const lower = raw.toLowerCase();
  const i = MONTHS.findIndex((m) => lower.length >= 3 && m.startsWith(lower));
  return i === -1 ? undefined : i + 1;
}

/** Whether any of the three boxes of `name` were sent (the form was used, not a plain `from=`). */
export function hasDateParts(query: Record<string, string | undefined>, name: string): boolean {
  return ['day', 'month', 'year'].some((p) => query[`${name}-${p}`] !== undefined);
}

/** Days in a month (1–12) of a year, any year: `Date.UTC` reads a year below 100 as 1900 onwards. */
function daysIn(year: number, month: number): number {
  return new Date(new Date(0).setUTCFullYear(year, month, 0)).getUTCDate();
}

/** Reads `<name>-day|month|year`; `label` names the date in messages ("start date"). */
export function readDateInput(
  query: Record<string, string | undefined>,
  name: string,
  label: string,
): DateInputResult {
  if (!hasDateParts(query, name)) return { ok: 'absent' };
  const raw = {
    day: (query[`${name}-day`] ?? '').trim(),
    month: (query[`${name}-month`] ?? '').trim(),
    year: (query[`${name}-year`] ?? '').trim(),
  };
  const missing = (Object.keys(raw) as DatePart[]).filter((p) => raw[p] === '');
  if (missing.length === 3)
    return { ok: false, error: `Enter the ${label}`, parts: ['day', 'month', 'year'] };
  if (missing.length > 0) {
    return { ok: false, error: `The ${label} must include a ${missing.join(' and ')}`, parts: missing };
  }
  const day = /^\d{1,2}$/.test(raw.day) ? Number(raw.day) : Number.NaN;
  const month = monthNumber(raw.month);
  const year = /^\d{4}$/.test(raw.year) ? Number(raw.year) : Number.NaN;
  if (Number.isNaN(year))
    return { ok: false, error: `The year of the ${label} must be 4 numbers, like 2026`, parts: ['year'] };
  const real =
    month !== undefined &&
    !Number.isNaN(day) &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysIn(year, month);
  if (!real) {
    const parts: DatePart[] = month === undefined || month < 1 || month > 12 ? ['month'] : ['day'];
    return { ok: false, error: `The ${label} must be a real date, like 1 4 2026`, parts };
  }
  return {
    ok: true,
    date: `${raw.year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
  };
}

/**
 * Reads a date from a form whose three boxes have names of their own (`reviewDay`, `reviewMonth`,
 * `reviewYear`), as `readDateInput` does: digits as people write them, a month's name, a real
 * calendar date. A box sent as something other than text (a form that is not ours) is not a date.
 */
export function readDateFields(
  body: Readonly<Record<string, unknown>>,
  names: Readonly<Record<DatePart, string>>,
  label: string,
): DateInputResult {
  const box = (name: string): string | undefined => {
    const value = body[name];
    if (value === undefined || typeof value === 'string') return value;
    return '?';
  };
  return readDateInput(
    { 'date-day': box(names.day), 'date-month': box(names.month), 'date-year': box(names.year) },
    'date',
    label,
  );
}

/** The three boxes' values for a `YYYY-MM-DD` (to fill the form again). */
export function dateParts(date: string | undefined): { day: string; month: string; year: string } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date ?? '');
  if (!m) return { day: '', month: '', year: '' };
  return { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1] as string };
}
