import { isServiceFailure, isThrottling, RETRYABLE_ADAPTER_ERRORS } from '../adapters/errors.js';
import {
  CaseErasedError,
  ConcurrentActionError,
  DecisionNotYetDeliveredError,
  FormTokenInvalidError,
  InputRejectedError,
  IntakeLimitReachedError,
  LinkExpiredError,
  LinkedCaseNotFoundError,
  LinkInvalidError,
  TaskAlreadyDoneError,
  TaskNotOpenYetError,
  TaskOpeningAgainError,
  TaskPassedOnError,
} from '../domain/errors.js';
import { ConcurrentUpdateError } from '../domain/ports.js';

/**
 * Typed HTTP errors. Handlers throw these, or the domain's and adapters' errors, which
 * `httpErrorOf` maps to these; one error middleware (`middleware.ts`) turns them into
 * responses. Anything else becomes a plain 500 with no detail.
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

/**
 * A body over the size limit. Its message is for people (it is shown on the page and in the
 * JSON): what happened, that nothing was kept, and what to do; the limit itself is in `limitBytes`.
 */
export class PayloadTooLargeError extends HttpError {
  override name = 'PayloadTooLargeError';
  constructor(readonly limitBytes: number) {
    super(
      413,
      `What you sent is longer than this form can take (${Math.round(limitBytes / 1024)} KB), so it was not accepted. Nothing has been saved. Go back, make the longest answer shorter and send it again.`,
    );
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
    readonly detail?: { doneBy?: string; doneAt?: string; notYet?: true; unsent?: true; replaced?: true },
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
 * What a problem page may say of an error: its message and, for bad input, each field's, when
 * they are meant for people (a 4xx, or a 503 saying what was saved); nothing of a failure, whose
 * detail is for the logs. Undefined (no error known): a failure.
 */
export function problemShown(error: HttpError | undefined): {
  status: number;
  message?: string;
  details?: string[];
} {
  const status = error?.statusCode ?? 500;
  if (!error || (status >= 500 && !(error instanceof ServiceUnavailableError))) return { status };
  return {
    status,
    message: error.message,
    ...(error instanceof ValidationError ? { details: Object.values(error.fields) } : {}),
  };
}

/**
 * Seconds a client is asked to wait (`Retry-After`) when a dependency did not answer: long
 * enough for a throttled table or a restarting service to recover, short enough that a person
 * trying again "in a minute" finds it back.
 */
export const RETRY_AFTER_SECONDS = 30;

/**
 * One of the services Redress depends on was throttled, failing or unreachable, so the request
 * did nothing: 503 with `Retry-After`. Its message says what did not happen, in the terms of
 * what the person was doing (see `unavailableMessage`).
 */
export class DependencyUnavailableError extends HttpError {
  override name = 'DependencyUnavailableError';
  readonly retryAfterSeconds = RETRY_AFTER_SECONDS;
  constructor(message: string, options?: { cause?: unknown }) {
    super(503, message, options);
  }
}

/** Too many requests from one sender: 429 with `Retry-After`, and a message saying when. */
export class TooManyRequestsError extends HttpError {
  override name = 'TooManyRequestsError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, message);
  }
}

/** The request an error happened in, as far as the mapping needs it. */
export interface RequestLine {
  method: string;
  path: string;
  /**
   * The request carried a key that makes sending it again safe (an `Idempotency-Key`, or the
   * feedback form's token, which is its key).
   */
  keyed?: boolean;
  /**
   * A complaint sent with no key whose receipt, were it saved, would be emailed (it gave an email
   * address and did not ask for letters by post, nor was it anonymous): false when it would not,
   * unset when that cannot be told (a body that is not JSON).
   */
  receiptEmailed?: boolean;
}

const NOT_ANSWERING = 'because one of our systems is not answering';

/**
 * What a person is told when a dependency is down, by what they were doing: sending feedback,
 * recording an officer's decision, or anything else (reading a page). Each says what happened
 * and what to do; feedback's never that nothing was saved, which it cannot know.
 */
export function unavailableMessage(request?: RequestLine): string {
  const method = request?.method.toUpperCase();
  const path = request?.path.replace(/\/$/, '') ?? '';
  if (method === 'POST' && path === '/complaints') {
    // Never "nothing has been saved", nor "could not save": a write whose answer was lost (a
    // stalled table, a cut connection, the Lambda's time running out) may have stored the case,
    // whose workflow then starts and whose receipt is emailed. Sent again with the same key (the
    // form's token, or the `Idempotency-Key`), it finds that case rather than storing another.
    if (request?.keyed) {
      return `We could not finish saving your complaint or feedback just now ${NOT_ANSWERING}. It may have been saved. Try again in a minute: if it was saved, you will get its reference, and it will not be saved twice.`;
    }
    // Without a key nothing tells the same feedback sent again from new feedback: sent again, it
    // would be stored again. Its receipt is what says it was stored, and only one that gave an
    // email address, and did not ask for letters by post, gets one by email.
    if (request?.receiptEmailed === false) {
      return `We could not finish saving your complaint or feedback just now ${NOT_ANSWERING}. It may have been saved. It gave no email address for our replies, so no receipt will come by email to tell you: if you send it again, say in it that it may be a copy of one sent before, as it may then be saved twice. Next time, send each complaint with an Idempotency-Key header: sent again with the same key, it is never saved twice.`;
    }
    if (request?.receiptEmailed === true) {
      return `We could not finish saving your complaint or feedback just now ${NOT_ANSWERING}. It may have been saved: if it was, a receipt with its reference will be emailed to the address given in it. Look for that receipt before you send it again, or it may be saved twice. If none has come within an hour, send it again. Next time, send each complaint with an Idempotency-Key header: sent again with the same key, it is never saved twice.`;
    }
    // Whether it gave one is not known here (a body that is not JSON): words that hold either way.
    return `We could not finish saving your complaint or feedback just now ${NOT_ANSWERING}. It may have been saved. If it gave an email address and did not ask for letters by post, a receipt with its reference will be emailed to that address if it was saved: look for that receipt before you send it again, or it may be saved twice, and if none has come within an hour, send it again. Otherwise no receipt will be emailed: if you send it again, say in it that it may be a copy of one sent before, as it may then be saved twice. Next time, send each complaint with an Idempotency-Key header: sent again with the same key, it is never saved twice.`;
  }
  if (method === 'POST' && path.startsWith('/tasks/')) {
    // Never "not recorded" either: the decision's write, or its hand-over to the workflow, may
    // have happened before the answer was lost. The same link again is safe: a decision taken is
    // answered as taken (`tasks.ts`, `earlierDecision`), and nothing is done twice.
    return `We could not finish recording your decision just now ${NOT_ANSWERING}. It may have been recorded. Try again in a minute: if it was recorded, you will be told so, and nothing will be done twice.`;
  }
  if (method !== undefined && method !== 'GET' && method !== 'HEAD') {
    // Never "nothing has been changed": a write whose answer was lost (a stalled table, the
    // Lambda's time running out) may have landed, and done again it is done twice (a second note,
    // a second link emailed, a call recorded again from a new form).
    return `We could not finish this just now ${NOT_ANSWERING}. It may have been done: in a minute, check whether it was before you try again.`;
  }
  return `We cannot show this page just now ${NOT_ANSWERING}. Try again in a minute.`;
}

/**
 * Whether an error means "a dependency is down, try again later": the adapters' retryable
 * errors (`ThrottledError`, `ServiceUnavailableError`), and an AWS SDK error that slipped past
 * an adapter unmapped but is throttling, a server fault or a network failure.
 */
export function isRetryable(error: unknown): boolean {
  return (
    RETRYABLE_ADAPTER_ERRORS.some((retryable) => error instanceof retryable) ||
    isThrottling(error) ||
    isServiceFailure(error)
  );
}

/**
 * The one place the domain's and adapters' errors become HTTP: each maps to the status and
 * message people have always been shown (the link problems to their 403/404/409/410 pages,
 * rejected input to a 400 with one message per field), and a dependency that is down to a 503
 * saying what did not happen (worded for `request`). Typed HTTP errors pass through; anything
 * else is `undefined`, which the middleware answers with a plain 500.
 */
export function httpErrorOf(error: unknown, request?: RequestLine): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (isRetryable(error))
    return new DependencyUnavailableError(unavailableMessage(request), { cause: error });
  if (error instanceof InputRejectedError) return new ValidationError({ ...error.fields });
  if (error instanceof IntakeLimitReachedError)
    return new TooManyRequestsError(error.message, error.retryAfterSeconds);
  if (error instanceof TaskAlreadyDoneError) return new LinkError(409, error.message, error.done);
  if (error instanceof TaskNotOpenYetError) return new LinkError(409, error.message, { notYet: true });
  if (error instanceof TaskOpeningAgainError) {
    return new LinkError(409, error.message, error.detail.sent ? { unsent: true } : { replaced: true });
  }
  if (error instanceof ConcurrentActionError) return new LinkError(409, error.message);
  if (error instanceof CaseErasedError) return new HttpError(409, error.message);
  // A staff action that lost a race with the workflow or a colleague: nothing was changed.
  if (error instanceof ConcurrentUpdateError) {
    return new HttpError(
      409,
      'The case changed while you were acting on it. Open it again and try once more.',
    );
  }
  if (error instanceof DecisionNotYetDeliveredError) {
    return new ServiceUnavailableError(
      'Your decision is saved, but the case could not move on just now. Use the same link again in a minute to finish: nothing will be done twice.',
      { reference: error.reference },
    );
  }
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
