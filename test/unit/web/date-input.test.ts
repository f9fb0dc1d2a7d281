import { describe, expect, it } from 'vitest';
import { dateParts, readDateInput } from '../../../functions/web/date-input.js';

describe('readDateInput', () => {
  const read = (day: string, month: string, year: string) =>
    readDateInput({ 'd-day': day, 'd-month': month, 'd-year': year }, 'd', 'start date');

  it('reads numbers and month names into a calendar date', () => {
    expect(read('7', '2', '2025')).toEqual({ ok: true, date: '2025-02-07' });
    expect(read(' 07 ', 'Feb', '2025')).toEqual({ ok: true, date: '2025-02-07' });
    expect(read('29', 'february', '2024')).toEqual({ ok: true, date: '2024-02-29' });
  });

  it('keeps a year below 1000 as the four numbers typed, for the page to judge', () => {
    // "0025" for 2025 is a date of its own, not 1925, nor a date written "25-03-03".
    expect(read('3', '3', '0025')).toEqual({ ok: true, date: '0025-03-03' });
    // The year 0 was a leap year in the calendar dates are written in; 1900 was not.
    expect(read('29', '2', '0000')).toEqual({ ok: true, date: '0000-02-29' });
  });

  it('says which box is wrong, in the words of the GOV.UK pattern', () => {
    expect(read('', '', '')).toEqual({
      ok: false,
      error: 'Enter the start date',
      parts: ['day', 'month', 'year'],
    });
    expect(read('1', '', '')).toEqual({
      ok: false,
      error: 'The start date must include a month and year',
      parts: ['month', 'year'],
    });
    expect(read('29', '2', '2025')).toMatchObject({ ok: false, parts: ['day'] });
    expect(read('1', 'Smarch', '2025')).toMatchObject({ ok: false, parts: ['month'] });
    expect(read('1', '2', '25')).toMatchObject({ ok: false, parts: ['year'] });
    expect(read('1.5', '2', '2025')).toMatchObject({ ok: false, parts: ['day'] });
  });

  it('reports nothing when the boxes were not sent', () => {
    expect(readDateInput({ from: '2025-04-01' }, 'from', 'start date')).toEqual({ ok: 'absent' });
  });
});

describe('dateParts', () => {
  it('fills the boxes from a calendar date, and leaves them empty for anything else', () => {
    expect(dateParts('2025-04-01')).toEqual({ day: '1', month: '4', year: '2025' });
    expect(dateParts('yesterday')).toEqual({ day: '', month: '', year: '' });
  });
});
