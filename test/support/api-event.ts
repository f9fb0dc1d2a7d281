import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { CSRF_COOKIE, feedbackFormToken } from '../../functions/web/form-token.js';

/** Builds an API Gateway (REST, proxy) event as the local stand-in and AWS both deliver it. */
export function apiEvent(
  method: string,
  path: string,
  options: { body?: string; headers?: Record<string, string>; query?: Record<string, string> } = {},
): APIGatewayProxyEvent {
  return {
    httpMethod: method,
    path,
    resource: '/{proxy+}',
    body: options.body ?? null,
    isBase64Encoded: false,
    headers: options.headers ?? {},
    multiValueHeaders: {},
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {} as APIGatewayProxyEvent['requestContext'],
  };
}

export function jsonPost(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyEvent {
  return apiEvent('POST', path, {
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function formPost(
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): APIGatewayProxyEvent {
  return apiEvent('POST', path, {
    body: new URLSearchParams(fields).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html', ...headers },
  });
}

/**
 * What a browser sends back from a feedback form page it was given: the page's hidden `csrf`
 * token and the cookie the page set.
 */
export function feedbackFormCsrfOf(page: APIGatewayProxyResult): { csrf: string; cookie: string } {
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1];
  const value = new RegExp(`${CSRF_COOKIE}=([^;]+)`).exec(String(page.headers?.['Set-Cookie']))?.[1];
  if (!csrf || !value) throw new Error(`not a feedback form page: ${page.statusCode}`);
  return { csrf, cookie: `${CSRF_COOKIE}=${value}` };
}

/** A browser's feedback form cookie, as the form page makes them (32 URL-safe characters). */
export const BROWSER_FORM_COOKIE = 'browser-form-cookie-0123456789ab';

/**
 * A feedback form token issued at `now` to the browser with `BROWSER_FORM_COOKIE` (or another
 * cookie), and that `Cookie` header, for a post made without fetching the page first.
 */
export function feedbackFormCsrf(
  secret: string,
  now: Date,
  formCookie = BROWSER_FORM_COOKIE,
): { csrf: string; cookie: string } {
  return { csrf: feedbackFormToken(formCookie, secret, now), cookie: `${CSRF_COOKIE}=${formCookie}` };
}
