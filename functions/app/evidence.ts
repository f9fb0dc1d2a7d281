import { createHash } from 'node:crypto';
import type { CaseEvent, CaseRecord } from '../domain/case.js';
import {
  ACCEPTED_TYPES,
  checkContent,
  DOWNLOAD_EXPIRY_SECONDS,
  EVIDENCE_EVENTS,
  type EvidenceFile,
  evidenceFiles,
  evidenceKey,
  evidenceSlotsLeft,
  keptWithContent,
  MAX_EVIDENCE_BYTES,
  parseEvidenceKey,
  type RejectionReason,
  SCAN_RESULT_DETAIL_TYPE,
  scanVerdict,
  sentAgainAs,
  UPLOAD_EXPIRY_SECONDS,
} from '../domain/evidence.js';
import type { CaseChange, CaseStore, EvidenceStore, PresignedUpload } from '../domain/ports.js';
import { changeCase } from './case-writes.js';

/**
 * Evidence use cases: a presigned POST per file, the check of what arrived (by content), the
 * malware scan's verdict, the list a resident or officer sees, and downloads once clean. Every
 * step is idempotent and records its verdict on the case's timeline; a file's state is read
 * back from there (`evidenceFiles`), so the upload check and the scan may arrive in either order.
 */
export interface EvidenceDeps {
  store: CaseStore;
  evidence: EvidenceStore;
  now: () => Date;
  newId: () => string;
}

/**
 * The MIME type a file's bytes show, whatever its name or declared type: `file-type` reads the
 * magic numbers (and, for a ZIP, its entries: a DOCX is a ZIP holding `word/document.xml`).
 */
export async function sniffType(bytes: Uint8Array): Promise<string | undefined> {
  // Imported on the first file checked: the API and the scan-result function would otherwise
  // load it (and its ZIP reader) at every cold start, for the few requests that check a file.
  const { fileTypeFromBuffer } = await import('file-type');
  return (await fileTypeFromBuffer(bytes))?.mime;
}

/** Every evidence file of the case with this reference; undefined when there is no such case. */
export async function listEvidence(
  deps: Pick<EvidenceDeps, 'store'>,
  caseRef: string,
): Promise<EvidenceFile[] | undefined> {
  const record = await deps.store.getByReference(caseRef);
  if (!record) return undefined;
  return evidenceFiles(await deps.store.events(record.caseId));
}

/** The evidence files of a case already loaded (its id known). */
export async function evidenceOf(deps: Pick<EvidenceDeps, 'store'>, caseId: string): Promise<EvidenceFile[]> {
  return evidenceFiles(await deps.store.events(caseId));
}

/**
 * A presigned POST for one more file, or `limit` when the case already has as many files as it
 * may (the check after upload enforces it again, so a race cannot pass it).
 */
export async function requestUpload(
  deps: EvidenceDeps,
  c: Pick<CaseRecord, 'caseId'>,
  options: { redirect?: (fileId: string) => string } = {},
): Promise<{ fileId: string; upload: PresignedUpload; slotsLeft: number } | { refused: 'limit' }> {
  const slotsLeft = evidenceSlotsLeft(await evidenceOf(deps, c.caseId));
  if (slotsLeft === 0) return { refused: 'limit' };
  const fileId = deps.newId();
  const upload = await deps.evidence.presignUpload(evidenceKey(c.caseId, fileId), {
    expiresSeconds: UPLOAD_EXPIRY_SECONDS,
    ...(options.redirect ? { redirect: options.redirect(fileId) } : {}),
  });
  return { fileId, upload, slotsLeft };
}

/**
 * Checks a file that was uploaded: its size, then its content's type; a file that fails is
 * deleted and `evidence-rejected` recorded with the reason, one that passes is recorded as
 * `evidence-received` and stays unreadable until the scan says clean. Then applies the scan
 * result when the scanner was first. Content a kept file already has is that file sent again
 * (its first upload's check failed after S3 took it): recorded as `evidence-sent-again`, deleted,
 * and answered with the kept file, so the resident sees one file however often they sent it; but
 * only once the kept file's object is found still holding that content: when it is gone or was
 * written over, this upload is the resident's one copy, and is kept as a file of its own.
 * Returns the file's state, or undefined when nothing was uploaded under that id.
 */
export async function checkUpload(
  deps: EvidenceDeps,
  caseId: string,
  fileId: string,
): Promise<EvidenceFile | undefined> {
  const key = evidenceKey(caseId, fileId);
  const before = await deps.store.events(caseId);
  const known = find(evidenceFiles(before), fileId);
  if (known) {
    // A refused file's object is deleted after its verdict (`reject`): again, should that have failed.
    if (known.status === 'rejected') await deps.evidence.remove(key);
    return known;
  }
  const copied = sentAgain(before, fileId);
  // Deleted once already, unless that failed after the copy was recorded: deleting is idempotent.
  // Never while the kept file's object no longer holds its content: this copy is then all there is.
  if (copied && (await heldContent(deps, caseId, copied)) === 'checked') {
    await deps.evidence.remove(key);
    return copied;
  }
  const head = await deps.evidence.head(key);
  if (head === undefined) return copied;
  const object = head.size > 0 && head.size <= MAX_EVIDENCE_BYTES ? await deps.evidence.read(key) : undefined;
  const bytes = object?.bytes;
  const verdict = checkContent(bytes ? await sniffType(bytes) : undefined, bytes?.length ?? head.size);
  if (!verdict.ok) return reject(deps, caseId, fileId, verdict.reason);
  // What was checked: these bytes, and the tag of the object they were read from (not the head's:
  // a second upload may have come in between).
  const size = bytes?.length ?? head.size;
  const sha256 = bytes ? sha256Of(bytes) : undefined;
  const pin = sha256 ? { sha256, ...(object?.etag ? { etag: object.etag } : {}) } : {};
  const at = deps.now().toISOString();
  // One verdict per upload, decided on the history it is written after: the same content, kept
  // meanwhile under another upload (the scan of the first may record it while this one is
  // checked), makes this one a copy; but only while that file's object still holds it. A copy
  // recorded before the kept object was lost or written over is kept as a file after all.
  await recordOnce(deps, caseId, async (events) => {
    const files = evidenceFiles(events);
    if (find(files, fileId)) return undefined;
    const recorded = sentAgain(events, fileId);
    const same = recorded ?? (sha256 ? keptWithContent(files, sha256) : undefined);
    if (same && (await heldContent(deps, caseId, same)) === 'checked') {
      return recorded
        ? undefined
        : { at, type: EVIDENCE_EVENTS.sentAgain, actor: 'resident', detail: { fileId, sameAs: same.fileId } };
    }
    return {
      at,
      type: EVIDENCE_EVENTS.received,
      actor: 'resident',
      detail: { fileId, type: verdict.type, size, ...pin },
    };
  });
  const after = await deps.store.events(caseId);
  const file = find(evidenceFiles(after), fileId);
  const copyOf = file ? undefined : sentAgain(after, fileId);
  if (copyOf) {
    // Kept once, under the first upload, whose object was found holding the same bytes.
    await deps.evidence.remove(key);
    return copyOf;
  }
  // Past the limit (two uploads raced the count): rejected by the history; delete and say so.
  if (file?.reason === 'limit') return reject(deps, caseId, fileId, 'limit');
  const scanned = await deps.evidence.scanStatus(key);
  return scanned === undefined ? file : applyScan(deps, caseId, fileId, scanned);
}

/** The kept file an upload was a copy of, in the history `events`; undefined when it was none. */
function sentAgain(events: CaseEvent[], fileId: string): EvidenceFile | undefined {
  const sameAs = sentAgainAs(events, fileId);
  return sameAs === undefined ? undefined : find(evidenceFiles(events), sameAs);
}

/**
 * The malware scan's result for an object (GuardDuty's EventBridge event on AWS, the stand-in
 * scanner locally). Keys outside `evidence/` are ignored. Checks the upload first if that has
 * not happened yet, so a scan arriving first still leads to a recorded verdict.
 */
export async function recordScanResult(
  deps: EvidenceDeps,
  key: string,
  status: string,
): Promise<EvidenceFile | undefined> {
  const parsed = parseEvidenceKey(key);
  if (!parsed) return undefined;
  const { caseId, fileId } = parsed;
  if (!(await deps.store.get(caseId))) {
    // An object for no case (a forged key cannot be signed; this is a stray): remove it.
    await deps.evidence.remove(key);
    return undefined;
  }
  const checked = await checkUpload(deps, caseId, fileId);
  // Nothing there, or a copy of a kept file (deleted): the result is not about any kept file.
  if (checked === undefined || checked.fileId !== fileId) return checked;
  // Every upload is scanned, a second one to the same key too: its result says it is there.
  if (await replacedSinceChecked(deps, caseId, checked)) return reject(deps, caseId, fileId, 'replaced');
  return applyScan(deps, caseId, fileId, status);
}

function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * What the object under a kept file's key holds: the content that was checked, other content
 * (the upload's presigned POST can be used again until it expires), or nothing. The same entity
 * tag means the same object; another tag may still hold the same content (a copy in place under
 * KMS gets a new tag), so then the content is read and its digest compared. Files recorded before
 * digests were kept are taken as they are.
 */
async function heldContent(
  deps: Pick<EvidenceDeps, 'evidence'>,
  caseId: string,
  file: EvidenceFile,
): Promise<'checked' | 'other' | 'nothing'> {
  const key = evidenceKey(caseId, file.fileId);
  const head = await deps.evidence.head(key);
  if (head === undefined) return 'nothing';
  if (file.sha256 === undefined || (file.etag !== undefined && head.etag === file.etag)) return 'checked';
  const object = await deps.evidence.read(key);
  if (object === undefined) return 'nothing';
  return sha256Of(object.bytes) === file.sha256 ? 'checked' : 'other';
}

/** Whether the object under a kept file's key no longer holds the content that was checked. */
async function replacedSinceChecked(
  deps: Pick<EvidenceDeps, 'evidence'>,
  caseId: string,
  file: EvidenceFile,
): Promise<boolean> {
  if (file.status === 'rejected' || file.sha256 === undefined) return false;
  return (await heldContent(deps, caseId, file)) === 'other';
}

/**
 * A kept file's bytes for an export (subject access, the Ombudsman's file), only when they are
 * the bytes that were checked: undefined when the object is gone or was written again since.
 */
export async function checkedEvidenceBytes(
  deps: Pick<EvidenceDeps, 'evidence'>,
  caseId: string,
  file: Pick<EvidenceFile, 'fileId' | 'sha256'>,
): Promise<Uint8Array | undefined> {
  const object = await deps.evidence.read(evidenceKey(caseId, file.fileId));
  if (object === undefined) return undefined;
  if (file.sha256 !== undefined && sha256Of(object.bytes) !== file.sha256) return undefined;
  return object.bytes;
}

async function applyScan(
  deps: EvidenceDeps,
  caseId: string,
  fileId: string,
  status: string,
): Promise<EvidenceFile | undefined> {
  const file = find(await evidenceOf(deps, caseId), fileId);
  if (file?.status !== 'checking') return file;
  const verdict = scanVerdict(status);
  if (!verdict.clean) return reject(deps, caseId, fileId, verdict.reason);
  const event = {
    at: deps.now().toISOString(),
    type: EVIDENCE_EVENTS.scanned,
    actor: 'system',
    detail: { fileId, result: status },
  };
  await recordOnce(deps, caseId, (events) =>
    find(evidenceFiles(events), fileId)?.status === 'checking' ? event : undefined,
  );
  return find(await evidenceOf(deps, caseId), fileId);
}

async function reject(
  deps: Pick<EvidenceDeps, 'store' | 'evidence' | 'now'>,
  caseId: string,
  fileId: string,
  reason: RejectionReason,
): Promise<EvidenceFile | undefined> {
  const alreadyRejected = (e: CaseEvent) =>
    e.type === EVIDENCE_EVENTS.rejected && e.detail?.fileId === fileId;
  const event = {
    at: deps.now().toISOString(),
    type: EVIDENCE_EVENTS.rejected,
    actor: 'system',
    detail: { fileId, reason },
  };
  await recordOnce(deps, caseId, (events) => (events.some(alreadyRejected) ? undefined : event));
  // Nothing rejected is kept: the timeline says what arrived and why it went. Deleted once the
  // verdict is recorded, not before: a check meanwhile (the resident's page while the scanner's
  // check deletes) found no object and no verdict, and answered that nothing was uploaded. A
  // delete that fails after the verdict is made again at the file's next check (`checkUpload`).
  await deps.evidence.remove(evidenceKey(caseId, fileId));
  return find(await evidenceOf(deps, caseId), fileId);
}

/**
 * A short-lived download address for a clean file, or undefined when the file is not clean.
 * The object's own scan tag is read again: the history alone never opens a file.
 */
export async function evidenceDownload(
  deps: Pick<EvidenceDeps, 'store' | 'evidence' | 'now'>,
  c: Pick<CaseRecord, 'caseId' | 'reference'>,
  fileId: string,
): Promise<string | undefined> {
  const file = find(await evidenceOf(deps, c.caseId), fileId);
  if (file?.status !== 'clean' || file.type === undefined) return undefined;
  if (await replacedSinceChecked(deps, c.caseId, file)) {
    await reject(deps, c.caseId, fileId, 'replaced');
    return undefined;
  }
  const key = evidenceKey(c.caseId, fileId);
  const status = await deps.evidence.scanStatus(key);
  if (status === undefined || !scanVerdict(status).clean) return undefined;
  const name = `${c.reference}-evidence-${file.number}.${ACCEPTED_TYPES[file.type].ext}`;
  return deps.evidence.downloadUrl(key, name, DOWNLOAD_EXPIRY_SECONDS);
}

/**
 * Appends the event `decide` chooses from the case's history, if any: the upload check, the scan
 * result and a second browser tab may decide about one file at the same moment, and each verdict
 * belongs on the timeline once. The case's version makes the write conditional: of two deciding
 * together, one writes, the other reads again and decides on the history with the verdict in it.
 */
async function recordOnce(
  deps: Pick<EvidenceDeps, 'store'>,
  caseId: string,
  decide: (
    events: CaseEvent[],
  ) => NonNullable<CaseChange['event']> | undefined | Promise<NonNullable<CaseChange['event']> | undefined>,
): Promise<void> {
  await changeCase(deps.store, caseId, async () => {
    const event = await decide(await deps.store.events(caseId));
    return event ? { event } : undefined;
  });
}

function find(files: EvidenceFile[], fileId: string): EvidenceFile | undefined {
  return files.find((f) => f.fileId === fileId);
}

/** GuardDuty Malware Protection for S3's "Object Scan Result" event, as EventBridge delivers it. */
export interface MalwareScanEvent {
  'detail-type'?: string;
  source?: string;
  detail?: {
    scanStatus?: string;
    resourceType?: string;
    s3ObjectDetails?: { bucketName?: string; objectKey?: string };
    scanResultDetails?: { scanResultStatus?: string };
  };
}

/**
 * Records the scan result an event carries. A scan that did not complete (`SKIPPED`, `FAILED`)
 * has no result status: the file is refused as unreadable rather than left unopened for ever.
 */
export async function recordScanEvent(
  deps: EvidenceDeps,
  event: MalwareScanEvent,
): Promise<EvidenceFile | undefined> {
  const key = event.detail?.s3ObjectDetails?.objectKey;
  if (event['detail-type'] !== SCAN_RESULT_DETAIL_TYPE || !key) return undefined;
  const status = event.detail?.scanResultDetails?.scanResultStatus ?? event.detail?.scanStatus ?? 'FAILED';
  return recordScanResult(deps, key, status);
}
