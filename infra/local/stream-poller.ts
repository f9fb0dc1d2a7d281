import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { DescribeTableCommand, type DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  type _Record as StreamsRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent, StreamRecord } from 'aws-lambda';

/**
 * Lambda's event source mapping for a DynamoDB stream, on one machine: `npm start` reads DynamoDB
 * Local's stream of the case table and hands the records to the deployed `start-workflows`
 * handler as `DynamoDBStreamEvent`s, as Lambda does on AWS. Like the mapping it filters the
 * records (`filter`), hands them over in order and in batches, reads the handler's partial batch
 * failures, retries from the first failed record on the next poll, and gives a record up after
 * `maxAttempts` (reported to `onGiveUp`; on AWS it would go to the on-failure queue).
 *
 * With a batching window (`maxBatchingWindowMs`, the mapping's `MaximumBatchingWindowInSeconds`)
 * it gathers as Lambda does: a batch smaller than `batchSize` waits until the window has passed
 * since its first record was read. What waits is not handed over and its position not saved, so
 * a restart reads it again.
 *
 * The position in each shard (the sequence number of the last record handled) is saved in a file
 * in the runtime's data directory after every batch, so a runtime killed with SIGKILL carries on
 * after a restart from the first record it had not finished with: a case stored just before the
 * kill still gets its workflow. Shard iterators themselves expire after 15 minutes, so the
 * sequence number is what is kept, and a fresh iterator is asked for after it.
 */

/** What the handler is: the entry file's handler, as Lambda calls it. */
export type StreamHandler = (
  event: DynamoDBStreamEvent,
  context: { awsRequestId: string },
) => Promise<DynamoDBBatchResponse | undefined>;

export interface StreamPollerOptions {
  client: DynamoDBStreamsClient;
  streamArn: string;
  /** Region the records say they come from. */
  region: string;
  /** Where the position in each shard is kept across restarts. */
  positionFile: string;
  handler: StreamHandler;
  /**
   * Who made a change, for the records DynamoDB Local's stream says nothing of: on AWS a stream
   * record of an item deleted by the table's TTL carries DynamoDB's own `userIdentity`, and the
   * local TTL (`ttl.ts`) says which deletions were its (`TtlDeletions.userIdentityOf`).
   */
  userIdentityOf?: (record: DynamoDBRecord) => DynamoDBRecord['userIdentity'];
  /** The records the handler is given (the mapping's event filter); others are passed over. */
  filter?: (record: DynamoDBRecord) => boolean;
  /** Records per invocation (default 10, as the deployed mapping). */
  batchSize?: number;
  /**
   * Real milliseconds a batch smaller than `batchSize` is gathered for before it is handed
   * over, from when its first record was read (the deployed mapping's batching window; default
   * 0: at once).
   */
  maxBatchingWindowMs?: number;
  /**
   * The clock the batching window is measured on, in milliseconds (default `performance.now()`:
   * real time, as Lambda's window is, however fast the service's clock runs). A test moves its
   * own, so that a window has passed or has not whatever the machine's load.
   */
  now?: () => number;
  /** Real milliseconds between polls when the stream is quiet (default 250; Lambda polls 4 times a second). */
  intervalMs?: number;
  /** Attempts of a failing record before it is given up (default 10, as the deployed mapping). */
  maxAttempts?: number;
  onGiveUp?: (record: DynamoDBRecord, error: unknown) => void;
  onError?: (error: unknown) => void;
}

export interface RunningStreamPoller {
  /** Reads the stream now (after any poll in progress) and hands over what is new. */
  poll(): Promise<void>;
  /**
   * Hands over nothing until `resume()`, as a disabled event source mapping does
   * (`aws lambda update-event-source-mapping --no-enabled`): waits for the batch being handed
   * over, if any (a poll in progress hands over no other), and the records that arrive meanwhile
   * wait in the stream, in order, for the resumed poller; a `poll()` meanwhile reads nothing.
   */
  pause(): Promise<void>;
  /** Polls again, at once, from where the poller left off. */
  resume(): void;
  /** Stops polling and waits for a poll in progress. */
  stop(): Promise<void>;
}

/** The poller's saved state: the stream it read and, per shard, where it got to. */
interface Positions {
  streamArn: string;
  shards: Record<string, { after?: string; finished?: boolean }>;
}

/** A record the handler reported as failed (or a batch it threw on). */
class RecordFailedError extends Error {
  override name = 'RecordFailedError';
}

/** Records asked for per GetRecords call (DynamoDB allows up to 1000). */
const RECORDS_PER_READ = 100;

/**
 * Turns the table's stream on (with this view type) unless it is on already, and returns the
 * stream's ARN. For DynamoDB Local; the deployed table's stream comes from the CDK stack.
 */
export async function enableStream(
  client: DynamoDBClient,
  tableName: string,
  viewType: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY' | 'OLD_IMAGE',
): Promise<string> {
  let table = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  if (!table?.StreamSpecification?.StreamEnabled) {
    // A data directory from before the stream existed: its cases predate the stream, and the
    // reconciler is what finds any of them without a workflow.
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        StreamSpecification: { StreamEnabled: true, StreamViewType: viewType },
      }),
    );
    table = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  }
  const arn = table?.LatestStreamArn;
  if (!arn) throw new Error(`Table ${tableName} has no stream after enabling it`);
  return arn;
}

/** Real milliseconds before the first retry of a failed record; doubled each time, up to `MAX_BACKOFF_MS`. */
const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

/** Starts polling; the first poll runs at once. */
export function startStreamPoller(options: StreamPollerOptions): RunningStreamPoller {
  let stopped = false;
  let paused = false;
  // A disabled mapping hands over nothing more, even in the middle of a poll.
  const poller = new StreamPoller(options, () => paused);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let backoffMs = 0;
  const poll = (): Promise<void> => {
    running = running
      .then(async () => {
        // A disabled mapping reads nothing, whoever asks.
        if (paused) return;
        const caughtUp = await poller.pollOnce();
        backoffMs = caughtUp ? 0 : Math.min(Math.max(backoffMs * 2, FIRST_BACKOFF_MS), MAX_BACKOFF_MS);
      })
      .catch((error: unknown) => {
        // DynamoDB Local not answering, say: try again, as Lambda's poller would.
        backoffMs = Math.min(Math.max(backoffMs * 2, FIRST_BACKOFF_MS), MAX_BACKOFF_MS);
        options.onError?.(error);
      });
    return running;
  };
  /** Whether the loop's own poll is in progress (it schedules the next when it ends). */
  let looping = false;
  const loop = () => {
    timer = undefined;
    if (stopped || paused) return;
    looping = true;
    void poll().then(() => {
      looping = false;
      if (!stopped && !paused) timer = setTimeout(loop, backoffMs || (options.intervalMs ?? 250));
    });
  };
  loop();
  return {
    poll,
    async pause() {
      paused = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
    resume() {
      if (!paused) return;
      paused = false;
      // Unless the loop's poll is still in progress (it carries on when it ends), poll now.
      if (!looping && timer === undefined) loop();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

class StreamPoller {
  private readonly positions: Positions;
  /** Failed attempts per sequence number, for the record at the head of a shard's retries. */
  private readonly attempts = new Map<string, number>();
  /** Per shard, the batch being gathered: its first record's sequence number and when it was first read. */
  private readonly gathering = new Map<string, { first: string; since: number }>();
  private invocations = 0;

  /**
   * `halted` says whether to hand over nothing more (the poller was paused): a poll in progress
   * stops there, and what is left waits in the stream for the next.
   */
  constructor(
    private readonly options: StreamPollerOptions,
    private readonly halted: () => boolean,
  ) {
    this.positions = readPositions(options.positionFile, options.streamArn);
  }

  /**
   * Reads every shard as far as it can, or until halted: what is left waits in the stream for
   * the next poll. False when a record failed and waits for a retry.
   */
  async pollOnce(): Promise<boolean> {
    const shards = await this.shards();
    const known = new Set(shards.map((s) => s.ShardId));
    let caughtUp = true;
    for (const shard of shards) {
      if (this.halted()) break;
      const id = shard.ShardId as string;
      if (this.positions.shards[id]?.finished) continue;
      // A child shard's records follow its parent's: read the parent to its end first.
      const parent = shard.ParentShardId;
      if (parent && known.has(parent) && !this.positions.shards[parent]?.finished) continue;
      if (!(await this.readShard(id))) caughtUp = false;
    }
    return caughtUp;
  }

  private async shards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const page = await this.options.client.send(
        new DescribeStreamCommand({
          StreamArn: this.options.streamArn,
          ...(exclusiveStartShardId ? { ExclusiveStartShardId: exclusiveStartShardId } : {}),
        }),
      );
      shards.push(...(page.StreamDescription?.Shards ?? []));
      exclusiveStartShardId = page.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return shards;
  }

  /** Reads a shard from its saved position until it is caught up or finished (true), or a record fails. */
  private async readShard(shardId: string): Promise<boolean> {
    let iterator = await this.iterator(shardId);
    while (iterator) {
      const page = await this.options.client.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: RECORDS_PER_READ }),
      );
      const records = page.Records ?? [];
      // The last page read now: a batch it leaves short may wait for the window.
      const last = records.length < RECORDS_PER_READ;
      const handed = records.length > 0 ? await this.hand(shardId, records, last) : 'all';
      if (handed === 'failed') return false;
      // Records after those gathering (or not handed over, once halted) must wait behind them:
      // they are read again next poll.
      if (handed === 'gathering' || handed === 'halted' || this.halted()) return true;
      iterator = page.NextShardIterator;
      if (!iterator) {
        // A closed shard read to its end: its children come next.
        this.save(shardId, { finished: true });
        return true;
      }
      if (records.length === 0) return true;
    }
    return true;
  }

  private async iterator(shardId: string): Promise<string | undefined> {
    const after = this.positions.shards[shardId]?.after;
    const ask = (type: 'AFTER_SEQUENCE_NUMBER' | 'TRIM_HORIZON') =>
      this.options.client.send(
        new GetShardIteratorCommand({
          StreamArn: this.options.streamArn,
          ShardId: shardId,
          ShardIteratorType: type,
          ...(type === 'AFTER_SEQUENCE_NUMBER' ? { SequenceNumber: after } : {}),
        }),
      );
    if (after === undefined) return (await ask('TRIM_HORIZON')).ShardIterator;
    try {
      return (await ask('AFTER_SEQUENCE_NUMBER')).ShardIterator;
    } catch (error: unknown) {
      // The saved position is older than the stream keeps (24 hours): start from the oldest
      // record there is; the reconciler finds any case whose record was trimmed meanwhile.
      if (error instanceof Error && error.name === 'TrimmedDataAccessException') {
        return (await ask('TRIM_HORIZON')).ShardIterator;
      }
      throw error;
    }
  }

  /**
   * Hands the records over in batches of the filtered ones, saving the position after each; a
   * short batch at the end of what the stream has now (`last`) waits out the batching window.
   * Says 'failed' when a record failed and is to be retried from there on the next poll,
   * 'gathering' when the last batch waits, and 'halted' when the poller was paused before a batch
   * was handed over (it and those after it are read again when it resumes).
   */
  private async hand(
    shardId: string,
    records: StreamsRecord[],
    last: boolean,
  ): Promise<'all' | 'gathering' | 'halted' | 'failed'> {
    const batchSize = this.options.batchSize ?? 10;
    const filter = this.options.filter ?? (() => true);
    let start = 0;
    while (start < records.length) {
      if (this.halted()) return 'halted';
      const batch: { index: number; record: DynamoDBRecord }[] = [];
      let end = start;
      while (end < records.length && batch.length < batchSize) {
        const record = lambdaRecord(records[end] as StreamsRecord, this.options);
        if (filter(record)) batch.push({ index: end, record });
        end++;
      }
      if (last && end === records.length && batch.length > 0 && this.gathers(shardId, batch, batchSize)) {
        // Nothing after the records handed so far is saved: the next poll reads them again.
        return 'gathering';
      }
      const failed = batch.length > 0 ? await this.invoke(batch) : undefined;
      if (failed === undefined) {
        this.advance(shardId, records[end - 1]);
        start = end;
        continue;
      }
      if (failed.index > start) this.advance(shardId, records[failed.index - 1]);
      const sequence = failed.record.dynamodb?.SequenceNumber ?? '';
      const attempts = (this.attempts.get(sequence) ?? 0) + 1;
      if (attempts < (this.options.maxAttempts ?? 10)) {
        this.attempts.set(sequence, attempts);
        // Its retry goes when the backoff ends, not after another window, as Lambda retries.
        this.gathering.set(shardId, { first: sequence, since: Number.NEGATIVE_INFINITY });
        return 'failed';
      }
      this.attempts.delete(sequence);
      this.options.onGiveUp?.(failed.record, failed.error);
      this.advance(shardId, records[failed.index]);
      start = failed.index + 1;
    }
    return 'all';
  }

  /**
   * Whether a short batch waits for more: the window has not passed since its first record was
   * first read (a failed record, retried, waits for no window).
   */
  private gathers(shardId: string, batch: { record: DynamoDBRecord }[], batchSize: number): boolean {
    const window = this.options.maxBatchingWindowMs ?? 0;
    if (window <= 0 || batch.length >= batchSize) return false;
    const first = batch[0]?.record.dynamodb?.SequenceNumber ?? '';
    const gathering = this.gathering.get(shardId);
    const now = (this.options.now ?? performance.now.bind(performance))();
    if (gathering?.first !== first) {
      this.gathering.set(shardId, { first, since: now });
      return true;
    }
    return now - gathering.since < window;
  }

  /** Calls the handler; the first record it failed, if any (all of them when it threw). */
  private async invoke(
    batch: { index: number; record: DynamoDBRecord }[],
  ): Promise<{ index: number; record: DynamoDBRecord; error: unknown } | undefined> {
    let response: DynamoDBBatchResponse | undefined;
    try {
      response = await this.options.handler(
        { Records: batch.map((b) => b.record) },
        { awsRequestId: `stream-${process.pid}-${++this.invocations}` },
      );
    } catch (error: unknown) {
      return { ...(batch[0] as (typeof batch)[number]), error };
    }
    const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    if (failed.size === 0) return undefined;
    // As Lambda: an identifier it cannot place fails the whole batch.
    const first = batch.find((b) => failed.has(b.record.dynamodb?.SequenceNumber ?? '')) ?? batch[0];
    return {
      ...(first as (typeof batch)[number]),
      error: new RecordFailedError('the handler reported the record as failed'),
    };
  }

  private advance(shardId: string, record: StreamsRecord | undefined): void {
    const after = record?.dynamodb?.SequenceNumber;
    if (after !== undefined) this.save(shardId, { after });
  }

  private save(shardId: string, change: { after?: string; finished?: boolean }): void {
    this.positions.shards[shardId] = { ...this.positions.shards[shardId], ...change };
    const temporary = `${this.options.positionFile}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(this.positions, null, 2)}\n`);
    renameSync(temporary, this.options.positionFile);
  }
}

/** The saved positions for this stream; none when the file is missing, torn, or of another stream. */
function readPositions(file: string, streamArn: string): Positions {
  const fresh: Positions = { streamArn, shards: {} };
  if (!existsSync(file)) return fresh;
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<Positions>;
    // A new stream (the table was made again): its records all come after the old positions.
    if (saved.streamArn !== streamArn || typeof saved.shards !== 'object' || saved.shards === null)
      return fresh;
    return { streamArn, shards: saved.shards };
  } catch (error: unknown) {
    // A torn file: reading from the oldest record again is safe, starting a workflow is idempotent.
    if (error instanceof SyntaxError) return fresh;
    throw error;
  }
}

/**
 * A record as the SDK reads it, in the shape Lambda hands a function (epoch seconds, source ARN,
 * and who made the change where AWS says it).
 */
function lambdaRecord(
  record: StreamsRecord,
  options: Pick<StreamPollerOptions, 'streamArn' | 'region' | 'userIdentityOf'>,
): DynamoDBRecord {
  const { ApproximateCreationDateTime, ...rest } = record.dynamodb ?? {};
  const lambda: DynamoDBRecord = {
    ...(record.eventID ? { eventID: record.eventID } : {}),
    ...(record.eventName ? { eventName: record.eventName } : {}),
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? options.region,
    eventSourceARN: options.streamArn,
    dynamodb: {
      ...(rest as StreamRecord),
      ...(ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: Math.floor(ApproximateCreationDateTime.getTime() / 1000) }
        : {}),
    },
  };
  // The SDK's names are capitalised; Lambda's event has them as the stream's JSON does.
  const userIdentity = record.userIdentity
    ? { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId }
    : options.userIdentityOf?.(lambda);
  return userIdentity === undefined ? lambda : { ...lambda, userIdentity };
}
