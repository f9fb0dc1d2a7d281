import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { CaseRecord } from '../../functions/domain/case.js';
import type { VirtualClock } from '../../infra/local/step-functions/index.js';
import { caseInserted, streamEvent } from './stream-records.js';

/** The `start-workflows` entry file's handler, as Lambda calls it. */
export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;

/** Records Lambda hands the function at once (the event source mapping's batch size). */
const BATCH_SIZE = 10;
/** How long Lambda waits before retrying a failed record, on the test's clock. */
const RETRY_MS = 60_000;
/** Attempts before a record goes to the on-failure destination (`deadLetters`). */
const MAX_ATTEMPTS = 10;

/**
 * The case table's stream for the workflow tests, which have no DynamoDB: every case the
 * in-memory store creates becomes an INSERT record, delivered in order and in batches to the
 * deployed `start-workflows` handler, as the event source mapping delivers it on AWS. A record
 * the handler reports as failed (`batchItemFailures`) is retried a minute later on the test's
 * clock, with the records after it, and after `MAX_ATTEMPTS` it goes to `deadLetters`.
 *
 * `lose()` makes the stream drop what it is given, as a record that expired or went to the
 * dead-letter queue: the case then has no workflow until the reconciler finds it.
 */
export class CaseStream {
  private readonly pending: { record: DynamoDBRecord; attempts: number }[] = [];
  private delivering: Promise<void> | undefined;
  private retryArmed = false;
  private sequence = 0;
  private invocations = 0;
  private losing = false;
  /** Records given up on, as the event source mapping's on-failure destination holds them. */
  readonly deadLetters: DynamoDBRecord[] = [];
  /** Every batch delivered, for tests that count invocations. */
  readonly batches: DynamoDBRecord[][] = [];

  constructor(
    private readonly handler: StreamHandler,
    private readonly clock: VirtualClock,
    private readonly settleEngine: () => Promise<void>,
  ) {
    clock.registerIdleWaiter(() => this.idle());
  }

  /** Called by the store for each case it creates. */
  insert(record: CaseRecord): void {
    this.sequence += 1;
    if (this.losing) return;
    this.pending.push({ record: caseInserted(record, this.sequence), attempts: 0 });
    // Lambda polls the stream on its own: delivery does not wait for the request that wrote.
    setImmediate(() => this.kick());
  }

  /** From now on, records are lost (or delivered again after `keep()`). */
  lose(): void {
    this.losing = true;
  }

  keep(): void {
    this.losing = false;
  }

  /** Resolves once nothing is pending or being delivered and the engine is idle. */
  async idle(): Promise<void> {
    for (;;) {
      if (this.delivering) {
        await this.delivering;
        continue;
      }
      await this.settleEngine();
      if (this.delivering === undefined && !this.due()) return;
      this.kick();
    }
  }

  private due(): boolean {
    return this.pending.length > 0 && !this.retryArmed;
  }

  private kick(): void {
    if (this.delivering || !this.due()) return;
    this.delivering = this.deliver().finally(() => {
      this.delivering = undefined;
    });
  }

  private async deliver(): Promise<void> {
    while (this.pending.length > 0 && !this.retryArmed) {
      const batch = this.pending.slice(0, BATCH_SIZE);
      const records = batch.map((p) => p.record);
      this.batches.push(records);
      let failedFrom = records.length;
      try {
        const response = await this.handler(streamEvent(records), {
          awsRequestId: `stream-${++this.invocations}`,
        } as Context);
        const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
        const first = records.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
        if (first >= 0) failedFrom = first;
        else if (failed.size > 0) failedFrom = 0;
        else failedFrom = records.length;
      } catch {
        // The whole batch failed: Lambda retries all of it.
        failedFrom = 0;
      }
      // Lambda checkpoints up to the first failure and retries from there.
      this.pending.splice(0, failedFrom);
      if (failedFrom === records.length) continue;
      const head = this.pending[0];
      if (head === undefined) continue;
      head.attempts += 1;
      if (head.attempts >= MAX_ATTEMPTS) {
        this.deadLetters.push(head.record);
        this.pending.shift();
        continue;
      }
      this.retryArmed = true;
      this.clock.schedule(this.clock.now().getTime() + RETRY_MS, () => {
        this.retryArmed = false;
        this.kick();
      });
    }
  }
}
