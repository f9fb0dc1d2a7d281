/**
 * The one retry policy of every Task state, built from the error classes the steps throw, so
 * the contract between the adapters and the workflows lives in code both sides import.
 *
 * - An outage (AWS throttling or failing, Lambda's own service errors, a step that timed out
 *   while the SDK waited on a dead dependency) is retried with exponential backoff capped at
 *   five minutes for about an hour and a half, so a case rides out an outage of DynamoDB, SES
 *   or S3 instead of failing. No jitter here: each case's retries are anchored at the moment
 *   its own step failed, so they are spread already, and without jitter the cover is a
 *   guarantee rather than an expectation (`outageCoverSeconds` below is what the tests pin).
 * - A lost write race (`ConcurrentUpdateError`) is retried at once and briefly, with full
 *   jitter, because two writers that collided should not collide again.
 * - A step waiting for SES to confirm an email an earlier attempt may have sent is retried the
 *   same way (`EffectUnconfirmedError`).
 * - Anything else (a rejected email, a missing case, a malformed payload) is not retried: it goes
 *   to the workflow's Catch, which tells the complaints team.
 */
import { RETRYABLE_ADAPTER_ERRORS } from '../../functions/adapters/errors.js';
import { EffectUnconfirmedError } from '../../functions/app/effects.js';
import { ConcurrentUpdateError } from '../../functions/domain/ports.js';

/** One entry of a Task state's `Retry` array, as Amazon States Language spells it. */
export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds: number;
  MaxAttempts: number;
  BackoffRate: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

/** The `name` an error class gives its instances: what Lambda reports as the error type. */
export function errorNameOf(errorClass: new (message: string) => Error): string {
  return new errorClass('').name;
}

/**
 * Errors Step Functions itself raises when invoking Lambda fails for reasons of the service
 * (AWS's documented list of transient Lambda errors), and a function that timed out, ran out of
 * memory or was killed: every step is idempotent, so running it again is safe.
 */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.Unknown',
  'Sandbox.Timedout',
  'Runtime.ExitError',
] as const;

/**
 * Every error name retried as an outage, including a step waiting for SES to confirm an email
 * its earlier attempt may have sent (`EffectUnconfirmedError`, settled within ten minutes).
 */
export const OUTAGE_ERRORS: readonly string[] = [
  ...LAMBDA_SERVICE_ERRORS,
  ...RETRYABLE_ADAPTER_ERRORS.map(errorNameOf),
  errorNameOf(EffectUnconfirmedError),
];

/**
 * Errors of a service not answering, which no fault of the step itself can cause: a Task state
 * whose retries are spent on one of these enters itself again (see `states.ts`). A function that
 * crashed, ran out of memory or timed out is retried but not looped on: it may be the step's own
 * fault, and the complaints team must hear of it.
 */
export const SERVICE_OUTAGE_ERRORS: readonly string[] = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  ...RETRYABLE_ADAPTER_ERRORS.map(errorNameOf),
  errorNameOf(EffectUnconfirmedError),
];

/** The error name of a lost conditional write. */
export const WRITE_RACE_ERROR = errorNameOf(ConcurrentUpdateError);

/** The Retry array every Task state carries. */
export const RETRY_POLICY: readonly Retrier[] = [
  {
    ErrorEquals: [WRITE_RACE_ERROR],
    IntervalSeconds: 1,
    MaxAttempts: 6,
    BackoffRate: 2,
    JitterStrategy: 'FULL',
  },
  {
    ErrorEquals: [...OUTAGE_ERRORS],
    IntervalSeconds: 2,
    MaxAttempts: 24,
    BackoffRate: 2,
    MaxDelaySeconds: 300,
    JitterStrategy: 'NONE',
  },
];

/**
 * The shortest time, in seconds, between the first failure and the last retry of a retrier:
 * how long an outage it rides out for certain. With full jitter each wait may be as short as
 * zero, so such a retrier guarantees nothing.
 */
export function outageCoverSeconds(retrier: Retrier): number {
  if (retrier.JitterStrategy === 'FULL') return 0;
  let total = 0;
  for (let attempt = 0; attempt < retrier.MaxAttempts; attempt++) {
    const wait = retrier.IntervalSeconds * retrier.BackoffRate ** attempt;
    total += Math.min(wait, retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY);
  }
  return total;
}
