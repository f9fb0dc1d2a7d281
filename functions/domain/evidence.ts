import type { CaseEvent } from './case.js';
import type { IsoTimestamp } from './types.js';

/**
 * Evidence a resident sends with a case (a photo, a letter): what is accepted, how many, how
 * large, and where each file stands, read from the case's history. Pure: the S3 adapter and the
 * use cases in `functions/app/evidence.ts` do the storing, sniffing and scanning.
 */

/** At most this many files are kept with one case (rejected ones do not count). */
export const MAX_EVIDENCE_FILES = 5;
/** At most this many bytes a file (10 MB), enforced by S3's POST policy and again after upload. */
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;
/** How long a presigned POST may be used, in seconds: long enough to choose a file and send it. */
export const UPLOAD_EXPIRY_SECONDS = 15 * 60;
/** How long an officer's download link works, in seconds. */
export const DOWNLOAD_EXPIRY_SECONDS = 5 * 60;

/** Every evidence object lives under this prefix (the malware scan and its tag cover it). */
export const EVIDENCE_PREFIX = 'evidence/';

/** The kinds of file accepted, by the type their content shows (never their name or declared type). */
export const ACCEPTED_TYPES = {
  'application/pdf': { ext: 'pdf', label: 'PDF', labelCy: 'PDF' },
  'image/jpeg': { ext: 'jpg', label: 'JPEG image', labelCy: 'Delwedd JPEG' },
  'image/png': { ext: 'png', label: 'PNG image', labelCy: 'Delwedd PNG' },
  'image/heic': { ext: 'heic', label: 'HEIC photo', labelCy: 'Llun HEIC' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    ext: 'docx',
    label: 'Word document',
    labelCy: 'Dogfen Word',
  },
  // `labelCy`: DRAFT WELSH (as the pages' catalogue), for the council's translation review.
} as const satisfies Record<string, { ext: string; label: string; labelCy: string }>;

export type AcceptedType = keyof typeof ACCEPTED_TYPES;

/** The list of accepted kinds, for messages and hints. */
export const ACCEPTED_LABEL = 'PDF, JPEG, PNG, HEIC or Word (DOCX)';
/** The same list on Welsh pages: the formats keep their names (DRAFT WELSH). */
export const ACCEPTED_LABEL_CY = 'PDF, JPEG, PNG, HEIC neu Word (DOCX)';

/** Why a file was not kept. */
export type RejectionReason = 'type' | 'size' | 'empty' | 'limit' | 'virus' | 'scan-failed' | 'replaced';

/** What the resident (and the officer) is told for each reason. */
export const REJECTION_MESSAGES: Readonly<Record<RejectionReason, string>> = {
  type: `The file was not accepted: it is not a ${ACCEPTED_LABEL} file`,
  size: 'The file was not accepted: it is larger than 10 MB',
  empty: 'The file was not accepted: it is empty',
  limit: `The file was not accepted: a complaint can have at most ${MAX_EVIDENCE_FILES} files`,
  virus: 'The file was not accepted: our virus check found a threat in it',
  'scan-failed': 'The file was not accepted: our virus check could not read it',
  replaced:
    'The file was not accepted: it was uploaded again after it had been checked. Send the new version as a new file',
};

/** The object key of one evidence file: its case, then an id the service chose. */
export function evidenceKey(caseId: string, fileId: string): string {
  return `${EVIDENCE_PREFIX}${caseId}/${fileId}`;
}

/** The case id and file id named by an evidence key, or undefined for any other key. */
export function parseEvidenceKey(key: string): { caseId: string; fileId: string } | undefined {
  const match = /^evidence\/([\w-]{1,64})\/([\w-]{1,64})$/.exec(key);
  return match ? { caseId: match[1] as string, fileId: match[2] as string } : undefined;
}

/** A file id: letters, digits and dashes only, so it is safe in a key and a path. */
export function isFileId(value: string): boolean {
  return /^[\w-]{1,64}$/.test(value);
}

/**
 * The verdict on an uploaded object's content: accepted as one of the types, or why not. `sniffed`
 * is the MIME type its bytes show (from `file-type`), undefined when they show none.
 */
export function checkContent(
  sniffed: string | undefined,
  size: number,
): { ok: true; type: AcceptedType } | { ok: false; reason: RejectionReason } {
  if (size === 0) return { ok: false, reason: 'empty' };
  if (size > MAX_EVIDENCE_BYTES) return { ok: false, reason: 'size' };
  if (sniffed === undefined || !(sniffed in ACCEPTED_TYPES)) return { ok: false, reason: 'type' };
  return { ok: true, type: sniffed as AcceptedType };
}

/** GuardDuty Malware Protection for S3's result values (the tag `GuardDutyMalwareScanStatus`). */
export type ScanStatus = 'NO_THREATS_FOUND' | 'THREATS_FOUND' | 'UNSUPPORTED' | 'ACCESS_DENIED' | 'FAILED';

/** The object tag GuardDuty (and the local stand-in scanner) writes with the scan result. */
export const SCAN_STATUS_TAG = 'GuardDutyMalwareScanStatus';
/** The detail-type of GuardDuty's scan result event (the EventBridge rule matches on it). */
export const SCAN_RESULT_DETAIL_TYPE = 'GuardDuty Malware Protection Object Scan Result';
/** The only scan result that lets anyone open the file. */
export const CLEAN_SCAN_STATUS: ScanStatus = 'NO_THREATS_FOUND';

/** What a scan result means for the file: clean, or rejected with a reason. */
export function scanVerdict(status: string): { clean: true } | { clean: false; reason: RejectionReason } {
  if (status === CLEAN_SCAN_STATUS) return { clean: true };
  return { clean: false, reason: status === 'THREATS_FOUND' ? 'virus' : 'scan-failed' };
}

/** Where one file stands. */
export type EvidenceStatus = 'checking' | 'clean' | 'rejected';

/** One evidence file of a case, as its history tells it. File names are never kept (personal data). */
export interface EvidenceFile {
  fileId: string;
  /** Ordinal among the case's files, from 1, in the order they arrived. */
  number: number;
  status: EvidenceStatus;
  /** The type its content showed, once checked. */
  type?: AcceptedType;
  size?: number;
  /**
   * The SHA-256 of the content that was checked, and the entity tag of the object it was read
   * from. The upload's presigned POST stays usable for a while, so the same key can be written
   * again: content that no longer has this digest is not the file that was checked, and is never
   * opened. The entity tag is only the quick way to know nothing changed (an object copied in
   * place, as at archiving, keeps its content but, encrypted with KMS, not its tag).
   */
  sha256?: string;
  etag?: string;
  receivedAt: IsoTimestamp;
  reason?: RejectionReason;
}

/** Event types on the case timeline. */
export const EVIDENCE_EVENTS = {
  received: 'evidence-received',
  rejected: 'evidence-rejected',
  scanned: 'evidence-scanned',
  /** An upload whose content a kept file already has: the same file sent again, kept once. */
  sentAgain: 'evidence-sent-again',
} as const;

/**
 * Every evidence file of a case from its history, in arrival order. The first verdict on a file
 * wins (the upload check and the scan may each report twice; both are idempotent); a file
 * received after `MAX_EVIDENCE_FILES` others were kept counts as rejected for the limit, so two
 * uploads racing past the count check still leave at most five.
 */
export function evidenceFiles(events: readonly Pick<CaseEvent, 'type' | 'at' | 'detail'>[]): EvidenceFile[] {
  const files = new Map<string, EvidenceFile>();
  let kept = 0;
  for (const e of events) {
    const fileId = typeof e.detail?.fileId === 'string' ? e.detail.fileId : undefined;
    if (fileId === undefined) continue;
    const known = files.get(fileId);
    if (e.type === EVIDENCE_EVENTS.received && known === undefined) {
      const over = kept >= MAX_EVIDENCE_FILES;
      if (!over) kept++;
      files.set(fileId, {
        fileId,
        number: files.size + 1,
        status: over ? 'rejected' : 'checking',
        type: e.detail?.type as AcceptedType,
        size: Number(e.detail?.size),
        ...(typeof e.detail?.sha256 === 'string' ? { sha256: e.detail.sha256 } : {}),
        ...(typeof e.detail?.etag === 'string' ? { etag: e.detail.etag } : {}),
        receivedAt: e.at,
        ...(over ? { reason: 'limit' as const } : {}),
      });
    } else if (e.type === EVIDENCE_EVENTS.rejected) {
      const reason = e.detail?.reason as RejectionReason;
      if (known === undefined) {
        files.set(fileId, { fileId, number: files.size + 1, status: 'rejected', receivedAt: e.at, reason });
      } else if (known.status !== 'rejected') {
        if (known.status === 'checking' || known.status === 'clean') kept--;
        files.set(fileId, { ...known, status: 'rejected', reason });
      }
    } else if (e.type === EVIDENCE_EVENTS.scanned && known?.status === 'checking') {
      files.set(fileId, { ...known, status: 'clean' });
    }
  }
  return [...files.values()];
}

/**
 * The kept file (being checked or clean) that has exactly this content, if any. A resident whose
 * upload reached S3 but whose page then failed (the check answered 5xx, or not at all) cannot
 * know the file arrived, and sends it again from a new form, under a new key: the content is what
 * says it is the same file.
 */
export function keptWithContent(files: readonly EvidenceFile[], sha256: string): EvidenceFile | undefined {
  return files.find((f) => f.status !== 'rejected' && f.sha256 === sha256);
}

/** The id of the kept file an upload was found to be a copy of (`evidence-sent-again`), if it was. */
export function sentAgainAs(
  events: readonly Pick<CaseEvent, 'type' | 'detail'>[],
  fileId: string,
): string | undefined {
  const event = events.find((e) => e.type === EVIDENCE_EVENTS.sentAgain && e.detail?.fileId === fileId);
  return typeof event?.detail?.sameAs === 'string' ? event.detail.sameAs : undefined;
}

/** How many more files the case can take (files kept or being checked count; rejected ones do not). */
export function evidenceSlotsLeft(files: readonly EvidenceFile[]): number {
  return Math.max(0, MAX_EVIDENCE_FILES - files.filter((f) => f.status !== 'rejected').length);
}

/** A size for people: "120 KB", "2.4 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
