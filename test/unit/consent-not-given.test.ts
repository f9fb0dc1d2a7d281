import { describe, expect, it } from 'vitest';
import { correspondence } from '../../functions/app/correspondence.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { loadPolicy, PRESET_IDS } from '../../functions/domain/policy.js';
import { MemoryMailer } from '../support/memory-mailer.js';
import { openCase } from '../support/open-case.js';

/**
 * The letter to a representative whose complaint we closed for want of the person's consent
 * says when that person can still complain: within the policy's time limit (`timeLimitMonths`,
 * 12 months under the Code, 6 under the SPSO's procedure), and after it only for a good reason.
 * Never "at any time".
 */
const NOW = '2026-03-02T10:00:00.000Z';

async function letter(policyId: string, overrides: Partial<CaseRecord> = {}) {
  const mailer = new MemoryMailer();
  const c = openCase('case-5', {
    onBehalfOf: { name: 'Grace Hopper', consent: false },
    ...overrides,
  });
  await correspondence(loadPolicy(policyId), mailer)(c, 'consent-not-given', ['ada@example.com'], {
    now: NOW,
  });
  const [email] = mailer.sent;
  if (!email) throw new Error('nothing sent');
  return email;
}

describe('consent-not-given letter', () => {
  it.each(PRESET_IDS)('gives the %s policy’s time limit, not "at any time"', async (id) => {
    const months = loadPolicy(id).complaint.timeLimitMonths;

    const email = await letter(id);

    expect(email.text).not.toContain('at any time');
    expect(email.html).not.toContain('at any time');
    expect(email.text).toContain(
      `Complaints should be made within ${months} months of what they are about happening, or of finding out about it.`,
    );
    expect(email.text).toContain('only if there is a good reason it was not made sooner');
  });

  it('gives the last day for this complaint when we know when it happened', async () => {
    const email = await letter('lgsco-code-2024', { happenedOn: '2026-01-10' });

    expect(email.text).toContain('For this complaint, that is by Sunday 10 January 2027.');
  });

  it('says the limit has passed, and what still counts, when it already has', async () => {
    const email = await letter('spso-model-chp', { happenedOn: '2025-06-20' });

    expect(email.text).toContain(
      'For this complaint, that was by Saturday 20 December 2025, so we would look into it only if there is a good reason it was not made sooner.',
    );
  });

  it('gives the time limit in Welsh', async () => {
    const email = await letter('lgsco-code-2024', { language: 'cy', happenedOn: '2026-01-10' });

    expect(email.text).not.toContain('ar unrhyw adeg');
    expect(email.text).toContain('o fewn 12 mis');
    expect(email.text).toContain('Ar gyfer y gŵyn hon, mae hynny erbyn dydd Sul 10 Ionawr 2027.');
  });
});
