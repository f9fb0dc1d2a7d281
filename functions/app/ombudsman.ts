import { type CaseRecord, letterNames } from '../domain/case.js';
import { CaseErasedError } from '../domain/errors.js';
import type { OmbudsmanId } from '../domain/ombudsmen.js';
import {
  AlreadyDoneError,
  type Archive,
  type CaseChange,
  CaseNotFoundError,
  type CaseStore,
  type EvidenceStore,
} from '../domain/ports.js';
import { changeCase } from './case-writes.js';
import { retainEvidence } from './evidence-retention.js';

/**
 * Records an ombudsman enquiry on a case — open or long closed. The case file then belongs to
 * the 6-year retention class (South Norfolk Council Complaints Policy): the archived object is re-tagged and the record's
 * expiry moves with it. Answers the case and whether this call wrote the event (not when the
 * form's one-off id was taken by the same form sent before).
 */
export async function recordOmbudsmanEnquiry(
  deps: { store: CaseStore; archive: Archive; now: () => Date; evidence?: EvidenceStore },
  reference: string,
  detail: {
    ombudsman: OmbudsmanId;
    by: string;
    note?: string;
    /** The Ombudsman's decision, when this records it rather than the first enquiry. */
    decision?: string;
    /** The council sent the Ombudsman its case file (`ombudsman-file.ts`): when, their reference, how. */
    fileSent?: { sentOn: string; ombudsmanReference: string; how: string; auditId?: string };
    /** The workspace form's one-off id: what one page sends is recorded once (`CaseChange.once`). */
    once?: string;
  },
): Promise<{ record: CaseRecord; written: boolean }> {
  const c = await deps.store.getByReference(reference);
  if (!c) throw new CaseNotFoundError(`case ${reference} not found`);
  if (c.erasure || c.erasureStarted) throw new CaseErasedError();
  const change: CaseChange = {
    set: { ombudsmanInvolved: true },
    event: {
      at: deps.now().toISOString(),
      type: detail.fileSent
        ? 'ombudsman-file-sent'
        : detail.decision
          ? 'ombudsman-decision'
          : 'ombudsman-enquiry',
      actor: detail.by,
      detail: {
        ombudsman: detail.ombudsman,
        ...(detail.fileSent ?? {}),
        ...(detail.decision ? { decision: detail.decision } : {}),
        ...(detail.note ? { note: detail.note } : {}),
      },
    },
  };
  // With the form's id, a write that lost to another (the same form sent twice at once) is made
  // again on the case as it is, where it finds the id taken: answered as the first, not as a race.
  const updated =
    detail.once === undefined
      ? { record: await deps.store.update(c.caseId, c.version, change), written: true }
      : await recordedOnce(c, () =>
          changeCase(deps.store, c.caseId, () => ({ ...change, once: detail.once }), { first: c }),
        );
  // Sent again, the form finds it recorded and finishes what follows, as the first would have.
  if (c.status === 'closed' && (await deps.archive.getRetention(c.caseId)) !== undefined) {
    await deps.archive.setRetention(c.caseId, '6y');
    const events = await deps.store.events(c.caseId);
    await deps.archive.retainLetters(c.caseId, letterNames(events), '6y');
    // The resident's evidence is part of the case file: it moves to the 6-year class with it.
    if (deps.evidence) await retainEvidence(deps.evidence, c.caseId, events, '6y');
  }
  return updated;
}

/** The case as `write` leaves it, or as it is when the form's id was taken already (nothing written). */
async function recordedOnce(
  c: CaseRecord,
  write: () => Promise<CaseRecord | undefined>,
): Promise<{ record: CaseRecord; written: boolean }> {
  try {
    return { record: (await write()) ?? c, written: true };
  } catch (error: unknown) {
    if (error instanceof AlreadyDoneError) return { record: c, written: false };
    throw error;
  }
}
