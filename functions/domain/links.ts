import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed links for emails. A link names a case, a task, the action's audience (the officer or
 * the resident it was sent to) and an expiry, signed with HMAC-SHA256. It never carries the
 * Step Functions task token: that stays on the case record, and is replaced each time the
 * workflow re-enters a callback, so a link already sent keeps working.
 *
 * Hand-written rather than JWT: a JWT library brings algorithm negotiation we must then
 * lock down; this format has one algorithm, one purpose and is ~40 lines.
 */

export interface LinkClaims {
  /** Case id. */
  c: string;
  /** Task id (changes only when a new task is opened). */
  t: string;
  /** Task name, e.g. `acknowledge`, `respond`, `stage-2-request`, `case-view`. */
  a: string;
  /** Who the link was sent to (lower-cased email, or `resident`). */
  o: string;
  /** Expiry, seconds since the epoch. */
  e: number;
}

export class LinkVerificationError extends Error {
  override name = 'LinkVerificationError';
  constructor(
    readonly reason: 'malformed' | 'bad-signature' | 'expired',
    readonly claims?: LinkClaims,
  ) {
    super(`link ${reason}`);
  }
}

function sign(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

function signPayload(claims: object, secret: string): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${sign(payload, secret)}`;
}

/** Makes the opaque token placed in `/tasks/{token}`. */
export function signLink(claims: LinkClaims, secret: string): string {
  return signPayload(claims, secret);
}

/**
 * Checks a token's signature against the current secret and any previous ones (so rotating the
 * secret does not break tokens already sent) and returns its parsed payload, not yet checked for
 * shape. Throws `LinkVerificationError` (`malformed` or `bad-signature`).
 */
function verifiedPayload(token: string, secrets: readonly string[]): unknown {
  const [payload, signature, extra] = token.split('.');
  if (
    !payload ||
    !signature ||
    extra !== undefined ||
    !/^[\w-]+$/.test(payload) ||
    !/^[\w-]+$/.test(signature)
  ) {
    throw new LinkVerificationError('malformed');
  }
  const given = Buffer.from(signature, 'base64url');
  const valid = secrets.some((secret) => {
    const expected = Buffer.from(sign(payload, secret), 'base64url');
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  if (!valid) throw new LinkVerificationError('bad-signature');
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
  } catch {
    throw new LinkVerificationError('malformed');
  }
}

/**
 * Checks a task link's token (signature with the current or a previous secret, shape, expiry).
 * Throws `LinkVerificationError`.
 */
export function verifyLink(token: string, secrets: readonly string[], now: Date): LinkClaims {
  const claims = verifiedPayload(token, secrets) as Partial<LinkClaims> | null;
  if (
    typeof claims !== 'object' ||
    claims === null ||
    typeof claims.c !== 'string' ||
    typeof claims.t !== 'string' ||
    typeof claims.a !== 'string' ||
    typeof claims.o !== 'string' ||
    typeof claims.e !== 'number'
  ) {
    throw new LinkVerificationError('malformed');
  }
  if (claims.e * 1000 < now.getTime()) throw new LinkVerificationError('expired', claims as LinkClaims);
  return claims as LinkClaims;
}

/**
 * A signed token for something other than a task: `purpose` is signed in, so a token made for
 * one purpose is refused for another, and a task link is never accepted as one.
 */
export function signToken(
  purpose: string,
  claims: { e: number } & Record<string, unknown>,
  secret: string,
): string {
  return signPayload({ ...claims, p: purpose }, secret);
}

/** Checks a token made by `signToken` for this purpose, and its expiry; returns its claims. */
export function verifyToken(
  purpose: string,
  token: string,
  secrets: readonly string[],
  now: Date,
): { e: number } & Record<string, unknown> {
  const claims = verifiedPayload(token, secrets) as Record<string, unknown> | null;
  if (typeof claims !== 'object' || claims === null || claims.p !== purpose || typeof claims.e !== 'number') {
    throw new LinkVerificationError('malformed');
  }
  if (claims.e * 1000 < now.getTime()) throw new LinkVerificationError('expired');
  return claims as { e: number } & Record<string, unknown>;
}

/** A form token bound to one link, so a task form cannot be posted from another page (CSRF). */
export function formToken(token: string, secret: string): string {
  return sign(`form:${token}`, secret);
}
