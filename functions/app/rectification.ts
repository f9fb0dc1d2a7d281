import { auditEntry } from '../domain/audit.js';
import type { CaseEvent, CaseRecord, Person } from '../domain/case.js';
import { postcodeIn } from '../domain/search-terms.js';
import { canRectify, type StaffMember } from '../domain/staff.js';
import { textProblem } from '../domain/typed-text.js';
import { HttpError, ValidationError } from '../http/errors.js';
import {
  type DataProtectionDeps,
  EMAIL_MESSAGE,
  field,
  oneLineField,
  PHONE_MESSAGE,
  requireRole,
  validEmail,
  validPhone,
} from './data-protection.js';
import { changesLetters, readdressLetters } from './readdressed-letters.js';
import { change } from './staff-actions.js';

/**
 * Rectification (UK GDPR Article 16): correcting a complainant's contact details on an open or a
 * closed case, and on its archived case file. The case's own history keeps the old values (a
 * `rectified` event: the case's audit trail); the audit log keeps who corrected which fields of
 * which case, never the values. The case store's `update` moves the search terms and the
 * `ByComplainant` index key with the new details in the same transaction.
 *
 * A correction of the name or postal address writes the case's printed letters waiting to be
 * posted again to the corrected ones, in the same write, and puts those already posted to the old
 * ones to the team (`readdressed-letters.ts`).
 *
 * The archive copy is rewritten with the correction and the same event appended, keeping its
 * tags (its retention class, and any hold). The bucket is versioned: the old file stays as a
 * non-current version until the bucket's non-current expiry removes it. On S3 the new version's
 * lifecycle age counts from the correction, so it would outlive its case item by as long as the
 * case had been closed; its `archivedAt` is unchanged, which the local sweeper counts from.
 */

/** The contact details a correction may change, as the form names them. */
export const RECTIFIABLE = ['name', 'email', 'phone', 'address', 'postcode'] as const;
export type RectifiableField = (typeof RECTIFIABLE)[number];

/** The type of the case event that records a correction. */
export const RECTIFIED_EVENT = 'rectified';

/** The address without its postcode, and the postcode, for the form's two boxes. */
export function splitAddress(address: string | undefined): { address: string; postcode: string } {
  const text = address ?? '';
  const m = /\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b/i.exec(text);
  if (!m) return { address: text, postcode: '' };
  const rest = `${text.slice(0, m.index)}${text.slice(m.index + m[0].length)}`
    .replace(/[,\s]+$/, '')
    .replace(/,\s*,/g, ',')
    .trim();
  return { address: rest, postcode: `${m[1]} ${m[2]}`.toUpperCase() };
}

/** The form's values for a case's current details. */
export function currentValues(c: Pick<CaseRecord, 'complainant'>): Record<RectifiableField, string> {
  const { address, postcode } = splitAddress(c.complainant.address);
  return {
    name: c.complainant.name ?? '',
    email: c.complainant.email ?? '',
    phone: c.complainant.phone ?? '',
    address,
    postcode,
  };
}

/** The corrected contact details the form asks for, or the problems with them (400). */
export function readCorrection(
  current: Person,
  body: Record<string, unknown>,
): { person: Person; reason: string } {
  const errors: Record<string, string> = {};
  const name = oneLineField(body, 'name');
  const email = field(body, 'email');
  const phone = field(body, 'phone');
  const address = field(body, 'address');
  const postcode = field(body, 'postcode');
  const reason = field(body, 'reason');
  if (name && name.length > 200) errors.name = 'Name must be 200 characters or fewer';
  if (email && !validEmail(email)) errors.email = EMAIL_MESSAGE;
  if (phone && !validPhone(phone)) errors.phone = PHONE_MESSAGE;
  if (address && address.length > 450) errors.address = 'Address must be 450 characters or fewer';
  if (postcode && !postcodeIn(postcode)) errors.postcode = 'Enter a real postcode, like EX1 2AB';
  if (!reason)
    errors.reason = 'Enter why the details are being corrected (for example, the resident wrote to tell us)';
  else if (reason.length > 1000) errors.reason = 'Reason must be 1000 characters or fewer';
  // The resident's form's own rule for its text (a name on one line, an address on several):
  // a correction goes into the same letters and emails.
  const texts = [
    ['name', name, 'Name', false],
    ['address', address, 'Address', true],
    ['reason', reason, 'Reason', true],
  ] as const;
  for (const [key, value, what, multiline] of texts) {
    const problem = value === undefined || errors[key] ? undefined : textProblem(value, what, multiline);
    if (problem) errors[key] = problem;
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const pc = postcode ? postcodeIn(postcode) : undefined;
  const formattedPostcode = pc ? `${pc.slice(0, -3)} ${pc.slice(-3)}` : undefined;
  const fullAddress = [address, formattedPostcode].filter(Boolean).join(', ');
  const person: Person = { ...current };
  const set = (key: 'name' | 'email' | 'phone' | 'address', value: string | undefined) => {
    if (value) person[key] = value;
    else delete person[key];
  };
  set('name', name);
  set('email', email?.toLowerCase());
  set('phone', phone);
  set('address', fullAddress || undefined);
  if (!person.email && person.contactBy === 'email') person.contactBy = 'post';
  if (!person.email && !person.phone && !person.address && !person.name) {
    throw new ValidationError({ email: 'Keep at least one way of contacting the resident' });
  }
  return { person, reason: reason as string };
}

/** Which of the details differ, by the fields of the record. */
function changedFields(before: Person, after: Person): ('name' | 'email' | 'phone' | 'address')[] {
  return (['name', 'email', 'phone', 'address'] as const).filter(
    (k) => (before[k] ?? '') !== (after[k] ?? ''),
  );
}

const PREVIOUS_KEYS = {
  name: 'previousName',
  email: 'previousEmail',
  phone: 'previousPhone',
  address: 'previousAddress',
} as const;

/** A case for correcting, by reference: refused (and audited) for a role that may not. */
export async function caseToRectify(
  deps: DataProtectionDeps,
  staff: StaffMember,
  reference: string,
): Promise<CaseRecord> {
  await requireRole(
    deps,
    staff,
    canRectify,
    'correct a complainant’s contact details',
    'correct contact details',
    {
      reference: reference.toUpperCase(),
    },
  );
  const record = await deps.store.getByReference(reference.toUpperCase());
  if (!record) throw new HttpError(404, 'There is no case with this reference');
  if (record.anonymous)
    throw new HttpError(409, 'This feedback was sent anonymously: there are no contact details to correct');
  return record;
}

/**
 * Corrects the case's contact details and its archived file's, recording the old values on the
 * case and the fields in the audit log. Returns the fields changed (none: 400).
 *
 * The audit entry is certain and written once: its id and time are chosen before the correction
 * and kept on the case's `rectified` event, so the same form sent again after a failure part way
 * (the archive's rewrite, or the audit log's write) finishes what is left and writes that same
 * entry, which the audit log keeps once however often it is written.
 */
export async function rectify(
  deps: DataProtectionDeps,
  staff: StaffMember,
  reference: string,
  body: Record<string, unknown>,
): Promise<{ record: CaseRecord; fields: string[]; archive: boolean }> {
  const found = await caseToRectify(deps, staff, reference);
  const { person, reason } = readCorrection(found.complainant, body);
  const file = (await deps.archive.getCaseFile(found.caseId)) as
    | { case?: CaseRecord; events?: CaseEvent[]; [k: string]: unknown }
    | undefined;
  // The case as it should be, but an archive copy still holding the old details (its rewrite
  // failed after the table's): sending the same correction again finishes it.
  const archiveBehind = file?.case !== undefined && changedFields(file.case.complainant, person).length > 0;
  const caseChanges = changedFields(found.complainant, person).length > 0;
  // Nothing to change on the case: this officer's last correction, when the form is the same,
  // names the audit entry to finish.
  const earlier = caseChanges ? undefined : await earlierCorrection(deps, found.caseId, staff, reason);
  if (!caseChanges && !archiveBehind && !earlier) {
    throw new ValidationError({ name: 'Change at least one detail, or go back to the case' });
  }
  const entry = earlier ?? { id: deps.newId(), at: deps.now().toISOString(), fields: [] };
  const correction = (before: Person): Omit<CaseEvent, 'caseId' | 'seq'> => {
    const changed = changedFields(before, person);
    const previous: Record<string, string> = {};
    for (const k of changed) previous[PREVIOUS_KEYS[k]] = before[k] ?? '(none)';
    return {
      at: entry.at,
      type: RECTIFIED_EVENT,
      actor: staff.email,
      detail: { fields: changed, ...previous, reason, auditId: entry.id },
    };
  };
  let fields: string[] = entry.fields;
  let record = found;
  if (caseChanges) {
    record = await change(deps, found.caseId, async (c) => {
      fields = changedFields(c.complainant, person);
      // The whole corrected person: a detail cleared on the form is gone, not merged back.
      const corrected = { set: { complainant: person }, event: correction(c.complainant) };
      if (!changesLetters(c.complainant, person)) return corrected;
      // Printed letters follow in the same write: those waiting to be posted written again to the
      // corrected name and address, those posted to the old ones put to the team
      // (`readdressed-letters.ts`). Read again on each attempt: a letter marked posted meanwhile
      // is one posted to the old address.
      const letters = await readdressLetters(
        deps,
        { ...c, complainant: person },
        await deps.store.events(c.caseId),
        staff.email,
        entry.at,
      );
      return {
        ...corrected,
        set: { ...corrected.set, ...letters.set },
        followingEvents: letters.followingEvents,
      };
    });
  }
  // The archive copy (a closed case): the same correction and its event, tags kept.
  if (file?.case && archiveBehind) {
    const events = file.events ?? [];
    if (fields.length === 0) fields = changedFields(file.case.complainant, person);
    await deps.archive.replaceCaseFile(found.caseId, {
      ...file,
      case: { ...file.case, complainant: record.complainant },
      events: [
        ...events,
        {
          ...correction(file.case.complainant),
          caseId: found.caseId,
          seq: (events.at(-1)?.seq ?? events.length) + 1,
        },
      ],
      rectifiedAt: deps.now().toISOString(),
    });
  }
  const archive = file?.case !== undefined;
  await deps.audit.record(
    auditEntry(staff, 'rectify', entry.at, entry.id, {
      subject: { caseId: found.caseId, reference: found.reference },
      detail: `fields corrected: ${fields.join(', ')}${archive ? '; archived case file corrected too' : ''}`,
    }),
  );
  return { record, fields, archive };
}

/**
 * The audit entry of `staff`'s last correction of the case when it had the same reason (the same
 * form sent again), with the fields it changed; undefined when the last correction was another's.
 */
async function earlierCorrection(
  deps: DataProtectionDeps,
  caseId: string,
  staff: StaffMember,
  reason: string,
): Promise<{ id: string; at: string; fields: string[] } | undefined> {
  const last = (await deps.store.events(caseId)).findLast((e) => e.type === RECTIFIED_EVENT);
  const id = last?.detail?.auditId;
  if (!last || typeof id !== 'string' || last.actor !== staff.email || last.detail?.reason !== reason) {
    return undefined;
  }
  const fields = last.detail?.fields;
  return { id, at: last.at, fields: Array.isArray(fields) ? fields.map(String) : [] };
}
