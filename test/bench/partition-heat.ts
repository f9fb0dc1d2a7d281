/**
 * Partition heat from real requests: every DynamoDB request the application makes (the low-level
 * input a client middleware sees, its consumed capacity, or its error) is turned into read and
 * write units per partition key, of the table and of each global secondary index, so a load test
 * can say which keys would be hot at a given intake rate. DynamoDB Local does not model partitions,
 * so this is worked out from the keys themselves:
 * - a write's table units go to each item's partition key, priced by DynamoDB's rules from the
 *   item before and after the write (`table-writes.ts`, as `bench:cost` prices them: DynamoDB
 *   Local's own figure undercounts transactions), a failed write charged as if it had written;
 * - its index units go to the partition key of every index entry the item gains, loses or changes,
 *   found from the item as written (a `Put` carries the whole item) and the last image of it this
 *   model saw written; the index's measured units are split over those entries the same way;
 * - a read's units go to the one partition a `GetItem` or `Query` reads (a `BatchGetItem` split
 *   evenly over its keys); a `Scan` is one pseudo-key, `(scan)`.
 * Read and index units are DynamoDB Local's own (`ReturnConsumedCapacity: INDEXES`); where it gives
 * none for an index (a request that failed: conditional writes and cancelled transactions still
 * cost units on AWS) they are worked out from item sizes with DynamoDB's rules (`index-writes.ts`),
 * doubled in a transaction.
 *
 * Hand-written: no library attributes DynamoDB capacity to partition keys; this only measures.
 */
import type { AttributeValue as DynamoAttributeValue } from '@aws-sdk/client-dynamodb';
import { type IndexCostSpec, indexWriteUnits } from './index-writes.js';
import { tableWriteUnitsEach, type WriteTarget, writeTargets } from './table-writes.js';

type AttributeValue = Record<string, unknown>;
type Item = Record<string, AttributeValue>;

/** The parts of a table design this needs: its keys and its indexes (`CASE_TABLE_DESIGN`). */
export interface TableDesign {
  partitionKey: { name: string };
  sortKey: { name: string };
  globalSecondaryIndexes: readonly {
    indexName: string;
    partitionKey: { name: string };
    sortKey: { name: string };
    projection: string;
    nonKeyAttributes?: readonly string[];
  }[];
}

/** Where a partition is: the table itself, or one of its indexes by name. */
export const TABLE_SCOPE = 'table';

/** Units and requests one partition key took. */
export interface PartitionTally {
  scope: string;
  key: string;
  writeUnits: number;
  readUnits: number;
  writes: number;
  reads: number;
}

interface ConsumedCapacity {
  TableName?: string;
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

/** The items a write touched as the table held them just before it and just after it, in the request's order. */
export interface WriteImages {
  before: (Record<string, DynamoAttributeValue> | undefined)[];
  after: (Record<string, DynamoAttributeValue> | undefined)[];
}

/** One item a write request touches, as the request gives it. */
interface WrittenItem {
  table: string;
  kind: 'put' | 'update' | 'delete' | 'check';
  /** The whole item (a put) or its key (the others). */
  item: Item;
}

const stringOf = (value: AttributeValue | undefined): string | undefined =>
  typeof value?.S === 'string' ? value.S : undefined;

/**
 * Adds up units per partition key. `record` is given each request as it completes, with the
 * source it came from (intake, the stream's readers, workflow steps…), so a load test can leave
 * out work that does not grow with intake (a reconciler's sweep).
 */
export class PartitionHeat {
  private readonly tallies = new Map<string, PartitionTally>();
  private readonly images = new Map<string, Item>();
  private readonly specs: IndexCostSpec[];
  private readonly tableKeys: string[];
  /** Requests seen, per source and command. */
  readonly requests = new Map<string, number>();
  /** Requests that failed (conditional checks, cancelled transactions), per source, error name and reasons. */
  readonly failures = new Map<string, number>();
  /** Index units DynamoDB Local reported that no index entry change accounts for, per index. */
  readonly unattributed = new Map<string, number>();

  constructor(
    private readonly design: TableDesign,
    /** Sources whose requests are counted; the others are only counted in `requests`. */
    private readonly counted: (source: string) => boolean = () => true,
  ) {
    this.tableKeys = [design.partitionKey.name, design.sortKey.name];
    this.specs = design.globalSecondaryIndexes.map((index) => ({
      indexName: index.indexName,
      partitionKey: { name: index.partitionKey.name },
      sortKey: { name: index.sortKey.name },
      projection: index.projection as IndexCostSpec['projection'],
      ...(index.nonKeyAttributes ? { nonKeyAttributes: index.nonKeyAttributes } : {}),
    }));
  }

  /** Every partition key's tally so far. */
  partitions(): PartitionTally[] {
    return [...this.tallies.values()];
  }

  /** Forgets the tallies (not the item images): what came before was warming up. */
  reset(): void {
    this.tallies.clear();
    this.requests.clear();
    this.failures.clear();
    this.unattributed.clear();
  }

  /**
   * One completed request: its low-level input, its output or the error it failed with, and for a
   * write the items it touched as read from the table around it (without them, the images this
   * model last saw written stand in: right for puts, short of what updates added).
   */
  record(
    source: string,
    command: string,
    input: Record<string, unknown>,
    result: { output?: Record<string, unknown>; error?: unknown; images?: WriteImages },
  ): void {
    const name = `${source} ${command.replace(/Command$/, '')}`;
    this.requests.set(name, (this.requests.get(name) ?? 0) + 1);
    const counted = this.counted(source);
    if (result.error !== undefined && counted) {
      const reasons = (result.error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
      const codes = [...new Set((reasons ?? []).map((r) => r.Code).filter((c) => c && c !== 'None'))];
      const failure = `${source}: ${result.error instanceof Error ? result.error.name : 'unknown'}${codes.length > 0 ? ` (${codes.join(', ')})` : ''}`;
      this.failures.set(failure, (this.failures.get(failure) ?? 0) + 1);
    }
    const consumed = consumedCapacity(result.output);
    const written = writtenItems(command, input);
    if (written.length > 0) {
      const transaction = command === 'TransactWriteItemsCommand';
      if (counted) {
        const { targets } = writeTargets(command, input, this.tableKeys);
        this.writes(written, targets, consumed, transaction, result.error === undefined, result.images);
      }
      // The images follow every write, counted or not: the next write's index entries depend on them.
      if (result.error === undefined) for (const w of written) this.remember(w);
      return;
    }
    if (counted && result.error === undefined) this.reads(command, input, consumed);
  }

  private tally(scope: string, key: string): PartitionTally {
    const id = `${scope}\u0000${key}`;
    let tally = this.tallies.get(id);
    if (tally === undefined) {
      tally = { scope, key, writeUnits: 0, readUnits: 0, writes: 0, reads: 0 };
      this.tallies.set(id, tally);
    }
    return tally;
  }

  private imageKey(table: string, item: Item): string {
    return JSON.stringify([table, ...this.tableKeys.map((k) => item[k])]);
  }

  private remember(w: WrittenItem): void {
    const key = this.imageKey(w.table, w.item);
    if (w.kind === 'put') this.images.set(key, w.item);
    else if (w.kind === 'delete') this.images.delete(key);
    // An update changes attributes this model does not apply; no update in this code base sets an
    // index key (`index-writes.ts`), so the image's index entries stay right.
  }

  private writes(
    written: WrittenItem[],
    targets: WriteTarget[],
    consumed: ConsumedCapacity[],
    transaction: boolean,
    succeeded: boolean,
    images: WriteImages | undefined,
  ): void {
    const factor = transaction ? 2 : 1;
    const changes = written.map((w) => {
      const before = this.images.get(this.imageKey(w.table, w.item));
      const after = w.kind === 'put' ? w.item : w.kind === 'delete' ? undefined : before;
      const partition = stringOf(w.item[this.design.partitionKey.name]) ?? '(no key)';
      const indexes =
        w.kind === 'put' || w.kind === 'delete'
          ? this.specs.map((spec) => ({ spec, entries: indexEntryChanges(before, after, spec) }))
          : [];
      return { partition, before, indexes };
    });
    // The table's units by DynamoDB's rules, item by item; a put's own item is the after image
    // when none was read.
    const priced = tableWriteUnitsEach(
      targets,
      images?.before ?? (changes.map((c) => c.before) as unknown as WriteImages['before']),
      images?.after ?? [],
      transaction,
    );
    changes.forEach((change, i) => {
      const tally = this.tally(TABLE_SCOPE, change.partition);
      tally.writes += 1;
      tally.writeUnits += priced[i] ?? 0;
    });
    for (const spec of this.specs) {
      const entries = changes.flatMap((c) => c.indexes.find((i) => i.spec === spec)?.entries ?? []);
      const modelled = entries.reduce((sum, e) => sum + e.units, 0);
      const measured = consumed.reduce(
        (sum, c) => sum + (c.GlobalSecondaryIndexes?.[spec.indexName]?.CapacityUnits ?? 0),
        0,
      );
      if (modelled === 0) {
        if (measured > 0)
          this.unattributed.set(spec.indexName, (this.unattributed.get(spec.indexName) ?? 0) + measured);
        continue;
      }
      for (const entry of entries) {
        const tally = this.tally(spec.indexName, entry.partition);
        tally.writes += 1;
        tally.writeUnits +=
          succeeded && measured > 0 ? (measured * entry.units) / modelled : entry.units * factor;
      }
    }
  }

  private reads(command: string, input: Record<string, unknown>, consumed: ConsumedCapacity[]): void {
    const measured = consumed.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
    const touched = this.readPartitions(command, input);
    // DynamoDB charges a read of nothing (a missing item, an empty Query) its minimum, one unit
    // strongly consistent or half eventually; DynamoDB Local reports none for it.
    const minimum = input.ConsistentRead === true ? 1 : 0.5;
    for (const { scope, key } of touched) {
      const tally = this.tally(scope, key);
      tally.reads += 1;
      tally.readUnits += Math.max(measured / touched.length, key === '(scan)' ? 0 : minimum);
    }
  }

  private readPartitions(command: string, input: Record<string, unknown>): { scope: string; key: string }[] {
    const pk = this.design.partitionKey.name;
    const keyOf = (item: Item | undefined) => ({
      scope: TABLE_SCOPE,
      key: stringOf(item?.[pk]) ?? '(no key)',
    });
    switch (command) {
      case 'GetItemCommand':
        return [keyOf(input.Key as Item)];
      case 'BatchGetItemCommand':
        return Object.values((input.RequestItems ?? {}) as Record<string, { Keys?: Item[] }>).flatMap(
          (request) => (request.Keys ?? []).map(keyOf),
        );
      case 'TransactGetItemsCommand':
        return ((input.TransactItems ?? []) as { Get?: { Key?: Item } }[]).map((t) => keyOf(t.Get?.Key));
      case 'QueryCommand': {
        const index = input.IndexName as string | undefined;
        const keyName = index
          ? this.design.globalSecondaryIndexes.find((i) => i.indexName === index)?.partitionKey.name
          : pk;
        return [{ scope: index ?? TABLE_SCOPE, key: queriedPartition(input, keyName ?? pk) }];
      }
      case 'ScanCommand':
        return [{ scope: (input.IndexName as string | undefined) ?? TABLE_SCOPE, key: '(scan)' }];
      default:
        // DescribeTable, UpdateTimeToLive and the like read no partition.
        return [];
    }
  }
}

/** The partition a Query reads: the value its key condition gives the partition key. */
function queriedPartition(input: Record<string, unknown>, keyName: string): string {
  const expression = String(input.KeyConditionExpression ?? '');
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input.ExpressionAttributeValues ?? {}) as Record<string, AttributeValue>;
  for (const match of expression.matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
    const [, name = '', value = ''] = match;
    if ((names[name] ?? name) === keyName) return stringOf(values[value]) ?? '(no key)';
  }
  return '(no key)';
}

/** The partition key value of `item`'s entry in the index, or undefined when it has none (sparse). */
function indexPartition(item: Item | undefined, spec: IndexCostSpec): string | undefined {
  if (item === undefined) return undefined;
  if (item[spec.partitionKey.name] === undefined || item[spec.sortKey.name] === undefined) return undefined;
  return stringOf(item[spec.partitionKey.name]);
}

/**
 * The index entries a change of an item writes, with their partition and write units: a new entry,
 * a deleted one, a rewritten one, or a moved one (deleted from one partition, put in another).
 */
export function indexEntryChanges(
  before: Item | undefined,
  after: Item | undefined,
  spec: IndexCostSpec,
): { partition: string; units: number }[] {
  const from = indexPartition(before, spec);
  const to = indexPartition(after, spec);
  if (from === undefined && to === undefined) return [];
  const sortKey = spec.sortKey.name;
  const moved =
    from !== undefined &&
    to !== undefined &&
    (from !== to || JSON.stringify(before?.[sortKey]) !== JSON.stringify(after?.[sortKey]));
  const out =
    moved || from === undefined || to === undefined
      ? [
          { partition: from, units: from === undefined ? 0 : indexWriteUnits(before, undefined, spec) },
          { partition: to, units: to === undefined ? 0 : indexWriteUnits(undefined, after, spec) },
        ]
      : [{ partition: to, units: indexWriteUnits(before, after, spec) }];
  return out.filter(
    (e): e is { partition: string; units: number } => e.partition !== undefined && e.units > 0,
  );
}

function consumedCapacity(output: Record<string, unknown> | undefined): ConsumedCapacity[] {
  const consumed = output?.ConsumedCapacity;
  if (consumed === undefined) return [];
  return (Array.isArray(consumed) ? consumed : [consumed]) as ConsumedCapacity[];
}

/** The items a write request touches, or none for a read. */
function writtenItems(command: string, input: Record<string, unknown>): WrittenItem[] {
  const table = input.TableName as string;
  switch (command) {
    case 'PutItemCommand':
      return [{ table, kind: 'put', item: input.Item as Item }];
    case 'UpdateItemCommand':
      return [{ table, kind: 'update', item: input.Key as Item }];
    case 'DeleteItemCommand':
      return [{ table, kind: 'delete', item: input.Key as Item }];
    case 'TransactWriteItemsCommand':
      return (
        (input.TransactItems ?? []) as Record<string, { TableName: string; Item?: Item; Key?: Item }>[]
      ).flatMap((action): WrittenItem[] => {
        if (action.Put) return [{ table: action.Put.TableName, kind: 'put', item: action.Put.Item as Item }];
        if (action.Update)
          return [{ table: action.Update.TableName, kind: 'update', item: action.Update.Key as Item }];
        if (action.Delete)
          return [{ table: action.Delete.TableName, kind: 'delete', item: action.Delete.Key as Item }];
        if (action.ConditionCheck)
          return [
            {
              table: action.ConditionCheck.TableName,
              kind: 'check',
              item: action.ConditionCheck.Key as Item,
            },
          ];
        return [];
      });
    case 'BatchWriteItemCommand':
      return Object.entries(
        (input.RequestItems ?? {}) as Record<
          string,
          { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]
        >,
      ).flatMap(([name, requests]) =>
        requests.map(
          (r): WrittenItem =>
            r.PutRequest
              ? { table: name, kind: 'put', item: r.PutRequest.Item }
              : { table: name, kind: 'delete', item: r.DeleteRequest?.Key as Item },
        ),
      );
    default:
      return [];
  }
}

/**
 * The key a partition had in the design before shards: every `OPEN#<shard>` on `OPEN`, every
 * `RECEIVED#<month>#<shard>` on `RECEIVED#<month>`, every `SERVICE#<service>#<shard>` on
 * `SERVICE#<service>` (the shard suffix stripped). Other keys are as they were.
 */
export function unshardedKey(scope: string, key: string): string {
  if (scope === TABLE_SCOPE) return key;
  return key
    .replace(/^(OPEN)#\d+$/, '$1')
    .replace(/^(RECEIVED#\d{4}-\d{2})#\d+$/, '$1')
    .replace(/^(SERVICE#.+)#\d+$/, '$1');
}
