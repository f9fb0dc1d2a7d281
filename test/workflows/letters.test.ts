import { afterEach, describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../functions/domain/case.js';
import { OMBUDSMEN } from '../../functions/domain/ombudsmen.js';
import { formatLongDate } from '../../functions/templates/render-email.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { councilInWales } from '../support/council-in-wales.js';
import { lastClockWakeUp } from './faults.js';
import { complaintFrom, createHarness, type Harness, RESIDENT } from './harness.js';

/**
 * Golden tests for what the letters say: each wrong statement found in the letters of real
 * paths, run on the real ASL with the local engine, asserting the letter's words and that its
 * dates are the dates the workflow then enforces.
 */

let h: Harness;

afterEach(async () => {
  await h?.close();
});

const justAfter = (iso: string | undefined, ms = 1000) =>
  new Date(Date.parse(iso as string) + ms).toISOString();

const resident = { name: 'Ada Lovelace', email: RESIDENT };

/** Dorset's timescales (the response counted from receipt) for a council in Wales that offers Welsh. */
const WELSH_DORSET = councilInWales('dorset');

/** The one letter of a template sent to the resident (fails if there is not exactly one). */
function letter(template: string) {
  const letters = h.sent.filter((m) => m.template === template && m.to.includes(RESIDENT));
  expect(letters.map((m) => m.template)).toEqual([template]);
  return letters[0] as (typeof letters)[number];
}

/** When the workflow recorded sending a template to the resident. */
async function sentAt(c: CaseRecord, template: string): Promise<string[]> {
  return (await h.store.events(c.caseId))
    .filter((e) => e.type === 'email-sent' && e.detail?.template === template)
    .map((e) => e.at);
}

async function acknowledge(c: CaseRecord) {
  await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
  return h.caseOf(c.caseId);
}

describe('letters that tell the truth', () => {
  it('tells a resident whose complaint was resolved at first contact that it was resolved, not "not upheld"', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));

    const done = await h.act(h.linkFor('acknowledge'), {
      decision: 'resolve',
      response: 'We rebooked your application and called you to apologise.',
    });

    expect(done.statusCode, done.body).toBe(200);
    const response = letter('response');
    expect(response.text).not.toMatch(/not upheld/i);
    expect(response.text).not.toMatch(/did anything wrong/i);
    expect(response.text).toMatch(/resolved/i);
    expect(response.text).toContain('We rebooked your application and called you to apologise.');
    // The resident can still ask for stage 2, by the date the workflow waits for.
    const record = await h.caseOf(c.caseId);
    expect(response.text).toContain(formatLongDate(record.deadlines.stage2RequestBy as string));
  });

  // Dudley MBC Corporate Customer Feedback Procedure, June 2019, §5: the investigating officer
  // decides whether the complaint is Upheld, Not Upheld or Partially Upheld, at each stage. The
  // final letter states the finding of the review it answers, never stage 1's again.
  it.each(['lgsco-code-2024', 'dudley'])(
    'tells a resident the stage 2 finding in the final response, not the stage 1 finding (%s)',
    async (preset) => {
      h = await createHarness({ policy: preset });
      const c = await acknowledge(await h.submit(complaintFrom(h)));
      await h.act(h.linkFor('respond'), {
        decision: 'respond',
        outcome: 'not-upheld',
        response: 'Done right.',
      });
      const stage2Policy = h.policy.complaint.stage2;
      const ground = stage2Policy?.groundsRequired ? stage2Policy.grounds[0]?.id : undefined;
      await h.act(h.linkFor('stage-2-request'), {
        decision: 'request',
        response: 'Please look again.',
        ...(ground ? { grounds: ground } : {}),
      });
      // Grounds to weigh (Dudley's three): a reviewer accepts the request first.
      if (ground) await h.act(h.linkFor('stage-2-decision'), { decision: 'accept' });
      const stage2 = await h.caseOf(c.caseId);
      expect(stage2.stage).toBe(2);
      await h.act(h.linkFor('acknowledge', stage2.assignedTo), ACKNOWLEDGE);

      const done = await h.act(h.linkFor('respond', stage2.assignedTo), {
        decision: 'respond',
        outcome: 'upheld',
        response: 'We met you, rebooked your application and apologised.',
      });

      expect(done.statusCode, done.body).toBe(200);
      const final = letter('final-response');
      expect(final.text).toContain('We met you, rebooked your application and apologised.');
      expect(final.text).not.toMatch(/not upheld/i);
      expect(final.text).toMatch(/\bupheld\b/i);
    },
  );

  it('gives the old date and the new date in every extension letter, as the workflow enforces them', async () => {
    h = await createHarness();
    const c = await acknowledge(await h.submit(complaintFrom(h)));
    const first = c.deadlines.respondBy as string; // Monday 16 March 2026

    await h.act(h.linkFor('respond'), {
      decision: 'extend',
      extendDays: '5',
      reason: 'Waiting for a contractor',
    });
    const once = await h.caseOf(c.caseId);
    await h.act(h.linkFor('respond'), {
      decision: 'extend',
      extendDays: '2',
      reason: 'The contractor is ill',
    });
    const twice = await h.caseOf(c.caseId);

    const letters = h.sent.filter((m) => m.template === 'extension');
    expect(letters).toHaveLength(2);
    const [a, b] = letters.map((m) => m.text);
    expect(a).toContain(`We said we would respond by ${formatLongDate(first)}.`);
    expect(a).toContain(
      `We will now send you our response by ${formatLongDate(once.deadlines.respondBy as string)}.`,
    );
    expect(b).toContain(`We said we would respond by ${formatLongDate(once.deadlines.respondBy as string)}.`);
    expect(b).toContain(
      `We will now send you our response by ${formatLongDate(twice.deadlines.respondBy as string)}.`,
    );
    expect(b).toContain('The contractor is ill');
    expect(formatLongDate(once.deadlines.respondBy as string)).toBe('Monday 23 March 2026');
    expect(formatLongDate(twice.deadlines.respondBy as string)).toBe('Wednesday 25 March 2026');
    // The workflow holds the officer to the date the resident was given.
    await h.advanceTo(justAfter(once.deadlines.respondBy));
    expect(h.templates().filter((t) => t === 'manager-escalation')).toHaveLength(0);
    await h.advanceTo(justAfter(twice.deadlines.respondBy));
    expect(h.templates().filter((t) => t === 'manager-escalation')).toHaveLength(1);
  });

  it.each([
    ['a different reviewer', true],
    ['the same mailbox', false],
  ])('claims the stage 2 reviewer was not involved at stage 1 only when it is %s', async (_, different) => {
    h = await createHarness();
    if (!different) {
      // A council whose stage 2 goes back to the same mailbox (allowed by its policy).
      const service = h.policy.routing.services.find((s) => !s.redirect && !s.housingLandlord);
      if (!service || !h.policy.complaint.stage2) throw new Error('the preset has no such service');
      service.stage2Reviewer = service.mailbox;
      h.policy.routing.stage2Reviewer = service.mailbox ?? h.policy.routing.complaintsTeam;
      h.policy.complaint.stage2.differentOfficer = false;
    }
    const c = await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    await h.act(h.linkFor('respond'), {
      decision: 'respond',
      outcome: 'not-upheld',
      response: 'Done right.',
    });
    const stage1Officer = (await h.caseOf(c.caseId)).assignedTo;
    await h.act(h.linkFor('stage-2-request'), { decision: 'request', response: 'Please look again.' });
    const stage2 = await h.caseOf(c.caseId);
    await h.act(h.linkFor('acknowledge', stage2.assignedTo), ACKNOWLEDGE);

    const ack = letter('stage-2-acknowledgement');
    const serviceName = h.policy.routing.services.find((s) => s.id === c.service)?.name as string;
    expect(ack.text).not.toContain(`${serviceName} team, who was not involved`);
    expect(stage2.assignedTo !== stage1Officer).toBe(different);
    if (different) expect(ack.text).toMatch(/was not involved at stage 1/);
    else expect(ack.text).not.toMatch(/not involved/);
    const acknowledged = await h.caseOf(c.caseId);
    expect(ack.text).toContain(formatLongDate(acknowledged.deadlines.stage2RespondBy as string));

    await h.act(h.linkFor('respond', stage2.assignedTo), {
      decision: 'respond',
      outcome: 'not-upheld',
      response: 'We agree with stage 1.',
    });
    const final = letter('final-response');
    if (different) expect(final.text).toMatch(/was not involved at stage 1/);
    else expect(final.text).not.toMatch(/not involved/);
  });

  it('tells a commenter, before the reply is due, why it is late and when it will come, as a comment', async () => {
    h = await createHarness({ policy: 'unitary-feedback' });
    const c = await h.submit({
      kind: 'comment',
      summary: 'More benches in the park, please.',
      complainant: resident,
    });
    const replyBy = c.deadlines.replyBy as string;

    await h.advanceTo(justAfter(replyBy));

    const delay = letter('holding-letter');
    expect(delay.subject).toMatch(/comment/i);
    expect(`${delay.subject}\n${delay.text}`).not.toMatch(/complaint/i);
    expect(delay.text).toMatch(/because|not yet finished/i);
    const [at] = await sentAt(c, 'holding-letter');
    expect(Date.parse(at as string)).toBeLessThan(Date.parse(replyBy));
    expect(delay.text).toContain(`We told you we would reply by ${formatLongDate(replyBy)}.`);
    // The new date is the one the workflow escalates at if the reply has still not gone.
    const newDate = /We will now send you a full reply by (\w+ \d+ \w+ \d{4})\./.exec(delay.text)?.[1];
    expect(newDate).toBeDefined();
    expect(h.templates().filter((t) => t === 'manager-escalation')).toHaveLength(1);
    const record = await h.caseOf(c.caseId);
    const escalations = (await h.store.events(c.caseId)).filter((e) => e.type === 'deadline-missed');
    expect(escalations).toHaveLength(1);
    expect(record.status).not.toBe('closed');
    await h.advanceTo(new Date(Date.parse(`${newDate} 12:00 UTC`)).toISOString());
    expect(h.templates().filter((t) => t === 'manager-escalation')).toHaveLength(1);
    await h.advanceTo(new Date(Date.parse(`${newDate} 23:59:59 UTC`) + 3_600_000).toISOString());
    expect(h.templates().filter((t) => t === 'manager-escalation')).toHaveLength(2);
  });

  it('does not send a complimenter a delay letter about a "complaint": the service is chased instead', async () => {
    h = await createHarness({ policy: 'unitary-feedback' });
    const c = await h.submit({
      kind: 'compliment',
      summary: 'Sam on the bin round is always kind.',
      complainant: resident,
    });

    await h.advanceTo(justAfter(c.deadlines.acknowledgeBy));

    expect(h.templates(RESIDENT)).toEqual(['compliment-acknowledgement']);
    expect(h.templates().filter((t) => t === 'manager-escalation')).toHaveLength(1);
  });

  it.each([['redirect', { summary: 'There is a pothole outside my house on Hill Road.' }]])(
    'tells a resident whose %s letter closes the case that they can go to the Ombudsman',
    async (template, body) => {
      h = await createHarness();
      await h.submit({ ...complaintFrom(h), service: undefined, ...body });
      const sent = letter(template);
      expect(sent.text).toMatch(/Local Government and Social Care Ombudsman/);
      expect(sent.text).toContain(OMBUDSMEN.lgsco.phone);
    },
  );

  it('tells a resident whose complaint is found not to be one that they can go to the Ombudsman', async () => {
    h = await createHarness();
    await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), {
      decision: 'not-a-complaint',
      redirect: 'We have booked the repair for Thursday.',
    });
    const sent = letter('not-a-complaint');
    expect(sent.text).toContain('We have booked the repair for Thursday.');
    expect(sent.text).toMatch(/Local Government and Social Care Ombudsman/);
  });

  it('tells a resident refused stage 2 that they can go to the Ombudsman', async () => {
    h = await createHarness({ policy: 'dudley' });
    const c = await h.submit(complaintFrom(h, { service: 'highways' }));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    await h.act(h.linkFor('respond'), {
      decision: 'respond',
      outcome: 'not-upheld',
      response: 'Done right.',
    });
    await h.act(h.linkFor('stage-2-request'), {
      decision: 'request',
      grounds: 'factual-error',
      response: 'I just disagree.',
    });
    const reviewer = (await h.caseOf(c.caseId)).openTask?.officer as string;
    await h.act(h.linkFor('stage-2-decision', reviewer), { decision: 'refuse', reason: 'No new evidence.' });
    expect(letter('stage-2-refused').text).toMatch(/Local Government and Social Care Ombudsman/);
  });

  it.each(['lgsco-code-2024', 'south-norfolk', 'dudley'])(
    'sends the holding letter (%s) before the response deadline, with the reason and the new date the workflow enforces',
    async (policy) => {
      h = await createHarness({ policy });
      const c = await acknowledge(await h.submit(complaintFrom(h)));
      const respondBy = c.deadlines.respondBy as string;

      await h.advanceTo(justAfter(respondBy));

      const holding = letter('holding-letter');
      const [at] = await sentAt(c, 'holding-letter');
      expect(Date.parse(at as string)).toBeLessThan(Date.parse(respondBy));
      expect(holding.text).toContain(
        `We told you we would send our response by ${formatLongDate(respondBy)}.`,
      );
      expect(holding.text).toMatch(/not yet finished looking into your complaint/);
      expect(holding.text).not.toMatch(/we have not sent you our/i);
      expect(holding.text).not.toMatch(/has been told about the delay/);
      const newDate = /We will now send you our response by (\w+ \d+ \w+ \d{4})\./.exec(holding.text)?.[1];
      expect(newDate).toBeDefined();
      // The manager is told when the deadline passes, and again if the new date passes too.
      expect(h.templates().filter((t) => t === 'manager-escalation')).toHaveLength(1);
      expect(h.sent.find((m) => m.template === 'manager-escalation')?.text).toContain(
        'The resident has been told about the delay.',
      );
      await h.advanceTo(new Date(Date.parse(`${newDate} 12:00 UTC`)).toISOString());
      expect(h.templates().filter((t) => t === 'manager-escalation')).toHaveLength(1);
      await h.advanceTo(new Date(Date.parse(`${newDate} 23:59:59 UTC`) + 3_600_000).toISOString());
      expect(h.templates().filter((t) => t === 'manager-escalation')).toHaveLength(2);
    },
  );
});

describe('a holding letter that can only go late', () => {
  it('says the date has passed and commits to the next date the workflow enforces, still ahead', async () => {
    // Dorset counts the response from receipt, so it is overdue when the letter is typed in.
    h = await createHarness({ policy: 'dorset', start: '2026-04-20T09:00:00.000Z' });
    // A letter received on 2 March, typed in seven weeks later: every deadline has passed.
    const c = await h.enter(complaintFrom(h, { channel: 'letter', receivedAt: '2026-03-02T09:00:00.000Z' }));
    await h.advanceTo('2026-04-20T10:00:00.000Z');

    const holding = letter('holding-letter');
    const record = await h.caseOf(c.caseId);
    expect(holding.subject).toMatch(/is late/);
    expect(holding.text).toContain(
      `We told you we would send our response by ${formatLongDate(record.deadlines.respondBy as string)}. We are sorry that we have not yet done so.`,
    );
    const newDate = /We will now send you our response by (\w+ \d+ \w+ \d{4})\./.exec(
      holding.text,
    )?.[1] as string;
    expect(Date.parse(`${newDate} 23:00 UTC`)).toBeGreaterThan(Date.parse('2026-04-20T10:00:00.000Z'));
    // The letter went before the manager was told, and the manager is told again on that date.
    const events = await h.store.events(c.caseId);
    const sentAtIndex = events.findIndex(
      (e) => e.type === 'email-sent' && e.detail?.template === 'holding-letter',
    );
    const missedIndex = events.findIndex(
      (e) => e.type === 'deadline-missed' && e.detail?.clock === 'respond',
    );
    expect(sentAtIndex).toBeGreaterThan(-1);
    expect(missedIndex).toBeGreaterThan(sentAtIndex);
    const before = h.templates().filter((t) => t === 'manager-escalation').length;
    await h.advanceTo(new Date(Date.parse(`${newDate} 12:00 UTC`)).toISOString());
    expect(h.templates().filter((t) => t === 'manager-escalation')).toHaveLength(before);
    await h.advanceTo(new Date(Date.parse(`${newDate} 23:59:59 UTC`) + 3_600_000).toISOString());
    expect(h.templates().filter((t) => t === 'manager-escalation')).toHaveLength(before + 1);
  });
});

describe('an acknowledgement that goes after the response date', () => {
  it.each([
    ['en', 'We should have sent you our response by', 'We will write to you separately with the new date.'],
    [
      'cy',
      'Dylem fod wedi anfon ein hymateb atoch erbyn',
      'Byddwn yn ysgrifennu atoch ar wahân gyda’r dyddiad newydd.',
    ],
  ])('(%s) apologises for the date passed rather than promising it', async (language, missed, newDate) => {
    // A letter received on 2 March and typed in seven weeks later: the workflow acknowledges it
    // at once, as its acknowledgement date has passed, and Dorset's response date (counted from
    // receipt) has passed too. The holding letter that follows gives the new date.
    h = await createHarness({
      policy: language === 'cy' ? WELSH_DORSET : 'dorset',
      start: '2026-04-20T09:00:00.000Z',
    });
    const c = await h.enter(
      complaintFrom(h, { channel: 'letter', receivedAt: '2026-03-02T09:00:00.000Z', language }),
    );
    await h.advanceTo('2026-04-20T10:00:00.000Z');

    const acknowledgement = letter('acknowledgement');
    const respondBy = (await h.caseOf(c.caseId)).deadlines.respondBy as string;
    const date = formatLongDate(respondBy, language as 'en' | 'cy');
    expect(Date.parse(respondBy)).toBeLessThan(Date.parse('2026-04-20T09:00:00.000Z'));
    expect(acknowledgement.text).toContain(`${missed} ${date}`);
    expect(acknowledgement.text).toContain(newDate);
    expect(acknowledgement.text).not.toMatch(
      /We will send you our response by|Byddwn yn anfon ein hymateb atoch erbyn/,
    );
    expect(h.templates(RESIDENT)).toContain('holding-letter');
  });
});

describe('feedback typed in after the dates counted from its receipt have passed', () => {
  // A letter received on 2 March, typed in seven weeks later.
  const entered = '2026-04-20T09:00:00.000Z';
  const dateIn = (text: string, after: string) =>
    new RegExp(`${after} (\\w+ \\d+ \\w+ \\d{4})`).exec(text)?.[1] as string;
  const endOf = (written: string) => Date.parse(`${written} 23:00 UTC`);

  it('tells a hate crime victim, and the team it went to, a contact date still to come', async () => {
    h = await createHarness({ start: entered });
    await h.enter(
      complaintFrom(h, {
        channel: 'letter',
        receivedAt: '2026-03-02T09:00:00.000Z',
        summary: 'My neighbour shouts racist abuse at my children every day.',
      }),
    );
    await h.advanceTo('2026-04-20T10:00:00.000Z');

    const told = dateIn(letter('redirect').text, 'They will contact you by');
    const referral = h.sent.find((m) => m.template === 'referral');
    expect(endOf(told)).toBeGreaterThan(Date.parse(entered));
    expect(referral?.subject).toContain(`contact the resident by ${told}`);
  });

  it.each([
    ['comment', 'en', 'We should have replied by Monday 16 March 2026, and we are sorry that we have not.'],
    [
      'representation',
      'en',
      'We should have given you feedback by Monday 30 March 2026, and we are sorry that we have not.',
    ],
    [
      'comment',
      'cy',
      'Dylem fod wedi ateb erbyn dydd Llun 16 Mawrth 2026, ac mae’n ddrwg gennym nad ydym wedi gwneud hynny.',
    ],
  ])(
    'says in the receipt of a %s (%s) that the date to answer it by has passed',
    async (kind, language, missed) => {
      // The receipt leaves out a date already past, but said "If we cannot reply in full by then"
      // with no date before it; and the holding letter that follows at once says "We told you we
      // would reply by" a date the resident was never told.
      h = await createHarness({ policy: language === 'cy' ? WELSH_DORSET : 'dorset', start: entered });
      await h.enter({
        kind,
        channel: 'letter',
        receivedAt: '2026-03-02T09:00:00.000Z',
        summary: 'More benches in the park, please.',
        complainant: resident,
        language,
      });
      await h.advanceTo('2026-04-20T10:00:00.000Z');

      const receipt = letter('receipt');
      expect(receipt.text).toContain(missed);
      expect(receipt.text).not.toMatch(/by then|erbyn hynny/);
      expect(h.templates(RESIDENT)).toEqual(['receipt', 'holding-letter']);
    },
  );

  it.each([
    ['a complaint whose response date has passed', 'dorset', {}, 'send the response'],
    [
      'a hate incident report whose check has passed',
      'lgsco-code-2024',
      { summary: 'My neighbour shouts racist abuse at my children every day.' },
      'check a message not treated as a complaint',
    ],
  ])(
    'tells the manager once about %s, not once for each interval since',
    async (_what, policy, extra, missed) => {
      // Seven weeks late is seven escalation intervals (every 5 working days): the clock caught
      // up one email a second, each 'Deadline missed' for the same date, to the same manager.
      h = await createHarness({ policy, start: entered });
      await h.enter(
        complaintFrom(h, { channel: 'letter', receivedAt: '2026-03-02T09:00:00.000Z', ...extra }),
      );
      await h.advanceTo('2026-04-20T10:00:00.000Z');

      const about = h.sent.filter((m) => m.template === 'manager-escalation' && m.subject.endsWith(missed));
      expect(about).toHaveLength(1);
    },
  );

  it('tells a representative a date still to come for hearing about consent', async () => {
    h = await createHarness({ start: entered });
    await h.enter(
      complaintFrom(h, {
        channel: 'letter',
        receivedAt: '2026-03-02T09:00:00.000Z',
        onBehalfOf: { name: 'Grace Hopper', relationship: 'neighbour', consent: false },
      }),
    );
    await h.advanceTo('2026-04-20T10:00:00.000Z');

    const told = dateIn(letter('consent-needed').text, 'will contact you about it by');
    expect(endOf(told)).toBeGreaterThan(Date.parse(entered));
  });
});

describe('the date a holding letter commits to', () => {
  // South Norfolk Council Complaints Policy: "Keep the complainant informed and notify them if
  // there is a delay and commit to a new timescale in which they will receive a response."
  it('is not let pass in silence: the resident is told again, with a new date still ahead', async () => {
    h = await createHarness({ policy: 'south-norfolk' });
    const c = await acknowledge(await h.submit(complaintFrom(h)));
    await h.advanceTo(justAfter(c.deadlines.respondBy));
    const holding = letter('holding-letter');
    const promised = /We will now send you our response by (\w+ \d+ \w+ \d{4})\./.exec(holding.text)?.[1];
    expect(promised).toBeDefined();
    const count = h.sent.length;

    // The committed date passes with no response: the day after it.
    const dayAfter = new Date(Date.parse(`${promised} 23:59:59 UTC`) + 3_600_000).toISOString();
    await h.advanceTo(dayAfter);

    const toResident = h.sent.slice(count).filter((m) => m.to.includes(RESIDENT));
    expect(toResident.map((m) => m.template)).toContain('holding-letter');
    const again = toResident.at(-1)?.text ?? '';
    expect(again).toContain(`We told you we would send our response by ${promised}.`);
    const next = /We will now send you our response by (\w+ \d+ \w+ \d{4})\./.exec(again)?.[1];
    expect(Date.parse(`${next} 23:00 UTC`)).toBeGreaterThan(Date.parse(dayAfter));
  });
});

describe('a further holding letter', () => {
  /** The holding letters the resident has been sent, oldest first. */
  const holdingLetters = () =>
    h.sent.filter((m) => m.template === 'holding-letter' && m.to.includes(RESIDENT));
  const newDateIn = (text: string) =>
    /We will now send you our response by (\w+ \d+ \w+ \d{4})\./.exec(text)?.[1] as string;
  const dayAfter = (longDate: string) =>
    new Date(Date.parse(`${longDate} 23:59:59 UTC`) + 3_600_000).toISOString();

  it('goes once for a passed date, however often the wake-up that sends it runs', async () => {
    // Prepare: the first letter's date has passed and the further letter has gone.
    h = await createHarness({ policy: 'south-norfolk' });
    const c = await acknowledge(await h.submit(complaintFrom(h)));
    await h.advanceTo(justAfter(c.deadlines.respondBy));
    await h.advanceTo(dayAfter(newDateIn(letter('holding-letter').text)));
    expect(holdingLetters()).toHaveLength(2);
    const next = newDateIn(holdingLetters()[1]?.text ?? '');
    const { payload: wakeUp, run } = await lastClockWakeUp(h, c.caseId);

    // Act: the wake-up's invocation again (a copy of the same entry, arriving late), then a second
    // entry of the clock state at the same moment (a restart that enters it again), then time
    // runs on to the new date's own day.
    const copy = await run(wakeUp, 'copy');
    // (Without the callback's token, whose task is over: the step reads and sees to the clock alike.)
    const { taskToken: _over, ...payload } = wakeUp;
    const reentered = await run(
      { ...payload, step: { ...payload.step, enteredAt: h.clock.now().toISOString() } },
      'reentered',
    );
    await h.clock.settle();
    await h.advanceTo(new Date(Date.parse(`${next} 12:00 UTC`)).toISOString());

    // Assess: the copy does nothing; the new entry reads the clock and finds nothing due; still
    // two letters, two recorded, and the date the second gave is the one kept.
    expect(copy).toBe('SupersededEntryError');
    expect(reentered).toBe('answered');
    expect(holdingLetters()).toHaveLength(2);
    expect(await sentAt(c, 'holding-letter')).toHaveLength(2);
    const kept = (await h.caseOf(c.caseId)).progress.stage1.holdingLetterPromised as string;
    expect(formatLongDate(kept)).toBe(next);
  });

  it('commits to a date counted in working days past a bank holiday', async () => {
    // Received Thursday 5 March 2026: South Norfolk's 15 working days end on Thursday 26 March,
    // and the first letter commits to five working days later, Thursday 2 April, the day before
    // Good Friday.
    h = await createHarness({ policy: 'south-norfolk', start: '2026-03-05T09:00:00.000Z' });
    const c = await acknowledge(await h.submit(complaintFrom(h)));
    await h.advanceTo(justAfter(c.deadlines.respondBy));
    expect(newDateIn(letter('holding-letter').text)).toBe('Thursday 2 April 2026');

    const states = h.states(c.caseId).length;
    await h.advanceTo(dayAfter('Thursday 2 April 2026'));
    // The letter and the escalation cost the wake-up no states of their own.
    expect(h.states(c.caseId).slice(states)).toEqual(['Check the response clock', 'Await the response']);

    // Five working days on from 2 April, skipping Good Friday and Easter Monday: 13 April, not 9 April.
    const again = holdingLetters()[1]?.text ?? '';
    expect(again).toContain('We told you we would send our response by Thursday 2 April 2026.');
    expect(newDateIn(again)).toBe('Monday 13 April 2026');
    // …the date the manager is next told, as the first letter's date was.
    const escalations = () => h.templates().filter((t) => t === 'manager-escalation').length;
    const before = escalations();
    await h.advanceTo('2026-04-13T12:00:00.000Z');
    expect(escalations()).toBe(before);
    await h.advanceTo(dayAfter('Monday 13 April 2026'));
    expect(escalations()).toBe(before + 1);
    expect(holdingLetters()).toHaveLength(3);
  });
});

describe('statutory social care letters', () => {
  async function planAgreed(days: string) {
    h = await createHarness({ policy: 'social-care-statutory' });
    const c = await h.submit({
      kind: 'complaint',
      service: 'home-care',
      summary: 'The carers for my father keep arriving hours late.',
      complainant: resident,
    });
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    await h.act(h.linkFor('social-care-plan'), {
      decision: 'agree-plan',
      plan: 'Review the rota with the care provider and call weekly.',
      agreedWorkingDays: days,
    });
    return h.caseOf(c.caseId);
  }

  it('writes at six months with the reason and the agreed date, without claiming a missed date or a manager told', async () => {
    const c = await planAgreed('130');
    const { respondBy, tellIfBeyond } = c.deadlines;
    expect(Date.parse(respondBy as string)).toBeGreaterThan(Date.parse(tellIfBeyond as string));

    await h.advanceTo(justAfter(tellIfBeyond));

    const sixMonths = h.sent.filter((m) => m.to.includes(RESIDENT)).at(-1);
    expect(sixMonths?.template).toBe('social-care-six-months');
    const text = sixMonths?.text ?? '';
    expect(text).not.toMatch(/we have not sent you our response by/i);
    expect(text).not.toMatch(/manager/i);
    expect(h.templates().filter((t) => t === 'manager-escalation')).toHaveLength(0);
    expect(text).toContain(formatLongDate(c.receivedAt));
    expect(text).toMatch(/six months/);
    expect(text).toContain('Review the rota with the care provider and call weekly.');
    expect(text).toContain(
      `We agreed with you that we would send our response by ${formatLongDate(respondBy as string)}.`,
    );
    expect(text).toMatch(/Local Government and Social Care Ombudsman/);
  });

  it('sends a written response with the Ombudsman when the complainant is satisfied (SI 2009/309 reg 14)', async () => {
    const c = await planAgreed('15');

    await h.act(h.linkFor('social-care-review'), {
      decision: 'resolved',
      response: 'The provider changed the rota; your father now gets his calls by 9am.',
    });

    expect(h.states(c.caseId, 'social-care')).toContain('Send the written response');
    const response = letter('social-care-response');
    expect(response.text).toContain('The provider changed the rota; your father now gets his calls by 9am.');
    expect(response.text).toMatch(/Local Government and Social Care Ombudsman/);
    expect(response.text).not.toMatch(/director|senior manager has agreed/i);
    expect((await h.caseOf(c.caseId)).status).toBe('closed');
  });
});
