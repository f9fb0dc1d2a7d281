import { afterEach, describe, expect, it } from 'vitest';
import { adapter, provideAdapters } from '../../functions/app/container.js';
import { type CaseLifeDeps, markLetterPosted } from '../../functions/app/staff-case-actions.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { holdingLetterAt, stage2LateRequestDeadline } from '../../functions/domain/case-clock.js';
import { signLink } from '../../functions/domain/links.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { TEAM } from '../support/staff-members.js';
import { behind, Outage, queuedSendEvents } from './faults.js';
import { complaintFrom, createHarness, type Harness, RESIDENT, SECRET } from './harness.js';

/**
 * Outages longer than the retry policy covers (a day and more) of each service the steps use,
 * starting at different moments of a case's life. A Task state whose retries are spent enters
 * itself again with a new entry time (`outlastingOutages` in the definitions): what the entry
 * before did must not be done again. After the outage the case goes on to its end, and no email,
 * letter, task or event is there twice.
 */

let h: Harness;

afterEach(async () => {
  await h?.close();
});

const FAILURE = 'Tell the complaints team something went wrong';
const ADDRESS = '12 Mill Lane\nExampletown\nEX1 2AB';
const BY_POST = { complainant: { name: 'Grace Hopper', address: ADDRESS } };
const A_DAY_AND_MORE = 26 * 60;
const hoursLater = (hours: number) => new Date(h.clock.now().getTime() + hours * 3600_000).toISOString();

/** A harness whose SES, S3 and DynamoDB can each go down on the test's clock. */
async function harnessWithOutages(policy?: string) {
  h = await createHarness(policy ? { policy } : {});
  const now = () => h.clock.now();
  const ses = new Outage('SES', now);
  const s3 = new Outage('S3', now);
  const dynamodb = new Outage('DynamoDB', now);
  provideAdapters({
    mailer: behind(queuedSendEvents(adapter('mailer'), h.clock), ses),
    archive: behind(adapter('archive'), s3),
    store: behind(adapter('store'), dynamodb),
  });
  return { ses, s3, dynamodb };
}

/** Keys seen more than once, with how often. */
function repeated(keys: string[]): string[] {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([key, n]) => `${key} ×${n}`);
}

/** Events a case records once in each stage on the paths these tests take. */
const ONCE_A_STAGE = [
  'routed',
  'acknowledged-automatically',
  'response-sent',
  'stage-2-started',
  'closed',
  'archived',
];

/**
 * Everything on a case that is there twice: an email (by template, recipient and subject); a
 * letter's PDF, `letter-written` or `letter-sent-to-print` event or place on the list to post; an
 * `email-sent` event (a task's names its task id); an event a stage records once.
 */
async function duplicates(c: CaseRecord): Promise<string[]> {
  const all = await h.store.events(c.caseId);
  // Stage 2 acknowledges and responds again: each stage's events are counted apart.
  const stage2From = all.findIndex((e) => e.type === 'stage-2-started');
  const stageOf = (i: number) => (stage2From >= 0 && i >= stage2From ? 2 : 1);
  const events = all.map((e, i) => ({ ...e, stage: stageOf(i) }));
  const ofType = (type: string) => events.filter((e) => e.type === type);
  const allWritten = ofType('letter-written');
  // A letter written again before it went to print (a corrected address, a date run out) is the
  // same letter: the one it replaces is counted as it.
  const replaced = new Set(allWritten.map((e) => String(e.detail?.replaces)));
  const written = allWritten.filter((e) => !replaced.has(String(e.detail?.letter)));
  const toPost = (await h.caseOf(c.caseId)).lettersToPost ?? [];
  const pdfs = [...h.archive.letters.keys()].filter((k) => k.startsWith(`${c.caseId}/`));
  return [
    ...repeated(h.sent.map((m) => `email ${m.template} to ${m.to.join(',')}: ${m.subject}`)),
    ...repeated(written.map((e) => `letter-written ${e.detail?.template} (stage ${e.stage})`)),
    ...repeated(
      ofType('letter-sent-to-print').map((e) => `sent to print ${e.detail?.template} (stage ${e.stage})`),
    ),
    ...repeated(toPost.map((l) => `to post ${l.letter}`)),
    ...(toPost.length > written.length ? [`${toPost.length} to post for ${written.length} letters`] : []),
    ...(pdfs.length > allWritten.length ? [`${pdfs.length} PDFs for ${allWritten.length} letters`] : []),
    ...repeated(
      ofType('email-sent').map(
        (e) => `email-sent ${e.detail?.template} ${e.detail?.taskId ?? ''} (stage ${e.stage})`,
      ),
    ),
    ...repeated(
      events.filter((e) => ONCE_A_STAGE.includes(e.type)).map((e) => `${e.type} (stage ${e.stage})`),
    ),
  ];
}

async function decide(task: string, fields: Record<string, string>, officer?: string) {
  const decided = await h.act(h.linkFor(task, officer), fields);
  expect(decided.statusCode, decided.body).toBe(200);
}

const RESPONSE = {
  decision: 'respond',
  outcome: 'upheld',
  response: 'We looked into what happened and here is what we found.',
};

/** Lets the stage-2 window and the complaints team's time for a late request pass: the case closes. */
async function letStage2Pass(c: CaseRecord) {
  await h.advanceTo((await h.caseOf(c.caseId)).deadlines.stage2RequestBy as string);
  await h.advanceTo(hoursLater(24));
  const lateBy = stage2LateRequestDeadline(h.policy, await h.caseOf(c.caseId)) as string;
  await h.advanceTo(new Date(Date.parse(lateBy) + 86_400_000).toISOString());
}

async function expectClosed(c: CaseRecord, workflow = 'complaint') {
  expect(h.states(c.caseId, workflow)).not.toContain(FAILURE);
  expect(await h.status(c.caseId, workflow)).toBe('SUCCEEDED');
  expect((await h.caseOf(c.caseId)).status).toBe('closed');
  expect(h.archive.files.has(c.caseId)).toBe(true);
}

/** The resident's link to ask for stage 2, as their response letter or email gives it. */
async function stage2RequestLink(c: CaseRecord): Promise<string> {
  const { stage2RequestBy } = (await h.caseOf(c.caseId)).deadlines;
  return signLink(
    {
      c: c.caseId,
      t: 'stage-2-request',
      a: 'stage-2-request',
      o: 'resident',
      e: Math.floor(Date.parse(stage2RequestBy as string) / 1000),
    },
    SECRET,
  );
}

/** The officer responds, stage 2 is not asked for: nothing on the case is there twice, and it closes. */
async function respondAndClose(c: CaseRecord) {
  await decide('respond', RESPONSE);
  await letStage2Pass(c);
  expect(await duplicates(c)).toEqual([]);
  await expectClosed(c);
}

/**
 * A posted complaint, acknowledged, and SES going down an hour before its holding letter falls due
 * (with the officer's reminder, two working days before the deadline): for so many minutes, or
 * until two days after the deadline.
 */
async function sesDownFromTheHoldingLetter(minutes: number | 'until after the deadline') {
  const { ses } = await harnessWithOutages();
  const c = await h.submit(complaintFrom(h, BY_POST));
  await decide('acknowledge', ACKNOWLEDGE);
  const respondBy = (await h.caseOf(c.caseId)).deadlines.respondBy as string;
  const holdAt = holdingLetterAt(h.policy, await h.caseOf(c.caseId), respondBy);
  await h.advanceTo(new Date(Date.parse(holdAt) - 3600_000).toISOString());
  const untilAfter = (Date.parse(respondBy) + 2 * 86_400_000 - h.clock.now().getTime()) / 60_000;
  const down = minutes === 'until after the deadline' ? untilAfter : minutes;
  ses.start(down);
  /** Six hours after SES is back: whatever it held back has gone by then. */
  const afterTheOutage = new Date(h.clock.now().getTime() + down * 60_000 + 6 * 3600_000).toISOString();
  return { ses, c, respondBy, afterTheOutage };
}

describe('a case through an outage longer than its retries', () => {
  it('posts each letter once when SES is down for a day from intake, and closes', async () => {
    const { ses } = await harnessWithOutages();
    ses.start(A_DAY_AND_MORE);
    const c = await h.submit(complaintFrom(h, BY_POST));
    await h.advanceTo(hoursLater(27));
    expect(ses.refused).toBeGreaterThan(24);

    await decide('acknowledge', ACKNOWLEDGE);
    await decide('respond', RESPONSE);
    await letStage2Pass(c);

    expect(await duplicates(c)).toEqual([]);
    const letters = (await h.store.events(c.caseId)).filter((e) => e.type === 'letter-written');
    expect(letters.map((e) => e.detail?.template)).toEqual([
      'receipt',
      'acknowledgement',
      'response',
      'stage-2-too-late',
    ]);
    await expectClosed(c);
  });

  it('sends the holding letter and the escalation once when the table is down for a day as they fall due', async () => {
    const { dynamodb } = await harnessWithOutages();
    const c = await h.submit(complaintFrom(h));
    await decide('acknowledge', ACKNOWLEDGE);
    const { respondBy } = (await h.caseOf(c.caseId)).deadlines;
    // Down from just before the holding letter's wake-up, on the last day, until after the deadline.
    await h.advanceTo(new Date(Date.parse(respondBy as string) - 86_400_000).toISOString());
    dynamodb.start(A_DAY_AND_MORE);
    await h.advanceTo(hoursLater(27));
    expect(dynamodb.refused).toBeGreaterThan(24);

    await decide('respond', RESPONSE);
    await letStage2Pass(c);

    expect(await duplicates(c)).toEqual([]);
    expect(h.templates(RESIDENT)).toEqual([
      'receipt',
      'acknowledgement',
      'holding-letter',
      'response',
      'stage-2-too-late',
    ]);
    expect(h.templates().filter((t) => t === 'manager-escalation')).toHaveLength(1);
    await expectClosed(c);
  });

  it('puts a posted holding letter on the list to post on its day although SES is down and the officer’s reminder, due then too, cannot go', async () => {
    // The reminder and a posted holding letter fall due at the same moment (two working days
    // before the deadline). The officer's reminder must not hold back the resident's letter: it
    // is written and listed for posting on its day, and goes to print once SES is back.
    const { ses, c } = await sesDownFromTheHoldingLetter(A_DAY_AND_MORE);
    await h.advanceTo(hoursLater(3));

    const listed = (await h.caseOf(c.caseId)).lettersToPost ?? [];
    expect(listed.map((l) => l.letter)).toContainEqual(expect.stringContaining('holding-letter'));
    const written = (await h.store.events(c.caseId)).filter((e) => e.type === 'letter-written');
    expect(written.map((e) => e.detail?.template)).toContain('holding-letter');

    await h.advanceTo(hoursLater(26));
    expect(ses.refused).toBeGreaterThan(24);
    expect(h.templates().filter((t) => t === 'officer-reminder')).toHaveLength(1);
    const printed = h.sent.filter((m) => m.template === 'print-and-post').map((m) => m.subject);
    expect(printed.filter((subject) => subject.includes('may be late'))).toHaveLength(1);

    await respondAndClose(c);
  });

  it('sends a listed holding letter to print once when SES stays down past the deadline it is about', async () => {
    // Down from before the letter's day until two days after the deadline: the letter is written
    // and listed on its day, and the print room's email goes once SES is back, with the
    // escalation the missed deadline brings, each once.
    const { ses, c, afterTheOutage } = await sesDownFromTheHoldingLetter('until after the deadline');
    await h.advanceTo(afterTheOutage);
    expect(ses.refused).toBeGreaterThan(48);

    const printed = h.sent.filter((m) => m.template === 'print-and-post').map((m) => m.subject);
    // One letter, which now says the response is late, as it is by the time it goes to print.
    expect(
      printed.filter((subject) => /response to your complaint (may be|is) late/.test(subject)),
    ).toHaveLength(1);
    expect(h.templates().filter((t) => t === 'manager-escalation')).toHaveLength(1);
    // Written on its day with the date then due, Monday 23 March; a letter about that date would
    // have to be posted by Thursday 19 March, when SES came back: the letter is written again,
    // with the date after it, and only that one goes to print.
    const holding = (await h.store.events(c.caseId)).filter(
      (e) => e.type === 'letter-written' && e.detail?.template === 'holding-letter',
    );
    expect(holding.map((e) => [e.detail?.promised, e.detail?.because])).toEqual([
      ['2026-03-23T23:59:59.000Z', undefined],
      ['2026-03-30T22:59:59.000Z', 'date'],
    ]);
    expect(holding[1]?.detail?.replaces).toBe(holding[0]?.detail?.letter);
    const listed = ((await h.caseOf(c.caseId)).lettersToPost ?? []).map((l) => l.letter);
    expect(listed).not.toContain(holding[0]?.detail?.letter);
    expect((await h.caseOf(c.caseId)).progress.stage1.holdingLetterPromised).toBe('2026-03-30T22:59:59.000Z');

    await respondAndClose(c);
  });

  it('does not write a holding letter again in place of one the complaints team has posted by hand', async () => {
    // SES is down from before the letter's day until two days after the deadline. The team prints
    // the letter from the workspace's list on its day and marks it posted: the resident has it,
    // with its date, Monday 23 March. That letter went: it is not written again "in place of" it
    // when its date runs out. The case keeps the date it gave, and the letter that follows it
    // quotes that date and gives the next one.
    const { ses, c, respondBy, afterTheOutage } =
      await sesDownFromTheHoldingLetter('until after the deadline');
    await h.advanceTo(hoursLater(3));
    const listed = ((await h.caseOf(c.caseId)).lettersToPost ?? []).find((l) =>
      l.letter.startsWith('holding-letter'),
    );
    expect(listed).toBeDefined();
    await markLetterPosted(
      { store: h.store, policy: h.policy, now: () => h.clock.now() } as unknown as CaseLifeDeps,
      TEAM,
      c.reference,
      listed?.letter,
    );

    await h.advanceTo(afterTheOutage);
    expect(ses.refused).toBeGreaterThan(48);

    const holding = (await h.store.events(c.caseId)).filter(
      (e) => e.type === 'letter-written' && e.detail?.template === 'holding-letter',
    );
    expect(holding.filter((e) => e.detail?.replaces === listed?.letter)).toEqual([]);
    expect(holding.map((e) => [e.detail?.quoted, e.detail?.promised])).toEqual([
      [respondBy, '2026-03-23T23:59:59.000Z'],
      ['2026-03-23T23:59:59.000Z', '2026-03-30T22:59:59.000Z'],
    ]);
    expect((await h.caseOf(c.caseId)).progress.stage1.holdingLetterPromised).toBe('2026-03-30T22:59:59.000Z');
    // The mailbox is not asked to print and post again a letter the resident has had by hand.
    const toPrint = (await h.store.events(c.caseId))
      .filter((e) => e.type === 'letter-sent-to-print' && e.detail?.template === 'holding-letter')
      .map((e) => e.detail?.letter);
    expect(toPrint).toEqual([holding[1]?.detail?.letter]);
    const printed = h.sent.filter((m) => m.template === 'print-and-post').map((m) => m.subject);
    expect(
      printed.filter((subject) => /response to your complaint (may be|is) late/.test(subject)),
    ).toHaveLength(1);
    expect((await h.caseOf(c.caseId)).lettersToPost?.map((l) => l.letter)).not.toContain(listed?.letter);

    await decide('respond', RESPONSE);
    await letStage2Pass(c);
    await expectClosed(c);
  });

  it('does not leave a holding letter that never went to print on the list to post once the response has gone', async () => {
    // The holding letter is written and listed on its day with SES down; the officer sends the
    // response three hours later. The response goes to print when SES is back; the holding letter,
    // saying the response may be late, must not wait on the workspace's list to be posted after it.
    const { c } = await sesDownFromTheHoldingLetter(A_DAY_AND_MORE);
    await h.advanceTo(hoursLater(3));
    const holding = ((await h.caseOf(c.caseId)).lettersToPost ?? []).find((l) =>
      l.letter.startsWith('holding-letter'),
    );
    expect(holding).toBeDefined();
    await h.act(h.linkFor('respond'), RESPONSE);
    await h.advanceTo(hoursLater(30));

    const printed = (await h.store.events(c.caseId)).filter((e) => e.type === 'letter-sent-to-print');
    expect(printed.map((e) => e.detail?.template)).toContain('response');
    expect(printed.map((e) => e.detail?.letter)).not.toContain(holding?.letter);
    const listed = ((await h.caseOf(c.caseId)).lettersToPost ?? []).map((l) => l.letter);
    expect(listed).not.toContain(holding?.letter);
  });

  it('starts stage 2 once and tells the stage-2 officer once when SES is down for a day from the request', async () => {
    const { ses } = await harnessWithOutages();
    const c = await h.submit(complaintFrom(h));
    await decide('acknowledge', ACKNOWLEDGE);
    await decide('respond', RESPONSE);
    const link = await stage2RequestLink(c);
    ses.start(A_DAY_AND_MORE);
    const asked = await h.actWithoutFollowing(link, {
      decision: 'request',
      response: 'You did not look at my emails.',
    });
    expect(asked.statusCode).toBe(303);
    await h.advanceTo(hoursLater(27));
    expect(ses.refused).toBeGreaterThan(24);

    const stage2 = await h.caseOf(c.caseId);
    expect(stage2.stage).toBe(2);
    await decide('acknowledge', ACKNOWLEDGE, stage2.assignedTo);
    await decide('respond', RESPONSE, stage2.assignedTo);

    expect(await duplicates(c)).toEqual([]);
    expect(h.templates(stage2.assignedTo)).toEqual(['officer-task', 'officer-task']);
    await expectClosed(c);
  });

  it('writes a stage-2 holding letter on its day and sends it to print once when SES is down from then until after the deadline', async () => {
    // Stage 2 reminds the reviewer three working days before the final response is due; a posted
    // holding letter goes two before. SES goes down before the reminder and comes back two days
    // after the deadline: one holding letter to print (written again if its date ran out), one
    // escalation, and the case closes after the final response.
    const { ses } = await harnessWithOutages();
    const c = await h.submit(complaintFrom(h, BY_POST));
    await decide('acknowledge', ACKNOWLEDGE);
    await decide('respond', RESPONSE);
    const asked = await h.actWithoutFollowing(await stage2RequestLink(c), {
      decision: 'request',
      response: 'You did not look at my letters.',
    });
    expect(asked.statusCode).toBe(303);
    await h.advanceTo(hoursLater(1));
    const reviewer = (await h.caseOf(c.caseId)).assignedTo;
    await decide('acknowledge', ACKNOWLEDGE, reviewer);
    const respondBy = (await h.caseOf(c.caseId)).deadlines.stage2RespondBy as string;
    const days = 86_400_000;
    await h.advanceTo(new Date(Date.parse(respondBy) - 6 * days).toISOString());
    ses.start((Date.parse(respondBy) + 2 * days - h.clock.now().getTime()) / 60_000);
    await h.advanceTo(new Date(Date.parse(respondBy) + 2 * days + 6 * 3600_000).toISOString());
    expect(ses.refused).toBeGreaterThan(48);

    const events = await h.store.events(c.caseId);
    const stage2From = events.findIndex((e) => e.type === 'stage-2-started');
    const later = events.slice(stage2From);
    const written = later.filter(
      (e) => e.type === 'letter-written' && e.detail?.template === 'holding-letter',
    );
    const replaced = new Set(written.map((e) => String(e.detail?.replaces)));
    const kept = written.filter((e) => !replaced.has(String(e.detail?.letter)));
    expect(kept).toHaveLength(1);
    const printed = later.filter(
      (e) => e.type === 'letter-sent-to-print' && e.detail?.template === 'holding-letter',
    );
    expect(printed.map((e) => e.detail?.letter)).toEqual([kept[0]?.detail?.letter]);
    // The reminder fell due and its deadline passed while SES was down: the escalation says it now.
    expect(h.templates(reviewer).filter((t) => t === 'officer-reminder')).toEqual([]);
    expect(h.templates().filter((t) => t === 'manager-escalation')).toHaveLength(1);

    await decide('respond', RESPONSE, reviewer);
    expect(await duplicates(c)).toEqual([]);
    await expectClosed(c);
  });

  it('archives a posted case once when S3 is down for a day as it closes, keeping its letters as long', async () => {
    const { s3 } = await harnessWithOutages();
    const c = await h.submit(complaintFrom(h, BY_POST));
    await decide('acknowledge', ACKNOWLEDGE);
    await decide('respond', RESPONSE);
    const lateBy = stage2LateRequestDeadline(h.policy, await h.caseOf(c.caseId)) as string;
    await h.advanceTo(new Date(Date.parse(lateBy) - 3600_000).toISOString());
    s3.start(A_DAY_AND_MORE);
    await h.advanceTo(hoursLater(28));
    expect(s3.refused).toBeGreaterThan(24);

    expect(await duplicates(c)).toEqual([]);
    await expectClosed(c);
    const kept = [...h.archive.letters].filter(([key]) => key.startsWith(`${c.caseId}/`));
    expect(kept.map(([, letter]) => letter.retention)).toEqual(kept.map(() => '2y'));
  });

  it('takes a posted social care complaint to its written response when SES is down for a day twice', async () => {
    const { ses } = await harnessWithOutages('social-care-statutory');
    ses.start(A_DAY_AND_MORE);
    const c = await h.submit(complaintFrom(h, { service: 'home-care', ...BY_POST }));
    await h.advanceTo(hoursLater(27));
    await decide('acknowledge', ACKNOWLEDGE);
    ses.start(A_DAY_AND_MORE);
    const agreed = await h.actWithoutFollowing(h.linkFor('social-care-plan'), {
      decision: 'agree-plan',
      plan: 'Review the care package.',
      agreedWorkingDays: '20',
    });
    expect(agreed.statusCode).toBe(303);
    await h.advanceTo(hoursLater(27));
    expect(ses.refused).toBeGreaterThan(48);
    await decide('social-care-review', {
      decision: 'resolved',
      response: 'We have reviewed the care package with you.',
    });

    expect(await duplicates(c)).toEqual([]);
    const letters = (await h.store.events(c.caseId)).filter((e) => e.type === 'letter-written');
    expect(letters.map((e) => e.detail?.template)).toEqual([
      'receipt',
      'acknowledgement',
      'social-care-plan',
      'social-care-response',
    ]);
    await expectClosed(c, 'social-care');
  });
});
