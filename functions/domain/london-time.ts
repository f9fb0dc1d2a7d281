import { dayNumber, weekdayOf } from './bank-holidays.js';
import { onFirstUse } from './first-use.js';
import type { Language } from './language.js';

/**
 * Clock time in Europe/London, and the names of its days and months in English and Welsh.
 *
 * Written by hand, not with `Intl.DateTimeFormat`: the first formatter a process builds loads
 * ICU's locale data, about 12 ms of CPU, a fifth of a function's cold start, and every function
 * that states or counts a date built one on its first call. The rule is statute, not data: the
 * Summer Time Act 1972 and the Summer Time Order 2002 put the clocks on British Summer Time
 * from 01:00 GMT on the last Sunday of March to 01:00 GMT on the last Sunday of October. It has
 * been so since 1996, and the time zone database assumes it for every year to come; before 1996
 * the rules changed year by year, so those instants still ask ICU. The tests hold the rule
 * (1996–2045) and the names of every day to ICU's answers, so a change in the law, once it
 * reaches the time zone database, fails them rather than a resident's letter.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const HALF_DAY_S = 43_200;
/** The first year of today's rule (the last Sunday of October ended summer time from 1996). */
const RULE_FROM = 1996;

/** Wall-clock fields in Europe/London (`weekday`: 0 = Sunday … 6 = Saturday). */
export interface LondonWallClock {
  year: number;
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
  second: number;
}

/** The day number of the last Sunday of a month. */
function lastSunday(year: number, month: number): number {
  const last = dayNumber(year, month + 1, 0);
  return last - weekdayOf(last);
}

/** Minutes Europe/London is ahead of UTC at an instant: 0 in winter, 60 in summer. */
export function londonOffsetMinutes(ms: number): number {
  const year = new Date(ms).getUTCFullYear();
  if (year < RULE_FROM) return icuOffsetMinutes(ms);
  const starts = lastSunday(year, 3) * DAY_MS + HOUR_MS;
  const ends = lastSunday(year, 10) * DAY_MS + HOUR_MS;
  return ms >= starts && ms < ends ? 60 : 0;
}

/** The wall clock in Europe/London at an instant. */
export function londonWallClock(ms: number): LondonWallClock {
  const wall = new Date(ms + londonOffsetMinutes(ms) * 60_000);
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    weekday: wall.getUTCDay(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
}

/**
 * Weekday names, Sunday first. The Welsh "dydd" is lower-case, as it is written mid-sentence
 * ("erbyn dydd Gwener").
 */
export const WEEKDAY_NAMES: Readonly<Record<Language, readonly string[]>> = {
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
  cy: ['dydd Sul', 'dydd Llun', 'dydd Mawrth', 'dydd Mercher', 'dydd Iau', 'dydd Gwener', 'dydd Sadwrn'],
};

/** Month names, January first. */
export const MONTH_NAMES: Readonly<Record<Language, readonly string[]>> = {
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
  cy: [
    'Ionawr',
    'Chwefror',
    'Mawrth',
    'Ebrill',
    'Mai',
    'Mehefin',
    'Gorffennaf',
    'Awst',
    'Medi',
    'Hydref',
    'Tachwedd',
    'Rhagfyr',
  ],
};

/**
 * A date as GOV.UK style writes it: "Friday 5 June 2026", "dydd Gwener 5 Mehefin 2026" (no comma
 * after the weekday); without the weekday, "5 June 2026".
 */
export function writtenDate(
  w: Pick<LondonWallClock, 'year' | 'month' | 'day' | 'weekday'>,
  language: Language,
  options: { weekday?: boolean } = {},
): string {
  const date = `${w.day} ${MONTH_NAMES[language][w.month - 1]} ${w.year}`;
  return options.weekday === false ? date : `${WEEKDAY_NAMES[language][w.weekday]} ${date}`;
}

/** ICU's time of day in London, for the instants before today's rule. */
const icuParts = onFirstUse(
  () =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    }),
);

function icuOffsetMinutes(ms: number): number {
  const start = Math.floor(ms / HOUR_MS) * HOUR_MS;
  const f: Record<string, number> = {};
  for (const p of icuParts().formatToParts(new Date(start)))
    if (p.type !== 'literal') f[p.type] = Number(p.value);
  // Only ICU's time of day is used: rebuilding its date with Date.UTC read a year below 100 as
  // 1900 onwards, and its year is the era's (1 for the year 0, which is 1 BC). London's offset
  // has always been well within half a day of UTC, so the time of day alone gives it.
  const wallSeconds = (f.hour ?? 0) * 3600 + (f.minute ?? 0) * 60 + (f.second ?? 0);
  const utcSeconds = (((start % DAY_MS) + DAY_MS) % DAY_MS) / 1000;
  const ahead = ((((wallSeconds - utcSeconds + HALF_DAY_S) % 86_400) + 86_400) % 86_400) - HALF_DAY_S;
  return Math.round(ahead / 60);
}
