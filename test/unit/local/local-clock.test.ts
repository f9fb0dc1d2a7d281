import { afterEach, describe, expect, it } from 'vitest';
import { LocalClock, ScaledClock } from '../../../infra/local/step-functions/index.js';

const cancels: (() => void)[] = [];

describe('LocalClock', () => {
  afterEach(() => {
    for (const cancel of cancels.splice(0)) cancel();
  });

  it('is a ScaledClock that starts at the given instant', () => {
    // Act
    const clock = new LocalClock({ scale: 1, start: '2026-03-02T09:00:00.000Z' });
    // Assess
    expect(clock).toBeInstanceOf(ScaledClock);
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(Date.parse('2026-03-02T09:00:00.000Z'));
    expect(clock.now().getTime()).toBeLessThan(Date.parse('2026-03-02T09:01:00.000Z'));
  });

  it('fires a timer at once when a jump passes its instant', async () => {
    // Prepare: a timer three weeks away on a real-time clock.
    const clock = new LocalClock({ scale: 1, start: '2026-03-02T09:00:00.000Z' });
    const fired: string[] = [];
    cancels.push(clock.schedule(Date.parse('2026-03-23T09:00:00.000Z'), () => fired.push('due')));
    // Act
    clock.jumpTo(new Date('2026-03-24T00:00:00.000Z'));
    // Assess
    await expect.poll(() => fired, { timeout: 2_000 }).toEqual(['due']);
    expect(clock.now().toISOString() >= '2026-03-24T00:00:00.000Z').toBe(true);
  });

  it('fires the timers a jump passes in the order of their instants, not the order they were set', async () => {
    // Prepare: a callback's deadline (set first, a minute away) and its heartbeat window (set
    // second, twenty seconds away): the missed heartbeat is what ends the task.
    const clock = new LocalClock({ scale: 1, start: '2026-03-02T09:00:00.000Z' });
    const fired: string[] = [];
    cancels.push(clock.schedule(Date.parse('2026-03-02T09:01:00.000Z'), () => fired.push('deadline')));
    cancels.push(clock.schedule(Date.parse('2026-03-02T09:00:20.000Z'), () => fired.push('heartbeat')));
    // Act
    clock.jumpTo(new Date('2026-03-02T10:00:00.000Z'));
    // Assess
    await expect.poll(() => fired, { timeout: 2_000 }).toHaveLength(2);
    expect(fired).toEqual(['heartbeat', 'deadline']);
  });

  it('keeps a timer that the jump does not reach, and never moves backwards', async () => {
    // Prepare
    const clock = new LocalClock({ scale: 1, start: '2026-03-02T09:00:00.000Z' });
    const fired: string[] = [];
    cancels.push(clock.schedule(Date.parse('2026-04-30T09:00:00.000Z'), () => fired.push('late')));
    // Act
    clock.jumpTo(new Date('2026-03-10T00:00:00.000Z'));
    clock.jumpTo(new Date('2026-03-01T00:00:00.000Z'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Assess
    expect(fired).toEqual([]);
    expect(clock.now().toISOString() >= '2026-03-10T00:00:00.000Z').toBe(true);
  });

  it('does not fire a cancelled timer', async () => {
    // Prepare
    const clock = new LocalClock({ scale: 1, start: '2026-03-02T09:00:00.000Z' });
    const fired: string[] = [];
    const cancel = clock.schedule(Date.parse('2026-03-03T09:00:00.000Z'), () => fired.push('cancelled'));
    // Act
    cancel();
    clock.jumpTo(new Date('2026-03-05T00:00:00.000Z'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Assess
    expect(fired).toEqual([]);
  });
});
