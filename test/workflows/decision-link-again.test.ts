import { afterEach, describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../functions/adapters/errors.js';
import { adapter, provideAdapters } from '../../functions/app/container.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { complaintFrom, createHarness, type Harness, RESIDENT } from './harness.js';

/**
 * An officer told "Your decision is saved, but the case could not move on just
 * now. Use the same link again in a minute to finish" does what the page says (opens the link from
 * their email again). The real ASL on the local engine, on the virtual clock.
 */

let h: Harness;

afterEach(async () => {
  await h?.close();
});

const RESPOND = {
  decision: 'respond',
  outcome: 'upheld',
  response: 'We looked into what happened and here is what we found.',
};

describe('an officer whose decision Step Functions did not take (not answering)', () => {
  it('finishes the decision when the officer uses the same link again, as the page asked', async () => {
    // Prepare: acknowledged; Step Functions does not answer the officer's response once.
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    expect((await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE)).statusCode).toBe(200);
    const engine = adapter('workflows');
    provideAdapters({
      workflows: {
        ...engine,
        start: engine.start.bind(engine),
        sendTaskSuccess: async () => {
          provideAdapters({ workflows: engine });
          throw new ServiceUnavailableError('sendTaskSuccess: AWS service failure');
        },
      },
    });
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
});
