import { describe, expect, it } from 'vitest';
import { type IndexCostSpec, IndexWriteModel, indexWriteUnits, itemSize } from '../../bench/index-writes.js';

const keysOnly: IndexCostSpec = {
  indexName: 'Open',
  partitionKey: { name: 'GSI1PK' },
  sortKey: { name: 'GSI1SK' },
  projection: 'KEYS_ONLY',
};
const all: IndexCostSpec = { ...keysOnly, projection: 'ALL' };

/** A case item of about `kb` KB in the index under `sort`. */
function caseItem(sort: string | undefined, kb: number, version = 1) {
  return {
    PK: { S: 'CASE#1' },
    SK: { S: 'CASE' },
    version: { N: String(version) },
    summary: { S: 'x'.repeat(kb * 1024 - 100) },
    ...(sort === undefined ? {} : { GSI1PK: { S: 'OPEN' }, GSI1SK: { S: sort } }),
  };
}

describe('index write units', () => {
  it('sizes an item by its attribute names and values', () => {
    expect(itemSize({ ab: { S: 'héllo' }, n: { N: '1234' }, ok: { BOOL: true } })).toBe(
      2 + 6 + 1 + 3 + 2 + 1,
    );
  });

  it('charges a new entry its projected size, and nothing for an item without the index keys', () => {
    expect(indexWriteUnits(undefined, caseItem('2026-01-01#1', 3), all)).toBe(3);
    expect(indexWriteUnits(undefined, caseItem('2026-01-01#1', 3), keysOnly)).toBe(1);
    expect(indexWriteUnits(undefined, caseItem(undefined, 3), all)).toBe(0);
  });

  it('charges a keys-only entry nothing when an update leaves its keys alone, a whole copy every time', () => {
    const before = caseItem('2026-01-01#1', 3, 1);
    const after = caseItem('2026-01-01#1', 3, 2);

    expect(indexWriteUnits(before, after, keysOnly)).toBe(0);
    expect(indexWriteUnits(before, after, all)).toBe(3);
  });

  it('charges a delete and a put when an update moves the item to another key, and a delete when it leaves', () => {
    expect(indexWriteUnits(caseItem('2026-01-01#1', 3), caseItem('2026-02-01#1', 3), all)).toBe(6);
    expect(indexWriteUnits(caseItem('2026-01-01#1', 3), caseItem(undefined, 3), all)).toBe(3);
  });

  it('follows writes, a transaction’s counted double, for each design side by side', () => {
    const model = new IndexWriteModel({ lean: [keysOnly], whole: [all] });

    model.written('TransactWriteItemsCommand', {
      TransactItems: [{ Put: { TableName: 't', Item: caseItem('2026-01-01#1', 2, 1) } }],
    });
    model.written('PutItemCommand', { TableName: 't', Item: caseItem('2026-01-01#1', 2, 2) });
    model.written('DeleteItemCommand', { TableName: 't', Key: { PK: { S: 'CASE#1' }, SK: { S: 'CASE' } } });

    // The transaction's put counts double: lean 2 + 0 + 1, whole 2×2 + 2 + 2.
    expect(model.totals).toEqual({ lean: 3, whole: 8 });
  });
});
