import {
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../../functions/domain/policy.js';
import { retentionRules } from '../../../functions/domain/retention.js';
import { LOCAL_AWS_ENV, type RunningStandIn, startS3 } from '../../../infra/local/stand-ins/index.js';
import { expiryInstant, startSweeper, sweepArchive } from '../../../infra/local/sweeper.js';

const BUCKET = 'sweeper-test';
const DAY_MS = 86_400_000;
const rules = retentionRules(loadPolicy('lgsco-code-2024'));

let s3: RunningStandIn;
let client: S3Client;
let now: Date;

/** Writes an archived case file as the archive adapter does: JSON with archivedAt, then the tag. */
async function archive(key: string, options: { archivedAt?: string; tag?: string }) {
  const body = options.archivedAt === undefined ? { case: {} } : { case: {}, archivedAt: options.archivedAt };
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: JSON.stringify(body) }));
  if (options.tag !== undefined) {
    await client.send(
      new PutObjectTaggingCommand({
        Bucket: BUCKET,
        Key: key,
        Tagging: { TagSet: [{ Key: 'retention', Value: options.tag }] },
      }),
    );
  }
}

async function keys(): Promise<string[]> {
  const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  return (listed.Contents ?? []).map((o) => o.Key as string).sort();
}

const sweeperOptions = () => ({ client, bucket: BUCKET, rules, now: () => now });

describe('archive sweeper', () => {
  beforeAll(async () => {
    s3 = await startS3({ buckets: [BUCKET] });
    client = new S3Client({
      endpoint: s3.endpoint,
      forcePathStyle: true,
      region: LOCAL_AWS_ENV.AWS_REGION,
      credentials: {
        accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID,
        secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY,
      },
    });
  });

  afterAll(async () => {
    client?.destroy();
    await s3?.stop();
  });

  beforeEach(async () => {
    for (const key of await keys()) {
      await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
    }
    now = new Date('2030-06-15T12:00:00.000Z');
  });

  it('uses the policy rules: 2 and 6 calendar years, and the bucket’s backstops later than either', () => {
    expect(rules).toEqual([
      { tag: '2y', years: 2, expireAfterDays: 2 * 366 + 30 },
      { tag: '6y', years: 6, expireAfterDays: 6 * 366 + 30 },
    ]);
  });

  it('deletes a 2y file once the backstop’s 762 days have passed since it was archived, and keeps a younger one', async () => {
    // Prepare
    const old = new Date(now.getTime() - 763 * DAY_MS).toISOString();
    const young = new Date(now.getTime() - 761 * DAY_MS).toISOString();
    await archive('cases/old.json', { archivedAt: old, tag: '2y' });
    await archive('cases/young.json', { archivedAt: young, tag: '2y' });
    // Act
    const result = await sweepArchive(sweeperOptions());
    // Assess
    expect(result.expired.map((e) => e.key)).toEqual(['cases/old.json']);
    expect(result.kept).toBe(1);
    expect(await keys()).toEqual(['cases/young.json']);
  });

  it('leaves a 6y file past its sixth anniversary to the table’s TTL, and deletes it at midnight UTC after the backstop’s 2226 days', async () => {
    // Prepare
    await archive('cases/ombudsman.json', { archivedAt: '2027-03-01T10:00:00.000Z', tag: '6y' });
    // Act: the anniversary is 1 March 2033 (the TTL takes the case and its archive then); 2226
    // days on is 4 April 2033 at 10:00, which S3 rounds up to midnight.
    now = new Date('2033-03-01T10:00:00.000Z');
    const anniversary = await sweepArchive(sweeperOptions());
    now = new Date('2033-04-04T23:59:59.000Z');
    const early = await sweepArchive(sweeperOptions());
    now = new Date('2033-04-05T00:00:00.000Z');
    const late = await sweepArchive(sweeperOptions());
    // Assess
    expect(anniversary.expired).toEqual([]);
    expect(early.expired).toEqual([]);
    expect(late.expired.map((e) => [e.key, e.tag])).toEqual([['cases/ombudsman.json', '6y']]);
    expect(await keys()).toEqual([]);
  });

  it('counts a case file’s days from when it was archived, as S3 counts from an object’s creation', async () => {
    // Prepare: closed at 23:59:30 on 28 February, archived 45 seconds later on 1 March.
    await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'cases/late.json',
        Body: JSON.stringify({
          case: { closedAt: '2030-02-28T23:59:30.000Z' },
          archivedAt: '2030-03-01T00:00:15.000Z',
        }),
      }),
    );
    await client.send(
      new PutObjectTaggingCommand({
        Bucket: BUCKET,
        Key: 'cases/late.json',
        Tagging: { TagSet: [{ Key: 'retention', Value: '2y' }] },
      }),
    );
    // Act: 762 days after 1 March 2030 is 1 April 2032 (2032 has a 29 February), rounded up to
    // midnight: the closure the day before changes nothing.
    now = new Date('2032-04-01T23:59:59.000Z');
    const early = await sweepArchive(sweeperOptions());
    now = new Date('2032-04-02T00:00:00.000Z');
    const result = await sweepArchive(sweeperOptions());
    // Assess
    expect(early.expired).toEqual([]);
    expect(result.expired.map((e) => e.key)).toEqual(['cases/late.json']);
  });

  it('keeps objects without a retention tag or with a tag no rule names, as the bucket rules do', async () => {
    // Prepare
    const ancient = new Date(now.getTime() - 5000 * DAY_MS).toISOString();
    await archive('cases/untagged.json', { archivedAt: ancient });
    await archive('cases/odd.json', { archivedAt: ancient, tag: 'forever' });
    // Act
    const result = await sweepArchive(sweeperOptions());
    // Assess
    expect(result.expired).toEqual([]);
    expect(await keys()).toEqual(['cases/odd.json', 'cases/untagged.json']);
  });

  it("goes by the object's LastModified when the file has no archivedAt", async () => {
    // Prepare: written now (real time), swept on a clock 764 days ahead.
    await archive('cases/legacy.json', { tag: '2y' });
    now = new Date(Date.now() + 764 * DAY_MS);
    // Act
    const result = await sweepArchive(sweeperOptions());
    // Assess
    expect(result.expired.map((e) => e.key)).toEqual(['cases/legacy.json']);
  });

  it('sweeps on its own every interval once started', async () => {
    // Prepare
    await archive('cases/due.json', {
      archivedAt: new Date(now.getTime() - 800 * DAY_MS).toISOString(),
      tag: '2y',
    });
    const expired: string[] = [];
    const sweeper = startSweeper({
      ...sweeperOptions(),
      intervalMs: 50,
      onExpire: (e) => expired.push(e.key),
    });
    try {
      // Act / Assess
      await expect.poll(() => expired, { timeout: 10_000 }).toEqual(['cases/due.json']);
      expect(await keys()).toEqual([]);
    } finally {
      await sweeper.stop();
    }
  });
});

describe('expiryInstant', () => {
  it('rounds the due instant up to the next midnight UTC, as S3 lifecycle does', () => {
    expect(expiryInstant(new Date('2026-01-15T10:30:00Z'), 3).toISOString()).toBe('2026-01-19T00:00:00.000Z');
  });

  it('keeps a due instant that falls exactly on midnight UTC', () => {
    expect(expiryInstant(new Date('2026-01-15T00:00:00Z'), 730).toISOString()).toBe(
      '2028-01-15T00:00:00.000Z',
    );
  });
});
