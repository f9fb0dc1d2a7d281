import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { tableWriteUnits, tableWriteUnitsEach, writeTargets } from '../../bench/table-writes.js';

/** An item of `bytes` bytes or a little more, under `sk`. */
const item = (sk: string, bytes: number): Record<string, AttributeValue> => ({
  PK: { S: 'CASE#1' },
  SK: { S: sk },
  d: { S: 'x'.repeat(bytes) },
});

describe('table write units by DynamoDB’s rules', () => {
  it('finds the items each kind of write request touches, and which are transactions', () => {
    const put = { Put: { TableName: 't', Item: item('CASE', 10) } };
    const update = { Update: { TableName: 't', Key: { PK: { S: 'CASE#1' }, SK: { S: 'SEQ' } } } };
    const check = { ConditionCheck: { TableName: 't', Key: { PK: { S: 'CASE#1' }, SK: { S: 'REF' } } } };
    const transaction = writeTargets('TransactWriteItemsCommand', { TransactItems: [put, update, check] });
    expect(transaction.transaction).toBe(true);
    expect(transaction.targets.map((t) => t.key.SK)).toEqual([{ S: 'CASE' }, { S: 'SEQ' }, { S: 'REF' }]);
    expect(transaction.targets[0]?.put).toEqual(item('CASE', 10));

    const batch = writeTargets('BatchWriteItemCommand', {
      RequestItems: { t: [{ DeleteRequest: { Key: { PK: { S: 'A' }, SK: { S: 'B' } } } }] },
    });
    expect(batch).toEqual({
      targets: [{ table: 't', key: { PK: { S: 'A' }, SK: { S: 'B' } } }],
      transaction: false,
    });
    expect(writeTargets('GetItemCommand', { TableName: 't', Key: {} }).targets).toEqual([]);
  });

  it('charges each item of a transaction twice its own kilobytes, where DynamoDB Local charged less', () => {
    // The transaction DynamoDB Local reported as 6 units: 1.5 KB, 50 bytes and 300 bytes.
    const items = [item('CASE', 1500), item('SEQ', 50), item('EVENT#1', 300)];
    const { targets, transaction } = writeTargets('TransactWriteItemsCommand', {
      TransactItems: items.map((Item) => ({ Put: { TableName: 't', Item } })),
    });
    expect(tableWriteUnits(targets, [undefined, undefined, undefined], items, transaction)).toBe(
      2 * (2 + 1 + 1),
    );
    // Item by item, in the request's order, for the partition each is on.
    expect(tableWriteUnitsEach(targets, [undefined, undefined, undefined], items, transaction)).toEqual([
      4, 2, 2,
    ]);
  });

  it('charges the larger of the item before and after, and at least one unit for a delete of nothing', () => {
    const { targets } = writeTargets('PutItemCommand', { TableName: 't', Item: item('CASE', 100) });
    // Overwriting a 2.5 KB item with a small one costs the 2.5 KB.
    expect(tableWriteUnits(targets, [item('CASE', 2500)], [item('CASE', 100)], false)).toBe(3);
    const deleted = writeTargets('DeleteItemCommand', {
      TableName: 't',
      Key: { PK: { S: 'A' }, SK: { S: 'B' } },
    });
    expect(tableWriteUnits(deleted.targets, [undefined], [undefined], false)).toBe(1);
    // An update that grows an item past a kilobyte is charged its new size.
    const updated = writeTargets('UpdateItemCommand', {
      TableName: 't',
      Key: { PK: { S: 'CASE#1' }, SK: { S: 'CASE' } },
    });
    expect(tableWriteUnits(updated.targets, [item('CASE', 900)], [item('CASE', 1100)], false)).toBe(2);
  });
});
