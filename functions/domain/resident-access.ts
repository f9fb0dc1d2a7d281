import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CaseRecord } from './case.js';
import { clientKey, mailboxKey } from './intake-limits.js';
import { type LinkClaims, signLink } from './links.js';
import type { RateLimit } from './ports.js';

/**
 * "Check your complaint": a resident gives their reference and email address; when both match a
 * case they are emailed a one-time sign-in link (no account), which opens a short resident
 * session showing that case. Everything here is pure; the use cases are in
 * `functions/app/resident-access.ts`.
 *
 * The sign-in link is a signed link (`links.ts`) naming the case, a random nonce and the
 * address; its hash is stored so that it works once. The session is a signed link too, kept in
 * an `HttpOnly` cookie and re-signed on each page with a new idle expiry, never past its
 * absolute end: no session table, and nothing in the cookie a resident could change. Signing
 * out is recorded against the session's id until that end (`SignInLinks.signOut`), so that a copy
 * of the cookie kept elsewhere stops working too.
 */

/** Minutes a sign-in link works for (once). */
export const SIGN_IN_LINK_MINUTES = 15;
/** Minutes without a page before a resident session ends. */
export const RESIDENT_IDLE_MINUTES = 15;
/** Minutes after sign-in when a resident session ends whatever happens. */
export const RESIDENT_ABSOLUTE_MINUTES = 60;

/** The link's action names (`LinkClaims.a`): a sign-in link and a session cookie are never confused. */
export const SIGN_IN_ACTION = 'resident-sign-in';
export const SESSION_ACTION = 'resident-session';

/**
 * How often one address, and one client, may ask for a link. A resident asks once or twice; the
 * limits stop the form being used to send the council's emails to someone again and again, or
 * to try references against an address.
 */
export interface CheckLimits {
  perEmailPerHour: number;
  perClientPerHour: number;
}

export const DEFAULT_CHECK_LIMITS: CheckLimits = { perEmailPerHour: 5, perClientPerHour: 20 };

/**
 * What the keys of these limits start with (`check-client:`, `check-email:`), apart from
 * intake's: they count on real time, as the links and sessions do, and `npm start`'s TTL expires
 * their counts on real time by it.
 */
export const CHECK_LIMIT_KEY_PREFIX = 'check-';

const HOUR = 3_600;

/**
 * The limits one request for a link is counted against: the client first, then the address
 * (as `intakeRateLimits`), under keys of their own so checking never uses up the allowance to
 * send feedback.
 */
export function checkRateLimits(
  limits: CheckLimits,
  sender: { email?: string | undefined; client?: string | undefined },
): RateLimit[] {
  const out: RateLimit[] = [];
  if (sender.client) {
    out.push({
      key: `${CHECK_LIMIT_KEY_PREFIX}client:${clientKey(sender.client)}`,
      max: limits.perClientPerHour,
      windowSeconds: HOUR,
    });
  }
  if (sender.email) {
    out.push({
      key: `${CHECK_LIMIT_KEY_PREFIX}email:${mailboxKey(sender.email)}`,
      max: limits.perEmailPerHour,
      windowSeconds: HOUR,
    });
  }
  return out;
}

/**
 * Whether two secrets or addresses are the same, in time that does not depend on where they
 * differ or on their lengths (both are hashed to 32 bytes first).
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a, 'utf8').digest();
  const right = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(left, right);
}

/** An address as a resident may type it: case and surrounding spaces do not matter. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Whether an address is the one the case's letters go to (the complainant's, or the
 * representative's who complained for them). Compared in constant time; a case without an
 * address, or an anonymous one, never matches.
 */
export function emailMatchesCase(record: CaseRecord | undefined, email: string): boolean {
  const address = record && !record.anonymous ? record.complainant.email : undefined;
  // Compared with a stand-in when there is no address, so a missing case costs the same work.
  const same = constantTimeEqual(normaliseEmail(address ?? 'no-address@invalid'), normaliseEmail(email));
  return same && typeof address === 'string' && address !== '';
}

/** The hash under which a sign-in link is stored: the table never holds a link that works. */
export function signInTokenHash(token: string): string {
  return createHash('sha256').update(`sign-in:${token}`).digest('hex');
}

/** A new sign-in link's token for a case and address, expiring `SIGN_IN_LINK_MINUTES` from `now`. */
export function signInToken(
  caseId: string,
  email: string,
  now: Date,
  secret: string,
): { token: string; expiresAt: Date } {
  const expiresAt = new Date(now.getTime() + SIGN_IN_LINK_MINUTES * 60_000);
  const claims: LinkClaims = {
    c: caseId,
    t: randomBytes(18).toString('base64url'),
    a: SIGN_IN_ACTION,
    o: normaliseEmail(email),
    e: Math.floor(expiresAt.getTime() / 1000),
  };
  return { token: signLink(claims, secret), expiresAt };
}

/** What a resident session holds: the case, the address it was opened for, when it started. */
export interface ResidentSession {
  caseId: string;
  email: string;
  /** Random id: the session's anti-forgery token is derived from it. */
  id: string;
  /** Seconds since the epoch. */
  startedAt: number;
}

/**
 * The session's cookie value: a signed link whose task id carries the session id and start, and
 * whose expiry is the idle limit from `now`, capped at the absolute end.
 */
export function sessionToken(
  session: ResidentSession,
  now: Date,
  secret: string,
): { token: string; maxAgeSeconds: number } {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const end = Math.min(
    nowSeconds + RESIDENT_IDLE_MINUTES * 60,
    session.startedAt + RESIDENT_ABSOLUTE_MINUTES * 60,
  );
  const claims: LinkClaims = {
    c: session.caseId,
    t: `${session.id}~${session.startedAt}`,
    a: SESSION_ACTION,
    o: session.email,
    e: end,
  };
  return { token: signLink(claims, secret), maxAgeSeconds: Math.max(0, end - nowSeconds) };
}

/** When a session ends whatever happens (`RESIDENT_ABSOLUTE_MINUTES` after it started): its cookie works no later. */
export function sessionEnd(session: ResidentSession): Date {
  return new Date((session.startedAt + RESIDENT_ABSOLUTE_MINUTES * 60) * 1000);
}

/** The session a verified session link's claims describe; undefined when they are not a session's. */
export function sessionFromClaims(claims: LinkClaims): ResidentSession | undefined {
  if (claims.a !== SESSION_ACTION) return undefined;
  const match = /^([\w-]{16,64})~(\d{1,12})$/.exec(claims.t);
  if (!match) return undefined;
  return { caseId: claims.c, email: claims.o, id: match[1] as string, startedAt: Number(match[2]) };
}

/** A new session for a case, opened now. */
export function newSession(caseId: string, email: string, now: Date): ResidentSession {
  return {
    caseId,
    email: normaliseEmail(email),
    id: randomBytes(24).toString('base64url'),
    startedAt: Math.floor(now.getTime() / 1000),
  };
}

/** What a reference looks like (`CMP-2026-000123`); anything else is refused before a lookup. */
export const REFERENCE_PATTERN = /^[A-Z]{2,4}-\d{4}-\d{3,9}$/;

/** A reference as a resident may type it: spaces ignored, any case. */
export function normaliseReference(reference: string): string {
  return reference.replace(/\s+/g, '').toUpperCase();
}
