/**
 * The Ombudsman's case file through the deployed API's routes, against DynamoDB Local (cases,
 * staff sessions and the audit log) and the S3 stand-in (letters and evidence): the one-click
 * download, the refusal of a role without it, marking the file sent and its bad input.
 */
import { randomUUID } from 'node:crypto';
import { PutObjectCommand, PutObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log.js';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { DynamoDbStaffStore } from '../../functions/adapters/dynamodb-staff-store.js';
import { S3Archive } from '../../functions/adapters/s3-archive.js';
import { S3Downloads } from '../../functions/adapters/s3-downloads.js';
import { S3EvidenceStore } from '../../functions/adapters/s3-evidence.js';
import { markOmbudsmanFileSent } from '../../functions/app/ombudsman-file.js';
import { ombudsmanFileRoutes } from '../../functions/app/ombudsman-file-routes.js';
import type { AuditEntry } from '../../functions/domain/audit.js';
import { evidenceKey } from '../../functions/domain/evidence.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { StaffMember } from '../../functions/domain/staff.js';
import { apiEvent, formPost } from '../support/api-event.js';
import { newCaseTable } from '../support/case-table.js';
import { failingFirst } from '../support/interposed.js';
import { CLEAN_FILE, LETTER, stage2Case } from '../support/ombudsman-case.js';
import { pdfPages } from '../support/pdf-text.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';
import { staffSession, workspaceApi, workspaceDeps } from '../support/workspace-api.js';

const policy = loadPolicy('lgsco-code-2024');
const NOW = new Date('2026-04-10T10:00:00Z');
const TEAM: StaffMember = {
  sub: 'casey',
  email: 'casey.morgan@example.gov.uk',
  name: 'Casey Morgan',
  roles: ['complaints-team'],
  services: [],
};
const WASTE_OFFICER: StaffMember = {
  sub: 'sam',
  email: 'sam.patel@example.gov.uk',
  name: 'Sam Patel',
  roles: ['officer'],
  services: ['waste-recycling'],
};

let standIns: StandIns;
let store: DynamoDbCaseStore;
let staffStore: DynamoDbStaffStore;
let audit: DynamoDbAuditLog;
let api: ReturnType<typeof workspaceApi>;
/** The workspace's dependencies, to mark the file sent without a page. */
let deps: Parameters<typeof markOmbudsmanFileSent>[0];
const { record, events } = stage2Case(`case-${randomUUID()}`, `CMP-2026-${String(Date.now()).slice(-6)}`);
const path = `/staff/cases/${record.reference}/ombudsman-file`;

const session = (staff: StaffMember) => staffSession(staffStore, staff, NOW);
const call = (event: ReturnType<typeof apiEvent>): Promise<APIGatewayProxyResult> => api(event);

async function auditOf(reference: string): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for await (const e of audit.between('2026-04', '2026-04'))
    if (e.subject?.reference === reference) out.push(e);
  return out;
}

/** The file marked sent to the Ombudsman under `ombudsmanReference` once: one event on the case, one audit entry. */
async function expectMarkedSentOnce(ombudsmanReference: string, sentOn: string): Promise<void> {
  const sent = (await store.events(record.caseId)).filter(
    (e) => e.type === 'ombudsman-file-sent' && e.detail?.ombudsmanReference === ombudsmanReference,
  );
  expect(sent).toHaveLength(1);
  const audited = (await auditOf(record.reference)).filter(
    (e) => e.action === 'ombudsman-file.sent' && e.detail?.startsWith(`sent ${sentOn}`),
  );
  expect(audited).toHaveLength(1);
}

describe('the Ombudsman’s case file through the API', () => {
  beforeAll(async () => {
    standIns = await startStandIns(['dynamodb', 's3']);
    const tableName = await newCaseTable();
    store = new DynamoDbCaseStore({ tableName });
    staffStore = new DynamoDbStaffStore({ tableName });
    audit = new DynamoDbAuditLog({ tableName });
    const [first, ...rest] = events;
    const { caseId: _c, seq: _s, ...firstEvent } = first as (typeof events)[number];
    await store.create(record, firstEvent);
    for (const { caseId: _id, seq: _seq, ...e } of rest) await store.appendEvent(record.caseId, e);
    const archive = new S3Archive({ bucket: standIns.bucket });
    await archive.putLetter(record.caseId, LETTER, new TextEncoder().encode('%PDF-1.7 the letter as posted'));
    const s3 = new S3Client({ forcePathStyle: true });
    const key = evidenceKey(record.caseId, CLEAN_FILE);
    await s3.send(
      new PutObjectCommand({
        Bucket: standIns.bucket,
        Key: key,
        Body: new Uint8Array([0xff, 0xd8, 0xff, 9]),
      }),
    );
    await s3.send(
      new PutObjectTaggingCommand({
        Bucket: standIns.bucket,
        Key: key,
        Tagging: { TagSet: [{ Key: 'GuardDutyMalwareScanStatus', Value: 'NO_THREATS_FOUND' }] },
      }),
    );
    s3.destroy();
    const workspace = workspaceDeps({
      store,
      staffStore,
      policy,
      now: () => NOW,
      archive,
      evidence: new S3EvidenceStore({ bucket: standIns.bucket }),
      downloads: new S3Downloads({ bucket: standIns.bucket }),
      audit,
    });
    api = workspaceApi(workspace, ombudsmanFileRoutes);
    deps = workspace;
  }, 120_000);

  afterAll(async () => {
    await standIns?.stop();
  });

  it('sends a request without a session to sign in', async () => {
    const result = await call(apiEvent('GET', path, { headers: { Accept: 'application/zip' } }));
    expect(result.statusCode).toBe(303);
    expect(result.headers?.Location).toMatch(/^\/staff\/sign-in\?return=/);
  });

  it('gives the complaints team the ZIP in one GET, never cached, with the originals', async () => {
    const s = await session(TEAM);
    const result = await call(apiEvent('GET', path, { headers: { Accept: '*/*', Cookie: s.cookie } }));
    expect(result.statusCode).toBe(200);
    expect(result.isBase64Encoded).toBe(true);
    expect(result.headers).toMatchObject({
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="${record.reference}-ombudsman-file.zip"`,
      'Cache-Control': 'no-store',
    });
    const zip = unzipSync(Buffer.from(result.body, 'base64'));
    expect(Object.keys(zip).sort()).toEqual(
      [
        `${record.reference}-case-file.pdf`,
        'case-history.json',
        'evidence/file-1.jpg',
        `letters/${LETTER}.pdf`,
        'manifest.json',
      ].sort(),
    );
    const text = (await pdfPages(zip[`${record.reference}-case-file.pdf`] as Uint8Array)).join('\n');
    expect(text).toContain('Contents');
    expect(text).toContain('Chronology');
    const entries = await auditOf(record.reference);
    // Entries of the same instant are read back in id order: compare them as a set.
    expect(entries.map((e) => e.action).sort()).toEqual([
      'ombudsman-file.download',
      'ombudsman-file.prepare',
    ]);
    expect(entries.every((e) => e.actor === TEAM.email)).toBe(true);
    const views = (await store.events(record.caseId)).filter(
      (e) => e.type === 'viewed' && e.actor === TEAM.email,
    );
    expect(views.map((e) => e.detail?.what)).toContain('the Ombudsman’s case file');
  }, 60_000);

  it('gives the PDF alone to a client that asks for application/pdf', async () => {
    const s = await session(TEAM);
    const result = await call(
      apiEvent('GET', path, { headers: { Accept: 'application/pdf', Cookie: s.cookie } }),
    );
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['Content-Type']).toBe('application/pdf');
    expect(Buffer.from(result.body, 'base64').subarray(0, 8).toString()).toBe('%PDF-1.7');
  }, 60_000);

  it('refuses an officer without the role with 403, and writes the refusal to the audit log', async () => {
    const s = await session(WASTE_OFFICER);
    const download = await call(
      apiEvent('GET', path, { headers: { Accept: 'text/html', Cookie: s.cookie } }),
    );
    expect(download.statusCode).toBe(403);
    expect(download.body).toContain('Your role cannot prepare or send the Ombudsman’s case file');
    const sent = await call(
      formPost(
        `${path}/sent`,
        {
          csrf: s.csrf,
          sentDay: '9',
          sentMonth: '4',
          sentYear: '2026',
          ombudsmanReference: 'X1',
          how: 'portal',
        },
        { Cookie: s.cookie },
      ),
    );
    expect(sent.statusCode).toBe(403);
    const refusals = (await auditOf(record.reference)).filter((e) => e.actor === WASTE_OFFICER.email);
    expect(refusals).toHaveLength(2);
    expect(refusals).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'refused',
          actor: WASTE_OFFICER.email,
          attempted: 'download the Ombudsman’s case file (zip)',
        }),
        expect.objectContaining({
          action: 'refused',
          actor: WASTE_OFFICER.email,
          attempted: 'mark the Ombudsman’s case file as sent',
        }),
      ]),
    );
    const c = await store.get(record.caseId);
    expect(c?.ombudsmanInvolved).toBeUndefined();
  });

  it('shows the form again with its errors (400), keeping its one-off id, and records nothing for bad input', async () => {
    const s = await session(TEAM);
    const formId = randomUUID();
    const result = await call(
      formPost(
        `${path}/sent`,
        {
          csrf: s.csrf,
          formId,
          sentDay: '31',
          sentMonth: '2',
          sentYear: '2026',
          ombudsmanReference: '',
          how: '',
        },
        { Cookie: s.cookie },
      ),
    );
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('There is a problem');
    expect(result.body).toContain('href="#sentDate-day"');
    expect(result.body).toContain('Enter the Ombudsman’s reference for the case');
    expect(result.body).toContain('Choose how the file was sent');
    // Corrected and sent, it is still the same page's form: recorded once however often it goes.
    expect(result.body).toContain(`name="formId" value="${formId}"`);
    expect((await store.events(record.caseId)).some((e) => e.type === 'ombudsman-file-sent')).toBe(false);
  });

  it('refuses a form without the anti-forgery token', async () => {
    const s = await session(TEAM);
    const result = await call(
      formPost(
        `${path}/sent`,
        { sentDay: '9', sentMonth: '4', sentYear: '2026', ombudsmanReference: 'X1', how: 'portal' },
        { Cookie: s.cookie },
      ),
    );
    expect(result.statusCode).toBe(403);
  });

  it('marks the file sent: 303 to the case, an event on it, the Ombudsman involved, and an audit entry', async () => {
    const s = await session(TEAM);
    const result = await call(
      formPost(
        `${path}/sent`,
        {
          csrf: s.csrf,
          sentDay: '9',
          sentMonth: '4',
          sentYear: '2026',
          ombudsmanReference: '25 012 345',
          how: 'portal',
        },
        { Cookie: s.cookie },
      ),
    );
    expect(result.statusCode).toBe(303);
    expect(result.headers?.Location).toBe(`/staff/cases/${record.reference}?done=ombudsman-file-sent`);
    const c = await store.get(record.caseId);
    expect(c?.ombudsmanInvolved).toBe(true);
    const sent = (await store.events(record.caseId)).find((e) => e.type === 'ombudsman-file-sent');
    expect(sent).toMatchObject({
      actor: TEAM.email,
      detail: { ombudsman: 'lgsco', sentOn: '2026-04-09', ombudsmanReference: '25 012 345', how: 'portal' },
    });
    expect((await auditOf(record.reference)).find((e) => e.action === 'ombudsman-file.sent')).toMatchObject({
      action: 'ombudsman-file.sent',
      detail: 'sent 2026-04-09 to lgsco, uploaded to the ombudsman’s secure portal',
    });
    const page = await call(
      apiEvent('GET', `/staff/cases/${record.reference}`, {
        headers: { Accept: 'text/html', Cookie: s.cookie },
        query: { done: 'ombudsman-file-sent' },
      }),
    );
    expect(page.body).toContain('The case file is marked as sent to the Ombudsman');
    expect(page.body).toContain('Case file sent to the Ombudsman');
    expect(page.body).toContain('their reference 25 012 345');
  });

  it('marks the file sent once when the same form is sent twice (a double click, or Back and send again)', async () => {
    const s = await session(TEAM);
    const form = {
      csrf: s.csrf,
      sentDay: '10',
      sentMonth: '4',
      sentYear: '2026',
      ombudsmanReference: '25 012 999',
      how: 'secure-email',
    };
    const first = await call(formPost(`${path}/sent`, form, { Cookie: s.cookie }));
    const second = await call(formPost(`${path}/sent`, form, { Cookie: s.cookie }));

    expect(first.statusCode).toBe(303);
    // The second is taken as done already, or refused as done: either way it records nothing.
    expect([303, 409]).toContain(second.statusCode);
    await expectMarkedSentOnce('25 012 999', '2026-04-10');
  });

  it('marks the file sent once for one page’s form sent twice at once, and answers both as the first', async () => {
    // Prepare: the form's one-off id, as the case page gives it to the complaints team.
    const s = await session(TEAM);
    const formIdOf = async () => {
      const page = await call(
        apiEvent('GET', `/staff/cases/${record.reference}`, { headers: { Cookie: s.cookie } }),
      );
      const form =
        /<form method="post" action="[^"]*\/ombudsman-file\/sent"[\s\S]*?<\/form>/.exec(page.body)?.[0] ?? '';
      return /name="formId" value="([^"]+)"/.exec(form)?.[1] as string;
    };
    const first = await formIdOf();
    expect(first).toMatch(/^[\w-]{36}$/);
    const send = (formId: string, ombudsmanReference: string, sentDay = '7') =>
      call(
        formPost(
          `${path}/sent`,
          {
            csrf: s.csrf,
            formId,
            sentDay,
            sentMonth: '4',
            sentYear: '2026',
            ombudsmanReference,
            how: 'post',
          },
          { Cookie: s.cookie },
        ),
      );

    // Act: a double click with no script (both at once), then Back and send again; then the form
    // of a new page, for a second sending.
    const answers = [
      ...(await Promise.all([send(first, '25 012 555'), send(first, '25 012 555')])),
      await send(first, '25 012 555'),
      await send(await formIdOf(), '25 012 556', '6'),
    ];

    // Assess: every post answered as the first was; each page's sending recorded once, audited once.
    for (const result of answers) {
      expect(result.statusCode).toBe(303);
      expect(result.headers?.Location).toBe(`/staff/cases/${record.reference}?done=ombudsman-file-sent`);
    }
    await expectMarkedSentOnce('25 012 555', '2026-04-07');
    await expectMarkedSentOnce('25 012 556', '2026-04-06');
  });

  it('writes the audit entry of a file marked sent when the audit log failed the first time, once', async () => {
    // Prepare: the audit log fails its next write (a throttled table), then works again.
    const flaky = {
      ...deps,
      audit: failingFirst(audit, 'record', new Error('the audit log did not answer')),
    };
    const form = {
      sentDay: '8',
      sentMonth: '4',
      sentYear: '2026',
      ombudsmanReference: '25 012 777',
      how: 'portal',
    };

    // Act: the first attempt is recorded on the case but fails at its audit entry; the officer
    // sends the form again, and then once more.
    await expect(markOmbudsmanFileSent(flaky, TEAM, record.reference, form)).rejects.toThrow(
      'the audit log did not answer',
    );
    await markOmbudsmanFileSent(flaky, TEAM, record.reference, form);
    await markOmbudsmanFileSent(flaky, TEAM, record.reference, form);

    // Assess: one event on the case, one entry in the audit log.
    await expectMarkedSentOnce('25 012 777', '2026-04-08');
  });
});
