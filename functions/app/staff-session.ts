import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ServiceUnavailableError } from '../adapters/errors.js';
import { type IdentityProvider, type SignInChecks, SignInFailedError } from '../adapters/oidc-sign-in.js';
import type { Policy } from '../domain/policy-schema.js';
import type { StaffSessionRecord, StaffStore } from '../domain/ports.js';
import { StaffAccessError, type StaffMember, staffFromClaims } from '../domain/staff.js';
import { setCookie } from '../http/cookies.js';
import { HttpError } from '../http/errors.js';
import { cookie } from '../http/request.js';
import { html } from '../http/responses.js';
import { logger } from '../observability.js';
import { BASE_PATH, renderPage } from '../web/render.js';
import { securityHeaders } from '../web/security-headers.js';

/**
 * Staff sessions for the workspace. The cookie holds a random id (256 bits) and nothing else;
 * the session (who, their roles, the anti-forgery token) is kept server side, keyed by the id's
 * hash, so signing out ends it everywhere at once.
 *
 * Cookies are `HttpOnly` (no script reads them), `Secure` and `SameSite=Lax`. Deployed (https),
 * their names carry the `__Host-` prefix: the browser then keeps them only when set by this very
 * host over https, with `Path=/` and no `Domain`, so no other site of the council's domain (nor a
 * plain-http answer forged on the way) can plant a session or a sign-in of its choosing. The
 * prefix asks for `Path=/`; the cookies then also go with requests to the resident pages of the
 * same origin, which never read them. On `npm start` (plain http on 127.0.0.1, where browsers
 * refuse prefixed names) they keep their plain names, scoped to the workspace's path. `Secure`
 * holds there too: browsers treat 127.0.0.1 as a secure context and keep `Secure` cookies.
 * `Lax` rather than `Strict`: the browser comes back from the identity provider, another site,
 * and a `Strict` cookie would not be sent on that first request, so every sign-in would look
 * signed out; every POST carries the session's own token besides.
 */

/** A session ends after this long without a request… */
export const IDLE_MINUTES = 30;
/** …and after this long whatever happens (a working day). */
export const ABSOLUTE_HOURS = 10;
/**
 * The longest a session acts on roles read from the identity provider before reading them again,
 * so that someone taken out of a group, or disabled, loses its powers within this many minutes.
 */
export const ROLES_FRESH_MINUTES = 5;
/** How long the browser has to come back from the identity provider. */
const SIGN_IN_MINUTES = 10;
/** Sessions are touched at most this often, so a busy page does not write on every request. */
const TOUCH_EVERY_MS = 60_000;

export const SESSION_COOKIE = 'redress_staff';
export const SIGN_IN_COOKIE = 'redress_signin';

/** Where the workspace lives (behind API Gateway's stage path when there is no custom domain). */
export const STAFF_PATH = `${BASE_PATH}/staff`;

export interface StaffSessionDeps {
  staffStore: StaffStore;
  identity: IdentityProvider;
  policy: Policy;
  /** Real time: sessions expire in people's time, whatever the service's (accelerated) clock does. */
  sessionClock: () => Date;
  linkSecrets: () => Promise<string[]>;
  /** The public address of the API, for the provider's return address. */
  baseUrl: string;
}

/** A request's signed-in person, with the session's anti-forgery token for the forms. */
export interface SignedIn {
  session: StaffSessionRecord;
  staff: StaffMember;
  csrf: string;
}

/**
 * Why a request was sent to sign in again, each told in fixed words on the way to the identity
 * provider (`?reason=`): a session that ran out of time, or a cookie whose session has ended
 * (signed out in another tab, its copy kept, or ended by the provider). Only these keys are
 * shown; any other `reason` is the address's own text and is never put on the page.
 */
const SIGN_IN_REASONS = {
  expired: `For your security, you are signed out of the complaints workspace after ${IDLE_MINUTES} minutes without using it, and ${ABSOLUTE_HOURS} hours after you signed in.`,
  'signed-out':
    'You are no longer signed in to the complaints workspace. You may have signed out in another window or tab.',
} as const;

type SignInReason = keyof typeof SIGN_IN_REASONS;

/** A staff page asked for without a session (none, expired, or signed out): go and sign in. */
export class SignInRequiredError extends HttpError {
  override name = 'SignInRequiredError';
  constructor(readonly location: string) {
    super(303, 'Sign in to use the complaints workspace');
  }
}

/** A POST without its session's token: a cross-site forgery or a page from an ended session. */
export class StaffFormTokenError extends HttpError {
  override name = 'StaffFormTokenError';
  constructor() {
    super(
      403,
      'This form has expired or did not come from the workspace. Go back, reload the page and try again.',
    );
  }
}

/**
 * The name a workspace cookie has where the workspace is served from `baseUrl`: `__Host-` and
 * the whole origin on https, the plain name and the workspace's path on `npm start`'s http.
 */
export function staffCookie(
  baseUrl: string,
  which: typeof SESSION_COOKIE | typeof SIGN_IN_COOKIE,
): { name: string; path: string } {
  return new URL(baseUrl).protocol === 'https:'
    ? { name: `__Host-${which}`, path: '/' }
    : { name: which, path: STAFF_PATH };
}

function cookieHeader(
  deps: Pick<StaffSessionDeps, 'baseUrl'>,
  which: typeof SESSION_COOKIE | typeof SIGN_IN_COOKIE,
  value: string,
  maxAgeSeconds: number,
): string {
  const { name, path } = staffCookie(deps.baseUrl, which);
  return setCookie(name, value, { path, sameSite: 'Lax', maxAgeSeconds });
}

function sign(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(`signin.${payload}`).digest('base64url');
}

/** The sign-in checks, signed, for the short-lived cookie that carries them to the callback. */
function packChecks(checks: SignInChecks & { returnTo: string; exp: number }, secret: string): string {
  const payload = Buffer.from(JSON.stringify(checks)).toString('base64url');
  return `${payload}.${sign(payload, secret)}`;
}

function unpackChecks(
  value: string | undefined,
  secrets: readonly string[],
  now: Date,
): (SignInChecks & { returnTo: string }) | undefined {
  const [payload, signature] = (value ?? '').split('.');
  if (!payload || !signature) return undefined;
  const given = Buffer.from(signature);
  const ok = secrets.some((s) => {
    const expected = Buffer.from(sign(payload, s));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  if (!ok) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SignInChecks & {
      returnTo: string;
      exp: number;
    };
    return parsed.exp * 1000 > now.getTime() ? parsed : undefined;
  } catch (error: unknown) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/** Only a workspace page may be returned to after sign-in (never another site). */
function safeReturn(path: string | undefined): string {
  return path && /^\/staff(\/[\w\-/.%]*)?(\?[\w\-=&%.+]*)?$/.test(path) ? path : '/staff';
}

/**
 * The signed-in person of a request, refreshing the idle timer; `SignInRequiredError` without one.
 * `readRoles: false` takes the session's roles as they are, without asking the identity provider:
 * for signing out, which needs no powers and must work while the provider is down.
 */
export async function requireStaff(
  deps: StaffSessionDeps,
  event: APIGatewayProxyEvent,
  { readRoles = true }: { readRoles?: boolean } = {},
): Promise<SignedIn> {
  const id = cookie(event, staffCookie(deps.baseUrl, SESSION_COOKIE).name);
  const returnTo = event.httpMethod === 'GET' ? event.path : '/staff';
  const signIn = (reason?: SignInReason) =>
    new SignInRequiredError(
      `${STAFF_PATH}/sign-in?return=${encodeURIComponent(returnTo)}${reason ? `&reason=${reason}` : ''}`,
    );
  if (!id || !/^[\w-]{43}$/.test(id)) throw signIn();
  const session = await deps.staffStore.getSession(id);
  // A cookie of the workspace's own shape whose session is gone: it ended (signed out, its
  // copy kept in another tab; or expired and deleted by the table's TTL).
  if (!session) throw signIn('signed-out');
  const now = deps.sessionClock();
  const idle = now.getTime() - Date.parse(session.lastSeenAt) > IDLE_MINUTES * 60_000;
  const over = now.getTime() - Date.parse(session.createdAt) > ABSOLUTE_HOURS * 3_600_000;
  if (idle || over) {
    await deps.staffStore.deleteSession(id);
    throw signIn('expired');
  }
  const current = readRoles ? await currentRoles(deps, session, now, signIn) : session;
  if (now.getTime() - Date.parse(session.lastSeenAt) > TOUCH_EVERY_MS) {
    await deps.staffStore.touchSession(id, now.toISOString());
  }
  return { session: current, staff: current.staff, csrf: current.csrf };
}

/**
 * The session with its roles as the identity provider has them now: read again with the
 * session's refresh token once those it has are `ROLES_FRESH_MINUTES` old (Cognito answers with
 * a new ID token carrying the groups as they are now). Someone the provider no longer lets in
 * (disabled, signed out everywhere) is sent to sign in; someone left in no group of the
 * workspace is told so. Either way the session ends.
 *
 * A bounded interval rather than on every action: the provider is asked at most once in five
 * minutes per session, so pages and forms do not wait on it nor fail whenever it is slow, and
 * the powers of a role taken away last at most those five minutes (before, ten hours).
 */
async function currentRoles(
  deps: StaffSessionDeps,
  session: StaffSessionRecord,
  now: Date,
  signIn: (reason?: SignInReason) => SignInRequiredError,
): Promise<StaffSessionRecord> {
  const checkedAt = Date.parse(session.rolesCheckedAt ?? session.createdAt);
  if (now.getTime() - checkedAt <= ROLES_FRESH_MINUTES * 60_000) return session;
  const end = async (error: Error) => {
    await deps.staffStore.deleteSession(session.id);
    throw error;
  };
  // A session from before roles were read again has nothing to read them with: sign in again.
  if (!session.refreshToken) return end(signIn('signed-out'));
  let staff: StaffMember;
  let tokens: Awaited<ReturnType<IdentityProvider['refresh']>>;
  try {
    tokens = await deps.identity.refresh(session.refreshToken);
    staff = staffFromClaims(tokens.claims, deps.policy);
  } catch (error: unknown) {
    if (error instanceof SignInFailedError) return end(signIn('signed-out'));
    if (error instanceof StaffAccessError) return end(new HttpError(403, error.message));
    throw error;
  }
  const refreshed = {
    staff,
    idToken: tokens.idToken,
    refreshToken: tokens.refreshToken ?? session.refreshToken,
    rolesCheckedAt: now.toISOString(),
  };
  // Signed out in another tab meanwhile: the session stays ended.
  if (!(await deps.staffStore.refreshSession(session.id, refreshed))) throw signIn('signed-out');
  await deps.staffStore.recordStaff(staff, now.toISOString());
  return { ...session, ...refreshed };
}

/** Checks a POST's anti-forgery token against its session's (constant time). */
export function checkCsrf(signedIn: SignedIn, body: Record<string, unknown>): void {
  const given = Buffer.from(typeof body.csrf === 'string' ? body.csrf : '');
  const expected = Buffer.from(signedIn.csrf);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new StaffFormTokenError();
}

/**
 * `GET /staff/sign-in`: off to the identity provider, with the checks in a signed cookie. Sent
 * here with a known `reason` (a session that ended), it first says why, with a button to sign in
 * again to the same page; the provider is not asked until then.
 */
export async function startSignIn(
  deps: StaffSessionDeps,
  event: APIGatewayProxyEvent,
): Promise<APIGatewayProxyResult> {
  const reason = event.queryStringParameters?.reason;
  if (reason !== undefined && Object.hasOwn(SIGN_IN_REASONS, reason)) {
    return signedOutAgainPage(
      deps.policy,
      SIGN_IN_REASONS[reason as SignInReason],
      safeReturn(event.queryStringParameters?.return),
    );
  }
  const { url, checks } = await deps.identity.signInUrl(`${deps.baseUrl}/staff/callback`);
  const [secret] = await deps.linkSecrets();
  if (!secret) throw new Error('No link secret is configured');
  const exp = Math.floor(deps.sessionClock().getTime() / 1000) + SIGN_IN_MINUTES * 60;
  const returnTo = safeReturn(event.queryStringParameters?.return);
  return {
    statusCode: 302,
    headers: { Location: url, 'Cache-Control': 'no-store' },
    multiValueHeaders: {
      'Set-Cookie': [
        cookieHeader(
          deps,
          SIGN_IN_COOKIE,
          packChecks({ ...checks, returnTo, exp }, secret),
          SIGN_IN_MINUTES * 60,
        ),
      ],
    },
    body: '',
  };
}

/** `GET /staff/callback`: the provider's answer checked, a new session, back to the page asked for. */
export async function finishSignIn(
  deps: StaffSessionDeps,
  event: APIGatewayProxyEvent,
): Promise<APIGatewayProxyResult> {
  const checks = unpackChecks(
    cookie(event, staffCookie(deps.baseUrl, SIGN_IN_COOKIE).name),
    await deps.linkSecrets(),
    deps.sessionClock(),
  );
  if (!checks) {
    throw new HttpError(
      400,
      'The sign-in took too long or was started elsewhere. Sign in again from the workspace.',
    );
  }
  const query = new URLSearchParams(
    Object.entries(event.queryStringParameters ?? {}).filter(
      (e): e is [string, string] => e[1] !== undefined,
    ),
  );
  const current = new URL(`${deps.baseUrl}/staff/callback?${query}`);
  const { claims, idToken, refreshToken } = await deps.identity.complete(current, checks);
  const staff = staffFromClaims(claims, deps.policy);
  const now = deps.sessionClock();
  const id = randomBytes(32).toString('base64url');
  const session: StaffSessionRecord = {
    id,
    staff,
    csrf: randomBytes(32).toString('base64url'),
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    idToken,
    ...(refreshToken ? { refreshToken } : {}),
    rolesCheckedAt: now.toISOString(),
  };
  await deps.staffStore.putSession(
    session,
    new Date(now.getTime() + ABSOLUTE_HOURS * 3_600_000).toISOString(),
  );
  await deps.staffStore.recordStaff(staff, now.toISOString());
  return {
    statusCode: 303,
    headers: { Location: `${BASE_PATH}${checks.returnTo}`, 'Cache-Control': 'no-store' },
    multiValueHeaders: {
      'Set-Cookie': [
        cookieHeader(deps, SESSION_COOKIE, id, ABSOLUTE_HOURS * 3600),
        cookieHeader(deps, SIGN_IN_COOKIE, '', 0),
      ],
    },
    body: '',
  };
}

/**
 * `POST /staff/sign-out`: the session ended here, then at the identity provider when it has a page
 * for it. The session is gone once it is deleted, whatever the provider does next: when the
 * provider cannot be reached to find its sign-out page, the officer is shown the workspace's own
 * signed-out page, saying that the provider's sign-out could not be confirmed, never an error.
 */
export async function signOut(
  deps: StaffSessionDeps,
  event: APIGatewayProxyEvent,
  body: Record<string, unknown>,
): Promise<APIGatewayProxyResult> {
  const signedIn = await requireStaff(deps, event, { readRoles: false });
  checkCsrf(signedIn, body);
  await deps.staffStore.deleteSession(signedIn.session.id);
  let next: string;
  try {
    next =
      (await deps.identity.signOutUrl(signedIn.session.idToken, `${deps.baseUrl}/staff/signed-out`)) ??
      `${STAFF_PATH}/signed-out`;
  } catch (error: unknown) {
    if (!(error instanceof ServiceUnavailableError)) throw error;
    logger.warn(
      'staff sign-out: the identity provider could not be reached; signed out of the workspace only',
      {
        error: error.message,
      },
    );
    next = `${STAFF_PATH}/signed-out?provider=${PROVIDER_UNCONFIRMED}`;
  }
  return {
    statusCode: 303,
    headers: { Location: next, 'Cache-Control': 'no-store' },
    multiValueHeaders: { 'Set-Cookie': [cookieHeader(deps, SESSION_COOKIE, '', 0)] },
    body: '',
  };
}

/** `?provider=` of the signed-out page when the identity provider's sign-out could not be reached. */
const PROVIDER_UNCONFIRMED = 'unconfirmed';

/**
 * `GET /staff/signed-out`, also saying when the sign-out at the identity provider could not be
 * confirmed (`?provider=unconfirmed`; any other value is ignored, and never shown).
 */
export function signedOutPage(policy: Policy, event?: APIGatewayProxyEvent): APIGatewayProxyResult {
  const unconfirmed = event?.queryStringParameters?.provider === PROVIDER_UNCONFIRMED;
  return html(
    200,
    renderPage('message', {
      pageTitle: 'You have signed out',
      heading: 'You have signed out',
      councilName: policy.council,
      paragraphs: [
        'You have signed out of the complaints workspace.',
        ...(unconfirmed
          ? [
              'We could not confirm that you have also signed out of your council account.',
              'If you are using a shared computer, close all browser windows.',
            ]
          : []),
      ],
      links: [{ href: `${STAFF_PATH}`, text: 'Sign in again' }],
    }),
    securityHeaders(),
  );
}

/**
 * `GET /staff/callback` with an error from the identity provider instead of a code (RFC 6749
 * §4.1.2.1): `access_denied` when the person declined or the provider would not let them in (a
 * disabled account), anything else a fault of the sign-in. Said as such, with the way to sign in
 * again; the provider's own description is not shown (it may name the account), and no session is
 * made. Before, it was checked as a code and answered that the sign-in took too long.
 */
export function signInRefusedPage(policy: Policy, error: string): APIGatewayProxyResult {
  const denied = error === 'access_denied';
  const heading = denied ? 'The sign-in was refused' : 'The sign-in could not be completed';
  return html(
    denied ? 403 : 400,
    renderPage('message', {
      pageTitle: heading,
      heading,
      councilName: policy.council,
      paragraphs: [
        denied
          ? 'The sign-in was refused. If you should be able to use the complaints workspace, ask whoever looks after your council account to check it, then sign in again.'
          : 'The sign-in could not be completed. Sign in again; if it keeps happening, tell whoever looks after the workspace.',
      ],
      links: [{ href: `${STAFF_PATH}/sign-in`, text: 'Sign in again' }],
    }),
    securityHeaders(),
  );
}

/** Why the workspace asks to sign in again, and the button to do it (back to `returnTo`). */
function signedOutAgainPage(policy: Policy, why: string, returnTo: string): APIGatewayProxyResult {
  return html(
    200,
    renderPage('message', {
      pageTitle: 'You have been signed out',
      heading: 'You have been signed out',
      councilName: policy.council,
      paragraphs: [why],
      button: { text: 'Sign in again', href: `${STAFF_PATH}/sign-in?return=${encodeURIComponent(returnTo)}` },
    }),
    { ...securityHeaders(), 'Cache-Control': 'no-store' },
  );
}

/** The answer to `SignInRequiredError`: a redirect to the sign-in. */
export function signInRedirect(error: SignInRequiredError): APIGatewayProxyResult {
  return { statusCode: 303, headers: { Location: error.location, 'Cache-Control': 'no-store' }, body: '' };
}
