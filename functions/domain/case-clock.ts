import { calendarFor, endOfLondonDay, londonDate, startOfLondonDay } from './calendar.js';
import { type CaseRecord, type StageProgress, wantsPost } from './case.js';
import { stageProgress } from './case-stage.js';
import { computeDeadlines, stage2RequestDeadline } from './deadlines.js';
import type { Policy } from './policy-schema.js';
import { POSTAL_WORKING_DAYS } from './postal.js';
import type { IsoTimestamp } from './types.js';

/**
 * The clocks of a case at any moment, derived afresh from the facts on the case (received,
 * acknowledged, extended, paused, responded) and today's policy and calendar. Nothing stored
 * is trusted to still be right: a newly announced bank holiday or a corrected policy moves
 * open cases' deadlines the next time the workflow wakes.
 */

/** Which clock a workflow state waits on. */
import { type ClockAct, type ClockName, isWaitTask, WAIT_TASKS, type WaitTask } from './workflow-names.js';

export type { ClockName };

/** What is due now, and how long the workflow may wait before something next falls due. */
export interface ClockReading {
  /**
   * `none`: nothing yet; `remind`: the officer's reminder; `holding`: the last working day of a
   * response clock has begun with no response: tell the resident before the deadline passes (or,
   * once told, the new date the letter committed to has passed: tell them again);
   * `deadline`: the deadline has just
   * passed (first time); `overdue`: a further escalation of a missed deadline is due;
   * `six-months`: social care — tell the complainant it has passed six months.
   */
  due: 'none' | 'remind' | 'holding' | 'deadline' | 'overdue' | 'six-months';
  /** Whole seconds until the next thing falls due, or until the next wake-up (at least 1, at most `MAX_WAIT_SECONDS`). */
  waitSeconds: number;
  /** The deadline this clock runs to. */
  deadline: IsoTimestamp;
}

/**
 * The longest a workflow waits without waking: a month. Each wake-up re-reads the case (a new
 * bank holiday, a corrected policy) and lets a long-lived case continue in a fresh execution
 * before Step Functions' one-year limit (`functions/app/steps.ts`, `clock`).
 */
export const MAX_WAIT_SECONDS = 30 * 24 * 3600;

/**
 * How long after the stage-2 window closes the complaints team may still accept a late request
 * (the Code §5.7: do not refuse to escalate without valid reasons), or undefined outside it.
 */
export function stage2LateRequestDeadline(policy: Policy, c: CaseRecord): IsoTimestamp | undefined {
  const windowEnd = deriveDeadlines(policy, c).stage2RequestBy;
  const days = policy.complaint.stage2?.lateRequestWorkingDays ?? 0;
  return windowEnd ? plusWorkingDays(policy, windowEnd, days) : undefined;
}

/**
 * When a holding letter goes: the start of the deadline's own (working) day, before the deadline
 * passes; for a resident who gets letters by post, early enough to arrive before it.
 */
export function holdingLetterAt(policy: Policy, c: CaseRecord, deadline: IsoTimestamp): IsoTimestamp {
  const day = londonDate(deadline);
  return startOfLondonDay(wantsPost(c) ? calendarFor(policy).addWorkingDays(day, -POSTAL_WORKING_DAYS) : day);
}

/**
 * When a further holding letter goes, once the date the last one committed to (`promised`) comes
 * with no response. By post, as early as the first (`holdingLetterAt`), so it reaches the resident
 * by the date it writes about; by email, once that date has passed, with the escalation due then.
 */
export function furtherHoldingLetterAt(policy: Policy, c: CaseRecord, promised: IsoTimestamp): IsoTimestamp {
  return wantsPost(c) ? holdingLetterAt(policy, c, promised) : promised;
}

/**
 * The new date a holding letter written at `now` commits to: the first time the missed deadline
 * is escalated (every escalation interval after it) that is later than the date the letter quotes
 * (`quoted`: the deadline, or the date the last letter gave) and that the letter reaches the
 * resident before a further letter about it would be due. A letter written before the day a
 * holding letter about a date goes (`holdingLetterAt`: that day by email, two working days before
 * it by post) arrives by that date; written on that very day, it would go out with the further
 * letter putting it off, so it commits to the date after.
 */
export function holdingLetterNewDate(
  policy: Policy,
  c: CaseRecord,
  deadline: IsoTimestamp,
  now: Date,
  quoted: IsoTimestamp = deadline,
): IsoTimestamp {
  const every = policy.complaint.missedResponse.everyWorkingDays;
  const today = londonDate(now.toISOString());
  const arrivesBy = (date: IsoTimestamp) => today < londonDate(holdingLetterAt(policy, c, date));
  let next = plusWorkingDays(policy, deadline, every);
  while (Date.parse(next) <= Date.parse(quoted) || !arrivesBy(next))
    next = plusWorkingDays(policy, next, every);
  return next;
}

/**
 * The date the resident was last told to expect the reply by, once a holding letter about
 * `deadline` has gone: the new date that letter committed to (undefined before any has). A
 * letter recorded before that date was kept on the case went on the deadline's own day, so
 * committed to one escalation interval after it (`holdingLetterNewDate`).
 */
export function holdingLetterPromise(
  policy: Policy,
  progress: StageProgress,
  deadline: IsoTimestamp,
): IsoTimestamp | undefined {
  if (progress.holdingLetterFor !== deadline) return undefined;
  return (
    progress.holdingLetterPromised ??
    plusWorkingDays(policy, deadline, policy.complaint.missedResponse.everyWorkingDays)
  );
}

/**
 * The date the resident now expects the response of the case's stage by, once a holding letter
 * has put its deadline off (undefined before any has, or once an extension or a restart has
 * moved the deadline itself): the date pages show beside the deadline.
 */
export function residentToldBy(policy: Policy, c: CaseRecord): IsoTimestamp | undefined {
  const deadline = c.stage === 2 ? c.deadlines.stage2RespondBy : c.deadlines.respondBy;
  const progress = c.stage === 2 ? c.progress.stage2 : c.progress.stage1;
  return deadline && progress ? holdingLetterPromise(policy, progress, deadline) : undefined;
}

/**
 * The escalations a missed deadline counts once one goes at `now`: that one, and every interval
 * since the deadline that has also passed (a case typed in weeks late, a long outage), so the
 * manager is told once, and the clock next escalates at the first interval still to come.
 */
export function escalationsAfter(
  policy: Policy,
  deadline: IsoTimestamp,
  escalations: number,
  now: Date,
): number {
  const every = policy.complaint.missedResponse.everyWorkingDays;
  let count = escalations + 1;
  if (every <= 0) return count;
  while (Date.parse(plusWorkingDays(policy, deadline, count * every)) <= now.getTime()) count++;
  return count;
}

/** Moves an end-of-day deadline on by N working days of the policy's calendar. */
export function plusWorkingDays(policy: Policy, deadline: IsoTimestamp, days: number): IsoTimestamp {
  if (days === 0) return deadline;
  return endOfLondonDay(calendarFor(policy).addWorkingDays(londonDate(deadline), days));
}

function stageDeadlines(
  policy: Policy,
  c: CaseRecord,
  stage: 1 | 2,
  p: StageProgress,
): Record<string, IsoTimestamp> {
  const base = computeDeadlines(policy, 'complaint', p.startedAt, {
    stage,
    ...(stage === 2 ? { requestedAt: p.startedAt } : {}),
    ...(p.acknowledgedAt ? { acknowledgedAt: p.acknowledgedAt } : {}),
  });
  const paused = p.pausedWorkingDays ?? 0;
  const respondBy = plusWorkingDays(policy, base.respondBy as string, (p.extensionDays ?? 0) + paused);
  const clocks = stage === 1 ? policy.complaint.stage1 : policy.complaint.stage2;
  const remindDay = calendarFor(policy).addWorkingDays(
    londonDate(respondBy),
    -(clocks?.reminderLeadWorkingDays ?? 0),
  );
  // Never remind before the stage began (a lead longer than the whole clock).
  const firstDay = londonDate(p.startedAt);
  const out: Record<string, IsoTimestamp> = {
    ...base,
    respondBy,
    remindAt: startOfLondonDay(remindDay > firstDay ? remindDay : firstDay),
  };
  // The cap runs from the deadline before any extension, moved on by the pause, as the extend
  // decision counts it (`extendDeadline` with the unextended deadline).
  if (out.extensionLimit) out.extensionLimit = plusWorkingDays(policy, out.extensionLimit, paused);
  if (c.kind !== 'complaint') delete out.extensionLimit;
  return out;
}

/** The key of a chased wait's deadline among the case's deadlines. */
export const WAIT_DEADLINE_KEYS: Readonly<Record<WaitTask, string>> = {
  'confirm-exclusion': 'confirmExclusionBy',
  'referral-check': 'referralCheckBy',
  consent: 'consentBy',
  'anonymous-review': 'anonymousReviewBy',
  'nominated-contact': 'nominatedContactBy',
  'vexatious-decision': 'vexatiousDecisionBy',
  'stage-2-decision': 'stage2DecisionBy',
  resume: 'pauseReviewBy',
  'sign-off': 'signOffBy',
};

/**
 * When a wait began: recorded by the first clock read of the wait, or, for the waits a letter
 * announces before that read (a pause's review date), the fact that opened it.
 */
export function waitSince(c: CaseRecord, task: WaitTask): IsoTimestamp | undefined {
  const recorded = c.waits?.[task]?.since;
  if (recorded) return recorded;
  if (task === 'resume') return stageProgress(c).pausedAt;
  if (task === 'stage-2-decision') return c.progress.stage2?.startedAt;
  return undefined;
}

/** Waits that begin when the case is received (its route sends it straight into them). */
const WAITS_FROM_RECEIPT: readonly WaitTask[] = [
  'confirm-exclusion',
  'referral-check',
  'consent',
  'anonymous-review',
  'nominated-contact',
];

/** When a wait entered now begins: at receipt for the waits a case starts in, else now. */
export function waitStartsAt(c: CaseRecord, task: WaitTask, now: IsoTimestamp): IsoTimestamp {
  if (WAITS_FROM_RECEIPT.includes(task)) return c.receivedAt;
  return waitSince(c, task) ?? now;
}

/** The end of the working day a wait for `task` begun at `since` falls due. */
export function waitDeadlineFrom(policy: Policy, task: WaitTask, since: IsoTimestamp): IsoTimestamp {
  return endOfLondonDay(
    calendarFor(policy).addWorkingDays(londonDate(since), policy.waits[task].workingDays),
  );
}

/** The deadlines of the waits the case is in, by `WAIT_DEADLINE_KEYS`. */
function waitDeadlines(policy: Policy, c: CaseRecord): Record<string, IsoTimestamp> {
  const out: Record<string, IsoTimestamp> = {};
  for (const task of WAIT_TASKS) {
    if (!c.waits?.[task] && !(task === 'resume' && stageProgress(c).pausedAt)) continue;
    const since = waitSince(c, task);
    if (!since) continue;
    out[WAIT_DEADLINE_KEYS[task]] = waitDeadlineFrom(policy, task, since);
  }
  return out;
}

/**
 * All deadlines of the case as they stand today (stage-2 keys are prefixed `stage2`), with the
 * deadline of any wait for a decision it is in. A referred case has only its wait's.
 */
export function deriveDeadlines(policy: Policy, c: CaseRecord): Record<string, IsoTimestamp> {
  const waits = waitDeadlines(policy, c);
  if (c.status === 'referred') return waits;
  return { ...procedureDeadlines(policy, c), ...waits };
}

function procedureDeadlines(policy: Policy, c: CaseRecord): Record<string, IsoTimestamp> {
  switch (c.kind) {
    case 'complaint': {
      const out = stageDeadlines(policy, c, 1, c.progress.stage1);
      const s1 = c.progress.stage1;
      if (s1.respondedAt && policy.complaint.stages === 2) {
        out.stage2RequestBy = stage2RequestDeadline(policy, s1.respondedAt);
      }
      const s2 = c.progress.stage2;
      if (s2) {
        for (const [key, value] of Object.entries(stageDeadlines(policy, c, 2, s2))) {
          out[`stage2${key[0]?.toUpperCase()}${key.slice(1)}`] = value;
        }
      }
      return out;
    }
    case 'social-care': {
      const out = computeDeadlines(policy, 'social-care', c.receivedAt, {
        ...(c.plan ? { agreedWorkingDays: c.plan.agreedWorkingDays } : {}),
      });
      if (c.plan) {
        // The agreed timeframe runs from when the plan was agreed (the statutory adult social care complaints procedure "Planning a resolution").
        const agreed = calendarFor(policy).addWorkingDays(
          londonDate(c.plan.agreedAt),
          c.plan.agreedWorkingDays,
        );
        out.respondBy = plusWorkingDays(policy, endOfLondonDay(agreed), c.progress.stage1.extensionDays ?? 0);
      }
      return out;
    }
    default:
      return computeDeadlines(policy, c.kind, c.receivedAt);
  }
}

/**
 * Whether two sets of deadlines are the same dates, whatever the order of their keys: DynamoDB
 * hands a map back with its keys in its own order, not the order they were written in.
 */
export function sameDeadlines(
  a: Readonly<Record<string, string>>,
  b: Readonly<Record<string, string>>,
): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

/** The deadlines that still matter for an open case: the earliest is its "next deadline". */
export function activeDeadlines(c: CaseRecord): IsoTimestamp[] {
  if (c.status === 'closed' || c.status === 'redirected') return [];
  const d = c.deadlines;
  const pick = (...keys: string[]) => keys.map((k) => d[k]).filter((v): v is string => v !== undefined);
  const s = c.stage === 2 ? 'stage2' : '';
  const key = (k: string) => (s ? `${s}${k[0]?.toUpperCase()}${k.slice(1)}` : k);
  const progress = c.stage === 2 ? c.progress.stage2 : c.progress.stage1;
  const waiting = pick(...Object.values(WAIT_DEADLINE_KEYS));
  if (c.status === 'referred') return waiting;
  if (c.status === 'responded') return [...pick('stage2RequestBy'), ...waiting];
  if (!progress?.acknowledgedAt && d[key('acknowledgeBy')])
    return [...pick(key('acknowledgeBy'), key('respondBy')), ...waiting];
  return [
    ...pick(key('respondBy'), 'replyBy', 'feedbackBy', c.kind === 'compliment' ? 'acknowledgeBy' : ''),
    ...waiting,
  ];
}

function secondsUntil(at: IsoTimestamp, now: Date): number {
  return Math.min(MAX_WAIT_SECONDS, Math.max(1, Math.ceil((Date.parse(at) - now.getTime()) / 1000)));
}

/** Reads one clock of the case: what is due now and how long to wait for the next thing. */
export function readClock(
  policy: Policy,
  c: CaseRecord,
  clock: ClockName,
  now: Date,
  /**
   * `holdingLetters`: the workflow reading the clock has a state for the `holding` answer. An
   * execution started on an older definition has none (Step Functions keeps the definition an
   * execution started with) and gets `deadline` instead, whose branch sent the holding letter then.
   *
   * `passing`: what is due that the step reading the clock tried and could not do just now (a
   * service down); the reading passes over it to what falls due after it, so that the officer's
   * reminder does not hold back the resident's holding letter. The step tries it again.
   */
  options: { holdingLetters?: boolean; passing?: readonly ClockAct[] } = {},
): ClockReading {
  const d = deriveDeadlines(policy, c);
  const stage2 = c.stage === 2;
  const progress = stageProgress(c);
  const key = (k: string) => (stage2 ? `stage2${k[0]?.toUpperCase()}${k.slice(1)}` : k);
  const t = now.getTime();
  const at = (iso: string | undefined) => (iso ? Date.parse(iso) : Number.POSITIVE_INFINITY);
  const passing = (act: ClockAct) => options.passing?.includes(act) === true;

  const simple = (deadline: string | undefined): ClockReading => {
    if (!deadline) throw new Error(`case ${c.caseId} has no deadline for clock "${clock}"`);
    return {
      due: t >= at(deadline) ? 'deadline' : 'none',
      waitSeconds: t >= at(deadline) ? MAX_WAIT_SECONDS : secondsUntil(deadline, now),
      deadline,
    };
  };

  // A response clock: optional reminder, optional holding letter on the deadline's own day (before
  // it passes), the deadline, then repeated escalations while overdue.
  const responding = (
    deadline: string | undefined,
    remindAt: string | undefined,
    holding = false,
    state: { paused?: boolean; reminded?: boolean; escalations?: number } = {
      paused: progress.pausedAt !== undefined,
      ...(progress.reminded ? { reminded: true } : {}),
      escalations: progress.escalations ?? 0,
    },
  ): ClockReading => {
    if (!deadline) throw new Error(`case ${c.caseId} has no deadline for clock "${clock}"`);
    if (state.paused) return { due: 'none', waitSeconds: MAX_WAIT_SECONDS, deadline };
    const escalations = state.escalations ?? 0;
    const nextEscalation = plusWorkingDays(
      policy,
      deadline,
      escalations * policy.complaint.missedResponse.everyWorkingDays,
    );
    const upcoming: string[] = [];
    if (remindAt && !state.reminded && !passing('remind') && at(remindAt) < at(deadline)) {
      if (t >= at(remindAt) && t < at(deadline)) return { due: 'remind', waitSeconds: 1, deadline };
      if (t < at(remindAt)) upcoming.push(remindAt);
    }
    // Once for each deadline the clock runs to: one moved after escalations began (an extension,
    // a pause ended) is a date the resident was given too, and is kept to or written about.
    if (holding && progress.holdingLetterFor !== deadline && !passing('holding')) {
      // South Norfolk Council Complaints Policy: "notify them if there is a delay and commit to a
      // new timescale"; Dudley MBC Corporate Customer Feedback Procedure, June 2019, §5: respond
      // or send a holding letter within the timescale. So the letter goes on the last day, not after it.
      // A clock first read after the deadline (a late-entered letter, a long outage) still writes,
      // late and saying so, before the escalation.
      const holdAt = holdingLetterAt(policy, c, deadline);
      if (t >= at(holdAt)) return { due: 'holding', waitSeconds: 1, deadline };
      upcoming.push(holdAt);
    }
    const promised =
      holding && !passing('holding') ? holdingLetterPromise(policy, progress, deadline) : undefined;
    if (promised) {
      // The date the last holding letter committed to has passed with no response: the resident
      // is told again, with a new date (South Norfolk: "commit to a new timescale"; Dudley MBC
      // Corporate Customer Feedback Procedure, June 2019, §4: "keep the customer informed until
      // the matter is concluded"). Before the escalation due at the same moment.
      // By post, it goes early enough to arrive by that date, as the first one did.
      const writeAt = furtherHoldingLetterAt(policy, c, promised);
      if (t >= at(writeAt)) return { due: 'holding', waitSeconds: 1, deadline };
      upcoming.push(writeAt);
    }
    const escalation = escalations === 0 ? 'deadline' : 'overdue';
    if (t >= at(nextEscalation) && !passing(escalation)) return { due: escalation, waitSeconds: 1, deadline };
    upcoming.push(nextEscalation);
    if (c.kind === 'social-care' && d.tellIfBeyond && !c.progress.stage1.toldBeyondSixMonths) {
      if (t >= at(d.tellIfBeyond)) return { due: 'six-months', waitSeconds: 1, deadline };
      upcoming.push(d.tellIfBeyond);
    }
    const next = upcoming.sort((a, b) => at(a) - at(b))[0] as string;
    return { due: 'none', waitSeconds: secondsUntil(next, now), deadline };
  };

  if (isWaitTask(clock)) {
    // A wait for a decision: its own deadline, reminder and escalations (`c.waits`).
    const deadline = d[WAIT_DEADLINE_KEYS[clock]];
    const lead = policy.waits.reminderLeadWorkingDays;
    const remindAt =
      deadline && lead > 0
        ? startOfLondonDay(calendarFor(policy).addWorkingDays(londonDate(deadline), -lead))
        : undefined;
    const state = c.waits?.[clock];
    return responding(deadline, remindAt, false, {
      ...(state?.reminded ? { reminded: true } : {}),
      escalations: state?.escalations ?? 0,
    });
  }

  switch (clock) {
    case 'acknowledge':
      return simple(d[key('acknowledgeBy')]);
    case 'respond': {
      // The lead of the stage the case is at: 0 means that stage's officer is not reminded.
      const lead = (stage2 ? policy.complaint.stage2 : policy.complaint.stage1)?.reminderLeadWorkingDays ?? 0;
      return responding(
        d[key('respondBy')],
        lead > 0 ? d[key('remindAt')] : undefined,
        options.holdingLetters === true,
      );
    }
    case 'stage-2-request':
      return simple(d.stage2RequestBy);
    case 'stage-2-late-request':
      return simple(stage2LateRequestDeadline(policy, c));
    case 'reply':
      // A compliment's resident is thanked at once and waits for nothing: no holding letter.
      return responding(
        d.replyBy ?? d.feedbackBy ?? d.acknowledgeBy,
        undefined,
        options.holdingLetters === true && c.kind !== 'compliment',
      );
    case 'plan':
      return responding(d.respondBy, undefined);
    case 'hold':
      // Nothing falls due: wake after the longest wait, which is also the "deadline" reported.
      return {
        due: 'none',
        waitSeconds: MAX_WAIT_SECONDS,
        deadline: new Date(t + MAX_WAIT_SECONDS * 1000).toISOString(),
      };
    default: {
      const unknown: never = clock;
      throw new Error(`unknown clock ${String(unknown)}`);
    }
  }
}
