import type { CaseEvent } from '../domain/case.js';
import { evidenceFiles, evidenceKey } from '../domain/evidence.js';
import type { EvidenceStore, RetentionClass } from '../domain/ports.js';

/*
 * Keeping evidence with its case file. Apart from `evidence.ts` so that the workflow's steps do
 * not load the content sniffer at cold start.
 */

/** The keys of a case's kept evidence (clean or still being checked), for the archive. */
export function keptEvidenceKeys(caseId: string, events: readonly CaseEvent[]): string[] {
  return evidenceFiles(events)
    .filter((f) => f.status !== 'rejected')
    .map((f) => evidenceKey(caseId, f.fileId));
}

/** Gives a case's evidence its case file's retention class (at archiving, or a later re-tag). */
export async function retainEvidence(
  evidence: EvidenceStore,
  caseId: string,
  events: readonly CaseEvent[],
  retention: RetentionClass,
  archivedAt?: string,
): Promise<number> {
  const keys = keptEvidenceKeys(caseId, events);
  await evidence.retain(keys, retention, archivedAt);
  return keys.length;
}
