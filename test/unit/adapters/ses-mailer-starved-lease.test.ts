import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SesMailer } from '../../../functions/adapters/ses-mailer.js';

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
});
