/**
 * Signing out of the staff workspace against DynamoDB Local and the real OpenID Connect provider
 * of `npm start` (`oidc-provider`), running and then stopped: the workspace's session ends in the
 * table whatever the provider does, and an officer whose sign-out the provider cannot confirm is
 * told so on the signed-out page, never shown an error. Then a copy of an ended session's cookie,
 * or an expired session, is sent to sign in with the reason, and told it in fixed words.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbStaffStore } from '../../functions/adapters/dynamodb-staff-store.js';
import { OidcIdentityProvider } from '../../functions/adapters/oidc-sign-in.js';
import { ROLES_FRESH_MINUTES } from '../../functions/app/staff-session.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { exampleStaff, LOCAL_CLIENT_ID, startOidcProvider } from '../../infra/local/stand-ins/oidc.js';
import { apiEvent, formPost } from '../support/api-event.js';
import { type CaseTableOnStandIns, startCaseTable } from '../support/case-table.js';
import { TEAM } from '../support/staff-members.js';
import { staffSession, workspaceApi, workspaceDeps } from '../support/workspace-api.js';

const policy = loadPolicy('lgsco-code-2024');
/** The workspace's address, as `npm start` serves it (the provider's return addresses are under it). */
const APP = 'http://127.0.0.1:3998';
const NOW = new Date('2026-03-04T10:00:00Z');

let table: CaseTableOnStandIns;
let staffStore: DynamoDbStaffStore;
let dir: string;
let runningIssuer: string;
let stoppedIssuer: string;

/** The workspace's API with a provider at `issuer`, as a fresh Lambda container has it (no discovery yet). */
function api(issuer: string, sessionNow = NOW) {
  const deps = workspaceDeps({
    store: table.store,
    staffStore,
    policy,
    now: () => NOW,
    sessionClock: () => sessionNow,
    identity: new OidcIdentityProvider({ issuer, clientId: LOCAL_CLIENT_ID }),
    baseUrl: APP,
  });
  return workspaceApi(deps);
}

describe('signing out of the staff workspace', () => {
  beforeAll(async () => {
    table = await startCaseTable(['dynamodb']);
    staffStore = new DynamoDbStaffStore({ tableName: table.tableName });
    dir = mkdtempSync(join(tmpdir(), 'redress-sign-out-'));
    const users = exampleStaff(policy, join(dir, 'passwords.json'));
    const running = await startOidcProvider({ appBaseUrl: APP, users });
    runningIssuer = running.issuer;
    // A provider that was there and is no more: nothing listens at its address.
    const stopped = await startOidcProvider({ appBaseUrl: APP, users });
    stoppedIssuer = stopped.issuer;
    await stopped.stop();
    stopRunning = () => running.stop();
  }, 120_000);

  let stopRunning: () => Promise<void> = async () => {};
  afterAll(async () => {
    await stopRunning();
    await table?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ends the session and sends the browser on to the provider’s sign-out page when it answers', async () => {
    const s = await staffSession(staffStore, TEAM, NOW, APP);

    const out = await api(runningIssuer)(formPost('/staff/sign-out', { csrf: s.csrf }, { Cookie: s.cookie }));

    expect(out.statusCode).toBe(303);
    expect(out.headers?.Location).toMatch(new RegExp(`^${runningIssuer}/`));
    expect(await staffStore.getSession(s.id)).toBeUndefined();
  });

  it('ends the session and says so when the provider cannot be reached, saying its sign-out is not confirmed', async () => {
    // Prepare
    const s = await staffSession(staffStore, TEAM, NOW, APP);
    const call = api(stoppedIssuer);

    // Act
    const out = await call(formPost('/staff/sign-out', { csrf: s.csrf }, { Cookie: s.cookie }));
    const page = await call(
      apiEvent('GET', new URL(String(out.headers?.Location), APP).pathname, {
        headers: { Accept: 'text/html' },
        query: Object.fromEntries(new URL(String(out.headers?.Location), APP).searchParams),
      }),
    );

    // Assess: signed out of Redress, on the workspace's own page, told what could not be confirmed
    expect(out.statusCode).toBe(303);
    expect(out.headers?.Location).toBe('/staff/signed-out?provider=unconfirmed');
    expect(out.multiValueHeaders?.['Set-Cookie']?.[0]).toMatch(/^redress_staff=;.*Max-Age=0/);
    expect(await staffStore.getSession(s.id)).toBeUndefined();
    expect(page.statusCode).toBe(200);
    const text = page.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('You have signed out of the complaints workspace.');
    expect(text).toContain('We could not confirm that you have also signed out of your council account.');
    expect(text).toContain('If you are using a shared computer, close all browser windows.');
  });

  it('ends a session whose roles are due to be read again when the provider cannot be reached', async () => {
    // Prepare: a session signed in more than five minutes ago, its roles due to be read again
    // with its refresh token
    const s = await staffSession(staffStore, TEAM, NOW, APP);
    const stored = await staffStore.getSession(s.id);
    await staffStore.putSession(
      { ...(stored as NonNullable<typeof stored>), idToken: 'id-token', refreshToken: 'refresh-token' },
      new Date(NOW.getTime() + 3_600_000).toISOString(),
    );
    const later = new Date(NOW.getTime() + (ROLES_FRESH_MINUTES + 1) * 60_000);

    // Act
    const out = await api(
      stoppedIssuer,
      later,
    )(formPost('/staff/sign-out', { csrf: s.csrf }, { Cookie: s.cookie }));

    // Assess
    expect(out.statusCode).toBe(303);
    expect(out.headers?.Location).toBe('/staff/signed-out?provider=unconfirmed');
    expect(await staffStore.getSession(s.id)).toBeUndefined();
  });

  it('shows the plain signed-out page for any other address of it', async () => {
    const page = await api(stoppedIssuer)(
      apiEvent('GET', '/staff/signed-out', {
        headers: { Accept: 'text/html' },
        query: { provider: '<script>alert(1)</script>' },
      }),
    );

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('You have signed out of the complaints workspace.');
    expect(page.body).not.toContain('could not confirm');
    expect(page.body).not.toContain('<script>alert');
  });

  it('tells a copy of a signed-out session’s cookie that it was signed out, before going to the provider', async () => {
    // Prepare: the cookie kept in a second tab when the first signed out
    const s = await staffSession(staffStore, TEAM, NOW, APP);
    const call = api(runningIssuer);
    await call(formPost('/staff/sign-out', { csrf: s.csrf }, { Cookie: s.cookie }));

    // Act
    const copy = await call(
      apiEvent('GET', '/staff', { headers: { Accept: 'text/html', Cookie: s.cookie } }),
    );
    const start = await call(get(String(copy.headers?.Location)));

    // Assess: told in the workspace's words, with the way on to the provider
    expect(copy.statusCode).toBe(303);
    expect(copy.headers?.Location).toBe('/staff/sign-in?return=%2Fstaff&reason=signed-out');
    expect(start.statusCode).toBe(200);
    expect(textOf(start.body)).toContain('You have been signed out');
    expect(textOf(start.body)).toContain(
      'You are no longer signed in to the complaints workspace. You may have signed out in another window or tab.',
    );
    expect(start.body).toContain('href="/staff/sign-in?return=%2Fstaff"');
  });

  it('tells an expired session why it ended, and goes back to the page asked for', async () => {
    const s = await staffSession(staffStore, TEAM, NOW, APP);
    const call = api(runningIssuer, new Date(NOW.getTime() + 31 * 60_000));

    const expired = await call(get(`/staff/cases/ABC-123`, s.cookie));
    const start = await call(get(String(expired.headers?.Location)));

    expect(expired.headers?.Location).toBe('/staff/sign-in?return=%2Fstaff%2Fcases%2FABC-123&reason=expired');
    expect(start.statusCode).toBe(200);
    expect(textOf(start.body)).toContain(
      'For your security, you are signed out of the complaints workspace after 30 minutes without using it, and 10 hours after you signed in.',
    );
    expect(start.body).toContain('href="/staff/sign-in?return=%2Fstaff%2Fcases%2FABC-123"');
  });

  it('goes straight to the provider for a reason it does not know, and never back to another site', async () => {
    const call = api(runningIssuer);

    const unknown = await call(get('/staff/sign-in?return=%2Fstaff&reason=%3Cb%3Ehacked%3C%2Fb%3E'));
    const elsewhere = await call(get('/staff/sign-in?return=https%3A%2F%2Fevil.example%2F&reason=expired'));

    expect(unknown.statusCode).toBe(302);
    expect(unknown.headers?.Location).toMatch(new RegExp(`^${runningIssuer}/`));
    expect(unknown.body).not.toContain('hacked');
    expect(elsewhere.statusCode).toBe(200);
    expect(elsewhere.body).toContain('href="/staff/sign-in?return=%2Fstaff"');
    expect(elsewhere.body).not.toContain('evil.example');
  });
});

/** A GET of a page of the workspace, at an address with its query (`path?query`). */
function get(address: string, cookie?: string) {
  const url = new URL(address, APP);
  return apiEvent('GET', url.pathname, {
    headers: { Accept: 'text/html', ...(cookie ? { Cookie: cookie } : {}) },
    query: Object.fromEntries(url.searchParams),
  });
}

/** A page's words, without its markup. */
function textOf(body: string): string {
  return body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}
