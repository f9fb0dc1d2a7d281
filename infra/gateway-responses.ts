import { PayloadTooLargeError, RETRY_AFTER_SECONDS } from '../functions/http/errors.js';
import { MAX_BODY_BYTES } from '../functions/http/request.js';
import { escapeHtml } from '../functions/templates/escape-html.js';
import { CATALOGUE } from '../functions/web/i18n.js';

/**
 * What API Gateway answers itself, when a request never reaches the function or the function
 * gave no answer: a body over Lambda's 6 MB, the stage's throttle, an address or method no route
 * has, a function that timed out or failed. API Gateway's own answers are bare JSON
 * (`{"message":"Request Too Long"}`); these say what happened and what to do in the service's
 * words, a page for a browser and JSON with a `message` (as the function's errors have) for a
 * program. The stack deploys them as gateway responses (`constructs/api.ts`); the local stand-in
 * answers with them (`local/api-gateway.ts`).
 */

/** The gateway response types Redress sets (API Gateway's names). */
export type GatewayResponseType =
  | 'REQUEST_TOO_LARGE'
  | 'THROTTLED'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'RESOURCE_NOT_FOUND'
  | 'BAD_REQUEST_PARAMETERS'
  | 'INTEGRATION_TIMEOUT'
  | 'INTEGRATION_FAILURE'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX';

export interface GatewayResponsePage {
  type: GatewayResponseType;
  /** The status answered; none keeps API Gateway's (the defaults stand for many errors). */
  statusCode?: number;
  /** Headers besides the content type (`Retry-After`). */
  headers: Record<string, string>;
  /** The body by content type: the page, and the JSON. */
  templates: { 'text/html': string; 'application/json': string };
}

const en = CATALOGUE.en;

/**
 * A page that needs nothing else: no stylesheet, script or image (API Gateway serves it alone, and
 * its template substitutes `$` variables, so the words may hold none).
 */
function page(heading: string, paragraphs: string[]): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('');
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(heading)}</title></head>` +
    '<body style="font-family:Arial,sans-serif;font-size:19px;line-height:1.3;max-width:40em;margin:2em auto;padding:0 1em">' +
    `<h1>${escapeHtml(heading)}</h1>${body}</body></html>`
  );
}

/** The form's own 413 message: the form takes 64 KB, whatever API Gateway or Lambda would take. */
const TOO_LARGE = new PayloadTooLargeError(MAX_BODY_BYTES).message;

const BUSY =
  'The service is busy just now, so what you sent was not accepted. Nothing has been saved. Wait a minute, then go back and send it again.';

/** Not "nothing was saved": a function that timed out may have stored the case before it did. */
const FAILED = [
  'Try again in a minute.',
  'If you were sending feedback, we may have received it: check your email for a message with its reference before you send it again.',
  'If you were recording a decision, open the link in your email again: the page will say if your decision was recorded.',
];

const REFUSED = 'This request was not accepted, so nothing has been saved.';

/** `GET /reports/performance` without `from` or `to`, which API Gateway checks before the function. */
const REPORT_DATES =
  'Enter the start date (from) and the end date (to) of the report, each written YYYY-MM-DD, like 2025-04-01.';

function notFound(type: GatewayResponseType): GatewayResponsePage {
  return {
    type,
    statusCode: 404,
    headers: {},
    templates: {
      'text/html': page(en['notFound.heading'], [en['notFound.p1'], en['notFound.p2']]),
      'application/json': JSON.stringify({ message: en['notFound.heading'] }),
    },
  };
}

function failed(type: GatewayResponseType): GatewayResponsePage {
  return {
    type,
    headers: {},
    templates: {
      'text/html': page(en['error.heading'], FAILED),
      'application/json': JSON.stringify({ message: `${en['error.heading']}. ${FAILED[0]}` }),
    },
  };
}

export const GATEWAY_RESPONSES: readonly GatewayResponsePage[] = [
  {
    type: 'REQUEST_TOO_LARGE',
    statusCode: 413,
    headers: {},
    templates: {
      'text/html': page(en['problem.heading'], [TOO_LARGE]),
      'application/json': JSON.stringify({ message: TOO_LARGE, maxBytes: MAX_BODY_BYTES }),
    },
  },
  {
    type: 'THROTTLED',
    statusCode: 429,
    headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    templates: {
      'text/html': page(en['error.heading'], [BUSY]),
      'application/json': JSON.stringify({ message: BUSY, retryAfterSeconds: RETRY_AFTER_SECONDS }),
    },
  },
  // An address or a method no route has: API Gateway's 403 "Missing Authentication Token".
  notFound('MISSING_AUTHENTICATION_TOKEN'),
  notFound('RESOURCE_NOT_FOUND'),
  {
    type: 'BAD_REQUEST_PARAMETERS',
    statusCode: 400,
    headers: {},
    templates: {
      'text/html': page(en['problem.heading'], [REPORT_DATES]),
      'application/json': JSON.stringify({ message: REPORT_DATES }),
    },
  },
  failed('INTEGRATION_TIMEOUT'),
  failed('INTEGRATION_FAILURE'),
  {
    type: 'DEFAULT_4XX',
    headers: {},
    templates: {
      'text/html': page(en['problem.heading'], [REFUSED, en['problem.other']]),
      'application/json': JSON.stringify({ message: REFUSED }),
    },
  },
  failed('DEFAULT_5XX'),
];

/**
 * The templates' content types, in the order the stack gives them to API Gateway: the first is the
 * one it falls back to.
 */
export const TEMPLATE_TYPES = ['application/json', 'text/html'] as const;

/**
 * The template API Gateway picks for a request, by its `Accept` header, as AWS documents it:
 * - "Select a VTL mapping template" (Amazon API Gateway Developer Guide, request and response data
 *   mapping reference, https://docs.aws.amazon.com/apigateway/latest/developerguide/request-response-data-mappings.html):
 *   the `Accept` value is the key; only its MIME type counts (parameters such as `charset` are
 *   dropped); no `Accept` is taken as `application/json`; a key no template has gets "the first
 *   existing template".
 * - "Working with binary media types for REST APIs"
 *   (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings.html):
 *   "When a request contains multiple media types in its Accept header, API Gateway honors only
 *   the first Accept media type". So q values are never weighed, and a wildcard (`*\/*`) is a key
 *   like any other, which no template has.
 * A browser's page request lists `text/html` first and gets the page; `fetch` and curl send `*\/*`
 * and get the first template, JSON. Which template AWS counts as "first" is not documented: the
 * templates are given JSON first (`TEMPLATE_TYPES`), so that a program asking for anything but a
 * page gets JSON if AWS keeps the order it was given. Media types are compared lower-cased (RFC 9110 makes them
 * case-insensitive; AWS does not say).
 */
export function templateFor(accept: string | undefined): (typeof TEMPLATE_TYPES)[number] {
  const first = (accept ?? '').split(',')[0]?.split(';')[0]?.trim().toLowerCase() ?? '';
  const key = first === '' ? 'application/json' : first;
  return TEMPLATE_TYPES.find((type) => type === key) ?? TEMPLATE_TYPES[0];
}

/** The answer to a request that met `type`: its status (`fallbackStatus` when the type keeps API Gateway's), headers and body. */
export function gatewayAnswer(
  type: GatewayResponseType,
  accept: string | undefined,
  fallbackStatus: number,
): { statusCode: number; headers: Record<string, string>; body: string } {
  const response = GATEWAY_RESPONSES.find((r) => r.type === type) as GatewayResponsePage;
  const contentType = templateFor(accept);
  return {
    statusCode: response.statusCode ?? fallbackStatus,
    headers: { 'Content-Type': contentType, ...response.headers },
    body: response.templates[contentType],
  };
}
