import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  type AttributeValue,
  DeleteItemCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { rateKindPrefix } from '../../functions/adapters/dynamodb-rate-limiter.js';
import { CHECK_LIMIT_KEY_PREFIX } from '../../functions/domain/resident-access.js';
import { startSchedule } from './schedule.js';
import type { Clock } from './step-functions/index.js';

/**
 * DynamoDB's Time to Live, on one machine. DynamoDB Local takes a table's TTL setting but never
 * deletes an item whose TTL has passed, so under `npm start` nothing in the case table expired:
 * closed cases past retention, their events, search terms and work-list entries, idempotency
 * items, sessions. On AWS, DynamoDB's own background process deletes each item whose TTL
 * attribute (a Number, epoch seconds) is earlier than now, and the stream's record of that
 * deletion carries `userIdentity` {type `Service`, principalId `dynamodb.amazonaws.com`}: that is
 * how `archive-expiry.ts` tells an expiry, which takes the case's archive with it, from any other
 * deletion.
 *
 * This does the same on the runtime's (possibly accelerated) clock. Each pass reads the table's
 * TTL setting (`DescribeTimeToLive`: nothing happens while it is off), scans for items whose TTL
 * attribute is past (a Scan filtered on that attribute, projecting only it and the keys, page by
 * page), and deletes each one on condition that its TTL is still past at that moment, as AWS
 * does: an item whose expiry a legal hold took away, or a reopening moved on, after the scan read
 * it is left alone. Like AWS it passes over items whose TTL lies more than five years in the past
 * (Amazon DynamoDB Developer Guide, "Time to Live"). The few items whose expiry the code writes on
 * real time expire on real time (`REAL_TIME_EXPIRY_PREFIXES`): on AWS the two clocks are one.
 *
 * DynamoDB Local's stream records say nothing of who deleted an item. So each deletion is
 * written down first (`TtlDeletions`, a file in the data directory, so a kill between the
 * deletion and the stream reader's turn loses nothing), and the local stream pollers give the
 * deletion's REMOVE record DynamoDB's `userIdentity`, as AWS's stream does: the deployed handlers
 * read the same records on one machine as on AWS, with no rule of their own for it.
 */

/** The `userIdentity` of a stream record of an item deleted by DynamoDB's TTL, as AWS writes it. */
export const TTL_USER_IDENTITY = { type: 'Service', principalId: 'dynamodb.amazonaws.com' } as const;

/** Items whose TTL is further in the past than this are not deleted by DynamoDB (five years). */
export const TTL_MAX_AGE_SECONDS = 5 * 365 * 86_400;

/** How long a deletion is remembered: DynamoDB Streams keeps a record for 24 hours (plus a margin). */
const REMEMBER_MS = 25 * 3_600_000;

/**
 * DynamoDB Local rounds a stream record's `ApproximateCreationDateTime` down to the minute: a
 * deletion's record may say up to this much earlier than the deletion began.
 */
const RECORD_TIME_GRANULARITY_MS = 60_000;

type Key = Record<string, AttributeValue>;

/** One deletion by the emulation: the item's key, and the real time the DeleteItem was in flight. */
interface Deletion {
  key: string;
  /** Real milliseconds (the stream's records are stamped in real time) before the DeleteItem. */
  from: number;
  /** Real milliseconds after it; absent while it is in flight. */
  to?: number;
}

/**
 * The deletions the emulation made, kept in a file so that the stream pollers can tell a TTL
 * deletion's REMOVE record from any other, even after a restart. A REMOVE record of a key deleted
 * here, stamped while the deletion was in flight, is the deletion's.
 */
export class TtlDeletions {
  private deletions: Deletion[];
  /** The same, by key: a stream poller asks of every REMOVE record. */
  private byKey = new Map<string, Deletion[]>();

  constructor(private readonly file?: string) {
    this.deletions = readDeletions(file);
    this.index();
  }

  /** Writes down that these items are about to be deleted (before the DeleteItems go). */
  begin(keys: readonly Key[]): void {
    const from = Date.now();
    this.deletions.push(...keys.map((key) => ({ key: keyString(key), from })));
    this.save();
  }

  /** The deletions begun are over: those of `deleted` happened, the others did not. */
  end(deleted: readonly Key[]): void {
    const to = Date.now();
    const done = new Set(deleted.map(keyString));
    this.deletions = this.deletions.filter((d) => d.to !== undefined || done.has(d.key));
    for (const d of this.deletions) d.to ??= to;
    this.save();
  }

  /** Whether a stream record is the REMOVE of an item this emulation deleted. */
  isTtlRemoval(record: Pick<DynamoDBRecord, 'eventName' | 'dynamodb'>): boolean {
    const keys = record.dynamodb?.Keys;
    if (record.eventName !== 'REMOVE' || keys === undefined) return false;
    const key = keyString(keys as Key);
    const stamped = record.dynamodb?.ApproximateCreationDateTime;
    const at = stamped === undefined ? undefined : stamped * 1000;
    return (this.byKey.get(key) ?? []).some(
      (d) =>
        at === undefined ||
        (at >= Math.floor(d.from / RECORD_TIME_GRANULARITY_MS) * RECORD_TIME_GRANULARITY_MS &&
          at <= (d.to ?? Number.POSITIVE_INFINITY)),
    );
  }

  /** The `userIdentity` AWS's stream gives the record, for the local stream pollers. */
  readonly userIdentityOf = (record: DynamoDBRecord): DynamoDBRecord['userIdentity'] =>
    this.isTtlRemoval(record) ? { ...TTL_USER_IDENTITY } : undefined;

  private save(): void {
    const oldest = Date.now() - REMEMBER_MS;
    this.deletions = this.deletions.filter((d) => (d.to ?? Number.POSITIVE_INFINITY) >= oldest);
    this.index();
    if (this.file === undefined) return;
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ deletions: this.deletions })}\n`);
    renameSync(temporary, this.file);
  }

  private index(): void {
    this.byKey = new Map();
    for (const d of this.deletions) this.byKey.set(d.key, [...(this.byKey.get(d.key) ?? []), d]);
  }
}

/** A key as one string, its attributes in name order (a stream record's Keys come in any order). */
function keyString(key: Key): string {
  return JSON.stringify(
    Object.keys(key)
      .sort()
      .map((name) => [name, key[name]]),
  );
}

/**
 * The deletions written down by an earlier run. One still in flight when it stopped (killed)
 * ended by the time this run started.
 */
function readDeletions(file: string | undefined): Deletion[] {
  if (file === undefined || !existsSync(file)) return [];
  const now = Date.now();
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { deletions?: unknown };
    if (!Array.isArray(saved.deletions)) return [];
    return (saved.deletions as Partial<Deletion>[])
      .filter((d): d is Deletion => typeof d?.key === 'string' && typeof d.from === 'number')
      .map((d) => ({ key: d.key, from: d.from, to: typeof d.to === 'number' ? d.to : now }));
  } catch (error: unknown) {
    // A torn file: its deletions' records go to the stream readers as plain deletions, and the
    // bucket's backstop (the sweeper) still takes an expired case's archive.
    if (error instanceof SyntaxError) return [];
    throw error;
  }
}

/**
 * Key prefixes of the items whose expiry the code writes on real time, whatever the service's
 * clock does: staff sessions (the workspace's session clock: an idle session lasts half an hour
 * even when `npm start` runs days in minutes), residents' sign-in links (on the service's clock a
 * link kept a day after its fifteen minutes was gone a minute after it was emailed at a day a
 * minute, and opened as a link that does not work) and sign-outs (kept until their session's end
 * on the same clock: on the service's, a copy of a signed-out session's cookie would work again
 * seconds later), Idempotency-Keys (the case store: a client's retry comes in real time),
 * the report counters' records of gone cases (kept against a writer racing in real time) and
 * check your complaint's rate-limit counts (counted on real time, as its links: on the service's
 * clock an address's hour of requests for links was deleted seconds after it was used up, and it
 * could ask again). Intake's counts are on the service's clock, as intake's dates; so they expire
 * on it (on real time they would be kept days or years longer than their window needs). On
 * AWS the two clocks are one; under an accelerated clock these expire on real time, as the code
 * that wrote them reads them, and everything else on the service's clock.
 */
export const REAL_TIME_EXPIRY_PREFIXES = [
  'SESSION#',
  'SIGNIN#',
  'SIGNEDOUT#',
  'IDEMPOTENCY#',
  'REPORTED#',
  'WHO#',
  rateKindPrefix(CHECK_LIMIT_KEY_PREFIX),
] as const;

/** Whether an item of the case table expires on real time (`REAL_TIME_EXPIRY_PREFIXES`). */
export function expiresOnRealTime(key: Key): boolean {
  const pk = key.PK?.S;
  return pk !== undefined && REAL_TIME_EXPIRY_PREFIXES.some((prefix) => pk.startsWith(prefix));
}

export interface TtlOptions {
  client: DynamoDBClient;
  tableName: string;
  /** The runtime's clock: what "now" is for the TTL. */
  now: () => Date;
  /**
   * Items whose expiry is on real time, not on `now` (default: none). Under an accelerated clock
   * `expiresOnRealTime` for the case table.
   */
  onRealTime?: (key: Key) => boolean;
  /** Where deletions are written down for the stream pollers. */
  deletions: TtlDeletions;
  /** Items a Scan page reads at most (default: DynamoDB's 1 MB page). */
  pageSize?: number;
  /** Told of each item deleted. */
  onExpire?: (key: Key) => void;
}

export interface TtlPass {
  /** Keys of the items deleted. */
  deleted: Key[];
  /** Items the scan found expired whose TTL had moved (or gone) by the time of their deletion. */
  kept: number;
}

/** One pass of the TTL over the table: deletes every item whose TTL has passed and still has. */
export async function expireItems(options: TtlOptions): Promise<TtlPass> {
  const { client, tableName } = options;
  const pass: TtlPass = { deleted: [], kept: 0 };
  const setting = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const attribute = setting.TimeToLiveDescription?.AttributeName;
  if (setting.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED' || attribute === undefined) return pass;
  const table = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const keyNames = (table.Table?.KeySchema ?? []).map((k) => k.AttributeName as string);

  const names: Record<string, string> = { '#ttl': attribute };
  for (const [i, name] of keyNames.entries()) names[`#k${i}`] = name;
  // Past, and not too far past; a value of any other type than Number compares false.
  const expired = '#ttl < :now AND #ttl >= :oldest';
  const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
  const window = (now: number) => ({
    ':now': { N: String(now) },
    ':oldest': { N: String(now - TTL_MAX_AGE_SECONDS) },
  });
  /** Now, in epoch seconds, on the clock the item's expiry is written on. */
  const nowFor = (key: Key) => seconds(options.onRealTime?.(key) ? new Date() : options.now());

  let startKey: Key | undefined;
  do {
    // Whatever has passed on either clock; each item is then held to its own.
    const service = seconds(options.now());
    const real = seconds(new Date());
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: expired,
        ProjectionExpression: Object.keys(names).join(', '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: {
          ':now': { N: String(Math.max(service, real)) },
          ':oldest': { N: String(Math.min(service, real) - TTL_MAX_AGE_SECONDS) },
        },
        ExclusiveStartKey: startKey,
        ...(options.pageSize === undefined ? {} : { Limit: options.pageSize }),
      }),
    );
    const keys = (page.Items ?? [])
      .filter((item) => {
        const key = keyOf(item, keyNames);
        const now = nowFor(key);
        const ttl = Number(item[attribute]?.N);
        return ttl < now && ttl >= now - TTL_MAX_AGE_SECONDS;
      })
      .map((item) => keyOf(item, keyNames));
    if (keys.length > 0) {
      options.deletions.begin(keys);
      // What the stream may hold a REMOVE of: the items deleted, and one whose DeleteItem failed
      // without an answer (it may have gone through).
      const removed: Key[] = [];
      try {
        for (const key of keys) {
          const outcome = await deleteIfExpired(options, attribute, key, expired, window(nowFor(key))).catch(
            (error: unknown) => {
              removed.push(key);
              throw error;
            },
          );
          if (outcome) {
            removed.push(key);
            pass.deleted.push(key);
            options.onExpire?.(key);
          } else {
            pass.kept++;
          }
        }
      } finally {
        options.deletions.end(removed);
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return pass;
}

/** The key of a scanned item. */
function keyOf(item: Key, keyNames: readonly string[]): Key {
  return Object.fromEntries(keyNames.map((n) => [n, item[n]])) as Key;
}

/** Deletes the item if its TTL is still past now; false when it is not (moved, taken off, or the item gone). */
async function deleteIfExpired(
  options: TtlOptions,
  attribute: string,
  key: Key,
  expired: string,
  values: Record<string, AttributeValue>,
): Promise<boolean> {
  try {
    await options.client.send(
      new DeleteItemCommand({
        TableName: options.tableName,
        Key: key,
        ConditionExpression: expired,
        ExpressionAttributeNames: { '#ttl': attribute },
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (error: unknown) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

export interface RunningTtl {
  /** Runs a pass now (after any pass in progress). */
  runNow(): Promise<void>;
  /** Stops the schedule and waits for a pass in progress. */
  stop(): Promise<void>;
}

/**
 * Runs a pass every `everyMs` of the runtime's clock (at least `minRealMs` of real time apart),
 * as DynamoDB's background process goes over a table. A failed pass (DynamoDB Local down, say) is
 * reported and the next one comes on time.
 */
export function startTtl(
  options: TtlOptions & {
    clock: Clock;
    scale: number;
    everyMs: number;
    minRealMs?: number;
    onError?: (error: unknown) => void;
  },
): RunningTtl {
  return startSchedule({
    clock: options.clock,
    scale: options.scale,
    everyMs: options.everyMs,
    minRealMs: options.minRealMs,
    run: async () => {
      await expireItems(options);
    },
    onError: options.onError,
  });
}
