import { calendarFor, londonDate } from './calendar.js';
import type { CaseRecord, StageResponse } from './case.js';
import { deriveDeadlines, holdingLetterPromise, plusWorkingDays, waitDeadlineFrom } from './case-clock.js';
import { stageClocksOf, stageProgress, withStageProgress } from './case-stage.js';
import { ExtensionLimitError, extendDeadline } from './deadlines.js';
import { defaultDesignation } from './designation.js';
import { DecisionRefusedError, DecisionValueMissingError, UnknownDecisionError } from './errors.js';
import { londonWallClock, writtenDate } from './london-time.js';
import type { Policy } from './policy-schema.js';
import { checkedReferralOf } from './referrals.js';
import { type IsoTimestamp, OUTCOMES, type Outcome } from './types.js';
import {
  type DecisionOf,
  isWaitTask,
  type NON_COMPLETING_DECISIONS,
  type TaskName,
} from './workflow-names.js';

/**
 * What each officer decision does to a case, as one table: a rule for every (task, decision)
 * pair a workflow can take and for no other pair, which the compiler checks against
 * `TASK_DECISIONS`. Rules are pure: given the policy, the case, the validated form values and
 * the time, they return the change to the case and the sentence the officer is shown. A rule
 * that refuses throws `DecisionRefusedError` with one message per form field.
 */

/**
 * The validated values of a task form, by field name: trimmed text, whole numbers, `true` for
 * a ticked box. Empty optional fields are left out.
 */
export type DecisionValues = Readonly<Record<string, string | number | boolean>>;

/** Everything a rule may read. */
export interface DecisionInput {
  policy: Policy;
  record: CaseRecord;
  values: DecisionValues;
  now: IsoTimestamp;
  /**
   * Who decides, when it is not the task's officer through their link: the person signed in to
   * the workspace. Their notes are theirs.
   */
  by?: string;
  /**
   * The complainant stands designated on one of their cases (a designation is theirs, not one
   * case's): read for the nominated officer's decision on a referral, which cannot say otherwise.
   */
  complainantDesignated?: boolean;
}

/** The change a decision makes to the case, and what the person who made it is told. */
export interface DecisionEffect {
  set: Partial<CaseRecord>;
  message: string;
}

/** The rule for one decision on one task. */
export type DecisionRule = (input: DecisionInput) => DecisionEffect;

/** A rule for every decision of every task, and nothing else. */
export type DecisionRules = {
  readonly [T in TaskName]: { readonly [D in DecisionOf<T>]: DecisionRule };
};

/** Tasks with decisions that record something without finishing the task. */
type RecordingTask = keyof typeof NON_COMPLETING_DECISIONS;
type RecordingDecisionOf<T extends RecordingTask> = (typeof NON_COMPLETING_DECISIONS)[T][number];

/** What a non-completing decision records: the change, the message and the history entry's type. */
export interface RecordingEffect extends DecisionEffect {
  event: string;
}

/** The rule for a decision that records something and leaves the task open. */
export type RecordingRule = (input: DecisionInput) => RecordingEffect;

/** A rule for every non-completing decision, and nothing else. */
export type RecordingRules = {
  readonly [T in RecordingTask]: { readonly [D in RecordingDecisionOf<T>]: RecordingRule };
};

function text(values: DecisionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** A text value the form makes required. */
function requiredText(values: DecisionValues, name: string): string {
  const v = text(values, name);
  if (v === undefined) throw new DecisionValueMissingError(name);
  return v;
}

/**
 * What an extension of the response deadline of the case's stage can still do: the deadline now
 * (`current`), the working days the policy's cap leaves (`left`), and, once a holding letter has given the resident a later
 * date (`told`), the fewest working days that reach it (`least`). An extension to a date before
 * `told` would give the resident "more time" that is less than they hold; an extension to that
 * very date records it, with reasons, as the deadline.
 */
export interface ExtensionRoom {
  current: IsoTimestamp;
  left: number;
  told?: IsoTimestamp;
  least?: number;
}

export function extensionRoom(policy: Policy, record: CaseRecord): ExtensionRoom {
  const key = record.stage === 2 ? 'stage2RespondBy' : 'respondBy';
  const progress = stageProgress(record);
  const current = deriveDeadlines(policy, record)[key] as string;
  const left = (stageClocksOf(policy, record)?.extension.maxWorkingDays ?? 0) - (progress.extensionDays ?? 0);
  const told = holdingLetterPromise(policy, progress, current);
  if (told === undefined) return { current, left };
  const least = calendarFor(policy).workingDaysBetween(londonDate(current), londonDate(told));
  return { current, left, told, least };
}

/** A date as the officers' pages and messages write it, e.g. "Monday 23 March 2026". */
function writtenOn(at: IsoTimestamp): string {
  return writtenDate(londonWallClock(Date.parse(at)), 'en');
}

/**
 * Why no extension can be given although the cap leaves days (undefined when one can, or when
 * the cap leaves none): the date a holding letter gave the resident is further off than they
 * reach. The response is due by then.
 */
export function extensionCannotReachTold(room: ExtensionRoom): string | undefined {
  const { told, least, left } = room;
  // With none left, the cap's own refusal says so; there is no date to explain.
  if (told === undefined || least === undefined || left <= 0 || least <= left) return undefined;
  return `We have told the resident to expect the response by ${writtenOn(told)}, later than the ${left} working days of extension left would reach. Respond by then.`;
}

/** A whole number the form makes required. */
function requiredCount(values: DecisionValues, name: string): number {
  const v = values[name];
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new DecisionValueMissingError(name);
  return v;
}

const PAUSE_KINDS = ['mediation', 'conciliation', 'legal-proceedings'] as const;

/** What the clock is paused for; the form offers only the policy's kinds. */
function pauseKindOf(values: DecisionValues): (typeof PAUSE_KINDS)[number] {
  const v = text(values, 'pauseKind');
  return PAUSE_KINDS.find((k) => k === v) ?? 'mediation';
}

function outcomeOf(values: DecisionValues): Outcome {
  const v = text(values, 'outcome');
  const outcome = OUTCOMES.find((o) => o === v);
  if (!outcome) throw new DecisionValueMissingError('outcome');
  return outcome;
}

/** Who is acting: the officer the open task is with. */
function actor(record: CaseRecord): string {
  return record.openTask?.officer ?? 'officer';
}

/**
 * The case's notes with one more by `by` (else the task's officer), or unchanged when there is
 * nothing to add; `forLetter`: the letter that gives it to the resident as the decision's reasons.
 */
function note(
  record: CaseRecord,
  at: IsoTimestamp,
  by: string | undefined,
  body: string | undefined,
  forLetter?: string,
): CaseRecord['notes'] {
  if (!body) return record.notes;
  return [
    ...(record.notes ?? []),
    { at, by: by ?? actor(record), text: body, ...(forLetter ? { for: forLetter } : {}) },
  ];
}

/** The response as the resident will read it, from the form's response fields. */
function response(values: DecisionValues, outcome?: Outcome): StageResponse {
  const remedy = text(values, 'remedy');
  const actions = text(values, 'actions');
  const lessons = text(values, 'lessons');
  return {
    ...(outcome ? { outcome } : {}),
    reasons: text(values, 'response') ?? '',
    ...(remedy ? { remedy } : {}),
    ...(actions ? { actions } : {}),
    ...(lessons ? { lessons } : {}),
  };
}

/**
 * Why a stage-2 case may not go to `to`, when it may not: they handled it at stage 1, and the
 * policy has stage 2 handled by someone else (the Code's default). Undefined when it may.
 */
export function stage1HandlerRefusal(
  policy: Pick<Policy, 'complaint'>,
  record: Pick<CaseRecord, 'stage' | 'stage1Handlers'>,
  to: string,
): string | undefined {
  if (record.stage !== 2 || policy.complaint.stage2?.differentOfficer === false) return undefined;
  const handled = (record.stage1Handlers ?? []).map((h) => h.toLowerCase());
  return handled.includes(to.toLowerCase())
    ? `${to} handled this complaint at stage 1. Stage 2 must be handled by someone else`
    : undefined;
}

/** Hand the case to another team or officer: never back to the one who has it. */
const reassign: DecisionRule = ({ policy, record, values }) => {
  const to = requiredText(values, 'reassignTo');
  if (to.toLowerCase() === actor(record).toLowerCase()) {
    throw new DecisionRefusedError({ reassignTo: 'Enter the email address of another team or officer' });
  }
  const handledStage1 = stage1HandlerRefusal(policy, record, to);
  if (handledStage1) throw new DecisionRefusedError({ reassignTo: handledStage1 });
  return {
    set: { assignedTo: to },
    message: `The case has been sent to ${to}. They will get an email with a link.`,
  };
};

/** Refer to the nominated officer; `field` is the form's name for the reasons on this task. */
const referVexatious =
  (field: string): DecisionRule =>
  ({ record, values, now, by }) => ({
    set: { status: 'awaiting-decision', notes: note(record, now, by, text(values, field)) },
    message: 'The case has been referred to the nominated officer, who will decide.',
  });

/** A resolution plan agreed with the complainant (social care): the first one, or a new round. */
const agreePlan: DecisionRule = ({ record, values, now }) => ({
  set: {
    status: 'investigating',
    plan: {
      text: requiredText(values, 'plan'),
      agreedWorkingDays: requiredCount(values, 'agreedWorkingDays'),
      agreedAt: now,
      round: (record.plan?.round ?? 0) + 1,
    },
    ...(record.progress.stage1.acknowledgedAt
      ? {}
      : { progress: withStageProgress(record, { acknowledgedAt: now }) }),
  },
  message: 'The plan and timeframe are recorded and the complainant has been sent them.',
});

/** A reply or feedback sent to the resident, which is the case's response. */
const reply: DecisionRule = ({ record, values, now }) => ({
  set: { progress: withStageProgress(record, { respondedAt: now, response: response(values) }) },
  message: 'Your reply has been sent to the resident.',
});

/** The contact goes ahead as a complaint, to be acknowledged as normal. */
/** How the reasons record a referral the complaints team brought into the complaints procedure. */
export const BROUGHT_INTO_PROCEDURE = 'Brought into the complaints procedure';
/** How the reasons record a referral the team it went to sent back as not theirs. */
export const SENT_BACK_AS_NOT_THEIRS =
  'Sent back as not theirs by the team it was passed to, and brought into the complaints procedure';

/**
 * A referral brought back into the complaints procedure: routed again as a complaint, its
 * timescales counted from the day the council first received it (the Code §6.2: acknowledged
 * within five working days "of receipt"), not from today. The resident is sent a receipt that
 * says so.
 */
function bringIntoProcedure(why: string): DecisionRule {
  return ({ policy, record, values }) => ({
    set: {
      status: 'received',
      triage: {
        ...record.triage,
        route: 'handle',
        reasons: [
          ...record.triage.reasons,
          `${why} by ${actor(record)}: ${requiredText(values, 'complaintReason')}`,
        ],
      },
    },
    // A service whose complaints follow another procedure does not take it: the complaints team
    // does (`stage1Officer`), and moves it to the service it is about.
    message: policy.routing.services.find((s) => s.id === record.service)?.redirect
      ? 'The case is now handled as a complaint, timed from the day we first received it. The resident is sent a receipt. The complaints team gets the acknowledgement task: use “Move the case to another service” in the staff workspace to pass it to the service it is about.'
      : 'The case is now handled as a complaint, timed from the day we first received it. The resident is sent a receipt and the service gets the acknowledgement task.',
  });
}

const handleAsComplaint: DecisionRule = () => ({
  set: { status: 'awaiting-acknowledgement' },
  message: 'The contact will be handled as a complaint.',
});

/**
 * Nothing more is done; the reasons are kept and the workflow closes the case (`forLetter`: the
 * letter that tells the resident them, if any).
 */
const closeWithReasons =
  (forLetter?: string): DecisionRule =>
  ({ record, values, now, by }) => ({
    set: { notes: note(record, now, by, text(values, 'reason'), forLetter) },
    message: 'Recorded. The case will be closed.',
  });

/** The complaint goes on as normal: the nominated officer's "no" to a referral. */
const doNotDesignate: DecisionRule = ({ record, values, now, by }) => ({
  set: {
    status: 'investigating',
    notes: note(record, now, by, text(values, 'reason')),
    // Referred on acknowledgement, the complaint is acknowledged now (the workflow sends it),
    // and its response is timed from today; referred later, it was acknowledged already.
    ...(stageProgress(record).acknowledgedAt
      ? {}
      : { progress: withStageProgress(record, { acknowledgedAt: now }) }),
  },
  message: 'The complaint continues as normal.',
});

/** Every decision's rule, by task then decision. */
export const DECISION_RULES: DecisionRules = {
  acknowledge: {
    acknowledge: ({ record, values, now }) => {
      // Our understanding of the complaint and the outcome wanted: the acknowledgement states it.
      const understanding = text(values, 'understanding');
      return {
        set: {
          status: 'investigating',
          progress: withStageProgress(record, {
            acknowledgedAt: now,
            ...(understanding ? { understanding } : {}),
          }),
        },
        message: 'The resident has been sent an acknowledgement with the date they will hear from us.',
      };
    },
    resolve: ({ record, values, now }) => ({
      set: {
        status: 'responded',
        progress: withStageProgress(record, {
          acknowledgedAt: now,
          respondedAt: now,
          response: response(values),
        }),
      },
      message: 'The complaint is recorded as resolved at first contact and the resident has been told.',
    }),
    reassign,
    'not-a-complaint': ({ record, values }) => ({
      set: {
        status: 'redirected',
        triage: {
          ...record.triage,
          route: 'redirect',
          exclusion: 'service-request',
          redirect: requiredText(values, 'redirect'),
        },
      },
      message: 'The case is recorded as not a complaint and the resident has been told where to go instead.',
    }),
    'refer-vexatious': referVexatious('reason'),
    // The Code §2.2: past the time limit the council may still accept (acknowledge) or refuse,
    // with reasons and the Ombudsman's details.
    'refuse-out-of-time': ({ record, values, now, by }) => ({
      set: {
        status: 'responded',
        notes: note(
          record,
          now,
          by,
          `Refused as out of time: ${requiredText(values, 'timeLimitReason')}`,
          'out-of-time',
        ),
      },
      message: 'The resident has been told why we will not investigate, with the Ombudsman’s details.',
    }),
  },
  respond: {
    respond: ({ record, values, now }) => {
      const outcome = outcomeOf(values);
      return {
        set: {
          status: 'responded',
          outcome,
          progress: withStageProgress(record, { respondedAt: now, response: response(values, outcome) }),
        },
        message: 'Your response has been sent to the resident.',
      };
    },
    extend: ({ policy, record, values, now }) => {
      const days = requiredCount(values, 'extendDays');
      const progress = stageProgress(record);
      const room = extensionRoom(policy, record);
      const { current, told, least } = room;
      // Whatever the number: no extension helps (the form no longer offers one), and the cap's
      // refusal of a larger number would only lead to this one.
      const cannot = extensionCannotReachTold(room);
      if (cannot) throw new DecisionRefusedError({ extendDays: cannot });
      try {
        // The cap runs from the deadline before any extension, so several together cannot pass it
        // (worked out here alone: the task page and its form need only the days left).
        const original = deriveDeadlines(policy, {
          ...record,
          progress: withStageProgress(record, { extensionDays: 0 }),
        })[record.stage === 2 ? 'stage2RespondBy' : 'respondBy'] as string;
        extendDeadline(policy, current, days, record.stage, original);
      } catch (error: unknown) {
        if (error instanceof ExtensionLimitError)
          throw new DecisionRefusedError({ extendDays: error.message });
        throw error;
      }
      if (told !== undefined && Date.parse(plusWorkingDays(policy, current, days)) < Date.parse(told)) {
        throw new DecisionRefusedError({
          extendDays: `We have told the resident to expect the response by ${writtenOn(told)}. Extend by at least ${least} working days, or respond by then.`,
        });
      }
      // After a holding letter, the extension letter moves on from the date it gave (or keeps it).
      const from = told;
      return {
        set: {
          progress: withStageProgress(record, {
            extensionDays: (progress.extensionDays ?? 0) + days,
            extensions: [
              ...(progress.extensions ?? []),
              // Required unless the policy says otherwise (`extension.reasonsRequired`, checked by the form).
              { at: now, days, reason: text(values, 'reason') ?? '', ...(from ? { from } : {}) },
            ],
          }),
        },
        message: 'The resident has been told the new date and the reason.',
      };
    },
    pause: ({ record, values, now, by }) => ({
      set: {
        status: 'paused',
        progress: withStageProgress(record, { pausedAt: now, pauseKind: pauseKindOf(values) }),
        notes: note(record, now, by, text(values, 'pauseNote'), 'pause'),
      },
      message:
        'The clock is paused and the resident has been told. Use the link in your next email to restart it.',
    }),
    reassign,
    // Not `reason`: the extension has one, and each field name appears once per form.
    'refer-vexatious': referVexatious('referralReason'),
  },
  resume: {
    resume: ({ policy, record, now }) => {
      const progress = stageProgress(record);
      const paused = progress.pausedAt
        ? calendarFor(policy).workingDaysBetween(londonDate(progress.pausedAt), londonDate(now))
        : 0;
      const { pausedAt: _dropped, ...rest } = progress;
      return {
        set: {
          status: 'investigating',
          progress: {
            ...record.progress,
            [record.stage === 2 ? 'stage2' : 'stage1']: {
              ...rest,
              pausedWorkingDays: (progress.pausedWorkingDays ?? 0) + paused,
            },
          },
        },
        message: 'The clock has restarted and the resident has been told the new date.',
      };
    },
  },
  'stage-2-request': {
    request: ({ record, values, now }) => {
      const groundsText = text(values, 'response');
      return {
        set: {
          status: 'stage-2-requested',
          progress: {
            ...record.progress,
            stage2: {
              startedAt: now,
              grounds: typeof values.grounds === 'string' ? [values.grounds] : [],
              ...(groundsText ? { groundsText } : {}),
            },
          },
        },
        message:
          'We have your request for a review. A senior officer will look at it and we will write to you.',
      };
    },
  },
  'stage-2-decision': {
    // The workflow starts stage 2 itself (new clocks, a new acknowledgement task).
    accept: () => ({ set: {}, message: 'Stage 2 has started. You will get the acknowledgement task next.' }),
    refuse: ({ record, values, now, by }) => ({
      set: {
        status: 'responded',
        notes: note(record, now, by, `Stage 2 refused: ${text(values, 'reason')}`, 'stage-2-refused'),
      },
      message: 'The resident has been told why stage 2 was refused, with the ombudsman details.',
    }),
    // South Norfolk Council Complaints Policy: "try to deal with the cause of the
    // dissatisfaction before it escalates to Stage 2".
    resolve: ({ record, values, now }) => ({
      set: {
        status: 'responded',
        progress: {
          ...record.progress,
          stage2: {
            ...(record.progress.stage2 ?? { startedAt: now }),
            respondedAt: now,
            response: { reasons: requiredText(values, 'resolution') },
          },
        },
      },
      message:
        'The resident has been sent what you agreed, with the ombudsman details. Stage 2 will not start.',
    }),
  },
  'late-stage-2-request': {
    'accept-late': ({ record, values, now, by }) => ({
      set: {
        status: 'stage-2-requested',
        notes: note(record, now, by, `Late stage 2 request accepted: ${requiredText(values, 'reason')}`),
        progress: { ...record.progress, stage2: { startedAt: now, grounds: [] } },
      },
      message: 'The late request is accepted and goes on as a request for stage 2.',
    }),
  },
  'confirm-exclusion': {
    confirm: ({ policy, record, values, now, by }) => {
      const checked = checkedReferralOf(policy, record);
      return {
        set: { notes: note(record, now, by, text(values, 'reason')) },
        message: checked
          ? `Confirmed. The case stays with ${checked.team}. You will be asked to check by ${writtenOn(waitDeadlineFrom(policy, 'referral-check', record.receivedAt))} that they picked it up.`
          : 'Confirmed. The case stays where it was sent, and is closed here.',
      };
    },
    'handle-as-complaint': bringIntoProcedure(BROUGHT_INTO_PROCEDURE),
  },
  'referral-check': {
    'picked-up': ({ policy, record, values, now, by }) => {
      const team = checkedReferralOf(policy, record)?.team ?? 'the team it was passed to';
      return {
        set: { notes: note(record, now, by, `Picked up by ${team}. ${text(values, 'reason') ?? ''}`.trim()) },
        message: `Recorded. The case stays with ${team}, and is closed here.`,
      };
    },
    'handle-as-complaint': bringIntoProcedure(SENT_BACK_AS_NOT_THEIRS),
  },
  'vexatious-decision': {
    designate: ({ record, values, now, by }) => ({
      set: {
        vexatious: true,
        notes: note(record, now, by, text(values, 'reason'), 'vexatious-decision'),
        // The workspace records its own (restrictions, review date) in the decision's write; an
        // emailed decision gets the standing restriction and the default review date.
        designation:
          record.designation && record.designation.liftedAt === undefined
            ? record.designation
            : defaultDesignation(now, actor(record), text(values, 'reason') ?? ''),
      },
      message: 'The complainant is designated and has been told. Their later contact will come to you.',
    }),
    'do-not-designate': (input) => {
      const { designation } = input.record;
      if ((designation && designation.liftedAt === undefined) || input.complainantDesignated) {
        // A designation is lifted by its review, with the nominated officer's reasons for that
        // (`reviewDesignation`); a "no" to this referral is not one, and would leave it standing.
        throw new DecisionRefusedError({
          decision:
            'The complainant is already designated, and “Do not designate” does not lift it. To lift it, use “Review the designation” in the staff workspace, on the case it was made on, and choose “Lift the designation”, then decide here',
        });
      }
      return doNotDesignate(input);
    },
  },
  'nominated-contact': {
    handle: handleAsComplaint,
    'no-further-action': closeWithReasons(),
  },
  'anonymous-review': {
    investigate: handleAsComplaint,
    'no-action': closeWithReasons(),
  },
  consent: {
    // The complaint's clocks start when consent is given, as the representative was told.
    'consent-received': ({ record, now }) => ({
      set: {
        ...(record.onBehalfOf ? { onBehalfOf: { ...record.onBehalfOf, consent: true } } : {}),
        progress: withStageProgress(record, { startedAt: now }),
      },
      message: 'Consent is recorded and the complaint goes ahead. Its timescales start today.',
    }),
    'no-consent': closeWithReasons('consent-not-given'),
  },
  'compliment-pass-on': {
    'passed-on': ({ record, values }) => ({
      set: {
        staffNamed: (text(values, 'staffNamed') ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        progress: withStageProgress(record, { response: response(values) }),
      },
      message: 'Thank you. The compliment is recorded against the service and the staff named.',
    }),
  },
  'comment-reply': { reply },
  'representation-feedback': { feedback: reply },
  'social-care-plan': { 'agree-plan': agreePlan },
  'social-care-review': {
    resolved: ({ record, values, now }) => ({
      set: { progress: withStageProgress(record, { respondedAt: now, response: response(values) }) },
      message: 'The complaint is recorded as resolved to the complainant’s satisfaction.',
    }),
    'new-plan': agreePlan,
    'propose-closing': ({ record, values, now, by }) => ({
      set: {
        status: 'awaiting-decision',
        notes: note(record, now, by, text(values, 'reason'), 'social-care-closed'),
      },
      message: 'The director has been asked to sign off closing the complaint.',
    }),
  },
  'sign-off': {
    approve: ({ record, now }) => ({
      set: {
        progress: withStageProgress(record, {
          respondedAt: now,
          response: { reasons: 'An appropriate and proportional response has been given.' },
        }),
      },
      message: 'Signed off. The complainant has been told, with the ombudsman details.',
    }),
    decline: ({ record, values, now, by }) => ({
      set: { status: 'investigating', notes: note(record, now, by, text(values, 'reason')) },
      message: 'Declined. The complaints team will continue the feedback loop.',
    }),
  },
};

/** Every non-completing decision's rule, by task then decision. */
export const RECORDING_RULES: RecordingRules = {
  respond: {
    // South Norfolk Council Complaints Policy: "contact the complainant to discuss the complaint
    // and agree what we are going to do". The call is kept on the case; the task stays open.
    'record-contact': ({ record, values, now, by }) => ({
      set: { notes: note(record, now, by, text(values, 'contactNote')) },
      message:
        'The conversation is recorded on the case. The task is still open: use the same link when you are ready.',
      event: 'contact-with-resident',
    }),
  },
};

/** The rule of `decision` in `rules`, or `UnknownDecisionError` when there is none. */
function ruleOf<R>(rules: Readonly<Record<string, R>> | undefined, task: string, decision: string): R {
  const rule = rules && Object.hasOwn(rules, decision) ? rules[decision] : undefined;
  if (!rule) throw new UnknownDecisionError(task, decision);
  return rule;
}

/** Tasks whose officer handles the complaint at stage 1, and so may not handle stage 2. */
const STAGE_1_TASKS: readonly TaskName[] = ['acknowledge', 'respond', 'resume'];

/**
 * What a decision that finishes a task does to the case, with the case's clocks derived again
 * from the changed facts (an acknowledgement, an extension, a pause…). A case redirected away
 * from the complaints process keeps the clocks it had: none run on it any more.
 */
export function applyDecision<T extends TaskName>(
  task: T,
  decision: DecisionOf<T>,
  input: DecisionInput,
): DecisionEffect {
  // A task and a decision chosen at run time are not tied together by their types, so the
  // lookup is checked; the table's type is what proves every pair has a rule.
  const rules: Readonly<Record<string, DecisionRule>> = DECISION_RULES[task];
  const effect = ruleOf(rules, task, decision)(input);
  const set: Partial<CaseRecord> = { ...effect.set };
  if (isWaitTask(task) && input.record.waits?.[task]) {
    // The wait is over: a later wait of the same kind starts afresh.
    const { [task]: _done, ...others } = input.record.waits;
    set.waits = others;
  }
  if (input.record.stage === 1 && input.record.openTask && STAGE_1_TASKS.includes(task)) {
    // Whoever acted: the person signed in to the workspace, or the task's officer through their
    // link. A complaints officer moving the case hands the old team's task on; the old team did
    // nothing, and recorded here it could never handle the complaint at stage 2.
    const who = input.by ?? input.record.openTask.officer;
    const handlers = input.record.stage1Handlers ?? [];
    if (!handlers.includes(who)) set.stage1Handlers = [...handlers, who];
  }
  const next: CaseRecord = { ...input.record, ...set };
  if (next.status !== 'redirected') set.deadlines = deriveDeadlines(input.policy, next);
  return { set, message: effect.message };
}

/** What a non-completing decision records on the case; the task stays open. */
export function applyRecording(task: TaskName, decision: string, input: DecisionInput): RecordingEffect {
  const rules: Readonly<Record<string, Readonly<Record<string, RecordingRule>>>> = RECORDING_RULES;
  return ruleOf(rules[task], task, decision)(input);
}
