import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { CaseEvent, CaseRecord, PendingDecision } from '../domain/case.js';
import { stageClocksOf } from '../domain/case-stage.js';
import {
  applyDecision,
  applyRecording,
  type DecisionInput,
  extensionCannotReachTold,
  extensionRoom,
} from '../domain/decisions.js';
import {
  ConcurrentActionError,
  DecisionRefusedError,
  FormTokenInvalidError,
  LinkExpiredError,
  LinkedCaseNotFoundError,
  LinkInvalidError,
  TaskAlreadyDoneError,
  TaskFormInvalidError,
  TaskNotOpenYetError,
  TaskOpeningAgainError,
  TaskPassedOnError,
} from '../domain/errors.js';
import { caseLanguage } from '../domain/language.js';
import { formToken, type LinkClaims, LinkVerificationError, verifyLink } from '../domain/links.js';
import type { Policy } from '../domain/policy-schema.js';
import { groundLabelIn } from '../domain/policy-welsh.js';
import {
  AlreadyDoneError,
  type CaseChange,
  type CaseStore,
  ConcurrentUpdateError,
  type WorkflowEngine,
} from '../domain/ports.js';
import { isCouncilAddress } from '../domain/staff.js';
import { isOutOfTime } from '../domain/time-limit.js';
import { isDecisionOf, isTaskName, type TaskName } from '../domain/workflow-names.js';
import { FORM_ID } from '../web/form-token.js';
import { deliverDecision } from './decision-delivery.js';
import { validateTaskForm } from './task-form-schema.js';
import { PAUSE_KIND_LABELS, TASK_FORMS, type TaskFormOptions } from './task-forms.js';

/**
 * What an officer (or a resident asking for stage 2) does through an emailed link. GET shows
 * the task and never changes anything (mail scanners fetch links); POST acts once: the case is
 * updated with a conditional write (so two people acting at once cannot both win) and only
 * then is the workflow told, with the token stored on the case — never one from the link.
 *
 * Problems are thrown as the errors of `domain/errors.ts`; the HTTP layer decides the status
 * and the page for each.
 */
export interface TaskDeps {
  store: CaseStore;
  workflows: WorkflowEngine;
  policy: Policy;
  now: () => Date;
  /** Current and previous link secrets (rotation keeps old links working until they expire). */
  linkSecrets: () => Promise<string[]>;
  /** The staff directory: with the policy's routing table, everyone a case may be handed to. */
  staffDirectory?: () => Promise<readonly { email: string }[]>;
}

export interface OpenedTask {
  claims: LinkClaims;
  record: CaseRecord;
  task: TaskName;
  /** Token for the form, bound to this link (CSRF). */
  csrf: string;
}

/**
 * Verifies a link and finds its open task. Throws `LinkInvalidError`, `LinkExpiredError`,
 * `LinkedCaseNotFoundError`, `TaskAlreadyDoneError` (with who did it and when, when known) or
 * `TaskPassedOnError`.
 */
export async function openTask(deps: TaskDeps, token: string): Promise<OpenedTask> {
  return openedFrom(deps, token, await linkedCase(deps, token));
}

/** `openTask` for a link already verified and its case read (`linkedCase`). */
async function openedFrom(
  deps: TaskDeps,
  token: string,
  { claims, record, secrets }: Awaited<ReturnType<typeof linkedCase>>,
): Promise<OpenedTask> {
  try {
    return await openedSoon(deps, record, claims, token, secrets);
  } catch (error: unknown) {
    // Only looked at: nothing was sent through it.
    if (error instanceof TaskOpeningAgainError) throw new TaskOpeningAgainError({ sent: false });
    throw error;
  }
}

/**
 * The link's task, looked at again shortly when it is not open yet: followed the moment its email
 * arrived, before the workflow opened the task, or while the workflow opens it again after its last
 * decision (an extension). It is usually open a fraction of a second later, so look again before
 * saying so.
 */
async function openedSoon(
  deps: TaskDeps,
  record: CaseRecord,
  claims: LinkClaims,
  token: string,
  secrets: string[],
): Promise<OpenedTask> {
  for (let attempt = 1, c = record; ; attempt++) {
    try {
      return await openedOn(deps, c, claims, token, secrets);
    } catch (error: unknown) {
      // A task open again under a new link will not open under this one: no need to look again.
      const notYet =
        error instanceof TaskNotOpenYetError ||
        (error instanceof TaskOpeningAgainError && c.openTask === undefined);
      if (!notYet || attempt >= NOT_OPEN_YET_LOOKS) throw error;
      await new Promise((resolve) => setTimeout(resolve, NOT_OPEN_YET_PAUSE_MS));
      c = (await deps.store.get(c.caseId)) ?? c;
    }
  }
}

/** How often, and how far apart, a link whose task has not opened yet is looked at again. */
const NOT_OPEN_YET_LOOKS = 4;
const NOT_OPEN_YET_PAUSE_MS = 300;

/**
 * What a request for a review found refused as already done said that the one recorded does not
 * (a review asked for from the emailed link and from this page at once, with other words): the
 * resident's words, to give back to them, never dropped without a word. Undefined when no request
 * is recorded, or when this one said nothing more (the same form sent again): answered as before.
 */
export function requestNotAdded(
  record: CaseRecord,
  body: Record<string, unknown>,
): { words: string } | undefined {
  const recorded = record.progress.stage2;
  if (recorded === undefined) return undefined;
  const words = typeof body.response === 'string' ? body.response.trim() : '';
  const ground = typeof body.grounds === 'string' ? body.grounds : '';
  const newWords = words !== '' && words !== (recorded.groundsText ?? '').trim();
  const newGround = ground !== '' && !(recorded.grounds ?? []).includes(ground);
  return newWords || newGround ? { words } : undefined;
}

/**
 * A resident's request for a review posted through their emailed link after one was recorded
 * (from "Check your complaint" a moment before) that said more than it: the case and what they
 * wrote, for the page that tells them it was not added. Undefined for any other link or post.
 */
export async function linkRequestNotAdded(
  deps: TaskDeps,
  token: string,
  body: Record<string, unknown>,
): Promise<{ record: CaseRecord; words: string } | undefined> {
  const { claims, record } = await linkedCase(deps, token);
  if (claims.a !== 'stage-2-request' || claims.o !== 'resident') return undefined;
  const notAdded = requestNotAdded(record, body);
  return notAdded ? { record, ...notAdded } : undefined;
}

/** The case a link names, after checking its signature and expiry. */
async function linkedCase(
  deps: TaskDeps,
  token: string,
): Promise<{ claims: LinkClaims; record: CaseRecord; secrets: string[] }> {
  const secrets = await deps.linkSecrets();
  let claims: LinkClaims;
  try {
    claims = verifyLink(token, secrets, deps.now());
  } catch (error: unknown) {
    if (error instanceof LinkVerificationError && error.reason === 'expired') throw new LinkExpiredError();
    throw new LinkInvalidError();
  }
  const record = await deps.store.get(claims.c);
  if (!record) throw new LinkedCaseNotFoundError();
  return { claims, record, secrets };
}

/** The task the link opens on this case, if it is still open and still this officer's. */
async function openedOn(
  deps: TaskDeps,
  record: CaseRecord,
  claims: LinkClaims,
  token: string,
  secrets: string[],
): Promise<OpenedTask> {
  const open = record.openTask;
  if (!open || open.taskId !== claims.t || open.name !== claims.a) {
    const events = await deps.store.events(record.caseId);
    const done = events.findLast((e) => e.type === 'task-done' && e.detail?.taskId === claims.t);
    // Nothing in the history names the task (opened, emailed, done) and the case is open: the
    // link came in an email sent just before its task opens (the stage-2 link in the response).
    if (!done && record.status !== 'closed' && !events.some((e) => e.detail?.taskId === claims.t)) {
      throw new TaskNotOpenYetError();
    }
    if (!done) throw new TaskAlreadyDoneError({});
    if (opensAgainAfter(record, claims, events, done)) throw new TaskOpeningAgainError();
    // A resident is told when, not which member of staff took their request (by phone, say).
    throw new TaskAlreadyDoneError(
      claims.o === 'resident' ? { doneAt: done.at } : { doneBy: done.actor, doneAt: done.at },
    );
  }
  if (open.officer.toLowerCase() !== claims.o) {
    // Reassigned since the link was sent: the old link no longer acts.
    throw new TaskPassedOnError();
  }
  if (!isTaskName(claims.a)) throw new LinkInvalidError();
  return { claims, record, task: claims.a, csrf: formToken(token, secrets[0] as string) };
}

/**
 * Decisions after which the workflow enters the same task again: an extension tells the resident
 * the new date (a letter, which waits for SES's word), then opens the response task again, under a
 * new id whose link is emailed to the officer.
 */
const OPENS_AGAIN_AFTER: Partial<Record<string, readonly string[]>> = { respond: ['extend'] };

/**
 * The link's task's last decision (`done`) is one after which the workflow opens the task again,
 * and it is not open under this link's id: being opened again, or open under a new link on its
 * way to the officer, and not yet decided under it. This link cannot take the decision, and saying
 * the task is done would have the officer think a response sent through it went.
 */
function opensAgainAfter(
  record: CaseRecord,
  claims: LinkClaims,
  events: CaseEvent[],
  done: CaseEvent,
): boolean {
  const decision = done.detail?.decision;
  if (typeof decision !== 'string' || !(OPENS_AGAIN_AFTER[claims.a]?.includes(decision) ?? false))
    return false;
  if (record.status === 'closed') return false;
  const open = record.openTask;
  if (open !== undefined && (open.name !== claims.a || open.officer.toLowerCase() !== claims.o)) return false;
  // Decided since under its new link: done, as the page says.
  const since = events.slice(events.indexOf(done) + 1);
  return !since.some((e) => e.type === 'task-done' && e.detail?.task === claims.a);
}

/** The result of a POST: what to tell the officer. */
export interface TaskOutcome {
  message: string;
  reference: string;
}

/** What `GET /tasks/{token}/done` shows: the outcome of this link's decision, read from the case. */
export interface TaskDoneView extends TaskOutcome {
  record: CaseRecord;
  task: string;
  decision?: string;
  /** The task is still open (a conversation recorded): the page links back to it. */
  stillOpen: boolean;
}

/**
 * The outcome of the decision taken through this link, for the page a POST redirects to
 * (Post/Redirect/Get): the link's signature and expiry are checked as for the task itself, and
 * the outcome is read from the case's history (never from the address), only when it was taken
 * by the person the link was sent to. Undefined when nothing has been done through this link.
 */
export async function taskOutcome(deps: TaskDeps, token: string): Promise<TaskDoneView | undefined> {
  const { claims, record } = await linkedCase(deps, token);
  const mine = (actor: unknown) => String(actor).toLowerCase() === claims.o;
  const events = await deps.store.events(record.caseId);
  // A delivered decision is this link's when its officer decided it, whoever then handed it to
  // the workflow: the workflow's next step may settle it before the link's own request does.
  const decider = decidedBy(events, claims.t);
  const event = [...events]
    .reverse()
    .find(
      (e) =>
        e.detail?.taskId === claims.t &&
        typeof e.detail.message === 'string' &&
        (e.type === 'decision-delivered' ? mine(decider) : e.detail.recorded === true && mine(e.actor)),
    );
  if (!event) {
    // A decision kept on the case for the workflow, whose wait was over when it was handed over
    // (`deliverDecision`): taken, and shown as such, before the workflow settles it.
    const pending = record.pendingDecision;
    if (pending?.taskId !== claims.t || !mine(pending.officer)) return undefined;
    return {
      record,
      task: claims.a,
      message: pending.message,
      reference: record.reference,
      decision: pending.decision,
      stillOpen: false,
    };
  }
  return {
    record,
    task: claims.a,
    message: String(event.detail?.message),
    reference: record.reference,
    ...(typeof event.detail?.decision === 'string' ? { decision: event.detail.decision } : {}),
    stillOpen: record.openTask?.taskId === claims.t && event.type !== 'decision-delivered',
  };
}

/**
 * Acts on a task. Bad input → `TaskFormInvalidError`, a decision its rule refuses →
 * `DecisionRefusedError` (the page is shown again with the errors); a race lost to another
 * officer → `ConcurrentActionError`; a form without its link's token → `FormTokenInvalidError`.
 */
export async function actOnTask(
  deps: TaskDeps,
  token: string,
  body: Record<string, unknown>,
): Promise<TaskOutcome> {
  const { claims, record, secrets } = await linkedCase(deps, token);
  const csrfOk = secrets.some((s) => formToken(token, s) === body.csrf);
  if (!csrfOk) throw new FormTokenInvalidError();
  const answers = answersDigest(body);
  const earlier = await earlierDecision(deps, record, claims, body.decision, answers);
  if (earlier) return earlier;
  // A task being opened again after its last decision (an extension) is waited for a moment; still
  // not open, nothing is recorded and the officer is told so (`TaskOpeningAgainError`).
  const { task, record: now } = await openedSoon(deps, record, claims, token, secrets);
  try {
    return await decideThroughLink(deps, now, task, body, answers);
  } catch (error: unknown) {
    if (!(error instanceof ConcurrentActionError)) throw error;
    // Lost to the same form sent at the same moment (a double click without script): the first's
    // decision, answered as the first was. Anyone else's stays "someone else acted".
    const first = await sameFormFirst(deps, claims, body, answers);
    if (first) return first;
    throw error;
  }
}

/**
 * What the write that won over this link's post recorded, when it was this link's own same
 * decision: taken with the same answers (as `earlierDecision` knows a decision sent again), or,
 * for one the task stays open after (a conversation recorded), sent from the same page (its
 * one-off id). Undefined for anything else, which the officer is told was someone else's doing.
 */
async function sameFormFirst(
  deps: TaskDeps,
  claims: LinkClaims,
  body: Record<string, unknown>,
  answers: string,
): Promise<TaskOutcome | undefined> {
  const record = await deps.store.get(claims.c);
  if (!record) return undefined;
  const earlier = await earlierDecision(deps, record, claims, body.decision, answers);
  if (earlier) return earlier;
  const formId = formIdIn(body);
  if (formId === undefined) return undefined;
  const recorded = (await deps.store.events(record.caseId)).findLast(
    (e) =>
      e.detail?.recorded === true &&
      e.detail.taskId === claims.t &&
      e.detail.decision === body.decision &&
      e.detail.formId === formId &&
      String(e.actor).toLowerCase() === claims.o,
  );
  return recorded ? { message: String(recorded.detail?.message), reference: record.reference } : undefined;
}

/** The page's one-off id as its form sent it, when it is one. */
function formIdIn(body: Record<string, unknown>): string | undefined {
  return typeof body.formId === 'string' && FORM_ID.test(body.formId) ? body.formId : undefined;
}

/** The decision posted through a link on its task, open on `record`. */
async function decideThroughLink(
  deps: TaskDeps,
  record: CaseRecord,
  task: TaskName,
  body: Record<string, unknown>,
  answers: string,
): Promise<TaskOutcome> {
  const decided = body.decision;
  const ofTheForm = TASK_FORMS[task].decisions.some((d) => d.value === decided);
  if (typeof decided === 'string' && ofTheForm && !offersDecision(deps.policy, record, task, decided)) {
    // Posted by hand, or from a page of before: a decision of the task the case is past (a
    // first-contact resolution at stage 2) is refused as such, not as a form left unanswered.
    throw new DecisionRefusedError({ decision: NOT_ON_THIS_CASE });
  }
  const validation = validateTaskForm(task, body, formOptions(deps.policy, record, task));
  if (!validation.ok) throw new TaskFormInvalidError(validation.errors);
  const { decision, values } = validation.submission;
  const open = record.openTask as NonNullable<CaseRecord['openTask']>;
  const formId = formIdIn(body);
  return decideOnTask(deps, record, task, decision, values, {
    actor: open.officer,
    channel: 'link',
    detail: { answers },
    ...(formId === undefined ? {} : { formId }),
  });
}

/**
 * What an officer posted through a link, as a digest kept with the decision (every field but the
 * form token, in name order): the same form sent again (a double click, a retry after a 503) has
 * the same one; the form corrected after Back and sent again has another.
 */
function answersDigest(body: Record<string, unknown>): string {
  // The page's one-off id is not an answer: the same answers sent from the page opened again (a
  // retry after a 503) are still the same decision.
  const fields = Object.entries(body)
    .filter(([name]) => name !== 'csrf' && name !== 'formId')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(fields)).digest('base64url');
}

/** Why a decision the task's form has elsewhere is refused on this case. */
const NOT_ON_THIS_CASE =
  'This task does not take that decision on this case. Choose one of the decisions shown';

/** Who takes a decision, and through what. */
type DecidedBy = {
  actor: string;
  channel: 'link' | 'workspace';
  detail?: Record<string, unknown>;
  /**
   * The one-off id of the page the form was sent from: what a decision records while the task
   * stays open (a conversation) is recorded once for it (`CaseChange.once`).
   */
  formId?: string;
};

/**
 * A workspace action that is also the decision on the case's open task (a designation that is
 * the nominated officer's decision on a referral, a move to another service that hands the
 * task to the new service's team): made on the case as it is at each attempt, where it may
 * refuse (already done by someone else), and written in the decision's own write.
 */
export type ActionWithDecision = (c: CaseRecord) => {
  set: NonNullable<CaseChange['set']>;
  event: NonNullable<CaseChange['event']>;
};

/** How often a decision is taken again on the case as it is now, after the workflow wrote to it first. */
const DECIDE_ATTEMPTS = 5;

/**
 * One decision on the case's open task, taken through an emailed link or in the staff workspace
 * (one use case for both): the change and the pending decision in one conditional write, then
 * the workflow told. A case is handed only to someone the council has (`isCouncilAddress`).
 * A workspace action the decision is part of (`action`) is in the same write: the two are
 * recorded together or not at all, so another decision on the task cannot land between them.
 *
 * The write is on the version read. When it loses to a write that left the task as it was (the
 * workflow recording that the task's email went, a reminder's timer), the decision is taken
 * again on the case as it is now: the officer did nothing wrong and is not told someone else
 * acted. Only a change to the task itself (done, decided, passed on) loses the officer the race.
 */
export async function decideOnTask(
  deps: TaskDeps,
  record: CaseRecord,
  task: TaskName,
  decision: string,
  values: DecisionInput['values'],
  by: DecidedBy,
  action?: ActionWithDecision,
): Promise<TaskOutcome> {
  for (let attempt = 1, current = record; ; attempt++) {
    try {
      return await decideOnce(deps, current, task, decision, values, by, action);
    } catch (error: unknown) {
      if (!(error instanceof ConcurrentActionError) || attempt >= DECIDE_ATTEMPTS) throw error;
      const now = await deps.store.get(current.caseId);
      if (!now || !sameTaskStillOpen(current, now)) throw error;
      current = now;
    }
  }
}

/**
 * The task decided on is still open to the same officer, and nobody has decided it: deciding it
 * removes the open task in the same write, and `onlyBookkeepingChanged` compares the open task
 * but its token.
 */
function sameTaskStillOpen(before: CaseRecord, now: CaseRecord): boolean {
  return before.openTask !== undefined && onlyBookkeepingChanged(before, now);
}

/**
 * What the workflow's own writes change while a task stays open: its email marked sent, the wait
 * entered again (a new token), a clock's or a reminder's record, an earlier task's decision
 * settled. Anything else changed (a note, a designation, the service, who has the case) is
 * someone acting on the case, and the officer is told so rather than deciding over it.
 */
const BOOKKEEPING: ReadonlySet<string> = new Set([
  'version',
  'updatedAt',
  'effects',
  'waits',
  'deadlines',
  'workflow',
  'lettersToPost',
  'postedToPrevious',
  'pendingDecision',
]);

function onlyBookkeepingChanged(before: CaseRecord, now: CaseRecord): boolean {
  const keys = new Set([...Object.keys(before), ...Object.keys(now)]) as Set<keyof CaseRecord>;
  for (const key of keys) {
    if (BOOKKEEPING.has(key)) continue;
    if (key === 'openTask') {
      // The same task, entered again: a new token, what it expects, when it was issued.
      const { taskToken: _a, expected: _b, issuedAt: _c, ...was } = before.openTask ?? {};
      const { taskToken: _d, expected: _e, issuedAt: _f, ...is } = now.openTask ?? {};
      if (!isDeepStrictEqual(was, is)) return false;
    } else if (!isDeepStrictEqual(before[key], now[key])) return false;
  }
  return true;
}

async function decideOnce(
  deps: TaskDeps,
  record: CaseRecord,
  task: TaskName,
  decision: string,
  values: DecisionInput['values'],
  by: DecidedBy,
  action?: ActionWithDecision,
): Promise<TaskOutcome> {
  const open = record.openTask;
  if (!open || open.name !== task) throw new TaskAlreadyDoneError();
  const acted = action?.(record);
  // The link's form offers only these; the workspace's actions decide for the officer, and a
  // decision the case's workflow does not branch on would be taken as the one it expects.
  if (!offersDecision(deps.policy, record, task, decision)) {
    throw new DecisionRefusedError({ decision: NOT_ON_THIS_CASE });
  }
  if (decision === 'reassign') {
    const to = typeof values.reassignTo === 'string' ? values.reassignTo : '';
    // The officer who has the task is the council's too (the rule itself refuses sending it back to them).
    const known = [...((await deps.staffDirectory?.()) ?? []), { email: open.officer }];
    if (!isCouncilAddress(to, deps.policy, known)) {
      throw new DecisionRefusedError({
        reassignTo: 'Choose a team or officer of the council: a case cannot be sent outside it',
      });
    }
  }
  const now = deps.now().toISOString();
  // The rule reads the case with the action applied: a "designate" keeps the designation the
  // workspace records (its restrictions and review date) rather than the default.
  const input: DecisionInput = {
    policy: deps.policy,
    record: acted ? { ...record, ...acted.set } : record,
    values,
    now,
    ...(by.channel === 'workspace' ? { by: by.actor } : {}),
    ...(task === 'vexatious-decision' && decision === 'do-not-designate' && record.complainant?.email
      ? { complainantDesignated: await deps.store.complainantDesignated(record.complainant.email) }
      : {}),
  };
  const channel = by.channel === 'link' ? 'link' : undefined;
  if (!isDecisionOf(task, decision)) {
    // Recorded on the case; the workflow is not told and the link keeps working.
    const recorded = applyRecording(task, decision, input);
    try {
      await updateFirst(deps, record, acted, {
        set: recorded.set,
        event: {
          at: now,
          type: recorded.event,
          actor: by.actor,
          ...(channel ? { channel } : {}),
          // The task id and the message let the link's "done" page show what was recorded; the
          // page's one-off id lets the same page's form, sent at the same moment, be answered so.
          detail: {
            task,
            taskId: open.taskId,
            decision,
            message: recorded.message,
            recorded: true,
            ...(by.formId === undefined ? {} : { formId: by.formId }),
          },
        },
        ...(by.formId === undefined ? {} : { once: `${task}:${decision}:${by.formId}` }),
      });
    } catch (error: unknown) {
      // The same page's form sent again (a double click without script, the back button): recorded
      // by the first, and answered as the first was.
      if (!(error instanceof AlreadyDoneError)) throw error;
    }
    return { message: recorded.message, reference: record.reference };
  }
  const effect = applyDecision(task, decision, input);
  const pending: PendingDecision = {
    task,
    taskId: open.taskId,
    decision,
    officer: by.actor,
    at: now,
    taskToken: open.taskToken,
    ...(open.expected !== undefined ? { expected: open.expected } : {}),
    message: effect.message,
  };
  await updateFirst(deps, record, acted, {
    set: { ...effect.set, pendingDecision: pending },
    remove: ['openTask'],
    event: {
      at: now,
      type: 'task-done',
      actor: by.actor,
      ...(channel ? { channel } : {}),
      detail: { task, taskId: open.taskId, decision, ...by.detail },
    },
  });
  await deliverDecision(deps, record, pending, open.taskToken, by.actor);
  return { message: effect.message, reference: record.reference };
}

/**
 * The same decision posted again through the same link: one not yet handed to the workflow is
 * handed over now (with the token the case holds now); one already handed over is answered as
 * the first time. A different decision after the first falls through to "already done", and so
 * does the same decision with other answers (a response corrected and sent again): the officer
 * is never told that words were sent which the resident will not get.
 */
async function earlierDecision(
  deps: TaskDeps,
  record: CaseRecord,
  claims: LinkClaims,
  decision: unknown,
  answers: string,
): Promise<TaskOutcome | undefined> {
  const pending = record.pendingDecision;
  const same = (taskId: unknown, officer: unknown, decided: unknown) =>
    taskId === claims.t && String(officer).toLowerCase() === claims.o && decided === decision;
  if (pending && same(pending.taskId, pending.officer, pending.decision)) {
    await handOverPending(deps, record, pending);
    if (!answeredAlike(await deps.store.events(record.caseId), claims.t, answers)) {
      throw new TaskAlreadyDoneError({ doneBy: pending.officer, doneAt: pending.at });
    }
    return { message: pending.message, reference: record.reference };
  }
  if (record.openTask?.taskId === claims.t) return undefined;
  const events = await deps.store.events(record.caseId);
  // A task id has one decision (an extension reopens the task under a new id, with a new link):
  // the latest, should there ever be more.
  const delivered = events.findLast((e) => e.type === 'decision-delivered' && e.detail?.taskId === claims.t);
  if (
    delivered &&
    same(delivered.detail?.taskId, decidedBy(events, claims.t), delivered.detail?.decision) &&
    answeredAlike(events, claims.t, answers)
  ) {
    return { message: String(delivered.detail?.message ?? ''), reference: record.reference };
  }
  return undefined;
}

/**
 * Hands the workflow a decision kept on the case: the wait open now may be a later entry than the
 * one decided on, so its token and what it expects. A token already taken (a double click, a
 * request that died after handing it over) is a decision recorded: `deliverDecision` answers it
 * so, never "could not move on"; a workflow still not answering throws
 * `DecisionNotYetDeliveredError` (the decision stays pending).
 */
async function handOverPending(deps: TaskDeps, record: CaseRecord, pending: PendingDecision): Promise<void> {
  const open = record.openTask?.name === pending.task ? record.openTask : undefined;
  const current = open ? { ...pending, expected: open.expected } : pending;
  await deliverDecision(deps, record, current, open?.taskToken ?? pending.taskToken, pending.officer);
}

/**
 * The link opened again after its decision was written on the case but not handed to the
 * workflow (Step Functions was not answering, or the write's answer was lost: the 503 told the
 * officer to use the same link again): the decision is handed over now, as posting it again would,
 * rather than the link saying the task is done while the workflow waits for it. Nothing new is
 * decided: it is the decision already taken on the case, whoever opens the link (a mail scanner's
 * fetch included), and a decision the workflow has already is not handed over twice. `finished`
 * when the decision was this link's officer's (the "done" page shows it); otherwise the task as
 * `openTask` finds it (no decision waiting, or someone else's, handed over all the same), from the
 * link and case read once when no decision waits, the commonest case of every GET of a link.
 */
export async function viewTask(
  deps: TaskDeps,
  token: string,
): Promise<{ finished: true } | { finished: false; opened: OpenedTask }> {
  const linked = await linkedCase(deps, token);
  const { claims, record } = linked;
  const pending = record.pendingDecision;
  // Usually no decision waits: the task, from the link and case just read.
  if (pending?.taskId !== claims.t) return { finished: false, opened: await openedFrom(deps, token, linked) };
  await handOverPending(deps, record, pending);
  if (String(pending.officer).toLowerCase() === claims.o) return { finished: true };
  // Someone else's decision, handed over just now: the case has moved on since it was read.
  return { finished: false, opened: await openTask(deps, token) };
}

/**
 * Whether the task's decision (its latest, should there ever be more: an extension reopens the
 * task under a new id, with a new link) was taken with these answers; one taken without a digest
 * (in the workspace, or before digests were kept) is taken as answered alike.
 */
function answeredAlike(events: CaseEvent[], taskId: string, answers: string): boolean {
  const kept = events.findLast((e) => e.type === 'task-done' && e.detail?.taskId === taskId)?.detail?.answers;
  return kept === undefined || kept === answers;
}

/** Who decided the task (its `task-done` event's actor), whoever then handed the decision to the workflow. */
function decidedBy(events: CaseEvent[], taskId: string): string | undefined {
  return events.find((e) => e.type === 'task-done' && e.detail?.taskId === taskId)?.actor;
}

/**
 * A conditional write on the version read with the link: someone else acting first loses us the
 * race. The workspace action the decision is part of, if any, is written with it, its event first.
 */
async function updateFirst(
  deps: TaskDeps,
  record: CaseRecord,
  acted: ReturnType<ActionWithDecision> | undefined,
  change: CaseChange,
): Promise<void> {
  const write = acted
    ? { ...change, set: { ...acted.set, ...change.set }, precedingEvent: acted.event }
    : change;
  try {
    await deps.store.update(record.caseId, record.version, write);
  } catch (error: unknown) {
    if (error instanceof ConcurrentUpdateError) throw new ConcurrentActionError({ cause: error });
    throw error;
  }
}

/**
 * Whether the task's form on this case offers `decision` (the workspace's reassign and service
 * change take it for the officer): a social care case's acknowledgement only acknowledges, and
 * its workflow takes whatever comes back as that.
 */
export function offersDecision(
  policy: Policy,
  record: CaseRecord,
  task: TaskName,
  decision: string,
): boolean {
  const allowed = formOptions(policy, record, task).allowed;
  return allowed === undefined || allowed.includes(decision);
}

/** Narrows a form to what the policy allows for this case (e.g. the extension cap). */
export function formOptions(policy: Policy, record: CaseRecord, task: TaskName): TaskFormOptions {
  // Our understanding of the complaint is required where the policy follows the Code.
  const understanding =
    policy.complaint.understandingAtAcknowledgement === 'optional' ? { optional: ['understanding'] } : {};
  // The social-care workflow has its own loop: acknowledging is all its first task does.
  if (task === 'acknowledge' && record.kind === 'social-care')
    return { allowed: ['acknowledge'], ...understanding };
  if (task === 'acknowledge') {
    // Refusing as out of time is offered only past the policy's time limit, and only at stage 1.
    if (record.stage === 1 && isOutOfTime(policy, record)) return { ...understanding };
    // At stage 2 the complaint was accepted at stage 1: it is reviewed, not judged again as "not
    // a complaint" (a refusal to escalate is the stage-2 decision's, where the policy has one),
    // nor resolved at first contact, which the stage-1 response is past.
    const notNow =
      record.stage === 2 ? ['refuse-out-of-time', 'not-a-complaint', 'resolve'] : ['refuse-out-of-time'];
    return {
      allowed: TASK_FORMS.acknowledge.decisions.map((d) => d.value).filter((d) => !notNow.includes(d)),
      ...understanding,
    };
  }
  if (task === 'stage-2-request') {
    const stage2 = policy.complaint.stage2;
    const grounds = stage2?.groundsRequired ? stage2.grounds : [];
    // The resident's own form: the grounds in the case's language (the policy's Welsh, else its English).
    const language = caseLanguage(record);
    return { choices: { grounds: grounds.map((g) => ({ value: g.id, label: groundLabelIn(g, language) })) } };
  }
  if (task === 'stage-2-decision' && policy.complaint.stage2?.groundsRequired) {
    // Dudley MBC Corporate Customer Feedback Procedure, June 2019, §4: accepted on the grounds
    // or refused; resolving first is South Norfolk Council Complaints Policy's step.
    return { allowed: ['accept', 'refuse'] };
  }
  if (task === 'social-care-plan' || task === 'social-care-review') {
    const cap = policy.socialCare?.maxAgreedWorkingDays;
    return cap ? { max: { agreedWorkingDays: cap } } : {};
  }
  if (task !== 'respond' || record.kind !== 'complaint') return {};
  const stage = stageClocksOf(policy, record);
  const room = extensionRoom(policy, record);
  const choices = {
    pauseKind: policy.complaint.pauseKinds.map((k) => ({ value: k, label: PAUSE_KIND_LABELS[k] })),
  };
  // The Code asks for reasons with an extension; a policy that does not makes them optional.
  const optional = stage?.extension.reasonsRequired === false ? { optional: ['reason'] } : {};
  // None left under the cap, or too few to reach the date a holding letter gave the resident.
  if (room.left <= 0 || extensionCannotReachTold(room)) {
    return {
      allowed: TASK_FORMS.respond.decisions.map((d) => d.value).filter((d) => d !== 'extend'),
      choices,
      ...optional,
    };
  }
  return { max: { extendDays: room.left }, choices, ...optional };
}
