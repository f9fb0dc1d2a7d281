import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  bankHolidays,
  CalendarError,
  calendarFor,
  endOfLondonDay,
  InvalidDateError,
  isWorkingDay,
  londonDate,
  startOfLondonDay,
  workingDaysBetween,
} from '../../functions/domain/calendar.js';
import { NATIONS, type Nation } from '../../functions/domain/types.js';
import { makePolicy } from '../support/policy-fixture.js';

/** Copies of GOV.UK's bank-holidays.json (see test/fixtures/bank-holidays/README.md), newest first. */
const GOV_UK_COPIES = [
  'dmossop-bank-holidays-data.json', // 2019–2027
  'mykeeper-biz-hot-test.json', // 2015–2021
  'plawtr-week-9-test.json', // 2012–2015
] as const;

interface GovUkFeed {
  [division: string]: { division: string; events: { title: string; date: string; notes: string }[] };
}

function loadCopy(name: string): GovUkFeed {
  return JSON.parse(
    readFileSync(new URL(`../fixtures/bank-holidays/${name}`, import.meta.url), 'utf8'),
  ) as GovUkFeed;
}

/** Dates per nation and year, in date order, from one copy. */
function byNationAndYear(feed: GovUkFeed): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const nation of NATIONS) {
    for (const event of feed[nation]?.events ?? []) {
      const key = `${nation} ${event.date.slice(0, 4)}`;
      out.set(key, [...(out.get(key) ?? []), event.date]);
    }
  }
  for (const dates of out.values()) dates.sort();
  return out;
}

const copies = GOV_UK_COPIES.map((name) => ({ name, dates: byNationAndYear(loadCopy(name)) }));

/**
 * GOV.UK's published dates for a nation and year, from the newest copy that has that year (an
 * older copy can predate a later proclamation, so the newest one wins).
 */
function published(nation: Nation, year: number): { dates: string[]; from: string } | undefined {
  for (const copy of copies) {
    const dates = copy.dates.get(`${nation} ${year}`);
    if (dates) return { dates, from: copy.name };
  }
  return undefined;
}

const YEARS_PUBLISHED = Array.from({ length: 2027 - 2012 + 1 }, (_, i) => 2012 + i);
const cases = NATIONS.flatMap((nation) => YEARS_PUBLISHED.map((year) => [nation, year] as const));

describe('bankHolidays', () => {
  it.each(cases)('matches GOV.UK’s published list for %s in %i', (nation, year) => {
    // Prepare
    const expected = published(nation, year);

    // Act
    const actual = bankHolidays(year, nation);

    // Assess
    expect(expected, `no copy of GOV.UK's feed covers ${nation} ${year}`).toBeDefined();
    expect(actual).toEqual(expected?.dates);
  });

  it('has copies of the feed that agree with one another where they overlap', () => {
    // Prepare
    const disagreements: string[] = [];

    // Act
    for (const a of copies) {
      for (const b of copies) {
        if (a.name >= b.name) continue;
        for (const [key, dates] of a.dates) {
          const other = b.dates.get(key);
          if (other && other.join() !== dates.join()) disagreements.push(`${key}: ${a.name} vs ${b.name}`);
        }
      }
    }

    // Assess
    expect(disagreements).toEqual([]);
  });

  it('defaults to England and Wales', () => {
    expect(bankHolidays(2026)).toEqual(bankHolidays(2026, 'england-and-wales'));
  });

  // Years after the published list, worked out by hand from the rules.
  it.each([
    // 1 Jan 2028 is a Saturday → Monday 3 Jan; Easter Sunday 16 April; 1 May a Monday;
    // last Mondays 29 May and 28 August; Christmas on a Monday.
    [
      2028,
      'england-and-wales',
      [
        '2028-01-03',
        '2028-04-14',
        '2028-04-17',
        '2028-05-01',
        '2028-05-29',
        '2028-08-28',
        '2028-12-25',
        '2028-12-26',
      ],
    ],
    // 1 and 2 January 2028 are Saturday and Sunday → Monday 3 and Tuesday 4; first Monday of August
    // is the 7th; St Andrew's Day is a Thursday.
    [
      2028,
      'scotland',
      [
        '2028-01-03',
        '2028-01-04',
        '2028-04-14',
        '2028-05-01',
        '2028-05-29',
        '2028-08-07',
        '2028-11-30',
        '2028-12-25',
        '2028-12-26',
      ],
    ],
    // St Patrick's Day 2029 is a Saturday → Monday 19 March; Easter Sunday 1 April; 12 July a Thursday.
    [
      2029,
      'northern-ireland',
      [
        '2029-01-01',
        '2029-03-19',
        '2029-03-30',
        '2029-04-02',
        '2029-05-07',
        '2029-05-28',
        '2029-07-12',
        '2029-08-27',
        '2029-12-25',
        '2029-12-26',
      ],
    ],
    // Christmas Day 2032 is a Saturday → Monday 27 and Tuesday 28 December; Easter Sunday 28 March.
    [
      2032,
      'england-and-wales',
      [
        '2032-01-01',
        '2032-03-26',
        '2032-03-29',
        '2032-05-03',
        '2032-05-31',
        '2032-08-30',
        '2032-12-27',
        '2032-12-28',
      ],
    ],
  ] as const)('follows the rules in %i for %s', (year, nation, expected) => {
    expect(bankHolidays(year, nation)).toEqual(expected);
  });

  it.each([
    ['2030-12-02', 'scotland', 'St Andrew’s Day 2030 is a Saturday'],
    ['2031-07-14', 'northern-ireland', 'the Battle of the Boyne 2031 is on a Saturday'],
    ['2033-12-27', 'england-and-wales', 'Christmas Day 2033 is a Sunday (Boxing Day stays on Monday 26th)'],
    ['2035-03-23', 'england-and-wales', 'Easter Sunday 2035 is 25 March (Good Friday)'],
  ] as const)('has the substitute or moving day %s in %s because %s', (date, nation, _why) => {
    expect(bankHolidays(Number(date.slice(0, 4)), nation)).toContain(date);
  });

  it('throws a RangeError for a year it cannot place', () => {
    expect(() => bankHolidays(12.5)).toThrow(RangeError);
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2026-03-06', true, 'a Friday'],
    ['2026-03-07', false, 'a Saturday'],
    ['2026-03-08', false, 'a Sunday'],
    ['2026-04-03', false, 'Good Friday'],
    ['2026-04-06', false, 'Easter Monday'],
    ['2026-12-28', false, 'the Boxing Day substitute'],
    ['2026-12-29', true, 'the Tuesday after Christmas'],
  ] as const)('answers %s → %s for %s in England and Wales', (date, expected, _what) => {
    expect(isWorkingDay(date)).toBe(expected);
  });

  it('treats Christmas Day and Good Friday as closed in every nation', () => {
    for (const nation of NATIONS) {
      expect(isWorkingDay('2025-12-25', nation)).toBe(false);
      expect(isWorkingDay('2026-04-03', nation)).toBe(false);
    }
  });

  it('keeps Easter Monday a working day in Scotland', () => {
    expect(isWorkingDay('2026-04-06', 'scotland')).toBe(true);
    expect(isWorkingDay('2026-04-06', 'northern-ireland')).toBe(false);
  });

  it('closes the nation’s own days', () => {
    expect(isWorkingDay('2026-01-02', 'scotland')).toBe(false);
    expect(isWorkingDay('2026-01-02', 'england-and-wales')).toBe(true);
    expect(isWorkingDay('2026-11-30', 'scotland')).toBe(false);
    expect(isWorkingDay('2026-03-17', 'northern-ireland')).toBe(false);
    expect(isWorkingDay('2026-07-13', 'northern-ireland')).toBe(false);
    expect(isWorkingDay('2026-07-13', 'scotland')).toBe(true);
  });

  it('closes extra closure days', () => {
    expect(isWorkingDay('2026-12-24', 'england-and-wales', ['2026-12-24'])).toBe(false);
    expect(isWorkingDay('2026-12-23', 'england-and-wales', ['2026-12-24'])).toBe(true);
  });

  it.each(['2026-02-30', '2026-2-3', '26-01-01', '', 'yesterday'])(
    'throws InvalidDateError for %j',
    (date) => {
      expect(() => isWorkingDay(date)).toThrow(InvalidDateError);
    },
  );

  it('names the bad closure day', () => {
    expect(() => isWorkingDay('2026-01-05', 'england-and-wales', ['2026-13-01'])).toThrow(
      /2026-13-01.*closure days/,
    );
  });
});

describe('addWorkingDays', () => {
  it.each([
    // Received on a Saturday: Monday 9 March is day 1.
    ['2026-03-07', 1, 'england-and-wales', '2026-03-09'],
    // Received on a Monday: Tuesday is day 1.
    ['2026-03-09', 1, 'england-and-wales', '2026-03-10'],
    // Saturday 7 March: 9–13 (1–5), 16–20 (6–10).
    ['2026-03-07', 5, 'england-and-wales', '2026-03-13'],
    ['2026-03-07', 10, 'england-and-wales', '2026-03-20'],
    // Northern Ireland loses Tuesday 17 March (St Patrick's Day): 16, 18, 19, 20, 23 → day 10 is Monday 23.
    ['2026-03-07', 10, 'northern-ireland', '2026-03-23'],
    // 9–13, 16–20, 23–27 (15), 30, 31, 1, 2 April (19), Good Friday and Easter Monday closed → Tue 7 April.
    ['2026-03-07', 20, 'england-and-wales', '2026-04-07'],
    // Received on 23 December 2026: Thu 24 (1); Fri 25 Christmas, Mon 28 Boxing Day substitute;
    // Tue 29 (2), Wed 30 (3), Thu 31 (4); Fri 1 January closed; Mon 4 January (5).
    ['2026-12-23', 1, 'england-and-wales', '2026-12-24'],
    ['2026-12-23', 2, 'england-and-wales', '2026-12-29'],
    ['2026-12-23', 5, 'england-and-wales', '2027-01-04'],
    // …then 5–8 (6–9), 11–15 (10–14), 18–22 (15–19), Mon 25 January (20).
    ['2026-12-23', 20, 'england-and-wales', '2027-01-25'],
    // Scotland also closes Monday 4 January 2027 (2 January falls on a Saturday): day 5 is Tuesday 5.
    ['2026-12-23', 5, 'scotland', '2027-01-05'],
    // Maundy Thursday 2 April 2026: Good Friday, the weekend and Easter Monday are closed → Tue 7 (1).
    ['2026-04-02', 1, 'england-and-wales', '2026-04-07'],
    ['2026-04-02', 5, 'england-and-wales', '2026-04-13'],
    ['2026-04-02', 10, 'england-and-wales', '2026-04-20'],
    // Scotland works on Easter Monday.
    ['2026-04-02', 1, 'scotland', '2026-04-06'],
  ] as const)('counts from %s plus %i working days in %s to %s', (date, days, nation, expected) => {
    expect(addWorkingDays(date, days, nation)).toBe(expected);
  });

  it('returns the date itself for 0 days on a working day, else the next working day', () => {
    expect(addWorkingDays('2026-03-09', 0)).toBe('2026-03-09');
    expect(addWorkingDays('2026-03-07', 0)).toBe('2026-03-09');
    expect(addWorkingDays('2026-12-25', 0)).toBe('2026-12-29');
  });

  it('counts backwards for negative days', () => {
    expect(addWorkingDays('2026-04-07', -1)).toBe('2026-04-02');
    expect(addWorkingDays('2026-03-09', -1)).toBe('2026-03-06');
    expect(addWorkingDays('2027-01-04', -2)).toBe('2026-12-30');
  });

  it('skips extra closure days', () => {
    // Closed on 24 December too: Tue 29 December becomes day 1.
    expect(addWorkingDays('2026-12-23', 1, 'england-and-wales', ['2026-12-24'])).toBe('2026-12-29');
    expect(addWorkingDays('2026-12-23', 5, 'england-and-wales', ['2026-12-24', '2026-12-29'])).toBe(
      '2027-01-06',
    );
  });

  it('throws CalendarError for a fractional number of days', () => {
    expect(() => addWorkingDays('2026-03-09', 1.5)).toThrow(CalendarError);
  });

  it('throws CalendarError instead of walking for ever when nothing is open', () => {
    const everyDay = Array.from({ length: 400 }, (_, i) =>
      new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
    );
    expect(() => addWorkingDays('2025-12-31', 1, 'england-and-wales', everyDay)).toThrow(
      /No working day within/,
    );
  });
});

describe('addWorkingDays properties', () => {
  const DAY_MS = 86_400_000;
  const FIRST = Date.UTC(2012, 0, 1) / DAY_MS;
  const LAST = Date.UTC(2035, 11, 31) / DAY_MS - 600;
  const dateArb = fc
    .integer({ min: FIRST, max: LAST })
    .map((d) => new Date(d * DAY_MS).toISOString().slice(0, 10));
  const nationArb = fc.constantFrom(...NATIONS);
  const daysArb = fc.integer({ min: 1, max: 300 });

  it('lands on a working day strictly after the start', () => {
    fc.assert(
      fc.property(dateArb, daysArb, nationArb, (date, days, nation) => {
        const result = addWorkingDays(date, days, nation);
        return isWorkingDay(result, nation) && result > date;
      }),
    );
  });

  it('adds in steps: d + (a + b) = (d + a) + b', () => {
    fc.assert(
      fc.property(dateArb, daysArb, daysArb, nationArb, (date, a, b, nation) => {
        return (
          addWorkingDays(date, a + b, nation) === addWorkingDays(addWorkingDays(date, a, nation), b, nation)
        );
      }),
    );
  });

  it('counts exactly the days added between the start and the result', () => {
    fc.assert(
      fc.property(dateArb, daysArb, nationArb, (date, days, nation) => {
        return workingDaysBetween(date, addWorkingDays(date, days, nation), nation) === days;
      }),
    );
  });

  it('is monotonic in the days and in the start date', () => {
    fc.assert(
      fc.property(dateArb, dateArb, daysArb, daysArb, nationArb, (d1, d2, a, b, nation) => {
        const [early, late] = d1 <= d2 ? [d1, d2] : [d2, d1];
        const [few, many] = a <= b ? [a, b] : [b, a];
        return (
          addWorkingDays(early, few, nation) <= addWorkingDays(early, many, nation) &&
          addWorkingDays(early, few, nation) <= addWorkingDays(late, few, nation)
        );
      }),
    );
  });

  it('counts back to a working day strictly before the start, and workingDaysBetween agrees', () => {
    fc.assert(
      fc.property(dateArb, daysArb, nationArb, (date, days, nation) => {
        const result = addWorkingDays(date, -days, nation);
        return (
          isWorkingDay(result, nation) && result < date && workingDaysBetween(date, result, nation) === -days
        );
      }),
    );
  });

  it('skips every closure day it is given', () => {
    fc.assert(
      fc.property(dateArb, daysArb, fc.array(dateArb, { maxLength: 20 }), (date, days, closures) => {
        const result = addWorkingDays(date, days, 'england-and-wales', closures);
        return (
          !closures.includes(result) &&
          workingDaysBetween(date, result, 'england-and-wales', closures) === days
        );
      }),
    );
  });
});

describe('workingDaysBetween', () => {
  it('counts working days after the start up to and including the end', () => {
    expect(workingDaysBetween('2026-03-07', '2026-03-09')).toBe(1);
    expect(workingDaysBetween('2026-03-09', '2026-03-09')).toBe(0);
    expect(workingDaysBetween('2026-12-23', '2027-01-04')).toBe(5);
  });

  it('is negative when the end is before the start', () => {
    expect(workingDaysBetween('2026-03-09', '2026-03-06')).toBe(-1);
    expect(workingDaysBetween('2027-01-04', '2026-12-23')).toBe(-5);
  });
});

describe('londonDate', () => {
  it.each([
    // 23:30 UTC on Sunday 7 June 2026 is 00:30 BST on Monday 8 June.
    ['2026-06-07T23:30:00Z', '2026-06-08'],
    // In winter London is on UTC.
    ['2026-01-04T23:30:00Z', '2026-01-04'],
    ['2026-06-07T23:30:00+01:00', '2026-06-07'],
    ['2026-06-08T01:00:00+05:30', '2026-06-07'],
    // BST starts at 01:00 UTC on 29 March 2026; ends at 01:00 UTC on 25 October 2026.
    ['2026-03-28T23:59:59Z', '2026-03-28'],
    ['2026-10-24T23:00:00Z', '2026-10-25'],
    ['2026-10-25T23:00:00Z', '2026-10-25'],
    // A bare date, and a wall-clock time without an offset (read as London time).
    ['2026-06-07', '2026-06-07'],
    ['2026-06-07T23:30:00', '2026-06-07'],
  ])('places %s on %s', (iso, expected) => {
    expect(londonDate(iso)).toBe(expected);
  });

  it.each(['not a date', '2026-06-07T25:00:00Z', '2026-02-30T10:00:00Z'])(
    'throws InvalidDateError for %j',
    (iso) => {
      expect(() => londonDate(iso)).toThrow(InvalidDateError);
    },
  );
});

describe('endOfLondonDay', () => {
  it.each([
    ['2026-01-15', '2026-01-15T23:59:59.000Z'],
    ['2026-06-15', '2026-06-15T22:59:59.000Z'],
    // The clocks go forward on Sunday 29 March 2026: that evening is already BST.
    ['2026-03-28', '2026-03-28T23:59:59.000Z'],
    ['2026-03-29', '2026-03-29T22:59:59.000Z'],
    // The clocks go back on Sunday 25 October 2026: that evening is GMT again.
    ['2026-10-24', '2026-10-24T22:59:59.000Z'],
    ['2026-10-25', '2026-10-25T23:59:59.000Z'],
  ])('ends %s at %s', (date, expected) => {
    expect(endOfLondonDay(date)).toBe(expected);
  });

  it('is on the same London date it was asked for', () => {
    fc.assert(
      fc.property(fc.integer({ min: 15_000, max: 24_000 }), (n) => {
        const date = new Date(n * 86_400_000).toISOString().slice(0, 10);
        return londonDate(endOfLondonDay(date)) === date && londonDate(startOfLondonDay(date)) === date;
      }),
    );
  });
});

describe('startOfLondonDay', () => {
  it('starts at midnight London time across the clock changes', () => {
    expect(startOfLondonDay('2026-03-29')).toBe('2026-03-29T00:00:00.000Z');
    expect(startOfLondonDay('2026-03-30')).toBe('2026-03-29T23:00:00.000Z');
    expect(startOfLondonDay('2026-10-25')).toBe('2026-10-24T23:00:00.000Z');
    expect(startOfLondonDay('2026-10-26')).toBe('2026-10-26T00:00:00.000Z');
  });
});

describe('calendarFor', () => {
  it('uses the policy’s nation', () => {
    // Prepare
    const calendar = calendarFor(makePolicy({ calendar: { nation: 'scotland' } }));

    // Act
    const easterMonday = calendar.isWorkingDay('2026-04-06');

    // Assess
    expect(calendar.nation).toBe('scotland');
    expect(easterMonday).toBe(true);
    expect(calendar.addWorkingDays('2026-12-23', 5)).toBe('2027-01-05');
  });

  it('follows a policy whose calendar was changed in place since it was last asked', () => {
    // Prepare
    const policy = makePolicy({ calendar: { closureDays: [] } });
    const before = calendarFor(policy).addWorkingDays('2026-12-23', 1);

    // Act
    policy.calendar.closureDays?.push('2026-12-24');
    const after = calendarFor(policy).addWorkingDays('2026-12-23', 1);

    // Assess
    expect(before).toBe('2026-12-24');
    expect(after).toBe('2026-12-29');
  });

  it('follows a policy whose closure day or nation was replaced in place since it was last asked', () => {
    // Prepare
    const policy = makePolicy({ calendar: { closureDays: ['2026-12-24'] } });
    const before = calendarFor(policy).addWorkingDays('2026-12-23', 1);

    // Act
    (policy.calendar.closureDays as string[])[0] = '2026-12-29';
    const moved = calendarFor(policy).addWorkingDays('2026-12-23', 2);
    policy.calendar.nation = 'scotland';
    const scottish = calendarFor(policy).isWorkingDay('2026-04-06');

    // Assess
    expect(before).toBe('2026-12-29');
    expect(moved).toBe('2026-12-30');
    expect(scottish).toBe(true);
  });

  it('refuses a date that is not real however often a real one was asked about', () => {
    // Prepare
    const calendar = calendarFor(makePolicy({}));
    calendar.addWorkingDays('2026-02-27', 1);

    // Act
    const bad = () => calendar.addWorkingDays('2026-02-30', 1);

    // Assess
    expect(bad).toThrow(InvalidDateError);
  });

  it('closes the council’s closure days', () => {
    // Prepare
    const calendar = calendarFor(makePolicy({ calendar: { closureDays: ['2026-12-24', '2026-12-29'] } }));

    // Act
    const day1 = calendar.addWorkingDays('2026-12-23', 1);

    // Assess
    expect(day1).toBe('2026-12-30');
    expect(calendar.workingDaysBetween('2026-12-23', '2026-12-31')).toBe(2);
  });

  it('adds extra bank holidays and removes removed ones, but never opens Christmas Day or Good Friday', () => {
    // Prepare
    const calendar = calendarFor(
      makePolicy({
        calendar: {
          extraBankHolidays: ['2026-06-05'],
          removedBankHolidays: ['2026-05-25', '2026-12-25', '2026-04-03'],
        },
      }),
    );

    // Act
    const holidays = calendar.bankHolidays(2026);

    // Assess
    expect(calendar.isWorkingDay('2026-06-05')).toBe(false);
    expect(calendar.isWorkingDay('2026-05-25')).toBe(true);
    expect(calendar.isWorkingDay('2026-12-25')).toBe(false);
    expect(calendar.isWorkingDay('2026-04-03')).toBe(false);
    expect(holidays).toContain('2026-06-05');
    expect(holidays).not.toContain('2026-05-25');
    expect(holidays).toEqual([...holidays].sort());
  });

  it('gives the same answers as the plain functions for a policy with no changes', () => {
    const calendar = calendarFor(makePolicy());
    expect(calendar.addWorkingDays('2026-04-02', 10)).toBe(addWorkingDays('2026-04-02', 10));
    expect(calendar.bankHolidays(2027)).toEqual(bankHolidays(2027));
  });
});
