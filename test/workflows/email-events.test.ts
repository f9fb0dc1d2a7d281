import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { handler as sesEvents } from '../../functions/handlers/ses-events.js';
import { asLambdaInvocation } from '../../infra/local/workflow-runtime.js';
import { complaintFrom, createHarness, type Harness } from './harness.js';

/** The `ses-events` function as the email events queue calls it, with hostile bodies among SES's own. */

let h: Harness;

afterEach(async () => {
  await h?.close();
});

const invoke = asLambdaInvocation(sesEvents);

describe('the email events queue handing SES’s events to the function', () => {
  it('drops a body that is no SES event, records the batch’s others, and hands back nothing to deliver again', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    const bounce = JSON.stringify({
      eventType: 'Bounce',
      mail: { messageId: 'ses-bounce-1', tags: { 'case-id': [c.caseId], template: ['receipt'] } },
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'someone@example.com' }] },
    });
    const event = {
      Records: [
        { messageId: 'q-1', body: 'not json {' },
        { messageId: 'q-2', body: '"a string"' },
        { messageId: 'q-3', body: 'null' },
        { messageId: 'q-4', body: bounce },
      ],
    } as unknown as SQSEvent;

    const response = (await invoke(event, { awsRequestId: 'email-events-1' } as Context)) as SQSBatchResponse;

    // A body that can never be recorded is not delivered again for two days, nor does it fail the
    // batch: the bounce beside it is recorded.
    expect(response.batchItemFailures).toEqual([]);
    const bounced = (await h.store.events(c.caseId)).filter((e) => e.type === 'email-bounced');
    expect(bounced.map((e) => e.detail?.messageId)).toEqual(['ses-bounce-1']);
  });
});
