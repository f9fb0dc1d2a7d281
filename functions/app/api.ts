import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ConfigurationError } from '../adapters/config.js';
import type { CaseRecord } from '../domain/case.js';
import { IntakeLimitReachedError } from '../domain/errors.js';
import type { Language } from '../domain/language.js';
import { LinkVerificationError, signLink, verifyLink } from '../domain/links.js';
import type { Policy } from '../domain/policy-schema.js';
import { referralOf } from '../domain/referrals.js';
import {
  DependencyUnavailableError,
  HttpError,
  httpErrorOf,
  LinkError,
  problemShown,
  RETRY_AFTER_SECONDS,
  ServiceUnavailableError,
  TooManyRequestsError,
  ValidationError,
} from '../http/errors.js';
import { errorHeaders, httpErrors } from '../http/middleware.js';
import { header, parseBody } from '../http/request.js';
import { html, json } from '../http/responses.js';
import { Router } from '../http/router.js';
import { resolveAsset } from '../web/assets.js';
import {
  csrfCookie,
  feedbackFormKey,
  feedbackFormToken,
  feedbackFormTokenValid,
  keptFormCookie,
} from '../web/form-token.js';
import { limitMessage, pageLanguage, translator } from '../web/i18n.js';
import {
  BASE_PATH,
  confirmationPage,
  errorPage,
  flattenValues,
  linkProblemPage,
  notFoundPage,
  problemPage,
  residentFormPage,
  type UnavailablePageModel,
  unavailablePage,
  workspaceProblemPage,
} from '../web/render.js';
import { securityHeaders } from '../web/security-headers.js';
import { checkHealth, type HealthChecks } from './health.js';
import type { IntakeDeps, submitFeedback } from './intake.js';
import { loadedOnce } from './lazy-adapter.js';

export type ApiDeps = IntakeDeps & {
  /** The address of the optional equality questions offered on the confirmation page. */
  equalityPath?: (record: CaseRecord) => Promise<string>;
  /** Extra routes (officer tasks, case pages, reports) registered by their own modules. */
  extraRoutes?: (router: Router) => void;
  /**
   * What `GET /health` asks about, by the name it reports (the composition root gives the
   * table, archive, email and workflows). Without any, it answers for this function alone.
   */
  health?: HealthChecks;
  /**
   * Link-signing secrets: a form post is answered with a redirect to its confirmation page,
   * whose address carries a short-lived signed link to the case (Post/Redirect/Get).
   */
  linkSecrets?: () => Promise<string[]>;
  /** The signed path (under the base path) of a new case's evidence page (`evidence-links.ts`); none: not offered. */
  evidenceLink?: (record: { caseId: string; reference: string }) => Promise<string>;
};

/**
 * How long before the Lambda's time is out the API stops waiting for a dependency and answers
 * 503 instead: room to render the page (the form again, with the person's answers).
 */
export const API_TIME_MARGIN_MS = 1_000;

/**
 * The HTTP API behind API Gateway and behind the local stand-in: the resident's form and
 * intake, health, assets; officer and report routes are added by their modules.
 */
export function createApi(
  deps: ApiDeps,
): middy.MiddyfiedHandler<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const router = new Router()
    .on('GET', '/health', () => health(deps))
    .on('GET', '/', (event) =>
      formPage(deps, event, { language: pageLanguage(deps.policy, event.queryStringParameters?.lang) }),
    )
    .on('POST', '/complaints', (event) => intake(deps, event))
    .on('GET', '/complaints/received', (event) => confirmation(deps, event))
    .on('GET', '/assets/{path+}', async (event) => asset(event.path))
    .on('GET', '/favicon.ico', async () => noIcon());
  deps.extraRoutes?.(router);

  // Only this middy gives up before the Lambda's time is out (the entry file's does not), so that a
  // dependency that hangs is answered by the error middleware: the 503 page with the person's
  // answers, not a thrown timeout that API Gateway shows as a bare 502 "Internal server error".
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>({ timeoutEarlyInMillis: API_TIME_MARGIN_MS })
    .use(httpErrors((error, event) => errorPageFor(error, event, councilOf(deps), languageOf(deps, event))))
    .handler((event) => router.handle(event));
}

function errorPageFor(
  error: HttpError | undefined,
  event: APIGatewayProxyEvent,
  councilName: string | undefined,
  language: Language = 'en',
): { body: string; headers: Record<string, string> } {
  const headers = securityHeaders();
  // Every page names the council, as the form does: never the layout's placeholder.
  const council = councilName ? { councilName } : {};
  // The workspace's own problems are shown in it, with the way back (a signed-in person's, with
  // their navigation, by `staff-routes.ts`); a dependency that is down gets its "Try again" page.
  if (isWorkspacePath(event.path) && !(error instanceof DependencyUnavailableError)) {
    return { body: workspaceProblemPage({ ...problemShown(error), ...council }), headers };
  }
  if (error instanceof DependencyUnavailableError) {
    return {
      body: unavailablePage({
        message: error.message,
        ...tryAgain(event),
        ...council,
        language,
      }),
      headers,
    };
  }
  if (error instanceof LinkError) {
    return {
      body: linkProblemPage({
        status: error.statusCode as 403 | 404 | 409 | 410,
        ...error.detail,
        ...council,
        language,
      }),
      headers,
    };
  }
  if (error?.statusCode === 404) return { body: notFoundPage({ ...council, language }), headers };
  // Saved but not finished (an officer's decision the workflow has not had yet): its message
  // says so and what to do; the default page's "not sent" would be wrong.
  if (error instanceof ServiceUnavailableError)
    return { body: errorPage({ ...council, paragraphs: [error.message], language }), headers };
  if (!error || error.statusCode >= 500) return { body: errorPage({ ...council, language }), headers };
  // Other problems a person can fix (an expired form, a wrong method): say what to do.
  const { message = error.message, details } = problemShown(error);
  return { body: problemPage({ message, ...(details ? { details } : {}), ...council, language }), headers };
}

/** Whether an address is the staff workspace's (`/staff…`). */
function isWorkspacePath(path: string | undefined): boolean {
  return path === '/staff' || (path ?? '').startsWith('/staff/');
}

/**
 * The language an error page is shown in, that of the page the person was on: `?lang=`, else the
 * `language` field of the form they posted (the resident form's), when the policy offers it.
 * Never fails: a policy or a body that cannot be read gives English.
 */
function languageOf(deps: ApiDeps, event: APIGatewayProxyEvent): Language {
  try {
    return pageLanguage(deps.policy, event.queryStringParameters?.lang ?? postedLanguage(event));
  } catch (error: unknown) {
    if (error instanceof Error) return 'en';
    throw error;
  }
}

/** The `language` field of a posted form, if it has one. */
function postedLanguage(event: APIGatewayProxyEvent): unknown {
  if ((event.httpMethod ?? '').toUpperCase() !== 'POST') return undefined;
  const { format, data } = parseBody(event);
  return format === 'form' ? (data as Record<string, unknown>).language : undefined;
}

/**
 * The council's name for the 503 page's header, as on the form the person just used; none when
 * the policy itself cannot be read (the page then says "Your council").
 */
function councilOf(deps: ApiDeps): string | undefined {
  try {
    return deps.policy.council;
  } catch (error: unknown) {
    if (error instanceof Error) return undefined;
    throw error;
  }
}

/**
 * How the 503 page tries again without losing anything: a form post is offered again with the
 * same fields (the person's answers and its anti-forgery token); a page that was being read is
 * loaded again.
 */
function tryAgain(event: APIGatewayProxyEvent): Pick<UnavailablePageModel, 'resend' | 'reload'> {
  const method = (event.httpMethod || 'GET').toUpperCase();
  if (method === 'GET' || method === 'HEAD') {
    const query = new URLSearchParams(
      Object.entries(event.queryStringParameters ?? {}).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      ),
    ).toString();
    return { reload: `${BASE_PATH}${event.path}${query ? `?${query}` : ''}` };
  }
  try {
    const { format, data } = parseBody(event);
    return format === 'form' ? { resend: flattenValues(data as Record<string, unknown>) } : {};
  } catch (error: unknown) {
    // A body that cannot be read cannot be sent again: the page still says what happened.
    if (error instanceof HttpError) return {};
    throw error;
  }
}

/** `GET /health`: 200 when every dependency answered, else 503 naming the ones that did not. */
async function health(deps: ApiDeps): Promise<APIGatewayProxyResult> {
  const report = await checkHealth(deps.health ?? {});
  return report.status === 'ok'
    ? json(200, report)
    : json(503, report, { 'Retry-After': String(RETRY_AFTER_SECONDS) });
}

/**
 * The feedback form, with this browser's form cookie (kept when it has one, so a form open in
 * another tab can still be sent) and a token of this page's own, unless `state.csrf` keeps the
 * one just posted (sending the page again must find the case it may have stored).
 */
async function formPage(
  deps: ApiDeps,
  event: APIGatewayProxyEvent,
  state: {
    values?: Record<string, unknown>;
    errors?: Record<string, string>;
    csrf?: string;
    problem?: string;
    language?: Language;
  } = {},
  statusCode = 200,
  headers: Record<string, string> = {},
): Promise<APIGatewayProxyResult> {
  const formCookie = keptFormCookie(event);
  const csrf = state.csrf ?? feedbackFormToken(formCookie, await currentSecret(deps), deps.now());
  return html(
    statusCode,
    residentFormPage({
      policy: deps.policy,
      values: state.values,
      errors: state.errors,
      csrf,
      ...(state.problem ? { problem: state.problem } : {}),
      ...(state.language ? { language: state.language } : {}),
    }),
    { ...securityHeaders(), 'Set-Cookie': csrfCookie(formCookie), ...headers },
  );
}

/**
 * Intake's use case, with its schema (zod) and triage, imported with the first post rather than at
 * every cold start: most of the API's requests are pages.
 */
const intakeModule = loadedOnce(() => import('./intake.js'));

async function intakeUseCase(): Promise<typeof submitFeedback> {
  return (await intakeModule()).submitFeedback;
}

async function intake(deps: ApiDeps, event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const { format, data } = parseBody(event);
  const submitFeedback = await intakeUseCase();
  const idempotencyKey = header(event, 'idempotency-key')?.trim() || undefined;
  if (idempotencyKey && idempotencyKey.length > 200) {
    throw new ValidationError({ 'Idempotency-Key': 'Idempotency-Key must be 200 characters or fewer' });
  }

  if (format === 'json') {
    const { record, created } = await submitFeedback(deps, data, { idempotencyKey, client: clientOf(event) });
    const evidenceUrl = await evidenceLinkFor(deps, record);
    return json(
      created ? 201 : 200,
      { ...answer(record), ...(evidenceUrl ? { evidenceUrl } : {}) },
      created ? {} : { 'Idempotent-Replayed': 'true' },
    );
  }

  // A browser form post: check the double-submit CSRF token, then show the form again with
  // the GOV.UK error summary on bad input, or the confirmation panel.
  const form = { ...(data as Record<string, unknown>) };
  const csrf = typeof form.csrf === 'string' ? form.csrf : undefined;
  delete form.csrf;
  // Set by the form that came back because the same feedback was sent from this browser with
  // other answers (`FormAlreadySentError`): sent now, it is feedback of its own.
  const resend = typeof form.resend === 'string' ? form.resend.slice(0, 64) : undefined;
  delete form.resend;
  // The page's language, for the form again or the confirmation (the case keeps it too).
  const language = pageLanguage(deps.policy, form.language);
  const { answers, onBehalf, problems } = (await intakeModule()).feedbackFormAnswers(form);
  // A token that is not ours, has expired or belongs to another browser's cookie: nothing is
  // stored, and the answers come back in a form with a token that works, for the resident to
  // check and send (never a page that loses what they typed).
  // The link secrets (which check the token) cannot be read: nothing is stored, and the form
  // comes back with the answers and the token it was sent with, which passes once they can be.
  let secrets: string[] | undefined;
  if (csrf) {
    try {
      secrets = await secretsOf(deps);
    } catch (error: unknown) {
      const unavailable = httpErrorOf(error, { method: 'POST', path: '/complaints', keyed: true });
      if (!(unavailable instanceof DependencyUnavailableError)) throw error;
      return formPage(
        deps,
        event,
        {
          values: { ...answers, onBehalf, ...(resend ? { resend } : {}) },
          csrf,
          problem: unavailable.message,
          language,
        },
        unavailable.statusCode,
        errorHeaders(unavailable),
      );
    }
  }
  if (!csrf || !secrets || !feedbackFormTokenValid(event, csrf, secrets, deps.now())) {
    // Unless the browser says another site sent the post: its answers are that site's words,
    // not the resident's, and our form must not come back filled in with them, ready to send.
    const fromElsewhere = header(event, 'sec-fetch-site') === 'cross-site';
    return formPage(
      deps,
      event,
      {
        ...(fromElsewhere ? {} : { values: { ...answers, onBehalf, ...(resend ? { resend } : {}) } }),
        problem: translator(language)(fromElsewhere ? 'form.notSentElsewhere' : 'form.notSent'),
        language,
      },
      403,
    );
  }
  try {
    const { record } = await submitFeedback(deps, answers, {
      ...(idempotencyKey
        ? { idempotencyKey }
        : { idempotencyKey: feedbackFormKey(event, answers, resend), formKey: true }),
      client: clientOf(event),
      formProblems: problems,
    });
    // Post/Redirect/Get: the confirmation is a page of its own, so a refresh shows it again
    // rather than sending the form twice.
    return seeOther(await confirmationPath(deps, record));
  } catch (error: unknown) {
    if (error instanceof ValidationError) {
      return formPage(
        deps,
        event,
        {
          values: { ...answers, onBehalf, ...(resend ? { resend } : {}) },
          errors: error.fields,
          csrf,
          language,
        },
        400,
      );
    }
    // Different answers from a page that has sent feedback already: the form again with a new
    // token, so sending it now stores them as feedback of their own.
    if (error instanceof (await intakeModule()).FormAlreadySentError) {
      const problem = translator(language)('form.alreadySent', { reference: error.reference });
      const values = { ...answers, onBehalf, resend: randomBytes(12).toString('base64url') };
      return formPage(deps, event, { values, problem, language }, 409);
    }
    // A dependency is down: the form again with the resident's answers and the same token, so
    // sending it again is safe (the token is the idempotency key: a case that did get stored
    // is found, not stored twice).
    // Too much from this sender: the same, with when they can send it (nothing was stored).
    const unavailable = httpErrorOf(error, { method: 'POST', path: '/complaints', keyed: true });
    if (unavailable instanceof DependencyUnavailableError || unavailable instanceof TooManyRequestsError) {
      return formPage(
        deps,
        event,
        {
          values: { ...answers, onBehalf, ...(resend ? { resend } : {}) },
          csrf,
          // Too much from this sender: worded in the page's language from the limit's details.
          problem:
            error instanceof IntakeLimitReachedError
              ? limitMessage(error.limit, language)
              : unavailable.message,
          language,
        },
        unavailable.statusCode,
        errorHeaders(unavailable),
      );
    }
    throw error;
  }
}

/** Where the resident can send evidence for a new case: not for feedback sent elsewhere (redirected). */
async function evidenceLinkFor(deps: ApiDeps, record: CaseRecord): Promise<string | undefined> {
  if (!deps.evidenceLink || record.triage.redirect) return undefined;
  return `${BASE_PATH}${await deps.evidenceLink(record)}`;
}

/** The client's address as API Gateway saw it (the local stand-in fills it the same way). */
function clientOf(event: APIGatewayProxyEvent): string | undefined {
  return event.requestContext?.identity?.sourceIp ?? undefined;
}

function answer(record: Awaited<ReturnType<typeof submitFeedback>>['record']): Record<string, unknown> {
  return {
    reference: record.reference,
    caseId: record.caseId,
    kind: record.kind,
    status: record.status,
    deadlines: record.deadlines,
    ...(record.triage.redirect ? { redirect: record.triage.redirect } : {}),
  };
}

/** How long the confirmation page's address works: long enough to come back to the tab. */
const CONFIRMATION_LINK_HOURS = 24;

function seeOther(location: string): APIGatewayProxyResult {
  return { statusCode: 303, headers: { Location: location, 'Cache-Control': 'no-store' }, body: '' };
}

async function secretsOf(deps: ApiDeps): Promise<string[]> {
  if (!deps.linkSecrets)
    throw new ConfigurationError('The API needs link secrets to sign its form and confirm its posts');
  return deps.linkSecrets();
}

/** The link secret new tokens are signed with (the first; the others still verify). */
async function currentSecret(deps: ApiDeps): Promise<string> {
  const [secret] = await secretsOf(deps);
  if (!secret) throw new ConfigurationError('No link secret is configured');
  return secret;
}

/** The confirmation page's address for a case just stored: a signed link that shows only it. */
async function confirmationPath(deps: ApiDeps, record: CaseRecord): Promise<string> {
  const secret = await currentSecret(deps);
  const expires = Math.floor(deps.now().getTime() / 1000) + CONFIRMATION_LINK_HOURS * 3_600;
  const token = signLink(
    { c: record.caseId, t: 'receipt', a: 'confirmation', o: 'resident', e: expires },
    secret,
  );
  return `${BASE_PATH}/complaints/received?receipt=${token}`;
}

/** `GET /complaints/received?receipt=…`: the confirmation of a form post (safe to refresh). */
async function confirmation(deps: ApiDeps, event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const token = event.queryStringParameters?.receipt ?? '';
  let claims: ReturnType<typeof verifyLink>;
  try {
    claims = verifyLink(token, await secretsOf(deps), deps.now());
  } catch (error: unknown) {
    if (!(error instanceof LinkVerificationError)) throw error;
    if (error.reason === 'expired') throw new LinkError(410, 'This confirmation page has expired');
    throw new LinkError(403, 'This link is not valid');
  }
  const record = claims.a === 'confirmation' ? await deps.store.get(claims.c) : undefined;
  if (!record) throw new LinkError(403, 'This link is not valid');
  const evidenceUrl = await evidenceLinkFor(deps, record);
  return html(
    200,
    confirmationPage({
      reference: record.reference,
      kind: record.submittedKind,
      deadlines: record.deadlines,
      councilName: deps.policy.council,
      ...(record.triage.redirect ? { redirect: record.triage.redirect } : {}),
      ...passedTo(deps.policy, record),
      ...(deps.equalityPath ? { equalityPath: await deps.equalityPath(record) } : {}),
      ...(evidenceUrl ? { evidenceUrl } : {}),
      language: record.language ?? 'en',
      policy: deps.policy,
    }),
    securityHeaders(),
  );
}

/** A service request's team and mailbox, as its workflow emails them (`serviceRequestReferral`). */
function passedTo(policy: Policy, record: CaseRecord): { passedTo?: { team: string; mailbox: string } } {
  if (record.triage.exclusion !== 'service-request') return {};
  const referral = referralOf(policy, record, record.language ?? 'en');
  return referral?.mailbox ? { passedTo: { team: referral.team, mailbox: referral.mailbox } } : {};
}

/**
 * What `/favicon.ico` is answered with: no icon. Browsers ask for it after every page that names
 * none, and these name none: GOV.UK Frontend's icons are the crown, which is only for GOV.UK
 * services, and a council's own is not known here. A 404 put an error in every browser's console
 * and a line in the logs for every visitor; a 204 is taken as no icon, kept for a day as assets are.
 */
function noIcon(): APIGatewayProxyResult {
  return { statusCode: 204, headers: { 'Cache-Control': 'public, max-age=86400' }, body: '' };
}

async function asset(path: string): Promise<APIGatewayProxyResult> {
  const found = resolveAsset(path);
  if (!found) return html(404, notFoundPage(), securityHeaders());
  const body = await readFile(found.path);
  const text = /^(text\/|application\/javascript|image\/svg)/.test(found.contentType);
  return {
    statusCode: 200,
    headers: { 'Content-Type': found.contentType, 'Cache-Control': 'public, max-age=86400' },
    body: text ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: !text,
  };
}
