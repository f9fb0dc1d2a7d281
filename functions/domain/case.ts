import type { Language } from './language.js';
import type { Erasure, LegalHold } from './legal-hold.js';
import type { ExclusionId } from './policy-schema.js';
import type { CaseKind, Channel, FeedbackKind, IsoTimestamp, Outcome, Stage } from './types.js';
import type { TaskName, WaitTask } from './workflow-names.js';

/**
 * The case record: one per piece of feedback, whatever its kind. Stored by the case store,
 * read by every handler; the workflow itself carries only the case id.
 */

/** Where a case stands. `closed` is terminal; `redirected` cases are recorded but not handled here. */
export type CaseStatus =
  | 'received'
  | 'awaiting-acknowledgement'
  | 'investigating'
  | 'paused'
  | 'responded'
  | 'stage-2-requested'
  | 'awaiting-decision'
  | 'redirected'
  | 'referred'
  | 'closed';

export interface Person {
  name?: string;
  email?: string;
  phone?: string;
  address?: string;
  /** How they want our letters: by email (the default when they gave an address) or by post. */
  contactBy?: ContactPreference;
}

/** How a resident wants our letters. */
export type ContactPreference = 'email' | 'post';

/** Whether our letters to this resident are printed and posted: no email address, or they asked for post. */
export function wantsPost(c: Pick<CaseRecord, 'anonymous' | 'complainant'>): boolean {
  if (c.anonymous) return false;
  const { email, contactBy } = c.complainant;
  return contactBy === 'post' || !email;
}

/** Someone complaining for another person (the unitary council’s Customer Feedback Procedure §8.2.3), with the consent recorded. */
export interface Representative {
  name: string;
  relationship?: string;
  /** The person complained for agreed, or cannot (e.g. under 18 or lacking capacity) and the reason is recorded. */
  consent: boolean;
  consentNote?: string;
}

/** The officer task the workflow is waiting on, with the Step Functions token (never emailed). */
export interface OpenTask {
  taskId: string;
  /** The task the workflow waits on. */
  name: TaskName;
  /** Who may act on it (email of the officer the link was sent to). */
  officer: string;
  taskToken: string;
  issuedAt: IsoTimestamp;
  /**
   * The decision the waiting workflow takes as the task's success; any other is handed over as a
   * task failure named for it (`decisionErrorName`). Absent on waits of definitions that branch
   * on every decision after the wait: all are handed over as success.
   */
  expected?: string;
}

export interface CaseRecord {
  caseId: string;
  /** Human reference, e.g. `CMP-2026-000123`. */
  reference: string;
  kind: CaseKind;
  /** What the resident chose on the form, before triage. */
  submittedKind: FeedbackKind;
  status: CaseStatus;
  stage: Stage;
  policyId: string;
  service?: string;
  directorate?: string;
  summary: string;
  desiredOutcome?: string;
  complainant: Person;
  onBehalfOf?: Representative;
  anonymous: boolean;
  channel: Channel;
  accessibilityNeeds?: string;
  /**
   * The language the resident chose (one the policy offers): every page and letter to them is in
   * it. Absent on cases stored before languages existed, which read as English (`caseLanguage`).
   */
  language?: Language;
  /**
   * When it was received. With `receivedDateOnly`, only the London date is known: the instant
   * is the start of that day (never after any time of day a clock could start from), and no
   * page, email or letter shows it as a time.
   */
  receivedAt: IsoTimestamp;
  /**
   * Staff gave the date it came (a letter, a call nobody timed) but no time. Absent on cases
   * stored before the marker existed, and whenever a time was given: their time is shown.
   */
  receivedDateOnly?: true;
  createdAt: IsoTimestamp;
  updatedAt: IsoTimestamp;
  /** Triage's verdict: how the case is handled, or where the resident is redirected. */
  triage: {
    route: 'handle' | 'redirect' | 'refer' | 'refer-to-manager' | 'nominated-officer' | 'needs-consent';
    exclusion?: ExclusionId;
    redirect?: string;
    reasons: string[];
  };
  /** Named clocks (ISO timestamps, end of working day in Europe/London). */
  deadlines: Record<string, IsoTimestamp>;
  assignedTo?: string;
  outcome?: Outcome;
  openTask?: OpenTask;
  /** Contact from someone designated vexatious: routed to the nominated officer. */
  vexatious?: boolean;
  ombudsmanInvolved?: boolean;
  closedAt?: IsoTimestamp;
  /**
   * Workflow execution; `startError` is set when starting it failed after retries. `reopening`:
   * the fresh execution a reopening is to run in (its name), until it has started; the
   * reconciler starts it when the reopening's own start did not go.
   */
  workflow?: { executionArn?: string; startedAt?: IsoTimestamp; startError?: string; reopening?: string };
  /** Optimistic-locking counter: every write is conditional on it. */
  version: number;
  /** What has happened at each stage: the facts the deadlines are derived from. */
  progress: { stage1: StageProgress; stage2?: StageProgress };
  /** Statutory social care: the agreed plan and the feedback loop (the statutory adult social care complaints procedure). */
  plan?: { text: string; agreedWorkingDays: number; agreedAt: IsoTimestamp; round: number };
  /** Compliments: the staff named and thanked (for reports; names of staff, not of residents). */
  staffNamed?: string[];
  /**
   * The effects of workflow steps, by execution and state (the outbox of `functions/app/effects.ts`):
   * what makes every email and change of a step happen once however often the step runs.
   */
  effects?: Record<string, StepEffect>;
  /** An officer's decision written on the case and not yet handed to the workflow (`decision-delivery.ts`). */
  pendingDecision?: PendingDecision;
  /** The waits for a decision the case is in: when each began, and how it has been chased. */
  waits?: Partial<Record<WaitTask, { since: IsoTimestamp; reminded?: boolean; escalations?: number }>>;
  /** Every officer who acted on a stage-1 task: none of them may handle stage 2 (the Code §6.13). */
  stage1Handlers?: string[];
  /** When the matter complained about happened, or the resident found out (`YYYY-MM-DD`). */
  happenedOn?: string;
  /**
   * Printed letters written for this case and not yet posted, oldest first: the "letters to print
   * and post" list of the workspace. A letter leaves the list when staff mark it posted.
   */
  lettersToPost?: LetterToPost[];
  /** Letters posted to a name or address corrected since (`PostedToPrevious`), awaiting the team. */
  postedToPrevious?: PostedToPrevious[];
  /** The nominated officer's designation of the complainant as unreasonably persistent. */
  designation?: Designation;
  /** Each time staff reopened the case after it closed, with the stage's facts before it. */
  reopenings?: Reopening[];
  /**
   * The reasons officers give with their decisions (refusals, pauses, a decision to close), which
   * the letters about those decisions quote. Notes added from the workspace are not here but in
   * their `note-added` events (`caseNotes`): they are many, and internal.
   */
  notes?: CaseNote[];
  /** A legal hold (`legal-hold.ts`): while it stands, retention deletes nothing of the case. */
  legalHold?: LegalHold;
  /**
   * An erasure under way: written in one conditional write before any archived object is
   * deleted, so a legal hold placed meanwhile loses its race (or wins it, and the erasure is
   * refused) instead of finding its archive gone. Erasing again finishes it.
   */
  erasureStarted?: Erasure;
  /** Set on the anonymised tombstone an erased case leaves (`tombstoneOf`). */
  erasure?: Erasure;
}

/** A printed letter of the case waiting to be printed and posted. */
export interface LetterToPost {
  /** The letter's name in the archive (`letterKey`). */
  letter: string;
  /** What the letter is, as its heading says (no personal data). */
  title: string;
  writtenAt: IsoTimestamp;
  /** Some characters of it print as empty boxes: no letter font has them (its `letter-written` event names them). */
  checkFirst?: true;
  /**
   * Written again to a corrected name or address (`readdressed-letters.ts`): when, and the letter
   * it replaces, which is not to be posted. It keeps the place (`writtenAt`) of the one it replaces.
   */
  readdressedAt?: IsoTimestamp;
  replaces?: string;
}

/**
 * A printed letter marked posted before the resident's name or address was corrected: it went to
 * the previous address. It waits on the list of letters to post for the team to post it again to
 * the corrected address, or to record that it need not go again.
 */
export interface PostedToPrevious {
  letter: string;
  title: string;
  /** When the letter was written (its place on the list). */
  writtenAt: IsoTimestamp;
  /** When it was marked posted, and when the address it went to was corrected. */
  postedAt: IsoTimestamp;
  correctedAt: IsoTimestamp;
}

/**
 * A complainant designated unreasonably persistent (Dudley MBC Corporate Customer Feedback
 * Procedure, June 2019, §6: the nominated officer decides "what action to take in dealing with
 * the complainant's continued involvement with the council" and tells the complainant). While it
 * stands, their new contact goes to the nominated officer (`triage`); it is reviewed by `reviewBy`.
 */
export interface Designation {
  at: IsoTimestamp;
  /** The nominated officer who decided. */
  by: string;
  reason: string;
  /**
   * What the council will do differently: keys of `RESTRICTIONS` (`designation.ts`), worded in
   * the case's language when shown. Designations stored before keys hold the English sentences;
   * `restrictionText` reads both.
   */
  restrictions: string[];
  /** The date (`YYYY-MM-DD`, Europe/London) the designation is to be reviewed by. */
  reviewBy: string;
  /** Reviews so far: kept (with the next date) or lifted. */
  reviews?: { at: IsoTimestamp; by: string; outcome: 'kept' | 'lifted'; reason: string }[];
  liftedAt?: IsoTimestamp;
  /**
   * The letter telling the complainant is still to be sent from the workspace: set with a
   * designation made there (without a referral, whose letter the workflow sends), cleared in the
   * write that records the letter sent or put on the list to post. Left set when the email
   * service did not answer; the nominated officer sends it from the case page.
   */
  letterOwed?: true;
}

/** Whether a designation still stands (it has not been lifted on review). */
export function designationStands(c: Pick<CaseRecord, 'designation'>): boolean {
  return c.designation !== undefined && c.designation.liftedAt === undefined;
}

/** A closed case opened again by staff. */
export interface Reopening {
  at: IsoTimestamp;
  by: string;
  reason: string;
  stage: Stage;
  closedAt?: IsoTimestamp;
  /** The stage's facts when it closed; the reopened stage starts its response clock afresh. */
  previous: StageProgress;
  /**
   * How the case had been handled before (`triage.route`): `redirect` or `refer` when the
   * resident was told it was not a complaint, so the letter about the reopening says it now is one.
   */
  route?: CaseRecord['triage']['route'];
  /**
   * Triage sent it elsewhere at intake and no officer had it before this reopening: the resident
   * has been written to only at once, to an address nobody has confirmed, with nothing they typed,
   * so the letter about the reopening does not greet them by the name typed either.
   */
  sentElsewhereAtIntake?: boolean;
}

/** The officer's response at a stage (Dudley MBC Corporate Customer Feedback Procedure, June 2019, §5: outcome, reasons, actions; the Code: remedy). */
export interface StageResponse {
  outcome?: Outcome;
  reasons: string;
  remedy?: string;
  actions?: string;
  lessons?: string;
}

/**
 * Facts about one stage, from which its deadlines are derived afresh at every wake-up (so a
 * new bank holiday or a corrected policy moves them) and which reports count.
 */
export interface StageProgress {
  /** Receipt (stage 1) or the resident's request (stage 2). */
  startedAt: IsoTimestamp;
  acknowledgedAt?: IsoTimestamp;
  /**
   * The council's understanding of the complaint and the outcome the resident wants, as the
   * officer who acknowledged the stage wrote it; the acknowledgement states it.
   */
  understanding?: string;
  /** The acknowledgement deadline passed and the manager was told. */
  acknowledgementEscalated?: boolean;
  reminded?: boolean;
  /**
   * The response deadline the resident was sent a holding letter about (before it passed), so
   * one letter goes per deadline, and another if an extension moves it.
   */
  holdingLetterFor?: IsoTimestamp;
  /**
   * The new date the last holding letter about `holdingLetterFor` committed to. When it passes
   * with no response the resident is written to again, once, with the next date. Cases whose
   * letter went before this was kept have none (see `holdingLetterPromise`).
   */
  holdingLetterPromised?: IsoTimestamp;
  /** Stage 2: whether the reviewer is someone other than the stage-1 officer (what the letters may claim). */
  independentOfStage1?: boolean;
  /** Stage 1: the resident was told the stage-2 window has closed (the late-request time may run on). */
  toldStage2WindowClosed?: boolean;
  /** Social care: the complainant was told the response has passed six months (SI 2009/309 reg. 14). */
  toldBeyondSixMonths?: boolean;
  /** How many times the missed response deadline has been escalated. */
  escalations?: number;
  extensionDays?: number;
  extensions?: {
    at: IsoTimestamp;
    days: number;
    reason: string;
    /**
     * The date the resident had last been given, when a holding letter gave one later than the
     * deadline the extension moved on (and no later than the new one): the extension letter
     * moves on from it, or keeps it.
     */
    from?: IsoTimestamp;
  }[];
  /** Set while the clock is paused for mediation or conciliation (the unitary council’s Customer Feedback Procedure §2.8). */
  pausedAt?: IsoTimestamp;
  /** What the clock is paused for (one of the policy's `pauseKinds`). */
  pauseKind?: 'mediation' | 'conciliation' | 'legal-proceedings';
  /** Working days the clock has been paused in all, added to the response deadline. */
  pausedWorkingDays?: number;
  respondedAt?: IsoTimestamp;
  response?: StageResponse;
  /** Stage 2 only: the grounds the resident gave, and the reviewer's decision on them. */
  grounds?: string[];
  groundsText?: string;
}

/** A decision taken through a task link, waiting to be handed to the workflow. */
export interface PendingDecision {
  task: TaskName;
  taskId: string;
  decision: string;
  /** Who decided. */
  officer: string;
  at: IsoTimestamp;
  /** The token of the wait the officer acted on (the workflow may since have replaced it). */
  taskToken: string;
  /** What that wait expects (see `OpenTask.expected`). */
  expected?: string;
  /** What the officer was, or will be, told. */
  message: string;
}

/**
 * One step entry's effect: about to act (`started`), acted and recorded (`done`), or certainly
 * not acted because the service refused (`refused`, so the next attempt acts without asking).
 */
export interface StepEffect {
  /** Names the step entry; carried by its email as a tag, so SES's Send event can confirm it. */
  key: string;
  status: 'started' | 'done' | 'refused';
  at: IsoTimestamp;
  /**
   * When the entry that wrote it entered its state (`$$.State.EnteredTime`). The steps of one
   * execution run one after another, so a later entry's tells an invocation of an earlier one
   * (a duplicate that arrives late) that the execution has moved past it.
   */
  entered?: IsoTimestamp;
  /** When a step first found this effect unfinished and began waiting for SES's word. */
  unconfirmedSince?: IsoTimestamp;
  /** When a step last found this effect unfinished, with no word from SES (see `effects.ts`). */
  askedAt?: IsoTimestamp;
  /** How often the wait for SES's word started again after a step was kept from asking (`effects.ts`). */
  windowRestarts?: number;
  result?: Record<string, unknown>;
}

/** One entry of a case's append-only history (the audit trail). */
export interface CaseEvent {
  caseId: string;
  /** Increasing sequence within the case; the first event is 1. */
  seq: number;
  at: IsoTimestamp;
  type: string;
  /** `resident`, `system`, `workflow` or an officer's email. */
  actor: string;
  channel?: Channel | 'link' | 'workflow';
  /** Non-personal detail of what happened. */
  detail?: Record<string, unknown>;
}

/** A note on a case: a decision's reason, or a note added from the workspace. */
export interface CaseNote {
  at: IsoTimestamp;
  by: string;
  text: string;
  /**
   * The letter that gives this note to the resident as its decision's reasons (`pause`,
   * `stage-2-refused`…). A note without it is the officers' own (a call recorded, a referral's
   * reasons) and no letter quotes it.
   */
  for?: string;
}

/**
 * Every note on a case, oldest first: the decisions' reasons the case keeps, and the notes added
 * from the workspace, each kept with its `note-added` event, in its own item. A case's item is
 * limited in size (400 KB in DynamoDB) and a long case gathers notes without end; and a note is
 * internal, never a letter's reasons. Notes added before they were kept so are on the case.
 */
export function caseNotes(record: Pick<CaseRecord, 'notes'>, events: readonly CaseEvent[]): CaseNote[] {
  const added = events.flatMap((e) =>
    e.type === 'note-added' && typeof e.detail?.text === 'string'
      ? [{ at: e.at, by: e.actor, text: e.detail.text }]
      : [],
  );
  return [...(record.notes ?? []), ...added].sort((a, b) => a.at.localeCompare(b.at));
}

/** The names of a case's printed letters (as stored in the archive), from its history. */
export function letterNames(events: Pick<CaseEvent, 'type' | 'detail'>[]): string[] {
  return events.filter((e) => e.type === 'letter-written').map((e) => String(e.detail?.letter));
}

/**
 * The letter written again in place of `letter` before it was posted (to a corrected name or
 * address, or with a later date), from the case's history; undefined when none replaced it.
 */
export function replacementOf(
  events: Pick<CaseEvent, 'type' | 'detail'>[],
  letter: string,
): CaseEvent['detail'] {
  return events.find((e) => e.type === 'letter-written' && e.detail?.replaces === letter)?.detail;
}
