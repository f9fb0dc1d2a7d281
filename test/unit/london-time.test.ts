import { describe, expect, it } from 'vitest';
import { londonOffsetMinutes, londonWallClock, writtenDate } from '../../functions/domain/london-time.js';
import { formatLongDate } from '../../functions/templates/render-email.js';
import { formatDate, formatDateTime } from '../../functions/web/format.js';
import { formatDateCy, formatDateTimeCy } from '../../functions/web/i18n.js';

/**
 * The clock rule and the names are written by hand (`london-time.ts`); ICU, which Node ships with
 * the time zone database, is the reference they are held to.
 */
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const icuClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  hourCycle: 'h23',
});

function icuOffset(ms: number): number {
  const f: Record<string, number> = {};
  for (const p of icuClock.formatToParts(new Date(ms))) if (p.type !== 'literal') f[p.type] = Number(p.value);
  const wall = Date.UTC(f.year ?? 0, (f.month ?? 1) - 1, f.day ?? 1, f.hour ?? 0, f.minute ?? 0);
  return Math.round((wall - Math.floor(ms / 60_000) * 60_000) / 60_000);
}

function icuDate(language: 'en-GB' | 'cy', ms: number, withTime = false): Record<string, string> {
  const format = new Intl.DateTimeFormat(language, {
    timeZone: 'Europe/London',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
  } as Intl.DateTimeFormatOptions);
  return Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
}

describe('Europe/London clock time without ICU', () => {
  it('agrees with the time zone database from 1996 to 2045: each day, and each hour of the weeks the clocks change', () => {
    const disagreements: string[] = [];
    const check = (at: number) => {
      if (londonOffsetMinutes(at) !== icuOffset(at)) disagreements.push(new Date(at).toISOString());
    };
    for (let year = 1996; year <= 2045; year++) {
      for (let ms = Date.UTC(year, 0, 1, 12); ms < Date.UTC(year + 1, 0, 1); ms += DAY_MS) check(ms);
      // The last Sundays of March and October fall on the 25th to the 31st; the clocks change
      // on the hour, so each hour and the minute before it.
      for (const month of [2, 9]) {
        for (let ms = Date.UTC(year, month, 24); ms < Date.UTC(year, month + 1, 2); ms += HOUR_MS) {
          check(ms);
          check(ms - 60_000);
        }
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('changes the clocks at 01:00 UTC on the last Sunday of March and of October', () => {
    expect(londonOffsetMinutes(Date.parse('2026-03-29T00:59:59.999Z'))).toBe(0);
    expect(londonOffsetMinutes(Date.parse('2026-03-29T01:00:00Z'))).toBe(60);
    expect(londonOffsetMinutes(Date.parse('2026-10-25T00:59:59.999Z'))).toBe(60);
    expect(londonOffsetMinutes(Date.parse('2026-10-25T01:00:00Z'))).toBe(0);
    expect(londonWallClock(Date.parse('2026-06-07T23:30:00Z'))).toEqual({
      year: 2026,
      month: 6,
      day: 8,
      weekday: 1,
      hour: 0,
      minute: 30,
      second: 0,
    });
  });

  it('asks ICU for instants before 1996, when the rules changed year by year', () => {
    // 1995's summer time ended on the fourth Sunday of October (22nd), not the last (29th).
    const between = Date.parse('1995-10-25T12:00:00Z');
    expect(londonOffsetMinutes(between)).toBe(0);
    expect(londonOffsetMinutes(between)).toBe(icuOffset(between));
    // 1968–71: British Standard Time, an hour ahead all year.
    const winter1970 = Date.parse('1970-01-15T12:00:00Z');
    expect(londonOffsetMinutes(winter1970)).toBe(icuOffset(winter1970));
    expect(londonOffsetMinutes(winter1970)).toBe(60);
  });

  it('keeps the year of an instant before the year 100, as a date typed with a slip of the year gives', () => {
    // The date boxes take any four-digit year: "0025" for 2025 is stored, and shown, as typed.
    const slip = Date.parse('0025-03-03T12:00:00Z');

    expect(londonWallClock(slip).year).toBe(25);
    expect(formatDate('0025-03-03T12:00:00Z', { weekday: false })).toBe('3 March 25');
  });
});

describe('dates written out without ICU', () => {
  // Every day of three years, at an hour where the London date differs from the UTC date in
  // summer (23:30 UTC) and one where it does not.
  const instants: number[] = [];
  for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2028, 0, 1); ms += DAY_MS) {
    instants.push(ms + 9 * HOUR_MS + 15 * 60_000, ms + 23 * HOUR_MS + 30 * 60_000);
  }

  it('writes every English date as ICU names it, without its comma', () => {
    const wrong = instants.flatMap((ms) => {
      const p = icuDate('en-GB', ms);
      const expected = `${p.weekday} ${p.day} ${p.month} ${p.year}`;
      const written = formatDate(new Date(ms).toISOString());
      return written === expected ? [] : [`${new Date(ms).toISOString()}: ${written} ≠ ${expected}`];
    });
    expect(wrong).toEqual([]);
  });

  it('writes every Welsh date as ICU names it, with a lower-case "dydd"', () => {
    const wrong = instants.flatMap((ms) => {
      const p = icuDate('cy', ms, true);
      const weekday = (p.weekday ?? '').replace(/^Dydd /, 'dydd ');
      const iso = new Date(ms).toISOString();
      const expected = [
        `${weekday} ${p.day} ${p.month} ${p.year}`,
        `${p.day} ${p.month} ${p.year} am ${p.hour}:${p.minute}`,
      ];
      const written = [formatDateCy(iso), formatDateTimeCy(iso)];
      return written.join('|') === expected.join('|') ? [] : [`${iso}: ${written.join(' / ')}`];
    });
    expect(wrong).toEqual([]);
  });

  it('writes the dates of emails and letters as ICU names them, for timestamps and for bare dates', () => {
    const wrong = instants.flatMap((ms) => {
      const iso = new Date(ms).toISOString();
      const date = iso.slice(0, 10);
      const london = icuDate('en-GB', ms);
      const welsh = icuDate('cy', ms);
      // A bare date is that calendar day wherever the reader is.
      const day = icuDate('en-GB', Date.parse(`${date}T12:00:00Z`));
      const expected = [
        `${london.weekday} ${london.day} ${london.month} ${london.year}`,
        `${(welsh.weekday ?? '').replace(/^Dydd /, 'dydd ')} ${welsh.day} ${welsh.month} ${welsh.year}`,
        `${day.weekday} ${day.day} ${day.month} ${day.year}`,
      ];
      const written = [formatLongDate(iso), formatLongDate(iso, 'cy'), formatLongDate(date)];
      return written.join('|') === expected.join('|') ? [] : [`${iso}: ${written.join(' / ')}`];
    });
    expect(wrong).toEqual([]);
  });

  it('writes times of day on the twelve-hour clock, with midday and midnight as words', () => {
    expect(formatDateTime('2026-06-05T13:30:00Z')).toBe('5 June 2026 at 2:30pm');
    expect(formatDateTime('2026-01-05T09:05:00Z')).toBe('5 January 2026 at 9:05am');
    expect(formatDateTime('2026-06-05T11:00:00Z')).toBe('5 June 2026 at midday');
    expect(formatDateTime('2026-06-04T23:00:00Z')).toBe('5 June 2026 at midnight');
    expect(formatDateTime('2026-12-05T00:00:00Z')).toBe('5 December 2026 at midnight');
    expect(formatDateTime('2026-12-05T12:01:00Z')).toBe('5 December 2026 at 12:01pm');
  });

  it('writes a date without its weekday when asked, and leaves what is not a date as it is', () => {
    expect(writtenDate({ year: 2026, month: 6, day: 5, weekday: 5 }, 'en', { weekday: false })).toBe(
      '5 June 2026',
    );
    expect(formatDate('not a date')).toBe('not a date');
    expect(formatDateCy('2026-13-45')).toBe('2026-13-45');
  });
});
