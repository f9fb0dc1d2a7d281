// The counters adapter as the version that kept day items on 32 shards deployed it (83a0f92),
// verbatim but for import paths and the class's name: the tests of the 64-shard layout run it
// against the same table, as a deploy rolled back (or not yet rolled out) would.
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
import { backoff } from '../../functions/adapters/backoff.js';
import { caseKey } from '../../functions/adapters/case-table.js';
import { defaultDocumentClient } from '../../functions/adapters/dynamodb-case-store.js';
import { AdapterError, retryableErrorFor } from '../../functions/adapters/errors.js';
import type { CaseContribution } from '../../functions/reports/compute.js';
import {
  type CountedFigures,
  CountersMovedOnError,
  type Counting,
  contributionChange,
  GONE_VERSION,
  type ReportCounterStore,
  repeatContactIn,
  type SettleOutcome,
  sameContribution,
} from '../../functions/reports/counted.js';
import type { Period } from '../../functions/reports/period.js';

/**
 * The public report's counters in the case table (`ReportCounterStore`). Items (PK / SK):
 * - `REPORT#<generation>#<shard>` / `D<YYYY-MM-DD>#<family>` — the sum of the contributions of
 *   the cases received that London day whose id hashes to the shard, one attribute per count: a
 *   report adds up the days of its period, one Query per shard. A day's counts are split into
 *   families (the plain counts, the clocks by service, the Code's clocks with the durations, staff
 *   named; `counterFamily`) so each item stays a few hundred bytes and a write costs one or two
 *   write units.
 *   `COUNTER_SHARDS` partitions take 1,000 intakes a second and the changes of the cases they
 *   become at well under a partition's 1,000 write units a second each. No month items: the
 *   version before kept each change under its month too (`M<YYYY-MM>#<family>`), which doubled
 *   the items of every counting transaction; a year read from its days costs about a third more
 *   read units, once per period and container every `PUBLIC_REPORT_CACHE_MS`. The month items
 *   that version left are never read (`LAYOUT`).
 * - `REPORT#<generation>` / `BUILT` — every case from before the generation has been counted
 *   into it (the backfill). A generation is named `<basis>.<n>`; `<basis>` alone is the one
 *   generation counters had before generations.
 * - `REPORT#ACTIVE` / `ACTIVE` — the generation the stream counts into: its basis and layout
 *   (`basis`, `<basis>/days`) and number (`generation`), which only grows. A stream batch under
 *   another basis, or a backfill, moves it on to a new generation that starts from nothing
 *   (`ReportCounterStore`); conditional on the generation read, so two writers cannot both move
 *   it to the same number. A generation of this basis the version before kept (`basis` alone)
 *   is taken over as it is (`LAYOUT`).
 * - `REPORTED#<caseId>` / `REPORTED` — what the counters hold for the case: the generation
 *   (`basis`, its name, and `generation`) it was counted into, the case version, the day, the
 *   counts and the complainant's digest; `rev` moves with every write, the
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
/**
 * The layout of the counters, named on `ACTIVE` after the basis (`<basis>/days`): day items
 * alone. The version before kept month items beside the days and read whole months from them; it
 * named `ACTIVE` with the basis alone, and reads or counts only under that name. So:
 * - upgrading, this version takes over that version's generation as it stands (no new
 *   generation, no backfill): its day items hold every count, the months are only left unread;
 * - once taken over, the version before sees another basis on `ACTIVE`: its report reads cases,
 *   never months this version stopped keeping, and its backfill cannot mark the generation built;
 *   rolled back, its stream moves on to a new generation and its report reads cases until
 *   `reports:count`; back again, this version takes that generation over in turn.
 */
const LAYOUT = 'days';
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
  /** The name of the generation counted into (`generationName`). */
  basis: string;
  /** Its number; absent on records from before generations (the basis's first counters). */
  generation?: number;
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

/**
 * The item family a count is kept in (see the module comment). Counts that a case's changes move
 * together share an item, since each item a counting transaction touches costs two write units
 * at least: a clock's acknowledgement and response marks (an acknowledgement moves both when the
 * response is due from it), and the Code's marks with the working days taken. Which item holds a
 * count changes no figure (a report adds up every item of its days), so the counters written
 * with other families read the same.
 */
export function counterFamily(key: string): string {
  const parts = key.split('|');
  // A clock's counts by service: each item holds one service's marks of both clocks by
  // directorate and channel, a few kilobytes at most however many cases a day brings.
  if (parts[0] === 'clock') return [parts[0], parts[2], parts[4]].join('|');
  if (parts[0] === 'code' || parts[0] === 'days') return 'code-days';
  if (parts[0] === 'staff') return 'staff';
  return 'counts';
}

const reportedKey = (caseId: string) => ({ PK: `REPORTED#${caseId}`, SK: 'REPORTED' });
const whoKey = (digest: string) => ({ PK: `WHO#${digest}`, SK: 'WHO' });
const repeatKey = (digest: string) => ({ PK: `REPEAT#${fnv(digest) % REPEAT_SHARDS}`, SK: digest });
const KEY_ATTRIBUTES = new Set(['PK', 'SK']);
/** The sort key prefix of a day's counters (`D<YYYY-MM-DD>#<family>`). */
const DAY = 'D';
const ACTIVE_KEY = { PK: 'REPORT#ACTIVE', SK: 'ACTIVE' };

/** A generation of the counters: the basis it counts under, and its number. */
interface Generation {
  basis: string;
  generation: number;
}

/** `ACTIVE` as stored: `basis` names the basis and layout (`<basis>/days`; the basis alone before `LAYOUT`). */
interface Active {
  basis: string;
  generation: number;
}

/** How a generation's items are named: the basis alone for the counters from before generations. */
function generationName(g: Generation): string {
  return g.generation === 0 ? g.basis : `${g.basis}.${g.generation}`;
}

/** The partition of one shard of a generation's counters. */
function counterShard(g: Generation, shard: number): string {
  return `REPORT#${generationName(g)}#${shard}`;
}

/** Writers moving the stream's generation on at the same moment: attempts before giving up. */
const MOVE_ATTEMPTS = 5;

export interface DynamoDbReportCountersOptions {
  tableName: string;
  /** `countingBasis(policy)`: the counters of this policy and calendar. */
  basis: string;
  client?: DynamoDBDocumentClient;
  now?: () => Date;
}

export class DayReportCounters implements ReportCounterStore {
  private readonly tableName: string;
  private readonly basis: string;
  /** How `ACTIVE` names this basis with this layout. */
  private readonly laidOut: string;
  private readonly client: DynamoDBDocumentClient;
  private readonly now: () => Date;

  constructor(options: DynamoDbReportCountersOptions) {
    this.tableName = options.tableName;
    this.basis = options.basis;
    this.laidOut = `${options.basis}/${LAYOUT}`;
    this.client = options.client ?? defaultDocumentClient();
    this.now = options.now ?? (() => new Date());
  }

  /** When the record of something gone expires (epoch seconds). */
  private goneAt(): number {
    return Math.floor(this.now().getTime() / 1000) + GONE_KEPT_SECONDS;
  }

  private counterPartition(g: Generation, caseId: string): string {
    return counterShard(g, fnv(caseId) % COUNTER_SHARDS);
  }

  /** The generation the stream counts into; undefined before the stream first said (`ACTIVE`). */
  private async active(): Promise<Active | undefined> {
    const result = await this.call('active', () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: ACTIVE_KEY, ConsistentRead: true })),
    );
    const item = result.Item;
    return item ? { basis: String(item.basis), generation: Number(item.generation) } : undefined;
  }

  /**
   * Moves the stream on to a new generation of this basis, from `read` (what `active` found);
   * undefined when another writer moved it first. A table whose counters came before generations
   * starts at 1 (what its old counters missed, a rollback before generations, is not known), and
   * its old counters' `BUILT` goes in the same write: the version before generations, were the
   * deploy rolled back, reads cases rather than counters this version no longer keeps.
   */
  private async moveOn(read: Active | undefined): Promise<Generation | undefined> {
    const next = { basis: this.basis, generation: (read?.generation ?? 0) + 1 };
    const mark = {
      TableName: this.tableName,
      Item: { ...ACTIVE_KEY, basis: this.laidOut, generation: next.generation, at: this.now().toISOString() },
      ConditionExpression: read ? '#generation = :read' : 'attribute_not_exists(PK)',
      ...(read
        ? {
            ExpressionAttributeNames: { '#generation': 'generation' },
            ExpressionAttributeValues: { ':read': read.generation },
          }
        : {}),
    };
    try {
      if (read) {
        await this.client.send(new PutCommand(mark));
      } else {
        const legacy = this.builtKey({ basis: this.basis, generation: 0 });
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [{ Put: mark }, { Delete: { TableName: this.tableName, Key: legacy } }],
          }),
        );
      }
      return next;
    } catch (error: unknown) {
      // Another writer moved it first (or was moving it): `counting` and `rebuilding` read again.
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return undefined;
      if (isConflict(error)) return undefined;
      throw this.mapError('active', error);
    }
  }

  /**
   * The generation `ACTIVE` names when it is of this basis, in this layout or the one before
   * (whose day items hold every count too: only its month items are not read); else undefined.
   */
  private ofThisBasis(read: Active | undefined): Generation | undefined {
    if (read === undefined || (read.basis !== this.laidOut && read.basis !== this.basis)) return undefined;
    return { basis: this.basis, generation: read.generation };
  }

  /**
   * Takes over a generation of this basis that the version before counts into (`LAYOUT`): names
   * it in this layout on `ACTIVE`, conditional on its name and number as read, before this
   * version writes a change into it without its month. Undefined when another writer moved
   * `ACTIVE` meanwhile (`counting` reads again).
   */
  private async takeOver(read: Active): Promise<Generation | undefined> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: ACTIVE_KEY,
          UpdateExpression: 'SET basis = :laidOut, #at = :at',
          ConditionExpression: 'basis = :read AND #generation = :generation',
          ExpressionAttributeNames: { '#generation': 'generation', '#at': 'at' },
          ExpressionAttributeValues: {
            ':laidOut': this.laidOut,
            ':at': this.now().toISOString(),
            ':read': read.basis,
            ':generation': read.generation,
          },
        }),
      );
      return { basis: this.basis, generation: read.generation };
    } catch (error: unknown) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return undefined;
      throw this.mapError('active', error);
    }
  }

  /** Another writer keeps moving the generation on (two deployments fighting): the caller retries later. */
  private stillMoving(): never {
    throw new CountersMovedOnError('report counters: the generation kept moving on; try again');
  }

  async counting(): Promise<Counting> {
    for (let attempt = 1; attempt <= MOVE_ATTEMPTS; attempt++) {
      const read = await this.active();
      const g =
        read?.basis === this.laidOut
          ? this.ofThisBasis(read)
          : read?.basis === this.basis
            ? await this.takeOver(read)
            : await this.moveOn(read);
      if (g) return { settle: (caseId, version, next) => this.settle(g, caseId, version, next) };
    }
    return this.stillMoving();
  }

  async rebuilding(): Promise<Counting & { markBuilt(): Promise<void> }> {
    for (let attempt = 1; attempt <= MOVE_ATTEMPTS; attempt++) {
      const g = await this.moveOn(await this.active());
      if (g) {
        return {
          settle: (caseId, version, next) => this.settle(g, caseId, version, next),
          markBuilt: () => this.markBuilt(g),
        };
      }
    }
    return this.stillMoving();
  }

  private async settle(
    g: Generation,
    caseId: string,
    version: number,
    next: CaseContribution | undefined,
  ): Promise<SettleOutcome> {
    const name = generationName(g);
    for (let attempt = 1; ; attempt++) {
      const reported = await this.reported(caseId);
      // Counted into a newer generation already: this writer's is one nobody reads any more.
      if (reported && (reported.generation ?? 0) > g.generation) {
        throw new CountersMovedOnError(`report counters: ${name} was left for a newer generation`);
      }
      if (reported && reported.version > version) {
        // A newer version counted into another generation says nothing of this one's: the
        // caller counts the case as it is now (`countCase`).
        return (reported.generation ?? 0) === g.generation ? 'superseded' : 'behind';
      }
      const counted = countedUnder(reported, name);
      if (reported?.basis === name && sameContribution(counted, next)) {
        // Counted already; the complainant's copy may not have followed (a crash in between).
        await this.syncPending(caseId, reported.rev, pendingRepeats(reported));
        return 'unchanged';
      }
      let written: { rev: number; pending: string[] };
      try {
        written = await this.write(g, caseId, version, reported, counted, next);
      } catch (error: unknown) {
        if (isConflict(error) && attempt < SETTLE_ATTEMPTS) {
          // Another writer of this case, or of the same day's counters: wait a little, jittered, and read again.
          await backoff(attempt);
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
    g: Generation,
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
            basis: generationName(g),
            generation: g.generation,
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
    const partition = this.counterPartition(g, caseId);
    for (const [day, counts] of contributionChange(counted, next)) {
      const families = new Map<string, [string, number][]>();
      for (const [key, n] of Object.entries(counts)) {
        const family = counterFamily(key);
        families.set(family, [...(families.get(family) ?? []), [key, n]]);
      }
      for (const [family, entries] of families) {
        items.push({
          Update: {
            TableName: this.tableName,
            Key: { PK: partition, SK: `${DAY}${day}#${family}` },
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

  /**
   * The generation a report of this basis reads: the one the stream counts into, when it is of
   * this basis and built. Never the counters from before generations (what they missed is not
   * known): until the stream or a backfill names a generation, the report reads cases. Both
   * reads strongly consistent: a generation just left is never read. A generation the version
   * before `LAYOUT` keeps is read from its days like any other, before the stream takes it over.
   */
  private async builtGeneration(): Promise<Generation | undefined> {
    const g = this.ofThisBasis(await this.active());
    if (g === undefined) return undefined;
    const built = await this.call('built', () =>
      this.client.send(
        new GetCommand({ TableName: this.tableName, Key: this.builtKey(g), ConsistentRead: true }),
      ),
    );
    return built.Item === undefined ? undefined : g;
  }

  async built(): Promise<boolean> {
    return (await this.builtGeneration()) !== undefined;
  }

  private builtKey(g: Generation) {
    return { PK: `REPORT#${generationName(g)}`, SK: 'BUILT' };
  }

  async figures(period: Period): Promise<CountedFigures | undefined> {
    const g = await this.builtGeneration();
    if (g === undefined) return undefined;
    const figures = new Map<string, number>();
    const repeaters: string[][] = [];
    await Promise.all([
      ...Array.from({ length: COUNTER_SHARDS }, async (_, shard) => {
        for await (const item of this.query({
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': counterShard(g, shard),
            ':from': `${DAY}${period.from}#`,
            ':to': `${DAY}${period.to}#\uffff`,
          },
        })) {
          for (const [key, n] of Object.entries(item)) {
            if (KEY_ATTRIBUTES.has(key) || typeof n !== 'number') continue;
            figures.set(key, (figures.get(key) ?? 0) + n);
          }
        }
      }),
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

  /** Built, unless the stream moved on from the generation meanwhile (then the backfill is for nothing). */
  private async markBuilt(g: Generation): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.markBuiltOnce(g);
        return;
      } catch (error: unknown) {
        const reasons = cancellationReasons(error);
        if (reasons.includes('ConditionalCheckFailed')) {
          throw new CountersMovedOnError(
            `report counters: the stream left ${generationName(g)} before it was built`,
          );
        }
        // Another transaction on the same item at the same moment: the condition was not judged.
        if (!isConflict(error) || attempt >= SETTLE_ATTEMPTS) throw this.mapError('markBuilt', error);
        await backoff(attempt);
      }
    }
  }

  private async markBuiltOnce(g: Generation): Promise<void> {
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.tableName, Item: { ...this.builtKey(g), at: this.now().toISOString() } } },
          {
            ConditionCheck: {
              TableName: this.tableName,
              Key: ACTIVE_KEY,
              ConditionExpression: 'basis = :basis AND #generation = :generation',
              ExpressionAttributeNames: { '#generation': 'generation' },
              ExpressionAttributeValues: { ':basis': this.laidOut, ':generation': g.generation },
            },
          },
        ],
      }),
    );
  }

  /**
   * Every case in the table, and every case the counters hold a record of that is gone without
   * their having heard (its removal given up on by the stream): settled gone, its complainant's
   * days let go of it. A strongly consistent scan: a case written just before a backfill began
   * is in it. A case with both is listed once.
   */
  async *caseIds(): AsyncIterable<string> {
    const listed = new Set<string>();
    let start: Item | undefined;
    do {
      const page = await this.call('caseIds', () =>
        this.client.send(
          new ScanCommand({
            TableName: this.tableName,
            ConsistentRead: true,
            FilterExpression: 'SK = :case OR (SK = :reported AND #version < :gone)',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: {
              ':case': caseKey('').SK,
              ':reported': reportedKey('').SK,
              ':gone': GONE_VERSION,
            },
            ProjectionExpression: 'PK',
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        const pk = String(item.PK);
        const reported = reportedKey('').PK;
        const caseId = pk.startsWith(reported) ? pk.slice(reported.length) : pk.slice(caseKey('').PK.length);
        if (listed.has(caseId)) continue;
        listed.add(caseId);
        yield caseId;
      }
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

/** The contribution the counters of generation `name` hold for a case (none in another). */
function countedUnder(reported: Reported | undefined, name: string): CaseContribution | undefined {
  if (reported === undefined || reported.basis !== name || reported.receivedOn === undefined)
    return undefined;
  return {
    receivedOn: reported.receivedOn,
    counts: reported.counts ?? {},
    ...(reported.complainant ? { complainant: reported.complainant } : {}),
  };
}

/** Another writer of the same case got there first: read again and retry. */
function isConflict(error: unknown): boolean {
  const reasons = cancellationReasons(error);
  return (
    reasons.length > 0 &&
    reasons.every(
      (code) => code === 'None' || code === 'ConditionalCheckFailed' || code === 'TransactionConflict',
    )
  );
}

/** Why each item of a cancelled transaction was cancelled (none for any other error). */
function cancellationReasons(error: unknown): string[] {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return [];
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((r) => r.Code ?? 'None');
}
