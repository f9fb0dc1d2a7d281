/**
 * Errors of the local Step Functions API. They mirror the AWS API's error codes so code that
 * checks `error.name === 'ExecutionAlreadyExists'` (as it would with the AWS SDK, whose
 * exceptions are named by code) behaves the same against this engine and against AWS.
 */

/** Error codes of the AWS Step Functions API that this engine can answer with. */
export type SfnErrorCode =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'ExecutionNotRedrivable'
  | 'StateMachineDoesNotExist'
  | 'StateMachineAlreadyExists'
  | 'InvalidDefinition'
  | 'InvalidName'
  | 'InvalidArn'
  | 'InvalidExecutionInput'
  | 'InvalidOutput'
  | 'InvalidToken'
  | 'TaskDoesNotExist'
  | 'TaskTimedOut'
  | 'ValidationException'
  | 'UnknownOperationException';

/**
 * An error from the Step Functions API. `name` is the AWS error code (like the SDK's
 * exceptions) and `code` repeats it for readers who prefer a dedicated field.
 */
export class SfnApiError extends Error {
  override name: SfnErrorCode;
  readonly code: SfnErrorCode;

  constructor(code: SfnErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = code;
    this.code = code;
  }
}

/** Raised inside a running execution when it was stopped or its engine closed. */
export class ExecutionStoppedError extends Error {
  override name = 'ExecutionStoppedError';
}

/** A state failed with an ASL error name (`Error`) and an optional `Cause`. */
export class StatesError extends Error {
  override name = 'StatesError';
  /** The ASL error name matched by Retry/Catch `ErrorEquals`. */
  readonly error: string;
  /** The ASL cause text (a JSON string for Lambda errors). */
  readonly causeText: string | undefined;
  /** `States.Runtime` and friends are neither retried nor caught (as on AWS). */
  readonly recoverable: boolean;

  constructor(error: string, cause?: string, recoverable = true) {
    // No stack trace: a StatesError is an outcome a workflow handles (a timeout, a failed task
    // whose cause carries the Lambda's own trace), not a fault to debug, and capturing one was
    // most of the cost of every callback timeout and SendTaskFailure.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(cause ? `${error}: ${cause}` : error);
    Error.stackTraceLimit = limit;
    this.error = error;
    this.causeText = cause;
    this.recoverable = recoverable;
  }
}
