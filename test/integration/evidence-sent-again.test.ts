import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3EvidenceStore } from '../../functions/adapters/s3-evidence.js';
import {
  checkedEvidenceBytes,
  checkUpload,
  evidenceOf,
  recordScanEvent,
} from '../../functions/app/evidence.js';
import { evidenceLink } from '../../functions/app/evidence-links.js';
import { evidenceRoutes } from '../../functions/app/evidence-routes.js';
import { EVIDENCE_EVENTS, EVIDENCE_PREFIX, evidenceKey } from '../../functions/domain/evidence.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { scanNewEvidence } from '../../infra/local/stand-ins/scanner.js';
import { apiEvent } from '../support/api-event.js';
import { apiAt } from '../support/api-handler.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';
import { createStoredCase } from '../support/stored-case.js';

/**
 * A resident's file reaches S3 but the check it is sent back to fails (the API answered 5xx or
 * not at all), so they cannot know it arrived: they open the evidence page again and send the
 * same file with its new form. The evidence routes against the S3 stand-in, uploads posted as
 * the browser posts the page's form, the stand-in scanner's results for both objects.
 */

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'evidence');
const policy = loadPolicy('lgsco-code-2024');
const SECRET = 'test-secret-test-secret-test-secret';
const NOW = new Date('2026-03-03T10:00:00.000Z');
const BASE = 'https://complaints.example.gov.uk';

let standIns: StandIns;
let s3: S3Client;
let evidence: S3EvidenceStore;
const store = new MemoryCaseStore();

beforeAll(async () => {
  standIns = await startStandIns(['s3']);
  s3 = new S3Client({ forcePathStyle: true });
  evidence = new S3EvidenceStore({ bucket: standIns.bucket, client: s3 });
});

afterAll(async () => {
  s3?.destroy();
  await standIns?.stop();
});

const deps = () => ({ store, evidence, now: () => NOW, newId: () => randomUUID() });

const api = () =>
  apiAt({ store, policy }, NOW, (r) =>
    evidenceRoutes(r, {
      ...deps(),
      linkSecrets: async () => [SECRET],
      baseUrl: BASE,
      councilName: policy.council,
      uploadsAnswer: async () => undefined,
    }),
  );

async function get(url: URL) {
  return api()(
    apiEvent('GET', url.pathname, {
      headers: { Accept: 'text/html' },
      query: Object.fromEntries(url.searchParams),
    }),
  );
}

const fromHtml = (text: string) =>
  text.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#39;', "'");

/** The page's upload form, sent as a browser sends it (fields, then the file); S3's answer. */
async function sendWithPageForm(page: string, bytes: Uint8Array): Promise<Response> {
  const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1] as string;
  const form = new FormData();
  for (const [, name, value] of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.append(name as string, fromHtml(value as string));
  }
  form.append('file', new Blob([bytes]), 'letter.pdf');
  return fetch(fromHtml(action), { method: 'POST', body: form, redirect: 'manual' });
}

describe('a file sent again after its check failed', () => {
  it('is kept and shown once, whatever its two uploads’ checks and scans say', async () => {
    // Prepare: S3 takes the letter; the check it sends the browser back to never runs.
    const record = await createStoredCase(store);
    const page = new URL(evidenceLink(SECRET, record, NOW), BASE);
    const letter = readFileSync(join(FIXTURES, 'letter.pdf'));
    const first = await sendWithPageForm((await get(page)).body, letter);
    expect(first.status).toBe(303);

    // Act: the page opened again, the letter sent with its new form, the browser sent back to
    // the check; then the first upload's return opened after all, and both objects' scans.
    const again = await sendWithPageForm((await get(page)).body, letter);
    const checked = await get(new URL(again.headers.get('location') as string));
    const late = await get(new URL(first.headers.get('location') as string));
    await scanNewEvidence({
      client: s3,
      bucket: standIns.bucket,
      onResult: (event) => recordScanEvent(deps(), event),
    });
    const shown = await get(new URL(checked.headers?.Location as string, BASE));

    // Assess: one file, shown as uploaded, one object in the bucket.
    const files = await evidenceOf(deps(), record.caseId);
    expect(files.map((f) => [f.number, f.status])).toEqual([[1, 'clean']]);
    const kept = files[0]?.fileId as string;
    expect(new URL(checked.headers?.Location as string, BASE).searchParams.get('file')).toBe(kept);
    expect(new URL(late.headers?.Location as string, BASE).searchParams.get('file')).toBe(kept);
    expect(shown.body).toContain('File 1 (PDF, 1 KB) has been uploaded.');
    expect(shown.body).not.toContain('File 2');
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: standIns.bucket, Prefix: `${EVIDENCE_PREFIX}${record.caseId}/` }),
    );
    expect(listed.Contents?.map((o) => o.Key)).toHaveLength(1);
  }, 60_000);

  it.each([
    ['is gone', (key: string) => new DeleteObjectCommand({ Bucket: standIns.bucket, Key: key })],
    [
      'holds other bytes',
      (key: string) => new PutObjectCommand({ Bucket: standIns.bucket, Key: key, Body: '%PDF-1.4 other' }),
    ],
  ])(
    'is kept as a file of its own when the object of the file it repeats %s',
    async (_, damage) => {
      // Prepare: the letter sent, checked and scanned clean; then its object is lost or written over.
      const record = await createStoredCase(store);
      const page = new URL(evidenceLink(SECRET, record, NOW), BASE);
      const letter = readFileSync(join(FIXTURES, 'letter.pdf'));
      const first = await sendWithPageForm((await get(page)).body, letter);
      await get(new URL(first.headers.get('location') as string));
      await scanNewEvidence({
        client: s3,
        bucket: standIns.bucket,
        onResult: (e) => recordScanEvent(deps(), e),
      });
      const [kept] = await evidenceOf(deps(), record.caseId);
      await s3.send(damage(evidenceKey(record.caseId, kept?.fileId as string)) as PutObjectCommand);

      // Act: the resident sends the same letter again.
      const again = await sendWithPageForm((await get(page)).body, letter);
      const checked = await get(new URL(again.headers.get('location') as string));

      // Assess: the new upload is not deleted as a copy: it is a file of the case, holding the letter.
      const sentAgain = new URL(again.headers.get('location') as string).pathname.split('/').at(-2) as string;
      const files = await evidenceOf(deps(), record.caseId);
      const file = files.find((f) => f.fileId === sentAgain);
      expect(file?.status).toBe('checking');
      expect(new URL(checked.headers?.Location as string, BASE).searchParams.get('file')).toBe(sentAgain);
      const bytes = await checkedEvidenceBytes(deps(), record.caseId, file as NonNullable<typeof file>);
      expect(Buffer.from(bytes ?? []).equals(letter)).toBe(true);
    },
    60_000,
  );

  it('is kept after all when its delete failed once and the object of the file it repeats is gone since', async () => {
    // Prepare: the letter kept as file-kept, the same letter again recorded as its copy, whose
    // delete failed; then file-kept's object is lost.
    const record = await createStoredCase(store);
    const letter = readFileSync(join(FIXTURES, 'letter.pdf'));
    const sha256 = createHash('sha256').update(letter).digest('hex');
    for (const fileId of ['file-kept', 'file-again']) {
      await s3.send(
        new PutObjectCommand({
          Bucket: standIns.bucket,
          Key: evidenceKey(record.caseId, fileId),
          Body: letter,
        }),
      );
    }
    const at = '2026-03-03T09:00:00.000Z';
    await store.appendEvent(record.caseId, {
      at,
      type: EVIDENCE_EVENTS.received,
      actor: 'resident',
      detail: { fileId: 'file-kept', type: 'application/pdf', size: letter.length, sha256 },
    });
    await store.appendEvent(record.caseId, {
      at,
      type: EVIDENCE_EVENTS.sentAgain,
      actor: 'resident',
      detail: { fileId: 'file-again', sameAs: 'file-kept' },
    });
    await s3.send(
      new DeleteObjectCommand({ Bucket: standIns.bucket, Key: evidenceKey(record.caseId, 'file-kept') }),
    );

    // Act: the copy's check runs again (its scan result, or the resident's page).
    const checked = await checkUpload(deps(), record.caseId, 'file-again');

    // Assess: a file of its own, its object kept with the letter in it.
    expect(checked).toMatchObject({ fileId: 'file-again', number: 2, status: 'checking' });
    const bytes = await checkedEvidenceBytes(deps(), record.caseId, checked as NonNullable<typeof checked>);
    expect(Buffer.from(bytes ?? []).equals(letter)).toBe(true);
  }, 60_000);
});
