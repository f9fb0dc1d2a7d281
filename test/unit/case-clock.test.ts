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
