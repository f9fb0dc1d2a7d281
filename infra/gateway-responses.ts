import type { Language } from '../functions/domain/language.js';
import type { Policy } from '../functions/domain/policy-schema.js';
import { RETRY_AFTER_SECONDS } from '../functions/http/errors.js';
import { MAX_BODY_BYTES } from '../functions/http/request.js';
import { escapeHtml } from '../functions/templates/escape-html.js';
import { type MessageKey, type Translate, translator } from '../functions/web/i18n.js';

/**
 * What API Gateway answers itself, when a request never reaches the function or the function
 * gave no answer: a body over Lambda's 6 MB, the stage's throttle, an address or method no route
 * has, a function that timed out or failed. API Gateway's own answers are bare JSON
 * (`{"message":"Request Too Long"}`); these say what happened and what to do in the service's
 * words, a page for a browser and JSON with a `message` (as the function's errors have) for a
 * program. They are built per council (its name, its complaints team, Welsh where it offers it);
 * the stack deploys them as gateway responses (`constructs/api.ts`); the local stand-in answers
 * with them (`local/api-gateway.ts`).
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

/**
 * API Gateway's largest mapping template, which a gateway response's template is: "Maximum mapping
 * template size: 300 KB" (Quotas for configuring and running a REST API in API Gateway, Amazon API
 * Gateway Developer Guide). A page over it fails the deployment.
 */
export const MAX_TEMPLATE_BYTES = 300 * 1024;

/** Where the pages are served: the path before every address (`''` on a custom domain, `/live` on execute-api). */
export interface GatewayPageOptions {
  basePath: string;
}

/** What a page says: its heading (a catalogue key) and its paragraphs in the language `t` gives. */
interface Words {
  heading: MessageKey;
  paragraphs: (t: Translate) => string[];
}

/**
 * The page's style, inline: API Gateway serves the page alone, so no stylesheet, font, script or
 * image can be relied on. The GOV.UK Design System's look in a few rules (its colours, type scale,
 * focus state and 960 px column, in Arial rather than its font), as the service's own pages have.
 */
const STYLE =
  '*{box-sizing:border-box}' +
  'body{margin:0;font-family:arial,sans-serif;font-size:1.1875rem;line-height:1.32;color:#0b0c0c;background:#fff;-webkit-text-size-adjust:100%}' +
  '.w{max-width:960px;margin:0 15px}' +
  '@media(min-width:40.0625em){.w{margin:0 30px}}@media(min-width:1020px){.w{margin:0 auto}}' +
  '.sk{position:absolute;left:-9999em}.sk:focus{position:static;display:block;padding:10px 15px}' +
  'html{background:#f4f8fb}header{background:#0b0c0c;color:#fff;padding:12px 0;font-size:1.75rem;line-height:1.2}' +
  'nav{background:#f4f8fb;border-bottom:1px solid #8eb8dc;padding:14px 0;font-weight:700}' +
  'main{display:block;padding:30px 0 40px}' +
  'h1{font-size:2rem;line-height:1.1;margin:0 0 30px}@media(min-width:40.0625em){h1{font-size:3rem;line-height:1.05;margin-bottom:50px}}' +
  'h1 span{display:block}h1 .en{margin-top:10px;font-size:1.5rem;color:#484949}@media(min-width:40.0625em){h1 .en{font-size:2.25rem}}' +
  'h2,h3{font-size:1.5rem;line-height:1.25;margin:30px 0 15px}h3{font-size:1.1875rem}' +
  'p{margin:0 0 20px;max-width:30em}' +
  '.cols{display:grid;gap:0 30px}@media(min-width:40.0625em){.cols{grid-template-columns:1fr 1fr}}' +
  '.cols h2{margin-top:0;padding-top:10px;border-top:5px solid #1d70b8}' +
  'a{color:#1a65a6;text-decoration:underline;text-decoration-thickness:max(1px,.0625rem);text-underline-offset:.15em;overflow-wrap:anywhere}' +
  'a:hover{color:#0f385c;text-decoration-thickness:max(3px,.1875rem)}' +
  'nav a{color:#0b0c0c;text-decoration:none}nav a:hover{text-decoration:underline}' +
  'a:focus{outline:3px solid transparent;color:#0b0c0c;background:#fd0;box-shadow:0 -2px #fd0,0 4px #0b0c0c;text-decoration:none}' +
  'footer{border-top:10px solid #1d70b8;background:#f4f8fb;padding:25px 0;font-size:1rem}';

/** The pages' next step: back to the form, and the complaints team's address (and phone) from the policy. */
function nextSteps(policy: Policy, language: Language, basePath: string, level: 2 | 3): string {
  const t = translator(language);
  const form = `${basePath}/${language === 'en' ? '' : `?lang=${language}`}`;
  const email = policy.routing.complaintsTeam;
  const phone = policy.letters?.phone;
  return (
    `<h${level}>${escapeHtml(t('gateway.next'))}</h${level}>` +
    `<p><a href="${escapeHtml(form)}">${escapeHtml(t('gateway.form'))}</a></p>` +
    `<p>${escapeHtml(t('gateway.contact'))} <a href="mailto:${escapeHtml(email)}">${escapeHtml(email)}</a>.` +
    `${phone ? ` ${escapeHtml(t('gateway.phone', { phone }))}` : ''}</p>`
  );
}

/** One language's words on the page: its paragraphs and next step (under a heading of `level`). */
function section(words: Words, policy: Policy, language: Language, basePath: string, level: 2 | 3): string {
  const paragraphs = words.paragraphs(translator(language)).map((p) => `<p>${escapeHtml(p)}</p>`);
  return `${paragraphs.join('')}${nextSteps(policy, language, basePath, level)}`;
}

/**
 * A page that needs nothing else: the council's name in the header, the service's name linking to
 * the form, the heading, what happened and what to do. For a council that offers Welsh, Welsh and
 * English on the one page, Welsh first (read first on a phone, on the left on a wider screen), as
 * the Welsh Language Standards ask of material in both languages: API Gateway cannot pick a
 * language, and the resident may have been using either.
 */
function page(words: Words, policy: Policy, { basePath }: GatewayPageOptions): string {
  const languages: Language[] = policy.languages.includes('cy') ? ['cy', 'en'] : ['en'];
  const [first] = languages as [Language];
  const both = (key: MessageKey, join: string) =>
    languages.map((l) => `<span lang="${l}">${escapeHtml(translator(l)(key))}</span>`).join(join);
  const headings = languages.map((l) => translator(l)(words.heading));
  const title = `${headings.join(' / ')} – ${languages.map((l) => translator(l)('service.name')).join(' / ')} – ${policy.council}`;
  const h1 =
    languages.length === 1
      ? `<h1>${escapeHtml(headings[0] as string)}</h1>`
      : `<h1><span>${escapeHtml(headings[0] as string)}</span><span class="en" lang="en">${escapeHtml(headings[1] as string)}</span></h1>`;
  const body =
    languages.length === 1
      ? section(words, policy, first, basePath, 2)
      : `<div class="cols">${languages
          .map(
            (l) =>
              `<div lang="${l}"><h2>${escapeHtml(translator(l)(`language.${l}`))}</h2>${section(words, policy, l, basePath, 3)}</div>`,
          )
          .join('')}</div>`;
  return (
    `<!DOCTYPE html><html lang="${first}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow">' +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>` +
    `<a class="sk" href="#main">${both('govuk.skipLink', ' / ')}</a>` +
    `<header><div class="w">${escapeHtml(policy.council)}</div></header>` +
    `<nav aria-label="${escapeHtml(languages.map((l) => translator(l)('govuk.serviceInformation')).join(' / '))}"><div class="w">` +
    `<a href="${escapeHtml(`${basePath}/`)}">${both('service.name', ' / ')}</a></div></nav>` +
    `<main class="w" id="main">${h1}${body}</main>` +
    `<footer><div class="w">${escapeHtml(policy.council)} · ${both('service.name', ' / ')}</div></footer></body></html>`
  );
}

/**
 * The page and the JSON for one answer. The JSON's `message` is English, as the function's errors
 * are (`messageCy` beside it where the council offers Welsh). Gateway response templates substitute
 * `$` variables (`$context.…`): a `$` in the words (a council's name, a phone number) is written as
 * a character reference or a JSON escape, so that it is shown, never substituted.
 */
function templates(
  words: Words,
  json: (t: Translate) => Record<string, unknown>,
  policy: Policy,
  options: GatewayPageOptions,
): GatewayResponsePage['templates'] {
  const welsh = policy.languages.includes('cy') ? { messageCy: json(translator('cy')).message } : {};
  return {
    'application/json': JSON.stringify({ ...json(translator('en')), ...welsh }).replaceAll('$', '\\u0024'),
    'text/html': page(words, policy, options).replaceAll('$', '&#36;'),
  };
}

/** The form's own size limit (64 KB), whatever API Gateway or Lambda would take: as the form's own 413 says. */
const KB = Math.round(MAX_BODY_BYTES / 1024);

/** Not "nothing was saved": a function that timed out may have stored the case before it did. */
const FAILED: Words = {
  heading: 'error.heading',
  paragraphs: (t) => [t('gateway.failed.p1'), t('gateway.failed.p2'), t('gateway.failed.p3')],
};

const NOT_FOUND: Words = {
  heading: 'notFound.heading',
  paragraphs: (t) => [t('notFound.p1'), t('notFound.p2')],
};

/**
 * The council's gateway responses: every error API Gateway answers itself, as a page (its name,
 * its complaints team, Welsh and English where it offers Welsh) and as JSON.
 */
export function gatewayResponses(policy: Policy, options: GatewayPageOptions): GatewayResponsePage[] {
  const build = (
    type: GatewayResponseType,
    statusCode: number | undefined,
    words: Words,
    json: (t: Translate) => Record<string, unknown>,
    headers: Record<string, string> = {},
  ): GatewayResponsePage => ({
    type,
    ...(statusCode === undefined ? {} : { statusCode }),
    headers,
    templates: templates(words, json, policy, options),
  });
  const notFound = (type: GatewayResponseType) =>
    build(type, 404, NOT_FOUND, (t) => ({ message: t('notFound.heading') }));
  const failed = (type: GatewayResponseType) =>
    build(type, undefined, FAILED, (t) => ({ message: `${t('error.heading')}. ${t('gateway.failed.p1')}` }));
  return [
    build(
      'REQUEST_TOO_LARGE',
      413,
      { heading: 'problem.heading', paragraphs: (t) => [t('gateway.tooLarge', { kb: KB })] },
      (t) => ({ message: t('gateway.tooLarge', { kb: KB }), maxBytes: MAX_BODY_BYTES }),
    ),
    build(
      'THROTTLED',
      429,
      { heading: 'error.heading', paragraphs: (t) => [t('gateway.busy')] },
      (t) => ({ message: t('gateway.busy'), retryAfterSeconds: RETRY_AFTER_SECONDS }),
      { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    ),
    // An address or a method no route has: API Gateway's 403 "Missing Authentication Token".
    notFound('MISSING_AUTHENTICATION_TOKEN'),
    notFound('RESOURCE_NOT_FOUND'),
    // `GET /reports/performance` without `from` or `to`, which API Gateway checks before the function.
    build(
      'BAD_REQUEST_PARAMETERS',
      400,
      { heading: 'problem.heading', paragraphs: (t) => [t('gateway.reportDates')] },
      (t) => ({ message: t('gateway.reportDates') }),
    ),
    failed('INTEGRATION_TIMEOUT'),
    failed('INTEGRATION_FAILURE'),
    build(
      'DEFAULT_4XX',
      undefined,
      { heading: 'problem.heading', paragraphs: (t) => [t('gateway.refused'), t('problem.other')] },
      (t) => ({ message: t('gateway.refused') }),
    ),
    failed('DEFAULT_5XX'),
  ];
}

/**
 * How long WAF's rate rules ask an address that sent too much to wait (`Retry-After`): WAF counts
 * each address's requests over 5 minutes, so one that waits that long starts afresh.
 */
export const FIREWALL_RETRY_AFTER_SECONDS = 300;

/**
 * The page WAF answers an address that sent too much with (429, `constructs/api.ts`), in the same
 * words and look as API Gateway's own answers: the council's name, Welsh and English where it
 * offers Welsh, the way back to the form and to the complaints team. A WAF response has one body
 * whatever the request accepts, so a page (a program reads the 429 and `Retry-After`); nor does
 * WAF substitute anything in it, so the page is given as it is.
 */
export function firewallPage(policy: Policy, options: GatewayPageOptions): string {
  const minutes = FIREWALL_RETRY_AFTER_SECONDS / 60;
  const full = page(
    { heading: 'error.heading', paragraphs: (t) => [t('gateway.firewall', { minutes })] },
    policy,
    options,
  );
  if (Buffer.byteLength(full) <= FIREWALL_BODY_MAX_BYTES) return full;
  // A long council name, address or phone in both languages: the same words without the look,
  // rather than a stack that CloudFormation refuses at deploy time.
  const plain = full.replace(`<style>${STYLE}</style>`, '');
  if (Buffer.byteLength(plain) <= FIREWALL_BODY_MAX_BYTES) return plain;
  throw new Error(
    `WAF's page for too many requests is ${Buffer.byteLength(plain)} bytes even unstyled; AWS WAF takes at most ${FIREWALL_BODY_MAX_BYTES} in one custom response body: shorten the council's name or contact details in the policy`,
  );
}

/** AWS WAF's quota on one custom response body (4 KB), well inside CloudFormation's 10,240 characters. */
export const FIREWALL_BODY_MAX_BYTES = 4 * 1024;

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
  responses: readonly GatewayResponsePage[],
  type: GatewayResponseType,
  accept: string | undefined,
  fallbackStatus: number,
): { statusCode: number; headers: Record<string, string>; body: string } {
  const response = responses.find((r) => r.type === type) as GatewayResponsePage;
  const contentType = templateFor(accept);
  return {
    statusCode: response.statusCode ?? fallbackStatus,
    headers: { 'Content-Type': contentType, ...response.headers },
    body: response.templates[contentType],
  };
}
