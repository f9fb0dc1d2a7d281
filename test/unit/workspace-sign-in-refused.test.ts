import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../functions/domain/policy.js';
import { apiEvent } from '../support/api-event.js';
import { FakeIdentityProvider } from '../support/fake-identity.js';
import { MemoryStaffStore } from '../support/memory-staff-store.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { workspaceApi, workspaceDeps } from '../support/workspace-api.js';

/**
 * The identity provider sends the browser back with an OAuth error instead of a code (RFC 6749
 * §4.1.2.1): the person refused, or the provider would not let them in. They are told that, not
 * that the sign-in took too long, and no session is made.
 */

const policy = loadPolicy('lgsco-code-2024');

function api() {
  return workspaceApi(
    workspaceDeps({
      store: new MemoryCaseStore() as never,
      staffStore: new MemoryStaffStore(),
      policy,
      now: () => new Date('2026-03-03T10:00:00Z'),
      baseUrl: 'https://complaints.example.gov.uk',
      identity: new FakeIdentityProvider({
        sub: 'casey',
        email: 'casey.morgan@example.gov.uk',
        name: 'Casey Morgan',
        groups: ['complaints-team'],
      }),
    }),
  );
}

describe('a sign-in the identity provider refused', () => {
  it.each([
    ['with the sign-in cookie', true],
    ['without it (another browser, or the cookie gone)', false],
  ])('says the sign-in was refused (%s), with a way to try again', async (_, withCookie) => {
    const workspace = api();
    const started = await workspace(apiEvent('GET', '/staff/sign-in', { headers: { Accept: 'text/html' } }));
    const cookie = String(started.multiValueHeaders?.['Set-Cookie']?.[0] ?? '').split(';')[0] ?? '';

    const back = await workspace(
      apiEvent('GET', '/staff/callback', {
        headers: { Accept: 'text/html', ...(withCookie ? { Cookie: cookie } : {}) },
        query: { error: 'access_denied', error_description: 'User is disabled.', state: 'state-1' },
      }),
    );

    expect(back.statusCode).toBe(403);
    expect(back.body).toContain('The sign-in was refused');
    expect(back.body).not.toContain('took too long');
    expect(back.body).not.toContain('User is disabled.');
    expect(back.body).toContain('/staff/sign-in');
    expect(back.multiValueHeaders?.['Set-Cookie'] ?? []).not.toEqual(
      expect.arrayContaining([expect.stringContaining('redress_staff=')]),
    );
  });

  it('says any other error from the provider plainly, as a 400', async () => {
    const back = await api()(
      apiEvent('GET', '/staff/callback', {
        headers: { Accept: 'text/html' },
        query: { error: 'server_error', state: 'state-1' },
      }),
    );

    expect(back.statusCode).toBe(400);
    expect(back.body).toContain('The sign-in could not be completed');
    expect(back.body).not.toContain('took too long');
  });
});
