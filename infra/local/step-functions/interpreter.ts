/**
 * Per-state data flow of the local engine: paths, payload templates, Choice rules, Wait
 * instants, Retry/Catch matching. Expression evaluation is the library's (`library.ts`);
 * what is written here is where AWS's rules differ from the library's or where the library
 * has no separate function (noted at each place).
 */
import type { Catcher, Retrier, StateDefinition } from './asl.js';
import { StatesError } from './errors.js';
import { lib } from './library.js';

/** The context object (`$$`) as AWS builds it for JSONPath states. */
export interface ContextObject {
  Execution: {
    Id: string;
    Input: unknown;
    Name: string;
    RoleArn: string;
    StartTime: string;
    RedriveCount: number;
  };
  State: { EnteredTime: string; Name: string; RetryCount: number };
  StateMachine: { Id: string; Name: string };
  Task?: { Token: string };
  Map?: { Item: { Index: number; Value: unknown } };
}

/** A deep copy through JSON, as data crossing a state or a Lambda boundary is on AWS. */
export function jsonClone<T>(value: T): T {
  return value === undefined ? (null as T) : (JSON.parse(JSON.stringify(value)) as T);
}

/** `InputPath` (absent: the whole input; `null`: `{}`). */
export function applyInputPath(state: StateDefinition, raw: unknown, ctx: ContextObject): unknown {
  return lib.processInputPath(state.InputPath, raw, ctx);
}

/** A payload template (`Parameters`, `ResultSelector`, `ItemSelector`) with `.$` keys and intrinsics. */
export function applyTemplate(template: unknown, input: unknown, ctx: ContextObject): unknown {
  return lib.processPayloadTemplate(template, input, ctx);
}

/**
 * `ResultPath`. Hand-written in front of the library: it treats `"$"` as a key named `$`
 * instead of "the result replaces the input", which AWS does.
 */
export function applyResultPath(path: string | null | undefined, raw: unknown, result: unknown): unknown {
  if (path === undefined || path === '$') return result;
  if (path === null) return raw;
  return lib.processResultPath(path, raw, result);
}

/** `OutputPath` (absent: everything; `null`: `{}`). */
export function applyOutputPath(state: StateDefinition, result: unknown, ctx: ContextObject): unknown {
  return lib.processOutputPath(state.OutputPath, result, ctx);
}

/** ResultSelector, ResultPath and OutputPath of a Task, Parallel or Map state's result. */
export function processResult(
  state: StateDefinition,
  raw: unknown,
  result: unknown,
  ctx: ContextObject,
): unknown {
  const selected = 'ResultSelector' in state ? applyTemplate(state.ResultSelector, result, ctx) : result;
  return applyOutputPath(state, applyResultPath(state.ResultPath, raw, selected), ctx);
}

/** A JSONPath query against the state input (or `$$`), failing with States.Runtime when it points nowhere. */
export function query(path: string, input: unknown, ctx: ContextObject): unknown {
  return lib.jsonPathQuery(path, input, ctx);
}

const TYPE_TESTS = ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'] as const;

/**
 * Rewrites `{"IsPresent": false}`-style tests as `Not` of the `true` test: the library returns
 * false for every `false` type test, while AWS matches when the type test fails.
 */
function normaliseRule(rule: unknown): unknown {
  if (typeof rule !== 'object' || rule === null) return rule;
  const r = rule as Record<string, unknown>;
  if (Array.isArray(r.And)) return { ...r, And: r.And.map(normaliseRule) };
  if (Array.isArray(r.Or)) return { ...r, Or: r.Or.map(normaliseRule) };
  if (r.Not !== undefined) return { ...r, Not: normaliseRule(r.Not) };
  for (const test of TYPE_TESTS) {
    if (r[test] === false) {
      const { Next, ...rest } = r;
      const inner = { ...rest, [test]: true };
      return Next === undefined ? { Not: inner } : { Not: inner, Next };
    }
  }
  return rule;
}

/** The state a Choice state moves to (the library evaluates the rules). */
export async function evaluateChoice(
  name: string,
  state: StateDefinition,
  input: unknown,
  ctx: ContextObject,
): Promise<string> {
  const normalised = { ...state, Choices: (state.Choices ?? []).map(normaliseRule) };
  const { nextState } = await new lib.ChoiceStateAction(normalised, name).execute(input, ctx);
  return nextState;
}

/** The Error and Cause a Fail state ends with (`ErrorPath`/`CausePath` against its input). */
export function failOutcome(state: StateDefinition, input: unknown, ctx: ContextObject): StatesError {
  const read = (path: string | undefined, fixed: string | undefined): string | undefined => {
    if (path === undefined) return fixed;
    return lib.jsonPathQuery(path, input, ctx, { constraints: [lib.StringConstraint] }) as string;
  };
  return new StatesError(read(state.ErrorPath, state.Error) ?? '', read(state.CausePath, state.Cause));
}

/**
 * When a Wait state wakes, in ms since the epoch. Hand-written because the library computes a
 * real-time delay from `Date.now()`; here the instant is absolute so it survives restarts and
 * runs on the engine's clock. `Seconds` count from when the state was entered.
 */
export function waitInstant(
  state: StateDefinition,
  input: unknown,
  ctx: ContextObject,
  enteredMs: number,
): number {
  if (state.Seconds !== undefined) return enteredMs + state.Seconds * 1000;
  if (state.Timestamp !== undefined) return Date.parse(state.Timestamp);
  if (state.SecondsPath !== undefined) {
    const seconds = lib.jsonPathQuery(state.SecondsPath, input, ctx, {
      constraints: [lib.IntegerConstraint.greaterThanOrEqual(0)],
    }) as number;
    return enteredMs + seconds * 1000;
  }
  if (state.TimestampPath !== undefined) {
    const timestamp = lib.jsonPathQuery(state.TimestampPath, input, ctx, {
      constraints: [lib.RFC3339TimestampConstraint],
    }) as string;
    return Date.parse(timestamp);
  }
  return enteredMs;
}

/** AWS's default `TimeoutSeconds` for a Task (the library's is 60 s). */
export const DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;

/**
 * A Task's `TimeoutSeconds(Path)` or `HeartbeatSeconds(Path)`. The path is read from the
 * state input after `InputPath`, as AWS does (the library reads it from the `Parameters`
 * output, so a template that drops the field loses the timeout).
 */
export function secondsSetting(
  fixed: number | undefined,
  path: string | undefined,
  input: unknown,
  ctx: ContextObject,
): number | undefined {
  if (fixed !== undefined) return fixed;
  if (path === undefined) return undefined;
  return lib.jsonPathQuery(path, input, ctx, {
    constraints: [lib.IntegerConstraint.greaterThanOrEqual(1)],
  }) as number;
}

/** Turns anything thrown while running a state into an ASL error. */
export function toStatesError(error: unknown): StatesError {
  if (error instanceof StatesError) return error;
  if (error instanceof lib.RuntimeError) {
    const runtime = error as InstanceType<typeof lib.RuntimeError>;
    return new StatesError(runtime.name, runtime.message, runtime.isCatchable);
  }
  // Anything else is a fault while evaluating the definition (e.g. a bad States.StringToJson).
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
