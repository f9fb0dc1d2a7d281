import type { StaffMember } from './staff.js';
import type { IsoTimestamp } from './types.js';

/**
 * The audit log of data protection work (UK GDPR Article 5(2), accountability): every subject
 * access search and export, correction, erasure, legal hold and Ombudsman file, and every search
 * of the cases in the workspace (it shows residents' names and contact details), is written here,
 * with who did it, when, and what it touched. The log is kept apart from the cases, so erasing a
 * case does not erase the record that it was erased; it names cases by id and reference only,
 * never a resident's name or contact details (a search's terms are kept as a count or a kind, not
 * as text).
 */

/** Everything the data protection work can do; each use is one entry. */
export type AuditAction =
  | 'subject-access.search'
  | 'subject-access.view'
  | 'subject-access.request'
  | 'subject-access.confirm'
  | 'subject-access.extend'
  | 'subject-access.export'
  | 'subject-access.complete'
  | 'rectify'
  | 'erase'
  | 'hold.place'
  | 'hold.lift'
  | 'hold.review'
  | 'ombudsman-file.prepare'
  | 'ombudsman-file.download'
  | 'ombudsman-file.sent'
  | 'workspace.search'
  | 'refused';

export interface AuditEntry {
  /** Unique id of the entry (a UUID): the log's items never overwrite each other. */
  id: string;
  at: IsoTimestamp;
  action: AuditAction;
  /** Who: the signed-in member of staff's work email, and the roles they held. */
  actor: string;
  actorRoles: string[];
  /** What it touched: a case id, a subject access request id, or nothing (a search). */
  subject?: { caseId?: string; reference?: string; requestId?: string };
  /** Free words of the action's own (a reason, the fields corrected, a count): no personal data. */
  detail?: string;
  /** For `refused`: what was tried. */
  attempted?: string;
}

/** An entry for `staff` doing `action` now. */
export function auditEntry(
  staff: Pick<StaffMember, 'email' | 'roles'>,
  action: AuditAction,
  at: IsoTimestamp,
  id: string,
  extra: Pick<AuditEntry, 'subject' | 'detail' | 'attempted'> = {},
): AuditEntry {
  return { id, at, action, actor: staff.email, actorRoles: [...staff.roles], ...extra };
}

/** The `YYYY-MM` (UTC) an entry is filed under (its page is its London month: `auditMonth` in `app/audit.ts`). */
export function auditMonth(at: IsoTimestamp): string {
  return at.slice(0, 7);
}

/** Years the audit log is kept: six, as long as the longest case retention it accounts for. */
export const AUDIT_RETENTION_YEARS = 6;
