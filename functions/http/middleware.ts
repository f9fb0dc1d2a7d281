import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { logger } from '../observability.js';
import {
  type HttpError,
  httpErrorOf,
  LinkError,
  MethodNotAllowedError,
  ServiceUnavailableError,
  ValidationError,
} from './errors.js';
import { header } from './request.js';
import { html, json } from './responses.js';

/** Renders an HTML error page for browsers; the API function supplies the GOV.UK pages. */
export type ErrorPageRenderer = (error: HttpError | undefined) => {
  body: string;
  headers?: Record<string, string>;
};

/**
 * The one error middleware (STYLE.md, middy): typed HTTP errors, and the domain errors
 * `httpErrorOf` maps to them, become their status with a message meant for people; anything
 * else becomes a plain 500 with no detail, logged by name only — never the request body,
 * which holds personal data.
 */
export function httpErrors(
  renderPage?: ErrorPageRenderer,
): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    onError: async (request) => {
      const error = request.error;
      // Domain errors (a link expired, a form rejected…) become their HTTP error here, so
      // routes and use cases throw them as they are.
      const known = httpErrorOf(error);
      if (!known) {
        logger.error('request failed', {
          path: request.event.path,
          method: request.event.httpMethod,
          error: error instanceof Error ? error.name : typeof error,
        });
      }
      const status = known?.statusCode ?? 500;
      const extraHeaders: Record<string, string> =
        known instanceof MethodNotAllowedError ? { Allow: known.allow.join(', ') } : {};
      const accept = header(request.event, 'accept') ?? '';
      const contentType = header(request.event, 'content-type') ?? '';
      const browser =
        renderPage !== undefined &&
        (contentType.startsWith('application/x-www-form-urlencoded') ||
          (accept.includes('text/html') && !contentType.includes('json')));
      if (browser) {
        const page = renderPage(known);
        request.response = html(status, page.body, { ...extraHeaders, ...page.headers });
        return;
      }
      const body: Record<string, unknown> = {
        message: known?.message ?? 'Something went wrong. Try again later.',
      };
      if (known instanceof ValidationError) body.errors = known.fields;
      if (known instanceof ServiceUnavailableError && known.body) Object.assign(body, known.body);
      if (known instanceof LinkError && known.detail) Object.assign(body, known.detail);
      request.response = json(status, body, extraHeaders);
    },
  };
}
