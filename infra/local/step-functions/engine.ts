/**
 * A local AWS Step Functions: runs the same ASL files as AWS against in-process Lambda
 * handlers, on an injected clock, with AWS's behaviour where aws-local-stepfunctions differs
 * (DESIGN §6): timeouts read from the state input, a fresh task token per callback entry,
 * Wait/Retry/timeouts on the clock, AWS's default task timeout, and executions that survive
 * a restart. The library evaluates paths, templates, intrinsics and Choice rules
 * (`library.ts`); the state-to-state driver is here because the library's cannot pause,
 * checkpoint or run on anything but real time.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  lambdaFunctionName,
  type MachineDefinition,
  parseDefinition,
  type StateDefinition,
  substitute,
  taskIntegration,
} from './asl.js';
import { type Clock, SystemClock } from './clock.js';
import { ExecutionStoppedError, SfnApiError, StatesError } from './errors.js';
import {
  applyInputPath,
  applyOutputPath,
  applyResultPath,
  applyTemplate,
  type ContextObject,
  DEFAULT_TASK_TIMEOUT_SECONDS,
  errorOutput,
  evaluateChoice,
  failOutcome,
  findCatcher,
  findRetrier,
  jsonClone,
  processResult,
  query,
  retryDelayMs,
  secondsSetting,
  toStatesError,
  waitInstant,
} from './interpreter.js';
import {
  type Checkpoint,
  EngineStore,
  type ExecutionRecord,
  type ExecutionStatus,
  type StateMachineRecord,
  type StoredEvent,
} from './store.js';

/** The slice of the Lambda context object handlers may read. */
export interface LambdaContextLike {
  functionName: string;
  awsRequestId: string;
  invokedFunctionArn: string;
  getRemainingTimeInMillis(): number;
}

/** A Lambda handler as the engine calls it: the event in, the JSON-able result out. */
export type LambdaHandler = (event: unknown, context: LambdaContextLike) => Promise<unknown> | unknown;

export interface LocalStepFunctionsOptions {
  /** Lambda function name → handler (the name in the function ARN / `FunctionName`). */
  handlers: Record<string, LambdaHandler>;
  /** The clock Wait states, Retry intervals and timeouts run on (default: real time). */
  clock?: Clock;
  /** Directory for checkpoints; with it, `resume()` restarts executions a previous engine left running. */
  stateDir?: string;
  region?: string;
  accountId?: string;
  /** Random source for `JitterStrategy: FULL` (default `Math.random`). */
  random?: () => number;
  /** Told about failures the engine cannot report elsewhere (e.g. a checkpoint write failing). */
  onError?: (error: unknown) => void;
}

/** A history event as the AWS SDK returns it. */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: Date;
  type: string;
  [details: string]: unknown;
}

/** `DescribeExecution` as the AWS SDK returns it (`input`/`output` are JSON text). */
export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
}

/** One row of `ListExecutions`. */
export interface ExecutionListItem {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
}

/** A callback task waiting for `SendTaskSuccess`/`SendTaskFailure`. */
export interface PendingTask {
  taskToken: string;
  executionArn: string;
  stateName: string;
  /** When the task times out, if it has a timeout. */
  deadline?: Date;
}

type CallbackOutcome =
  | { ok: true; output: unknown }
  | { ok: false; failure: StatesError; timedOut?: boolean };

interface PendingCallback extends PendingTask {
  outcome?: CallbackOutcome;
  listener?: (outcome: CallbackOutcome) => void;
  heartbeat?: () => void;
}

interface LiveExecution {
  record: ExecutionRecord;
  abort: AbortController;
  cancelTimeout?: () => void;
}

/** Where a state runs: its abort signal, and whether it is top level (checkpointed). */
interface Scope {
  signal: AbortSignal;
  topLevel: boolean;
}

interface StepResult {
  output: unknown;
  /** The next state; undefined when the machine ends here. */
  next?: string;
}

const NAME_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_INPUT_BYTES = 256 * 1024;

function eventDetailsKey(type: string): string {
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
}

function jsonText(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

/** The local Step Functions engine. */
export class LocalStepFunctions {
  readonly region: string;
  readonly accountId: string;
  readonly clock: Clock;
  private readonly handlers: Record<string, LambdaHandler>;
  private readonly store?: EngineStore;
  private readonly random: () => number;
  private readonly onError: (error: unknown) => void;
  private readonly machines = new Map<string, StateMachineRecord>();
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly live = new Map<string, LiveExecution>();
  private readonly pending = new Map<string, PendingCallback>();
  private readonly unregisterIdle?: () => void;
  private busy = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(options: LocalStepFunctionsOptions) {
    this.handlers = { ...options.handlers };
    this.clock = options.clock ?? new SystemClock();
    this.region = options.region ?? 'eu-west-2';
    this.accountId = options.accountId ?? '123456789012';
    this.random = options.random ?? Math.random;
    this.onError =
      options.onError ??
      ((error: unknown) => {
        console.error('[local-step-functions]', error);
      });
    const registrar = this.clock as Partial<{ registerIdleWaiter(w: () => Promise<void>): () => void }>;
    if (typeof registrar.registerIdleWaiter === 'function') {
      this.unregisterIdle = registrar.registerIdleWaiter(() => this.settle());
    }
    if (options.stateDir) {
      this.store = new EngineStore(options.stateDir);
      for (const machine of this.store.loadStateMachines())
        this.machines.set(machine.stateMachineArn, machine);
      for (const execution of this.store.loadExecutions())
        this.executions.set(execution.executionArn, execution);
    }
  }

  // ----- state machines -------------------------------------------------------------------

  /** The ARN a state machine of this name has in this engine. */
  stateMachineArn(name: string): string {
    return `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${name}`;
  }

  /**
   * Creates a state machine from ASL (object or JSON text) after CDK-style `${…}`
   * substitution, validating it. Creating an existing name replaces its definition (like
   * UpdateStateMachine, so a restarted local runtime can load edited ASL); executions
   * already running keep the definition they started with, as on AWS.
   */
  async createStateMachine(
    name: string,
    definition: object | string,
    substitutions: Record<string, string> = {},
  ): Promise<{ stateMachineArn: string; creationDate: Date }> {
    if (!NAME_PATTERN.test(name))
      throw new SfnApiError('InvalidName', `Invalid State Machine Name: '${name}'`);
    const text = substitute(definition, substitutions);
    parseDefinition(text);
    const stateMachineArn = this.stateMachineArn(name);
    const existing = this.machines.get(stateMachineArn);
    const record: StateMachineRecord = {
      stateMachineArn,
      name,
      definition: text,
      creationDate: existing?.creationDate ?? this.clock.now().toISOString(),
    };
    this.machines.set(stateMachineArn, record);
    this.persistMachine(record);
    return { stateMachineArn, creationDate: new Date(record.creationDate) };
  }

  /** The state machine's definition (JSON text after substitution). */
  async describeStateMachine(stateMachineArn: string): Promise<{
    stateMachineArn: string;
    name: string;
    definition: string;
    creationDate: Date;
    status: 'ACTIVE';
  }> {
    const machine = this.machine(stateMachineArn);
    return { ...machine, creationDate: new Date(machine.creationDate), status: 'ACTIVE' };
  }

  async listStateMachines(): Promise<{
    stateMachines: { stateMachineArn: string; name: string; type: 'STANDARD'; creationDate: Date }[];
  }> {
    return {
      stateMachines: [...this.machines.values()].map((m) => ({
        stateMachineArn: m.stateMachineArn,
        name: m.name,
        type: 'STANDARD' as const,
        creationDate: new Date(m.creationDate),
      })),
    };
  }

  // ----- executions -----------------------------------------------------------------------

  /**
   * Starts an execution. `input` is a JSON value or JSON text (default `{}`); `name`
   * defaults to a UUID. A name already used for this state machine is
   * `ExecutionAlreadyExists`, except that repeating the call for a RUNNING execution with
   * the same input returns that execution (AWS's idempotent StartExecution).
   */
  async startExecution(
    stateMachineArn: string,
    name?: string,
    input?: unknown,
  ): Promise<{ executionArn: string; startDate: Date }> {
    this.assertOpen();
    const machine = this.machine(stateMachineArn);
    const executionName = name ?? randomUUID();
    if (!NAME_PATTERN.test(executionName)) {
      throw new SfnApiError('InvalidName', `Invalid Execution Name: '${executionName}'`);
    }
    const inputText = this.normaliseInput(input);
    const executionArn = `arn:aws:states:${this.region}:${this.accountId}:execution:${machine.name}:${executionName}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === inputText) {
        return { executionArn, startDate: new Date(existing.startDate) };
      }
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const definition = parseDefinition(machine.definition);
    const startDate = this.clock.now();
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn,
      name: executionName,
      status: 'RUNNING',
      input: inputText,
      startDate: startDate.toISOString(),
      definition: machine.definition,
      history: [],
      ...(definition.TimeoutSeconds !== undefined
        ? { timeoutAt: new Date(startDate.getTime() + definition.TimeoutSeconds * 1000).toISOString() }
        : {}),
    };
    this.executions.set(executionArn, record);
    this.addEvent(record, 'ExecutionStarted', {
      input: inputText,
      inputDetails: { truncated: false },
      roleArn: this.roleArn(),
    });
    this.launch(record, definition, definition.StartAt, JSON.parse(inputText));
    return { executionArn, startDate };
  }

  async describeExecution(executionArn: string): Promise<ExecutionDescription> {
    const r = this.execution(executionArn);
    return {
      executionArn: r.executionArn,
      stateMachineArn: r.stateMachineArn,
      name: r.name,
      status: r.status,
      startDate: new Date(r.startDate),
      ...(r.stopDate ? { stopDate: new Date(r.stopDate) } : {}),
      input: r.input,
      ...(r.output !== undefined ? { output: r.output } : {}),
      ...(r.error !== undefined ? { error: r.error } : {}),
      ...(r.cause !== undefined ? { cause: r.cause } : {}),
    };
  }

  /** The events of an execution, oldest first unless `reverseOrder`. */
  async getExecutionHistory(
    executionArn: string,
    options: { reverseOrder?: boolean } = {},
  ): Promise<{ events: HistoryEvent[] }> {
    const events = this.execution(executionArn).history.map((e) => ({
      ...e,
      timestamp: new Date(e.timestamp),
    }));
    return { events: options.reverseOrder ? events.reverse() : events };
  }

  /** The names of the states entered, in order (nested states included). */
  visitedStates(executionArn: string): string[] {
    return this.execution(executionArn)
      .history.filter((e) => e.type.endsWith('StateEntered'))
      .map((e) => (e.stateEnteredEventDetails as { name: string }).name);
  }

  /** The execution's output, parsed (undefined unless it succeeded). */
  executionOutput(executionArn: string): unknown {
    const { output } = this.execution(executionArn);
    return output === undefined ? undefined : JSON.parse(output);
  }

  /** Executions, newest first, optionally of one state machine and/or one status. */
  async listExecutions(
    filter: { stateMachineArn?: string; statusFilter?: ExecutionStatus } = {},
  ): Promise<{ executions: ExecutionListItem[] }> {
    if (filter.stateMachineArn) this.machine(filter.stateMachineArn);
    const executions = [...this.executions.values()]
      .filter((r) => !filter.stateMachineArn || r.stateMachineArn === filter.stateMachineArn)
      .filter((r) => !filter.statusFilter || r.status === filter.statusFilter)
      .sort((a, b) => b.startDate.localeCompare(a.startDate))
      .map((r) => ({
        executionArn: r.executionArn,
        stateMachineArn: r.stateMachineArn,
        name: r.name,
        status: r.status,
        startDate: new Date(r.startDate),
        ...(r.stopDate ? { stopDate: new Date(r.stopDate) } : {}),
      }));
    return { executions };
  }

  /** Stops a running execution (status ABORTED). Stopping a finished one changes nothing. */
  async stopExecution(
    executionArn: string,
    options: { error?: string; cause?: string } = {},
  ): Promise<{ stopDate: Date }> {
    const record = this.execution(executionArn);
    const live = this.live.get(executionArn);
    if (record.status === 'RUNNING') {
      this.end(record, 'ABORTED', {
        ...(options.error !== undefined ? { error: options.error } : {}),
        ...(options.cause !== undefined ? { cause: options.cause } : {}),
      });
      live?.abort.abort();
    }
    return { stopDate: new Date(record.stopDate ?? this.clock.now().toISOString()) };
  }

  // ----- callbacks ------------------------------------------------------------------------

  /** Completes a `.waitForTaskToken` task with `output` (a JSON value or JSON text). */
  async sendTaskSuccess(taskToken: string, output: unknown): Promise<void> {
    let value = output;
    if (typeof output === 'string') {
      try {
        value = JSON.parse(output);
      } catch (error: unknown) {
        throw new SfnApiError('InvalidOutput', 'Invalid Output: the output is not valid JSON', {
          cause: error,
        });
      }
    }
    this.complete(taskToken, { ok: true, output: jsonClone(value) });
  }

  /** Fails a `.waitForTaskToken` task with an ASL error name and cause. */
  async sendTaskFailure(taskToken: string, error?: string, cause?: string): Promise<void> {
    this.complete(taskToken, { ok: false, failure: new StatesError(error ?? '', cause) });
  }

  /** Restarts a callback task's `HeartbeatSeconds` window. */
  async sendTaskHeartbeat(taskToken: string): Promise<void> {
    this.callback(taskToken).heartbeat?.();
  }

  /** Callback tasks now waiting, optionally of one execution. */
  pendingTasks(executionArn?: string): PendingTask[] {
    return [...this.pending.values()]
      .filter((p) => !executionArn || p.executionArn === executionArn)
      .filter((p) => p.outcome === undefined)
      .map(({ taskToken, executionArn: arn, stateName, deadline }) => ({
        taskToken,
        executionArn: arn,
        stateName,
        ...(deadline ? { deadline } : {}),
      }));
  }

  // ----- lifecycle ------------------------------------------------------------------------

  /**
   * Resolves once every execution is waiting (on the clock or a callback) or finished, and
   * no Lambda handler is running. A VirtualClock calls this after each timer it fires.
   */
  async settle(): Promise<void> {
    for (;;) {
      // Let promise chains that are about to resume an execution do so before looking.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.busy === 0) return;
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  /**
   * Restarts every execution that a previous engine on the same `stateDir` left RUNNING, at
   * the top-level state it last entered, with that state's input and the same absolute
   * Wait/timeout instants. A callback state invokes its Lambda again with a new token.
   * States inside Parallel/Map restart with their enclosing top-level state; Retry counts
   * start again. Returns the ARNs resumed.
   */
  async resume(): Promise<string[]> {
    this.assertOpen();
    const resumed: string[] = [];
    for (const record of this.executions.values()) {
      if (record.status !== 'RUNNING' || this.live.has(record.executionArn)) continue;
      const definition = parseDefinition(record.definition);
      const checkpoint = record.checkpoint;
      if (checkpoint) {
        this.launch(record, definition, checkpoint.stateName, checkpoint.input, checkpoint);
      } else {
        this.launch(record, definition, definition.StartAt, JSON.parse(record.input));
      }
      resumed.push(record.executionArn);
    }
    return resumed;
  }

  /**
   * Stops this engine without recording anything: running executions stay RUNNING on disk
   * for a later `resume()` (as if the process had been killed), timers are cancelled.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const live of this.live.values()) live.abort.abort();
    this.unregisterIdle?.();
    await this.settle();
  }

  // ----- running --------------------------------------------------------------------------

  private launch(
    record: ExecutionRecord,
    definition: MachineDefinition,
    startAt: string,
    input: unknown,
    resume?: Checkpoint,
  ): void {
    const live: LiveExecution = { record, abort: new AbortController() };
    this.live.set(record.executionArn, live);
    this.busy++;
    if (record.timeoutAt) {
      live.cancelTimeout = this.clock.schedule(Date.parse(record.timeoutAt), () => {
        if (record.status !== 'RUNNING' || this.closed) return;
        this.end(record, 'TIMED_OUT', { error: 'States.Timeout' });
        live.abort.abort();
      });
    }
    // Started on a later turn, as on AWS, where StartExecution returns before the first state runs.
    setImmediate(() => void this.drive(live, definition, startAt, input, resume));
  }

  private async drive(
    live: LiveExecution,
    definition: MachineDefinition,
    startAt: string,
    input: unknown,
    resume?: Checkpoint,
  ): Promise<void> {
    const { record } = live;
    try {
      const output = await this.runMachine(
        live,
        definition,
        startAt,
        input,
        { signal: live.abort.signal, topLevel: true },
        resume,
      );
      if (record.status === 'RUNNING' && !this.closed)
        this.end(record, 'SUCCEEDED', { output: jsonText(output) });
    } catch (error: unknown) {
      if (record.status === 'RUNNING' && !this.closed && !live.abort.signal.aborted) {
        const failure = toStatesError(error);
        this.end(record, 'FAILED', {
          ...(failure.error ? { error: failure.error } : {}),
          ...(failure.causeText !== undefined ? { cause: failure.causeText } : {}),
        });
      }
    } finally {
      live.cancelTimeout?.();
      this.live.delete(record.executionArn);
      this.idle();
    }
  }

  private async runMachine(
    live: LiveExecution,
    machine: MachineDefinition,
    startAt: string,
    input: unknown,
    scope: Scope,
    resume?: Checkpoint,
  ): Promise<unknown> {
    const { record } = live;
    let name = startAt;
    let data = input;
    let resuming = resume;
    for (;;) {
      this.throwIfStopped(scope);
      const state = machine.States[name];
      if (!state) throw new StatesError('States.Runtime', `No state named '${name}'`, false);
      const entered = resuming ? new Date(resuming.enteredTime) : this.clock.now();
      this.addEvent(record, `${state.Type}StateEntered`, {
        name,
        input: jsonText(data),
        inputDetails: { truncated: false },
      });
      if (scope.topLevel) {
        record.checkpoint = resuming
          ? { ...resuming }
          : { stateName: name, input: data, enteredTime: entered.toISOString() };
        this.persist(record);
      }
      const step = await this.runState(live, name, state, data, entered, scope, resuming);
      resuming = undefined;
      this.throwIfStopped(scope);
      this.addEvent(record, `${state.Type}StateExited`, {
        name,
        output: jsonText(step.output),
        outputDetails: { truncated: false },
      });
      if (step.next === undefined) return step.output;
      name = step.next;
      data = step.output;
    }
  }

  private context(record: ExecutionRecord, name: string, entered: Date, retryCount: number): ContextObject {
    const machineName = record.stateMachineArn.split(':').pop() ?? '';
    return {
      Execution: {
        Id: record.executionArn,
        Input: JSON.parse(record.input),
        Name: record.name,
        RoleArn: this.roleArn(),
        StartTime: record.startDate,
        RedriveCount: 0,
      },
      State: { EnteredTime: entered.toISOString(), Name: name, RetryCount: retryCount },
      StateMachine: { Id: record.stateMachineArn, Name: machineName },
    };
  }

  /** Runs one state with its Retry and Catch. */
  private async runState(
    live: LiveExecution,
    name: string,
    state: StateDefinition,
    raw: unknown,
    entered: Date,
    scope: Scope,
    resume?: Checkpoint,
  ): Promise<StepResult> {
    const attempts = (state.Retry ?? []).map(() => 0);
    let retryCount = 0;
    let resuming = resume;
    for (;;) {
      const ctx = this.context(live.record, name, entered, retryCount);
      try {
        return await this.runStateOnce(live, name, state, raw, ctx, scope, resuming);
      } catch (error: unknown) {
        if (error instanceof ExecutionStoppedError) throw error;
        this.throwIfStopped(scope);
        resuming = undefined;
        const failure = toStatesError(error);
        const retry = findRetrier(state, failure, attempts);
        if (retry) {
          const delay = retryDelayMs(retry.retrier, attempts[retry.index] ?? 0, this.random);
          attempts[retry.index] = (attempts[retry.index] ?? 0) + 1;
          retryCount++;
          await this.sleepUntil(scope, this.clock.now().getTime() + delay);
          continue;
        }
        const catcher = findCatcher(state, failure);
        if (catcher) {
          return {
            output: applyResultPath(catcher.ResultPath, raw, errorOutput(failure)),
            next: catcher.Next,
          };
        }
        throw failure;
      }
    }
  }

  private nextOf(state: StateDefinition): string | undefined {
    return state.End ? undefined : state.Next;
  }

  private async runStateOnce(
    live: LiveExecution,
    name: string,
    state: StateDefinition,
    raw: unknown,
    ctx: ContextObject,
    scope: Scope,
    resume?: Checkpoint,
  ): Promise<StepResult> {
    switch (state.Type) {
      case 'Pass': {
        const input = applyInputPath(state, raw, ctx);
        // 'Result' in state, not truthiness: the library drops a Result of 0, false or "".
        const result =
          'Result' in state
            ? jsonClone(state.Result)
            : 'Parameters' in state
              ? applyTemplate(state.Parameters, input, ctx)
              : input;
        return {
          output: applyOutputPath(state, applyResultPath(state.ResultPath, raw, result), ctx),
          next: this.nextOf(state),
        };
      }
      case 'Choice': {
        const input = applyInputPath(state, raw, ctx);
        const next = await evaluateChoice(name, state, input, ctx);
        return { output: applyOutputPath(state, input, ctx), next };
      }
      case 'Wait': {
        const input = applyInputPath(state, raw, ctx);
        const wakeAt = resume?.waitUntil
          ? Date.parse(resume.waitUntil)
          : waitInstant(state, input, ctx, Date.parse(ctx.State.EnteredTime));
        if (scope.topLevel && live.record.checkpoint) {
          live.record.checkpoint.waitUntil = new Date(wakeAt).toISOString();
          this.persist(live.record);
        }
        await this.sleepUntil(scope, wakeAt);
        return { output: applyOutputPath(state, input, ctx), next: this.nextOf(state) };
      }
      case 'Succeed':
        return { output: applyOutputPath(state, applyInputPath(state, raw, ctx), ctx) };
      case 'Fail':
        throw failOutcome(state, raw, ctx);
      case 'Task':
        return this.runTask(live, state, raw, ctx, scope, resume);
      case 'Parallel':
        return this.runParallel(live, state, raw, ctx, scope);
      case 'Map':
        return this.runMap(live, name, state, raw, ctx, scope);
    }
  }

  private async runTask(
    live: LiveExecution,
    state: StateDefinition,
    raw: unknown,
    ctx: ContextObject,
    scope: Scope,
    resume?: Checkpoint,
  ): Promise<StepResult> {
    const { record } = live;
    const resource = state.Resource ?? '';
    const integration = taskIntegration(resource);
    const input = applyInputPath(state, raw, ctx);
    const token = integration.kind === 'invoke-callback' ? this.newToken(record.executionArn) : undefined;
    const taskCtx: ContextObject = token ? { ...ctx, Task: { Token: token } } : ctx;
    const params = 'Parameters' in state ? applyTemplate(state.Parameters, input, taskCtx) : input;
    // Read from the state input (after InputPath), as AWS does, not from the Parameters output.
    const timeoutSeconds = secondsSetting(state.TimeoutSeconds, state.TimeoutSecondsPath, input, taskCtx);
    const heartbeatSeconds = secondsSetting(
      state.HeartbeatSeconds,
      state.HeartbeatSecondsPath,
      input,
      taskCtx,
    );
    const deadline = resume?.taskDeadline
      ? Date.parse(resume.taskDeadline)
      : timeoutSeconds !== undefined
        ? this.clock.now().getTime() + timeoutSeconds * 1000
        : undefined;
    if (scope.topLevel && record.checkpoint && deadline !== undefined) {
      record.checkpoint.taskDeadline = new Date(deadline).toISOString();
      this.persist(record);
    }

    if (integration.kind === 'lambda-arn') {
      this.addEvent(record, 'LambdaFunctionScheduled', {
        resource,
        input: jsonText(params),
        inputDetails: { truncated: false },
        timeoutInSeconds: timeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS,
      });
      this.addEvent(record, 'LambdaFunctionStarted', undefined);
      try {
        const result = await this.withDeadline(this.invokeLambda(integration.functionName, params), deadline);
        this.throwIfStopped(scope);
        this.addEvent(record, 'LambdaFunctionSucceeded', {
          output: jsonText(result),
          outputDetails: { truncated: false },
        });
        return { output: processResult(state, raw, result, ctx), next: this.nextOf(state) };
      } catch (error: unknown) {
        if (error instanceof ExecutionStoppedError) throw error;
        const failure = toStatesError(error);
        const timedOut = failure.error === 'States.Timeout';
        this.addEvent(record, timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed', {
          error: failure.error,
          ...(failure.causeText !== undefined ? { cause: failure.causeText } : {}),
        });
        throw failure;
      }
    }

    const taskResource = integration.kind === 'invoke' ? 'invoke' : 'invoke.waitForTaskToken';
    const details = { resourceType: 'lambda', resource: taskResource };
    const paramObject = (params ?? {}) as { FunctionName?: unknown; Payload?: unknown };
    this.addEvent(record, 'TaskScheduled', {
      ...details,
      region: this.region,
      parameters: jsonText(params),
      timeoutInSeconds: timeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS,
      ...(heartbeatSeconds !== undefined ? { heartbeatInSeconds: heartbeatSeconds } : {}),
    });
    this.addEvent(record, 'TaskStarted', details);
    let callback: PendingCallback | undefined;
    try {
      if (typeof paramObject.FunctionName !== 'string') {
        throw new StatesError('States.Runtime', 'Parameters.FunctionName must be a string', false);
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
        this.pending.set(token, callback);
      }
      const payload = await this.withDeadline(
        this.invokeLambda(functionName, paramObject.Payload ?? {}),
        deadline,
      );
      this.throwIfStopped(scope);
      const invokeResult = this.invokeResponse(payload);
      if (!callback) {
        this.addEvent(record, 'TaskSucceeded', {
          ...details,
          output: jsonText(invokeResult),
          outputDetails: { truncated: false },
        });
        return { output: processResult(state, raw, invokeResult, ctx), next: this.nextOf(state) };
      }
      this.addEvent(record, 'TaskSubmitted', {
        ...details,
        output: jsonText(invokeResult),
        outputDetails: { truncated: false },
      });
      const outcome = await this.awaitCallback(scope, callback, deadline, heartbeatSeconds);
      if (!outcome.ok) throw outcome.failure;
      this.addEvent(record, 'TaskSucceeded', {
        ...details,
        output: jsonText(outcome.output),
        outputDetails: { truncated: false },
      });
      return { output: processResult(state, raw, outcome.output, ctx), next: this.nextOf(state) };
    } catch (error: unknown) {
      if (error instanceof ExecutionStoppedError) throw error;
      const failure = toStatesError(error);
      const timedOut = failure.error === 'States.Timeout' || failure.error === 'States.HeartbeatTimeout';
      this.addEvent(record, timedOut ? 'TaskTimedOut' : 'TaskFailed', {
        ...details,
        error: failure.error,
        ...(failure.causeText !== undefined ? { cause: failure.causeText } : {}),
      });
      throw failure;
    } finally {
      if (token) this.pending.delete(token);
    }
  }

  private awaitCallback(
    scope: Scope,
    callback: PendingCallback,
    deadline: number | undefined,
    heartbeatSeconds: number | undefined,
  ): Promise<CallbackOutcome> {
    return this.park(scope, (resolve) => {
      if (callback.outcome) {
        resolve(callback.outcome);
        return () => {};
      }
      callback.listener = resolve;
      const cancelDeadline =
        deadline === undefined
          ? undefined
          : this.clock.schedule(deadline, () =>
              resolve({ ok: false, failure: new StatesError('States.Timeout'), timedOut: true }),
            );
      let cancelHeartbeat: (() => void) | undefined;
      if (heartbeatSeconds !== undefined) {
        callback.heartbeat = () => {
          cancelHeartbeat?.();
          cancelHeartbeat = this.clock.schedule(this.clock.now().getTime() + heartbeatSeconds * 1000, () =>
            resolve({ ok: false, failure: new StatesError('States.HeartbeatTimeout'), timedOut: true }),
          );
        };
        callback.heartbeat();
      }
      return () => {
        cancelDeadline?.();
        cancelHeartbeat?.();
      };
    });
  }

  private async runParallel(
    live: LiveExecution,
    state: StateDefinition,
    raw: unknown,
    ctx: ContextObject,
    scope: Scope,
  ): Promise<StepResult> {
    const input = applyInputPath(state, raw, ctx);
    const branchInput = 'Parameters' in state ? applyTemplate(state.Parameters, input, ctx) : input;
    this.addEvent(live.record, 'ParallelStateStarted', undefined);
    try {
      const branches = state.Branches ?? [];
      const results = await this.runAll(
        scope,
        branches.map(
          (branch) => (child: Scope) =>
            this.runMachine(live, branch, branch.StartAt, jsonClone(branchInput), child),
        ),
        branches.length,
      );
      this.addEvent(live.record, 'ParallelStateSucceeded', undefined);
      return { output: processResult(state, raw, results, ctx), next: this.nextOf(state) };
    } catch (error: unknown) {
      if (!(error instanceof ExecutionStoppedError))
        this.addEvent(live.record, 'ParallelStateFailed', undefined);
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
    const input = applyInputPath(state, raw, ctx);
    const items = state.ItemsPath ? query(state.ItemsPath, input, ctx) : input;
    if (!Array.isArray(items)) {
      throw new StatesError('States.Runtime', 'The Map input (or ItemsPath) must be an array', false);
    }
    const processor = (state.ItemProcessor ?? state.Iterator) as MachineDefinition;
    const selector = state.ItemSelector ?? state.Parameters;
    this.addEvent(live.record, 'MapStateStarted', { length: items.length });
    try {
      const results = await this.runAll(
        scope,
        items.map((item, index) => async (child: Scope) => {
          const itemCtx: ContextObject = { ...ctx, Map: { Item: { Index: index, Value: item } } };
          const itemInput =
            selector === undefined ? jsonClone(item) : applyTemplate(selector, input, itemCtx);
          this.addEvent(live.record, 'MapIterationStarted', { name, index });
          try {
            const output = await this.runMachine(live, processor, processor.StartAt, itemInput, child);
            this.addEvent(live.record, 'MapIterationSucceeded', { name, index });
            return output;
          } catch (error: unknown) {
            if (!(error instanceof ExecutionStoppedError))
              this.addEvent(live.record, 'MapIterationFailed', { name, index });
            throw error;
          }
        }),
        state.MaxConcurrency || items.length,
      );
      this.addEvent(live.record, 'MapStateSucceeded', undefined);
      return { output: processResult(state, raw, results, ctx), next: this.nextOf(state) };
    } catch (error: unknown) {
      if (!(error instanceof ExecutionStoppedError)) this.addEvent(live.record, 'MapStateFailed', undefined);
      throw error;
    }
  }

  /**
   * Runs jobs at most `concurrency` at a time in a child scope; the first failure stops the
   * others (as a failed branch or iteration does on AWS) and is rethrown.
   */
  private async runAll<T>(
    scope: Scope,
    jobs: ((child: Scope) => Promise<T>)[],
    concurrency: number,
  ): Promise<T[]> {
    const controller = new AbortController();
    const stopChildren = (): void => controller.abort();
    scope.signal.addEventListener('abort', stopChildren, { once: true });
    const child: Scope = { signal: controller.signal, topLevel: false };
    const results: T[] = new Array(jobs.length);
    let nextJob = 0;
    const worker = async (): Promise<void> => {
      try {
        while (nextJob < jobs.length && !controller.signal.aborted) {
          const index = nextJob++;
          results[index] = await (jobs[index] as (child: Scope) => Promise<T>)(child);
        }
      } catch (error: unknown) {
        controller.abort();
        throw error;
      } finally {
        this.idle();
      }
    };
    const workers = Array.from({ length: Math.max(1, Math.min(concurrency, jobs.length)) }, () => {
      this.busy++;
      return worker();
    });
    try {
      await this.park(scope, (resolve, reject) => {
        Promise.all(workers).then(resolve, reject);
        return () => {};
      });
      return results;
    } finally {
      scope.signal.removeEventListener('abort', stopChildren);
    }
  }

  // ----- Lambda ---------------------------------------------------------------------------

  private async invokeLambda(functionName: string, payload: unknown): Promise<unknown> {
    const handler = this.handlers[functionName];
    const functionArn = `arn:aws:lambda:${this.region}:${this.accountId}:function:${functionName}`;
    if (!handler) {
      throw new StatesError(
        'Lambda.ResourceNotFoundException',
        `Function not found: ${functionArn} (Service: Lambda, Status Code: 404)`,
      );
    }
    const context: LambdaContextLike = {
      functionName,
      awsRequestId: randomUUID(),
      invokedFunctionArn: functionArn,
      getRemainingTimeInMillis: () => 900_000,
    };
    try {
      const result = await handler(jsonClone(payload), context);
      return jsonClone(result ?? null);
    } catch (error: unknown) {
      // The Lambda runtime reports errorType = the error's name: that is the ASL error name.
      const errorType = error instanceof Error ? error.name : 'Error';
      const errorMessage = error instanceof Error ? error.message : String(error);
      const trace = error instanceof Error && error.stack ? error.stack.split('\n') : [];
      throw new StatesError(errorType, JSON.stringify({ errorType, errorMessage, trace }));
    }
  }

  /** What `arn:aws:states:::lambda:invoke` returns: the Lambda Invoke response. */
  private invokeResponse(payload: unknown): Record<string, unknown> {
    const requestId = randomUUID();
    return {
      ExecutedVersion: '$LATEST',
      Payload: payload,
      SdkHttpMetadata: {
        HttpHeaders: {
          'Content-Type': 'application/json',
          'X-Amz-Executed-Version': '$LATEST',
          'x-amzn-RequestId': requestId,
        },
        HttpStatusCode: 200,
      },
      SdkResponseMetadata: { RequestId: requestId },
      StatusCode: 200,
    };
  }

  /** Races work against a clock deadline (States.Timeout). Not parked: the work is running. */
  private withDeadline<T>(work: Promise<T>, deadline: number | undefined): Promise<T> {
    if (deadline === undefined) return work;
    let cancel = (): void => {};
    const timeout = new Promise<never>((_, reject) => {
      cancel = this.clock.schedule(deadline, () => reject(new StatesError('States.Timeout')));
    });
    work.catch(() => {});
    return Promise.race([work, timeout]).finally(() => cancel());
  }

  // ----- tokens ---------------------------------------------------------------------------

  private newToken(executionArn: string): string {
    // Opaque to callers, but it names its execution so a stale token can be told apart
    // (TaskTimedOut) from one this engine never issued (TaskDoesNotExist).
    return Buffer.from(JSON.stringify({ e: executionArn, n: randomBytes(24).toString('hex') })).toString(
      'base64url',
    );
  }

  private callback(taskToken: string): PendingCallback {
    const found = this.pending.get(taskToken);
    if (found && found.outcome === undefined) return found;
    let executionArn: unknown;
    try {
      executionArn = (JSON.parse(Buffer.from(taskToken, 'base64url').toString('utf8')) as { e?: unknown }).e;
    } catch {
      throw new SfnApiError('InvalidToken', 'Invalid Token');
    }
    if (typeof executionArn !== 'string') throw new SfnApiError('InvalidToken', 'Invalid Token');
    if (found || this.executions.has(executionArn)) {
      throw new SfnApiError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    }
    throw new SfnApiError('TaskDoesNotExist', 'Task Does Not Exist');
  }

  private complete(taskToken: string, outcome: CallbackOutcome): void {
    const callback = this.callback(taskToken);
    callback.outcome = outcome;
    callback.listener?.(outcome);
  }

  // ----- plumbing -------------------------------------------------------------------------

  /**
   * Waits without counting as busy. The waker resolves a promise; the continuation counts
   * the execution busy again before any timer or I/O can run, so `settle()` (which looks
   * only after `setImmediate`) never sees a false idle.
   */
  private async park<T>(
    scope: Scope,
    setup: (resolve: (value: T) => void, reject: (error: unknown) => void) => () => void,
  ): Promise<T> {
    let cleanup = (): void => {};
    const promise = new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(new ExecutionStoppedError('Execution stopped'));
      if (scope.signal.aborted) {
        onAbort();
        return;
      }
      scope.signal.addEventListener('abort', onAbort, { once: true });
      const inner = setup(resolve, reject);
      cleanup = () => {
        inner();
        scope.signal.removeEventListener('abort', onAbort);
      };
    });
    this.idle();
    try {
      return await promise;
    } finally {
      cleanup();
      this.busy++;
    }
  }

  private async sleepUntil(scope: Scope, at: number): Promise<void> {
    // A Wait whose instant has passed continues at once, as on AWS.
    if (at <= this.clock.now().getTime()) return;
    await this.park<void>(scope, (resolve) => this.clock.schedule(at, () => resolve()));
  }

  /** One flow of work stops counting as busy; wakes `settle()` when none is left. */
  private idle(): void {
    this.busy--;
    if (this.busy === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  private throwIfStopped(scope: Scope): void {
    if (scope.signal.aborted) throw new ExecutionStoppedError('Execution stopped');
  }

  private end(
    record: ExecutionRecord,
    status: Exclude<ExecutionStatus, 'RUNNING'>,
    outcome: { output?: string; error?: string; cause?: string },
  ): void {
    record.status = status;
    record.stopDate = this.clock.now().toISOString();
    if (outcome.output !== undefined) record.output = outcome.output;
    if (outcome.error !== undefined) record.error = outcome.error;
    if (outcome.cause !== undefined) record.cause = outcome.cause;
    const type = {
      SUCCEEDED: 'ExecutionSucceeded',
      FAILED: 'ExecutionFailed',
      TIMED_OUT: 'ExecutionTimedOut',
      ABORTED: 'ExecutionAborted',
    }[status];
    this.addEvent(
      record,
      type,
      status === 'SUCCEEDED'
        ? { output: outcome.output, outputDetails: { truncated: false } }
        : {
            ...(outcome.error !== undefined ? { error: outcome.error } : {}),
            ...(outcome.cause !== undefined ? { cause: outcome.cause } : {}),
          },
    );
    delete record.checkpoint;
    this.persist(record);
  }

  private addEvent(
    record: ExecutionRecord,
    type: string,
    details: Record<string, unknown> | undefined,
  ): void {
    const id = record.history.length + 1;
    const event: StoredEvent = {
      id,
      previousEventId: id - 1,
      timestamp: this.clock.now().toISOString(),
      type,
    };
    if (details)
      event[
        eventDetailsKey(
          type.replace(/^(\w+)StateEntered$/, 'StateEntered').replace(/^(\w+)StateExited$/, 'StateExited'),
        )
      ] = details;
    record.history.push(event);
  }

  private persist(record: ExecutionRecord): void {
    if (!this.store || this.closed) return;
    try {
      this.store.saveExecution(record);
    } catch (error: unknown) {
      this.onError(error);
    }
  }

  private persistMachine(record: StateMachineRecord): void {
    if (!this.store || this.closed) return;
    this.store.saveStateMachine(record);
  }

  private normaliseInput(input: unknown): string {
    let value: unknown = input ?? {};
    if (typeof input === 'string') {
      try {
        value = JSON.parse(input);
      } catch (error: unknown) {
        throw new SfnApiError(
          'InvalidExecutionInput',
          'Invalid State Machine Execution Input: not valid JSON',
          {
            cause: error,
          },
        );
      }
    }
    const text = JSON.stringify(value);
    if (Buffer.byteLength(text) > MAX_INPUT_BYTES) {
      throw new SfnApiError('InvalidExecutionInput', 'Execution input is larger than 256 KiB');
    }
    return text;
  }

  private roleArn(): string {
    return `arn:aws:iam::${this.accountId}:role/local-step-functions`;
  }

  private machine(stateMachineArn: string): StateMachineRecord {
    if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/.test(stateMachineArn)) {
      throw new SfnApiError('InvalidArn', `Invalid Arn: '${stateMachineArn}'`);
    }
    const machine = this.machines.get(stateMachineArn);
    if (!machine)
      throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    return machine;
  }

  private execution(executionArn: string): ExecutionRecord {
    if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/.test(executionArn)) {
      throw new SfnApiError('InvalidArn', `Invalid Arn: '${executionArn}'`);
    }
    const record = this.executions.get(executionArn);
    if (!record)
      throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return record;
  }

  private assertOpen(): void {
    if (this.closed) throw new SfnApiError('ValidationException', 'This engine has been closed');
  }
}

/** Re-exported for callers that need to check a definition without an engine. */
export function validateDefinition(
  definition: object | string,
  substitutions: Record<string, string> = {},
): MachineDefinition {
  return parseDefinition(substitute(definition, substitutions));
}
