import { randomUUID } from 'node:crypto';
import {
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ArchiveNotFoundError } from '../../functions/adapters/errors.js';
import { caseFileKey, letterKey, S3Archive } from '../../functions/adapters/s3-archive.js';
import { countedS3Client } from '../support/counted-s3-client.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';

/** Integration tests of the archive against the S3 stand-in (s3rver). */

let standIns: StandIns;
let archive: S3Archive;
let s3: S3Client;
/** The archive below on a client of its own, which notes each command it sends. */
let counted: S3Archive;
let sent: string[] = [];

beforeAll(async () => {
  standIns = await startStandIns(['s3']);
  // No client passed: the archive builds its own from the environment, as a Lambda would.
  archive = new S3Archive({ bucket: standIns.bucket });
  s3 = new S3Client({ forcePathStyle: true });
  const { client, sent: names } = countedS3Client();
  sent = names;
  counted = new S3Archive({ bucket: standIns.bucket, client });
});

beforeEach(() => {
  sent.length = 0;
});

afterAll(async () => {
  s3?.destroy();
  await standIns?.stop();
});

function caseFile(caseId: string) {
  return {
    case: {
      caseId,
      reference: 'CMP-2026-000042',
      status: 'closed',
      summary: 'Bins missed three weeks running',
    },
    events: [
      { seq: 1, type: 'received' },
      { seq: 2, type: 'closed' },
    ],
  };
}

describe('S3Archive', () => {
  it('writes the case file as JSON tagged with its retention class, and reads both back', async () => {
    // Prepare
    const caseId = randomUUID();

    // Act
    const { key } = await archive.putCaseFile(caseId, caseFile(caseId), '2y');

    // Assess
    expect(key).toBe(`cases/${caseId}.json`);
    expect(await archive.getCaseFile(caseId)).toEqual(caseFile(caseId));
    expect(await archive.getRetention(caseId)).toBe('2y');
  });

  it('moves a file to the six-year class and keeps its other tags', async () => {
    // Prepare
    const caseId = randomUUID();
    await archive.putCaseFile(caseId, caseFile(caseId), '2y');
    await s3.send(
      new PutObjectTaggingCommand({
        Bucket: standIns.bucket,
        Key: caseFileKey(caseId),
        Tagging: {
          TagSet: [
            { Key: 'retention', Value: '2y' },
            { Key: 'legal-hold-review', Value: 'pending' },
          ],
        },
      }),
    );

    // Act
    await archive.setRetention(caseId, '6y');

    // Assess
    expect(await archive.getRetention(caseId)).toBe('6y');
    const tags = await s3.send(
      new GetObjectTaggingCommand({ Bucket: standIns.bucket, Key: caseFileKey(caseId) }),
    );
    expect(tags.TagSet).toEqual(
      expect.arrayContaining([
        { Key: 'retention', Value: '6y' },
        { Key: 'legal-hold-review', Value: 'pending' },
      ]),
    );
    expect(tags.TagSet).toHaveLength(2);
    expect(await archive.getCaseFile(caseId)).toEqual(caseFile(caseId));
  });

  it('rewrites a case file in place (a correction), keeping every tag it had', async () => {
    // Prepare
    const caseId = randomUUID();
    await archive.putCaseFile(caseId, caseFile(caseId), '6y');
    await s3.send(
      new PutObjectTaggingCommand({
        Bucket: standIns.bucket,
        Key: caseFileKey(caseId),
        Tagging: {
          TagSet: [
            { Key: 'retention', Value: '6y' },
            { Key: 'legal-hold-review', Value: 'pending' },
          ],
        },
      }),
    );
    const corrected = { ...caseFile(caseId), rectifiedAt: '2026-03-04T10:00:00.000Z' };

    // Act
    await archive.replaceCaseFile(caseId, corrected);

    // Assess
    expect(await archive.getCaseFile(caseId)).toEqual(corrected);
    const tags = await s3.send(
      new GetObjectTaggingCommand({ Bucket: standIns.bucket, Key: caseFileKey(caseId) }),
    );
    expect(tags.TagSet).toEqual(
      expect.arrayContaining([
        { Key: 'retention', Value: '6y' },
        { Key: 'legal-hold-review', Value: 'pending' },
      ]),
    );
    expect(tags.TagSet).toHaveLength(2);
  });

  it('refuses to rewrite a case file that was never archived', async () => {
    await expect(archive.replaceCaseFile(randomUUID(), {})).rejects.toBeInstanceOf(ArchiveNotFoundError);
  });

  it('replaces an earlier file of the same case with the new content and class', async () => {
    const caseId = randomUUID();
    await archive.putCaseFile(caseId, { draft: true }, '2y');

    await archive.putCaseFile(caseId, caseFile(caseId), '6y');

    expect(await archive.getCaseFile(caseId)).toEqual(caseFile(caseId));
    expect(await archive.getRetention(caseId)).toBe('6y');
  });

  it('answers undefined for a case never archived, and refuses to re-tag it', async () => {
    const caseId = randomUUID();

    expect(await archive.getCaseFile(caseId)).toBeUndefined();
    expect(await archive.getRetention(caseId)).toBeUndefined();
    await expect(archive.setRetention(caseId, '6y')).rejects.toBeInstanceOf(ArchiveNotFoundError);
  });

  it('keeps a letter of an open case untagged for expiry, then gives it the case file’s class and age at closure', async () => {
    // Prepare
    const caseId = randomUUID();
    const pdf = new Uint8Array(Buffer.from('%PDF-1.7 a letter'));

    // Act
    const { key } = await archive.putLetter(caseId, 'receipt-abc', pdf);
    const openTags = await s3.send(new GetObjectTaggingCommand({ Bucket: standIns.bucket, Key: key }));
    await archive.retainLetters(caseId, ['receipt-abc'], '2y', '2026-03-20T10:00:00.000Z');
    const closedTags = await s3.send(new GetObjectTaggingCommand({ Bucket: standIns.bucket, Key: key }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: standIns.bucket, Key: key }));

    // Assess
    expect(key).toBe(`cases/${caseId}/letters/receipt-abc.pdf`);
    expect(openTags.TagSet).toEqual([{ Key: 'retention', Value: 'open' }]);
    expect(closedTags.TagSet).toEqual([{ Key: 'retention', Value: '2y' }]);
    expect(head.Metadata?.['archived-at']).toBe('2026-03-20T10:00:00.000Z');
    expect(head.ContentType).toBe('application/pdf');
    expect(Buffer.from((await archive.getLetter(caseId, 'receipt-abc')) as Uint8Array).toString()).toBe(
      '%PDF-1.7 a letter',
    );
    expect(await archive.getLetter(caseId, 'no-such-letter')).toBeUndefined();
  });
});

describe('S3Archive: one billed write per file', () => {
  async function tagsOf(key: string) {
    return (await s3.send(new GetObjectTaggingCommand({ Bucket: standIns.bucket, Key: key }))).TagSet;
  }

  it('archives a case file with its retention tag in its one PutObject', async () => {
    const caseId = randomUUID();

    await counted.putCaseFile(caseId, caseFile(caseId), '6y');

    expect(sent).toEqual(['PutObjectCommand']);
    expect(await tagsOf(caseFileKey(caseId))).toEqual([{ Key: 'retention', Value: '6y' }]);
  });

  it('stores a letter tagged as of an open case in its one PutObject', async () => {
    const caseId = randomUUID();

    await counted.putLetter(caseId, 'receipt-abc', new Uint8Array(Buffer.from('%PDF-1.7 a letter')));

    expect(sent).toEqual(['PutObjectCommand']);
    expect(await tagsOf(letterKey(caseId, 'receipt-abc'))).toEqual([{ Key: 'retention', Value: 'open' }]);
  });

  it('rewrites a case file with the tags it had in one PutObject, after reading them', async () => {
    const caseId = randomUUID();
    await archive.putCaseFile(caseId, caseFile(caseId), '2y');

    await counted.replaceCaseFile(caseId, { ...caseFile(caseId), rectifiedAt: '2026-03-04T10:00:00.000Z' });

    expect(sent).toEqual(['GetObjectTaggingCommand', 'PutObjectCommand']);
    expect(await tagsOf(caseFileKey(caseId))).toEqual([{ Key: 'retention', Value: '2y' }]);
  });

  it('gives a letter its class at closure in the copy that restarts its age, with no tagging after', async () => {
    const caseId = randomUUID();
    await archive.putLetter(caseId, 'receipt-abc', new Uint8Array(Buffer.from('%PDF-1.7 a letter')));

    await counted.retainLetters(caseId, ['receipt-abc'], '6y', '2026-03-20T10:00:00.000Z');

    expect(sent).toEqual(['CopyObjectCommand']);
    expect(await tagsOf(letterKey(caseId, 'receipt-abc'))).toEqual([{ Key: 'retention', Value: '6y' }]);
  });

  it('still re-tags a file in place when its class changes, keeping it', async () => {
    const caseId = randomUUID();
    await archive.putCaseFile(caseId, caseFile(caseId), '2y');

    await counted.setRetention(caseId, '6y');

    expect(sent).toEqual(['GetObjectTaggingCommand', 'PutObjectTaggingCommand']);
    expect(await tagsOf(caseFileKey(caseId))).toEqual([{ Key: 'retention', Value: '6y' }]);
    expect(await archive.getCaseFile(caseId)).toEqual(caseFile(caseId));
  });
});
