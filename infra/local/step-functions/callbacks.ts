/**
 * Callback tasks (`.waitForTaskToken`): task tokens, the tasks waiting for
 * `SendTaskSuccess`/`SendTaskFailure`/`SendTaskHeartbeat`, and their deadlines and
 * heartbeat windows on the engine's clock. A token is new on every entry into a callback
 * state and dead once its task ends, as on AWS.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from './clock.js';
import { jsonClone } from './data-flow.js';
import { SfnApiError, StatesError } from './errors.js';
import type { Scheduler } from './scheduler.js';

/** What `listen` returns for a task that was complete already (and a listener not armed yet). */
export const NOT_LISTENING = { disarm(): void {} };

/** A callback task waiting for `SendTaskSuccess`/`SendTaskFailure`. */
export interface PendingTask {
  taskToken: string;
  executionArn: string;
  stateName: string;
  /** When the task times out, if it has a timeout. */
  deadline?: Date;
}

/** How a callback task ended. */
export type CallbackOutcome =
  | { ok: true; output: unknown }
  | { ok: false; failure: StatesError; timedOut?: boolean };

/** A registered callback task and whoever is waiting for it. */
export interface PendingCallback extends PendingTask {
  outcome?: CallbackOutcome;
  listener?: OutcomeListener | undefined;
}

/**
 * Someone waiting for a callback task's outcome (`CallbackRegistry.listen`): its answer, its
 * deadline or a missed heartbeat, whichever comes first, reaches `onOutcome` once. An object with
 * methods rather than closures: thousands of tasks wait at once, and each closure is another
 * object with its own context.
 */
export class OutcomeListener {
  private cancelDeadline: (() => void) | undefined;
  private cancelHeartbeat: (() => void) | undefined;

  constructor(
    private readonly callback: PendingCallback,
    private readonly clock: Clock,
    private readonly heartbeatSeconds: number | undefined,
    private readonly onOutcome: (outcome: CallbackOutcome) => void,
  ) {}

  /** Starts the deadline and the first heartbeat window, and listens for the task's answer. */
  arm(deadline: number | undefined): void {
    this.callback.listener = this;
    if (deadline !== undefined) {
      this.cancelDeadline = this.clock.schedule(deadline, () =>
        this.settle({ ok: false, failure: new StatesError('States.Timeout'), timedOut: true }),
      );
    }
    this.beat();
  }

  /** A heartbeat: the `HeartbeatSeconds` window starts again. */
  beat(): void {
    const seconds = this.heartbeatSeconds;
    if (seconds === undefined || this.callback.listener !== this) return;
    this.cancelHeartbeat?.();
    this.cancelHeartbeat = this.clock.schedule(this.clock.now().getTime() + seconds * 1000, () =>
      this.settle({ ok: false, failure: new StatesError('States.HeartbeatTimeout'), timedOut: true }),
    );
  }

  /** The outcome, passed on once. */
  settle(outcome: CallbackOutcome): void {
    if (this.callback.listener !== this) return;
    this.disarm();
    this.onOutcome(outcome);
  }

  /** Stops listening: no outcome reaches `onOutcome` from now on. */
  disarm(): void {
    if (this.callback.listener === this) this.callback.listener = undefined;
    this.cancelDeadline?.();
    this.cancelHeartbeat?.();
  }
}

/** The callback tasks of one engine. */
export class CallbackRegistry {
  private readonly pending = new Map<string, PendingCallback>();

  /**
   * @param scheduler the engine's timers and busy count
   * @param knownExecution whether an execution ARN belongs to this engine (a stale token of a
   *   known execution is `TaskTimedOut`; any other well-formed token is `TaskDoesNotExist`)
   */
  constructor(
    private readonly scheduler: Scheduler,
    private readonly knownExecution: (executionArn: string) => boolean,
  ) {}

  /** A fresh token for a callback task of this execution. */
  newToken(executionArn: string): string {
    // Opaque to callers, but it names its execution so a stale token can be told apart
    // (TaskTimedOut) from one this engine never issued (TaskDoesNotExist).
    // A random UUID (122 random bits) comes from a buffer Node fills in bulk, where
    // `randomBytes` went to the system for every token.
    return Buffer.from(JSON.stringify({ e: executionArn, n: randomUUID() })).toString('base64url');
  }

  /** Registers a task under its token; from now on the token can complete it. */
  register(callback: PendingCallback): void {
    this.pending.set(callback.taskToken, callback);
  }

  /** Forgets a task whose state has ended; its token is dead from now on. */
  retire(taskToken: string): void {
    this.pending.delete(taskToken);
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

  /** Completes a task with `SendTaskSuccess`'s output (a JSON value or JSON text; `InvalidOutput` if not JSON). */
  succeed(taskToken: string, output: unknown): void {
    // JSON text parsed is a fresh value already; anything else is copied, as AWS would through JSON.
    let value: unknown;
    if (typeof output !== 'string') value = jsonClone(output);
    else {
      try {
        value = JSON.parse(output);
      } catch (error: unknown) {
        throw new SfnApiError('InvalidOutput', 'Invalid Output: the output is not valid JSON', {
          cause: error,
        });
      }
    }
    this.complete(taskToken, { ok: true, output: value });
  }

  /** Fails a task with `SendTaskFailure`'s error and cause. */
  fail(taskToken: string, error?: string, cause?: string): void {
    this.complete(taskToken, { ok: false, failure: new StatesError(error ?? '', cause) });
  }

  /** Restarts a task's `HeartbeatSeconds` window. */
  heartbeat(taskToken: string): void {
    this.callback(taskToken).listener?.beat();
  }

  /**
   * Waits (parked, not busy) for the task's outcome, its deadline (`States.Timeout`) or a
   * missed heartbeat (`States.HeartbeatTimeout`), whichever comes first.
   */
  awaitOutcome(
    signal: AbortSignal,
    callback: PendingCallback,
    deadline: number | undefined,
    heartbeatSeconds: number | undefined,
  ): Promise<CallbackOutcome> {
    return this.scheduler.park(signal, (resolve) => {
      const listener = this.listen(callback, deadline, heartbeatSeconds, resolve);
      return () => listener.disarm();
    });
  }

  /**
   * Calls `onOutcome` once, with the task's outcome or the first of its deadline and a missed
   * heartbeat, and at once when the task is already complete; returns what disarms it. (The
   * interpreter's top-level waits listen without a promise: see `Interpreter`.)
   */
  listen(
    callback: PendingCallback,
    deadline: number | undefined,
    heartbeatSeconds: number | undefined,
    onOutcome: (outcome: CallbackOutcome) => void,
  ): { disarm(): void } {
    // A handler may complete the task before its Lambda even returns.
    if (callback.outcome) {
      onOutcome(callback.outcome);
      return NOT_LISTENING;
    }
    const listener = new OutcomeListener(callback, this.scheduler.clock, heartbeatSeconds, onOutcome);
    listener.arm(deadline);
    return listener;
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
    if (found || this.knownExecution(executionArn)) {
      throw new SfnApiError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    }
    throw new SfnApiError('TaskDoesNotExist', 'Task Does Not Exist');
  }

  private complete(taskToken: string, outcome: CallbackOutcome): void {
    const callback = this.callback(taskToken);
    callback.outcome = outcome;
    callback.listener?.settle(outcome);
  }
}
