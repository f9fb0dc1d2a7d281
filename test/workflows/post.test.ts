import { afterEach, describe, expect, it } from 'vitest';
import { adapter, provideAdapters } from '../../functions/app/container.js';
import { renderLetter } from '../../functions/app/correspondence.js';
import type { DataProtectionDeps } from '../../functions/app/data-protection.js';
import { type OmbudsmanFileDeps, ombudsmanFile } from '../../functions/app/ombudsman-file.js';
import { rectify } from '../../functions/app/rectification.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { stage2LateRequestDeadline } from '../../functions/domain/case-clock.js';
import { formatLongDate } from '../../functions/templates/render-email.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { MemoryAuditLog } from '../support/memory-audit-log.js';
import { MemoryEvidenceStore } from '../support/memory-evidence.js';
import { pdfPages } from '../support/pdf-text.js';
import { TEAM } from '../support/staff-members.js';
import { behind, dyingAfterSending, lastClockWakeUp, Outage, publishingSendEvents } from './faults.js';
import { BASE_URL, complaintFrom, createHarness, type Harness, RESIDENT } from './harness.js';

/**
 * Residents without email, and residents who ask for post: each letter is printed from the same
 * template as a PDF stored with the case, and the mailbox responsible for the case is emailed to
 * print and post it, once per letter, through the real ASL on the local engine.
 */

let h: Harness;

afterEach(async () => {
  await h?.close();
});

const justAfter = (iso: string | undefined, ms = 1000) =>
  new Date(Date.parse(iso as string) + ms).toISOString();
const minutesLater = (minutes: number) => new Date(h.clock.now().getTime() + minutes * 60_000).toISOString();

const PHONE = '01632 960 001';
const ADDRESS = '12 Mill Lane\nExampletown\nEX1 2AB';

/** The print-and-post emails sent, in order. */
function printRequests() {
  return h.sent.filter((m) => m.template === 'print-and-post');
}

/** The signed link to the letter in a print-and-post email, as a path with its query. */
function letterLink(text: string): string {
  const url = /(http:\/\/redress\.test\/cases\/[^\s]+\/letters\/[^\s?]+\?link=[\w.-]+)/.exec(text)?.[1];
  if (!url) throw new Error(`no letter link in: ${text}`);
  return url;
}

const quotedIn = (text: string) => /We told you we would send our response by ([^.]+)\./.exec(text)?.[1];
const promisedIn = (text: string) => /We will now send you our response by ([^.]+)\./.exec(text)?.[1];

/** The officer's decision to pause a complaint for mediation, with the resident's agreement. */
const PAUSE = {
  decision: 'pause',
  pauseKind: 'mediation',
  residentAgreed: 'yes',
  pauseNote: 'Mediation agreed on the phone',
};

/** A complaint from a resident who gets letters by post, acknowledged, with SES behind an outage the test starts. */
async function acknowledgedByPostWithSesOutage() {
  h = await createHarness();
  const ses = new Outage('SES', () => h.clock.now());
  provideAdapters({ mailer: behind(publishingSendEvents(adapter('mailer')), ses) });
  const c = await h.submit(complaintFrom(h, { complainant: { name: 'Grace Hopper', address: ADDRESS } }));
  await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
  return { ses, c };
}

/**
 * A posted complaint (SES behind an outage), paused for mediation two days after its response
 * deadline (Monday 16 March 2026) had passed, and now on Tuesday 24 March, ten hours before the
 * restart that would leave it late.
 */
async function pausedAfterTheDeadline() {
  const { ses, c } = await acknowledgedByPostWithSesOutage();
  const respondBy = (await h.caseOf(c.caseId)).deadlines.respondBy as string;
  await h.advanceTo(new Date(Date.parse(respondBy) + 2 * 86400_000).toISOString());
  await h.act(h.linkFor('respond'), PAUSE);
  await h.advanceTo(new Date(Date.parse(respondBy) + 8 * 86400_000 - 10 * 3600_000).toISOString());
  return { ses, c, respondBy };
}

/** The resident's new address, given while a letter to the old one waits to go to print. */
const MOVED = {
  name: 'Grace Hopper',
  address: '7 New Road\nOthertown',
  postcode: 'EX9 9ZZ',
  reason: 'The resident phoned to say they have moved',
};

/**
 * SES down for a day as a posted complaint is paused: the pause letter's PDF, to 12 Mill Lane, is
 * written at once and waits to go to print. Three hours on, the resident phones to say they have
 * moved (`MOVED`), and the address is corrected.
 */
async function movedWhileThePauseLetterWaits() {
  const { ses, c } = await acknowledgedByPostWithSesOutage();
  ses.start(24 * 60);
  await h.act(h.linkFor('respond'), PAUSE);
  await h.advanceTo(minutesLater(3 * 60));
  await rectify(rectifyDeps(), TEAM, c.reference, MOVED);
  return { ses, c };
}

/** What the data protection officer's correction of a name or address needs. */
function rectifyDeps(): DataProtectionDeps {
  return {
    store: h.store,
    // The bucket as the workspace reaches it: behind an outage when a test starts one.
    archive: adapter('archive'),
    evidence: new MemoryEvidenceStore(),
    audit: new MemoryAuditLog(),
    policy: h.policy,
    now: () => h.clock.now(),
    newId: () => 'rectify-1',
  } as unknown as DataProtectionDeps;
}

async function letterEvents(c: CaseRecord, type: string) {
  return (await h.store.events(c.caseId)).filter((e) => e.type === type);
}

describe('letters by post', () => {
  it('prints every letter to a phone-only resident and asks the case’s mailbox to post it', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h, { complainant: { name: 'Grace Hopper', phone: PHONE } }));
    const officer = (await h.caseOf(c.caseId)).assignedTo as string;

    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);

    // No email to the resident; a receipt and an acknowledgement, each as a PDF with the case.
    expect(h.sent.filter((m) => m.to.includes(RESIDENT))).toEqual([]);
    const written = await letterEvents(c, 'letter-written');
    expect(written.map((e) => e.detail?.template)).toEqual(['receipt', 'acknowledgement']);
    expect(h.archive.letters.size).toBe(2);
    // One print-and-post email per letter, to the mailbox the case is with.
    const requests = printRequests();
    expect(requests).toHaveLength(2);
    expect(requests.every((m) => m.to.length === 1 && m.to[0] === officer)).toBe(true);
    const ack = requests[1]?.text ?? '';
    expect(ack).toContain('They gave us no email address');
    expect(ack).toContain('We have no postal address for Grace Hopper. Phone them on 01632 960 001');
    expect(ack).toContain('Your complaint is being looked into');

    // The link opens the very PDF stored with the case: A4, tagged, titled, in English.
    const response = await h.get(letterLink(ack));
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Content-Type']).toBe('application/pdf');
    expect(response.headers?.['Cache-Control']).toBe('no-store');
    const pdf = Buffer.from(response.body, 'base64');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/Lang \(en-GB\)/);
    expect(raw).toMatch(/\/StructTreeRoot/);
    expect(raw).toMatch(/\/MarkInfo \d+ 0 R/);
    expect(raw).toMatch(/\/Marked true/);
    expect(raw).toMatch(/\/DisplayDocTitle true/);
    expect(raw).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    const stored = await h.archive.getLetter(c.caseId, String(written[1]?.detail?.letter));
    expect(Buffer.from(stored as Uint8Array).equals(pdf)).toBe(true);

    // Its words are the acknowledgement's, for paper, with the date the workflow holds.
    const record = await h.caseOf(c.caseId);
    const letter = await renderLetter(h.policy, record, 'acknowledgement', {}, h.clock.now());
    expect(letter.text).toContain('If you need this letter in another format');
    expect(letter.text).not.toMatch(/this email/);
    expect(letter.text).toContain('Monday 16 March 2026');
    // The receipt too says it is a letter.
    const receipt = await renderLetter(h.policy, record, 'receipt', {}, h.clock.now());
    expect(receipt.text).toContain('For your security, this letter does not repeat what you wrote.');
    expect(receipt.text).not.toMatch(/this email/);

    // A link for another letter, or tampered, opens nothing.
    const other = letterLink(requests[0]?.text ?? '');
    const swapped = other.replace(/letters\/[^?]+/, `letters/${String(written[1]?.detail?.letter)}`);
    expect((await h.get(swapped)).statusCode).toBe(403);
  });

  it('posts to a resident who gave an email address but asked for post', async () => {
    h = await createHarness();
    const c = await h.submit(
      complaintFrom(h, {
        complainant: { name: 'Ada Lovelace', email: RESIDENT, address: ADDRESS, contactBy: 'post' },
      }),
    );
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    await h.act(h.linkFor('respond'), {
      decision: 'respond',
      outcome: 'upheld',
      response: 'We got it wrong.',
    });

    expect(h.templates(RESIDENT)).toEqual([]);
    expect((await letterEvents(c, 'letter-written')).map((e) => e.detail?.template)).toEqual([
      'receipt',
      'acknowledgement',
      'response',
    ]);
    const response = printRequests().at(-1)?.text ?? '';
    expect(response).toContain('They asked for letters by post');
    expect(response).toContain('Ada Lovelace\n12 Mill Lane\nExampletown\nEX1 2AB');
    // The printed response tells them how to ask for stage 2 without a link to click.
    const letter = await renderLetter(
      h.policy,
      await h.caseOf(c.caseId),
      'response',
      { link: 'http://redress.test/tasks/x' },
      h.clock.now(),
    );
    expect(letter.text).toContain(
      'To ask, contact us using the details at the top of this letter, quoting your reference.',
    );
  });

  it('warns whoever posts a letter of characters no letter font has, and where to find them', async () => {
    h = await createHarness();
    // A Burmese name: the letter fonts have no Myanmar script, so it prints as empty boxes.
    const name = 'ဒေါ်ခင်မြင့်';
    const c = await h.submit(complaintFrom(h, { complainant: { name, address: ADDRESS } }));
    const latin = await h.submit(
      complaintFrom(h, { complainant: { name: 'Grace Hopper', address: ADDRESS } }),
    );

    const [receipt, latinReceipt] = printRequests();
    const warning = 'CHECK IT BEFORE YOU POST IT';
    expect(receipt?.text).toContain(warning);
    expect(receipt?.text).toContain(
      `Some words in the letter print as empty boxes, because our letter fonts do not have their characters: ${name} (Myanmar script).`,
    );
    // The email shows the name as it should read, for the one who writes it in.
    expect(receipt?.text).toContain(`${name}\n12 Mill Lane`);
    expect(receipt?.html).toContain('<h2>Check it before you post it</h2>');
    expect(latinReceipt?.text).not.toContain(warning);
    // The letter's record keeps the words, for the case page's list of letters.
    const [written] = await letterEvents(c, 'letter-written');
    expect(written?.detail?.unprintable).toBe(name);
    const [latinWritten] = await letterEvents(latin, 'letter-written');
    expect(latinWritten?.detail).not.toHaveProperty('unprintable');
    // On the workspace's list of letters to post, it is marked to be checked first.
    expect((await h.caseOf(c.caseId)).lettersToPost?.map((l) => l.checkFirst)).toEqual([true]);
    expect((await h.caseOf(latin.caseId)).lettersToPost?.map((l) => l.checkFirst)).toEqual([undefined]);
  });

  it('posts one holding letter two working days before the deadline, so it arrives in time', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h, { complainant: { name: 'Grace Hopper', address: ADDRESS } }));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    const { respondBy } = (await h.caseOf(c.caseId)).deadlines;

    await h.advanceTo(justAfter(respondBy));

    const holding = (await letterEvents(c, 'letter-written')).filter(
      (e) => e.detail?.template === 'holding-letter',
    );
    expect(holding).toHaveLength(1);
    // Due Monday 16 March: printed on Thursday 12 March, two working days before.
    expect(respondBy).toBe('2026-03-16T23:59:59.000Z');
    expect(holding[0]?.at.slice(0, 10)).toBe('2026-03-12');
    expect(printRequests().filter((m) => m.subject.includes('may be late'))).toHaveLength(1);
  });

  it('posts each further holding letter two working days before the date it quotes, with a date still ahead', async () => {
    // Prepare: a complaint by post, due Monday 16 March 2026, with no response for weeks.
    h = await createHarness();
    const c = await h.submit(complaintFrom(h, { complainant: { name: 'Grace Hopper', address: ADDRESS } }));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);

    // Act: time runs to the day after the third letter's date.
    await h.advanceTo('2026-03-31T12:00:00.000Z');

    // Assess: each letter is written two working days before the date it quotes, so it arrives
    // by then, and commits to the next date the manager is told (five working days on, Easter
    // skipped), never the date it quotes.
    const written = (await letterEvents(c, 'letter-written')).filter(
      (e) => e.detail?.template === 'holding-letter',
    );
    const texts = await Promise.all(
      written.map(async (e) =>
        (await pdfPages((await h.archive.getLetter(c.caseId, String(e.detail?.letter))) as Uint8Array)).join(
          '\n',
        ),
      ),
    );
    const flat = texts.map((t) => t.replace(/\s+/g, ' '));
    expect(written.map((e) => e.at.slice(0, 10))).toEqual(['2026-03-12', '2026-03-19', '2026-03-26']);
    expect(flat.map(quotedIn)).toEqual([
      'Monday 16 March 2026',
      'Monday 23 March 2026',
      'Monday 30 March 2026',
    ]);
    expect(flat.map(promisedIn)).toEqual([
      'Monday 23 March 2026',
      'Monday 30 March 2026',
      'Wednesday 8 April 2026',
    ]);
    // Written before the date it quotes: it may be missed, not "has been".
    for (const text of flat) expect(text).toContain('We are sorry: we may not be able to.');
    expect(printRequests().filter((m) => m.subject.includes('may be late'))).toHaveLength(3);
    // The case keeps the date the last letter gave, which the manager is next told about.
    const record = await h.caseOf(c.caseId);
    expect(formatLongDate(record.progress.stage1.holdingLetterPromised as string)).toBe(
      'Wednesday 8 April 2026',
    );
    expect(h.sent.filter((m) => m.template === 'manager-escalation')).toHaveLength(3);

    // The Ombudsman's file re-creates each posted letter with the dates it gave.
    const file = await ombudsmanFile(
      {
        store: h.store,
        archive: h.archive,
        policy: h.policy,
        now: () => h.clock.now(),
        newId: () => 'file-1',
        baseUrl: BASE_URL,
        audit: adapter('audit'),
        evidence: new MemoryEvidenceStore(),
      } as unknown as OmbudsmanFileDeps,
      TEAM,
      record.reference,
      'pdf',
    );
    const pages = (await pdfPages(file.body)).join('\n').replace(/\s+/g, ' ');
    const recreated = [
      ...pages.matchAll(
        /We told you we would send our response by ([^.]+)\. .*?We will now send you our response by ([^.]+)\./g,
      ),
    ];
    expect(recreated.map((m) => [m[1], m[2]])).toEqual(flat.map((t) => [quotedIn(t), promisedIn(t)]));
  });

  it('posts a further holding letter once for its date, however often the wake-up that writes it runs', async () => {
    // Prepare: the second letter (about Monday 23 March) has just been written, on Thursday 19 March.
    h = await createHarness();
    const c = await h.submit(complaintFrom(h, { complainant: { name: 'Grace Hopper', address: ADDRESS } }));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    await h.advanceTo('2026-03-19T09:00:00.000Z');
    const holding = async () =>
      (await letterEvents(c, 'letter-written')).filter((e) => e.detail?.template === 'holding-letter');
    expect(await holding()).toHaveLength(2);
    const { payload: wakeUp, run } = await lastClockWakeUp(h, c.caseId);

    // Act: the wake-up's invocation again (a late copy), then a fresh entry of the clock state at
    // the same moment (a restart), then time runs on to the day before the letter's new date.
    const copy = await run(wakeUp, 'copy');
    const { taskToken: _over, ...payload } = wakeUp;
    const reentered = await run(
      { ...payload, step: { ...payload.step, enteredAt: h.clock.now().toISOString() } },
      'reentered',
    );
    await h.clock.settle();
    await h.advanceTo('2026-03-25T12:00:00.000Z');

    // Assess: still two letters, each printed and posted once; the case keeps the second's date.
    expect(copy).toBe('SupersededEntryError');
    expect(reentered).toBe('answered');
    expect(await holding()).toHaveLength(2);
    expect(printRequests().filter((m) => m.subject.includes('may be late'))).toHaveLength(2);
    const kept = (await h.caseOf(c.caseId)).progress.stage1.holdingLetterPromised as string;
    expect(formatLongDate(kept)).toBe('Monday 30 March 2026');
  });

  it('keeps the letters exactly as long as the case file once the case closes', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h, { complainant: { name: 'Grace Hopper', address: ADDRESS } }));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    await h.act(h.linkFor('respond'), {
      decision: 'respond',
      outcome: 'upheld',
      response: 'We got it wrong.',
    });
    // No link to click on paper: the window for stage 2 passes (the resident is written to), the
    // complaints team's time to accept a late request passes too, and the case closes.
    await h.advanceTo(justAfter((await h.caseOf(c.caseId)).deadlines.stage2RequestBy));
    await h.advanceTo(justAfter(stage2LateRequestDeadline(h.policy, await h.caseOf(c.caseId))));

    expect((await h.caseOf(c.caseId)).status).toBe('closed');
    expect(await h.archive.getRetention(c.caseId)).toBe('2y');
    const letters = [...h.archive.letters.entries()].filter(([key]) => key.startsWith(`${c.caseId}/`));
    // Receipt, acknowledgement, response and the letter saying the stage-2 window has closed.
    expect(letters).toHaveLength(4);
    expect(letters.every(([, l]) => l.retention === '2y')).toBe(true);
  });

  it('writes the PDF again harmlessly and emails the mailbox once when the step dies after SES accepted', async () => {
    h = await createHarness();
    provideAdapters({ mailer: dyingAfterSending(publishingSendEvents(adapter('mailer'))) });

    const c = await h.submit(complaintFrom(h, { complainant: { name: 'Grace Hopper', phone: PHONE } }));
    await h.advanceTo(minutesLater(15));

    const receipts = printRequests().filter((m) => m.subject.includes('We have received'));
    expect(receipts).toHaveLength(1);
    expect(await letterEvents(c, 'letter-written')).toHaveLength(1);
    expect(await letterEvents(c, 'letter-sent-to-print')).toHaveLength(1);
    expect(h.archive.letters.size).toBe(1);
    expect([...h.archive.letters.values()][0]?.writes).toBe(1);
  });

  it('rides out an archive outage: the letter is written once the bucket is back, and posted once', async () => {
    h = await createHarness();
    const s3 = new Outage('S3', () => h.clock.now());
    provideAdapters({
      archive: behind(adapter('archive'), s3),
      mailer: publishingSendEvents(adapter('mailer')),
    });
    s3.start(20);

    const c = await h.submit(complaintFrom(h, { complainant: { name: 'Grace Hopper', phone: PHONE } }));
    expect(printRequests()).toHaveLength(0);
    await h.advanceTo(minutesLater(30));

    expect(s3.refused).toBeGreaterThan(0);
    expect(await letterEvents(c, 'letter-written')).toHaveLength(1);
    expect(printRequests()).toHaveLength(1);
    expect(await h.status(c.caseId)).toBe('RUNNING');
  });

  it('writes a letter once however long SES is down before it goes to print, and posts that one', async () => {
    const { ses, c } = await acknowledgedByPostWithSesOutage();

    // SES down for a day as the officer pauses the complaint: the pause letter's PDF is written at
    // once; its print-and-post email waits, far longer than the step's retries last, so the
    // state is entered again and again until SES is back.
    ses.start(24 * 60);
    await h.act(h.linkFor('respond'), PAUSE);
    await h.advanceTo(minutesLater(26 * 60));

    expect(ses.refused).toBeGreaterThan(24);
    const written = (await letterEvents(c, 'letter-written')).filter((e) => e.detail?.template === 'pause');
    expect(written).toHaveLength(1);
    const pauseLetters = [...h.archive.letters.keys()].filter((key) => key.includes('/pause-'));
    expect(pauseLetters).toEqual([`${c.caseId}/${written[0]?.detail?.letter}`]);
    // One on the workspace's list to post, and one email to print it: the same letter.
    const toPost = (await h.caseOf(c.caseId)).lettersToPost?.filter((l) => l.letter.startsWith('pause-'));
    expect(toPost?.map((l) => l.letter)).toEqual([written[0]?.detail?.letter]);
    const printed = (await letterEvents(c, 'letter-sent-to-print')).filter(
      (e) => e.detail?.template === 'pause',
    );
    expect(printed.map((e) => e.detail?.letter)).toEqual([written[0]?.detail?.letter]);
    expect(printRequests().filter((m) => m.subject.includes('paused'))).toHaveLength(1);
  });

  it('writes a letter once when the table goes down for a day just after its PDF was stored', async () => {
    h = await createHarness();
    const dynamodb = new Outage('DynamoDB', () => h.clock.now());
    // The table goes down the moment the pause letter's PDF is in the bucket, before the step can
    // record it: for a day, far longer than the step's retries last, so the state enters itself
    // again, with a new entry time, until the table is back.
    const archive = adapter('archive');
    const putLetter = archive.putLetter.bind(archive);
    archive.putLetter = async (...args: Parameters<typeof putLetter>) => {
      const stored = await putLetter(...args);
      if (args[1].startsWith('pause-') && !dynamodb.refused) dynamodb.start(24 * 60);
      return stored;
    };
    provideAdapters({
      archive,
      store: behind(adapter('store'), dynamodb),
      mailer: publishingSendEvents(adapter('mailer')),
    });
    const c = await h.submit(complaintFrom(h, { complainant: { name: 'Grace Hopper', address: ADDRESS } }));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);

    await h.actWithoutFollowing(h.linkFor('respond'), PAUSE);
    await h.advanceTo(minutesLater(26 * 60));

    expect(dynamodb.refused).toBeGreaterThan(24);
    const written = (await letterEvents(c, 'letter-written')).filter((e) => e.detail?.template === 'pause');
    expect(written).toHaveLength(1);
    // One PDF in the bucket, the one recorded: none left behind that no event names, which the
    // case's archiving would never give a retention class.
    const pauseLetters = [...h.archive.letters.keys()].filter((key) => key.includes('/pause-'));
    expect(pauseLetters).toEqual([`${c.caseId}/${written[0]?.detail?.letter}`]);
    expect(printRequests().filter((m) => m.subject.includes('paused'))).toHaveLength(1);
    expect(await h.status(c.caseId)).toBe('RUNNING');
  });

  it('writes the letter again to an address corrected while it waited out an outage, and posts only that one', async () => {
    const { c } = await movedWhileThePauseLetterWaits();
    await h.advanceTo(minutesLater(24 * 60));

    // The letter that goes to print is addressed where the print email says to send it.
    const printed = (await letterEvents(c, 'letter-sent-to-print')).filter(
      (e) => e.detail?.template === 'pause',
    );
    expect(printed).toHaveLength(1);
    const pdf = (await h.archive.getLetter(c.caseId, String(printed[0]?.detail?.letter))) as Uint8Array;
    const text = (await pdfPages(pdf)).join('\n');
    expect(text).toContain('7 New Road');
    expect(text).not.toContain('12 Mill Lane');
    // Only that one waits on the workspace's list: the one to the old address is not to be posted.
    const toPost = (await h.caseOf(c.caseId)).lettersToPost?.filter((l) => l.letter.startsWith('pause-'));
    expect(toPost?.map((l) => l.letter)).toEqual([printed[0]?.detail?.letter]);
    // The letter written again names the one it replaces, for the case page's list of letters.
    const written = (await letterEvents(c, 'letter-written')).filter((e) => e.detail?.template === 'pause');
    expect(written.map((e) => e.detail?.replaces)).toEqual([undefined, written[0]?.detail?.letter]);
  });

  it('takes the old letter off the list when the bucket is down as the letter to the corrected address is written', async () => {
    // As above; this time the bucket is down for an hour as the address is corrected. The
    // correction writes the letter again in its own write, so it is refused whole (never the new
    // address with the letter to the old one on the list), and made once the bucket is back.
    const { ses, c } = await acknowledgedByPostWithSesOutage();
    ses.start(24 * 60);
    await h.act(h.linkFor('respond'), PAUSE);
    await h.advanceTo(minutesLater(3 * 60));
    const s3 = new Outage('S3', () => h.clock.now());
    provideAdapters({ archive: behind(adapter('archive'), s3) });
    s3.start(60);
    await expect(rectify(rectifyDeps(), TEAM, c.reference, MOVED)).rejects.toThrow();
    expect((await h.caseOf(c.caseId)).complainant.address).toBe(ADDRESS);
    await h.advanceTo(minutesLater(61));
    await rectify(rectifyDeps(), TEAM, c.reference, MOVED);
    await h.advanceTo(minutesLater(24 * 60));

    expect(s3.refused).toBeGreaterThan(0);
    const printed = (await letterEvents(c, 'letter-sent-to-print')).filter(
      (e) => e.detail?.template === 'pause',
    );
    expect(printed).toHaveLength(1);
    const pdf = (await h.archive.getLetter(c.caseId, String(printed[0]?.detail?.letter))) as Uint8Array;
    expect((await pdfPages(pdf)).join('\n')).toContain('7 New Road');
    // The letter to 12 Mill Lane is not to be posted: only the one that went to print waits.
    const toPost = (await h.caseOf(c.caseId)).lettersToPost?.filter((l) => l.letter.startsWith('pause-'));
    expect(toPost?.map((l) => l.letter)).toEqual([printed[0]?.detail?.letter]);
    const written = (await letterEvents(c, 'letter-written')).filter((e) => e.detail?.template === 'pause');
    expect(written.map((e) => e.detail?.replaces)).toEqual([undefined, written[0]?.detail?.letter]);
  });

  it('does the same for a letter its state sends before it starts a wait (the acknowledgement)', async () => {
    h = await createHarness();
    const ses = new Outage('SES', () => h.clock.now());
    const s3 = new Outage('S3', () => h.clock.now());
    provideAdapters({
      mailer: behind(publishingSendEvents(adapter('mailer')), ses),
      archive: behind(adapter('archive'), s3),
    });
    const c = await h.submit(complaintFrom(h, { complainant: { name: 'Grace Hopper', address: ADDRESS } }));

    ses.start(24 * 60);
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    await h.advanceTo(minutesLater(3 * 60));
    // The correction, refused whole while the bucket is down, is made once it is back.
    s3.start(60);
    await expect(rectify(rectifyDeps(), TEAM, c.reference, MOVED)).rejects.toThrow();
    await h.advanceTo(minutesLater(61));
    await rectify(rectifyDeps(), TEAM, c.reference, MOVED);
    await h.advanceTo(minutesLater(24 * 60));

    expect(s3.refused).toBeGreaterThan(0);
    const printed = (await letterEvents(c, 'letter-sent-to-print')).filter(
      (e) => e.detail?.template === 'acknowledgement',
    );
    expect(printed).toHaveLength(1);
    const pdf = (await h.archive.getLetter(c.caseId, String(printed[0]?.detail?.letter))) as Uint8Array;
    expect((await pdfPages(pdf)).join('\n')).toContain('7 New Road');
    const toPost = (await h.caseOf(c.caseId)).lettersToPost?.filter((l) =>
      l.letter.startsWith('acknowledgement-'),
    );
    expect(toPost?.map((l) => l.letter)).toEqual([printed[0]?.detail?.letter]);
    const written = (await letterEvents(c, 'letter-written')).filter(
      (e) => e.detail?.template === 'acknowledgement',
    );
    expect(written.map((e) => e.detail?.replaces)).toEqual([undefined, written[0]?.detail?.letter]);
  });

  it('writes a letter rendered to the old address as the correction is saved again to the new one before it goes to print', async () => {
    // The receipt's PDF is rendered to 12 Mill Lane; the address is corrected before the step
    // records it, so the correction finds no letter on the list to write again.
    h = await createHarness();
    const archive = adapter('archive');
    let corrected = false;
    provideAdapters({
      archive: Object.assign(Object.create(archive) as typeof archive, {
        putLetter: async (caseId: string, name: string, pdf: Uint8Array) => {
          if (!corrected) {
            corrected = true;
            const c = (await h.store.get(caseId)) as CaseRecord;
            await rectify({ ...rectifyDeps(), archive }, TEAM, c.reference, MOVED);
          }
          return archive.putLetter(caseId, name, pdf);
        },
      }),
    });
    const c = await h.submit(complaintFrom(h, { complainant: { name: 'Grace Hopper', address: ADDRESS } }));

    // The one that goes to print, and the one waiting on the list, is to the corrected address.
    const printed = (await letterEvents(c, 'letter-sent-to-print')).filter(
      (e) => e.detail?.template === 'receipt',
    );
    expect(corrected).toBe(true);
    expect(printed).toHaveLength(1);
    const pdf = (await h.archive.getLetter(c.caseId, String(printed[0]?.detail?.letter))) as Uint8Array;
    const text = (await pdfPages(pdf)).join('\n');
    expect(text).toContain('7 New Road');
    expect(text).not.toContain('12 Mill Lane');
    const toPost = (await h.caseOf(c.caseId)).lettersToPost?.filter((l) => l.letter.startsWith('receipt-'));
    expect(toPost?.map((l) => l.letter)).toEqual([printed[0]?.detail?.letter]);
  });

  it('writes a late restart letter again with a later date when its date runs out before it can go to print', async () => {
    // Restarted late on Tuesday 24 March as SES goes down for three days: the restart letter's
    // PDF is written at once, giving Friday 27 March. A letter about that date would have to be
    // posted by Wednesday 25 March, with SES still down: sent as it was, it would reach the
    // resident after its date, with a holding letter putting it off. It is written again then,
    // giving the date after, and that one alone goes to print on Friday.
    const { ses, c } = await pausedAfterTheDeadline();
    ses.start(3 * 24 * 60);
    await h.act(h.linkFor('resume'), { decision: 'resume' });
    await h.advanceTo(minutesLater(3 * 24 * 60 + 120));

    const restarts = (await letterEvents(c, 'letter-written')).filter((e) => e.detail?.template === 'resume');
    expect(restarts.map((e) => [formatLongDate(String(e.detail?.promised)), e.detail?.because])).toEqual([
      ['Friday 27 March 2026', undefined],
      ['Tuesday 7 April 2026', 'date'],
    ]);
    const [first, again] = restarts;
    expect(again?.detail?.replaces).toBe(first?.detail?.letter);
    const printed = (await letterEvents(c, 'letter-sent-to-print')).filter(
      (e) => e.detail?.template === 'resume',
    );
    expect(printed.map((e) => e.detail?.letter)).toEqual([again?.detail?.letter]);
    expect(formatLongDate(printed[0]?.at as string)).toBe('Friday 27 March 2026');
    const pdf = (await h.archive.getLetter(c.caseId, String(again?.detail?.letter))) as Uint8Array;
    const given = /response by (\w+ \d+ \w+ \d{4})/.exec(
      (await pdfPages(pdf)).join(' ').replace(/\s+/g, ' '),
    )?.[1];
    expect(given).toBe('Tuesday 7 April 2026');
    // The case keeps the date the printed letter gives, and no holding letter follows at once.
    expect((await h.caseOf(c.caseId)).progress.stage1.holdingLetterPromised).toBe(again?.detail?.promised);
    const following = (await letterEvents(c, 'letter-written')).filter(
      (e) => e.detail?.template === 'holding-letter' && e.at > (first?.at as string),
    );
    expect(following).toEqual([]);
  });

  it('restarts a posted complaint, days before its deadline, with a date no holding letter puts off at once', async () => {
    // Paused on Friday 13 March, after the holding letter about Monday 16 March went, and
    // restarted a week later: the response is due on Monday 23 March, too soon for a letter
    // about it to arrive by post before then (two working days). The restart letter must not
    // give that date with a holding letter putting it off written at the same moment: the
    // resident would get the two together. It commits to the date a holding letter would, and
    // counts as one.
    h = await createHarness();
    const c = await h.submit(complaintFrom(h, { complainant: { name: 'Grace Hopper', address: ADDRESS } }));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    await h.advanceTo('2026-03-13T10:00:00.000Z');
    await h.act(h.linkFor('respond'), PAUSE);
    await h.advanceTo('2026-03-20T10:00:00.000Z');
    await h.act(h.linkFor('resume'), { decision: 'resume' });
    const restarted = h.clock.now().toISOString();
    await h.advanceTo(minutesLater(60));

    expect((await h.caseOf(c.caseId)).deadlines.respondBy).toBe('2026-03-23T23:59:59.000Z');
    const [restart] = (await letterEvents(c, 'letter-written')).filter(
      (e) => e.detail?.template === 'resume',
    );
    const pdf = (await h.archive.getLetter(c.caseId, String(restart?.detail?.letter))) as Uint8Array;
    const given = /response by (\w+ \d+ \w+ \d{4})/.exec(
      (await pdfPages(pdf)).join(' ').replace(/\s+/g, ' '),
    )?.[1];
    const following = (await letterEvents(c, 'letter-written')).filter(
      (e) => e.detail?.template === 'holding-letter' && e.at >= restarted,
    );
    expect(following.map((e) => formatLongDate(String(e.detail?.quoted)))).toEqual([]);
    expect(given).toBe(
      formatLongDate((await h.caseOf(c.caseId)).progress.stage1.holdingLetterPromised as string),
    );
  });

  it('writes a restart letter again with a date to come when the deadline it gives runs out before it can go to print', async () => {
    // Paused on Tuesday 10 March, restarted on Tuesday 17 March as SES goes down for three days:
    // the restart letter is written at once, giving the new deadline, Monday 23 March. A letter
    // about that date would have to be posted by Thursday 19 March, with SES still down. Sent as
    // it was on Friday, it would go with a holding letter putting it off: it is written again,
    // committing to a date to come, and that one alone goes to print; it counts as the holding letter.
    const { ses, c } = await acknowledgedByPostWithSesOutage();
    await h.advanceTo('2026-03-10T10:00:00.000Z');
    await h.act(h.linkFor('respond'), PAUSE);
    await h.advanceTo('2026-03-17T10:00:00.000Z');
    ses.start(3 * 24 * 60);
    await h.act(h.linkFor('resume'), { decision: 'resume' });
    await h.advanceTo(minutesLater(4 * 24 * 60));

    expect((await h.caseOf(c.caseId)).deadlines.respondBy).toBe('2026-03-23T23:59:59.000Z');
    const printed = (await letterEvents(c, 'letter-sent-to-print')).filter(
      (e) => e.detail?.template === 'resume',
    );
    expect(printed).toHaveLength(1);
    const pdf = (await h.archive.getLetter(c.caseId, String(printed[0]?.detail?.letter))) as Uint8Array;
    const given = /response by (\w+ \d+ \w+ \d{4})/.exec(
      (await pdfPages(pdf)).join(' ').replace(/\s+/g, ' '),
    )?.[1];
    expect(given).toBe(
      formatLongDate((await h.caseOf(c.caseId)).progress.stage1.holdingLetterPromised as string),
    );
    const holding = (await letterEvents(c, 'letter-written')).filter(
      (e) => e.detail?.template === 'holding-letter',
    );
    expect(holding).toEqual([]);
  });

  it('counts a late restart letter written before its record kept its dates as the holding letter it is', async () => {
    // Restarted late as SES goes down for 20 minutes.
    const { ses, c, respondBy } = await pausedAfterTheDeadline();
    ses.start(20);
    await h.act(h.linkFor('resume'), { decision: 'resume' });
    // The restart letter's PDF was written by the release before, whose record of it kept neither
    // the entry it is of nor its dates; the print email goes after the new release is deployed.
    const before = await h.caseOf(c.caseId);
    const effects = Object.fromEntries(
      Object.entries(before.effects ?? {}).map(([slot, effect]) => {
        if (effect.result?.template !== 'resume') return [slot, effect];
        const { letterOf: _entry, dates: _dates, to: _to, ...result } = effect.result;
        return [slot, { ...effect, result }];
      }),
    );
    await h.store.update(c.caseId, before.version, { set: { effects } });
    await h.advanceTo(minutesLater(60));

    // The letter gave a new date: no holding letter about the same deadline follows at once.
    expect(
      (await letterEvents(c, 'letter-sent-to-print')).filter((e) => e.detail?.template === 'resume'),
    ).toHaveLength(1);
    const holding = (await letterEvents(c, 'letter-written')).filter(
      (e) => e.detail?.template === 'holding-letter' && e.at > respondBy,
    );
    expect(holding).toEqual([]);
  });

  it('shows the officer the resident’s phone and postal address on the task page', async () => {
    h = await createHarness();
    await h.submit(
      complaintFrom(h, { complainant: { name: 'Grace Hopper', phone: PHONE, address: ADDRESS } }),
    );

    const page = await h.view(h.linkFor('acknowledge'));

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(PHONE);
    expect(page.body).toContain('12 Mill Lane, Exampletown, EX1 2AB');
    expect(page.body).toMatch(/Letters go by\s*<\/dt>\s*<dd[^>]*>\s*post/);
  });
});
