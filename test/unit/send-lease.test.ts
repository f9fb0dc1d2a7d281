import { afterEach, describe, expect, it, vi } from 'vitest';
import { endLease, leaseOver, sendLease } from '../../functions/domain/send-lease.js';

/**
 * A step's lease to send an email (`functions/domain/send-lease.ts`): it aborts a send still in
 * flight when its time is up, as `AbortSignal.timeout` would, and once the send is over it is
 * ended, so that no timer fires for a send long finished.
 */
afterEach(() => {
  vi.useRealTimers();
});

describe('sendLease', () => {
  it('aborts when its time is up, with the reason AbortSignal.timeout gives', () => {
    // Prepare
    vi.useFakeTimers();
    const lease = sendLease(1000);

    // Act
    vi.advanceTimersByTime(1000);

    // Assess
    expect(lease.aborted).toBe(true);
    expect(lease.reason).toBeInstanceOf(DOMException);
    expect((lease.reason as DOMException).name).toBe('TimeoutError');
  });

  it('leaves no timer behind once ended: nothing fires for a send already over', () => {
    // Prepare
    vi.useFakeTimers();
    const lease = sendLease(1000);
    const fired = vi.fn();
    lease.addEventListener('abort', fired);

    // Act
    endLease(lease);
    vi.advanceTimersByTime(5000);

    // Assess
    expect(vi.getTimerCount()).toBe(0);
    expect(fired).not.toHaveBeenCalled();
    expect(lease.aborted).toBe(false);
  });

  it('is still over by the clock once ended, so an attempt past its time is never taken for one in time', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const lease = sendLease(1000);
    endLease(lease);

    // Act
    vi.advanceTimersByTime(1000);

    // Assess
    await expect(leaseOver(lease)).resolves.toBe(true);
  });
});
