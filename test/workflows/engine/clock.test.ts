/**
 * The clocks the engine runs on: virtual time for tests, scaled real time for demos, and the
 * process-wide clock handlers read.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  processNow,
  ScaledClock,
  SystemClock,
  setProcessClock,
  VirtualClock,
} from '../../../infra/local/step-functions/index.js';

describe('VirtualClock', () => {
  it('fires due timers in order, each at its own instant, and stops at the target', async () => {
    // Prepare
    const clock = new VirtualClock('2026-01-01T00:00:00Z');
    const fired: string[] = [];
    const base = clock.now().getTime();
    clock.schedule(base + 3000, () => fired.push(`c@${clock.now().toISOString()}`));
    clock.schedule(base + 1000, () => fired.push(`a@${clock.now().toISOString()}`));
    clock.schedule(base + 2000, () => fired.push(`b@${clock.now().toISOString()}`));
    const cancel = clock.schedule(base + 1500, () => fired.push('cancelled'));
    cancel();

    // Act
    await clock.advanceBy(2500);

    // Assess
    expect(fired).toEqual(['a@2026-01-01T00:00:01.000Z', 'b@2026-01-01T00:00:02.000Z']);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:02.500Z');
    expect(clock.nextTimerAt()?.toISOString()).toBe('2026-01-01T00:00:03.000Z');
  });

  it('fires any set of timers, some cancelled, in instant order and then in the order they were set', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            offset: fc.integer({ min: 0, max: 50 }),
            cancel: fc.integer({ min: 0, max: 9 }).map((n) => n < 8),
          }),
          {
            maxLength: 3000,
          },
        ),
        async (timers) => {
          // Prepare
          const clock = new VirtualClock('2026-01-01T00:00:00Z');
          const base = clock.now().getTime() + 1;
          const fired: number[] = [];
          const cancels = timers.map((t, i) => clock.schedule(base + t.offset, () => fired.push(i)));
          timers.forEach((t, i) => {
            if (t.cancel) cancels[i]?.();
          });
          const expected = timers
            .map((t, i) => ({ ...t, i }))
            .filter((t) => !t.cancel)
            .sort((a, b) => a.offset - b.offset || a.i - b.i)
            .map((t) => t.i);

          // Act
          const pending = clock.pendingTimers();
          await clock.advanceBy(100);

          // Assess
          expect(pending).toBe(expected.length);
          expect(fired).toEqual(expected);
          expect(clock.pendingTimers()).toBe(0);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('fires a timer set by another timer when it falls due in the same advance', async () => {
    // Prepare
    const clock = new VirtualClock('2026-01-01T00:00:00Z');
    const fired: string[] = [];
    clock.schedule(clock.now().getTime() + 1000, () => {
      clock.schedule(clock.now().getTime() + 1000, () => fired.push(clock.now().toISOString()));
    });

    // Act
    await clock.advanceBy(5000);

    // Assess
    expect(fired).toEqual(['2026-01-01T00:00:02.000Z']);
  });

  it('waits for the engines after each timer, or after as many due at one instant as it is told to fire together', async () => {
    const at = Date.parse('2026-03-02T10:00:00.000Z');
    const advance = async (options?: { together: number }) => {
      const clock = new VirtualClock('2026-03-02T09:00:00.000Z');
      const seen: string[] = [];
      clock.registerIdleWaiter(async () => {
        seen.push('wait');
      });
      for (const name of ['a', 'b', 'c']) clock.schedule(at, () => seen.push(name));
      clock.schedule(at + 1, () => seen.push('d'));
      await clock.advanceTo(at + 1, options);
      return seen;
    };
    expect(await advance()).toEqual(['wait', 'a', 'wait', 'b', 'wait', 'c', 'wait', 'd', 'wait', 'wait']);
    expect(await advance({ together: 2 })).toEqual([
      'wait',
      'a',
      'b',
      'wait',
      'c',
      'wait',
      'd',
      'wait',
      'wait',
    ]);
    expect(await advance({ together: 10 })).toEqual(['wait', 'a', 'b', 'c', 'wait', 'd', 'wait', 'wait']);
  });

  it('never moves backwards', async () => {
    // Prepare
    const clock = new VirtualClock('2026-01-02T00:00:00Z');

    // Act
    await clock.advanceTo('2026-01-01T00:00:00Z');

    // Assess
    expect(clock.now().toISOString()).toBe('2026-01-02T00:00:00.000Z');
  });
});

describe('ScaledClock', () => {
  it('runs faster than real time from its start instant and fires timers on its own time', async () => {
    // Prepare
    const clock = new ScaledClock({ scale: 1000, start: '2026-01-01T00:00:00Z' });
    const target = clock.now().getTime() + 2000;

    // Act
    const firedAt = await new Promise<number>((resolve) =>
      clock.schedule(target, () => resolve(clock.now().getTime())),
    );

    // Assess
    expect(firedAt).toBeGreaterThanOrEqual(target);
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(Date.parse('2026-01-01T00:00:02Z'));
  });
});

describe('setProcessClock', () => {
  afterEach(() => setProcessClock(new SystemClock()));

  it('makes processNow read the given clock', () => {
    // Prepare
    setProcessClock(new VirtualClock('2030-05-06T07:08:09Z'));

    // Act
    const now = processNow();

    // Assess
    expect(now.toISOString()).toBe('2030-05-06T07:08:09.000Z');
  });
});
