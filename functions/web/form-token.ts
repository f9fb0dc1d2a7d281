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

export function csrfCookie(value: string): string {
  return setCookie(CSRF_COOKIE, value, { path: '/', sameSite: 'Strict' });
}

/** Whether a form's `csrf` field matches its cookie (constant time). */
export function csrfMatches(event: APIGatewayProxyEvent, given: unknown): boolean {
  const expected = cookie(event, CSRF_COOKIE);
  return (
    typeof given === 'string' && given !== '' && expected !== undefined && constantTimeEqual(given, expected)
  );
}
