import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3EvidenceStore } from '../../functions/adapters/s3-evidence.js';
import { checkUpload, evidenceDownload, recordScanEvent } from '../../functions/app/evidence.js';
import { evidenceKey, MAX_EVIDENCE_BYTES } from '../../functions/domain/evidence.js';
import {
  EICAR_SIGNATURE,
  type ScanResultEvent,
  scanNewEvidence,
} from '../../infra/local/stand-ins/scanner.js';
import { countedS3Client } from '../support/counted-s3-client.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { openCase } from '../support/open-case.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';

/**
 * The evidence store and the stand-in scanner against the S3 stand-in (s3rver): a browser-style
 * multipart POST with the presigned fields, S3's redirect back, tags, downloads, retention.
 */

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'evidence');

let standIns: StandIns;
let evidence: S3EvidenceStore;
let s3: S3Client;

beforeAll(async () => {
  standIns = await startStandIns(['s3']);
  evidence = new S3EvidenceStore({ bucket: standIns.bucket });
  s3 = new S3Client({ forcePathStyle: true });
});

afterAll(async () => {
  s3?.destroy();
  await standIns?.stop();
});

/** What a browser sends for the upload form: the presigned fields, then the file last. */
async function post(url: string, fields: Record<string, string>, bytes: Uint8Array, name: string) {
  const form = new FormData();
  for (const [field, value] of Object.entries(fields)) form.append(field, value);
  form.append('file', new Blob([bytes]), name);
  return fetch(url, { method: 'POST', body: form, redirect: 'manual' });
}

describe('S3EvidenceStore on the S3 stand-in', () => {
  it('signs a POST that uploads to exactly its key and sends the browser back with bucket and key', async () => {
    // Prepare
    const key = evidenceKey(randomUUID(), randomUUID());
    const upload = await evidence.presignUpload(key, {
      expiresSeconds: 900,
      redirect: 'http://127.0.0.1:3000/back?link=abc',
    });
    // Act
    const response = await post(
      upload.url,
      upload.fields,
      readFileSync(join(FIXTURES, 'photo.png')),
      'photo.png',
    );
    // Assess
    expect(response.status).toBe(303);
    const back = new URL(response.headers.get('location') ?? '');
    expect(back.pathname).toBe('/back');
    expect(back.searchParams.get('link')).toBe('abc');
    expect(back.searchParams.get('key')).toBe(key);
    expect((await evidence.head(key))?.size).toBe(69);
    expect(Buffer.from((await evidence.read(key))?.bytes ?? [])).toEqual(
      readFileSync(join(FIXTURES, 'photo.png')),
    );
  });

  it('puts the size cap and the key in the signed policy', async () => {
    // Act
    const upload = await evidence.presignUpload('evidence/c/f', { expiresSeconds: 900 });
    // Assess
    const policy = JSON.parse(Buffer.from(upload.fields.Policy ?? '', 'base64').toString('utf8'));
    expect(policy.conditions).toContainEqual(['content-length-range', 1, MAX_EVIDENCE_BYTES]);
    expect(policy.conditions).toContainEqual({ key: 'evidence/c/f' });
    expect(Date.parse(policy.expiration) - Date.now()).toBeLessThanOrEqual(900_000);
  });

  it('pins the stand-in’s gap: s3rver stores a file over the policy’s cap (S3 would refuse it)', async () => {
    // s3rver does not check POST policies, so locally only the check after upload refuses it.
    const key = evidenceKey(randomUUID(), randomUUID());
    const upload = await evidence.presignUpload(key, { expiresSeconds: 900 });
    const response = await post(upload.url, upload.fields, new Uint8Array(MAX_EVIDENCE_BYTES + 1), 'big.pdf');
    expect(response.status).toBe(204);
    expect((await evidence.head(key))?.size).toBe(MAX_EVIDENCE_BYTES + 1);
  });

  it('reads the scan tag, signs a download, and answers undefined for what is not there', async () => {
    // Prepare
    const key = evidenceKey(randomUUID(), randomUUID());
    const upload = await evidence.presignUpload(key, { expiresSeconds: 900 });
    await post(upload.url, upload.fields, readFileSync(join(FIXTURES, 'letter.pdf')), 'letter.pdf');
    expect(await evidence.scanStatus(key)).toBeUndefined();
    await s3.send(
      new PutObjectTaggingCommand({
        Bucket: standIns.bucket,
        Key: key,
        Tagging: { TagSet: [{ Key: 'GuardDutyMalwareScanStatus', Value: 'NO_THREATS_FOUND' }] },
      }),
    );
    // Act
    const url = await evidence.downloadUrl(key, 'CMP-2026-000001-evidence-1.pdf', 300);
    const download = await fetch(url);
    // Assess
    expect(await evidence.scanStatus(key)).toBe('NO_THREATS_FOUND');
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(readFileSync(join(FIXTURES, 'letter.pdf')));
    await evidence.remove(key);
    expect((await evidence.head(key))?.size).toBeUndefined();
    expect(await evidence.read(key)).toBeUndefined();
    expect(await evidence.scanStatus(key)).toBeUndefined();
  });

  it('keeps the scan tag when it gives a clean file its retention class at archiving', async () => {
    // Prepare
    const key = evidenceKey(randomUUID(), randomUUID());
    const upload = await evidence.presignUpload(key, { expiresSeconds: 900 });
    await post(upload.url, upload.fields, readFileSync(join(FIXTURES, 'photo.jpg')), 'photo.jpg');
    await s3.send(
      new PutObjectTaggingCommand({
        Bucket: standIns.bucket,
        Key: key,
        Tagging: { TagSet: [{ Key: 'GuardDutyMalwareScanStatus', Value: 'NO_THREATS_FOUND' }] },
      }),
    );
    // Act
    await evidence.retain([key, evidenceKey('gone', 'gone')], '6y', '2026-04-01T10:00:00.000Z');
    // Assess
    expect(await evidence.scanStatus(key)).toBe('NO_THREATS_FOUND');
    const head = await s3.send(new HeadObjectCommand({ Bucket: standIns.bucket, Key: key }));
    expect(head.Metadata?.['archived-at']).toBe('2026-04-01T10:00:00.000Z');
  });

  it('gives a clean file its class in the copy that restarts its age, with no tagging after', async () => {
    // Prepare: a store on a client that notes each command it sends
    const key = evidenceKey(randomUUID(), randomUUID());
    const upload = await evidence.presignUpload(key, { expiresSeconds: 900 });
    await post(upload.url, upload.fields, readFileSync(join(FIXTURES, 'photo.jpg')), 'photo.jpg');
    await s3.send(
      new PutObjectTaggingCommand({
        Bucket: standIns.bucket,
        Key: key,
        Tagging: { TagSet: [{ Key: 'GuardDutyMalwareScanStatus', Value: 'NO_THREATS_FOUND' }] },
      }),
    );
    const { client, sent } = countedS3Client();
    // Act
    await new S3EvidenceStore({ bucket: standIns.bucket, client }).retain(
      [key],
      '2y',
      '2026-04-01T10:00:00.000Z',
    );
    // Assess
    expect(sent).toEqual(['GetObjectTaggingCommand', 'CopyObjectCommand']);
    const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: standIns.bucket, Key: key }));
    expect(tags.TagSet).toEqual([
      { Key: 'GuardDutyMalwareScanStatus', Value: 'NO_THREATS_FOUND' },
      { Key: 'retention', Value: '2y' },
    ]);
    client.destroy();
  });
});

/** An open case in memory, and the evidence use cases' dependencies on the S3 stand-in. */
async function openCaseWithEvidence() {
  const store = new MemoryCaseStore();
  const caseId = randomUUID();
  await store.create(openCase(caseId), {
    at: '2026-03-02T09:00:00.000Z',
    type: 'received',
    actor: 'resident',
  });
  const deps = { store, evidence, now: () => new Date('2026-03-02T10:00:00Z'), newId: randomUUID };
  return { store, caseId, deps };
}

describe('the stand-in scanner', () => {
  it('tags EICAR as a threat and a clean file as clean, and the handler refuses and deletes the threat', async () => {
    // Prepare: a case with two uploads, one a PDF carrying the EICAR test string
    const { caseId, deps } = await openCaseWithEvidence();
    const clean = randomUUID();
    const infected = randomUUID();
    for (const [fileId, bytes] of [
      [clean, readFileSync(join(FIXTURES, 'letter.pdf'))],
      [infected, Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(EICAR_SIGNATURE)])],
    ] as const) {
      const upload = await evidence.presignUpload(evidenceKey(caseId, fileId), { expiresSeconds: 900 });
      await post(upload.url, upload.fields, bytes, 'x.pdf');
    }
    const received: ScanResultEvent[] = [];
    // Act
    const sent = await scanNewEvidence({
      client: s3,
      bucket: standIns.bucket,
      onResult: async (event) => {
        received.push(event);
        return recordScanEvent(deps, event);
      },
    });
    // Assess
    const byKey = Object.fromEntries(
      sent.map((e) => [e.detail.s3ObjectDetails.objectKey, e.detail.scanResultDetails.scanResultStatus]),
    );
    expect(byKey[evidenceKey(caseId, clean)]).toBe('NO_THREATS_FOUND');
    expect(byKey[evidenceKey(caseId, infected)]).toBe('THREATS_FOUND');
    expect(await evidence.scanStatus(evidenceKey(caseId, clean))).toBe('NO_THREATS_FOUND');
    expect((await evidence.head(evidenceKey(caseId, infected)))?.size).toBeUndefined();
    expect(await checkUpload(deps, caseId, infected)).toMatchObject({ status: 'rejected', reason: 'virus' });
    expect(await checkUpload(deps, caseId, clean)).toMatchObject({
      status: 'clean',
      type: 'application/pdf',
    });
    // Nothing new on the next pass: each object is scanned once.
    expect(
      (
        await scanNewEvidence({ client: s3, bucket: standIns.bucket, onResult: async () => undefined })
      ).filter((e) => e.detail.s3ObjectDetails.objectKey.includes(caseId)),
    ).toEqual([]);
  });

  it('refuses a file uploaded again through the same presigned POST after it was checked and scanned', async () => {
    // Prepare: a clean PDF, checked and scanned.
    const { store, caseId, deps } = await openCaseWithEvidence();
    const fileId = randomUUID();
    const key = evidenceKey(caseId, fileId);
    const upload = await evidence.presignUpload(key, { expiresSeconds: 900 });
    await post(upload.url, upload.fields, readFileSync(join(FIXTURES, 'letter.pdf')), 'letter.pdf');
    const scan = () =>
      scanNewEvidence({
        client: s3,
        bucket: standIns.bucket,
        onResult: async (event) =>
          event.detail.s3ObjectDetails.objectKey === key ? recordScanEvent(deps, event) : undefined,
      });
    await scan();
    const before = await evidenceDownload(deps, { caseId, reference: 'CMP-2026-000001' }, fileId);

    // Act: the same form posted again, with other content, before the policy expires.
    await post(upload.url, upload.fields, readFileSync(join(FIXTURES, 'photo.jpg')), 'photo.jpg');
    const linkMeanwhile = await evidenceDownload(deps, { caseId, reference: 'CMP-2026-000001' }, fileId);
    await scan();

    // Assess
    expect(before).toBeDefined();
    expect(linkMeanwhile).toBeUndefined();
    expect(await checkUpload(deps, caseId, fileId)).toMatchObject({ status: 'rejected', reason: 'replaced' });
    expect(await evidence.head(key)).toBeUndefined();
    const events = await store.events(caseId);
    expect(events.filter((e) => e.type === 'evidence-rejected').map((e) => e.detail?.reason)).toEqual([
      'replaced',
    ]);
  });
});
