import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { LinkVerificationError, signToken, verifyToken } from '../domain/links.js';
import { IDEMPOTENCY_KEY_SECONDS } from '../domain/ports.js';
import { constantTimeEqual } from '../domain/resident-access.js';
import { setCookie } from '../http/cookies.js';
import { cookie, header } from '../http/request.js';

/**
 * The public forms' anti-forgery token (double submit): a random value in a `SameSite=Strict`
 * cookie and a token in the form's hidden `csrf` field; a post whose token does not go with the
 * cookie did not come from our page. "Check your complaint" sends the cookie's value itself; the
 * feedback form sends a signed token bound to it (`feedbackFormToken`), so that every page view
 * has a token of its own while the cookie stays the same. Pages behind a session (staff, a
 * resident checking a case) bind theirs to the session.
 */
export const CSRF_COOKIE = 'redress_csrf';

export function newCsrf(): string {
  return randomBytes(24).toString('base64url');
}

/** Where a public form's token lives: the feedback form's at `/`, "check your complaint"'s at `/check`. */
export interface CsrfCookie {
  name: string;
  path: string;
}

const FORM_CSRF: CsrfCookie = { name: CSRF_COOKIE, path: '/' };

/**
 * "Check your complaint"'s own token: a page of one form that set the other's cookie would expire
 * a form open in another tab (and the feedback form's token is also its idempotency key).
 */
export const CHECK_CSRF: CsrfCookie = { name: 'redress_check_csrf', path: '/check' };

export function csrfCookie(value: string, cookieOf: CsrfCookie = FORM_CSRF): string {
  return setCookie(cookieOf.name, value, { path: cookieOf.path, sameSite: 'Strict' });
}

/** Whether a form's `csrf` field matches its cookie (constant time). */
export function csrfMatches(
  event: APIGatewayProxyEvent,
  given: unknown,
  cookieOf: CsrfCookie = FORM_CSRF,
): boolean {
  const expected = cookie(event, cookieOf.name);
  return (
    typeof given === 'string' && given !== '' && expected !== undefined && constantTimeEqual(given, expected)
  );
}

/**
 * A public form's cookie for this browser: the one it already has, so a form opened in another
 * tab leaves the first tab's token working; a new one when it has none (or not one of ours).
 */
export function keptFormCookie(
  event: Pick<APIGatewayProxyEvent, 'headers'>,
  cookieOf: CsrfCookie = FORM_CSRF,
): string {
  const value = cookie(event, cookieOf.name);
  return value !== undefined && /^[\w-]{32}$/.test(value) ? value : newCsrf();
}

/** Signed into a feedback form token, so no other signed token (a link, a receipt) passes for one. */
const FEEDBACK_FORM_PURPOSE = 'feedback-form';

/**
 * How long a feedback form token can be sent: no longer than the store keeps the form's
 * idempotency key (`feedbackFormKey`), so a form sent again (a second click, the page sent after
 * an outage) always finds the case it stored rather than storing another.
 */
export const FEEDBACK_FORM_TOKEN_SECONDS = IDEMPOTENCY_KEY_SECONDS;

/** What a token carries of its cookie: a digest, so the page and the key stored never hold the cookie. */
function cookieDigest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url').slice(0, 22);
}

/**
 * The idempotency key of a feedback form post: this browser (its cookie) sending this feedback
 * (its kind, words and email address). The same feedback sent again from the same browser finds
 * the case it stored, however it comes back: a second click, the page sent again after an
 * outage, or Back after the confirmation, which fetches the form afresh (with a new token) and
 * has the browser fill in what was typed. Other feedback from the same page is feedback of its
 * own. Answers that differ beyond these (a phone number added) are intake's to refuse
 * (`FormAlreadySentError`), never dropped.
 */
export function feedbackFormKey(
  event: Pick<APIGatewayProxyEvent, 'headers'>,
  answers: Record<string, unknown>,
  /** The mark of a form that came back to be sent as feedback of its own. */
  resend?: string,
): string {
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  const complainant = answers.complainant as Record<string, unknown> | undefined;
  const feedback = [text(answers.kind), text(answers.summary), text(complainant?.email).toLowerCase()];
  const digest = createHash('sha256')
    .update(JSON.stringify([cookie(event, CSRF_COOKIE) ?? '', ...feedback, resend ?? '']))
    .digest('base64url');
  return `form:${digest}`;
}

/**
 * A token for one view of the feedback form, bound to the browser's cookie: signed with the
 * link secret, with its own expiry and a nonce, so each view has a token of its own that goes
 * with the one cookie.
 */
export function feedbackFormToken(formCookie: string, secret: string, now: Date): string {
  const expires = Math.floor(now.getTime() / 1000) + FEEDBACK_FORM_TOKEN_SECONDS;
  return signToken(
    FEEDBACK_FORM_PURPOSE,
    { e: expires, b: cookieDigest(formCookie), n: randomBytes(9).toString('base64url') },
    secret,
  );
}

/**
 * Whether a feedback form post's token was signed by us (with the current or a previous link
 * secret), has not expired and was issued for the cookie the post came with. A cross-site post
 * has no cookie (`SameSite=Strict`), and a token from another browser is bound to its cookie.
 *
 * One exception: a post the browser itself says came from our own pages (`Sec-Fetch-Site:
 * same-origin`, which no page can set) with a cookie of ours passes with a token bound to another
 * cookie of ours. Two tabs opened at the same instant in a browser that had no cookie yet each get
 * a new one, and the browser keeps only the second: the first tab's token is then bound to a
 * cookie the browser no longer sends, though the page is ours. A browser that does not send the
 * header keeps the strict check.
 */
export function feedbackFormTokenValid(
  event: Pick<APIGatewayProxyEvent, 'headers'>,
  given: unknown,
  secrets: readonly string[],
  now: Date,
): boolean {
  const formCookie = cookie(event, CSRF_COOKIE);
  if (typeof given !== 'string' || given === '' || formCookie === undefined || formCookie === '')
    return false;
  let claims: Record<string, unknown>;
  try {
    claims = verifyToken(FEEDBACK_FORM_PURPOSE, given, secrets, now);
  } catch (error: unknown) {
    if (error instanceof LinkVerificationError) return false;
    throw error;
  }
  if (typeof claims.b !== 'string') return false;
  return (
    constantTimeEqual(claims.b, cookieDigest(formCookie)) ||
    (header(event, 'sec-fetch-site') === 'same-origin' && /^[\w-]{32}$/.test(formCookie))
  );
}

/**
 * What a workspace page's one-off form id looks like (made when the page is rendered, a UUID): an
 * action that adds something does it once per id (`CaseChange.once`). Anything else sent in its
 * place is no id.
 */
export const FORM_ID = /^[\w-]{1,64}$/;

/** A page's one-off form id as its form sent it back (shown again with its problems), or a new one. */
export function formIdOf(values: Record<string, unknown> | undefined): string {
  const sent = values?.formId;
  return typeof sent === 'string' && FORM_ID.test(sent) ? sent : randomUUID();
}
