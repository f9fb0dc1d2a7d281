import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesMailer, SesSuppressionList } from '../../functions/adapters/ses-mailer.js';
import { fetchStore } from '../../infra/local/stand-ins/ses.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';

/** Integration tests of the mailer against the SES stand-in (aws-ses-v2-local). */

let standIns: StandIns;

beforeAll(async () => {
  standIns = await startStandIns(['ses']);
});

afterAll(async () => {
  await standIns?.stop();
});

describe('SesMailer', () => {
  it('delivers the subject, recipients, plain text and HTML to the SES stand-in', async () => {
    // Prepare: no client passed, so the mailer follows AWS_ENDPOINT_URL_SESV2 like a Lambda would.
    const mailer = new SesMailer({
      from: 'Complaints team <complaints@council.example>',
      configurationSet: 'redress-events',
    });
    const to = `resident.${randomUUID().slice(0, 8)}@example.org`;

    // Act
    const { messageId } = await mailer.send({
      to: [to],
      subject: 'We have received your complaint CMP-2026-000123',
      text: 'Thank you. We will reply by 23 March 2026.',
      html: '<p>Thank you. We will reply by <strong>23 March 2026</strong>.</p>',
      caseId: randomUUID(),
      template: 'receipt',
    });

    // Assess
    const endpoint = standIns.ses?.endpoint ?? '';
    const sent = (await fetchStore(endpoint)).find((email) => email.messageId === messageId);
    expect(sent).toMatchObject({
      from: 'Complaints team <complaints@council.example>',
      destination: { to: [to] },
      subject: 'We have received your complaint CMP-2026-000123',
      body: {
        text: 'Thank you. We will reply by 23 March 2026.',
        html: '<p>Thank you. We will reply by <strong>23 March 2026</strong>.</p>',
      },
    });
  });

  it('sends to several recipients at once without a configuration set', async () => {
    const mailer = new SesMailer({ from: 'complaints@council.example' });
    const to = [
      `officer.${randomUUID().slice(0, 8)}@council.example`,
      `manager.${randomUUID().slice(0, 8)}@council.example`,
    ];

    const { messageId } = await mailer.send({
      to,
      subject: 'New task',
      text: 'Please acknowledge',
      html: '<p>Please acknowledge</p>',
    });

    const sent = (await fetchStore(standIns.ses?.endpoint ?? '')).find(
      (email) => email.messageId === messageId,
    );
    expect(sent?.destination.to).toEqual(to);
  });
});

describe('SesSuppressionList', () => {
  it('finds nothing to forget on the SES stand-in, which keeps no suppression list, so an erasure goes on', async () => {
    expect(await new SesSuppressionList().forget('ada@example.org')).toBe(false);
  });
});
