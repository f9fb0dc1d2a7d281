import { describe, expect, it } from 'vitest';
import {
  furtherHoldingLetterAt,
  holdingLetterNewDate,
  holdingLetterPromise,
  readClock,
} from '../../functions/domain/case-clock.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { openCase } from '../support/open-case.js';

const policy = loadPolicy('lgsco-code-2024');
// Investigating, the officer reminded already; the response due by the end of Monday 23 March 2026.
const received = openCase('case-1', { status: 'investigating' });
const c = { ...received, progress: { stage1: { ...received.progress.stage1, reminded: true } } };
const respondBy = c.deadlines.respondBy as string;
const morningOfTheDeadline = new Date('2026-03-23T09:00:00Z');
const afterTheDeadline = new Date(Date.parse(respondBy) + 60_000);

describe('the response clock and holding letters', () => {
  it('answers holding on the deadline’s own day to a workflow that has a state for it', () => {
    expect(readClock(policy, c, 'respond', morningOfTheDeadline, { holdingLetters: true }).due).toBe(
      'holding',
    );
  });

  it('never answers holding to an execution started on an older definition, which sent it at the deadline', () => {
    expect(readClock(policy, c, 'respond', morningOfTheDeadline).due).toBe('none');
    expect(readClock(policy, c, 'respond', afterTheDeadline).due).toBe('deadline');
  });

  it('answers the deadline once the holding letter for it went', () => {
    const told = { ...c, progress: { stage1: { ...c.progress.stage1, holdingLetterFor: respondBy } } };

    expect(readClock(policy, told, 'respond', afterTheDeadline, { holdingLetters: true }).due).toBe(
      'deadline',
    );
  });
});

describe('a wake-up that could not do what was due', () => {
  it('passes over the reminder it could not send to the holding letter due with it, then over both to the escalation', () => {
    // Not yet reminded, on the deadline's day: the reminder comes first, the holding letter after it.
    const notReminded = received;
    const options = { holdingLetters: true };

    expect(readClock(policy, notReminded, 'respond', morningOfTheDeadline, options).due).toBe('remind');
    expect(
      readClock(policy, notReminded, 'respond', morningOfTheDeadline, { ...options, passing: ['remind'] })
        .due,
    ).toBe('holding');
    expect(
      readClock(policy, notReminded, 'respond', afterTheDeadline, { ...options, passing: ['holding'] }).due,
    ).toBe('deadline');
    expect(
      readClock(policy, notReminded, 'respond', afterTheDeadline, {
        ...options,
        passing: ['holding', 'deadline'],
      }).due,
    ).toBe('none');
  });
});

describe('the date a holding letter committed to', () => {
  // The letter went on the deadline's day and committed to the next escalation: five working
  // days after Monday 23 March 2026, the end of Monday 30 March.
  const promised = '2026-03-30T22:59:59.000Z';
  const told = {
    ...c,
    progress: {
      stage1: { ...c.progress.stage1, holdingLetterFor: respondBy, holdingLetterPromised: promised },
    },
  };
  const escalated = { ...told, progress: { stage1: { ...told.progress.stage1, escalations: 1 } } };

  it('wakes the workflow when that date passes, and not before', () => {
    const before = new Date('2026-03-30T09:00:00Z');
    const reading = readClock(policy, escalated, 'respond', before, { holdingLetters: true });

    expect(reading.due).toBe('none');
    expect(before.getTime() + reading.waitSeconds * 1000).toBe(Date.parse(promised));
  });

  it('answers holding once it has passed, before the escalation due at the same moment', () => {
    const after = new Date(Date.parse(promised) + 60_000);

    expect(readClock(policy, escalated, 'respond', after, { holdingLetters: true }).due).toBe('holding');
    expect(readClock(policy, escalated, 'respond', after).due).toBe('overdue');
  });

  it('takes a letter recorded without its date to have committed to one escalation interval on', () => {
    const { holdingLetterPromised: _none, ...legacy } = escalated.progress.stage1;
    const old = { ...escalated, progress: { stage1: legacy } };

    expect(holdingLetterPromise(policy, legacy, respondBy)).toBe(promised);
    expect(
      readClock(policy, old, 'respond', new Date('2026-03-30T09:00:00Z'), { holdingLetters: true }).due,
    ).toBe('none');
    expect(
      readClock(policy, old, 'respond', new Date(Date.parse(promised) + 60_000), { holdingLetters: true })
        .due,
    ).toBe('holding');
  });

  it('is not chased once an extension moves the deadline it was about', () => {
    const extended = {
      ...escalated,
      progress: { stage1: { ...escalated.progress.stage1, extensionDays: 10, escalations: 0 } },
    };
    const after = new Date(Date.parse(promised) + 60_000);

    expect(holdingLetterPromise(policy, extended.progress.stage1, respondBy)).toBe(promised);
    expect(readClock(policy, extended, 'respond', after, { holdingLetters: true }).due).toBe('none');
  });
});

describe('a further holding letter by post', () => {
  // The first letter went two working days before Monday 23 March and committed to Monday 30 March.
  const promised = '2026-03-30T22:59:59.000Z';
  const byPost = {
    ...c,
    complainant: { name: 'Grace Hopper', address: '12 Mill Lane\nExampletown\nEX1 2AB' },
    progress: {
      stage1: {
        ...c.progress.stage1,
        holdingLetterFor: respondBy,
        holdingLetterPromised: promised,
        escalations: 1,
      },
    },
  };
  const byEmail = { ...byPost, complainant: { name: 'Ada Lovelace', email: 'ada@example.com' } };
  const thursdayBefore = '2026-03-26T00:00:00.000Z';

  it('goes two working days before the date the last letter gave, as the first did, so it arrives by then', () => {
    const before = new Date('2026-03-25T12:00:00Z');
    const reading = readClock(policy, byPost, 'respond', before, { holdingLetters: true });

    expect(furtherHoldingLetterAt(policy, byPost, promised)).toBe(thursdayBefore);
    expect(reading.due).toBe('none');
    expect(before.getTime() + reading.waitSeconds * 1000).toBe(Date.parse(thursdayBefore));
    expect(
      readClock(policy, byPost, 'respond', new Date('2026-03-26T09:00:00Z'), { holdingLetters: true }).due,
    ).toBe('holding');
  });

  it('goes by email once that date has passed, with the escalation', () => {
    expect(furtherHoldingLetterAt(policy, byEmail, promised)).toBe(promised);
  });

  it('commits to the escalation after the date it quotes, never that date', () => {
    // Five working days on from Monday 30 March, past Good Friday and Easter Monday.
    expect(holdingLetterNewDate(policy, byPost, respondBy, new Date(thursdayBefore), promised)).toBe(
      '2026-04-08T22:59:59.000Z',
    );
  });

  it('written on the last day it could arrive by the next escalation, commits to the one after: a letter about that date would be due at once', () => {
    // Thursday 26 March by post arrives by Monday 30 March, but a letter about 30 March has to be
    // posted that same Thursday (`furtherHoldingLetterAt`): promising 30 March would send the
    // resident two letters together, one with that date and one putting it off.
    const thursday = new Date('2026-03-26T09:00:00Z');

    expect(holdingLetterNewDate(policy, byPost, respondBy, thursday)).toBe('2026-04-08T22:59:59.000Z');
    expect(furtherHoldingLetterAt(policy, byPost, '2026-04-08T22:59:59.000Z') > thursday.toISOString()).toBe(
      true,
    );
  });

  it('written too late to arrive by the next escalation, commits to the one after', () => {
    // Written on Friday 27 March (a clock read late), it cannot arrive by Monday 30 March.
    const friday = new Date('2026-03-27T09:00:00Z');

    expect(holdingLetterNewDate(policy, byPost, respondBy, friday)).toBe('2026-04-08T22:59:59.000Z');
    expect(holdingLetterNewDate(policy, byEmail, respondBy, friday)).toBe(promised);
  });
});
