/**
 * The resident's "Check your complaint" pages and the privacy notice, built from GOV.UK Frontend
 * components through the one nunjucks environment (`renderPage`).
 */
import type { CaseEvent, CaseRecord, CaseStatus } from '../domain/case.js';
import { deriveDeadlines } from '../domain/case-clock.js';
import type { Policy } from '../domain/policy-schema.js';
import {
  RESIDENT_ABSOLUTE_MINUTES,
  RESIDENT_IDLE_MINUTES,
  SIGN_IN_LINK_MINUTES,
} from '../domain/resident-access.js';
import { formatDate, formatDateTime, humanise, kindName } from './format.js';
import { BASE_PATH, errorModel, renderPage } from './render.js';

/** Where the pages live. */
export const CHECK_PATH = `${BASE_PATH}/check`;

/** How a resident without email (or who prefers not to use it) can check: the policy's contacts. */
export interface ContactDetails {
  email: string;
  phone?: string;
  address?: string[];
}

export function contactDetails(policy: Policy): ContactDetails {
  return {
    email: policy.routing.complaintsTeam,
    ...(policy.letters?.phone ? { phone: policy.letters.phone } : {}),
    ...(policy.letters?.returnAddress ? { address: [policy.council, ...policy.letters.returnAddress] } : {}),
  };
}

const CHECK_FIELDS = {
  order: ['reference', 'email'],
  ids: { reference: 'reference', email: 'email' },
} as const;

/** `GET /check`: reference and email address, and how to check without email. */
export function checkStartPage(model: {
  policy: Policy;
  csrf: string;
  values?: Record<string, string>;
  errors?: Record<string, string>;
  problem?: string;
  notice?: string;
}): string {
  const { errorList, e } = errorModel(model.errors, CHECK_FIELDS);
  return renderPage('check/start', {
    pageTitle: 'Check your complaint',
    councilName: model.policy.council,
    csrf: model.csrf,
    v: model.values ?? {},
    e,
    errorList: model.problem ? [{ text: model.problem }, ...errorList] : errorList,
    notice: model.notice,
    contact: contactDetails(model.policy),
    linkMinutes: SIGN_IN_LINK_MINUTES,
  });
}

/** `GET /check/sent`: the same words whether or not anything matched. */
export function checkSentPage(policy: Policy): string {
  return renderPage('check/sent', {
    pageTitle: 'Check your email',
    councilName: policy.council,
    linkMinutes: SIGN_IN_LINK_MINUTES,
    contact: contactDetails(policy),
  });
}

/** `GET /check/sign-in/{token}`: a button, so that a mail scanner fetching the link uses nothing. */
export function signInPage(model: { policy: Policy; csrf: string; action: string }): string {
  return renderPage('check/sign-in', {
    pageTitle: 'Check your complaint',
    councilName: model.policy.council,
    csrf: model.csrf,
    action: model.action,
    idleMinutes: RESIDENT_IDLE_MINUTES,
  });
}

/** A sign-in link or session that cannot be used: what happened and how to get a new one. */
export function checkProblemPage(
  policy: Policy,
  problem: 'expired' | 'used' | 'invalid' | 'ended' | 'form',
): string {
  const text: Record<typeof problem, { heading: string; paragraphs: string[] }> = {
    expired: {
      heading: 'This link has expired',
      paragraphs: [`Links to check a complaint work for ${SIGN_IN_LINK_MINUTES} minutes.`],
    },
    used: {
      heading: 'This link has already been used',
      paragraphs: ['Each link to check a complaint works once, so that nobody else can use it.'],
    },
    invalid: {
      heading: 'This link is not valid',
      paragraphs: ['The link may have been copied wrongly. Check you used the whole link from the email.'],
    },
    ended: {
      heading: 'Your session has ended',
      paragraphs: [
        `To keep your complaint private, a session ends after ${RESIDENT_IDLE_MINUTES} minutes without use, and always after ${RESIDENT_ABSOLUTE_MINUTES} minutes.`,
      ],
    },
    form: {
      heading: 'This form has expired',
      paragraphs: ['The page was open too long or did not come from this service. Nothing has been changed.'],
    },
  };
  const { heading, paragraphs } = text[problem];
  return renderPage('message', {
    pageTitle: heading,
    councilName: policy.council,
    heading,
    paragraphs,
    links: [{ href: CHECK_PATH, text: 'Ask for a new link to check your complaint' }],
  });
}

const STATUS_TEXT: Record<CaseStatus, string> = {
  received: 'Received',
  'awaiting-acknowledgement': 'Received, not yet acknowledged',
  investigating: 'Being looked into',
  paused: 'On hold',
  responded: 'We have responded',
  'stage-2-requested': 'You asked for a review',
  'awaiting-decision': 'Waiting for a decision',
  redirected: 'Passed to the right place',
  referred: 'Referred to another team',
  closed: 'Closed',
};

const STATUS_TAG: Partial<Record<CaseStatus, string>> = {
  closed: 'govuk-tag--grey',
  responded: 'govuk-tag--green',
  paused: 'govuk-tag--yellow',
};

/** Titles of the emails and letters residents are sent, as the status page lists them. */
const LETTER_TITLES: Readonly<Record<string, string>> = {
  receipt: 'Confirmation that we received it',
  acknowledgement: 'Acknowledgement',
  'stage-2-acknowledgement': 'Acknowledgement of your request for a review',
  response: 'Our response',
  'final-response': 'Our final response',
  extension: 'We need more time',
  'holding-letter': 'Update: our response will be late',
  pause: 'Your complaint is on hold',
  resume: 'Your complaint is no longer on hold',
  redirect: 'Where to go instead',
  'not-a-complaint': 'How we are dealing with it',
  'out-of-time': 'Made too late to consider',
  'stage-2-refused': 'Your request for a review',
  'stage-2-too-late': 'Your request for a review was too late',
  'stage-2-resolved': 'Your request for a review',
};

/** One piece of evidence on a case, as the status page lists it. */
export interface EvidenceItem {
  name: string;
  receivedAt: string;
  href?: string;
}

/** Evidence recorded on the case (`evidence-received` events, from the evidence upload), oldest first. */
export function evidenceOf(events: readonly CaseEvent[]): EvidenceItem[] {
  return events
    .filter((e) => e.type === 'evidence-received' && typeof e.detail?.name === 'string')
    .map((e) => ({ name: String(e.detail?.name), receivedAt: e.at }));
}

/** The emails and letters sent to the resident, oldest first; letters with their PDF. */
export function correspondenceOf(
  events: readonly CaseEvent[],
): { title: string; sentAt: string; how: string; pdf?: string }[] {
  const out: { title: string; sentAt: string; how: string; pdf?: string }[] = [];
  for (const e of events) {
    const template = typeof e.detail?.template === 'string' ? e.detail.template : '';
    if (e.type === 'email-sent' && e.detail?.audience === 'resident') {
      out.push({ title: LETTER_TITLES[template] ?? humanise(template), sentAt: e.at, how: 'Email' });
    }
    if (e.type === 'letter-written' && typeof e.detail?.letter === 'string') {
      out.push({
        title: LETTER_TITLES[template] ?? humanise(template),
        sentAt: e.at,
        how: 'Letter',
        pdf: `${CHECK_PATH}/complaint/letters/${encodeURIComponent(e.detail.letter)}`,
      });
    }
  }
  return out;
}

/** What the status page shows. */
export interface StatusPageModel {
  policy: Policy;
  record: CaseRecord;
  events: readonly CaseEvent[];
  csrf: string;
  /** Set right after asking for stage 2 (the page it redirected to). */
  asked?: boolean;
  errors?: Record<string, string>;
  values?: Record<string, string>;
  /** The grounds the policy asks for with a request for a review (none: no question). */
  grounds: readonly { value: string; label: string }[];
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const when = (at: string | undefined) => (at ? formatDate(at) : undefined);

/** `GET /check/complaint`: status, stage, dates, letters, evidence, and the request for a review. */
export function statusPage(model: StatusPageModel): string {
  const { record: c, policy } = model;
  const service = policy.routing.services.find((s) => s.id === c.service);
  const s1 = c.progress.stage1;
  const s2 = c.progress.stage2;
  const row = (key: string, value: string | undefined, fallback = 'Not yet') => ({
    key: { text: key },
    value: { text: value ?? fallback },
  });
  const rows = [
    row('Reference', c.reference),
    row('About', `${capitalise(kindName(c.kind))}${service ? `: ${service.name}` : ''}`),
    // Our own words and classes only (no resident text), so the tag's HTML is safe.
    {
      key: { text: 'Status' },
      value: {
        html: `<strong class="govuk-tag ${STATUS_TAG[c.status] ?? 'govuk-tag--blue'}">${STATUS_TEXT[c.status]}</strong>`,
      },
    },
    row(
      'Stage',
      c.kind === 'complaint' ? `Stage ${c.stage} of ${policy.complaint.stages}` : undefined,
      'Not staged',
    ),
    row('Received', when(c.receivedAt)),
    row('Acknowledged', when(s1.acknowledgedAt)),
    row(
      'Response due',
      when(c.stage === 2 ? c.deadlines.stage2RespondBy : c.deadlines.respondBy),
      'No date set',
    ),
    row('Responded', when(s1.respondedAt)),
  ];
  if (s2) {
    rows.push(
      row('Review acknowledged', when(s2.acknowledgedAt)),
      row('Review responded', when(s2.respondedAt)),
    );
  }
  const canAsk = c.openTask?.name === 'stage-2-request' && c.openTask.officer === 'resident';
  const { errorList, e } = errorModel(model.errors, {
    order: ['grounds', 'response'],
    ids: { grounds: 'grounds', response: 'response' },
  });
  return renderPage('check/status', {
    pageTitle: `Your ${kindName(c.kind)} ${c.reference}`,
    councilName: policy.council,
    reference: c.reference,
    kindText: kindName(c.kind),
    rows,
    letters: correspondenceOf(model.events).map((l) => ({ ...l, sentText: formatDateTime(l.sentAt) })),
    evidence: evidenceOf(model.events).map((i) => ({ ...i, receivedText: formatDate(i.receivedAt) })),
    canAsk,
    askBy: canAsk ? when(deriveDeadlines(policy, c).stage2RequestBy) : undefined,
    asked: model.asked === true,
    stage2Requested: c.stage === 2 || c.status === 'stage-2-requested',
    grounds: model.grounds,
    csrf: model.csrf,
    errorList,
    e,
    v: model.values ?? {},
    contact: contactDetails(policy),
    checkPath: CHECK_PATH,
  });
}

/** `GET /privacy`: the privacy notice for what residents send, from the policy. */
export function privacyPage(policy: Policy): string {
  return renderPage('privacy', {
    pageTitle: 'Privacy notice',
    councilName: policy.council,
    closedYears: policy.retention.closedYears,
    ombudsmanYears: policy.retention.ombudsmanYears,
    contact: contactDetails(policy),
  });
}
