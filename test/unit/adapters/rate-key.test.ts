import { describe, expect, it } from 'vitest';
import { rateKey, rateKindPrefix } from '../../../functions/adapters/dynamodb-rate-limiter.js';
import { DEFAULT_INTAKE_LIMITS, intakeRateLimits } from '../../../functions/domain/intake-limits.js';
import {
  CHECK_LIMIT_KEY_PREFIX,
  checkRateLimits,
  DEFAULT_CHECK_LIMITS,
} from '../../../functions/domain/resident-access.js';

describe('rateKey', () => {
  const sender = { email: 'ada@example.com', client: '203.0.113.7' };

  it('keeps the kind of check your complaint’s limits in clear, apart from intake’s', () => {
    const check = checkRateLimits(DEFAULT_CHECK_LIMITS, sender).map((l) => rateKey(l.key, 0).PK);
    const intake = intakeRateLimits(DEFAULT_INTAKE_LIMITS, sender).map((l) => rateKey(l.key, 0).PK);

    expect(check.every((pk) => pk.startsWith(rateKindPrefix(CHECK_LIMIT_KEY_PREFIX)))).toBe(true);
    expect(intake.some((pk) => pk.startsWith(rateKindPrefix(CHECK_LIMIT_KEY_PREFIX)))).toBe(false);
    expect(check.map((pk) => pk.split('#')[1])).toEqual(['check-client', 'check-email']);
  });

  it('names no one: the key itself is hashed, and a key without a plain kind is of kind other', () => {
    for (const key of ['check-email:ada@example.com', 'ada@example.com', 'Ada Lovelace:x', ':ada']) {
      const { PK } = rateKey(key, 1_700_000_000);
      for (const personal of ['@', 'example', 'Lovelace']) expect(PK).not.toContain(personal);
      expect(PK).toMatch(/^RATE#[a-z-]+#[0-9a-f]{64}#1700000000$/);
    }
    expect(rateKey('ada@example.com', 0).PK.split('#')[1]).toBe('other');
  });
});
