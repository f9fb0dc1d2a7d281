import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, AttributeValue as StreamAttributeValue } from 'aws-lambda';
import type { CaseEvent, CaseRecord } from '../domain/case.js';
import { complainantDesignated } from '../domain/designation.js';
import {
  AlreadyDoneError,
  type CaseChange,
  type CaseEraser,
  CaseNotFoundError,
  type CasePage,
  type CaseStore,
  CaseStoreError,
  ConcurrentUpdateError,
  DuplicateCaseError,
  type ExpiredHistorySweeper,
  eventsOf,
  IDEMPOTENCY_KEY_SECONDS,
  type StaffCaseQueries,
} from '../domain/ports.js';
import { retentionEnd } from '../domain/retention.js';
import { caseSearchTerms, MAX_SEARCH_TERMS } from '../domain/search-terms.js';
import { nextDeadline as queueDeadline } from '../domain/staff.js';
import type { CaseKind, IsoTimestamp } from '../domain/types.js';
import { type WorkList, type WorkListEntry, workListChanges, workListEntries } from '../domain/work-lists.js';
import { traceClient } from '../observability.js';
import { backoff } from './backoff.js';
import { packCaseRecord, unpackCaseItem } from './case-item-packing.js';
import {
  addressDesignationKey,
  CASE_INDEX,
  CASE_ITEM_LAYOUT_KEY,
  CASE_SHARDS,
  CASE_TABLE_DESIGN,
  caseIdempotencyKey,
  caseKey,
  complainantPartition,
  counterKey,
  DESIGNATIONS_INDEXED_BY_ADDRESS_KEY,
  DESIGNATIONS_INDEXED_KEY,
  designationKey,
  EVENT_SK_PREFIX,
  eventKey,
  idempotencyKey,
  MAX_OPEN_SHARDS,
  OPEN_LAYOUT_GRACE_MS,
  OPEN_LAYOUT_KEY,
  OPEN_PARTITION,
  OPEN_SHARDS,
  type OpenLayout,
  OUTBOX_ONLY_ATTRIBUTE,
  openPartition,
  openPartitions,
  openShardsToRead,
  openShardsToWrite,
  REFERENCE_PREFIXES,
  receivedPartition,
  receivedPartitions,
  referenceKey,
  sequenceKey,
  servicePartition,
  servicePartitions,
  termKey,
  workListKey,
} from './case-table.js';
import { CASE_TABLE_STORE } from './case-table-store.js';
import { retryableErrorFor, ThrottledError } from './errors.js';

export { CASE_INDEX, CASE_TABLE_DESIGN, createCaseTable, REFERENCE_PREFIXES } from './case-table.js';

/** Years a closed case is kept (South Norfolk Council Complaints Policy, records retention: 2 years; 6 when the ombudsman was involved). */
export interface RetentionYears {
  closed: number;
  ombudsman: number;
}

export interface DynamoDbCaseStoreOptions {
  tableName: string;
  /** Defaults to one client shared by the process, configured from the environment. */
  client?: DynamoDBDocumentClient;
  /** Defaults to 2 and 6 years; pass the policy's `retention` to follow it. */
  retentionYears?: RetentionYears;
  /**
   * How long an Idempotency-Key is remembered; `IDEMPOTENCY_KEY_SECONDS` (a day) by default: less
   * would let a feedback form token outlive its key.
   */
  idempotencyTtlSeconds?: number;
  /** Reference numbers this store takes from the counter at a time; `REFERENCE_BLOCK` by default. */
  referenceBlock?: number;
  /** The clock that says when a raise of the open index's shards reaches writers (`OpenLayout.writeFrom`). */
  now?: () => Date;
}

/**
 * How long a store (one per Lambda container) keeps the open index's layout before it reads it
 * again for its writes: each case write would otherwise read the one item, a hot key at 1,000
 * intakes a second. A store that kept it too long writes among fewer shards than the layout
 * names, all of which every reader reads; a raise reaches writers `OPEN_LAYOUT_GRACE_MS` after it
 * is made, far longer than this.
 */
const OPEN_LAYOUT_KEPT_MS = 60_000;

/**
 * Reference numbers a store (one per Lambda container) takes from a kind's counter at a time.
 * The counter item is then written once per ten intakes, not once per intake: at 1,000 intakes a
 * second, 100 writes a second, a tenth of what one item takes.
 *
 * What it costs a council: numbers are unique but no longer strictly in order of arrival (two
 * containers hand out from two blocks at once), and a container that stops with numbers unused
 * leaves gaps (CMP-2026-000013 may be followed by CMP-2026-000021). A reference only names a case;
 * no count, report or return is read from the numbers (reports count cases), so gaps lose
 * nothing. A council that is asked why a number is missing can say so: numbers are reserved in
 * blocks and some are never issued. A replay (the same Idempotency-Key again) leaves no gap: its
 * number was handed out before the store found the first case, and `create` gives it back.
 */
export const REFERENCE_BLOCK = 10;

/** Statuses in which a case has no running clocks: it leaves the OpenByDeadline index. */
const NOT_OPEN: ReadonlySet<CaseRecord['status']> = new Set(['closed', 'redirected']);
/** Attributes the store keeps on a case item that are not part of the record. */
const STORAGE_ATTRIBUTES = [
  'PK',
  'SK',
  'entity',
  'lastEventSeq',
  // Written on every case item until 2026-12 and never read: items stored before still have it.
  'nextDeadline',
  'expiresAt',
  'GSI1PK',
  'GSI1SK',
  'GSI2PK',
  'GSI2SK',
  'GSI3PK',
  'GSI3SK',
  'GSI4PK',
  'GSI4SK',
  OUTBOX_ONLY_ATTRIBUTE,
] as const;
/** Record fields a change may never touch. */
const IMMUTABLE_FIELDS: ReadonlySet<string> = new Set(['caseId', 'reference', 'version', 'createdAt']);
/** Sorts after any case id: upper bound for `<timestamp>#<caseId>` sort keys. */
const AFTER_ANY_ID = '#\uffff';
/** Index entries whose records are read from the table together (as many as one BatchGetItem takes). */
const RECORD_BATCH = 100;
/** Work-list entries one change may add or remove (a letter written or posted, a designation). */
const MAX_WORK_LIST_CHANGES = 4;
/**
 * Designation items one change may write or delete (moved to a corrected email: both, and the
 * old address's item from before mailboxes).
 */
const MAX_DESIGNATION_CHANGES = 3;
/**
 * A transaction holds at most 100 actions: the case, its event sequence, the new events (two at
 * most: `precedingEvent` and `event`), the reference item, up to `MAX_SEARCH_TERMS` search terms,
 * up to `MAX_WORK_LIST_CHANGES` work-list entries, up to `MAX_DESIGNATION_CHANGES` designation
 * items, the rest for the expiry of earlier events.
 */
const MAX_EVENTS_IN_TRANSACTION = 95 - MAX_SEARCH_TERMS - MAX_WORK_LIST_CHANGES - MAX_DESIGNATION_CHANGES;
/** DynamoDB's limit of actions in one TransactWriteItems. */
const MAX_TRANSACTION_ITEMS = 100;
/**
 * On the sequence item: the first event whose expiry a change of the case's expiry has still to
 * move (those beyond its transaction are moved one by one after it), until they all are.
 */
const EXPIRY_PENDING_ATTRIBUTE = 'expiryPendingFrom';
/** UpdateItems of events' expiry sent at once (a closed case has tens of events). */
const EXPIRY_UPDATES_AT_ONCE = 10;
/** Items read per request of one shard when the queue is filtered (by service, person or stage). */
const FILTERED_READ = 50;
/** Requests one queue page may make: at most 2,000 index items read for a filtered page. */
const MAX_PAGE_REQUESTS = 40;
/**
 * Entries to read per shard for `n` in order: the shards share them about evenly, so a little
 * over a shard's share is usually one round (`mergedIndex` reads on when it is not).
 */
const perShard = (n: number, shards: number) => Math.max(10, Math.ceil((2 * n) / shards));
/** Attempts for writes that lose only to appends (not to another change): they are retried. */
const MAX_WRITE_ATTEMPTS = 12;
const DEFAULT_RETENTION: RetentionYears = { closed: 2, ombudsman: 6 };
/** The key `ping` reads: nothing is ever stored under it. */
const PING_KEY = { PK: 'PING', SK: 'PING' } as const;

type Item = Record<string, unknown>;
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

let sharedClient: DynamoDBDocumentClient | undefined;

/**
 * The process's DynamoDB document client, created on first use from the environment (region,
 * credentials, and `AWS_ENDPOINT_URL_DYNAMODB` for the local stand-in, which the SDK reads itself).
 */
export function defaultDocumentClient(): DynamoDBDocumentClient {
  sharedClient ??= DynamoDBDocumentClient.from(traceClient(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return sharedClient;
}

/**
 * `CaseStore` over one DynamoDB table (see `CASE_TABLE_DESIGN`). Every change is one
 * transaction: the new case item, conditional on the version and event counter read just
 * before, and the event that records it, so history has no gaps and a lost race changes
 * nothing. Nothing here logs: case items hold personal data.
 */
export class DynamoDbCaseStore implements CaseStore, StaffCaseQueries, CaseEraser, ExpiredHistorySweeper {
  readonly [CASE_TABLE_STORE] = true;
  private readonly tableName: string;
  private readonly client: DynamoDBDocumentClient;
  private readonly retention: RetentionYears;
  private readonly idempotencyTtlSeconds: number;
  /** Set once the table says old designations are indexed: it never goes back. */
  private designationsIndexed = false;
  private readonly referenceBlock: number;
  /** Per `<prefix>#<year>`: the reference numbers this store has taken and not yet handed out. */
  private readonly referenceBlocks = new Map<string, { next: number; last: number }>();
  /** Per `<prefix>#<year>`: the block being taken, which every caller waiting for one shares. */
  private readonly takingBlock = new Map<string, Promise<void>>();
  /** References handed out by `nextReference` and not yet settled by `create`. */
  private readonly handedOut = new Set<string>();
  /**
   * Per `<prefix>#<year>`: numbers handed out whose case was never written (a replay found the
   * first case, so nothing of the transaction was stored), handed out again before the block's.
   */
  private readonly givenBack = new Map<string, number[]>();
  private readonly now: () => Date;
  /** Whether case items are stored packed, as last read, and when (`OPEN_LAYOUT_KEPT_MS`). */
  private packingForWrites: { packed: boolean; readAt: number } | undefined;
  /** The open index's layout as last read for writes, and when (`OPEN_LAYOUT_KEPT_MS`). */
  private openLayoutForWrites: { layout: OpenLayout | undefined; readAt: number } | undefined;

  constructor(options: DynamoDbCaseStoreOptions) {
    this.tableName = options.tableName;
    this.client = options.client ?? defaultDocumentClient();
    this.retention = options.retentionYears ?? DEFAULT_RETENTION;
    this.idempotencyTtlSeconds = options.idempotencyTtlSeconds ?? IDEMPOTENCY_KEY_SECONDS;
    this.referenceBlock = Math.max(1, Math.floor(options.referenceBlock ?? REFERENCE_BLOCK));
    this.now = options.now ?? (() => new Date());
  }

  /**
   * The next reference from this store's block of numbers for the kind and year, taking a new
   * block (one atomic ADD on the counter) when it has none left (`REFERENCE_BLOCK`).
   */
  async nextReference(kind: CaseKind, year: number): Promise<string> {
    const prefix = REFERENCE_PREFIXES[kind];
    const key = `${prefix}#${year}`;
    for (;;) {
      const back = this.givenBack.get(key);
      const block = this.referenceBlocks.get(key);
      let value: number | undefined;
      if (back !== undefined && back.length > 0) {
        value = back.shift();
      } else if (block !== undefined && block.next <= block.last) {
        value = block.next;
        block.next += 1;
      }
      if (value !== undefined) {
        const reference = `${prefix}-${year}-${String(value).padStart(6, '0')}`;
        this.handedOut.add(reference);
        return reference;
      }
      let taking = this.takingBlock.get(key);
      if (taking === undefined) {
        taking = this.takeReferenceBlock(prefix, year, key).finally(() => this.takingBlock.delete(key));
        this.takingBlock.set(key, taking);
      }
      await taking;
    }
  }

  /**
   * Takes back a number this store handed out whose case was not written, for the next intake of
   * its kind and year. Only a number still handed out: never one a case holds, nor one of
   * another store, nor one given back already.
   */
  private giveBack(reference: string): void {
    if (!this.handedOut.delete(reference)) return;
    const m = /^(.+)-(\d{4})-(\d+)$/.exec(reference);
    if (!m) return;
    const key = `${m[1]}#${m[2]}`;
    const numbers = this.givenBack.get(key) ?? [];
    numbers.push(Number(m[3]));
    numbers.sort((a, b) => a - b);
    this.givenBack.set(key, numbers);
  }

  private async takeReferenceBlock(prefix: string, year: number, key: string): Promise<void> {
    const result = await this.call('nextReference', () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: counterKey(prefix, year),
          UpdateExpression: 'ADD #value :block SET entity = :entity',
          ExpressionAttributeNames: { '#value': 'value' },
          ExpressionAttributeValues: { ':block': this.referenceBlock, ':entity': 'counter' },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    const last = Number(result.Attributes?.value);
    this.referenceBlocks.set(key, { next: last - this.referenceBlock + 1, last });
  }

  async create(
    record: CaseRecord,
    firstEvent: Omit<CaseEvent, 'caseId' | 'seq'>,
    idempotencyKeyValue?: string,
  ): Promise<{ record: CaseRecord; created: boolean }> {
    const item = this.toItem(record, 1, await this.openShardsForWrites(), await this.packsCaseItems());
    const nowSeconds = Math.floor(Date.now() / 1000);
    const transactItems: TransactItem[] = [
      { Put: { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' } },
      {
        Put: {
          TableName: this.tableName,
          Item: eventItem(record.caseId, 1, firstEvent, item.expiresAt),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...referenceKey(record.reference),
            entity: 'reference',
            caseId: record.caseId,
            // A case recorded already closed (e.g. redirected at intake) starts its retention now.
            ...(item.expiresAt === undefined ? {} : { expiresAt: item.expiresAt }),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    ];
    for (const term of caseSearchTerms(record)) {
      transactItems.push({
        Put: { TableName: this.tableName, Item: this.termItem(term, record, item.expiresAt) },
      });
    }
    transactItems.push(...this.workListWrites(undefined, record, item.expiresAt));
    transactItems.push(...this.designationWrites(undefined, record, item.expiresAt));
    if (idempotencyKeyValue !== undefined) {
      transactItems.push(this.idempotencyPut(idempotencyKeyValue, record.caseId, nowSeconds));
      // The key's item names the case, not the other way round: this does, for an erasure.
      transactItems.push({
        Put: {
          TableName: this.tableName,
          Item: {
            ...caseIdempotencyKey(record.caseId),
            entity: 'idempotency-of-case',
            key: idempotencyKey(idempotencyKeyValue).PK,
            expiresAt: nowSeconds + this.idempotencyTtlSeconds,
          },
        },
      });
    }

    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: transactItems }));
        this.handedOut.delete(record.reference);
        return { record, created: true };
      } catch (error: unknown) {
        const reasons = cancellationReasons(error);
        if (reasons === undefined) {
          // The write may have happened (a timeout after DynamoDB took it): the number is spent.
          this.handedOut.delete(record.reference);
          throw this.mapError('create', error);
        }
        if (idempotencyKeyValue !== undefined) {
          const first = await this.firstForIdempotencyKey(idempotencyKeyValue);
          if (first !== undefined) {
            // A cancelled transaction wrote nothing: this number names no case, and the next
            // intake gets it rather than a gap.
            if (first.reference !== record.reference) this.giveBack(record.reference);
            return { record: first, created: false };
          }
        }
        if (reasons[0] === 'ConditionalCheckFailed' || reasons[1] === 'ConditionalCheckFailed') {
          this.handedOut.delete(record.reference);
          throw new DuplicateCaseError(`case ${record.caseId} already exists`);
        }
        if (reasons[2] === 'ConditionalCheckFailed') {
          this.handedOut.delete(record.reference);
          throw new DuplicateCaseError(`reference ${record.reference} is already taken`);
        }
        // A conflicting transaction in flight (e.g. the same idempotency key): try again.
        if (!isConflictOnly(reasons) || attempt >= MAX_WRITE_ATTEMPTS) {
          this.handedOut.delete(record.reference);
          throw this.mapError('create', error);
        }
        await backoff(attempt);
      }
    }
  }

  /**
   * The item that takes an idempotency key for a case, in the transaction that does what the key
   * is for: its condition fails when the key was taken (and has not expired), and the whole write
   * with it. Intake's Idempotency-Key and a workspace form's one-off id (`CaseChange.once`).
   */
  private idempotencyPut(key: string, caseId: string, nowSeconds: number): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...idempotencyKey(key),
          entity: 'idempotency',
          caseId,
          expiresAt: nowSeconds + this.idempotencyTtlSeconds,
        },
        // TTL deletes expired items up to a few days late: an expired key counts as absent.
        ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
        ExpressionAttributeValues: { ':now': nowSeconds },
      },
    };
  }

  async get(caseId: string): Promise<CaseRecord | undefined> {
    const item = await this.getCaseItem(caseId);
    return item === undefined ? undefined : fromCaseItem(item);
  }

  async getByReference(reference: string): Promise<CaseRecord | undefined> {
    const result = await this.call('getByReference', () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: referenceKey(reference) })),
    );
    const caseId = result.Item?.caseId;
    return typeof caseId === 'string' ? this.get(caseId) : undefined;
  }

  async update(
    caseId: string,
    expectedVersion: number,
    change: CaseChange,
    expectedStatus?: CaseRecord['status'][],
  ): Promise<CaseRecord> {
    for (let attempt = 1; ; attempt++) {
      const [currentItem, sequenceItem] = await this.getCaseAndSequence(caseId);
      if (currentItem === undefined) throw new CaseNotFoundError(`case ${caseId} not found`);
      const current = fromCaseItem(currentItem);
      if (current.version !== expectedVersion) {
        throw new ConcurrentUpdateError(
          `case ${caseId} is at version ${current.version}, not the expected ${expectedVersion}`,
        );
      }
      // An earlier change's move of the history's expiry stopped part way: finish it first.
      if (await this.finishEventExpiry(caseId, sequenceItem)) continue;
      if (expectedStatus !== undefined && !expectedStatus.includes(current.status)) {
        throw new ConcurrentUpdateError(
          `case ${caseId} is ${current.status}, not ${expectedStatus.join(' or ')}`,
        );
      }

      const lastSeq = lastEventSeq(currentItem, sequenceItem);
      // A change without an event is bookkeeping (a step's outbox): the history is untouched.
      const events = eventsOf(change);
      const seq = lastSeq + events.length;
      const next = applyChange(current, change);
      // The case item, written anyway, counts its own events: the sequence item is left alone.
      const nextItem = this.toItem(next, seq, await this.openShardsForWrites(), await this.packsCaseItems());
      if (outboxOnly(change)) nextItem[OUTBOX_ONLY_ATTRIBUTE] = true;
      const expiryChanged = nextItem.expiresAt !== currentItem.expiresAt;
      let eventsInTransaction = 0;
      /**
       * The first event whose expiry this transaction leaves to be moved after it: kept on the
       * sequence item until moved, so a failure part way is finished by the case's next write.
       */
      let expiryPendingFrom: number | undefined;
      /** Whether the events get a sooner expiry after the transaction, with no mark (below). */
      let expiryAfter = false;
      const transactItems: TransactItem[] = [
        {
          Put: {
            TableName: this.tableName,
            Item: nextItem,
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':version': expectedVersion },
          },
        },
        // An append since the read has taken the next event's number: the event's own condition
        // fails and the change is read again. A change of expiry also moves the sequence item,
        // which then carries the events still to move (below), and fails an append that read
        // the old expiry.
        ...(expiryChanged ? [this.sequenceWrite(caseId, sequenceItem, seq, nextItem.expiresAt)] : []),
        ...events.map((event, i) => ({
          Put: {
            TableName: this.tableName,
            Item: eventItem(caseId, lastSeq + 1 + i, event, nextItem.expiresAt),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        })),
      ];
      // Search terms follow the contact details: gone ones deleted, new ones added, all with the case's expiry.
      const before = new Set(caseSearchTerms(current));
      const after = caseSearchTerms(next);
      for (const term of before) {
        if (!after.includes(term)) {
          transactItems.push({ Delete: { TableName: this.tableName, Key: termKey(term, caseId) } });
        }
      }
      for (const term of after) {
        if (!before.has(term) || expiryChanged) {
          transactItems.push({
            Put: { TableName: this.tableName, Item: this.termItem(term, next, nextItem.expiresAt) },
          });
        }
      }
      transactItems.push(...this.workListWrites(current, next, nextItem.expiresAt, expiryChanged));
      transactItems.push(...this.designationWrites(current, next, nextItem.expiresAt));
      // A form's one-off id is taken in the same transaction as the change: of two posts of one
      // form, however close, one writes and the other finds the id taken and writes nothing. The
      // item names only the case id and goes after a day; an erasure leaves nothing in it.
      const onceAt = change.once === undefined ? -1 : transactItems.length;
      if (change.once !== undefined) {
        transactItems.push(
          this.idempotencyPut(onceKey(caseId, change.once), caseId, Math.floor(Date.now() / 1000)),
        );
      }
      if (expiryChanged) {
        // Retention starts (or moves to six years): the reference and the history expire with the case.
        transactItems.push(this.expiryUpdate(referenceKey(next.reference), nextItem.expiresAt));
        // An expiry that comes sooner (retention starting at closure) is moved onto the events
        // after the transaction, where each costs one write unit, not two. Until then they can only
        // outlive the case, not go before it, and what a move that stopped left is deleted with the
        // case item (`sweepExpiredHistory`): no mark for the case's next write to finish, which
        // would cost a write to clear and have an append racing the move do it all again. One
        // that goes later or away (a hold, an Ombudsman enquiry, a reopening) is moved in the
        // transaction, as far as it holds: an event must never expire before its case. Every
        // work-list entry is put again with the new expiry: the events get what room is left.
        expiryAfter = expiresSooner(currentItem.expiresAt, nextItem.expiresAt);
        eventsInTransaction = expiryAfter
          ? 0
          : Math.min(lastSeq, MAX_EVENTS_IN_TRANSACTION, MAX_TRANSACTION_ITEMS - transactItems.length);
        for (let eventSeq = 1; eventSeq <= eventsInTransaction; eventSeq++) {
          transactItems.push(this.expiryUpdate(eventKey(caseId, eventSeq), nextItem.expiresAt));
        }
        if (!expiryAfter && lastSeq > eventsInTransaction) {
          expiryPendingFrom = eventsInTransaction + 1;
          // Kept on the sequence item (written in this transaction whenever the expiry changes).
          const sequencePut = transactItems.find((t) => t.Put?.Item?.SK === sequenceKey(caseId).SK)?.Put;
          if (sequencePut?.Item) sequencePut.Item[EXPIRY_PENDING_ATTRIBUTE] = expiryPendingFrom;
        }
      }

      try {
        await this.writeTogether(transactItems);
      } catch (error: unknown) {
        if (onceAt >= 0 && cancellationReasons(error)?.[onceAt] === 'ConditionalCheckFailed') {
          throw new AlreadyDoneError(`case ${caseId}: this form was sent already`);
        }
        if (!isWriteConflict(error)) throw this.mapError('update', error);
        if (attempt >= MAX_WRITE_ATTEMPTS) {
          throw new ConcurrentUpdateError(`case ${caseId} kept changing; gave up after ${attempt} attempts`);
        }
        // Re-read: a changed version ends in ConcurrentUpdateError above, a mere append is retried.
        await backoff(attempt);
        continue;
      }
      if (expiryAfter) await this.setEventExpiry(caseId, 1, lastSeq, nextItem.expiresAt);
      if (expiryPendingFrom !== undefined) {
        await this.setEventExpiry(caseId, expiryPendingFrom, lastSeq, nextItem.expiresAt);
        await this.clearPendingExpiry(caseId, expiryPendingFrom, nextItem.expiresAt);
      }
      return next;
    }
  }

  /**
   * Writes the items all or none. One conditional put (a change of the case item alone: a step's
   * bookkeeping) goes as a PutItem, not a transaction of one: DynamoDB bills a transaction's
   * writes twice. Its condition failing, or a transaction holding the item, is a conflict as it
   * would be in a transaction (`isWriteConflict`).
   */
  private async writeTogether(items: TransactItem[]): Promise<void> {
    const [only] = items;
    if (items.length === 1 && only?.Put !== undefined) {
      await this.client.send(new PutCommand(only.Put));
      return;
    }
    await this.client.send(new TransactWriteCommand({ TransactItems: items }));
  }

  async appendEvent(
    caseId: string,
    event: Omit<CaseEvent, 'caseId' | 'seq'>,
    options: { afterSeq?: number } = {},
  ): Promise<CaseEvent> {
    for (let attempt = 1; ; attempt++) {
      // The case item is read, never written: it, and with it the four indexes that carry it, is
      // untouched by an append, which writes the small sequence item and the event.
      const [caseItem, sequence] = await this.getCaseAndSequence(caseId);
      if (caseItem === undefined) throw new CaseNotFoundError(`case ${caseId} not found`);
      // An earlier change's move of the history's expiry stopped part way: finish it first.
      if (await this.finishEventExpiry(caseId, sequence)) continue;
      const lastSeq = lastEventSeq(caseItem, sequence);
      // The writes below are conditional on this read: an append or a change since has taken the
      // next number, and the next attempt finds the history moved on.
      if (options.afterSeq !== undefined && lastSeq !== options.afterSeq) {
        throw new ConcurrentUpdateError(
          `case ${caseId}'s history is at event ${lastSeq}, not the expected ${options.afterSeq}`,
        );
      }
      const seq = lastSeq + 1;
      const expiresAt = numberOrUndefined(caseItem.expiresAt);
      const item = eventItem(caseId, seq, event, expiresAt);
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              this.sequenceWrite(caseId, sequence, seq, expiresAt),
              {
                Put: {
                  TableName: this.tableName,
                  Item: item,
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
            ],
          }),
        );
        return fromEventItem(item);
      } catch (error: unknown) {
        const reasons = cancellationReasons(error);
        if (reasons === undefined || !isConflictOnly(reasons)) throw this.mapError('appendEvent', error);
        if (attempt >= MAX_WRITE_ATTEMPTS) {
          throw new ConcurrentUpdateError(`case ${caseId} kept changing; gave up after ${attempt} attempts`);
        }
        await backoff(attempt);
      }
    }
  }

  async erase(
    caseId: string,
    expectedVersion: number,
    tombstone: CaseRecord,
    event: Omit<CaseEvent, 'caseId' | 'seq'>,
  ): Promise<CaseRecord> {
    const [currentItem, sequenceItem] = await this.getCaseAndSequence(caseId);
    if (currentItem === undefined) throw new CaseNotFoundError(`case ${caseId} not found`);
    const current = fromCaseItem(currentItem);
    const lastSeq = lastEventSeq(currentItem, sequenceItem);
    let result = current;
    let keepFromSeq = lastSeq;
    if (current.erasure === undefined) {
      if (current.version !== expectedVersion) {
        throw new ConcurrentUpdateError(
          `case ${caseId} is at version ${current.version}, not the expected ${expectedVersion}`,
        );
      }
      const seq = lastSeq + 1;
      const next: CaseRecord = {
        ...tombstone,
        caseId,
        reference: current.reference,
        version: current.version + 1,
      };
      const nextItem = this.toItem(next, seq, await this.openShardsForWrites(), await this.packsCaseItems());
      const after = caseSearchTerms(next);
      const transactItems: TransactItem[] = [
        {
          Put: {
            TableName: this.tableName,
            Item: nextItem,
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':version': expectedVersion },
          },
        },
        // No append may slip in between: the sequence moves on with the erasure's own event.
        this.sequenceWrite(caseId, sequenceItem, seq, nextItem.expiresAt),
        {
          Put: {
            TableName: this.tableName,
            Item: eventItem(caseId, seq, event, nextItem.expiresAt),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        ...caseSearchTerms(current)
          .filter((term) => !after.includes(term))
          .map(
            (term): TransactItem => ({ Delete: { TableName: this.tableName, Key: termKey(term, caseId) } }),
          ),
        ...this.workListWrites(current, next, nextItem.expiresAt),
        ...this.designationWrites(current, next, nextItem.expiresAt),
      ];
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: transactItems }));
      } catch (error: unknown) {
        const reasons = cancellationReasons(error);
        if (reasons !== undefined && isConflictOnly(reasons)) {
          throw new ConcurrentUpdateError(`case ${caseId} changed while it was being erased`);
        }
        throw this.mapError('erase', error);
      }
      result = next;
      keepFromSeq = seq;
    }
    // The history goes after the tombstone is written: a failure here leaves a tombstone whose
    // next erase finishes the job, never a case with its data and without its history. What
    // stays is the erasure's own event and what came after it (views of the erased case).
    const history = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': caseKey(caseId).PK, ':prefix': EVENT_SK_PREFIX },
      ExpressionAttributeNames: { '#type': 'type' },
      ProjectionExpression: 'PK, SK, #type',
      ConsistentRead: true,
    });
    const erasedAt = history.find((k) => k.type === 'erased')?.SK ?? eventKey(caseId, keepFromSeq).SK;
    const keys = history.filter((k) => String(k.SK) < String(erasedAt));
    await this.deleteAll(keys.map((k) => ({ PK: String(k.PK), SK: String(k.SK) })));
    await this.eraseIdempotencyKey(caseId);
    return result;
  }

  /**
   * Deletes the Idempotency-Key item the case was stored under, if it is still kept: a replay of
   * the submission would otherwise lead to the erased case for the rest of the key's day, and the
   * key (a client's own words, or a digest of the resident's feedback and email address) is kept
   * only as a hash that nothing else may tie to the case. Only while it still names this case: an
   * expired key taken since by another submission is that case's.
   */
  private async eraseIdempotencyKey(caseId: string): Promise<void> {
    const pointer = await this.call('erase', () =>
      this.client.send(
        new GetCommand({ TableName: this.tableName, Key: caseIdempotencyKey(caseId), ConsistentRead: true }),
      ),
    );
    const key = pointer.Item?.key;
    if (typeof key === 'string') {
      try {
        await this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: { PK: key, SK: 'IDEMPOTENCY' },
            ConditionExpression: 'caseId = :caseId',
            ExpressionAttributeValues: { ':caseId': caseId },
          }),
        );
      } catch (error: unknown) {
        if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) {
          throw this.mapError('erase', error);
        }
      }
    }
    if (pointer.Item) await this.deleteAll([caseIdempotencyKey(caseId)]);
  }

  /** Deletes items by key, 25 to a request (BatchWriteItem's limit), until none is left unprocessed. */
  private async deleteAll(keys: { PK: string; SK: string }[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 25) {
      let requests: NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string] =
        keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
      for (let attempt = 1; requests.length > 0; attempt++) {
        const result = await this.call('erase', () =>
          this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } })),
        );
        requests = result.UnprocessedItems?.[this.tableName] ?? [];
        if (requests.length > 0) {
          if (attempt >= MAX_WRITE_ATTEMPTS) throw new ThrottledError('case store erase: throttled by AWS');
          await backoff(attempt);
        }
      }
    }
  }

  async events(caseId: string): Promise<CaseEvent[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': caseKey(caseId).PK, ':prefix': EVENT_SK_PREFIX },
      ConsistentRead: true,
    });
    return items.map(fromEventItem);
  }

  async openByDeadline(before: IsoTimestamp, limit = 100): Promise<CaseRecord[]> {
    const entries: Item[] = [];
    const shards = await this.openShardsForReads('openByDeadline');
    for await (const entry of this.mergedIndex('openByDeadline', {
      index: CASE_INDEX.openByDeadline,
      partitions: openPartitions(shards),
      to: `${utcIso(before)}${AFTER_ANY_ID}`,
      readSize: perShard(limit, shards),
    })) {
      entries.push(entry);
      if (entries.length >= limit) break;
    }
    return this.recordsFor(entries);
  }

  async *openCases(): AsyncIterable<CaseRecord> {
    const shards = await this.openShardsForReads('openCases');
    yield* this.recordsInBatches(
      this.mergedIndex('openCases', {
        index: CASE_INDEX.openByDeadline,
        partitions: openPartitions(shards),
        readSize: RECORD_BATCH,
      }),
    );
  }

  /** The records of index entries as they come, read from the table a batch at a time. */
  private async *recordsInBatches(entries: AsyncIterable<Item>): AsyncIterable<CaseRecord> {
    let batch: Item[] = [];
    for await (const entry of entries) {
      batch.push(entry);
      if (batch.length >= RECORD_BATCH) {
        yield* await this.recordsFor(batch);
        batch = [];
      }
    }
    yield* await this.recordsFor(batch);
  }

  async byComplainant(email: string): Promise<CaseRecord[]> {
    if (email.trim() === '') return [];
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: CASE_INDEX.byComplainant,
      KeyConditionExpression: 'GSI2PK = :pk',
      ExpressionAttributeValues: { ':pk': complainantPartition(email) },
      ScanIndexForward: false,
    });
    return this.recordsFor(items);
  }

  async byService(service: string, from: IsoTimestamp, to: IsoTimestamp): Promise<CaseRecord[]> {
    const items: Item[] = [];
    for await (const item of this.mergedIndex('byService', {
      index: CASE_INDEX.byService,
      partitions: servicePartitions(service),
      from: utcIso(from),
      to: `${utcIso(to)}${AFTER_ANY_ID}`,
      readSize: RECORD_BATCH,
    })) {
      items.push(item);
    }
    return this.recordsFor(items);
  }

  async *receivedBetween(from: IsoTimestamp, to: IsoTimestamp): AsyncIterable<CaseRecord> {
    const lower = utcIso(from);
    const upper = utcIso(to);
    if (lower > upper) return;
    for (const month of monthsBetween(lower, upper)) {
      yield* this.recordsInBatches(
        this.mergedIndex('receivedBetween', {
          index: CASE_INDEX.byReceived,
          partitions: receivedPartitions(month),
          from: lower,
          to: `${upper}${AFTER_ANY_ID}`,
          readSize: RECORD_BATCH,
        }),
      );
    }
  }

  async openPage(options: {
    dueBy?: IsoTimestamp;
    services?: readonly string[];
    assignedTo?: string;
    stage?: 1 | 2;
    limit: number;
    cursor?: string;
  }): Promise<CasePage> {
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
    const conditions: string[] = [];
    const values: Record<string, unknown> = {};
    const names: Record<string, string> = {};
    const services = options.services ?? [];
    if (services.length > 0) {
      conditions.push(`service IN (${services.map((_, i) => `:s${i}`).join(', ')})`);
      services.forEach((s, i) => {
        values[`:s${i}`] = s;
      });
    }
    // Service and stage are in the index: DynamoDB filters on them. Whose case it is (assigned,
    // or the officer of its open task) is not: it is checked on the records read from the table.
    const me = options.assignedTo?.toLowerCase();
    const mine = (r: CaseRecord) => me === undefined || r.assignedTo === me || r.openTask?.officer === me;
    if (options.stage !== undefined) {
      conditions.push('#stage = :stage');
      names['#stage'] = 'stage';
      values[':stage'] = options.stage;
    }
    const filtered = conditions.length > 0 || me !== undefined;
    const shards = await this.openShardsForReads('openPage');
    const position: MergePosition = {};
    const entries = this.mergedIndex(
      'openPage',
      {
        index: CASE_INDEX.openByDeadline,
        partitions: openPartitions(shards),
        ...(after === undefined ? {} : { after }),
        ...(options.dueBy === undefined ? {} : { to: `${utcIso(options.dueBy)}${AFTER_ANY_ID}` }),
        // Unfiltered, read no more than the page needs. Filtered, most entries read are not
        // kept: read more at a time.
        readSize: filtered ? FILTERED_READ : perShard(options.limit, shards),
        ...(conditions.length > 0
          ? {
              filter: {
                expression: conditions.join(' AND '),
                values,
                ...(Object.keys(names).length > 0 ? { names } : {}),
              },
            }
          : {}),
        // A sparse filter (one person's cases among thousands) must not read the whole index in
        // one page: after a bounded read the page ends short, and the next one carries on.
        maxRequests: MAX_PAGE_REQUESTS,
      },
      position,
    );
    const records: CaseRecord[] = [];
    let batch: Item[] = [];
    let next: string | undefined;
    const take = async (): Promise<boolean> => {
      const positions = new Map(batch.map((e) => [String(e.PK), String(e.GSI1SK)]));
      const found = await this.recordsFor(batch);
      batch = [];
      for (const record of found) {
        if (!mine(record)) continue;
        records.push(record);
        if (records.length >= options.limit) {
          // Everything up to this case's entry was read: the next page starts after it.
          next = positions.get(caseKey(record.caseId).PK);
          return true;
        }
      }
      return false;
    };
    let full = false;
    for await (const entry of entries) {
      batch.push(entry);
      if (batch.length >= Math.min(100, filtered ? FILTERED_READ : options.limit - records.length)) {
        full = await take();
        if (full) break;
      }
    }
    if (!full) full = await take();
    if (!full && position.stoppedAt !== undefined) next = position.stoppedAt;
    return { records, ...(next === undefined ? {} : { next: encodeCursor(next) }) };
  }

  async search(terms: readonly string[], limit: number): Promise<CaseRecord[]> {
    if (terms.length === 0) return [];
    // Each term's matches are small key-only items: read them all, keep the cases having every
    // term, and read only the newest `limit` of those whole.
    let matches: Map<string, string> | undefined;
    for (const term of terms) {
      const items = await this.queryAll({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': termKey(term, '').PK },
        ProjectionExpression: 'caseId, receivedAt',
      });
      const found = new Map(items.map((i) => [String(i.caseId), String(i.receivedAt ?? '')]));
      matches = matches === undefined ? found : new Map([...matches].filter(([id]) => found.has(id)));
      if (matches.size === 0) return [];
    }
    const newest = [...(matches ?? new Map<string, string>())]
      .sort((a, b) => b[1].localeCompare(a[1]))
      .slice(0, limit)
      .map(([id]) => id);
    const records = await Promise.all(newest.map((id) => this.get(id)));
    return records.filter((r): r is CaseRecord => r !== undefined);
  }

  async workList(
    list: WorkList,
    options: { limit: number; cursor?: string; dueBy?: string },
  ): Promise<{ entries: WorkListEntry[]; next?: string }> {
    const startKey = options.cursor === undefined ? undefined : decodeWorkListCursor(list, options.cursor);
    const pk = workListKey(list, '').PK;
    const page = await this.call('workList', () =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: options.dueBy === undefined ? 'PK = :pk' : 'PK = :pk AND SK <= :due',
          ExpressionAttributeValues: {
            ':pk': pk,
            // Review dates are `YYYY-MM-DD`: every entry of that day sorts before `<date>#\uffff`
            // (and a hold without one, under `NO_REVIEW_DATE`, after every day asked for).
            ...(options.dueBy === undefined ? {} : { ':due': `${options.dueBy}${AFTER_ANY_ID}` }),
          },
          Limit: options.limit,
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    const entries = (page.Items ?? []).map(
      (i): WorkListEntry => ({
        list,
        sort: String(i.SK),
        caseId: String(i.caseId),
        reference: String(i.reference),
        at: String(i.at),
        ...(typeof i.letter === 'string' ? { letter: i.letter } : {}),
        ...(typeof i.title === 'string' ? { title: i.title } : {}),
        ...(i.checkFirst === true ? { checkFirst: true as const } : {}),
        ...(typeof i.readdressedAt === 'string' ? { readdressedAt: i.readdressedAt } : {}),
        ...(i.postedToPrevious === true ? { postedToPrevious: true as const } : {}),
        ...(i.hold && typeof i.hold === 'object' ? { hold: i.hold as WorkListEntry['hold'] } : {}),
      }),
    );
    const last = page.LastEvaluatedKey;
    return { entries, ...(last ? { next: Buffer.from(String(last.SK), 'utf8').toString('base64url') } : {}) };
  }

  /**
   * The puts and deletes that keep the work lists as the case now says (`workListEntries`), each
   * entry with the case's expiry: the table's TTL deletes the case item alone, so an entry without
   * it would stay on its list for ever, naming a case gone at the end of its retention. When the
   * expiry changes (closure, reopening, an Ombudsman enquiry, a legal hold) every entry is put again.
   */
  private workListWrites(
    before: CaseRecord | undefined,
    after: CaseRecord,
    expiresAt: number | undefined,
    expiryChanged = false,
  ): TransactItem[] {
    const { added, removed } = workListChanges(before, after);
    const put = expiryChanged ? workListEntries(after) : added;
    return [
      ...removed.map(
        (e): TransactItem => ({ Delete: { TableName: this.tableName, Key: workListKey(e.list, e.sort) } }),
      ),
      ...put.map(
        (e): TransactItem => ({ Put: { TableName: this.tableName, Item: this.workListItem(e, expiresAt) } }),
      ),
    ];
  }

  /** The item of one work-list entry, expiring with its case. */
  private workListItem(e: WorkListEntry, expiresAt: number | undefined): Item {
    return {
      ...workListKey(e.list, e.sort),
      entity: 'work-list',
      caseId: e.caseId,
      reference: e.reference,
      at: e.at,
      ...(e.letter ? { letter: e.letter } : {}),
      ...(e.title ? { title: e.title } : {}),
      ...(e.checkFirst ? { checkFirst: true } : {}),
      ...(e.readdressedAt ? { readdressedAt: e.readdressedAt } : {}),
      ...(e.postedToPrevious ? { postedToPrevious: true } : {}),
      ...(e.hold ? { hold: e.hold } : {}),
      ...(expiresAt === undefined ? {} : { expiresAt }),
    };
  }

  /**
   * The writes that keep a case's designation item as the case now says: put when its
   * complainant stands designated (again with a new expiry), moved when the email is corrected,
   * deleted when the designation is lifted or the case erased. Puts are unconditional: the item
   * is the case's, and only the case's own transactions write it.
   */
  private designationWrites(
    before: CaseRecord | undefined,
    after: CaseRecord,
    expiresAt: number | undefined,
  ): TransactItem[] {
    const keyOf = (record: CaseRecord | undefined) => {
      const email = record?.complainant?.email?.trim();
      return record !== undefined && email && complainantDesignated([record])
        ? designationKey(email, record.caseId)
        : undefined;
    };
    const old = keyOf(before);
    const next = keyOf(after);
    const writes: TransactItem[] = [];
    if (old !== undefined && old.PK !== next?.PK) {
      writes.push({ Delete: { TableName: this.tableName, Key: old } });
      // A store before mailboxes may have kept it under the tagged address as written, which a
      // table not yet indexed by mailbox still reads: gone too (a delete of nothing is free).
      const email = before?.complainant?.email?.trim() ?? '';
      const written = addressDesignationKey(email, after.caseId);
      if (written.PK !== old.PK) writes.push({ Delete: { TableName: this.tableName, Key: written } });
    }
    // Put on every change of a designated case (a few of them; one write unit each), so a
    // designation made before these items existed gets its item the next time its case changes.
    if (next !== undefined) {
      writes.push({
        Put: {
          TableName: this.tableName,
          Item: {
            ...next,
            entity: 'designation',
            caseId: after.caseId,
            ...(expiresAt === undefined ? {} : { expiresAt }),
          },
        },
      });
    }
    return writes;
  }

  /**
   * Whether the complainant whose mailbox this email reaches (`ada+x@…` is `ada@…`) stands
   * designated on any case: one Query of the mailbox's designation partition, a few bytes (half a
   * read unit), however many cases they have sent and under whichever `+tag`. On a table not yet
   * indexed by mailbox (`indexDesignations`), a tagged address is also looked up as it is written
   * (items from before mailboxes), and on one from before designation items the cases are read
   * and checked as before, so no designation is missed on the way.
   */
  async complainantDesignated(email: string): Promise<boolean> {
    if (email.trim() === '') return false;
    if (!this.designationsIndexed) {
      const [mailboxes, addresses] = await Promise.all(
        [DESIGNATIONS_INDEXED_KEY, DESIGNATIONS_INDEXED_BY_ADDRESS_KEY].map((Key) =>
          this.call('complainantDesignated', () =>
            this.client.send(new GetCommand({ TableName: this.tableName, Key })),
          ),
        ),
      );
      if (mailboxes?.Item !== undefined) {
        this.designationsIndexed = true;
      } else {
        const legacy =
          addresses?.Item === undefined
            ? complainantDesignated(await this.byComplainant(email))
            : designationKey(email, '').PK !== addressDesignationKey(email, '').PK &&
              (await this.designatedIn(addressDesignationKey(email, '').PK));
        return legacy || (await this.designatedIn(designationKey(email, '').PK));
      }
    }
    return this.designatedIn(designationKey(email, '').PK);
  }

  /** Whether a designation partition holds a designation still in force. */
  private async designatedIn(pk: string): Promise<boolean> {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const items = await this.call('complainantDesignated', () =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ProjectionExpression: 'expiresAt',
          ConsistentRead: true,
        }),
      ),
    );
    // TTL deletes expired items up to a few days late: an expired one no longer counts.
    return (items.Items ?? []).some((i) => typeof i.expiresAt !== 'number' || i.expiresAt > nowSeconds);
  }

  /**
   * Gives every designation stored before designation items existed its item, then marks the
   * table as indexed so intake stops reading whole histories. A one-off Scan of the table, run
   * once on a table from before designation items (`npm run designations:index`); safe to run again, and safe while
   * cases change (each item is written by the case's own transactions from then on; this only
   * puts what a case says, conditional on the case being unchanged).
   */
  async indexDesignations(): Promise<{ cases: number; designated: number }> {
    let cases = 0;
    let designated = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.call('indexDesignations', () =>
        this.client.send(
          new ScanCommand({
            TableName: this.tableName,
            FilterExpression: 'entity = :case AND (attribute_exists(designation) OR vexatious = :yes)',
            ExpressionAttributeValues: { ':case': 'case', ':yes': true },
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        cases += 1;
        const record = fromCaseItem(item);
        await this.forgetAddressDesignation(record);
        const [write] = this.designationWrites(undefined, record, numberOrUndefined(item.expiresAt));
        if (write?.Put === undefined) continue;
        designated += 1;
        await this.call('indexDesignations', () =>
          this.client.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  ConditionCheck: {
                    TableName: this.tableName,
                    Key: caseKey(record.caseId),
                    ConditionExpression: '#version = :version',
                    ExpressionAttributeNames: { '#version': 'version' },
                    ExpressionAttributeValues: { ':version': record.version },
                  },
                },
                write,
              ],
            }),
          ),
        ).catch((error: unknown) => {
          // The case changed since the scan: its own transaction has written what it now says.
          // Anything else (throttling included) stops the run before the table is marked.
          const changed =
            error instanceof CaseStoreError &&
            cancellationReasons(error.cause)?.[0] === 'ConditionalCheckFailed';
          if (!changed) throw error;
        });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    await this.call('indexDesignations', () =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...DESIGNATIONS_INDEXED_KEY, entity: 'marker' },
        }),
      ),
    );
    this.designationsIndexed = true;
    return { cases, designated };
  }

  /**
   * Makes the table's search-term items say what `caseSearchTerms` says of each case now: run
   * after an upgrade that changes how terms are made (`npm run search:index`). A case's own writes
   * add and delete only the difference between its terms before and after by the code that runs,
   * so the terms an older version wrote and this one does not make would stay for ever: found by
   * a search they no longer belong to, not deleted by an erasure, never expiring. See
   * `reconcileCaseItems`.
   */
  async indexSearchTerms(): Promise<{ cases: number; added: number; removed: number; changed: number }> {
    const { cases, written, removed, changed } = await this.reconcileCaseItems(
      'indexSearchTerms',
      'term',
      (c) => caseSearchTerms(c).map((term) => this.termItem(term, c, undefined)),
    );
    return { cases, added: written, removed, changed };
  }

  /**
   * Makes one kind of item a case keeps beside itself (search terms, work-list entries) say what
   * each case says now, each expiring with its case: a one-off Scan. Deletes the items of that kind
   * a case no longer has (and every one of a case that is gone), and writes those it lacks or
   * whose expiry is not the case's. Each case's writes are conditional on the case being as
   * scanned; a case that changed meanwhile wrote its own items, is counted in `changed` and left
   * for the next run. Safe to run again, and while cases change. `wanted` gives a case's items
   * without their expiry.
   */
  private async reconcileCaseItems(
    action: string,
    entity: string,
    wanted: (c: CaseRecord) => Item[],
  ): Promise<{ cases: number; written: number; removed: number; changed: number }> {
    const keyOf = (i: Item) => `${String(i.PK)} ${String(i.SK)}`;
    const cases = new Map<
      string,
      { version: number; expiresAt: number | undefined; items: Map<string, Item> }
    >();
    /** Each case's items of the kind in the table: by key, with their expiry. */
    const stored = new Map<string, Map<string, { key: Item; expiresAt: number | undefined }>>();
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.call(action, () =>
        this.client.send(
          new ScanCommand({
            TableName: this.tableName,
            FilterExpression: 'entity = :case OR entity = :entity',
            ExpressionAttributeValues: { ':case': 'case', ':entity': entity },
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        const caseId = String(item.caseId);
        if (item.entity === entity) {
          const own = stored.get(caseId) ?? new Map<string, { key: Item; expiresAt: number | undefined }>();
          own.set(keyOf(item), {
            key: { PK: item.PK, SK: item.SK },
            expiresAt: numberOrUndefined(item.expiresAt),
          });
          stored.set(caseId, own);
          continue;
        }
        cases.set(caseId, {
          version: Number(item.version),
          expiresAt: numberOrUndefined(item.expiresAt),
          items: new Map(wanted(fromCaseItem(item)).map((i) => [keyOf(i), i] as const)),
        });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);

    let written = 0;
    let removed = 0;
    let changed = 0;
    for (const caseId of new Set([...cases.keys(), ...stored.keys()])) {
      const scanned = cases.get(caseId);
      const existing = stored.get(caseId) ?? new Map<string, { key: Item; expiresAt: number | undefined }>();
      const expiresAt = scanned?.expiresAt;
      const deletes = [...existing].filter(([k]) => !scanned?.items.has(k)).map(([, i]) => i.key);
      const puts = [...(scanned?.items ?? new Map<string, Item>())]
        .filter(([k]) => !existing.has(k) || existing.get(k)?.expiresAt !== expiresAt)
        .map(([, i]) => ({ ...i, ...(expiresAt === undefined ? {} : { expiresAt }) }));
      if (deletes.length === 0 && puts.length === 0) continue;
      const condition: TransactItem = {
        ConditionCheck: {
          TableName: this.tableName,
          Key: caseKey(caseId),
          ...(scanned
            ? {
                ConditionExpression: '#version = :version',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':version': scanned.version },
              }
            : { ConditionExpression: 'attribute_not_exists(PK)' }),
        },
      };
      const writes: TransactItem[] = [
        ...deletes.map((Key): TransactItem => ({ Delete: { TableName: this.tableName, Key } })),
        ...puts.map((Item): TransactItem => ({ Put: { TableName: this.tableName, Item } })),
      ];
      try {
        // A transaction takes 100 actions: the case's condition and 99 writes at a time.
        for (let i = 0; i < writes.length; i += MAX_TRANSACTION_ITEMS - 1) {
          await this.client.send(
            new TransactWriteCommand({
              TransactItems: [condition, ...writes.slice(i, i + MAX_TRANSACTION_ITEMS - 1)],
            }),
          );
        }
        written += puts.length;
        removed += deletes.length;
      } catch (error: unknown) {
        // The case changed (or came back) since the scan: its own transaction wrote its items.
        // Anything else (throttling included) stops the run; running it again carries on.
        if (cancellationReasons(error)?.[0] !== 'ConditionalCheckFailed') throw this.mapError(action, error);
        changed += 1;
      }
    }
    return { cases: cases.size, written, removed, changed };
  }

  /**
   * Deletes the item a store before mailboxes kept under a tagged address (`ada+x@…`): the
   * case's item is under its mailbox now, and an item left under the address would outlive a
   * lifted designation. Nothing to do for an address without a tag (the two keys are one).
   */
  private async forgetAddressDesignation(record: CaseRecord): Promise<void> {
    const email = record.complainant?.email?.trim();
    if (!email) return;
    const old = addressDesignationKey(email, record.caseId);
    if (old.PK === designationKey(email, record.caseId).PK) return;
    await this.call('indexDesignations', () =>
      this.client.send(new DeleteCommand({ TableName: this.tableName, Key: old })),
    );
  }

  /**
   * Makes the table's work-list entries say what each case says now, each expiring with its case:
   * a one-off Scan, run once after the upgrade that gave entries their case's expiry (`npm run
   * worklists:index`). Entries written before it have none, so the table's TTL, which deletes the
   * case item alone, would leave them on their list for ever. This gives them the expiry, deletes
   * the entries of cases that are gone or no longer list them, and writes those a case lacks.
   * Each case's writes are conditional on the case being as scanned; a case that changed meanwhile
   * wrote its own entries, is counted in `changed` and left for the next run. Safe to run again.
   */
  async indexWorkLists(): Promise<{ cases: number; updated: number; removed: number; changed: number }> {
    const { cases, written, removed, changed } = await this.reconcileCaseItems(
      'indexWorkLists',
      'work-list',
      (c) => workListEntries(c).map((e) => this.workListItem(e, undefined)),
    );
    return { cases, updated: written, removed, changed };
  }

  /** The item that lets a case be found by one search term: only the term's hash is a key. */
  private termItem(term: string, record: CaseRecord, expiresAt: unknown): Item {
    return {
      ...termKey(term, record.caseId),
      entity: 'term',
      caseId: record.caseId,
      receivedAt: utcIso(record.receivedAt),
      ...(typeof expiresAt === 'number' ? { expiresAt } : {}),
    };
  }

  /**
   * The entries of several partitions of one index (the shards, and the partition from before
   * them), in sort-key order: a merge of one Query per partition at a time. Each round reads a
   * page of every partition whose read entries are all handed out, then hands out, in order,
   * every entry up to the lowest point any unfinished partition has read to; that point rises
   * every round, so the merge always moves on. `after` is exclusive, `from` and `to` inclusive.
   * With `maxRequests`, the merge stops after that many Queries and `position.stoppedAt` says
   * where to carry on (everything up to it was handed out or filtered away).
   */
  private async *mergedIndex(
    action: string,
    query: {
      index: string;
      partitions: readonly string[];
      after?: string;
      from?: string;
      to?: string;
      readSize: number;
      filter?: { expression: string; values: Record<string, unknown>; names?: Record<string, string> };
      maxRequests?: number;
    },
    position: MergePosition = {},
  ): AsyncGenerator<Item> {
    const design = CASE_TABLE_DESIGN.globalSecondaryIndexes.find((i) => i.indexName === query.index);
    if (design === undefined) throw new CaseStoreError(`no index ${query.index}`);
    const pk = design.partitionKey.name;
    const sk = design.sortKey.name;
    // The smallest string after `after`: DynamoDB compares strings by their UTF-8 bytes.
    const lower = query.after === undefined ? query.from : `${query.after}\u0000`;
    const upper = query.to;
    if (lower !== undefined && upper !== undefined && lower > upper) return;
    const range =
      lower !== undefined && upper !== undefined
        ? ' AND #sk BETWEEN :lower AND :upper'
        : lower !== undefined
          ? ' AND #sk >= :lower'
          : upper !== undefined
            ? ' AND #sk <= :upper'
            : '';
    const shards = query.partitions.map((partition) => ({
      partition,
      read: [] as Item[],
      startKey: undefined as Record<string, unknown> | undefined,
      readTo: undefined as string | undefined,
      done: false,
    }));
    let requests = 0;
    for (;;) {
      const waiting = shards.filter((shard) => !shard.done && shard.read.length === 0);
      // The first round reads every shard however many there are: a bound below the shard count
      // would end every page before it read anything.
      if (query.maxRequests !== undefined && requests > 0 && requests + waiting.length > query.maxRequests) {
        // After a round, everything up to `lastOut` was handed out (or filtered away).
        const stoppedAt = position.lastOut ?? query.after;
        if (stoppedAt !== undefined) position.stoppedAt = stoppedAt;
        return;
      }
      requests += waiting.length;
      await Promise.all(
        waiting.map(async (shard) => {
          const page = await this.call(action, () =>
            this.client.send(
              new QueryCommand({
                TableName: this.tableName,
                IndexName: query.index,
                KeyConditionExpression: `#pk = :pk${range}`,
                ExpressionAttributeNames: {
                  '#pk': pk,
                  ...(range ? { '#sk': sk } : {}),
                  ...query.filter?.names,
                },
                ExpressionAttributeValues: {
                  ':pk': shard.partition,
                  ...(lower !== undefined && range ? { ':lower': lower } : {}),
                  ...(upper !== undefined && range ? { ':upper': upper } : {}),
                  ...query.filter?.values,
                },
                ...(query.filter ? { FilterExpression: query.filter.expression } : {}),
                Limit: query.readSize,
                ExclusiveStartKey: shard.startKey,
              }),
            ),
          );
          shard.read.push(...(page.Items ?? []));
          shard.startKey = page.LastEvaluatedKey;
          shard.done = page.LastEvaluatedKey === undefined;
          if (page.LastEvaluatedKey !== undefined) shard.readTo = String(page.LastEvaluatedKey[sk]);
        }),
      );
      const unfinished = shards.filter((shard) => !shard.done).map((shard) => shard.readTo as string);
      const safe = unfinished.sort()[0];
      const ready = shards
        .flatMap((shard) => shard.read)
        .filter((item) => safe === undefined || String(item[sk]) <= safe)
        .sort((a, b) => (String(a[sk]) < String(b[sk]) ? -1 : 1));
      const out = new Set(ready);
      for (const shard of shards) shard.read = shard.read.filter((item) => !out.has(item));
      for (const item of ready) {
        position.lastOut = String(item[sk]);
        yield item;
      }
      if (safe === undefined) return;
      position.lastOut = safe;
    }
  }

  /**
   * The case records of index entries, in the entries' order: the indexes project keys (and the
   * queue's filters) only, so the records are read from the table, 100 keys to a BatchGetItem
   * (its limit), eventually consistent like the index they were found in. An entry whose case
   * has gone since (erased, expired) is left out.
   */
  private async recordsFor(entries: readonly Item[]): Promise<CaseRecord[]> {
    const ids = [...new Set(entries.map((e) => String(e.PK).slice('CASE#'.length)))];
    const found = new Map<string, CaseRecord>();
    for (let i = 0; i < ids.length; i += 100) {
      for (const item of await this.batchGet('query', ids.slice(i, i + 100).map(caseKey))) {
        const record = fromCaseItem(item);
        found.set(record.caseId, record);
      }
    }
    return ids.map((id) => found.get(id)).filter((r): r is CaseRecord => r !== undefined);
  }

  /**
   * The items of up to 100 keys (BatchGetItem's limit), asking again, backing off, for what
   * DynamoDB leaves unprocessed; strongly consistent when `consistent`.
   */
  private async batchGet(action: string, keys: Item[], consistent = false): Promise<Item[]> {
    const found: Item[] = [];
    let left = keys;
    for (let attempt = 1; left.length > 0; attempt++) {
      const request = { Keys: left, ...(consistent ? { ConsistentRead: true } : {}) };
      const result = await this.call(action, () =>
        this.client.send(new BatchGetCommand({ RequestItems: { [this.tableName]: request } })),
      );
      found.push(...(result.Responses?.[this.tableName] ?? []));
      left = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      if (left.length > 0) {
        if (attempt >= MAX_WRITE_ATTEMPTS) throw new ThrottledError(`case store ${action}: throttled by AWS`);
        await backoff(attempt);
      }
    }
    return found;
  }

  /**
   * One eventually consistent `GetItem` of a key no item has: the cheapest read there is, and
   * it proves the table exists and this function may read it (the read grant it already has;
   * `DescribeTable` would need another).
   */
  async ping(signal?: AbortSignal): Promise<void> {
    await this.call('ping', () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: PING_KEY }), { abortSignal: signal }),
    );
  }

  /**
   * Moves the sequence item from what was read of it (creating it when none was) to `seq`, with
   * the case's expiry: a conditional write, so of two appends (or an append and a change of
   * expiry) that read the same item, one wins and the other reads again.
   */
  private sequenceWrite(
    caseId: string,
    read: Item | undefined,
    seq: number,
    expiresAt: number | undefined,
  ): TransactItem {
    const lastSeq = read === undefined ? undefined : Number(read.lastEventSeq);
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...sequenceKey(caseId),
          entity: 'sequence',
          lastEventSeq: seq,
          ...(expiresAt === undefined ? {} : { expiresAt }),
        },
        ...(lastSeq === undefined
          ? { ConditionExpression: 'attribute_not_exists(PK)' }
          : {
              ConditionExpression: '#lastEventSeq = :lastSeq',
              ExpressionAttributeNames: { '#lastEventSeq': 'lastEventSeq' },
              ExpressionAttributeValues: { ':lastSeq': lastSeq },
            }),
      },
    };
  }

  /**
   * The case item and its sequence item, read together in one request (a strongly consistent
   * BatchGetItem: the same read units as two GetItems, half the requests), as every change reads
   * them before its transaction.
   */
  private async getCaseAndSequence(caseId: string): Promise<[Item | undefined, Item | undefined]> {
    const caseSk = caseKey(caseId).SK;
    const found = await this.batchGet('get', [caseKey(caseId), sequenceKey(caseId)], true);
    return [found.find((item) => item.SK === caseSk), found.find((item) => item.SK !== caseSk)];
  }

  /**
   * How many shards of the open index a listing reads: the count the table's layout names, read
   * (strongly consistent) at the start of each listing, so none reads fewer shards than a writer
   * may be putting cases among (`OPEN_LAYOUT_KEY`).
   */
  private async openShardsForReads(action: string): Promise<number> {
    return openShardsToRead(await this.readOpenLayout(action));
  }

  /** How many shards of the open index a write puts an open case among (`OPEN_LAYOUT_KEPT_MS`). */
  private async openShardsForWrites(): Promise<number> {
    const now = this.now();
    const kept = this.openLayoutForWrites;
    if (kept === undefined || now.getTime() - kept.readAt >= OPEN_LAYOUT_KEPT_MS) {
      this.openLayoutForWrites = { layout: await this.readOpenLayout('openLayout'), readAt: now.getTime() };
    }
    return openShardsToWrite(this.openLayoutForWrites?.layout, now);
  }

  /**
   * Whether this store writes case items packed (`CASE_ITEM_LAYOUT_KEY`), read again after
   * `OPEN_LAYOUT_KEPT_MS`: a store that kept the answer from before `packCaseItems` writes a few
   * more items unpacked, which every version reads.
   */
  private async packsCaseItems(): Promise<boolean> {
    const now = this.now().getTime();
    const kept = this.packingForWrites;
    if (kept === undefined || now - kept.readAt >= OPEN_LAYOUT_KEPT_MS) {
      const result = await this.call('caseItemLayout', () =>
        this.client.send(
          new GetCommand({ TableName: this.tableName, Key: CASE_ITEM_LAYOUT_KEY, ConsistentRead: true }),
        ),
      );
      this.packingForWrites = { packed: result?.Item !== undefined, readAt: now };
    }
    return this.packingForWrites?.packed === true;
  }

  /**
   * The ops step that has case items stored packed from now on (`CASE_ITEM_LAYOUT_KEY`): run only
   * once no version from before packing runs or will run again, for it cannot read a packed case
   * (infra/DEPLOY.md). Each case is packed at its next write. Running it again changes nothing.
   */
  async packCaseItems(): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...CASE_ITEM_LAYOUT_KEY, entity: 'layout', packedSince: this.now().toISOString() },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error: unknown) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return;
      throw this.mapError('packCaseItems', error);
    }
    this.packingForWrites = undefined;
  }

  private async readOpenLayout(action: string): Promise<OpenLayout | undefined> {
    const result = await this.call(action, () =>
      this.client.send(
        new GetCommand({ TableName: this.tableName, Key: OPEN_LAYOUT_KEY, ConsistentRead: true }),
      ),
    );
    const item = result.Item;
    if (item === undefined) return undefined;
    return {
      shards: Number(item.shards),
      previous: Number(item.previous),
      writeFrom: String(item.writeFrom),
    };
  }

  /**
   * The ops step that spreads the open index over `shards` partitions (`OPEN_SHARDS` by default):
   * readers of this version read them at once; writers put cases among them from
   * `OPEN_LAYOUT_GRACE_MS` on. Run only once no version from before the layout runs or will run
   * again: that version reads the first `CASE_SHARDS` alone (infra/DEPLOY.md). Never lowers: a
   * count at or below the one named leaves the layout as it is; nor goes past `MAX_OPEN_SHARDS`.
   * Returns the layout now stored.
   */
  async raiseOpenShards(shards: number = OPEN_SHARDS): Promise<OpenLayout> {
    if (!Number.isInteger(shards) || shards < 1) {
      throw new CaseStoreError(`the open index's shards must be a whole number above 0, not ${shards}`);
    }
    if (shards > MAX_OPEN_SHARDS) {
      throw new CaseStoreError(`the open index's shards can be at most ${MAX_OPEN_SHARDS}, not ${shards}`);
    }
    for (let attempt = 1; ; attempt++) {
      const current = await this.readOpenLayout('raiseOpenShards');
      if (shards <= openShardsToRead(current))
        return (
          current ?? { shards: CASE_SHARDS, previous: CASE_SHARDS, writeFrom: new Date(0).toISOString() }
        );
      const now = this.now();
      const layout: OpenLayout = {
        shards,
        // A raise while the last one is still on its way to writers keeps them where they are.
        previous: openShardsToWrite(current, now),
        writeFrom: new Date(now.getTime() + OPEN_LAYOUT_GRACE_MS).toISOString(),
      };
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...OPEN_LAYOUT_KEY, entity: 'layout', ...layout },
            ...(current === undefined
              ? { ConditionExpression: 'attribute_not_exists(PK)' }
              : {
                  ConditionExpression: 'shards = :read',
                  ExpressionAttributeValues: { ':read': current.shards },
                }),
          }),
        );
        return layout;
      } catch (error: unknown) {
        // Another raise came between the read and the write: read it and decide again.
        if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException') || attempt >= 5) {
          throw this.mapError('raiseOpenShards', error);
        }
      }
    }
  }

  /** The stored item of a case, with the store's own attributes (consistent read). */
  private async getCaseItem(caseId: string): Promise<Item | undefined> {
    const result = await this.call('get', () =>
      this.client.send(
        new GetCommand({ TableName: this.tableName, Key: caseKey(caseId), ConsistentRead: true }),
      ),
    );
    return result.Item;
  }

  private async firstForIdempotencyKey(key: string): Promise<CaseRecord | undefined> {
    const result = await this.call('create', () =>
      this.client.send(
        new GetCommand({ TableName: this.tableName, Key: idempotencyKey(key), ConsistentRead: true }),
      ),
    );
    const item = result.Item;
    if (item === undefined || Number(item.expiresAt) < Math.floor(Date.now() / 1000)) return undefined;
    const record = await this.get(String(item.caseId));
    if (record === undefined) {
      throw new CaseStoreError(`idempotency key refers to case ${String(item.caseId)}, which does not exist`);
    }
    return record;
  }

  /**
   * The item of a record: the record's fields (most of them compressed, `case-item-packing.ts`,
   * when `packed`), the event counter and the derived index keys and TTL.
   */
  private toItem(
    record: CaseRecord,
    lastEventSeq: number,
    openShards: number,
    packed: boolean,
  ): Item & { expiresAt?: number } {
    const item: Item & { expiresAt?: number } = {
      ...(packed ? packCaseRecord(record) : record),
      ...caseKey(record.caseId),
      entity: 'case',
      lastEventSeq,
    };
    const received = utcIso(record.receivedAt);
    // The index sorts by the deadline still running (not one already met), in one UTC form.
    const next = queueDeadline(record);
    const nextDeadline = next === undefined ? undefined : utcIso(next);
    if (!NOT_OPEN.has(record.status) && nextDeadline !== undefined) {
      item.GSI1PK = openPartition(record.caseId, openShards);
      item.GSI1SK = `${nextDeadline}#${record.caseId}`;
    }
    const email = record.complainant?.email?.trim();
    if (email) {
      item.GSI2PK = complainantPartition(email);
      item.GSI2SK = `${received}#${record.caseId}`;
    }
    if (record.service) {
      item.GSI3PK = servicePartition(record.service, record.caseId);
      item.GSI3SK = `${received}#${record.caseId}`;
    }
    item.GSI4PK = receivedPartition(received.slice(0, 7), record.caseId);
    item.GSI4SK = `${received}#${record.caseId}`;
    // A held case never expires: with no `expiresAt` here, `update` removes it from the
    // case's events, reference and search terms too; lifting the hold puts it back.
    if (record.status === 'closed' && record.legalHold === undefined) {
      item.expiresAt = retentionEndSeconds(
        record.closedAt ?? record.updatedAt,
        this.retentionYearsFor(record),
      );
    }
    return item;
  }

  private retentionYearsFor(record: CaseRecord): number {
    return record.ombudsmanInvolved ? this.retention.ombudsman : this.retention.closed;
  }

  private expiryUpdate(key: { PK: string; SK: string }, expiresAt: number | undefined): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: key,
        UpdateExpression: expiresAt === undefined ? 'REMOVE expiresAt' : 'SET expiresAt = :expiresAt',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: expiresAt === undefined ? undefined : { ':expiresAt': expiresAt },
      },
    };
  }

  /**
   * Sets the TTL of events after the change of the case's expiry (at closure, or beyond what one
   * transaction holds), a few at a time. An event gone (erased since) has nothing to expire.
   */
  private async setEventExpiry(
    caseId: string,
    fromSeq: number,
    toSeq: number,
    expiresAt: number | undefined,
  ) {
    const setOne = async (seq: number) => {
      const update = this.expiryUpdate(eventKey(caseId, seq), expiresAt).Update;
      if (update === undefined) return;
      try {
        await this.client.send(new UpdateCommand(update));
      } catch (error: unknown) {
        if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) {
          throw this.mapError('update', error);
        }
      }
    };
    for (let seq = fromSeq; seq <= toSeq; seq += EXPIRY_UPDATES_AT_ONCE) {
      const last = Math.min(toSeq, seq + EXPIRY_UPDATES_AT_ONCE - 1);
      await Promise.all(Array.from({ length: last - seq + 1 }, (_, i) => setOne(seq + i)));
    }
  }

  /**
   * After the table's TTL deleted a case item (the case's retention is over): deletes what of its
   * partition would outlive it, the events with no expiry or a later one than now. Those are the
   * events of a closure whose move of their expiry (after its transaction) stopped part way and
   * was never finished by a later write; the rest the TTL deletes itself, at no cost. Nothing
   * while the case item is there. Returns how many items it deleted.
   */
  async sweepExpiredHistory(caseId: string): Promise<number> {
    if ((await this.getCaseItem(caseId)) !== undefined) return 0;
    const left = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      FilterExpression: 'attribute_not_exists(expiresAt) OR expiresAt > :now',
      ExpressionAttributeValues: { ':pk': caseKey(caseId).PK, ':now': Math.floor(Date.now() / 1000) },
      ProjectionExpression: 'PK, SK',
      ConsistentRead: true,
    });
    await this.deleteAll(left.map((k) => ({ PK: String(k.PK), SK: String(k.SK) })));
    return left.length;
  }

  /**
   * Finishes moving the history's expiry when a change left it part way (`EXPIRY_PENDING_ATTRIBUTE`
   * on the sequence item): every event from there on gets the case's expiry now. True when there
   * was something to finish (the caller reads the case again).
   */
  private async finishEventExpiry(caseId: string, sequence: Item | undefined): Promise<boolean> {
    const from = numberOrUndefined(sequence?.[EXPIRY_PENDING_ATTRIBUTE]);
    if (sequence === undefined || from === undefined) return false;
    const expiresAt = numberOrUndefined(sequence.expiresAt);
    await this.setEventExpiry(caseId, from, Number(sequence.lastEventSeq), expiresAt);
    await this.clearPendingExpiry(caseId, from, expiresAt);
    return true;
  }

  /**
   * Takes the mark of a finished move off the sequence item, unless the expiry has moved again
   * since (that change's own mark then stands, for its own move).
   */
  private async clearPendingExpiry(
    caseId: string,
    from: number,
    expiresAt: number | undefined,
  ): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sequenceKey(caseId),
          UpdateExpression: 'REMOVE #pending',
          ConditionExpression:
            expiresAt === undefined
              ? '#pending = :from AND attribute_not_exists(expiresAt)'
              : '#pending = :from AND expiresAt = :expiresAt',
          ExpressionAttributeNames: { '#pending': EXPIRY_PENDING_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':from': from,
            ...(expiresAt === undefined ? {} : { ':expiresAt': expiresAt }),
          },
        }),
      );
    } catch (error: unknown) {
      if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) {
        throw this.mapError('update', error);
      }
    }
  }

  private async queryAll(input: QueryCommandInput): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.call('query', () =>
        this.client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey })),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
  }

  private async call<T>(action: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error: unknown) {
      throw this.mapError(action, error);
    }
  }

  private mapError(action: string, error: unknown): Error {
    if (error instanceof CaseStoreError) return error;
    const reasons = cancellationReasons(error);
    if (reasons?.some((code) => code === 'ThrottlingError' || code === 'ProvisionedThroughputExceeded')) {
      return new ThrottledError(`case store ${action}: throttled by AWS`, { cause: error });
    }
    const retryable = retryableErrorFor(error, `case store ${action}`);
    if (retryable !== undefined) return retryable;
    const name = error instanceof Error ? error.name : 'unknown error';
    // The SDK's message may quote attribute values (personal data): keep only its name here.
    return new CaseStoreError(`case store ${action} failed: ${name}`, { cause: error });
  }
}

/**
 * Whether an expiry moves sooner (from none to a date, or to an earlier date): the events, which
 * carry the one before, would then only outlive the case until they are moved.
 */
function expiresSooner(before: unknown, after: number | undefined): boolean {
  if (after === undefined) return false;
  const was = numberOrUndefined(before);
  return was === undefined || after < was;
}

/** Whether a change touches the steps' outbox (`effects`) and nothing else: no event, no other field. */
function outboxOnly(change: CaseChange): boolean {
  const fields = Object.keys(change.set ?? {});
  return (
    eventsOf(change).length === 0 &&
    (change.remove ?? []).length === 0 &&
    fields.length > 0 &&
    fields.every((field) => field === 'effects')
  );
}

/** A record with a change applied: the next version, updated now (the event's time). */
function applyChange(current: CaseRecord, change: CaseChange): CaseRecord {
  const next: Record<string, unknown> = { ...current };
  for (const [field, value] of Object.entries(change.set ?? {})) {
    if (IMMUTABLE_FIELDS.has(field)) continue;
    if (value === undefined) delete next[field];
    else next[field] = value;
  }
  for (const field of change.remove ?? []) {
    if (!IMMUTABLE_FIELDS.has(field)) delete next[field];
  }
  next.version = current.version + 1;
  next.updatedAt = change.set?.updatedAt ?? eventsOf(change).at(-1)?.at ?? current.updatedAt;
  return next as unknown as CaseRecord;
}

function eventItem(
  caseId: string,
  seq: number,
  event: Omit<CaseEvent, 'caseId' | 'seq'>,
  expiresAt: unknown,
): Item {
  const item: Item = { ...event, ...eventKey(caseId, seq), entity: 'event', caseId, seq };
  if (typeof expiresAt === 'number') item.expiresAt = expiresAt;
  return item;
}

/**
 * The number of a case's last event. The case item counts the events its own writes add; the
 * sequence item counts on from appends (which never write the case item), and from a change of
 * expiry or an erasure. Whichever is further is the history's end: an append after a change
 * starts from the case's count, a change after an append from the sequence's. Items from before
 * the case item counted (it kept its creation's count) have the sequence ahead, as before.
 */
function lastEventSeq(caseItem: Item, sequenceItem: Item | undefined): number {
  return Math.max(Number(caseItem.lastEventSeq ?? 0), Number(sequenceItem?.lastEventSeq ?? 0));
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/**
 * The case as a change of its item left it, from the record of that change on the table's stream
 * (its `NewImage`: the stream's view type is `NEW_IMAGE`): `'gone'` when the change removed the
 * item (erased by TTL, deleted), `undefined` when the record carries no image to read it from, or
 * one that cannot be read exactly: DynamoDB Local 3.x writes an empty map or list in a stream
 * image as `{}`, without saying which (awslabs/amazon-dynamodb-local-samples#37), and guessing
 * could count a case wrongly. The caller then reads the case.
 */
export function caseOfStreamRecord(record: DynamoDBRecord): CaseRecord | 'gone' | undefined {
  if (record.eventName === 'REMOVE') return 'gone';
  const image = record.dynamodb?.NewImage;
  if (image === undefined || Object.values(image).some(untyped)) return undefined;
  // The stream's types are Lambda's (`aws-lambda`), the same wire shape as the SDK's AttributeValue.
  return fromCaseItem(unmarshall(image as Parameters<typeof unmarshall>[0]));
}

/** Whether an attribute value, or one inside it, names no type (`{}`). */
function untyped(value: StreamAttributeValue): boolean {
  const types = Object.keys(value);
  if (types.length === 0) return true;
  if (value.M !== undefined) return Object.values(value.M).some(untyped);
  if (value.L !== undefined) return value.L.some(untyped);
  return false;
}

function fromCaseItem(item: Item): CaseRecord {
  const record: Item = unpackCaseItem(item);
  for (const attribute of STORAGE_ATTRIBUTES) delete record[attribute];
  return record as unknown as CaseRecord;
}

function fromEventItem(item: Item): CaseEvent {
  const { PK: _pk, SK: _sk, entity: _entity, expiresAt: _expiresAt, ...event } = item;
  return event as unknown as CaseEvent;
}

/** Where a merge of index partitions got to (`mergedIndex`). */
interface MergePosition {
  /** The sort key up to which every entry was handed out or filtered away. */
  lastOut?: string;
  /** Set when the merge stopped at its request budget: where the next read carries on. */
  stoppedAt?: string;
}

/** The queue's cursor: the index sort key to start after (all shards), opaque to the pages. */
function encodeCursor(sortKey: string): string {
  return Buffer.from(sortKey, 'utf8').toString('base64url');
}

/** `<next deadline, UTC ISO>#<caseId>`: the only thing a queue cursor may hold. */
const QUEUE_POSITION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[\w-]+$/;

/**
 * Reads a cursor back, refusing anything that is not a position in the open-cases index. A
 * cursor from before shards (the JSON of one index key) still reads: its sort key is the position.
 */
function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (QUEUE_POSITION.test(text)) return text;
  let key: unknown;
  try {
    key = JSON.parse(text);
  } catch (error: unknown) {
    throw new InvalidCursorError('not a queue position', { cause: error });
  }
  const k = key as Record<string, unknown>;
  if (
    typeof key !== 'object' ||
    key === null ||
    k.GSI1PK !== OPEN_PARTITION ||
    typeof k.GSI1SK !== 'string' ||
    !QUEUE_POSITION.test(k.GSI1SK)
  ) {
    throw new InvalidCursorError('not a queue position');
  }
  return k.GSI1SK;
}

/** Reads a work list's cursor back: a sort key of that list, or refused. */
function decodeWorkListCursor(list: WorkList, cursor: string): Record<string, unknown> {
  const sk = Buffer.from(cursor, 'base64url').toString('utf8');
  // Sort keys are `<ISO timestamp or date>#<caseId>[#<letter>]`: nothing else is a position.
  if (!/^\d{4}-\d{2}-\d{2}[\w:.-]*#[\w-]+(#[\w-]+)?$/.test(sk)) {
    throw new InvalidCursorError('not a work-list position');
  }
  return workListKey(list, sk);
}

/** A page cursor that this store did not make. */
export class InvalidCursorError extends CaseStoreError {
  override name = 'InvalidCursorError';
}

/** A timestamp in the one form index keys use (UTC, milliseconds, `Z`), so string order is time order. */
function utcIso(timestamp: IsoTimestamp): string {
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) throw new CaseStoreError(`not a timestamp: ${timestamp}`);
  return date.toISOString();
}

/**
 * Epoch seconds of the end of retention: the closure plus whole calendar years on London's
 * calendar (`retentionEnd`), the day the archive goes with it.
 */
function retentionEndSeconds(closedAt: IsoTimestamp, years: number): number {
  return Math.floor(retentionEnd(utcIso(closedAt), years).getTime() / 1000);
}

/** `YYYY-MM` of every UTC month from the one holding `from` to the one holding `to`. */
function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  const last = to.slice(0, 7);
  for (;;) {
    const current = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
    months.push(current);
    if (current >= last) return months;
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
}

/** The idempotency key of a form's one-off id on a case (`CaseChange.once`): never one of intake's. */
function onceKey(caseId: string, once: string): string {
  return `form:${caseId}:${once}`;
}

/** The cancellation reason codes of a cancelled transaction, or undefined for any other error. */
function cancellationReasons(error: unknown): string[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((reason) => reason.Code ?? 'None');
}

/**
 * Whether a write failed only because of a condition or a concurrent transaction: a transaction
 * cancelled for those reasons, or a single put whose condition failed or whose item a
 * transaction was writing.
 */
function isWriteConflict(error: unknown): boolean {
  if (
    error instanceof Error &&
    ['ConditionalCheckFailedException', 'TransactionConflictException'].includes(error.name)
  ) {
    return true;
  }
  const reasons = cancellationReasons(error);
  return reasons !== undefined && isConflictOnly(reasons);
}

/** Whether a transaction failed only because of a condition or a concurrent transaction. */
function isConflictOnly(reasons: string[]): boolean {
  return (
    reasons.length > 0 &&
    reasons.every(
      (code) => code === 'None' || code === 'ConditionalCheckFailed' || code === 'TransactionConflict',
    )
  );
}
