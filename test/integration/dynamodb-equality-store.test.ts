import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbEqualityStore } from '../../functions/adapters/dynamodb-equality-store.js';
import { type CaseTableOnStandIns, startCaseTable } from '../support/case-table.js';

/** Equality monitoring answers on the case table, against Amazon's DynamoDB Local. */

let table: CaseTableOnStandIns;
let raw: DynamoDBDocumentClient;
let tableName: string;
let store: DynamoDbEqualityStore;
const EXPIRES = new Date('2030-12-01T00:00:00Z');

beforeAll(async () => {
  table = await startCaseTable();
  ({ raw, tableName } = table);
  store = new DynamoDbEqualityStore({ tableName });
});

afterAll(async () => {
  await table?.stop();
});

async function all(from: string, to: string) {
  const out = [];
  for await (const r of store.between(from, to)) out.push(r);
  return out;
}

describe('DynamoDbEqualityStore', () => {
  it('keeps the first answers of a form and reads whole months across a year end', async () => {
    const form = randomUUID();
    expect(
      await store.record(form, { month: '2026-12', kind: 'complaint', answers: { age: '25-34' } }, EXPIRES),
    ).toBe('recorded');
    expect(
      await store.record(form, { month: '2026-12', kind: 'complaint', answers: { age: '75-plus' } }, EXPIRES),
    ).toBe('duplicate');
    await store.record(randomUUID(), { month: '2027-01', kind: 'compliment', answers: {} }, EXPIRES);
    await store.record(
      randomUUID(),
      { month: '2027-04', kind: 'comment', answers: { sex: 'female' } },
      EXPIRES,
    );

    expect(await all('2026-12', '2027-03')).toEqual([
      { month: '2026-12', kind: 'complaint', answers: { age: '25-34' } },
      { month: '2027-01', kind: 'compliment', answers: {} },
    ]);
  });

  it('stores nothing that leads to a case, a resident or a time of day', async () => {
    const form = randomUUID();
    await store.record(
      form,
      { month: '2026-11', kind: 'complaint', answers: { ethnicity: 'white' } },
      EXPIRES,
    );

    const { Items } = await raw.send(new ScanCommand({ TableName: tableName }));
    const item = Items?.find((i) => i.PK === 'EQUALITY#2026-11');
    expect(Object.keys(item ?? {}).sort()).toEqual(['PK', 'SK', 'answers', 'entity', 'expiresAt', 'kind']);
    expect(JSON.stringify(item)).not.toContain(form);
    expect(item?.expiresAt).toBe(EXPIRES.getTime() / 1000);
  });

  it('refuses a month that is not one rather than reading for ever', async () => {
    await expect(all('2026-13', '2027-01')).rejects.toThrow(/month/);
  });

  it('keeps one set of answers per feedback across forms, in an item that names nothing but a hash', async () => {
    const once = randomUUID();
    const month = '2026-10';

    const first = await store.record(
      randomUUID(),
      { month, kind: 'comment', answers: { age: '25-34' } },
      EXPIRES,
      once,
    );
    const second = await store.record(
      randomUUID(),
      { month, kind: 'comment', answers: { age: '75-plus' } },
      EXPIRES,
      once,
    );

    expect([first, second]).toEqual(['recorded', 'duplicate']);
    expect(await all(month, month)).toEqual([{ month, kind: 'comment', answers: { age: '25-34' } }]);
    const items = (await raw.send(new ScanCommand({ TableName: tableName }))).Items ?? [];
    const markers = items.filter((i) => i.PK === 'EQUALITY-GIVEN');
    expect(markers).toHaveLength(1);
    expect(Object.keys(markers[0] ?? {}).sort()).toEqual(['PK', 'SK', 'entity', 'expiresAt']);
    expect(JSON.stringify(items)).not.toContain(once);
  });
});
