import {
  ACCEPTED_TYPES,
  EVIDENCE_EVENTS,
  type EvidenceFile,
  formatBytes,
  REJECTION_MESSAGES,
  type RejectionReason,
} from '../domain/evidence.js';
import type { Language } from '../domain/language.js';

/**
 * How evidence files read in words, on the resident's page and in the officer's case file alike.
 * Apart from `evidence-pages.ts`, which renders through `render.ts`: the case file's timeline,
 * rendered there, uses these too.
 */

/**
 * "PNG image, 12 KB" ("Delwedd PNG, 12 KB" in Welsh) — files are described by what they are,
 * never by their name (personal data).
 */
export function evidenceDescription(file: EvidenceFile, language: Language = 'en'): string {
  const type = file.type ? ACCEPTED_TYPES[file.type] : undefined;
  const kind = language === 'cy' ? (type?.labelCy ?? 'Ffeil') : (type?.label ?? 'File');
  return file.size !== undefined && Number.isFinite(file.size) ? `${kind}, ${formatBytes(file.size)}` : kind;
}

/** A file as the officer's list of evidence names it: "File 2 (PDF, 12 KB)"; undefined for no file of the case. */
export function evidenceFileText(files: readonly EvidenceFile[], fileId: unknown): string | undefined {
  const file = files.find((f) => f.fileId === fileId);
  if (file === undefined) return undefined;
  const known = file.type !== undefined || (file.size !== undefined && Number.isFinite(file.size));
  return known ? `File ${file.number} (${evidenceDescription(file)})` : `File ${file.number}`;
}

const EVIDENCE_EVENT_TYPES: ReadonlySet<string> = new Set(Object.values(EVIDENCE_EVENTS));

/**
 * An evidence event's details as an officer reads them on the timeline: each file by its number
 * and what it is, as the case's list of evidence shows it, never by the id the service chose
 * (`fileId`, and `sameAs` for the file an upload repeats); why a file was refused in words. What
 * the file's description already says (its type and size) and the scan's raw result (the title
 * says it passed) are left out. Undefined for any other event.
 */
export function evidenceEventDetails(
  type: string,
  detail: Readonly<Record<string, unknown>>,
  files: readonly EvidenceFile[],
): { key: string; value: string }[] | undefined {
  if (!EVIDENCE_EVENT_TYPES.has(type)) return undefined;
  const gone = 'a file no longer on the case';
  if (type === EVIDENCE_EVENTS.sentAgain) {
    // The copy itself was deleted unkept, so has no number: what matters is the file it repeats.
    return [{ key: 'Repeats', value: evidenceFileText(files, detail.sameAs) ?? gone }];
  }
  const reason = detail.reason as RejectionReason | undefined;
  const why = reason !== undefined ? REJECTION_MESSAGES[reason] : undefined;
  return [
    { key: 'File', value: evidenceFileText(files, detail.fileId) ?? gone },
    ...(type === EVIDENCE_EVENTS.rejected && reason !== undefined
      ? [{ key: 'Why', value: why?.replace('The file was not accepted: ', '') ?? String(reason) }]
      : []),
  ];
}
