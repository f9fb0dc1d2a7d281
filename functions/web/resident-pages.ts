/**
 * The resident's "Check your complaint" pages and the privacy notice, built from GOV.UK Frontend
 * components through the one nunjucks environment (`renderPage`).
 */
import type { CaseEvent, CaseRecord, CaseStatus } from '../domain/case.js';
import { deriveDeadlines, residentToldBy } from '../domain/case-clock.js';
import { caseLanguage, type Language } from '../domain/language.js';
import type { Policy } from '../domain/policy-schema.js';
import { serviceNameIn } from '../domain/policy-welsh.js';
import {
  RESIDENT_ABSOLUTE_MINUTES,
  RESIDENT_IDLE_MINUTES,
  SIGN_IN_LINK_MINUTES,
} from '../domain/resident-access.js';
import type { CaseKind } from '../domain/types.js';
import { formatDate, formatDateTime, humanise } from './format.js';
import {
  CATALOGUE,
  formatDateCy,
  formatDateTimeCy,
  type MessageKey,
  pageLanguageModel,
  type Translate,
  translateFieldErrors,
} from './i18n.js';
import { BASE_PATH, errorModel, renderPage } from './render.js';

/** Where the pages live. */
export const CHECK_PATH = `${BASE_PATH}/check`;

/**
 * The pages are in English or Welsh (the catalogue in `i18n.ts`; the Welsh is a draft for the
 * council's translation service): the start page by `?lang=` and its toggle, the signed-in pages
 * by the case's own language. `?lang=cy` is carried on the addresses between them.
 */
export function withLanguage(path: string, language: Language): string {
  return language === 'en' ? path : `${path}${path.includes('?') ? '&' : '?'}lang=${language}`;
}

const dateIn = (language: Language) => (language === 'cy' ? formatDateCy : formatDate);
const dateTimeIn = (language: Language) => (language === 'cy' ? formatDateTimeCy : formatDateTime);
const known = (key: string): key is MessageKey => key in CATALOGUE.en;

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
  language?: Language;
}): string {
  const language = model.language ?? 'en';
  const { errorList, e } = errorModel(translateFieldErrors(model.errors, language), CHECK_FIELDS, language);
  const lang = pageLanguageModel(model.policy, language, '/check');
  return renderPage('check/start', {
    ...lang,
    pageTitle: lang.t('check.title'),
    councilName: model.policy.council,
    checkAction: withLanguage(CHECK_PATH, language),
    privacyPath: withLanguage(`${BASE_PATH}/privacy`, language),
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
export function checkSentPage(policy: Policy, language: Language = 'en'): string {
  const lang = pageLanguageModel(policy, language, '/check/sent');
  return renderPage('check/sent', {
    ...lang,
    pageTitle: lang.t('check.sent.title'),
    councilName: policy.council,
    checkPath: withLanguage(CHECK_PATH, language),
    linkMinutes: SIGN_IN_LINK_MINUTES,
    contact: contactDetails(policy),
  });
}

/** `GET /check/sign-in/{token}`: a button, so that a mail scanner fetching the link uses nothing. */
export function signInPage(model: {
  policy: Policy;
  csrf: string;
  action: string;
  language?: Language;
}): string {
  const lang = pageLanguageModel(model.policy, model.language ?? 'en');
  return renderPage('check/sign-in', {
    ...lang,
    pageTitle: lang.t('check.title'),
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
  language: Language = 'en',
): string {
  const lang = pageLanguageModel(policy, language);
  const { t } = lang;
  const heading = t(`check.problem.${problem}.heading`);
  const paragraph = t(`check.problem.${problem}.p`, {
    minutes: SIGN_IN_LINK_MINUTES,
    idle: RESIDENT_IDLE_MINUTES,
    absolute: RESIDENT_ABSOLUTE_MINUTES,
  });
  return renderPage('message', {
    ...lang,
    pageTitle: heading,
    councilName: policy.council,
    heading,
    paragraphs: [paragraph],
    links: [{ href: withLanguage(CHECK_PATH, language), text: t('check.problem.link') }],
  });
}

const STATUS_TAG: Partial<Record<CaseStatus, string>> = {
  closed: 'govuk-tag--grey',
  responded: 'govuk-tag--green',
  paused: 'govuk-tag--yellow',
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
  language: Language = 'en',
): { title: string; sentAt: string; how: string; pdf?: string }[] {
  const t = pageLanguageModel(undefined, language).t;
  // Titles of the emails and letters residents are sent, from the catalogue.
  const title = (template: string) => {
    const key = `letter.${template}`;
    return known(key) ? t(key) : humanise(template);
  };
  const out: { title: string; sentAt: string; how: string; pdf?: string }[] = [];
  // A letter written again before it was posted (to a corrected address, or with a later date)
  // never reached the resident: only the one that replaced it is theirs to read.
  const replaced = new Set(
    events
      .filter((e) => e.type === 'letter-written' && typeof e.detail?.replaces === 'string')
      .map((e) => e.detail?.replaces),
  );
  for (const e of events) {
    const template = typeof e.detail?.template === 'string' ? e.detail.template : '';
    if (e.type === 'email-sent' && e.detail?.audience === 'resident') {
      out.push({ title: title(template), sentAt: e.at, how: t('status.letters.email') });
    }
    if (
      e.type === 'letter-written' &&
      typeof e.detail?.letter === 'string' &&
      !replaced.has(e.detail.letter)
    ) {
      out.push({
        title: title(template),
        sentAt: e.at,
        how: t('status.letters.letter'),
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
  /**
   * A request for a review sent just after another was recorded (the emailed link and this page
   * at once): what this one said, which was not added, for the resident to send us another way.
   */
  askedBefore?: { words: string };
  errors?: Record<string, string>;
  values?: Record<string, string>;
  /** The grounds the policy asks for with a request for a review (none: no question). */
  grounds: readonly { value: string; label: string }[];
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The kind of feedback in the page's words ("complaint", "cwyn"). */
function kindIn(t: Translate, kind: string): string {
  const key = `kind.${kind}`;
  return known(key) ? t(key) : kind;
}

/**
 * The letter that acknowledges each kind of feedback the workflow does not acknowledge by an
 * officer's decision: a compliment's thanks (Dudley MBC Corporate Customer Feedback Procedure,
 * June 2019, section 9), and the receipt of a comment or a representation, which then wait for the
 * reply in full or the policy makers' feedback (a unitary council's Customer Feedback Procedure,
 * sections 6.2 and 5.1). A complaint's receipt is not its acknowledgement.
 */
const ACKNOWLEDGED_BY: Partial<Record<CaseKind, string>> = {
  compliment: 'compliment-acknowledgement',
  comment: 'receipt',
  representation: 'receipt',
};

/** When the letter acknowledging it went to the resident, by email or in a letter; none yet. */
function acknowledgingLetterAt(events: readonly CaseEvent[], kind: CaseKind): string | undefined {
  const letter = ACKNOWLEDGED_BY[kind];
  if (letter === undefined) return undefined;
  return events.find(
    (e) =>
      e.detail?.template === letter &&
      ((e.type === 'email-sent' && e.detail?.audience === 'resident') || e.type === 'letter-written'),
  )?.at;
}

/** `GET /check/complaint`: status, stage, dates, letters, evidence, and the request for a review. */
export function statusPage(model: StatusPageModel): string {
  const { record: c, policy } = model;
  const language = caseLanguage(c);
  const lang = pageLanguageModel(policy, language);
  const { t } = lang;
  const when = (at: string | undefined) => (at ? dateIn(language)(at) : undefined);
  const service = policy.routing.services.find((s) => s.id === c.service);
  const s1 = c.progress.stage1;
  const s2 = c.progress.stage2;
  const row = (key: MessageKey, value: string | undefined, fallback: MessageKey = 'status.notYet') => ({
    key: { text: t(key) },
    value: { text: value ?? t(fallback) },
  });
  const kindText = kindIn(t, c.kind);
  // A compliment, comment or representation is acknowledged by the letter the workflow sends when it
  // comes (`ACKNOWLEDGED_BY`), and then waits for something else: to the resident it was acknowledged then.
  const acknowledgedAt = s1.acknowledgedAt ?? acknowledgingLetterAt(model.events, c.kind);
  const shownStatus = c.status === 'awaiting-acknowledgement' && acknowledgedAt ? 'received' : c.status;
  const statusKey = `status.${shownStatus}`;
  // Once a holding letter has put the deadline off, the date it gave: the one the resident holds.
  // A comment's reply and a representation's feedback are its response, by their own dates.
  const d = c.deadlines;
  const due =
    residentToldBy(policy, c) ??
    (c.stage === 2 ? d.stage2RespondBy : (d.respondBy ?? d.replyBy ?? d.feedbackBy));
  const rows = [
    row('status.row.reference', c.reference),
    row(
      'status.row.about',
      `${capitalise(kindText)}${service ? `: ${serviceNameIn(service, language)}` : ''}`,
    ),
    // Our own words and classes only (no resident text), so the tag's HTML is safe.
    {
      key: { text: t('status.row.status') },
      value: {
        html: `<strong class="govuk-tag ${STATUS_TAG[shownStatus] ?? 'govuk-tag--blue'}">${known(statusKey) ? t(statusKey) : shownStatus}</strong>`,
      },
    },
    // Only a complaint has stages: a compliment, comment or representation has no stage row.
    ...(c.kind === 'complaint'
      ? [
          row(
            'status.row.stage',
            t('status.stageOf', { stage: c.stage ?? 1, stages: policy.complaint.stages }),
          ),
        ]
      : []),
    row('status.row.received', when(c.receivedAt)),
    row('status.row.acknowledged', when(acknowledgedAt)),
    // A compliment's thanks is all it gets (Dudley MBC Corporate Customer Feedback Procedure,
    // section 9): no response is due, nor one to wait for.
    ...(c.kind === 'compliment'
      ? []
      : [
          row('status.row.due', when(due), 'status.noDate'),
          row('status.row.responded', when(s1.respondedAt)),
        ]),
  ];
  if (s2) {
    rows.push(
      row('status.row.reviewAcknowledged', when(s2.acknowledgedAt)),
      row('status.row.reviewResponded', when(s2.respondedAt)),
    );
  }
  const canAsk = c.openTask?.name === 'stage-2-request' && c.openTask.officer === 'resident';
  const { errorList, e } = errorModel(
    translateFieldErrors(model.errors, language),
    {
      order: ['grounds', 'response'],
      ids: { grounds: 'grounds', response: 'response' },
    },
    language,
  );
  return renderPage('check/status', {
    ...lang,
    pageTitle: t('status.title', { kind: kindText, reference: c.reference }),
    councilName: policy.council,
    reference: c.reference,
    kindText,
    rows,
    letters: correspondenceOf(model.events, language).map((l) => ({
      ...l,
      sentText: dateTimeIn(language)(l.sentAt),
    })),
    evidence: evidenceOf(model.events).map((i) => ({ ...i, receivedText: dateIn(language)(i.receivedAt) })),
    canAsk,
    askBy: canAsk ? when(deriveDeadlines(policy, c).stage2RequestBy) : undefined,
    asked: model.asked === true,
    askedBefore: model.askedBefore,
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

/**
 * `GET /privacy`: the privacy notice for what residents send, from the policy; in Welsh
 * (`privacy-cy.njk`, draft) when asked with `?lang=cy` and the policy offers Welsh.
 */
export function privacyPage(policy: Policy, language: Language = 'en'): string {
  const facts = {
    councilName: policy.council,
    closedYears: policy.retention.closedYears,
    ombudsmanYears: policy.retention.ombudsmanYears,
    contact: contactDetails(policy),
  };
  if (language === 'cy') {
    const lang = pageLanguageModel(policy, 'cy', '/privacy');
    return renderPage('privacy-cy', {
      ...lang,
      ...facts,
      pageTitle: 'Hysbysiad preifatrwydd',
      closedYearsText: yearsCy(policy.retention.closedYears),
      ombudsmanYearsText: yearsCy(policy.retention.ombudsmanYears),
    });
  }
  return renderPage('privacy', {
    ...pageLanguageModel(policy, 'en', '/privacy'),
    ...facts,
    pageTitle: 'Privacy notice',
  });
}

/**
 * "2 flynedd", "6 blynedd", "5 mlynedd": "blynedd" after a number mutates as the number says
 * (soft after 1 and 2, nasal after 5, 7, 8, 9 and 10). By hand: no library knows Welsh mutations.
 */
export function yearsCy(n: number): string {
  if (n === 1) return '1 flwyddyn';
  if (n === 2) return '2 flynedd';
  if ([5, 7, 8, 9, 10].includes(n)) return `${n} mlynedd`;
  return `${n} blynedd`;
}
