import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SesMailer } from '../../../functions/adapters/ses-mailer.js';
import { sendLease } from '../../../functions/domain/send-lease.js';

/**
 * A step's time to send (`SEND_LEASE_MS`, `functions/app/effects.ts`) is an `AbortSignal.timeout`,
 * which `effects.ts` says keeps an attempt that stalled past it, a starved event loop included,
 * from starting its request to SES. A timer's signal fires only when the event loop comes round to
 * it: an attempt that was kept off the CPU past its time and goes straight on to send finds the
 * signal not yet aborted.
 */

const client = new SESv2Client({ region: 'eu-west-2' });
const ses = mockClient(client);
const message = {
  to: ['resident@example.org'],
  subject: 'Your complaint',
  text: 'Text',
  html: '<p>Text</p>',
  caseId: 'case-1',
  template: 'receipt',
};

afterEach(() => {
  ses.reset();
});

/** Keeps the event loop busy for `ms`, as a process kept off the CPU. */
function starve(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

describe('SesMailer under a starved event loop', () => {
  it('does not hand SES an email whose time to send ran out while the process was starved', async () => {
    // Prepare
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const mailer = new SesMailer({ from: 'complaints@council.example', client });
    const lease = AbortSignal.timeout(20);

    // Act: the attempt is starved past its time, then goes straight on to send.
    starve(60);
    const sent = mailer.send(message, { signal: lease }).then(
      () => 'sent',
      () => 'refused',
    );

    // Assess
    await expect(sent).resolves.toBe('refused');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('does not hand SES an email whose lease ran out while a timer callback was starved', async () => {
    // Prepare: a lease as a step's (`sendLease`), taken inside a timer's callback, where timers
    // already due may fire in the order they were made rather than when they fell due.
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const mailer = new SesMailer({ from: 'complaints@council.example', client });

    // Act
    const sent = await new Promise<string>((resolve) => {
      setTimeout(() => {
        const lease = sendLease(20);
        starve(60);
        mailer.send(message, { signal: lease }).then(
          () => resolve('sent'),
          () => resolve('refused'),
        );
      }, 1);
    });

    // Assess
    expect(sent).toBe('refused');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('hands SES an email whose lease has time left', async () => {
    // Prepare
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const mailer = new SesMailer({ from: 'complaints@council.example', client });

    // Act
    const sent = await mailer.send(message, { signal: sendLease(60_000) });

    // Assess
    expect(sent).toEqual({ messageId: 'm-1' });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
  });
});
