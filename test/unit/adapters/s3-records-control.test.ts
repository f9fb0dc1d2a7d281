import {
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ArchiveError, ThrottledError } from '../../../functions/adapters/errors.js';
import { S3RecordsControl } from '../../../functions/adapters/s3-records-control.js';

/**
 * Erasure on a versioned bucket: what the local S3 stand-in cannot show (it keeps no versions),
 * so the S3 client is mocked here; the rest is tested against the stand-in.
 */

const client = new S3Client({ region: 'eu-west-2' });
const s3 = mockClient(client);
const control = new S3RecordsControl({ bucket: 'archive', client });
const CASE = '11111111-2222-3333-4444-555555555555';

afterEach(() => {
  s3.reset();
});

describe('S3RecordsControl.erase on a versioned bucket', () => {
  it('deletes every version and every delete marker of the case’s file, letters and evidence, by version id', async () => {
    // Prepare
    s3.on(ListObjectVersionsCommand, { Prefix: `cases/${CASE}.json` })
      .resolves({
        Versions: [
          { Key: `cases/${CASE}.json`, VersionId: 'v2' },
          { Key: `cases/${CASE}.json`, VersionId: 'v1' },
        ],
        DeleteMarkers: [{ Key: `cases/${CASE}.json`, VersionId: 'm1' }],
      })
      .on(ListObjectVersionsCommand, { Prefix: `cases/${CASE}/` })
      .resolvesOnce({
        Versions: [{ Key: `cases/${CASE}/letters/response-1.pdf`, VersionId: 'l1' }],
        IsTruncated: true,
        NextKeyMarker: `cases/${CASE}/letters/response-1.pdf`,
        NextVersionIdMarker: 'l1',
      })
      .resolvesOnce({ Versions: [{ Key: `cases/${CASE}/letters/response-2.pdf`, VersionId: 'l2' }] })
      .on(ListObjectVersionsCommand, { Prefix: `evidence/${CASE}/` })
      .resolves({ Versions: [{ Key: `evidence/${CASE}/photo`, VersionId: 'e1' }] });
    s3.on(DeleteObjectsCommand).resolves({});

    // Act
    const count = await control.erase(CASE);

    // Assess
    expect(count).toBe(4);
    const deleted = s3
      .commandCalls(DeleteObjectsCommand)
      .flatMap((c) => c.args[0].input.Delete?.Objects ?? [])
      .map((o) => `${o.Key}@${o.VersionId}`)
      .sort();
    expect(deleted).toEqual(
      [
        `cases/${CASE}.json@m1`,
        `cases/${CASE}.json@v1`,
        `cases/${CASE}.json@v2`,
        `cases/${CASE}/letters/response-1.pdf@l1`,
        `cases/${CASE}/letters/response-2.pdf@l2`,
        `evidence/${CASE}/photo@e1`,
      ].sort(),
    );
    const second = s3.commandCalls(ListObjectVersionsCommand).find((c) => c.args[0].input.KeyMarker);
    expect(second?.args[0].input).toMatchObject({ VersionIdMarker: 'l1' });
  });

  it('fails with ArchiveError when S3 could not delete a version, so the erasure is not recorded as done', async () => {
    // Prepare
    s3.on(ListObjectVersionsCommand).resolves({ Versions: [{ Key: `cases/${CASE}.json`, VersionId: 'v1' }] });
    s3.on(DeleteObjectsCommand).resolves({
      Errors: [{ Key: `cases/${CASE}.json`, VersionId: 'v1', Code: 'AccessDenied' }],
    });

    // Act
    const failed = await control.erase(CASE).catch((e: unknown) => e);

    // Assess
    expect(failed).toBeInstanceOf(ArchiveError);
    expect((failed as Error).message).toContain('AccessDenied');
  });

  it('turns throttling into the retryable ThrottledError', async () => {
    // Prepare
    s3.on(ListObjectVersionsCommand).rejects(
      new S3ServiceException({
        name: 'SlowDown',
        $fault: 'server',
        message: 'SlowDown',
        $metadata: { httpStatusCode: 503 },
      }),
    );

    // Act
    const failed = await control.erase(CASE).catch((e: unknown) => e);

    // Assess
    expect(failed).toBeInstanceOf(ThrottledError);
  });
});
