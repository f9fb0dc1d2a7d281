import { describe, expect, it } from 'vitest';
import { readClock } from '../../functions/domain/case-clock.js';
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
