import { createHash, randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseKey, termKey } from '../../functions/adapters/case-table.js';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { tombstoneOf } from '../../functions/domain/legal-hold.js';
import { caseSearchTerms } from '../../functions/domain/search-terms.js';
import { newCaseTable } from '../support/case-table.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';
import { awaitingAcknowledgement } from '../support/stored-case.js';

/**
 * `npm run search:index` against DynamoDB Local: after an upgrade that changes how search terms
 * are made, the table's term items are made to match what each case is found by now. A case's
 * own writes change only the terms that differ by the code that runs, so terms an older version
 * wrote would otherwise outlive the case's erasure and its retention.
 */

let standIns: StandIns;
let raw: DynamoDBDocumentClient;

beforeAll(async () => {
  standIns = await startStandIns(['dynamodb']);
  raw = DynamoDBDocumentClient.from(new DynamoDBClient({}));
});

afterAll(async () => {
  raw?.destroy();
  await standIns?.stop();
});

const received = { at: '2026-03-02T10:00:01.000Z', type: 'received', actor: 'resident' } as const;

function newCase(name: string, overrides: Partial<CaseRecord> = {}): CaseRecord {
  const caseId = randomUUID();
  return awaitingAcknowledgement({
    caseId,
    reference: `CMP-2026-${caseId.slice(0, 8)}`,
    service: 'housing-repairs',
    complainant: { name, email: `${caseId.slice(0, 8)}@example.org`, phone: '01632 960123' },
    ...overrides,
  });
}

/** A new table, as a deployed one whose cases an older version indexed. */
async function table(): Promise<{ tableName: string; store: DynamoDbCaseStore }> {
  const tableName = await newCaseTable();
  return { tableName, store: new DynamoDbCaseStore({ tableName }) };
}

/** A term item as an older version wrote it: the term's hash, the case, no expiry. */
async function putOldTerm(tableName: string, term: string, record: CaseRecord): Promise<void> {
  await raw.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...termKey(term, record.caseId),
        entity: 'term',
        caseId: record.caseId,
        receivedAt: record.receivedAt,
      },
    }),
  );
}

async function termItem(tableName: string, term: string, caseId: string) {
  return (await raw.send(new GetCommand({ TableName: tableName, Key: termKey(term, caseId) }))).Item;
}

/** Every term item left for a case, whatever its term. */
async function termItemsOf(tableName: string, caseId: string, terms: string[]): Promise<string[]> {
  const left: string[] = [];
  for (const term of terms) if (await termItem(tableName, term, caseId)) left.push(term);
  return left;
}

describe('npm run search:index: search terms made again after an upgrade', () => {
  it('deletes the terms an older version wrote and adds those a case lacks, then finds it by its terms alone', async () => {
    const { tableName, store } = await table();
    const record = newCase('Ada Resident');
    await store.create(record, received);
    // An older version made a term this one does not (a phone of too few digits, say), and not
    // one this one makes.
    await putOldTerm(tableName, 'phone:12345', record);
    await raw.send(
      new TransactWriteCommand({
        TransactItems: [{ Delete: { TableName: tableName, Key: termKey('name:resident', record.caseId) } }],
      }),
    );
    expect((await store.search(['phone:12345'], 10)).map((c) => c.caseId)).toEqual([record.caseId]);
    expect(await store.search(['name:resident'], 10)).toEqual([]);

    const result = await store.indexSearchTerms();

    expect(result).toEqual({ cases: 1, added: 1, removed: 1, changed: 0 });
    expect(await store.search(['phone:12345'], 10)).toEqual([]);
    expect((await store.search(['name:resident'], 10)).map((c) => c.caseId)).toEqual([record.caseId]);
    expect((await termItemsOf(tableName, record.caseId, caseSearchTerms(record))).sort()).toEqual(
      caseSearchTerms(record),
    );
  });

  it('deletes every term of an erased case and of a case that is gone, so none outlives it', async () => {
    const { tableName, store } = await table();
    const erased = newCase('Grace Hopper');
    await store.create(erased, received);
    await putOldTerm(tableName, 'name:brewster', erased);
    const at = '2026-04-01T09:00:00.000Z';
    await store.erase(
      erased.caseId,
      1,
      tombstoneOf(erased, { at, by: 'dpo@council.example', ground: 'objection' }),
      {
        at,
        type: 'erased',
        actor: 'dpo@council.example',
      },
    );
    // The erasure deleted the terms it knows; the older version's term stays until the run.
    expect(await termItem(tableName, 'name:brewster', erased.caseId)).toBeDefined();
    const gone = newCase('Mary Somerville');
    await putOldTerm(tableName, 'name:somerville', gone);

    const result = await store.indexSearchTerms();

    expect(result).toMatchObject({ removed: 2, changed: 0 });
    expect(await termItem(tableName, 'name:brewster', erased.caseId)).toBeUndefined();
    expect(await termItem(tableName, 'name:somerville', gone.caseId)).toBeUndefined();
  });

  it('gives a closed case’s terms its expiry, so they go when it does', async () => {
    const { tableName, store } = await table();
    const record = newCase('Ada Resident');
    await store.create(record, received);
    // An older version's term items never expired; the case item now does.
    const expiresAt = Math.floor(Date.parse('2028-03-02T00:00:00.000Z') / 1000);
    await raw.send(
      new UpdateCommand({
        TableName: tableName,
        Key: caseKey(record.caseId),
        UpdateExpression: 'SET expiresAt = :at',
        ExpressionAttributeValues: { ':at': expiresAt },
      }),
    );

    const result = await store.indexSearchTerms();

    expect(result).toMatchObject({ added: caseSearchTerms(record).length, removed: 0 });
    for (const term of caseSearchTerms(record)) {
      expect((await termItem(tableName, term, record.caseId))?.expiresAt).toBe(expiresAt);
    }
    // A second run has nothing left to do.
    expect(await store.indexSearchTerms()).toEqual({ cases: 1, added: 0, removed: 0, changed: 0 });
  });

  it('leaves a case that changed while it ran for the next run, and counts it', async () => {
    const { tableName } = await table();
    const record = newCase('Ada Resident');
    await new DynamoDbCaseStore({ tableName }).create(record, received);
    await putOldTerm(tableName, 'phone:12345', record);
    // A client that lets the case change just before the run's first write.
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const send = client.send.bind(client) as (command: unknown) => Promise<unknown>;
    let changedFirst = false;
    (client as unknown as { send: (command: unknown) => Promise<unknown> }).send = async (command) => {
      if (command instanceof TransactWriteCommand && !changedFirst) {
        changedFirst = true;
        await raw.send(
          new UpdateCommand({
            TableName: tableName,
            Key: caseKey(record.caseId),
            UpdateExpression: 'SET version = version + :one',
            ExpressionAttributeValues: { ':one': 1 },
          }),
        );
      }
      return send(command);
    };
    const store = new DynamoDbCaseStore({ tableName, client });

    expect(await store.indexSearchTerms()).toEqual({ cases: 1, added: 0, removed: 0, changed: 1 });
    expect(await termItem(tableName, 'phone:12345', record.caseId)).toBeDefined();

    expect(await store.indexSearchTerms()).toEqual({ cases: 1, added: 0, removed: 1, changed: 0 });
    expect(await termItem(tableName, 'phone:12345', record.caseId)).toBeUndefined();
    client.destroy();
  });

  it('keys term items by the hash of the term alone, so the run finds an older version’s items', () => {
    const caseId = randomUUID();
    expect(termKey('name:ada', caseId)).toEqual({
      PK: `TERM#${createHash('sha256').update('name:ada').digest('hex')}`,
      SK: `CASE#${caseId}`,
    });
  });
});
