import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { createCaseTable } from '../../functions/adapters/case-table.js';
import { LOCAL_AWS_ENV, startDynamoDbLocal, startS3, startSes } from '../../infra/local/stand-ins/index.js';
import { dynamoDbLocalPids } from '../support/dynamodb-outage.js';

/**
 * The stand-in launchers themselves, as `npm start` uses them: on 127.0.0.1, data on disk
 * surviving a restart, and nothing left running after stop.
 */

const credentials = {
  accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID,
  secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY,
};
const dataDirs: string[] = [];

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'redress-stand-in-test-'));
  dataDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

describe('startDynamoDbLocal', () => {
  it('keeps tables and items in dataDir across a restart, and stops answering once stopped', async () => {
    // Prepare
    const dir = dataDir();
    const first = await startDynamoDbLocal({ dataDir: dir });
    const firstClient = new DynamoDBClient({
      endpoint: first.endpoint,
      region: LOCAL_AWS_ENV.AWS_REGION,
      credentials,
    });
    await createCaseTable(firstClient, 'restart-test');
    await DynamoDBDocumentClient.from(firstClient).send(
      new PutCommand({
        TableName: 'restart-test',
        Item: { PK: 'CASE#1', SK: 'CASE', status: 'investigating' },
      }),
    );
    await first.stop();

    // Act
    const second = await startDynamoDbLocal({ dataDir: dir });
    const secondClient = new DynamoDBClient({
      endpoint: second.endpoint,
      region: LOCAL_AWS_ENV.AWS_REGION,
      credentials,
    });
    try {
      const item = await DynamoDBDocumentClient.from(secondClient).send(
        new GetCommand({ TableName: 'restart-test', Key: { PK: 'CASE#1', SK: 'CASE' } }),
      );

      // Assess
      expect(second.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(item.Item?.status).toBe('investigating');
    } finally {
      await second.stop();
    }
    const afterStop = new DynamoDBClient({
      endpoint: second.endpoint,
      region: LOCAL_AWS_ENV.AWS_REGION,
      credentials,
      maxAttempts: 1,
    });
    await expect(afterStop.send(new ListTablesCommand({}))).rejects.toThrow();
    for (const client of [firstClient, secondClient, afterStop]) client.destroy();
    // Two JVM starts in a row: allow for a busy machine.
  }, 180_000);

  it('says how its JVM went when it dies by itself (so npm start can tell the operator), and not when stopped', async () => {
    // Prepare
    const exits: string[] = [];
    const stopped = await startDynamoDbLocal({ onUnexpectedExit: (how) => exits.push(`stopped: ${how}`) });
    await stopped.stop();
    const killed = await startDynamoDbLocal({ onUnexpectedExit: (how) => exits.push(`killed: ${how}`) });
    const [jvm] = dynamoDbLocalPids(process.pid);

    // Act
    process.kill(jvm as number, 'SIGKILL');
    for (let wait = 0; wait < 100 && exits.length === 0; wait++) await new Promise((r) => setTimeout(r, 100));
    await killed.stop();

    // Assess
    expect(exits).toEqual(['killed: SIGKILL']);
  }, 180_000);
});

describe('startS3', () => {
  it('creates the bucket and keeps objects in dataDir across a restart', async () => {
    const dir = dataDir();
    const first = await startS3({ dataDir: dir, buckets: ['archive-test'] });
    const put = new S3Client({
      endpoint: first.endpoint,
      region: LOCAL_AWS_ENV.AWS_REGION,
      credentials,
      forcePathStyle: true,
    });
    await put.send(
      new PutObjectCommand({ Bucket: 'archive-test', Key: 'cases/1.json', Body: '{"ok":true}' }),
    );
    await first.stop();

    const second = await startS3({ dataDir: dir, buckets: ['archive-test'] });
    const get = new S3Client({
      endpoint: second.endpoint,
      region: LOCAL_AWS_ENV.AWS_REGION,
      credentials,
      forcePathStyle: true,
    });
    try {
      const object = await get.send(new GetObjectCommand({ Bucket: 'archive-test', Key: 'cases/1.json' }));
      expect(await object.Body?.transformToString()).toBe('{"ok":true}');
      expect(second.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await second.stop();
      put.destroy();
      get.destroy();
    }
  });
});

describe('startSes', () => {
  it('serves the inbox page and an empty store on 127.0.0.1', async () => {
    const ses = await startSes();
    try {
      const inbox = await fetch(ses.endpoint);
      const store = await fetch(new URL('/store', ses.endpoint));

      expect(ses.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(inbox.status).toBe(200);
      expect(await inbox.text()).toContain('<html');
      expect(store.status).toBe(200);
      expect(await store.json()).toHaveProperty('emails');
    } finally {
      await ses.stop();
    }
  });
});
