import { afterEach, describe, expect, it } from 'vitest';
import { complaintFrom, createHarness, type Harness, RESIDENT } from './harness.js';

/**
 * A referral to a team of the council's own is not the end of the council's part: nothing would
 * tell anyone if that team never picked it up (a children's social care referral gives the
 * resident no date to chase), or if it found the case was not theirs. Once the complaints team
 * confirms a referral, they are asked to check back that it was picked up; the wait is chased as
 * every wait is. The team may say it is not theirs: the case then comes back into the complaints
 * procedure, timed from the day the council first received it (the Code §6.2: acknowledged
 * within five working days "of receipt"), and the resident is told. The harness starts on Monday
 * 2 March 2026 at 09:00 (GMT).
 */

let h: Harness;

afterEach(async () => {
  await h?.close();
});

const TEAM = 'complaints@example.gov.uk';
const WAITS_MANAGER = 'complaints.manager@example.gov.uk';
const CHILDRENS_TEAM = 'childrens.complaints@example.gov.uk';
const FOSTERING =
  'Our foster placement broke down in January and the child protection social worker has not returned our calls since.';

function mailTo(address: string, template: string) {
  return h.sent.filter((m) => m.to.includes(address) && m.template === template);
}

async function referAndConfirm() {
  const c = await h.submit(complaintFrom(h, { service: 'adult-social-care', summary: FOSTERING }));
  const confirmed = await h.act(h.linkFor('confirm-exclusion', TEAM), { decision: 'confirm' });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return { c, confirmed };
}

describe("a referral to a team of the council's own, once confirmed", () => {
  it('asks the complaints team to check back, five working days after receipt, that the team picked it up', async () => {
    h = await createHarness();
    const { c, confirmed } = await referAndConfirm();

    // Still with the council: not closed until someone says the team has it.
    expect(confirmed.body).toContain('check by Monday 9 March 2026');
    expect((await h.caseOf(c.caseId)).status).toBe('referred');
    expect(h.states(c.caseId)).not.toContain('Close the case');
    const [task] = mailTo(TEAM, 'officer-task').filter((m) => m.text?.includes('picked up'));
    expect(task?.subject).toContain('Monday 9 March 2026');
    // Whom to ask, in the email itself.
    expect(task?.text).toContain(`Passed to: our children's social care complaints team (${CHILDRENS_TEAM})`);
    const page = await h.view(h.linkFor('referral-check', TEAM));
    expect(page.statusCode).toBe(200);
    // Who to ask: the team and the address it was emailed to.
    expect(page.body).toContain(`our children&#39;s social care complaints team (${CHILDRENS_TEAM})`);

    const done = await h.act(h.linkFor('referral-check', TEAM), {
      decision: 'picked-up',
      reason: 'They wrote to say they have it under the Children Act procedure.',
    });

    expect(done.statusCode, done.body).toBe(200);
    expect(await h.caseOf(c.caseId)).toMatchObject({ status: 'closed', triage: { route: 'refer' } });
    expect(h.templates(RESIDENT)).toEqual(['redirect']);
  });

  it('chases the check when nobody makes it, as every wait is chased', async () => {
    h = await createHarness();
    const { c } = await referAndConfirm();

    // Due Monday 9 March: missed by Tuesday 10 March.
    await h.advanceTo('2026-03-10T10:00:00.000Z');

    const [escalation] = mailTo(WAITS_MANAGER, 'manager-escalation');
    expect(escalation?.subject).toContain('check the referral was picked up');
    expect((await h.caseOf(c.caseId)).status).toBe('referred');
  });

  it('brings the case back into the complaints procedure when the team says it is not theirs, timed from the day the council first received it', async () => {
    h = await createHarness();
    const { c } = await referAndConfirm();
    // Friday 6 March: the children's team says it is about an adult's care after all.
    await h.advanceTo('2026-03-06T11:00:00.000Z');

    const back = await h.act(h.linkFor('referral-check', TEAM), {
      decision: 'handle-as-complaint',
      complaintReason: 'The children’s team says the foster carer is complaining about her own care package.',
    });

    expect(back.statusCode, back.body).toBe(200);
    expect(back.body).toContain('The complaints team gets the acknowledgement task');
    const record = await h.caseOf(c.caseId);
    expect(record.status).not.toMatch(/referred|closed/);
    expect(record.triage.route).toBe('handle');
    expect(record.triage.reasons.at(-1)).toContain('own care package');
    // Received Monday 2 March: acknowledged by Monday 9 March, not five working days from today.
    expect(record.deadlines.acknowledgeBy).toBe('2026-03-09T23:59:59.000Z');
    const receipt = mailTo(RESIDENT, 'receipt')[0];
    expect(h.templates(RESIDENT)).toEqual(['redirect', 'receipt']);
    expect(receipt?.text).toContain('We received your complaint on Monday 2 March 2026.');
    expect(receipt?.text).toContain(
      "We told you that we had passed your message to our children's social care complaints team. They have told us it is not for them, so we will deal with it under our complaints procedure, with our timescales counted from the day we received it.",
    );
    expect(receipt?.text).toContain('Monday 9 March 2026');
    // Not to the team that said it is not theirs: to the complaints team, who pass it on.
    expect(record.assignedTo).toBe(TEAM);
    expect(mailTo(TEAM, 'officer-task').filter((m) => /^Acknowledge/.test(m.subject))).toHaveLength(1);
    expect(mailTo(CHILDRENS_TEAM, 'officer-task')).toEqual([]);
  });
});

describe('a referral brought back after its acknowledgement date has passed', () => {
  it('is acknowledged at once, and the resident is given one response date, not two', async () => {
    h = await createHarness();
    const { c } = await referAndConfirm();
    // Monday 16 March: the acknowledgement, due Monday 9 March from receipt, is already late.
    await h.advanceTo('2026-03-16T11:00:00.000Z');

    await h.act(h.linkFor('referral-check', TEAM), {
      decision: 'handle-as-complaint',
      complaintReason: 'The children’s team says it is about how our housing officer treated her.',
    });

    expect(h.templates(RESIDENT)).toEqual(['redirect', 'receipt', 'acknowledgement']);
    const receipt = mailTo(RESIDENT, 'receipt')[0];
    // The response counts from the acknowledgement (the Code §6.3): the receipt, sent before it,
    // gives no date of its own that the acknowledgement minutes later would contradict.
    expect(receipt?.text).not.toContain('We aim to send you our full response by');
    expect(receipt?.text).toContain('We will tell you when to expect our full response.');
    const record = await h.caseOf(c.caseId);
    const acknowledgement = mailTo(RESIDENT, 'acknowledgement')[0]?.text;
    expect(acknowledgement).toContain('We will send you our response by Monday 30 March 2026.');
    // Not the children's team, who said it is not theirs.
    expect(acknowledgement).toContain('Our complaints team is looking into it.');
    expect(acknowledgement).not.toContain("Children's social care team");
    expect(record.deadlines.respondBy).toBe('2026-03-30T22:59:59.000Z');
  });
});

describe('a referral with nobody to pass it to', () => {
  it('closes once confirmed: the resident was told where to go, and there is no team to check with', async () => {
    h = await createHarness();
    const c = await h.submit(
      complaintFrom(h, {
        summary: "The headteacher at my daughter's primary school will not deal with the bullying.",
      }),
    );

    await h.act(h.linkFor('confirm-exclusion', TEAM), { decision: 'confirm' });

    expect((await h.caseOf(c.caseId)).status).toBe('closed');
    expect(() => h.linkFor('referral-check', TEAM)).toThrow(/no link/);
  });
});

describe('the team a referral goes to', () => {
  it('is told how to send back a case that is not theirs', async () => {
    h = await createHarness();
    await h.submit(complaintFrom(h, { service: 'adult-social-care', summary: FOSTERING }));

    const [referral] = mailTo(CHILDRENS_TEAM, 'referral');
    expect(referral?.text).toContain(
      `If it is not for you, tell the complaints team (${TEAM}) straight away, and why: they will bring it back into the complaints procedure.`,
    );
  });
});
