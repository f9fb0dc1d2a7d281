/**
 * The local engine in a worker thread of its own, as Step Functions is a service apart from the
 * Lambda functions it calls: the engine's work (interpreting states, history, checkpoints,
 * timers) runs on one core while the handlers, the API and the stand-ins run on another. The
 * handlers stay in the calling thread with whatever adapters it provided; the engine calls them
 * by message, with the payload and the result as JSON text, which is how data crosses to Lambda
 * anyway (`lambda.ts`).
 *
 * `LocalStepFunctionsThread` answers the engine's API (`LocalStepFunctions`) asynchronously,
 * each call a message to the worker (`thread-worker.ts`). Its `clock` reads a worker's
 * `VirtualClock` from shared memory, so a handler sees the instant the engine is at, also in the
 * middle of `advanceTo`; given the caller's `LocalClock` instead, the worker makes one reading the
 * same from real time and jumps when it does.
 */
import { Worker } from 'node:worker_threads';
import { type LocalClock, SharedClockReading } from './clock.js';
import type { LocalStepFunctions, StepFunctionsApi } from './engine.js';
import { SfnApiError, type SfnErrorCode } from './errors.js';
import type { LambdaContextLike, LambdaHandler } from './lambda.js';

/** An error as it crosses between threads: what `Error` keeps that Step Functions and the steps read. */
export interface ThreadError {
  name: string;
  message: string;
  stack?: string;
  /** `SfnApiError`'s code: the error is rebuilt as one on the other side. */
  code?: string;
}

/** Messages to the worker. */
export type ToEngineThread =
  | { type: 'call'; id: number; target: 'engine' | 'clock'; method: string; args: unknown[] }
  | { type: 'invoked'; id: number; text: string }
  | { type: 'invoke-failed'; id: number; error: ThreadError };

/** Messages from the worker. */
export type FromEngineThread =
  | { type: 'ready'; clockReading?: SharedArrayBuffer }
  | { type: 'return'; id: number; value: unknown }
  | { type: 'throw'; id: number; error: ThreadError }
  | {
      type: 'invoke';
      id: number;
      functionName: string;
      eventText: string;
      awsRequestId: string;
      functionArn: string;
    }
  | { type: 'error'; error: ThreadError };

/** What the worker is started with (`workerData`). */
export interface EngineThreadData {
  /** The worker's module (`thread-worker.ts`, or `.js` once compiled), which `thread-boot.mjs` loads. */
  entry: string;
  functionNames: string[];
  /** A `VirtualClock` from this instant, or a `LocalClock` reading as the caller's does. */
  clock: { virtual: number } | { local: ReturnType<LocalClock['setting']> };
  stateDir?: string;
  region: string;
  accountId: string;
  lambdaConcurrency?: number;
}

/**
 * The most messages a batch holds: the first of a turn's many go while the thread carries on
 * making the rest, so the other thread works on them meanwhile instead of the two taking turns
 * (a batch of a whole turn left each thread idle a fifth of the time; 16 was the best of 8–32 at
 * 5,000 cases).
 */
const BATCH_MOST = 16;

/**
 * Posts messages in batches: the messages queued in one turn of the event loop go in one
 * `postMessage` at its end, or sooner in batches of `most`. A message costs the sender and the
 * woken receiver tens of microseconds whatever its size (the wake-up, not the copy): one a
 * message was about a millisecond of CPU a case, where the engine's work for a case is a few.
 */
export function batchedPoster<T>(post: (batch: T[]) => void, most = BATCH_MOST): (message: T) => void {
  let queued: T[] = [];
  const flush = (): void => {
    if (queued.length === 0) return;
    const batch = queued;
    queued = [];
    post(batch);
  };
  return (message) => {
    if (queued.length === 0) setImmediate(flush);
    queued.push(message);
    if (queued.length >= most) flush();
  };
}

export function toThreadError(error: unknown): ThreadError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: error.message,
    ...(error.stack !== undefined ? { stack: error.stack } : {}),
    ...(typeof code === 'string' ? { code } : {}),
  };
}

/** The error again on this side: an `SfnApiError` as one (callers test for it), any other by name. */
export function fromThreadError(error: ThreadError): Error {
  if (error.code !== undefined && error.name === error.code) {
    return new SfnApiError(error.code as SfnErrorCode, error.message);
  }
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  if (error.stack !== undefined) rebuilt.stack = error.stack;
  return rebuilt;
}

/** The engine's API methods the thread answers (all asynchronous across it). */
type EngineMethod = Exclude<keyof StepFunctionsApi, 'accountId' | 'stateMachineArn'> | 'resume' | 'settle';

type Remote<M extends EngineMethod> = LocalStepFunctions[M];

export interface LocalStepFunctionsThreadOptions {
  handlers: Record<string, LambdaHandler>;
  /**
   * The engine's clock: a `VirtualClock` starting at `start`, driven from here (the thread's
   * `clock`), or the caller's `LocalClock`, which the worker's reads as and jumps with.
   */
  clock: { start: Date | string | number } | LocalClock;
  stateDir?: string;
  region?: string;
  accountId?: string;
  /** Handler invocations the engine has in flight at most (`LocalStepFunctionsOptions`). */
  lambdaConcurrency?: number;
  onError?: (error: unknown) => void;
}

/** The engine's clock, read and (a virtual one) driven from this thread. */
export interface ThreadClock {
  now(): Date;
  advanceTo(instant: Date | string | number, options?: { together?: number }): Promise<void>;
  advanceBy(ms: number): Promise<void>;
  settle(): Promise<void>;
}

export class LocalStepFunctionsThread {
  readonly region: string;
  readonly accountId: string;
  readonly clock: ThreadClock;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 0;
  private exited: Error | undefined;
  private closed: Promise<void> | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly handlers: Record<string, LambdaHandler>,
    clockReading: SharedArrayBuffer | undefined,
    options: LocalStepFunctionsThreadOptions,
  ) {
    this.region = options.region ?? 'eu-west-2';
    this.accountId = options.accountId ?? '123456789012';
    const onError = options.onError ?? ((error: unknown) => console.error('[local-step-functions]', error));
    const move =
      (method: 'advanceTo' | 'advanceBy') =>
      (instant: Date | string | number, ...rest: unknown[]) =>
        clockReading
          ? (this.call('clock', method, [
              instant instanceof Date ? instant.getTime() : instant,
              ...rest,
            ]) as Promise<void>)
          : Promise.reject(new Error(`a LocalClock runs with real time: use jumpTo, not ${method}`));
    const local = 'start' in options.clock ? undefined : options.clock;
    const reading = clockReading ? new SharedClockReading(clockReading) : undefined;
    this.clock = {
      now: () => (reading ?? (local as LocalClock)).now(),
      advanceTo: move('advanceTo'),
      advanceBy: move('advanceBy'),
      settle: () => (reading ? (this.call('clock', 'settle', []) as Promise<void>) : this.settle()),
    };
    // A `LocalClock` that jumps (the demo, a test) takes the engine's with it, so its waits due
    // by then fire at once there too.
    local?.onJump((instant) => {
      this.call('clock', 'jumpTo', [instant]).catch(onError);
    });
    this.send = batchedPoster((batch) => {
      if (!this.exited) worker.postMessage(batch);
    });
    worker.on('message', (batch: FromEngineThread[]) => {
      for (const message of batch) this.receive(message, onError);
    });
    // A worker that dies fails every call waiting on it, and every later one, at once, and says
    // so (unless it was closed): in one thread, what killed it would have ended the process.
    worker.on('error', (error) => {
      onError(error);
      this.fail(error);
    });
    worker.on('exit', (code) => {
      const error = new Error(`the local Step Functions thread exited (code ${code})`);
      if (!this.closed) onError(error);
      this.fail(error);
    });
  }

  private receive(message: FromEngineThread, onError: (error: unknown) => void): void {
    switch (message.type) {
      case 'return':
        this.settleCall(message.id, (call) => call.resolve(message.value));
        return;
      case 'throw':
        this.settleCall(message.id, (call) => call.reject(fromThreadError(message.error)));
        return;
      case 'invoke':
        this.invoke(message);
        return;
      case 'error':
        onError(fromThreadError(message.error));
        return;
      case 'ready':
        return;
    }
  }

  /** Starts the worker and waits until its engine is ready. */
  static async start(options: LocalStepFunctionsThreadOptions): Promise<LocalStepFunctionsThread> {
    const data: EngineThreadData = {
      entry: new URL(`./thread-worker${extensionOf(import.meta.url)}`, import.meta.url).href,
      functionNames: Object.keys(options.handlers),
      clock:
        'start' in options.clock
          ? { virtual: new Date(options.clock.start).getTime() }
          : { local: options.clock.setting() },
      region: options.region ?? 'eu-west-2',
      accountId: options.accountId ?? '123456789012',
      ...(options.stateDir !== undefined ? { stateDir: options.stateDir } : {}),
      ...(options.lambdaConcurrency !== undefined ? { lambdaConcurrency: options.lambdaConcurrency } : {}),
    };
    const worker = new Worker(new URL('./thread-boot.mjs', import.meta.url), { workerData: data });
    const ready = await new Promise<SharedArrayBuffer | undefined>((resolve, reject) => {
      const onMessage = ([message]: FromEngineThread[]) => {
        if (message?.type !== 'ready') return;
        worker.off('error', reject);
        worker.off('message', onMessage);
        resolve(message.clockReading);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    return new LocalStepFunctionsThread(worker, options.handlers, ready, options);
  }

  stateMachineArn(name: string): string {
    return `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${name}`;
  }

  createStateMachine(
    ...args: Parameters<Remote<'createStateMachine'>>
  ): ReturnType<Remote<'createStateMachine'>> {
    return this.engineCall('createStateMachine', args);
  }
  describeStateMachine(
    ...args: Parameters<Remote<'describeStateMachine'>>
  ): ReturnType<Remote<'describeStateMachine'>> {
    return this.engineCall('describeStateMachine', args);
  }
  listStateMachines(): ReturnType<Remote<'listStateMachines'>> {
    return this.engineCall('listStateMachines', []);
  }
  startExecution(...args: Parameters<Remote<'startExecution'>>): ReturnType<Remote<'startExecution'>> {
    return this.engineCall('startExecution', args);
  }
  describeExecution(
    ...args: Parameters<Remote<'describeExecution'>>
  ): ReturnType<Remote<'describeExecution'>> {
    return this.engineCall('describeExecution', args);
  }
  getExecutionHistory(
    ...args: Parameters<Remote<'getExecutionHistory'>>
  ): ReturnType<Remote<'getExecutionHistory'>> {
    return this.engineCall('getExecutionHistory', args);
  }
  listExecutions(...args: Parameters<Remote<'listExecutions'>>): ReturnType<Remote<'listExecutions'>> {
    return this.engineCall('listExecutions', args);
  }
  stopExecution(...args: Parameters<Remote<'stopExecution'>>): ReturnType<Remote<'stopExecution'>> {
    return this.engineCall('stopExecution', args);
  }
  redriveExecution(...args: Parameters<Remote<'redriveExecution'>>): ReturnType<Remote<'redriveExecution'>> {
    return this.engineCall('redriveExecution', args);
  }
  sendTaskSuccess(...args: Parameters<Remote<'sendTaskSuccess'>>): ReturnType<Remote<'sendTaskSuccess'>> {
    return this.engineCall('sendTaskSuccess', args);
  }
  sendTaskFailure(...args: Parameters<Remote<'sendTaskFailure'>>): ReturnType<Remote<'sendTaskFailure'>> {
    return this.engineCall('sendTaskFailure', args);
  }
  sendTaskHeartbeat(
    ...args: Parameters<Remote<'sendTaskHeartbeat'>>
  ): ReturnType<Remote<'sendTaskHeartbeat'>> {
    return this.engineCall('sendTaskHeartbeat', args);
  }
  resume(): ReturnType<Remote<'resume'>> {
    return this.engineCall('resume', []);
  }
  settle(): Promise<void> {
    return this.engineCall('settle', []);
  }

  /** Closes the engine (waiting executions stay on disk, as `LocalStepFunctions.close`) and ends the thread. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      if (!this.exited) await this.call('engine', 'close', []);
      await this.worker.terminate();
    })();
    return this.closed;
  }

  private engineCall<M extends EngineMethod>(method: M, args: unknown[]): ReturnType<Remote<M>> {
    return this.call('engine', method, args) as ReturnType<Remote<M>>;
  }

  private call(target: 'engine' | 'clock', method: string, args: unknown[]): Promise<unknown> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ type: 'call', id, target, method, args });
    });
  }

  private settleCall(
    id: number,
    fn: (call: { resolve(value: unknown): void; reject(error: Error): void }) => void,
  ): void {
    const call = this.pending.get(id);
    if (!call) return;
    this.pending.delete(id);
    fn(call);
  }

  /** Runs a handler the engine called, and posts its result's JSON text (or its error) back. */
  private invoke(message: Extract<FromEngineThread, { type: 'invoke' }>): void {
    const handler = this.handlers[message.functionName] as LambdaHandler;
    const context: LambdaContextLike = {
      functionName: message.functionName,
      awsRequestId: message.awsRequestId,
      invokedFunctionArn: message.functionArn,
      getRemainingTimeInMillis: () => 900_000,
    };
    void (async () => {
      try {
        const result = await handler(JSON.parse(message.eventText), context);
        this.post({ type: 'invoked', id: message.id, text: JSON.stringify(result ?? null) });
      } catch (error: unknown) {
        this.post({ type: 'invoke-failed', id: message.id, error: toThreadError(error) });
      }
    })();
  }

  private readonly send: (message: ToEngineThread) => void;

  private post(message: ToEngineThread): void {
    if (!this.exited) this.send(message);
  }

  private fail(error: Error): void {
    this.exited ??= error;
    for (const call of this.pending.values()) call.reject(error);
    this.pending.clear();
  }
}

/** `.ts` when this module runs from source (tsx, vitest), `.js` once compiled. */
function extensionOf(url: string): string {
  return url.endsWith('.ts') ? '.ts' : '.js';
}
