/**
 * The SES stand-in's own guarantees, which the fault tests of `npm start` rely on: a Send event
 * for every message accepted, delivered until taken; mail and undelivered events kept across a
 * restart; and the outage and throttling faults it takes on request. (Its crash fault kills the
 * process it runs in: `test/e2e/faults.test.ts` covers it through `npm start`.)
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  fetchStore,
  injectSesFault,
  LOCAL_AWS_ENV,
  pendingSesFaults,
  type RunningSes,
  startSes,
} from '../../infra/local/stand-ins/index.js';
import type { SesEventNotification } from '../../infra/local/stand-ins/ses-events.js';

let dataDir: string;
const running: RunningSes[] = [];
const clients: SESv2Client[] = [];

async function start(): Promise<RunningSes> {
  const ses = await startSes({ dataDir });
  running.push(ses);
  return ses;
}

/** Sends one tagged email through the SES v2 API, as the mailer does. */
function send(ses: RunningSes, options: { maxAttempts?: number } = {}) {
  const client = new SESv2Client({
    endpoint: ses.endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: {
      accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID,
      secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY,
    },
    maxAttempts: options.maxAttempts ?? 1,
  });
  clients.push(client);
  const caseId = randomUUID();
  return {
    caseId,
    sent: client.send(
      new SendEmailCommand({
        FromEmailAddress: 'complaints@council.example',
        Destination: { ToAddresses: [`resident.${caseId.slice(0, 8)}@example.org`] },
        Content: {
          Simple: { Subject: { Data: `About ${caseId}` }, Body: { Text: { Data: 'Thank you.' } } },
        },
        EmailTags: [
          { Name: 'case-id', Value: caseId },
          { Name: 'template', Value: 'receipt' },
        ],
      }),
    ),
  };
}

/** A delivery that refuses the first `refusals` calls, then keeps what it is given. */
function flakyDelivery(refusals: number) {
  const taken: SesEventNotification[] = [];
  let left = refusals;
  return {
    taken,
    deliver: async (notification: SesEventNotification) => {
      if (left-- > 0) throw new Error('the function is not ready');
      taken.push(notification);
    },
  };
}

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'redress-ses-'));
});

afterEach(async () => {
  for (const ses of running.splice(0)) await ses.stop();
  for (const client of clients.splice(0)) client.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the SES stand-in', () => {
  it('publishes a Send event with the tags of each accepted message, again until it is taken', async () => {
    // Prepare
    const ses = await start();
    const delivery = flakyDelivery(2);
    ses.publishEvents(delivery.deliver);

    // Act
    const { caseId, sent } = send(ses);
    const { MessageId } = await sent;

    // Assess
    await expect.poll(() => delivery.taken.length, { timeout: 10_000 }).toBe(1);
    expect(delivery.taken[0]).toMatchObject({
      eventType: 'Send',
      mail: { messageId: MessageId, tags: { 'case-id': [caseId], template: ['receipt'] } },
    });
  });

  it('keeps accepted mail and undelivered Send events across a restart on the same data directory', async () => {
    // Prepare: a message accepted while nothing takes the events.
    const first = await start();
    const { caseId, sent } = send(first);
    const { MessageId } = await sent;
    await first.stop();

    // Act
    const second = await start();
    const delivery = flakyDelivery(0);
    second.publishEvents(delivery.deliver);

    // Assess
    expect((await fetchStore(second.endpoint)).filter((e) => e.messageId === MessageId)).toHaveLength(1);
    await expect.poll(() => delivery.taken.map((n) => n.mail.tags['case-id']?.[0])).toEqual([caseId]);
  });

  it('refuses connections during an outage, then answers again on the same port', async () => {
    // Prepare
    const ses = await start();

    // Act
    await injectSesFault(ses.endpoint, 'outage', { seconds: 1 });
    const during = await send(ses).sent.then(
      () => 'accepted',
      (error: unknown) => (error as { code?: string }).code,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const after = await send(ses).sent;

    // Assess
    expect(during).toBe('ECONNREFUSED');
    expect(after.MessageId).toBeDefined();
  });

  it('throttles as many SendEmail requests as asked, as SES does with a 429', async () => {
    // Prepare
    const ses = await start();
    await injectSesFault(ses.endpoint, 'throttle', { requests: 1 });

    // Act
    const throttled = await send(ses).sent.then(
      () => 'accepted',
      (error: unknown) =>
        `${(error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode} ${(error as Error).name}`,
    );
    const next = await send(ses).sent;

    // Assess
    expect(throttled).toBe('429 TooManyRequestsException');
    expect(next.MessageId).toBeDefined();
    expect((await pendingSesFaults(ses.endpoint)).throttle).toBe(0);
  });
});
