import {
  bankHolidayDays,
  bankHolidayEvents,
  dayNumber,
  easterSunday,
  formatDay,
  weekdayOf,
} from './bank-holidays.js';
import { londonOffsetMinutes } from './london-time.js';
import type { Policy } from './policy-schema.js';
import type { IsoDate, IsoTimestamp, Nation } from './types.js';

/**
 * The working-day calendar: Monday to Friday except the bank holidays of the council's nation,
 * Christmas Day and Good Friday (always, whatever a policy removes) and the council's own
 * closure days. Dates are calendar dates in Europe/London written `YYYY-MM-DD`.
 *
 * Counting rule: day 1 is the first working day strictly after the start, so a
 * request received on a Saturday has Monday as day 1 and one received on a Monday has Tuesday.
 */

/** Base class of the calendar's errors. */
export class CalendarError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CalendarError';
  }
}

/** A date or timestamp that is not a real `YYYY-MM-DD` date or ISO 8601 instant. */
export class InvalidDateError extends CalendarError {
  constructor(
    readonly value: unknown,
    what = 'a date written YYYY-MM-DD',
  ) {
    super(`${JSON.stringify(value)} is not ${what}`);
    this.name = 'InvalidDateError';
  }
}

const DEFAULT_NATION: Nation = 'england-and-wales';
const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Longest run of closed days the calendar will walk through before giving up (a year). */
const MAX_GAP_DAYS = 366;

/**
 * Most entries a memo of this module holds; past it, it starts again. Deadlines are derived
 * afresh from a case's few dates at every step of its workflow and at every report, so the same
 * dates come back again and again; a real year of cases uses a few thousand.
 */
const MEMO_LIMIT = 50_000;

/** Remembers `value` under `key`, starting the memo again when it is full. */
function remember<K, V>(memo: Map<K, V>, key: K, value: V): V {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

/** Day numbers of dates already checked (only real dates are remembered). */
const dayNumbers = new Map<string, number>();

/** Day number (days since 1970-01-01) of a `YYYY-MM-DD` date; throws when it is not a real date. */
function toDay(date: IsoDate): number {
  const known = typeof date === 'string' ? dayNumbers.get(date) : undefined;
  if (known !== undefined) return known;
  const m = typeof date === 'string' ? DATE_RE.exec(date) : null;
  if (!m) throw new InvalidDateError(date);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const n = dayNumber(year, month, day);
  // Date.UTC rolls 31 February over into March: a round trip catches it.
  if (formatDay(n) !== date || year < 1000) throw new InvalidDateError(date);
  return remember(dayNumbers, date, n);
}

/** Whether a `YYYY-MM-DD` string is a real calendar date. */
function isRealDate(date: string): boolean {
  try {
    toDay(date);
    return true;
  } catch (error: unknown) {
    if (error instanceof InvalidDateError) return false;
    throw error;
  }
}

/** The year of a day number, in integer arithmetic (H. Hinnant's civil_from_days): no Date per day. */
function yearOf(day: number): number {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  return yoe + era * 400 + (mp >= 10 ? 1 : 0);
}

const commonLawHolidays = new Map<number, { christmas: number; goodFriday: number }>();
/** Christmas Day and Good Friday are never working days (common-law holidays in every nation). */
function isChristmasOrGoodFriday(day: number, year: number): boolean {
  let days = commonLawHolidays.get(year);
  if (!days) {
    days = { christmas: dayNumber(year, 12, 25), goodFriday: easterSunday(year) - 2 };
    commonLawHolidays.set(year, days);
  }
  return day === days.christmas || day === days.goodFriday;
}

/** The pieces a working-day calendar is made of. */
interface CalendarSpec {
  nation: Nation;
  /** Not working days (closures and bank holidays a policy adds). */
  closed: ReadonlySet<number>;
  /** Shipped bank holidays that a policy says did not happen. */
  reopened: ReadonlySet<number>;
}

function isWorkingDayNumber(spec: CalendarSpec, day: number): boolean {
  const w = weekdayOf(day);
  if (w === 0 || w === 6) return false;
  if (spec.closed.has(day)) return false;
  const year = yearOf(day);
  if (isChristmasOrGoodFriday(day, year)) return false;
  return !bankHolidayDays(year, spec.nation).has(day) || spec.reopened.has(day);
}

function addWorkingDayNumbers(spec: CalendarSpec, start: number, days: number): number {
  if (!Number.isInteger(days))
    throw new CalendarError(`The number of working days must be a whole number, not ${days}`);
  const dir = days < 0 ? -1 : 1;
  let left = Math.abs(days);
  let d = start;
  let gap = 0;
  // days = 0: the start itself when it is a working day, else the next one.
  if (left === 0 && isWorkingDayNumber(spec, d)) return d;
  if (left === 0) left = 1;
  while (left > 0) {
    d += dir;
    gap += 1;
    if (isWorkingDayNumber(spec, d)) {
      left -= 1;
      gap = 0;
    } else if (gap > MAX_GAP_DAYS) {
      // Real calendars never get near this; the check keeps a bad closure list from hanging a Lambda.
      throw new CalendarError(
        `No working day within ${MAX_GAP_DAYS} days of ${formatDay(d - dir * gap)}; check the closure days`,
      );
    }
  }
  return d;
}

function workingDaysBetweenNumbers(spec: CalendarSpec, from: number, to: number): number {
  if (to === from) return 0;
  let count = 0;
  if (to > from) {
    for (let d = from + 1; d <= to; d += 1) if (isWorkingDayNumber(spec, d)) count += 1;
    return count;
  }
  for (let d = to; d < from; d += 1) if (isWorkingDayNumber(spec, d)) count += 1;
  return -count;
}

function daySet(dates: readonly IsoDate[] | undefined, what: string): Set<number> {
  const set = new Set<number>();
  for (const date of dates ?? []) {
    try {
      set.add(toDay(date));
    } catch (error: unknown) {
      if (error instanceof InvalidDateError)
        throw new InvalidDateError(date, `a date written YYYY-MM-DD (in ${what})`);
      throw error;
    }
  }
  return set;
}

function simpleSpec(nation: Nation | undefined, extraClosures: readonly IsoDate[] | undefined): CalendarSpec {
  return {
    nation: nation ?? DEFAULT_NATION,
    closed: daySet(extraClosures, 'the closure days'),
    reopened: new Set(),
  };
}

/**
 * The bank holidays of a nation in a year, `YYYY-MM-DD` in date order: generated by rule with
 * substitute days and the one-off days of 2012, 2020, 2022 and 2023, as GOV.UK publishes them.
 */
export function bankHolidays(year: number, nation: Nation = DEFAULT_NATION): IsoDate[] {
  return bankHolidayEvents(year, nation).map((e) => e.date);
}

/** Whether `date` is a working day in `nation`, treating `extraClosures` as closed too. */
export function isWorkingDay(date: IsoDate, nation?: Nation, extraClosures?: readonly IsoDate[]): boolean {
  return isWorkingDayNumber(simpleSpec(nation, extraClosures), toDay(date));
}

/**
 * The `days`-th working day strictly after `date` (received Saturday → Monday is day 1;
 * received Monday → Tuesday is day 1). A negative `days` counts back: the N-th working day
 * strictly before `date` (for "remind N working days before the deadline"). `days = 0` returns
 * `date` itself when it is a working day, else the next working day.
 */
export function addWorkingDays(
  date: IsoDate,
  days: number,
  nation?: Nation,
  extraClosures?: readonly IsoDate[],
): IsoDate {
  return formatDay(addWorkingDayNumbers(simpleSpec(nation, extraClosures), toDay(date), days));
}

/**
 * Working days from `from` to `to`: the number of working days after `from` up to and including
 * `to`, so `workingDaysBetween(d, addWorkingDays(d, n)) === n`. When `to` is before `from` the
 * answer is negative: minus the working days from `to` (included) up to `from` (excluded), so the
 * identity holds for negative `n` too. Used by reports ("answered in 12 working days").
 */
export function workingDaysBetween(
  from: IsoDate,
  to: IsoDate,
  nation?: Nation,
  extraClosures?: readonly IsoDate[],
): number {
  return workingDaysBetweenNumbers(simpleSpec(nation, extraClosures), toDay(from), toDay(to));
}

/** `YYYY-MM-DDTHH:mm[:ss[.sss]]` with an optional `Z` or `±HH[:]MM` offset (group 1: the date; group 2: the offset). */
const TIMESTAMP_RE =
  /^(\d{4}-\d{2}-\d{2})T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * The calendar date in Europe/London of an instant: `2026-06-07T23:30:00Z` (a Sunday evening
 * in UTC) is Monday `2026-06-08` in London. A bare `YYYY-MM-DD` is returned as it is, and a
 * timestamp without an offset is read as London wall-clock time.
 */
export function londonDate(iso: IsoTimestamp): IsoDate {
  if (typeof iso !== 'string') throw new InvalidDateError(iso, 'an ISO 8601 timestamp');
  return londonDates.get(iso) ?? remember(londonDates, iso, readLondonDate(iso));
}

/** London dates of timestamps already read (only valid ones: a bad one throws before it is kept). */
const londonDates = new Map<string, IsoDate>();

function readLondonDate(iso: string): IsoDate {
  if (DATE_RE.test(iso)) return formatDay(toDay(iso));
  const m = TIMESTAMP_RE.exec(iso);
  // Date.parse would roll 30 February over into March: the date part must be a real date.
  if (!m?.[1] || !isRealDate(m[1])) throw new InvalidDateError(iso, 'an ISO 8601 timestamp');
  if (!m[2]) return m[1];
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new InvalidDateError(iso, 'an ISO 8601 timestamp');
  return formatDay(Math.floor((ms + londonOffsetMinutes(ms) * 60_000) / DAY_MS));
}

/** An instant on a London calendar day, at a wall-clock time, as epoch milliseconds. */
function londonInstant(date: IsoDate, hour: number, minute: number, second: number): number {
  const day = toDay(date);
  const wallAsUtc = day * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000;
  // Clocks change at 01:00 UTC, so the offset an hour either side of the guess is the one in
  // force at the wall-clock time asked for (away from 01:00–02:00 on a change day).
  const offset = londonOffsetMinutes(wallAsUtc - 60 * 60_000);
  return wallAsUtc - offset * 60_000;
}

/**
 * The end of a London working day as a UTC timestamp: 23:59:59.000 Europe/London on `date`
 * (`…T22:59:59.000Z` in summer time, `…T23:59:59.000Z` in winter).
 */
export function endOfLondonDay(date: IsoDate): IsoTimestamp {
  return (
    dayEnds.get(date) ?? remember(dayEnds, date, new Date(londonInstant(date, 23, 59, 59)).toISOString())
  );
}

/** The start of a London day as a UTC timestamp: 00:00:00.000 Europe/London on `date`. */
export function startOfLondonDay(date: IsoDate): IsoTimestamp {
  return (
    dayStarts.get(date) ?? remember(dayStarts, date, new Date(londonInstant(date, 0, 0, 0)).toISOString())
  );
}

/**
 * A London wall-clock time on `date` as a UTC timestamp (14:30 on 25 October 2026, the day the
 * clocks go back, is 14:30Z; on 29 March 2026, the day they go forward, 23:30 is 22:30Z). Adding
 * hours to the start of the day is an hour out after the change on those two days.
 */
export function londonTime(date: IsoDate, hour: number, minute: number): IsoTimestamp {
  return new Date(londonInstant(date, hour, minute, 0)).toISOString();
}

const dayEnds = new Map<IsoDate, IsoTimestamp>();
const dayStarts = new Map<IsoDate, IsoTimestamp>();

/** A working-day calendar with a council's nation, closure days and bank-holiday changes applied. */
export interface Calendar {
  readonly nation: Nation;
  isWorkingDay(date: IsoDate): boolean;
  /** As {@link addWorkingDays}, with the council's calendar. */
  addWorkingDays(date: IsoDate, days: number): IsoDate;
  /** As {@link workingDaysBetween}, with the council's calendar. */
  workingDaysBetween(from: IsoDate, to: IsoDate): number;
  /** The year's bank holidays after the policy's additions and removals. */
  bankHolidays(year: number): IsoDate[];
}

/**
 * The calendar of a policy: its `calendar.nation`, with `closureDays` and `extraBankHolidays`
 * closed and `removedBankHolidays` reopened (Christmas Day and Good Friday stay closed).
 */
export function calendarFor(policy: Pick<Policy, 'calendar'>): Calendar {
  const c = policy.calendar;
  // Policies are loaded once and read at every step: the calendar made from one is kept with
  // it, and made again if anything in it has changed since (a test may edit a policy in place).
  const known = calendars.get(c);
  if (known && sameCalendarSettings(known.settings, c)) return known.calendar;
  const calendar = makeCalendar(c);
  calendars.set(c, { settings: settingsOf(c), calendar });
  return calendar;
}

const calendars = new WeakMap<Policy['calendar'], { settings: Policy['calendar']; calendar: Calendar }>();

/** A copy of a policy's calendar settings, to tell later whether they were changed in place. */
function settingsOf(c: Policy['calendar']): Policy['calendar'] {
  return {
    nation: c.nation,
    // Copied as `makeCalendar` reads them: a policy not parsed by its schema may leave one out.
    closureDays: [...(c.closureDays ?? [])],
    extraBankHolidays: [...(c.extraBankHolidays ?? [])],
    removedBankHolidays: [...(c.removedBankHolidays ?? [])],
  };
}

/**
 * Whether a policy's calendar settings are still those copied: compared member by member, since
 * a step asks for its calendar dozens of times a case, and writing the settings out as JSON to
 * compare them took longer than the rest of the look-up.
 */
function sameCalendarSettings(copy: Policy['calendar'], c: Policy['calendar']): boolean {
  return (
    copy.nation === c.nation &&
    sameDays(copy.closureDays, c.closureDays) &&
    sameDays(copy.extraBankHolidays, c.extraBankHolidays) &&
    sameDays(copy.removedBankHolidays, c.removedBankHolidays)
  );
}

function sameDays(a: readonly string[], b: readonly string[] | undefined): boolean {
  if (b === undefined) return a.length === 0;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The calendar of a clock set by law rather than by the council: the statutory social care
 * procedure's (SI 2009/309 reg. 2: a working day is any day but a Saturday, a Sunday, Christmas
 * Day, Good Friday or a bank holiday in England). The policy's nation and its `extraBankHolidays`
 * (bank holidays proclaimed for one year) hold; its `closureDays` and `removedBankHolidays` (the
 * council's own choices to close, or to work) do not.
 */
export function statutoryCalendarFor(policy: Pick<Policy, 'calendar'>): Calendar {
  const c = policy.calendar;
  if (c.closureDays.length === 0 && c.removedBankHolidays.length === 0) return calendarFor(policy);
  // Kept with the policy and made again if it has changed since, as `calendarFor` does.
  const known = statutory.get(c);
  if (known && sameCalendarSettings(known.settings, c)) return known.calendar;
  const calendar = makeCalendar({ ...c, closureDays: [], removedBankHolidays: [] });
  statutory.set(c, { settings: settingsOf(c), calendar });
  return calendar;
}

const statutory = new WeakMap<Policy['calendar'], { settings: Policy['calendar']; calendar: Calendar }>();

function makeCalendar(c: Policy['calendar']): Calendar {
  const added = daySet(c.extraBankHolidays, 'calendar.extraBankHolidays');
  const spec: CalendarSpec = {
    nation: c.nation ?? DEFAULT_NATION,
    closed: new Set([...daySet(c.closureDays, 'calendar.closureDays'), ...added]),
    reopened: daySet(c.removedBankHolidays, 'calendar.removedBankHolidays'),
  };
  // The same few sums come back at every step of every case (received + 5, + 10, …).
  const sums = new Map<string, IsoDate>();
  return {
    nation: spec.nation,
    isWorkingDay: (date) => isWorkingDayNumber(spec, toDay(date)),
    addWorkingDays: (date, days) => {
      const key = `${date}|${days}`;
      return sums.get(key) ?? remember(sums, key, formatDay(addWorkingDayNumbers(spec, toDay(date), days)));
    },
    workingDaysBetween: (from, to) => workingDaysBetweenNumbers(spec, toDay(from), toDay(to)),
    bankHolidays: (year) => {
      const days = new Set([...bankHolidayDays(year, spec.nation)].filter((d) => !spec.reopened.has(d)));
      for (const d of added) if (yearOf(d) === year) days.add(d);
      return [...days].sort((a, b) => a - b).map(formatDay);
    },
  };
}
