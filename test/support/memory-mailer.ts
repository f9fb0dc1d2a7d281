import type { EmailMessage, Mailer } from '../../functions/domain/ports.js';

/** An in-memory Mailer: keeps what it was asked to send; the SES adapter is tested against its stand-in. */
export class MemoryMailer implements Mailer {
  readonly sent: EmailMessage[] = [];
  /** Set to make `ping` fail with it, as SES not answering. */
  pingFailure?: Error;

  async ping(): Promise<void> {
    if (this.pingFailure) throw this.pingFailure;
  }

  async send(message: EmailMessage): Promise<{ messageId: string }> {
    this.sent.push(message);
    return { messageId: `m-${this.sent.length}` };
  }
}
