import { endOfLondonDay } from '../domain/calendar.js';
import type { CaseRecord } from '../domain/case.js';
import { ConcurrentUpdateError } from '../domain/ports.js';
import { parseSearch, phoneDigits, postcodeIn } from '../domain/search-terms.js';
import { canAnswerSubjectAccess, type StaffMember, type Urgency, urgencyOf } from '../domain/staff.js';
import {
  type CandidateCase,
  currentDueOn,
  type DataSubject,
  EARLIEST_RECEIVED_ON,
  extendedDueOn,
  initialDueOn,
  isOutstanding,
  type MatchedBy,
  mayStillExtend,
  registerOrder,
  type SubjectAccessEvent,
  type SubjectAccessRequest,
  TOO_LATE_TO_EXTEND,
  todayIn,
} from '../domain/subject-access.js';
import { textProblem } from '../domain/typed-text.js';
import { HttpError, ValidationError } from '../http/errors.js';
import { readDateInput } from '../web/date-input.js';
import {
  audit,
  type DataProtectionDeps,
  EMAIL_MESSAGE,
  field,
  oneLineField,
  PHONE_MESSAGE,
  requireRole,
  validEmail,
  validPhone,
} from './data-protection.js';
import { buildSubjectAccessExport } from './subject-access-export.js';

/**
 * Subject access requests (UK GDPR Article 15), for the roles `canAnswerSubjectAccess` names:
 * the register, opening a request, finding the person's cases through the case store's indexes
 * (never a scan), confirming which are theirs, extending the clock, exporting and completing.
 * Every use, and every refusal, is written to the audit log, naming the request by id only.
 *
 * Closed cases are found through the table too: a closed case's item, its events and its search
 * terms expire at the end of its retention (`retentionEnd`: the closure plus 2 or 6 calendar
 * years), and its archived file, letters and evidence are deleted when the table's TTL removes
 * the case item (`archive-expiry.ts`). So every archived file still held has its case item still
 * in the table, and the indexes find it. (The exception: a deletion that keeps failing, which
 * alarms; the bucket's lifecycle rules, a month after the longest span of the years, are its
 * backstop.)
 */

/** How many cases one search term may bring back: far more than one person has. */
const SEARCH_LIMIT = 100;

/** How the request came to the council. */
export const REQUEST_CHANNELS = ['email', 'letter', 'phone', 'in-person', 'online'] as const;

/** A request with its urgency today, for the register and the staff home. */
export interface RegisterEntry {
  request: SubjectAccessRequest;
  urgency?: Urgency;
}

async function allowed(deps: DataProtectionDeps, staff: StaffMember, attempted: string, requestId?: string) {
  await requireRole(
    deps,
    staff,
    canAnswerSubjectAccess,
    attempted,
    'answer subject access requests',
    requestId ? { requestId } : undefined,
  );
}

/** The register, outstanding requests first and earliest due at the top. */
export async function register(deps: DataProtectionDeps, staff: StaffMember): Promise<RegisterEntry[]> {
  await allowed(deps, staff, 'read the subject access register');
  const all = (await deps.subjectAccess.all()).map((r) => withCurrentDueOn(r, deps)).sort(registerOrder);
  // The register shows who asked: reading it is a use of their data.
  await audit(deps, staff, 'subject-access.view', { detail: `the register (${all.length} requests)` });
  const now = deps.now();
  return all.map((request) => ({
    request,
    ...(isOutstanding(request)
      ? { urgency: urgencyOf(endOfLondonDay(request.dueOn), now, deps.policy) }
      : {}),
  }));
}

/**
 * How many outstanding requests are overdue, due today or due this week, for the staff home;
 * undefined for someone who does not answer them (nothing is audited for them: they asked for
 * their queue, not the register).
 */
export async function subjectAccessDueSoon(
  deps: Pick<DataProtectionDeps, 'subjectAccess' | 'now' | 'policy'>,
  staff: StaffMember,
): Promise<{ overdue: number; dueSoon: number } | undefined> {
  if (!canAnswerSubjectAccess(staff)) return undefined;
  const now = deps.now();
  let overdue = 0;
  let dueSoon = 0;
  for (const stored of await deps.subjectAccess.all()) {
    if (!isOutstanding(stored)) continue;
    const r = withCurrentDueOn(stored, deps);
    const u = urgencyOf(endOfLondonDay(r.dueOn), now, deps.policy);
    if (u === 'overdue') overdue++;
    else if (u !== 'later') dueSoon++;
  }
  return { overdue, dueSoon };
}

/** Reads the "new request" form: who asked, how to find them, when and how it came. */
export function readRequestForm(
  body: Record<string, unknown>,
  now: Date,
): { subject: DataSubject; receivedOn: string; channel: string } {
  const errors: Record<string, string> = {};
  const name = oneLineField(body, 'name');
  const email = field(body, 'email');
  const phone = field(body, 'phone');
  const address = field(body, 'address');
  const postcode = field(body, 'postcode');
  const channel = field(body, 'channel');
  if (!name) errors.name = 'Enter the full name of the person asking for their data';
  else if (name.length > 200) errors.name = 'Name must be 200 characters or fewer';
  if (email && !validEmail(email)) errors.email = EMAIL_MESSAGE;
  if (phone && !validPhone(phone)) errors.phone = PHONE_MESSAGE;
  if (address && address.length > 500) errors.address = 'Address must be 500 characters or fewer';
  // The resident form's own rule for text: the name and address go into the register and the export.
  for (const [key, value, what, multiline] of [
    ['name', name, 'Name', false],
    ['address', address, 'Address', true],
  ] as const) {
    const problem = value === undefined || errors[key] ? undefined : textProblem(value, what, multiline);
    if (problem) errors[key] = problem;
  }
  if (postcode && !postcodeIn(postcode)) errors.postcode = 'Enter a real postcode, like EX1 2AB';
  if (!email && !phone && !postcode && !postcodeIn(address)) {
    errors.email =
      'Enter an email address, phone number or postcode to find their cases by (a name alone is not enough)';
  }
  if (!channel || !(REQUEST_CHANNELS as readonly string[]).includes(channel)) {
    errors.channel = 'Choose how the request came';
  }
  const date = readDateInput(
    body as Record<string, string | undefined>,
    'receivedOn',
    'date the request was received',
  );
  let receivedOn = todayIn(now);
  if (date.ok === true) {
    if (date.date > todayIn(now))
      errors['receivedOn-day'] = 'The date the request was received must be today or in the past';
    else if (date.date < EARLIEST_RECEIVED_ON)
      errors['receivedOn-day'] =
        'The date the request was received must be the same as or after 25 May 2018, when the one-month time limit began: check the year';
    else receivedOn = date.date;
  } else if (date.ok === false) {
    errors['receivedOn-day'] = date.error;
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const fullAddress = [address, postcode && !postcodeIn(address) ? postcode.toUpperCase() : undefined]
    .filter(Boolean)
    .join(', ');
  return {
    subject: {
      name: name as string,
      ...(email ? { email: email.toLowerCase() } : {}),
      ...(phone ? { phone } : {}),
      ...(fullAddress ? { address: fullAddress } : {}),
    },
    receivedOn,
    channel: channel as string,
  };
}

/** Opens a request on the register: its clock starts from the day it was received. */
export async function openRequest(
  deps: DataProtectionDeps,
  staff: StaffMember,
  body: Record<string, unknown>,
): Promise<SubjectAccessRequest> {
  await allowed(deps, staff, 'open a subject access request');
  const { subject, receivedOn, channel } = readRequestForm(body, deps.now());
  const at = deps.now().toISOString();
  const request: SubjectAccessRequest = {
    id: deps.newId(),
    subject,
    receivedOn,
    channel,
    dueOn: initialDueOn(receivedOn, deps.policy),
    status: 'open',
    confirmedCases: [],
    createdAt: at,
    createdBy: staff.email,
    version: 1,
  };
  await deps.subjectAccess.create(request, {
    at,
    type: 'requested',
    actor: staff.email,
    detail: { receivedOn, dueOn: request.dueOn, channel },
  });
  await audit(deps, staff, 'subject-access.request', {
    subject: { requestId: request.id },
    detail: `received ${receivedOn}, due ${request.dueOn}`,
  });
  return request;
}

/** A request and its history, for its page. */
export async function requestFor(
  deps: DataProtectionDeps,
  staff: StaffMember,
  id: string,
): Promise<{ request: SubjectAccessRequest; events: SubjectAccessEvent[]; candidates: CaseRecord[] }> {
  await allowed(deps, staff, 'read a subject access request', id);
  const request = await load(deps, id);
  const records = await Promise.all((request.candidates ?? []).map((c) => deps.store.get(c.caseId)));
  await audit(deps, staff, 'subject-access.view', { subject: { requestId: id }, detail: 'the request' });
  return {
    request,
    events: await deps.subjectAccess.events(id),
    candidates: records.filter((r): r is CaseRecord => r !== undefined),
  };
}

async function load(deps: DataProtectionDeps, id: string): Promise<SubjectAccessRequest> {
  // Ids are UUIDs: anything else is no request of ours (and is not sent to the table).
  if (!/^[\w-]{1,64}$/.test(id)) throw new HttpError(404, 'There is no subject access request with this id');
  const request = await deps.subjectAccess.get(id);
  if (!request) throw new HttpError(404, 'There is no subject access request with this id');
  return withCurrentDueOn(request, deps);
}

/**
 * The request with its due date by today's calendar: a date stored when it was opened (or
 * extended) does not follow a change of bank holidays, nor a correction of how it is counted.
 */
function withCurrentDueOn(
  r: SubjectAccessRequest,
  deps: Pick<DataProtectionDeps, 'policy'>,
): SubjectAccessRequest {
  const dueOn = currentDueOn(r, deps.policy);
  return dueOn === r.dueOn ? r : { ...r, dueOn };
}

/**
 * Changes a request, once more on a lost race (two people on one request). `make` is given the
 * request as it is at each attempt: whatever an action requires of it is checked there, so a
 * retry after a colleague's change never acts on what the first attempt read.
 */
async function change(
  deps: DataProtectionDeps,
  id: string,
  make: (r: SubjectAccessRequest) => Parameters<DataProtectionDeps['subjectAccess']['update']>[2],
  event: (r: SubjectAccessRequest) => Parameters<DataProtectionDeps['subjectAccess']['update']>[3],
): Promise<SubjectAccessRequest> {
  for (let attempt = 1; ; attempt++) {
    const current = await load(deps, id);
    try {
      return withCurrentDueOn(
        await deps.subjectAccess.update(id, current.version, make(current), event(current)),
        deps,
      );
    } catch (error: unknown) {
      if (!(error instanceof ConcurrentUpdateError) || attempt >= 3) throw error;
    }
  }
}

function notCompleted(r: SubjectAccessRequest): void {
  if (r.status === 'completed') {
    throw new HttpError(
      409,
      'This request has been answered and completed: open a new one for a new request',
    );
  }
}

/**
 * Finds the cases that may be the requester's: by email through the `ByComplainant` index, by
 * phone, postcode and every word of the name through the search terms (`caseSearchTerms`). Each
 * is one Query per term, never a scan. The found cases are kept on the request for staff to
 * confirm; the audit entry keeps how many terms and cases, not the terms.
 */
export async function findCases(
  deps: DataProtectionDeps,
  staff: StaffMember,
  id: string,
): Promise<SubjectAccessRequest> {
  await allowed(deps, staff, 'search for a subject access request', id);
  const request = await load(deps, id);
  notCompleted(request);
  const { subject } = request;
  const found = new Map<string, CandidateCase>();
  const add = (records: CaseRecord[], by: MatchedBy) => {
    for (const r of records) {
      const known = found.get(r.caseId) ?? { caseId: r.caseId, reference: r.reference, matchedBy: [] };
      if (!known.matchedBy.includes(by)) known.matchedBy.push(by);
      found.set(r.caseId, known);
    }
  };
  let terms = 0;
  if (subject.email) {
    terms++;
    add(await deps.store.byComplainant(subject.email), 'email');
  }
  if (subject.phone && phoneDigits(subject.phone).length >= 7) {
    terms++;
    add(await deps.store.search([`phone:${phoneDigits(subject.phone)}`], SEARCH_LIMIT), 'phone');
  }
  const postcode = postcodeIn(subject.address);
  if (postcode) {
    terms++;
    add(await deps.store.search([`postcode:${postcode}`], SEARCH_LIMIT), 'postcode');
  }
  const byName = parseSearch(subject.name);
  if ('terms' in byName && byName.terms.every((t) => t.startsWith('name:'))) {
    terms++;
    add(await deps.store.search(byName.terms, SEARCH_LIMIT), 'name');
  }
  const candidates = [...found.values()].sort((a, b) => b.matchedBy.length - a.matchedBy.length);
  const updated = await change(
    deps,
    id,
    // Checked again on the request as it is now: a colleague may have completed it meanwhile.
    (r) => {
      notCompleted(r);
      return { candidates };
    },
    () => ({
      at: deps.now().toISOString(),
      type: 'searched',
      actor: staff.email,
      detail: { found: candidates.length, by: terms },
    }),
  );
  await audit(deps, staff, 'subject-access.search', {
    subject: { requestId: id },
    detail: `${candidates.length} cases found by ${terms} kinds of detail`,
  });
  return updated;
}

/** Whether the request's confirmed cases are exactly `cases`. */
function sameCases(r: SubjectAccessRequest, cases: readonly { caseId: string }[]): boolean {
  return (
    r.confirmedCases.length === cases.length &&
    cases.every((c) => r.confirmedCases.some((k) => k.caseId === c.caseId))
  );
}

/** Staff confirm which found cases are the requester's (a name match is not proof). */
export async function confirmCases(
  deps: DataProtectionDeps,
  staff: StaffMember,
  id: string,
  body: Record<string, unknown>,
): Promise<SubjectAccessRequest> {
  await allowed(deps, staff, 'confirm the cases of a subject access request', id);
  const request = await load(deps, id);
  notCompleted(request);
  // One checkbox per case, named `confirm.<case id>` (a form keeps one value per name).
  const raw = body.confirm;
  const chosen = new Set(
    raw !== null && typeof raw === 'object'
      ? Object.entries(raw as Record<string, unknown>)
          .filter(([, v]) => v === 'yes')
          .map(([caseId]) => caseId)
      : [],
  );
  const candidates = request.candidates ?? [];
  if ([...chosen].some((caseId) => !candidates.some((c) => c.caseId === caseId))) {
    throw new ValidationError({ cases: 'Choose only from the cases found' });
  }
  const confirmed = candidates
    .filter((c) => chosen.has(c.caseId))
    .map(({ caseId, reference }) => ({ caseId, reference }));
  const updated = await change(
    deps,
    id,
    // Other cases than those exported: the export no longer answers the request, so it is open
    // again until the new set is exported (completing needs an export of what was confirmed).
    // A request a colleague completed meanwhile keeps the cases it was answered with.
    (r) => {
      notCompleted(r);
      return {
        confirmedCases: confirmed,
        ...(r.status === 'exported' && !sameCases(r, confirmed) ? { status: 'open' } : {}),
      };
    },
    () => ({
      at: deps.now().toISOString(),
      type: 'cases-confirmed',
      actor: staff.email,
      detail: { references: confirmed.map((c) => c.reference) },
    }),
  );
  await audit(deps, staff, 'subject-access.confirm', {
    subject: { requestId: id },
    detail: `${confirmed.length} of ${candidates.length} cases confirmed: ${confirmed.map((c) => c.reference).join(', ') || 'none'}`,
  });
  return updated;
}

function notExtended(r: SubjectAccessRequest): void {
  if (r.extension) {
    throw new HttpError(409, 'This request has already been extended: it cannot be extended again');
  }
}

/** Refuses (409) an extension once the first month to answer the request has passed. */
function notTooLateToExtend(r: SubjectAccessRequest, deps: Pick<DataProtectionDeps, 'now' | 'policy'>): void {
  if (!mayStillExtend(r.receivedOn, todayIn(deps.now()), deps.policy)) {
    throw new HttpError(409, TOO_LATE_TO_EXTEND);
  }
}

/**
 * Extends the clock by two further months (UK GDPR Article 12(3)), once, with the reason, while
 * the first month has not passed.
 */
export async function extendRequest(
  deps: DataProtectionDeps,
  staff: StaffMember,
  id: string,
  body: Record<string, unknown>,
): Promise<SubjectAccessRequest> {
  await allowed(deps, staff, 'extend a subject access request', id);
  const request = await load(deps, id);
  notCompleted(request);
  notExtended(request);
  // Refused before the reason is read: once the month has passed, no reason makes it lawful.
  notTooLateToExtend(request, deps);
  const reason = field(body, 'reason');
  if (!reason) {
    throw new ValidationError({
      reason: 'Enter why the request needs longer (it is complex, or the person made several requests)',
    });
  }
  if (reason.length > 1000) throw new ValidationError({ reason: 'Reason must be 1000 characters or fewer' });
  // The rule for every reason staff type (`typed-text.ts`): the register shows it as it is.
  const hidden = textProblem(reason, 'The reason', true);
  if (hidden) throw new ValidationError({ reason: hidden });
  const at = deps.now().toISOString();
  const dueOn = extendedDueOn(request.receivedOn, deps.policy);
  const updated = await change(
    deps,
    id,
    // Checked again on the request as it is now: a colleague may have extended or completed it
    // while this was being done, and it is extended once, within the first month.
    (r) => {
      notCompleted(r);
      notExtended(r);
      notTooLateToExtend(r, deps);
      return { dueOn, extension: { at, by: staff.email, reason } };
    },
    () => ({ at, type: 'extended', actor: staff.email, detail: { dueOn, reason } }),
  );
  // The reason is for the register; the audit log keeps only that it was extended and to when.
  await audit(deps, staff, 'subject-access.extend', { subject: { requestId: id }, detail: `due ${dueOn}` });
  return updated;
}

/**
 * Builds the export (a ZIP) of the confirmed cases, hands it over (`handOver`: the download the
 * officer gets, through S3 when it is large), then records it on the register and in the audit
 * log, and returns it with its file name and what handing it over answered. A hand-over that fails
 * (S3 is down) records nothing: the register never says exported what nobody received.
 */
export async function exportRequest<T = undefined>(
  deps: DataProtectionDeps,
  staff: StaffMember,
  id: string,
  /** Hands the ZIP over; `caseIds`, the cases whose data it holds. */
  handOver: (file: { zip: Uint8Array; filename: string; caseIds: string[] }) => Promise<T> = async () =>
    undefined as T,
): Promise<{ zip: Uint8Array; filename: string; handedOver: T }> {
  await allowed(deps, staff, 'export the data of a subject access request', id);
  const request = await load(deps, id);
  if (request.confirmedCases.length === 0) {
    throw new HttpError(409, 'Confirm which cases are this person’s before exporting their data');
  }
  const at = deps.now();
  const built = await buildSubjectAccessExport(deps, request, at);
  const filename = `subject-access-${id.slice(0, 8)}-${todayIn(at)}.zip`;
  const handedOver = await handOver({
    zip: built.zip,
    filename,
    caseIds: built.caseIds,
  });
  await change(
    deps,
    id,
    // Exported means these cases were: other cases confirmed while the ZIP was built leave the
    // request open (the export is still recorded, and the new set needs one of its own).
    (r) => (r.status === 'completed' || !sameCases(r, request.confirmedCases) ? {} : { status: 'exported' }),
    () => ({
      at: at.toISOString(),
      type: 'exported',
      actor: staff.email,
      detail: { ...built.counts, marked: built.marks },
    }),
  );
  await audit(deps, staff, 'subject-access.export', {
    subject: { requestId: id },
    detail: `${built.counts.cases} cases, ${built.counts.events} events, ${built.counts.letters} letters, ${built.counts.evidence} evidence files, ${built.counts.archived} archived files; ${built.marks} marks for redaction`,
  });
  return { zip: built.zip, filename, handedOver };
}

/** Refuses (409) to complete a request that is completed, or whose export no longer answers it. */
function exportAnswers(r: SubjectAccessRequest): void {
  notCompleted(r);
  if (r.status !== 'exported') {
    throw new HttpError(409, 'Export the person’s data, review it and send it before completing the request');
  }
}

/** Marks the request answered: its clock stops. */
export async function completeRequest(
  deps: DataProtectionDeps,
  staff: StaffMember,
  id: string,
): Promise<SubjectAccessRequest> {
  await allowed(deps, staff, 'complete a subject access request', id);
  const request = await load(deps, id);
  exportAnswers(request);
  const at = deps.now().toISOString();
  const updated = await change(
    deps,
    id,
    // Checked again on the request as it is now: a colleague may have confirmed other cases (the
    // export no longer answers it) or completed it while this was being done.
    (r) => {
      exportAnswers(r);
      // The date it was due by today's calendar is the one it keeps once answered.
      return { status: 'completed', completedAt: at, dueOn: r.dueOn };
    },
    () => ({ at, type: 'completed', actor: staff.email }),
  );
  await audit(deps, staff, 'subject-access.complete', {
    subject: { requestId: id },
    detail: `completed; was due ${request.dueOn}`,
  });
  return updated;
}
