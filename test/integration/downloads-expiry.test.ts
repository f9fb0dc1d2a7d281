import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOWNLOADS_PREFIX, S3Downloads } from '../../functions/adapters/s3-downloads.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { retentionRules } from '../../functions/domain/retention.js';
import { sweepArchive } from '../../infra/local/sweeper.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';

/**
 * Files handed out for download (a subject access export: everything held about a person, with
 * other people's data still to be redacted; an Ombudsman's case file) against the S3 stand-in and
 * the local sweeper. The deployed bucket deletes them a day after they are written; `npm start`
 * sweeps its bucket "by the same retention rules as the deployed bucket", so it must too, or every
 * export ever made stays in the local data folder.
 */

const DAY_MS = 86_400_000;
const rules = retentionRules(loadPolicy('lgsco-code-2024'));

let standIns: StandIns;
let s3: S3Client;

beforeAll(async () => {
  standIns = await startStandIns(['s3']);
  s3 = new S3Client({ forcePathStyle: true });
}, 120_000);

afterAll(async () => {
  s3?.destroy();
  await standIns?.stop();
});

async function downloads(): Promise<string[]> {
  const listed = await s3.send(
    new ListObjectsV2Command({ Bucket: standIns.bucket, Prefix: DOWNLOADS_PREFIX }),
  );
  return (listed.Contents ?? []).map((o) => o.Key as string);
}

describe('the local sweeper and files handed out for download', () => {
  it('keeps a subject access export for a day and deletes it after, as the deployed bucket does', async () => {
    // Prepare
    const written = new Date();
    await new S3Downloads({ bucket: standIns.bucket, client: s3 }).put(
      'subject-access-request.zip',
      new TextEncoder().encode('PK a zip of everything held about Ada'),
      'application/zip',
      300,
      ['case-1'],
    );
    // The file, and its entry under its case (for an erasure to find it): both go with the day.
    expect(await downloads()).toHaveLength(2);

    // Act
    const sameDay = await sweepArchive({ client: s3, bucket: standIns.bucket, rules, now: () => written });
    const kept = await downloads();
    const twoDaysOn = new Date(written.getTime() + 2 * DAY_MS);
    const later = await sweepArchive({ client: s3, bucket: standIns.bucket, rules, now: () => twoDaysOn });

    // Assess
    expect(sameDay.expired).toEqual([]);
    expect(kept).toHaveLength(2);
    expect(later.expired.map((x) => x.key)).toEqual(kept);
    expect(await downloads()).toEqual([]);
  });
});
