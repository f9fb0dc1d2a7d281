import { describe, expect, it } from 'vitest';
import { isOutOfTime, timeLimitEnds } from '../../functions/domain/time-limit.js';
import { makePolicy } from '../support/policy-fixture.js';

describe('timeLimitEnds', () => {
  it('is the same day the policy’s months later', () => {
    expect(timeLimitEnds(makePolicy(), '2025-03-02')).toBe('2026-03-02');
    expect(timeLimitEnds(makePolicy({ complaint: { timeLimitMonths: 6 } }), '2025-09-15')).toBe('2026-03-15');
  });

  it('is the last day of the month when that month has no such day', () => {
    expect(timeLimitEnds(makePolicy({ complaint: { timeLimitMonths: 1 } }), '2026-01-31')).toBe('2026-02-28');
    expect(timeLimitEnds(makePolicy({ complaint: { timeLimitMonths: 13 } }), '2023-01-31')).toBe(
      '2024-02-29',
    );
  });
});

describe('isOutOfTime', () => {
  const received = '2026-03-02T10:00:00.000Z';

  it('is false on the last day of the limit and true the day after', () => {
    const policy = makePolicy();
    expect(isOutOfTime(policy, { kind: 'complaint', receivedAt: received, happenedOn: '2025-03-02' })).toBe(
      false,
    );
    expect(isOutOfTime(policy, { kind: 'complaint', receivedAt: received, happenedOn: '2025-03-01' })).toBe(
      true,
    );
  });

  it('is false when the resident did not say, and for feedback that is not a complaint', () => {
    const policy = makePolicy();
    expect(isOutOfTime(policy, { kind: 'complaint', receivedAt: received })).toBe(false);
    expect(isOutOfTime(policy, { kind: 'compliment', receivedAt: received, happenedOn: '2019-01-01' })).toBe(
      false,
    );
  });
});
