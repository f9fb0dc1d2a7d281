import { afterEach, describe, expect, it } from 'vitest';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { complaintFrom, createHarness, type Harness, REFERRED_AND_CLOSED, RESIDENT } from './harness.js';

/**
 * The paths real cases take beyond the happy one, on the local engine with the real ASL, step
 * code, templates and link signing: referrals, the chase of every wait for a decision, stage 2
 * as the councils' procedures say, and the time limit. Each test asserts the letters' words and
 * dates and who was emailed. The harness starts on Monday 2 March 2026 at 09:00 (GMT).
 */

let h: Harness;

afterEach(async () => {
  await h?.close();
});

const justAfter = (iso: string | undefined, ms = 1000) =>
  new Date(Date.parse(iso as string) + ms).toISOString();

const TEAM = 'complaints@example.gov.uk';
const WAITS_MANAGER = 'complaints.manager@example.gov.uk';
const CUSTOMER_RELATIONS = 'customer.relations@example.gov.uk';
const HIGHWAYS = 'highways.feedback@example.gov.uk';

function mailTo(address: string, template: string) {
  return h.sent.filter((m) => m.to.includes(address) && m.template === template);
}

async function acknowledgeAndRespond(outcome = 'not-upheld') {
  await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
  const result = await h.act(h.linkFor('respond'), {
    decision: 'respond',
    outcome,
    response: 'We looked into what happened and here is what we found.',
  });
  expect(result.statusCode, result.body).toBe(200);
}

describe('referrals reach someone', () => {
  it('refers a hate incident to the team the policy names, tells the resident only what is true, and asks the complaints team to confirm', async () => {
    h = await createHarness();
    const c = await h.submit(
      complaintFrom(h, { summary: 'My neighbour shouts racist abuse at my children every day.' }),
    );

    // The team that takes it is emailed the case and a signed link that opens it.
    const [referral] = mailTo(CUSTOMER_RELATIONS, 'referral');
    expect(referral?.text).toContain('My neighbour shouts racist abuse at my children every day.');
    expect(referral?.text).toContain('and that they will be contacted by Wednesday 4 March 2026.');
    expect(referral?.text).toContain('Looks like a hate incident');
    expect(referral?.text).toContain(RESIDENT);
    const caseUrl = /Read the case: (\S+)/.exec(referral?.text ?? '')?.[1];
    expect((await h.get(caseUrl as string)).statusCode).toBe(200);

    // The resident is told it was passed on, by when they will hear, that it is checked, and the Ombudsman.
    const [letter] = mailTo(RESIDENT, 'redirect');
    expect(letter?.text).toContain(
      `We have passed your message to our Customer Relations team, who deal with hate crime. They will contact you by Wednesday 4 March 2026. If you have not heard from them by then, email them at ${CUSTOMER_RELATIONS}.`,
    );
    expect(letter?.text).toContain('call 999');
    expect(letter?.text).toContain('Our complaints team will also check');
    expect(letter?.text).toContain('Local Government and Social Care Ombudsman');
    expect(h.templates(RESIDENT)).toEqual(['redirect']);

    // The complaints team gets a short task, due in two working days.
    const [task] = mailTo(TEAM, 'officer-task');
    expect(task?.subject).toContain('Wednesday 4 March 2026');
    const page = await h.view(h.linkFor('confirm-exclusion', TEAM));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Looks like a hate incident');
    expect((await h.caseOf(c.caseId)).status).toBe('referred');

    await h.act(h.linkFor('confirm-exclusion', TEAM), { decision: 'confirm' });
    // The complaints team then checks back that Customer Relations picked it up.
    expect((await h.caseOf(c.caseId)).status).toBe('referred');
    await h.act(h.linkFor('referral-check', TEAM), { decision: 'picked-up' });

    expect(h.states(c.caseId)).toEqual(expect.arrayContaining(REFERRED_AND_CLOSED));
    expect(await h.caseOf(c.caseId)).toMatchObject({ status: 'closed', triage: { route: 'refer' } });
    expect(h.templates(RESIDENT)).toEqual(['redirect']);
  });

  it('brings a keyword match back into the complaints procedure when it is a complaint about an officer', async () => {
    h = await createHarness();
    const c = await h.submit(
      complaintFrom(h, {
        summary: 'The officer at the council tax desk made a racist remark to me on Tuesday.',
      }),
    );
    expect(c.triage).toMatchObject({ route: 'refer', exclusion: 'hate-incident' });

    const back = await h.act(h.linkFor('confirm-exclusion', TEAM), {
      decision: 'handle-as-complaint',
      complaintReason: 'It is about how our own officer behaved: a complaint.',
    });

    expect(back.statusCode, back.body).toBe(200);
    const record = await h.caseOf(c.caseId);
    expect(record).toMatchObject({ status: 'awaiting-acknowledgement', triage: { route: 'handle' } });
    expect(record.assignedTo).toBe(h.policy.routing.services.find((s) => s.id === c.service)?.mailbox);
    expect(h.templates(RESIDENT)).toEqual(['redirect', 'receipt']);
    const receipt = mailTo(RESIDENT, 'receipt')[0];
    // Received Monday 2 March: acknowledged by Monday 9 March, as for any complaint.
    expect(receipt?.text).toContain('Monday 9 March 2026');
    expect(mailTo(record.assignedTo as string, 'officer-task')).toHaveLength(1);
    expect(h.states(c.caseId).filter((s) => s === 'Route the case')).toHaveLength(2);
    expect(h.states(c.caseId)).toContain('Await acknowledgement');
  });

  it('tells the resident where to go, and never that someone has it, when the destination has no mailbox', async () => {
    h = await createHarness();
    const c = await h.submit(
      complaintFrom(h, {
        summary: "The headteacher at my daughter's primary school will not deal with the bullying.",
      }),
    );

    expect(c.triage).toMatchObject({ route: 'refer', exclusion: 'schools' });
    expect(h.sent.filter((m) => m.template === 'referral')).toHaveLength(0);
    const [letter] = mailTo(RESIDENT, 'redirect');
    expect(letter?.text).toContain('Please contact the school');
    expect(letter?.text).not.toContain('We have passed');
    expect(letter?.text).toContain('Local Government and Social Care Ombudsman');
    expect(mailTo(TEAM, 'officer-task')).toHaveLength(1);
    const events = (await h.store.events(c.caseId)).map((e) => e.type);
    expect(events).toContain('nobody-to-email');
  });

  it("refers Dudley's Children's Services complaints to the social care complaints team", async () => {
    h = await createHarness({ policy: 'dudley' });
    const c = await h.submit(complaintFrom(h, { service: 'childrens-services' }));

    const [referral] = mailTo('complaints.socialcare@dudley.gov.uk', 'referral');
    // Three working days from Monday 2 March (SI 2009/309 reg. 13's acknowledgement time).
    expect(referral?.text).toContain('will be contacted by Thursday 5 March 2026');
    const [letter] = mailTo(RESIDENT, 'redirect');
    expect(letter?.text).toContain("We have passed your message to Dudley's social care complaints team");
    expect(letter?.text).toContain('They will contact you by Thursday 5 March 2026.');
    // The team's name gives its address already: not said twice.
    expect(letter?.text).not.toContain('email them at');
    expect(letter?.text).not.toContain('Please contact');
    expect((await h.caseOf(c.caseId)).status).toBe('referred');
  });

  it("quotes, in the hate incident's referral, the policy's source for hate incidents, not the Code's words on service requests", async () => {
    h = await createHarness();
    await h.submit(
      complaintFrom(h, { summary: 'My neighbour shouts racist abuse at my children every day.' }),
    );

    const [referral] = mailTo(CUSTOMER_RELATIONS, 'referral');
    const source = h.policy.sources['exclusions.hate-incident'];
    expect(source).toBeDefined();
    expect(referral?.text.replace(/\s+/g, ' ')).toContain(`Policy source: ${source?.replace(/\.$/, '')}.`);
    expect(referral?.text).not.toMatch(/service requests are not complaints/);
  });

  // A service request goes back to the service at once (the Code §1.7: the council deals with it
  // before any complaint): the service's mailbox gets it, with the resident's words and contact,
  // and the resident is told who has it and how to reach them, not to report it again.
  it('passes a first report of a pothole to the service it is for at once, and tells the resident who has it and how to reach them', async () => {
    h = await createHarness();
    // Sent with the waste service chosen: the highways service is the one that mends potholes.
    const c = await h.submit(complaintFrom(h, { summary: 'Please fill the pothole outside 12 Elm Road.' }));

    expect(c.triage.route).toBe('redirect');
    expect(h.states(c.caseId)).toEqual([
      'Route the case',
      'Pass the request to the service',
      'Tell the resident where to go instead',
      'Close the case',
    ]);
    const [request, ...more] = mailTo(HIGHWAYS, 'referral');
    expect(more).toEqual([]);
    expect(request?.subject).toBe(
      'A service request passed to you from the complaints process: CMP-2026-000001',
    );
    const words = request?.text.replace(/\s+/g, ' ');
    expect(words).toContain('has passed it to you as a service request, because it is not a complaint.');
    expect(words).toContain('Please fill the pothole outside 12 Elm Road.');
    expect(words).toContain(`Ada Lovelace ${RESIDENT}`);
    expect(words).toContain(
      'The resident has been told that their message was passed to our Highways and street lighting team, with this address to reach you. They were not given a date.',
    );
    expect(words).toContain(
      `If it is not for you, pass it to the service it is for, or tell the complaints team (${TEAM}).`,
    );
    expect(words).not.toContain('a timescale set by law');
    expect(words).not.toContain('will also check');
    expect(h.sent.filter((m) => m.template === 'officer-task')).toHaveLength(0);

    const [letter] = mailTo(RESIDENT, 'redirect');
    const told = letter?.text.replace(/\s+/g, ' ');
    expect(told).toContain(
      `We have passed your message to our Highways and street lighting team. You can email them at ${HIGHWAYS}.`,
    );
    expect(told).toContain(
      'Your report will be dealt with as a service request. You do not need to make a complaint. Next time, you can report a pothole or damaged pavement using "Report it" on the Example Council website.',
    );
    expect(told).not.toContain('complaints team will also check');
    expect(told).toContain('Local Government and Social Care Ombudsman');
    expect(await h.caseOf(c.caseId)).toMatchObject({ status: 'closed', service: 'highways' });
    expect(await h.status(c.caseId)).toBe('SUCCEEDED');
  });

  it('passes a service request no service of the council is named for to the complaints team, who pass it on', async () => {
    // South Norfolk, a district council, has no highways service of its own.
    h = await createHarness({ policy: 'south-norfolk' });
    const c = await h.submit({
      ...complaintFrom(h),
      service: undefined,
      summary: 'There is a pothole outside 12 Elm Road.',
    });

    expect(c.triage.route).toBe('redirect');
    const complaintsTeam = h.policy.routing.complaintsTeam;
    expect(mailTo(complaintsTeam, 'referral')).toHaveLength(1);
    const [letter] = mailTo(RESIDENT, 'redirect');
    expect(letter?.text.replace(/\s+/g, ' ')).toContain(
      `We have passed your message to our complaints team, who will pass it to the team or organisation that deals with it. You can email them at ${complaintsTeam}.`,
    );
  });
});

describe('a resident told where to go', () => {
  const SCHOOL = "The headteacher at my son's school ignored my emails about bullying.";

  // The school is not sent the case: the resident must reach it themselves, so the letter says
  // how, from the policy (GOV.UK's register of schools gives each school's contact details).
  it('is given the way to reach the destination that the policy names', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h, { summary: SCHOOL }));

    expect(c.triage.exclusion).toBe('schools');
    const [letter] = mailTo(RESIDENT, 'redirect');
    expect(letter?.text.replace(/\s+/g, ' ')).toContain(
      'You can find how to contact the school at https://www.get-information-schools.service.gov.uk.',
    );
  });

  it('is told to ask us, when the policy names no way to reach the destination', async () => {
    h = await createHarness();
    const schools = h.policy.destinations.schools;
    if (schools) delete schools.url;
    await h.submit(complaintFrom(h, { summary: SCHOOL }));

    const [letter] = mailTo(RESIDENT, 'redirect');
    expect(letter?.text.replace(/\s+/g, ' ')).toContain(
      'If you cannot find how to contact the school, reply to this email and we will tell you.',
    );
  });

  it('is given the phone number and web page of another council the policy names', async () => {
    h = await createHarness({ policy: 'south-norfolk' });
    await h.submit(
      complaintFrom(h, { summary: "My mum's care package was cut without anyone talking to us." }),
    );

    const [letter] = mailTo(RESIDENT, 'redirect');
    expect(letter?.text.replace(/\s+/g, ' ')).toContain(
      "You can find how to contact Norfolk County Council's social care complaints team at https://www.norfolk.gov.uk, or phone them on 0344 800 8020.",
    );
  });
});

describe('a referral to the nominated officer who does not designate', () => {
  const notDesignated = { decision: 'do-not-designate', reason: 'The contact is reasonable.' };

  it('acknowledges a complaint referred on acknowledgement, and times its response from that day', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));

    await h.act(h.linkFor('acknowledge'), {
      decision: 'refer-vexatious',
      reason: 'Tenth complaint this month.',
    });
    const decided = await h.act(
      h.linkFor('vexatious-decision', h.policy.routing.nominatedOfficer),
      notDesignated,
    );

    expect(decided.statusCode, decided.body).toBe(200);
    const record = await h.caseOf(c.caseId);
    expect(record.progress.stage1.acknowledgedAt).toBe('2026-03-02T09:00:00.000Z');
    // Ten working days from Monday 2 March, not from the acknowledgement deadline (9 March).
    expect(record.deadlines.respondBy).toBe('2026-03-16T23:59:59.000Z');
    const [acknowledgement, ...more] = mailTo(RESIDENT, 'acknowledgement');
    expect(more).toEqual([]);
    expect(acknowledgement?.text).toContain('We will send you our response by Monday 16 March 2026.');
    expect((await h.caseOf(c.caseId)).openTask?.name).toBe('respond');
  });

  it('sends no second acknowledgement for a complaint referred while its response was awaited, and waits for the response again', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    const { respondBy } = (await h.caseOf(c.caseId)).deadlines;

    await h.advanceTo('2026-03-04T09:00:00.000Z');
    await h.act(h.linkFor('respond'), {
      decision: 'refer-vexatious',
      referralReason: 'Daily calls to the team.',
    });
    await h.act(h.linkFor('vexatious-decision', h.policy.routing.nominatedOfficer), notDesignated);

    expect(mailTo(RESIDENT, 'acknowledgement')).toHaveLength(1);
    const record = await h.caseOf(c.caseId);
    expect(record.progress.stage1.acknowledgedAt).toBe('2026-03-02T09:00:00.000Z');
    expect(record.deadlines.respondBy).toBe(respondBy);
    expect(record.openTask?.name).toBe('respond');
    const responded = await h.act(h.linkFor('respond'), {
      decision: 'respond',
      outcome: 'not-upheld',
      response: 'We looked into what happened and here is what we found.',
    });
    expect(responded.statusCode, responded.body).toBe(200);
    expect(mailTo(RESIDENT, 'response')).toHaveLength(1);
  });
});

describe('feedback recorded weeks after it came', () => {
  it('gets a receipt that promises no acknowledgement or response date already past', async () => {
    h = await createHarness({ start: '2026-04-20T09:00:00.000Z' });
    await h.enter(complaintFrom(h, { channel: 'letter', receivedAt: '2026-03-02T09:00:00.000Z' }));
    await h.advanceTo('2026-04-20T10:00:00.000Z');

    const [receipt] = mailTo(RESIDENT, 'receipt');
    // Received Monday 2 March: its acknowledgement was due by 9 March and its response by 23 March.
    expect(receipt?.text).toContain('We received your complaint on Monday 2 March 2026.');
    expect(receipt?.text).not.toContain('9 March 2026');
    expect(receipt?.text).not.toContain('23 March 2026');
    expect(receipt?.text).toContain('We will tell you who is dealing with your complaint.');
  });

  it('still gives the dates of feedback recorded the day it came', async () => {
    h = await createHarness();
    await h.submit(complaintFrom(h));

    const [receipt] = mailTo(RESIDENT, 'receipt');
    expect(receipt?.text).toContain('We will acknowledge your complaint by Monday 9 March 2026');
    expect(receipt?.text).toContain('We aim to send you our full response by Monday 23 March 2026.');
  });
});

describe('every wait is chased', () => {
  it('reminds the complaints team to check an exclusion, then escalates while it stays unchecked', async () => {
    h = await createHarness();
    const c = await h.submit(
      complaintFrom(h, { summary: 'I want to report benefit fraud: my neighbour is working and claiming.' }),
    );
    expect((await h.caseOf(c.caseId)).deadlines.confirmExclusionBy).toBe('2026-03-04T23:59:59.000Z');

    await h.advanceTo('2026-03-03T09:00:00.000Z');
    const [reminder] = mailTo(TEAM, 'officer-reminder');
    expect(reminder?.text).toContain('Wednesday 4 March 2026');
    // No holding letter goes for a wait: the reminder says only who is told.
    expect(reminder?.text).toContain(`If you miss it, ${WAITS_MANAGER} is told.`);
    expect(reminder?.text).not.toContain('holding letter');

    await h.advanceTo('2026-03-05T09:00:00.000Z');
    const [first] = mailTo(WAITS_MANAGER, 'manager-escalation');
    expect(first?.text).toContain('check a message not treated as a complaint');
    expect(first?.text).toContain('Wednesday 4 March 2026');
    expect(first?.text).toContain(`The case is with ${TEAM}.`);
    expect(first?.text).not.toContain('The resident has been told');

    await h.advanceTo('2026-03-12T09:00:00.000Z');
    expect(mailTo(WAITS_MANAGER, 'manager-escalation')).toHaveLength(2);
    expect((await h.caseOf(c.caseId)).waits?.['confirm-exclusion']).toMatchObject({
      reminded: true,
      escalations: 2,
    });
    // The link still works: the task is the same one.
    expect((await h.view(h.linkFor('confirm-exclusion', TEAM))).statusCode).toBe(200);
    expect(mailTo(TEAM, 'officer-task')).toHaveLength(1);
  });

  it('tells a representative what is needed for consent, and chases the complaints team when it does not come', async () => {
    h = await createHarness();
    const c = await h.submit(
      complaintFrom(h, { onBehalfOf: { name: 'Grace Hopper', relationship: 'neighbour', consent: false } }),
    );

    const [needed] = mailTo(RESIDENT, 'consent-needed');
    // Sent at once to an address nobody has confirmed: no name the sender typed.
    expect(`${needed?.subject}${needed?.text}`).not.toContain('Grace Hopper');
    expect(needed?.text).toContain('Ask them to tell us');
    // 20 working days from Monday 2 March.
    expect(needed?.text).toContain('by Monday 30 March 2026');

    await h.advanceTo('2026-03-27T09:00:00.000Z');
    expect(mailTo(TEAM, 'officer-reminder')).toHaveLength(1);
    await h.advanceTo('2026-03-31T09:00:00.000Z');
    const [escalation] = mailTo(WAITS_MANAGER, 'manager-escalation');
    expect(escalation?.text).toContain('get consent from the person the complaint is made for');

    await h.act(h.linkFor('consent', TEAM), { decision: 'consent-received' });
    expect(h.templates(RESIDENT)).toEqual(['consent-needed', 'receipt']);
    // The complaint's timescales start with consent on Tuesday 31 March: acknowledged by Thursday 9 April (Easter falls between).
    expect(mailTo(RESIDENT, 'receipt')[0]?.text).toContain('Thursday 9 April 2026');
    expect((await h.caseOf(c.caseId)).waits?.consent).toBeUndefined();
  });

  it.each([['anonymous-review', 'decide what to do with an anonymous complaint']] as const)(
    'escalates an unanswered %s',
    async (task, label) => {
      h = await createHarness({ policy: 'unitary-feedback' });
      const c = await h.submit(complaintFrom(h, { anonymous: true, complainant: {} }));
      const due = (await h.caseOf(c.caseId)).deadlines.anonymousReviewBy as string;
      // Five working days from Monday 2 March.
      expect(due).toBe('2026-03-09T23:59:59.000Z');

      await h.advanceTo(justAfter(due));

      expect((await h.caseOf(c.caseId)).waits?.[task]?.escalations).toBe(1);
      expect(h.sent.find((m) => m.template === 'manager-escalation')?.text).toContain(label);
    },
  );

  it('gives a pause a review date in the letter, reminds the officer before it and escalates after it', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    const officer = (await h.caseOf(c.caseId)).assignedTo as string;

    await h.act(h.linkFor('respond'), { decision: 'pause', pauseKind: 'mediation', residentAgreed: 'yes' });

    // Paused Monday 2 March: reviewed within 20 working days, by Monday 30 March.
    const [pause] = mailTo(RESIDENT, 'pause');
    expect(pause?.text).toContain('We will check with you how things are going by Monday 30 March 2026.');
    // 23:59:59 British Summer Time.
    expect((await h.caseOf(c.caseId)).deadlines.pauseReviewBy).toBe('2026-03-30T22:59:59.000Z');
    await h.advanceTo('2026-03-27T09:00:00.000Z');
    expect(mailTo(officer, 'officer-reminder')[0]?.text).toContain('Monday 30 March 2026');
    await h.advanceTo('2026-03-31T09:00:00.000Z');
    expect(mailTo(WAITS_MANAGER, 'manager-escalation')[0]?.text).toContain(
      'review the paused complaint with the resident',
    );
    expect((await h.caseOf(c.caseId)).waits?.resume?.escalations).toBe(1);
  });

  it('chases the stage 2 decision with the reviewer', async () => {
    h = await createHarness({ policy: 'dudley' });
    const c = await h.submit(complaintFrom(h, { service: 'highways' }));
    await acknowledgeAndRespond();
    await h.act(h.linkFor('stage-2-request'), { decision: 'request', grounds: 'factual-error' });
    const record = await h.caseOf(c.caseId);
    const reviewer = record.openTask?.officer as string;
    const due = record.deadlines.stage2DecisionBy as string;

    await h.advanceTo(justAfter(due));

    expect(mailTo(reviewer, 'officer-reminder')).toHaveLength(1);
    expect(mailTo(WAITS_MANAGER, 'manager-escalation')[0]?.text).toContain(
      'decide on the request for stage 2',
    );
  });
});

describe('stage 2 as the councils say', () => {
  it("offers Dudley's three grounds on the request page, requires one and stores it", async () => {
    h = await createHarness({ policy: 'dudley' });
    const c = await h.submit(complaintFrom(h, { service: 'highways' }));
    await acknowledgeAndRespond();
    const link = h.linkFor('stage-2-request');

    const page = await h.view(link);
    expect(page.body).toContain('The decision made has been based on a factual error');
    expect(page.body).toContain('There has been an oversight on a significant piece of evidence');
    expect(page.body).toContain('name="grounds"');
    const none = await h.act(link, { decision: 'request', response: 'I disagree.' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Select why you are asking for a review');
    const ok = await h.act(link, {
      decision: 'request',
      grounds: 'new-evidence',
      response: 'I have photos.',
    });

    expect(ok.statusCode, ok.body).toBe(200);
    const record = await h.caseOf(c.caseId);
    expect(record.progress.stage2).toMatchObject({
      grounds: ['new-evidence'],
      groundsText: 'I have photos.',
    });
    const reviewerPage = await h.view(h.linkFor('stage-2-decision', record.openTask?.officer));
    expect(reviewerPage.body).toContain('New evidence has been provided');
  });

  it("lets South Norfolk's reviewer resolve the cause before stage 2, and tells the resident what was agreed", async () => {
    h = await createHarness({ policy: 'south-norfolk' });
    const c = await h.submit(complaintFrom(h));
    await acknowledgeAndRespond();
    await h.act(h.linkFor('stage-2-request'), {
      decision: 'request',
      response: 'You did not fix the fence.',
    });
    const reviewer = (await h.caseOf(c.caseId)).openTask?.officer as string;
    expect((await h.caseOf(c.caseId)).openTask?.name).toBe('stage-2-decision');

    const done = await h.act(h.linkFor('stage-2-decision', reviewer), {
      decision: 'resolve',
      resolution: 'We will repair the fence on 20 March and have apologised.',
    });

    expect(done.statusCode, done.body).toBe(200);
    const [letter] = mailTo(RESIDENT, 'stage-2-resolved');
    expect(letter?.text).toContain('We will repair the fence on 20 March and have apologised.');
    expect(letter?.text).toContain('As agreed with you, your complaint will not go to a stage 2 review.');
    expect(letter?.text).toContain('Local Government and Social Care Ombudsman');
    expect(await h.caseOf(c.caseId)).toMatchObject({ status: 'closed', stage: 1 });
    expect(h.states(c.caseId)).not.toContain('Start stage 2');
  });

  it("lets South Norfolk's reviewer decline a request with no grounds, with reasons and the Ombudsman", async () => {
    h = await createHarness({ policy: 'south-norfolk' });
    const c = await h.submit(complaintFrom(h));
    await acknowledgeAndRespond();
    await h.act(h.linkFor('stage-2-request'), { decision: 'request' });
    const reviewer = (await h.caseOf(c.caseId)).openTask?.officer as string;

    await h.act(h.linkFor('stage-2-decision', reviewer), {
      decision: 'refuse',
      reason: 'There are no grounds to investigate: you raised nothing new.',
    });

    const [letter] = mailTo(RESIDENT, 'stage-2-refused');
    expect(letter?.text).toContain('There are no grounds to investigate: you raised nothing new.');
    expect(letter?.text).toContain('Local Government and Social Care Ombudsman');
    expect((await h.caseOf(c.caseId)).status).toBe('closed');
  });

  it('never lets stage 2 go to anyone who handled stage 1, even by reassigning', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    const stage1Officer = (await h.caseOf(c.caseId)).assignedTo as string;
    // Stage 1 is reassigned to the policy's stage-2 reviewer, who then responds.
    const reviewer = h.policy.routing.stage2Reviewer;
    const moved = await h.act(h.linkFor('acknowledge'), { decision: 'reassign', reassignTo: reviewer });
    expect(moved.statusCode, moved.body).toBe(200);
    await h.act(h.linkFor('acknowledge', reviewer), ACKNOWLEDGE);
    await h.act(h.linkFor('respond', reviewer), {
      decision: 'respond',
      outcome: 'not-upheld',
      response: 'We found no fault.',
    });
    await h.act(h.linkFor('stage-2-request'), { decision: 'request' });

    const stage2 = await h.caseOf(c.caseId);
    expect(stage2.stage).toBe(2);
    expect(stage2.stage1Handlers).toEqual(expect.arrayContaining([stage1Officer, reviewer]));
    expect([stage1Officer, reviewer]).not.toContain(stage2.assignedTo);

    const back = await h.act(h.linkFor('acknowledge', stage2.assignedTo), {
      decision: 'reassign',
      reassignTo: reviewer,
    });
    expect(back.statusCode).toBe(400);
    expect(back.body).toContain('handled this complaint at stage 1');
    expect((await h.caseOf(c.caseId)).assignedTo).toBe(stage2.assignedTo);
  });
});

describe('time limits', () => {
  it('lets the officer refuse a complaint made after the time limit, with reasons and the Ombudsman', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h, { happenedOn: '2024-01-10' }));
    const link = h.linkFor('acknowledge');

    const page = await h.view(link);
    expect(page.body).toContain('more than 12 months before we received the complaint');
    expect(page.body).toContain('value="refuse-out-of-time"');
    await h.act(link, {
      decision: 'refuse-out-of-time',
      timeLimitReason: 'The contractor’s records from 2024 no longer exist, and you knew of it at the time.',
    });

    const [letter] = mailTo(RESIDENT, 'out-of-time');
    expect(letter?.text).toContain('on Wednesday 10 January 2024');
    expect(letter?.text).toContain('within 12 months of that, which was by Friday 10 January 2025');
    expect(letter?.text).toContain('The contractor’s records from 2024 no longer exist');
    expect(letter?.text).toContain('Local Government and Social Care Ombudsman');
    expect(await h.caseOf(c.caseId)).toMatchObject({ status: 'closed', happenedOn: '2024-01-10' });
  });

  it('does not offer refusal for a complaint within the limit, and the officer may accept a late one', async () => {
    h = await createHarness();
    await h.submit(complaintFrom(h, { happenedOn: '2026-02-20' }));
    const inTime = await h.view(h.linkFor('acknowledge'));
    expect(inTime.body).not.toContain('refuse-out-of-time');
    const refused = await h.act(h.linkFor('acknowledge'), {
      decision: 'refuse-out-of-time',
      timeLimitReason: 'Too late.',
    });
    expect(refused.statusCode).toBe(400);

    const late = await h.submit(
      complaintFrom(h, { happenedOn: '2023-06-01', complainant: { name: 'B', email: 'b@example.com' } }),
    );
    await h.act(h.linkFor('acknowledge', late.assignedTo), ACKNOWLEDGE);
    expect((await h.caseOf(late.caseId)).status).toBe('investigating');
  });

  it('asks on the resident form when it happened, with the policy’s limit', async () => {
    h = await createHarness();
    const result = await h.get('/');
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('When did it happen, or when did you find out about it?');
    expect(result.body).toContain('Complaints are normally made within 12 months');
    expect(result.body).toContain('name="happenedOn.day"');
  });
});

describe('policy data, not code', () => {
  it('pauses for legal proceedings, as the policy lists, and says so in the letters', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    const page = await h.view(h.linkFor('respond'));
    expect(page.body).toContain('value="legal-proceedings"');

    await h.act(h.linkFor('respond'), {
      decision: 'pause',
      pauseKind: 'legal-proceedings',
      residentAgreed: 'yes',
    });
    await h.advanceTo('2026-03-09T09:00:00.000Z');
    await h.act(h.linkFor('resume'), { decision: 'resume' });

    const [pause] = mailTo(RESIDENT, 'pause');
    expect(pause?.subject).toContain('paused during legal proceedings');
    expect(pause?.text).toContain('while legal proceedings about this matter are under way');
    expect(mailTo(RESIDENT, 'resume')[0]?.text).toContain(
      'The legal proceedings about this matter have ended',
    );
    expect((await h.caseOf(c.caseId)).progress.stage1.pauseKind).toBe('legal-proceedings');
  });

  it('offers only the pause kinds the policy lists', async () => {
    h = await createHarness();
    h.policy.complaint.pauseKinds = ['mediation'];
    await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);

    const refused = await h.act(h.linkFor('respond'), {
      decision: 'pause',
      pauseKind: 'legal-proceedings',
      residentAgreed: 'yes',
    });

    expect(refused.statusCode).toBe(400);
    expect((await h.view(h.linkFor('respond'))).body).not.toContain('value="legal-proceedings"');
  });

  it('commits the holding letter to the policy’s new date and escalates again on it', async () => {
    h = await createHarness();
    h.policy.complaint.missedResponse.everyWorkingDays = 3;
    const c = await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    const { respondBy } = (await h.caseOf(c.caseId)).deadlines;

    await h.advanceTo(justAfter(respondBy));
    // Missed Monday 16 March: three working days on is Thursday 19 March.
    expect(mailTo(RESIDENT, 'holding-letter')[0]?.text).toContain('Thursday 19 March 2026');
    await h.advanceTo('2026-03-19T12:00:00.000Z');
    expect(h.sent.filter((m) => m.template === 'manager-escalation')).toHaveLength(1);
    await h.advanceTo('2026-03-20T09:00:00.000Z');
    expect(h.sent.filter((m) => m.template === 'manager-escalation')).toHaveLength(2);
  });

  it('sends stage 1 to the manager responsible for the service where the policy says so (South Norfolk)', async () => {
    h = await createHarness({ policy: 'south-norfolk' });
    const c = await h.submit(complaintFrom(h));

    const manager = h.policy.routing.services.find((s) => s.id === c.service)?.manager;
    expect(manager).toBeDefined();
    expect((await h.caseOf(c.caseId)).assignedTo).toBe(manager);
    expect(mailTo(manager as string, 'officer-task')).toHaveLength(1);
  });

  it('lets an extension go without reasons only where the policy does not require them', async () => {
    h = await createHarness();
    await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    const required = await h.act(h.linkFor('respond'), { decision: 'extend', extendDays: '3' });
    expect(required.statusCode).toBe(400);
    expect(required.body).toContain('Enter the reasons');

    h.policy.complaint.stage1.extension.reasonsRequired = false;
    const ok = await h.act(h.linkFor('respond'), { decision: 'extend', extendDays: '3' });

    expect(ok.statusCode, ok.body).toBe(200);
    const [letter] = mailTo(RESIDENT, 'extension');
    expect(letter?.text).not.toContain('WHY WE NEED MORE TIME');
    expect(letter?.text).toContain('We will now send you our response by');
  });

  it('records a compliment without passing it on where the policy says not to', async () => {
    h = await createHarness();
    h.policy.compliment.passToStaff = false;
    const c = await h.submit({
      kind: 'compliment',
      service: 'waste-recycling',
      summary: 'The crew were kind and careful.',
      complainant: { name: 'Ada Lovelace', email: RESIDENT },
    });

    expect(h.templates(RESIDENT)).toEqual(['compliment-acknowledgement']);
    const [thanks] = mailTo(RESIDENT, 'compliment-acknowledgement');
    expect(thanks?.text).toContain('We have recorded your compliment.');
    expect(thanks?.text).not.toMatch(/passed/i);
    expect(
      h.sent.filter((m) => m.template === 'compliment-to-staff' || m.template === 'officer-task'),
    ).toHaveLength(0);
    expect(h.states(c.caseId, 'compliment')).toEqual(
      expect.arrayContaining(['Pass it on?', 'Record the reply and close the case']),
    );
    expect((await h.caseOf(c.caseId)).status).toBe('closed');
  });

  it("caps the agreed social care timeframe at the policy's number", async () => {
    h = await createHarness({ policy: 'social-care-statutory' });
    h.policy.socialCare = {
      ...(h.policy.socialCare as NonNullable<typeof h.policy.socialCare>),
      maxAgreedWorkingDays: 60,
    };
    const c = await h.submit(complaintFrom(h, { service: 'home-care' }));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    const link = h.linkFor('social-care-plan');

    const tooLong = await h.act(link, {
      decision: 'agree-plan',
      plan: 'Review the care package.',
      agreedWorkingDays: '61',
    });
    const ok = await h.act(link, {
      decision: 'agree-plan',
      plan: 'Review the care package.',
      agreedWorkingDays: '60',
    });

    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('between 1 and 60');
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await h.caseOf(c.caseId)).plan?.agreedWorkingDays).toBe(60);
  });
});
