import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CASE_ITEM_LAYOUT_KEY,
  DESIGNATIONS_INDEXED_KEY,
  OPEN_LAYOUT_KEY,
} from '../../functions/adapters/case-table.js';
import { DynamoDbRateLimiter } from '../../functions/adapters/dynamodb-rate-limiter.js';
import { type CaseTableOnStandIns, startCaseTable } from '../support/case-table.js';

/** The intake limiter's counters on the case table, against Amazon's DynamoDB Local. */

let table: CaseTableOnStandIns;
let raw: DynamoDBDocumentClient;
let tableName: string;
let limiter: DynamoDbRateLimiter;
const NOW = new Date('2026-03-02T10:20:00Z');
const limit = (key: string, max = 3) => ({ key, max, windowSeconds: 3_600 });

beforeAll(async () => {
  table = await startCaseTable();
  ({ raw, tableName } = table);
  limiter = new DynamoDbRateLimiter({ tableName });
});

afterAll(async () => {
  await table?.stop();
});

describe('DynamoDbRateLimiter', () => {
  it('allows up to the limit in a window, then refuses until the window ends', async () => {
    const key = `email:${randomUUID()}@example.com`;
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await limiter.take([limit(key)], NOW, `request-${i}`));

    expect(answers.slice(0, 3)).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    // 10:20 in a window of 10:00-11:00: 40 minutes to go.
    expect(answers[3]).toEqual({ allowed: false, limit: limit(key), retryAfterSeconds: 40 * 60 });
    expect(await limiter.take([limit(key)], new Date('2026-03-02T11:00:00Z'), 'request-5')).toEqual({
      allowed: true,
    });
  });

  it('lets the same request through again without counting it twice', async () => {
    const key = `client:${randomUUID()}`;
    await limiter.take([limit(key, 2)], NOW, 'first');
    await limiter.take([limit(key, 2)], NOW, 'second');

    expect(await limiter.take([limit(key, 2)], NOW, 'first')).toEqual({ allowed: true });
    expect((await limiter.take([limit(key, 2)], NOW, 'third')).allowed).toBe(false);
  });

  it('lets exactly the limit through when many race for the last places', async () => {
    const key = `client:${randomUUID()}`;

    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => limiter.take([limit(key, 5)], NOW, `racer-${i}`)),
    );

    expect(answers.filter((a) => a.allowed)).toHaveLength(5);
  });

  it('refuses at the first limit used up, naming it', async () => {
    const email = limit(`email:${randomUUID()}@example.com`, 1);
    const client = limit(`client:${randomUUID()}`, 5);
    await limiter.take([email, client], NOW, 'one');

    const answer = await limiter.take([email, client], NOW, 'two');

    expect(answer).toMatchObject({ allowed: false, limit: email });
  });

  it('keeps no email address or client address in its items, and lets them expire', async () => {
    const address = `${randomUUID()}@example.com`;
    await limiter.take([limit(`email:${address}`)], NOW, 'r');

    // Every item but the table's own marker that designations are indexed (written at creation).
    const items = ((await raw.send(new ScanCommand({ TableName: tableName }))).Items ?? []).filter(
      // Beside the limiter's counters, only what a new table starts with.
      (i) =>
        ![DESIGNATIONS_INDEXED_KEY, OPEN_LAYOUT_KEY, CASE_ITEM_LAYOUT_KEY].some(
          (k) => i.PK === k.PK && i.SK === k.SK,
        ),
    );
    expect(items.length).toBeGreaterThan(0);
    expect(JSON.stringify(items)).not.toContain(address);
    expect(items.every((i) => i.entity === 'rate' && typeof i.expiresAt === 'number')).toBe(true);
  });
});
