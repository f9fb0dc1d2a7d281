import type { Configuration } from 'openid-client';
import { retryableErrorFor, ServiceUnavailableError } from './errors.js';

/**
 * Staff sign-in with OpenID Connect through `openid-client`: the authorization code flow with
 * PKCE, state and nonce, against Cognito's user pool on AWS (or the council's own provider
 * federated through it) and against the local provider of `npm start`. The workspace is a public
 * client (no secret to keep or rotate): PKCE binds the code to the browser that asked for it.
 */
export interface OidcSettings {
  /** The issuer, e.g. `https://cognito-idp.eu-west-2.amazonaws.com/<pool id>`. */
  issuer: string;
  clientId: string;
  /**
   * Where to send the browser to sign out of the provider too, when its discovery document has no
   * `end_session_endpoint` (Cognito's `/logout` address, built by the CDK stack).
   */
  logoutUrl?: string;
}

/** What the sign-in must remember between sending the browser away and its return. */
export interface SignInChecks {
  state: string;
  nonce: string;
  verifier: string;
}

/** The provider refused the sign-in, or its answer did not check out (state, nonce, signature). */
export class SignInFailedError extends Error {
  override name = 'SignInFailedError';
}

/** What a sign-in, or a refresh, gives: the ID token and its claims, and a refresh token if new. */
export interface SignedInTokens {
  claims: Record<string, unknown>;
  idToken: string;
  /** Cognito gives one at sign-in and keeps it (unless rotation is on); a refresh may give a new one. */
  refreshToken?: string;
}

/** The identity provider, as the workspace uses it. */
export interface IdentityProvider {
  /** Where to send the browser to sign in, and the checks its return must pass. */
  signInUrl(redirectUri: string): Promise<{ url: string; checks: SignInChecks }>;
  /** Redeems the code of the return address; the ID token's claims, or `SignInFailedError`. */
  complete(currentUrl: URL, checks: SignInChecks): Promise<SignedInTokens>;
  /**
   * The person's claims as they are now, from a new ID token got with the refresh token of the
   * sign-in; `SignInFailedError` when the provider refuses it (the account disabled, signed out
   * everywhere, or the token expired).
   */
  refresh(refreshToken: string): Promise<SignedInTokens>;
  /** Where to send the browser to end its session at the provider; undefined when it has no such page. */
  signOutUrl(idToken: string | undefined, returnTo: string): Promise<string | undefined>;
  /** Origins the sign-out may redirect a form post to (for the pages' `form-action`). */
  signOutOrigins(): string[];
}

/**
 * Only a provider on this machine (`npm start`) may be plain http: openid-client refuses it
 * otherwise, and so should we.
 */
function isLoopback(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/**
 * openid-client, imported on the first sign-in: the API serves residents far more often than
 * staff signing in, and its cold start would otherwise load the client and its JOSE code.
 */
const openidClient = () => import('openid-client');

export class OidcIdentityProvider implements IdentityProvider {
  private config: Promise<Configuration> | undefined;

  constructor(private readonly settings: OidcSettings) {}

  /** Discovery once per container; a failure is not kept, so the next request tries again. */
  private configuration(): Promise<Configuration> {
    if (!this.config) {
      const issuer = new URL(this.settings.issuer);
      this.config = openidClient()
        .then((oidc) =>
          oidc.discovery(issuer, this.settings.clientId, undefined, oidc.None(), {
            ...(isLoopback(issuer) ? { execute: [oidc.allowInsecureRequests] } : {}),
            timeout: 5,
          }),
        )
        .catch((error: unknown) => {
          this.config = undefined;
          // Whatever stops discovery (no answer, a 5xx, a bad document), sign-in cannot work now.
          throw new ServiceUnavailableError('identity provider discovery failed', { cause: error });
        });
    }
    return this.config;
  }

  async signInUrl(redirectUri: string): Promise<{ url: string; checks: SignInChecks }> {
    const config = await this.configuration();
    const oidc = await openidClient();
    const checks: SignInChecks = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      verifier: oidc.randomPKCECodeVerifier(),
    };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(checks.verifier),
      code_challenge_method: 'S256',
      state: checks.state,
      nonce: checks.nonce,
    });
    return { url: url.href, checks };
  }

  async complete(currentUrl: URL, checks: SignInChecks): Promise<SignedInTokens> {
    const config = await this.configuration();
    const oidc = await openidClient();
    return this.tokens(() =>
      oidc.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: checks.verifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      }),
    );
  }

  async refresh(refreshToken: string): Promise<SignedInTokens> {
    const config = await this.configuration();
    const oidc = await openidClient();
    return this.tokens(() => oidc.refreshTokenGrant(config, refreshToken));
  }

  /** A token request's answer as the workspace keeps it; a refusal as `SignInFailedError`. */
  private async tokens(
    request: () => Promise<
      import('openid-client').TokenEndpointResponse & import('openid-client').TokenEndpointResponseHelpers
    >,
  ): Promise<SignedInTokens> {
    try {
      const tokens = await request();
      const claims = tokens.claims();
      if (!claims || !tokens.id_token) throw new SignInFailedError('The sign-in gave no ID token');
      return {
        claims: { ...claims },
        idToken: tokens.id_token,
        ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
      };
    } catch (error: unknown) {
      if (error instanceof SignInFailedError) throw error;
      const retryable = retryableErrorFor(error, 'identity provider token');
      if (retryable) throw retryable;
      // openid-client's errors for a refused or forged answer (state, nonce, signature, `error=`,
      // `invalid_grant` for a refresh token of an account disabled or signed out everywhere).
      if (error instanceof Error)
        throw new SignInFailedError(`Sign-in failed: ${error.name}`, { cause: error });
      throw error;
    }
  }

  signOutOrigins(): string[] {
    const origins = [new URL(this.settings.issuer).origin];
    if (this.settings.logoutUrl) origins.push(new URL(this.settings.logoutUrl).origin);
    return [...new Set(origins)];
  }

  async signOutUrl(idToken: string | undefined, returnTo: string): Promise<string | undefined> {
    if (this.settings.logoutUrl) return this.settings.logoutUrl;
    const config = await this.configuration();
    if (!config.serverMetadata().end_session_endpoint) return undefined;
    const oidc = await openidClient();
    return oidc.buildEndSessionUrl(config, {
      post_logout_redirect_uri: returnTo,
      ...(idToken ? { id_token_hint: idToken } : {}),
    }).href;
  }
}
