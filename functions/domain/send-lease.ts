/**
 * A step's time to send an email (`SEND_LEASE_MS`, `functions/app/effects.ts`): an abort signal
 * that aborts a request in flight, with its deadline kept by the clock. A timer's signal aborts
 * only when the event loop comes round to its timer, so an attempt kept off the CPU past its time
 * (a starved event loop) and going straight on to send would find it not yet aborted: the sender
 * asks `leaseOver` right before handing the email over, which reads the clock.
 *
 * A controller and a timer of our own rather than `AbortSignal.timeout`, whose timer cannot be
 * cleared: every lease fired after its send had long finished, building a timeout error nobody
 * read (about 4% of the local engine's CPU at 20,000 complaints). `endLease` clears it.
 */
const leases = new WeakMap<AbortSignal, { deadline: number; timer: ReturnType<typeof setTimeout> }>();

/** A lease that ends `ms` from now (monotonic clock); `endLease` once the send is over. */
export function sendLease(ms: number): AbortSignal {
  const controller = new AbortController();
  // The reason `AbortSignal.timeout` gives, so that what reads it cannot tell the two apart.
  const timer = setTimeout(
    () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    ms,
  );
  // As `AbortSignal.timeout`'s: a lease keeps no process alive.
  timer.unref?.();
  leases.set(controller.signal, { deadline: performance.now() + ms, timer });
  return controller.signal;
}

/**
 * Ends a lease whose send is over, sent or not: its timer is cleared. The lease then never
 * aborts, but `leaseOver` still reads its deadline by the clock.
 */
export function endLease(lease: AbortSignal): void {
  const kept = leases.get(lease);
  if (kept !== undefined) clearTimeout(kept.timer);
}

/**
 * Whether the lease is over: aborted, or past its deadline by the clock. A signal not made by
 * `sendLease` has no deadline known here: a timer of our own, due a millisecond from now, is let
 * fire first, after which a timer signal already due has usually fired too (not when asked from
 * inside a timer's callback, whose timers may fire in the order they were made).
 */
export async function leaseOver(lease: AbortSignal): Promise<boolean> {
  if (lease.aborted) return true;
  const deadline = leases.get(lease)?.deadline;
  if (deadline !== undefined) return performance.now() >= deadline;
  await new Promise((resolve) => setTimeout(resolve, 0));
  return lease.aborted;
}
