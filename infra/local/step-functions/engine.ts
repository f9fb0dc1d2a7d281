/**
 * A local AWS Step Functions: runs the same ASL files as AWS against in-process Lambda
 * handlers, on an injected clock, with executions that survive a restart and can be
 * redriven. This class is the API (the methods mirror the Step Functions actions); the work
 * is done by the modules it wires together:
 *
 * - `state-machines.ts`: definitions and their validation;
 * - `executions.ts`: execution records, history, describe/list, redrive eligibility;
 * - `interpreter.ts` (+ `task-state.ts`): running states;
 * - `callbacks.ts`: task tokens and callback tasks;
 * - `scheduler.ts`: timers on the clock and the busy/idle count behind `settle()`.
 */
import { randomUUID } from 'node:crypto';
import { type MachineDefinition, parseDefinition, sharedDefinition, substitute } from './asl.js';
import { CallbackRegistry, type PendingTask } from './callbacks.js';
import { type Clock, SystemClock } from './clock.js';
import { jsonClone } from './data-flow.js';
import { SfnApiError } from './errors.js';
import {
  type ExecutionDescription,
  type ExecutionFilter,
  type ExecutionListItem,
  ExecutionRegistry,
  type HistoryEvent,
} from './executions.js';
import { Interpreter } from './interpreter.js';
import { type LambdaHandler, LambdaInvoker, type RemoteLambdaHandler } from './lambda.js';
import { Scheduler } from './scheduler.js';
import { isValidName, StateMachineRegistry } from './state-machines.js';
import { EngineStore } from './store.js';

export type { PendingTask } from './callbacks.js';
export type { ExecutionDescription, ExecutionListItem, HistoryEvent } from './executions.js';
export type { LambdaContextLike, LambdaHandler } from './lambda.js';

/** How to build a `LocalStepFunctions`. */
export interface LocalStepFunctionsOptions {
  /** Lambda function name → handler (the name in the function ARN / `FunctionName`). */
  handlers: Record<string, LambdaHandler | RemoteLambdaHandler>;
  /** The clock Wait states, Retry intervals and timeouts run on (default: real time). */
  clock?: Clock;
  /** Directory for checkpoints; with it, `resume()` restarts executions a previous engine left running. */
  stateDir?: string;
  region?: string;
  accountId?: string;
  /** Random source for `JitterStrategy: FULL` and `States.MathRandom` without a seed (default `Math.random`). */
  random?: () => number;
  /**
   * Handler invocations in flight at most (default `LOCAL_LAMBDA_CONCURRENCY`, 16: what keeps
   * `npm start`'s API and DynamoDB Local answering while a restart resumes thousands). An engine
   * in its own thread whose handlers use memory stand-ins takes more: each invocation waits a
   * round trip between the threads, and 16 at a time left the handlers' thread waiting.
   */
  lambdaConcurrency?: number;
  /** Told about failures the engine cannot report elsewhere (e.g. a checkpoint write failing). */
  onError?: (error: unknown) => void;
}

/** The local Step Functions engine. */
export class LocalStepFunctions {
  readonly region: string;
  readonly accountId: string;
  readonly clock: Clock;
  private readonly scheduler: Scheduler;
  private readonly machines: StateMachineRegistry;
  private readonly executions: ExecutionRegistry;
  private readonly callbacks: CallbackRegistry;
  private readonly interpreter: Interpreter;
  private readonly unregisterIdle?: () => void;
  private closed = false;

  constructor(options: LocalStepFunctionsOptions) {
    this.clock = options.clock ?? new SystemClock();
    this.region = options.region ?? 'eu-west-2';
    this.accountId = options.accountId ?? '123456789012';
    const onError =
      options.onError ??
      ((error: unknown) => {
        console.error('[local-step-functions]', error);
      });
    const store = options.stateDir ? new EngineStore(options.stateDir) : undefined;
    this.scheduler = new Scheduler(this.clock);
    this.machines = new StateMachineRegistry(this.clock, store, this.region, this.accountId);
    this.executions = new ExecutionRegistry(this.clock, store, onError);
    this.callbacks = new CallbackRegistry(this.scheduler, (arn) => this.executions.has(arn));
    this.interpreter = new Interpreter({
      scheduler: this.scheduler,
      executions: this.executions,
      callbacks: this.callbacks,
      lambda: new LambdaInvoker(options.handlers, this.region, this.accountId, options.lambdaConcurrency),
      region: this.region,
      roleArn: this.roleArn(),
      random: options.random ?? Math.random,
    });
    const registrar = this.clock as Partial<{ registerIdleWaiter(w: () => Promise<void>): () => void }>;
    if (typeof registrar.registerIdleWaiter === 'function') {
      this.unregisterIdle = registrar.registerIdleWaiter(() => this.settle());
    }
  }

  // ----- state machines -------------------------------------------------------------------

  /** The ARN a state machine of this name has in this engine. */
  stateMachineArn(name: string): string {
    return this.machines.arn(name);
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
    const record = this.machines.create(name, definition, substitutions);
    return { stateMachineArn: record.stateMachineArn, creationDate: new Date(record.creationDate) };
  }

  /** The state machine's definition (JSON text after substitution). */
  async describeStateMachine(stateMachineArn: string): Promise<{
    stateMachineArn: string;
    name: string;
    definition: string;
    creationDate: Date;
    status: 'ACTIVE';
  }> {
    const machine = this.machines.get(stateMachineArn);
    return { ...machine, creationDate: new Date(machine.creationDate), status: 'ACTIVE' };
  }

  /** Every state machine. */
  async listStateMachines(): Promise<{
    stateMachines: { stateMachineArn: string; name: string; type: 'STANDARD'; creationDate: Date }[];
  }> {
    return { stateMachines: this.machines.list() };
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
    const machine = this.machines.get(stateMachineArn);
    const executionName = name ?? randomUUID();
    if (!isValidName(executionName)) {
      throw new SfnApiError('InvalidName', `Invalid Execution Name: '${executionName}'`);
    }
    const definition = sharedDefinition(machine.definition);
    const { record, created } = this.executions.start({
      executionArn: `arn:aws:states:${this.region}:${this.accountId}:execution:${machine.name}:${executionName}`,
      stateMachineArn,
      name: executionName,
      input,
      definition: machine.definition,
      timeoutSeconds: definition.TimeoutSeconds,
      roleArn: this.roleArn(),
    });
    if (created) this.interpreter.launch(record, definition, definition.StartAt, JSON.parse(record.input));
    return { executionArn: record.executionArn, startDate: new Date(record.startDate) };
  }

  /** `DescribeExecution`, including `redriveCount`, `redriveDate` and `redriveStatus`. */
  async describeExecution(executionArn: string): Promise<ExecutionDescription> {
    return this.executions.describe(executionArn);
  }

  /** The events of an execution, oldest first unless `reverseOrder`. */
  async getExecutionHistory(
    executionArn: string,
    options: { reverseOrder?: boolean } = {},
  ): Promise<{ events: HistoryEvent[] }> {
    return { events: this.executions.history(executionArn, options.reverseOrder) };
  }

  /** The names of the states entered, in order (nested states included). */
  visitedStates(executionArn: string): string[] {
    return this.executions.visitedStates(executionArn);
  }

  /** The execution's output, parsed (undefined unless it succeeded). */
  executionOutput(executionArn: string): unknown {
    return this.executions.output(executionArn);
  }

  /** Executions, newest first, optionally of one state machine, one status, redriven or not. */
  async listExecutions(filter: ExecutionFilter = {}): Promise<{ executions: ExecutionListItem[] }> {
    if (filter.stateMachineArn) this.machines.get(filter.stateMachineArn);
    return { executions: this.executions.list(filter) };
  }

  /** Stops a running execution (status ABORTED). Stopping a finished one changes nothing. */
  async stopExecution(
    executionArn: string,
    options: { error?: string; cause?: string } = {},
  ): Promise<{ stopDate: Date }> {
    const record = this.executions.get(executionArn);
    if (record.status === 'RUNNING') {
      this.executions.end(record, 'ABORTED', {
        ...(options.error !== undefined ? { error: options.error } : {}),
        ...(options.cause !== undefined ? { cause: options.cause } : {}),
      });
      this.interpreter.stop(executionArn);
    }
    return { stopDate: new Date(record.stopDate ?? this.clock.now().toISOString()) };
  }

  /**
   * Redrives a FAILED, TIMED_OUT or ABORTED execution, as AWS's RedriveExecution: it
   * restarts at the top-level state where it stopped, with the input that state had, keeping
   * its ARN, definition and history (an `ExecutionRedriven` event marks the restart), and its
   * execution-level timeout starts again. Anything else is `ExecutionNotRedrivable` with
   * AWS's reason. Repeating a request with the same `clientToken` returns the first answer.
   */
  async redriveExecution(
    executionArn: string,
    options: { clientToken?: string } = {},
  ): Promise<{ redriveDate: Date }> {
    this.assertOpen();
    const record = this.executions.get(executionArn);
    const earlier = this.executions.earlierRedrive(record, options.clientToken);
    if (earlier) return { redriveDate: earlier };
    const eligibility = this.executions.redriveStatus(record);
    if (eligibility.status !== 'REDRIVABLE') {
      throw new SfnApiError('ExecutionNotRedrivable', `Execution Not Redrivable: ${eligibility.reason}`);
    }
    const definition = sharedDefinition(record.definition);
    // Executions recorded before redrive existed ended without a checkpoint: start them over.
    const from = record.checkpoint ?? { stateName: definition.StartAt, input: JSON.parse(record.input) };
    const redriveDate = this.executions.markRedriven(record, definition.TimeoutSeconds, options.clientToken);
    this.interpreter.launch(record, definition, from.stateName, jsonClone(from.input));
    return { redriveDate };
  }

  // ----- callbacks ------------------------------------------------------------------------

  /** Completes a `.waitForTaskToken` task with `output` (a JSON value or JSON text). */
  async sendTaskSuccess(taskToken: string, output: unknown): Promise<void> {
    this.callbacks.succeed(taskToken, output);
  }

  /** Fails a `.waitForTaskToken` task with an ASL error name and cause. */
  async sendTaskFailure(taskToken: string, error?: string, cause?: string): Promise<void> {
    this.callbacks.fail(taskToken, error, cause);
  }

  /** Restarts a callback task's `HeartbeatSeconds` window. */
  async sendTaskHeartbeat(taskToken: string): Promise<void> {
    this.callbacks.heartbeat(taskToken);
  }

  /** Callback tasks now waiting, optionally of one execution. */
  pendingTasks(executionArn?: string): PendingTask[] {
    return this.callbacks.pendingTasks(executionArn);
  }

  // ----- lifecycle ------------------------------------------------------------------------

  /**
   * Resolves once every execution is waiting (on the clock or a callback) or finished, and
   * no Lambda handler is running. A VirtualClock calls this after each timer it fires.
   */
  settle(): Promise<void> {
    return this.scheduler.settle();
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
    for (const record of this.executions.all()) {
      if (record.status !== 'RUNNING' || this.interpreter.isLive(record.executionArn)) continue;
      const definition: MachineDefinition = sharedDefinition(record.definition);
      const checkpoint = record.checkpoint;
      if (checkpoint) {
        this.interpreter.launch(record, definition, checkpoint.stateName, checkpoint.input, checkpoint);
      } else {
        this.interpreter.launch(record, definition, definition.StartAt, JSON.parse(record.input));
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
    this.executions.close();
    this.machines.close();
    this.interpreter.close();
    this.unregisterIdle?.();
    await this.settle();
  }

  private roleArn(): string {
    return `arn:aws:iam::${this.accountId}:role/local-step-functions`;
  }

  private assertOpen(): void {
    if (this.closed) throw new SfnApiError('ValidationException', 'This engine has been closed');
  }
}

/** Re-exported for callers that need to check a definition without an engine. */
/**
 * The engine's API as the Step Functions endpoint (`server.ts`) and the workflow port call it:
 * a `LocalStepFunctions`, or one in a thread of its own (`thread.ts`).
 */
export type StepFunctionsApi = Pick<
  LocalStepFunctions,
  | 'accountId'
  | 'stateMachineArn'
  | 'createStateMachine'
  | 'describeStateMachine'
  | 'listStateMachines'
  | 'startExecution'
  | 'describeExecution'
  | 'getExecutionHistory'
  | 'listExecutions'
  | 'stopExecution'
  | 'redriveExecution'
  | 'sendTaskSuccess'
  | 'sendTaskFailure'
  | 'sendTaskHeartbeat'
>;

export function validateDefinition(
  definition: object | string,
  substitutions: Record<string, string> = {},
): MachineDefinition {
  return parseDefinition(substitute(definition, substitutions));
}
