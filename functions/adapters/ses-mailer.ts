import {
  DeleteSuppressedDestinationCommand,
  GetAccountCommand,
  SESv2Client,
  SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import type { EmailMessage, Mailer, SendOptions, SuppressionList } from '../domain/ports.js';
import { leaseOver } from '../domain/send-lease.js';
import { traceClient } from '../observability.js';
import { hasEndpointOverride } from './config.js';
import { MailError, MailRejectedError, retryableErrorFor, ServiceUnavailableError } from './errors.js';

let sharedClient: SESv2Client | undefined;

/** The process's SES v2 client, created on first use from the environment (`AWS_ENDPOINT_URL_SESV2` locally). */
export function defaultSesClient(): SESv2Client {
  // One attempt per send: the SDK's own retry of a request whose answer was lost would send the
  // email again. Retries belong to the workflow, whose step knows what was sent (effects.ts).
  sharedClient ??= traceClient(new SESv2Client({ maxAttempts: 1 }));
  return sharedClient;
}

export interface SesMailerOptions {
  /** Sender address, e.g. `Complaints <complaints@council.gov.uk>` (a verified identity). */
  from: string;
  /** Configuration set that records bounces and complaints; omitted locally. */
  configurationSet?: string;
  /** Defaults to the process's shared client. */
  client?: SESv2Client;
}

/** SES errors that will not go away by retrying the same message. */
const PERMANENT = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'SendingPausedException',
  'BadRequestException',
  'NotFoundException',
]);

/** Header carrying a step effect's key (see `functions/app/effects.ts`). */
export const EFFECT_HEADER = 'X-Redress-Effect';

/** Tag names and values allow letters, digits, `_` and `-` only (SES); anything else becomes `_`. */
function tagValue(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256) || '_';
}

/**
 * `Mailer` over SES v2 `SendEmail`: plain text and HTML in one message, tagged with the case id
 * and template name so a bounce notification can be traced to its case. Errors never repeat
 * the recipients.
 */
export class SesMailer implements Mailer {
  private readonly from: string;
  private readonly configurationSet: string | undefined;
  private readonly client: SESv2Client;

  constructor(options: SesMailerOptions) {
    this.from = options.from;
    this.configurationSet = options.configurationSet;
    this.client = options.client ?? defaultSesClient();
  }

  /**
   * `GetAccount`: SES answers for this account. The local SES stand-in has no account to report
   * and answers it with a client error: any answer below 500 from it shows it is up.
   */
  async ping(signal?: AbortSignal): Promise<void> {
    try {
      await this.client.send(new GetAccountCommand({}), { abortSignal: signal });
    } catch (error: unknown) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (hasEndpointOverride('SESV2') && status !== undefined && status < 500) return;
      throw (
        retryableErrorFor(error, 'mailer: ping') ?? new MailError('mailer: ping failed', { cause: error })
      );
    }
  }

  /**
   * Sends one message. With `options.signal` (a step's time to act, `SEND_LEASE_MS` in
   * `functions/app/effects.ts`, a `sendLease`), a send whose time is over by the clock is not
   * started, and one in flight is abandoned: either way a `ServiceUnavailableError` that does not
   * say SES never had it.
   */
  async send(message: EmailMessage, options: SendOptions = {}): Promise<{ messageId: string }> {
    const what = `send ${message.template ?? 'email'}${message.caseId ? ` for case ${message.caseId}` : ''}`;
    const tags = [
      ...(message.caseId === undefined ? [] : [{ Name: 'case-id', Value: tagValue(message.caseId) }]),
      ...(message.template === undefined ? [] : [{ Name: 'template', Value: tagValue(message.template) }]),
      ...(message.effect === undefined ? [] : [{ Name: 'effect', Value: tagValue(message.effect) }]),
    ];
    // By the clock, right before SES is handed the email: nothing between this and the request waits.
    if (options.signal && (await leaseOver(options.signal)))
      throw new ServiceUnavailableError(`${what}: its time to send was over`);
    try {
      const result = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: this.from,
          Destination: { ToAddresses: message.to },
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              // The effect key also travels as a header: SES's Send event reports tags, and the
              // local SES stand-in keeps headers (it drops tags).
              ...(message.effect === undefined
                ? {}
                : { Headers: [{ Name: EFFECT_HEADER, Value: message.effect }] }),
              Body: {
                Text: { Data: message.text, Charset: 'UTF-8' },
                Html: { Data: message.html, Charset: 'UTF-8' },
              },
            },
          },
          ConfigurationSetName: this.configurationSet,
          EmailTags: tags.length > 0 ? tags : undefined,
        }),
        options.signal ? { abortSignal: options.signal } : {},
      );
      if (!result.MessageId) throw new MailError('SES accepted the message but returned no message id');
      return { messageId: result.MessageId };
    } catch (error: unknown) {
      if (error instanceof MailError) throw error;
      // Abandoned in flight: SES may have it (its Send event will say), so never "not reached".
      if (options.signal?.aborted) {
        throw new ServiceUnavailableError(`${what}: abandoned, its time to send was over`, { cause: error });
      }
      const retryable = retryableErrorFor(error, what);
      if (retryable !== undefined) throw retryable;
      const name = error instanceof Error ? error.name : 'unknown error';
      if (PERMANENT.has(name))
        throw new MailRejectedError(`${what}: SES refused it (${name})`, { cause: error });
      throw new MailError(`${what} failed (${name})`, { cause: error });
    }
  }
}

/**
 * `SuppressionList` over SES v2 `DeleteSuppressedDestination`: the account-level list the
 * configuration set adds bounced and complaining addresses to. An address not on it is
 * `NotFoundException`. The local SES stand-in keeps no such list and answers its API with 404:
 * there, nothing is on it. Errors never repeat the address.
 */
export class SesSuppressionList implements SuppressionList {
  private readonly client: SESv2Client;

  constructor(options: { client?: SESv2Client } = {}) {
    this.client = options.client ?? defaultSesClient();
  }

  async forget(email: string): Promise<boolean> {
    try {
      await this.client.send(new DeleteSuppressedDestinationCommand({ EmailAddress: email }));
      return true;
    } catch (error: unknown) {
      if (error instanceof Error && error.name === 'NotFoundException') return false;
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (hasEndpointOverride('SESV2') && status === 404) return false;
      throw (
        retryableErrorFor(error, 'suppression list: forget') ??
        new MailError('suppression list: forget failed', { cause: error })
      );
    }
  }
}
