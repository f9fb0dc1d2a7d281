import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  checkedEvidenceBytes,
  checkUpload,
  evidenceDownload,
  evidenceOf,
  listEvidence,
  recordScanEvent,
  recordScanResult,
  requestUpload,
  sniffType,
} from '../../functions/app/evidence.js';
import { retainEvidence } from '../../functions/app/evidence-retention.js';
import {
  checkContent,
  EVIDENCE_EVENTS,
  evidenceFiles,
  evidenceKey,
  evidenceSlotsLeft,
  MAX_EVIDENCE_BYTES,
  parseEvidenceKey,
} from '../../functions/domain/evidence.js';
import { EICAR_SIGNATURE } from '../../infra/local/stand-ins/scanner.js';
import { MemoryEvidenceStore } from '../support/memory-evidence.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { openCase } from '../support/open-case.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'evidence');
const fixture = (name: string): Uint8Array => readFileSync(join(FIXTURES, name));
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

describe('sniffType', () => {
  it.each([
    ['letter.pdf', 'application/pdf'],
    ['photo.jpg', 'image/jpeg'],
    ['photo.png', 'image/png'],
    ['photo.heic', 'image/heic'],
    ['letter.docx', DOCX],
  ])('recognises %s by its content as %s', async (name, mime) => {
    const sniffed = await sniffType(fixture(name));
    expect(sniffed).toBe(mime);
    expect(checkContent(sniffed, 100)).toEqual({ ok: true, type: mime });
  });

  it('refuses a Windows program named .pdf: its bytes say executable', async () => {
    const sniffed = await sniffType(fixture('program.exe.pdf'));
    expect(sniffed).toBe('application/x-msdownload');
    expect(checkContent(sniffed, 300)).toEqual({ ok: false, reason: 'type' });
  });

  it('refuses a ZIP that is not a Word document, and text that shows no type', async () => {
    expect(checkContent(await sniffType(fixture('archive.zip')), 121)).toEqual({ ok: false, reason: 'type' });
    expect(checkContent(await sniffType(Buffer.from(EICAR_SIGNATURE)), 68)).toEqual({
      ok: false,
      reason: 'type',
    });
  });
});

describe('checkContent', () => {
  it('takes a file of exactly 10 MB and refuses one byte more, and empty files', () => {
    expect(checkContent('image/png', MAX_EVIDENCE_BYTES).ok).toBe(true);
    expect(checkContent('image/png', MAX_EVIDENCE_BYTES + 1)).toEqual({ ok: false, reason: 'size' });
    expect(checkContent('image/png', 0)).toEqual({ ok: false, reason: 'empty' });
  });
});

describe('evidence keys', () => {
  it('reads back the case and file of an evidence key, and nothing else', () => {
    expect(parseEvidenceKey(evidenceKey('case-1', 'file-2'))).toEqual({ caseId: 'case-1', fileId: 'file-2' });
    expect(parseEvidenceKey('cases/case-1.json')).toBeUndefined();
    expect(parseEvidenceKey('evidence/case-1/../x')).toBeUndefined();
  });
});

describe('evidenceFiles', () => {
  const at = '2026-03-02T10:00:00.000Z';
  const received = (fileId: string) => ({
    type: EVIDENCE_EVENTS.received,
    at,
    detail: { fileId, type: 'image/png', size: 10 },
  });

  it('rejects a sixth file received even when all six passed the count check', () => {
    const files = evidenceFiles(['a', 'b', 'c', 'd', 'e', 'f'].map(received));
    expect(files.map((f) => f.status)).toEqual([
      'checking',
      'checking',
      'checking',
      'checking',
      'checking',
      'rejected',
    ]);
    expect(files[5]?.reason).toBe('limit');
    expect(evidenceSlotsLeft(files)).toBe(0);
  });

  it('frees a place when a file is rejected, and keeps the first verdict on a file', () => {
    const files = evidenceFiles([
      received('a'),
      { type: EVIDENCE_EVENTS.rejected, at, detail: { fileId: 'a', reason: 'virus' } },
      { type: EVIDENCE_EVENTS.scanned, at, detail: { fileId: 'a' } },
      received('b'),
      { type: EVIDENCE_EVENTS.scanned, at, detail: { fileId: 'b' } },
    ]);
    expect(files.map((f) => [f.number, f.status, f.reason])).toEqual([
      [1, 'rejected', 'virus'],
      [2, 'clean', undefined],
    ]);
    expect(evidenceSlotsLeft(files)).toBe(4);
  });
});

describe('evidence use cases', () => {
  let store: MemoryCaseStore;
  let evidence: MemoryEvidenceStore;
  let ids: number;
  const caseId = 'case-0001';
  const deps = () => ({
    store,
    evidence,
    now: () => new Date('2026-03-02T10:00:00Z'),
    newId: () => `file-${++ids}`,
  });

  beforeEach(async () => {
    store = new MemoryCaseStore();
    evidence = new MemoryEvidenceStore();
    ids = 0;
    await store.create(openCase(caseId), {
      at: '2026-03-02T09:00:00.000Z',
      type: 'received',
      actor: 'resident',
    });
  });

  /** Asks for a presigned POST and "uploads" `bytes` to it, as the browser would. */
  async function upload(bytes: Uint8Array): Promise<string> {
    const slot = await requestUpload(deps(), { caseId });
    if ('refused' in slot) throw new Error('refused');
    evidence.put(evidenceKey(caseId, slot.fileId), bytes);
    return slot.fileId;
  }

  it('accepts a PNG, keeps it unopened until the scan says clean, then lets officers download it', async () => {
    const fileId = await upload(fixture('photo.png'));
    const checked = await checkUpload(deps(), caseId, fileId);
    expect(checked).toMatchObject({ status: 'checking', type: 'image/png', number: 1 });
    expect(await evidenceDownload(deps(), openCase(caseId), fileId)).toBeUndefined();

    evidence.tagScan(evidenceKey(caseId, fileId), 'NO_THREATS_FOUND');
    const scanned = await recordScanResult(deps(), evidenceKey(caseId, fileId), 'NO_THREATS_FOUND');
    expect(scanned?.status).toBe('clean');
    expect(await evidenceDownload(deps(), openCase(caseId), fileId)).toContain(
      'CMP-2026-000001-evidence-1.png',
    );
    expect((await store.events(caseId)).map((e) => e.type)).toEqual([
      'received',
      'evidence-received',
      'evidence-scanned',
    ]);
  });

  it('refuses a .exe renamed .pdf, deletes it and records why', async () => {
    const fileId = await upload(fixture('program.exe.pdf'));
    const checked = await checkUpload(deps(), caseId, fileId);
    expect(checked).toMatchObject({ status: 'rejected', reason: 'type' });
    expect(evidence.objects.size).toBe(0);
    const last = (await store.events(caseId)).at(-1);
    expect(last).toMatchObject({ type: 'evidence-rejected', detail: { fileId, reason: 'type' } });
  });

  it('answers a check made while a refused file is being deleted with the refusal, never with nothing uploaded', async () => {
    // Prepare: the resident's page asks about the file while the scanner's check of it deletes it.
    const fileId = await upload(fixture('program.exe.pdf'));
    let meanwhile: Promise<unknown> | undefined;
    const remove = evidence.remove.bind(evidence);
    evidence.remove = async (key: string) => {
      await remove(key);
      if (meanwhile !== undefined) return;
      meanwhile = checkUpload(deps(), caseId, fileId);
      await meanwhile;
    };

    // Act
    const checked = await checkUpload(deps(), caseId, fileId);

    // Assess
    expect(checked).toMatchObject({ status: 'rejected', reason: 'type' });
    expect(await meanwhile).toMatchObject({ status: 'rejected', reason: 'type' });
    expect(evidence.objects.size).toBe(0);
  });

  it('deletes a refused file whose object outlived its verdict when the file is checked again', async () => {
    // Prepare: the refusal recorded, then the delete failed (S3 went away between the two).
    const fileId = await upload(fixture('program.exe.pdf'));
    const remove = evidence.remove.bind(evidence);
    evidence.remove = async () => {
      throw new Error('S3 answered 500');
    };
    await expect(checkUpload(deps(), caseId, fileId)).rejects.toThrow('S3 answered 500');
    evidence.remove = remove;

    // Act
    const checked = await checkUpload(deps(), caseId, fileId);

    // Assess
    expect(checked).toMatchObject({ status: 'rejected', reason: 'type' });
    expect(evidence.objects.size).toBe(0);
  });

  it('refuses a file over 10 MB that reached the bucket without reading it', async () => {
    const big = new Uint8Array(11 * 1024 * 1024);
    big.set(fixture('letter.pdf'));
    const fileId = await upload(big);
    expect(await checkUpload(deps(), caseId, fileId)).toMatchObject({ status: 'rejected', reason: 'size' });
    expect(evidence.objects.size).toBe(0);
  });

  it('refuses a file the scan found a threat in, whichever arrives first', async () => {
    const infected = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(EICAR_SIGNATURE)]);
    const fileId = await upload(infected);
    const key = evidenceKey(caseId, fileId);
    evidence.tagScan(key, 'THREATS_FOUND');
    // The scan result before the resident's browser came back: the upload is checked then.
    const file = await recordScanEvent(deps(), {
      'detail-type': 'GuardDuty Malware Protection Object Scan Result',
      detail: {
        s3ObjectDetails: { objectKey: key },
        scanResultDetails: { scanResultStatus: 'THREATS_FOUND' },
      },
    });
    expect(file).toMatchObject({ status: 'rejected', reason: 'virus' });
    expect(evidence.objects.size).toBe(0);
    // The browser's return afterwards changes nothing.
    expect(await checkUpload(deps(), caseId, fileId)).toMatchObject({ status: 'rejected', reason: 'virus' });
    expect((await store.events(caseId)).filter((e) => e.type.startsWith('evidence-'))).toHaveLength(2);
  });

  /** Another photo: the fixture with bytes of its own after its end (the same content is one file). */
  const photo = (name: string, n: number) => Buffer.concat([fixture(name), Buffer.from(`photo ${n}`)]);

  it('gives no sixth upload, and takes one again once a file was refused', async () => {
    for (let i = 0; i < 5; i++) await checkUpload(deps(), caseId, await upload(photo('photo.jpg', i)));
    expect(await requestUpload(deps(), { caseId })).toEqual({ refused: 'limit' });
    expect((await listEvidence(deps(), 'CMP-2026-000001'))?.length).toBe(5);

    const first = (await evidenceOf(deps(), caseId))[0]?.fileId as string;
    await recordScanResult(deps(), evidenceKey(caseId, first), 'THREATS_FOUND');
    expect('fileId' in (await requestUpload(deps(), { caseId }))).toBe(true);
  });

  it('rejects a sixth file that raced past the count check, and deletes it', async () => {
    const slots = [];
    for (let i = 0; i < 6; i++) {
      const slot = await requestUpload(deps(), { caseId });
      if ('refused' in slot) throw new Error('refused');
      slots.push(slot.fileId);
    }
    for (const [i, fileId] of slots.entries())
      evidence.put(evidenceKey(caseId, fileId), photo('photo.png', i));
    const results = [];
    for (const fileId of slots) results.push(await checkUpload(deps(), caseId, fileId));
    expect(results.map((r) => r?.status)).toEqual([
      'checking',
      'checking',
      'checking',
      'checking',
      'checking',
      'rejected',
    ]);
    expect(results[5]?.reason).toBe('limit');
    expect(evidence.objects.size).toBe(5);
  });

  it('records each verdict once when the browser’s return and the scan result decide together', async () => {
    // Prepare
    const fileId = await upload(fixture('photo.png'));
    const key = evidenceKey(caseId, fileId);
    evidence.tagScan(key, 'NO_THREATS_FOUND');
    // Act
    await Promise.all([
      checkUpload(deps(), caseId, fileId),
      recordScanResult(deps(), key, 'NO_THREATS_FOUND'),
      checkUpload(deps(), caseId, fileId),
    ]);
    // Assess
    const types = (await store.events(caseId)).map((e) => e.type).filter((t) => t.startsWith('evidence-'));
    expect(types).toEqual(['evidence-received', 'evidence-scanned']);
  });

  it('records a file sent again after S3 took it and its check failed once, whichever is checked first', async () => {
    // Prepare: S3 took the letter, then the check failed (the API answered 5xx or timed out), so
    // the resident opened the page again and sent the same letter with its new form.
    const first = await upload(fixture('letter.pdf'));
    const again = await upload(fixture('letter.pdf'));

    // Act: the check of the second upload, then the first upload's scan result and a refresh of
    // the first upload's return address.
    const checked = await checkUpload(deps(), caseId, again);
    evidence.tagScan(evidenceKey(caseId, first), 'NO_THREATS_FOUND');
    const scanned = await recordScanResult(deps(), evidenceKey(caseId, first), 'NO_THREATS_FOUND');
    const refreshed = await checkUpload(deps(), caseId, first);

    // Assess: one file, whose number and state every answer gives; one object kept.
    const files = await evidenceOf(deps(), caseId);
    expect(files).toHaveLength(1);
    expect(checked).toMatchObject({ fileId: files[0]?.fileId, number: 1 });
    expect(scanned?.fileId).toBe(files[0]?.fileId);
    expect(refreshed?.fileId).toBe(files[0]?.fileId);
    expect(evidence.objects.size).toBe(1);
  });

  it('records a file sent again once when the first upload’s scan recorded it before the resident came back', async () => {
    // Prepare: the first upload recorded by its scan result, while the resident sends it again.
    const first = await upload(fixture('photo.png'));
    evidence.tagScan(evidenceKey(caseId, first), 'NO_THREATS_FOUND');
    await recordScanResult(deps(), evidenceKey(caseId, first), 'NO_THREATS_FOUND');
    const again = await upload(fixture('photo.png'));

    // Act: the second upload is checked twice (the page's script, then the browser's own return).
    const checked = await checkUpload(deps(), caseId, again);
    const checkedAgain = await checkUpload(deps(), caseId, again);
    const scanned = await recordScanResult(deps(), evidenceKey(caseId, again), 'NO_THREATS_FOUND');

    // Assess
    const files = await evidenceOf(deps(), caseId);
    expect(files.map((f) => [f.fileId, f.status])).toEqual([[first, 'clean']]);
    expect([checked?.fileId, checkedAgain?.fileId, scanned?.fileId]).toEqual([first, first, first]);
    expect([...evidence.objects.keys()]).toEqual([evidenceKey(caseId, first)]);
    expect(await requestUpload(deps(), { caseId })).toMatchObject({ slotsLeft: 4 });
  });

  it('deletes a copy at its next check when S3 failed to delete it after the copy was recorded', async () => {
    // Prepare: the copy recorded, then its delete failed (S3 answered 500).
    const first = await upload(fixture('letter.pdf'));
    await checkUpload(deps(), caseId, first);
    const again = await upload(fixture('letter.pdf'));
    const remove = evidence.remove.bind(evidence);
    evidence.remove = async () => {
      throw new Error('S3 answered 500');
    };
    await expect(checkUpload(deps(), caseId, again)).rejects.toThrow('S3 answered 500');
    evidence.remove = remove;

    // Act: the resident's browser comes back to the check.
    const checked = await checkUpload(deps(), caseId, again);

    // Assess
    expect(checked?.fileId).toBe(first);
    expect([...evidence.objects.keys()]).toEqual([evidenceKey(caseId, first)]);
  });

  it('answers undefined for a file never uploaded, and ignores keys outside evidence/', async () => {
    expect(await checkUpload(deps(), caseId, 'file-none')).toBeUndefined();
    expect(await recordScanResult(deps(), 'cases/case-0001.json', 'NO_THREATS_FOUND')).toBeUndefined();
  });

  /** A PNG uploaded, checked and scanned clean. */
  async function cleanFile(): Promise<string> {
    const fileId = await upload(fixture('photo.png'));
    await checkUpload(deps(), caseId, fileId);
    evidence.tagScan(evidenceKey(caseId, fileId), 'NO_THREATS_FOUND');
    await recordScanResult(deps(), evidenceKey(caseId, fileId), 'NO_THREATS_FOUND');
    return fileId;
  }

  it('keeps a clean file the archive copied in place: a new entity tag, the same content', async () => {
    const fileId = await cleanFile();
    await retainEvidence(evidence, caseId, await store.events(caseId), '2y', '2026-06-30T16:00:00.000Z');
    const key = evidenceKey(caseId, fileId);
    evidence.tagScan(key, 'NO_THREATS_FOUND');

    // The copy is a new object: the virus check scans it, and its result comes in again.
    const rescanned = await recordScanResult(deps(), key, 'NO_THREATS_FOUND');
    const link = await evidenceDownload(deps(), openCase(caseId), fileId);

    expect(rescanned?.status).toBe('clean');
    expect(link).toContain('CMP-2026-000001-evidence-1.png');
    expect(evidence.objects.has(key)).toBe(true);
    const file = (await evidenceOf(deps(), caseId))[0];
    expect(await checkedEvidenceBytes(deps(), caseId, file as NonNullable<typeof file>)).toEqual(
      fixture('photo.png'),
    );
  });

  it('refuses a file written again through its upload form after it was checked, at its scan', async () => {
    const fileId = await cleanFile();
    const key = evidenceKey(caseId, fileId);
    evidence.put(key, fixture('photo.jpg'));
    evidence.tagScan(key, 'NO_THREATS_FOUND');

    const result = await recordScanResult(deps(), key, 'NO_THREATS_FOUND');

    expect(result).toMatchObject({ status: 'rejected', reason: 'replaced' });
    expect(evidence.objects.has(key)).toBe(false);
    expect(await evidenceDownload(deps(), openCase(caseId), fileId)).toBeUndefined();
  });

  it('refuses a file written again before its scan came in, at the next download, and leaves it out of exports', async () => {
    const fileId = await cleanFile();
    const key = evidenceKey(caseId, fileId);
    evidence.put(key, fixture('photo.jpg'));
    evidence.tagScan(key, 'NO_THREATS_FOUND');
    const file = (await evidenceOf(deps(), caseId))[0] as NonNullable<
      Awaited<ReturnType<typeof evidenceOf>>[0]
    >;

    const exported = await checkedEvidenceBytes(deps(), caseId, file);
    const link = await evidenceDownload(deps(), openCase(caseId), fileId);

    expect(exported).toBeUndefined();
    expect(link).toBeUndefined();
    expect((await evidenceOf(deps(), caseId))[0]).toMatchObject({ status: 'rejected', reason: 'replaced' });
  });

  it('gives kept files the case file retention class, and skips rejected ones', async () => {
    const kept = await upload(fixture('letter.docx'));
    await checkUpload(deps(), caseId, kept);
    const refused = await upload(fixture('archive.zip'));
    await checkUpload(deps(), caseId, refused);
    expect(await retainEvidence(evidence, caseId, await store.events(caseId), '6y')).toBe(1);
    expect(evidence.objects.get(evidenceKey(caseId, kept))?.tags.retention).toBe('6y');
  });
});
