/**
 * Errors the adapters throw. Their `name`s are the contract with the workflows' Retry and Catch
 * (`RETRYABLE_ADAPTER_ERRORS` below are retried by every Task state; the others go to the
 * workflow's Catch). Messages never carry personal data (no email addresses, names or case text).
 */

/** Base class of errors from the AWS adapters; `cause` holds the SDK's error. */
export class AdapterError extends Error {
  override name = 'AdapterError';
}

/** AWS throttled the request and the SDK's own retries did not get through. Retry later. */
export class ThrottledError extends AdapterError {
  override name = 'ThrottledError';
}

/** The AWS service failed or could not be reached (5xx, network). Retry later. */
export class ServiceUnavailableError extends AdapterError {
  override name = 'ServiceUnavailableError';
}

/** The archive has no file for the case. */
export class ArchiveNotFoundError extends AdapterError {
  override name = 'ArchiveNotFoundError';
}

/** Any other failure of the archive bucket. */
export class ArchiveError extends AdapterError {
  override name = 'ArchiveError';
}

/** SES refused the message for good (rejected content, unverified sender, sending paused). Do not retry. */
export class MailRejectedError extends AdapterError {
  override name = 'MailRejectedError';
}

/** Any other failure to send mail. */
export class MailError extends AdapterError {
  override name = 'MailError';
}

/** Base class of Step Functions failures. */
export class WorkflowError extends AdapterError {
  override name = 'WorkflowError';
}

/** The state machine named in configuration does not exist. */
export class WorkflowNotFoundError extends WorkflowError {
  override name = 'WorkflowNotFoundError';
}

/**
 * The task token no longer answers: the callback timed out, the execution ended, or the token
 * was already used. The task page should say the link has expired rather than fail.
 */
export class TaskTokenInvalidError extends WorkflowError {
  override name = 'TaskTokenInvalidError';
}

/**
 * The adapter errors worth retrying: the workflows' retry policy (`workflows/definitions/retry-policy.ts`)
 * is built from this list, so a new retryable error is retried by every Task state at once.
 */
export const RETRYABLE_ADAPTER_ERRORS = [ThrottledError, ServiceUnavailableError] as const;

/** Error names (as the SDK reports them) that mean "slow down". */
const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'KmsThrottlingException',
  // Step Functions: too many open executions; they drain as cases progress.
  'ExecutionLimitExceeded',
]);

/** The SDK's name for an error (its exception type), or undefined for non-errors. */
export function awsErrorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** Whether the SDK error means the request was throttled. */
export function isThrottling(error: unknown): boolean {
  const name = awsErrorName(error);
  return name !== undefined && THROTTLING_NAMES.has(name);
}

/** Whether the SDK error is a server-side failure or a network failure (no HTTP response). */
export function isServiceFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  const fault = (error as { $fault?: string }).$fault;
  if (fault === 'server') return true;
  if (metadata?.httpStatusCode !== undefined) return metadata.httpStatusCode >= 500;
  return ['TimeoutError', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(
    (error as { code?: string }).code ?? error.name,
  );
}

/**
 * The retryable adapter error for an SDK error (throttled or service failure), or undefined
 * when it is something the caller must map itself.
 */
export function retryableErrorFor(error: unknown, action: string): AdapterError | undefined {
  if (isThrottling(error)) return new ThrottledError(`${action}: throttled by AWS`, { cause: error });
  if (isServiceFailure(error))
    return new ServiceUnavailableError(`${action}: AWS service failure`, { cause: error });
  return undefined;
}

/** Network failures that happen before a request reaches the service: nothing was acted on. */
const NOT_REACHED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Whether an adapter's error means the service certainly did not act: it refused for throttling,
 * rejected the request, or could not be reached at all. A server error (5xx), a timeout or a
 * connection cut mid-request is not certain — the service may have acted before the answer was
 * lost — so a step must find out (`functions/app/effects.ts`) rather than assume.
 */
export function actedOnNothing(error: unknown): boolean {
  if (error instanceof ThrottledError || error instanceof MailRejectedError) return true;
  if (!(error instanceof ServiceUnavailableError)) return false;
  const cause = error.cause as { code?: string; $metadata?: { attempts?: number } } | undefined;
  return NOT_REACHED_CODES.has(cause?.code ?? '') && (cause?.$metadata?.attempts ?? 1) <= 1;
}
