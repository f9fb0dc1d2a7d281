/**
 * Letters to post when the resident's name or postal address is corrected, in-process against
 * DynamoDB Local and the S3 stand-in: the deployed workspace routes (the letters to post, the case
 * page, the correction form) with the real case store, archive and audit log.
 *
 * A letter printed to the old address goes astray, or to a home the resident has left (a breach
 * of their data, and a danger when they moved away from someone). So a letter still waiting to be
 * posted is written again, at once, to the corrected address and never offered with the old one;
 * and one already posted to the old address is put in front of the team, to post again or not.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log.js';
import type { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { DynamoDbStaffStore } from '../../functions/adapters/dynamodb-staff-store.js';
import { DynamoDbSubjectAccessRegister } from '../../functions/adapters/dynamodb-subject-access-register.js';
import { S3Archive } from '../../functions/adapters/s3-archive.js';
import { S3Downloads } from '../../functions/adapters/s3-downloads.js';
import { S3EvidenceStore } from '../../functions/adapters/s3-evidence.js';
import {
  type DataProtectionRouteDeps,
  dataProtectionRoutes,
} from '../../functions/app/data-protection-routes.js';
import { submitFeedback } from '../../functions/app/intake.js';
import { rectify } from '../../functions/app/rectification.js';
import { markLetterPosted } from '../../functions/app/staff-case-actions.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { StaffMember } from '../../functions/domain/staff.js';
import { apiEvent, formPost } from '../support/api-event.js';
import { type CaseTableOnStandIns, startCaseTable } from '../support/case-table.js';
import { actingBeforeFirst } from '../support/interposed.js';
import { pdfPages } from '../support/pdf-text.js';
import { DPO, NOMINATED, TEAM } from '../support/staff-members.js';
import { staffSession, workspaceApi, workspaceDeps } from '../support/workspace-api.js';

const policy = loadPolicy('lgsco-code-2024');
const NOW = new Date('2026-03-04T10:00:00Z');

let table: CaseTableOnStandIns;
let store: DynamoDbCaseStore;
let staffStore: DynamoDbStaffStore;
let archive: S3Archive;
let deps: DataProtectionRouteDeps;
let api: ReturnType<typeof workspaceApi>;

/** The service's clock: a minute on at each reading, so "written" and "re-addressed" differ. */
let tick = 0;
const clock = () => new Date(NOW.getTime() + ++tick * 60_000);

const call = (event: ReturnType<typeof apiEvent>): Promise<APIGatewayProxyResult> => api(event);
const session = (staff: StaffMember) => staffSession(staffStore, staff, NOW);
const get = (path: string, cookie: string) =>
  apiEvent('GET', path, { headers: { Accept: 'text/html', Cookie: cookie } });

const OLD_ADDRESS = '12 Mill Lane, Exampletown EX1 2AB';
const OLD_LINES = ['12 Mill Lane', 'Exampletown EX1 2AB'];
/** The correction form as the data protection officer fills it in: the resident has moved. */
const MOVED = {
  name: 'Grace Hopper',
  phone: '01632 960001',
  address: '7 New Road, Othertown',
  postcode: 'EX9 9ZZ',
  reason: 'The resident phoned to say they have moved',
};
const NEW_LINES = ['7 New Road', 'Othertown', 'EX9 9ZZ'];

/** A complaint from a resident with a postal address and no email: every letter goes by post. */
async function postalCase(): Promise<CaseRecord> {
  const intake = { store, policy, now: () => NOW, newId: () => `case-${randomUUID()}` };
  const { record } = await submitFeedback(intake, {
    service: policy.routing.services[0]?.id,
    summary: 'Officers keep calling at my house without warning.',
    complainant: { name: 'Grace Hopper', phone: '01632 960001', address: OLD_ADDRESS },
  });
  return record;
}

/** The nominated officer designates the complainant: a real letter, rendered, stored and put on the list. */
async function letterOnTheList(c: CaseRecord): Promise<string> {
  const nominated = await session(NOMINATED);
  const done = await call(
    formPost(
      `/staff/cases/${c.reference}/designate`,
      {
        csrf: nominated.csrf,
        designationReason: 'Daily calls to officers about a matter already answered.',
        restrictions: 'written-only',
        reviewDay: '4',
        reviewMonth: '9',
        reviewYear: '2026',
      },
      { Cookie: nominated.cookie },
    ),
  );
  expect(done.statusCode).toBe(303);
  const letter = (await store.get(c.caseId))?.lettersToPost?.[0]?.letter;
  expect(letter).toBeDefined();
  return letter as string;
}

async function correctAddress(c: CaseRecord): Promise<APIGatewayProxyResult> {
  const dpo = await session(DPO);
  return call(
    formPost(
      `/staff/cases/${c.reference}/contact-details`,
      { csrf: dpo.csrf, ...MOVED },
      { Cookie: dpo.cookie },
    ),
  );
}

async function textOf(c: CaseRecord, letter: string): Promise<string> {
  const pdf = await archive.getLetter(c.caseId, letter);
  expect(pdf).toBeDefined();
  return (await pdfPages(pdf as Uint8Array)).join('\n');
}

/** A letter's text without its address block's lines: what must stay the same when it is re-addressed. */
const withoutLines = (text: string, lines: string[]) =>
  text
    .split('\n')
    .filter((l) => !lines.includes(l.trim()))
    .join('\n');

/** The entries of the list of letters to post that belong to case `c`. */
async function listed(c: CaseRecord) {
  return (await store.workList('post', { limit: 100 })).entries.filter((e) => e.caseId === c.caseId);
}

describe('letters to post when the resident’s name or address is corrected', () => {
  beforeAll(async () => {
    table = await startCaseTable(['dynamodb', 's3']);
    store = table.store;
    staffStore = new DynamoDbStaffStore({ tableName: table.tableName });
    archive = new S3Archive({ bucket: table.standIns.bucket });
    deps = workspaceDeps({
      store,
      staffStore,
      policy,
      now: clock,
      sessionClock: () => NOW,
      archive,
      evidence: new S3EvidenceStore({ bucket: table.standIns.bucket }),
      downloads: new S3Downloads({ bucket: table.standIns.bucket }),
      audit: new DynamoDbAuditLog({ tableName: table.tableName }),
      subjectAccess: new DynamoDbSubjectAccessRegister({ tableName: table.tableName }),
    });
    api = workspaceApi(deps, dataProtectionRoutes);
  }, 120_000);

  afterAll(async () => {
    await table?.stop();
  });

  it('writes a letter waiting to be posted again to the corrected address, same date and words, and never offers the old one', async () => {
    // Prepare: a letter to 12 Mill Lane waits on the list.
    const c = await postalCase();
    const old = await letterOnTheList(c);
    const before = (await store.get(c.caseId))?.lettersToPost?.[0];
    const oldText = await textOf(c, old);
    expect(oldText).toContain('12 Mill Lane');

    // Act: the resident has moved; the data protection officer corrects the address.
    const corrected = await correctAddress(c);

    // Assess: one letter for the case on the list, the same letter to the new address.
    expect(corrected.statusCode).toBe(303);
    const entries = await listed(c);
    expect(entries).toHaveLength(1);
    const entry = entries[0];
    expect(entry?.letter).not.toBe(old);
    expect(entry?.title).toBe(before?.title);
    // It keeps its place in the queue (written when it was), and says when it was re-addressed.
    expect(entry?.at).toBe(before?.writtenAt);
    expect(entry?.readdressedAt).toBeDefined();
    const newText = await textOf(c, entry?.letter as string);
    expect(newText).toContain('7 New Road');
    expect(newText).not.toContain('12 Mill Lane');
    // Same letter: same date, same words; only the address block differs.
    expect(withoutLines(newText, NEW_LINES)).toBe(withoutLines(oldText, OLD_LINES));
    // The case's history says it was re-addressed, by whom and which letter it replaces.
    const written = (await store.events(c.caseId)).filter((e) => e.type === 'letter-written');
    expect(written.at(-1)).toMatchObject({
      actor: DPO.email,
      detail: { letter: entry?.letter, replaces: old, because: 'address' },
    });

    // The old PDF is offered nowhere: not on the list, not from its address; marking it posted is refused.
    const team = await session(TEAM);
    const list = await call(get('/staff/letters', team.cookie));
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(`/${old}"`);
    expect(list.body).toContain(`/${entry?.letter}"`);
    expect(list.body).toContain('Re-addressed');
    const oldPdf = await call(get(`/staff/letters/${c.reference}/${old}`, team.cookie));
    expect(oldPdf.statusCode).toBe(410);
    expect(oldPdf.body).toContain('written again to the corrected address');
    const postedOld = await call(
      formPost(`/staff/letters/${c.reference}/${old}/posted`, { csrf: team.csrf }, { Cookie: team.cookie }),
    );
    expect(postedOld.statusCode).toBe(409);
    expect(postedOld.body).toContain('Do not post a copy printed before');
    const casePage = await call(get(`/staff/cases/${c.reference}`, team.cookie));
    expect(casePage.body).toContain('Not to be posted: written again to the corrected address');
  });

  it('tells the team a letter already posted went to the previous address, and posts it again in one click', async () => {
    // Prepare: the letter was printed and posted to 12 Mill Lane, then the address is corrected.
    const c = await postalCase();
    const old = await letterOnTheList(c);
    const team = await session(TEAM);
    await call(
      formPost(`/staff/letters/${c.reference}/${old}/posted`, { csrf: team.csrf }, { Cookie: team.cookie }),
    );
    expect(await listed(c)).toEqual([]);
    await correctAddress(c);

    // Assess: the list and the case page say so plainly, and offer no PDF to the old address.
    const [flagged] = await listed(c);
    expect(flagged).toMatchObject({ letter: old, postedToPrevious: true });
    const list = await call(get('/staff/letters', team.cookie));
    expect(list.body).toContain('Posted to the previous address');
    expect(list.body).not.toContain(`href="/staff/letters/${c.reference}/${old}"`);
    const casePage = await call(get(`/staff/cases/${c.reference}`, team.cookie));
    expect(casePage.body).toContain('was posted to the previous address');
    expect(casePage.body).toContain('Post it again to the corrected address');

    // Act: one click posts it again; a second click posts nothing more.
    const again = await call(
      formPost(
        `/staff/letters/${c.reference}/${old}/post-again`,
        { csrf: team.csrf },
        { Cookie: team.cookie },
      ),
    );
    const twice = await call(
      formPost(
        `/staff/letters/${c.reference}/${old}/post-again`,
        { csrf: team.csrf },
        { Cookie: team.cookie },
      ),
    );

    // Assess: a new letter to the corrected address waits to be posted, recorded in the history.
    expect(again.statusCode).toBe(303);
    expect(twice.statusCode).toBe(409);
    const entries = await listed(c);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.postedToPrevious).toBeUndefined();
    const text = await textOf(c, entries[0]?.letter as string);
    expect(text).toContain('7 New Road');
    expect(text).not.toContain('12 Mill Lane');
    const written = (await store.events(c.caseId)).filter((e) => e.type === 'letter-written');
    expect(written.at(-1)).toMatchObject({
      actor: TEAM.email,
      detail: { letter: entries[0]?.letter, postsAgain: old },
    });
  });

  it('lets the team record that a letter posted to the previous address need not go again', async () => {
    const c = await postalCase();
    const old = await letterOnTheList(c);
    const team = await session(TEAM);
    await call(
      formPost(`/staff/letters/${c.reference}/${old}/posted`, { csrf: team.csrf }, { Cookie: team.cookie }),
    );
    await correctAddress(c);

    const kept = await call(
      formPost(
        `/staff/letters/${c.reference}/${old}/not-again`,
        { csrf: team.csrf },
        { Cookie: team.cookie },
      ),
    );

    expect(kept.statusCode).toBe(303);
    expect(await listed(c)).toEqual([]);
    const events = await store.events(c.caseId);
    expect(events.at(-1)).toMatchObject({
      type: 'letter-not-posted-again',
      actor: TEAM.email,
      detail: { letter: old },
    });
  });

  it('loses neither update when a letter is marked posted as the correction is saved', async () => {
    // Prepare: a colleague marks the letter posted between the correction's read and its write.
    const c = await postalCase();
    const old = await letterOnTheList(c);
    const racing = {
      ...deps,
      store: actingBeforeFirst(store, 'update', () => markLetterPosted(deps, TEAM, c.reference, old)),
    };

    // Act
    await rectify(racing, DPO, c.reference, MOVED);

    // Assess: posted once, the correction stands, and the letter is flagged as posted to the previous address.
    const record = await store.get(c.caseId);
    expect(record?.complainant.address).toBe('7 New Road, Othertown, EX9 9ZZ');
    const events = await store.events(c.caseId);
    expect(events.filter((e) => e.type === 'letter-posted')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'rectified')).toHaveLength(1);
    expect(record?.lettersToPost ?? []).toEqual([]);
    expect(await listed(c)).toEqual([expect.objectContaining({ letter: old, postedToPrevious: true })]);
  });
});
