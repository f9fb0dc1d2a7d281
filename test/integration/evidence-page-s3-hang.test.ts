import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceLink } from '../../functions/app/evidence-links.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { injectS3Fault } from '../../infra/local/stand-ins/index.js';
import { apiEvent } from '../support/api-event.js';
import { evidenceApiOnS3 } from '../support/evidence-api.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { answers } from '../support/polling.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';
import { createStoredCase } from '../support/stored-case.js';

/**
 * The resident's evidence page while S3 takes every request and answers none (the S3 stand-in's
 * `POST /_faults/hang`): the page asks S3 before it offers a form that posts there, and must not
 * hang with it. It answers, while S3 still says nothing, with no form and a warning.
 */

const policy = loadPolicy('lgsco-code-2024');
const SECRET = 'test-secret-test-secret-test-secret';
const NOW = new Date('2026-03-03T10:00:00.000Z');
const HANG_SECONDS = 30;

let standIns: StandIns;
let s3: S3Client;
const store = new MemoryCaseStore();

beforeAll(async () => {
  standIns = await startStandIns(['s3']);
  s3 = new S3Client({ forcePathStyle: true });
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
    fileId: 'file-1',
  });

describe('the evidence page while S3 hangs', () => {
  it('answers while S3 still says nothing, with a warning and no upload form', async () => {
    // Prepare
    const record = await createStoredCase(store);
    const link = new URL(evidenceLink(SECRET, record, NOW), 'https://complaints.example.gov.uk');
    const open = () =>
      api()(
        apiEvent('GET', link.pathname, {
          headers: { Accept: 'text/html' },
          query: { link: link.searchParams.get('link') as string },
        }),
      );
    const before = await open();
    await injectS3Fault(standIns.s3?.endpoint as string, 'hang', { seconds: HANG_SECONDS });

    // Act
    const during = await open();

    // Assess: the form while S3 answered; while it hangs, an answer all the same, saying so.
    expect(before.body).toContain('data-evidence-upload');
    expect(await answers(standIns.s3?.endpoint as string)).toBe(false);
    expect(during.statusCode).toBe(200);
    expect(during.body).not.toContain('data-evidence-upload');
    expect(during.body).toContain('You cannot send files at the moment');
  }, 60_000);
});
