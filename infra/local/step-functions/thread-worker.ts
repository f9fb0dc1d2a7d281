/**
 * The worker side of `thread.ts`: a `LocalStepFunctions` answering the calls of the thread that
 * started it, and calling back to it for every Lambda invocation; on a `VirtualClock` whose reading
 * that thread shares, or on a `LocalClock` made to read as that thread's does.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { LocalClock, VirtualClock } from './clock.js';
import { LocalStepFunctions } from './engine.js';
import type { LambdaContextLike, RemoteLambdaHandler } from './lambda.js';
import {
  batchedPoster,
  type EngineThreadData,
  type FromEngineThread,
  fromThreadError,
  type ToEngineThread,
  toThreadError,
} from './thread.js';

const port = parentPort;
if (!port) throw new Error('thread-worker.ts runs as a worker thread (see thread.ts)');
const data = workerData as EngineThreadData;
const post = batchedPoster<FromEngineThread>((batch) => port.postMessage(batch));

const invocations = new Map<number, { resolve(text: string): void; reject(error: Error): void }>();
let nextInvocation = 0;
const remote = (functionName: string): RemoteLambdaHandler => ({
  remote(eventText: string, context: LambdaContextLike): Promise<string> {
    const id = nextInvocation++;
    return new Promise((resolve, reject) => {
      invocations.set(id, { resolve, reject });
      post({
        type: 'invoke',
        id,
        functionName,
        eventText,
        awsRequestId: context.awsRequestId,
        functionArn: context.invokedFunctionArn,
      });
    });
  },
});

const clock =
  'virtual' in data.clock ? new VirtualClock(data.clock.virtual) : new LocalClock(data.clock.local);
const engine = new LocalStepFunctions({
  handlers: Object.fromEntries(data.functionNames.map((name) => [name, remote(name)])),
  clock,
  region: data.region,
  accountId: data.accountId,
  ...(data.stateDir !== undefined ? { stateDir: data.stateDir } : {}),
  ...(data.lambdaConcurrency !== undefined ? { lambdaConcurrency: data.lambdaConcurrency } : {}),
  onError: (error) => post({ type: 'error', error: toThreadError(error) }),
});
const targets = { engine, clock } as unknown as Record<
  'engine' | 'clock',
  Record<string, (...args: unknown[]) => unknown>
>;

port.on('message', (batch: ToEngineThread[]) => {
  for (const message of batch) receive(message);
});

function receive(message: ToEngineThread): void {
  if (message.type === 'call') {
    void (async () => {
      try {
        const target = targets[message.target];
        const method = target[message.method];
        if (typeof method !== 'function') throw new Error(`no ${message.target} method ${message.method}`);
        const value = await method.apply(target, message.args);
        post({ type: 'return', id: message.id, value });
      } catch (error: unknown) {
        post({ type: 'throw', id: message.id, error: toThreadError(error) });
      }
    })();
    return;
  }
  const invocation = invocations.get(message.id);
  if (!invocation) return;
  invocations.delete(message.id);
  if (message.type === 'invoked') invocation.resolve(message.text);
  else invocation.reject(fromThreadError(message.error));
}

post(clock instanceof VirtualClock ? { type: 'ready', clockReading: clock.share() } : { type: 'ready' });
