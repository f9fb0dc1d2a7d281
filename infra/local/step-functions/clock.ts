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
  protected readonly startMs: number;
  protected readonly realStartMs: number;

  /** `realStart`: the real instant (ms) at which the clock reads `start` (default: now). */
  constructor(options: { scale: number; start?: Date | string | number; realStart?: number }) {
    if (!(options.scale > 0)) throw new RangeError('ScaledClock scale must be positive');
    this.scale = options.scale;
    this.realStartMs = options.realStart ?? Date.now();
    this.startMs = options.start === undefined ? this.realStartMs : toMs(options.start);
  }

  now(): Date {
    return new Date(this.startMs + (Date.now() - this.realStartMs) * this.scale);
  }

  schedule(at: number, fn: () => void): () => void {
    return armRealTimer(() => Math.ceil((at - this.now().getTime()) / this.scale), fn);
  }
}

interface LocalTimer {
  at: number;
  fn: () => void;
  cancel?: () => void;
}

/**
 * The runtime's clock: a `ScaledClock` (real time × scale from a start instant) that can also be
 * moved forward at once, for the demo. Timers are re-armed when it moves, so Wait states and
 * callback timeouts that fall due fire straight away, as they would have if time had passed.
 */
export class LocalClock extends ScaledClock {
  private offsetMs = 0;
  private readonly timers = new Set<LocalTimer>();
  private readonly jumpListeners = new Set<(instant: Date) => void>();

  /**
   * What makes another `LocalClock` read the same from now on (the engine's, in its own thread):
   * `new LocalClock(clock.setting())`. Jumps after this are not in it (see `onJump`).
   */
  setting(): { scale: number; start: number; realStart: number } {
    return { scale: this.scale, start: this.startMs + this.offsetMs, realStart: this.realStartMs };
  }

  /** Calls `listener` with the instant of every jump from now on. */
  onJump(listener: (instant: Date) => void): void {
    this.jumpListeners.add(listener);
  }

  override now(): Date {
    return new Date(super.now().getTime() + this.offsetMs);
  }

  override schedule(at: number, fn: () => void): () => void {
    const timer: LocalTimer = { at, fn };
    this.timers.add(timer);
    this.arm(timer);
    return () => {
      timer.cancel?.();
      this.timers.delete(timer);
    };
  }

  /** Moves the clock forward to `instant` (never back) and fires every timer now due. */
  jumpTo(instant: Date): void {
    const delta = instant.getTime() - this.now().getTime();
    if (delta <= 0) return;
    this.offsetMs += delta;
    // Re-armed earliest first: the timers the jump passes all fire at once, in the order they
    // are re-armed, and a callback's missed heartbeat must end its task before a later deadline.
    const timers = [...this.timers].sort((a, b) => a.at - b.at);
    for (const timer of timers) this.arm(timer);
    for (const listener of this.jumpListeners) listener(instant);
  }

  private arm(timer: LocalTimer): void {
    timer.cancel?.();
    const delay = Math.ceil((timer.at - this.now().getTime()) / this.scale);
    const handle = setTimeout(
      () => {
        if (!this.timers.has(timer)) return;
        if (this.now().getTime() < timer.at) {
          this.arm(timer);
          return;
        }
        this.timers.delete(timer);
        timer.fn();
      },
      Math.min(Math.max(delay, 0), MAX_TIMER_MS),
    );
    timer.cancel = () => clearTimeout(handle);
  }
}

interface VirtualTimer {
  at: number;
  seq: number;
  fn: () => void;
  /** Cancelled timers stay in the heap until they reach its top, and are skipped there. */
  cancelled: boolean;
}

/** What a cancelled timer would run. */
const NOTHING = (): void => {};

/** Whether timer `a` fires before `b`: earlier instant first, then the order they were set in. */
function before(a: VirtualTimer, b: VirtualTimer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/**
 * The pending timers as a binary min-heap: O(log n) to schedule and to take the next one, where
 * re-sorting an array on every schedule made a clock with thousands of waiting executions
 * quadratic. Written here because it is twenty lines and the clock's only data structure;
 * cancelling marks the timer and leaves it for `pop` to discard (no search through the heap).
 */
class TimerHeap {
  private readonly items: VirtualTimer[] = [];
  private live = 0;

  get size(): number {
    return this.live;
  }

  push(timer: VirtualTimer): void {
    const items = this.items;
    items.push(timer);
    this.live++;
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i] as VirtualTimer, items[parent] as VirtualTimer)) break;
      [items[i], items[parent]] = [items[parent] as VirtualTimer, items[i] as VirtualTimer];
      i = parent;
    }
  }

  cancel(timer: VirtualTimer): void {
    if (timer.cancelled) return;
    timer.cancelled = true;
    // It stays until its instant: without its function, not what the function holds (a
    // callback's deadline a week away held its execution's whole wait).
    timer.fn = NOTHING;
    this.live--;
    // Far-off deadlines cancelled early (a callback answered in time) would otherwise wait for
    // their instant to leave: rebuild once they are most of the heap.
    if (this.items.length > 1024 && this.items.length > 4 * this.live) {
      const kept = this.items.filter((t) => !t.cancelled);
      this.items.length = 0;
      this.live = 0;
      for (const t of kept) this.push(t);
    }
  }

  /** The next timer to fire (cancelled ones discarded), without removing it. */
  peek(): VirtualTimer | undefined {
    while (this.items[0]?.cancelled) this.removeTop();
    return this.items[0];
  }

  /** Removes and returns the next timer to fire. */
  pop(): VirtualTimer | undefined {
    const top = this.peek();
    if (top) {
      this.removeTop();
      this.live--;
      top.cancelled = true; // fired: a later cancel must not count it again
    }
    return top;
  }

  private removeTop(): void {
    const items = this.items;
    const last = items.pop() as VirtualTimer;
    if (items.length === 0) return;
    items[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < items.length && before(items[left] as VirtualTimer, items[smallest] as VirtualTimer))
        smallest = left;
      if (right < items.length && before(items[right] as VirtualTimer, items[smallest] as VirtualTimer))
        smallest = right;
      if (smallest === i) return;
      [items[i], items[smallest]] = [items[smallest] as VirtualTimer, items[i] as VirtualTimer];
      i = smallest;
    }
  }
}

/**
 * Time that moves only when a test says so. `advanceTo`/`advanceBy` fire the timers that fall
 * due in order, and after each one wait for every registered engine to run as far as it can,
 * so when they return everything due by then has happened (including timers set by work that
 * a timer started).
 */
export class VirtualClock implements Clock {
  private nowMs: number;
  private readonly timers = new TimerHeap();
  private seq = 0;
  private readonly idleWaiters = new Set<IdleWaiter>();
  private shared: BigInt64Array | undefined;

  constructor(start: Date | string | number = '2026-01-05T09:00:00.000Z') {
    this.nowMs = toMs(start);
  }

  now(): Date {
    return new Date(this.nowMs);
  }

  schedule(at: number, fn: () => void): () => void {
    const timer: VirtualTimer = { at, seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    // An instant already passed fires without anyone advancing the clock, as real time would.
    if (at <= this.nowMs) setImmediate(() => this.fireDue());
    return () => this.timers.cancel(timer);
  }

  /** Lets `advanceTo` wait for an engine to go idle; returns a function that unregisters it. */
  registerIdleWaiter(waiter: IdleWaiter): () => void {
    this.idleWaiters.add(waiter);
    return () => this.idleWaiters.delete(waiter);
  }

  /** When the next timer falls due, if any is pending. */
  nextTimerAt(): Date | undefined {
    const next = this.timers.peek();
    return next ? new Date(next.at) : undefined;
  }

  /** How many timers are pending. */
  pendingTimers(): number {
    return this.timers.size;
  }

  /** Waits until every registered engine is idle. */
  async settle(): Promise<void> {
    for (const waiter of [...this.idleWaiters]) await waiter();
  }

  /**
   * Moves to `instant`, firing every timer due on the way, in order, and waiting after each for
   * the engines to run as far as they can. Never moves backwards. With `together` (a number), up
   * to that many timers due at one instant fire before each wait: executions on AWS do not wait
   * for each other, and an engine in another thread (`thread.ts`) would otherwise pay a round trip
   * to its handlers for every timer in turn (thousands of cases sharing a deadline). A bound rather
   * than all of them: 20,000 executions woken at once all held their work in memory together.
   * One execution's timers due at the same instant may then fire together, where one's work could
   * have cancelled the next: tests keep the default, one.
   */
  async advanceTo(instant: Date | string | number, options: { together?: number } = {}): Promise<void> {
    const target = toMs(instant);
    const together = options.together ?? 1;
    await this.settle();
    for (;;) {
      const next = this.timers.peek();
      if (!next || next.at > target) break;
      this.timers.pop();
      this.moveTo(next.at);
      next.fn();
      for (let fired = 1; fired < together && this.timers.peek()?.at === next.at; fired++)
        this.timers.pop()?.fn();
      await this.settle();
    }
    this.moveTo(target);
    await this.settle();
  }

  /**
   * The clock's reading in memory another thread can read (`SharedClockReading`): the local
   * engine in a worker thread keeps this clock, and the handlers in the main thread read the
   * same instant, also while `advanceTo` is on its way.
   */
  share(): SharedArrayBuffer {
    if (!this.shared) {
      this.shared = new BigInt64Array(new SharedArrayBuffer(BigInt64Array.BYTES_PER_ELEMENT));
      Atomics.store(this.shared, 0, BigInt(this.nowMs));
    }
    return this.shared.buffer as SharedArrayBuffer;
  }

  private moveTo(instantMs: number): void {
    if (instantMs <= this.nowMs) return;
    this.nowMs = instantMs;
    if (this.shared) Atomics.store(this.shared, 0, BigInt(instantMs));
  }

  /** Moves forward by `ms` milliseconds (see `advanceTo`). */
  advanceBy(ms: number): Promise<void> {
    return this.advanceTo(this.nowMs + ms);
  }

  private fireDue(): void {
    for (;;) {
      const next = this.timers.peek();
      if (!next || next.at > this.nowMs) return;
      this.timers.pop();
      next.fn();
    }
  }
}

/** A `VirtualClock`'s reading from another thread (`VirtualClock.share()`): now, and nothing else. */
export class SharedClockReading {
  private readonly reading: BigInt64Array;

  constructor(buffer: SharedArrayBuffer) {
    this.reading = new BigInt64Array(buffer);
  }

  now(): Date {
    return new Date(Number(Atomics.load(this.reading, 0)));
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
