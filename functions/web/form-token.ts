import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { constantTimeEqual } from '../domain/resident-access.js';
import { setCookie } from '../http/cookies.js';
import { cookie } from '../http/request.js';

/**
 * The public forms' anti-forgery token (double submit): a random value in a `SameSite=Strict`
 * cookie and in the form's hidden `csrf` field; a post whose two differ did not come from our
 * page. Pages behind a session (staff, a resident checking a case) bind theirs to the session.
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
