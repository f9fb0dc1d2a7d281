/**
 * Subject access and rectification in-process against DynamoDB Local and the S3 stand-in: the
 * deployed API's routes with the real case store, register, audit log, archive and evidence
 * store, and sessions made as the sign-in makes them (the browser journey signs in for real).
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log.js';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
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
import {
  completeRequest,
  confirmCases,
  exportRequest,
  extendRequest,
  findCases,
  openRequest,
  requestFor,
  register as subjectAccessRegister,
} from '../../functions/app/subject-access.js';
import type { AuditEntry } from '../../functions/domain/audit.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { StaffMember } from '../../functions/domain/staff.js';
import type { SubjectAccessRequest } from '../../functions/domain/subject-access.js';
import { apiEvent, formPost } from '../support/api-event.js';
import { newCaseTable } from '../support/case-table.js';
import { actingBeforeFirst, failingFirst } from '../support/interposed.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';
import { staffSession, workspaceApi, workspaceDeps } from '../support/workspace-api.js';

const policy = loadPolicy('lgsco-code-2024');
const NOW = new Date('2026-03-04T10:00:00Z');

const DANA: StaffMember = {
  sub: 'dana',
  email: 'dana.okafor@example.gov.uk',
  name: 'Dana Okafor',
  roles: ['data-protection'],
  services: [],
};
const OFFICER: StaffMember = {
  sub: 'sam',
  email: 'sam.patel@example.gov.uk',
  name: 'Sam Patel',
  roles: ['officer'],
  services: [policy.routing.services[0]?.id as string],
};

let standIns: StandIns;
let store: DynamoDbCaseStore;
let staffStore: DynamoDbStaffStore;
let auditLog: DynamoDbAuditLog;
let register: DynamoDbSubjectAccessRegister;
let archive: S3Archive;
let api: ReturnType<typeof workspaceApi>;
let dpDeps: DataProtectionRouteDeps;
const cases: Record<'open' | 'byPhone' | 'archived' | 'namesake', CaseRecord> = {} as never;
const LETTER = new TextEncoder().encode('%PDF-1.4 a letter to Ada');

const call = (event: ReturnType<typeof apiEvent>): Promise<APIGatewayProxyResult> => api(event);
const session = (staff: StaffMember) => staffSession(staffStore, staff, NOW);

const get = (path: string, cookie: string, query?: Record<string, string>) =>
  apiEvent('GET', path, { headers: { Accept: 'text/html', Cookie: cookie }, ...(query ? { query } : {}) });
/** The service's clock: a second on at each reading, so audit entries keep their order. */
let tick = 0;
const clock = () => new Date(NOW.getTime() + ++tick * 1000);

async function auditEntries(): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for await (const e of auditLog.between('2026-03', '2026-03')) out.push(e);
  return out;
}

/**
 * A new request of Ada's, received on `day` March 2026 by `channel`, searched: the request, the
 * cases found, and a way to confirm some of them.
 */
async function searchedRequest(day: string, channel: string, extra: Record<string, string> = {}) {
  const request = await openRequest(dpDeps, DANA, {
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    channel,
    'receivedOn-day': day,
    'receivedOn-month': '3',
    'receivedOn-year': '2026',
    ...extra,
  });
  await findCases(dpDeps, DANA, request.id);
  const found = ((await register.get(request.id))?.candidates ?? []).map((c) => c.caseId);
  const confirm = (ids: string[]) =>
    confirmCases(dpDeps, DANA, request.id, { confirm: Object.fromEntries(ids.map((id) => [id, 'yes'])) });
  return { request, found, confirm };
}

describe('data protection: subject access and rectification', () => {
  beforeAll(async () => {
    standIns = await startStandIns(['dynamodb', 's3']);
    const tableName = await newCaseTable();
    store = new DynamoDbCaseStore({ tableName });
    staffStore = new DynamoDbStaffStore({ tableName });
    auditLog = new DynamoDbAuditLog({ tableName });
    register = new DynamoDbSubjectAccessRegister({ tableName });
    archive = new S3Archive({ bucket: standIns.bucket });
    await staffStore.recordStaff(OFFICER, NOW.toISOString());
    let ids = 0;
    const intake = { store, policy, now: () => NOW, newId: () => `case-${++ids}-${randomUUID()}` };
    const submit = async (complainant: Record<string, string>, summary: string) =>
      (await submitFeedback(intake, { service: policy.routing.services[0]?.id, summary, complainant }))
        .record;
    cases.open = await submit(
      { name: 'Ada Lovelace', email: 'ada@example.com', address: '4 Example Road, Exampletown EX1 2AB' },
      'My bins were missed three weeks running.',
    );
    cases.byPhone = await submit(
      { name: 'A. Lovelace', phone: '01632 960001', address: '4 Example Road, Exampletown EX1 2AB' },
      'The street light outside my house has been out for months.',
    );
    cases.archived = await submit(
      { name: 'Ada Lovelace', email: 'ada@example.com', phone: '01632 960001' },
      'My neighbour (neighbour@example.net) says their bins were missed too.',
    );
    cases.namesake = await submit(
      { name: 'Ada Lovelace', email: 'another.ada@example.org' },
      'Graffiti on the wall.',
    );
    // The archived case: a note by an officer, a letter, closed and its file in the archive.
    const c = cases.archived;
    await store.appendEvent(c.caseId, {
      at: NOW.toISOString(),
      type: 'note-added',
      actor: OFFICER.email,
      detail: { note: 'Spoke to Sam Patel in the waste team.' },
    });
    await store.appendEvent(c.caseId, {
      at: NOW.toISOString(),
      type: 'letter-written',
      actor: 'workflow',
      detail: { letter: 'acknowledgement-1' },
    });
    await archive.putLetter(c.caseId, 'acknowledgement-1', LETTER);
    const closed = await store.update(c.caseId, c.version, {
      set: { status: 'closed', closedAt: NOW.toISOString(), deadlines: {} },
      event: { at: NOW.toISOString(), type: 'closed', actor: 'workflow' },
    });
    await archive.putCaseFile(
      c.caseId,
      { case: closed, events: await store.events(c.caseId), archivedAt: NOW.toISOString() },
      '2y',
    );
    cases.archived = closed;

    const deps: DataProtectionRouteDeps = workspaceDeps({
      store,
      staffStore,
      policy,
      now: clock,
      sessionClock: () => NOW,
      archive,
      evidence: new S3EvidenceStore({ bucket: standIns.bucket }),
      downloads: new S3Downloads({ bucket: standIns.bucket }),
      audit: auditLog,
      subjectAccess: register,
    });
    dpDeps = deps;
    api = workspaceApi(deps, dataProtectionRoutes);
  }, 120_000);

  afterAll(async () => {
    await standIns?.stop();
  });

  it('refuses an officer without the role with 403, and audits the refusal', async () => {
    const s = await session(OFFICER);
    const registerPage = await call(get('/staff/data-protection', s.cookie));
    expect(registerPage.statusCode).toBe(403);
    const correct = await call(
      formPost(
        `/staff/cases/${cases.open.reference}/contact-details`,
        { csrf: s.csrf, name: 'X', reason: 'x' },
        { Cookie: s.cookie },
      ),
    );
    expect(correct.statusCode).toBe(403);
    expect((await store.get(cases.open.caseId))?.complainant.name).toBe('Ada Lovelace');
    const refused = (await auditEntries()).filter((e) => e.action === 'refused' && e.actor === OFFICER.email);
    expect(refused.map((e) => e.attempted)).toEqual([
      'read the subject access register',
      'correct a complainant’s contact details',
    ]);
    expect(refused[1]?.subject).toEqual({ reference: cases.open.reference });
  });

  it('refuses a request with no name and a bad email with 400, keeping the answers', async () => {
    const s = await session(DANA);
    const result = await call(
      formPost(
        '/staff/data-protection/requests',
        { csrf: s.csrf, name: '', email: 'ada@', channel: 'email' },
        { Cookie: s.cookie },
      ),
    );
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('Enter the full name of the person asking for their data');
    expect(result.body).toContain('Enter an email address in the correct format');
    expect(result.body).toContain('value="ada@"');
    expect(await register.all()).toEqual([]);
  });

  let requestId: string;

  it('records a request with its one-month deadline, finds the person by email, phone, postcode and name', async () => {
    const s = await session(DANA);
    const opened = await call(
      formPost(
        '/staff/data-protection/requests',
        {
          csrf: s.csrf,
          name: 'Ada Lovelace',
          email: 'ADA@example.com',
          phone: '01632 960001',
          address: '4 Example Road, Exampletown',
          postcode: 'ex1 2ab',
          channel: 'email',
          'receivedOn-day': '31',
          'receivedOn-month': '1',
          'receivedOn-year': '2026',
        },
        { Cookie: s.cookie },
      ),
    );
    expect(opened.statusCode).toBe(303);
    requestId = /requests\/([\w-]+)\?done=opened$/.exec(String(opened.headers?.Location))?.[1] as string;
    const request = await register.get(requestId);
    // 31 January: no 31 February, so the last day of February (Saturday 28th), then Monday.
    expect(request).toMatchObject({ receivedOn: '2026-01-31', dueOn: '2026-03-02', status: 'open' });

    const page = await call(get('/staff/data-protection', s.cookie));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Ada Lovelace');
    expect(page.body).toContain('Overdue');

    const found = await call(
      formPost(`/staff/data-protection/requests/${requestId}/find`, { csrf: s.csrf }, { Cookie: s.cookie }),
    );
    expect(found.statusCode).toBe(303);
    const candidates = (await register.get(requestId))?.candidates ?? [];
    const by = Object.fromEntries(candidates.map((c) => [c.caseId, [...c.matchedBy].sort()]));
    expect(by[cases.open.caseId]).toEqual(['email', 'name', 'postcode']);
    expect(by[cases.byPhone.caseId]).toEqual(['phone', 'postcode']);
    expect(by[cases.archived.caseId]).toEqual(['email', 'name', 'phone']);
    expect(by[cases.namesake.caseId]).toEqual(['name']);
  });

  it('exports the confirmed cases as one ZIP: index, JSON, archived file, letters, marks for redaction', async () => {
    const s = await session(DANA);
    const confirm = await call(
      apiEvent('POST', `/staff/data-protection/requests/${requestId}/confirm`, {
        body: new URLSearchParams([
          ['csrf', s.csrf],
          [`confirm.${cases.open.caseId}`, 'yes'],
          [`confirm.${cases.byPhone.caseId}`, 'yes'],
          [`confirm.${cases.archived.caseId}`, 'yes'],
        ]).toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: s.cookie },
      }),
    );
    expect(confirm.statusCode).toBe(303);

    const result = await call(
      formPost(`/staff/data-protection/requests/${requestId}/export`, { csrf: s.csrf }, { Cookie: s.cookie }),
    );
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['Content-Type']).toBe('application/zip');
    const files = unzipSync(Buffer.from(result.body, 'base64'));
    const ref = cases.archived.reference;
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining([
        'index.html',
        'redactions.json',
        `cases/${cases.open.reference}/case.json`,
        `cases/${cases.byPhone.reference}/events.json`,
        `cases/${ref}/archived-case-file.json`,
        `cases/${ref}/letters/acknowledgement-1.pdf`,
      ]),
    );
    expect(Object.keys(files).some((f) => f.includes(cases.namesake.reference))).toBe(false);
    expect(strFromU8(files[`cases/${ref}/letters/acknowledgement-1.pdf`] as Uint8Array)).toBe(
      '%PDF-1.4 a letter to Ada',
    );
    const index = strFromU8(files['index.html'] as Uint8Array);
    expect(index).toContain('Personal data held about Ada Lovelace');
    expect(index).toContain(`letters/acknowledgement-1.pdf`);
    expect(index).toContain('<mark class="redact"');
    const { marks } = JSON.parse(strFromU8(files['redactions.json'] as Uint8Array)) as {
      marks: { reference: string; kind: string; text: string }[];
    };
    expect(marks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reference: ref, kind: 'email', text: 'neighbour@example.net' }),
        expect.objectContaining({ reference: ref, kind: 'staff-email', text: OFFICER.email }),
        expect.objectContaining({ reference: ref, kind: 'staff-name', text: 'Sam Patel' }),
      ]),
    );
    // The requester's own details are not marked.
    expect(marks.some((m) => m.text.toLowerCase() === 'ada@example.com')).toBe(false);

    const request = await register.get(requestId);
    expect(request?.status).toBe('exported');
    expect((await register.events(requestId)).map((e) => e.type)).toEqual([
      'requested',
      'searched',
      'cases-confirmed',
      'exported',
    ]);
  });

  it('makes an export only from a form post with the session token; a link to it shows the request', async () => {
    const s = await session(DANA);
    const before = (await register.events(requestId)).length;

    const link = await call(get(`/staff/data-protection/requests/${requestId}/export`, s.cookie));
    const forged = await call(
      formPost(
        `/staff/data-protection/requests/${requestId}/export`,
        { csrf: 'not-the-token' },
        { Cookie: s.cookie },
      ),
    );

    expect(link.statusCode).toBe(303);
    expect(link.headers?.Location).toContain(`/staff/data-protection/requests/${requestId}`);
    expect(forged.statusCode).toBe(403);
    expect((await register.events(requestId)).length).toBe(before);
  });

  it('opens an exported request again when other cases are confirmed: the export no longer answers it', async () => {
    const s = await session(DANA);
    const confirm = (ids: string[]) =>
      call(
        apiEvent('POST', `/staff/data-protection/requests/${requestId}/confirm`, {
          body: new URLSearchParams([
            ['csrf', s.csrf] as [string, string],
            ...ids.map((id): [string, string] => [`confirm.${id}`, 'yes']),
          ]).toString(),
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: s.cookie },
        }),
      );
    const all = [cases.open.caseId, cases.byPhone.caseId, cases.archived.caseId];
    expect((await register.get(requestId))?.status).toBe('exported');

    await confirm(all);
    const sameAgain = (await register.get(requestId))?.status;
    await confirm([cases.open.caseId, cases.archived.caseId]);
    const fewer = (await register.get(requestId))?.status;
    const complete = await call(
      formPost(
        `/staff/data-protection/requests/${requestId}/complete`,
        { csrf: s.csrf },
        { Cookie: s.cookie },
      ),
    );
    await confirm(all);
    await call(
      formPost(`/staff/data-protection/requests/${requestId}/export`, { csrf: s.csrf }, { Cookie: s.cookie }),
    );

    expect(sameAgain).toBe('exported');
    expect(fewer).toBe('open');
    expect(complete.statusCode).toBe(409);
    expect((await register.get(requestId))?.status).toBe('exported');
  });

  it('refuses to extend the overdue request, which stays overdue, and completes it', async () => {
    const s = await session(DANA);
    const page = await call(get(`/staff/data-protection/requests/${requestId}`, s.cookie));
    expect(page.body).not.toContain('Extend the deadline');
    expect(page.body).toContain('This request can no longer be extended');

    const late = await call(
      formPost(
        `/staff/data-protection/requests/${requestId}/extend`,
        { csrf: s.csrf, reason: 'Complex: three services hold records' },
        { Cookie: s.cookie },
      ),
    );

    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('the person must be told of an extension within the first month');
    expect(await register.get(requestId)).toMatchObject({ dueOn: '2026-03-02' });
    expect((await register.get(requestId))?.extension).toBeUndefined();
    const done = await call(
      formPost(
        `/staff/data-protection/requests/${requestId}/complete`,
        { csrf: s.csrf },
        { Cookie: s.cookie },
      ),
    );
    expect(done.statusCode).toBe(303);
    expect(await register.get(requestId)).toMatchObject({ status: 'completed', dueOn: '2026-03-02' });
  });

  it('extends a request within its first month once, with a reason', async () => {
    // Another officer's request, received yesterday (3 March, due 3 April, or 3 June extended).
    const LEE: StaffMember = { ...DANA, sub: 'lee', email: 'lee.jones@example.gov.uk', name: 'Lee Jones' };
    const s = await session(LEE);
    const opened = await call(
      formPost(
        '/staff/data-protection/requests',
        {
          csrf: s.csrf,
          name: 'Grace Hopper',
          email: 'grace@example.com',
          channel: 'letter',
          'receivedOn-day': '3',
          'receivedOn-month': '3',
          'receivedOn-year': '2026',
        },
        { Cookie: s.cookie },
      ),
    );
    const id = /requests\/([\w-]+)\?done=opened$/.exec(String(opened.headers?.Location))?.[1] as string;
    const extend = (reason: string) =>
      call(
        formPost(
          `/staff/data-protection/requests/${id}/extend`,
          { csrf: s.csrf, reason },
          { Cookie: s.cookie },
        ),
      );

    const noReason = await extend('');
    const extended = await extend('Complex: three services hold records');
    const again = await extend('More');

    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Enter why the request needs longer');
    expect(extended.statusCode).toBe(303);
    expect((await register.get(id))?.dueOn).toBe('2026-06-03');
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('already been extended');
    const audited = (await auditEntries()).filter(
      (e) => e.actor === LEE.email && e.action === 'subject-access.extend',
    );
    expect(audited).toMatchObject([{ subject: { requestId: id }, detail: 'due 2026-06-03' }]);
  });

  it('audits every use, naming the request by id and never the person', async () => {
    const all = (await auditEntries()).filter((e) => e.actor === DANA.email);
    // Reading the register and the request's page are uses too.
    expect(all.filter((e) => e.action === 'subject-access.view').length).toBeGreaterThan(0);
    const mine = all.filter((e) => e.action !== 'subject-access.view');
    expect(mine.map((e) => e.action)).toEqual([
      'subject-access.request',
      'subject-access.search',
      'subject-access.confirm',
      'subject-access.export',
      // Confirmed again (the same cases, fewer, all again) and exported again.
      'subject-access.confirm',
      'subject-access.confirm',
      'subject-access.confirm',
      'subject-access.export',
      // The extension asked for once its month had passed was refused and changed nothing.
      'subject-access.complete',
    ]);
    expect(mine.every((e) => e.subject?.requestId === requestId)).toBe(true);
    const text = JSON.stringify(all).toLowerCase();
    for (const personal of ['lovelace', 'ada@example.com', '01632', 'ex1 2ab', 'complex']) {
      expect(text).not.toContain(personal);
    }
  });

  it('refuses an invalid email and phone with 400, keeping the answers and changing nothing', async () => {
    const s = await session(DANA);
    const result = await call(
      formPost(
        `/staff/cases/${cases.archived.reference}/contact-details`,
        { csrf: s.csrf, name: 'Ada King', email: 'not-an-email', phone: 'call me', reason: 'Married' },
        { Cookie: s.cookie },
      ),
    );
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('Enter an email address in the correct format');
    expect(result.body).toContain('Enter a telephone number');
    expect(result.body).toContain('value="Ada King"');
    expect((await store.get(cases.archived.caseId))?.complainant.name).toBe('Ada Lovelace');
  });

  it('corrects an archived case: table, indexes and archive file follow; the old values stay in its history', async () => {
    const s = await session(DANA);
    const form = await call(get(`/staff/cases/${cases.archived.reference}/contact-details`, s.cookie));
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('its archived case file is corrected too');
    const result = await call(
      formPost(
        `/staff/cases/${cases.archived.reference}/contact-details`,
        {
          csrf: s.csrf,
          name: 'Ada King',
          email: 'ada.king@example.com',
          phone: '01632 960001',
          address: '1 New Street, Newtown',
          postcode: 'nt1 1aa',
          reason: 'She wrote with her married name and new address',
        },
        { Cookie: s.cookie },
      ),
    );
    expect(result.statusCode).toBe(303);
    expect(result.headers?.Location).toBe(`/staff/cases/${cases.archived.reference}?done=rectified`);

    const record = await store.get(cases.archived.caseId);
    expect(record?.complainant).toMatchObject({
      name: 'Ada King',
      email: 'ada.king@example.com',
      address: '1 New Street, Newtown, NT1 1AA',
    });
    const rectified = (await store.events(cases.archived.caseId)).find((e) => e.type === 'rectified');
    expect(rectified?.detail).toMatchObject({
      fields: ['name', 'email', 'address'],
      previousName: 'Ada Lovelace',
      previousEmail: 'ada@example.com',
      previousAddress: '(none)',
    });
    // The indexes follow the new details and forget the old.
    expect((await store.byComplainant('ada.king@example.com')).map((c) => c.caseId)).toEqual([
      cases.archived.caseId,
    ]);
    expect((await store.byComplainant('ada@example.com')).map((c) => c.caseId)).not.toContain(
      cases.archived.caseId,
    );
    expect((await store.search(['postcode:NT11AA'], 10)).map((c) => c.caseId)).toEqual([
      cases.archived.caseId,
    ]);
    expect((await store.search(['name:king'], 10)).map((c) => c.caseId)).toEqual([cases.archived.caseId]);
    // The archive copy: corrected, the event appended, the retention tag kept.
    const file = (await archive.getCaseFile(cases.archived.caseId)) as {
      case: CaseRecord;
      events: { type: string; detail?: Record<string, unknown> }[];
      archivedAt: string;
    };
    expect(file.case.complainant.email).toBe('ada.king@example.com');
    expect(file.events.at(-1)).toMatchObject({
      type: 'rectified',
      detail: { previousEmail: 'ada@example.com' },
    });
    expect(file.archivedAt).toBe(NOW.toISOString());
    expect(await archive.getRetention(cases.archived.caseId)).toBe('2y');
    // The audit log names the fields, not the values.
    const entry = (await auditEntries()).find((e) => e.action === 'rectify');
    expect(entry).toMatchObject({
      actor: DANA.email,
      subject: { caseId: cases.archived.caseId, reference: cases.archived.reference },
      detail: 'fields corrected: name, email, address; archived case file corrected too',
    });
    // The case page says so and shows the link to correct again.
    const page = await call(get(`/staff/cases/${cases.archived.reference}`, s.cookie, { done: 'rectified' }));
    expect(page.body).toContain('The contact details are corrected');
    expect(page.body).toContain('Correct contact details');
  });

  it('removes a detail cleared on the form, everywhere, rather than keeping the old one', async () => {
    const s = await session(DANA);
    const result = await call(
      formPost(
        `/staff/cases/${cases.archived.reference}/contact-details`,
        {
          csrf: s.csrf,
          name: 'Ada King',
          email: '',
          phone: '01632 960001',
          address: '1 New Street, Newtown',
          postcode: 'NT1 1AA',
          reason: 'The email address was not hers',
        },
        { Cookie: s.cookie },
      ),
    );

    expect(result.statusCode).toBe(303);
    const record = await store.get(cases.archived.caseId);
    expect(record?.complainant.email).toBeUndefined();
    expect((await store.byComplainant('ada.king@example.com')).map((c) => c.caseId)).not.toContain(
      cases.archived.caseId,
    );
    const file = (await archive.getCaseFile(cases.archived.caseId)) as { case: CaseRecord };
    expect(file.case.complainant.email).toBeUndefined();
    const rectified = (await store.events(cases.archived.caseId)).filter((e) => e.type === 'rectified');
    expect(rectified.at(-1)?.detail).toMatchObject({
      fields: ['email'],
      previousEmail: 'ada.king@example.com',
    });
  });

  it('audits a correction whose audit entry failed once, when the officer sends the same form again', async () => {
    // Prepare: the audit log fails its next write (a throttled table), then works again.
    const flaky = {
      ...dpDeps,
      audit: failingFirst(auditLog, 'record', new Error('the audit log did not answer')),
    };
    const { reference } = cases.namesake;
    const form = {
      name: 'Ada Lovelace',
      email: 'another.ada@example.org',
      phone: '01632 960002',
      address: '',
      postcode: '',
      reason: 'She gave a new number by phone',
    };

    // Act: the first attempt fails at its audit entry; the officer sends the form again.
    await expect(rectify(flaky, DANA, reference, form)).rejects.toThrow('the audit log did not answer');
    await rectify(flaky, DANA, reference, form).catch(() => undefined);
    // A third time (Back and send again): done already, and the audit log keeps one entry.
    await rectify(flaky, DANA, reference, form);

    // Assess: the correction stands, and the audit log has it once.
    expect((await store.get(cases.namesake.caseId))?.complainant.phone).toBe('01632 960002');
    const audited = (await auditEntries()).filter(
      (e) => e.action === 'rectify' && e.subject?.reference === reference,
    );
    expect(audited).toHaveLength(1);
  });

  /** The deps with a register that runs `meanwhile` (a colleague's action) before its first update. */
  const racing = (meanwhile: () => Promise<unknown>) => ({
    ...dpDeps,
    subjectAccess: actingBeforeFirst(register, 'update', meanwhile),
  });

  it('leaves a request open when other cases are confirmed while its export is being built', async () => {
    // Prepare: a request with two of Ada's cases confirmed; while the ZIP is built (reading the
    // archived case's letters), a colleague confirms a third.
    const { request, found, confirm } = await searchedRequest('1', 'email', { phone: '01632 960001' });
    await confirm(found.slice(0, 1));
    let meanwhile = false;
    const building = {
      ...dpDeps,
      archive: actingBeforeFirst(archive, 'getCaseFile', async () => {
        meanwhile = true;
        await confirm(found);
      }),
    };

    // Act
    await exportRequest(building, DANA, request.id);

    // Assess
    expect(meanwhile).toBe(true);
    expect(found.length).toBeGreaterThan(1);
    const after = await register.get(request.id);
    expect(after?.confirmedCases.map((c) => c.caseId).sort()).toEqual([...found].sort());
    expect(after?.status).toBe('open');
    expect((await register.events(request.id)).map((e) => e.type)).toContain('exported');
  });

  it('does not complete a request whose confirmed cases a colleague changed while it was being completed', async () => {
    // Prepare: a request with one of Ada's cases confirmed and exported.
    const { request, found, confirm } = await searchedRequest('2', 'letter');
    await confirm(found.slice(0, 1));
    await exportRequest(dpDeps, DANA, request.id);
    expect((await register.get(request.id))?.status).toBe('exported');
    // While the request is being completed, a colleague confirms another case: the export no
    // longer answers the request, which is open again until the new set is exported.
    let meanwhile = false;
    const completing = racing(async () => {
      meanwhile = true;
      await confirm(found);
    });

    // Act
    await completeRequest(completing, DANA, request.id).catch(() => undefined);

    // Assess
    expect(meanwhile).toBe(true);
    expect(found.length).toBeGreaterThan(1);
    const after = await register.get(request.id);
    expect(after?.confirmedCases).toHaveLength(found.length);
    expect(after?.status).toBe('open');
  });
  it('extends a request once when two people extend it at the same moment', async () => {
    // Prepare: a new request; a colleague extends it while Dana's extension is being saved.
    const LEE: StaffMember = { ...DANA, sub: 'lee', email: 'lee.jones@example.gov.uk', name: 'Lee Jones' };
    const request = await openRequest(dpDeps, DANA, {
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      channel: 'email',
      'receivedOn-day': '3',
      'receivedOn-month': '3',
      'receivedOn-year': '2026',
    });
    let meanwhile = false;
    const extending = racing(async () => {
      meanwhile = true;
      await extendRequest(dpDeps, LEE, request.id, { reason: 'Several requests at once' });
    });

    // Act
    const second = extendRequest(extending, DANA, request.id, { reason: 'Complex: three services' });

    // Assess: the colleague's extension stands, recorded once; Dana's is refused.
    await expect(second).rejects.toMatchObject({ statusCode: 409 });
    expect(meanwhile).toBe(true);
    const after = await register.get(request.id);
    expect(after?.extension).toMatchObject({ by: LEE.email, reason: 'Several requests at once' });
    const extended = (await register.events(request.id)).filter((e) => e.type === 'extended');
    expect(extended).toHaveLength(1);
  });
  it('refuses an extension’s reason with a text-direction override, as every reason staff write is', async () => {
    // Prepare: a new request, received yesterday.
    const request = await openRequest(dpDeps, DANA, {
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      channel: 'email',
      'receivedOn-day': '3',
      'receivedOn-month': '3',
      'receivedOn-year': '2026',
    });

    // Act: a reason pasted with a right-to-left override, which the register would show reversed.
    const extending = extendRequest(dpDeps, DANA, request.id, {
      reason: 'Complex: \u202Esecivres eerht\u202C',
    });

    // Assess: refused as the note, the reasons and the complaint form's text are; nothing extended.
    await expect(extending).rejects.toMatchObject({
      statusCode: 400,
      fields: {
        reason:
          'The reason must not include hidden control or text-direction characters: type it again rather than pasting it',
      },
    });
    expect((await register.get(request.id))?.extension).toBeUndefined();
  });
  it('refuses to extend a request once the month to answer it has passed (UK GDPR Article 12(3))', async () => {
    // Prepare: a request received on 5 January 2026, due on 5 February; today is 4 March.
    const request = await openRequest(dpDeps, DANA, {
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      channel: 'email',
      'receivedOn-day': '5',
      'receivedOn-month': '1',
      'receivedOn-year': '2026',
    });
    expect(request.dueOn).toBe('2026-02-05');

    // Act: an extension asked for a month after it was due.
    const late = extendRequest(dpDeps, DANA, request.id, { reason: 'Complex: three services' });

    // Assess: the person is told of an extension within the month, so one asked for later is
    // refused and the request stays overdue.
    await expect(late).rejects.toMatchObject({ statusCode: expect.any(Number) });
    const after = await register.get(request.id);
    expect(after?.extension).toBeUndefined();
    expect(after?.dueOn).toBe('2026-02-05');
  });
  /** A new request of Ada's with the first case found confirmed and exported, and what was found. */
  const exportedRequest = async () => {
    const { request, found, confirm } = await searchedRequest('3', 'email');
    await confirm(found.slice(0, 1));
    await exportRequest(dpDeps, DANA, request.id);
    return { id: request.id, found };
  };

  /** Whether the request is as it was completed, with nothing recorded after its completion. */
  const keptAsCompleted = async (id: string, completed: SubjectAccessRequest | undefined) => {
    const after = await register.get(id);
    expect(after?.status).toBe('completed');
    expect(after?.confirmedCases).toEqual(completed?.confirmedCases);
    expect(after?.candidates).toEqual(completed?.candidates);
    const types = (await register.events(id)).map((e) => e.type);
    expect(types.slice(types.indexOf('completed'))).toEqual(['completed']);
  };

  it('does not search again for a request a colleague completed while the search ran', async () => {
    // Prepare
    const { id } = await exportedRequest();
    let completed: SubjectAccessRequest | undefined;
    const meanwhile = racing(async () => {
      completed = await completeRequest(dpDeps, DANA, id);
    });

    // Act
    const search = findCases(meanwhile, DANA, id);

    // Assess
    await expect(search).rejects.toMatchObject({ statusCode: 409 });
    expect(completed).toBeDefined();
    await keptAsCompleted(id, completed);
  });

  it('does not change the cases of a request a colleague completed while they were being confirmed', async () => {
    // Prepare
    const { id, found } = await exportedRequest();
    let completed: SubjectAccessRequest | undefined;
    const meanwhile = racing(async () => {
      completed = await completeRequest(dpDeps, DANA, id);
    });

    // Act
    const confirm = confirmCases(meanwhile, DANA, id, {
      confirm: Object.fromEntries(found.map((caseId) => [caseId, 'yes'])),
    });

    // Assess
    await expect(confirm).rejects.toMatchObject({ statusCode: 409 });
    expect(found.length).toBeGreaterThan(1);
    expect(completed).toBeDefined();
    await keptAsCompleted(id, completed);
  });
  it('shows an outstanding request due by today’s calendar, whatever date was stored when it was opened', async () => {
    // Prepare: requests stored with a due date counted past the council's closure days (Friday
    // 10 April for 3 March), one of them extended (stored as due 5 June for 3 June).
    const stored = (id: string, over: Partial<SubjectAccessRequest>): SubjectAccessRequest => ({
      id,
      subject: { name: 'Ada Lovelace', email: 'ada@example.com' },
      receivedOn: '2026-03-03',
      channel: 'email',
      dueOn: '2026-04-10',
      status: 'open',
      confirmedCases: [],
      createdAt: NOW.toISOString(),
      createdBy: DANA.email,
      version: 1,
      ...over,
    });
    const first = randomUUID();
    const extended = randomUUID();
    for (const r of [
      stored(first, {}),
      stored(extended, {
        dueOn: '2026-06-05',
        extension: { at: NOW.toISOString(), by: DANA.email, reason: 'Complex' },
      }),
    ]) {
      await register.create(r, { at: NOW.toISOString(), type: 'requested', actor: DANA.email });
    }

    // Act
    const page = await requestFor(dpDeps, DANA, first);
    const listed = await subjectAccessRegister(dpDeps, DANA);

    // Assess: one month is Friday 3 April, Good Friday, and Easter Monday: Tuesday 7 April; three
    // months is Wednesday 3 June.
    expect(page.request.dueOn).toBe('2026-04-07');
    expect(listed.find((e) => e.request.id === first)?.request.dueOn).toBe('2026-04-07');
    expect(listed.find((e) => e.request.id === extended)?.request.dueOn).toBe('2026-06-03');
  });

  it('keeps, once a request is completed, the date it was due by the calendar of its completion', async () => {
    // Prepare: an exported request whose stored due date was counted past closure days.
    const { id } = await exportedRequest();
    const before = await register.get(id);
    await register.update(
      id,
      before?.version as number,
      { dueOn: '2026-04-10' },
      { at: NOW.toISOString(), type: 'searched', actor: DANA.email },
    );

    // Act
    const completed = await completeRequest(dpDeps, DANA, id);

    // Assess
    expect(completed.dueOn).toBe('2026-04-07');
    expect((await register.get(id))?.dueOn).toBe('2026-04-07');
  });
});
