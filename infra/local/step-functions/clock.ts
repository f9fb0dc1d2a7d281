/**
 * Clocks for the local Step Functions engine. Every Wait state, Retry interval and callback
 * timeout runs on an injected clock instead of real timers, so tests move time by hand and
 * demos can run a day in a minute. Handlers read the same clock through `processClock()`.
 */

/** A source of "now" that can also call back when it reaches an instant. */
export interface Clock {
  /** The current instant on this clock. */
  now(): Date;
  /**
   * Calls `fn` once, when this clock reads at least `at` (ms since the epoch). An instant
   * already passed fires soon (never synchronously). Returns a function that cancels it.
   */
  schedule(at: number, fn: () => void): () => void;
}

/** Something that can report when its work has run as far as it can (an engine). */
export type IdleWaiter = () => Promise<void>;

// setTimeout's largest delay (about 24.8 days); longer delays are re-armed in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;

function toMs(instant: Date | string | number): number {
  const ms =
    instant instanceof Date ? instant.getTime() : typeof instant === 'number' ? instant : Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`Not an instant: ${String(instant)}`);
  return ms;
}

/** Arms a real timer for `delayOf()` ms, re-arming until it reports nothing left to wait. */
function armRealTimer(delayOf: () => number, fn: () => void): () => void {
  let handle: NodeJS.Timeout | undefined;
  let cancelled = false;
  const arm = (): void => {
    const delay = delayOf();
    handle = setTimeout(
      () => {
        if (cancelled) return;
        if (delayOf() > 0) arm();
        else fn();
      },
      Math.min(Math.max(delay, 0), MAX_TIMER_MS),
    );
  };
  arm();
  return () => {
    cancelled = true;
    if (handle) clearTimeout(handle);
  };
}

/** Real time. */
export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }

  schedule(at: number, fn: () => void): () => void {
    return armRealTimer(() => at - Date.now(), fn);
  }
}

/**
 * Real time multiplied by `scale` from a starting instant, for demos: with `scale: 1440` a
 * working day passes in a minute. Pass `start` (e.g. the last instant saved before a restart)
 * so that time never runs backwards across restarts.
 */
export class ScaledClock implements Clock {
  readonly scale: number;
  private readonly startMs: number;
  private readonly realStartMs: number;

  constructor(options: { scale: number; start?: Date | string | number }) {
    if (!(options.scale > 0)) throw new RangeError('ScaledClock scale must be positive');
    this.scale = options.scale;
    this.realStartMs = Date.now();
    this.startMs = options.start === undefined ? this.realStartMs : toMs(options.start);
  }

  now(): Date {
    return new Date(this.startMs + (Date.now() - this.realStartMs) * this.scale);
  }

  schedule(at: number, fn: () => void): () => void {
    return armRealTimer(() => Math.ceil((at - this.now().getTime()) / this.scale), fn);
  }
}

interface VirtualTimer {
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * Time that moves only when a test says so. `advanceTo`/`advanceBy` fire the timers that fall
 * due in order, and after each one wait for every registered engine to run as far as it can,
 * so when they return everything due by then has happened (including timers set by work that
 * a timer started).
 */
export class VirtualClock implements Clock {
  private nowMs: number;
  private timers: VirtualTimer[] = [];
  private seq = 0;
  private readonly idleWaiters = new Set<IdleWaiter>();

  constructor(start: Date | string | number = '2026-01-05T09:00:00.000Z') {
    this.nowMs = toMs(start);
  }

  now(): Date {
    return new Date(this.nowMs);
  }

  schedule(at: number, fn: () => void): () => void {
    const timer: VirtualTimer = { at, seq: this.seq++, fn };
    this.timers.push(timer);
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    // An instant already passed fires without anyone advancing the clock, as real time would.
    if (at <= this.nowMs) setImmediate(() => this.fireDue());
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Lets `advanceTo` wait for an engine to go idle; returns a function that unregisters it. */
  registerIdleWaiter(waiter: IdleWaiter): () => void {
    this.idleWaiters.add(waiter);
    return () => this.idleWaiters.delete(waiter);
  }

  /** When the next timer falls due, if any is pending. */
  nextTimerAt(): Date | undefined {
    const next = this.timers[0];
    return next ? new Date(next.at) : undefined;
  }

  /** How many timers are pending. */
  pendingTimers(): number {
    return this.timers.length;
  }

  /** Waits until every registered engine is idle. */
  async settle(): Promise<void> {
    for (const waiter of [...this.idleWaiters]) await waiter();
  }

  /** Moves to `instant`, firing every timer due on the way, in order. Never moves backwards. */
  async advanceTo(instant: Date | string | number): Promise<void> {
    const target = toMs(instant);
    await this.settle();
    for (;;) {
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.timers.shift();
      this.nowMs = Math.max(this.nowMs, next.at);
      next.fn();
      await this.settle();
    }
    this.nowMs = Math.max(this.nowMs, target);
    await this.settle();
  }

  /** Moves forward by `ms` milliseconds (see `advanceTo`). */
  advanceBy(ms: number): Promise<void> {
    return this.advanceTo(this.nowMs + ms);
  }

  private fireDue(): void {
    for (;;) {
      const next = this.timers[0];
      if (!next || next.at > this.nowMs) return;
      this.timers.shift();
      next.fn();
    }
  }
}

let current: Clock = new SystemClock();

/**
 * Sets the clock the whole process reads "now" from (the local runtime sets the engine's
 * clock here so handlers and the workflow agree on the time).
 */
export function setProcessClock(clock: Clock): void {
  current = clock;
}

/** The process-wide clock (real time unless `setProcessClock` was called). */
export function processClock(): Clock {
  return current;
}

/** Convenience: `processClock().now()`. */
export function processNow(): Date {
  return current.now();
}
