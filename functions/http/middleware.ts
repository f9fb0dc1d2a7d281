import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { logger } from '../observability.js';
import {
  DependencyUnavailableError,
  type HttpError,
  httpErrorOf,
  LinkError,
  MethodNotAllowedError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  TooManyRequestsError,
  ValidationError,
} from './errors.js';
import { header } from './request.js';
import { html, json } from './responses.js';

/**
 * Renders an HTML error page for browsers; the API function supplies the GOV.UK pages. It gets
 * the request too, so a page can offer to send a form again or reload the address.
 */
export type ErrorPageRenderer = (
  error: HttpError | undefined,
  event: APIGatewayProxyEvent,
) => {
  body: string;
  headers?: Record<string, string>;
};

/** Headers an HTTP error's answer carries whatever its format: `Allow` on a 405, `Retry-After` on a 503. */
export function errorHeaders(error: HttpError | undefined): Record<string, string> {
  if (error instanceof MethodNotAllowedError) return { Allow: error.allow.join(', ') };
  if (error instanceof DependencyUnavailableError || error instanceof TooManyRequestsError) {
    return { 'Retry-After': String(error.retryAfterSeconds) };
  }
  return {};
}

/** Whether a request came from a browser, to be answered with a page: a form post, or HTML accepted. */
export function wantsPage(event: APIGatewayProxyEvent): boolean {
  const accept = header(event, 'accept') ?? '';
  const contentType = header(event, 'content-type') ?? '';
  return (
    contentType.startsWith('application/x-www-form-urlencoded') ||
    (accept.includes('text/html') && !contentType.includes('json'))
  );
}

/**
 * A signed token in a path segment: `<base64url payload>.<base64url signature>`. The payload is
 * signed, not encrypted, and a resident's sign-in link carries their email address in it.
 */
const SIGNED_TOKEN = /^[\w-]{16,}\.[\w-]{16,}$/;

/**
 * The request path as it may be logged: each signed token (a sign-in, task, evidence or equality
 * link) as `{token}`, since a log line outlives the case it names, its erasure included.
 */
export function loggablePath(path: string | undefined): string | undefined {
  return path
    ?.split('/')
    .map((segment) => (SIGNED_TOKEN.test(segment) ? '{token}' : segment))
    .join('/');
}

/**
 * Whether a JSON complaint's receipt, were it saved, would be emailed: it gave an email address
 * and neither asked for letters by post nor was sent anonymously. Read only for the words of a
 * 503 (never logged); undefined when the body cannot be read as such.
 */
function receiptEmailed(event: APIGatewayProxyEvent): boolean | undefined {
  const path = event.path?.replace(/\/$/, '');
  if (event.httpMethod?.toUpperCase() !== 'POST' || path !== '/complaints' || !event.body) return undefined;
  try {
    const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    const sent = JSON.parse(text) as {
      anonymous?: unknown;
      complainant?: { email?: unknown; contactBy?: unknown };
    };
    if (sent.anonymous === true) return false;
    const email = sent.complainant?.email;
    return typeof email === 'string' && email.trim() !== '' && sent.complainant?.contactBy !== 'post';
  } catch {
    return undefined;
  }
}

/**
 * Whether a form post of feedback carries the form's token, which is its idempotency key
 * (`feedbackFormKey`): sent again from the 503 page's 'Try again' with the same token, a case that
 * did get stored is found, not stored twice; a token that is not valid stores nothing. So the
 * resident whose post ran out of time (a table that hangs) is told that trying again is safe, not
 * the words for a JSON client without a key. Read only for the words of a 503.
 */
function formTokenSent(event: APIGatewayProxyEvent): boolean {
  const path = event.path?.replace(/\/$/, '');
  if (event.httpMethod?.toUpperCase() !== 'POST' || path !== '/complaints' || !event.body) return false;
  const mediaType = header(event, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/x-www-form-urlencoded') return false;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  return (new URLSearchParams(text).get('csrf') ?? '').trim() !== '';
}

/**
 * The one error middleware (STYLE.md, middy): typed HTTP errors, and the domain and adapter
 * errors `httpErrorOf` maps to them, become their status with a message meant for people (a
 * dependency that is down: 503 with `Retry-After`); anything else becomes a plain 500 with no
 * detail, logged by name only — never the request body, which holds personal data, nor a
 * link's token (`loggablePath`).
 */
export function httpErrors(
  renderPage?: ErrorPageRenderer,
): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    onError: async (request) => {
      const error = request.error;
      const { httpMethod: method } = request.event;
      // Domain errors (a link expired, a form rejected…) and adapter errors (a table that does
      // not answer) become their HTTP error here, so routes and use cases throw them as they are.
      const known = httpErrorOf(error, {
        method: method ?? 'GET',
        path: request.event.path ?? '/',
        keyed: Boolean(header(request.event, 'idempotency-key')?.trim()) || formTokenSent(request.event),
        receiptEmailed: receiptEmailed(request.event),
      });
      const path = loggablePath(request.event.path);
      if (!known) {
        logger.error('request failed', {
          path,
          method,
          error: error instanceof Error ? error.name : typeof error,
        });
      } else if (known instanceof DependencyUnavailableError) {
        // Not a bug, but operators need to see it: which adapter error, and which SDK error under it.
        const cause = error instanceof Error ? error.cause : undefined;
        logger.warn('dependency unavailable', {
          path,
          method,
          error: error instanceof Error ? error.name : typeof error,
          ...(cause instanceof Error ? { cause: cause.name } : {}),
        });
      }
      const status = known?.statusCode ?? 500;
      const extraHeaders = errorHeaders(known);
      if (renderPage !== undefined && wantsPage(request.event)) {
        const page = renderPage(known, request.event);
        request.response = html(status, page.body, { ...extraHeaders, ...page.headers });
        return;
      }
      const body: Record<string, unknown> = {
        message: known?.message ?? 'Something went wrong. Try again later.',
      };
      if (known instanceof ValidationError) body.errors = known.fields;
      if (known instanceof ServiceUnavailableError && known.body) Object.assign(body, known.body);
      if (known instanceof DependencyUnavailableError || known instanceof TooManyRequestsError) {
        body.retryAfterSeconds = known.retryAfterSeconds;
      }
      if (known instanceof LinkError && known.detail) Object.assign(body, known.detail);
      if (known instanceof PayloadTooLargeError) body.maxBytes = known.limitBytes;
      request.response = json(status, body, extraHeaders);
    },
  };
}
