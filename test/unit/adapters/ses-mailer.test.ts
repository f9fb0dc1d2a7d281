import {
  DeleteSuppressedDestinationCommand,
  MessageRejected,
  NotFoundException,
  SESv2Client,
  SendEmailCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  actedOnNothing,
  MailError,
  MailRejectedError,
  ServiceUnavailableError,
  ThrottledError,
} from '../../../functions/adapters/errors.js';
import { SesMailer, SesSuppressionList } from '../../../functions/adapters/ses-mailer.js';

const client = new SESv2Client({ region: 'eu-west-2' });
const ses = mockClient(client);
const message = {
  to: ['resident@example.org'],
  subject: 'Your complaint',
  text: 'Text',
  html: '<p>Text</p>',
  caseId: 'case:1/2',
  template: 'receipt',
};

afterEach(() => {
  ses.reset();
});

describe('SesMailer', () => {
  it('sends nothing once the step’s time to send is over, and does not say SES never had it', async () => {
    // Prepare
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const mailer = new SesMailer({ from: 'complaints@council.example', client });
    const over = new AbortController();
    over.abort();

    // Act
    const sending = mailer.send(message, { signal: over.signal });

    // Assess
    await expect(sending).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(sending.catch((error: unknown) => actedOnNothing(error))).resolves.toBe(false);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('sends text and HTML from the configured sender with the configuration set and tags', async () => {
    // Prepare
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const mailer = new SesMailer({ from: 'complaints@council.example', configurationSet: 'redress', client });

    // Act
    const result = await mailer.send(message);

    // Assess
    expect(result).toEqual({ messageId: 'm-1' });
    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      FromEmailAddress: 'complaints@council.example',
      Destination: { ToAddresses: ['resident@example.org'] },
      ConfigurationSetName: 'redress',
      Content: {
        Simple: {
          Subject: { Data: 'Your complaint' },
          Body: { Text: { Data: 'Text' }, Html: { Data: '<p>Text</p>' } },
        },
      },
      // SES allows only letters, digits, _ and - in tags.
      EmailTags: [
        { Name: 'case-id', Value: 'case_1_2' },
        { Name: 'template', Value: 'receipt' },
      ],
    });
  });

  it('omits the configuration set and tags when there are none', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-2' });
    const mailer = new SesMailer({ from: 'complaints@council.example', client });

    await mailer.send({ to: ['a@example.org'], subject: 's', text: 't', html: '<p>t</p>' });

    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input?.ConfigurationSetName).toBeUndefined();
    expect(input?.EmailTags).toBeUndefined();
  });

  it('throws MailRejectedError, without the recipient in its message, when SES rejects the message', async () => {
    ses
      .on(SendEmailCommand)
      .rejects(new MessageRejected({ message: 'Email address is not verified', $metadata: {} }));
    const mailer = new SesMailer({ from: 'complaints@council.example', client });

    const error = await mailer.send(message).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(MailRejectedError);
    expect((error as Error).message).not.toContain('resident@example.org');
  });

  it('throws ThrottledError when SES keeps saying too many requests', async () => {
    ses.on(SendEmailCommand).rejects(new TooManyRequestsException({ message: 'slow down', $metadata: {} }));
    const mailer = new SesMailer({ from: 'complaints@council.example', client });

    await expect(mailer.send(message)).rejects.toBeInstanceOf(ThrottledError);
  });

  it('throws MailError when SES answers without a message id', async () => {
    ses.on(SendEmailCommand).resolves({});
    const mailer = new SesMailer({ from: 'complaints@council.example', client });

    await expect(mailer.send(message)).rejects.toBeInstanceOf(MailError);
  });
});

describe('SesSuppressionList', () => {
  it('removes an address from the account’s suppression list, and says whether it was on it', async () => {
    // Prepare
    ses
      .on(DeleteSuppressedDestinationCommand, { EmailAddress: 'ada@example.org' })
      .resolves({})
      .on(DeleteSuppressedDestinationCommand, { EmailAddress: 'grace@example.org' })
      .rejects(new NotFoundException({ message: 'not found', $metadata: {} }));
    const list = new SesSuppressionList({ client });

    // Act
    const listed = await list.forget('ada@example.org');
    const unlisted = await list.forget('grace@example.org');

    // Assess
    expect([listed, unlisted]).toEqual([true, false]);
  });

  it('fails retryably when SES is throttling, without the address in the error', async () => {
    // Prepare
    ses
      .on(DeleteSuppressedDestinationCommand)
      .rejects(new TooManyRequestsException({ message: 'slow down', $metadata: {} }));

    // Act
    const error = await new SesSuppressionList({ client }).forget('ada@example.org').catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ThrottledError);
    expect((error as Error).message).not.toContain('ada@');
  });
});
