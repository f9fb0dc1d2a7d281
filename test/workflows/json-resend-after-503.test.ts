import { afterEach, describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../functions/adapters/errors.js';
import { adapter, provideAdapters } from '../../functions/app/container.js';
import type { CaseStore } from '../../functions/domain/ports.js';
import { complaintFrom, createHarness, type Harness, RESIDENT } from './harness.js';

/**
 * A complaint sent as JSON (an integration) whose write was stored but whose answer was lost, sent
 * again as the 503 said: with an `Idempotency-Key`, which finds the stored case, the 503 says "it
 * will not be saved twice"; without one, nothing tells the complaint sent again from a new one, so
 * the 503 promises no such thing and says to look for the receipt before sending it again. Through
 * the deployed API entry file and the real ASL on the local engine.
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
async function submitted(
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<string> {
  try {
    await h.submit(body, headers);
    return '201';
  } catch (error: unknown) {
    return error instanceof Error ? error.message : String(error);
  }
}

describe('a JSON complaint sent again after a 503 that said it may have been saved', () => {
  it('is not saved twice when it carries an Idempotency-Key: the resident gets one receipt', async () => {
    // Prepare
    h = await createHarness();
    provideAdapters({ store: answerLostOnce(adapter('store')) });
    const complaint = complaintFrom(h);
    const key = { 'Idempotency-Key': 'crm-complaint-4711' };
    const first = await submitted(complaint, key);
    expect(first).toContain('503');
    expect(first).toContain('it will not be saved twice');

    // Act: sent again, as the answer said.
    await h.advanceTo(new Date(h.clock.now().getTime() + 60_000).toISOString());
    await submitted(complaint, key);
    await h.advanceTo(new Date(h.clock.now().getTime() + 60_000).toISOString());

    // Assess
    expect(h.templates(RESIDENT).filter((t) => t === 'receipt')).toHaveLength(1);
  });

  it('without an Idempotency-Key, is not promised it will not be saved twice: look for the receipt first', async () => {
    // Prepare
    h = await createHarness();
    provideAdapters({ store: answerLostOnce(adapter('store')) });

    // Act
    const first = await submitted(complaintFrom(h));
    await h.advanceTo(new Date(h.clock.now().getTime() + 60_000).toISOString());

    // Assess: told the truth (it may be saved twice if sent again), and it was saved: the receipt
    // the answer says to look for came.
    expect(first).toContain('503');
    expect(first).toContain('It may have been saved');
    expect(first).not.toContain('will not be saved twice');
    expect(first).toContain('Look for that receipt before you send it again, or it may be saved twice');
    expect(h.templates(RESIDENT)).toEqual(['receipt']);
  });
});
