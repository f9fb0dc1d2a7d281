/**
 * The state interpreter: drives an execution from state to state, with Retry and Catch,
 * Wait states on the clock, Parallel branches and Map iterations, a checkpoint at every
 * top-level state, and the execution-level timeout. It is written here, not taken from a
 * library, because it must pause on the engine's clock, checkpoint, resume after a restart
 * and redrive from a failed state.
 */
import type { MachineDefinition, StateDefinition } from './asl.js';
import { type CallbackOutcome, type CallbackRegistry, NOT_LISTENING } from './callbacks.js';
import { chooseNext } from './choice.js';
import {
  applyInputPath,
  applyOutputPath,
  applyResultPath,
  applyTemplate,
  type ContextObject,
  jsonClone,
  processResult,
} from './data-flow.js';
import { ExecutionStoppedError, StatesError } from './errors.js';
import { type ExecutionRegistry, jsonText } from './executions.js';
import type { IntrinsicOptions } from './intrinsics.js';
import { queryPath, readInteger, readString, readTimestamp } from './json-path.js';
import { catcherOutput, QueryEvaluationError, usesJsonata } from './jsonata.js';
import type { LambdaInvoker } from './lambda.js';
import { errorOutput, findCatcher, findRetrier, retryDelayMs, toStatesError } from './retry-catch.js';
import type { Scheduler } from './scheduler.js';
import type { Checkpoint, ExecutionRecord } from './store.js';
import { ParkedCallback, TaskRunner, throwIfStopped, type Waiting } from './task-state.js';

/**
 * When a state is entered: now, but at least a millisecond after the execution's previous entry.
 * On AWS every transition takes time, so `$$.State.EnteredTime` names one entry into a state (the
 * steps key their exactly-once effects on it); a virtual clock that stands still while a test
 * settles would otherwise stamp a loop's second entry with the first one's time.
 */
function enteredNow(live: LiveExecution, now: Date): Date {
  const ms = Math.max(now.getTime(), (live.lastEnteredMs ?? Number.NEGATIVE_INFINITY) + 1);
  live.lastEnteredMs = ms;
  return new Date(ms);
}

/** A state entered before a restart keeps its time, and later entries come after it. */
function enteredAgain(live: LiveExecution, enteredTime: string): Date {
  const entered = new Date(enteredTime);
  live.lastEnteredMs = Math.max(live.lastEnteredMs ?? Number.NEGATIVE_INFINITY, entered.getTime());
  return entered;
}

/** An execution that is running in this process. */
export interface LiveExecution {
  record: ExecutionRecord;
  abort: AbortController;
  cancelTimeout?: () => void;
  /** When this execution last entered a state (ms), so the next entry is stamped later. */
  lastEnteredMs?: number;
  /** The execution's input, parsed once for the context objects of its states (`$$.Execution.Input`). */
  input?: unknown;
  /** The last state data written to history and its JSON text (see `historyText`). */
  lastText?: { value: unknown; text: string };
  /** The top-level callback task it is parked on, while it is (see `Interpreter.park`). */
  parked?: Parked;
}

/** How often each of a state's retriers has retried, and how often the state has in all. */
interface RetryCounts {
  attempts: number[];
  count: number;
}

/**
 * An execution parked on a top-level callback task: where it is, and nothing that ran up to it.
 * Thousands of executions wait on officers at once, and each kept its async frames (its drive,
 * its state machine, its state and its task's wait), their promises and closures while it waited.
 * Parked, the callback's listener continues it (`continueParked`). A class: every one shares
 * its shape.
 */
class Parked {
  /** The callback's listener: disarmed, no answer, deadline or heartbeat reaches it. */
  listener: { disarm(): void } = NOT_LISTENING;

  /** `waiting` holds the state and its input: the task's output is made from them. */
  constructor(
    readonly machine: MachineDefinition,
    readonly name: string,
    readonly entered: Date,
    readonly retry: RetryCounts,
    readonly waiting: Waiting,
  ) {}
}

/** What a top-level flow returns when its execution has parked (see `Parked`). */
const PARKED: unique symbol = Symbol('parked');

/**
 * The JSON text of state data for a history event. A state's output is the next state's input
 * (and the last one's the execution's output), the same object each time, so its text is made
 * once and not two or three times. State data is never changed in place (`ResultPath` writes
 * into a copy), so the same object still has the same text.
 */
function historyText(live: LiveExecution, value: unknown): string {
  const last = live.lastText;
  if (last !== undefined && last.value === value) return last.text;
  const text = jsonText(value);
  live.lastText = { value, text };
  return text;
}

/** Where a state runs: its abort signal, and whether it is top level (checkpointed). */
export interface Scope {
  signal: AbortSignal;
  topLevel: boolean;
}

/** What running a state gives: its output and the next state (undefined when the machine ends here). */
export interface StepResult {
  output: unknown;
  next?: string | undefined;
}

/** What the interpreter needs from the rest of the engine. */
export interface InterpreterDependencies {
  scheduler: Scheduler;
  executions: ExecutionRegistry;
  callbacks: CallbackRegistry;
  lambda: LambdaInvoker;
  region: string;
  roleArn: string;
  /** Random source for `JitterStrategy: FULL` and `States.MathRandom`. */
  random: () => number;
}

/**
 * When a Wait state wakes, in ms since the epoch. Absolute, so it survives restarts and runs
 * on the engine's clock. `Seconds` count from when the state was entered.
 */
export function waitInstant(
  state: StateDefinition,
  input: unknown,
  ctx: ContextObject,
  enteredMs: number,
): number {
  if (state.Seconds !== undefined) return enteredMs + state.Seconds * 1000;
  if (state.Timestamp !== undefined) return Date.parse(state.Timestamp);
  if (state.SecondsPath !== undefined)
    return enteredMs + readInteger(state.SecondsPath, input, ctx, 0) * 1000;
  if (state.TimestampPath !== undefined) return readTimestamp(state.TimestampPath, input, ctx);
  return enteredMs;
}

/** The Error and Cause a Fail state ends with (`ErrorPath`/`CausePath` against its input). */
export function failOutcome(state: StateDefinition, input: unknown, ctx: ContextObject): StatesError {
  const read = (path: string | undefined, fixed: string | undefined): string | undefined =>
    path === undefined ? fixed : readString(path, input, ctx);
  return new StatesError(read(state.ErrorPath, state.Error) ?? '', read(state.CausePath, state.Cause));
}

/** Runs the executions of one engine. */
export class Interpreter {
  private readonly live = new Map<string, LiveExecution>();
  private readonly tasks: TaskRunner;
  private readonly intrinsics: IntrinsicOptions;
  private closed = false;

  constructor(private readonly deps: InterpreterDependencies) {
    this.intrinsics = { random: deps.random };
    this.tasks = new TaskRunner({ ...deps, intrinsics: this.intrinsics });
  }

  /** Whether the execution is running in this process. */
  isLive(executionArn: string): boolean {
    return this.live.has(executionArn);
  }

  /** Starts running `record` at `startAt` with `input` (at a checkpoint when resuming). */
  launch(
    record: ExecutionRecord,
    definition: MachineDefinition,
    startAt: string,
    input: unknown,
    resume?: Checkpoint,
  ): void {
    const { scheduler, executions } = this.deps;
    const live: LiveExecution = { record, abort: new AbortController() };
    // A redriven or resumed execution stamps its next entry after the last one it made: the clock
    // of `npm start` restarts from its last saved instant, which may be before it.
    const last = record.checkpoint?.enteredTime;
    if (last !== undefined) live.lastEnteredMs = Date.parse(last);
    this.live.set(record.executionArn, live);
    // A parked execution has no flow to end when it is stopped: this ends its wait.
    live.abort.signal.addEventListener('abort', () => this.unparkStopped(live), { once: true });
    scheduler.enter();
    if (record.timeoutAt) {
      live.cancelTimeout = scheduler.clock.schedule(Date.parse(record.timeoutAt), () => {
        if (record.status !== 'RUNNING' || this.closed || live.abort.signal.aborted) return;
        executions.end(record, 'TIMED_OUT', { error: 'States.Timeout' });
        live.abort.abort();
      });
    }
    // Started on a later turn, as on AWS, where StartExecution returns before the first state runs.
    setImmediate(
      () =>
        void this.drive(live, (scope) => this.runMachine(live, definition, startAt, input, scope, resume)),
    );
  }

  /** Stops the running flow of an execution (its record has already been ended). */
  stop(executionArn: string): void {
    this.live.get(executionArn)?.abort.abort();
  }

  /** Stops every flow without recording anything (the engine is closing). */
  close(): void {
    this.closed = true;
    for (const live of this.live.values()) live.abort.abort();
  }

  /**
   * Runs a flow of the execution (from its start, a checkpoint, or a parked wait's outcome) and
   * ends the execution with its outcome, unless the flow parked it. Counted busy from the caller's
   * `scheduler.enter()` until the flow ends or parks.
   */
  private async drive(
    live: LiveExecution,
    flow: (scope: Scope) => Promise<unknown | typeof PARKED>,
  ): Promise<void> {
    const { executions, scheduler } = this.deps;
    const { record } = live;
    // A flow that was stopped must not end the record: a redrive may already be running it again.
    const owns = (): boolean => record.status === 'RUNNING' && !this.closed && !live.abort.signal.aborted;
    let parked = false;
    try {
      const output = await flow({ signal: live.abort.signal, topLevel: true });
      if (output === PARKED) {
        parked = true;
        return;
      }
      if (owns()) await executions.endSoon(record, 'SUCCEEDED', { output: historyText(live, output) });
    } catch (error: unknown) {
      if (owns()) {
        const failure = toStatesError(error);
        await executions.endSoon(record, 'FAILED', {
          ...(failure.error ? { error: failure.error } : {}),
          ...(failure.causeText !== undefined ? { cause: failure.causeText } : {}),
        });
      }
    } finally {
      if (!parked) this.forget(live);
      scheduler.leave();
    }
  }

  /** The execution no longer runs here: its timeout is cancelled and it leaves the live ones. */
  private forget(live: LiveExecution): void {
    live.cancelTimeout?.();
    if (this.live.get(live.record.executionArn) === live) this.live.delete(live.record.executionArn);
  }

  /**
   * Parks the execution on its top-level callback task: the flow that ran up to it ends here, and
   * the callback's outcome (its answer, its deadline or a missed heartbeat) starts another.
   */
  private park(live: LiveExecution, scope: Scope, parked: Parked): typeof PARKED {
    const { callbacks } = this.deps;
    const { callback, deadline, heartbeatSeconds } = parked.waiting;
    if (scope.signal.aborted) {
      callbacks.retire(callback.taskToken);
      throw new ExecutionStoppedError('Execution stopped');
    }
    live.parked = parked;
    parked.listener = callbacks.listen(callback, deadline, heartbeatSeconds, (outcome) =>
      this.unpark(live, parked, outcome),
    );
    return PARKED;
  }

  /** A parked execution's callback task has its outcome: a new flow goes on from there. */
  private unpark(live: LiveExecution, parked: Parked, outcome: CallbackOutcome): void {
    if (live.parked !== parked) return;
    live.parked = undefined;
    // Busy from this moment: `settle()` must not see the engine idle while the flow starts.
    this.deps.scheduler.enter();
    void this.drive(live, (scope) => this.continueParked(live, parked, outcome, scope));
  }

  /** A parked execution was stopped (or the engine closed): its wait ends, with nothing recorded. */
  private unparkStopped(live: LiveExecution): void {
    const parked = live.parked;
    if (!parked) return;
    live.parked = undefined;
    parked.listener.disarm();
    this.deps.callbacks.retire(parked.waiting.callback.taskToken);
    this.forget(live);
  }

  /** Goes on from a parked callback task's outcome: the task's state ends, and the machine runs on. */
  private async continueParked(
    live: LiveExecution,
    parked: Parked,
    outcome: CallbackOutcome,
    scope: Scope,
  ): Promise<unknown | typeof PARKED> {
    const { machine, name, entered } = parked;
    const { state, raw } = parked.waiting;
    const step = await this.runState(live, machine, name, state, raw, entered, scope, undefined, {
      retry: parked.retry,
      attempt: () => this.tasks.completeCallback(live, parked.waiting, outcome),
    });
    if (step === PARKED) return PARKED;
    this.exitState(live, name, state, step, scope);
    if (step.next === undefined) return step.output;
    return this.runMachine(live, machine, step.next, step.output, scope);
  }

  private async runMachine(
    live: LiveExecution,
    machine: MachineDefinition,
    startAt: string,
    input: unknown,
    scope: Scope,
    resume?: Checkpoint,
  ): Promise<unknown | typeof PARKED> {
    const { executions, scheduler } = this.deps;
    const { record } = live;
    let name = startAt;
    let data = input;
    let resuming = resume;
    for (;;) {
      throwIfStopped(scope);
      const state = machine.States[name];
      if (!state) throw new StatesError('States.Runtime', `No state named '${name}'`, false);
      const entered = resuming
        ? enteredAgain(live, resuming.enteredTime)
        : enteredNow(live, scheduler.clock.now());
      executions.addEvent(record, `${state.Type}StateEntered`, {
        name,
        input: historyText(live, data),
        inputDetails: { truncated: false },
      });
      if (scope.topLevel) {
        record.checkpoint = resuming
          ? { ...resuming }
          : { stateName: name, input: data, enteredTime: entered.toISOString() };
        // Written here only by a state that runs others. A Task or a Wait writes it, with its
        // deadline or wake-up instant, before it calls a Lambda or sleeps (one line, not two);
        // Choice, Pass, Succeed and Fail do neither, so theirs goes to disk with the next
        // state's or the end's: a restart that finds the previous one resumes where no effect
        // was lost or repeated, and the journal takes half the lines.
        if (state.Type === 'Parallel' || state.Type === 'Map') executions.persist(record);
      }
      const step = await this.runState(live, machine, name, state, data, entered, scope, resuming);
      if (step === PARKED) return PARKED;
      resuming = undefined;
      this.exitState(live, name, state, step, scope);
      if (step.next === undefined) return step.output;
      name = step.next;
      data = step.output;
    }
  }

  /** Records that a state has ended, unless its execution was stopped while it ran. */
  private exitState(
    live: LiveExecution,
    name: string,
    state: StateDefinition,
    step: StepResult,
    scope: Scope,
  ): void {
    throwIfStopped(scope);
    this.deps.executions.addEvent(live.record, `${state.Type}StateExited`, {
      name,
      output: historyText(live, step.output),
      outputDetails: { truncated: false },
    });
  }

  private context(live: LiveExecution, name: string, entered: Date, retryCount: number): ContextObject {
    const { record } = live;
    const machineName = record.stateMachineArn.slice(record.stateMachineArn.lastIndexOf(':') + 1);
    // Parsed once per run: paths only read it, and a template copies what it selects.
    live.input ??= JSON.parse(record.input);
    return {
      Execution: {
        Id: record.executionArn,
        Input: live.input,
        Name: record.name,
        RoleArn: this.deps.roleArn,
        StartTime: record.startDate,
        RedriveCount: record.redriveCount ?? 0,
        ...(record.redriveDate ? { RedriveTime: record.redriveDate } : {}),
      },
      State: { EnteredTime: entered.toISOString(), Name: name, RetryCount: retryCount },
      StateMachine: { Id: record.stateMachineArn, Name: machineName },
    };
  }

  /**
   * Runs one state with its Retry (backing off on the clock) and Catch. A parked callback task
   * comes back here with its outcome as the attempt (`from`), and the counts of its retries.
   */
  private async runState(
    live: LiveExecution,
    machine: MachineDefinition,
    name: string,
    state: StateDefinition,
    raw: unknown,
    entered: Date,
    scope: Scope,
    resume?: Checkpoint,
    from?: { retry: RetryCounts; attempt: () => StepResult | Promise<StepResult> },
  ): Promise<StepResult | typeof PARKED> {
    const { scheduler, random } = this.deps;
    const retry = from?.retry ?? { attempts: (state.Retry ?? []).map(() => 0), count: 0 };
    let attempt = from?.attempt;
    let resuming = resume;
    for (;;) {
      const ctx = this.context(live, name, entered, retry.count);
      try {
        const result = attempt
          ? await attempt()
          : await this.runStateOnce(live, name, state, raw, ctx, scope, resuming);
        if (result instanceof ParkedCallback) {
          return this.park(live, scope, new Parked(machine, name, entered, retry, result.waiting));
        }
        return result;
      } catch (error: unknown) {
        if (error instanceof ExecutionStoppedError) throw error;
        throwIfStopped(scope);
        attempt = undefined;
        resuming = undefined;
        const failure = toStatesError(error);
        this.recordEvaluationFailure(live, name, failure);
        const retrier = findRetrier(state, failure, retry.attempts);
        if (retrier) {
          const delay = retryDelayMs(retrier.retrier, retry.attempts[retrier.index] ?? 0, random);
          retry.attempts[retrier.index] = (retry.attempts[retrier.index] ?? 0) + 1;
          retry.count++;
          // The state failed before its checkpoint was written (in its input or parameters): write it before backing off.
          if (scope.topLevel) await this.deps.executions.persistSoon(live.record);
          await scheduler.sleepUntil(scope.signal, scheduler.clock.now().getTime() + delay);
          continue;
        }
        const catcher = findCatcher(state, failure);
        if (catcher) {
          if (!usesJsonata(state)) {
            return {
              output: applyResultPath(catcher.ResultPath, raw, errorOutput(failure)),
              next: catcher.Next,
            };
          }
          // A catcher's Output sees the state's raw input and the error; if it fails, so does the state.
          const states = { input: raw, context: ctx, errorOutput: errorOutput(failure) };
          try {
            const index = (state.Catch ?? []).indexOf(catcher);
            const nowMs = scheduler.clock.now().getTime();
            return { output: await catcherOutput(catcher, index, states, nowMs), next: catcher.Next };
          } catch (outputError: unknown) {
            const outputFailure = toStatesError(outputError);
            this.recordEvaluationFailure(live, name, outputFailure);
            throw outputFailure;
          }
        }
        throw failure;
      }
    }
  }

  /** A JSONata expression that failed is recorded as AWS does, in an `EvaluationFailed` event. */
  private recordEvaluationFailure(live: LiveExecution, name: string, failure: StatesError): void {
    if (!(failure instanceof QueryEvaluationError)) return;
    this.deps.executions.addEvent(live.record, 'EvaluationFailed', {
      error: failure.error,
      ...(failure.causeText !== undefined ? { cause: failure.causeText } : {}),
      location: failure.location,
      state: name,
    });
  }

  /**
   * One attempt at a state. Not an async function: a Task's promise is handed back as it is,
   * without another promise around it for every state entered.
   */
  private runStateOnce(
    live: LiveExecution,
    name: string,
    state: StateDefinition,
    raw: unknown,
    ctx: ContextObject,
    scope: Scope,
    resume?: Checkpoint,
  ): StepResult | ParkedCallback | Promise<StepResult | ParkedCallback> {
    const next = state.End ? undefined : state.Next;
    switch (state.Type) {
      case 'Pass': {
        const input = applyInputPath(state, raw, ctx);
        // 'Result' in state, not truthiness: a Result of 0, false or "" is still the result.
        const result =
          'Result' in state
            ? jsonClone(state.Result)
            : 'Parameters' in state
              ? applyTemplate(state.Parameters, input, ctx, this.intrinsics)
              : input;
        return { output: applyOutputPath(state, applyResultPath(state.ResultPath, raw, result), ctx), next };
      }
      case 'Choice': {
        const input = applyInputPath(state, raw, ctx);
        return { output: applyOutputPath(state, input, ctx), next: chooseNext(state, input, ctx) };
      }
      case 'Wait':
        return this.runWait(live, state, raw, ctx, scope, resume);
      case 'Succeed':
        return { output: applyOutputPath(state, applyInputPath(state, raw, ctx), ctx) };
      case 'Fail':
        throw failOutcome(state, raw, ctx);
      case 'Task':
        return this.tasks.run(live, state, raw, ctx, scope, resume);
      case 'Parallel':
        return this.runParallel(live, state, raw, ctx, scope);
      case 'Map':
        return this.runMap(live, name, state, raw, ctx, scope);
    }
  }

  private async runWait(
    live: LiveExecution,
    state: StateDefinition,
    raw: unknown,
    ctx: ContextObject,
    scope: Scope,
    resume?: Checkpoint,
  ): Promise<StepResult> {
    const input = applyInputPath(state, raw, ctx);
    const wakeAt = resume?.waitUntil
      ? Date.parse(resume.waitUntil)
      : waitInstant(state, input, ctx, Date.parse(ctx.State.EnteredTime));
    if (scope.topLevel && live.record.checkpoint) {
      live.record.checkpoint.waitUntil = new Date(wakeAt).toISOString();
      await this.deps.executions.persistSoon(live.record);
    }
    this.deps.executions.idle(live.record);
    // Thousands of executions wait at once: none keeps text it may not need again.
    live.lastText = undefined;
    await this.deps.scheduler.sleepUntil(scope.signal, wakeAt);
    return { output: applyOutputPath(state, input, ctx), next: state.End ? undefined : state.Next };
  }

  private async runParallel(
    live: LiveExecution,
    state: StateDefinition,
    raw: unknown,
    ctx: ContextObject,
    scope: Scope,
  ): Promise<StepResult> {
    const { executions, scheduler } = this.deps;
    const input = applyInputPath(state, raw, ctx);
    const branchInput =
      'Parameters' in state ? applyTemplate(state.Parameters, input, ctx, this.intrinsics) : input;
    executions.addEvent(live.record, 'ParallelStateStarted', undefined);
    try {
      const branches = state.Branches ?? [];
      const results = await scheduler.runAll(
        scope.signal,
        branches.map(
          (branch) => (signal: AbortSignal) =>
            this.runMachine(live, branch, branch.StartAt, jsonClone(branchInput), {
              signal,
              topLevel: false,
            }),
        ),
        branches.length,
      );
      executions.addEvent(live.record, 'ParallelStateSucceeded', undefined);
      return {
        output: processResult(state, raw, results, ctx, this.intrinsics),
        next: state.End ? undefined : state.Next,
      };
    } catch (error: unknown) {
      if (!(error instanceof ExecutionStoppedError))
        executions.addEvent(live.record, 'ParallelStateFailed', undefined);
      throw error;
    }
  }

  private async runMap(
    live: LiveExecution,
    name: string,
    state: StateDefinition,
    raw: unknown,
    ctx: ContextObject,
    scope: Scope,
  ): Promise<StepResult> {
    const { executions, scheduler } = this.deps;
    const input = applyInputPath(state, raw, ctx);
    const items = state.ItemsPath ? queryPath(state.ItemsPath, input, ctx) : input;
    if (!Array.isArray(items)) {
      throw new StatesError('States.Runtime', 'The Map input (or ItemsPath) must be an array', false);
    }
    const processor = (state.ItemProcessor ?? state.Iterator) as MachineDefinition;
    const selector = state.ItemSelector ?? state.Parameters;
    executions.addEvent(live.record, 'MapStateStarted', { length: items.length });
    try {
      const results = await scheduler.runAll(
        scope.signal,
        items.map((item, index) => async (signal: AbortSignal) => {
          const itemCtx: ContextObject = { ...ctx, Map: { Item: { Index: index, Value: item } } };
          const itemInput =
            selector === undefined
              ? jsonClone(item)
              : applyTemplate(selector, input, itemCtx, this.intrinsics);
          executions.addEvent(live.record, 'MapIterationStarted', { name, index });
          try {
            const output = await this.runMachine(live, processor, processor.StartAt, itemInput, {
              signal,
              topLevel: false,
            });
            executions.addEvent(live.record, 'MapIterationSucceeded', { name, index });
            return output;
          } catch (error: unknown) {
            if (!(error instanceof ExecutionStoppedError))
              executions.addEvent(live.record, 'MapIterationFailed', { name, index });
            throw error;
          }
        }),
        state.MaxConcurrency || items.length,
      );
      executions.addEvent(live.record, 'MapStateSucceeded', undefined);
      return {
        output: processResult(state, raw, results, ctx, this.intrinsics),
        next: state.End ? undefined : state.Next,
      };
    } catch (error: unknown) {
      if (!(error instanceof ExecutionStoppedError))
        executions.addEvent(live.record, 'MapStateFailed', undefined);
      throw error;
    }
  }
}
