/**
 * The staff workspace's refusals, in-process against DynamoDB Local: the deployed API handler's
 * routes with the real case and staff stores, sessions made as the sign-in makes them, and a
 * session clock the test moves (the browser journey signs in through the real provider).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCaseTable } from '../../functions/adapters/case-table.js';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log.js';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { DynamoDbStaffStore } from '../../functions/adapters/dynamodb-staff-store.js';
import { ServiceUnavailableError } from '../../functions/adapters/errors.js';
import { OidcIdentityProvider } from '../../functions/adapters/oidc-sign-in.js';
import { createApi } from '../../functions/app/api.js';
import { correspondence } from '../../functions/app/correspondence.js';
import { submitFeedback } from '../../functions/app/intake.js';
import { type StaffDeps, staffRoutes } from '../../functions/app/staff-routes.js';
import { ABSOLUTE_HOURS, IDLE_MINUTES } from '../../functions/app/staff-session.js';
import { type CaseRecord, caseNotes } from '../../functions/domain/case.js';
import { verifyLink } from '../../functions/domain/links.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { StaffMember } from '../../functions/domain/staff.js';
import { apiEvent, formPost } from '../support/api-event.js';
import { RecordingWorkflows } from '../support/fake-workflows.js';
import { MemoryArchive } from '../support/memory-archive.js';
import { MemoryArchiveControl } from '../support/memory-archive-control.js';
import { MemoryEvidenceStore } from '../support/memory-evidence.js';
import { MemoryMailer } from '../support/memory-mailer.js';
import { NOMINATED, TEAM } from '../support/staff-members.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';

const policy = loadPolicy('lgsco-code-2024');
const [waste, highways] = policy.routing.services as [
  (typeof policy.routing.services)[number],
  (typeof policy.routing.services)[number],
];
const NOW = new Date('2026-03-04T10:00:00Z');

const WASTE_OFFICER: StaffMember = {
  sub: 'sam',
  email: 'sam.patel@example.gov.uk',
  name: 'Sam Patel',
  roles: ['officer'],
  services: [waste.id],
};

let standIns: StandIns;
const mailer = new MemoryMailer();
const archive = new MemoryArchive();
const workflows = new RecordingWorkflows();
const SECRET = 'test-secret-test-secret-test-secret';
let store: DynamoDbCaseStore;
let staffStore: DynamoDbStaffStore;
const sessionNow = NOW;
let api: ReturnType<typeof createApi>;
let highwaysCase: string;
let tableName: string;
let wasteCase: string;

/** What intake needs to store a case straight into the table, received now. */
function intakeDeps() {
  return { store, policy, now: () => NOW, newId: () => randomUUID() };
}

async function call(event: ReturnType<typeof apiEvent>): Promise<APIGatewayProxyResult> {
  return api(event, {} as Context);
}

/** A session as the sign-in stores it, started `ageMinutes` ago and last used `idleMinutes` ago. */
async function session(staff: StaffMember, ageMinutes = 0, idleMinutes = 0) {
  const id = randomBytes(32).toString('base64url');
  const csrf = randomBytes(32).toString('base64url');
  await staffStore.putSession(
    {
      id,
      staff,
      csrf,
      createdAt: new Date(sessionNow.getTime() - ageMinutes * 60_000).toISOString(),
      lastSeenAt: new Date(sessionNow.getTime() - idleMinutes * 60_000).toISOString(),
    },
    new Date(sessionNow.getTime() + 3_600_000).toISOString(),
  );
  return { id, csrf, cookie: `__Host-redress_staff=${id}` };
}

function get(path: string, cookie?: string, query?: Record<string, string>) {
  return apiEvent('GET', path, {
    headers: { Accept: 'text/html', ...(cookie ? { Cookie: cookie } : {}) },
    ...(query ? { query } : {}),
  });
}

describe('staff workspace: sessions and refusals', () => {
  beforeAll(async () => {
    standIns = await startStandIns(['dynamodb']);
    tableName = `cases-${randomUUID().slice(0, 8)}`;
    const raw = new DynamoDBClient({});
    await createCaseTable(raw, tableName);
    raw.destroy();
    store = new DynamoDbCaseStore({ tableName });
    staffStore = new DynamoDbStaffStore({ tableName });
    let ids = 0;
    const intake = { store, policy, now: () => NOW, newId: () => `case-${++ids}-${randomUUID()}` };
    const summary = 'The street light outside number 4 has been out for three months.';
    highwaysCase = (
      await submitFeedback(intake, {
        service: highways.id,
        summary,
        complainant: {
          name: 'Ada Lovelace',
          phone: '01632 960001',
          address: '4 Example Road, Exampletown EX1 2AB',
        },
      })
    ).record.reference;
    wasteCase = (
      await submitFeedback(intake, {
        service: waste.id,
        summary: 'My bin was missed again.',
        complainant: { name: 'Grace Hopper', email: 'grace@example.com' },
      })
    ).record.reference;
    const deps: StaffDeps = {
      store,
      staffStore,
      audit: new DynamoDbAuditLog({ tableName }),
      archive,
      control: new MemoryArchiveControl(),
      evidence: new MemoryEvidenceStore(),
      workflows,
      policy,
      now: () => NOW,
      sessionClock: () => sessionNow,
      newId: () => randomUUID(),
      linkSecrets: async () => [SECRET],
      // Never reached here: every test has a session or is sent to sign in before the provider is asked.
      identity: new OidcIdentityProvider({ issuer: 'https://sign-in.example.gov.uk', clientId: 'workspace' }),
      baseUrl: 'https://complaints.example.gov.uk',
      send: correspondence(policy, mailer),
    };
    api = createApi({
      store,
      policy,
      now: () => NOW,
      newId: () => randomUUID(),
      extraRoutes: (r) => staffRoutes(r, deps),
    });
  }, 120_000);

  afterAll(async () => {
    await standIns?.stop();
  });

  it('sends a request without a session to sign in, remembering the page', async () => {
    const result = await call(get(`/staff/cases/${highwaysCase}`));
    expect(result.statusCode).toBe(303);
    expect(result.headers?.Location).toBe(
      `/staff/sign-in?return=${encodeURIComponent(`/staff/cases/${highwaysCase}`)}`,
    );
  });

  it('ends a session idle for longer than the idle limit, and says it expired', async () => {
    const s = await session(TEAM, 40, IDLE_MINUTES + 1);
    const result = await call(get('/staff', s.cookie));
    expect(result.statusCode).toBe(303);
    expect(result.headers?.Location).toMatch(/\/staff\/sign-in\?return=%2Fstaff&reason=expired$/);
    expect(await staffStore.getSession(s.id)).toBeUndefined();
  });

  it('ends a session older than the absolute limit even when in use', async () => {
    const s = await session(TEAM, ABSOLUTE_HOURS * 60 + 1, 0);
    const result = await call(get('/staff', s.cookie));
    expect(result.statusCode).toBe(303);
    expect(result.headers?.Location).toMatch(/reason=expired/);
  });

  it('shows the queue to a fresh session, soonest deadline first', async () => {
    const s = await session(TEAM);
    const result = await call(get('/staff', s.cookie));
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain(highwaysCase);
    expect(result.body).toContain(wasteCase);
    expect(result.body).toContain('Signed in as Casey Morgan (complaints team)');
  });

  it('lists a compliment in the queue as a compliment, with no stage: only complaints have stages', async () => {
    // Prepare
    const { record } = await submitFeedback(intakeDeps(), {
      kind: 'compliment',
      // Neither waste's nor highways', whose cases the tests below count.
      service: policy.routing.services[2]?.id,
      summary: 'The crew went back for my neighbour’s bin. Thank you.',
      complainant: { name: 'Mary Somerville', email: 'mary@example.com' },
    });
    const s = await session(TEAM);
    // Act
    const result = await call(get('/staff', s.cookie));
    // Assess: its row, as the case page and the task page name it
    const row = result.body.slice(result.body.indexOf(record.reference)).split('</tr>')[0] as string;
    expect(row).toContain('>Compliment<');
    expect(row).not.toContain('stage');
  });

  it("shows an officer only their service's cases, and refuses another service's case with 403", async () => {
    const s = await session(WASTE_OFFICER);
    const queue = await call(get('/staff', s.cookie));
    expect(queue.body).toContain(wasteCase);
    expect(queue.body).not.toContain(highwaysCase);

    const other = await call(get(`/staff/cases/${highwaysCase}`, s.cookie));
    expect(other.statusCode).toBe(403);
    expect(other.body).toContain('belongs to another service');
    const c = await store.getByReference(highwaysCase);
    const views = (await store.events(c?.caseId as string)).filter((e) => e.actor === WASTE_OFFICER.email);
    expect(views).toEqual([]);
  });

  it('offers an officer no link to a page their role is refused: the letters to post', async () => {
    const s = await session(WASTE_OFFICER);
    const letters = await call(get('/staff/letters', s.cookie));
    const queue = await call(get('/staff', s.cookie));

    expect(letters.statusCode).toBe(403);
    expect(queue.body).not.toContain('href="/staff/letters"');
  });

  it('records every view of a case by staff: who and when', async () => {
    const s = await session(WASTE_OFFICER);
    const result = await call(get(`/staff/cases/${wasteCase}`, s.cookie));
    expect(result.statusCode).toBe(200);
    const c = await store.getByReference(wasteCase);
    const views = (await store.events(c?.caseId as string)).filter((e) => e.type === 'viewed');
    expect(views.at(-1)).toMatchObject({ actor: WASTE_OFFICER.email, at: NOW.toISOString() });
    expect(result.body).toContain(WASTE_OFFICER.email);
  });

  it('records a call with a date and no time: the date alone is kept and shown, cases before it keep their time', async () => {
    const s = await session(TEAM);

    const posted = await call(
      formPost(
        '/staff/record',
        {
          csrf: s.csrf,
          channel: 'phone',
          receivedDay: '3',
          receivedMonth: '3',
          receivedYear: '2026',
          // No service: the other tests count each service's cases.
          kind: 'complaint',
          summary: 'My bin has been missed three weeks running.',
          'complainant.name': 'Alan Turing',
          'complainant.phone': '01632 960002',
        },
        { Cookie: s.cookie },
      ),
    );

    expect(posted.statusCode).toBe(303);
    const reference = decodeURIComponent(/cases\/([^?]+)/.exec(String(posted.headers?.Location))?.[1] ?? '');
    const stored = await store.getByReference(reference);
    expect(stored).toMatchObject({ receivedAt: '2026-03-03T00:00:00.000Z', receivedDateOnly: true });
    const received = /Received\s*<\/dt>\s*<dd[^>]*>\s*([^<]*?)\s*</;
    const page = await call(get(`/staff/cases/${encodeURIComponent(reference)}`, s.cookie));
    expect(received.exec(page.body)?.[1]).toBe('3 March 2026');
    const before = await call(get(`/staff/cases/${highwaysCase}`, s.cookie));
    expect(received.exec(before.body)?.[1]).toBe('4 March 2026 at 10:00am');
  });

  it('refuses a POST with a forged anti-forgery token, and changes nothing', async () => {
    const s = await session(TEAM);
    const result = await call(
      formPost(
        `/staff/cases/${wasteCase}/note`,
        { csrf: 'forged', note: 'Called the resident' },
        { Cookie: s.cookie },
      ),
    );
    expect(result.statusCode).toBe(403);
    expect((await store.getByReference(wasteCase))?.notes).toBeUndefined();
  });

  it('adds a note naming the signed-in person, then shows the case (Post/Redirect/Get)', async () => {
    const s = await session(TEAM);
    const result = await call(
      formPost(
        `/staff/cases/${wasteCase}/note`,
        { csrf: s.csrf, note: 'Called the resident' },
        { Cookie: s.cookie },
      ),
    );
    expect(result.statusCode).toBe(303);
    expect(result.headers?.Location).toBe(`/staff/cases/${wasteCase}?done=note`);
    const c = await store.getByReference(wasteCase);
    const events = await store.events(c?.caseId as string);
    expect(events.at(-1)).toMatchObject({ type: 'note-added', actor: TEAM.email });
    expect(caseNotes(c as CaseRecord, events)).toEqual([
      { at: NOW.toISOString(), by: TEAM.email, text: 'Called the resident' },
    ]);
    // A note is internal: it is never on the case among the decisions' reasons, which letters quote.
    expect(c?.notes).toBeUndefined();
  });

  it('adds the note of one page once, however often its form is sent, and a second page’s note again', async () => {
    // Prepare: a case of its own, and its page as the officer sees it, with the note form's one-off id.
    const s = await session(TEAM);
    const { record } = await submitFeedback(intakeDeps(), {
      // Not waste's: the queue test counts every waste case in the table.
      service: highways.id,
      summary: 'The bin was missed twice.',
      complainant: { name: 'Noted Once', email: 'noted.once@example.com' },
    });
    const formIdOf = async () => {
      const page = await call(get(`/staff/cases/${record.reference}`, s.cookie));
      const form = /<form method="post" action="[^"]*\/note"[\s\S]*?<\/form>/.exec(page.body)?.[0] ?? '';
      return /name="formId" value="([^"]+)"/.exec(form)?.[1];
    };
    const first = await formIdOf();
    expect(first).toMatch(/^[\w-]{36}$/);
    const send = (formId: string) =>
      call(
        formPost(
          `/staff/cases/${record.reference}/note`,
          { csrf: s.csrf, formId, note: 'Rang the resident' },
          { Cookie: s.cookie },
        ),
      );
    // Act: the form sent twice at once (a double click with no script), then again (the back button).
    const both = await Promise.all([send(first as string), send(first as string)]);
    const again = await send(first as string);
    // A new page's form, the same words: another note.
    const second = await formIdOf();
    expect(second).not.toBe(first);
    const other = await send(second as string);
    // Assess: each post answers as the first did; the first page's note is kept once, the second's too.
    for (const result of [...both, again, other]) {
      expect(result.statusCode).toBe(303);
      expect(result.headers?.Location).toBe(`/staff/cases/${record.reference}?done=note`);
    }
    const notes = (await store.events(record.caseId)).filter((e) => e.type === 'note-added');
    expect(notes.map((e) => e.detail?.text)).toEqual(['Rang the resident', 'Rang the resident']);
  });

  it('records an Ombudsman enquiry of one page once, however often its form is sent', async () => {
    // Prepare: a case of its own, and its page's form id as the complaints team sees it.
    const s = await session(TEAM);
    const { record } = await submitFeedback(intakeDeps(), {
      // Not waste's: the queue test counts every waste case in the table.
      service: highways.id,
      summary: 'The Ombudsman is asking about this one.',
      complainant: { name: 'Asked About', email: 'asked.about@example.com' },
    });
    const formIdOf = async () => {
      const page = await call(get(`/staff/cases/${record.reference}`, s.cookie));
      const form = /<form method="post" action="[^"]*\/ombudsman"[\s\S]*?<\/form>/.exec(page.body)?.[0] ?? '';
      return /name="formId" value="([^"]+)"/.exec(form)?.[1] as string;
    };
    const send = (formId: string) =>
      call(
        formPost(
          `/staff/cases/${record.reference}/ombudsman`,
          { csrf: s.csrf, formId, ombudsman: 'lgsco', ombudsmanNote: 'Enquiry by letter' },
          { Cookie: s.cookie },
        ),
      );
    const first = await formIdOf();
    expect(first).toMatch(/^[\w-]{36}$/);

    // Act: sent twice at once, then again; then from a new page (a second enquiry).
    const answers = [...(await Promise.all([send(first), send(first)])), await send(first)];
    answers.push(await send(await formIdOf()));

    // Assess: each answered as the first; the first page's enquiry recorded once, the second's too.
    for (const result of answers) {
      expect(result.statusCode).toBe(303);
      expect(result.headers?.Location).toBe(`/staff/cases/${record.reference}?done=ombudsman`);
    }
    const enquiries = (await store.events(record.caseId)).filter((e) => e.type === 'ombudsman-enquiry');
    expect(enquiries).toHaveLength(2);
  });

  it('refuses a note with hidden text-direction characters, saying why, and keeps no note', async () => {
    // A note is shown on the case page and goes into the Ombudsman's file and a subject access
    // copy: U+202E would make it read other than what was stored.
    const s = await session(TEAM);
    const result = await call(
      formPost(
        `/staff/cases/${wasteCase}/note`,
        { csrf: s.csrf, note: 'Resident said the bin was \u202Edetcelloc\u202C on time' },
        { Cookie: s.cookie },
      ),
    );
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain(
      'The note must not include hidden control or text-direction characters: type it again rather than pasting it',
    );
    // What was typed is there to correct, not lost.
    expect(result.body).toMatch(/<textarea[^>]*name="note"[^>]*>Resident said the bin was/);
    // The page shown again records that the case was viewed, as every view does; no note is kept.
    const events = await store.events((await store.getByReference(wasteCase))?.caseId as string);
    const notes = events.filter((e) => e.type === 'note-added').map((e) => String(e.detail?.text));
    expect(notes.filter((text) => text.startsWith('Resident said'))).toEqual([]);
  });

  it('refuses to reassign a case outside the council, and reassigns within it', async () => {
    const s = await session(TEAM);
    const outside = await call(
      formPost(
        `/staff/cases/${highwaysCase}/reassign`,
        { csrf: s.csrf, reassignTo: 'someone@gmail.com' },
        { Cookie: s.cookie },
      ),
    );
    expect(outside.statusCode).toBe(400);
    expect(outside.body).toContain('a case cannot be sent outside it');
    expect((await store.getByReference(highwaysCase))?.assignedTo).toBeUndefined();

    const inside = await call(
      formPost(
        `/staff/cases/${highwaysCase}/reassign`,
        { csrf: s.csrf, reassignTo: waste.mailbox as string },
        { Cookie: s.cookie },
      ),
    );
    expect(inside.statusCode).toBe(303);
    const c = await store.getByReference(highwaysCase);
    expect(c?.assignedTo).toBe(waste.mailbox);
    expect((await store.events(c?.caseId as string)).at(-1)).toMatchObject({
      type: 'reassigned',
      actor: TEAM.email,
    });
  });

  it('finds cases by name, phone and postcode, with no personal data in any key', async () => {
    const s = await session(TEAM);
    for (const q of ['lovelace', '+44 1632 960001', 'ex12ab']) {
      const result = await call(get('/staff/search', s.cookie, { q }));
      expect(result.statusCode, q).toBe(200);
      expect(result.body, q).toContain(highwaysCase);
      expect(result.body, q).not.toContain(wasteCase);
    }
    // Every key of the table (base and indexes), read whole: none names the resident.
    const raw = new DynamoDBClient({});
    const items = (await raw.send(new ScanCommand({ TableName: tableName }))).Items ?? [];
    raw.destroy();
    const keys = items.flatMap((item) =>
      Object.entries(item)
        .filter(([name]) => /^(PK|SK|GSI\dPK|GSI\dSK)$/.test(name))
        .map(([, value]) => value.S ?? ''),
    );
    expect(keys.length).toBeGreaterThan(10);
    for (const secret of ['lovelace', '960001', 'EX12AB', 'EX1 2AB', 'grace@example.com']) {
      expect(
        keys.filter((k) => k.toLowerCase().includes(secret.toLowerCase())),
        secret,
      ).toEqual([]);
    }
  });

  it("refuses a sign-out without the session's token: the session stays", async () => {
    const s = await session(TEAM);
    const forged = await call(formPost('/staff/sign-out', { csrf: 'forged' }, { Cookie: s.cookie }));
    expect(forged.statusCode).toBe(403);
    expect(await staffStore.getSession(s.id)).toBeDefined();
  });

  it('ends the session everywhere on signing out: a copy of its cookie is sent to sign in again', async () => {
    // Prepare: the cookie kept in a second tab, or copied; a provider without a sign-out page of
    // its own (this file's is never reached)
    const s = await session(TEAM);
    expect((await call(get('/staff', s.cookie))).statusCode).toBe(200);
    const provider = vi.spyOn(OidcIdentityProvider.prototype, 'signOutUrl').mockResolvedValue(undefined);

    // Act
    const out = await call(formPost('/staff/sign-out', { csrf: s.csrf }, { Cookie: s.cookie }));
    const copy = await call(get('/staff', s.cookie));
    provider.mockRestore();

    // Assess: the session is kept server side, so its copy is refused at once
    expect(out.headers?.Location).toBe('/staff/signed-out');
    expect(await staffStore.getSession(s.id)).toBeUndefined();
    expect(copy.statusCode).toBe(303);
    expect(copy.headers?.Location).toMatch(/^\/staff\/sign-in\?return=%2Fstaff/);
  });

  it('emails the officer a fresh link to the waiting task, naming who asked', async () => {
    // Prepare: the workflow is waiting on the waste team's acknowledgement.
    const c = await store.getByReference(wasteCase);
    const issuedAt = '2025-10-01T09:00:00.000Z';
    await store.update(c?.caseId as string, c?.version as number, {
      set: {
        openTask: {
          taskId: 'task-9',
          name: 'acknowledge',
          officer: waste.mailbox as string,
          taskToken: 'token-9',
          issuedAt,
        },
      },
    });
    const s = await session(TEAM);

    // Act
    const result = await call(
      formPost(`/staff/cases/${wasteCase}/reissue`, { csrf: s.csrf }, { Cookie: s.cookie }),
    );

    // Assess
    expect(result.statusCode).toBe(303);
    const email = mailer.sent.at(-1);
    expect(email?.to).toEqual([waste.mailbox]);
    expect(email?.text).toContain(`Here is a new link to your task for ${wasteCase}`);
    expect(email?.text).not.toContain('You have a new task');
    const token = /\/tasks\/([\w.-]+)/.exec(email?.text ?? '')?.[1] as string;
    expect(verifyLink(token, [SECRET], NOW)).toMatchObject({ c: c?.caseId, t: 'task-9', a: 'acknowledge' });
    const after = await store.getByReference(wasteCase);
    expect(after?.openTask).toMatchObject({
      taskId: 'task-9',
      taskToken: 'token-9',
      issuedAt: NOW.toISOString(),
    });
    expect((await store.events(c?.caseId as string)).at(-1)).toMatchObject({
      type: 'task-link-reissued',
      actor: TEAM.email,
    });
  });

  it('emails one fresh link for two requests sent at once (a double click with no script, the page sent again)', async () => {
    // Prepare: a task whose link was sent long ago.
    const c = await store.getByReference(wasteCase);
    await store.update(c?.caseId as string, c?.version as number, {
      set: {
        openTask: {
          taskId: 'task-10',
          name: 'acknowledge',
          officer: waste.mailbox as string,
          taskToken: 'token-10',
          issuedAt: '2025-10-01T09:00:00.000Z',
        },
      },
    });
    const s = await session(TEAM);
    const before = mailer.sent.length;
    // Act
    const answers = await Promise.all(
      [1, 2].map(() =>
        call(formPost(`/staff/cases/${wasteCase}/reissue`, { csrf: s.csrf }, { Cookie: s.cookie })),
      ),
    );
    // Assess: both told the link is on its way; one email, one entry in the case's history.
    expect(answers.map((a) => a.statusCode)).toEqual([303, 303]);
    expect(mailer.sent.slice(before).map((m) => m.to)).toEqual([[waste.mailbox]]);
    const reissued = (await store.events(c?.caseId as string)).filter(
      (e) => e.type === 'task-link-reissued' && e.detail?.taskId === 'task-10',
    );
    expect(reissued).toHaveLength(1);
  });

  it('emails the link when asked again at once after the email could not be sent', async () => {
    // Prepare: a task whose link was sent long ago, and SES not answering the first send.
    const c = await store.getByReference(wasteCase);
    await store.update(c?.caseId as string, c?.version as number, {
      set: {
        openTask: {
          taskId: 'task-11',
          name: 'acknowledge',
          officer: waste.mailbox as string,
          taskToken: 'token-11',
          issuedAt: '2025-10-01T09:00:00.000Z',
        },
      },
    });
    const s = await session(TEAM);
    vi.spyOn(mailer, 'send').mockRejectedValueOnce(new ServiceUnavailableError('SES is not answering'));
    const ask = () =>
      call(formPost(`/staff/cases/${wasteCase}/reissue`, { csrf: s.csrf }, { Cookie: s.cookie }));
    // Act
    const first = await ask();
    const before = mailer.sent.length;
    const again = await ask();
    // Assess
    expect(first.statusCode).toBe(503);
    expect(again.statusCode).toBe(303);
    expect(mailer.sent.slice(before).map((m) => m.to)).toEqual([[waste.mailbox]]);
  });

  it('records a request for stage 2 made by phone as the resident’s link would, naming who took it', async () => {
    // Prepare: the response went out and the workflow waits for the resident's request.
    const s = await session(TEAM);
    const notWaiting = await call(
      formPost(
        `/staff/cases/${highwaysCase}/stage-2`,
        { csrf: s.csrf, stage2Channel: 'phone' },
        { Cookie: s.cookie },
      ),
    );
    expect(notWaiting.statusCode).toBe(400);
    expect(notWaiting.body).toContain('not waiting for a request for a review');
    const c = await store.getByReference(highwaysCase);
    await store.update(c?.caseId as string, c?.version as number, {
      set: {
        status: 'responded',
        openTask: {
          taskId: 'stage-2-request',
          name: 'stage-2-request',
          officer: 'resident',
          taskToken: 'token-s2',
          issuedAt: NOW.toISOString(),
        },
      },
    });

    // Act
    const result = await call(
      formPost(
        `/staff/cases/${highwaysCase}/stage-2`,
        { csrf: s.csrf, stage2Channel: 'phone', stage2Text: 'The light is still out.' },
        { Cookie: s.cookie },
      ),
    );

    // Assess
    expect(result.statusCode).toBe(303);
    expect(workflows.succeeded.at(-1)).toEqual({
      taskToken: 'token-s2',
      output: { decision: 'request', taskId: 'stage-2-request' },
    });
    const after = await store.getByReference(highwaysCase);
    expect(after).toMatchObject({
      status: 'stage-2-requested',
      progress: { stage2: { groundsText: 'The light is still out.' } },
    });
    const done = (await store.events(c?.caseId as string)).find((e) => e.type === 'task-done');
    expect(done).toMatchObject({
      actor: TEAM.email,
      detail: { task: 'stage-2-request', receivedBy: 'phone' },
    });
  });

  it('pages through an officer’s filtered queue soonest deadline first, with no case missed or repeated', async () => {
    // Prepare: 60 more open cases, a third of them the waste team's, received on different days.
    const intake = intakeDeps();
    for (let i = 0; i < 60; i++) {
      await submitFeedback(
        { ...intake, now: () => new Date(NOW.getTime() - i * 86_400_000) },
        {
          service: i % 3 === 0 ? waste.id : highways.id,
          summary: `Generated complaint ${i}`,
          complainant: { name: `Resident ${i}`, email: `resident${i}@example.com` },
        },
      );
    }

    // Act
    const seen: string[] = [];
    const deadlines: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.openPage({ services: [waste.id], limit: 7, ...(cursor ? { cursor } : {}) });
      expect(page.records.length).toBeLessThanOrEqual(7);
      for (const c of page.records) {
        seen.push(c.reference);
        deadlines.push(Object.values(c.deadlines).sort()[0] as string);
      }
      cursor = page.next;
    } while (cursor);

    // Assess: every waste case once (20 new, the one from before), in deadline order.
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(21);
    expect([...deadlines].sort()).toEqual(deadlines);
    const s = await session(TEAM);
    const forged = await call(get('/staff', s.cookie, { cursor: 'not-a-cursor' }));
    expect(forged.statusCode).toBe(400);
  });

  it('includes overdue cases in “due today”, soonest first, and leaves out cases due later', async () => {
    // Prepare: the generated cases of the test before include some received weeks ago.
    const overdue = (await store.openPage({ dueBy: NOW.toISOString(), limit: 1 })).records[0];
    const later = (await store.openPage({ limit: 500 })).records.at(-1);
    const s = await session(TEAM);

    // Act
    const result = await call(get('/staff', s.cookie, { view: 'all', due: 'today' }));

    // Assess
    expect(overdue).toBeDefined();
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain(overdue?.reference);
    expect(result.body).toContain('Overdue');
    expect(result.body).not.toContain(later?.reference);
    expect(result.body).toContain('<option value="today" selected>Overdue or due today</option>');
  });

  it("moves a case to another service, handing the old team's waiting task to the new team", async () => {
    // Prepare: the waste team has the acknowledgement task of a complaint about street lights.
    const { record } = await submitFeedback(
      { store, policy, now: () => NOW, newId: () => randomUUID() },
      {
        service: waste.id,
        // A complaint (a first report would be a service request, sent to the service it is for).
        summary: 'I reported the broken street light three times and nobody has come. I am unhappy.',
        complainant: { name: 'Ada', email: 'ada@example.com' },
      },
    );
    await store.update(record.caseId, record.version, {
      set: {
        openTask: {
          taskId: 'task-7',
          name: 'acknowledge',
          officer: waste.mailbox as string,
          taskToken: 'token-7',
          issuedAt: NOW.toISOString(),
        },
      },
    });
    const s = await session(TEAM);

    // Act
    const unknown = await call(
      formPost(
        `/staff/cases/${record.reference}/service`,
        { csrf: s.csrf, service: 'moon-base' },
        { Cookie: s.cookie },
      ),
    );
    const result = await call(
      formPost(
        `/staff/cases/${record.reference}/service`,
        { csrf: s.csrf, service: highways.id },
        { Cookie: s.cookie },
      ),
    );

    // Assess
    expect(unknown.statusCode).toBe(400);
    expect(
      result.statusCode,
      result.body.replace(/\s+/g, ' ').match(/govuk-error-summary.{0,600}/)?.[0],
    ).toBe(303);
    const after = await store.get(record.caseId);
    expect(after).toMatchObject({
      service: highways.id,
      directorate: highways.directorate,
      assignedTo: highways.mailbox,
    });
    expect(workflows.succeeded.at(-1)).toEqual({
      taskToken: 'token-7',
      output: { decision: 'reassign', taskId: 'task-7' },
    });
    const types = (await store.events(record.caseId)).map((e) => [e.type, e.actor]);
    expect(types).toEqual(
      expect.arrayContaining([
        ['service-changed', TEAM.email],
        ['task-done', TEAM.email],
      ]),
    );
  });
  it('designates a complainant with a review date: a letter for the post, and the review listed when due', async () => {
    // Prepare: the highways resident has a postal address and no email.
    const team = await session(TEAM);
    const nominated = await session(NOMINATED);
    const form = {
      designationReason: 'Daily calls to officers about a matter already answered.',
      restrictions: 'written-only',
      reviewDay: '4',
      reviewMonth: '9',
      reviewYear: '2026',
    };

    // Act
    const forbidden = await call(
      formPost(
        `/staff/cases/${highwaysCase}/designate`,
        { csrf: team.csrf, ...form },
        { Cookie: team.cookie },
      ),
    );
    const past = await call(
      formPost(
        `/staff/cases/${highwaysCase}/designate`,
        { csrf: nominated.csrf, ...form, reviewYear: '2025' },
        { Cookie: nominated.cookie },
      ),
    );
    const done = await call(
      formPost(
        `/staff/cases/${highwaysCase}/designate`,
        { csrf: nominated.csrf, ...form },
        { Cookie: nominated.cookie },
      ),
    );

    // Assess
    expect(forbidden.statusCode).toBe(403);
    expect(past.statusCode).toBe(400);
    expect(past.body).toContain('The review date must be in the future');
    expect(done.statusCode).toBe(303);
    const c = await store.getByReference(highwaysCase);
    expect(c?.designation).toMatchObject({
      by: NOMINATED.email,
      reviewBy: '2026-09-04',
      restrictions: ['written-only'],
    });
    const letter = c?.lettersToPost?.[0];
    expect(letter?.title).toBe('How we will deal with your contact from now on');
    expect(await archive.getLetter(c?.caseId as string, letter?.letter as string)).toBeDefined();
    expect(await store.workList('review', { limit: 10, dueBy: '2026-09-03' })).toEqual({ entries: [] });
    const due = await store.workList('review', { limit: 10, dueBy: '2026-09-04' });
    expect(due.entries.map((e) => e.reference)).toEqual([highwaysCase]);
    const page = await call(get(`/staff/cases/${highwaysCase}`, nominated.cookie));
    expect(page.body).toContain('Designated unreasonably persistent');
    expect(page.body).toContain('Record the review');
  });

  it('lists letters to post oldest first a page at a time, downloads each, and marks one posted once', async () => {
    // Prepare: 30 letters on 30 cases, written a minute apart.
    const intake = intakeDeps();
    const written: string[] = [];
    for (let i = 0; i < 30; i++) {
      const { record } = await submitFeedback(intake, {
        service: waste.id,
        summary: `Letter case ${i}`,
        complainant: { name: `Postal ${i}`, address: `${i} Post Road, Exampletown EX1 2AB` },
      });
      const writtenAt = new Date(NOW.getTime() - (30 - i) * 60_000).toISOString();
      await archive.putLetter(record.caseId, `receipt-l${i}`, Buffer.from('%PDF-1.7 test'));
      await store.update(record.caseId, record.version, {
        set: {
          lettersToPost: [{ letter: `receipt-l${i}`, title: 'We have received your complaint', writtenAt }],
        },
        event: {
          at: writtenAt,
          type: 'letter-written',
          actor: 'workflow',
          detail: { letter: `receipt-l${i}` },
        },
      });
      written.push(record.reference);
    }
    const s = await session(TEAM);
    const officer = await session(WASTE_OFFICER);

    // Act: read every page.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.workList('post', { limit: 7, ...(cursor ? { cursor } : {}) });
      seen.push(...page.entries.map((e) => e.reference));
      cursor = page.next;
    } while (cursor);
    const list = await call(get('/staff/letters', s.cookie));
    const first = written[0] as string;
    const pdf = await call(get(`/staff/letters/${first}/receipt-l0`, s.cookie));
    const forged = await call(
      formPost(`/staff/letters/${first}/receipt-l0/posted`, { csrf: 'forged' }, { Cookie: s.cookie }),
    );
    const posted = await call(
      formPost(`/staff/letters/${first}/receipt-l0/posted`, { csrf: s.csrf }, { Cookie: s.cookie }),
    );
    const twice = await call(
      formPost(`/staff/letters/${first}/receipt-l0/posted`, { csrf: s.csrf }, { Cookie: s.cookie }),
    );
    const notOfficers = await call(get('/staff/letters', officer.cookie));
    const badCursor = await call(get('/staff/letters', s.cookie, { cursor: 'bm90LWEta2V5' }));

    // Assess
    expect(seen.filter((r) => written.includes(r))).toEqual(written);
    expect(new Set(seen).size).toBe(seen.length);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(first);
    expect(list.body).toContain('Next page');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers?.['Content-Type']).toBe('application/pdf');
    expect(pdf.headers?.['Cache-Control']).toBe('no-store');
    expect(forged.statusCode).toBe(403);
    expect(posted.statusCode).toBe(303);
    expect(posted.headers?.Location).toBe('/staff/letters?done=posted');
    expect(twice.statusCode).toBe(409);
    expect(notOfficers.statusCode).toBe(403);
    expect(badCursor.statusCode).toBe(400);
    const c = await store.getByReference(first);
    expect(c?.lettersToPost).toEqual([]);
    const events = (await store.events(c?.caseId as string)).filter((e) => e.type === 'letter-posted');
    expect(events).toEqual([expect.objectContaining({ actor: TEAM.email, at: NOW.toISOString() })]);
    expect((await store.workList('post', { limit: 100 })).entries.map((e) => e.reference)).not.toContain(
      first,
    );
    // The list's keys are dates, case ids and letter names: no resident's name or address.
    const raw = new DynamoDBClient({});
    const items = (await raw.send(new ScanCommand({ TableName: tableName }))).Items ?? [];
    raw.destroy();
    const keys = items.filter((i) => i.PK?.S?.startsWith('WORKLIST#')).map((i) => `${i.PK?.S} ${i.SK?.S}`);
    expect(keys.length).toBeGreaterThan(29);
    expect(keys.filter((k) => /postal|post road|ex1/i.test(k))).toEqual([]);
  });

  it('marks a letter with characters no font prints, on the list to post and on its case, naming them there', async () => {
    // Prepare: one letter whose resident's Burmese name prints as empty boxes, one that prints whole.
    const intake = intakeDeps();
    // Older than any other test's letters, so both are on the list's first page (oldest first).
    const writtenAt = new Date(NOW.getTime() - 2 * 86_400_000).toISOString();
    const letters = [
      { name: 'ဒေါ်ခင်', unprintable: 'ဒေါ်ခင်', letter: 'receipt-boxes' },
      { name: 'Grace Hopper', unprintable: undefined, letter: 'receipt-whole' },
    ];
    const references: string[] = [];
    for (const l of letters) {
      const { record } = await submitFeedback(intake, {
        service: waste.id,
        summary: 'A letter by post',
        complainant: { name: l.name, address: '1 Post Road, Exampletown EX1 2AB' },
      });
      await store.update(record.caseId, record.version, {
        set: {
          lettersToPost: [
            {
              letter: l.letter,
              title: 'We have received your complaint',
              writtenAt,
              ...(l.unprintable ? { checkFirst: true as const } : {}),
            },
          ],
        },
        event: {
          at: writtenAt,
          type: 'letter-written',
          actor: 'workflow',
          detail: {
            template: 'receipt',
            letter: l.letter,
            ...(l.unprintable ? { unprintable: l.unprintable } : {}),
          },
        },
      });
      references.push(record.reference);
    }
    const s = await session(TEAM);

    // Act
    const list = await call(get('/staff/letters', s.cookie));
    const [boxes, whole] = await Promise.all(references.map((r) => call(get(`/staff/cases/${r}`, s.cookie))));

    // Assess: the list says which to check (without the name: its entries hold no personal data)…
    const rowOf = (reference: string) =>
      new RegExp(`<tr class="govuk-table__row">\\s*<th[^>]*><a[^>]*>${reference}</a>[\\s\\S]*?</tr>`).exec(
        list.body,
      )?.[0] ?? '';
    expect(rowOf(references[0] as string)).toContain('Check before posting');
    expect(rowOf(references[1] as string)).not.toContain('Check before posting');
    const entries = (await store.workList('post', { limit: 100 })).entries;
    expect(entries.find((e) => e.letter === 'receipt-boxes')?.checkFirst).toBe(true);
    expect(entries.find((e) => e.letter === 'receipt-whole')).not.toHaveProperty('checkFirst');
    // …and the case's list of printed letters names the words and their script.
    expect(boxes?.body).toContain('Prints as empty boxes: ဒေါ်ခင် (Myanmar script)');
    expect(whole?.body).not.toContain('Prints as empty boxes');
  });

  it('shows a letter written again (to a corrected address, with a later date) as the one to post, and the first as not to be', async () => {
    const { record } = await submitFeedback(intakeDeps(), {
      service: waste.id,
      summary: 'A letter by post',
      complainant: { name: 'Grace Hopper', address: '1 Post Road, Exampletown EX1 2AB' },
    });
    const letterWritten = (letter: string, replaces?: string, because?: string) => ({
      at: NOW.toISOString(),
      type: 'letter-written',
      actor: 'workflow',
      detail: {
        template: 'pause',
        letter,
        ...(replaces ? { replaces } : {}),
        ...(because ? { because } : {}),
      },
    });
    await store.appendEvent(record.caseId, letterWritten('pause-old'));
    await store.appendEvent(record.caseId, letterWritten('pause-new', 'pause-old'));
    // A holding letter whose date ran out while SES was down is written again with a later one.
    await store.appendEvent(record.caseId, letterWritten('holding-old'));
    await store.appendEvent(record.caseId, letterWritten('holding-new', 'holding-old', 'date'));
    // A holding letter the response overtook before it could go to print.
    await store.appendEvent(record.caseId, letterWritten('holding-overtaken'));
    await store.appendEvent(record.caseId, {
      at: NOW.toISOString(),
      type: 'response-sent',
      actor: 'workflow',
      detail: { stage: 1, withdrawn: ['holding-overtaken'] },
    });
    const s = await session(TEAM);

    const page = await call(get(`/staff/cases/${record.reference}`, s.cookie));

    // The printed letters' rows, in the order they were written. A letter written again offers no
    // PDF: it is not to be printed.
    const table =
      /<h2 class="govuk-heading-m">Printed letters<\/h2>[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? '';
    const rows = table.match(/<tr class="govuk-table__row">[\s\S]*?<\/tr>/g) ?? [];
    const names = ['pause-old', 'pause-new', 'holding-old', 'holding-new', 'holding-overtaken'];
    const rowOf = (letter: string) => rows[names.indexOf(letter) + 1] ?? '';
    expect(rowOf('pause-old')).not.toContain('/pause-old"');
    expect(rowOf('holding-old')).not.toContain('/holding-old"');
    expect(rowOf('pause-new')).toContain('/pause-new"');
    expect(rowOf('pause-old')).toContain('Not to be posted: written again to the corrected address');
    expect(rowOf('pause-new')).toContain('Not posted yet');
    expect(rowOf('holding-old')).toContain('Not to be posted: written again with a later date');
    expect(rowOf('holding-new')).toContain('Not posted yet');
    expect(rowOf('holding-overtaken')).toContain('Not to be posted: the response went first');
  });

  it('takes every note of a long case: thirty notes of 5,000 characters (symbols such as €) are all kept', async () => {
    // Prepare: 5,000 characters of three bytes each in UTF-8 (15 KB a note), thirty of them: more
    // than DynamoDB's 400 KB for one item, so the notes cannot all live on the case's item.
    const intake = intakeDeps();
    const { record } = await submitFeedback(intake, {
      service: waste.id,
      summary: 'A case with many long notes',
      complainant: { name: 'Noted Often', email: 'noted.often@example.com' },
    });
    const s = await session(TEAM);
    const note = (i: number) => `Note ${i + 1}: ${'€'.repeat(4990)}`;

    // Act
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const result = await call(
        formPost(
          `/staff/cases/${record.reference}/note`,
          { csrf: s.csrf, note: note(i) },
          { Cookie: s.cookie },
        ),
      );
      statuses.push(result.statusCode);
    }

    // Assess: every note is taken, and the case page lists all thirty, oldest first.
    expect(statuses.filter((code) => code !== 303)).toEqual([]);
    const added = (await store.events(record.caseId)).filter((e) => e.type === 'note-added');
    expect(added).toHaveLength(30);
    const page = await call(get(`/staff/cases/${record.reference}`, s.cookie));
    const listed = [...page.body.matchAll(/Note (\d+): €/g)].map((m) => Number(m[1]));
    expect(listed).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  }, 60_000);

  it('records a printed letter opened from the workspace among the case’s views, as the case page lists every view', async () => {
    // Prepare: a letter to post, with the resident's name and address in it.
    const intake = intakeDeps();
    const { record } = await submitFeedback(intake, {
      service: waste.id,
      summary: 'A letter that will be read',
      complainant: { name: 'Read Byletter', address: '7 Post Road, Exampletown EX1 2AB' },
    });
    await archive.putLetter(record.caseId, 'receipt-read', Buffer.from('%PDF-1.7 test'));
    await store.update(record.caseId, record.version, {
      set: {
        lettersToPost: [
          { letter: 'receipt-read', title: 'We have received your complaint', writtenAt: NOW.toISOString() },
        ],
      },
      event: {
        at: NOW.toISOString(),
        type: 'letter-written',
        actor: 'workflow',
        detail: { letter: 'receipt-read' },
      },
    });
    const officer = await session(WASTE_OFFICER);

    // Act
    const pdf = await call(get(`/staff/letters/${record.reference}/receipt-read`, officer.cookie));

    // Assess
    expect(pdf.statusCode).toBe(200);
    const views = (await store.events(record.caseId)).filter((e) => e.type === 'viewed');
    expect(views).toEqual([expect.objectContaining({ actor: WASTE_OFFICER.email })]);
  });
});
