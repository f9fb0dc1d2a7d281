/**
 * Task states that call Lambda: a function ARN as `Resource`, `lambda:invoke`, and
 * `lambda:invoke.waitForTaskToken` callbacks, with AWS's timeouts (read from the state
 * input, a 99999999 s default) and AWS-shaped history events.
 */
import { lambdaFunctionName, type StateDefinition, taskIntegration } from './asl.js';
import type { CallbackOutcome, CallbackRegistry, PendingCallback } from './callbacks.js';
import { applyInputPath, applyTemplate, type ContextObject, processResult } from './data-flow.js';
import { ExecutionStoppedError, StatesError } from './errors.js';
import { type ExecutionRegistry, jsonText } from './executions.js';
import type { LiveExecution, Scope, StepResult } from './interpreter.js';
import type { IntrinsicOptions } from './intrinsics.js';
import { readInteger } from './json-path.js';
import {
  evaluateSeconds,
  evaluateTemplate,
  NEEDS_EVALUATOR,
  quickSeconds,
  quickTemplate,
  type StatesVariable,
  stateOutput,
  usesJsonata,
} from './jsonata.js';
import type { LambdaInvoker } from './lambda.js';
import { toStatesError } from './retry-catch.js';
import type { Scheduler } from './scheduler.js';
import type { Checkpoint, ExecutionRecord } from './store.js';

/** AWS's default `TimeoutSeconds` for a Task (there is no shorter default, unlike some emulators). */
export const DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;

/**
 * A Task's `TimeoutSeconds(Path)` or `HeartbeatSeconds(Path)`. The path is read from the
 * state input after `InputPath`, as AWS does, not from the `Parameters` output, so a
 * template that drops the field keeps the timeout.
 */
export function secondsSetting(
  fixed: number | string | undefined,
  path: string | undefined,
  input: unknown,
  ctx: ContextObject,
): number | undefined {
  // A JSONPath state's fixed value is a number (the validator allows a string only in JSONata).
  if (fixed !== undefined) return fixed as number;
  if (path === undefined) return undefined;
  return readInteger(path, input, ctx, 1);
}

/** What a Task sends (`Parameters`/`Arguments`) and how long it may take, before it runs. */
interface TaskSettings {
  params: unknown;
  timeoutSeconds: number | undefined;
  heartbeatSeconds: number | undefined;
}

/**
 * A JSONata Task's `Arguments` (absent: the state input), `TimeoutSeconds` and `HeartbeatSeconds`,
 * all evaluated against the raw state input (JSONata has no InputPath): at once when every
 * expression has a quick answer, else by the evaluator.
 */
function jsonataSettings(
  state: StateDefinition,
  states: StatesVariable,
  clockMs: number,
): TaskSettings | Promise<TaskSettings> {
  const params = 'Arguments' in state ? quickTemplate(state.Arguments, states) : states.input;
  const timeoutSeconds = quickSeconds(state.TimeoutSeconds, states);
  const heartbeatSeconds = quickSeconds(state.HeartbeatSeconds, states);
  if (
    params === NEEDS_EVALUATOR ||
    timeoutSeconds === NEEDS_EVALUATOR ||
    heartbeatSeconds === NEEDS_EVALUATOR
  ) {
    return evaluatedSettings(state, states, clockMs);
  }
  return {
    params,
    timeoutSeconds: timeoutSeconds as number | undefined,
    heartbeatSeconds: heartbeatSeconds as number | undefined,
  };
}

/** `jsonataSettings` by the evaluator, in AWS's order (its first failure is the state's). */
async function evaluatedSettings(
  state: StateDefinition,
  states: StatesVariable,
  clockMs: number,
): Promise<TaskSettings> {
  return {
    params:
      'Arguments' in state
        ? await evaluateTemplate(state.Arguments, states, 'Arguments', clockMs)
        : states.input,
    timeoutSeconds: await evaluateSeconds(state.TimeoutSeconds, states, 'TimeoutSeconds', clockMs),
    heartbeatSeconds: await evaluateSeconds(state.HeartbeatSeconds, states, 'HeartbeatSeconds', clockMs),
  };
}

/** A JSONPath Task's `Parameters` and timeouts, read from the input after `InputPath`. */
function jsonPathSettings(
  state: StateDefinition,
  raw: unknown,
  ctx: ContextObject,
  intrinsics: IntrinsicOptions,
): TaskSettings {
  const input = applyInputPath(state, raw, ctx);
  return {
    params: 'Parameters' in state ? applyTemplate(state.Parameters, input, ctx, intrinsics) : input,
    timeoutSeconds: secondsSetting(state.TimeoutSeconds, state.TimeoutSecondsPath, input, ctx),
    heartbeatSeconds: secondsSetting(state.HeartbeatSeconds, state.HeartbeatSecondsPath, input, ctx),
  };
}

/** What a Task state needs from the rest of the engine. */
export interface TaskDependencies {
  scheduler: Scheduler;
  executions: ExecutionRegistry;
  callbacks: CallbackRegistry;
  lambda: LambdaInvoker;
  region: string;
  intrinsics: IntrinsicOptions;
}

/** Runs one attempt of a Task state. */
export class TaskRunner {
  constructor(private readonly deps: TaskDependencies) {}

  /**
   * Runs the task once (Retry and Catch are the interpreter's); `resume` carries a restored
   * deadline. A `waitForTaskToken` task hands its wait on: at the top level to the interpreter,
   * which parks the execution with no frame at all (`ParkedCallback`), and inside a branch or an
   * iteration to a frame of its own (`awaitCallback`); either holds only what the wait needs
   * afterwards: thousands of executions wait on callbacks at once, and this frame, suspended,
   * would keep its parameters, its payload and its Lambda's response (V8 keeps a suspended
   * frame's registers).
   */
  async run(
    live: LiveExecution,
    state: StateDefinition,
    raw: unknown,
    ctx: ContextObject,
    scope: Scope,
    resume?: Checkpoint,
  ): Promise<StepResult | ParkedCallback> {
    const { scheduler, executions, callbacks, lambda, intrinsics } = this.deps;
    const { record } = live;
    const resource = state.Resource ?? '';
    const integration = taskIntegration(resource);
    const token =
      integration.kind === 'invoke-callback' ? callbacks.newToken(record.executionArn) : undefined;
    const taskCtx = token ? withTaskToken(ctx, token) : ctx;
    const jsonata = usesJsonata(state);
    const settings = jsonata
      ? jsonataSettings(state, { input: raw, context: taskCtx }, scheduler.clock.now().getTime())
      : jsonPathSettings(state, raw, taskCtx, intrinsics);
    const { params, timeoutSeconds, heartbeatSeconds } =
      settings instanceof Promise ? await settings : settings;
    const deadline = resume?.taskDeadline
      ? Date.parse(resume.taskDeadline)
      : timeoutSeconds !== undefined
        ? scheduler.clock.now().getTime() + timeoutSeconds * 1000
        : undefined;
    // The state's checkpoint (with its deadline) is on disk before its Lambda is called.
    if (scope.topLevel && record.checkpoint) {
      if (deadline !== undefined) record.checkpoint.taskDeadline = new Date(deadline).toISOString();
      await executions.persistSoon(record);
      throwIfStopped(scope);
    }
    // The state's output from its task's result (`finish`), called outside the try blocks below:
    // an `Output` that fails is the state's failure after its task succeeded, not a failed task.
    const ended: TaskEnd = { state, raw, ctx, taskCtx };

    if (integration.kind === 'lambda-arn') {
      const inputText = jsonText(params);
      executions.addEvent(record, 'LambdaFunctionScheduled', {
        resource,
        input: inputText,
        inputDetails: { truncated: false },
        timeoutInSeconds: timeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS,
      });
      executions.addEvent(record, 'LambdaFunctionStarted', undefined);
      let value: unknown;
      try {
        // The handler's copy of its input is parsed from the event's text (data crosses to
        // Lambda through JSON, as on AWS), and its result comes back with its own text.
        const result = await scheduler.withDeadline(
          lambda.invokeWithCopy(integration.functionName, JSON.parse(inputText)),
          deadline,
        );
        throwIfStopped(scope);
        executions.addEvent(record, 'LambdaFunctionSucceeded', {
          output: result.text,
          outputDetails: { truncated: false },
        });
        value = result.value;
      } catch (error: unknown) {
        if (error instanceof ExecutionStoppedError) throw error;
        const failure = toStatesError(error);
        const timedOut = failure.error === 'States.Timeout';
        executions.addEvent(record, timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed', {
          error: failure.error,
          ...(failure.causeText !== undefined ? { cause: failure.causeText } : {}),
        });
        throw failure;
      }
      return this.finish(ended, value);
    }

    const details = integration.kind === 'invoke' ? INVOKE_DETAILS : CALLBACK_DETAILS;
    const paramObject = (params ?? {}) as { FunctionName?: unknown; Payload?: unknown };
    const paramsText = jsonText(params);
    executions.addEvent(record, 'TaskScheduled', {
      ...details,
      region: this.deps.region,
      parameters: paramsText,
      timeoutInSeconds: timeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS,
      ...(heartbeatSeconds !== undefined ? { heartbeatInSeconds: heartbeatSeconds } : {}),
    });
    executions.addEvent(record, 'TaskStarted', details);
    let callback: PendingCallback | undefined;
    let value: unknown;
    let waiting = false;
    try {
      if (typeof paramObject.FunctionName !== 'string') {
        const field = jsonata ? 'Arguments' : 'Parameters';
        throw new StatesError('States.Runtime', `${field}.FunctionName must be a string`, false);
      }
      const functionName = lambdaFunctionName(paramObject.FunctionName);
      if (token) {
        // Registered before the Lambda runs: a handler may complete the task before it returns.
        callback = {
          taskToken: token,
          executionArn: record.executionArn,
          stateName: ctx.State.Name,
          ...(deadline !== undefined ? { deadline: new Date(deadline) } : {}),
        };
        callbacks.register(callback);
      }
      // The handler's copy of its payload is parsed from the event's text: data crosses to
      // Lambda through JSON (as on AWS) once, not once for the history and again for the call.
      const payloadCopy = (JSON.parse(paramsText) as { Payload?: unknown } | null)?.Payload ?? {};
      const payload = await scheduler.withDeadline(
        lambda.invokeWithCopy(functionName, payloadCopy),
        deadline,
      );
      throwIfStopped(scope);
      const invokeResult = lambda.invokeResponseWithText(payload.value, payload.text);
      executions.addEvent(record, callback ? 'TaskSubmitted' : 'TaskSucceeded', {
        ...details,
        output: invokeResult.text,
        outputDetails: { truncated: false },
      });
      if (callback) {
        executions.idle(record);
        // None keeps text it will not need again.
        live.lastText = undefined;
        waiting = true;
        const wait: Waiting = { state, raw, ctx, taskCtx, callback, deadline, heartbeatSeconds };
        // At the top level the interpreter holds the wait without any frame (`ParkedCallback`),
        // unless the task is complete already; inside a branch or an iteration, a frame of its
        // own waits. Returned, not awaited: this frame ends here.
        if (scope.topLevel && callback.outcome === undefined) return new ParkedCallback(wait);
        return this.awaitCallback(live, scope, wait);
      }
      value = invokeResult.value;
    } catch (error: unknown) {
      if (error instanceof ExecutionStoppedError) throw error;
      throw this.taskFailed(record, details, error);
    } finally {
      // A callback handed to the wait is retired when the wait ends.
      if (token && !waiting) callbacks.retire(token);
    }
    return this.finish(ended, value);
  }

  /** Waits for a `waitForTaskToken` task's callback (or its deadline or heartbeat) and records its outcome. */
  private async awaitCallback(live: LiveExecution, scope: Scope, waiting: Waiting): Promise<StepResult> {
    const { callback, deadline, heartbeatSeconds } = waiting;
    let outcome: CallbackOutcome;
    try {
      outcome = await this.deps.callbacks.awaitOutcome(scope.signal, callback, deadline, heartbeatSeconds);
    } catch (error: unknown) {
      // Stopped while it waited: the token dies with the wait.
      this.deps.callbacks.retire(callback.taskToken);
      throw error;
    }
    return this.completeCallback(live, waiting, outcome);
  }

  /**
   * A callback task's outcome, recorded (`TaskSucceeded`, `TaskFailed` or `TaskTimedOut`) and its
   * token retired: the state's result, or the task's failure thrown for the state's Retry and Catch.
   */
  completeCallback(
    live: LiveExecution,
    waiting: Waiting,
    outcome: CallbackOutcome,
  ): StepResult | Promise<StepResult> {
    const { record } = live;
    try {
      if (!outcome.ok) throw outcome.failure;
      this.deps.executions.addEvent(record, 'TaskSucceeded', {
        ...CALLBACK_DETAILS,
        output: jsonText(outcome.output),
        outputDetails: { truncated: false },
      });
    } catch (error: unknown) {
      throw this.taskFailed(record, CALLBACK_DETAILS, error);
    } finally {
      this.deps.callbacks.retire(waiting.callback.taskToken);
    }
    // Outside the try: an `Output` that fails is the state's failure, not the task's.
    return this.finish(waiting, outcome.output);
  }

  /**
   * The state's output from its task's result: synchronous for JSONPath, and for JSONata when its
   * `Output` has a quick answer (no await per task). A method, not a closure made per task: a
   * waiting callback task keeps what it needs in its `Waiting`, and no function of its own.
   */
  private finish(task: TaskEnd, result: unknown): StepResult | Promise<StepResult> {
    const { state, raw, ctx, taskCtx } = task;
    const next = state.End ? undefined : state.Next;
    if (!usesJsonata(state))
      return { output: processResult(state, raw, result, ctx, this.deps.intrinsics), next };
    const states = { input: raw, context: taskCtx, result };
    const output = state.Output === undefined ? result : quickTemplate(state.Output, states);
    if (output !== NEEDS_EVALUATOR) return { output, next };
    return stateOutput(state, states, this.deps.scheduler.clock.now().getTime()).then((evaluated) => ({
      output: evaluated,
      next,
    }));
  }

  /** Records a task's failure (`TaskTimedOut` or `TaskFailed`) and returns it as the state's error. */
  private taskFailed(record: ExecutionRecord, details: TaskDetails, error: unknown): StatesError {
    const failure = toStatesError(error);
    const timedOut = failure.error === 'States.Timeout' || failure.error === 'States.HeartbeatTimeout';
    this.deps.executions.addEvent(record, timedOut ? 'TaskTimedOut' : 'TaskFailed', {
      ...details,
      error: failure.error,
      ...(failure.causeText !== undefined ? { cause: failure.causeText } : {}),
    });
    return failure;
  }
}

/** The `resourceType` and `resource` of a Lambda task's events. */
type TaskDetails = {
  resourceType: 'lambda';
  resource: 'invoke' | 'invoke.waitForTaskToken';
};

const INVOKE_DETAILS: TaskDetails = { resourceType: 'lambda', resource: 'invoke' };
const CALLBACK_DETAILS: TaskDetails = { resourceType: 'lambda', resource: 'invoke.waitForTaskToken' };

/**
 * The context object of a callback task: the state's, with its token. Spelt out rather than
 * spread where the state's has the usual three fields: thousands of tasks wait with theirs, and
 * each spread copy had a hidden class of its own (V8 made a new map on every copy here).
 */
function withTaskToken(ctx: ContextObject, token: string): ContextObject {
  if (ctx.Map !== undefined || ctx.Task !== undefined) return { ...ctx, Task: { Token: token } };
  const { Execution, State, StateMachine } = ctx;
  return { Execution, State, StateMachine, Task: { Token: token } };
}

/** What a task's state output is made from, besides its result (`TaskRunner.finish`). */
interface TaskEnd {
  state: StateDefinition;
  raw: unknown;
  /** The state's context object, and the task's (with `Task.Token` for a callback). */
  ctx: ContextObject;
  taskCtx: ContextObject;
}

/** A `waitForTaskToken` task whose Lambda has returned: what its wait needs, and no more. */
export interface Waiting extends TaskEnd {
  callback: PendingCallback;
  deadline: number | undefined;
  heartbeatSeconds: number | undefined;
}

/**
 * A top-level callback task whose Lambda has returned and whose callback has not come: the
 * interpreter parks its execution on the callback with no frame waiting (`Interpreter.park`).
 */
export class ParkedCallback {
  constructor(readonly waiting: Waiting) {}
}

/** Ends a flow whose execution was stopped (or whose engine closed) while it was busy. */
export function throwIfStopped(scope: Scope): void {
  if (scope.signal.aborted) throw new ExecutionStoppedError('Execution stopped');
}
