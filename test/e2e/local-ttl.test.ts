/**
 * `npm start` expires a closed case as AWS does. The whole runtime runs in this process: a
 * resident's pothole report, which its workflow records, redirects, closes and archives within
 * seconds; the service's clock moved past the case's retention; the runtime's own TTL
 * (`infra/local/ttl.ts`) deletes the record, and the deployed `case-changes` handler, fed by the
 * runtime's stream poller, recognises the deletion as the TTL's and deletes the case's archive,
 * long before the sweeper (the bucket's backstop) would.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { S3Archive } from '../../functions/adapters/s3-archive.js';
import { LOCAL_CASE_TABLE } from '../../infra/local/runtime.js';
import { DEFAULT_ARCHIVE_BUCKET, LOCAL_AWS_ENV } from '../../infra/local/stand-ins/index.js';
import { runtimeInProcess } from '../support/runtime-in-process.js';

const DAY_MS = 86_400_000;

const { runtime, output } = runtimeInProcess('ttl', 1);

let dynamo: DynamoDBClient;
let s3: S3Client;
let store: DynamoDbCaseStore;
let archive: S3Archive;

beforeAll(() => {
  const r = runtime();
  const local = {
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: {
      accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID,
      secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY,
    },
  };
  dynamo = new DynamoDBClient({ ...local, endpoint: r.endpoints.dynamodb });
  store = new DynamoDbCaseStore({ tableName: LOCAL_CASE_TABLE, client: DynamoDBDocumentClient.from(dynamo) });
  s3 = new S3Client({ ...local, endpoint: r.endpoints.s3, forcePathStyle: true });
  archive = new S3Archive({ bucket: DEFAULT_ARCHIVE_BUCKET, client: s3 });
});

afterAll(() => {
  dynamo?.destroy();
  s3?.destroy();
});

describe('npm start and the case table’s TTL', () => {
  it('deletes a closed case’s record and archive once its retention has passed on the service’s clock', async () => {
    // Prepare: a pothole report, closed and archived (2 years) by its workflow.
    const r = runtime();
    const response = await fetch(`${r.endpoints.api}/complaints`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        service: 'highways',
        summary: 'There is a deep pothole outside 12 Station Road that nearly threw me off my bike.',
        complainant: { name: 'Grace Hopper', email: 'grace.hopper@example.com' },
      }),
    });
    expect(response.status).toBe(201);
    const { caseId } = (await response.json()) as { caseId: string };
    await expect.poll(() => archive.getRetention(caseId), { timeout: 120_000, interval: 1_000 }).toBe('2y');
    expect((await store.get(caseId))?.status).toBe('closed');

    // Act: two years and a few days on, and the TTL's pass (the clock's jump runs one too).
    r.clock.jumpTo(new Date(r.clock.now().getTime() + 2 * 366 * DAY_MS + 3 * DAY_MS));
    await r.ttl.runNow();

    // Assess: the record is gone, and then, within the stream's batching window, its archive.
    expect(await store.get(caseId)).toBeUndefined();
    await expect
      .poll(() => archive.getCaseFile(caseId), { timeout: 120_000, interval: 1_000 })
      .toBeUndefined();
    expect(output.join('\n')).not.toMatch(/archive: cases\//);
  }, 300_000);
});
