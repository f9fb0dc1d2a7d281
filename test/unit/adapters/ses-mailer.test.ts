import {
  MessageRejected,
  SESv2Client,
  SendEmailCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { MailError, MailRejectedError, ThrottledError } from '../../../functions/adapters/errors.js';
import { SesMailer } from '../../../functions/adapters/ses-mailer.js';

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
