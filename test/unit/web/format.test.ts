import { describe, expect, it } from 'vitest';
import {
  deadlineLabel,
  formatDate,
  formatDateTime,
  formatReceived,
  humanise,
  kindName,
} from '../../../functions/web/format.js';
import { formatReceivedCy } from '../../../functions/web/i18n.js';

describe('formatDate', () => {
  it('writes the end of a summer working day as that London date', () => {
    expect(formatDate('2026-06-05T22:59:59.000Z')).toBe('Friday 5 June 2026');
  });

  it('writes the end of a winter working day as that London date', () => {
    expect(formatDate('2026-01-05T23:59:59.000Z')).toBe('Monday 5 January 2026');
  });

  it('moves to the next London day after midnight in summer time', () => {
    expect(formatDate('2026-06-05T23:30:00.000Z')).toBe('Saturday 6 June 2026');
  });

  it('leaves out the weekday when asked', () => {
    expect(formatDate('2026-06-05T12:00:00Z', { weekday: false })).toBe('5 June 2026');
  });

  it('returns an unreadable value unchanged', () => {
    expect(formatDate('not a date')).toBe('not a date');
  });
});

describe('formatDateTime', () => {
  it.each([
    ['2026-01-05T13:30:00Z', '5 January 2026 at 1:30pm'],
    ['2026-06-01T10:00:00Z', '1 June 2026 at 11:00am'],
    ['2026-01-05T12:00:00Z', '5 January 2026 at midday'],
    ['2026-01-05T00:00:00Z', '5 January 2026 at midnight'],
    ['2026-07-05T11:05:00Z', '5 July 2026 at 12:05pm'],
  ])('writes %s as %s', (iso, text) => {
    expect(formatDateTime(iso)).toBe(text);
  });
});

describe('labels', () => {
  it('humanises keys without a label', () => {
    expect(humanise('stage2RequestBy')).toBe('Stage 2 request by');
    expect(humanise('case-received')).toBe('Case received');
    expect(deadlineLabel('somethingNewBy')).toBe('Something new by');
  });

  it('names a representation for residents', () => {
    expect(kindName('representation')).toBe('concern about a council policy');
  });
});

describe('formatReceived', () => {
  // 1 July 2026 with no time: the start of that London day, 23:00 UTC on 30 June.
  const untimed = { receivedAt: '2026-06-30T23:00:00.000Z', receivedDateOnly: true as const };

  it('writes a date received with no time as that London date alone', () => {
    expect(formatReceived(untimed)).toBe('1 July 2026');
    expect(formatReceivedCy(untimed)).toBe('1 Gorffennaf 2026');
  });

  it('writes the time of one received with a time, and of a case stored before the marker', () => {
    expect(formatReceived({ receivedAt: '2026-06-30T23:00:00.000Z' })).toBe('1 July 2026 at midnight');
    expect(formatReceivedCy({ receivedAt: '2026-07-01T13:30:00.000Z' })).toBe('1 Gorffennaf 2026 am 14:30');
  });
});
