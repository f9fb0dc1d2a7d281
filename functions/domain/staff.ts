import { addWorkingDays, endOfLondonDay, londonDate } from './calendar.js';
import type { CaseRecord } from './case.js';
import { activeDeadlines } from './case-clock.js';
import type { Policy } from './policy-schema.js';
import type { IsoTimestamp } from './types.js';

/**
 * Who works in the staff workspace and what each may see and do. Roles come from the groups the
 * council's identity provider (Cognito's user pool, or the council's own through federation)
 * puts in the ID token: `complaints-team`, `nominated-officer`, `director`, `administrator`,
 * `data-protection` (the council's data protection officer and their team, who answer subject
 * access, rectification and erasure requests under UK GDPR), and `officer-<service id>` for an
 * officer of one service (e.g. `officer-waste-recycling`).
 */

export type StaffRole =
  | 'officer'
  | 'complaints-team'
  | 'nominated-officer'
  | 'director'
  | 'administrator'
  | 'data-protection';

/** Group names the identity provider uses, one per role; officers add their service's id. */
export const ROLE_GROUPS = {
  'complaints-team': 'complaints-team',
  'nominated-officer': 'nominated-officer',
  director: 'director',
  administrator: 'administrator',
  'data-protection': 'data-protection',
} as const satisfies Record<Exclude<StaffRole, 'officer'>, string>;

/** Prefix of an officer's group: `officer-<service id>`. */
export const OFFICER_GROUP_PREFIX = 'officer-';

/** How a role is named on the pages and in `npm start`'s list of example staff. */
export const ROLE_NAMES: Readonly<Record<StaffRole, string>> = {
  officer: 'officer',
  'complaints-team': 'complaints team',
  'nominated-officer': 'nominated officer',
  director: 'director',
  administrator: 'administrator',
  'data-protection': 'data protection officer',
};

/** A signed-in member of staff, as the session keeps them. */
export interface StaffMember {
  /** The identity provider's subject: stable for the person. */
  sub: string;
  /** Their work email: the actor on everything they do. */
  email: string;
  name: string;
  roles: StaffRole[];
  /** Services whose cases an officer handles (ids from the policy's routing table). */
  services: string[];
}

/** Sign-in was refused: the person has no role in the workspace, or no email to act under. */
export class StaffAccessError extends Error {
  override name = 'StaffAccessError';
}

/**
 * The member of staff an ID token's claims describe. Groups that name no role, or an officer
 * group of a service the policy does not have, give nothing; someone left with no role at all
 * cannot use the workspace.
 */
export function staffFromClaims(
  claims: Readonly<Record<string, unknown>>,
  policy: Pick<Policy, 'routing'>,
): StaffMember {
  const sub = typeof claims.sub === 'string' ? claims.sub : '';
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (!sub || !email) throw new StaffAccessError('The sign-in gave no email address to act under');
  const raw = claims.groups ?? claims['cognito:groups'];
  const groups = Array.isArray(raw) ? raw.filter((g): g is string => typeof g === 'string') : [];
  const roles = new Set<StaffRole>();
  const services = new Set<string>();
  for (const group of groups) {
    const role = (Object.keys(ROLE_GROUPS) as (keyof typeof ROLE_GROUPS)[]).find(
      (r) => ROLE_GROUPS[r] === group,
    );
    if (role) roles.add(role);
    if (group.startsWith(OFFICER_GROUP_PREFIX)) {
      const service = group.slice(OFFICER_GROUP_PREFIX.length);
      if (policy.routing.services.some((s) => s.id === service)) {
        roles.add('officer');
        services.add(service);
      }
    }
  }
  if (roles.size === 0) {
    throw new StaffAccessError('Your account is not in any group of the complaints workspace');
  }
  const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : email;
  return { sub, email, name, roles: [...roles], services: [...services] };
}

/**
 * Data protection (UK GDPR): who may do what. The data protection officer's team handles every
 * request; the complaints team, who hold the complaint files, may answer subject access and
 * correct contact details, but erasing a case before its time and holding one past it are legal
 * decisions, taken by the data protection role alone. Every use is written to the audit log.
 */
export function canAnswerSubjectAccess(staff: Pick<StaffMember, 'roles'>): boolean {
  return staff.roles.some((r) => r === 'data-protection' || r === 'complaints-team');
}

/** Who may correct a complainant's contact details, on open, closed and archived cases. */
export function canRectify(staff: Pick<StaffMember, 'roles'>): boolean {
  return staff.roles.some((r) => r === 'data-protection' || r === 'complaints-team');
}

/** Who may erase a case before its retention ends (the reason recorded): data protection alone. */
export function canErase(staff: Pick<StaffMember, 'roles'>): boolean {
  return staff.roles.includes('data-protection');
}

/** Who may place or lift a legal hold (litigation, an ombudsman's investigation): data protection alone. */
export function canHold(staff: Pick<StaffMember, 'roles'>): boolean {
  return staff.roles.includes('data-protection');
}

/**
 * Who may prepare and send the Ombudsman's case file: the complaints team, who deal with the
 * ombudsman, directors who sign it off, and data protection, who release personal data.
 */
export function canPrepareOmbudsmanFile(staff: Pick<StaffMember, 'roles'>): boolean {
  return staff.roles.some((r) => r === 'complaints-team' || r === 'director' || r === 'data-protection');
}

/** Who may read the audit log of data protection work: data protection and administrators. */
export function canReadAudit(staff: Pick<StaffMember, 'roles'>): boolean {
  return staff.roles.some((r) => r === 'data-protection' || r === 'administrator');
}

/**
 * Who may see the letters waiting for the post and mark them posted: everyone but officers. The
 * list holds every service's letters, with residents' names and addresses, and an officer sees only
 * their own services' cases.
 */
export function canPostLetters(staff: Pick<StaffMember, 'roles'>): boolean {
  return staff.roles.some((r) => r !== 'officer');
}

/** True when the person has this role. */
export function hasRole(staff: Pick<StaffMember, 'roles'>, role: StaffRole): boolean {
  return staff.roles.includes(role);
}

/**
 * Whether the person sees every case: the complaints team, the nominated officer (who decides on
 * vexatious complainants across services), directors (sign-off) and administrators.
 */
export function seesAllCases(staff: Pick<StaffMember, 'roles'>): boolean {
  return staff.roles.some((r) => r !== 'officer');
}

/**
 * Who may reopen a closed case: the complaints team, who run the procedure, and directors and
 * administrators. An officer asks them, so a case closed by its service is not reopened by it.
 */
export function canReopen(staff: Pick<StaffMember, 'roles'>): boolean {
  return staff.roles.some((r) => r === 'complaints-team' || r === 'director' || r === 'administrator');
}

/**
 * Who may designate a complainant unreasonably persistent, review or lift it: the nominated
 * officer alone (Dudley MBC Corporate Customer Feedback Procedure, June 2019, §6: "referred to a
 * nominated officer who will seek appropriate advice and decide").
 */
export function canDesignate(staff: Pick<StaffMember, 'roles'>): boolean {
  return staff.roles.includes('nominated-officer');
}

/** Who may accept a late request for stage 2: the complaints team, whose task it is. */
export function canAcceptLateStage2(staff: Pick<StaffMember, 'roles'>): boolean {
  return staff.roles.includes('complaints-team');
}

/** True when the case is this person's own: assigned to them or with a task waiting on them. */
export function isMine(staff: Pick<StaffMember, 'email'>, c: CaseRecord): boolean {
  const me = staff.email.toLowerCase();
  return c.assignedTo?.toLowerCase() === me || c.openTask?.officer.toLowerCase() === me;
}

/** True when the case belongs to one of the officer's services. */
export function isMyTeams(staff: Pick<StaffMember, 'services'>, c: CaseRecord): boolean {
  return c.service !== undefined && staff.services.includes(c.service);
}

/** An officer sees their services' cases and any assigned to them; every other role sees all. */
export function canSeeCase(staff: StaffMember, c: CaseRecord): boolean {
  return seesAllCases(staff) || isMyTeams(staff, c) || isMine(staff, c);
}

/** What a case's next deadline means today. */
export type Urgency = 'overdue' | 'today' | 'this-week' | 'later';

/**
 * Overdue (passed), due today (before the end of today, Europe/London), due this week (within
 * the next five working days), or later.
 */
export function urgencyOf(nextDeadline: IsoTimestamp, now: Date, policy: Pick<Policy, 'calendar'>): Urgency {
  const at = Date.parse(nextDeadline);
  if (at < now.getTime()) return 'overdue';
  const today = londonDate(now.toISOString());
  if (at <= Date.parse(endOfLondonDay(today))) return 'today';
  return at <= Date.parse(weekEnd(now, policy)) ? 'this-week' : 'later';
}

/** The end of the fifth working day after today: the queue's "due this week". */
export function weekEnd(now: Date, policy: Pick<Policy, 'calendar'>): IsoTimestamp {
  const today = londonDate(now.toISOString());
  const { nation, closureDays } = policy.calendar;
  return endOfLondonDay(addWorkingDays(today, 5, nation, closureDays));
}

/**
 * The deadline a case's queue row shows: the earliest of those still running (`activeDeadlines`:
 * once a case is acknowledged, its acknowledgement deadline is met and no longer counts), or,
 * for an open case none of whose clocks runs, the earliest of all it has.
 */
export function nextDeadline(c: CaseRecord): IsoTimestamp | undefined {
  const earliest = (dates: readonly IsoTimestamp[]) =>
    dates.filter((d) => !Number.isNaN(Date.parse(d))).sort((a, b) => Date.parse(a) - Date.parse(b))[0];
  return earliest(activeDeadlines(c)) ?? earliest(Object.values(c.deadlines ?? {}));
}

/**
 * Everyone the council has to whom a case may be handed: the policy's routing table (team
 * mailboxes, managers, reviewers, the complaints team and the nominated officer) and the staff
 * directory (people who have signed in). Never an address from outside this list.
 */
export function reassignTargets(
  policy: Pick<Policy, 'routing'>,
  directory: readonly { email: string }[],
): string[] {
  const r = policy.routing;
  const all = [
    r.complaintsTeam,
    r.stage2Reviewer,
    r.nominatedOfficer,
    ...r.services.flatMap((s) => [s.mailbox, s.manager, s.stage2Reviewer]),
    ...directory.map((d) => d.email),
  ];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const email of all) {
    const key = email?.trim().toLowerCase();
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push(key);
  }
  return out;
}

/** True when `email` is someone the council has (see `reassignTargets`). */
export function isCouncilAddress(
  email: string,
  policy: Pick<Policy, 'routing'>,
  directory: readonly { email: string }[],
): boolean {
  return reassignTargets(policy, directory).includes(email.trim().toLowerCase());
}
