/**
 * DynamoDB Local keeps every transaction it has answered, even when its JVM is killed the moment
 * after. The jar answers TransactWriteItems before its COMMIT has run; the stand-in's launcher
 * holds the answer until it has (`DynamoDbLocalOnLoopback.java`). Without that, a case whose
 * 201 the resident had seen could vanish when DynamoDB Local was killed (found by the fault
 * tests of `npm start`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AWS_ENV, type RunningStandIn, startDynamoDbLocal } from '../../infra/local/stand-ins/index.js';
import { dynamoDbLocalPids } from '../support/faults.js';

const TABLE = 'durability';
/** Kills, each right after the answer to the Nth transaction of several writers. */
const KILLS = 3;
const WRITERS = 8;
const ANSWERED_BEFORE_KILL = 60;

let dataDir: string;
let standIn: RunningStandIn | undefined;

function clientFor(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: {
      accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID,
      secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY,
    },
    maxAttempts: 1,
  });
}

/** Writers send transactions until the Nth answer, which is followed at once by SIGKILL. */
async function writeUntilKilled(endpoint: string, round: number): Promise<string[]> {
  const [pid, ...others] = dynamoDbLocalPids(process.pid);
  if (pid === undefined || others.length > 0) throw new Error('expected one DynamoDB Local of this process');
  const client = clientFor(endpoint);
  const answered: string[] = [];
  let killed = false;
  const writer = async (w: number) => {
    for (let i = 0; !killed && i < ANSWERED_BEFORE_KILL; i++) {
      const key = `${round}-${w}-${i}`;
      try {
        await client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Put: {
                  TableName: TABLE,
                  Item: { k: { S: key } },
                  ConditionExpression: 'attribute_not_exists(k)',
                },
              },
              { Put: { TableName: TABLE, Item: { k: { S: `${key}-pair` } } } },
            ],
          }),
        );
      } catch (error: unknown) {
        // Only the requests in flight at the kill fail: they were never answered.
        if (killed) return;
        throw error;
      }
      if (killed) return;
      answered.push(key);
      if (answered.length === ANSWERED_BEFORE_KILL) {
        killed = true;
        process.kill(pid, 'SIGKILL');
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
  } finally {
    client.destroy();
  }
  return answered;
}

describe('DynamoDB Local stand-in', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-durability-'));
    standIn = await startDynamoDbLocal({ dataDir });
    const client = clientFor(standIn.endpoint);
    await client.send(
      new CreateTableCommand({
        TableName: TABLE,
        KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    client.destroy();
  });

  afterAll(async () => {
    await standIn?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every transaction it answered when its JVM is killed right after the answer', async () => {
    const lost: string[] = [];
    for (let round = 0; round < KILLS; round++) {
      // Act: kill it mid-stream, then start it again on the same port and data.
      const endpoint = (standIn as RunningStandIn).endpoint;
      const answered = await writeUntilKilled(endpoint, round);
      await standIn?.stop();
      standIn = await startDynamoDbLocal({ dataDir, port: Number(new URL(endpoint).port) });

      // Assess
      const client = clientFor(standIn.endpoint);
      for (const key of answered) {
        const found = await client.send(new GetItemCommand({ TableName: TABLE, Key: { k: { S: key } } }));
        if (found.Item === undefined) lost.push(key);
      }
      client.destroy();
      expect(answered).toHaveLength(ANSWERED_BEFORE_KILL);
    }
    expect(lost).toEqual([]);
  }, 120_000);
});
