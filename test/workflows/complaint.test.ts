import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { recreateResidentEmail } from '../../functions/app/correspondence.js';
import { recordOmbudsmanEnquiry } from '../../functions/app/ombudsman.js';
import { sentWithOf } from '../../functions/app/ombudsman-file.js';
import { stage2LateRequestDeadline } from '../../functions/domain/case-clock.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { BASE_URL, complaintFrom, createHarness, type Harness, RESIDENT } from './harness.js';

/**
 * One test per path through `workflows/complaint.asl.json`, run by the local engine with the
 * clock under the test's control. Each asserts the states visited, the emails sent and the
 * case record at the end.
 */

let h: Harness;

afterEach(async () => {
  await h?.close();
});

/** A council in Wales that offers Welsh (the fixture the Welsh tests use). */
const WELSH_COUNCIL = fileURLToPath(new URL('../fixtures/policies/welsh-council.json', import.meta.url));

const justAfter = (iso: string | undefined, ms = 1000) =>
  new Date(Date.parse(iso as string) + ms).toISOString();

/** Past the stage-2 window and the complaints team's time to accept a late request: the case closes. */
async function pastLateRequests(caseId: string) {
  const c = await h.caseOf(caseId);
  const lateBy = stage2LateRequestDeadline(h.policy, c);
  await h.advanceTo(justAfter(c.deadlines.stage2RequestBy));
  await h.advanceTo(justAfter(lateBy));
}

async function acknowledgeAndRespond(caseId: string, outcome = 'upheld') {
  await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
  const result = await h.act(h.linkFor('respond'), {
    decision: 'respond',
    outcome,
    response: 'We looked into what happened and here is what we found.',
  });
  expect(result.statusCode, result.body).toBe(200);
  return h.caseOf(caseId);
}

/** The officer's extension of the response deadline by `days`, for a contractor's report. */
const extendBy = (days: number) =>
  h.act(h.linkFor('respond'), {
    decision: 'extend',
    extendDays: String(days),
    reason: 'Waiting for a contractor',
  });

/** The officer refers the complainant as unreasonably persistent, and the nominated officer designates them. */
async function referredAndDesignated() {
  await h.act(h.linkFor('acknowledge'), {
    decision: 'refer-vexatious',
    reason: 'Tenth complaint about the same bin this month.',
  });
  await h.act(h.linkFor('vexatious-decision', h.policy.routing.nominatedOfficer), {
    decision: 'designate',
    reason: 'Unreasonably persistent contact about a matter already answered.',
  });
}

/** A fresh complaint, acknowledged; its response deadline (Monday 16 March 2026). */
async function acknowledgedComplaint() {
  h = await createHarness();
  const c = await h.submit(complaintFrom(h));
  await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
  return { c, respondBy: (await h.caseOf(c.caseId)).deadlines.respondBy as string };
}

describe('complaint workflow', () => {
  it('acknowledges on time, responds, and closes when no stage 2 is asked for', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    const officer = (await h.caseOf(c.caseId)).assignedTo as string;

    await acknowledgeAndRespond(c.caseId);
    await pastLateRequests(c.caseId);

    expect(h.states(c.caseId)).toEqual(
      expect.arrayContaining([
        'Route the case',
        'Await acknowledgement',
        'Send the acknowledgement',
        'Await the response',
        'Send the response',
        'Await a stage 2 request',
        'Close the case when no late request can come',
      ]),
    );
    expect(h.states(c.caseId)).not.toContain('Escalate the late acknowledgement');
    expect(await h.status(c.caseId)).toBe('SUCCEEDED');
    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement', 'response', 'stage-2-too-late']);
    expect(h.templates(officer)).toEqual(['officer-task', 'officer-task']);
    // The acknowledgement task is due by the acknowledgement deadline: Monday 9 March 2026.
    expect(h.sent.find((m) => m.template === 'officer-task')?.text).toContain('9 March 2026');
    const final = await h.caseOf(c.caseId);
    expect(final).toMatchObject({ status: 'closed', outcome: 'upheld' });
    expect(final.progress.stage1.acknowledgedAt).toBe('2026-03-02T09:00:00.000Z');
    expect(await h.archive.getRetention(c.caseId)).toBe('2y');
  });

  it('escalates a late acknowledgement to the manager and still acknowledges the resident on time', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    const ackBy = c.deadlines.acknowledgeBy as string; // Monday 9 March 2026, end of day

    await h.advanceTo(justAfter(ackBy));

    expect(h.states(c.caseId)).toEqual(
      expect.arrayContaining([
        'Escalate the late acknowledgement',
        'Acknowledge automatically',
        'Await the response',
      ]),
    );
    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement']);
    expect(h.sent.find((m) => m.template === 'manager-escalation')?.text).toMatch(/acknowledg/i);
    const record = await h.caseOf(c.caseId);
    expect(record.progress.stage1.acknowledgementEscalated).toBe(true);
    // Acknowledged automatically as the deadline passed, not a working day later.
    expect(
      Date.parse(record.progress.stage1.acknowledgedAt as string) - Date.parse(ackBy),
    ).toBeLessThanOrEqual(1000);
    expect(record.openTask?.name).toBe('respond');
    // The officer's acknowledgement link now says it has been done.
    const page = await h.view(h.linkFor('acknowledge'));
    expect(page.statusCode).toBe(409);
  });

  it('reminds the officer before the response deadline', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    const acknowledged = await h.caseOf(c.caseId);

    await h.advanceTo(acknowledged.deadlines.remindAt as string);

    // The response clock's state sends it (no state of its own), once.
    expect(h.sent.filter((m) => m.template === 'officer-reminder')).toHaveLength(1);
    const reminder = h.sent.find((m) => m.template === 'officer-reminder');
    expect(reminder?.to).toEqual([acknowledged.assignedTo]);
    // The reminder carries the same working link: the task was not re-issued.
    const page = await h.view(h.linkFor('respond'));
    expect(page.statusCode).toBe(200);
    expect((await h.caseOf(c.caseId)).progress.stage1.reminded).toBe(true);
    expect(h.sent.filter((m) => m.template === 'officer-task')).toHaveLength(2);
  });

  it('extends the response deadline within the cap and tells the resident the new date and reason', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    const before = (await h.caseOf(c.caseId)).deadlines.respondBy;

    const tooLong = await h.act(h.linkFor('respond'), {
      decision: 'extend',
      extendDays: '11',
      reason: 'Waiting for a contractor',
    });
    const ok = await h.act(h.linkFor('respond'), {
      decision: 'extend',
      extendDays: '5',
      reason: 'Waiting for a contractor',
    });

    expect(tooLong.statusCode).toBe(400);
    expect(ok.statusCode).toBe(200);
    const record = await h.caseOf(c.caseId);
    expect(record.progress.stage1.extensionDays).toBe(5);
    expect(Date.parse(record.deadlines.respondBy as string)).toBeGreaterThan(Date.parse(before as string));
    const letter = h.sent.find((m) => m.template === 'extension');
    expect(letter?.text).toContain('Waiting for a contractor');
    expect(letter?.text).toMatch(/Ombudsman/);
    expect(h.states(c.caseId)).toContain('Tell the resident about the extension');
    expect(record.openTask?.name).toBe('respond');
  });

  it('sends a holding letter and escalates when the response deadline passes, then again while overdue', async () => {
    const { c, respondBy } = await acknowledgedComplaint();

    await h.advanceTo(justAfter(respondBy));
    await h.advanceTo('2026-04-10T12:00:00.000Z');

    // Missed Monday 16 March; the letter commits to a new date five working days on, and each
    // time that date passes another letter quotes it and commits to the next (Easter skipped).
    const letters = h.sent.filter((m) => m.template === 'holding-letter' && m.to.includes(RESIDENT));
    const quoted = letters.map(
      (m) => /We told you we would send our response by ([^.]+)\./.exec(m.text)?.[1],
    );
    const promised = letters.map((m) => /We will now send you our response by ([^.]+)\./.exec(m.text)?.[1]);
    expect(quoted).toEqual([
      'Monday 16 March 2026',
      'Monday 23 March 2026',
      'Monday 30 March 2026',
      'Wednesday 8 April 2026',
    ]);
    expect(promised).toEqual([...quoted.slice(1), 'Wednesday 15 April 2026']);
    // By email, the first goes on the deadline's own day; each further one once its date has passed.
    expect(letters.map((m) => /We are sorry[^.]*\./.exec(m.text)?.[0])).toEqual([
      'We are sorry: we may not be able to.',
      ...quoted.slice(1).map(() => 'We are sorry that we have not yet done so.'),
    ]);
    // The Ombudsman's file re-creates each letter from the case and its history: the date each
    // further letter quoted is kept with it, as the case has moved past it.
    const record = await h.caseOf(c.caseId);
    const sentEvents = (await h.store.events(c.caseId)).filter(
      (e) => e.type === 'email-sent' && e.detail?.template === 'holding-letter',
    );
    expect(sentEvents).toHaveLength(letters.length);
    const recreatedQuotes = sentEvents.map((e) => {
      const sentWith = sentWithOf(e);
      const { text } = recreateResidentEmail(h.policy, record, 'holding-letter', 1, e.at, {
        baseUrl: BASE_URL,
        ...(sentWith ? { sentWith } : {}),
      });
      return /We told you we would send our response by ([^.]+)\./.exec(text)?.[1];
    });
    expect(recreatedQuotes).toEqual(quoted);
    expect(h.sent.filter((m) => m.template === 'manager-escalation').length).toBeGreaterThanOrEqual(2);
    expect((await h.caseOf(c.caseId)).progress.stage1.escalations).toBeGreaterThanOrEqual(2);
  });

  it('refuses an extension to a date before the one a holding letter has given, naming the fewest days that reach it', async () => {
    const { c } = await acknowledgedComplaint();
    // The deadline's own day, Monday 16 March: the holding letter has told the resident 23 March.
    await h.advanceTo('2026-03-16T10:00:00.000Z');
    const [holding] = h.sent.filter((m) => m.template === 'holding-letter');
    expect(holding?.text).toContain('We will now send you our response by Monday 23 March 2026.');

    const sooner = await extendBy(2);
    expect(sooner.statusCode).toBe(400);
    expect(sooner.body).toContain(
      'We have told the resident to expect the response by Monday 23 March 2026. Extend by at least 5 working days, or respond by then.',
    );
    expect(h.sent.filter((m) => m.template === 'extension')).toEqual([]);
    expect((await h.caseOf(c.caseId)).progress.stage1.extensionDays ?? 0).toBe(0);

    const later = await extendBy(6);
    expect(later.statusCode, later.body).toBe(200);
    const [letter] = h.sent.filter((m) => m.template === 'extension');
    // The date it moves on from is the last one the resident was given.
    expect(letter?.text).toContain(
      'We said we would respond by Monday 23 March 2026. We will now send you our response by Tuesday 24 March 2026.',
    );
  });

  it('gives an extension to the very date a holding letter gave as that date, not as a move from the missed deadline', async () => {
    await acknowledgedComplaint();
    // Two holding letters: Monday 16 March put off to 23 March, then to 30 March.
    await h.advanceTo('2026-03-24T10:00:00.000Z');
    expect(h.sent.filter((m) => m.template === 'holding-letter')).toHaveLength(2);

    const same = await extendBy(10);

    expect(same.statusCode, same.body).toBe(200);
    const [letter] = h.sent.filter((m) => m.template === 'extension');
    expect(letter?.text).toContain(
      'We will send you our response by Monday 30 March 2026, as we last told you.',
    );
    expect(letter?.text).not.toContain('16 March');
  });

  it('refuses any extension once the days left under the cap cannot pass the date a holding letter gave', async () => {
    const { c, respondBy } = await acknowledgedComplaint();
    h.policy.complaint.stage1.extension.maxWorkingDays = 4;
    await h.advanceTo('2026-03-16T10:00:00.000Z');

    const refused = await extendBy(4);

    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain(
      'We have told the resident to expect the response by Monday 23 March 2026, later than the 4 working days of extension left would reach. Respond by then.',
    );
    expect((await h.caseOf(c.caseId)).deadlines.respondBy).toBe(respondBy);
  });

  it('gives the Ombudsman’s details in every holding letter, as the Code §6.5 asks when a council tells the resident of a later date', async () => {
    const { c, respondBy } = await acknowledgedComplaint();

    // The first letter on the deadline's own day, the second once the date it gave has passed.
    await h.advanceTo(justAfter(respondBy));
    await h.advanceTo('2026-03-24T12:00:00.000Z');

    const letters = h.sent.filter((m) => m.template === 'holding-letter' && m.to.includes(RESIDENT));
    expect(letters).toHaveLength(2);
    for (const letter of letters) {
      expect(letter.text).toContain(
        'You can contact the Local Government and Social Care Ombudsman at any time for advice.',
      );
      expect(letter.text).toContain('Phone: 0300 061 0614');
      expect(letter.html).toContain('href="tel:03000610614"');
    }
    // Once the reply is late, the resident hears that the Ombudsman need not wait for the procedure to end.
    const lateLine =
      'If we do not reply within a reasonable time, the Ombudsman may look at your complaint anyway.';
    expect(letters[0]?.text).not.toContain(lateLine);
    expect(letters[1]?.text).toContain('We are sorry that we have not yet done so.');
    expect(letters[1]?.text).toContain(lateLine);
    // The Ombudsman's file re-creates the letter as it went.
    const sent = (await h.store.events(c.caseId)).find(
      (e) => e.type === 'email-sent' && e.detail?.template === 'holding-letter',
    );
    const sentWith = sent && sentWithOf(sent);
    const { text } = recreateResidentEmail(
      h.policy,
      await h.caseOf(c.caseId),
      'holding-letter',
      1,
      sent?.at as string,
      { baseUrl: BASE_URL, ...(sentWith ? { sentWith } : {}) },
    );
    expect(text).toBe(letters[0]?.text);
  });

  it('gives a stage-2 holding letter the Ombudsman’s details too', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    await acknowledgeAndRespond(c.caseId, 'not-upheld');
    await h.act(h.linkFor('stage-2-request'), {
      decision: 'request',
      response: 'You did not look at my emails.',
    });
    const reviewer = (await h.caseOf(c.caseId)).assignedTo;
    await h.act(h.linkFor('acknowledge', reviewer), ACKNOWLEDGE);
    const { stage2RespondBy } = (await h.caseOf(c.caseId)).deadlines;

    await h.advanceTo(justAfter(stage2RespondBy));

    const letter = h.sent.find((m) => m.template === 'holding-letter' && m.to.includes(RESIDENT));
    expect(letter?.text).toContain('The senior officer reviewing your complaint has not yet finished.');
    expect(letter?.text).toContain('Phone: 0300 061 0614');
  });

  it('leaves the Ombudsman out of a holding letter when the policy does not give the details with a later date', async () => {
    const { respondBy } = await acknowledgedComplaint();
    h.policy.complaint.stage1.extension.includeOmbudsmanDetails = false;

    await h.advanceTo(justAfter(respondBy));

    const letter = h.sent.find((m) => m.template === 'holding-letter' && m.to.includes(RESIDENT));
    expect(letter?.text).toContain('We will now send you our response by');
    expect(letter?.text).not.toMatch(/Ombudsman/);
  });

  it.each([
    ['upheld', /upheld/i],
    ['partially-upheld', /partially upheld/i],
    ['not-upheld', /not upheld/i],
  ])('records the outcome %s and tells the resident how to ask for stage 2', async (outcome, wording) => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));

    const record = await acknowledgeAndRespond(c.caseId, outcome);

    expect(record.outcome).toBe(outcome);
    const response = h.sent.find((m) => m.template === 'response');
    expect(response?.text).toMatch(wording);
    expect(response?.text).toContain('http://redress.test/tasks/');
    expect(record.openTask?.name).toBe('stage-2-request');
  });

  it('runs stage 2 with a different officer when the resident asks in time, and signposts the ombudsman', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    const stage1 = await acknowledgeAndRespond(c.caseId, 'not-upheld');

    const requestPage = await h.view(h.linkFor('stage-2-request'));
    // The resident's page shows their own date, not the officers' internal rows.
    expect(requestPage.statusCode).toBe(200);
    expect(requestPage.body).not.toContain('Directorate');
    expect(requestPage.body).not.toContain('Extension limit');
    const request = await h.act(h.linkFor('stage-2-request'), {
      decision: 'request',
      response: 'You did not look at my emails.',
    });
    expect(request.statusCode, request.body).toBe(200);
    // The resident's own page, not the officers' "Decision recorded".
    expect(request.body).toContain('Request received');
    expect(request.body).toContain('A senior officer will look at it and we will write to you.');
    expect(request.body).not.toContain('Decision recorded');
    const stage2 = await h.caseOf(c.caseId);
    expect(stage2).toMatchObject({ stage: 2, status: 'awaiting-acknowledgement' });
    expect(stage2.assignedTo).not.toBe(stage1.assignedTo);
    await h.act(h.linkFor('acknowledge', stage2.assignedTo), ACKNOWLEDGE);
    await h.act(h.linkFor('respond', stage2.assignedTo), {
      decision: 'respond',
      outcome: 'partially-upheld',
      response: 'Some of your emails were missed.',
    });

    expect(h.templates(RESIDENT)).toEqual([
      'receipt',
      'acknowledgement',
      'response',
      'stage-2-acknowledgement',
      'final-response',
    ]);
    expect(h.sent.find((m) => m.template === 'final-response')?.text).toMatch(
      /Local Government and Social Care Ombudsman/,
    );
    expect(await h.status(c.caseId)).toBe('SUCCEEDED');
    expect(h.states(c.caseId)).toContain('Start stage 2');
    expect(await h.caseOf(c.caseId)).toMatchObject({
      status: 'closed',
      stage: 2,
      outcome: 'partially-upheld',
    });
  });

  it('tells the resident when the stage 2 window closes, and closes the case once late requests may no longer be accepted', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    const responded = await acknowledgeAndRespond(c.caseId);
    const link = h.linkFor('stage-2-request');

    await h.advanceTo(justAfter(responded.deadlines.stage2RequestBy));
    const late = await h.act(link, { decision: 'request', response: 'Please look again.' });

    // Responded Monday 2 March 2026: the window ends 20 working days later, Monday 30 March
    // (Good Friday 3 April and Easter Monday 6 April are not working days, so late requests may
    // be accepted until Wednesday 29 April).
    const letter = h.sent.find((m) => m.template === 'stage-2-too-late');
    expect(letter?.to).toEqual([RESIDENT]);
    expect(letter?.text).toContain(
      'The last day to ask us for a stage 2 review of your complaint was Monday 30 March 2026.',
    );
    expect(letter?.text).toContain('reply to this email by Wednesday 29 April 2026');
    expect(letter?.text).toMatch(/Local Government and Social Care Ombudsman/);
    expect(late.statusCode).toBe(410);
    const team = h.sent.find(
      (m) => m.template === 'officer-task' && m.to.includes(h.policy.routing.complaintsTeam),
    );
    expect(team?.subject).toContain('Wednesday 29 April 2026');
    expect((await h.caseOf(c.caseId)).openTask?.name).toBe('late-stage-2-request');

    await h.advanceTo('2026-04-30T09:00:00.000Z');

    // The window's wait goes straight to the wait for a late request, whose step tells the
    // resident; that wait, at its end, straight to the close, which reads the clock itself.
    expect(h.states(c.caseId).slice(-3)).toEqual([
      'Await a stage 2 request',
      'Await a late request',
      'Close the case when no late request can come',
    ]);
    expect(h.states(c.caseId)).not.toContain('Check the stage 2 window');
    expect(h.templates(RESIDENT).filter((t) => t === 'stage-2-too-late')).toHaveLength(1);
    expect(h.states(c.caseId)).not.toContain('Start stage 2');
    expect((await h.caseOf(c.caseId)).status).toBe('closed');
  });

  it('keeps the stage 2 window open when a bank holiday announced meanwhile moves its last day, and tells the resident once it closes', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    const responded = await acknowledgeAndRespond(c.caseId);
    // The window ends Monday 30 March 2026; that day becomes a holiday while the resident has the
    // response, so the last day is now Tuesday 31 March.
    h.policy.calendar.extraBankHolidays.push('2026-03-30');

    await h.advanceTo(justAfter(responded.deadlines.stage2RequestBy));

    // The wait timed out on the old last day; the wait for a late request found the window still
    // open and sent the case back to the window's clock, which waits again, telling nobody.
    expect(h.states(c.caseId).slice(-4)).toEqual([
      'Await a stage 2 request',
      'Await a late request',
      'Check the stage 2 window',
      'Await a stage 2 request',
    ]);
    expect(h.templates(RESIDENT)).not.toContain('stage-2-too-late');
    expect((await h.caseOf(c.caseId)).openTask?.name).toBe('stage-2-request');

    await h.advanceTo('2026-04-01T09:00:00.000Z');

    const letters = h.sent.filter((m) => m.template === 'stage-2-too-late');
    expect(letters).toHaveLength(1);
    expect(letters[0]?.text).toContain(
      'The last day to ask us for a stage 2 review of your complaint was Tuesday 31 March 2026.',
    );
    expect(h.states(c.caseId).at(-1)).toBe('Await a late request');
    expect((await h.caseOf(c.caseId)).openTask?.name).toBe('late-stage-2-request');
  });

  it('goes back to the stage 2 window from its monthly wake-up, telling nobody, when the window is longer than a month', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    await h.advanceTo('2026-03-13T09:00:00.000Z');
    await h.act(h.linkFor('respond'), {
      decision: 'respond',
      outcome: 'upheld',
      response: 'We looked into what happened and here is what we found.',
    });
    // Responded Friday 13 March: 20 working days, with Easter, run to Tuesday 14 April, more
    // than the month every wait wakes within.
    const windowEnds = (await h.caseOf(c.caseId)).deadlines.stage2RequestBy as string;
    expect(windowEnds).toBe('2026-04-14T22:59:59.000Z');

    await h.advanceTo('2026-04-13T09:00:00.000Z');

    // Woken on 12 April: the wait for a late request found the window open and went straight
    // back to it, with no clock state between.
    expect(h.states(c.caseId).slice(-3)).toEqual([
      'Await a stage 2 request',
      'Await a late request',
      'Await a stage 2 request',
    ]);
    expect(h.templates(RESIDENT)).not.toContain('stage-2-too-late');
    expect((await h.caseOf(c.caseId)).openTask?.name).toBe('stage-2-request');

    await h.advanceTo(justAfter(windowEnds));

    expect(h.states(c.caseId).at(-1)).toBe('Await a late request');
    expect(h.states(c.caseId)).not.toContain('Check the stage 2 window');
    const letters = h.sent.filter((m) => m.template === 'stage-2-too-late');
    expect(letters).toHaveLength(1);
    expect(letters[0]?.text).toContain(
      'The last day to ask us for a stage 2 review of your complaint was Tuesday 14 April 2026.',
    );
  });

  it('keeps waiting for a late request when a bank holiday announced meanwhile moves its last day', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    const responded = await acknowledgeAndRespond(c.caseId);
    await h.advanceTo(justAfter(responded.deadlines.stage2RequestBy));
    // Late requests may be accepted until Wednesday 29 April 2026; that day becomes a holiday
    // after the wait for one began, so the last day is now Thursday 30 April.
    h.policy.calendar.extraBankHolidays.push('2026-04-29');

    await h.advanceTo('2026-04-30T09:00:00.000Z');

    // The wait timed out on the old last day; the close read the clock, found it not due and
    // sent the case back to its clock state, which waits again.
    expect(h.states(c.caseId).slice(-3)).toEqual([
      'Close the case when no late request can come',
      'Check the clock for late requests',
      'Await a late request',
    ]);
    expect((await h.caseOf(c.caseId)).status).not.toBe('closed');
    expect((await h.caseOf(c.caseId)).openTask?.name).toBe('late-stage-2-request');

    await h.advanceTo('2026-05-01T09:00:00.000Z');

    expect(h.states(c.caseId).at(-1)).toBe('Close the case when no late request can come');
    expect((await h.caseOf(c.caseId)).status).toBe('closed');
    expect(await h.status(c.caseId)).toBe('SUCCEEDED');
    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement', 'response', 'stage-2-too-late']);
  });

  it('lets the complaints team accept a late request for stage 2, which then starts', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    const stage1 = await acknowledgeAndRespond(c.caseId);
    await h.advanceTo(justAfter(stage1.deadlines.stage2RequestBy));

    const accepted = await h.act(h.linkFor('late-stage-2-request', h.policy.routing.complaintsTeam), {
      decision: 'accept-late',
      reason: 'The resident was in hospital until 10 April.',
    });

    expect(accepted.statusCode, accepted.body).toBe(200);
    const record = await h.caseOf(c.caseId);
    expect(record).toMatchObject({ stage: 2, status: 'awaiting-acknowledgement' });
    expect(record.assignedTo).not.toBe(stage1.assignedTo);
    expect(record.notes?.at(-1)?.text).toContain('in hospital');
    expect(h.states(c.caseId)).toEqual(expect.arrayContaining(['Await a late request', 'Start stage 2']));
  });

  it('lets the reviewer refuse a stage 2 request without grounds where the policy requires them (Dudley)', async () => {
    h = await createHarness({ policy: 'dudley' });
    const c = await h.submit(complaintFrom(h, { service: 'highways' }));
    await acknowledgeAndRespond(c.caseId, 'not-upheld');

    await h.act(h.linkFor('stage-2-request'), {
      decision: 'request',
      grounds: 'new-evidence',
      response: 'I just disagree.',
    });
    const reviewer = (await h.caseOf(c.caseId)).openTask?.officer as string;
    await h.act(h.linkFor('stage-2-decision', reviewer), {
      decision: 'refuse',
      reason: 'No new evidence or error was shown.',
    });

    expect(h.states(c.caseId)).toEqual(
      expect.arrayContaining([
        'Await the stage 2 decision',
        'Tell the resident stage 2 was refused',
        'Close the case',
      ]),
    );
    const refusal = h.sent.find((m) => m.template === 'stage-2-refused');
    expect(refusal?.text).toContain('No new evidence or error was shown.');
    expect(refusal?.text).toMatch(/Ombudsman/);
    expect((await h.caseOf(c.caseId)).stage).toBe(1);
  });

  it('moves a closed case file to the 6-year class when the ombudsman makes an enquiry', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    await acknowledgeAndRespond(c.caseId);
    await pastLateRequests(c.caseId);
    expect(await h.archive.getRetention(c.caseId)).toBe('2y');

    await recordOmbudsmanEnquiry({ ...h, now: () => h.clock.now() }, c.reference, {
      ombudsman: 'lgsco',
      by: 'complaints@example.gov.uk',
    });

    expect(await h.archive.getRetention(c.caseId)).toBe('6y');
    expect(await h.caseOf(c.caseId)).toMatchObject({ status: 'closed', ombudsmanInvolved: true });
  });

  it('closes a complaint after its response when the policy has one stage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-one-stage-'));
    const policyFile = join(dir, 'one-stage.json');
    writeFileSync(
      policyFile,
      JSON.stringify({ extends: 'lgsco-code-2024', id: 'one-stage', complaint: { stages: 1 } }),
    );
    h = await createHarness({ policy: policyFile });
    const c = await h.submit(complaintFrom(h));

    await acknowledgeAndRespond(c.caseId);

    // No wait for a stage-2 request: the response's state goes straight to the close, with no
    // window and no letter about it.
    expect(h.states(c.caseId).slice(-2)).toEqual(['Send the response', 'Close the case']);
    expect(h.states(c.caseId)).not.toContain('Await a stage 2 request');
    expect(await h.status(c.caseId)).toBe('SUCCEEDED');
    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement', 'response']);
    const final = await h.caseOf(c.caseId);
    expect(final.status).toBe('closed');
    expect(final.openTask).toBeUndefined();
    // The one response is the final one, and says so before the Ombudsman's details, as the
    // stage-2 response of a two-stage procedure does.
    const response = h.sent.find((m) => m.template === 'response' && m.to.includes(RESIDENT));
    expect(response?.text).toMatch(
      /\n\nThis is the end of .+'s complaints procedure\.\s+IF YOU ARE STILL UNHAPPY/,
    );
  });

  it('resolves a complaint at first contact', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));

    await h.act(h.linkFor('acknowledge'), {
      decision: 'resolve',
      response: 'We rang you and sorted it out today.',
    });

    // The response is sent and recorded, and the stage-2 window read, in one state.
    expect(h.states(c.caseId)).toEqual(
      expect.arrayContaining(['Send the response', 'Await a stage 2 request']),
    );
    expect(h.states(c.caseId)).not.toContain('Await the response');
    expect(h.templates(RESIDENT)).toEqual(['receipt', 'response']);
    expect((await h.caseOf(c.caseId)).progress.stage1.respondedAt).toBeDefined();
  });

  it('records a service request as not a complaint and tells the resident where to go', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));

    await h.act(h.linkFor('acknowledge'), {
      decision: 'not-a-complaint',
      redirect: 'Report the broken street light at example.gov.uk/report.',
    });

    expect(h.states(c.caseId)).toEqual(
      expect.arrayContaining(['Tell the resident it is a service request', 'Close the case']),
    );
    expect(h.sent.find((m) => m.template === 'not-a-complaint')?.text).toContain('example.gov.uk/report');
    expect(await h.caseOf(c.caseId)).toMatchObject({
      status: 'closed',
      triage: { exclusion: 'service-request' },
    });
  });

  it('pauses the clock for mediation and restarts it with the deadline moved by the pause', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    const before = (await h.caseOf(c.caseId)).deadlines.respondBy as string;

    await h.act(h.linkFor('respond'), {
      decision: 'pause',
      pauseKind: 'mediation',
      residentAgreed: 'yes',
      pauseNote: 'Mediation agreed on the phone',
    });
    await h.advanceTo('2026-03-09T09:00:00.000Z'); // five working days later
    await h.act(h.linkFor('resume'), { decision: 'resume' });

    const record = await h.caseOf(c.caseId);
    expect(record.progress.stage1.pausedWorkingDays).toBe(5);
    expect(Date.parse(record.deadlines.respondBy as string)).toBeGreaterThan(Date.parse(before));
    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement', 'pause', 'resume']);
    expect(h.states(c.caseId)).toEqual(
      expect.arrayContaining(['Await the end of the pause', 'Tell the resident the clock has restarted']),
    );
  });

  it('tells the resident of a pause without quoting the officer’s record of a call as its reason', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    const call = 'Resident raised her voice on the phone; manager told, do not ring her again';
    await h.act(h.linkFor('respond'), { decision: 'record-contact', contactNote: call });

    // The pause's details for the resident are optional, and none are given.
    await h.act(h.linkFor('respond'), { decision: 'pause', pauseKind: 'mediation', residentAgreed: 'yes' });

    const pause = h.sent.find((m) => m.template === 'pause' && m.to.includes(RESIDENT));
    expect(pause).toBeDefined();
    expect(pause?.text).not.toContain('do not ring her again');
    expect((await h.caseOf(c.caseId)).status).toBe('paused');
  });

  it('follows a newly announced bank holiday: a waiting deadline moves and the wait continues', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    const ackBy = c.deadlines.acknowledgeBy as string; // Monday 9 March

    h.policy.calendar.extraBankHolidays.push('2026-03-09');
    await h.advanceTo(justAfter(ackBy));

    expect(h.states(c.caseId)).not.toContain('Escalate the late acknowledgement');
    const record = await h.caseOf(c.caseId);
    expect(record.deadlines.acknowledgeBy).toBe('2026-03-10T23:59:59.000Z');
    expect(record.openTask?.name).toBe('acknowledge');
  });

  it('designates a vexatious complainant through the nominated officer and routes their next contact there', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));

    await referredAndDesignated();
    const next = await h.submit(complaintFrom(h, { summary: 'And another thing about the bin.' }));

    expect(h.states(c.caseId)).toEqual(
      expect.arrayContaining(['Await the vexatious decision', 'Tell the resident about the decision']),
    );
    expect(await h.caseOf(c.caseId)).toMatchObject({ status: 'closed', vexatious: true });
    expect(next.triage.route).toBe('nominated-officer');
    expect(h.states(next.caseId)).toEqual(
      expect.arrayContaining(['Acknowledge the contact', 'Await the nominated officer']),
    );
    expect(h.templates(RESIDENT)).toEqual(['receipt', 'vexatious-decision', 'contact-recorded']);
    expect((await h.caseOf(next.caseId)).openTask?.officer).toBe(h.policy.routing.nominatedOfficer);
  });

  it.each([
    ['en', 'We have closed your complaint and will not look into it any further.'],
    ['cy', 'Rydym wedi cau eich cwyn, ac ni fyddwn yn ymchwilio iddi ymhellach.'],
  ])(
    'tells a designated complainant (%s) that the decision closes their complaint',
    async (language, closed) => {
      // The workflow closes the complaint right after the letter, with no response: the
      // acknowledgement had promised one by a date, so the letter must say none is coming.
      h = await createHarness({ policy: WELSH_COUNCIL });
      const c = await h.submit(complaintFrom(h, { language }));

      await referredAndDesignated();

      const letter = h.sent.find((m) => m.template === 'vexatious-decision');
      expect(letter?.text).toContain(closed);
      expect(letter?.html).toContain(closed);
      expect((await h.caseOf(c.caseId)).status).toBe('closed');
    },
  );

  it("re-creates the designation letter for the Ombudsman's file as it was sent, saying the complaint closed", async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    await referredAndDesignated();

    const sent = (await h.store.events(c.caseId)).find(
      (e) => e.type === 'email-sent' && e.detail?.template === 'vexatious-decision',
    );
    const sentWith = sent && sentWithOf(sent);
    const { text } = recreateResidentEmail(
      h.policy,
      await h.caseOf(c.caseId),
      'vexatious-decision',
      1,
      sent?.at as string,
      {
        baseUrl: BASE_URL,
        ...(sentWith ? { sentWith } : {}),
      },
    );

    expect(h.sent.find((m) => m.template === 'vexatious-decision')?.text).toContain(
      'We have closed your complaint',
    );
    expect(text).toContain('We have closed your complaint and will not look into it any further.');
  });

  it('passes an out-of-scope first report to the service, tells the resident, and closes it', async () => {
    h = await createHarness();
    const c = await h.submit(
      complaintFrom(h, {
        summary: 'Please can you fill the pothole outside number 12 Elm Road.',
        desiredOutcome: undefined,
      }),
    );

    expect(h.states(c.caseId)).toEqual([
      'Route the case',
      'Pass the request to the service',
      'Tell the resident where to go instead',
      'Close the case',
    ]);
    expect(h.templates(RESIDENT)).toEqual(['redirect']);
    expect(h.templates('highways.feedback@example.gov.uk')).toEqual(['referral']);
  });

  it('refers an anonymous complaint to the manager, who decides to investigate', async () => {
    h = await createHarness({ policy: 'unitary-feedback' });
    const c = await h.submit(complaintFrom(h, { anonymous: true, complainant: {} }));
    const manager =
      h.policy.routing.services.find((s) => s.id === c.service)?.manager ?? h.policy.routing.complaintsTeam;

    await h.act(h.linkFor('anonymous-review', manager), { decision: 'investigate' });
    await h.act(h.linkFor('respond'), {
      decision: 'respond',
      outcome: 'upheld',
      response: 'The street was not swept; it is now.',
    });

    expect(c.triage.route).toBe('refer-to-manager');
    expect(h.states(c.caseId)).toEqual(
      expect.arrayContaining(["Await the manager's decision", 'Await the response']),
    );
    // Nobody to write to: each resident letter is recorded as having no one to tell.
    expect(h.sent.filter((m) => m.to.length === 0)).toHaveLength(0);
    const events = (await h.store.events(c.caseId)).filter((e) => e.type === 'no-one-to-tell');
    expect(events.length).toBeGreaterThan(0);
    expect((await h.caseOf(c.caseId)).progress.stage1.response?.outcome).toBe('upheld');
  });

  it('asks the complaints team for consent when a representative gives none, and closes when it is refused', async () => {
    h = await createHarness();
    const c = await h.submit(
      complaintFrom(h, { onBehalfOf: { name: 'Grace Hopper', relationship: 'neighbour', consent: false } }),
    );

    await h.act(h.linkFor('consent', h.policy.routing.complaintsTeam), {
      decision: 'no-consent',
      reason: 'Mrs Hopper asked us not to.',
    });

    expect(c.triage.route).toBe('needs-consent');
    expect(h.states(c.caseId)).toEqual(
      expect.arrayContaining([
        'Await consent',
        'Tell the representative consent was not given',
        'Close the case',
      ]),
    );
    expect(h.templates(RESIDENT)).toEqual(['consent-needed', 'consent-not-given']);
    const letter = h.sent.find((m) => m.template === 'consent-not-given');
    expect(letter?.text).toContain('We do not have it, so we cannot look into the complaint on their behalf');
    expect(letter?.text).toContain('Mrs Hopper asked us not to.');
    expect(await h.caseOf(c.caseId)).toMatchObject({ status: 'closed' });
  });
});
