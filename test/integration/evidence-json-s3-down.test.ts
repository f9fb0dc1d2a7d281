import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceLink } from '../../functions/app/evidence-links.js';
import { EVIDENCE_EVENTS, MAX_EVIDENCE_FILES } from '../../functions/domain/evidence.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { injectS3Fault } from '../../infra/local/stand-ins/index.js';
import { apiEvent } from '../support/api-event.js';
import { evidenceApiOnS3 } from '../support/evidence-api.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { answers, until } from '../support/polling.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';
import { createStoredCase } from '../support/stored-case.js';

/**
 * The JSON flavour of the resident's evidence upload (`POST /complaints/{reference}/evidence`)
 * while S3 is down. The page already asks S3 before it offers a form that posts there; the JSON
 * answer handed out a presigned POST all the same, one a program could only fail to use. It now
 * answers as the page does: no upload while S3 does not answer (a 503 with `Retry-After` and a
 * message saying what to do), and a case with all its files is told so whatever S3 says.
 */

const policy = loadPolicy('lgsco-code-2024');
const SECRET = 'test-secret-test-secret-test-secret';
const NOW = new Date('2026-03-03T10:00:00.000Z');
const OUTAGE_SECONDS = 8;

let standIns: StandIns;
let s3: S3Client;
const store = new MemoryCaseStore();

beforeAll(async () => {
  standIns = await startStandIns(['s3']);
  s3 = new S3Client({ forcePathStyle: true, maxAttempts: 1 });
});

afterAll(async () => {
  s3?.destroy();
  await standIns?.stop();
});

const api = () =>
  evidenceApiOnS3({
    store,
    policy,
    bucket: standIns.bucket,
    client: s3,
    now: NOW,
    secret: SECRET,
    fileId: 'file-0123456789abcdef',
  });

/** A stored case, and the JSON request for one more upload to it. */
async function caseAndRequest(files = 0) {
  const record = await createStoredCase(store);
  for (let number = 1; number <= files; number += 1) {
    await store.appendEvent(record.caseId, {
      at: '2026-03-02T11:00:00.000Z',
      type: EVIDENCE_EVENTS.received,
      actor: 'resident',
      detail: { fileId: `file-${number}`, type: 'application/pdf', size: 12_000 },
    });
  }
  const link = new URL(evidenceLink(SECRET, record, NOW), 'https://complaints.example.gov.uk');
  return () =>
    api()(
      apiEvent('POST', link.pathname, {
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        query: { link: link.searchParams.get('link') as string },
      }),
    );
}

describe('POST /complaints/{reference}/evidence (JSON) while S3 is down', () => {
  it('hands out no upload: a 503 with Retry-After and a message saying what to do, then an upload once S3 is back', async () => {
    // Prepare
    const requestUpload = await caseAndRequest();
    const full = await caseAndRequest(MAX_EVIDENCE_FILES);
    const before = await requestUpload();
    const endpoint = standIns.s3?.endpoint as string;
    await injectS3Fault(endpoint, 'outage', { seconds: OUTAGE_SECONDS });
    await until(async () => !(await answers(endpoint)), 'the S3 port to close');

    // Act
    const during = await requestUpload();
    const fullDuring = await full();

    // Assess: an upload while S3 answered; while it is down none, and a plain answer saying so.
    expect(before.statusCode).toBe(201);
    expect(during.statusCode).toBe(503);
    expect(during.headers?.['Retry-After']).toBe('30');
    const body = JSON.parse(during.body) as Record<string, unknown>;
    expect(body).not.toHaveProperty('url');
    expect(body).not.toHaveProperty('fields');
    expect(body.retryAfterSeconds).toBe(30);
    expect(body.message).toMatch(/^Files cannot be sent at the moment/);
    expect(body.message).toContain('complaint is safe');
    // A case with all its files has them all, S3 or not: trying again would not help it.
    expect(fullDuring.statusCode).toBe(409);

    // Act: S3 is back.
    await until(() => answers(endpoint), 'the S3 port to open again', { timeoutMs: 30_000 });
    const after = await requestUpload();

    // Assess
    expect(after.statusCode).toBe(201);
    expect(JSON.parse(after.body)).toMatchObject({ fileId: 'file-0123456789abcdef' });
  }, 60_000);
});
