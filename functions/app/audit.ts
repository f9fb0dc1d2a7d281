import { type AuditAction, type AuditEntry, auditEntry } from '../domain/audit.js';
import { londonDate, startOfLondonDay } from '../domain/calendar.js';
import type { AuditLog } from '../domain/ports.js';
import { canReadAudit, type StaffMember } from '../domain/staff.js';
import { HttpError } from '../http/errors.js';
import { ActionForbiddenError } from './staff-actions.js';

/** What writing and reading the audit log needs. */
export interface AuditDeps {
  audit: AuditLog;
  now: () => Date;
  newId: () => string;
}

/** Writes one entry of `staff` doing `action` now. */
export async function recordAudit(
  deps: AuditDeps,
  staff: Pick<StaffMember, 'email' | 'roles'>,
  action: AuditAction,
  extra: Pick<AuditEntry, 'subject' | 'detail' | 'attempted'> = {},
): Promise<void> {
  await deps.audit.record(auditEntry(staff, action, deps.now().toISOString(), deps.newId(), extra));
}

/**
 * Lets `staff` go on when `allowed` says their role may; otherwise writes a `refused` entry
 * naming what was tried, and refuses with `refusal` (a 403 that says whom to ask).
 * Every data protection feature checks its role here.
 */
export async function requireRole(
  deps: AuditDeps,
  staff: StaffMember,
  allowed: (staff: Pick<StaffMember, 'roles'>) => boolean,
  attempted: string,
  subject?: AuditEntry['subject'],
  refusal: HttpError = new ActionForbiddenError(attempted),
): Promise<void> {
  if (allowed(staff)) return;
  await recordAudit(deps, staff, 'refused', { attempted, ...(subject ? { subject } : {}) });
  throw refusal;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** One month of the audit log, newest first, for those who may read it. */
export async function auditMonth(
  deps: AuditDeps,
  staff: StaffMember,
  month: string | undefined,
): Promise<{ month: string; entries: AuditEntry[]; previous: string; next?: string }> {
  await requireRole(deps, staff, canReadAudit, 'read the audit log');
  const thisMonth = londonMonth(deps.now().toISOString());
  const shown = month ?? thisMonth;
  if (!MONTH.test(shown)) throw new HttpError(400, 'Give the month as year and month, like 2026-04');
  if (shown > thisMonth) throw new HttpError(400, 'That month has not come yet');
  // The page shows London times, so a London month; entries are filed by their UTC month, and
  // the first hour of a month in summer time is the last hour of the UTC month before it (read
  // from that hour on), as the month's last hour is the next London month's.
  const entries: AuditEntry[] = [];
  const starts = startOfLondonDay(`${shown}-01`);
  for await (const entry of deps.audit.between(shiftMonth(shown, -1), shown, starts)) {
    if (londonMonth(entry.at) === shown) entries.push(entry);
  }
  entries.reverse();
  return {
    month: shown,
    entries,
    previous: shiftMonth(shown, -1),
    ...(shown < thisMonth ? { next: shiftMonth(shown, 1) } : {}),
  };
}

/** The `YYYY-MM` in Europe/London of an instant. */
function londonMonth(at: string): string {
  return londonDate(at).slice(0, 7);
}

function shiftMonth(month: string, by: number): string {
  const [, y, m] = MONTH.exec(month) as RegExpExecArray;
  const index = Number(y) * 12 + Number(m) - 1 + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
