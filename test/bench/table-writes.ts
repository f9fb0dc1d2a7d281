/**
 * What a write request costs the table on AWS, in write units, from the items it touches as they
 * were before it and are after it. DynamoDB Local's own figure (`ReturnConsumedCapacity`) is not
 * DynamoDB's: measured here, a transaction of a 1.5 KB item, a 50-byte one and a 300-byte one
 * reported 6 units where DynamoDB charges 8, and three 100-byte items 2 where it charges 6. So
 * `bench:cost` prices this model, and prints Local's figure beside it. The rules are DynamoDB's
 * ("Read/write capacity mode" and "Capacity management for transactions" in its developer guide):
 * - each item a request writes costs ceil(size / 1 KB) units, at least one, where the size is the
 *   larger of the item before and after the write (PutItem, UpdateItem, DeleteItem alike);
 * - in a transaction every item costs twice that, a `ConditionCheck` included;
 * - a write whose condition fails, or a cancelled transaction, is charged as if it had written.
 * The indexes' units are not in this figure (`index-writes.ts` models them).
 *
 * Hand-written: no library prices DynamoDB writes; this only measures and changes nothing.
 */
import { type AttributeValue, type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { itemSize } from './index-writes.js';

type Item = Record<string, AttributeValue>;

/** One item a write request touches: where it is, and the item a `Put` gives. */
export interface WriteTarget {
  table: string;
  key: Item;
  put?: Item;
}

/** The items a (marshalled) write request touches, and whether it is a transaction; none for a read. */
export function writeTargets(
  command: string,
  input: Record<string, unknown>,
  keyNames: readonly string[] = ['PK', 'SK'],
): { targets: WriteTarget[]; transaction: boolean } {
  const keyOf = (item: Item): Item =>
    Object.fromEntries(
      keyNames.filter((k) => item[k] !== undefined).map((k) => [k, item[k] as AttributeValue]),
    );
  const put = (table: string, item: Item): WriteTarget => ({ table, key: keyOf(item), put: item });
  const at = (table: string, key: Item): WriteTarget => ({ table, key });
  const table = input.TableName as string;
  switch (command) {
    case 'PutItemCommand':
      return { targets: [put(table, input.Item as Item)], transaction: false };
    case 'UpdateItemCommand':
    case 'DeleteItemCommand':
      return { targets: [at(table, input.Key as Item)], transaction: false };
    case 'TransactWriteItemsCommand': {
      const actions = (input.TransactItems ?? []) as Record<string, Record<string, unknown>>[];
      const targets = actions.map((action) => {
        if (action.Put) return put(action.Put.TableName as string, action.Put.Item as Item);
        const one = (action.Update ?? action.Delete ?? action.ConditionCheck) as Record<string, unknown>;
        return at(one.TableName as string, one.Key as Item);
      });
      return { targets, transaction: true };
    }
    case 'BatchWriteItemCommand': {
      const targets: WriteTarget[] = [];
      for (const [name, requests] of Object.entries(
        (input.RequestItems ?? {}) as Record<
          string,
          { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]
        >,
      )) {
        for (const request of requests) {
          if (request.PutRequest) targets.push(put(name, request.PutRequest.Item));
          if (request.DeleteRequest) targets.push(at(name, request.DeleteRequest.Key));
        }
      }
      return { targets, transaction: false };
    }
    default:
      return { targets: [], transaction: false };
  }
}

/** The items as they are now, read consistently by a client that is not metered. */
export async function images(client: DynamoDBClient, targets: WriteTarget[]): Promise<(Item | undefined)[]> {
  return Promise.all(
    targets.map(
      async (t) =>
        (await client.send(new GetItemCommand({ TableName: t.table, Key: t.key, ConsistentRead: true })))
          .Item,
    ),
  );
}

/** The table's write units of a request, from its targets and their images before and after. */
export function tableWriteUnits(
  targets: WriteTarget[],
  before: (Item | undefined)[],
  after: (Item | undefined)[],
  transaction: boolean,
): number {
  return tableWriteUnitsEach(targets, before, after, transaction).reduce((sum, u) => sum + u, 0);
}

/** The table's write units of each item a request writes, in the request's order (`tableWriteUnits` item by item). */
export function tableWriteUnitsEach(
  targets: WriteTarget[],
  before: (Item | undefined)[],
  after: (Item | undefined)[],
  transaction: boolean,
): number[] {
  const size = (item: Item | undefined) =>
    item === undefined ? 0 : itemSize(item as unknown as Parameters<typeof itemSize>[0]);
  return targets.map((target, i) => {
    const bytes = Math.max(size(before[i]), size(after[i]), size(target.put));
    return (transaction ? 2 : 1) * Math.max(1, Math.ceil(bytes / 1024));
  });
}
