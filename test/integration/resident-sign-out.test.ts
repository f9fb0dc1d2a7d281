/**
 * Signing out of "check your complaint" ends the session everywhere, not only in the browser that
 * signed out: the API as the deployed handler wires it, on DynamoDB Local and the SES stand-in.
 * The session cookie is signed and self-contained (no session table), so a copy of it (another
 * tab, a saved request on a shared computer) worked until its hour was up; the sign-out is now
 * recorded in the case table and every resident page checks it.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { residentSignOutKey } from '../../functions/adapters/case-table.js';
import { resetAdapters } from '../../functions/app/container.js';
import { verifyLink } from '../../functions/domain/links.js';
import { RESIDENT_ABSOLUTE_MINUTES, sessionFromClaims } from '../../functions/domain/resident-access.js';
import { fetchStore } from '../../infra/local/stand-ins/ses.js';
import { apiEvent, formPost, jsonPost } from '../support/api-event.js';
import { type CaseTableOnStandIns, startCaseTable } from '../support/case-table.js';

let table: CaseTableOnStandIns;
let handler: (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
const context = { awsRequestId: 'resident-sign-out', getRemainingTimeInMillis: () => 30_000 } as Context;
const call = (event: APIGatewayProxyEvent) => handler(event, context);

beforeAll(async () => {
  table = await startCaseTable(['dynamodb', 'ses']);
  vi.stubEnv('CASE_TABLE', table.tableName);
  vi.stubEnv('REDRESS_POLICY', 'lgsco-code-2024');
  vi.stubEnv('PUBLIC_BASE_URL', 'https://complaints.example.gov.uk');
  vi.stubEnv('LINK_SECRET', 'b'.repeat(64));
  vi.stubEnv('MAIL_FROM', 'complaints@example.gov.uk');
  resetAdapters();
  ({ handler } = (await import('../../functions/handlers/api.js')) as unknown as { handler: typeof handler });
});

afterAll(async () => {
  resetAdapters();
  vi.unstubAllEnvs();
  await table?.stop();
});

let residents = 0;

/** A complaint sent through the API by a resident of its own; its reference and their address. */
async function complaint(): Promise<{ reference: string; email: string }> {
  const n = ++residents;
  const email = `signing-out-${n}@example.com`;
  const answer = await call({
    ...jsonPost(
      '/complaints',
      {
        kind: 'complaint',
        service: 'waste-recycling',
        summary: `My bin has not been collected for three weeks despite two reports (${n}).`,
        desiredOutcome: 'Collect the bin and tell me why it was missed.',
        complainant: { name: `Resident ${n}`, email },
      },
      { 'Idempotency-Key': `resident-sign-out-${n}` },
    ),
    requestContext: { identity: { sourceIp: `192.0.2.${n}` } } as APIGatewayProxyEvent['requestContext'],
  });
  expect(answer.statusCode).toBe(201);
  return { reference: (JSON.parse(answer.body) as { reference: string }).reference, email };
}

/** The session cookie a response sets, as a request's `Cookie` header. */
function sessionCookieOf(result: APIGatewayProxyResult): string {
  const set = (result.multiValueHeaders?.['Set-Cookie'] ?? []).map(String);
  const value = set.map((c) => /^redress_resident=([^;]*)/.exec(c)?.[1]).find((v) => v !== undefined);
  if (!value) throw new Error(`no session cookie in ${result.statusCode}: ${set.join(' | ')}`);
  return `redress_resident=${value}`;
}

/**
 * What a resident does to sign in: asks for a link with their reference and address, opens the
 * emailed link and presses Continue. The session cookie it gives.
 */
async function signIn(resident: { reference: string; email: string }): Promise<string> {
  const start = await call(apiEvent('GET', '/check', { headers: { Accept: 'text/html' } }));
  const csrf = /redress_check_csrf=([^;]+)/.exec(String(start.headers?.['Set-Cookie']))?.[1] as string;
  const before = (await fetchStore(table.standIns.ses?.endpoint ?? '')).length;
  const asked = await call({
    ...formPost('/check', { csrf, ...resident }, { Cookie: `redress_check_csrf=${csrf}` }),
    requestContext: { identity: { sourceIp: '198.51.100.7' } } as APIGatewayProxyEvent['requestContext'],
  });
  expect(asked.headers?.Location).toBe('/check/sent');
  const email = (await fetchStore(table.standIns.ses?.endpoint ?? ''))
    .slice(before)
    .find((e) => e.destination.to.includes(resident.email));
  const path = /https:\/\/complaints\.example\.gov\.uk(\/check\/sign-in\/[\w.-]+)/.exec(
    email?.body.text ?? '',
  )?.[1];
  if (!path) throw new Error(`no sign-in link emailed: ${email?.body.text}`);
  const page = await call(apiEvent('GET', path));
  const continued = await call(
    formPost(path, { csrf: /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '' }),
  );
  expect(continued.headers?.Location).toBe('/check/complaint');
  return sessionCookieOf(continued);
}

const statusPage = (cookie: string) =>
  call(apiEvent('GET', '/check/complaint', { headers: { Accept: 'text/html', Cookie: cookie } }));

const csrfOf = (page: APIGatewayProxyResult) => /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] as string;

describe('signing out of check your complaint', () => {
  it('refuses every copy of the signed-out session, and says so with how to sign in again', async () => {
    // Prepare: signed in; one tab keeps the cookie as it came, another the one a page refreshed.
    const resident = await complaint();
    const first = await signIn(resident);
    const page = await statusPage(first);
    expect(page.statusCode).toBe(200);
    const refreshed = sessionCookieOf(page);

    // Act: signs out in a third place (the refreshed cookie)
    const out = await call(formPost('/check/sign-out', { csrf: csrfOf(page) }, { Cookie: refreshed }));

    // Assess: neither copy opens the case, nor acts on it
    expect(out.headers?.Location).toBe('/check?signed-out');
    for (const copy of [first, refreshed]) {
      const again = await statusPage(copy);
      expect(again.statusCode, copy).toBe(303);
      expect(again.headers?.Location).toBe('/check?signed-out');
      expect(String(again.multiValueHeaders?.['Set-Cookie'])).toMatch(/^redress_resident=;.*Max-Age=0/);
      expect(again.body).not.toContain(resident.reference);
    }
    const stage2 = await call(
      formPost('/check/complaint/stage-2', { csrf: csrfOf(page), reasons: 'x' }, { Cookie: first }),
    );
    const letter = await call(
      apiEvent('GET', '/check/complaint/letters/acknowledgement', { headers: { Cookie: first } }),
    );
    const outAgain = await call(formPost('/check/sign-out', { csrf: csrfOf(page) }, { Cookie: first }));
    expect([stage2, letter, outAgain].map((r) => [r.statusCode, r.headers?.Location])).toEqual([
      [303, '/check?signed-out'],
      [303, '/check?signed-out'],
      [303, '/check?signed-out'],
    ]);
    // The page it is sent to says what happened and what to do, above the form for a new link.
    const told = await call(
      apiEvent('GET', '/check', { query: { 'signed-out': '' }, headers: { Accept: 'text/html' } }),
    );
    expect(told.statusCode).toBe(200);
    expect(told.body).toContain('You have signed out. Ask for a new link to check your complaint again.');
    expect(told.body).toContain('name="reference"');
  });

  it('ends only the session signed out of: another sign-in to the same case goes on', async () => {
    const resident = await complaint();
    const here = await signIn(resident);
    const elsewhere = await signIn(resident);
    const page = await statusPage(here);

    await call(formPost('/check/sign-out', { csrf: csrfOf(page) }, { Cookie: here }));

    expect((await statusPage(here)).statusCode).toBe(303);
    const other = await statusPage(elsewhere);
    expect(other.statusCode).toBe(200);
    expect(other.body).toContain(resident.reference);
  });

  it('keeps the sign-out as one item keyed by a hash of the session, expiring at the session’s end', async () => {
    const resident = await complaint();
    const signedInAt = Math.floor(Date.now() / 1000);
    const cookie = await signIn(resident);
    const page = await statusPage(cookie);
    const value = decodeURIComponent(cookie.slice('redress_resident='.length));
    const session = sessionFromClaims(verifyLink(value, ['b'.repeat(64)], new Date()));

    await call(formPost('/check/sign-out', { csrf: csrfOf(page) }, { Cookie: cookie }));

    const item = await table.item(residentSignOutKey(session?.id as string));
    expect(Object.keys(item ?? {}).sort()).toEqual(['PK', 'SK', 'entity', 'expiresAt']);
    expect(JSON.stringify(item)).not.toContain(session?.id);
    const end = (session?.startedAt as number) + RESIDENT_ABSOLUTE_MINUTES * 60;
    expect(end).toBeGreaterThanOrEqual(signedInAt + RESIDENT_ABSOLUTE_MINUTES * 60);
    expect(item?.expiresAt).toBeGreaterThan(end);
    expect(item?.expiresAt).toBeLessThanOrEqual(end + 5 * 60);
  });
});
