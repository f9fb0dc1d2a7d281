import { type AuditAction, auditEntry } from '../domain/audit.js';
import { londonDate } from '../domain/calendar.js';
import type { CaseRecord } from '../domain/case.js';
import {
  ERASURE_GROUNDS,
  type ErasureGround,
  erasureRefusal,
  HOLD_REASONS,
  type HoldReason,
  type LegalHold,
  tombstoneOf,
} from '../domain/legal-hold.js';
import type { Policy } from '../domain/policy-schema.js';
import type {
  ArchiveControl,
  AuditLog,
  CaseEraser,
  CaseStore,
  Downloads,
  StaffCaseQueries,
  SuppressionList,
} from '../domain/ports.js';
import { retentionClassFor, retentionEnd, retentionYearsFor } from '../domain/retention.js';
import { canErase, canHold, type StaffMember } from '../domain/staff.js';
import { textProblem } from '../domain/typed-text.js';
import type { WorkListEntry } from '../domain/work-lists.js';
import { HttpError, ValidationError } from '../http/errors.js';
import { readDateInput } from '../web/date-input.js';
import { ActionForbiddenError, caseFor } from './staff-actions.js';
import { forgetSuppressedAddress } from './suppressed-addresses.js';

/**
 * Legal holds and erasure from the staff workspace (UK GDPR; issue "Data protection", item 3).
 * Each use, and each refusal, is written to the audit log, which names the case by id and
 * reference only.
 */
export interface RetentionDeps {
  store: CaseStore & CaseEraser;
  /** Holds and erasure on the records archive. */
  control: ArchiveControl;
  audit: AuditLog;
  policy: Pick<Policy, 'retention'>;
  now: () => Date;
  newId: () => string;
}

/**
 * What an erasure needs besides: the files handed out for download (exports, Ombudsman files),
 * and the email service's suppression list where the deployment lets Redress change it
 * (`suppressed-addresses.ts`).
 */
export type ErasureDeps = RetentionDeps & {
  downloads: Pick<Downloads, 'eraseFor'>;
  suppressions?: SuppressionList | undefined;
};

/** A note's longest length: a claim number or a short reason, not a file. */
const MAX_NOTE = 500;

/** Refused by role or by the case's state: audited as `refused`, then the HTTP answer. */
async function refuse(
  deps: RetentionDeps,
  staff: StaffMember,
  attempted: AuditAction,
  record: Pick<CaseRecord, 'caseId' | 'reference'> | { reference: string },
  status: 403 | 409,
  message: string,
): Promise<never> {
  await deps.audit.record(
    auditEntry(staff, 'refused', deps.now().toISOString(), deps.newId(), {
      subject: { ...('caseId' in record ? { caseId: record.caseId } : {}), reference: record.reference },
      attempted,
      detail: status === 403 ? 'role' : message,
    }),
  );
  throw new HttpError(status, message);
}

/**
 * The case a hold or erasure is asked for. The role is checked first, so a refusal is audited
 * whether or not the person could see the case; then, as for every case action, that they can.
 */
async function target(
  deps: RetentionDeps,
  staff: StaffMember,
  reference: string,
  attempted: AuditAction,
  allowed: boolean,
  refusal: string,
): Promise<CaseRecord> {
  if (!allowed) {
    // Refused before looking the case up: the answer says nothing of which references exist.
    const found = await deps.store.getByReference(reference.toUpperCase());
    return refuse(deps, staff, attempted, found ?? { reference: reference.toUpperCase() }, 403, refusal);
  }
  return caseFor(deps, staff, reference);
}

function noteOf(body: Record<string, unknown>, field: string): string | undefined {
  const raw = body[field];
  if (raw !== undefined && typeof raw !== 'string')
    throw new ValidationError({ [field]: 'Enter the note as text' });
  const note = (raw ?? '').trim();
  if (note.length > MAX_NOTE)
    throw new ValidationError({ [field]: `The note must be ${MAX_NOTE} characters or fewer` });
  const hidden = textProblem(note, 'The note', true);
  if (hidden) throw new ValidationError({ [field]: hidden });
  return note || undefined;
}

/** Reads the hold form: reason (required), note and review date (optional, in the future). */
export function readHoldForm(
  body: Record<string, unknown>,
  today: string,
): { reason: HoldReason; note?: string; reviewBy?: string } {
  const reason = body.holdReason;
  if (typeof reason !== 'string' || !Object.hasOwn(HOLD_REASONS, reason)) {
    throw new ValidationError({ holdReason: 'Select why the case is held' });
  }
  const note = noteOf(body, 'holdNote');
  const fields: Record<string, string | undefined> = {};
  for (const part of ['day', 'month', 'year']) {
    const v = body[`holdReview-${part}`];
    if (typeof v === 'string' && v.trim() !== '') fields[`holdReview-${part}`] = v;
  }
  const review = readDateInput(fields, 'holdReview', 'review date');
  if (review.ok === false) throw new ValidationError({ holdReview: review.error });
  if (review.ok === true && review.date <= today) {
    throw new ValidationError({ holdReview: 'The review date must be in the future' });
  }
  return {
    reason: reason as HoldReason,
    ...(note ? { note } : {}),
    ...(review.ok === true ? { reviewBy: review.date } : {}),
  };
}

/** Reads the review form: the next review date (required, in the future) and an optional note. */
export function readHoldReviewForm(
  body: Record<string, unknown>,
  today: string,
): { reviewBy: string; note?: string } {
  const fields: Record<string, string | undefined> = {};
  for (const part of ['day', 'month', 'year']) {
    const v = body[`holdNextReview-${part}`];
    if (typeof v === 'string' && v.trim() !== '') fields[`holdNextReview-${part}`] = v;
  }
  const review = readDateInput(fields, 'holdNextReview', 'next review date');
  if (review.ok === false) throw new ValidationError({ holdNextReview: review.error });
  if (review.ok !== true) throw new ValidationError({ holdNextReview: 'Enter the next review date' });
  if (review.date <= today) {
    throw new ValidationError({ holdNextReview: 'The next review date must be in the future' });
  }
  const note = noteOf(body, 'holdReviewNote');
  return { reviewBy: review.date, ...(note ? { note } : {}) };
}

/** Reads the erasure form: the Article 17(1) ground (required) and the officer's note. */
export function readErasureForm(body: Record<string, unknown>): { ground: ErasureGround; note?: string } {
  const ground = body.erasureGround;
  if (typeof ground !== 'string' || !Object.hasOwn(ERASURE_GROUNDS, ground)) {
    throw new ValidationError({ erasureGround: 'Select the ground for erasure under UK GDPR Article 17(1)' });
  }
  if (body.erasureConfirm !== 'yes') {
    throw new ValidationError({
      erasureConfirm: 'Confirm that the case is to be erased: this cannot be undone',
    });
  }
  const note = noteOf(body, 'erasureNote');
  return { ground: ground as ErasureGround, ...(note ? { note } : {}) };
}

/**
 * Places a legal hold: the case record carries it (so its table items lose their expiry) and
 * every archived object of the case is tagged out of the lifecycle rules. Placing it again on a
 * held case re-tags the objects (a repair after a failed attempt) and changes nothing else.
 */
export async function placeHold(
  deps: RetentionDeps,
  staff: StaffMember,
  reference: string,
  body: Record<string, unknown>,
): Promise<CaseRecord> {
  const record = await target(
    deps,
    staff,
    reference,
    'hold.place',
    canHold(staff),
    'Only the data protection team may place a legal hold',
  );
  if (record.erasure || record.erasureStarted) {
    return refuse(
      deps,
      staff,
      'hold.place',
      record,
      409,
      record.erasure
        ? 'This case has been erased: there is nothing to hold'
        : 'This case is being erased: finish the erasure, there is nothing left to hold',
    );
  }
  const now = deps.now().toISOString();
  const form = readHoldForm(body, londonDate(now));
  let updated = record;
  if (!record.legalHold) {
    const hold: LegalHold = { at: now, by: staff.email, ...form };
    updated = await deps.store.update(record.caseId, record.version, {
      set: { legalHold: hold },
      event: {
        at: now,
        type: 'legal-hold-placed',
        actor: staff.email,
        detail: { reason: form.reason, ...(form.reviewBy ? { reviewBy: form.reviewBy } : {}) },
      },
    });
  }
  const objects = await deps.control.hold(record.caseId);
  await deps.audit.record(
    auditEntry(staff, 'hold.place', now, deps.newId(), {
      subject: { caseId: record.caseId, reference: record.reference },
      detail: `reason ${form.reason}; ${objects} archive objects held${record.legalHold ? '; already held' : ''}`,
    }),
  );
  return updated;
}

/**
 * Records a review of a legal hold that is still needed: the hold stays, with the next review
 * date (and, when given, a new note). The holds list moves it to that date, and the reminder
 * comes again when the date does. The review is in the case's history and the audit log.
 */
export async function reviewHold(
  deps: RetentionDeps,
  staff: StaffMember,
  reference: string,
  body: Record<string, unknown>,
): Promise<CaseRecord> {
  const record = await target(
    deps,
    staff,
    reference,
    'hold.review',
    canHold(staff),
    'Only the data protection team may review a legal hold',
  );
  const hold = record.legalHold;
  if (!hold) return refuse(deps, staff, 'hold.review', record, 409, 'There is no legal hold on this case');
  const now = deps.now().toISOString();
  const form = readHoldReviewForm(body, londonDate(now));
  const { remindedFor: _reminded, ...kept } = hold;
  const updated = await deps.store.update(record.caseId, record.version, {
    set: { legalHold: { ...kept, ...form } },
    event: {
      at: now,
      type: 'legal-hold-reviewed',
      actor: staff.email,
      detail: { reviewBy: form.reviewBy, ...(hold.reviewBy ? { previousReviewBy: hold.reviewBy } : {}) },
    },
  });
  await deps.audit.record(
    auditEntry(staff, 'hold.review', now, deps.newId(), {
      subject: { caseId: record.caseId, reference: record.reference },
      detail: `next review ${form.reviewBy}${hold.reviewBy ? `; was ${hold.reviewBy}` : ''}`,
    }),
  );
  return updated;
}

/** Holds on one page of the holds list: a council holds tens of cases, not thousands. */
export const HOLDS_PAGE = 100;

/**
 * One page of the cases under a legal hold, by review date (those without one last), read from
 * the holds list (a Query of its own partition, never a Scan). For the data protection team, who
 * place and lift holds. References and staff only: nothing of the residents.
 */
export async function legalHolds(
  deps: { store: Pick<StaffCaseQueries, 'workList'> },
  staff: StaffMember,
  cursor?: string,
): Promise<{ entries: WorkListEntry[]; next?: string }> {
  if (!canHold(staff)) throw new ActionForbiddenError('see the legal holds');
  const page = await deps.store.workList('hold', { limit: HOLDS_PAGE, ...(cursor ? { cursor } : {}) });
  return page;
}

/** What lifting a hold did: whether the case's retention has already ended (it goes at the next sweep). */
export interface Lifted {
  record: CaseRecord;
  /** The end of retention (`YYYY-MM-DD`), for a closed case. */
  retentionEnds?: string;
  overdue: boolean;
}

/** The end of a closed case's retention: closure plus the policy's years. */
export function retentionEndOf(record: CaseRecord, policy: Pick<Policy, 'retention'>): Date | undefined {
  if (record.status !== 'closed' || !record.closedAt) return undefined;
  return retentionEnd(record.closedAt, retentionYearsFor(policy, record.ombudsmanInvolved));
}

/**
 * Lifts a legal hold: the record's expiry comes back (the table's TTL deletes it when it is
 * past), and every archived object gets back the retention class the record now says.
 */
export async function liftHold(deps: RetentionDeps, staff: StaffMember, reference: string): Promise<Lifted> {
  const record = await target(
    deps,
    staff,
    reference,
    'hold.lift',
    canHold(staff),
    'Only the data protection team may lift a legal hold',
  );
  if (!record.legalHold) {
    // A lift whose archive step failed after the record's: finish it (the objects still say hold).
    const tags = Object.values(await deps.control.tags(record.caseId));
    if (tags.includes('hold')) {
      const retention = record.status === 'closed' ? retentionClassFor(record.ombudsmanInvolved) : 'open';
      const objects = await deps.control.release(record.caseId, retention);
      await deps.audit.record(
        auditEntry(staff, 'hold.lift', deps.now().toISOString(), deps.newId(), {
          subject: { caseId: record.caseId, reference: record.reference },
          detail: `finishing an earlier lift: ${objects} archive objects back to ${retention}`,
        }),
      );
      const end = retentionEndOf(record, deps.policy);
      const overdue = end !== undefined && end.getTime() <= deps.now().getTime();
      return { record, ...(end ? { retentionEnds: londonDate(end.toISOString()) } : {}), overdue };
    }
    return refuse(deps, staff, 'hold.lift', record, 409, 'There is no legal hold on this case');
  }
  const now = deps.now().toISOString();
  const end = retentionEndOf(record, deps.policy);
  const overdue = end !== undefined && end.getTime() <= deps.now().getTime();
  const updated = await deps.store.update(record.caseId, record.version, {
    remove: ['legalHold'],
    event: {
      at: now,
      type: 'legal-hold-lifted',
      actor: staff.email,
      detail: {
        reason: record.legalHold.reason,
        ...(end ? { retentionEnds: londonDate(end.toISOString()), retentionEnded: overdue } : {}),
      },
    },
  });
  const retention = record.status === 'closed' ? retentionClassFor(record.ombudsmanInvolved) : 'open';
  const objects = await deps.control.release(record.caseId, retention);
  await deps.audit.record(
    auditEntry(staff, 'hold.lift', now, deps.newId(), {
      subject: { caseId: record.caseId, reference: record.reference },
      detail: `${objects} archive objects back to ${retention}${overdue ? '; retention already ended' : ''}`,
    }),
  );
  return { record: updated, ...(end ? { retentionEnds: londonDate(end.toISOString()) } : {}), overdue };
}

/**
 * Erases a closed case: every version of its archived objects, then its table items, leaving an
 * anonymised tombstone that the reports still count and that expires when the case would have.
 * First the case is marked `erasureStarted` in one conditional write on the version read: a legal
 * hold placed since then makes this write fail (409, nothing deleted), and a hold asked for after
 * it is refused, so no held case ever loses its archive. The archive goes next, with the files
 * handed out for download that hold the case (each export or Ombudsman file, whole): if the table write
 * then fails, the case is still there to erase again (and its archive, already gone, erases as
 * nothing); the archive step, if it writes the case file meanwhile, sees the mark and deletes it.
 */
export async function eraseCase(
  deps: ErasureDeps,
  staff: StaffMember,
  reference: string,
  body: Record<string, unknown>,
): Promise<CaseRecord> {
  const record = await target(
    deps,
    staff,
    reference,
    'erase',
    canErase(staff),
    'Only the data protection team may erase a case',
  );
  // Erasing again finishes an erasure that failed part-way (archive or history left behind).
  const started = record.erasure ?? record.erasureStarted;
  const why = started ? undefined : erasureRefusal(record);
  if (why) return refuse(deps, staff, 'erase', record, 409, why);
  const now = deps.now().toISOString();
  const erasure = started ?? { at: now, by: staff.email, ...readErasureForm(body) };
  const marked = started
    ? record
    : await deps.store.update(record.caseId, record.version, {
        set: { erasureStarted: erasure },
        event: { at: now, type: 'erasure-started', actor: staff.email, detail: { ground: erasure.ground } },
      });
  const objects = await deps.control.erase(record.caseId);
  // Exports and Ombudsman files holding the case, still in the bucket for the rest of their day
  // (longer as non-current versions): the resident's data as much as the archive is.
  const files = await deps.downloads.eraseFor(record.caseId);
  // Before the tombstone, which no longer holds the address (a failure here is erased again).
  const suppression = await forgetSuppressedAddress(deps, marked);
  const erased = await deps.store.erase(
    record.caseId,
    marked.version,
    // The erasure as it was asked for (when, by whom, why), whoever finishes it.
    tombstoneOf(marked, erasure),
    { at: now, type: 'erased', actor: staff.email, detail: { ground: erasure.ground } },
  );
  await deps.audit.record(
    auditEntry(staff, 'erase', now, deps.newId(), {
      subject: { caseId: record.caseId, reference: record.reference },
      detail: `ground ${erasure.ground}; ${objects} archive objects erased with every version; ${files} ${files === 1 ? 'file' : 'files'} handed out for download deleted; ${suppression}`,
    }),
  );
  return erased;
}
