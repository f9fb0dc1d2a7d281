import { actedOnNothing } from '../adapters/errors.js';
import { londonDate } from '../domain/calendar.js';
import { type CaseRecord, type Designation, replacementOf, wantsPost } from '../domain/case.js';
import { deriveDeadlines } from '../domain/case-clock.js';
import { stageProgress } from '../domain/case-stage.js';
import {
  addMonths,
  MAX_REVIEW_MONTHS,
  RESTRICTIONS,
  type Restriction,
  restrictionsPosted,
} from '../domain/designation.js';
import { ConcurrentActionError } from '../domain/errors.js';
import type { Policy } from '../domain/policy-schema.js';
import type {
  Archive,
  ArchiveControl,
  CaseStore,
  StaffCaseQueries,
  WorkflowEngine,
} from '../domain/ports.js';
import {
  canAcceptLateStage2,
  canDesignate,
  canPostLetters,
  canReopen,
  type StaffMember,
} from '../domain/staff.js';
import { textProblem } from '../domain/typed-text.js';
import type { WorkListEntry } from '../domain/work-lists.js';
import { DependencyUnavailableError, HttpError, httpErrorOf, ValidationError } from '../http/errors.js';
import { readDateFields } from '../web/date-input.js';
import { formatDateTime } from '../web/format.js';
import { type LetterSource, renderLetter } from './correspondence.js';
import { EffectUnconfirmedError, once } from './effects.js';
import { currentExecutionName, nextExecutionName, startReopenedWorkflow } from './executions.js';
import { withLetterToPost } from './posted-letters.js';
import {
  ActionForbiddenError,
  afterWritten,
  caseFor,
  change,
  doneOnce,
  onceFor,
  PartlyDoneError,
} from './staff-actions.js';
import { emailEffect, type SendEmail } from './steps.js';
import { validateTaskForm } from './task-form-schema.js';
import { type ActionWithDecision, decideOnTask, type TaskOutcome } from './tasks.js';

/**
 * The workspace's actions on a case's life after its response: reopening it, accepting a late
 * request for stage 2, designating the complainant unreasonably persistent (and reviewing that),
 * and the letters waiting to be printed and posted. Each records the signed-in person as its actor.
 */
export interface CaseLifeDeps {
  store: CaseStore & Pick<StaffCaseQueries, 'workList'>;
  archive: Archive;
  /** The archive's retention tags: a reopened case's objects leave the retention clock. */
  control: Pick<ArchiveControl, 'release'>;
  workflows: WorkflowEngine;
  policy: Policy;
  now: () => Date;
  linkSecrets: () => Promise<string[]>;
  send: SendEmail;
  /** How many times faster than real time `now` runs, and how long SES's word takes (`confirmWindowMs`). */
  timeScale?: number;
  sesWordWithinMs?: number | undefined;
}

/** A free-text reason from a form: required, trimmed, at most `max` characters. */
function reasonOf(body: Record<string, unknown>, field: string, what: string, max = 2000): string {
  const value = typeof body[field] === 'string' ? (body[field] as string).trim() : '';
  if (!value) throw new ValidationError({ [field]: `Enter ${what}` });
  if (value.length > max)
    throw new ValidationError({ [field]: `The reason must be ${max} characters or fewer` });
  const hidden = textProblem(value, 'The reason', true);
  if (hidden) throw new ValidationError({ [field]: hidden });
  return value;
}

/**
 * Opens a closed complaint again, at the stage it closed at, with the reason recorded.
 *
 * None of the councils' documents says how a reopened complaint is timed. The workflow that
 * closed it has ended (Step Functions cannot restart a finished execution), so a fresh execution
 * of the same workflow is started, named `<case id>_<n>` as a long case's continuation is, and
 * resumes at the response clock: the resident is told it is reopened and by when they will hear
 * (by the workflow, see `REOPEN_RESUMES_AT`), the officer gets the response task, with its
 * reminder, holding letter and escalation, and the resident then gets the response (and at
 * stage 1 may ask for stage 2 again). The stage's clock starts afresh on the day it is reopened, counted as if it
 * were acknowledged that day (the stage's full response time from the policy); what the stage
 * had before is kept on the case (`reopenings`) and in the archived case file. The write that
 * reopens it names the fresh execution (`workflow.reopening`): if starting it then fails (Step
 * Functions throttled), the case stays open and the reconciler starts it on its next run.
 */
export async function reopenCase(
  deps: CaseLifeDeps,
  staff: StaffMember,
  reference: string,
  body: Record<string, unknown>,
): Promise<CaseRecord> {
  if (!canReopen(staff)) throw new ActionForbiddenError('reopen a case');
  const reason = reasonOf(body, 'reopenReason', 'why the case is being reopened');
  const record = await caseFor({ store: deps.store }, staff, reference);
  if (record.status !== 'closed') throw notClosed(record);
  if (record.kind !== 'complaint') {
    throw new ValidationError({
      reopenReason: 'Only complaints can be reopened. Record new feedback for anything else',
    });
  }
  if (record.onBehalfOf && record.onBehalfOf.consent !== true) {
    // Closed because the person it is about never agreed: reopened, it would be looked into (and
    // the representative told so) without them. Their agreement comes with new feedback.
    throw new ValidationError({
      reopenReason: `This complaint was made for ${record.onBehalfOf.name}, who has not agreed to it, so it cannot be reopened. If they agree now, record it as new feedback ("Record feedback received") with their agreement`,
    });
  }
  const now = deps.now().toISOString();
  const nextName = nextExecutionName(currentExecutionName(record));
  // The archive step tagged the case's file, letters and evidence with their retention class at
  // closure, and the bucket's lifecycle counts its days from then: open again, the case must not
  // lose them while it is looked into (the archive step dates and tags them afresh when it closes
  // again). Done before the case is written: should that write fail, the objects of a still
  // closed case are merely kept, and the table's expiry takes them with the case
  // (`archive-expiry.ts`). A held case's objects stay held: the hold's lift gives them `open`.
  if (!record.legalHold) await deps.control.release(record.caseId, 'open');
  const reopened = await change(deps, record.caseId, (c) => {
    // Checked again on the case as it is now: a second click, or someone else, may have reopened it.
    if (c.status !== 'closed') throw notClosed(c);
    const stageKey = c.stage === 2 ? 'stage2' : 'stage1';
    const next: CaseRecord = {
      ...c,
      status: 'investigating',
      progress: { ...c.progress, [stageKey]: { startedAt: now, acknowledgedAt: now } },
    };
    const service = deps.policy.routing.services.find((s) => s.id === c.service);
    return {
      set: {
        status: 'investigating',
        progress: next.progress,
        deadlines: deriveDeadlines(deps.policy, next),
        // A case closed before anyone was assigned (e.g. sent elsewhere) goes to its service.
        assignedTo: c.assignedTo ?? service?.mailbox ?? deps.policy.routing.complaintsTeam,
        reopenings: [
          ...(c.reopenings ?? []),
          {
            at: now,
            by: staff.email,
            reason,
            stage: c.stage,
            ...(c.closedAt ? { closedAt: c.closedAt } : {}),
            previous: stageProgress(c),
            route: c.triage.route,
            // Never assigned: closed where triage sent it, without reaching an officer's task.
            ...(sentElsewhere(c) && c.assignedTo === undefined ? { sentElsewhereAtIntake: true } : {}),
          },
        ],
        triage: { ...c.triage, route: 'handle' },
        workflow: { ...c.workflow, reopening: nextName },
      },
      remove: ['closedAt', 'openTask', 'waits', 'outcome', 'pendingDecision'],
      event: {
        at: now,
        type: 'reopened',
        actor: staff.email,
        detail: { stage: c.stage, execution: nextName },
      },
    };
  });
  // Not started (Step Functions throttled): the reconciler starts it from `workflow.reopening`.
  return afterWritten(
    () => startReopenedWorkflow(deps, reopened, staff.email),
    'The case is reopened, but its workflow could not be started just now. It will start by itself within 15 minutes, and the officer will then get the response task: you do not need to reopen it again.',
  );
}

/** The resident was told their message was not a complaint: sent elsewhere, or a service request. */
function sentElsewhere(c: CaseRecord): boolean {
  return c.triage.route === 'redirect' || c.triage.route === 'refer';
}

/**
 * Why an open case cannot be reopened: it was reopened already (a second press, or a colleague
 * first), and is open since then, or it was never closed.
 */
function notClosed(c: CaseRecord): ValidationError {
  const last = c.reopenings?.at(-1);
  if (last) {
    return new ValidationError({
      reopenReason: `This case has been reopened already, by ${last.by} at ${formatDateTime(last.at)}`,
    });
  }
  return new ValidationError({ reopenReason: 'Only a closed case can be reopened: this one is still open' });
}

/**
 * Accepts a request for stage 2 made after the time for asking ended, with the resident's reason:
 * the same decision as the complaints team's emailed link, while the workflow still waits for one.
 */
export async function acceptLateStage2(
  deps: CaseLifeDeps,
  staff: StaffMember,
  reference: string,
  body: Record<string, unknown>,
): Promise<TaskOutcome> {
  if (!canAcceptLateStage2(staff)) throw new ActionForbiddenError('accept a late request for stage 2');
  const reason = reasonOf(body, 'lateReason', 'the resident’s reason for asking late');
  const record = await caseFor({ store: deps.store }, staff, reference);
  if (record.openTask?.name !== 'late-stage-2-request') {
    throw new ValidationError({
      lateReason:
        record.openTask?.name === 'stage-2-request'
          ? 'The time to ask for stage 2 has not ended: record the request for a review instead'
          : 'This case is not waiting for a late request for stage 2',
    });
  }
  const validation = validateTaskForm('late-stage-2-request', { decision: 'accept-late', reason });
  if (!validation.ok) throw new ValidationError({ lateReason: Object.values(validation.errors)[0] ?? '' });
  return decideOnTask(deps, record, 'late-stage-2-request', 'accept-late', validation.submission.values, {
    actor: staff.email,
    channel: 'workspace',
  });
}

/** A review date from the form's day, month and year, checked against today. */
function reviewDateOf(body: Record<string, unknown>, today: string): string {
  const read = readDateFields(
    body,
    { day: 'reviewDay', month: 'reviewMonth', year: 'reviewYear' },
    'review date',
  );
  if (read.ok === 'absent') {
    throw new ValidationError({ reviewDate: 'Enter the review date, for example 27 9 2026' });
  }
  if (read.ok === false) throw new ValidationError({ reviewDate: read.error });
  const date = read.date;
  if (date <= today) throw new ValidationError({ reviewDate: 'The review date must be in the future' });
  if (date > addMonths(today, MAX_REVIEW_MONTHS)) {
    throw new ValidationError({
      reviewDate: `The review date must be within ${MAX_REVIEW_MONTHS} months: a designation is not for ever`,
    });
  }
  return date;
}

/**
 * The nominated officer designates the complainant unreasonably persistent, with reasons, the
 * restrictions that apply and a review date, and the complainant is told by the letter the
 * procedure requires. While it stands, their new contact goes to the nominated officer
 * (`complainantDesignated`, read by intake). When the case waits for the nominated officer's
 * decision (an officer referred it), this is that decision, as the emailed link would take it,
 * and the workflow sends the letter and closes the case; otherwise the letter goes from here.
 */
export async function designateVexatious(
  deps: CaseLifeDeps,
  staff: StaffMember,
  reference: string,
  body: Record<string, unknown>,
): Promise<void> {
  if (!canDesignate(staff)) throw new ActionForbiddenError('designate a complainant');
  const record = await caseFor({ store: deps.store }, staff, reference);
  if (record.designation?.letterOwed && record.designation.liftedAt === undefined) {
    // Designated already, its letter not sent (the email service did not answer): sent now,
    // whatever the form says; the designation is not recorded again.
    await tellDesignated(deps, record, staff.email);
    return;
  }
  const errors: Record<string, string> = {};
  const collect = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (error: unknown) {
      if (!(error instanceof ValidationError)) throw error;
      Object.assign(errors, error.fields);
      return undefined;
    }
  };
  const reason = collect(() => reasonOf(body, 'designationReason', 'the reasons for your decision'));
  const chosen = restrictionsPosted(body.restrictions);
  const restrictions = (Object.keys(RESTRICTIONS) as Restriction[]).filter((r) => chosen.includes(r));
  if (restrictions.length !== chosen.length) errors.restrictions = 'Choose restrictions from the list';
  const today = londonDate(deps.now().toISOString());
  const reviewBy = collect(() => reviewDateOf(body, today));
  if (Object.keys(errors).length) throw new ValidationError(errors);
  if (record.anonymous) {
    throw new ValidationError({ designationReason: 'An anonymous complainant cannot be designated' });
  }
  if (record.designation && record.designation.liftedAt === undefined) {
    throw new ValidationError({
      designationReason: 'The complainant is already designated: review the designation instead',
    });
  }
  const now = deps.now().toISOString();
  const designation: Designation = {
    at: now,
    by: staff.email,
    reason: reason as string,
    // Keys, worded in the resident's language when the letter is written (`restrictionText`).
    restrictions,
    reviewBy: reviewBy as string,
  };
  const designate =
    (letterOwed: boolean): ActionWithDecision =>
    (c) => {
      // Checked again on the case as it is now: a second click must not designate (and write) twice.
      if (c.designation && c.designation.liftedAt === undefined) {
        throw new ValidationError({
          designationReason: 'The complainant is already designated: review the designation instead',
        });
      }
      return {
        set: {
          designation: letterOwed ? { ...designation, letterOwed: true } : designation,
          vexatious: true,
        },
        event: {
          at: now,
          type: 'designated-vexatious',
          actor: staff.email,
          detail: { restrictions, reviewBy },
        },
      };
    };
  if (record.openTask?.name === 'vexatious-decision') {
    // The designation and the decision in one write: an emailed decision on the same task lands
    // before it (and the officer is told someone acted) or after it (and finds the task done),
    // never between, where the workflow would be told the opposite of what the case records.
    await decideOnTask(
      deps,
      record,
      'vexatious-decision',
      'designate',
      { reason: reason as string },
      { actor: staff.email, channel: 'workspace' },
      // The workflow sends the letter when it is told the decision.
      designate(false),
    );
    return;
  }
  const designated = await change(deps, record.caseId, (c) => {
    // A referral that arrived since the case was read: acting again, the officer designates
    // as the decision on it, rather than beside a task the emailed link could still decide.
    // A decision on the referral not yet passed to the workflow (Step Functions did not answer)
    // is the nominated officer's word on it: no designation beside a "do not designate".
    if (c.openTask?.name === 'vexatious-decision' || c.pendingDecision?.task === 'vexatious-decision') {
      throw new ConcurrentActionError();
    }
    return designate(true)(c);
  });
  await tellDesignated(deps, designated, staff.email);
}

/**
 * Sends the designated complainant the decision letter a workspace designation owes them (see
 * `Designation.letterOwed`). The email service not answering leaves it owed, and the officer is
 * told so (a `PartlyDoneError`): the designation itself is recorded. An email that may have gone
 * (the service took it and did not say so) is not sent again until SES has had time to confirm.
 */
async function tellDesignated(deps: CaseLifeDeps, record: CaseRecord, actor: string): Promise<void> {
  try {
    await tellResident(deps, record, 'vexatious-decision', actor);
  } catch (error: unknown) {
    const unavailable = httpErrorOf(error) instanceof DependencyUnavailableError;
    if (unavailable && wantsPost(record)) {
      // A printed letter is written again safely (the same file, one entry on the list).
      throw new PartlyDoneError(
        'The designation is recorded, but the letter to the complainant could not be written for printing just now. Send it from this page in a minute: the designation will not be recorded twice.',
        error,
      );
    }
    if (unavailable && actedOnNothing(error)) {
      throw new PartlyDoneError(
        'The designation is recorded, but the letter telling the complainant could not be sent just now: nothing was sent. Send it from this page in a minute: the designation will not be recorded twice.',
        error,
      );
    }
    if (unavailable || error instanceof EffectUnconfirmedError) {
      // The service may have taken it: sent again only once SES has had time to say it did.
      throw new PartlyDoneError(
        'The designation is recorded. The letter may have been sent (the email service did not confirm it), so it has not been sent again. Look at this page again in 10 minutes: if the letter is still owed, send it then.',
        error,
      );
    }
    throw error;
  }
}

/**
 * The review of a designation that has come due (or earlier): kept, with the next review date,
 * or lifted, after which the complainant's new contact is handled as anyone's again.
 */
export async function reviewDesignation(
  deps: CaseLifeDeps,
  staff: StaffMember,
  reference: string,
  body: Record<string, unknown>,
): Promise<'kept' | 'lifted'> {
  if (!canDesignate(staff)) throw new ActionForbiddenError('review a designation');
  const outcome =
    body.reviewOutcome === 'lift' ? 'lifted' : body.reviewOutcome === 'keep' ? 'kept' : undefined;
  if (!outcome)
    throw new ValidationError({ reviewOutcome: 'Choose whether to keep or lift the designation' });
  const reason = reasonOf(body, 'reviewReason', 'the reasons for your decision');
  const today = londonDate(deps.now().toISOString());
  const nextReview = outcome === 'kept' ? reviewDateOf(body, today) : undefined;
  const record = await caseFor({ store: deps.store }, staff, reference);
  const current = record.designation;
  if (!current || current.liftedAt !== undefined) {
    throw new ValidationError({ reviewOutcome: 'The complainant is not designated on this case' });
  }
  const now = deps.now().toISOString();
  const review = { at: now, by: staff.email, outcome, reason } as const;
  // Once per page: the review sent again (a double click without script, the back button) is not
  // a second review of the designation.
  await doneOnce(() =>
    change(deps, record.caseId, (c) => {
      // Checked again on the case as it is now: a review made beside another that lifted the
      // designation records nothing on the lifted one.
      const d = c.designation;
      if (!d || d.liftedAt !== undefined) throw new ConcurrentActionError();
      const reviewed: Designation = {
        ...d,
        reviews: [...(d.reviews ?? []), review],
        ...(nextReview ? { reviewBy: nextReview } : { liftedAt: now }),
      };
      return {
        set: { designation: reviewed, ...(outcome === 'lifted' ? { vexatious: false } : {}) },
        event: {
          at: now,
          type: outcome === 'lifted' ? 'designation-lifted' : 'designation-kept',
          actor: staff.email,
          detail: nextReview ? { reviewBy: nextReview } : {},
        },
        ...onceFor('designation-review', body.formId),
      };
    }),
  );
  return outcome;
}

/**
 * Sends the resident a letter from the workspace: by email, or, for a resident without email or
 * who asked for post, as a printed letter stored with the case and put on the list of letters to
 * print and post (the same rendering as the workflow's letters). Nobody to write to (anonymous):
 * recorded, nothing sent.
 *
 * Once per designation, as a workflow step's effect is once per entry into its state (`once`):
 * two clicks at the same moment, or a click after a send whose record was lost, send one letter.
 */
async function tellResident(
  deps: CaseLifeDeps,
  record: CaseRecord,
  template: 'vexatious-decision',
  actor: string,
): Promise<void> {
  const at = deps.now();
  if (record.anonymous) return;
  const designated = record.designation?.at ?? at.toISOString();
  // The outbox slot of this designation's letter: named by the designation, not by the click.
  const step = {
    execution: `workspace:${template}-${Date.parse(designated)}`,
    state: 'Send the decision letter',
    enteredAt: designated,
  };
  const effects = {
    store: deps.store,
    now: deps.now,
    ...(deps.timeScale === undefined ? {} : { timeScale: deps.timeScale }),
    ...(deps.sesWordWithinMs === undefined ? {} : { sesWordWithinMs: deps.sesWordWithinMs }),
  };
  // The write recording the letter is the one that stops it being owed.
  const paid = (c: CaseRecord): Partial<CaseRecord> => {
    if (!c.designation?.letterOwed) return {};
    const { letterOwed: _paid, ...designation } = c.designation;
    return { designation };
  };
  if (wantsPost(record)) {
    // What the letter is rendered from, for its history (`LetterSource`): kept off the outbox's
    // record on the case, which every later write of the case carries.
    let source: LetterSource | undefined;
    await once(effects, record, step, {
      // Safe to repeat: the same name again, named by the effect.
      perform: async (fresh, key) => {
        const letter = await renderLetter(deps.policy, fresh, template, {}, at);
        source = letter.source;
        const name = `${letter.template}-${key}`;
        const { key: objectKey } = await deps.archive.putLetter(fresh.caseId, name, letter.pdf);
        return {
          letter: name,
          template: letter.template,
          title: letter.title,
          key: objectKey,
          ...(letter.unprintable ? { unprintable: letter.unprintable } : {}),
        };
      },
      record: (fresh, r) => ({
        set: {
          lettersToPost: withLetterToPost(fresh, String(r.letter), String(r.title), at, r.unprintable),
          ...paid(fresh),
        },
        event: {
          at: at.toISOString(),
          type: 'letter-written',
          actor,
          detail: {
            template: r.template,
            letter: r.letter,
            key: r.key,
            ...(r.unprintable ? { unprintable: r.unprintable } : {}),
            ...(source ? { source } : {}),
          },
        },
      }),
    });
    return;
  }
  await once(effects, record, step, {
    ...emailEffect(deps, template, [record.complainant.email as string]),
    record: (fresh) => ({
      set: paid(fresh),
      event: { at: at.toISOString(), type: 'email-sent', actor, detail: { template, audience: 'resident' } },
    }),
  });
}

/** Page size of the workspace's work lists. */
export const WORK_LIST_PAGE = 25;

/** One page of the letters waiting to be printed and posted, oldest first. */
export async function lettersToPost(
  deps: CaseLifeDeps,
  staff: StaffMember,
  cursor?: string,
): Promise<{ entries: WorkListEntry[]; next?: string }> {
  if (!canPostLetters(staff)) throw new ActionForbiddenError('see the letters to post');
  return deps.store.workList('post', { limit: WORK_LIST_PAGE, ...(cursor ? { cursor } : {}) });
}

/** The designations whose review date has come, earliest first (for the nominated officer). */
export async function designationsDue(deps: CaseLifeDeps, staff: StaffMember): Promise<WorkListEntry[]> {
  if (!staff.roles.some((r) => r !== 'officer')) return [];
  const today = londonDate(deps.now().toISOString());
  return (await deps.store.workList('review', { limit: WORK_LIST_PAGE, dueBy: today })).entries;
}

/**
 * A printed letter of a case this person may see, as the PDF stored with it. The letter holds the
 * resident's name and address, so opening it is a view of the case, recorded like any other.
 */
export async function letterPdf(
  deps: CaseLifeDeps,
  staff: StaffMember,
  reference: string,
  letter: string,
): Promise<{ record: CaseRecord; pdf: Uint8Array }> {
  if (!/^[\w-]{1,120}$/.test(letter)) throw new HttpError(404, 'There is no such letter');
  const record = await caseFor({ store: deps.store }, staff, reference);
  const events = await deps.store.events(record.caseId);
  const written = events.some((e) => e.type === 'letter-written' && e.detail?.letter === letter);
  // A letter written again before it was posted (to a corrected address, or with a later date) is
  // not to be printed: its PDF is offered no more, lest it be posted (`readdressed-letters.ts`).
  const replaced = written ? replacementOf(events, letter) : undefined;
  if (replaced) throw new HttpError(410, notToBePosted(replaced));
  const pdf = written ? await deps.archive.getLetter(record.caseId, letter) : undefined;
  if (!pdf) throw new HttpError(404, 'There is no such letter');
  await deps.store.appendEvent(record.caseId, {
    at: deps.now().toISOString(),
    type: 'viewed',
    actor: staff.email,
    detail: { what: `printed letter ${letter}` },
  });
  return { record, pdf };
}

/** Why a letter written again is not to be posted, from its replacement's `letter-written` detail. */
export function notToBePosted(replacement: Record<string, unknown>): string {
  return replacement.because === 'date'
    ? 'This letter is not to be posted: it was written again with a later date. Print the new one from the list of letters to post.'
    : 'This letter is not to be posted: it was written again to the corrected address. Print the new one from the list of letters to post.';
}

/** Marks a printed letter as posted: off the list, and on the case's history with who and when. */
export async function markLetterPosted(
  deps: CaseLifeDeps,
  staff: StaffMember,
  reference: string,
  letter: unknown,
): Promise<void> {
  if (!canPostLetters(staff)) throw new ActionForbiddenError('mark letters as posted');
  const record = await caseFor({ store: deps.store }, staff, reference);
  const at = deps.now().toISOString();
  await change(deps, record.caseId, async (c) => {
    // Checked on the case as it is now: two people marking the same letter record it once.
    const waiting = (c.lettersToPost ?? []).find((l) => l.letter === letter);
    // Printed before the resident's name or address was corrected, and written again since: the
    // copy printed is addressed to where they no longer are (`readdressed-letters.ts`).
    const replacement = waiting
      ? undefined
      : (await deps.store.events(c.caseId)).find(
          (e) =>
            e.type === 'letter-written' && e.detail?.replaces === letter && e.detail?.because === 'address',
        );
    if (replacement) {
      throw new HttpError(
        409,
        `The resident’s name or address was corrected at ${formatDateTime(replacement.at)}, after this letter was written, so it has been written again to the corrected address. Do not post a copy printed before then: print the new one from the list of letters to post.`,
      );
    }
    if (!waiting) {
      throw new HttpError(409, 'This letter is not waiting to be posted: someone may have marked it already');
    }
    return {
      set: { lettersToPost: (c.lettersToPost ?? []).filter((l) => l.letter !== waiting.letter) },
      event: {
        at,
        type: 'letter-posted',
        actor: staff.email,
        detail: { letter: waiting.letter, title: waiting.title },
      },
    };
  });
}
