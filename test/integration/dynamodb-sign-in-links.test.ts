import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbSignInLinks } from '../../functions/adapters/dynamodb-sign-in-links.js';
import { signInTokenHash } from '../../functions/domain/resident-access.js';
import { type CaseTableOnStandIns, startCaseTable } from '../support/case-table.js';

/** Residents' one-time sign-in links on the case table, against Amazon's DynamoDB Local. */

let table: CaseTableOnStandIns;
let raw: DynamoDBDocumentClient;
let tableName: string;
let links: DynamoDbSignInLinks;
const AT = '2026-03-02T10:20:00.000Z';
const EXPIRES = '2026-03-02T10:35:00.000Z';

beforeAll(async () => {
  table = await startCaseTable();
  ({ raw, tableName } = table);
  links = new DynamoDbSignInLinks({ tableName });
});

afterAll(async () => {
  await table?.stop();
});

describe('DynamoDbSignInLinks', () => {
  it('lets a link be used once, then says it was used', async () => {
    const hash = signInTokenHash(`token-${randomUUID()}`);
    await links.issue(hash, 'case-1', EXPIRES);

    expect(await links.use(hash, AT)).toBe('first-use');
    expect(await links.use(hash, AT)).toBe('used');
  });

  it('knows no link it never issued', async () => {
    expect(await links.use(signInTokenHash(`never-${randomUUID()}`), AT)).toBe('unknown');
  });

  it('lets exactly one of many racing uses win', async () => {
    const hash = signInTokenHash(`token-${randomUUID()}`);
    await links.issue(hash, 'case-2', EXPIRES);

    const uses = await Promise.all(Array.from({ length: 10 }, () => links.use(hash, AT)));

    expect(uses.filter((u) => u === 'first-use')).toHaveLength(1);
    expect(uses.filter((u) => u === 'used')).toHaveLength(9);
  });

  it('stores only the hash, expiring by TTL a day after the link', async () => {
    const token = `secret-token-${randomUUID()}`;
    await links.issue(signInTokenHash(token), 'case-3', EXPIRES);

    const items = (await raw.send(new ScanCommand({ TableName: tableName }))).Items ?? [];

    expect(JSON.stringify(items)).not.toContain(token);
    const item = items.find((i) => i.caseId === 'case-3');
    expect(item?.PK).toBe(`SIGNIN#${signInTokenHash(token)}`);
    expect(item?.expiresAt).toBe(Date.parse(EXPIRES) / 1000 + 86_400);
  });

  it('knows a session signed out of, from the first read after, and no other', async () => {
    const session = `session-${randomUUID()}`;
    const until = new Date(Date.now() + 3_600_000).toISOString();

    expect(await links.signedOut(session)).toBe(false);
    await links.signOut(session, until);
    await links.signOut(session, until);

    expect(await links.signedOut(session)).toBe(true);
    expect(await links.signedOut(`session-${randomUUID()}`)).toBe(false);
  });

  it('reads a sign-out with one strongly consistent GetItem of its key alone', async () => {
    // Prepare: an adapter whose requests are seen
    const sent: { command: string; input: Record<string, unknown> }[] = [];
    const counted = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    counted.middlewareStack.add(
      (next, context) => (args) => {
        sent.push({ command: String(context.commandName), input: args.input as Record<string, unknown> });
        return next(args);
      },
      { step: 'initialize' },
    );
    const seen = new DynamoDbSignInLinks({ tableName, client: counted });

    // Act
    await seen.signedOut(`session-${randomUUID()}`);

    // Assess
    expect(sent).toHaveLength(1);
    expect(sent[0]?.command).toBe('GetItemCommand');
    expect(sent[0]?.input).toMatchObject({ ConsistentRead: true, ProjectionExpression: 'PK' });
    counted.destroy();
  });
});
