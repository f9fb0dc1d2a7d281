/**
 * SES's events are delivered at least once, and a redelivery can run at the same moment as the
 * first delivery (two pollers of the email events queue, a visibility timeout that ran out). The
 * deployed `ses-events` handler on DynamoDB Local: a bounce delivered twice at once is recorded
 * once on the case, and the complaints team is told once.
 */
import { randomUUID } from 'node:crypto';
import type { Context, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { provideAdapters, resetAdapters } from '../../functions/app/container.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { EmailMessage } from '../../functions/domain/ports.js';
import { handler } from '../../functions/handlers/ses-events.js';
import { newCaseTable } from '../support/case-table.js';
import { openCase } from '../support/open-case.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';

/** Cases, each with its bounce delivered twice at once: a race lost once is enough to show. */
const CASES = 6;

let standIns: StandIns;
let store: DynamoDbCaseStore;
const sent: EmailMessage[] = [];

beforeAll(async () => {
  standIns = await startStandIns(['dynamodb']);
  store = new DynamoDbCaseStore({ tableName: await newCaseTable() });
  provideAdapters({
    store,
    policy: loadPolicy('lgsco-code-2024'),
    clock: () => new Date('2026-03-03T10:00:00.000Z'),
    mailer: {
      async ping() {},
      async send(message) {
        sent.push(message);
        return { messageId: `alert-${sent.length}` };
      },
    },
  });
});

afterAll(async () => {
  resetAdapters();
  await standIns?.stop();
});

/** The email events queue's delivery of one SES bounce notification. */
function bounceDelivery(caseId: string, messageId: string, address: string): SQSEvent {
  return {
    Records: [
      {
        messageId: randomUUID(),
        body: JSON.stringify({
          eventType: 'Bounce',
          mail: { messageId, tags: { 'case-id': [caseId], template: ['response'] } },
          bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: address }] },
        }),
      },
    ],
  } as unknown as SQSEvent;
}

describe('the ses-events function, given one bounce twice at once', () => {
  it('records the bounce once and tells the complaints team once', async () => {
    // Prepare
    const cases = Array.from({ length: CASES }, (_, n) => openCase(`bounce-${n + 1}`));
    for (const c of cases) {
      await store.create(c, { at: c.receivedAt, type: 'received', actor: 'resident' });
    }
    const invoke = handler as unknown as (event: SQSEvent, context: Context) => Promise<unknown>;
    const context = (n: number) => ({ awsRequestId: `bounce-${n}` }) as Context;

    // Act
    await Promise.all(
      cases.flatMap((c) => {
        const delivery = bounceDelivery(c.caseId, `ses-${c.caseId}`, c.complainant.email ?? '');
        return [invoke(delivery, context(1)), invoke(delivery, context(2))];
      }),
    );

    // Assess: per case, the bounces recorded and the alerts sent
    const counts = async (caseId: string) => ({
      bounced: (await store.events(caseId)).filter((e) => e.type === 'email-bounced').length,
      alerted: sent.filter((m) => m.caseId === caseId && m.template === 'complaints-team-alert').length,
    });
    const found = Object.fromEntries(
      await Promise.all(cases.map(async (c) => [c.caseId, await counts(c.caseId)])),
    );
    expect(found).toEqual(Object.fromEntries(cases.map((c) => [c.caseId, { bounced: 1, alerted: 1 }])));
  });
});
