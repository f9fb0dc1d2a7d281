import { afterEach, describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../functions/adapters/errors.js';
import { adapter, provideAdapters } from '../../functions/app/container.js';
import type { CaseStore } from '../../functions/domain/ports.js';
import { ACKNOWLEDGE, RESPOND } from '../support/acknowledge.js';
import { complaintFrom, createHarness, failNextSendTaskSuccess, type Harness, RESIDENT } from './harness.js';

/**
 * An officer told "Your decision is saved, but the case could not move on just
 * now. Use the same link again in a minute to finish" does what the page says (opens the link from
 * their email again). The real ASL on the local engine, on the virtual clock.
 */

let h: Harness;

afterEach(async () => {
  await h?.close();
});

describe('an officer whose decision Step Functions did not take (not answering)', () => {
  it('finishes the decision when the officer uses the same link again, as the page asked', async () => {
    // Prepare: acknowledged; Step Functions does not answer the officer's response once.
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    expect((await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE)).statusCode).toBe(200);
    failNextSendTaskSuccess(new ServiceUnavailableError('sendTaskSuccess: AWS service failure'));
    const link = h.linkFor('respond');
    const first = await h.act(link, RESPOND);
    expect(first.statusCode).toBe(503);
    expect(first.body).toContain('Use the same link again in a minute to finish');

    // Act: a minute later the officer uses the same link again (their email's link: a GET).
    await h.advanceTo(new Date(h.clock.now().getTime() + 60_000).toISOString());
    const again = await h.view(link);
    await h.advanceTo(new Date(h.clock.now().getTime() + 60_000).toISOString());

    // Assess: the decision reaches the workflow and the resident gets the response, once; the
    // officer is not told the task is done while the case waits for the decision.
    expect(h.templates(RESIDENT), `link again answered ${again.statusCode}`).toEqual([
      'receipt',
      'acknowledgement',
      'response',
    ]);
    expect((await h.caseOf(c.caseId)).pendingDecision).toBeUndefined();
  });

  it('finishes the decision when the officer tries again by the same link after the 503 that said it may have been recorded', async () => {
    // Prepare: the write that saves the officer's decision succeeds and its answer is lost.
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    const store = adapter('store');
    let lost = false;
    provideAdapters({
      store: Object.assign(Object.create(store) as CaseStore, {
        update: async (...args: Parameters<CaseStore['update']>) => {
          const updated = await store.update(...args);
          if (!lost && args[2].event?.type === 'task-done') {
            lost = true;
            throw new ServiceUnavailableError('case store update: AWS service failure');
          }
          return updated;
        },
      }),
    });
    const link = h.linkFor('acknowledge');
    const first = await h.act(link, ACKNOWLEDGE);
    expect(first.statusCode).toBe(503);
    expect(first.body).toContain('if it was recorded, you will be told so');

    // Act: a minute later the officer uses the link from their email again.
    await h.advanceTo(new Date(h.clock.now().getTime() + 60_000).toISOString());
    const again = await h.view(link);
    await h.advanceTo(new Date(h.clock.now().getTime() + 60_000).toISOString());

    // Assess: told it is recorded, and it is: the resident has the acknowledgement.
    expect(h.templates(RESIDENT), `link again answered ${again.statusCode}`).toEqual([
      'receipt',
      'acknowledgement',
    ]);
    expect((await h.caseOf(c.caseId)).pendingDecision).toBeUndefined();
  });
});
