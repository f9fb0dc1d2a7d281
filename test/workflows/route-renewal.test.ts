import { afterEach, describe, expect, it } from 'vitest';
import { RENEW_AFTER_DAYS } from '../../functions/app/steps.js';
import { complaintFrom, createHarness, type Harness, RESIDENT } from './harness.js';

/**
 * A referral the complaints team takes back as a complaint goes through routing
 * again, which (on the usual route) now reads the acknowledgement clock itself. Late in a long
 * execution, that read hands the case to a fresh execution: one must then exist.
 */

let h: Harness;

afterEach(async () => {
  await h?.close();
});

const TEAM = 'complaints@example.gov.uk';
const DAY = 86_400_000;

describe('a referral taken back as a complaint near the execution’s one-year limit', () => {
  it('goes on in a fresh execution, with the receipt and the officer’s task', async () => {
    h = await createHarness();
    const c = await h.submit(
      complaintFrom(h, {
        summary: 'The officer at the council tax desk made a racist remark to me on Tuesday.',
      }),
    );
    expect(c.triage).toMatchObject({ route: 'refer' });
    const start = h.clock.now().getTime();
    // The exclusion check waits, woken at least monthly; the last read before the limit is
    // under RENEW_AFTER_DAYS, the decision comes just after it.
    for (let day = 10; day < RENEW_AFTER_DAYS; day += 10) {
      await h.advanceTo(new Date(start + day * DAY).toISOString());
    }
    await h.advanceTo(new Date(start + RENEW_AFTER_DAYS * DAY + 3_600_000).toISOString());
    const renewedByWait = (await h.store.events(c.caseId)).some((e) => e.type === 'workflow-continued');
    expect(renewedByWait, 'the wait renewed by itself: scenario needs another timing').toBe(false);

    const back = await h.act(h.linkFor('confirm-exclusion', TEAM), {
      decision: 'handle-as-complaint',
      complaintReason: 'It is about how our own officer behaved: a complaint.',
    });
    expect(back.statusCode, back.body).toBe(200);

    expect(await h.status(c.caseId)).toBe('SUCCEEDED');
    expect(h.states(c.caseId)).toContain('Continued in a fresh execution');
    // The case must still have a running workflow, and the officer a task.
    expect(await h.status(`${c.caseId}_2`)).toBe('RUNNING');
    expect(h.templates(RESIDENT).filter((t) => t === 'receipt')).toHaveLength(1);
  });
});
