import { calendarFor, londonDate } from './calendar.js';
import type { Policy } from './policy-schema.js';
import { phoneDigits, postcodeIn } from './search-terms.js';
import type { IsoDate, IsoTimestamp } from './types.js';

/**
 * Subject access requests (UK GDPR Article 15): the register the data protection team keeps,
 * apart from the cases. A request names who asked and the details to find them by; its clock is
 * one calendar month from receipt (UK GDPR Article 12(3)), extendable by two further months
 * with a reason recorded. Each action on it is one of its events.
 */

/** Where a request stands: being answered, the data exported for review, or answered. */
export type SubjectAccessStatus = 'open' | 'exported' | 'completed';

/** The person who asked, and what they can be found by. */
export interface DataSubject {
  name: string;
  email?: string;
  phone?: string;
  /** Their address (a postcode in it is searched for). */
  address?: string;
}

/** One case staff confirmed is this person's (a name match alone is not proof). */
export interface ConfirmedCase {
  caseId: string;
  reference: string;
}

/** What a case was found by: the requester's email, phone, postcode or every word of their name. */
export type MatchedBy = 'email' | 'phone' | 'postcode' | 'name';

/** A case a search found, not yet confirmed as the requester's. */
export interface CandidateCase extends ConfirmedCase {
  matchedBy: MatchedBy[];
}

export interface SubjectAccessRequest {
  id: string;
  subject: DataSubject;
  /** The day the council received the request (`YYYY-MM-DD`, Europe/London). */
  receivedOn: IsoDate;
  /** How the request came (email, letter, phone, in person, online). */
  channel: string;
  /** When the answer is due (`YYYY-MM-DD`): one month from receipt, or three once extended. */
  dueOn: IsoDate;
  status: SubjectAccessStatus;
  /** Set once: the two further months (UK GDPR Article 12(3)) and why. */
  extension?: { at: IsoTimestamp; by: string; reason: string };
  /** The cases the last search found, and by what: staff confirm which are this person's. */
  candidates?: CandidateCase[];
  confirmedCases: ConfirmedCase[];
  createdAt: IsoTimestamp;
  createdBy: string;
  completedAt?: IsoTimestamp;
  /** Optimistic-locking counter: every change is conditional on it. */
  version: number;
}

/** What happened to a request, in order: its history. */
export type SubjectAccessEventType =
  | 'requested'
  | 'searched'
  | 'cases-confirmed'
  | 'extended'
  | 'exported'
  | 'completed';

export interface SubjectAccessEvent {
  requestId: string;
  seq: number;
  at: IsoTimestamp;
  type: SubjectAccessEventType;
  /** The member of staff's email. */
  actor: string;
  /** Counts, references and reasons: what the register needs, never the search's own terms. */
  detail?: Record<string, unknown>;
}

/** Months the answer is due in: one, or three with the extension (UK GDPR Article 12(3)). */
export const RESPONSE_MONTHS = 1;
export const EXTENDED_RESPONSE_MONTHS = 3;

/**
 * The earliest day a request on the register can have been received: the day the UK GDPR and the
 * Data Protection Act 2018 began to apply, whose one-month time limit the register counts (a
 * request received before had the Data Protection Act 1998's 40 days). An earlier date is a slip
 * of the year, such as 0025 for 2025.
 */
export const EARLIEST_RECEIVED_ON: IsoDate = '2018-05-25';

/** Years a completed request stays on the register (as long as a closed complaint's file). */
export const REGISTER_RETENTION_YEARS = 2;

/**
 * The day the answer is due: the same day of the month `months` later (the last day of that month
 * when it has no such day, e.g. 31 January → 28 February), moved to the next working day when
 * it falls on a weekend or a bank holiday of the council's nation (with the bank holidays its
 * policy adds or removes). This is how the Information Commissioner's Office guidance on the
 * right of access counts "one month". The council's own closure days do not move it: UK GDPR
 * gives a council no more time for closing its offices.
 */
export function subjectAccessDueOn(
  receivedOn: IsoDate,
  months: number,
  calendar: Pick<Policy['calendar'], 'nation'> &
    Partial<Pick<Policy['calendar'], 'extraBankHolidays' | 'removedBankHolidays'>>,
): IsoDate {
  const [y, m, d] = receivedOn.split('-').map(Number) as [number, number, number];
  const monthIndex = m - 1 + months;
  const year = y + Math.floor(monthIndex / 12);
  const month = monthIndex % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const due = new Date(Date.UTC(year, month, Math.min(d, lastDay))).toISOString().slice(0, 10);
  const publicHolidays = calendarFor({
    calendar: {
      nation: calendar.nation,
      closureDays: [],
      extraBankHolidays: calendar.extraBankHolidays ?? [],
      removedBankHolidays: calendar.removedBankHolidays ?? [],
    },
  });
  // Zero working days on: the due day itself when it is a working day, else the next one.
  return publicHolidays.addWorkingDays(due, 0);
}

/** A new request's due date. */
export function initialDueOn(receivedOn: IsoDate, policy: Pick<Policy, 'calendar'>): IsoDate {
  return subjectAccessDueOn(receivedOn, RESPONSE_MONTHS, policy.calendar);
}

/** The due date once extended by two further months (counted from receipt, as the first). */
export function extendedDueOn(receivedOn: IsoDate, policy: Pick<Policy, 'calendar'>): IsoDate {
  return subjectAccessDueOn(receivedOn, EXTENDED_RESPONSE_MONTHS, policy.calendar);
}

/**
 * Whether a request received on `receivedOn` may still be extended on `today`: the person must be
 * told of an extension, with its reasons, within one month of receipt (UK GDPR Article 12(3)), so
 * not once the first month's due date has passed. Extending later would move an overdue request
 * to a date months ahead and hide the breach: it stays overdue until it is answered.
 */
export function mayStillExtend(
  receivedOn: IsoDate,
  today: IsoDate,
  policy: Pick<Policy, 'calendar'>,
): boolean {
  return today <= initialDueOn(receivedOn, policy);
}

/** What staff are told, on the request's page and when they try, once `mayStillExtend` is false. */
export const TOO_LATE_TO_EXTEND =
  'This request can no longer be extended: the person must be told of an extension within the first month, and that month has passed. It stays overdue until it is answered.';

/**
 * When an outstanding request is due by today's calendar: one month from receipt, or three once
 * extended. A completed request keeps the date it was due when it was answered.
 */
export function currentDueOn(
  r: Pick<SubjectAccessRequest, 'receivedOn' | 'extension' | 'status' | 'dueOn'>,
  policy: Pick<Policy, 'calendar'>,
): IsoDate {
  if (!isOutstanding(r)) return r.dueOn;
  return r.extension ? extendedDueOn(r.receivedOn, policy) : initialDueOn(r.receivedOn, policy);
}

/** Whether the request's clock still runs (it stops when the answer is sent). */
export function isOutstanding(r: Pick<SubjectAccessRequest, 'status'>): boolean {
  return r.status !== 'completed';
}

/** Outstanding requests first, earliest due at the top; completed ones after, latest first. */
export function registerOrder(a: SubjectAccessRequest, b: SubjectAccessRequest): number {
  const ao = isOutstanding(a);
  const bo = isOutstanding(b);
  if (ao !== bo) return ao ? -1 : 1;
  if (ao) return a.dueOn.localeCompare(b.dueOn) || a.createdAt.localeCompare(b.createdAt);
  return (b.completedAt ?? '').localeCompare(a.completedAt ?? '');
}

/** Today in Europe/London, for a received date given without one. */
export function todayIn(now: Date): IsoDate {
  return londonDate(now.toISOString());
}

// ---------------------------------------------------------------------------------------------
// Third-party personal data in an export, marked for the data protection officer to review

/** What kind of third-party data a mark is. */
export type RedactionKind = 'staff-name' | 'staff-email' | 'email' | 'phone' | 'postcode' | 'person-name';

/** One piece of someone else's personal data in the export, and where it is. */
export interface RedactionMark {
  /** The case reference it was found in. */
  reference: string;
  /** Where in that case: a JSON path such as `events[3].actor` or `case.summary`. */
  where: string;
  kind: RedactionKind;
  /** The text to consider redacting, exactly as it appears. */
  text: string;
  /** Why it is marked, in words for the reviewer. */
  reason: string;
}

/** Who the export is about, and who is the council's, for telling third parties apart. */
export interface RedactionContext {
  subject: DataSubject;
  /** Role mailboxes of the council (the routing table): released as they are. */
  councilMailboxes: readonly string[];
  /** Staff the council has (name and work email): individual officers, marked for review. */
  staff: readonly { name: string; email: string }[];
}

const EMAIL_IN_TEXT = /[\w.+'-]+@[\w-]+(?:\.[\w-]+)+/g;
const PHONE_IN_TEXT = /(?:\+44\s?(?:\(0\)\s?)?|\b0)\d[\d ]{8,12}\d\b/g;
const POSTCODE_IN_TEXT = /\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b/gi;

/**
 * Marks every piece of third-party personal data in the strings of `value` (a case record, an
 * event): other people's email addresses, phone numbers and postcodes, the names and personal
 * work addresses of individual members of staff (role mailboxes are the council's and stay),
 * and a representative's or other person's name in the case's own fields. Nothing is removed:
 * the marks go to the reviewer, who decides before release (the Information Commissioner's
 * Office guidance on third-party data in a subject access request asks for a judgement, which
 * code cannot make). Free text may name other people in ways no pattern finds: the index says so.
 */
export function markThirdPartyData(
  reference: string,
  value: unknown,
  context: RedactionContext,
  path = '',
): RedactionMark[] {
  const marks: RedactionMark[] = [];
  const own = ownData(context.subject);
  const mailboxes = new Set(context.councilMailboxes.map((m) => m.trim().toLowerCase()));
  const staffByEmail = new Map(context.staff.map((s) => [s.email.trim().toLowerCase(), s]));
  const visit = (v: unknown, where: string) => {
    if (typeof v === 'string') {
      marks.push(...marksInText(reference, where, v, own, mailboxes, staffByEmail, context.staff));
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => {
        visit(item, `${where}[${i}]`);
      });
    } else if (v !== null && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) {
        // Tokens and bookkeeping are not anyone's personal data.
        if (key === 'taskToken' || key === 'effects') continue;
        const at = where ? `${where}.${key}` : key;
        // The person who complained is someone else when the subject was complained for: their
        // name and address are another person's data too (email, phone and postcode are marked
        // wherever they appear).
        if (key === 'complainant' && item && typeof item === 'object') {
          const person = item as { name?: unknown; address?: unknown; email?: unknown; phone?: unknown };
          const name = typeof person.name === 'string' ? person.name : '';
          // Their own email or phone says it is the subject, whatever name they gave then.
          const theirs =
            (typeof person.email === 'string' && person.email.trim().toLowerCase() === own.email) ||
            (typeof person.phone === 'string' &&
              own.phone !== undefined &&
              phoneDigits(person.phone) === own.phone);
          if (name && !theirs && !sameName(name, context.subject.name)) {
            marks.push({
              reference,
              where: `${at}.name`,
              kind: 'person-name',
              text: name,
              reason: 'Another person named on the case (the one who complained, not the subject)',
            });
            const address = typeof person.address === 'string' ? person.address : '';
            if (address && postcodeIn(address) !== own.postcode) {
              marks.push({
                reference,
                where: `${at}.address`,
                kind: 'person-name',
                text: address,
                reason: 'The address of another person (the one who complained, not the subject)',
              });
            }
          }
        }
        if (key === 'onBehalfOf' && item && typeof item === 'object' && 'name' in item) {
          const name = String((item as { name: unknown }).name ?? '');
          if (name && !sameName(name, context.subject.name)) {
            marks.push({
              reference,
              where: `${at}.name`,
              kind: 'person-name',
              text: name,
              reason: 'Another person named on the case (complained for, or the representative)',
            });
          }
        }
        visit(item, at);
      }
    }
  };
  visit(value, path);
  return dedupe(marks);
}

function marksInText(
  reference: string,
  where: string,
  text: string,
  own: ReturnType<typeof ownData>,
  mailboxes: ReadonlySet<string>,
  staffByEmail: ReadonlyMap<string, { name: string; email: string }>,
  staff: readonly { name: string; email: string }[],
): RedactionMark[] {
  const marks: RedactionMark[] = [];
  for (const m of text.matchAll(EMAIL_IN_TEXT)) {
    const email = m[0].toLowerCase();
    if (email === own.email || mailboxes.has(email)) continue;
    const person = staffByEmail.get(email);
    marks.push({
      reference,
      where,
      kind: person ? 'staff-email' : 'email',
      text: m[0],
      reason: person
        ? 'The work email address of an individual member of staff'
        : 'An email address that is not the requester’s',
    });
  }
  for (const m of text.matchAll(PHONE_IN_TEXT)) {
    if (own.phone && phoneDigits(m[0]) === own.phone) continue;
    marks.push({
      reference,
      where,
      kind: 'phone',
      text: m[0],
      reason: 'A phone number that is not the requester’s',
    });
  }
  for (const m of text.matchAll(POSTCODE_IN_TEXT)) {
    if (own.postcode && postcodeIn(m[0]) === own.postcode) continue;
    marks.push({
      reference,
      where,
      kind: 'postcode',
      text: m[0],
      reason: 'A postcode that is not the requester’s',
    });
  }
  for (const s of staff) {
    const name = s.name.trim();
    if (name.length < 3 || name.includes('@') || sameName(name, own.name)) continue;
    if (text.toLowerCase().includes(name.toLowerCase())) {
      const start = text.toLowerCase().indexOf(name.toLowerCase());
      marks.push({
        reference,
        where,
        kind: 'staff-name',
        text: text.slice(start, start + name.length),
        reason: 'The name of an individual member of staff',
      });
    }
  }
  return marks;
}

function ownData(subject: DataSubject) {
  return {
    name: subject.name,
    email: subject.email?.trim().toLowerCase(),
    phone: subject.phone ? phoneDigits(subject.phone) : undefined,
    postcode: postcodeIn(subject.address),
  };
}

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function dedupe(marks: RedactionMark[]): RedactionMark[] {
  const seen = new Set<string>();
  return marks.filter((m) => {
    const key = `${m.where}\u0000${m.kind}\u0000${m.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
