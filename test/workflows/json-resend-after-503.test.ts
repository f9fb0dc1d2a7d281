import { afterEach, describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../functions/adapters/errors.js';
import { adapter, provideAdapters } from '../../functions/app/container.js';
import type { CaseStore } from '../../functions/domain/ports.js';
import { complaintFrom, createHarness, type Harness, RESIDENT } from './harness.js';

/**
 * A complaint sent as JSON (an integration, no `Idempotency-Key`) whose write was stored but whose
 * answer was lost: the 503 says "Try again in a minute: if it was saved, you will get its
 * reference, and it will not be saved twice". Sent again as told, through the deployed API entry
 * file and the real ASL on the local engine.
 */

let h: Harness;

afterEach(async () => {
  await h?.close();
});

/** The store, storing the first new case and then losing the answer, as a timed-out write does. */
function answerLostOnce(store: CaseStore): CaseStore {
  let lost = false;
  return Object.assign(Object.create(store) as CaseStore, {
    create: async (...args: Parameters<CaseStore['create']>) => {
      const created = await store.create(...args);
      if (lost) return created;
      lost = true;
      throw new ServiceUnavailableError('case store create: AWS service failure');
    },
  });
}

/** What the API answered a submission (`submit` throws on anything but a 201). */
async function submitted(body: Record<string, unknown>): Promise<string> {
  try {
    await h.submit(body);
    return '201';
  } catch (error: unknown) {
    return error instanceof Error ? error.message : String(error);
  }
}

describe('a JSON complaint sent again after a 503 that said it may have been saved', () => {
  it('is not saved twice: the resident gets one receipt', async () => {
    // Prepare
    h = await createHarness();
    provideAdapters({ store: answerLostOnce(adapter('store')) });
    const complaint = complaintFrom(h);
    const first = await submitted(complaint);
    expect(first).toContain('503');
    expect(first).toContain('it will not be saved twice');

    // Act: sent again, as the answer said.
    await h.advanceTo(new Date(h.clock.now().getTime() + 60_000).toISOString());
    await submitted(complaint);
    await h.advanceTo(new Date(h.clock.now().getTime() + 60_000).toISOString());

    // Assess
    expect(h.templates(RESIDENT).filter((t) => t === 'receipt')).toHaveLength(1);
  });
});
