/**
 * The officer task forms, as data: the one definition of each form's decisions and fields. The
 * task page renders them (`functions/web/render.ts`) and the task use case validates a POST
 * with a zod schema built from the very same definitions (`task-form-schema.ts`), so a field
 * name, a bound or an error message can never drift between the two.
 *
 * They live with the use case, not with the pages: they are the input contract of `POST
 * /tasks/{token}` (as `intake-schema.ts` is of `POST /complaints`), and the use case must not
 * depend on how pages are drawn.
 *
 * Field names are unique within a form (a hidden conditional field is still submitted, and the
 * form parser keeps the last of repeated names), so each decision owns its fields and shared
 * fields live in `fields` on the form.
 */
import { OUTCOMES, type Stage } from '../domain/types.js';
import type { DecisionOf, NON_COMPLETING_DECISIONS, TaskName } from '../domain/workflow-names.js';

/** The non-completing decisions of one task (none for most tasks). */
export type NonCompletingDecisionOf<T extends TaskName> = T extends keyof typeof NON_COMPLETING_DECISIONS
  ? (typeof NON_COMPLETING_DECISIONS)[T][number]
  : never;

/** Every decision the form of task `T` may offer: those that finish it and those that do not. */
export type FormDecisionOf<T extends TaskName> = DecisionOf<T> | NonCompletingDecisionOf<T>;

/** One input on a task form. `name` is the form field name and the element id. */
export interface TaskField {
  name: string;
  label: string;
  hint?: string;
  type: 'textarea' | 'text' | 'email' | 'number' | 'radios' | 'checkbox';
  required: boolean;
  /** Shown when a required field is empty (GOV.UK style: says what to do). */
  requiredMessage?: string;
  /**
   * How the other messages name the field, when its label is a question ("Where should the
   * resident go instead?" is named "Where the resident should go instead"); the label otherwise.
   */
  errorName?: string;
  /** Radios: the choices. Checkbox: the single value sent when ticked (default `yes`). */
  options?: readonly { value: string; label: string; hint?: string }[];
  /** Text, textarea and email: longest answer accepted (a textarea gets a character count). */
  maxLength?: number;
  /** Number: inclusive bounds. */
  min?: number;
  max?: number;
}

/** One choice an officer can make on a task, with the fields that choice needs. */
export interface TaskDecision<V extends string = string> {
  value: V;
  label: string;
  hint?: string;
  fields: readonly TaskField[];
}

/** A whole task form. A form with one decision sends it as a hidden field and shows no radios. */
export interface TaskForm<T extends TaskName = TaskName> {
  name: T;
  /** The page heading. */
  title: string;
  /** One or two sentences under the heading saying what is asked. */
  intro: string;
  /**
   * The heading and intro at stage 2 of a complaint, where the same task asks something else
   * (the review of the stage-1 response the resident asked for); the form's own elsewhere.
   */
  stage2?: { title: string; intro: string };
  /** Legend of the decision radios. */
  question: string;
  /** The choices, in the order shown; each must be a decision of this task. */
  decisions: readonly TaskDecision<FormDecisionOf<T>>[];
  /** Fields every decision needs, shown after the decision radios. */
  fields: readonly TaskField[];
  submitText: string;
}

/** A form for every task, each offering only that task's decisions. */
export type TaskForms = { readonly [T in TaskName]: TaskForm<T> };

const LONG = 5000;

const response = (label: string, hint?: string, required = true): TaskField => ({
  name: 'response',
  label,
  ...(hint ? { hint } : {}),
  type: 'textarea',
  required,
  requiredMessage: `Enter ${label.charAt(0).toLowerCase()}${label.slice(1)}`,
  maxLength: LONG,
});

const reason = (label: string, hint?: string): TaskField => ({
  name: 'reason',
  label,
  ...(hint ? { hint } : {}),
  type: 'textarea',
  required: true,
  requiredMessage: 'Enter the reasons',
  maxLength: 2000,
});

const plan: TaskField = {
  name: 'plan',
  label: 'The resolution plan agreed with the complainant',
  hint: 'What you will do, who will do it, and how you will keep them informed',
  type: 'textarea',
  required: true,
  requiredMessage: 'Enter the resolution plan',
  maxLength: LONG,
};

const agreedWorkingDays: TaskField = {
  name: 'agreedWorkingDays',
  label: 'Agreed timeframe, in working days',
  hint: 'The number of working days the complainant agreed for the response, for example 25',
  type: 'number',
  required: true,
  requiredMessage: 'Enter the agreed timeframe in working days',
  min: 1,
  max: 130,
};

/**
 * What the acknowledgement sets out: our understanding of the complaint and the outcome the
 * resident wants (the Code §5.4). Required here; `formOptions` makes it optional where the
 * policy does (`complaint.understandingAtAcknowledgement`).
 */
const understanding: TaskField = {
  name: 'understanding',
  label: 'Our understanding of the complaint, and the outcome the resident wants',
  hint: 'The resident reads this in their acknowledgement, under “Our understanding of your complaint”. Say what you understand they are unhappy about and what they want to happen. If anything is unclear, ask them first',
  type: 'textarea',
  required: true,
  requiredMessage: 'Enter our understanding of the complaint and the outcome the resident wants',
  errorName: 'Our understanding of the complaint',
  maxLength: 2000,
};

/** Hand the case to another team or officer (acknowledgement and response stages). */
const reassign: TaskDecision<'reassign'> = {
  value: 'reassign',
  label: 'Send it to another team',
  fields: [
    {
      name: 'reassignTo',
      label: 'Email address of the team or officer',
      type: 'email',
      required: true,
      requiredMessage: 'Enter the email address of the team or officer',
      maxLength: 254,
    },
  ],
};

const OUTCOME_LABELS: Record<(typeof OUTCOMES)[number], string> = {
  upheld: 'Upheld',
  'partially-upheld': 'Partially upheld',
  'not-upheld': 'Not upheld',
};

/** How each kind of pause is named on the form and in the letters. */
export const PAUSE_KIND_LABELS = {
  mediation: 'Mediation',
  conciliation: 'Conciliation',
  'legal-proceedings': 'Legal proceedings',
} as const satisfies Record<string, string>;

/** Every task form, by task name. */
export const TASK_FORMS: TaskForms = {
  acknowledge: {
    name: 'acknowledge',
    title: 'Acknowledge this complaint',
    intro: 'Read the complaint and decide how it will be handled. The resident is told what you decide.',
    stage2: {
      title: 'Acknowledge this complaint at stage 2',
      intro:
        'The resident has asked for our stage 1 response to be reviewed. Read the complaint, our stage 1 response and why they asked, then decide how the review will be handled. The resident is told what you decide.',
    },
    question: 'What do you want to do?',
    decisions: [
      {
        value: 'acknowledge',
        label: 'Acknowledge it and investigate',
        hint: 'The resident gets an acknowledgement with the date they will hear from us',
        fields: [understanding],
      },
      {
        value: 'resolve',
        label: 'Resolve it now, at first contact',
        hint: 'You have already put things right and the resident agrees',
        fields: [response('What you did and what we will tell the resident')],
      },
      reassign,
      {
        value: 'not-a-complaint',
        label: 'This is not a complaint',
        hint: 'For example a first report of a problem or a request for a service. It is recorded, not dropped',
        fields: [
          {
            name: 'redirect',
            label: 'Where should the resident go instead?',
            errorName: 'Where the resident should go instead',
            hint: 'Plain English, for example "Report a pothole at www.example.gov.uk/potholes"',
            type: 'textarea',
            required: true,
            requiredMessage: 'Enter where the resident should go instead',
            maxLength: 2000,
          },
        ],
      },
      {
        value: 'refer-vexatious',
        label: 'Refer to the nominated officer as unreasonably persistent',
        hint: 'Only the nominated officer can decide that someone is vexatious',
        fields: [reason('Why you are referring this contact')],
      },
      {
        value: 'refuse-out-of-time',
        label: 'Do not investigate: it was made too late',
        hint: 'Only when there is no good reason it was not made sooner. To investigate it anyway, choose "Acknowledge it and investigate"',
        fields: [
          {
            name: 'timeLimitReason',
            label: 'Why we will not investigate it',
            hint: 'The resident sees this, with the Ombudsman’s details',
            type: 'textarea',
            required: true,
            requiredMessage: 'Enter why we will not investigate it',
            maxLength: 2000,
          },
        ],
      },
    ],
    fields: [],
    submitText: 'Send decision',
  },
  respond: {
    name: 'respond',
    title: 'Respond to this complaint',
    intro: 'Record the outcome of your investigation. The resident gets your response with how to escalate.',
    stage2: {
      title: 'Respond to this complaint at stage 2',
      intro:
        'Record the outcome of your review of our stage 1 response. The resident gets our final response with the Ombudsman’s details.',
    },
    question: 'What do you want to do?',
    decisions: [
      {
        value: 'respond',
        label: 'Send the response',
        fields: [
          {
            name: 'outcome',
            label: 'Outcome',
            type: 'radios',
            required: true,
            requiredMessage: 'Select upheld, partially upheld or not upheld',
            options: OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LABELS[o] })),
          },
          response('The reasons for your decision', 'Explain what you found and why, in plain English'),
          {
            name: 'remedy',
            label: 'How we will put things right (optional)',
            hint: 'For example an apology, a service put right, or a payment',
            type: 'textarea',
            required: false,
            maxLength: LONG,
          },
          {
            name: 'actions',
            label: 'Actions we will take, and by when (optional)',
            type: 'textarea',
            required: false,
            maxLength: LONG,
          },
          {
            name: 'lessons',
            label: 'What the council has learned (optional)',
            hint: 'Used in the annual complaints performance and service improvement report',
            type: 'textarea',
            required: false,
            maxLength: LONG,
          },
        ],
      },
      {
        value: 'extend',
        label: 'Extend the deadline',
        hint: 'The resident is told the new date and your reasons',
        fields: [
          {
            name: 'extendDays',
            label: 'How many more working days do you need?',
            errorName: 'The number of working days',
            type: 'number',
            required: true,
            requiredMessage: 'Enter how many more working days you need',
            min: 1,
            max: 20,
          },
          reason('Why you need more time', 'The resident sees this'),
        ],
      },
      {
        value: 'pause',
        label: 'Pause the complaint',
        hint: 'For mediation, conciliation or legal proceedings, only with the resident’s agreement',
        fields: [
          {
            // Options from the policy's pause kinds (`formOptions`).
            name: 'pauseKind',
            label: 'What is the complaint paused for?',
            type: 'radios',
            required: true,
            requiredMessage: 'Select what the complaint is paused for',
            options: [],
          },
          {
            name: 'residentAgreed',
            label: 'The resident has agreed to pause the complaint',
            type: 'checkbox',
            required: true,
            requiredMessage: 'Confirm the resident has agreed to pause the complaint',
          },
          {
            name: 'pauseNote',
            label: 'Details the resident is told (optional)',
            type: 'textarea',
            required: false,
            maxLength: 2000,
          },
        ],
      },
      {
        value: 'record-contact',
        label: 'Record a conversation with the resident',
        hint: 'For example the call to discuss the complaint and agree what we will do. The task stays open',
        fields: [
          {
            name: 'contactNote',
            label: 'What was discussed and agreed',
            type: 'textarea',
            required: true,
            requiredMessage: 'Enter what was discussed and agreed',
            maxLength: 5000,
          },
        ],
      },
      reassign,
      {
        value: 'refer-vexatious',
        label: 'Refer to the nominated officer as unreasonably persistent',
        hint: 'Only the nominated officer can decide that someone is vexatious',
        // Not `reason`: the extension above has one, and each name appears once per form.
        fields: [{ ...reason('Why you are referring this contact'), name: 'referralReason' }],
      },
    ],
    fields: [],
    submitText: 'Send',
  },
  'stage-2-decision': {
    name: 'stage-2-decision',
    title: 'Decide on a request for stage 2',
    intro:
      'The resident has asked for their complaint to be looked at again. They do not have to give reasons unless the policy asks for grounds.',
    question: 'Will the complaint go to stage 2?',
    decisions: [
      { value: 'accept', label: 'Yes, accept it for stage 2', fields: [] },
      {
        value: 'refuse',
        label: 'No, decline it',
        hint: 'For example, there are no grounds for a review. The resident is told why and how to contact the Ombudsman',
        fields: [reason('Why the request is declined', 'The resident sees this')],
      },
      {
        value: 'resolve',
        label: 'It has been resolved with the resident without stage 2',
        hint: 'You dealt with the cause of their dissatisfaction and they agree. They are sent what you agreed',
        fields: [
          {
            name: 'resolution',
            label: 'What was agreed with the resident',
            hint: 'The resident sees this',
            type: 'textarea',
            required: true,
            requiredMessage: 'Enter what was agreed with the resident',
            maxLength: LONG,
          },
        ],
      },
    ],
    fields: [],
    submitText: 'Send decision',
  },
  'late-stage-2-request': {
    name: 'late-stage-2-request',
    title: 'Accept a late request for stage 2',
    intro:
      'The time to ask for stage 2 has ended and the resident has been told. If they ask late with a good reason, such as illness, accept the request here. Otherwise do nothing: the case closes by itself.',
    question: 'Late request',
    decisions: [
      {
        value: 'accept-late',
        label: 'Accept the late request',
        fields: [reason('The resident’s reason for asking late', 'Recorded on the case')],
      },
    ],
    fields: [],
    submitText: 'Accept the late request',
  },
  'confirm-exclusion': {
    name: 'confirm-exclusion',
    title: 'Check a message we did not treat as a complaint',
    intro:
      'Words in this message matched one of the matters the complaints procedure does not cover, so it was sent elsewhere and the resident was told. A match is only a suggestion: check it.',
    question: 'Is it a complaint?',
    decisions: [
      {
        value: 'confirm',
        label: 'No, it is not a complaint: leave it where it was sent',
        fields: [
          {
            name: 'reason',
            label: 'Note for the case (optional)',
            type: 'textarea',
            required: false,
            maxLength: 2000,
          },
        ],
      },
      {
        value: 'handle-as-complaint',
        label: 'Yes, it is a complaint: bring it into the complaints procedure',
        hint: 'For example a complaint about how an officer behaved. The resident gets a receipt and the service investigates',
        fields: [{ ...reason('Why it is a complaint'), name: 'complaintReason' }],
      },
    ],
    fields: [],
    submitText: 'Send decision',
  },
  'referral-check': {
    name: 'referral-check',
    title: 'Check that a referral was picked up',
    intro:
      'This message was passed to another team of the council and the resident was told they have it. Check with that team that they picked it up. If they say it is not theirs, bring it back into the complaints procedure: its timescales count from the day we first received it.',
    question: 'Has the team picked it up?',
    decisions: [
      {
        value: 'picked-up',
        label: 'Yes, they have it: close it here',
        fields: [
          {
            name: 'reason',
            label: 'Note for the case (optional)',
            hint: 'For example who confirmed it, and when',
            type: 'textarea',
            required: false,
            maxLength: 2000,
          },
        ],
      },
      {
        value: 'handle-as-complaint',
        label: 'No, they say it is not theirs: bring it into the complaints procedure',
        hint: 'For example a children’s social care referral that is about an adult’s care. The resident gets a receipt and the service investigates',
        fields: [
          { ...reason('What the team said, and why it is a complaint for us'), name: 'complaintReason' },
        ],
      },
    ],
    fields: [],
    submitText: 'Send decision',
  },
  'social-care-plan': {
    name: 'social-care-plan',
    title: 'Agree a resolution plan',
    intro:
      'Talk to the complainant to understand their complaint, then record the plan and timeframe you agreed with them.',
    question: 'Resolution plan',
    decisions: [{ value: 'agree-plan', label: 'Agree the plan', fields: [plan, agreedWorkingDays] }],
    fields: [],
    submitText: 'Save the plan',
  },
  'social-care-review': {
    name: 'social-care-review',
    title: 'Review the resolution plan',
    intro: 'Check with the complainant whether the plan has resolved their complaint.',
    question: 'What has happened?',
    decisions: [
      {
        value: 'resolved',
        label: 'The complainant is satisfied',
        fields: [response('What we will tell the complainant')],
      },
      {
        value: 'new-plan',
        label: 'Agree a new plan',
        fields: [plan, agreedWorkingDays],
      },
      {
        value: 'propose-closing',
        label: 'Propose closing as an appropriate and proportional response given',
        hint: 'A director must sign this off before the complaint is closed',
        fields: [reason('Why the response was appropriate and proportional')],
      },
    ],
    fields: [],
    submitText: 'Send',
  },
  'sign-off': {
    name: 'sign-off',
    title: 'Sign off closing this complaint',
    intro:
      'The complaint is proposed for closing as "appropriate and proportional response given". Only you can approve this.',
    question: 'Do you approve closing it?',
    decisions: [
      { value: 'approve', label: 'Yes, approve closing it', fields: [] },
      { value: 'decline', label: 'No, decline', fields: [reason('Why you decline')] },
    ],
    fields: [],
    submitText: 'Send decision',
  },
  'vexatious-decision': {
    name: 'vexatious-decision',
    title: 'Decide whether to designate this contact as unreasonably persistent',
    intro:
      'You are the nominated officer. If you designate the complainant, their later contact comes to you; it is never lost.',
    question: 'What is your decision?',
    decisions: [
      { value: 'designate', label: 'Designate as unreasonably persistent', fields: [] },
      {
        value: 'do-not-designate',
        label: 'Do not designate',
        hint: 'The complaint continues as normal',
        fields: [],
      },
    ],
    fields: [reason('Your reasons', 'Recorded on the case. The complainant is told the outcome')],
    submitText: 'Send decision',
  },
  'compliment-pass-on': {
    name: 'compliment-pass-on',
    title: 'Pass on this compliment',
    intro: 'Pass the compliment to the service and to any staff named, then confirm here.',
    question: 'Compliment',
    decisions: [
      {
        value: 'passed-on',
        label: 'Passed on',
        fields: [
          {
            name: 'staffNamed',
            label: 'Staff named in the compliment (optional)',
            type: 'text',
            required: false,
            maxLength: 500,
          },
          response('Reply to the resident (optional)', undefined, false),
        ],
      },
    ],
    fields: [],
    submitText: 'Confirm passed on',
  },
  'comment-reply': {
    name: 'comment-reply',
    title: 'Reply to this comment',
    intro: 'Reply in full, or say why you cannot reply yet and when you will.',
    question: 'Reply',
    decisions: [{ value: 'reply', label: 'Reply', fields: [response('Your reply to the resident')] }],
    fields: [],
    submitText: 'Send reply',
  },
  'representation-feedback': {
    name: 'representation-feedback',
    title: 'Give feedback on this representation',
    intro: 'The resident raised a concern about a council policy. Tell them how it has been considered.',
    question: 'Feedback',
    decisions: [
      {
        value: 'feedback',
        label: 'Feedback',
        fields: [response('Your feedback to the resident')],
      },
    ],
    fields: [],
    submitText: 'Send feedback',
  },
  resume: {
    name: 'resume',
    title: 'Restart the clock on this complaint',
    intro:
      'The complaint is paused for mediation or conciliation. Restart the clock when that has ended: the response date moves on by the working days it was paused, and the resident is told the new date.',
    question: 'Restart the clock',
    decisions: [{ value: 'resume', label: 'Restart the clock', fields: [] }],
    fields: [],
    submitText: 'Restart the clock',
  },
  'stage-2-request': {
    name: 'stage-2-request',
    title: 'Ask us to look at your complaint again',
    intro:
      'If you are unhappy with our response, a more senior officer will review it. You can ask until the date in our response email.',
    question: 'Review',
    decisions: [
      {
        value: 'request',
        label: 'Ask for a review',
        fields: [
          {
            // Options and whether it is asked come from the policy's grounds (`formOptions`).
            name: 'grounds',
            label: 'Why are you asking for a review?',
            type: 'radios',
            required: true,
            requiredMessage: 'Select why you are asking for a review',
            options: [],
          },
          response(
            'Why you are unhappy with our response (optional)',
            'Tell us what you think we got wrong, or what we missed',
            false,
          ),
        ],
      },
    ],
    fields: [],
    submitText: 'Ask for a review',
  },
  'nominated-contact': {
    name: 'nominated-contact',
    title: 'New contact from a complainant designated as unreasonably persistent',
    intro:
      'You are the nominated officer. Decide whether this contact is handled as a new complaint. It is recorded either way.',
    question: 'What do you want to do?',
    decisions: [
      {
        value: 'handle',
        label: 'Handle it as a new complaint',
        hint: 'It goes to the service as normal',
        fields: [],
      },
      {
        value: 'no-further-action',
        label: 'No further action',
        fields: [reason('Why no further action is needed')],
      },
    ],
    fields: [],
    submitText: 'Send decision',
  },
  'anonymous-review': {
    name: 'anonymous-review',
    title: 'Decide what to do with this anonymous complaint',
    intro:
      'Anonymous complaints are referred to the relevant manager to agree a course of action, if any. We cannot reply to the person.',
    question: 'What do you want to do?',
    decisions: [
      {
        value: 'investigate',
        label: 'Investigate it',
        hint: 'It goes through the complaints procedure without replies',
        fields: [],
      },
      { value: 'no-action', label: 'Take no action', fields: [reason('Why no action will be taken')] },
    ],
    fields: [],
    submitText: 'Send decision',
  },
  consent: {
    name: 'consent',
    title: 'Check consent for a representative',
    intro:
      'Someone is complaining for another person, without saying that person agreed. Ask for their consent, or record why they cannot give it.',
    question: 'Has consent been given?',
    decisions: [
      {
        value: 'consent-received',
        label: 'Yes, consent is recorded, or they cannot give it and a representative is appropriate',
        fields: [],
      },
      {
        value: 'no-consent',
        label: 'No, consent was refused or not given',
        fields: [reason('What happened')],
      },
    ],
    fields: [],
    submitText: 'Send decision',
  },
};

/** The task's form as an officer reads it on a case at `stage`: stage 2's heading and intro where it has its own. */
export function taskFormAt<T extends TaskName>(task: T, stage: Stage | undefined): TaskForm<T> {
  const form: TaskForm<T> = TASK_FORMS[task];
  return stage === 2 && form.stage2 ? { ...form, ...form.stage2 } : form;
}

/** Per-case narrowing of a task form, from the policy and the case's state. */
export interface TaskFormOptions {
  /** Decisions offered (e.g. leave out `extend` when the policy allows no extension). Default: all. */
  allowed?: readonly string[];
  /** Upper bounds for number fields, by field name (e.g. `extendDays` capped by the policy). */
  max?: Readonly<Record<string, number>>;
  /** Fields the policy makes optional (e.g. the extension's reasons when `reasonsRequired` is false). */
  optional?: readonly string[];
  /** Radio options from the policy, by field name; a radios field with no options is not asked. */
  choices?: Readonly<Record<string, readonly { value: string; label: string; hint?: string }[]>>;
}

/** The decisions offered and the bound of each number field, after applying `options`. */
export function effectiveDecisions<T extends TaskName>(
  task: T,
  options: TaskFormOptions = {},
): TaskDecision<FormDecisionOf<T>>[] {
  const { allowed, max = {}, choices = {}, optional = [] } = options;
  const decisions: readonly TaskDecision<FormDecisionOf<T>>[] = TASK_FORMS[task].decisions;
  return decisions
    .filter((d) => !allowed || allowed.includes(d.value))
    .map((d) => ({
      ...d,
      fields: d.fields
        .map((f) => {
          if (f.type === 'number' && max[f.name] !== undefined) return { ...f, max: max[f.name] };
          if (f.type === 'radios' && choices[f.name]) return { ...f, options: choices[f.name] };
          if (optional.includes(f.name)) return { ...f, required: false, label: `${f.label} (optional)` };
          return f;
        })
        .filter((f) => f.type !== 'radios' || (f.options?.length ?? 0) > 0),
    }));
}
