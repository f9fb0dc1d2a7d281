import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * SES's event publishing as the deployment has it (configuration set → SNS → the `ses-events`
 * function), for the SES stand-in: every message it accepts becomes a Send event, delivered at
 * least once to whoever `deliverTo` names, retried until it is taken.
 *
 * This is what settles, after a step died between SES accepting its email and recording it,
 * that the email did go out (`functions/app/effects.ts` waits for the Send event, then sends
 * again once its window has passed). On AWS the event outlives any crash of the function; here
 * SES runs inside the process that crashes, so with a directory each event is written to disk
 * before SES answers, and a restart delivers whatever the last run had not.
 */

/** One SES event notification, as SNS carries it (the fields Redress reads and a few more). */
export interface SesEventNotification {
  eventType: 'Send';
  mail: {
    messageId: string;
    timestamp: string;
    source: string;
    destination: string[];
    /** Message tags, as SES reports them: name → values. */
    tags: Record<string, string[]>;
  };
  send: Record<string, never>;
}

/** Takes one notification; a rejection means "not taken, deliver again later". */
export type SesEventDelivery = (notification: SesEventNotification) => Promise<void>;

/** Deliveries at once: enough to keep up with a burst of mail, few enough for a busy table. */
const CONCURRENCY = 4;
/**
 * How long after SES accepts a message its event is delivered (real milliseconds). On AWS the
 * event takes SES and SNS a moment; delivered at once, it would race the sending step's own
 * write to the same case for no reason.
 */
export const DELIVERY_DELAY_MS = 500;
/** Backoff between attempts of a delivery that failed (real milliseconds). */
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 2_000;

/**
 * What the stand-in promises: while the table answers, an event is delivered within this many
 * real milliseconds of SES accepting its message. The delay, then room for a burst of mail queued
 * ahead of it (`CONCURRENCY` at a time) and for a few refused deliveries' retries (0.1 + 0.2 + 0.4
 * + 0.8 + 1.6 s). A step that died after handing SES its email waits this long for the event,
 * scaled by the service's clock (`sesWordWithinMs`, `confirmWindowMs` in `functions/app/effects.ts`),
 * before it sends the email again: it must be well over `DELIVERY_DELAY_MS`, whatever the time
 * scale. A table down for longer keeps the steps from asking too, and their window starts again.
 */
export const SES_EVENT_WITHIN_MS = 20 * DELIVERY_DELAY_MS;

interface Pending {
  index: number;
  notification: SesEventNotification;
}

/**
 * The Send events of one SES stand-in: appended to `<dir>/events.jsonl` as messages are
 * accepted, delivered in order of acceptance (a few at once), and checkpointed in
 * `<dir>/events-delivered` (how many of the file's lines have been delivered, from the start).
 * Without a directory the events live in memory only.
 */
export class SesEventLog {
  private readonly file: string | undefined;
  private readonly checkpointFile: string | undefined;
  private readonly pending: Pending[] = [];
  /** Lines (events) written so far; the next event's index. */
  private written = 0;
  /** Every event before this index has been delivered. */
  private delivered = 0;
  /** Events at or after `delivered` that have been delivered out of order. */
  private readonly deliveredAhead = new Set<number>();
  private inFlight = 0;
  private deliver: SesEventDelivery | undefined;
  private stopped = false;
  private readonly waiting = new Set<() => void>();

  constructor(
    dir: string | undefined,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    if (dir === undefined) return;
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'events.jsonl');
    this.checkpointFile = join(dir, 'events-delivered');
    const lines = existsSync(this.file) ? readFileSync(this.file, 'utf8').split('\n') : [];
    // A crash mid-append can leave a torn last line: it was never answered, so it never happened.
    const events = lines.flatMap((line) => {
      try {
        return line.trim() === '' ? [] : [JSON.parse(line) as SesEventNotification];
      } catch (error: unknown) {
        if (error instanceof SyntaxError) return [];
        throw error;
      }
    });
    if (events.length !== lines.filter((line) => line.trim() !== '').length) {
      writeFileSync(this.file, events.map((event) => `${JSON.stringify(event)}\n`).join(''));
    }
    this.written = events.length;
    const checkpoint = existsSync(this.checkpointFile)
      ? Number(readFileSync(this.checkpointFile, 'utf8').trim())
      : 0;
    this.delivered =
      Number.isInteger(checkpoint) && checkpoint >= 0 && checkpoint <= events.length ? checkpoint : 0;
    events.slice(this.delivered).forEach((notification, offset) => {
      this.pending.push({ index: this.delivered + offset, notification });
    });
  }

  /** Events written and not yet delivered. */
  get backlog(): number {
    return this.written - this.delivered;
  }

  /** Records an accepted message's event (on disk first, when there is a directory) and delivers it. */
  append(notification: SesEventNotification): void {
    if (this.file !== undefined) appendFileSync(this.file, `${JSON.stringify(notification)}\n`);
    this.pending.push({ index: this.written, notification });
    this.written += 1;
    this.pump();
  }

  /** Starts delivering (the backlog first) to `deliver`. */
  deliverTo(deliver: SesEventDelivery): void {
    this.deliver = deliver;
    this.pump();
  }

  /** Stops delivering; undelivered events stay on disk for the next start. */
  stop(): void {
    this.stopped = true;
    for (const wake of this.waiting) wake();
    this.waiting.clear();
  }

  private pump(): void {
    const deliver = this.deliver;
    if (deliver === undefined || this.stopped) return;
    while (this.inFlight < CONCURRENCY && this.pending.length > 0) {
      const next = this.pending.shift() as Pending;
      this.inFlight += 1;
      void this.deliverOne(deliver, next).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async deliverOne(deliver: SesEventDelivery, event: Pending): Promise<void> {
    const due = Date.parse(event.notification.mail.timestamp) + DELIVERY_DELAY_MS;
    if (due > Date.now()) await this.sleep(due - Date.now());
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await deliver(event.notification);
        this.settle(event.index);
        return;
      } catch (error: unknown) {
        // As SNS does for a function that failed: again, a little later, until it is taken.
        if (attempt === 5) this.onError(error);
        await this.sleep(Math.min(FIRST_RETRY_MS * 2 ** attempt, MAX_RETRY_MS));
      }
    }
  }

  private settle(index: number): void {
    this.deliveredAhead.add(index);
    const before = this.delivered;
    while (this.deliveredAhead.delete(this.delivered)) this.delivered += 1;
    if (this.delivered !== before && this.checkpointFile !== undefined) {
      const temporary = `${this.checkpointFile}.tmp`;
      writeFileSync(temporary, `${this.delivered}\n`);
      renameSync(temporary, this.checkpointFile);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiting.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiting.add(wake);
    });
  }
}

/** The part of a Lambda function subscribed to an SNS topic that delivery calls. */
export type SnsSubscriber = (
  event: { Records: { EventSource: string; Sns: { Type: string; MessageId: string; Message: string } }[] },
  context: { awsRequestId: string },
) => Promise<unknown>;

let deliveries = 0;

/** Delivers each event as SNS does to a subscribed function: one record, the notification as JSON text. */
export function toSnsSubscriber(handler: SnsSubscriber): SesEventDelivery {
  return async (notification) => {
    deliveries += 1;
    const id = `ses-event-${process.pid}-${deliveries}`;
    await handler(
      {
        Records: [
          {
            EventSource: 'aws:sns',
            Sns: { Type: 'Notification', MessageId: id, Message: JSON.stringify(notification) },
          },
        ],
      },
      { awsRequestId: id },
    );
  };
}
