/**
 * ASL error handling: which `Retry` and `Catch` entries match a failure, how long a retry
 * backs off, and what a catcher hands on.
 */
import type { Catcher, Retrier, StateDefinition } from './asl.js';
import { StatesError } from './errors.js';

/** Turns anything thrown while running a state into an ASL error. */
export function toStatesError(error: unknown): StatesError {
  if (error instanceof StatesError) return error;
  // Anything else is a fault of the engine or the definition, never retried or caught.
  const message = error instanceof Error ? error.message : String(error);
  return new StatesError('States.Runtime', message, false);
}

/** Whether `ErrorEquals` matches the error (States.ALL; States.TaskFailed on a Task, except timeouts). */
export function errorMatches(
  errorEquals: string[],
  failure: StatesError,
  stateType: StateDefinition['Type'],
): boolean {
  if (!failure.recoverable) return false;
  return errorEquals.some(
    (name) =>
      name === failure.error ||
      name === 'States.ALL' ||
      (name === 'States.TaskFailed' && stateType === 'Task' && failure.error !== 'States.Timeout'),
  );
}

/**
 * The retrier that applies, if the error should be retried: the first whose ErrorEquals
 * matches, provided it has attempts left (AWS does not fall through to later retriers).
 */
export function findRetrier(
  state: StateDefinition,
  failure: StatesError,
  attempts: number[],
): { retrier: Retrier; index: number } | undefined {
  const retriers = state.Retry ?? [];
  for (let index = 0; index < retriers.length; index++) {
    const retrier = retriers[index] as Retrier;
    if (!errorMatches(retrier.ErrorEquals, failure, state.Type)) continue;
    return (attempts[index] ?? 0) < (retrier.MaxAttempts ?? 3) ? { retrier, index } : undefined;
  }
  return undefined;
}

/** The delay before retry number `attempt + 1` (IntervalSeconds × BackoffRate^attempt, capped, with jitter). */
export function retryDelayMs(retrier: Retrier, attempt: number, random: () => number): number {
  let seconds = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** attempt;
  if (retrier.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.MaxDelaySeconds);
  const ms = seconds * 1000;
  return retrier.JitterStrategy === 'FULL' ? Math.floor(random() * ms) : ms;
}

/** The first catcher that matches the error. */
export function findCatcher(state: StateDefinition, failure: StatesError): Catcher | undefined {
  return (state.Catch ?? []).find((catcher) => errorMatches(catcher.ErrorEquals, failure, state.Type));
}

/** The error output a catcher hands on (`{ Error, Cause }`). */
export function errorOutput(failure: StatesError): { Error: string; Cause?: string } {
  return failure.causeText === undefined
    ? { Error: failure.error }
    : { Error: failure.error, Cause: failure.causeText };
}
