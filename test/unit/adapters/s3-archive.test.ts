import {
  GetObjectTaggingCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ArchiveError, ServiceUnavailableError, ThrottledError } from '../../../functions/adapters/errors.js';
import { S3Archive } from '../../../functions/adapters/s3-archive.js';

const client = new S3Client({ region: 'eu-west-2' });
const s3 = mockClient(client);
const archive = new S3Archive({ bucket: 'archive', client });

function s3Error(name: string, status: number, fault: 'client' | 'server') {
  return new S3ServiceException({
    name,
    $fault: fault,
    message: name,
    $metadata: { httpStatusCode: status },
  });
}

afterEach(() => {
  s3.reset();
});

describe('S3Archive', () => {
  it('tags the object with its retention class in the same request that writes it', async () => {
    s3.on(PutObjectCommand).resolves({});

    await archive.putCaseFile('case-1', { a: 1 }, '6y');

    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: 'archive',
      Key: 'cases/case-1.json',
      Body: '{"a":1}',
      Tagging: 'retention=6y',
    });
    expect(s3.commandCalls(PutObjectTaggingCommand)).toHaveLength(0);
  });

  it('throws ThrottledError when S3 keeps answering SlowDown', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('SlowDown', 503, 'server'));

    await expect(archive.putCaseFile('case-2', {}, '2y')).rejects.toBeInstanceOf(ThrottledError);
  });

  it('throws ServiceUnavailableError on a server failure', async () => {
    s3.on(GetObjectTaggingCommand).rejects(s3Error('InternalError', 500, 'server'));

    await expect(archive.getRetention('case-3')).rejects.toBeInstanceOf(ServiceUnavailableError);
  });

  it('throws ArchiveError when access is denied', async () => {
    s3.on(GetObjectTaggingCommand).rejects(s3Error('AccessDenied', 403, 'client'));

    await expect(archive.setRetention('case-4', '6y')).rejects.toBeInstanceOf(ArchiveError);
  });
});
