/**
 * Timers and the engine's notion of "idle". Every wait of an execution (Wait states, retry
 * back-off, task deadlines, callbacks) goes through here, on the injected clock, and the
 * scheduler counts the flows of work that are running so `settle()` can tell when every
 * execution is waiting or finished. A VirtualClock relies on that to fire the next timer
 * only once everything the previous one started has run.
 */
import type { Clock } from './clock.js';
import { ExecutionStoppedError, StatesError } from './errors.js';

/** The clock, the busy count, and waits that end early when their execution stops. */
export class Scheduler {
  readonly clock: Clock;
  private busy = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(clock: Clock) {
    this.clock = clock;
  }

  /** One more flow of work is running. */
  enter(): void {
    this.busy++;
  }

  /** One flow of work stops counting as busy; wakes `settle()` when none is left. */
  leave(): void {
    this.busy--;
    if (this.busy === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  /** Resolves once no flow of work is running (all are waiting on the clock or a callback, or done). */
  async settle(): Promise<void> {
    for (;;) {
      // Let promise chains that are about to resume an execution do so before looking.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.busy === 0) return;
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  /**
   * Waits without counting as busy. `setup` arms whatever will settle the wait and returns
   * its clean-up. The continuation counts the flow busy again before any timer or I/O can
   * run, so `settle()` (which looks only after `setImmediate`) never sees a false idle. An
   * abort of `signal` ends the wait with `ExecutionStoppedError`. (Written with `then`, not as
   * an async function awaiting the promise: every callback and sleep parks, and under the invoke
   * store's async hooks each await costs another promise.)
   */
  park<T>(
    signal: AbortSignal,
    setup: (resolve: (value: T) => void, reject: (error: unknown) => void) => () => void,
  ): Promise<T> {
    let cleanup = (): void => {};
    const promise = new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(new ExecutionStoppedError('Execution stopped'));
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      const inner = setup(resolve, reject);
      cleanup = () => {
        inner();
        signal.removeEventListener('abort', onAbort);
      };
    });
    this.leave();
    const resume = (): void => {
      cleanup();
      this.enter();
    };
    return promise.then(
      (value) => {
        resume();
        return value;
      },
      (error: unknown) => {
        resume();
        throw error;
      },
    );
  }

  /** Sleeps until the clock reads `at` (ms). An instant already passed continues at once, as on AWS. */
  sleepUntil(signal: AbortSignal, at: number): Promise<void> {
    if (at <= this.clock.now().getTime()) return Promise.resolve();
    return this.park<void>(signal, (resolve) => this.clock.schedule(at, () => resolve()));
  }

  /**
   * Races running work against a clock deadline (States.Timeout). Not parked: the work is running.
   * One promise settled by whichever comes first, rather than `Promise.race` with a `finally`:
   * every task with a deadline makes one, and with the invoke store's async hooks on, each
   * promise costs (a late failure of the work is handled here, not left unhandled).
   */
  withDeadline<T>(work: Promise<T>, deadline: number | undefined): Promise<T> {
    if (deadline === undefined) return work;
    return new Promise<T>((resolve, reject) => {
      const cancel = this.clock.schedule(deadline, () => reject(new StatesError('States.Timeout')));
      work.then(
        (value) => {
          cancel();
          resolve(value);
        },
        (error: unknown) => {
          cancel();
          reject(error);
        },
      );
    });
  }

  /**
   * Runs jobs at most `concurrency` at a time, each given a signal that aborts with `signal`
   * or at the first failure (as a failed branch or iteration stops the others on AWS); the
   * first failure is rethrown. Results keep the order of the jobs.
   */
  async runAll<T>(
    signal: AbortSignal,
    jobs: ((signal: AbortSignal) => Promise<T>)[],
    concurrency: number,
  ): Promise<T[]> {
    const controller = new AbortController();
    const stopChildren = (): void => controller.abort();
    signal.addEventListener('abort', stopChildren, { once: true });
    const results: T[] = new Array(jobs.length);
    let nextJob = 0;
    const worker = async (): Promise<void> => {
      try {
        while (nextJob < jobs.length && !controller.signal.aborted) {
          const index = nextJob++;
          results[index] = await (jobs[index] as (signal: AbortSignal) => Promise<T>)(controller.signal);
        }
      } catch (error: unknown) {
        controller.abort();
        throw error;
      } finally {
        this.leave();
      }
    };
    const workers = Array.from({ length: Math.max(1, Math.min(concurrency, jobs.length)) }, () => {
      this.enter();
      return worker();
    });
    try {
      await this.park(signal, (resolve, reject) => {
        Promise.all(workers).then(resolve, reject);
        return () => {};
      });
      return results;
    } finally {
      signal.removeEventListener('abort', stopChildren);
    }
  }
}
