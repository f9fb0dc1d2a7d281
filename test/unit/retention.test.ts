import { describe, expect, it } from 'vitest';
import { retentionEnd, retentionEndDay, retentionRules } from '../../functions/domain/retention.js';

describe('retentionEnd', () => {
  it('keeps the London wall-clock time, whatever the clocks do between', () => {
    // 23:59 GMT on the day the clocks went back; six years on that day is in summer time.
    expect(retentionEnd('2026-10-25T23:59:00.000Z', 6).toISOString()).toBe('2032-10-25T22:59:00.000Z');
    expect(retentionEnd('2026-06-30T15:00:00.000Z', 2).toISOString()).toBe('2028-06-30T15:00:00.000Z');
  });

  it('ends on 28 February for a closure on 29 February, unless the years land on a leap year', () => {
    expect(retentionEndDay('2028-02-29T10:00:00.000Z', 2)).toBe('2030-02-28');
    expect(retentionEndDay('2028-02-29T10:00:00.000Z', 4)).toBe('2032-02-29');
    // 2100 is not a leap year.
    expect(retentionEndDay('2096-02-29T10:00:00.000Z', 4)).toBe('2100-02-28');
  });

  it('counts from the London day of a closure just after midnight in summer', () => {
    expect(retentionEndDay('2027-05-31T23:30:00.000Z', 2)).toBe('2029-06-01');
  });

  it('keeps seconds and milliseconds, so the end is never before the closure’s anniversary', () => {
    expect(retentionEnd('2027-03-01T10:00:59.999Z', 6).toISOString()).toBe('2033-03-01T10:00:59.999Z');
  });

  it('refuses a closure that is not a timestamp', () => {
    expect(() => retentionEnd('not a date', 2)).toThrow(RangeError);
    expect(() => retentionEnd('', 2)).toThrow(RangeError);
  });
});

describe('retentionRules', () => {
  it('gives each class a backstop in days no shorter than the longest span of its calendar years', () => {
    for (const years of [1, 2, 3, 6, 7, 10]) {
      const [rule] = retentionRules({ retention: { closedYears: years, ombudsmanYears: years } });
      // A closure each week from 1996 to 2104: ordinary leap years, and 2100, which is not one.
      for (let day = Date.UTC(1996, 0, 1); day < Date.UTC(2104, 0, 1); day += 86_400_000 * 7) {
        const closed = new Date(day + 43_200_000).toISOString();
        const spanDays = (retentionEnd(closed, years).getTime() - Date.parse(closed)) / 86_400_000;
        expect(rule?.expireAfterDays).toBeGreaterThan(spanDays + 7);
      }
    }
  });
});
