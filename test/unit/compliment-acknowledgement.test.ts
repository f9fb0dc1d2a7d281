import { describe, expect, it } from 'vitest';
import { correspondence } from '../../functions/app/correspondence.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { Policy } from '../../functions/domain/policy-schema.js';
import { MemoryMailer } from '../support/memory-mailer.js';
import { openCase } from '../support/open-case.js';

/**
 * The compliment's thank-you says where the compliment really went: the workflow emails it to
 * the service's own mailbox, or, with no service or a service without one, to the complaints
 * team, who pass it on. Never "the service concerned" when no service had it.
 */
async function thankYou(policy: Policy, overrides: Partial<CaseRecord> = {}) {
  const mailer = new MemoryMailer();
  const c = openCase('case-7', { kind: 'compliment', submittedKind: 'compliment', ...overrides });
  await correspondence(policy, mailer)(c, 'compliment-acknowledgement', ['ada@example.com']);
  const [email] = mailer.sent;
  if (!email) throw new Error('nothing sent');
  return email;
}

/** The Code's preset, with one service that has no mailbox of its own. */
function withoutMailbox(): Policy {
  const policy = structuredClone(loadPolicy('lgsco-code-2024'));
  const waste = policy.routing.services.find((s) => s.id === 'waste-recycling');
  if (!waste) throw new Error('no waste service');
  delete waste.mailbox;
  return policy;
}

describe('compliment thank-you', () => {
  it('names the team whose mailbox was sent the compliment', async () => {
    const email = await thankYou(loadPolicy('lgsco-code-2024'));

    expect(email.text).toContain('We have passed your compliment on to the Waste and recycling team.');
    expect(email.html).toContain('We have passed your compliment on to the Waste and recycling team.');
  });

  it('says the complaints team has it, not a "service concerned", when no service was named', async () => {
    const email = await thankYou(loadPolicy('lgsco-code-2024'), { service: undefined });

    expect(email.text).not.toContain('service concerned');
    expect(email.text).toContain(
      'We have passed your compliment to our complaints team, who will share it with the people it is about.',
    );
  });

  it('says the complaints team will pass it to the service when the service has no mailbox', async () => {
    const email = await thankYou(withoutMailbox());

    expect(email.text).not.toContain('We have passed your compliment on to the Waste and recycling team');
    expect(email.text).toContain(
      'We have passed your compliment to our complaints team, who will share it with the Waste and recycling team.',
    );
  });

  it('says the same in Welsh', async () => {
    const named = await thankYou(loadPolicy('lgsco-code-2024'), { language: 'cy' });
    const none = await thankYou(loadPolicy('lgsco-code-2024'), { language: 'cy', service: undefined });

    expect(named.text).toContain('Rydym wedi rhannu eich canmoliaeth â thîm Gwastraff ac ailgylchu.');
    expect(none.text).not.toContain('gwasanaeth dan sylw');
    expect(none.text).toContain(
      'Rydym wedi rhannu eich canmoliaeth â’n tîm cwynion, a fydd yn ei rhannu â’r bobl y mae’n sôn amdanynt.',
    );
  });

  it('claims nothing was passed on where the policy only records compliments', async () => {
    const policy = structuredClone(loadPolicy('lgsco-code-2024'));
    policy.compliment.passToStaff = false;

    const email = await thankYou(policy);

    expect(email.text).toContain('We have recorded your compliment.');
    expect(email.text).not.toContain('passed');
  });
});
