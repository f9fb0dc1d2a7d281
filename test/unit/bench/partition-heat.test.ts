import { describe, expect, it } from 'vitest';
import { indexEntryChanges, PartitionHeat, TABLE_SCOPE, unshardedKey } from '../../bench/partition-heat.js';

const design = {
  partitionKey: { name: 'PK' },
  sortKey: { name: 'SK' },
  globalSecondaryIndexes: [
    {
      indexName: 'Open',
      partitionKey: { name: 'GSI1PK' },
      sortKey: { name: 'GSI1SK' },
      projection: 'KEYS_ONLY',
    },
  ],
};

/** A case item of about `kb` KB, open in shard `shard` (or not open) with this deadline. */
function caseItem(id: string, kb: number, open?: { shard: number; due: string }) {
  return {
    PK: { S: `CASE#${id}` },
    SK: { S: 'CASE' },
    summary: { S: 'x'.repeat(kb * 1024 - 200) },
    ...(open ? { GSI1PK: { S: `OPEN#${open.shard}` }, GSI1SK: { S: `${open.due}#${id}` } } : {}),
  };
}

const units = (heat: PartitionHeat, scope: string, key: string) =>
  heat.partitions().find((p) => p.scope === scope && p.key === key);

describe('partition heat', () => {
  it("charges each item of a transaction twice its own kilobytes, on the item's partition", () => {
    // Prepare: a 3 KB case and a small reference item, written together: 6 and 2 units
    const heat = new PartitionHeat(design);

    // Act
    heat.record(
      'intake',
      'TransactWriteItemsCommand',
      {
        TransactItems: [
          { Put: { TableName: 't', Item: caseItem('1', 3) } },
          { Put: { TableName: 't', Item: { PK: { S: 'REF#CMP-1' }, SK: { S: 'REF' } } } },
        ],
      },
      { output: { ConsumedCapacity: [{ TableName: 't', CapacityUnits: 8, Table: { CapacityUnits: 8 } }] } },
    );

    // Assess
    expect(units(heat, TABLE_SCOPE, 'CASE#1')?.writeUnits).toBe(6);
    expect(units(heat, TABLE_SCOPE, 'REF#CMP-1')?.writeUnits).toBe(2);
  });

  it("prices a transaction by DynamoDB's rules where DynamoDB Local reports less", () => {
    // Prepare: ten small counter updates in one transaction, which DynamoDB Local reports as 2
    // units; DynamoDB charges each 2
    const heat = new PartitionHeat(design);
    const counter = (sk: string) => ({ PK: { S: 'REPORT#basis#3' }, SK: { S: sk } });
    const keys = Array.from({ length: 10 }, (_, i) => counter(`D2026-12-06#${i}`));

    // Act
    heat.record(
      'stream',
      'TransactWriteItemsCommand',
      { TransactItems: keys.map((Key) => ({ Update: { TableName: 't', Key } })) },
      {
        output: { ConsumedCapacity: [{ TableName: 't', CapacityUnits: 2, Table: { CapacityUnits: 2 } }] },
        images: { before: keys.map(() => undefined), after: keys.map((k) => ({ ...k, n: { N: '1' } })) },
      },
    );

    // Assess
    expect(units(heat, TABLE_SCOPE, 'REPORT#basis#3')).toMatchObject({ writeUnits: 20, writes: 10 });
  });

  it('prices an update by the larger of the images read before and after it', () => {
    // Prepare: an update that grows a 900-byte case past a kilobyte; no put of it was seen
    const heat = new PartitionHeat(design);
    const key = { PK: { S: 'CASE#1' }, SK: { S: 'CASE' } };
    const sized = (bytes: number) => ({ ...key, summary: { S: 'x'.repeat(bytes) } });

    // Act
    heat.record(
      'steps',
      'UpdateItemCommand',
      { TableName: 't', Key: key },
      {
        output: { ConsumedCapacity: { TableName: 't', CapacityUnits: 1 } },
        images: { before: [sized(900)], after: [sized(1100)] },
      },
    );

    // Assess
    expect(units(heat, TABLE_SCOPE, 'CASE#1')?.writeUnits).toBe(2);
  });

  it('gives the index units to the partitions an entry leaves and joins, from the last image written', () => {
    // Prepare: a case open in shard 3, then the same case moved to another deadline in shard 3
    // and, later, closed (out of the index)
    const heat = new PartitionHeat(design);
    const put = (item: ReturnType<typeof caseItem>, indexUnits: number) =>
      heat.record(
        'steps',
        'PutItemCommand',
        { TableName: 't', Item: item },
        {
          output: {
            ConsumedCapacity: {
              TableName: 't',
              CapacityUnits: 1 + indexUnits,
              Table: { CapacityUnits: 1 },
              GlobalSecondaryIndexes: { Open: { CapacityUnits: indexUnits } },
            },
          },
        },
      );

    // Act
    put(caseItem('1', 1, { shard: 3, due: '2026-01-01' }), 1);
    put(caseItem('1', 1, { shard: 3, due: '2026-02-01' }), 2);
    put(caseItem('1', 1), 1);

    // Assess: a new entry (1), a moved one (out and in: 2), a deleted one (1)
    expect(units(heat, 'Open', 'OPEN#3')).toMatchObject({ writeUnits: 4, writes: 4 });
    expect(heat.unattributed.size).toBe(0);
  });

  it('charges a failed conditional write its items, doubled in a transaction, with the reasons counted', () => {
    // Prepare
    const heat = new PartitionHeat(design);
    const conflict = Object.assign(new Error('cancelled'), {
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
    });

    // Act
    heat.record(
      'stream',
      'TransactWriteItemsCommand',
      {
        TransactItems: [
          { Put: { TableName: 't', Item: caseItem('1', 2) } },
          { Update: { TableName: 't', Key: { PK: { S: 'CASE#1' }, SK: { S: 'SEQ' } } } },
        ],
      },
      { error: conflict },
    );

    // Assess
    expect(units(heat, TABLE_SCOPE, 'CASE#1')?.writeUnits).toBe(2 * 2 + 2 * 1);
    expect([...heat.failures]).toEqual([
      ['stream: TransactionCanceledException (ConditionalCheckFailed)', 1],
    ]);
  });

  it("reads a Query's units on the partition its key condition names, at least a read's minimum", () => {
    // Prepare
    const heat = new PartitionHeat(design);

    // Act: an index Query through a name placeholder, and an empty strongly consistent Query
    heat.record(
      'intake',
      'QueryCommand',
      {
        TableName: 't',
        IndexName: 'Open',
        KeyConditionExpression: '#pk = :pk AND GSI1SK < :due',
        ExpressionAttributeNames: { '#pk': 'GSI1PK' },
        ExpressionAttributeValues: { ':pk': { S: 'OPEN#7' }, ':due': { S: '2026' } },
      },
      { output: { ConsumedCapacity: { TableName: 't', CapacityUnits: 2.5 } } },
    );
    heat.record(
      'intake',
      'QueryCommand',
      {
        TableName: 't',
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'DESIGNATED#abc' } },
        ConsistentRead: true,
      },
      { output: { ConsumedCapacity: { TableName: 't', CapacityUnits: 0 } } },
    );

    // Assess
    expect(units(heat, 'Open', 'OPEN#7')).toMatchObject({ readUnits: 2.5, reads: 1 });
    expect(units(heat, TABLE_SCOPE, 'DESIGNATED#abc')).toMatchObject({ readUnits: 1, reads: 1 });
  });

  it('leaves out the units of sources that are not counted, but follows their writes', () => {
    // Prepare: a reconciler's write is not counted, yet the image it wrote is the next write's before
    const heat = new PartitionHeat(design, (source) => source !== 'periodic');

    // Act
    heat.record(
      'periodic',
      'PutItemCommand',
      { TableName: 't', Item: caseItem('1', 1, { shard: 2, due: 'a' }) },
      {},
    );
    heat.record('steps', 'PutItemCommand', { TableName: 't', Item: caseItem('1', 1) }, {});

    // Assess: only the counted write, which took the entry out of shard 2
    expect(units(heat, TABLE_SCOPE, 'CASE#1')?.writes).toBe(1);
    expect(units(heat, 'Open', 'OPEN#2')?.writeUnits).toBe(1);
    expect(heat.requests.get('periodic PutItem')).toBe(1);
  });
});

describe('index entry changes', () => {
  const spec = {
    indexName: 'Open',
    partitionKey: { name: 'GSI1PK' },
    sortKey: { name: 'GSI1SK' },
    projection: 'KEYS_ONLY' as const,
  };

  it('names nothing for an item that is not in the index before or after', () => {
    expect(indexEntryChanges(caseItem('1', 1), caseItem('1', 2), spec)).toEqual([]);
  });

  it('moves an entry between shards as a delete and a put', () => {
    expect(
      indexEntryChanges(
        caseItem('1', 1, { shard: 1, due: 'a' }),
        caseItem('1', 1, { shard: 5, due: 'a' }),
        spec,
      ),
    ).toEqual([
      { partition: 'OPEN#1', units: 1 },
      { partition: 'OPEN#5', units: 1 },
    ]);
  });
});

describe('keys before shards', () => {
  it('strips the shard from the open, received and service index keys only', () => {
    expect(unshardedKey('OpenByDeadline', 'OPEN#12')).toBe('OPEN');
    expect(unshardedKey('ByReceived', 'RECEIVED#2026-12#3')).toBe('RECEIVED#2026-12');
    expect(unshardedKey('ByService', 'SERVICE#housing#0')).toBe('SERVICE#housing');
    expect(unshardedKey('ByService', 'SERVICE#housing')).toBe('SERVICE#housing');
    expect(unshardedKey(TABLE_SCOPE, 'REPORT#basis#7')).toBe('REPORT#basis#7');
  });
});
