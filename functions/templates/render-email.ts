import { join } from 'node:path';
import nunjucks from 'nunjucks';
import type { Language } from '../domain/language.js';
import { londonWallClock, writtenDate } from '../domain/london-time.js';
import { type OmbudsmanDetails, ombudsmanForService } from '../domain/ombudsmen.js';
import type { Policy } from '../domain/policy-schema.js';
import type { CaseKind, IsoDate, IsoTimestamp, Outcome, Stage } from '../domain/types.js';
import { isTaskName, type TaskName } from '../domain/workflow-names.js';
import { EMAIL_SOURCES } from './email/index.js';
import { escapeHtml } from './escape-html.js';
import { ENGLISH_MARK } from './letter-blocks.js';
import {
  EMAIL_COMPILE_OPTIONS,
  type EmailPart,
  emailSource,
  emailSourceName,
  emailSourceOrigin,
  templateModule,
} from './precompiled-emails.js';
import { compiledCode } from './precompiled-module.js';
import { WELSH_WORDS } from './welsh-words.js';

export type { OmbudsmanDetails };

/**
 * Renders the emails Redress sends, as plain text and accessible HTML, from nunjucks templates.
 *
 * Why the templates are TypeScript modules (`./email/<name>.ts` exporting template strings) and
 * not `.njk` files read from disk: the same code runs under tsx and vitest (where
 * `new URL('./email/', import.meta.url)` would find the files) and inside a Lambda bundled by
 * esbuild into one file (where there is no such folder unless every function's bundling copies
 * it). Template strings are bundled like any other code, so there is nothing to copy, no path
 * to get wrong and no disk read at run time. Templates `{% extends %}` the shared layouts and
 * `{% include %}` the shared partials (`./email/layout.ts`), which are written into each template
 * before it is compiled (`inline-partials.ts`): nunjucks then renders one template, not a chain.
 *
 * nunjucks is CommonJS: an ESM bundle needs esbuild's usual `createRequire` banner so that its
 * `require('events')` etc. work (the banner `RedressFunction` gives every bundle), or bundle as CommonJS.
 */

/** Thrown when an email cannot be rendered (unknown template, missing or malformed data). */
export class EmailTemplateError extends Error {
  override name = 'EmailTemplateError';
}

/** What a complaint is paused for, as the letters name it. */
export type PauseMethod = 'mediation' | 'conciliation' | 'legal proceedings';

/** Every email names the council and the case reference. */
interface CommonData {
  council: string;
  reference: string;
}

/** Emails to residents: greeted by name when we have one. */
interface ResidentData extends CommonData {
  residentName?: string;
}

/** Emails to staff. */
interface StaffData extends CommonData {
  officerName?: string;
}

/** A date shown to a reader: an ISO timestamp (shown as its Europe/London date) or a `YYYY-MM-DD` date. */
export type EmailDate = IsoTimestamp | IsoDate;

/** What a complaint response says: outcome, reasons, remedy and actions (Dudley MBC Corporate Customer Feedback Procedure, June 2019, §5). */
interface OutcomeData {
  /** `resolved`: resolved at first contact, with no finding of fault either way. */
  outcome: Outcome | 'resolved';
  /** The reasons for the decision, in the officer's words. */
  reasons: string;
  /** What we will do to put things right for this resident (apology, payment, service reinstated…). */
  remedy?: string;
  /** Changes we will make so it does not happen again. */
  actions?: string[];
  /** Who is responding (name and job title). */
  respondent: string;
}

/** A task sent to an officer: what to do, by when, and the signed link to the task page. */
interface OfficerTaskData extends StaffData {
  /** Task name, e.g. `acknowledge`, `respond`, `stage-2-decision` (see `TASK_DESCRIPTIONS`). */
  task: string;
  caseKind: CaseKind;
  stage: Stage;
  service?: string;
  /** The resident's summary, so the officer knows what it is about. */
  summary: string;
  dueBy: EmailDate;
  /** The signed task-page link (never a raw Step Functions task token). */
  taskUrl: string;
  /** Sent again from the staff workspace: the task is not new, only its link. */
  reissued?: boolean;
  /** A chased wait: who is told if it is missed (no holding letter goes to the resident). */
  escalatesTo?: string;
  /** A complaint's response: when the resident is sent a holding letter unless it has gone. */
  holdingLetterAt?: EmailDate;
  /** That letter goes now, with the reminder (a resident who gets post is written to early). */
  holdingLetterToday?: boolean;
  /** How the resident asked us to contact them (large print, a phone call …), as they said it. */
  accessibilityNeeds?: string;
  /** The check that a referral was picked up: the team it went to and its address, to ask. */
  passedTo?: string;
  /**
   * A task on a request for stage 2 (the decision on it, or stage 2 itself): why the resident
   * asked, as they gave it then, so the officer can act from the email.
   */
  stage2Request?: Stage2RequestReasons;
  /** On the same tasks: what we answered at stage 1, which the resident asked to be reviewed. */
  stage1Response?: Stage1ResponseSummary;
}

/** The stage-1 response a stage-2 task is about: its outcome and the officer's reasons. */
export interface Stage1ResponseSummary {
  /** `resolved`: resolved at first contact, with no finding either way. */
  outcome: Outcome | 'resolved';
  /** The reasons sent to the resident; the email shows up to `QUOTED_IN_TASK_EMAILS` characters of them. */
  text: string;
}

/** Why a resident asked for stage 2: what was wrong with the stage-1 response, in their words. */
export interface Stage2RequestReasons {
  /** The policy's grounds they chose, by their English label (officers read English). */
  grounds: string[];
  /** What they wrote; the email shows up to `QUOTED_IN_TASK_EMAILS` characters of it. */
  text?: string;
}

/**
 * How much of a long text an officer's task email quotes (the resident's stage-2 reasons, the
 * stage-1 response): about 250 words, three or four paragraphs. The forms take up to 5,000
 * characters; the task page shows all of them.
 */
export const QUOTED_IN_TASK_EMAILS = 1500;

/** The data each email needs, and no more. */
export interface EmailData {
  // --- to residents ---
  /** Sent at once to an address not yet confirmed: carries nothing the sender typed. */
  receipt: CommonData & {
    kind: CaseKind;
    receivedAt: EmailDate;
    acknowledgeBy?: EmailDate;
    /** Response, reply or feedback date, depending on the kind. */
    respondBy?: EmailDate;
    /** A comment's reply or a representation's feedback date that had passed when the receipt went. */
    answerByPassed?: EmailDate;
    /** The "Check your complaint" page, where they can ask for a link to see the case later. */
    checkUrl?: string;
    /**
     * A message sent elsewhere at intake, now brought into the complaints procedure: the team it
     * was passed to (absent when the resident was only told where to go), and whether that team
     * sent it back as not theirs (else the complaints team looked at it again).
     */
    broughtBack?: { team?: string; notTheirs: boolean };
  };
  /** "Check your complaint": a one-time link to see the case, to the case's own address only. */
  'sign-in-link': CommonData & { kind: CaseKind; signInUrl: string; validMinutes: number };
  /** `agreeTimescale`: statutory social care, where the response date is agreed in the plan, not set now. */
  acknowledgement: ResidentData & {
    handledBy: string;
    respondBy: EmailDate;
    agreeTimescale?: boolean;
    /** `respondBy` had passed when the acknowledgement went: a holding letter gives the new date. */
    respondByPassed?: boolean;
    /** Our understanding of the complaint and the outcome wanted, in the officer's words. */
    understanding?: string;
  };
  /** Sent at once to an address not yet confirmed: carries nothing the sender typed. */
  redirect: CommonData & {
    redirect: string;
    /**
     * The team the message was passed to, and the day they will contact the resident by; no day
     * where the procedure that takes it sets its own timescales in law (children's social care);
     * and the address to reach them at (none when the team's name gives it already).
     */
    referral?: { team: string; contactBy?: EmailDate; email?: string };
    /**
     * Told where to go (the case not emailed there): how to reach them, the web page and phone
     * number the policy names; `named` when the words they are told give it already; with
     * nothing, the letter has them ask us.
     */
    reach?: { team?: string; url?: string; phone?: string; named?: true };
    /** The complaints team will check it is not a complaint. */
    checked?: boolean;
    /**
     * A complaint passed to social care's procedure set by law: the letter says it was passed on
     * and may come back to the corporate procedure, not that it was not treated as a complaint.
     */
    ownProcedure?: boolean;
    /** The right to take the decision to the Ombudsman (the Code §2.4). */
    ombudsman?: OmbudsmanDetails;
  };
  'not-a-complaint': ResidentData & { explanation: string; reportUrl?: string; ombudsman: OmbudsmanDetails };
  'holding-letter': ResidentData & {
    kind: CaseKind;
    stage: Stage;
    /** The date we told the resident. */
    promisedDate: EmailDate;
    /** It has passed already (the letter goes late: a late-entered case, a long outage). */
    late?: boolean;
    /** The date we now commit to: the one the workflow escalates at if it passes too. */
    newDate: EmailDate;
    reason: string;
    /**
     * A complaint's letter, where the policy gives the Ombudsman's details with a later date
     * (the Code §6.5): as with an extension.
     */
    ombudsman?: OmbudsmanDetails;
    /** With the Ombudsman's details, once the reply is late: the Ombudsman may not wait for the procedure to end. */
    replyLate?: boolean;
  };
  extension: ResidentData & {
    stage: Stage;
    previousDate: EmailDate;
    newDate: EmailDate;
    reason: string;
    /** Present when the policy says extension letters carry the ombudsman's details. */
    ombudsman?: OmbudsmanDetails;
  };
  pause: ResidentData & { method: PauseMethod; reason?: string; reviewBy?: EmailDate };
  resume: ResidentData & {
    method: PauseMethod;
    newDate: EmailDate;
    late?: boolean;
    /** When the date is later than the deadline, as with a holding letter (the Code §6.5). */
    ombudsman?: OmbudsmanDetails;
    replyLate?: boolean;
  };
  /**
   * A closed complaint reopened, with the response date the reopening set. `wasRedirected`: the
   * resident had been told it was not a complaint (sent elsewhere, or a service request). No
   * `residentName` when triage sent it elsewhere at intake: nothing the sender typed has gone to
   * their address, which nobody has confirmed.
   */
  reopened: ResidentData & { stage: Stage; handledBy: string; respondBy: EmailDate; wasRedirected?: boolean };
  response: ResidentData &
    OutcomeData & {
      /** How and by when to ask for stage 2; absent for a one-stage procedure. */
      stage2?: { requestBy: EmailDate; url: string; grounds?: string[]; independent?: boolean };
      /** Present when the policy signposts the ombudsman at every stage (or there is no stage 2). */
      ombudsman?: OmbudsmanDetails;
      /** The procedure has one stage: this response is its end, and says so. */
      final?: boolean;
    };
  'final-response': ResidentData & OutcomeData & { ombudsman: OmbudsmanDetails; independent: boolean };
  /** `independent`: the reviewer is not the stage-1 officer (only then may the letter say so). */
  'stage-2-acknowledgement': ResidentData & {
    handledBy: string;
    respondBy: EmailDate;
    independent: boolean;
    /** Our understanding of what the resident wants reviewed and the outcome wanted, in the officer's words. */
    understanding?: string;
  };
  'stage-2-refused': ResidentData & { reasons: string; ombudsman: OmbudsmanDetails };
  'stage-2-too-late': ResidentData & {
    requestBy: EmailDate;
    /** The last day a late request with a good reason may be made; absent when the policy allows none. */
    lateBy?: EmailDate;
    ombudsman: OmbudsmanDetails;
  };
  'stage-2-resolved': ResidentData & { resolution: string; ombudsman: OmbudsmanDetails };
  'out-of-time': ResidentData & {
    happenedOn: EmailDate;
    months: number;
    limitEnded: EmailDate;
    reasons: string;
    ombudsman: OmbudsmanDetails;
  };
  /** Sent at once to an address not yet confirmed: carries nothing the sender typed. */
  'consent-needed': CommonData & { consentBy: EmailDate };
  'consent-not-given': ResidentData & {
    personName: string;
    reasons?: string;
    /** The policy's time limit for complaining (`complaint.timeLimitMonths`). */
    months: number;
    /** Its last day for this complaint, when we know when the matter happened. */
    limitEnds?: EmailDate;
    /** That day had passed when the letter went. */
    limitPassed?: boolean;
  };
  /** Sent at once to an address not yet confirmed: carries nothing the sender typed. */
  'compliment-acknowledgement': CommonData & {
    /**
     * Who the workflow sent it to: the service's own mailbox, or the complaints team (no service,
     * or a service with no mailbox of its own), who pass it on.
     */
    sentTo?: 'service' | 'complaints-team';
    /** The service it is about, in the letter's language. */
    service?: string;
    /** The policy does not pass compliments on (`compliment.passToStaff` false): it is recorded only. */
    recordedOnly?: boolean;
  };
  'comment-reply': ResidentData & ({ reply: string } | { delayReason: string; replyBy: EmailDate });
  'representation-feedback': ResidentData & { feedback: string; decidedBy?: string };
  'vexatious-decision': ResidentData & {
    /**
     * The decision closes the complaint with no response (the workflow's designation); absent
     * when it only restricts contact and the complaint goes on (a designation in the workspace).
     */
    closes?: boolean;
    decision: string;
    /** `decision` is the nominated officer's own words (English), not our wording in the letter's language. */
    byOfficer?: boolean;
    restrictions: string[];
    reviewBy?: EmailDate;
    ombudsman?: OmbudsmanDetails;
  };
  'referred-to-manager': ResidentData;
  'social-care-plan': ResidentData & { plan: string; respondBy: EmailDate; contactName: string };
  'social-care-closed': ResidentData & { response: string; signedOffBy: string; ombudsman: OmbudsmanDetails };
  'social-care-six-months': ResidentData & {
    receivedAt: EmailDate;
    plan: string;
    respondBy: EmailDate;
    /** Whether the agreed date has passed (and so the service manager has been told). */
    respondByPassed: boolean;
    contactName: string;
    ombudsman: OmbudsmanDetails;
  };
  'social-care-response': ResidentData & {
    plan: string;
    response: string;
    respondent: string;
    ombudsman: OmbudsmanDetails;
  };
  'contact-recorded': ResidentData & { receivedAt: EmailDate };
  // --- to staff ---
  'officer-task': OfficerTaskData;
  'officer-reminder': OfficerTaskData;
  'manager-escalation': StaffData & {
    /** Name of the deadline that was missed, e.g. `acknowledgeBy` (see `DEADLINE_LABELS`). */
    missed: string;
    missedAt: EmailDate;
    assignedTo?: string;
    service?: string;
    summary: string;
    caseUrl?: string;
    /** The resident was sent a holding letter about this delay. */
    residentTold?: boolean;
  };
  'compliment-to-staff': StaffData & { compliment: string; service?: string };
  referral: StaffData & {
    why: string;
    team: string;
    /** The day the resident was told to expect contact by; absent when they were given none. */
    contactBy?: EmailDate;
    /** When the council received it: a timescale set by law may count from that day. */
    receivedAt: EmailDate;
    summary: string;
    /** How to reach the resident (their own contact details, for the team that now has it). */
    contact?: string;
    caseUrl: string;
    /**
     * The complaints team's address, when it checks back that the team picked the case up
     * (`checkedReferralOf`): the team tells it there if the case is not theirs.
     */
    sendBackTo?: string;
    /**
     * A service request passed to the service (nobody checks it, the resident has no date): the
     * complaints team's address, to tell when it is not for them; none when they are that team.
     */
    serviceRequest?: { complaintsTeam?: string };
  };
  'representation-to-policy-owner': StaffData & {
    representation: string;
    service?: string;
    feedbackBy: EmailDate;
    taskUrl?: string;
  };
  'nominated-officer-contact': StaffData & { summary: string; receivedAt: EmailDate; caseUrl?: string };
  'print-and-post': StaffData & {
    /** The letter's title. */
    title: string;
    residentName?: string;
    /** The resident's postal address, one line each; empty when they gave none. */
    addressLines: string[];
    phone?: string;
    /** They have an email address but asked for post. */
    askedForPost: boolean;
    /** How they asked us to contact them (large print, another language …), as they said it. */
    accessibilityNeeds?: string;
    /** Signed link to the PDF stored with the case. */
    letterUrl: string;
    caseUrl: string;
    /** What in the letter prints as empty boxes, by script (`describeUnprintable`); absent when all prints. */
    unprintable?: string;
  };
  'case-assigned': StaffData & {
    /** Who passed the case on, by name. */
    from: string;
    /** Who a task waiting on the case stays with (its link is theirs); none when none waits. */
    taskWith?: string;
    caseKind: CaseKind;
    stage: Stage;
    service?: string;
    summary: string;
    /** Signed link to the case's page for the officer it was passed to. */
    caseUrl: string;
  };
  'complaints-team-alert': StaffData & {
    problem: 'workflow-start-failed' | 'bounce' | 'referral-bounce' | 'other';
    detail: string;
    caseUrl?: string;
  };
}

export type EmailTemplate = keyof EmailData;

/** Every template, for tests and for the local inbox preview. */
export const EMAIL_TEMPLATES = Object.keys(EMAIL_SOURCES) as EmailTemplate[];

/**
 * The emails that go to staff (officers, managers, mailboxes): always in English, whatever the
 * resident's language. Every other template goes to a resident and has a Welsh version
 * (`./email/cy/`): `WELSH_EMAIL_SOURCES` is typed by `ResidentTemplate`, so a new resident
 * template without its Welsh does not compile.
 */
export const STAFF_TEMPLATES = [
  'officer-task',
  'officer-reminder',
  'manager-escalation',
  'compliment-to-staff',
  'referral',
  'representation-to-policy-owner',
  'nominated-officer-contact',
  'print-and-post',
  'case-assigned',
  'complaints-team-alert',
] as const satisfies readonly EmailTemplate[];
export type StaffTemplate = (typeof STAFF_TEMPLATES)[number];
export type ResidentTemplate = Exclude<EmailTemplate, StaffTemplate>;

export function isResidentTemplate(template: EmailTemplate): template is ResidentTemplate {
  return !(STAFF_TEMPLATES as readonly string[]).includes(template);
}

/** How the words reach the resident: by email (default) or as a printed letter; and in which language. */
export interface RenderOptions {
  medium?: 'email' | 'letter';
  /** The resident's language (`en` default). Staff templates ignore it: they are always English. */
  language?: Language;
  /**
   * Mark English paragraphs and list items of a Welsh letter's plain text with `ENGLISH_MARK`,
   * for the PDF to tag them (`renderLetterFile`); only the letter's renderer asks for it.
   */
  languageMarks?: boolean;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * What the person is asked to do, for every task a workflow waits on: keyed by `TaskName`, so a
 * new task without its wording, or wording for a task that no longer exists, does not compile.
 * A name that is not a task falls back to a generic wording.
 */
export const TASK_DESCRIPTIONS: Readonly<Record<TaskName, { title: string; help: string }>> = {
  acknowledge: {
    title: 'Acknowledge the complaint',
    help: 'Contact the resident if you can, make sure you understand the complaint and what they want, then record the acknowledgement. The resident is told who is dealing with it and when to expect a response.',
  },
  respond: {
    title: 'Send the response',
    help: 'Investigate, decide whether the complaint is upheld, partially upheld or not upheld, and write the response with your reasons, any remedy and any actions. If you need more time, ask for an extension on the task page: the resident is told the new date and why.',
  },
  resume: {
    title: 'Restart the clock on the complaint',
    help: 'The complaint is paused for mediation or conciliation. When that has ended, restart the clock on the task page: the response date moves on by the working days it was paused, and the resident is told the new date.',
  },
  'stage-2-request': {
    title: 'Ask us to look at your complaint again',
    help: 'If you are unhappy with our response, a more senior officer will review it. You can ask until the date in our response email.',
  },
  'stage-2-decision': {
    title: 'Decide on the stage 2 request',
    help: 'Read the stage 1 response and the resident’s request, then accept it for review at stage 2 or explain why it will not be reviewed.',
  },
  'anonymous-review': {
    title: 'Decide what to do with an anonymous complaint',
    help: 'Anonymous complaints are referred to the relevant manager to agree a course of action, if any.',
  },
  consent: {
    title: 'Get consent from the person affected',
    help: 'The complaint was made by a representative without the consent of the person affected. Ask for consent, or record why it cannot be given, before the complaint is investigated.',
  },
  'vexatious-decision': {
    title: 'Decide whether the complainant is unreasonably persistent',
    help: 'Seek advice where needed and decide what action to take about the complainant’s contact with the council.',
  },
  'nominated-contact': {
    title: 'Decide what to do with new contact from a designated complainant',
    help: 'The complainant is designated as unreasonably persistent, so their new contact comes to you. Decide whether it is handled as a new complaint or needs no further action. It is recorded either way.',
  },
  'social-care-plan': {
    title: 'Agree a resolution plan',
    help: 'Talk to the complainant, agree how the complaint will be dealt with and the timeframe for the response, and record the plan.',
  },
  'social-care-review': {
    title: 'Review the resolution plan',
    help: 'Check with the complainant whether the plan has resolved their complaint. Record that they are satisfied, agree a new plan, or propose closing the complaint as an appropriate and proportional response, which a director must sign off.',
  },
  'sign-off': {
    title: 'Sign off closing the complaint',
    help: 'Check that an appropriate and proportionate response has been given before the complaint is closed.',
  },
  'compliment-pass-on': {
    title: 'Pass on the compliment',
    help: 'Pass the compliment to the service and to any staff named, then confirm on the task page that you have passed it on. The resident was thanked when it came.',
  },
  'comment-reply': {
    title: 'Reply to the comment',
    help: 'Reply in full, or tell the resident why you cannot yet and when they will get a full reply.',
  },
  'confirm-exclusion': {
    title: 'Check a message we did not treat as a complaint',
    help: 'Words in the message matched a matter the complaints procedure does not cover, so it was sent elsewhere. Check it: confirm, or bring it into the complaints procedure if it is a complaint.',
  },
  'referral-check': {
    title: 'Check that a referral was picked up',
    help: 'This message was passed to another team and the resident was told they have it. Check with that team that they picked it up, or bring it into the complaints procedure if they say it is not theirs.',
  },
  'late-stage-2-request': {
    title: 'Accept a late request for stage 2, if there is one',
    help: 'The time to ask for stage 2 has ended and the resident has been told they can explain a good reason for asking late. If they do, accept the request on the task page. If not, do nothing: the case closes by itself.',
  },
  'representation-feedback': {
    title: 'Give feedback on a representation',
    help: 'Consider the representation about the policy and write the feedback the resident will receive.',
  },
};

/** Plain-English names of the deadlines a manager may be told were missed. */
export const DEADLINE_LABELS: Record<string, string> = {
  acknowledgeBy: 'acknowledge the complaint',
  respondBy: 'send the response',
  stage2AcknowledgeBy: 'acknowledge the stage 2 request',
  stage2RespondBy: 'send the stage 2 (final) response',
  stage2DecideBy: 'decide on the stage 2 request',
  replyBy: 'reply to the comment',
  feedbackBy: 'give feedback on the representation',
  /** A compliment's clock: its `acknowledgeBy`, by which it is passed to the staff named. */
  passOnBy: 'pass on the compliment',
  signOffBy: 'sign off closing the complaint',
  confirmExclusionBy: 'check a message not treated as a complaint',
  referralCheckBy: 'check the referral was picked up',
  consentBy: 'get consent from the person the complaint is made for',
  anonymousReviewBy: 'decide what to do with an anonymous complaint',
  nominatedContactBy: 'decide what to do with contact from a designated complainant',
  vexatiousDecisionBy: 'decide whether the complainant is unreasonably persistent',
  stage2DecisionBy: 'decide on the request for stage 2',
  pauseReviewBy: 'review the paused complaint with the resident',
};

const KIND_LABELS: Record<CaseKind, string> = {
  complaint: 'complaint',
  'social-care': 'complaint',
  compliment: 'compliment',
  comment: 'comment',
  representation: 'feedback about our policy',
};

/**
 * How an officer's email names what a task is about, before "about <service>": a representation
 * is one to officers ("Feedback about our policy about Waste and recycling" said "about" twice).
 */
const STAFF_KIND_LABELS: Record<CaseKind, string> = { ...KIND_LABELS, representation: 'representation' };

/** How a holding letter names what is late, for each kind of feedback (a comment is not a complaint). */
const HOLDING_WORDS: Record<CaseKind, { about: string; replyVerb: string; replyObject: string }> = {
  complaint: {
    about: 'Our response to your complaint',
    replyVerb: 'send our response',
    replyObject: 'our response',
  },
  'social-care': {
    about: 'Our response to your complaint',
    replyVerb: 'send our response',
    replyObject: 'our response',
  },
  comment: { about: 'Our reply to your comment', replyVerb: 'reply', replyObject: 'a full reply' },
  representation: {
    about: 'Our feedback on your views about our policy',
    replyVerb: 'send you our feedback',
    replyObject: 'our feedback',
  },
  compliment: { about: 'Our reply to your compliment', replyVerb: 'reply', replyObject: 'our reply' },
};

/**
 * Formats a date as GOV.UK style writes it: "Friday 5 June 2026", in Europe/London; in Welsh
 * "dydd Gwener 5 Mehefin 2026" (`london-time.ts`). The Welsh weekday is lower-case ("dydd"), as
 * it is written mid-sentence ("erbyn dydd Gwener…").
 */
export function formatLongDate(value: EmailDate, language: Language = 'en'): string {
  if (typeof value !== 'string') throw new EmailTemplateError(`expected a date, got ${typeof value}`);
  const key = `${language}|${value}`;
  let formatted = longDates.get(key);
  if (formatted === undefined) {
    formatted = longDate(value, language);
    if (longDates.size >= MAX_LONG_DATES) longDates.clear();
    longDates.set(key, formatted);
  }
  return formatted;
}

/** Dates already written out: every email of a case repeats its few deadlines. */
const longDates = new Map<string, string>();
const MAX_LONG_DATES = 10_000;

function longDate(value: string, language: Language): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  // A bare date is a calendar date already: read it at noon UTC, which is the same day in London.
  const instant = new Date(dateOnly ? `${value}T12:00:00Z` : value).getTime();
  if (Number.isNaN(instant)) throw new EmailTemplateError(`"${value}" is not a date`);
  return writtenDate(londonWallClock(instant), language);
}

/**
 * A Welsh date after "ar" ("on"), which softly mutates "dydd" to "ddydd": "ar ddydd Llun 2 Mawrth
 * 2026". Written by hand because no date library knows Welsh mutations; it is one word.
 */
export function formatLongDateAfterAr(value: EmailDate): string {
  return formatLongDate(value, 'cy').replace(/^dydd /, 'ddydd ');
}

/** The ombudsman for a case, by the council's nation and the service (see `ombudsmen.ts`). */
export function ombudsmanFor(policy: Policy, serviceId?: string): OmbudsmanDetails {
  const service = policy.routing.services.find((s) => s.id === serviceId);
  return ombudsmanForService(policy.ombudsman, service?.housingLandlord === true);
}

/** Only web links go in emails: a `javascript:` or relative URL in data is a bug, not a link. */
function httpUrl(value: unknown): string {
  if (typeof value !== 'string' || !/^https?:\/\/[^\s]+$/i.test(value)) {
    throw new EmailTemplateError(`"${String(value)}" is not a web address`);
  }
  return value;
}

/** What nunjucks calls a filter with as `this`: the template's context. */
interface FilterContext {
  ctx: Record<string, unknown>;
}

/** Text as its paragraphs (split at blank lines), trimmed, none empty. */
function paragraphsOf(text: string): string[] {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

function makeEnvironment(autoescape: boolean, language: Language): nunjucks.Environment {
  // No loader: each template comes with its layout and partials written in (`emailSource`).
  // throwOnUndefined: printing a missing value is an error, so "undefined" never reaches a resident.
  const env = new nunjucks.Environment([], {
    ...EMAIL_COMPILE_OPTIONS,
    autoescape,
  });
  env.addFilter('longDate', (value: EmailDate) => formatLongDate(value, language));
  env.addFilter('longDateAfterAr', formatLongDateAfterAr);
  env.addFilter('httpUrl', httpUrl);
  env.addFilter('tel', (phone: string) => `tel:${phone.replace(/[^\d+]/g, '')}`);
  // `paragraphs('en')`: words in English inside a letter in another language (an officer's own
  // words in a Welsh letter), marked so a screen reader reads them with an English voice. An
  // English letter is English throughout and needs no mark.
  const foreign = (lang: string | undefined): string | undefined =>
    lang && lang !== language ? lang : undefined;
  if (autoescape) {
    // Resident and officer text as paragraphs: escaped here, then marked safe.
    env.addFilter('paragraphs', (text: string, lang?: string) => {
      const attr = foreign(lang) ? ` lang="${escapeHtml(lang as string)}"` : '';
      return new nunjucks.runtime.SafeString(
        paragraphsOf(text)
          .map((p) => `<p${attr}>${escapeHtml(p).replace(/\r?\n/g, '<br>\n')}</p>`)
          .join('\n'),
      );
    });
    env.addFilter('inLanguage', (text: string, lang?: string) =>
      foreign(lang)
        ? new nunjucks.runtime.SafeString(
            `<span lang="${escapeHtml(lang as string)}">${escapeHtml(text)}</span>`,
          )
        : text,
    );
  } else {
    // Plain text has no attributes: the printed letter (`languageMarks`) marks each English
    // paragraph or list item for the PDF's structure (`letterBlocks`); an email's text is left as is.
    env.addFilter('paragraphs', function (this: FilterContext, text: string, lang?: string) {
      if (foreign(lang) !== 'en' || this.ctx.languageMarks !== true) return text.trim();
      return paragraphsOf(text)
        .map((p) => `${ENGLISH_MARK}${p}`)
        .join('\n\n');
    });
    env.addFilter('inLanguage', function (this: FilterContext, text: string, lang?: string) {
      return foreign(lang) === 'en' && this.ctx.languageMarks === true ? `${ENGLISH_MARK}${text}` : text;
    });
  }
  return env;
}

/**
 * The emails' templates, each compiled once: from their sources, or, where the bundle was built
 * with them (`REDRESS_PRECOMPILED_EMAILS_DIR`), the code compiled then, which renders the same.
 */
class EmailTemplates {
  /** Text (and subjects): no HTML escaping. HTML: autoescape on, so resident text is inert. One pair per language. */
  private readonly environments: Record<Language, { text: nunjucks.Environment; html: nunjucks.Environment }>;
  private readonly compiled = new Map<string, nunjucks.Template>();

  constructor(private readonly precompiledDir: string | undefined) {
    this.environments = {
      en: {
        text: makeEnvironment(false, 'en'),
        html: makeEnvironment(true, 'en'),
      },
      cy: {
        text: makeEnvironment(false, 'cy'),
        html: makeEnvironment(true, 'cy'),
      },
    };
  }

  get(language: Language, template: EmailTemplate, part: EmailPart): nunjucks.Template {
    const key = emailSourceName(language, template, part);
    let compiled = this.compiled.get(key);
    if (!compiled) {
      const src = this.precompiledDir
        ? compiledCode(join(this.precompiledDir, templateModule(language, template, part)))
        : // Checked against nunjucks' own compile by the tests and each bundle's build, not again here.
          emailSource(language, template, part, { compileCheck: false });
      const env = this.environments[language][part === 'html' ? 'html' : 'text'];
      compiled = new nunjucks.Template(src, env, key, true);
      this.compiled.set(key, compiled);
    }
    return compiled;
  }
}

/**
 * The same tasks at stage 2, where they ask for the review of the stage-1 response the resident
 * asked for (as the task pages say, `taskFormAt`).
 */
const STAGE_2_TASK_DESCRIPTIONS: Partial<Record<TaskName, { title: string; help: string }>> = {
  acknowledge: {
    title: 'Acknowledge the stage 2 review',
    help: 'Read our stage 1 response and why the resident asked for a review, contact them if you can to understand what they are still unhappy about, then record the acknowledgement. The resident is told who is reviewing it and when to expect our final response.',
  },
  respond: {
    title: 'Send the stage 2 response',
    help: 'Review how stage 1 was handled and what it decided, decide whether the complaint is upheld, partially upheld or not upheld, and write our final response with your reasons, any remedy and any actions. The resident is told how to go to the Ombudsman.',
  },
};

/** Values the templates derive from the data (labels, task wording). */
function derived(
  template: EmailTemplate,
  data: Record<string, unknown>,
  language: Language,
): Record<string, unknown> {
  if (language === 'cy') return WELSH_WORDS.derived(template, data);
  const extra: Record<string, unknown> = {};
  if (typeof data.kind === 'string') extra.kindLabel = KIND_LABELS[data.kind as CaseKind] ?? data.kind;
  if (typeof data.caseKind === 'string')
    extra.caseKindLabel = STAFF_KIND_LABELS[data.caseKind as CaseKind] ?? data.caseKind;
  if (typeof data.task === 'string') {
    const known = isTaskName(data.task)
      ? ((data.stage === 2 ? STAGE_2_TASK_DESCRIPTIONS[data.task] : undefined) ??
        TASK_DESCRIPTIONS[data.task])
      : undefined;
    extra.taskTitle =
      known?.title ?? `${data.task.charAt(0).toUpperCase()}${data.task.slice(1).replaceAll('-', ' ')}`;
    extra.taskHelp = known?.help ?? 'Open the task page to see what is needed and to record what you did.';
  }
  if (
    (template === 'officer-task' || template === 'officer-reminder') &&
    isStage2Request(data.stage2Request)
  ) {
    const { text, shortened } = shorten(data.stage2Request.text ?? '', QUOTED_IN_TASK_EMAILS);
    extra.stage2Words = text;
    extra.stage2WordsShortened = shortened;
  }
  if (
    (template === 'officer-task' || template === 'officer-reminder') &&
    isStage1Response(data.stage1Response)
  ) {
    const { text, shortened } = shorten(data.stage1Response.text, QUOTED_IN_TASK_EMAILS);
    extra.stage1Words = text;
    extra.stage1WordsShortened = shortened;
    extra.stage1Outcome = STAGE_1_OUTCOME_LABELS[data.stage1Response.outcome];
  }
  if (template === 'holding-letter' && typeof data.kind === 'string') {
    Object.assign(extra, HOLDING_WORDS[data.kind as CaseKind] ?? HOLDING_WORDS.complaint);
  }
  if (template === 'manager-escalation' && typeof data.missed === 'string') {
    extra.missedLabel =
      DEADLINE_LABELS[data.missed] ??
      data.missed
        .replace(/By$/, '')
        .replace(/([a-z])([A-Z0-9])/g, '$1 $2')
        .toLowerCase();
  }
  return extra;
}

/** A stage-1 outcome as an officer's email names it, in brackets after "Our stage 1 response". */
const STAGE_1_OUTCOME_LABELS: Record<Stage1ResponseSummary['outcome'], string> = {
  upheld: 'upheld',
  'partially-upheld': 'partially upheld',
  'not-upheld': 'not upheld',
  resolved: 'resolved at first contact',
};

function isStage1Response(value: unknown): value is Stage1ResponseSummary {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Stage1ResponseSummary).text === 'string' &&
    Object.hasOwn(STAGE_1_OUTCOME_LABELS, (value as Stage1ResponseSummary).outcome)
  );
}

function isStage2Request(value: unknown): value is Stage2RequestReasons {
  return (
    typeof value === 'object' && value !== null && Array.isArray((value as Stage2RequestReasons).grounds)
  );
}

/**
 * `text` cut to at most `max` characters (code points, so no emoji is split), at the last space
 * in its final fifth so no word is cut in half, with "…" to show it goes on.
 */
function shorten(text: string, max: number): { text: string; shortened: boolean } {
  const whole = text.trim();
  const chars = Array.from(whole);
  if (chars.length <= max) return { text: whole, shortened: false };
  const cut = chars.slice(0, max).join('');
  const space = cut.search(/\s\S*$/);
  const end = space > cut.length * 0.8 ? cut.slice(0, space) : cut;
  return { text: `${end.trimEnd()} …`, shortened: true };
}

/**
 * White space at the end of a line: what `trimEnd` took from each line split at `\n`. (`\s` is
 * what `trimEnd` trims, white space and line terminators alike; without the `m` flag `$` is only
 * the text's end, so a line ends at `\n` alone, as in the split.) One pass over the text rather
 * than an array of its lines: every email is three renders, and splitting and joining them was an
 * eighth of rendering.
 */
const LINE_END_SPACE = /[^\S\n]+(?=\n|$)/g;

/** Tidies rendered text: no trailing spaces, at most one blank line in a row. */
function tidyText(text: string): string {
  return text
    .replace(LINE_END_SPACE, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Tidies rendered HTML: no trailing spaces, no blank lines. */
function tidyHtml(html: string): string {
  return html
    .replace(LINE_END_SPACE, '')
    .replace(/\n{2,}/g, '\n')
    .replace(/^\n|\n$/g, '');
}

/** Renders emails (`renderEmail`), with its own compiled templates. */
export interface EmailRenderer {
  render<T extends EmailTemplate>(template: T, data: EmailData[T], options?: RenderOptions): RenderedEmail;
}

/**
 * An email renderer running the templates compiled at bundle time in `precompiledDir`
 * (`precompileEmails`), or compiling their sources when there is none.
 */
export function emailRenderer(options: { precompiledDir?: string | undefined } = {}): EmailRenderer {
  const templates = new EmailTemplates(options.precompiledDir || undefined);
  return { render: (template, data, renderOptions = {}) => render(templates, template, data, renderOptions) };
}

const DEFAULT_RENDERER = emailRenderer({ precompiledDir: process.env.REDRESS_PRECOMPILED_EMAILS_DIR });

/**
 * Renders one email as a subject, a plain-text body and an accessible HTML body
 * (`lang="en-GB"`, a real title, headings, no layout tables, links with meaningful text).
 * Throws `EmailTemplateError` when data the template prints is missing.
 */
export function renderEmail<T extends EmailTemplate>(
  template: T,
  data: EmailData[T],
  options: RenderOptions = {},
): RenderedEmail {
  return DEFAULT_RENDERER.render(template, data, options);
}

/**
 * The language an email is written in and what its templates are given: the data, the values
 * derived from it, and the words of its medium (email or letter) in that language.
 */
export function emailContext<T extends EmailTemplate>(
  template: T,
  data: EmailData[T],
  options: RenderOptions = {},
): { language: Language; context: Record<string, unknown> } {
  if (!Object.hasOwn(EMAIL_SOURCES, template))
    throw new EmailTemplateError(`no email template called "${String(template)}"`);
  // Staff read English; a resident reads their own language (the Welsh Language Standards).
  const language: Language = options.language === 'cy' && isResidentTemplate(template) ? 'cy' : 'en';
  const letter = options.medium === 'letter';
  const words = language === 'cy' ? WELSH_WORDS.medium(letter) : undefined;
  const context: Record<string, unknown> = {
    ...data,
    ...derived(template, data as unknown as Record<string, unknown>, language),
    // The same words on paper: a letter cannot be replied to, nor its links clicked.
    letter,
    doc: words?.doc ?? (letter ? 'letter' : 'email'),
    ...(words ? { docThis: words.docThis } : {}),
    replyHow: words?.replyHow ?? (letter ? 'contact us' : 'reply to this email'),
    languageMarks: options.languageMarks === true,
  };
  return { language, context };
}

function render<T extends EmailTemplate>(
  templates: EmailTemplates,
  template: T,
  data: EmailData[T],
  options: RenderOptions,
): RenderedEmail {
  const { language, context } = emailContext(template, data, options);
  try {
    const subject = templates.get(language, template, 'subject').render(context).replace(/\s+/g, ' ').trim();
    const text = tidyText(templates.get(language, template, 'text').render(context));
    // The HTML's title is the subject (set now, not spread into a copy of the whole context).
    context.subject = subject;
    const html = tidyHtml(templates.get(language, template, 'html').render(context));
    return { subject, text, html };
  } catch (error: unknown) {
    if (error instanceof EmailTemplateError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new EmailTemplateError(`cannot render the "${template}" email: ${message}${whereFrom(message)}`, {
      cause: error,
    });
  }
}

/**
 * Where the line nunjucks names in `message` was written: nunjucks counts the lines of a template
 * with its layout and partials written in (`emailSource`), which no file holds.
 */
function whereFrom(message: string): string {
  const place = /\((en|cy):([\w-]+)\.(subject|text|html)\) \[Line (\d+), Column (\d+)\]/.exec(message);
  if (place === null) return '';
  const [, language, template, part, line, column] = place;
  const origin = emailSourceOrigin(
    language as Language,
    template as string,
    part as EmailPart,
    Number(line),
    Number(column),
  );
  return origin === undefined ? '' : ` (from ${origin})`;
}
