import type { Clock } from './step-functions/index.js';

/**
 * A scheduled job on the runtime's clock, as EventBridge runs the reconciler on AWS: `npm start`
 * runs it every `everyMs` of the service's time, so under an accelerated clock it keeps pace
 * with the cases. `minRealMs` keeps a fast clock from running it back to back. A run that fails
 * is reported and the next one comes on time; runs never overlap.
 */

export interface ScheduleOptions {
  /** The runtime's clock (its timers re-arm when the demo moves it on). */
  clock: Clock;
  /** How fast the clock runs against real time. */
  scale: number;
  /** Milliseconds of the clock between runs. */
  everyMs: number;
  /** Real milliseconds between runs at the least. */
  minRealMs?: number;
  run: () => Promise<void>;
  onError?: (error: unknown) => void;
}

export interface RunningSchedule {
  /** Runs the job now (after any run in progress). */
  runNow(): Promise<void>;
  /** Stops the schedule and waits for a run in progress. */
  stop(): Promise<void>;
}

export function startSchedule(options: ScheduleOptions): RunningSchedule {
  const gapMs = Math.max(options.everyMs, (options.minRealMs ?? 0) * options.scale);
  let stopped = false;
  let cancel: (() => void) | undefined;
  let running: Promise<void> = Promise.resolve();
  const runNow = (): Promise<void> => {
    running = running.then(options.run).catch((error: unknown) => options.onError?.(error));
    return running;
  };
  const arm = () => {
    if (stopped) return;
    cancel = options.clock.schedule(options.clock.now().getTime() + gapMs, () => {
      void runNow().then(arm);
    });
  };
  arm();
  return {
    runNow,
    async stop() {
      stopped = true;
      cancel?.();
      await running;
    },
  };
}
