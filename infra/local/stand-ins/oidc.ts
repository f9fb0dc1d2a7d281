/**
 * A real OpenID Connect provider for `npm start` (`oidc-provider`, certified by the OpenID
 * Foundation), standing in for the Cognito user pool of the deployment: the workspace signs in
 * through it with the same code flow, PKCE and ID token checks. Its example staff, one per role,
 * get passwords made once per data directory; `npm start` prints them. Only the sign-in and
 * sign-out pages are written here, in the GOV.UK style of the service.
 */
import { generateKeyPairSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Policy } from '../../../functions/domain/policy-schema.js';
import {
  OFFICER_GROUP_PREFIX,
  ROLE_GROUPS,
  ROLE_NAMES,
  type StaffRole,
} from '../../../functions/domain/staff.js';
import { resolveAsset } from '../../../functions/web/assets.js';
import { type RunningStandIn, StandInStartError } from './types.js';

/** The workspace's client id at the local provider (and the default on AWS's app client). */
export const LOCAL_CLIENT_ID = 'redress-workspace';

/** One example member of staff. */
export interface ExampleStaff {
  username: string;
  password: string;
  name: string;
  email: string;
  groups: string[];
  /** How `npm start` names the role, e.g. `complaints team`, `officer (Waste and recycling)`. */
  role: string;
}

export interface RunningOidc extends RunningStandIn {
  /** The issuer (its discovery document is at `/.well-known/openid-configuration`). */
  issuer: string;
  users: ExampleStaff[];
}

interface Template {
  username: string;
  name: string;
  role: StaffRole;
  /** Which of the policy's services an officer works in (by position in the routing table). */
  serviceIndex?: number;
}

const TEMPLATES: readonly Template[] = [
  { username: 'casey', name: 'Casey Morgan', role: 'complaints-team' },
  { username: 'sam', name: 'Sam Patel', role: 'officer', serviceIndex: 0 },
  { username: 'alex', name: 'Alex Jones', role: 'officer', serviceIndex: 1 },
  { username: 'jordan', name: 'Jordan Lee', role: 'nominated-officer' },
  { username: 'priya', name: 'Priya Shah', role: 'director' },
  { username: 'robin', name: 'Robin Taylor', role: 'administrator' },
  { username: 'dana', name: 'Dana Okafor', role: 'data-protection' },
];

/**
 * The example staff for a policy: one per role, officers in its first two services. Passwords
 * are made once and kept in `passwordFile` (mode 600), so they survive a restart.
 */
export function exampleStaff(policy: Pick<Policy, 'routing'>, passwordFile: string): ExampleStaff[] {
  const saved: Record<string, string> = existsSync(passwordFile)
    ? (JSON.parse(readFileSync(passwordFile, 'utf8')) as Record<string, string>)
    : {};
  const domain = policy.routing.complaintsTeam.split('@')[1] ?? 'example.gov.uk';
  const users: ExampleStaff[] = [];
  for (const t of TEMPLATES) {
    const service = t.serviceIndex === undefined ? undefined : policy.routing.services[t.serviceIndex];
    if (t.role === 'officer' && !service) continue;
    const password = saved[t.username] ?? randomBytes(9).toString('base64url');
    saved[t.username] = password;
    users.push({
      username: t.username,
      password,
      name: t.name,
      email: `${t.name.toLowerCase().replace(/\s+/g, '.')}@${domain}`,
      groups: service
        ? [`${OFFICER_GROUP_PREFIX}${service.id}`]
        : [ROLE_GROUPS[t.role as keyof typeof ROLE_GROUPS]],
      role: service ? `${ROLE_NAMES.officer} (${service.name})` : ROLE_NAMES[t.role],
    });
  }
  writeFileSync(passwordFile, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 });
  return users;
}

/** Same length compare in constant time: a wrong password takes as long as a right one. */
function samePassword(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** A GOV.UK-styled page of the provider (its own origin serves the stylesheet and fonts). */
function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head>
  <meta charset="utf-8">
  <title>${escapeHtml(title)} – Council sign-in (local)</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="/assets/govuk-frontend.min.css">
</head>
<body class="govuk-template__body">
  <a href="#main-content" class="govuk-skip-link">Skip to main content</a>
  <header class="govuk-template__header"><div class="govuk-generic-header">
    <div class="govuk-generic-header__container govuk-width-container">
      <div class="govuk-generic-header__logo"><span class="govuk-generic-header__homepage-link">Council sign-in (local example)</span></div>
    </div>
  </div></header>
  <div class="govuk-width-container">
    <main class="govuk-main-wrapper" id="main-content" role="main">
      <div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">${body}</div></div>
    </main>
  </div>
</body>
</html>`;
}

function loginPage(uid: string, error?: string, username = ''): string {
  const summary = error
    ? `<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert">
        <h2 class="govuk-error-summary__title">There is a problem</h2>
        <div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">
          <li><a href="#username">${escapeHtml(error)}</a></li></ul></div></div></div>`
    : '';
  const errorClass = error ? ' govuk-form-group--error' : '';
  return page(
    'Sign in',
    `${summary}
    <h1 class="govuk-heading-l">Sign in to the complaints workspace</h1>
    <p class="govuk-body">This is the example identity provider of <code>npm start</code>. Use one of the staff accounts it printed.</p>
    <form method="post" action="/interaction/${escapeHtml(uid)}/login" novalidate>
      <div class="govuk-form-group${errorClass}">
        <label class="govuk-label" for="username">User name</label>
        ${error ? `<p id="username-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${escapeHtml(error)}</p>` : ''}
        <input class="govuk-input govuk-!-width-one-half" id="username" name="username" type="text" autocomplete="username" spellcheck="false" value="${escapeHtml(username)}"${error ? ' aria-describedby="username-error"' : ''}>
      </div>
      <div class="govuk-form-group${errorClass}">
        <label class="govuk-label" for="password">Password</label>
        <input class="govuk-input govuk-!-width-one-half" id="password" name="password" type="password" autocomplete="current-password">
      </div>
      <button type="submit" class="govuk-button" data-module="govuk-button">Sign in</button>
    </form>`,
  );
}

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'none'; style-src 'self'; font-src 'self'; img-src 'self'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16_384) throw new StandInStartError('form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Starts the provider on 127.0.0.1 for the workspace at `appBaseUrl` (its return addresses are
 * `<appBaseUrl>/staff/callback` and `<appBaseUrl>/staff/signed-out`).
 */
export async function startOidcProvider(options: {
  appBaseUrl: string;
  users: ExampleStaff[];
  port?: number;
}): Promise<RunningOidc> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const byName = new Map(options.users.map((u) => [u.username, u]));
  const bySub = new Map(options.users.map((u) => [u.username, u]));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const configuration: Configuration = {
    clients: [
      {
        client_id: LOCAL_CLIENT_ID,
        client_name: 'Complaints workspace',
        token_endpoint_auth_method: 'none',
        // Refresh tokens, as Cognito's app client gives: the workspace reads the roles again with them.
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [`${options.appBaseUrl}/staff/callback`],
        post_logout_redirect_uris: [`${options.appBaseUrl}/staff/signed-out`],
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'local', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    // As Cognito: a refresh token with every sign-in (no `offline_access` scope, which Cognito does
    // not know), kept as it is on each use rather than rotated.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: false,
    // The roles are in the ID token (as Cognito puts `cognito:groups` there), not only at userinfo.
    conformIdTokenClaims: false,
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    findAccount: (_ctx, sub) => {
      const user = bySub.get(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          email: user.email,
          email_verified: true,
          name: user.name,
          groups: user.groups,
        }),
      };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // The workspace is the council's own application: staff are not asked to consent to it.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const session = ctx.oidc.session;
      const client = ctx.oidc.client;
      if (!session?.accountId || !client) return undefined;
      const existing = session.grantIdFor(client.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      session.grantIdFor(client.clientId, grant.jti);
      return grant;
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = 'html';
          ctx.body = page(
            'Sign out',
            `<h1 class="govuk-heading-l">Sign out of the council sign-in too?</h1>
            <p class="govuk-body">You have left the complaints workspace. Signing out here as well means the next person at this computer must enter a password.</p>
            ${form}
            <div class="govuk-button-group">
              <button type="submit" class="govuk-button" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
              <button type="submit" class="govuk-button govuk-button--secondary" form="op.logoutForm">No, stay signed in</button>
            </div>`,
          );
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = 'html';
          ctx.body = page('Signed out', '<h1 class="govuk-heading-l">You have signed out</h1>');
        },
      },
    },
    ttl: {
      Session: 10 * 3600,
      Interaction: 600,
      Grant: 10 * 3600,
      IdToken: 600,
      AccessToken: 600,
      AuthorizationCode: 60,
      RefreshToken: 10 * 3600,
    },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, action?: string) {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new StandInStartError('interaction mismatch');
    if (req.method === 'POST' && action === 'login') {
      const form = await readForm(req);
      const username = (form.get('username') ?? '').trim().toLowerCase();
      const user = byName.get(username);
      if (!user || !samePassword(form.get('password') ?? '', user.password)) {
        res
          .writeHead(200, PAGE_HEADERS)
          .end(
            loginPage(uid, 'Enter a user name and password that match an example staff account', username),
          );
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: user.username } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    res.writeHead(200, PAGE_HEADERS).end(loginPage(uid));
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    const match = /^\/interaction\/([\w-]+)(?:\/(login))?$/.exec(url.pathname);
    const handle = async () => {
      if (url.pathname.startsWith('/assets/')) {
        const found = resolveAsset(url.pathname);
        if (!found) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'Content-Type': found.contentType }).end(await readFile(found.path));
        return;
      }
      if (match?.[1]) {
        await interaction(req, res, match[1], match[2]);
        return;
      }
      callback(req, res);
    };
    handle().catch((error: unknown) => {
      if (!res.headersSent) {
        res
          .writeHead(400, PAGE_HEADERS)
          .end(
            page(
              'Sign-in problem',
              `<h1 class="govuk-heading-l">Sign-in problem</h1><p class="govuk-body">${escapeHtml(error instanceof Error ? error.message : 'Start again from the workspace.')}</p>`,
            ),
          );
      }
    });
  });

  let stopped = false;
  return {
    endpoint: issuer,
    issuer,
    users: options.users,
    async stop() {
      if (stopped) return;
      stopped = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
