import * as z from 'zod';
import type { Policy } from '../domain/policy-schema.js';
import type {
  Archive,
  AuditLog,
  CaseStore,
  EvidenceStore,
  StaffCaseQueries,
  StaffStore,
  SubjectAccessRegister,
} from '../domain/ports.js';
import type { StaffMember } from '../domain/staff.js';
import { isPhoneNumber, tabsAsSpaces } from '../domain/typed-text.js';
import { HttpError } from '../http/errors.js';
import { recordAudit, requireRole as requireAuditedRole } from './audit.js';

/**
 * What the data protection pages need (subject access and rectification): the cases and their
 * indexes, the archive and evidence, the register, the audit log, and the staff directory (to tell
 * individual officers apart in an export).
 */
export interface DataProtectionDeps {
  store: CaseStore & StaffCaseQueries;
  archive: Archive;
  evidence: EvidenceStore;
  audit: AuditLog;
  subjectAccess: SubjectAccessRegister;
  staffStore: Pick<StaffStore, 'directory'>;
  policy: Policy;
  now: () => Date;
  newId: () => string;
}

/** A data protection action refused for the person's role: 403, after the refusal is audited. */
export class DataProtectionForbiddenError extends HttpError {
  override name = 'DataProtectionForbiddenError';
  constructor(what: string) {
    super(403, `Your role does not allow you to ${what}. Ask the data protection officer.`);
  }
}

/** Writes one audit entry for `staff` now. */
export const audit = recordAudit;

/**
 * Lets `staff` on when `allowed`; otherwise audits the refusal (what was tried, no personal data)
 * and refuses with 403, saying to ask the data protection officer.
 */
export function requireRole(
  deps: Pick<DataProtectionDeps, 'audit' | 'now' | 'newId'>,
  staff: StaffMember,
  allowed: (s: Pick<StaffMember, 'roles'>) => boolean,
  attempted: string,
  what: string,
  subject?: { caseId?: string; reference?: string; requestId?: string },
): Promise<void> {
  return requireAuditedRole(deps, staff, allowed, attempted, subject, new DataProtectionForbiddenError(what));
}

/** A text field of a form, trimmed; empty as undefined. */
export function field(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  const text = typeof v === 'string' ? v.trim() : '';
  return text === '' ? undefined : text;
}

/** A one-line text field of a form, as `field`, its pasted tabs as spaces (`tabsAsSpaces`). */
export function oneLineField(body: Record<string, unknown>, name: string): string | undefined {
  const text = field(body, name);
  return text === undefined ? undefined : tabsAsSpaces(text);
}

/** The same checks as the resident form's contact details (`intake-schema.ts`). */
export const EMAIL_MESSAGE = 'Enter an email address in the correct format, like name@example.com';
export const PHONE_MESSAGE = 'Enter a telephone number, like 01632 960 001 or +44 808 157 0192';
const emailSchema = z.email().max(254);

export function validEmail(value: string): boolean {
  return emailSchema.safeParse(value).success;
}

export function validPhone(value: string): boolean {
  return isPhoneNumber(value);
}
