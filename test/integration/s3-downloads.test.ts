import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Downloads } from '../../functions/adapters/s3-downloads.js';
import { DOWNLOAD_LINK_SECONDS, downloadResponse } from '../../functions/app/download-response.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';
import { storedCase } from '../support/stored-case.js';

/** Files too large for an API response, handed out through the S3 stand-in. */

let standIns: StandIns;
let downloads: S3Downloads;

beforeAll(async () => {
  standIns = await startStandIns(['s3']);
  downloads = new S3Downloads({ bucket: standIns.bucket });
}, 120_000);

afterAll(async () => {
  await standIns?.stop();
});

/** The file's cases, kept (an erased one's file is never handed out: `erasure-leftovers.test.ts`). */
const kept = { get: async (caseId: string) => storedCase({ caseId }) };

describe('downloadResponse', () => {
  const file = {
    body: new Uint8Array(Buffer.from('PK\u0003\u0004 a zip of personal data')),
    filename: 'CMP-2026-000001-ombudsman-file.zip',
    contentType: 'application/zip',
    caseIds: ['case-1'],
  };

  it('answers a file that fits in the response itself, never cached', async () => {
    const result = await downloadResponse({ downloads, store: kept }, file);

    expect(result.statusCode).toBe(200);
    expect(result.isBase64Encoded).toBe(true);
    expect(Buffer.from(result.body, 'base64').toString()).toBe(Buffer.from(file.body).toString());
    expect(result.headers?.['Cache-Control']).toBe('no-store');
    expect(result.headers?.['Content-Disposition']).toBe(`attachment; filename="${file.filename}"`);
  });

  it('hands a larger file out through a short-lived link to a copy in the bucket', async () => {
    const result = await downloadResponse({ downloads, store: kept }, file, 10);

    expect(result.statusCode).toBe(303);
    const location = String(result.headers?.Location);
    expect(location).toContain('/exports/');
    expect(location).toContain(`X-Amz-Expires=${DOWNLOAD_LINK_SECONDS}`);
    const fetched = await fetch(location);
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer()).toString()).toBe(Buffer.from(file.body).toString());
    expect(fetched.headers.get('content-disposition')).toBe(`attachment; filename="${file.filename}"`);
  });
});
