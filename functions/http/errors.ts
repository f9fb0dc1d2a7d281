import {
  ConcurrentActionError,
  FormTokenInvalidError,
  InputRejectedError,
  LinkExpiredError,
  LinkedCaseNotFoundError,
  LinkInvalidError,
  TaskAlreadyDoneError,
  TaskPassedOnError,
} from '../domain/errors.js';

/**
 * Typed HTTP errors. Handlers throw these, or the domain's errors, which `httpErrorOf` maps to
 * these; one error middleware (`middleware.ts`) turns them into responses. Anything else
 * becomes a plain 500 with no detail.
 */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly statusCode: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Bad input: one message per field, keyed by the field's dotted path (`complainant.email`). */
export class ValidationError extends HttpError {
  override name = 'ValidationError';
  constructor(readonly fields: Record<string, string>) {
    super(400, 'There is a problem with what was sent');
  }
}

export class PayloadTooLargeError extends HttpError {
  override name = 'PayloadTooLargeError';
  constructor(limitBytes: number) {
    super(413, `The request body is larger than ${Math.round(limitBytes / 1024)} KB`);
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  override name = 'UnsupportedMediaTypeError';
  constructor(contentType: string | undefined) {
    super(
      415,
      `Send application/json or application/x-www-form-urlencoded, not ${contentType ? `"${contentType}"` : 'no content type'}`,
    );
  }
}

export class NotFoundError extends HttpError {
  override name = 'NotFoundError';
  constructor(message = 'Page not found') {
    super(404, message);
  }
}

export class MethodNotAllowedError extends HttpError {
  override name = 'MethodNotAllowedError';
  constructor(readonly allow: string[]) {
    super(405, `Use ${allow.join(' or ')}`);
  }
}

/** Problems with an emailed link: tampered (403), expired (410), already used (409), unknown (404). */
export class LinkError extends HttpError {
  override name = 'LinkError';
  constructor(
    statusCode: 403 | 404 | 409 | 410,
    message: string,
    readonly detail?: { doneBy?: string; doneAt?: string },
  ) {
    super(statusCode, message);
  }
}

/** The case was stored but something after it failed; the answer still carries the reference. */
export class ServiceUnavailableError extends HttpError {
  override name = 'ServiceUnavailableError';
  constructor(
    message: string,
    readonly body?: Record<string, unknown>,
  ) {
    super(503, message);
  }
}

/**
 * The one place the domain's errors become HTTP: each maps to the status and message people
 * have always been shown (the link problems to their 403/404/409/410 pages, rejected input to
 * a 400 with one message per field). Typed HTTP errors pass through; anything else is
 * `undefined`, which the middleware answers with a plain 500.
 */
export function httpErrorOf(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof InputRejectedError) return new ValidationError({ ...error.fields });
  if (error instanceof TaskAlreadyDoneError) return new LinkError(409, error.message, error.done);
  if (error instanceof ConcurrentActionError) return new LinkError(409, error.message);
  if (error instanceof LinkExpiredError) return new LinkError(410, error.message);
  if (error instanceof LinkedCaseNotFoundError) return new LinkError(404, error.message);
  if (
    error instanceof LinkInvalidError ||
    error instanceof FormTokenInvalidError ||
    error instanceof TaskPassedOnError
  ) {
    return new LinkError(403, error.message);
  }
  return undefined;
}
