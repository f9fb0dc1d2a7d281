// The counters adapter as the version before generations deployed it (9ac4b76), verbatim but for import paths:
// the tests of generations run it against the same table, as a deploy rolled back would.
// biome-ignore-all lint: a verbatim copy
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { caseKey } from '../../functions/adapters/case-table.js';
import { defaultDocumentClient } from '../../functions/adapters/dynamodb-case-store.js';
import { AdapterError, retryableErrorFor } from '../../functions/adapters/errors.js';
import type { CaseContribution } from '../../functions/reports/compute.js';
import {
  type CountedFigures,
  contributionChange,
  repeatContactIn,
  type SettleOutcome,
  sameContribution,
} from '../../functions/reports/counted.js';
import type { Period } from '../../functions/reports/period.js';
import { periodBuckets } from './period-buckets.js';

/**
 * The public report's counters in the case table (`ReportCounterStore`). Items (PK / SK):
 * - `REPORT#<basis>#<shard>` / `D<YYYY-MM-DD>#<family>` and `M<YYYY-MM>#<family>` — the sum of the
 *   contributions of the cases received that London day (or month) whose id hashes to the shard,
 *   one attribute per count: a report reads its whole months from the months, the rest from the
 *   days (`periodBuckets`). A day's
 *   counts are split into families (the plain counts, each clock by service, the Code's clocks,
 *   durations, staff named) so each item stays a few hundred bytes and a write costs one
 *   or two write units. `COUNTER_SHARDS` partitions take 1,000 intakes a second and the changes of
 *   the cases they become at well under a partition's 1,000 write units a second each; a report
 *   is one to three Queries per shard (days before, months, days after).
 * - `REPORT#<basis>` / `BUILT` — every case from before the counters has been counted (the backfill).
 * - `REPORTED#<caseId>` / `REPORTED` — what the counters hold for the case: the basis, the case
 *   version, the day, the counts and the complainant's digest; `rev` moves with every write, the
 *   condition that makes two writers of one case take turns; `repeatPending`, the complainants
 *   whose `REPEAT` copy a write has yet to bring in step. Kept for a week once the case is gone.
 * - `WHO#<digest>` / `WHO` — the day of each case of one complainant (`c#<caseId>`), and `rev`;
 *   expiring a week after their last case went.
 * - `REPEAT#<shard>` / `<digest>` — a copy of the days of a complainant with two cases or more,
 *   kept in step with `WHO` by its `rev`: repeat contact reads only these few.
 * None of these names a resident; the digest is the one the case's own indexes already use.
 */

/** Partitions of each basis's day counters. */
export const COUNTER_SHARDS = 32;
/** Partitions of the repeat complainants. */
export const REPEAT_SHARDS = 8;
/** How long the record of a gone case is kept, against a writer that read it before it went. */
const GONE_KEPT_SECONDS = 7 * 86_400;
/** Writers of one case taking turns: attempts before giving up (the stream retries the record). */
const SETTLE_ATTEMPTS = 8;

/** Any failure of the counters other than throttling or an AWS outage. */
export class ReportCountersError extends AdapterError {
  override name = 'ReportCountersError';
}

type Item = Record<string, unknown>;
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

interface Reported {
  basis: string;
  version: number;
  rev: number;
  receivedOn?: string;
  counts?: Record<string, number>;
  complainant?: string;
  /** Complainants whose `REPEAT` copy may not yet follow their `WHO` item: a write's, until synced. */
  repeatPending?: string[];
}

/**
 * The complainants a case's record leaves to bring in step. A record written before the list
 * existed says nothing either way: its complainant is synced once, to be sure.
 */
function pendingRepeats(reported: Reported | undefined): string[] {
  if (reported === undefined) return [];
  return reported.repeatPending ?? (reported.complainant ? [reported.complainant] : []);
}

/** FNV-1a of a string, for shards that stay put for the life of a case or a complainant. */
function fnv(value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The item family a count is kept in (see the module comment). */
export function counterFamily(key: string): string {
  const parts = key.split('|');
  // A clock's counts by service: each item holds one service's marks by directorate and channel,
  // a kilobyte or two however many cases a day brings.
  if (parts[0] === 'clock') return [parts[0], parts[1], parts[2], parts[4]].join('|');
  if (parts[0] === 'code' || parts[0] === 'days' || parts[0] === 'staff') return parts[0];
  return 'counts';
}

const reportedKey = (caseId: string) => ({ PK: `REPORTED#${caseId}`, SK: 'REPORTED' });
const whoKey = (digest: string) => ({ PK: `WHO#${digest}`, SK: 'WHO' });
const repeatKey = (digest: string) => ({ PK: `REPEAT#${fnv(digest) % REPEAT_SHARDS}`, SK: digest });
const KEY_ATTRIBUTES = new Set(['PK', 'SK']);

export interface DynamoDbReportCountersOptions {
  tableName: string;
  /** `countingBasis(policy)`: the counters of this policy and calendar. */
  basis: string;
  client?: DynamoDBDocumentClient;
  now?: () => Date;
}

export class PreviousReportCounters {
  private readonly tableName: string;
  private readonly basis: string;
  private readonly client: DynamoDBDocumentClient;
  private readonly now: () => Date;

  constructor(options: DynamoDbReportCountersOptions) {
    this.tableName = options.tableName;
    this.basis = options.basis;
    this.client = options.client ?? defaultDocumentClient();
    this.now = options.now ?? (() => new Date());
  }

  /** When the record of something gone expires (epoch seconds). */
  private goneAt(): number {
    return Math.floor(this.now().getTime() / 1000) + GONE_KEPT_SECONDS;
  }

  private counterPartition(caseId: string): string {
    return `REPORT#${this.basis}#${fnv(caseId) % COUNTER_SHARDS}`;
  }

  async settle(caseId: string, version: number, next: CaseContribution | undefined): Promise<SettleOutcome> {
    for (let attempt = 1; ; attempt++) {
      const reported = await this.reported(caseId);
      if (reported && reported.version > version) return 'superseded';
      const counted = countedUnder(reported, this.basis);
      if (reported?.basis === this.basis && sameContribution(counted, next)) {
        // Counted already; the complainant's copy may not have followed (a crash in between).
        await this.syncPending(caseId, reported.rev, pendingRepeats(reported));
        return 'unchanged';
      }
      let written: { rev: number; pending: string[] };
      try {
        written = await this.write(caseId, version, reported, counted, next);
      } catch (error: unknown) {
        if (isConflict(error) && attempt < SETTLE_ATTEMPTS) {
          // Another writer of this case, or of the same day's counters: wait a little, jittered, and read again.
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * attempt));
          continue;
        }
        throw this.mapError('settle', error);
      }
      await this.syncPending(caseId, written.rev, written.pending);
      return 'changed';
    }
  }

  /**
   * Brings the copies of the complainants a write of the case's record left pending in step
   * (`repeatPending`), then records that none is: a settle that finds nothing pending reads no
   * complainant. Cleared only at the revision that was synced: a writer since has read the list
   * and carried it forward in its own write.
   */
  private async syncPending(caseId: string, rev: number, pending: string[]): Promise<void> {
    if (pending.length === 0) return;
    await Promise.all(pending.map((digest) => this.syncRepeat(digest)));
    // Not cleared if the record moved on: its writer carried the list forward.
    await this.unlessOvertaken(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: reportedKey(caseId),
          UpdateExpression: 'SET repeatPending = :none',
          ConditionExpression: '#rev = :rev',
          ExpressionAttributeNames: { '#rev': 'rev' },
          ExpressionAttributeValues: { ':none': [], ':rev': rev },
        }),
      ),
    );
  }

  /**
   * A conditional write whose failed condition means another writer got there first, which leaves
   * nothing to do; any other failure is the settle's.
   */
  private async unlessOvertaken(write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error: unknown) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return;
      throw this.mapError('settle', error);
    }
  }

  private async reported(caseId: string): Promise<Reported | undefined> {
    const result = await this.call('settle', () =>
      this.client.send(
        new GetCommand({ TableName: this.tableName, Key: reportedKey(caseId), ConsistentRead: true }),
      ),
    );
    return result.Item as Reported | undefined;
  }

  /**
   * One transaction: the case's record, the counters moved by the difference, its complainant's
   * days. Returns the record's new revision and the complainants whose copies it left behind:
   * those whose days it changed, and any an earlier write left pending.
   */
  private async write(
    caseId: string,
    version: number,
    reported: Reported | undefined,
    counted: CaseContribution | undefined,
    next: CaseContribution | undefined,
  ): Promise<{ rev: number; pending: string[] }> {
    // The complainant's days follow the case whatever the basis (they do not depend on the policy).
    const was =
      reported?.complainant && reported.receivedOn
        ? { digest: reported.complainant, day: reported.receivedOn }
        : undefined;
    const is = next?.complainant ? { digest: next.complainant, day: next.receivedOn } : undefined;
    const whoChanges: TransactItem[] = [];
    const pending = new Set(pendingRepeats(reported));
    if (was && was.digest !== is?.digest) {
      whoChanges.push(this.whoChange(was.digest, caseId, undefined));
      pending.add(was.digest);
    }
    if (is && (is.digest !== was?.digest || is.day !== was.day)) {
      whoChanges.push(this.whoChange(is.digest, caseId, is.day));
      pending.add(is.digest);
    }
    const rev = (reported?.rev ?? 0) + 1;
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...reportedKey(caseId),
            basis: this.basis,
            version,
            rev,
            repeatPending: [...pending],
            ...(next
              ? {
                  receivedOn: next.receivedOn,
                  counts: next.counts,
                  ...(next.complainant ? { complainant: next.complainant } : {}),
                }
              : { expiresAt: this.goneAt() }),
          },
          ConditionExpression: reported === undefined ? 'attribute_not_exists(PK)' : '#rev = :rev',
          ...(reported === undefined
            ? {}
            : {
                ExpressionAttributeNames: { '#rev': 'rev' },
                ExpressionAttributeValues: { ':rev': reported.rev },
              }),
        },
      },
    ];
    const partition = this.counterPartition(caseId);
    for (const [bucket, counts] of dayAndMonthChanges(contributionChange(counted, next))) {
      const families = new Map<string, [string, number][]>();
      for (const [key, n] of Object.entries(counts)) {
        const family = counterFamily(key);
        families.set(family, [...(families.get(family) ?? []), [key, n]]);
      }
      for (const [family, entries] of families) {
        items.push({
          Update: {
            TableName: this.tableName,
            Key: { PK: partition, SK: `${bucket}#${family}` },
            UpdateExpression: `ADD ${entries.map((_, i) => `#k${i} :v${i}`).join(', ')}`,
            ExpressionAttributeNames: Object.fromEntries(entries.map(([key], i) => [`#k${i}`, key])),
            ExpressionAttributeValues: Object.fromEntries(entries.map(([, n], i) => [`:v${i}`, n])),
          },
        });
      }
    }
    items.push(...whoChanges);
    await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    return { rev, pending: [...pending] };
  }

  /** One case's day on its complainant's item (`c#<caseId>`), set or removed; `rev` moves on. */
  private whoChange(digest: string, caseId: string, day: string | undefined): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: whoKey(digest),
        // A complainant with a case again is kept (an expiry set when they had none goes).
        UpdateExpression:
          day === undefined
            ? 'REMOVE #case ADD #rev :one'
            : 'SET #case = :day REMOVE expiresAt ADD #rev :one',
        ExpressionAttributeNames: { '#case': `c#${caseId}`, '#rev': 'rev' },
        ExpressionAttributeValues: { ':one': 1, ...(day === undefined ? {} : { ':day': day }) },
      },
    };
  }

  /**
   * Brings a complainant's `REPEAT` copy in step with their `WHO` item: written once they have two
   * cases, then kept (with fewer days if cases go) so that an older copy can never come back over
   * a newer one. Idempotent: run again after a crash, it writes the same thing or nothing.
   */
  private async syncRepeat(digest: string | undefined): Promise<void> {
    if (!digest) return;
    // Read first, write only when the copy is behind: most settles change no complainant, and a
    // conditional write that fails still costs a write unit on the repeat partition.
    const [who, copy] = await Promise.all(
      [whoKey(digest), repeatKey(digest)].map((Key) =>
        this.call('settle', () =>
          this.client.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true })),
        ),
      ),
    );
    const rev = Number(who?.Item?.rev ?? 0);
    const copyRev = copy?.Item === undefined ? undefined : Number(copy.Item.rev ?? 0);
    const days = Object.entries(who?.Item ?? {})
      .filter(([name]) => name.startsWith('c#'))
      .map(([, day]) => String(day))
      .sort();
    // A complainant with no case left (erased, expired) leaves nothing behind: both items expire
    // a week on, unless a case of theirs comes back meanwhile (which removes the expiry).
    const gone = days.length === 0 ? { expiresAt: this.goneAt() } : {};
    if (days.length === 0 && who?.Item !== undefined && who.Item.expiresAt === undefined) {
      // Overtaken when a case of theirs came in meanwhile: it is kept.
      await this.unlessOvertaken(() =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: whoKey(digest),
            UpdateExpression: 'SET expiresAt = :at',
            ConditionExpression: '#rev = :rev',
            ExpressionAttributeNames: { '#rev': 'rev' },
            ExpressionAttributeValues: { ':at': gone.expiresAt, ':rev': rev },
          }),
        ),
      );
    }
    const behind = copyRev === undefined ? days.length >= 2 : copyRev < rev;
    if (!behind) return;
    // Overtaken when the copy is newer already, or when one case was never a repeat.
    await this.unlessOvertaken(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...repeatKey(digest), days, rev, ...gone },
          ConditionExpression:
            days.length >= 2
              ? 'attribute_not_exists(PK) OR #rev < :rev'
              : 'attribute_exists(PK) AND #rev < :rev',
          ExpressionAttributeNames: { '#rev': 'rev' },
          ExpressionAttributeValues: { ':rev': rev },
        }),
      ),
    );
  }

  async built(): Promise<boolean> {
    const built = await this.call('built', () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: this.builtKey() })),
    );
    return built.Item !== undefined;
  }

  private builtKey() {
    return { PK: `REPORT#${this.basis}`, SK: 'BUILT' };
  }

  async figures(period: Period): Promise<CountedFigures | undefined> {
    if (!(await this.built())) return undefined;
    const figures = new Map<string, number>();
    const repeaters: string[][] = [];
    const { days, months } = periodBuckets(period);
    const ranges = [
      ...days.map((d) => [`D${d.from}#`, `D${d.to}#\uffff`]),
      ...(months ? [[`M${months.from}#`, `M${months.to}#\uffff`]] : []),
    ];
    await Promise.all([
      ...Array.from({ length: COUNTER_SHARDS }).flatMap((_, shard) =>
        ranges.map(async ([from, to]) => {
          for await (const item of this.query({
            KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': `REPORT#${this.basis}#${shard}`, ':from': from, ':to': to },
          })) {
            for (const [key, n] of Object.entries(item)) {
              if (KEY_ATTRIBUTES.has(key) || typeof n !== 'number') continue;
              figures.set(key, (figures.get(key) ?? 0) + n);
            }
          }
        }),
      ),
      ...Array.from({ length: REPEAT_SHARDS }, async (_, shard) => {
        for await (const item of this.query({
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': `REPEAT#${shard}` },
          ProjectionExpression: '#days',
          ExpressionAttributeNames: { '#days': 'days' },
        })) {
          repeaters.push((item.days as string[] | undefined) ?? []);
        }
      }),
    ]);
    return { figures, repeat: repeatContactIn(period, repeaters) };
  }

  async markBuilt(): Promise<void> {
    await this.call('markBuilt', () =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...this.builtKey(), at: this.now().toISOString() },
        }),
      ),
    );
  }

  async *caseIds(): AsyncIterable<string> {
    let start: Item | undefined;
    do {
      const page = await this.call('caseIds', () =>
        this.client.send(
          new ScanCommand({
            TableName: this.tableName,
            FilterExpression: 'SK = :case',
            ExpressionAttributeValues: { ':case': caseKey('').SK },
            ProjectionExpression: 'PK',
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      for (const item of page.Items ?? []) yield String(item.PK).slice(caseKey('').PK.length);
      start = page.LastEvaluatedKey;
    } while (start);
  }

  private async *query(input: {
    KeyConditionExpression: string;
    ExpressionAttributeValues: Item;
    ProjectionExpression?: string;
    ExpressionAttributeNames?: Record<string, string>;
  }): AsyncIterable<Item> {
    let start: Item | undefined;
    do {
      const page = await this.call('figures', () =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            ...input,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      yield* page.Items ?? [];
      start = page.LastEvaluatedKey;
    } while (start);
  }

  private async call<T>(action: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error: unknown) {
      throw this.mapError(action, error);
    }
  }

  private mapError(action: string, error: unknown): Error {
    if (error instanceof AdapterError) return error;
    const retryable = retryableErrorFor(error, `report counters ${action}`);
    if (retryable !== undefined) return retryable;
    const name = error instanceof Error ? error.name : 'unknown error';
    return new ReportCountersError(`report counters ${action} failed: ${name}`, { cause: error });
  }
}

/** The contribution the counters of `basis` hold for a case (none under another basis). */
function countedUnder(reported: Reported | undefined, basis: string): CaseContribution | undefined {
  if (reported === undefined || reported.basis !== basis || reported.receivedOn === undefined)
    return undefined;
  return {
    receivedOn: reported.receivedOn,
    counts: reported.counts ?? {},
    ...(reported.complainant ? { complainant: reported.complainant } : {}),
  };
}

/**
 * A contribution's change per day as the counters take it: under its day (`D<YYYY-MM-DD>`) and
 * its month (`M<YYYY-MM>`), so a report reads whole months from a twelfth of the items; a case
 * moved within a month changes its month's counts by nothing, and writes none.
 */
function dayAndMonthChanges(
  change: Map<string, Record<string, number>>,
): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  for (const [day, counts] of change) {
    for (const bucket of [`D${day}`, `M${day.slice(0, 7)}`]) {
      const held = out.get(bucket) ?? {};
      for (const [key, n] of Object.entries(counts)) held[key] = (held[key] ?? 0) + n;
      out.set(bucket, held);
    }
  }
  for (const [bucket, counts] of out) {
    for (const key of Object.keys(counts)) if (counts[key] === 0) delete counts[key];
    if (Object.keys(counts).length === 0) out.delete(bucket);
  }
  return out;
}

/** Another writer of the same case got there first: read again and retry. */
function isConflict(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return (
    reasons.length > 0 &&
    reasons.every(
      (r) => r.Code === 'None' || r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict',
    )
  );
}
