/**
 * What a table's global secondary indexes cost in write units, worked out from the writes
 * themselves, so `bench:cost` can price another index design than the one it runs (every index
 * projecting the whole item) beside what DynamoDB Local measures. The rules are DynamoDB's ("Provisioned throughput
 * considerations for global secondary indexes" in its developer guide):
 * - an item that gains an index's keys writes its projection there: ceil(projected size / 1 KB);
 * - an item that loses them deletes its entry: ceil(old projected size / 1 KB);
 * - an update that changes an index key moves the entry: a delete and a put, both counted;
 * - an update that keeps the keys writes the entry again only if a projected attribute changed;
 * - in a transaction, every unit counts twice (transactional writes are priced double, and
 *   DynamoDB Local charges the indexes' share of them double too).
 * Item sizes follow the same guide: attribute names plus values (strings and binaries by bytes,
 * numbers about one byte per two digits plus one, maps and lists 3 bytes plus a byte an element).
 *
 * Hand-written: no library prices DynamoDB writes; this only measures and changes nothing.
 */

/** A low-level DynamoDB attribute value (`{ S: '...' }`, `{ M: {...} }`, ...). */
type AttributeValue = Record<string, unknown>;
type Item = Record<string, AttributeValue>;

/** The parts of an index that decide what it costs: its keys and its projection. */
export interface IndexCostSpec {
  indexName: string;
  partitionKey: { name: string };
  sortKey: { name: string };
  projection: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  nonKeyAttributes?: readonly string[];
}

const utf8 = (value: string) => Buffer.byteLength(value, 'utf8');

function valueSize(value: AttributeValue): number {
  if (typeof value.S === 'string') return utf8(value.S);
  if (typeof value.N === 'string')
    return Math.ceil(value.N.replace(/[-.]/g, '').replace(/^0+/, '').length / 2) + 1;
  if (value.B instanceof Uint8Array) return value.B.byteLength;
  if ('BOOL' in value || 'NULL' in value) return 1;
  if (value.M !== undefined) {
    const entries = Object.entries(value.M as Item);
    return 3 + entries.reduce((sum, [name, v]) => sum + utf8(name) + valueSize(v) + 1, 0);
  }
  if (Array.isArray(value.L))
    return 3 + (value.L as AttributeValue[]).reduce((sum, v) => sum + valueSize(v) + 1, 0);
  if (Array.isArray(value.SS)) return (value.SS as string[]).reduce((sum, s) => sum + utf8(s), 0);
  if (Array.isArray(value.NS)) return (value.NS as string[]).reduce((sum, n) => sum + valueSize({ N: n }), 0);
  return 0;
}

/** An item's size in bytes as DynamoDB counts it for capacity. */
export function itemSize(item: Item): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueSize(value), 0);
}

/** The entry `item` has in the index, or undefined when it lacks the index's keys (sparse index). */
function entry(item: Item | undefined, spec: IndexCostSpec, tableKeys: readonly string[]): Item | undefined {
  if (item === undefined) return undefined;
  if (item[spec.partitionKey.name] === undefined || item[spec.sortKey.name] === undefined) return undefined;
  if (spec.projection === 'ALL') return item;
  const names = [...tableKeys, spec.partitionKey.name, spec.sortKey.name, ...(spec.nonKeyAttributes ?? [])];
  return Object.fromEntries(
    names.filter((n) => item[n] !== undefined).map((n) => [n, item[n] as AttributeValue]),
  );
}

const units = (item: Item) => Math.ceil(itemSize(item) / 1024);
const same = (a: AttributeValue | undefined, b: AttributeValue | undefined) =>
  JSON.stringify(a) === JSON.stringify(b);

function sameEntry(a: Item, b: Item): boolean {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names].every((n) => same(a[n], b[n]));
}

/** Write units one index spends when an item goes from `before` to `after` (undefined: absent). */
export function indexWriteUnits(
  before: Item | undefined,
  after: Item | undefined,
  spec: IndexCostSpec,
  tableKeys: readonly string[] = ['PK', 'SK'],
): number {
  const old = entry(before, spec, tableKeys);
  const next = entry(after, spec, tableKeys);
  if (old === undefined) return next === undefined ? 0 : units(next);
  if (next === undefined) return units(old);
  const keys = [spec.partitionKey.name, spec.sortKey.name];
  if (keys.some((k) => !same(old[k], next[k]))) return units(old) + units(next);
  return sameEntry(old, next) ? 0 : units(next);
}

/**
 * Follows every successful write request to the tables (the low-level inputs, as a client
 * middleware sees them) and adds up what each of several index designs would have cost,
 * keeping the last image of each item it saw written.
 */
export class IndexWriteModel {
  private readonly items = new Map<string, Item>();
  /** Write units per design name, since the model was made. */
  readonly totals: Record<string, number>;

  constructor(
    private readonly designs: Record<string, readonly IndexCostSpec[]>,
    private readonly tableKeys: readonly string[] = ['PK', 'SK'],
  ) {
    this.totals = Object.fromEntries(Object.keys(designs).map((name) => [name, 0]));
  }

  /** Records a write request that succeeded. */
  written(command: string, input: Record<string, unknown>): void {
    if (command === 'PutItemCommand') this.put(input.TableName as string, input.Item as Item);
    else if (command === 'DeleteItemCommand') this.remove(input.TableName as string, input.Key as Item);
    else if (command === 'TransactWriteItemsCommand') {
      for (const action of (input.TransactItems ?? []) as Record<string, Record<string, unknown>>[]) {
        if (action.Put) this.put(action.Put.TableName as string, action.Put.Item as Item, 2);
        if (action.Delete) this.remove(action.Delete.TableName as string, action.Delete.Key as Item, 2);
      }
    } else if (command === 'BatchWriteItemCommand') {
      for (const [table, requests] of Object.entries(
        (input.RequestItems ?? {}) as Record<string, Record<string, { Item?: Item; Key?: Item }>[]>,
      )) {
        for (const request of requests) {
          if (request.PutRequest?.Item) this.put(table, request.PutRequest.Item);
          if (request.DeleteRequest?.Key) this.remove(table, request.DeleteRequest.Key);
        }
      }
    }
    // UpdateItem (and a transaction's Update) is left out: in this code base no update
    // expression touches an item that carries index keys (counters, expiries, rate limits).
  }

  private key(table: string, item: Item): string {
    return JSON.stringify([table, ...this.tableKeys.map((k) => item[k])]);
  }

  private put(table: string, item: Item, factor = 1): void {
    const key = this.key(table, item);
    this.change(this.items.get(key), item, factor);
    this.items.set(key, item);
  }

  private remove(table: string, keyAttributes: Item, factor = 1): void {
    const key = this.key(table, keyAttributes);
    this.change(this.items.get(key), undefined, factor);
    this.items.delete(key);
  }

  private change(before: Item | undefined, after: Item | undefined, factor: number): void {
    for (const [name, specs] of Object.entries(this.designs)) {
      for (const spec of specs) {
        this.totals[name] =
          (this.totals[name] ?? 0) + factor * indexWriteUnits(before, after, spec, this.tableKeys);
      }
    }
  }
}
