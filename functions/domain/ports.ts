import type { AuditEntry } from './audit.js';
import type { CaseEvent, CaseRecord } from './case.js';
import type { EqualityResponse } from './equality.js';
import type { SubjectAccessEvent, SubjectAccessRequest } from './subject-access.js';
import type { CaseKind, IsoTimestamp } from './types.js';
import type { HoldSummary, WorkList, WorkListEntry } from './work-lists.js';

/**
 * What the domain and handlers need from the outside world. Each interface is implemented
 * by one thin adapter over one AWS client (`functions/adapters/`), and by nothing else.
 */

/**
 * A port whose service `/health` can ask whether it answers. Each adapter asks its service one
 * cheap question; the health check gives each a short time and reports only "ok" or "down".
 */
export interface Pingable {
  /**
   * Resolves when the service answered a cheap request; rejects when it did not answer, failed
   * or refused. Gives up as soon as `signal` aborts.
   */
  ping(signal?: AbortSignal): Promise<void>;
}

/** A conditional write lost a race or found the case in another state. */
export class CaseStoreError extends Error {
  override name = 'CaseStoreError';
}
export class CaseNotFoundError extends CaseStoreError {
  override name = 'CaseNotFoundError';
}
export class ConcurrentUpdateError extends CaseStoreError {
  override name = 'ConcurrentUpdateError';
}
export class DuplicateCaseError extends CaseStoreError {
  override name = 'DuplicateCaseError';
}
/**
 * A change sent with a form's one-off id (`CaseChange.once`) that a change was already written
 * with: the form was sent twice (a double click without script, the page sent again from the
 * browser's history). Nothing was written this time.
 */
export class AlreadyDoneError extends CaseStoreError {
  override name = 'AlreadyDoneError';
}

/** Fields of the case to change, plus the event that records why (none for bookkeeping only). */
export interface CaseChange {
  set?: Partial<Omit<CaseRecord, 'caseId' | 'version' | 'reference' | 'createdAt'>>;
  /** Attributes to remove (e.g. `openTask` once the task is done). */
  remove?: (keyof CaseRecord)[];
  event?: Omit<CaseEvent, 'caseId' | 'seq'>;
  /**
   * An event recorded just before `event`, in the same write: a workspace action that is also
   * the decision on the case's open task (a designation, a move to another service) keeps its
   * own entry in the history beside the task's.
   */
  precedingEvent?: Omit<CaseEvent, 'caseId' | 'seq'>;
  /**
   * Events recorded just after `event`, in the same write: one for each printed letter a
   * correction of the resident's name or address writes again (`readdressed-letters.ts`).
   */
  followingEvents?: Omit<CaseEvent, 'caseId' | 'seq'>[];
  /**
   * The one-off id of the form that asked for the change, made when the page was rendered: a
   * change that adds something (a note) rather than sets it is written once per id, kept at least
   * `IDEMPOTENCY_KEY_SECONDS`. The store checks and keeps the id in the same atomic write as the
   * change, and throws `AlreadyDoneError`, writing nothing, when a change with it was written.
   */
  once?: string;
}

/** The events a change appends, in the order they are recorded. */
export function eventsOf(change: CaseChange): Omit<CaseEvent, 'caseId' | 'seq'>[] {
  return [change.precedingEvent, change.event, ...(change.followingEvents ?? [])].filter(
    (e) => e !== undefined,
  );
}

/**
 * How long a store keeps an idempotency key, at least (a day): a key sent again within it finds
 * the case it stored. Anything used as a key must not outlive it (the feedback form's token).
 */
export const IDEMPOTENCY_KEY_SECONDS = 86_400;

export interface CaseStore extends Pingable {
  /**
   * A fresh human reference for the kind and year, e.g. `CMP-2026-000123`: unique, but with gaps
   * and not strictly in order of arrival where numbers are reserved in blocks.
   */
  nextReference(kind: CaseKind, year: number): Promise<string>;
  /**
   * Stores a new case and its first event atomically. With an idempotency key, a second
   * call with the same key stores nothing and returns the first case (`created: false`).
   */
  create(
    record: CaseRecord,
    firstEvent: Omit<CaseEvent, 'caseId' | 'seq'>,
    idempotencyKey?: string,
  ): Promise<{ record: CaseRecord; created: boolean }>;
  get(caseId: string): Promise<CaseRecord | undefined>;
  getByReference(reference: string): Promise<CaseRecord | undefined>;
  /**
   * Applies a change only if the stored version is `expectedVersion` (and, when given, the
   * status is one of `expectedStatus`); appends the event in the same transaction.
   * Throws `ConcurrentUpdateError` when someone else changed it first.
   */
  update(
    caseId: string,
    expectedVersion: number,
    change: CaseChange,
    expectedStatus?: CaseRecord['status'][],
  ): Promise<CaseRecord>;
  /**
   * Appends an event without changing the case (e.g. an email bounced). With `afterSeq`, only if
   * the history's last event is still that one (the `seq` of the last of `events()`, 0 for none):
   * otherwise nothing is written and it throws `ConcurrentUpdateError`. Two writers that each read
   * the history, found no record of something and record it, record it once.
   */
  appendEvent(
    caseId: string,
    event: Omit<CaseEvent, 'caseId' | 'seq'>,
    options?: { afterSeq?: number },
  ): Promise<CaseEvent>;
  events(caseId: string): Promise<CaseEvent[]>;
  /** Open cases whose next deadline is at or before `before`, soonest first. */
  openByDeadline(before: IsoTimestamp, limit?: number): Promise<CaseRecord[]>;
  /** Every open case, soonest deadline first, read a page of the same index at a time (never a scan). */
  openCases(): AsyncIterable<CaseRecord>;
  /** Every case from one complainant (by email, case-insensitive), newest first. */
  byComplainant(email: string): Promise<CaseRecord[]>;
  /**
   * Whether the complainant whose mailbox this email reaches (case-insensitive, `+tag` ignored:
   * `mailboxKey`) stands designated vexatious or unreasonably persistent on any case
   * (`complainantDesignated` of their cases) under any address of that mailbox, without reading
   * the cases: intake asks this of every submission.
   */
  complainantDesignated(email: string): Promise<boolean>;
  /** Cases for one service received between two instants, oldest first. */
  byService(service: string, from: IsoTimestamp, to: IsoTimestamp): Promise<CaseRecord[]>;
  /** Cases received between two instants (all kinds), for reports; pages through an index. */
  receivedBetween(from: IsoTimestamp, to: IsoTimestamp): AsyncIterable<CaseRecord>;
}

/**
 * Erasure of a case's personal data from the table (UK GDPR Article 17), beside the store: the
 * case item becomes its anonymised tombstone (`tombstoneOf`), and its history, search terms and
 * work-list entries go.
 */
export interface CaseEraser {
  /**
   * Replaces the case with `tombstone` (conditional on `expectedVersion`; `ConcurrentUpdateError`
   * otherwise), deletes its search terms and work-list entries in the same transaction with one
   * new event (`event`, which must hold no personal data), then deletes every earlier event.
   * Called again on a tombstone, it finishes deleting the events a failed call left.
   */
  erase(
    caseId: string,
    expectedVersion: number,
    tombstone: CaseRecord,
    event: Omit<CaseEvent, 'caseId' | 'seq'>,
  ): Promise<CaseRecord>;
}

/**
 * What of an expired case's history would outlive it, deleted once the table's TTL has deleted
 * the case item (`archive-expiry.ts`): events whose expiry a closure had still to set.
 */
export interface ExpiredHistorySweeper {
  /** Deletes the case's items that carry no expiry or a later one, once the case item is gone; the count. */
  sweepExpiredHistory(caseId: string): Promise<number>;
}

export type RetentionClass = '2y' | '6y';

/**
 * Legal holds and erasure on the archive (`s3-records-control.ts`): every object of one case — its
 * case file, letters and evidence — and, for erasure, every version of each.
 */
export interface ArchiveControl {
  /** Tags every object of the case `retention=hold` (no lifecycle rule matches it); the count. */
  hold(caseId: string): Promise<number>;
  /**
   * Gives every object of the case its retention tag back: `retention` for an archived case, or
   * `open` (letters and evidence of a case not yet closed); the count.
   */
  release(caseId: string, retention: RetentionClass | 'open'): Promise<number>;
  /** The `retention` tag of each object of the case, by key (for pages and tests). */
  tags(caseId: string): Promise<Record<string, string | undefined>>;
  /** Deletes every version (and delete marker) of every object of the case; the count of objects. */
  erase(caseId: string): Promise<number>;
}

export interface Archive extends Pingable {
  /** Writes the closed case file (case, events, correspondence) tagged with its retention class. */
  putCaseFile(caseId: string, file: unknown, retention: RetentionClass): Promise<{ key: string }>;
  /** Re-tags an archived case file (e.g. to `6y` when the ombudsman becomes involved). */
  setRetention(caseId: string, retention: RetentionClass): Promise<void>;
  getRetention(caseId: string): Promise<RetentionClass | undefined>;
  getCaseFile(caseId: string): Promise<unknown | undefined>;
  /**
   * Rewrites an archived case file in place (a correction of its contact details), keeping every
   * tag it had, its retention class included. Throws `ArchiveNotFoundError` when there is none.
   */
  replaceCaseFile(caseId: string, file: unknown): Promise<void>;
  /**
   * Writes a letter (PDF) of an open case next to where its case file will be. Kept while the
   * case is open (no retention class yet); writing the same name again replaces it.
   */
  putLetter(caseId: string, name: string, pdf: Uint8Array): Promise<{ key: string }>;
  getLetter(caseId: string, name: string): Promise<Uint8Array | undefined>;
  /**
   * Gives a case's letters the case file's retention class. With `archivedAt` (when the case
   * file is written at closure) their age counts from then, not from when each letter was
   * written, so the lifecycle rule expires them with the case file; without it (a later
   * re-tag, as for the case file) only the class changes.
   */
  retainLetters(
    caseId: string,
    names: string[],
    retention: RetentionClass,
    archivedAt?: IsoTimestamp,
  ): Promise<void>;
}

export interface EmailMessage {
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Case id, carried as a tag so bounces can be recorded on the case. */
  caseId?: string;
  /** Template name, also a tag. */
  template?: string;
  /** Key of the workflow step's effect that sends it, a tag too: SES's Send event confirms it. */
  effect?: string;
}

/** How one send may be bounded: `signal` aborts it (a step's time to act is over, `effects.ts`). */
export interface SendOptions {
  signal?: AbortSignal;
}

export interface Mailer extends Pingable {
  send(message: EmailMessage, options?: SendOptions): Promise<{ messageId: string }>;
}

/**
 * The email service's list of addresses it will not send to (SES's account-level suppression
 * list: an address that bounced or complained is put there and kept until removed).
 */
export interface SuppressionList {
  /** Removes `email` from the list: whether it was on it. */
  forget(email: string): Promise<boolean>;
}

export interface WorkflowEngine extends Pingable {
  /**
   * Starts the case's execution, named after the case id; starting twice is not an error.
   * `created` is false when an execution of that name already existed and this call did not
   * make it: one started with another input (by another starter: the stream and the reconciler
   * start with different inputs), or one that has finished. A repeat of the same call while the
   * execution runs answers true, as Step Functions answers it as the first call did.
   */
  start(
    workflow: string,
    caseId: string,
    input: Record<string, unknown>,
  ): Promise<{ executionArn: string; created: boolean }>;
  sendTaskSuccess(taskToken: string, output: Record<string, unknown>): Promise<void>;
  sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void>;
  /**
   * The execution named `name` as Step Functions reports it now (a case's first execution is
   * named after the case id, a long case's later ones `<case id>_2`, `_3`…); undefined when
   * there is none.
   */
  describe(workflow: string, name: string): Promise<ExecutionState | undefined>;
  /**
   * Restarts a failed, timed-out or aborted execution from the state where it stopped (Step
   * Functions' RedriveExecution): same execution, same input, history kept.
   */
  redrive(workflow: string, name: string): Promise<void>;
}

/** Where an execution stands (Step Functions' statuses; `PENDING_REDRIVE` is about to run again). */
export type ExecutionStatus =
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'ABORTED'
  | 'PENDING_REDRIVE';

/** What the reconciler needs to know about a case's execution. */
export interface ExecutionState {
  executionArn: string;
  status: ExecutionStatus;
  /** The error it failed with (an ASL error name such as `States.Timeout`), when it failed. */
  error?: string;
  /** How many times it has been redriven. */
  redriveCount: number;
  /** Whether Step Functions would redrive it now, and if not, its reason. */
  redrivable: boolean;
  redriveStatusReason?: string;
}

/** One page of the staff queue, and where the next one starts (opaque; absent on the last page). */
export interface CasePage {
  records: CaseRecord[];
  next?: string;
}

/** What the staff workspace asks of the case store, beyond what the workflow needs. */
export interface StaffCaseQueries {
  /**
   * Open cases soonest deadline first, a page at a time, from the `OpenByDeadline` index (never a
   * scan): only those due at or before `dueBy` when given, only those of `services` when given.
   */
  openPage(options: {
    dueBy?: IsoTimestamp;
    services?: readonly string[];
    /** Only cases assigned to this person, or with a task waiting on them. */
    assignedTo?: string;
    stage?: 1 | 2;
    limit: number;
    cursor?: string;
  }): Promise<CasePage>;
  /** Cases having every one of the search terms (`caseSearchTerms`), newest first, at most `limit`. */
  search(terms: readonly string[], limit: number): Promise<CaseRecord[]>;
  /**
   * One page of a work list (`workListEntries`), oldest first, read from the list's own key
   * (never a scan); for the review list only entries due by `dueBy` (`YYYY-MM-DD`) when given.
   */
  workList(
    list: WorkList,
    options: { limit: number; cursor?: string; dueBy?: string },
  ): Promise<{ entries: WorkListEntry[]; next?: string }>;
}

/** A signed-in member of staff's session, kept server side; the cookie holds only its id. */
export interface StaffSessionRecord {
  id: string;
  staff: import('./staff.js').StaffMember;
  /** The anti-forgery token every POST of this session must carry. */
  csrf: string;
  createdAt: IsoTimestamp;
  lastSeenAt: IsoTimestamp;
  /** The ID token, for the identity provider's sign-out (`id_token_hint`). */
  idToken?: string;
  /** The identity provider's refresh token, to read the person's roles again while the session lasts. */
  refreshToken?: string;
  /** When the roles were last read from the identity provider (at sign-in, then each re-read). */
  rolesCheckedAt?: IsoTimestamp;
}

/** Staff sessions and the staff directory (everyone who has signed in). */
export interface StaffStore {
  putSession(session: StaffSessionRecord, expiresAt: IsoTimestamp): Promise<void>;
  getSession(id: string): Promise<StaffSessionRecord | undefined>;
  touchSession(id: string, lastSeenAt: IsoTimestamp): Promise<void>;
  /**
   * Keeps the roles read again on a session that is still there; false when it ended meanwhile
   * (signed out in another tab), which it must not bring back.
   */
  refreshSession(
    id: string,
    fields: Required<Pick<StaffSessionRecord, 'staff' | 'idToken' | 'refreshToken' | 'rolesCheckedAt'>>,
  ): Promise<boolean>;
  deleteSession(id: string): Promise<void>;
  /** Adds or refreshes a person in the directory at sign-in. */
  recordStaff(staff: import('./staff.js').StaffMember, at: IsoTimestamp): Promise<void>;
  directory(): Promise<{ email: string; name: string; roles: string[]; services: string[] }[]>;
}

/** One limit: at most `max` requests under `key` in each fixed window of `windowSeconds`. */
export interface RateLimit {
  /** What is counted, e.g. `email:ada@example.com` (the adapter stores only a hash of it). */
  key: string;
  max: number;
  windowSeconds: number;
}

/** The outcome of asking a limiter: allowed, or refused with how long until the window ends. */
export type RateDecision =
  | { allowed: true }
  | { allowed: false; limit: RateLimit; retryAfterSeconds: number };

export interface RateLimiter {
  /**
   * Counts one request against each limit in turn and refuses at the first used up. A request
   * already counted under `requestId` (a retry with the same idempotency key) is allowed again
   * without being counted twice.
   */
  take(limits: RateLimit[], now: Date, requestId?: string): Promise<RateDecision>;
}

/**
 * Equality monitoring answers, kept apart from the cases (see `equality.ts`): no key or
 * attribute names a case, a reference or a resident.
 */
export interface EqualityStore {
  /**
   * Stores one set of answers under the one-time id of the form that sent them: `duplicate` when
   * that form was already answered (the first answers stand), or when `once` (an opaque key of the
   * feedback the form was for, kept apart from the answers) was already used by another form.
   */
  record(
    formId: string,
    response: EqualityResponse,
    expiresAt: Date,
    once?: string,
  ): Promise<'recorded' | 'duplicate'>;
  /** Every set of answers from the months `fromMonth` to `toMonth` (`YYYY-MM`, inclusive). */
  between(fromMonth: string, toMonth: string): AsyncIterable<EqualityResponse>;
}

/**
 * Files handed out for download when they are too large for an API response (an export, the
 * Ombudsman's case file): stored briefly, read through a link that lasts `expiresSeconds`.
 */
export interface Downloads {
  /**
   * Stores a file holding the data of the cases `caseIds` and answers the link to it, and its id.
   * The file is filed under each of its cases first, so that erasing any of them (`eraseFor`)
   * finds it.
   */
  put(
    filename: string,
    body: Uint8Array,
    contentType: string,
    expiresSeconds: number,
    caseIds: readonly string[],
  ): Promise<{ link: string; id: string }>;
  /**
   * Deletes at once, with every version, the file `put` stored as `id` (one whose case was erased
   * while it was made, after the erasure's sweep had deleted where it was filed).
   */
  remove(id: string): Promise<void>;
  /**
   * Deletes at once, with every version, each file still stored that holds the case's data (a
   * subject access export of several cases goes whole): answers how many files were deleted.
   */
  eraseFor(caseId: string): Promise<number>;
}

/**
 * The audit log of data protection work (`audit.ts`): append-only, apart from the cases, read
 * month by month.
 */
export interface AuditLog {
  /** Writes one entry; an entry with the same id already written is left as it was. */
  record(entry: AuditEntry): Promise<void>;
  /**
   * Entries of the months `fromMonth` to `toMonth` (`YYYY-MM`, UTC, inclusive), oldest first;
   * with `since`, only those at or after that instant (read no further back than it).
   */
  between(fromMonth: string, toMonth: string, since?: IsoTimestamp): AsyncIterable<AuditEntry>;
}

/** What using a one-time sign-in link found: first use, used before, or never issued. */
export type SignInUse = 'first-use' | 'used' | 'unknown';

/**
 * The one-time sign-in links a resident is emailed ("check your complaint"), kept only as the
 * hash of the link, so each works once; and the sessions they opened that were signed out of.
 */
export interface SignInLinks {
  /** Records a new link's hash for a case, until it expires. */
  issue(hash: string, caseId: string, expiresAt: IsoTimestamp): Promise<void>;
  /** Marks the link used; says whether this was its first use (a conditional write: one winner). */
  use(hash: string, at: IsoTimestamp): Promise<SignInUse>;
  /**
   * Records that the resident session `sessionId` was signed out of, kept until `until` (its
   * absolute end: its cookie stops working then anyway). Doing it again changes nothing.
   */
  signOut(sessionId: string, until: IsoTimestamp): Promise<void>;
  /** Whether the session was signed out of: read strongly consistent, so a sign-out counts at once. */
  signedOut(sessionId: string): Promise<boolean>;
}

/** The hold review reminder being sent: the outbox of one email to the records mailbox. */
export interface HoldReminder {
  /** Names this reminder; every write after the claim is conditional on it. */
  id: string;
  /** When its sending began (or was last taken over after a run died before SES answered). */
  startedAt: IsoTimestamp;
  /** When SES took the email; absent until then. */
  sentAt?: IsoTimestamp;
  messageId?: string;
  /** The holds it lists: what the email says of each, and the review date reminded of. */
  holds: (HoldSummary & { caseId: string; reference: string; reviewBy: string })[];
}

/**
 * Where the hold review reminder records its intent and its result (one item in the case table),
 * so that however often the job runs, or wherever it stopped, each review date is emailed once.
 */
export interface HoldReminders {
  /** The reminder claimed and not yet finished, if any. */
  pending(): Promise<HoldReminder | undefined>;
  /** Records the intent to send; false when another reminder is pending (another run got there). */
  claim(reminder: HoldReminder): Promise<boolean>;
  /** Takes over an unsent reminder whose run died; false when someone else did, or it was sent. */
  retake(id: string, startedAt: IsoTimestamp, at: IsoTimestamp): Promise<boolean>;
  /** Records that SES took the email. */
  sent(id: string, at: IsoTimestamp, messageId: string): Promise<void>;
  /** Forgets a reminder whose cases all record it. */
  finish(id: string): Promise<void>;
}

/** A presigned POST: the form's action and the fields to send before the file. */
export interface PresignedUpload {
  url: string;
  fields: Record<string, string>;
}

/**
 * Where residents' evidence files are kept (the archive bucket, under `evidence/`). Files go
 * there straight from the browser; this port signs the upload, reads what arrived, and gives
 * out downloads.
 */
export interface EvidenceStore {
  /** A presigned POST for exactly `key`, at most `MAX_EVIDENCE_BYTES`, redirecting to `redirect` after. */
  presignUpload(
    key: string,
    options: { expiresSeconds: number; redirect?: string },
  ): Promise<PresignedUpload>;
  /** The object's size and entity tag, or undefined when nothing was uploaded there. */
  head(key: string): Promise<{ size: number; etag?: string } | undefined>;
  /**
   * The object's bytes (at most `MAX_EVIDENCE_BYTES`: check `head` first) and the entity tag of
   * the very object they came from, or undefined.
   */
  read(key: string): Promise<{ bytes: Uint8Array; etag?: string } | undefined>;
  /** The malware scan's result tag (`GuardDutyMalwareScanStatus`), undefined until scanned. */
  scanStatus(key: string): Promise<string | undefined>;
  remove(key: string): Promise<void>;
  /** A short-lived download address that saves the file as `filename`. */
  downloadUrl(key: string, filename: string, expiresSeconds: number): Promise<string>;
  /** Gives files the case file's retention class (with `archivedAt`, counted from the closure). */
  retain(keys: readonly string[], retention: RetentionClass, archivedAt?: IsoTimestamp): Promise<void>;
}

/**
 * The register of subject access requests (`subject-access.ts`), apart from the cases: each
 * request with its history, read whole (a council answers tens a year, not thousands).
 */
export interface SubjectAccessRegister {
  /** Stores a new request and its first event. */
  create(
    request: SubjectAccessRequest,
    firstEvent: Omit<SubjectAccessEvent, 'requestId' | 'seq'>,
  ): Promise<void>;
  get(id: string): Promise<SubjectAccessRequest | undefined>;
  /**
   * Changes a request only if it is still at `expectedVersion`, appending the event in the same
   * write; `ConcurrentUpdateError` when someone changed it first.
   */
  update(
    id: string,
    expectedVersion: number,
    set: Partial<Omit<SubjectAccessRequest, 'id' | 'version' | 'createdAt' | 'createdBy'>>,
    event: Omit<SubjectAccessEvent, 'requestId' | 'seq'>,
  ): Promise<SubjectAccessRequest>;
  events(id: string): Promise<SubjectAccessEvent[]>;
  /** Every request on the register (in no particular order: `registerOrder` sorts them). */
  all(): Promise<SubjectAccessRequest[]>;
}
