import {
  type IdentityProvider,
  type SignInChecks,
  SignInFailedError,
} from '../../functions/adapters/oidc-sign-in.js';

/**
 * An identity provider in memory, for tests of the workspace's sessions without a network: it
 * signs in whoever `claims` describes, and answers a refresh with the claims as they are then
 * (a test changes `claims` to move someone out of a role, or sets `disabled`).
 */
export class FakeIdentityProvider implements IdentityProvider {
  disabled = false;
  refreshes = 0;

  constructor(public claims: Record<string, unknown>) {}

  async signInUrl(redirectUri: string): Promise<{ url: string; checks: SignInChecks }> {
    const checks = { state: 'state-1', nonce: 'nonce-1', verifier: 'verifier-1' };
    return { url: `https://sign-in.example.gov.uk/authorize?redirect_uri=${redirectUri}`, checks };
  }

  async complete(): Promise<{ claims: Record<string, unknown>; idToken: string; refreshToken?: string }> {
    return { claims: { ...this.claims }, idToken: 'id-token-1', refreshToken: 'refresh-token-1' };
  }

  /** The claims as they are now; refused (as a provider refuses a disabled account) when `disabled`. */
  async refresh(refreshToken: string): Promise<{ claims: Record<string, unknown>; idToken: string }> {
    this.refreshes += 1;
    if (this.disabled || refreshToken !== 'refresh-token-1') {
      throw new SignInFailedError('The provider refused the refresh token');
    }
    return { claims: { ...this.claims }, idToken: `id-token-${this.refreshes + 1}` };
  }

  async signOutUrl(): Promise<string | undefined> {
    return undefined;
  }

  signOutOrigins(): string[] {
    return ['https://sign-in.example.gov.uk'];
  }
}
