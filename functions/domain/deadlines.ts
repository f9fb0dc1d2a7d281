import {
  type Calendar,
  calendarFor,
  endOfLondonDay,
  londonDate,
  startOfLondonDay,
  statutoryCalendarFor,
} from './calendar.js';
import type { Policy } from './policy-schema.js';
import type { CaseKind, IsoDate, IsoTimestamp, Stage } from './types.js';

/**
 * Deadlines of a case, computed from the council's policy and working-day calendar. Every
 * deadline is the end of a London working day (23:59:59.000 Europe/London, written in UTC with
 * `Z`); counting starts from the London calendar date of the event (a complaint made at 23:30
 * UTC on a summer Sunday was made on Monday in London), and day 1 is the first working day
 * strictly after it. The time of day never moves a clock, so a receipt staff dated with no time
 * (`receivedDateOnly`, stored as the start of its London day) counts as any receipt on that date.
 *
 * Keys by kind:
 * - complaint (stage 1, or stage 2 with `options.stage = 2`): `acknowledgeBy`, `respondBy`,
 *   `remindAt`, and `extensionLimit` when the policy allows extensions;
 * - compliment: `acknowledgeBy`; comment: `replyBy`; representation: `feedbackBy`;
 * - social-care: `acknowledgeBy`, `respondBy`, `tellIfBeyond`.
 *
 * `remindAt` is the START (00:00 Europe/London) of the working day `reminderLeadWorkingDays`
 * before the response deadline, so the officer has that whole day and the ones after it; it is
 * therefore always before `respondBy`, even with a lead of 0 (the morning of the deadline day).
 */

/** Base class of the deadline errors (the `name` is what a workflow's Catch matches). */
export class DeadlineError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeadlineError';
  }
}

/** The policy has no stage 2 (asked for stage-2 deadlines or a stage-2 request window). */
export class NoStage2Error extends DeadlineError {
  constructor(policyId: string) {
    super(`Policy "${policyId}" has one stage only: there are no stage-2 deadlines`);
    this.name = 'NoStage2Error';
  }
}

/** An extension asked for goes past the policy's cap, or the policy allows none. */
export class ExtensionLimitError extends DeadlineError {
  constructor(
    message: string,
    /** The latest response deadline the policy allows (end of that London day), if any. */
    readonly limit?: IsoTimestamp,
  ) {
    super(message);
    this.name = 'ExtensionLimitError';
  }
}

/** Options of {@link computeDeadlines}. */
export interface DeadlineOptions {
  /** Complaint stage; default 1. Stage 2 needs `requestedAt`. */
  stage?: Stage;
  /** When the stage was actually acknowledged: the response clock counts from it when the policy says so. */
  acknowledgedAt?: IsoTimestamp;
  /** When the resident asked for stage 2 (required for stage 2). */
  requestedAt?: IsoTimestamp;
  /** Social care: the response period agreed with the complainant, in working days. */
  agreedWorkingDays?: number;
}

/** The clocks of one complaint stage, as the policy schema has them for both stages. */
interface StageClocks {
  acknowledge: { workingDays: number };
  respond: { workingDays: number; from: string };
  reminderLeadWorkingDays: number;
  extension: { maxWorkingDays: number };
}

function stageClocks(policy: Policy, stage: Stage): StageClocks {
  if (stage === 1) return policy.complaint.stage1;
  const s2 = policy.complaint.stages === 2 ? policy.complaint.stage2 : undefined;
  if (!s2) throw new NoStage2Error(policy.id);
  return s2;
}

function complaintStageDeadlines(
  cal: Calendar,
  clocks: StageClocks,
  start: IsoDate,
  acknowledgedAt: IsoTimestamp | undefined,
): Record<string, IsoTimestamp> {
  const acknowledgeBy = cal.addWorkingDays(start, clocks.acknowledge.workingDays);
  // Counted from acknowledgement: from the day it was sent when known, else from the
  // acknowledgement deadline (the latest the clock can start, so never an early breach alarm).
  const respondFrom =
    clocks.respond.from === 'acknowledgement'
      ? acknowledgedAt
        ? londonDate(acknowledgedAt)
        : acknowledgeBy
      : start;
  const respondBy = cal.addWorkingDays(respondFrom, clocks.respond.workingDays);
  let remindDay = cal.addWorkingDays(respondBy, -clocks.reminderLeadWorkingDays);
  // A lead longer than the whole clock would remind before the case existed: remind at once instead.
  if (remindDay < start) remindDay = start;
  const out: Record<string, IsoTimestamp> = {
    acknowledgeBy: endOfLondonDay(acknowledgeBy),
    respondBy: endOfLondonDay(respondBy),
    remindAt: startOfLondonDay(remindDay),
  };
  if (clocks.extension.maxWorkingDays > 0) {
    out.extensionLimit = endOfLondonDay(cal.addWorkingDays(respondBy, clocks.extension.maxWorkingDays));
  }
  return out;
}

/**
 * The end of the working day `days` working days after `from`. A function of its own rather
 * than a closure in `computeDeadlines`: under `tsx` (`npm start`) every closure is named as it
 * is made, which cost more than the deadline's arithmetic on every step.
 */
function endAfter(cal: Calendar, from: IsoDate, days: number): IsoTimestamp {
  return endOfLondonDay(cal.addWorkingDays(from, days));
}

/**
 * The last day of a period of `months` calendar months beginning on `date` (the period's first
 * day): the day before the same date `months` on (15 Jan + 6 → 14 Jul), or the last day of that
 * month when it has no such date (31 Aug + 6 → 28/29 Feb).
 */
function lastDayOfMonthsFrom(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(d > lastDay ? lastDay : d - 1);
  return target.toISOString().slice(0, 10);
}

function requirePositiveWholeNumber(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new DeadlineError(`${what} must be a whole number of working days of at least 1, not ${value}`);
  }
  return value;
}

/**
 * The deadlines of a case of `kind` received at `receivedAt` (any ISO 8601 instant), under
 * `policy`. See the module comment for the keys. Throws {@link NoStage2Error} for stage 2 under
 * a one-stage policy and {@link DeadlineError} for missing or bad options.
 */
export function computeDeadlines(
  policy: Policy,
  kind: CaseKind,
  receivedAt: IsoTimestamp,
  options: DeadlineOptions = {},
): Record<string, IsoTimestamp> {
  const cal = calendarFor(policy);
  const received = londonDate(receivedAt);

  switch (kind) {
    case 'complaint': {
      const stage = options.stage ?? 1;
      if (stage !== 1 && stage !== 2)
        throw new DeadlineError(`Complaint stage must be 1 or 2, not ${String(stage)}`);
      const clocks = stageClocks(policy, stage);
      if (stage === 1) return complaintStageDeadlines(cal, clocks, received, options.acknowledgedAt);
      if (!options.requestedAt) {
        throw new DeadlineError(
          'Stage-2 deadlines need options.requestedAt: when the resident asked for stage 2',
        );
      }
      return complaintStageDeadlines(cal, clocks, londonDate(options.requestedAt), options.acknowledgedAt);
    }
    case 'compliment':
      return { acknowledgeBy: endAfter(cal, received, policy.compliment.acknowledge.workingDays) };
    case 'comment':
      return { replyBy: endAfter(cal, received, policy.comment.reply.workingDays) };
    case 'representation':
      return { feedbackBy: endAfter(cal, received, policy.representation.feedback.workingDays) };
    case 'social-care': {
      const sc = policy.socialCare;
      if (!sc)
        throw new DeadlineError(`Policy "${policy.id}" has no statutory social-care procedure (socialCare)`);
      const agreed =
        options.agreedWorkingDays === undefined
          ? sc.defaultResponseWorkingDays
          : requirePositiveWholeNumber(options.agreedWorkingDays, 'options.agreedWorkingDays');
      // Working days as the regulations count them, whatever days the council closes.
      const statutory = statutoryCalendarFor(policy);
      return {
        acknowledgeBy: endAfter(statutory, received, sc.acknowledge.workingDays),
        respondBy: endAfter(statutory, received, agreed),
        // Calendar months, not working days, the day of receipt the first (SI 2009/309 reg. 14(2):
        // "six months beginning on the day on which the complaint was received").
        tellIfBeyond: endOfLondonDay(lastDayOfMonthsFrom(received, sc.tellIfBeyondMonths)),
      };
    }
    default: {
      const unknownKind: never = kind;
      throw new DeadlineError(`Unknown kind of case: ${String(unknownKind)}`);
    }
  }
}

/**
 * The last moment the resident may ask for stage 2: the end of the London working day that is
 * `stage2.requestWindow.workingDays` after the stage-1 response was sent.
 */
export function stage2RequestDeadline(policy: Policy, respondedAt: IsoTimestamp): IsoTimestamp {
  const s2 = policy.complaint.stages === 2 ? policy.complaint.stage2 : undefined;
  if (!s2) throw new NoStage2Error(policy.id);
  return endOfLondonDay(
    calendarFor(policy).addWorkingDays(londonDate(respondedAt), s2.requestWindow.workingDays),
  );
}

/**
 * A response deadline moved on by `extraWorkingDays`, checked against the policy's cap
 * (`extension.maxWorkingDays` of the stage, counted from the ORIGINAL response deadline, so
 * several extensions together cannot pass it). `originalRespondBy` defaults to
 * `currentRespondBy` (the first extension). Throws {@link ExtensionLimitError} when the new date
 * is past the cap or the policy allows no extension.
 */
export function extendDeadline(
  policy: Policy,
  currentRespondBy: IsoTimestamp,
  extraWorkingDays: number,
  stage: Stage = 1,
  originalRespondBy: IsoTimestamp = currentRespondBy,
): IsoTimestamp {
  const clocks = stageClocks(policy, stage);
  requirePositiveWholeNumber(extraWorkingDays, 'An extension');
  const max = clocks.extension.maxWorkingDays;
  if (max === 0) {
    throw new ExtensionLimitError(
      `Policy "${policy.id}" allows no extension of the stage-${stage} response deadline`,
    );
  }
  const cal = calendarFor(policy);
  const proposed = cal.addWorkingDays(londonDate(currentRespondBy), extraWorkingDays);
  const limit = cal.addWorkingDays(londonDate(originalRespondBy), max);
  if (proposed > limit) {
    const used = cal.workingDaysBetween(londonDate(originalRespondBy), londonDate(currentRespondBy));
    throw new ExtensionLimitError(
      `An extension of ${extraWorkingDays} working days would move the stage-${stage} response deadline to ` +
        `${proposed}, past the policy's limit of ${max} working days (${limit}); ` +
        `${Math.max(0, max - used)} working days of extension are left`,
      endOfLondonDay(limit),
    );
  }
  return endOfLondonDay(proposed);
}
