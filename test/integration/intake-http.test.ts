/**
 * The resident's intake over HTTP, as a browser or a client program reaches it: the API Gateway
 * stand-in in front of the deployed API handler, its case table on DynamoDB Local. Each test
 * sends what a hand-made request may send, and reads back what the table then holds.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { resetAdapters } from '../../functions/app/container.js';
import type { CaseEvent, CaseRecord, Designation } from '../../functions/domain/case.js';
import { type ApiGatewayServer, startApiGateway } from '../../infra/local/api-gateway.js';
import { newCaseTable } from '../support/case-table.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';

let standIns: StandIns;
let tableName: string;
let store: DynamoDbCaseStore;
let gateway: ApiGatewayServer;
let policyDir: string;

beforeAll(async () => {
  standIns = await startStandIns(['dynamodb']);
  tableName = await newCaseTable();
  // The Code's preset, for a council in Wales that offers Welsh: the form's messages in both.
  policyDir = mkdtempSync(join(tmpdir(), 'redress-intake-http-'));
  const policyFile = join(policyDir, 'welsh-council.json');
  writeFileSync(
    policyFile,
    JSON.stringify({
      extends: 'lgsco-code-2024',
      languages: ['en', 'cy'],
      ombudsman: { nation: 'wales', signpostAtEveryStage: true },
    }),
  );
  vi.stubEnv('CASE_TABLE', tableName);
  vi.stubEnv('REDRESS_POLICY', policyFile);
  vi.stubEnv('PUBLIC_BASE_URL', 'https://complaints.example.gov.uk');
  vi.stubEnv('LINK_SECRET', 'b'.repeat(64));
  vi.stubEnv('INTAKE_LIMIT_PER_EMAIL_PER_DAY', 'off');
  vi.stubEnv('INTAKE_LIMIT_PER_CLIENT_PER_HOUR', 'off');
  resetAdapters();
  const { handler } = (await import('../../functions/handlers/api.js')) as unknown as {
    handler: (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
  };
  const context = { awsRequestId: 'intake-http', getRemainingTimeInMillis: () => 30_000 } as Context;
  gateway = await startApiGateway({ handler: (event) => handler(event, context), port: 0 });
  store = new DynamoDbCaseStore({ tableName });
});

afterAll(async () => {
  await gateway?.close();
  resetAdapters();
  vi.unstubAllEnvs();
  await standIns?.stop();
  if (policyDir) rmSync(policyDir, { recursive: true, force: true });
});

const SERVICE = 'waste-recycling';
const SUMMARY = 'My bin has not been collected for three weeks despite two reports.';

/** A complaint posted in JSON; answers the status and the parsed body. */
async function postJson(
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const answer = await fetch(`${gateway.url}/complaints`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
}

/** The feedback form as a browser gets it (in `lang`), and what it sends back: its token and cookie. */
async function formSession(lang: 'en' | 'cy'): Promise<{ csrf: string; cookie: string }> {
  const page = await fetch(`${gateway.url}/?lang=${lang}`, { headers: { Accept: 'text/html' } });
  const html = await page.text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  const cookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  if (!csrf || !cookie) throw new Error(`no feedback form: ${page.status}`);
  return { csrf, cookie };
}

/** A form post from a page in `lang`, with the fields as given (repeated names allowed). */
async function postForm(
  lang: 'en' | 'cy',
  fields: [string, string][],
): Promise<{ status: number; html: string; location: string | null }> {
  const { csrf, cookie } = await formSession(lang);
  const answer = await fetch(`${gateway.url}/complaints`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html', Cookie: cookie },
    body: new URLSearchParams([['csrf', csrf], ['language', lang], ...fields]).toString(),
  });
  return { status: answer.status, html: await answer.text(), location: answer.headers.get('location') };
}

/** A resident's own answers, from an address no other test uses. */
function residentFields(email: string): [string, string][] {
  return [
    ['kind', 'complaint'],
    ['service', SERVICE],
    ['summary', SUMMARY],
    ['complainant.name', 'Ada Resident'],
    ['complainant.email', email],
  ];
}

const uniqueEmail = (name = 'resident') => `${name}.${randomUUID().slice(0, 8)}@example.org`;

describe('POST /complaints: making it for someone else', () => {
  it('refuses a form post that answers "yes" without naming the person, in English, storing nothing', async () => {
    // Prepare
    const email = uniqueEmail();

    // Act: a hand-made post with the radio's "yes" and none of the fields it reveals.
    const answer = await postForm('en', [...residentFields(email), ['onBehalf', 'yes']]);

    // Assess: the error summary links to the person's name, and nobody's complaint was stored.
    expect(answer.status).toBe(400);
    expect(answer.html).toContain('href="#onBehalfOf-name"');
    expect(answer.html).toContain('Enter the name of the person you are complaining for');
    expect(await store.byComplainant(email)).toEqual([]);
  });

  it('refuses the same post from the Welsh form in Welsh', async () => {
    const email = uniqueEmail();

    const answer = await postForm('cy', [...residentFields(email), ['onBehalf', 'yes']]);

    expect(answer.status).toBe(400);
    expect(answer.html).toContain('href="#onBehalfOf-name"');
    expect(answer.html).toContain('Rhowch enw’r person rydych yn cwyno ar ei ran');
    expect(await store.byComplainant(email)).toEqual([]);
  });

  it.each([
    ['only blanks for their name', [['onBehalfOf.name', '   ']]],
    ['an invisible name', [['onBehalfOf.name', '\u200b\u200b']]],
    ['consent alone', [['onBehalfOf.consent', 'yes']]],
    ['a relationship alone', [['onBehalfOf.relationship', 'My mother']]],
  ] as [string, [string, string][]][])('refuses "yes" with %s', async (_what, details) => {
    const email = uniqueEmail();

    const answer = await postForm('en', [...residentFields(email), ['onBehalf', 'yes'], ...details]);

    expect(answer.status).toBe(400);
    expect(answer.html).toContain('href="#onBehalfOf-name"');
    expect(await store.byComplainant(email)).toEqual([]);
  });

  it('takes "YES" as the radio’s "yes", as every yes-or-no answer is taken', async () => {
    const email = uniqueEmail();

    const answer = await postForm('en', [
      ...residentFields(email),
      ['onBehalf', ' YES '],
      ['onBehalfOf.name', 'Grace Resident'],
      ['onBehalfOf.consent', 'yes'],
    ]);

    expect(answer.status).toBe(303);
    const stored = await store.byComplainant(email);
    expect(stored.map((c: CaseRecord) => c.onBehalfOf?.name)).toEqual(['Grace Resident']);
  });

  it.each([
    ['an answer the radios do not have', [['onBehalf', 'maybe']]],
    ['a field inside the question', [['onBehalf.x', 'yes']]],
  ] as [string, [string, string][]][])(
    'asks again, storing nothing, for %s with a person’s details',
    async (_what, question) => {
      const email = uniqueEmail();

      const answer = await postForm('en', [
        ...residentFields(email),
        ...question,
        ['onBehalfOf.name', 'Grace Resident'],
        ['onBehalfOf.consent', 'yes'],
      ]);

      expect(answer.status).toBe(400);
      expect(answer.html).toContain('href="#onBehalf"');
      expect(answer.html).toContain('Say whether you are making this for someone else');
      expect(await store.byComplainant(email)).toEqual([]);
    },
  );

  it('asks, rather than dropping them, when a person’s details come without the "yes"', async () => {
    const email = uniqueEmail();

    const answer = await postForm('cy', [
      ...residentFields(email),
      ['onBehalfOf.name', 'Grace Resident'],
      ['onBehalfOf.consent', 'yes'],
    ]);

    expect(answer.status).toBe(400);
    expect(answer.html).toContain('href="#onBehalf"');
    expect(answer.html).toContain('Dewiswch a ydych yn gwneud hyn ar ran rhywun arall');
    expect(await store.byComplainant(email)).toEqual([]);
  });

  it('still takes "no" with the revealed fields left empty, as a browser sends them', async () => {
    const email = uniqueEmail();

    const answer = await postForm('en', [
      ...residentFields(email),
      ['onBehalf', 'no'],
      ['onBehalfOf.name', ''],
      ['onBehalfOf.relationship', ''],
    ]);

    expect(answer.status).toBe(303);
    expect((await store.byComplainant(email)).map((c: CaseRecord) => c.onBehalfOf)).toEqual([undefined]);
  });

  it.each([
    ['an empty person', { onBehalfOf: {} }, 'onBehalfOf.name'],
    ['consent without a name', { onBehalfOf: { consent: true } }, 'onBehalfOf.name'],
    ['the form’s question instead of the person', { onBehalf: 'yes' }, 'onBehalf'],
  ])('answers a JSON post with %s 400 with a field error, storing nothing', async (_what, extra, field) => {
    const email = uniqueEmail();

    const answer = await postJson({
      kind: 'complaint',
      service: SERVICE,
      summary: SUMMARY,
      complainant: { name: 'Ada Resident', email },
      ...extra,
    });

    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body.errors as Record<string, string>)).toContain(field);
    expect(await store.byComplainant(email)).toEqual([]);
  });
});

describe('POST /complaints: reference numbers and replays', () => {
  /** The number of a reference (`CMP-2026-000123` → 123). */
  const numberOf = (reference: unknown) => Number(String(reference).split('-').at(-1));

  function complaint(email: string) {
    return {
      kind: 'complaint',
      service: SERVICE,
      summary: SUMMARY,
      complainant: { name: 'Ada Resident', email },
    };
  }

  it('uses no reference number for a replay: the next complaint has the next number', async () => {
    // Prepare
    const key = randomUUID();
    const sent = complaint(uniqueEmail());
    const first = await postJson(sent, { 'Idempotency-Key': key });

    // Act: the same complaint sent again three times (a client that did not hear the answer).
    const replays = [];
    for (let i = 0; i < 3; i++) replays.push(await postJson(sent, { 'Idempotency-Key': key }));
    const next = await postJson(complaint(uniqueEmail()), { 'Idempotency-Key': randomUUID() });

    // Assess
    expect(first.status).toBe(201);
    expect(replays.map((r) => [r.status, r.body.reference])).toEqual(
      Array(3).fill([200, first.body.reference]),
    );
    expect(numberOf(next.body.reference)).toBe(numberOf(first.body.reference) + 1);
  });

  it('uses none for replays that arrive together, nor for a key reused for other feedback', async () => {
    // Prepare
    const key = randomUUID();
    const sent = complaint(uniqueEmail());
    const first = await postJson(sent, { 'Idempotency-Key': key });

    // Act: five replays at once, then the key sent with a different complaint.
    const together = await Promise.all(
      Array.from({ length: 5 }, () => postJson(sent, { 'Idempotency-Key': key })),
    );
    const reused = await postJson(complaint(uniqueEmail()), { 'Idempotency-Key': key });
    const next = await postJson(complaint(uniqueEmail()), { 'Idempotency-Key': randomUUID() });

    // Assess
    expect(together.map((r) => r.body.reference)).toEqual(Array(5).fill(first.body.reference));
    expect(reused.status).toBe(422);
    expect(numberOf(next.body.reference)).toBe(numberOf(first.body.reference) + 1);
  });

  it('uses none for a form sent twice from the same page', async () => {
    // Prepare: the form page's token is the key; the same answers sent again find the first case.
    const { csrf, cookie } = await formSession('en');
    const body = new URLSearchParams([['csrf', csrf], ...residentFields(uniqueEmail()), ['onBehalf', 'no']]);
    const send = () =>
      fetch(`${gateway.url}/complaints`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html', Cookie: cookie },
        body: body.toString(),
      });
    const before = await postJson(complaint(uniqueEmail()), { 'Idempotency-Key': randomUUID() });

    // Act
    const once = await send();
    const twice = await send();
    const after = await postJson(complaint(uniqueEmail()), { 'Idempotency-Key': randomUUID() });

    // Assess: the form's case took one number, between the two.
    expect([once.status, twice.status]).toEqual([303, 303]);
    expect(numberOf(after.body.reference)).toBe(numberOf(before.body.reference) + 2);
  });
});

describe('POST /complaints: a designated complainant, whichever +tag they write', () => {
  const designation: Designation = {
    at: '2026-03-10T12:00:00.000Z',
    by: 'nominated.officer@council.example',
    reason: 'Twenty emails a day about the same closed matter.',
    restrictions: ['no-further-correspondence'],
    reviewBy: '2099-09-10',
  };
  const received: Omit<CaseEvent, 'caseId' | 'seq'> = {
    at: '2026-03-02T10:00:01.000Z',
    type: 'received',
    actor: 'resident',
    channel: 'online',
  };

  /** A case from `email`, designated by the nominated officer as the store records it. */
  async function designate(email: string): Promise<CaseRecord> {
    const posted = await postJson({
      kind: 'complaint',
      service: SERVICE,
      summary: SUMMARY,
      complainant: { name: 'Ada Resident', email },
    });
    const record = (await store.getByReference(String(posted.body.reference))) as CaseRecord;
    return store.update(record.caseId, record.version, {
      set: { designation },
      event: { ...received, at: '2026-03-10T12:00:00.000Z', type: 'designated', actor: designation.by },
    });
  }

  /** How intake routed a complaint from `email`. */
  async function routeOf(email: string): Promise<unknown> {
    const posted = await postJson({
      kind: 'complaint',
      service: SERVICE,
      summary: SUMMARY,
      complainant: { name: 'Ada Resident', email },
    });
    expect(posted.status).toBe(201);
    return (await store.getByReference(String(posted.body.reference)))?.triage.route;
  }

  it('finds a designation made under a tagged address from the plain address and from other tags', async () => {
    // Prepare
    const local = `ada.${randomUUID().slice(0, 8)}`;
    await designate(`${local}+council@example.org`);

    // Act and assess
    expect(await routeOf(`${local}@example.org`)).toBe('nominated-officer');
    expect(await routeOf(`${local}+other@example.org`)).toBe('nominated-officer');
    expect(await routeOf(` ${local.toUpperCase()}+Council@EXAMPLE.org `)).toBe('nominated-officer');
  });

  it('finds a designation made under the plain address from any tag', async () => {
    const local = `ada.${randomUUID().slice(0, 8)}`;
    await designate(`${local}@example.org`);

    expect(await routeOf(`${local}+x@example.org`)).toBe('nominated-officer');
    expect(await routeOf(`${local}+x+y@example.org`)).toBe('nominated-officer');
  });

  it('finds nobody else: another mailbox, another domain, or a lifted designation', async () => {
    const local = `ada.${randomUUID().slice(0, 8)}`;
    const designated = await designate(`${local}+council@example.org`);

    expect(await routeOf(`${local}x@example.org`)).toBe('handle');
    expect(await routeOf(`${local}@example.com`)).toBe('handle');
    await store.update(designated.caseId, designated.version, {
      set: { designation: { ...designation, liftedAt: '2026-04-01T09:00:00.000Z' } },
      event: {
        ...received,
        at: '2026-04-01T09:00:00.000Z',
        type: 'designation-lifted',
        actor: designation.by,
      },
    });
    expect(await routeOf(`${local}@example.org`)).toBe('handle');
    expect(await routeOf(`${local}+council@example.org`)).toBe('handle');
  });
});
