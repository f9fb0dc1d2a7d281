import { randomUUID } from 'node:crypto';
import {
  CopyObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AWS_ENV, type RunningStandIn, startS3 } from '../../infra/local/stand-ins/index.js';

/**
 * The S3 stand-in sets an object's tags from the `Tagging` header of the request that writes it,
 * as S3 does, so that the adapters need no second request (PutObjectTagging) to tag locally.
 */

const BUCKET = 'tagging-test';
let standIn: RunningStandIn;
let s3: S3Client;

beforeAll(async () => {
  standIn = await startS3({ buckets: [BUCKET] });
  s3 = new S3Client({
    endpoint: standIn.endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: {
      accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID,
      secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY,
    },
    forcePathStyle: true,
  });
});

afterAll(async () => {
  s3?.destroy();
  await standIn?.stop();
});

async function tagsOf(key: string) {
  return (await s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: key }))).TagSet;
}

async function refusal(send: Promise<unknown>): Promise<S3ServiceException> {
  const error = await send.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(S3ServiceException);
  return error as S3ServiceException;
}

describe('S3 stand-in: tags set with the object', () => {
  it('stores the tags of a PutObject’s Tagging header with the object', async () => {
    // Prepare
    const key = `cases/${randomUUID()}.json`;

    // Act
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: key,
        Body: '{}',
        Tagging: 'retention=2y&legal-hold-review=pending%20review',
      }),
    );

    // Assess
    expect(await tagsOf(key)).toEqual([
      { Key: 'retention', Value: '2y' },
      { Key: 'legal-hold-review', Value: 'pending review' },
    ]);
  });

  it('gives an object written over another only the tags of its own request, as S3 does', async () => {
    // Prepare
    const key = `cases/${randomUUID()}.json`;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: '{}' }));
    await s3.send(
      new PutObjectTaggingCommand({
        Bucket: BUCKET,
        Key: key,
        Tagging: { TagSet: [{ Key: 'retention', Value: '6y' }] },
      }),
    );

    // Act
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: '{"v":2}' }));

    // Assess
    expect(await tagsOf(key)).toEqual([]);
  });

  it.each([
    ['eleven tags', Array.from({ length: 11 }, (_, i) => `k${i}=v`).join('&')],
    ['the same key twice', 'retention=2y&retention=6y'],
    ['an empty key', '=2y'],
    ['a key of 129 characters', `${'k'.repeat(129)}=v`],
    ['a value of 257 characters', `k=${'v'.repeat(257)}`],
    ['a character S3 refuses', 'retention=2y%3B'],
    ['a key in the aws: namespace', 'aws%3Atag=v'],
  ])('refuses a Tagging header with %s, storing nothing', async (_, tagging) => {
    // Prepare
    const key = `cases/${randomUUID()}.json`;

    // Act
    const error = await refusal(
      s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: '{}', Tagging: tagging })),
    );

    // Assess
    expect(error.name).toBe('InvalidTag');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect((await refusal(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key })))).name).toBe(
      'NoSuchKey',
    );
  });

  it('sets a copy’s tags from its Tagging header when told to replace them, and copies them otherwise', async () => {
    // Prepare
    const source = `letters/${randomUUID()}.pdf`;
    const copy = `letters/${randomUUID()}.pdf`;
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: source, Body: '%PDF', Tagging: 'retention=open' }),
    );
    await s3.send(
      new PutObjectTaggingCommand({
        Bucket: BUCKET,
        Key: source,
        Tagging: {
          TagSet: [
            { Key: 'retention', Value: 'open' },
            { Key: 'scan', Value: 'clean' },
          ],
        },
      }),
    );

    // Act
    await s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: copy, CopySource: `${BUCKET}/${source}` }));
    await s3.send(
      new CopyObjectCommand({
        Bucket: BUCKET,
        Key: source,
        CopySource: `${BUCKET}/${source}`,
        MetadataDirective: 'REPLACE',
        TaggingDirective: 'REPLACE',
        Tagging: 'retention=2y',
      }),
    );

    // Assess
    expect(await tagsOf(copy)).toEqual([
      { Key: 'retention', Value: 'open' },
      { Key: 'scan', Value: 'clean' },
    ]);
    expect(await tagsOf(source)).toEqual([{ Key: 'retention', Value: '2y' }]);
  });
});
