import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../functions/domain/case.js';
import {
  deriveDeadlines,
  MAX_WAIT_SECONDS,
  readClock,
  sameDeadlines,
} from '../../functions/domain/case-clock.js';
import { makePolicy } from '../support/policy-fixture.js';

const RECEIVED = '2026-03-02T09:00:00.000Z'; // a Monday

function complaint(overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    caseId: 'case-1',
    reference: 'CMP-2026-000001',
    kind: 'complaint',
    submittedKind: 'complaint',
    status: 'received',
    stage: 1,
    policyId: 'test',
    summary: 'x',
    complainant: { name: 'Ada', email: 'ada@example.com' },
    anonymous: false,
    channel: 'online',
    receivedAt: RECEIVED,
    createdAt: RECEIVED,
    updatedAt: RECEIVED,
    triage: { route: 'needs-consent', reasons: [] },
    deadlines: {},
    progress: { stage1: { startedAt: RECEIVED } },
    version: 1,
    ...overrides,
  };
}

describe('readClock for a chased wait', () => {
  const policy = makePolicy();
  const waiting = complaint({ waits: { consent: { since: RECEIVED } } });

  it("derives the wait's deadline from the policy and reminds the day before", () => {
    // 20 working days from Monday 2 March 2026.
    expect(deriveDeadlines(policy, waiting).consentBy).toBe('2026-03-30T22:59:59.000Z');
    expect(readClock(policy, waiting, 'consent', new Date('2026-03-27T09:00:00Z')).due).toBe('remind');
  });

  it('escalates when it falls due, then again after the policy’s interval', () => {
    expect(readClock(policy, waiting, 'consent', new Date('2026-03-31T09:00:00Z')).due).toBe('deadline');
    const escalated = complaint({ waits: { consent: { since: RECEIVED, reminded: true, escalations: 1 } } });
    expect(readClock(policy, escalated, 'consent', new Date('2026-04-02T09:00:00Z')).due).toBe('none');
    // Five working days after Monday 30 March (Good Friday and Easter Monday are not): Wednesday 8 April.
    expect(readClock(policy, escalated, 'consent', new Date('2026-04-09T09:00:00Z')).due).toBe('overdue');
  });

  it('a referred case has only its wait’s deadline', () => {
    const referred = complaint({
      status: 'referred',
      triage: { route: 'refer', exclusion: 'schools', reasons: [] },
      waits: { 'confirm-exclusion': { since: RECEIVED } },
    });
    expect(deriveDeadlines(policy, referred)).toEqual({ confirmExclusionBy: '2026-03-04T23:59:59.000Z' });
  });
});

describe('readClock for executions started before waits were chased', () => {
  it("still reads the old 'hold' clock: nothing due, wake in a month", () => {
    const reading = readClock(makePolicy(), complaint(), 'hold', new Date(RECEIVED));
    expect(reading).toMatchObject({ due: 'none', waitSeconds: MAX_WAIT_SECONDS });
  });
});

describe('sameDeadlines', () => {
  it('compares the dates, not the order of the keys', () => {
    const a = { acknowledgeBy: '2026-03-09T23:59:59.000Z', respondBy: '2026-03-23T23:59:59.000Z' };
    expect(sameDeadlines(a, { respondBy: a.respondBy, acknowledgeBy: a.acknowledgeBy })).toBe(true);
    expect(sameDeadlines(a, { ...a, respondBy: '2026-03-24T23:59:59.000Z' })).toBe(false);
    expect(sameDeadlines(a, { acknowledgeBy: a.acknowledgeBy })).toBe(false);
    expect(sameDeadlines({ acknowledgeBy: a.acknowledgeBy }, a)).toBe(false);
  });
});

describe('deriveDeadlines after a pause', () => {
  // The cap on extensions runs from the response deadline before any extension, moved on by the
  // pause (the extension decision checks it that way): the limit the case shows must be the same.
  it('moves the extension limit on by the working days the clock was paused, as the response deadline', () => {
    // Prepare: acknowledged Tuesday 3 March 2026, then paused for 10 working days.
    const policy = makePolicy();
    const progress = { startedAt: RECEIVED, acknowledgedAt: '2026-03-03T09:00:00.000Z' };
    const running = complaint({ status: 'investigating', progress: { stage1: progress } });
    const resumed = complaint({
      status: 'investigating',
      progress: { stage1: { ...progress, pausedWorkingDays: 10 } },
    });

    // Act
    const before = deriveDeadlines(policy, running);
    const after = deriveDeadlines(policy, resumed);

    // Assess: the response deadline moves 10 working days, from Tuesday 17 March to Tuesday
    // 31 March, and the limit 10 working days after each: Tuesday 31 March, then Thursday
    // 16 April (Good Friday and Easter Monday are not working days).
    expect(before.respondBy).toBe('2026-03-17T23:59:59.000Z');
    expect(before.extensionLimit).toBe('2026-03-31T22:59:59.000Z');
    expect(after.respondBy).toBe('2026-03-31T22:59:59.000Z');
    expect(after.extensionLimit).toBe('2026-04-16T22:59:59.000Z');
  });
});
