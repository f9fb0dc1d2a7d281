import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { HttpError, LinkError, ValidationError } from '../http/errors.js';
import { httpErrors } from '../http/middleware.js';
import { cookie, header, parseBody } from '../http/request.js';
import { html, json } from '../http/responses.js';
import { Router } from '../http/router.js';
import { resolveAsset } from '../web/assets.js';
import {
  confirmationPage,
  errorPage,
  linkProblemPage,
  notFoundPage,
  renderPage,
  residentFormPage,
} from '../web/render.js';
import { securityHeaders } from '../web/security-headers.js';
import { type IntakeDeps, submitFeedback } from './intake.js';

export type ApiDeps = IntakeDeps & {
  /** Extra routes (officer tasks, case pages, reports) registered by their own modules. */
  extraRoutes?: (router: Router) => void;
};

const CSRF_COOKIE = 'redress_csrf';

/**
 * The HTTP API behind API Gateway and behind the local stand-in: the resident's form and
 * intake, health, assets; officer and report routes are added by their modules.
 */
export function createApi(
  deps: ApiDeps,
): middy.MiddyfiedHandler<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const router = new Router()
    .on('GET', '/health', async () => json(200, { status: 'ok' }))
    .on('GET', '/', async () => formPage(deps))
    .on('POST', '/complaints', (event) => intake(deps, event))
    .on('GET', '/assets/{path+}', async (event) => asset(event.path));
  deps.extraRoutes?.(router);

  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(httpErrors(errorPageFor))
    .handler((event) => router.handle(event));
}

function errorPageFor(error: HttpError | undefined): { body: string; headers: Record<string, string> } {
  const headers = securityHeaders();
  if (error instanceof LinkError) {
    return {
      body: linkProblemPage({ status: error.statusCode as 403 | 404 | 409 | 410, ...error.detail }),
      headers,
    };
  }
  if (error?.statusCode === 404) return { body: notFoundPage(), headers };
  if (!error || error.statusCode >= 500) return { body: errorPage(), headers };
  // Other problems a person can fix (an expired form, a wrong method): say what to do.
  return {
    body: renderPage('message', {
      pageTitle: 'There is a problem',
      heading: 'There is a problem',
      paragraphs: [error.message],
    }),
    headers,
  };
}

function newCsrf(): string {
  return randomBytes(24).toString('base64url');
}

function csrfCookie(value: string): string {
  return `${CSRF_COOKIE}=${value}; Path=/; HttpOnly; Secure; SameSite=Strict`;
}

function formPage(
  deps: ApiDeps,
  state: { values?: Record<string, unknown>; errors?: Record<string, string>; csrf?: string } = {},
  statusCode = 200,
): APIGatewayProxyResult {
  const csrf = state.csrf ?? newCsrf();
  return html(
    statusCode,
    residentFormPage({ policy: deps.policy, values: state.values, errors: state.errors, csrf }),
    { ...securityHeaders(), 'Set-Cookie': csrfCookie(csrf) },
  );
}

async function intake(deps: ApiDeps, event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const { format, data } = parseBody(event);
  const idempotencyKey = header(event, 'idempotency-key')?.trim() || undefined;
  if (idempotencyKey && idempotencyKey.length > 200) {
    throw new ValidationError({ 'Idempotency-Key': 'Idempotency-Key must be 200 characters or fewer' });
  }

  if (format === 'json') {
    const { record, created } = await submitFeedback(deps, data, { idempotencyKey });
    return json(created ? 201 : 200, answer(record), created ? {} : { 'Idempotent-Replayed': 'true' });
  }

  // A browser form post: check the double-submit CSRF token, then show the form again with
  // the GOV.UK error summary on bad input, or the confirmation panel.
  const form = { ...(data as Record<string, unknown>) };
  const csrf = typeof form.csrf === 'string' ? form.csrf : undefined;
  delete form.csrf;
  if (!csrf || csrf !== cookie(event, CSRF_COOKIE)) {
    throw new HttpError(
      403,
      'The form has expired. Go back to the form, refresh the page and send it again.',
    );
  }
  const onBehalf = form.onBehalf;
  delete form.onBehalf;
  if (onBehalf !== 'yes') delete form.onBehalfOf;
  try {
    const { record } = await submitFeedback(deps, form, { idempotencyKey: idempotencyKey ?? `form:${csrf}` });
    return html(
      200,
      confirmationPage({
        reference: record.reference,
        kind: record.submittedKind,
        deadlines: record.deadlines,
        councilName: deps.policy.council,
        ...(record.triage.redirect ? { redirect: record.triage.redirect } : {}),
      }),
      securityHeaders(),
    );
  } catch (error: unknown) {
    if (error instanceof ValidationError) {
      return formPage(deps, { values: { ...form, onBehalf }, errors: error.fields, csrf }, 400);
    }
    throw error;
  }
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
