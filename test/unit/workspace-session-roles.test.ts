import type { APIGatewayProxyResult } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { ROLES_FRESH_MINUTES } from '../../functions/app/staff-session.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { apiEvent, formPost } from '../support/api-event.js';
import { FakeIdentityProvider } from '../support/fake-identity.js';
import { MemoryStaffStore } from '../support/memory-staff-store.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { openCase } from '../support/open-case.js';
import { workspaceApi, workspaceDeps } from '../support/workspace-api.js';

/**
 * A session's roles are the identity provider's, re-read while it lasts: a member of staff taken
 * out of a group, or disabled, loses what the group gave within `ROLES_FRESH_MINUTES`, not at the
 * end of a ten-hour session. The roles are read again with the session's refresh token (as
 * Cognito gives a new ID token, with the groups as they are now); the provider is not asked on
 * every page.
 */

const policy = loadPolicy('lgsco-code-2024');
const START = new Date('2026-03-03T10:00:00Z').getTime();
const minutes = (n: number) => new Date(START + n * 60_000);

let clock: Date;
let store: MemoryCaseStore;
let staffStore: MemoryStaffStore;
let identity: FakeIdentityProvider;
let api: ReturnType<typeof workspaceApi>;

beforeEach(async () => {
  clock = minutes(0);
  store = new MemoryCaseStore();
  staffStore = new MemoryStaffStore();
  identity = new FakeIdentityProvider({
    sub: 'casey',
    email: 'casey.morgan@example.gov.uk',
    name: 'Casey Morgan',
    groups: ['complaints-team'],
  });
  // A highways case: the complaints team may act on it, an officer of waste and recycling may not.
  await store.create(openCase('case-1', { service: 'highways' }), {
    at: '2026-03-02T09:00:00.000Z',
    type: 'received',
    actor: 'resident',
  });
  api = workspaceApi(
    workspaceDeps({
      store: store as never,
      staffStore,
      policy,
      now: () => clock,
      sessionClock: () => clock,
      identity,
    }),
  );
});

function setCookies(result: APIGatewayProxyResult): string[] {
  return (result.multiValueHeaders?.['Set-Cookie'] ?? []).map(String);
}

/** Signs in through the routes, as a browser does: the session's cookie and its anti-forgery token. */
async function signIn(): Promise<{ cookie: string; csrf: string }> {
  const started = await api(apiEvent('GET', '/staff/sign-in', { headers: { Accept: 'text/html' } }));
  const signInCookie = (setCookies(started)[0] ?? '').split(';')[0] as string;
  const back = await api(
    apiEvent('GET', '/staff/callback', {
      headers: { Accept: 'text/html', Cookie: signInCookie },
      query: { code: 'code-1', state: 'state-1' },
    }),
  );
  const cookie = (setCookies(back)[0] ?? '').split(';')[0] as string;
  const page = await api(
    apiEvent('GET', '/staff/record', { headers: { Accept: 'text/html', Cookie: cookie } }),
  );
  return { cookie, csrf: /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '' };
}

function addNote(s: { cookie: string; csrf: string }, note: string) {
  return api(formPost('/staff/cases/CMP-2026-000001/note', { csrf: s.csrf, note }, { Cookie: s.cookie }));
}

function readPage(s: { cookie: string }) {
  return api(apiEvent('GET', '/staff/record', { headers: { Accept: 'text/html', Cookie: s.cookie } }));
}

describe('a session’s roles', () => {
  it('are taken away within the bound: moved from the complaints team to waste, Casey can no longer act on a highways case', async () => {
    const s = await signIn();
    expect((await addNote(s, 'Called the resident back')).statusCode).toBe(303);

    identity.claims = { ...identity.claims, groups: ['officer-waste-recycling'] };
    clock = minutes(ROLES_FRESH_MINUTES + 1);
    const refused = await addNote(s, 'A note after the move');

    expect(refused.statusCode).toBe(403);
    const notes = (await store.events('case-1')).filter((e) => e.type === 'note-added');
    expect(notes).toHaveLength(1);
    // The page says who is signed in with the roles they have now.
    expect(refused.body).toContain('Signed in as Casey Morgan');
  });

  it('are not asked for again on every page within the bound', async () => {
    const s = await signIn();
    clock = minutes(ROLES_FRESH_MINUTES - 1);

    expect((await readPage(s)).statusCode).toBe(200);
    expect((await addNote(s, 'Within the bound')).statusCode).toBe(303);
    expect(identity.refreshes).toBe(0);
  });

  it('end the session of someone left in no group of the workspace, saying why', async () => {
    const s = await signIn();
    identity.claims = { ...identity.claims, groups: [] };
    clock = minutes(ROLES_FRESH_MINUTES + 1);

    const refused = await readPage(s);

    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('not in any group of the complaints workspace');
    clock = minutes(ROLES_FRESH_MINUTES + 2);
    identity.claims = { ...identity.claims, groups: ['complaints-team'] };
    // The session is gone: even with the group back, a new sign-in is needed.
    expect((await readPage(s)).statusCode).toBe(303);
  });

  it('end the session of someone the provider no longer lets in (disabled), sending them to sign in', async () => {
    const s = await signIn();
    identity.disabled = true;
    clock = minutes(ROLES_FRESH_MINUTES + 1);

    const result = await addNote(s, 'After being disabled');

    expect(result.statusCode).toBe(303);
    expect(result.headers?.Location).toMatch(/\/staff\/sign-in/);
    expect((await store.events('case-1')).filter((e) => e.type === 'note-added')).toHaveLength(0);
  });

  it('end a session that has no refresh token to re-read them with (one from before they were re-read)', async () => {
    const s = await signIn();
    for (const session of await staffStore.allSessions()) {
      const { refreshToken: _gone, ...rest } = session;
      await staffStore.putSession(rest, minutes(600).toISOString());
    }
    clock = minutes(ROLES_FRESH_MINUTES + 1);

    const result = await readPage(s);

    expect(result.statusCode).toBe(303);
    expect(result.headers?.Location).toMatch(/\/staff\/sign-in/);
  });
});
