/**
 * The workspace's sign-in adapter against the real OpenID Connect provider of `npm start`
 * (`oidc-provider`), as Cognito behaves: a sign-in gives a refresh token, and a refresh gives a
 * new ID token with the person's groups as they are now; a refresh token the provider no longer
 * honours (the account gone) is refused with `SignInFailedError`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OidcIdentityProvider, SignInFailedError } from '../../functions/adapters/oidc-sign-in.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import {
  type ExampleStaff,
  exampleStaff,
  LOCAL_CLIENT_ID,
  type RunningOidc,
  startOidcProvider,
} from '../../infra/local/stand-ins/oidc.js';

const APP = 'http://127.0.0.1:3999';
let dir: string;
let oidc: RunningOidc;
let users: ExampleStaff[];
let identity: OidcIdentityProvider;

/** A browser's cookies for the provider's origin, kept across its redirects. */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const c of response.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const [name = '', ...value] = pair.split('=');
      this.cookies.set(name, value.join('='));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** Signs `user` in through the provider's pages, as a browser does; the return address it sends back to. */
async function signIn(user: ExampleStaff) {
  const { url, checks } = await identity.signInUrl(`${APP}/staff/callback`);
  const jar = new Jar();
  let next = url;
  for (let hop = 0; hop < 10; hop += 1) {
    if (next.startsWith(APP)) return { returned: new URL(next), checks };
    const login = /\/interaction\/([\w-]+)$/.exec(new URL(next).pathname);
    const response = login
      ? await fetch(`${oidc.issuer}/interaction/${login[1]}/login`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: jar.header() },
          body: new URLSearchParams({ username: user.username, password: user.password }).toString(),
        })
      : await fetch(next, { redirect: 'manual', headers: { Cookie: jar.header() } });
    jar.take(response);
    const location = response.headers.get('location');
    if (!location) throw new Error(`the provider answered ${response.status} at ${next}`);
    next = new URL(location, next).href;
  }
  throw new Error('too many redirects');
}

describe('the sign-in adapter against the local provider', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redress-oidc-'));
    users = exampleStaff(loadPolicy('lgsco-code-2024'), join(dir, 'passwords.json'));
    oidc = await startOidcProvider({ appBaseUrl: APP, users });
    identity = new OidcIdentityProvider({ issuer: oidc.issuer, clientId: LOCAL_CLIENT_ID });
  });

  afterAll(async () => {
    await oidc?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives a refresh token at sign-in, and the groups as they are now on a refresh', async () => {
    const casey = users.find((u) => u.username === 'casey') as ExampleStaff;
    const { returned, checks } = await signIn(casey);

    const signedIn = await identity.complete(returned, checks);
    expect(signedIn.claims.groups).toEqual(['complaints-team']);
    expect(signedIn.refreshToken).toEqual(expect.any(String));

    casey.groups = ['officer-waste-recycling'];
    const refreshed = await identity.refresh(signedIn.refreshToken as string);

    expect(refreshed.claims.sub).toBe('casey');
    expect(refreshed.claims.groups).toEqual(['officer-waste-recycling']);
    expect(refreshed.idToken).not.toBe(signedIn.idToken);
    // Not rotated, as Cognito's: the same token serves again.
    expect((await identity.refresh(signedIn.refreshToken as string)).claims.groups).toEqual([
      'officer-waste-recycling',
    ]);
  });

  it('refuses a refresh token it never gave with SignInFailedError', async () => {
    await expect(identity.refresh('not-a-refresh-token')).rejects.toBeInstanceOf(SignInFailedError);
  });
});
