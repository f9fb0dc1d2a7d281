/**
 * A step's time to send an email (`SEND_LEASE_MS`, `functions/app/effects.ts`): an abort signal
 * that aborts a request in flight, with its deadline kept by the clock. A timer's signal aborts
 * only when the event loop comes round to its timer, so an attempt kept off the CPU past its time
 * (a starved event loop) and going straight on to send would find it not yet aborted: the sender
 * asks `leaseOver` right before handing the email over, which reads the clock.
 */
const deadlines = new WeakMap<AbortSignal, number>();

/** A lease that ends `ms` from now (monotonic clock). */
export function sendLease(ms: number): AbortSignal {
  const signal = AbortSignal.timeout(ms);
  deadlines.set(signal, performance.now() + ms);
  return signal;
}

/**
 * Whether the lease is over: aborted, or past its deadline by the clock. A signal not made by
 * `sendLease` has no deadline known here: a timer of our own, due a millisecond from now, is let
 * fire first, after which a timer signal already due has usually fired too (not when asked from
 * inside a timer's callback, whose timers may fire in the order they were made).
 */
export async function leaseOver(lease: AbortSignal): Promise<boolean> {
  if (lease.aborted) return true;
  const deadline = deadlines.get(lease);
  if (deadline !== undefined) return performance.now() >= deadline;
  await new Promise((resolve) => setTimeout(resolve, 0));
  return lease.aborted;
}
