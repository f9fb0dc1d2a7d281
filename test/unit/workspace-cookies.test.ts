import type { APIGatewayProxyResult } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../functions/domain/policy.js';
import { apiEvent, formPost } from '../support/api-event.js';
import { FakeIdentityProvider } from '../support/fake-identity.js';
import { MemoryStaffStore } from '../support/memory-staff-store.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { workspaceApi, workspaceDeps } from '../support/workspace-api.js';

/**
 * The workspace's cookies (the sign-in's checks, then the session): each `HttpOnly`, `Secure` and
 * `SameSite=Lax`. Deployed on HTTPS they carry the `__Host-` prefix, so the browser keeps them only
 * from this host, over HTTPS, for the whole origin (`Path=/`), and no other site of the council's
 * domain can plant one; on `npm start` (plain http on 127.0.0.1, where a browser refuses prefixed
 * names) they keep their plain names, scoped to the workspace's path.
 */

const policy = loadPolicy('lgsco-code-2024');
const now = () => new Date('2026-03-03T10:00:00Z');
const claims = {
  sub: 'casey',
  email: 'casey.morgan@example.gov.uk',
  name: 'Casey Morgan',
  groups: ['complaints-team'],
};

function setCookies(result: APIGatewayProxyResult): string[] {
  return (result.multiValueHeaders?.['Set-Cookie'] ?? []).map(String);
}

/** Attributes of a `Set-Cookie` value, by lower-case name (`httponly` → true). */
function attributes(value: string): { name: string; value: string; attrs: Record<string, string | true> } {
  const [pair = '', ...rest] = value.split(';').map((p) => p.trim());
  const [name = '', ...v] = pair.split('=');
  const attrs: Record<string, string | true> = {};
  for (const a of rest) {
    const [k = '', ...val] = a.split('=');
    attrs[k.toLowerCase()] = val.length ? val.join('=') : true;
  }
  return { name, value: v.join('='), attrs };
}

/** Signs in through the sign-in and callback routes; the cookies each set, and the session cookie. */
async function signIn(baseUrl: string) {
  const staffStore = new MemoryStaffStore();
  const deps = workspaceDeps({
    store: new MemoryCaseStore() as never,
    staffStore,
    policy,
    now,
    baseUrl,
    identity: new FakeIdentityProvider(claims),
  });
  const api = workspaceApi(deps);
  const started = await api(apiEvent('GET', '/staff/sign-in', { headers: { Accept: 'text/html' } }));
  const signInCookie = attributes(setCookies(started)[0] ?? '');
  const back = await api(
    apiEvent('GET', '/staff/callback', {
      headers: { Accept: 'text/html', Cookie: `${signInCookie.name}=${signInCookie.value}` },
      query: { code: 'code-1', state: 'state-1' },
    }),
  );
  return { api, started, back, signInCookie };
}

describe('the workspace’s cookies on an HTTPS deployment', () => {
  it('names the sign-in and session cookies with __Host-, for the whole origin, Secure, HttpOnly and Lax', async () => {
    const { started, back, signInCookie } = await signIn('https://complaints.example.gov.uk');

    expect(started.statusCode).toBe(302);
    expect(signInCookie.name).toBe('__Host-redress_signin');
    expect(back.statusCode).toBe(303);
    const [session, cleared] = setCookies(back).map(attributes);
    expect(session?.name).toBe('__Host-redress_staff');
    expect(cleared?.name).toBe('__Host-redress_signin');
    expect(cleared?.attrs['max-age']).toBe('0');
    for (const c of [signInCookie, session, cleared]) {
      expect(c?.attrs).toMatchObject({ path: '/', secure: true, httponly: true, samesite: 'Lax' });
      expect(c?.attrs.domain).toBeUndefined();
    }
  });

  it('takes the session only from the prefixed cookie, not from one of the plain name', async () => {
    const { api, back } = await signIn('https://complaints.example.gov.uk');
    const session = attributes(setCookies(back)[0] ?? '');

    const withPrefix = await api(
      apiEvent('GET', '/staff/record', {
        headers: { Accept: 'text/html', Cookie: `${session.name}=${session.value}` },
      }),
    );
    const plain = await api(
      apiEvent('GET', '/staff/record', {
        headers: { Accept: 'text/html', Cookie: `redress_staff=${session.value}` },
      }),
    );

    expect(withPrefix.statusCode).toBe(200);
    expect(plain.statusCode).toBe(303);
    expect(plain.headers?.Location).toMatch(/\/staff\/sign-in/);
  });

  it('clears the prefixed session cookie on signing out', async () => {
    const { api, back } = await signIn('https://complaints.example.gov.uk');
    const session = attributes(setCookies(back)[0] ?? '');
    const page = await api(
      apiEvent('GET', '/staff/record', {
        headers: { Accept: 'text/html', Cookie: `${session.name}=${session.value}` },
      }),
    );
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';

    const out = await api(
      formPost('/staff/sign-out', { csrf }, { Cookie: `${session.name}=${session.value}` }),
    );

    const cleared = attributes(setCookies(out)[0] ?? '');
    expect(cleared.name).toBe('__Host-redress_staff');
    expect(cleared.attrs).toMatchObject({ path: '/', 'max-age': '0', secure: true });
  });
});

describe('the workspace’s cookies on npm start (plain http on this machine)', () => {
  it('keeps the plain names, scoped to the workspace, still Secure, HttpOnly and Lax', async () => {
    const { back, signInCookie } = await signIn('http://127.0.0.1:3000');

    expect(signInCookie.name).toBe('redress_signin');
    const [session] = setCookies(back).map(attributes);
    expect(session?.name).toBe('redress_staff');
    for (const c of [signInCookie, session]) {
      expect(c?.attrs).toMatchObject({ path: '/staff', secure: true, httponly: true, samesite: 'Lax' });
    }
  });
});
