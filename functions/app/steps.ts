import { actedOnNothing, TaskTokenInvalidError } from '../adapters/errors.js';
import {
  type CaseRecord,
  letterNames,
  type OpenTask,
  type PendingDecision,
  type StageProgress,
  wantsPost,
} from '../domain/case.js';
import {
  activeDeadlines,
  type ClockName,
  type ClockReading,
  deriveDeadlines,
  escalationsAfter,
  furtherHoldingLetterAt,
  holdingLetterAt,
  holdingLetterNewDate,
  holdingLetterPromise,
  readClock,
  sameDeadlines,
  waitStartsAt,
} from '../domain/case-clock.js';
import { stageProgress, withStageProgress } from '../domain/case-stage.js';
import { signLink } from '../domain/links.js';
import type { Policy } from '../domain/policy-schema.js';
import {
  type Archive,
  type ArchiveControl,
  type CaseChange,
  CaseNotFoundError,
  type CaseStore,
  type EvidenceStore,
  type WorkflowEngine,
} from '../domain/ports.js';
import { checkedReferralOf } from '../domain/referrals.js';
import { retentionClassFor } from '../domain/retention.js';
import type { IsoTimestamp } from '../domain/types.js';
import {
  CLOCK_ACTS,
  type ClockAct,
  isWaitTask,
  routeErrorName,
  type TaskName,
  type Transition,
  type WaitExit,
  type WaitTask,
  type WorkflowName,
} from '../domain/workflow-names.js';
import { isRetryable } from '../http/errors.js';
import type { EmailTemplate } from '../templates/render-email.js';
import { caseViewLink } from './case-links.js';
import { changeCase } from './case-writes.js';
import type { LetterSource } from './correspondence.js';
import {
  handDecisionTo,
  pendingFor,
  settleDecision,
  settleTaken,
  untakenDecision,
} from './decision-delivery.js';
import {
  EffectUnconfirmedError,
  effectKey,
  effectSlot,
  finishStarted,
  once,
  refuseIfSuperseded,
  STEP_RETRY_GAP_MS,
  type StepContext,
  withEntry,
} from './effects.js';
import { keptEvidenceKeys, retainEvidence } from './evidence-retention.js';
import { routeFlags } from './executions.js';
import { recipients, serviceOf, stage1Officer, stage2Officer, TASK_AUDIENCE } from './people.js';
import {
  addressedTo,
  currentLetter,
  givenBy,
  letterDates,
  letterEntry,
  PRINT_PART,
  withLetterToPost,
} from './posted-letters.js';
import type { StepEvent } from './step-events.js';

/**
 * The workflow's steps. Each is called by one small Lambda (`functions/handlers/*.ts`) with
 * `{ caseId, step, … }`: the execution carries ids and names, never personal data; the steps
 * read the case. Every step records what it did in the case's history, and does it once per
 * entry into its state however often it runs (`effects.ts`).
 */

/** Sends one templated email about a case; resolves to SES's message id. */
export type SendEmail = (
  c: CaseRecord,
  template: string,
  to: string[],
  extra?: Record<string, unknown>,
  /** `signal`: the step's time to hand SES the email (`SEND_LEASE_MS` in `effects.ts`). */
  options?: { effect?: string; signal?: AbortSignal },
) => Promise<{ messageId: string }>;

export interface StepDeps {
  store: CaseStore;
  archive: Archive;
  /** To hand a decision taken while the workflow was not listening straight back to it. */
  workflows: WorkflowEngine;
  policy: Policy;
  send: SendEmail;
  now: () => Date;
  /** Current link-signing secret. */
  linkSecret: () => Promise<string>;
  /** Public base URL of the API, for links in emails (no trailing slash). */
  baseUrl: string;
  /** Publishes the breached-deadline metric the operations alarm watches. */
  onBreach?: (c: CaseRecord, clock: string) => Promise<void>;
  /** Told when an email whose sending was never confirmed is sent again (it may be a duplicate). */
  onResend?: (caseId: string, key: string) => void;
  /** How many times faster than real time `now` runs, and how long SES's word takes (`confirmWindowMs`). */
  timeScale?: number;
  sesWordWithinMs?: number | undefined;
  /** The resident's evidence files, kept with the case file (read only when a case has any). */
  evidence?: EvidenceStore;
  /** Legal holds on the archive: a case held before it closed is archived held (`legal-hold.ts`). */
  control?: ArchiveControl;
}

/** How long officer links stay valid: long enough to outlive reminders and escalations. */
const OFFICER_LINK_DAYS = 120;

/** A wait entered again this close to its link's expiry sends the officer a fresh link. */
const REISSUE_LINK_WITHIN_DAYS = 35;

function linkRunningOut(deps: StepDeps, issuedAt: string): boolean {
  const expires = Date.parse(issuedAt) + OFFICER_LINK_DAYS * 86_400_000;
  return expires - deps.now().getTime() < REISSUE_LINK_WITHIN_DAYS * 86_400_000;
}

async function load(deps: StepDeps, caseId: string): Promise<CaseRecord> {
  const c = await deps.store.get(caseId);
  if (!c) throw new CaseNotFoundError(`case ${caseId} not found`);
  return c;
}

/** A change with deadlines re-derived, so the "open by deadline" index stays true. */
function withDeadlines(deps: StepDeps, c: CaseRecord, ch: CaseChange): CaseChange {
  const next = { ...c, ...ch.set } as CaseRecord;
  const deadlines = next.status === 'redirected' ? {} : deriveDeadlines(deps.policy, next);
  return { ...ch, set: { ...ch.set, deadlines } };
}

function event(
  deps: StepDeps,
  type: string,
  detail?: Record<string, unknown>,
): NonNullable<CaseChange['event']> {
  return {
    at: deps.now().toISOString(),
    type,
    actor: 'workflow',
    channel: 'workflow',
    ...(detail ? { detail } : {}),
  };
}

/** The effects of a step on one case, once per entry into its state. */
function effects(deps: StepDeps) {
  return {
    store: deps.store,
    now: deps.now,
    ...(deps.onResend ? { onResend: deps.onResend } : {}),
    // Retried by the workflow's policy, never more than five minutes apart.
    askedAgainWithinMs: STEP_RETRY_GAP_MS,
    ...(deps.timeScale === undefined ? {} : { timeScale: deps.timeScale }),
    ...(deps.sesWordWithinMs === undefined ? {} : { sesWordWithinMs: deps.sesWordWithinMs }),
  };
}

/**
 * Sends one email as an effect (`once`): tagged with the effect's key, confirmed from SES's Send
 * event if the step (or workspace action) died before recording it.
 */
export function emailEffect(
  deps: Pick<StepDeps, 'send' | 'store'>,
  template: EmailTemplate,
  to: string[],
  extra: (c: CaseRecord, key: string) => Promise<Record<string, unknown>> = async () => ({}),
) {
  return {
    perform: async (c: CaseRecord, key: string, lease?: AbortSignal) =>
      deps.send(c, template, to, await extra(c, key), { effect: key, ...(lease ? { signal: lease } : {}) }),
    confirm: (c: CaseRecord, key: string) => acceptedBySes(deps, c, key),
    actedOnNothing,
  };
}

/** SES's Send event for the email tagged with this key, as `mail-events.ts` recorded it. */
async function acceptedBySes(
  deps: Pick<StepDeps, 'store'>,
  c: CaseRecord,
  key: string,
): Promise<{ messageId: string } | undefined> {
  const accepted = (await deps.store.events(c.caseId)).find(
    (e) => e.type === 'email-accepted' && e.detail?.effect === key,
  );
  return accepted ? { messageId: String(accepted.detail?.messageId ?? '') } : undefined;
}

/**
 * Route: assign the case by the policy's routing table and tell the workflow how it is handled.
 * Given the execution's state, answers it whole: the route in `route`, and the last task decided
 * as "none" when no wait has run yet (a case sent back to routing by a decision keeps that
 * decision), which the waits and a fresh execution's resume read.
 */
export async function route(deps: StepDeps, e: StepEvent<'route'>) {
  const routed = await routeCase(deps, e);
  if (!e.state) return routed;
  const task = (e.state.task as { taskId?: string } | undefined) ?? { taskId: 'none' };
  const state = { ...e.state, caseId: e.caseId, route: routed, task };
  if (e.taskToken === undefined) return state;
  const lastTaskId = task.taskId ?? 'none';
  const elsewhere = routedElsewhere(state, lastTaskId, e.branches ?? []);
  if (elsewhere || !e.usual) {
    await answer(deps, e.taskToken, elsewhere, state);
    return state;
  }
  // The usual route's first state sends the receipt and reads the acknowledgement clock: done
  // here by that state's clock step, as parts of this state (`Route the case: receipt`), which
  // the case keeps while the execution is in it; under the other state's name, a retry of this
  // one would find them trimmed as past and send again.
  // As after the decision that sent the case back to routing, if one did ('handle-as-complaint'
  // from a referral's check): that decision is taken, not pending, for the clock read.
  const { state: _usualState, ...read } = e.usual;
  const reading = await readForWorkflow(deps, {
    ...read,
    caseId: e.caseId,
    step: e.step,
    executionStartedAt: e.executionStartedAt ?? e.step.enteredAt,
    route: routed,
    lastTaskId,
  });
  const { error, clock: answered } = clockAnswer({ caseId: e.caseId, ...read }, reading);
  await answer(deps, e.taskToken, error, { ...state, clock: answered });
  return { ...state, clock: answered };
}

/**
 * A routing state that is a callback hears where the case goes from its step, with no Choice
 * state after it (Step Functions bills each): the usual route as the task's success (undefined
 * here); a route the workflow branches on (`branches`) as a task failure named for it
 * (`Route.<route>`); a fresh execution resuming a case handed over (see
 * `continueInFreshExecution`) as `CaseResumedError`, only before any decision in this execution
 * (a case sent back to routing by one is routed). Each carries the execution's state.
 */
function routedElsewhere(
  state: Record<string, unknown> & { route: { route: string } },
  lastTaskId: string,
  branches: readonly string[],
): Error | undefined {
  if (typeof state.resumeAt === 'string' && lastTaskId === 'none') return new CaseResumedError('');
  if (!branches.includes(state.route.route)) return undefined;
  return Object.assign(new Error(`case ${String(state.caseId)}: routed ${state.route.route}`), {
    name: routeErrorName(state.route.route),
  });
}

/**
 * Answers a callback state: its success with `output`, or a failure named for `error` with
 * `output` as its cause, which the workflow parses back. A token already answered (the same
 * invocation run twice) has nobody waiting: there is nothing to do.
 */
async function answer(
  deps: StepDeps,
  taskToken: string,
  error: Error | undefined,
  output: Record<string, unknown>,
): Promise<void> {
  try {
    if (error) await deps.workflows.sendTaskFailure(taskToken, error.name, JSON.stringify(output));
    else await deps.workflows.sendTaskSuccess(taskToken, output);
  } catch (failure: unknown) {
    if (!(failure instanceof TaskTokenInvalidError)) throw failure;
  }
}

/** What a fresh execution's routing fails with to resume a case handed over at its clock state. */
export class CaseResumedError extends Error {
  override name = 'CaseResumedError';
}

async function routeCase(deps: StepDeps, e: StepEvent<'route'>) {
  return once(effects(deps), e.caseId, e.step, {
    result: (c) => ({
      route: c.triage.route,
      stage2Available: c.kind === 'complaint' && deps.policy.complaint.stages === 2,
      // A referral to another team is checked back on once confirmed (`checkedReferralOf`).
      checkBack: checkedReferralOf(deps.policy, c) !== undefined,
      ...routeFlags(deps.policy),
    }),
    record: (c) => {
      if (c.assignedTo || c.triage.route === 'redirect' || c.triage.route === 'refer') return {};
      const service = serviceOf(deps.policy, c);
      return withDeadlines(deps, c, {
        set: { assignedTo: stage1Officer(deps.policy, c), status: 'awaiting-acknowledgement' },
        event: event(deps, 'routed', { directorate: service?.directorate ?? null, route: c.triage.route }),
      });
    },
  });
}

/** Notify: one templated email to one audience; a resident without email, or who asked for post, gets a printed letter. */
export async function notify(deps: StepDeps, e: StepEvent<'notify'>) {
  const { template, to: audience } = e;
  const wait = e.clock && isWaitTask(e.clock) ? e.clock : undefined;
  const c = await load(deps, e.caseId);
  const to = recipients(deps.policy, c, audience);
  /** A reminder is recorded as sent on its wait's clock, or on the stage's response clock. */
  const reminded = (fresh: CaseRecord): Partial<CaseRecord> =>
    wait
      ? { waits: waitPatch(fresh, wait, { reminded: true }) }
      : { progress: withStageProgress(fresh, { reminded: true }) };
  if (template === 'officer-reminder' && !c.openTask) {
    // The officer has already decided (the workflow has yet to take it): nothing to remind of.
    await once(effects(deps), c, e.step, {
      record: (fresh) =>
        withDeadlines(deps, fresh, { set: reminded(fresh), event: event(deps, 'reminder-not-needed') }),
    });
    return { sent: false };
  }
  if (to.length === 0 && audience === 'resident' && wantsPost(c)) {
    await post(deps, e, c, template);
    return { sent: true };
  }
  if (to.length === 0) {
    // Nobody to write to: an anonymous resident, or a referral with no mailbox (the resident was
    // told where to go instead). Recorded, and the step counts as done.
    await once(effects(deps), c, e.step, {
      record: (fresh) => ({
        ...sentChange(deps, fresh, template, audience, wait),
        event: event(deps, audience === 'resident' ? 'no-one-to-tell' : 'nobody-to-email', {
          template,
          audience,
        }),
      }),
    });
    return { sent: false };
  }
  await once(effects(deps), c, e.step, {
    ...emailEffect(deps, template, to, async (fresh) => notifyExtra(deps, fresh, template, e.error, to)),
    record: (fresh) => sentChange(deps, fresh, template, audience, wait),
  });
  return { sent: true };
}

/** The case's record of one chased wait, patched. */
function waitPatch(
  c: CaseRecord,
  wait: WaitTask,
  patch: Partial<NonNullable<NonNullable<CaseRecord['waits']>[WaitTask]>>,
): NonNullable<CaseRecord['waits']> {
  const current = c.waits?.[wait] ?? { since: c.updatedAt };
  return { ...c.waits, [wait]: { ...current, ...patch } };
}

/** How long the link to a printed letter works: long enough to print it after a holiday. */
const LETTER_LINK_DAYS = 30;

/**
 * A letter for a resident without email (or who asked for post): the same template rendered as
 * an accessible PDF, stored with the case in the archive, and a "print and post" email with a
 * signed link to it to the mailbox responsible for the case. Two effects, each once per entry
 * into the state: the PDF write is safe to repeat (the same key again, named by the entry), the
 * email is confirmed by SES's events like every other.
 */
async function post(
  deps: StepDeps,
  e: StepEvent<'notify'>,
  c: CaseRecord,
  template: EmailTemplate,
  /** Entered again for a letter rendered as a correction was saved (once). */
  again = false,
): Promise<void> {
  // A holding letter whose date a further letter would already be due for is written again.
  const outrun = (promised: string) =>
    Date.parse(furtherHoldingLetterAt(deps.policy, c, promised)) <= deps.now().getTime();
  // A letter a correction of the resident's name or address wrote again is printed as written again.
  const history = await deps.store.events(c.caseId);
  const readdressed = (name: string) => currentLetter(history, name);
  const { step, superseded, because } = letterEntry(c, e.step, outrun, readdressed);
  // What the letter is rendered from, for its history (`LetterSource`), so that a correction of
  // the resident's name or address writes the same letter again: kept off the outbox's record on
  // the case, which every later write of the case carries.
  let source: LetterSource | undefined;
  const written = await once(effects(deps), c, step, {
    perform: async (fresh, key) => {
      const extra = await notifyExtra(deps, fresh, template, e.error, []);
      // The templates and the PDF maker load with the first letter: most cases have an email address.
      const { renderLetter } = await import('./correspondence.js');
      const letter = await renderLetter(deps.policy, fresh, template, extra, deps.now());
      source = letter.source;
      const name = `${letter.template}-${key}`;
      const { key: objectKey } = await deps.archive.putLetter(fresh.caseId, name, letter.pdf);
      return {
        letter: name,
        // The entry this letter is of, for an entry after an outage to find it (`letterEntry`),
        // and whom it is addressed to then.
        letterOf: step.enteredAt,
        to: addressedTo(fresh),
        template: letter.template,
        title: letter.title,
        key: objectKey,
        ...(letterDates(template, extra) ?? {}),
        ...(letter.unprintable ? { unprintable: letter.unprintable } : {}),
      };
    },
    record: (fresh, r) => ({
      // On the workspace's list of letters to print and post until someone marks it posted.
      set: {
        lettersToPost: withLetterToPost(
          superseded === undefined
            ? fresh
            : { ...fresh, lettersToPost: fresh.lettersToPost?.filter((l) => l.letter !== superseded) },
          String(r.letter),
          String(r.title),
          deps.now(),
          r.unprintable,
        ),
      },
      // A holding letter's dates as the PDF gives them, for the Ombudsman's file (`sentWithOf`).
      event: event(deps, 'letter-written', {
        template: r.template,
        letter: r.letter,
        key: r.key,
        ...(r.dates as Record<string, string> | undefined),
        ...(r.unprintable ? { unprintable: r.unprintable } : {}),
        // The letter to the address as it was, or with a date run out, never sent to print: the
        // case page says so.
        ...(superseded === undefined
          ? {}
          : { replaces: superseded, ...(because === 'date' ? { because } : {}) }),
        ...(source ? { source } : {}),
      }),
    }),
  });
  // Read again: a correction may have written it again since the history was read above.
  const letter =
    currentLetter(await deps.store.events(c.caseId), String(written.letter)) ?? String(written.letter);
  const after = await load(deps, e.caseId);
  if (
    letter === written.letter &&
    written.to !== addressedTo(after) &&
    after.lettersToPost?.some((l) => l.letter === letter) &&
    !again
  ) {
    // Rendered to the old name or address while a correction was saved, and put on the list after
    // it (the correction wrote again only the letters it found there): written again now, as a
    // letter of an entry after an outage is (`letterEntry`), before any print email names it.
    return post(deps, e, after, template, true);
  }
  const printStep = { ...step, state: `${step.state}: ${PRINT_PART}` };
  if (await postedByHand(deps, after, letter, printStep)) {
    // Printed from the workspace's list and marked posted while its print email could not go (SES
    // down): the resident has it. The mailbox is not asked to post it again; the case keeps what
    // it gave, as if it had gone to print.
    await once(effects(deps), after, printStep, {
      record: (fresh) => ({
        ...sentChange(deps, fresh, template, 'resident', undefined, givenBy(written)),
        event: event(deps, 'letter-posted-before-print', { template: written.template, letter }),
      }),
    });
    return;
  }
  const mailbox = printMailbox(deps, after);
  await once(effects(deps), after, printStep, {
    ...emailEffect(deps, 'print-and-post', [mailbox], async (fresh) => {
      const secret = await deps.linkSecret();
      const token = signLink(
        {
          c: fresh.caseId,
          t: letter,
          a: 'letter',
          o: mailbox.toLowerCase(),
          e: Math.floor(deps.now().getTime() / 1000) + LETTER_LINK_DAYS * 86_400,
        },
        secret,
      );
      return {
        title: String(written.title),
        letterUrl: `${deps.baseUrl}/cases/${encodeURIComponent(fresh.reference)}/letters/${letter}?link=${token}`,
        caseUrl: caseViewLink(deps.baseUrl, secret, fresh, mailbox, deps.now()),
        ...(written.unprintable ? { unprintable: written.unprintable } : {}),
      };
    }),
    record: (fresh) => ({
      // The new date the case keeps is the one the PDF gives, however long ago it was written.
      ...sentChange(deps, fresh, template, 'resident', undefined, givenBy(written)),
      event: event(deps, 'letter-sent-to-print', { template: written.template, letter, mailbox }),
    }),
  });
}

/**
 * Whether a letter was marked posted from the workspace's list before its print email was tried:
 * off the list, with the team's `letter-posted` event. One whose print email was started is SES's
 * to settle, and goes on as it would.
 */
async function postedByHand(
  deps: StepDeps,
  c: CaseRecord,
  letter: string,
  printStep: StepContext,
): Promise<boolean> {
  if ((c.lettersToPost ?? []).some((l) => l.letter === letter)) return false;
  const printing = c.effects?.[effectSlot(printStep)];
  if (printing?.key === effectKey(printStep) && printing.status !== 'refused') return false;
  return (await deps.store.events(c.caseId)).some(
    (ev) => ev.type === 'letter-posted' && ev.detail?.letter === letter,
  );
}

/** Who prints and posts a case's letters: the officer or team it is with, else the complaints team. */
function printMailbox(deps: StepDeps, c: CaseRecord): string {
  return c.assignedTo ?? deps.policy.routing.complaintsTeam;
}

/** What a notify email changes on the case besides its history: the reminder or holding letter is done. */
function sentChange(
  deps: StepDeps,
  c: CaseRecord,
  template: EmailTemplate,
  audience: string,
  wait?: WaitTask,
  /**
   * What the letter gave, when it was written before this change (a posted letter's PDF): its new
   * date, or none when it committed to none (a restart letter written before the deadline).
   */
  written?: { promised?: string | undefined },
): CaseChange {
  if (template === 'officer-reminder') {
    // A reminder is recorded as sent on its wait's clock, or on the stage's response clock.
    return withDeadlines(deps, c, {
      set: wait
        ? { waits: waitPatch(c, wait, { reminded: true }) }
        : { progress: withStageProgress(c, { reminded: true }) },
      event: event(deps, 'officer-reminded', { template, audience, ...(wait ? { wait } : {}) }),
    });
  }
  if (template === 'stage-2-too-late') {
    // Told once a case: the window's clock reads on to the late-request clock from then on.
    return {
      set: { progress: { ...c.progress, stage1: { ...c.progress.stage1, toldStage2WindowClosed: true } } },
      event: event(deps, 'email-sent', { template, audience }),
    };
  }
  const deadline =
    template === 'resume' || template === 'holding-letter' ? holdingLetterDeadline(deps, c) : '';
  // Restarted with the response already late (paused after the deadline had passed), or with a
  // holding letter about the deadline already due (`restartCommits`), the letter commits to a new
  // date as a holding letter does (`correspondence.ts`), and counts as one. A posted letter did so
  // if its PDF did, whenever it goes to print.
  const late =
    template === 'resume' && (written ? written.promised !== undefined : restartCommits(deps, c, deadline));
  if (late) {
    return holdingLetterSent(deps, c, deadline, { template, audience }, deadline, written?.promised);
  }
  if (template === 'holding-letter') {
    // One holding letter per deadline (the one the clock runs to now), and one more each time the
    // date it commits to passes. The date it said was passing or passed is kept with the rest,
    // so the Ombudsman's file re-creates its words after the case's dates move.
    const quoted = holdingLetterPromise(deps.policy, stageProgress(c), deadline) ?? deadline;
    return holdingLetterSent(deps, c, deadline, { template, audience, quoted }, quoted, written?.promised);
  }
  // The designation letter the workflow sends closes the complaint and says so: kept with it, so
  // the Ombudsman's file re-creates it as sent (`sentWithOf`).
  const closes = template === 'vexatious-decision' ? { closes: true } : {};
  return { event: event(deps, 'email-sent', { template, audience, ...closes }) };
}

/**
 * A letter that committed to a new date for `deadline`, by the holding letter's rule (`given`: the
 * date the letter itself gave, when it was written first): the date kept on the case (the clock
 * writes again when it comes), and with the deadline on the event.
 */
function holdingLetterSent(
  deps: StepDeps,
  c: CaseRecord,
  deadline: IsoTimestamp,
  detail: Record<string, unknown>,
  quoted: IsoTimestamp,
  given: IsoTimestamp | undefined,
): CaseChange {
  const promised = given ?? holdingLetterNewDate(deps.policy, c, deadline, deps.now(), quoted);
  return {
    set: { progress: withStageProgress(c, { holdingLetterFor: deadline, holdingLetterPromised: promised }) },
    event: event(deps, 'email-sent', { ...detail, promised, deadline }),
  };
}

/**
 * Whether a restart letter written now commits to a new date, as a holding letter does, rather
 * than giving the deadline: the deadline has passed, or a holding letter about it is already due
 * (on its day by email; by post, two working days before, to arrive by it).
 */
function restartCommits(deps: StepDeps, c: CaseRecord, deadline: IsoTimestamp): boolean {
  return deps.now().getTime() >= Date.parse(holdingLetterAt(deps.policy, c, deadline));
}

/** The response deadline a holding letter is about: the one the clock runs to now. */
function holdingLetterDeadline(deps: StepDeps, c: CaseRecord): IsoTimestamp {
  return readClock(deps.policy, c, c.kind === 'complaint' ? 'respond' : 'reply', deps.now()).deadline;
}

/** What a notify email needs beyond the case: the link it carries, or the error it reports. */
async function notifyExtra(
  deps: StepDeps,
  c: CaseRecord,
  template: EmailTemplate,
  error: string | undefined,
  to: string[],
): Promise<Record<string, unknown>> {
  const extra: Record<string, unknown> = error ? { error } : {};
  // The receipt says where the resident can check the case later ("Check your complaint").
  // In the case's language, so a resident who wrote in Welsh lands on the Welsh page.
  if (template === 'receipt')
    extra.checkUrl = `${deps.baseUrl}/check${c.language === 'cy' ? '?lang=cy' : ''}`;
  if (template === 'referral') {
    // The team the case is referred to reads it through a signed link, as an officer would.
    extra.caseUrl = caseViewLink(deps.baseUrl, await deps.linkSecret(), c, to[0] ?? '', deps.now());
  }
  // A holding letter's words and new date depend on the moment it goes (the workflow's clock),
  // a receipt promises no date already past then, and neither do an acknowledgement, a redirect,
  // a referral or a request for consent; a letter saying consent was not given says whether the
  // time limit for complaining has passed by then.
  if (
    template === 'holding-letter' ||
    template === 'receipt' ||
    template === 'resume' ||
    template === 'acknowledgement' ||
    template === 'redirect' ||
    template === 'referral' ||
    template === 'consent-needed' ||
    template === 'consent-not-given' ||
    template === 'officer-reminder'
  )
    extra.now = deps.now().toISOString();
  if (template === 'resume') {
    // Restarted after the deadline had passed: late, with a new date by the holding letter's
    // rule, worked out once here, so a posted letter's PDF and the case keep the same date. So
    // too, without saying it is late, when a holding letter about the deadline is already due
    // (`restartCommits`): giving the deadline, the letter would go with one putting it off.
    const deadline = holdingLetterDeadline(deps, c);
    extra.late = deps.now().getTime() > Date.parse(deadline);
    if (restartCommits(deps, c, deadline)) {
      extra.deadline = deadline;
      extra.newDate = holdingLetterNewDate(deps.policy, c, deadline, deps.now());
    } else {
      // The date it gives, for a posted letter held back until it has run out (`letterEntry`).
      extra.gives = deadline;
    }
  }
  if (template === 'holding-letter') {
    // A further letter: "We told you…" quotes the date the last one committed to, now due. The
    // dates it gives are the ones recorded with it (`sentChange`), by the same rule.
    const deadline = holdingLetterDeadline(deps, c);
    const promised = holdingLetterPromise(deps.policy, stageProgress(c), deadline);
    if (promised) extra.promisedDate = promised;
    extra.deadline = deadline;
    extra.newDate = holdingLetterNewDate(deps.policy, c, deadline, deps.now(), promised ?? deadline);
  }
  // The workflow's decision letter goes as it closes the complaint, which gets no response.
  if (template === 'vexatious-decision') extra.closes = true;
  if (template === 'officer-reminder' && c.openTask) {
    extra.link = await taskLink(deps, c, c.openTask.taskId, c.openTask.name, c.openTask.officer);
  }
  if (
    template === 'response' &&
    c.stage === 1 &&
    c.kind === 'complaint' &&
    deps.policy.complaint.stages === 2
  ) {
    // The stage-2 link is in the response; the task it answers opens right after (same task id).
    extra.link = await taskLink(
      deps,
      c,
      'stage-2-request',
      'stage-2-request',
      'resident',
      stage2WindowEnd(deps, c),
    );
  }
  return extra;
}

function stage2WindowEnd(deps: StepDeps, c: CaseRecord): Date {
  const respondedAt = c.progress.stage1.respondedAt ?? deps.now().toISOString();
  const probe = { ...c, progress: { ...c.progress, stage1: { ...c.progress.stage1, respondedAt } } };
  return new Date(deriveDeadlines(deps.policy, probe).stage2RequestBy ?? deps.now().toISOString());
}

async function taskLink(
  deps: StepDeps,
  c: CaseRecord,
  taskId: string,
  task: string,
  audience: string,
  expires?: Date,
): Promise<string> {
  const expiry = expires ?? new Date(deps.now().getTime() + OFFICER_LINK_DAYS * 86_400_000);
  const token = signLink(
    { c: c.caseId, t: taskId, a: task, o: audience.toLowerCase(), e: Math.floor(expiry.getTime() / 1000) },
    await deps.linkSecret(),
  );
  // The resident's own link (the request for a review) opens in the language kept on the case.
  const lang = audience === 'resident' && c.language === 'cy' ? '?lang=cy' : '';
  return `${deps.baseUrl}/tasks/${token}${lang}`;
}

/** Who a task goes to on this case. */
function taskOfficer(deps: StepDeps, c: CaseRecord, task: TaskName): string {
  const audience = TASK_AUDIENCE[task];
  if (audience === 'resident') return 'resident';
  if (audience === 'officer') return c.assignedTo ?? stage1Officer(deps.policy, c);
  return recipients(deps.policy, c, audience)[0] ?? deps.policy.routing.complaintsTeam;
}

/**
 * The email that opened a task the officer has since decided on, when the entry that sent it died
 * between SES and the table (an outage) and the workflow came back only after the decision: its
 * `email-sent` is recorded now, from SES's word, so the history says what went out. Without that
 * word yet, nothing is recorded (the email may never have gone, and there is nothing left to send).
 */
async function recordOpeningEmail(
  deps: StepDeps,
  c: CaseRecord,
  e: StepEvent<'request-task'>,
  taskId: string,
) {
  const unsettled = c.effects?.[effectSlot(e.step)];
  const taskIdOf = (key: string) => (e.task === 'stage-2-request' ? e.task : key);
  if (unsettled === undefined || unsettled.status === 'done' || taskIdOf(unsettled.key) !== taskId) return;
  const accepted = await acceptedBySes(deps, c, unsettled.key);
  if (!accepted) return;
  await finishStarted(
    effects(deps),
    c,
    effectSlot(e.step),
    unsettled.key,
    () => ({ event: event(deps, 'email-sent', { template: 'officer-task', task: e.task, taskId }) }),
    { ...accepted, taskId },
  );
}

/**
 * Where an entry into a wait records the decision it hands over: a slot of its own, beside the
 * one of the email that opened the task, which SES's word may still have to finish.
 */
const handoverStep = (step: StepContext): StepContext => ({ ...step, state: `${step.state}: handover` });

/** The decision this very entry into the wait set out to hand over, if it did. */
function handedOverBy(c: CaseRecord, step: StepContext): PendingDecision | undefined {
  const at = handoverStep(step);
  const entry = c.effects?.[effectSlot(at)];
  if (entry?.key !== effectKey(at) || entry.status !== 'done') return undefined;
  const handed = entry.result?.handedOver as Partial<PendingDecision> | undefined;
  return typeof handed?.taskId === 'string' && typeof handed.decision === 'string'
    ? (handed as PendingDecision)
    : undefined;
}

/**
 * Hands a decision over to the wait of `taskToken` and settles it. The decision is recorded as
 * this entry's first (`handedOverBy`), so the same entry invoked again hands the same decision
 * over again instead of opening a task: a retry after the answer was lost waits on a new token,
 * which gets it; a duplicate carries a token already used, which Step Functions refuses. A refusal
 * does not say the workflow has the decision: Step Functions refuses a wait that timed out in the
 * same words (a retry that came after the wait's timeout: a slow step, or a sped-up local clock),
 * and the workflow then goes to the clock, which finds the decision waiting only if it was not
 * settled here. So a refused decision is left on the case: one the workflow took is settled by
 * whoever handed it over, or by the workflow's next state (`settleTaken`, `lastTaskId`).
 */
async function handOver(
  deps: StepDeps,
  e: StepEvent<'request-task'>,
  decision: PendingDecision,
  again: boolean,
) {
  if (!again) {
    await once(effects(deps), e.caseId, handoverStep(e.step), {
      result: () => ({ handedOver: { ...decision } }),
      record: () => ({}),
    });
  }
  try {
    // Handed over as this entry's wait expects it (a success, or a failure named for the decision).
    await handDecisionTo(deps.workflows, e.taskToken, { ...decision, expected: e.expected });
  } catch (error: unknown) {
    if (!(error instanceof TaskTokenInvalidError)) throw error;
    // Left on the case (see above). So is a decision taken with this entry's own token (its
    // officer was quicker than this entry's record of the email): the officer's request handed it
    // to this very wait and settles it, or the wait is over and the next entry hands it over.
    if (again || decision.taskToken === e.taskToken) return { taskId: decision.taskId };
    throw error;
  }
  await settleDecision(deps, e.caseId, decision, 'workflow');
  return { taskId: decision.taskId };
}

/**
 * Request task: called by a `.waitForTaskToken` state. Stores the token on the case and emails
 * the officer a signed link. Re-entering the same task for the same officer (after a clock
 * wake-up, a reminder, or a restart) only replaces the token: links already sent keep working
 * and nothing is emailed twice. A new task's id is its effect key, so the link emailed and the
 * task recorded agree whichever attempt of the step sent the email.
 */
export async function requestTask(deps: StepDeps, e: StepEvent<'request-task'>) {
  const { task, taskToken } = e;
  if (e.due === 'renewed') {
    // The clock read just before handed the case to a fresh execution: this one ends here rather
    // than waits (the workflow catches the error), with no Choice after every clock to ask.
    const continued = new CaseContinuedError(`case ${e.caseId} continues in a fresh execution`);
    await deps.workflows.sendTaskFailure(taskToken, continued.name, continued.message);
    return { taskId: e.lastTaskId };
  }
  let c = await load(deps, e.caseId);
  // A late duplicate of an entry the workflow has moved past: its token is dead, and taking it as
  // the task's would leave the officer's decision with nobody waiting for it.
  refuseIfSuperseded(c, e.step);
  const handed = handedOverBy(c, e.step);
  if (handed) return handOver(deps, e, handed, true);
  // Entered straight from the stage-2 window's timeout: what its clock state would do, first (an
  // attempt that opened the task did it already).
  if (e.foreseenBy && e.reading?.foreseen && c.openTask?.name !== task) {
    const unforeseen = await seeToForeseen(deps, c, e, e.foreseenBy, e.reading);
    if (unforeseen) {
      const reading = unforeseen instanceof WaitAgainError ? unforeseen.reading : {};
      await answer(deps, taskToken, unforeseen, reading);
      return { taskId: e.lastTaskId };
    }
    c = await load(deps, e.caseId);
  }
  if (e.foreseenBy && untakenDecision(c, e.lastTaskId) && !pendingFor(c, task, e.lastTaskId)) {
    // A decision on another task written as the resident was told the window closed, here or by
    // the window's clock state (the resident's request, sent in the window's last moment to a wait
    // that had just timed out): this wait hands over only its own task's; the window's clock
    // state hands it over through the window's wait. Opened over it, the task would leave it
    // untaken, and the close would send the case round for it every few minutes.
    const waiting = new ClockNotDueError(
      `case ${c.caseId}: a decision on another task waits to be handed over`,
    );
    await answer(deps, taskToken, waiting, {});
    return { taskId: e.lastTaskId };
  }
  const pending = pendingFor(c, task, e.lastTaskId);
  if (pending) {
    // The officer decided while the workflow was re-entering this wait: hand it straight back.
    // A failure here is the service's (retried by the workflow), never the decision's.
    await recordOpeningEmail(deps, c, e, pending.taskId);
    return handOver(deps, e, pending, false);
  }
  if (c.pendingDecision?.taskId === e.lastTaskId) {
    // Taken by the workflow already, though the case never heard: settle it, hand nothing over.
    await settleDecision(deps, c, c.pendingDecision, 'workflow');
    return requestTask(deps, e);
  }
  const exit = e.exits?.find((x) => x === e.due);
  if (exit) {
    // (Definitions whose clock state answers for itself send no `exits`.) The clock read just
    // before found the deadline passed (and no decision taken), or no stage 2 to wait for: the
    // workflow goes where that leads (it catches the error), with no Choice after the clock to
    // ask. Nothing is opened or emailed.
    const ended = waitExitError(exit, e.caseId, task);
    await deps.workflows.sendTaskFailure(taskToken, ended.name, ended.message);
    return { taskId: e.lastTaskId };
  }
  const officer = taskOfficer(deps, c, task);
  const taskIdFor = (key: string) => (task === 'stage-2-request' ? task : key);
  // The task is opened before its email goes. When SES refused that email, or the step died
  // around it, the task is open but its email unsettled: `once()` below confirms it or sends it.
  const unsettled = c.effects?.[effectSlot(e.step)];
  const emailUnsettled =
    unsettled !== undefined && unsettled.status !== 'done' && c.openTask?.taskId === taskIdFor(unsettled.key);
  if (!emailUnsettled && c.openTask?.name === task && c.openTask.officer === officer) {
    const open = c.openTask;
    const { taskId } = open;
    if (officer !== 'resident' && linkRunningOut(deps, open.issuedAt)) {
      // A long wait (a pause for legal proceedings): the link emailed before would soon stop
      // working, so the officer gets a fresh one for the same task.
      const decided = decidedMeanwhile(task, e.lastTaskId);
      await once(effects(deps), c, e.step, {
        ...emailEffect(deps, 'officer-task', [officer], async (fresh) => ({
          link: await taskLink(deps, fresh, taskId, task, officer),
          task,
        })),
        record: (fresh) => {
          // The task as it is now: the workspace may have handed it to someone else since it was
          // read (the link just emailed then no longer acts), and written back as read, it would
          // go back to this officer while the case stays with the other.
          const now = fresh.openTask?.taskId === taskId ? fresh.openTask : open;
          const reissued = now.officer === officer ? { issuedAt: deps.now().toISOString() } : {};
          return decided.unlessIn(fresh, {
            set: { openTask: { ...withExpected(now, e.expected), taskToken, ...reissued } },
            event: event(deps, 'email-sent', { template: 'officer-task', task, taskId, reissued: true }),
          });
        },
      });
      return decided.pending ? handOver(deps, e, decided.pending, false) : { taskId };
    }
    if (open.taskToken !== taskToken || open.expected !== e.expected) {
      await deps.store.update(c.caseId, c.version, {
        set: {
          openTask: { ...withExpected(open, e.expected), taskToken },
          effects: withEntry(c, e.step, deps.now()),
        },
        event: event(deps, 'task-reopened', { task, taskId }),
      });
    }
    return { taskId };
  }
  /** The task recorded as open; an officer's emailed task is recorded by the email that opens it. */
  const opened = (key: string, emailed: boolean): CaseChange => ({
    set: {
      openTask: withExpected(
        { taskId: taskIdFor(key), name: task, officer, taskToken, issuedAt: deps.now().toISOString() },
        e.expected,
      ),
    },
    event: emailed
      ? event(deps, 'email-sent', { template: 'officer-task', task, taskId: taskIdFor(key) })
      : event(deps, 'task-opened', { task, taskId: taskIdFor(key) }),
  });
  if (officer === 'resident') {
    // The resident's link went out with the response; there is nothing to send.
    await once(effects(deps), c, e.step, { record: () => opened(task, false) });
    return { taskId: task };
  }
  // The task's id is the key of the entry whose email went: when an earlier entry's email is
  // the one confirmed, its link carries that entry's key, and the task recorded must match it.
  const sent = emailEffect(deps, 'officer-task', [officer], async (fresh, k) => ({
    link: await taskLink(deps, fresh, taskIdFor(k), task, officer),
    task,
  }));
  const decided = decidedMeanwhile(task, e.lastTaskId);
  /** The task this attempt opened before sending its email (with this entry's token). */
  let openedHere: string | undefined;
  let taskId: unknown;
  try {
    ({ taskId } = await once(effects(deps), c, e.step, {
      perform: async (fresh, k, lease) => ({
        ...(await sent.perform(fresh, k, lease)),
        taskId: taskIdFor(k),
      }),
      confirm: async (fresh, k) => {
        const accepted = await sent.confirm(fresh, k);
        return accepted && { ...accepted, taskId: taskIdFor(k) };
      },
      actedOnNothing,
      // The task is open before its email goes, so the link works the moment it arrives; but not
      // over a decision written since the case was read (on a task an earlier entry opened).
      prepare: (fresh, k) => {
        if (decided.see(fresh)) throw new DecidedMeanwhileError(fresh.caseId);
        openedHere = taskIdFor(k);
        return opened(openedHere, true).set;
      },
      record: (fresh, result) =>
        decided.unlessIn(
          fresh,
          opened(String(result.taskId), true),
          {
            event: event(deps, 'email-sent', {
              template: 'officer-task',
              task,
              taskId: String(result.taskId),
            }),
          },
          openedHere === String(result.taskId) ? openedHere : undefined,
        ),
    }));
  } catch (error: unknown) {
    // Nothing was emailed: the entry starts again from the case, which hands the decision over.
    if (error instanceof DecidedMeanwhileError) return requestTask(deps, e);
    throw error;
  }
  return decided.pending ? handOver(deps, e, decided.pending, false) : { taskId: String(taskId) };
}

/** An officer's decision written on the case after an entry into its wait read it (see `decidedMeanwhile`). */
class DecidedMeanwhileError extends Error {
  override name = 'DecidedMeanwhileError';
  constructor(caseId: string) {
    super(`case ${caseId}: the task was decided while its wait was being entered`);
  }
}

/**
 * An officer's decision written between an entry into a wait reading the case and writing its
 * token there. The officer handed it over with the token the case held then: an earlier entry's,
 * which Step Functions refuses as a wait that is over, leaving the decision for the workflow. This
 * entry's writes are conditional on the case as read, so the case each write is made from shows
 * the decision if it came first: the write then records what went out without opening the task
 * again (which would leave the decision with nobody to hand it over, and the workflow waiting on
 * a token nobody knows), and the entry hands it over itself. A decision written after the token
 * reaches this entry's wait through that token.
 */
function decidedMeanwhile(task: TaskName, lastTaskId: string) {
  const state = {
    pending: undefined as PendingDecision | undefined,
    /** Whether the case holds a decision on this task (remembered for the hand-over). */
    see(c: CaseRecord): boolean {
      state.pending = pendingFor(c, task, lastTaskId);
      return state.pending !== undefined;
    },
    /**
     * `change` made from `c`, or, when the task was decided meanwhile, `instead` (nothing opened).
     * A task this very attempt opened (id `openedHere`, with this entry's token, before its email
     * went) and is no longer open was decided too: its officer was quicker than this entry's
     * record of the email, and the request handed the decision to this entry's token and settled
     * it, so the case holds no pending decision to see. Opened again, its link would take a second
     * decision that nothing hands over. (A task an earlier attempt opened carries a token that
     * died with that attempt: a decision on it stays pending until handed over, and is seen.)
     */
    unlessIn(
      c: CaseRecord,
      change: CaseChange,
      instead: CaseChange = { event: change.event },
      openedHere?: string,
    ): CaseChange {
      const decided = state.see(c);
      return decided || (openedHere !== undefined && c.openTask?.taskId !== openedHere) ? instead : change;
    },
  };
  return state;
}

/**
 * What the wait entered straight from another wait's timeout fails with when that wait woke
 * before its clock's deadline, with nothing else changed (every wait wakes at least monthly): the
 * cause is the clock's fresh reading, and the workflow goes back to that wait with it.
 */
export class WaitAgainError extends Error {
  override name = 'WaitAgainError';
  constructor(
    message: string,
    readonly reading: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/**
 * The wait for a late request, entered straight from the stage-2 window's timeout with what the
 * window's clock foresaw (`foreseenOnTimeout`): what the window's clock state would have done,
 * done here. The window must have closed on the deadlines as today's calendar derives them, with
 * no decision waiting to be handed over and the execution young enough to keep; then the resident
 * is told the window closed (once a case, as the clock state would), and the late-request clock
 * must read as foreseen, with this wait entered no later than foreseen (else its timeout, counted
 * from the foresight, would come after the late-request deadline). Anything else answers
 * `ClockNotDueError`, caught to the window's clock state, which does it all itself (sending nothing
 * twice: the letter is recorded on the case); a late-request time already over,
 * `DeadlinePassedError`, caught to the close.
 */
async function seeToForeseen(
  deps: StepDeps,
  c: CaseRecord,
  e: StepEvent<'request-task'>,
  by: NonNullable<StepEvent<'request-task'>['foreseenBy']>,
  foreseen: NonNullable<StepEvent<'request-task'>['reading']>,
): Promise<Error | undefined> {
  const unforeseen = (why: string) =>
    new ClockNotDueError(`case ${c.caseId}: ${e.task} entered from the ${by.clock} timeout, but ${why}`);
  const age = deps.now().getTime() - Date.parse(e.executionStartedAt ?? '');
  if (!(age < RENEW_AFTER_DAYS * 86_400_000)) return unforeseen('the execution is due to hand over');
  if (untakenDecision(c, e.lastTaskId)) return unforeseen('a decision waits to be handed over');
  if (!sameDeadlines(deriveDeadlines(deps.policy, c), c.deadlines)) return unforeseen('its deadlines moved');
  const window = readClock(deps.policy, c, by.clock, deps.now());
  if (window.due === 'none') {
    // Woken before the window closes (every wait wakes at least monthly): back to its wait.
    return new WaitAgainError(`case ${c.caseId}: ${by.clock} wakes before its deadline`, {
      ...window,
      ...foreseenOnTimeout(deps, { closing: by.closing }, c, window),
    });
  }
  if (window.due !== 'deadline') return unforeseen(`${by.clock} reads ${window.due}`);
  const late = await closeWindow(deps, { caseId: c.caseId, step: e.step }, by.closing);
  if (late.deadline !== foreseen.deadline) return unforeseen(`${by.closing.readsOn} reads ${late.deadline}`);
  if (late.due === 'deadline') return waitExitError('deadline', c.caseId, e.task);
  // The wait times out `foreseen.waitSeconds` after this entry, which the foresight counted from
  // the moment the window closed: entered later (an outage held this step back), it would run
  // past the late-request deadline by as long, the complaints team's task open all that time.
  if (foreseen.waitSeconds - late.waitSeconds > FORESIGHT_SLACK_SECONDS)
    return unforeseen(`it was entered ${foreseen.waitSeconds - late.waitSeconds}s after its clock foresaw`);
  return undefined;
}

/**
 * How much later than its clock foresaw a wait entered straight from another wait's timeout may
 * begin and still keep the foreseen timeout: a step's retries after a brief fault (a clock state's
 * reading is a few seconds old by the time the wait after it begins, too). Later than that, the
 * clock state reads it afresh (`seeToForeseen`).
 */
const FORESIGHT_SLACK_SECONDS = 60;

/** The open task as this entry's wait expects its decision handed over (`OpenTask.expected`). */
function withExpected(open: OpenTask, expected: string | undefined): OpenTask {
  const { expected: _before, ...rest } = open;
  return expected === undefined ? rest : { ...rest, expected };
}

/** What a wait is ended with, before it starts, by a clock reading that leads elsewhere (`exit`). */
function waitExitError(exit: WaitExit, caseId: string, task: string): Error {
  return new WAIT_EXIT_ERRORS[exit](`case ${caseId}: ${task} ends before its wait (${exit})`);
}

/**
 * What a timed wait fails with when the clock read before it has handed the case to a fresh
 * execution (`due: 'renewed'`): the workflow catches it by this name and ends the execution.
 */
export class CaseContinuedError extends Error {
  override name = 'CaseContinuedError';
}

/**
 * What a timed wait fails with when the clock read before it says the deadline has passed and
 * the wait has a way out for it (`exits`): the workflow catches it by this name and goes on to
 * the escalation, the letter or the close the deadline leads to.
 */
export class DeadlinePassedError extends Error {
  override name = 'DeadlinePassedError';
}

/**
 * What the wait for a stage-2 request fails with when the response's clock says the resident
 * cannot ask for one (a one-stage policy, or the stage-2 response): the workflow closes the case.
 */
export class NoStage2Error extends Error {
  override name = 'NoStage2Error';
}

/**
 * What the wait for a stage-2 request fails with when the window's clock has just told the
 * resident the window closed (`late`): the workflow goes to the wait for a late request.
 */
export class Stage2WindowClosedError extends Error {
  override name = 'Stage2WindowClosedError';
}

/**
 * The error each way out of a wait before it starts is named by: the step that ends it (a clock
 * state's, or an older definition's wait's) fails with it, and the workflow catches it by name.
 */
export const WAIT_EXIT_ERRORS: Readonly<Record<WaitExit, new (message: string) => Error>> = {
  deadline: DeadlinePassedError,
  'no-stage-2': NoStage2Error,
  late: Stage2WindowClosedError,
};

/**
 * The longest a wait entered after a hand-over lasts before its clock is read again, should the
 * wait's step not have ended it (its failure is sent at once; starting the same fresh execution
 * again is harmless).
 */
const CONTINUED_WAIT_SECONDS = 300;

/**
 * An execution this old hands its case to a fresh one at its next clock read. Step Functions
 * ends an execution after a year; every wait wakes at least monthly (`MAX_WAIT_SECONDS`), so a
 * clock is read between this age and that limit.
 */
export const RENEW_AFTER_DAYS = 330;

/**
 * Clock: re-derive the case's deadlines with today's calendar and policy, store them if they
 * moved, read one clock. An execution near Step Functions' one-year limit instead starts a fresh
 * execution of the same workflow at this very state and answers `renewed`, which ends this one.
 * What falls due that the workflow asks it to see to (`acts`: a reminder, a holding letter, an
 * escalation) it does here and reads on, so a wake-up spends no states of its own on them.
 */
export async function clock(deps: StepDeps, e: StepEvent<'clock'>) {
  const reading = await readForWorkflow(deps, e);
  if (e.taskToken === undefined) return reading;
  const { error, clock: answered } = clockAnswer(e, reading);
  if (error && !(error instanceof CaseContinuedError) && (await decidedBeforeLeaving(deps, e, reading.due))) {
    const handover = { ...reading, due: 'none' as const, waitSeconds: HANDOVER_WAIT_SECONDS };
    await answer(deps, e.taskToken, undefined, clockAnswer(e, handover).clock);
    return handover;
  }
  await answer(deps, e.taskToken, error, answered);
  return reading;
}

/**
 * Before the clock state sends the workflow away from the wait for good (`exit`: the deadline
 * passed, on to the escalation and the automatic acknowledgement or to the close; the stage-2
 * window closed), the task the wait was for is closed, in a write conditional on a case with no
 * decision waiting to be handed over. An officer's decision written since the clock was read came
 * first: the wait is entered again instead, and its step hands the decision over (answers true).
 * Without this the task stayed open until a later state closed it, after an escalation email that
 * may wait minutes for SES's word: a decision taken through its link meanwhile went to the
 * timed-out wait's token, which Step Functions refuses as a wait that is over, the officer was
 * told it is recorded, and nothing ever handed it over; left pending on the case, it had every
 * later clock enter its wait again for a hand-over rather than remind or escalate. Closed first,
 * the task's link says it is done.
 */
async function decidedBeforeLeaving(deps: StepDeps, e: StepEvent<'clock'>, exit: string): Promise<boolean> {
  let decided = false;
  await changeCase(deps.store, e.caseId, (c) => {
    // A late duplicate of an entry the workflow has moved past closes nothing of a later one.
    refuseIfSuperseded(c, e.step);
    decided = untakenDecision(c, e.lastTaskId) !== undefined;
    if (decided || c.openTask === undefined) return undefined;
    const { name: task, taskId } = c.openTask;
    return {
      remove: ['openTask'],
      event: event(deps, 'task-closed', { task, taskId, exit }),
    };
  });
  return decided;
}

/**
 * What a clock state that is a callback hears from its step: the reading (what the workflow keeps
 * of it) as the task's success, which goes on to the wait; or, when the reading ends that wait
 * before it starts (its deadline has passed, the window has closed, no stage 2, a fresh
 * execution), a task failure named for it with the reading as its cause, which the workflow
 * catches straight to where it leads: the state a wait used to be entered for, only to be left at
 * once, is not entered (Step Functions bills each).
 */
function clockAnswer(
  e: Pick<StepEvent<'clock'>, 'caseId' | 'clock' | 'exits'>,
  reading: { due: string; waitSeconds: number; deadline: string | null; onTimeout?: ForeseenReading },
): {
  error: Error | undefined;
  clock: { due: string; waitSeconds: number; deadline: string | null; onTimeout?: ForeseenReading };
} {
  const clock = {
    due: reading.due,
    waitSeconds: reading.waitSeconds,
    deadline: reading.deadline,
    ...(reading.onTimeout ? { onTimeout: reading.onTimeout } : {}),
  };
  if (reading.due === 'renewed') {
    return { error: new CaseContinuedError(`case ${e.caseId} continues in a fresh execution`), clock };
  }
  const exit = e.exits?.find((x) => x === reading.due);
  return { error: exit && waitExitError(exit, e.caseId, e.clock), clock };
}

/**
 * How long the wait entered to hand over a decision taken as the last one timed out may last: its
 * step hands the decision over at once, which ends it, so the time only matters when that fails.
 * A second (as before) ran out under a cold start of the wait's function, or a sped-up local
 * clock, before the handover could end it, and the clock was read again and again meanwhile.
 */
const HANDOVER_WAIT_SECONDS = 300;

/** The clock step's reading, with what it sees to on the way (see `clock`). */
async function readForWorkflow(deps: StepDeps, e: StepEvent<'clock'>) {
  // The state after a decision: the decision is taken, whatever its letter's SES does next.
  if (e.first) await settleTaken(deps, e.caseId, e.lastTaskId);
  const opened = e.first ? await sendFirst(deps, e, e.first) : {};
  if (opened.stage2Available === false) {
    // No stage 2 to ask for: no window to read. The wait after this state ends at once and the
    // workflow closes the case (`exits`); a definition with a Choice here reads `stage2Available`.
    return { due: 'no-stage-2' as const, waitSeconds: 1, deadline: null, stage2Available: false };
  }
  const { c, reading } = await readCaseClock(deps, e);
  if (untakenDecision(c, e.lastTaskId)) {
    // An officer decided as the wait timed out: enter the wait again at once, whose step hands
    // the decision over, rather than escalate a deadline the officer has in fact met.
    return { ...reading, due: 'none' as const, waitSeconds: HANDOVER_WAIT_SECONDS, ...opened };
  }
  const age = deps.now().getTime() - Date.parse(e.executionStartedAt);
  if (age < RENEW_AFTER_DAYS * 86_400_000) {
    const seen = await seeTo(deps, e, reading);
    if (e.closing && seen.due === 'deadline')
      return { ...(await closeWindow(deps, e, e.closing)), ...opened };
    return { ...seen, ...foreseenOnTimeout(deps, e, c, seen), ...opened };
  }
  // The fresh execution resumes at the state that reads this clock and sees to whatever is due there.
  await continueInFreshExecution(deps, e);
  return { ...reading, due: 'renewed' as const, waitSeconds: CONTINUED_WAIT_SECONDS, ...opened };
}

/**
 * What a state that sends a letter and then starts a wait does before its clock read
 * (`sendThenClock` in the workflow definitions): the letter, by the notify step's own code, then
 * the change, by the record step's, each its own effect (`<state>: <template>`,
 * `<state>: <transition>`). A retry of the state (its clock read lost a race) finds both done and
 * does neither again; the clock read after them is its own idempotence. Answers whether the
 * resident may ask for stage 2 when the change is the response's.
 *
 * Each is once per decision the workflow took before the state, not once per entry: a clock read
 * that outlasts its retries in an outage enters the state again (see `outlastingOutages` in the
 * definitions), a fresh entry after the letter went, which must not send it again. Every other
 * way back into one of these states in the same execution passes through a decision taken since
 * (stage 2's acknowledgement, a complainant found not vexatious), so the last task decided
 * (`lastTaskId`, a new id for every task opened) tells the two apart: the same execution, state
 * and last task is the same letter.
 */
async function sendFirst(
  deps: StepDeps,
  e: StepEvent<'clock'>,
  first: NonNullable<StepEvent<'clock'>['first']>,
): Promise<{ stage2Available?: boolean }> {
  const part = (name: string) => ({
    execution: e.step.execution,
    state: `${e.step.state}: ${name}`,
    enteredAt: `after task ${e.lastTaskId}`,
    entry: e.step.enteredAt,
  });
  if (first.template && first.to) {
    await notify(deps, {
      caseId: e.caseId,
      step: part(first.template),
      template: first.template,
      to: first.to,
    });
  }
  if (!first.record) return {};
  const recorded = await record(deps, {
    caseId: e.caseId,
    step: part(first.record),
    transition: first.record,
  });
  return first.record === 'responded' ? { stage2Available: recorded.stage2Available === true } : {};
}

/**
 * The case, with a wait's clock started and its deadlines stored as they are today, and the
 * clock's reading (passing over what this wake-up could not do, `passing`: see `seeTo`).
 */
async function readCaseClock(deps: StepDeps, e: StepEvent<'clock'>, passing: readonly ClockAct[] = []) {
  let c = await load(deps, e.caseId);
  // A late duplicate writes nothing: not even a clock read's on a case that has moved on or closed.
  refuseIfSuperseded(c, e.step);
  if (isWaitTask(e.clock) && !c.waits?.[e.clock]) {
    // The first read of a wait's clock starts it (a repeat finds it started and writes nothing).
    // A wait a letter announced before this read (a pause's review date) keeps that start.
    const since = waitStartsAt(c, e.clock, deps.now().toISOString());
    c = await deps.store.update(c.caseId, c.version, {
      set: { waits: { ...c.waits, [e.clock]: { since } } },
      event: event(deps, 'wait-started', { wait: e.clock, since }),
    });
  }
  const deadlines = deriveDeadlines(deps.policy, c);
  if (!sameDeadlines(deadlines, c.deadlines) && c.status !== 'redirected') {
    // Recomputing is its own idempotence: a repeat finds nothing moved and writes nothing.
    c = await deps.store.update(c.caseId, c.version, {
      set: { deadlines },
      event: event(deps, 'deadlines-recalculated', { from: c.deadlines, to: deadlines }),
    });
  }
  const reading = readClock(deps.policy, { ...c, deadlines }, e.clock, deps.now(), {
    holdingLetters: e.holdingLetters === true,
    passing,
  });
  return { c, reading };
}

/**
 * Sees to what the clock says is due, when the workflow asks (`acts`), and reads the clock again,
 * until nothing it sees to is due: the reminder, the holding letter and the escalation are the
 * notify and escalate steps' own code, each an effect of this state (`<state>: <due>`) once per
 * entry. Each records itself on the case (reminded, the holding letter's deadline, one more
 * escalation), so the clock read again, or read by a later entry of this state after an outage,
 * never says it is due twice. Before `acts`, each had a state of its own and the clock state was
 * entered again after it: three more state transitions for every reminder or escalation.
 */
async function seeTo(deps: StepDeps, e: StepEvent<'clock'>, first: ClockReading) {
  let reading = first;
  const seen = new Set<string>();
  // What could not be done for a service down: the rest still goes (the officer's reminder, due
  // at the same moment as a posted holding letter, must not hold back the resident's letter
  // through an SES outage), and the step fails afterwards, so that all of it is tried again.
  const passing: ClockAct[] = [];
  let outage: unknown;
  while (isClockAct(reading.due) && e.acts?.includes(reading.due) && !seen.has(reading.due)) {
    const due = reading.due;
    seen.add(due);
    try {
      await act(deps, e, due);
    } catch (error) {
      if (!isOutage(error)) throw error;
      outage ??= error;
      passing.push(due);
    }
    const again = await readCaseClock(deps, e, passing);
    if (untakenDecision(again.c, e.lastTaskId))
      return { ...again.reading, due: 'none' as const, waitSeconds: HANDOVER_WAIT_SECONDS };
    reading = again.reading;
  }
  if (outage !== undefined) throw outage;
  return reading;
}

/** One thing the clock says is due, by the notify and escalate steps' own code (see `seeTo`). */
async function act(deps: StepDeps, e: StepEvent<'clock'>, due: ClockAct): Promise<void> {
  const step = { ...e.step, state: `${e.step.state}: ${due}` };
  if (due === 'remind') {
    await notify(deps, {
      caseId: e.caseId,
      step,
      template: 'officer-reminder',
      to: 'officer',
      clock: e.clock,
    });
  } else if (due === 'holding') {
    await notify(deps, { caseId: e.caseId, step, template: 'holding-letter', to: 'resident' });
  } else {
    await escalate(deps, { caseId: e.caseId, step, clock: e.clock });
  }
}

/**
 * A service not answering (`isRetryable`, the rule the API and the report's counters use), or
 * SES's word about an email not yet in: what the workflow's retry policy waits out, as against a
 * fault of the step or the case.
 */
function isOutage(error: unknown): boolean {
  return isRetryable(error) || error instanceof EffectUnconfirmedError;
}

const isClockAct = (due: string): due is ClockAct => (CLOCK_ACTS as readonly string[]).includes(due);

/**
 * The stage-2 window has passed (`closing`): the resident is told, by the notify step's own code
 * as an effect of this state (`<state>: closing`), once a case (the letter records it on the case,
 * so an entry after an outage or a fresh execution resuming here does not send it again); then the
 * clock reads on the late-request clock. `late` while the complaints team may still accept a late
 * request (the wait after this state leaves for the wait for one), `deadline` once that has passed.
 */
async function closeWindow(
  deps: StepDeps,
  e: Pick<StepEvent<'clock'>, 'caseId' | 'step'>,
  closing: NonNullable<StepEvent<'clock'>['closing']>,
) {
  let c = await load(deps, e.caseId);
  if (!c.progress.stage1.toldStage2WindowClosed) {
    await notify(deps, {
      caseId: e.caseId,
      step: { ...e.step, state: `${e.step.state}: closing` },
      template: closing.template,
      to: closing.to,
    });
    // The letter is recorded on the case: the late-request clock reads the case as it now is.
    c = await load(deps, e.caseId);
  }
  const late = readClock(deps.policy, c, closing.readsOn, deps.now());
  return late.due === 'deadline' ? late : { ...late, due: 'late' as const };
}

/** What a clock foresees the wait after it will read when it times out (see `foreseenOnTimeout`). */
export interface ForeseenReading {
  due: 'late' | 'deadline';
  waitSeconds: number;
  deadline: string | null;
  foreseen: true;
}

/**
 * The stage-2 window's clock, read while the window is open (`closing`): what the late-request
 * clock will read the moment the wait after this state times out (`onTimeout`), when the window
 * closes as it stands today. The wait's timeout goes with it straight to the wait for a late
 * request, whose step checks the foresight and sees to what this state would have (the letter
 * saying the window closed), rather than through this state again: one state fewer for every
 * complaint whose resident does not ask for stage 2 (see `seeToForeseen`).
 */
function foreseenOnTimeout(
  deps: StepDeps,
  e: Pick<StepEvent<'clock'>, 'closing'>,
  c: CaseRecord,
  reading: ClockReading,
): { onTimeout?: ForeseenReading } {
  if (!e.closing || reading.due !== 'none') return {};
  const timesOutAt = new Date(deps.now().getTime() + reading.waitSeconds * 1000);
  const current = { ...c, deadlines: deriveDeadlines(deps.policy, c) };
  const late = readClock(deps.policy, current, e.closing.readsOn, timesOutAt);
  return {
    onTimeout: {
      due: late.due === 'deadline' ? 'deadline' : 'late',
      waitSeconds: late.waitSeconds,
      deadline: late.deadline,
      foreseen: true,
    },
  };
}

/** Starts the next execution of the case's workflow, resuming at this clock state. */
async function continueInFreshExecution(deps: StepDeps, e: StepEvent<'clock'>): Promise<void> {
  const current = e.step.execution.slice(e.step.execution.lastIndexOf(':') + 1);
  // Names allow letters, digits, `-` and `_` only: the case id, then `_2`, `_3`…
  const numbered = /^(.+)_(\d+)$/.exec(current);
  const next = numbered ? `${numbered[1]}_${Number(numbered[2]) + 1}` : `${current}_2`;
  // A state that sent a letter before reading the clock names the state that reads it alone.
  const resumeAt = e.first?.resumeAt ?? e.step.state;
  // A part of its own (`<state>: continued`): the routing step reads a clock too, and its state's
  // own slot already holds the route it recorded, which `once` would return instead of starting.
  const part = { ...e.step, state: `${e.step.state}: continued` };
  await once(effects(deps), e.caseId, part, {
    // Starting an execution of the same name again is harmless: no confirmation needed.
    perform: async (c) => {
      const { executionArn } = await deps.workflows.start(c.kind as WorkflowName, next, {
        caseId: c.caseId,
        resumeAt,
        // The flags as the policy has them now: an execution started before a flag existed
        // hands the fresh one (which may branch on it) a complete route.
        route: { ...e.route, ...routeFlags(deps.policy) },
      });
      return { executionArn };
    },
    record: (c, started) => ({
      set: { workflow: { ...c.workflow, executionArn: String(started.executionArn) } },
      event: event(deps, 'workflow-continued', { from: current, to: next, at: resumeAt }),
    }),
  });
}

/** Escalate: tell the service manager a deadline was missed, count it, and raise the metric. */
export async function escalate(deps: StepDeps, e: StepEvent<'escalate'>) {
  const name: ClockName = e.clock;
  const c = await load(deps, e.caseId);
  // A missed wait for a decision goes to whoever the policy names; a missed deadline of the
  // procedure to the service manager.
  const managers = isWaitTask(name) ? [deps.policy.waits.escalateTo] : recipients(deps.policy, c, 'manager');
  const reading = readClock(deps.policy, c, name, deps.now());
  const email = emailEffect(deps, 'manager-escalation', managers, async (fresh) => ({
    clock: name,
    deadline: reading.deadline,
    caseUrl: caseViewLink(deps.baseUrl, await deps.linkSecret(), fresh, managers[0] ?? '', deps.now()),
  }));
  await once(effects(deps), c, e.step, {
    ...email,
    perform: async (fresh, key, lease) => {
      const sent = await email.perform(fresh, key, lease);
      // The metric goes with the email once SES has it: one breach, one count. Counted before, it
      // was counted again by every attempt SES refused (57 times in a three-hour outage).
      await deps.onBreach?.(fresh, name);
      return sent;
    },
    record: (fresh) => {
      // One email however far behind the clock is: the intervals already passed count as told.
      const after = (escalations: number) =>
        escalationsAfter(deps.policy, reading.deadline, escalations, deps.now());
      const patch: Partial<StageProgress> =
        name === 'acknowledge'
          ? { acknowledgementEscalated: true }
          : { escalations: after(stageProgress(fresh).escalations ?? 0) };
      const set: Partial<CaseRecord> = isWaitTask(name)
        ? { waits: waitPatch(fresh, name, { escalations: after(fresh.waits?.[name]?.escalations ?? 0) }) }
        : { progress: withStageProgress(fresh, patch) };
      return withDeadlines(deps, fresh, {
        set,
        event: event(deps, 'deadline-missed', {
          clock: name,
          deadline: reading.deadline,
          stage: fresh.stage,
        }),
      });
    },
  });
  return { escalated: true };
}

/**
 * Record: a workflow transition that changes the case without an officer. Given the case as the
 * caller has just read it (`read`), it starts from that copy (see `once`).
 */
export async function record(deps: StepDeps, e: StepEvent<'record'>, read?: CaseRecord) {
  const transition: Transition = e.transition;
  const c = transition === 'responded' ? (read ?? (await load(deps, e.caseId))) : read;
  const withdrawn = transition === 'responded' ? await unprintedHoldingLetters(deps, c as CaseRecord) : [];
  return once(effects(deps), c ?? e.caseId, e.step, {
    result: (c) => ({ stage2Available: transitionResult(deps, c, transition) }),
    record: (c) => withdrawing(transitionChange(deps, c, transition), c, withdrawn),
  });
}

/**
 * Holding letters on the list to post that never went to print: written while SES was down, and
 * overtaken by the response. Saying the response may be late, they must not be posted after it.
 */
async function unprintedHoldingLetters(deps: StepDeps, c: CaseRecord): Promise<string[]> {
  const listed = (c.lettersToPost ?? []).filter((l) => l.letter.startsWith('holding-letter-'));
  if (listed.length === 0) return [];
  const went = new Set(
    (await deps.store.events(c.caseId))
      .filter((ev) => ev.type === 'letter-sent-to-print' || ev.type === 'letter-posted-before-print')
      .map((ev) => String(ev.detail?.letter)),
  );
  return listed.filter((l) => !went.has(l.letter)).map((l) => l.letter);
}

/** The change, with these letters off the list to post and named in its event (the case page says why). */
function withdrawing(change: CaseChange, c: CaseRecord, letters: readonly string[]): CaseChange {
  const gone = letters.filter((letter) => c.lettersToPost?.some((l) => l.letter === letter));
  if (gone.length === 0 || !change.event) return change;
  return {
    ...change,
    set: { ...change.set, lettersToPost: (c.lettersToPost ?? []).filter((l) => !gone.includes(l.letter)) },
    event: { ...change.event, detail: { ...change.event.detail, withdrawn: gone } },
  };
}

function transitionResult(deps: StepDeps, c: CaseRecord, transition: Transition): boolean {
  return (
    transition === 'responded' &&
    c.kind === 'complaint' &&
    c.stage === 1 &&
    deps.policy.complaint.stages === 2 &&
    c.status !== 'closed'
  );
}

function transitionChange(deps: StepDeps, c: CaseRecord, transition: Transition): CaseChange {
  const now = deps.now().toISOString();
  switch (transition) {
    case 'acknowledged-automatically':
      // The officer did not acknowledge in time: the resident still hears on time. The
      // officer's open acknowledgement task is closed; its link now answers "already done".
      return withDeadlines(deps, c, {
        set: { status: 'investigating', progress: withStageProgress(c, { acknowledgedAt: now }) },
        remove: ['openTask'],
        event: event(deps, 'acknowledged-automatically', { stage: c.stage }),
      });
    case 'responded': {
      const progress = stageProgress(c);
      return withDeadlines(deps, c, {
        set: {
          status: 'responded',
          progress: withStageProgress(c, { respondedAt: progress.respondedAt ?? now }),
        },
        event: event(deps, 'response-sent', { stage: c.stage, outcome: progress.response?.outcome ?? null }),
      });
    }
    case 'stage-2-started': {
      const officer = stage2Officer(deps.policy, c);
      // Stage 2 by someone who did not act at stage 1 (`stage2Officer` never picks one of them).
      const independent = ![...(c.stage1Handlers ?? []), c.assignedTo ?? '']
        .map((h) => h.toLowerCase())
        .includes(officer.toLowerCase());
      return withDeadlines(deps, c, {
        set: {
          stage: 2,
          status: 'awaiting-acknowledgement',
          assignedTo: officer,
          progress: {
            ...c.progress,
            stage2: {
              ...c.progress.stage2,
              startedAt: c.progress.stage2?.startedAt ?? now,
              independentOfStage1: independent,
            },
          },
        },
        event: event(deps, 'stage-2-started', {
          previousOfficerDifferent: independent,
        }),
      });
    }
    case 'told-six-months':
      return withDeadlines(deps, c, {
        set: { progress: { ...c.progress, stage1: { ...c.progress.stage1, toldBeyondSixMonths: true } } },
        event: event(deps, 'told-beyond-six-months'),
      });
    case 'closed':
      return {
        set: { status: 'closed', closedAt: now, deadlines: {} },
        remove: ['openTask'],
        event: event(deps, 'closed', { outcome: c.outcome ?? null }),
      };
    default: {
      const unknown: never = transition;
      throw new Error(`unknown transition ${String(unknown)}`);
    }
  }
}

function requiredEvidence(deps: StepDeps): EvidenceStore {
  if (!deps.evidence) throw new Error('The archive step needs the evidence store for a case with evidence');
  return deps.evidence;
}

/**
 * What a state entered straight from a wait's timeout, with no clock state between, fails with
 * when the clock that timed the wait does not read as that shortcut assumed (its deadline not
 * passed after all, a decision waiting to be handed over, a foresight missed): the workflow
 * catches it to that clock's own state, which reads the clock and goes on from there (see
 * `assertDue`, the close's check, and `seeToForeseen`, the wait for a late request's).
 */
export class ClockNotDueError extends Error {
  override name = 'ClockNotDueError';
}

/**
 * A close that follows a wait's timeout straight (`closeWhenDue` in the workflow definitions),
 * with no clock state between: the wait's clock is read again here, with today's calendar, as
 * that clock state would read it. Unless its deadline has passed (a bank holiday added since the
 * wait began moved it later) or a decision was taken as the wait timed out (the complaints team
 * accepted a late request that very moment), nothing is recorded and the step fails with
 * `ClockNotDueError`, caught to the clock state, which waits again or hands the decision over.
 * The usual close spends one state fewer; the rare one, one more. A case already closed (this
 * state entered again after an outage, with its transitions recorded) is closed on.
 */
function assertDue(deps: StepDeps, c: CaseRecord, due: NonNullable<StepEvent<'archive'>['whenDue']>): void {
  const current = c.status === 'redirected' ? c : { ...c, deadlines: deriveDeadlines(deps.policy, c) };
  const reading = readClock(deps.policy, current, due.clock, deps.now());
  if (reading.due === 'deadline' && !untakenDecision(c, due.lastTaskId)) return;
  throw new ClockNotDueError(
    `case ${c.caseId}: ${due.clock} is not past its deadline (${reading.due}, ${reading.deadline ?? 'none'})`,
  );
}

function requiredControl(deps: StepDeps): ArchiveControl {
  if (!deps.control)
    throw new Error('The archive step needs the archive’s controls for a held or erased case');
  return deps.control;
}

/**
 * Archive: record the transitions the closing state names (closing the case), then write the
 * closed case file (record + history) to S3 with its retention class. One state does both so a
 * case spends one state transition, not two, on its end.
 *
 * Each transition is its own effect (`<state>: <transition>`), once per execution: the closing
 * state ends the execution, so a transition already done in this execution was done by an earlier
 * entry of this very state (one that outlasted an outage and entered it again, or a redrive), and
 * is not recorded twice with a fresh key. The case file, written after them, is safe to repeat.
 */
export async function archive(deps: StepDeps, e: StepEvent<'archive'>) {
  let c = await load(deps, e.caseId);
  if (e.whenDue && c.status !== 'closed') {
    // A late duplicate of an entry the case has moved past is refused as such, not as not due.
    refuseIfSuperseded(c, e.step);
    assertDue(deps, c, e.whenDue);
  }
  for (const transition of e.record ?? []) {
    const step = { ...e.step, state: `${e.step.state}: ${transition}` };
    if (c.effects?.[effectSlot(step)]?.status === 'done') continue;
    await record(deps, { caseId: e.caseId, step, transition }, c);
    c = await load(deps, e.caseId);
  }
  const result = await once(effects(deps), c, e.step, {
    // Writing the same case file to the same key again is harmless: no confirmation needed.
    perform: async (fresh) => {
      // An erased case (its tombstone), or one being erased, has nothing left to archive.
      if (fresh.erasure || fresh.erasureStarted)
        return { key: '', retention: 'erased', letters: 0, evidence: 0 };
      const retention = retentionClassFor(fresh.ombudsmanInvolved);
      const events = await deps.store.events(fresh.caseId);
      const archivedAt = deps.now().toISOString();
      const { key } = await deps.archive.putCaseFile(
        fresh.caseId,
        { case: fresh, events, archivedAt },
        retention,
      );
      // The case's printed letters are kept exactly as long as its file.
      const letters = letterNames(events);
      await deps.archive.retainLetters(fresh.caseId, letters, retention, archivedAt);
      // So is the resident's evidence: part of the case file, kept exactly as long.
      const evidence = keptEvidenceKeys(fresh.caseId, events).length
        ? await retainEvidence(requiredEvidence(deps), fresh.caseId, events, retention, archivedAt)
        : 0;
      // A legal hold or an erasure may have come while the file was written: the case is read
      // again after writing. Holds and erasures write the case before touching the archive, so
      // either this read sees them, or they come after the file was written and reach it
      // themselves. A hold takes the objects out of the lifecycle rules at once (they were written
      // with their class a moment ago, days before any rule could expire them); an erasure under
      // way deletes what was just written. Without the archive's controls the step fails and is
      // retried.
      const latest = (await deps.store.get(fresh.caseId)) ?? fresh;
      if (latest.erasure || latest.erasureStarted) {
        await requiredControl(deps).erase(fresh.caseId);
        return { key: '', retention: 'erased', letters: 0, evidence: 0 };
      }
      if (latest.legalHold) {
        await requiredControl(deps).hold(fresh.caseId);
        return { key, retention, letters: letters.length, evidence, held: true };
      }
      return { key, retention, letters: letters.length, evidence };
    },
    record: (_fresh, r) => ({ event: event(deps, 'archived', r) }),
  });
  return { ...result, nextDeadlines: activeDeadlines(c).length };
}
