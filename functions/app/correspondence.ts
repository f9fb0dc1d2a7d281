import { londonDate, startOfLondonDay } from '../domain/calendar.js';
import type { CaseNote, CaseRecord } from '../domain/case.js';
import {
  deriveDeadlines,
  holdingLetterAt,
  holdingLetterNewDate,
  stage2LateRequestDeadline,
  WAIT_DEADLINE_KEYS,
  waitDeadlineFrom,
} from '../domain/case-clock.js';
import { stageClocksOf, stageProgress, withStageProgress } from '../domain/case-stage.js';
import { BROUGHT_INTO_PROCEDURE, SENT_BACK_AS_NOT_THEIRS } from '../domain/decisions.js';
import { restrictionText } from '../domain/designation.js';
import { caseLanguage, isLanguage, type Language, languageTag } from '../domain/language.js';
import { ombudsmanInLanguage } from '../domain/ombudsmen-cy.js';
import type { Policy } from '../domain/policy-schema.js';
import { delayReasonIn, groundLabelIn, serviceNameIn, signOffRoleIn } from '../domain/policy-welsh.js';
import type { Mailer } from '../domain/ports.js';
import { checkedReferralOf, type Referral, referralContactBy, referralOf } from '../domain/referrals.js';
import { timeLimitEnds } from '../domain/time-limit.js';
import { isWaitTask, TASK_AUDIENCE } from '../domain/workflow-names.js';
import { withoutLanguageMarks } from '../templates/letter-blocks.js';
import {
  type EmailData,
  type EmailTemplate,
  formatLongDate,
  ombudsmanFor,
  type PauseMethod,
  renderEmail,
  type Stage1ResponseSummary,
  type Stage2RequestReasons,
} from '../templates/render-email.js';
import { describeUnprintable } from '../templates/unprintable.js';
import { type CorrespondenceWords, correspondenceWords } from './correspondence-words.js';
import { serviceOf } from './people.js';
import type { SendEmail } from './steps.js';

/**
 * Turns a case and a template name from the workflow into the data that template needs — and
 * no more — then renders and sends it. The workflow names templates by purpose
 * (`acknowledgement`, `response`); the stage decides which letter that is.
 */
export function correspondence(policy: Policy, mailer: Mailer): SendEmail {
  return async (c, template, to, extra = {}, options = {}) => {
    const name = letterFor(c, template as EmailTemplate);
    // Residents' letters in the language kept on the case; staff templates ignore it (English).
    const language = caseLanguage(c);
    const rendered = renderEmail(name, dataFor(policy, c, name, extra, language) as never, { language });
    return mailer.send(
      {
        to,
        ...rendered,
        caseId: c.caseId,
        template: name,
        ...(options.effect ? { effect: options.effect } : {}),
      },
      options.signal ? { signal: options.signal } : {},
    );
  };
}

/**
 * Why the resident asked for stage 2, and the stage-1 response they asked to be reviewed, for an
 * officer's task on that request: the decision on it, or any task of stage 2 itself. Nothing for
 * a task of stage 1.
 */
function stage2RequestOf(
  policy: Policy,
  c: CaseRecord,
  task: string,
): { stage2Request?: Stage2RequestReasons; stage1Response?: Stage1ResponseSummary } {
  const request = c.progress.stage2;
  if (!request || (c.stage !== 2 && task !== 'stage-2-decision')) return {};
  // What the resident asked to be reviewed: the stage-1 response, as the task page shows it.
  const answered = c.progress.stage1.response;
  const stage1Response: Stage1ResponseSummary | undefined = answered?.reasons.trim()
    ? { outcome: answered.outcome ?? 'resolved', text: answered.reasons }
    : undefined;
  const grounds = policy.complaint.stage2?.grounds ?? [];
  // Stored by id; officers read the label the resident chose, in English.
  const labels = (request.grounds ?? []).map((id) => {
    const ground = grounds.find((g) => g.id === id);
    return ground ? groundLabelIn(ground, 'en') : id;
  });
  const text = request.groundsText?.trim();
  return {
    stage2Request: { grounds: labels, ...(text ? { text } : {}) },
    ...(stage1Response ? { stage1Response } : {}),
  };
}

/** What the complaint was paused for, as the letters say it (the last pause's kind). */
function pauseMethod(c: CaseRecord): PauseMethod {
  const kind = stageProgress(c).pauseKind ?? 'mediation';
  return kind === 'legal-proceedings' ? 'legal proceedings' : kind;
}

/** A resident's letter for the post: which template it is, its title and the PDF. */
export interface PrintedLetter {
  template: EmailTemplate;
  title: string;
  text: string;
  pdf: Buffer;
  /** Characters of it no letter font has, which print as empty boxes (empty: none). */
  unprintable: string;
  /** What it was rendered from, to write the same letter again to a corrected name or address. */
  source: LetterSource;
}

/**
 * What a printed letter was rendered from: its template, the template's data as it was then
 * (without the resident's name, which the letter's greeting takes from the case), its date and
 * its language. Kept with the letter's `letter-written` event, so that when the resident's name
 * or postal address is corrected before it is posted (or after, to post it again) the very same
 * letter (the same date, the same dates given, the same words) is written again to the corrected
 * one: rendered from the case as it is by then, it could say something else (a later stage, a
 * deadline moved). The data holds nothing the PDF does not.
 */
export interface LetterSource {
  template: EmailTemplate;
  data: Record<string, unknown>;
  /** The date the letter is dated (ISO timestamp). */
  date: string;
  language: Language;
}

/**
 * Renders the letter a workflow step sends a resident as a printed letter (the same template
 * and data as the email, in the letter's words), dated `now`.
 */
export async function renderLetter(
  policy: Policy,
  c: CaseRecord,
  template: string,
  extra: Record<string, unknown>,
  now: Date,
): Promise<PrintedLetter> {
  const name = letterFor(c, template as EmailTemplate);
  const language = caseLanguage(c);
  const { residentName: _named, ...data } = dataFor(policy, c, name, extra, language) as unknown as Record<
    string,
    unknown
  >;
  // Plain data, as it is stored: what JSON (and the table) cannot hold is not in the letter either.
  const source: LetterSource = {
    template: name,
    data: JSON.parse(JSON.stringify(data)) as Record<string, unknown>,
    date: now.toISOString(),
    language,
  };
  return renderLetterFrom(policy, c, source);
}

/**
 * Renders a letter from what it was first rendered from (`LetterSource`), addressed to the
 * resident as the case now names them: the same letter, to a corrected name or address.
 */
export async function renderLetterFrom(
  policy: Policy,
  c: Pick<CaseRecord, 'complainant' | 'reference'>,
  source: LetterSource,
): Promise<PrintedLetter> {
  const { template: name, language } = source;
  const w = correspondenceWords(language);
  const data = { ...source.data, ...(c.complainant.name ? { residentName: c.complainant.name } : {}) };
  const rendered = renderEmail(name, data as never, {
    medium: 'letter',
    language,
    // The officer's English in a Welsh letter is tagged as English in the PDF.
    languageMarks: true,
  });
  const readable = withoutLanguageMarks(rendered.text);
  const title = rendered.subject.replace(/\s*\([^()]*\)$/, '');
  // Loaded on the first letter: pdfkit and its fonts are a third of the notify step's code, and
  // most residents are written to by email (the step's cold start should not pay for the post).
  const { renderLetterFile } = await import('../templates/render-letter.js');
  const { pdf, unprintable } = await renderLetterFile({
    council: policy.council,
    returnAddress: policy.letters?.returnAddress ?? [language === 'cy' ? 'Tîm cwynion' : 'Complaints team'],
    contact: [
      ...(policy.letters?.phone ? [`${w.phone}: ${policy.letters.phone}`] : []),
      `${w.email}: ${policy.routing.complaintsTeam}`,
    ],
    recipient: {
      ...(c.complainant.name ? { name: c.complainant.name } : {}),
      addressLines: addressLines(c.complainant.address),
    },
    date: formatLongDate(source.date, language),
    reference: c.reference,
    referenceLabel: w.ourReference,
    lang: languageTag(language),
    title,
    text: rendered.text,
  });
  return { template: name, title, text: readable, pdf, unprintable, source };
}

/** The source a `letter-written` event keeps (`LetterSource`), when it is one. */
export function letterSourceOf(detail: Record<string, unknown> | undefined): LetterSource | undefined {
  const source = detail?.source as Partial<LetterSource> | undefined;
  if (
    typeof source?.template !== 'string' ||
    typeof source.date !== 'string' ||
    typeof source.data !== 'object' ||
    source.data === null
  ) {
    return undefined;
  }
  return { ...source, language: isLanguage(source.language) ? source.language : 'en' } as LetterSource;
}

/** A postal address as lines, however the resident typed it (new lines or commas). */
export function addressLines(address: string | undefined): string[] {
  return (address ?? '')
    .split(/\r?\n|,\s*/)
    .map((l) => l.trim())
    .filter(Boolean);
}

function letterFor(c: CaseRecord, template: EmailTemplate): EmailTemplate {
  if (c.stage === 2 && template === 'acknowledgement') return 'stage-2-acknowledgement';
  if (c.stage === 2 && template === 'response') return 'final-response';
  if (template === 'response' && c.kind === 'compliment') return 'compliment-acknowledgement';
  if (template === 'compliment-to-staff') return 'compliment-to-staff';
  return template;
}

/** Whether the stage-2 reviewer is someone other than the stage-1 officer, as recorded when stage 2 began. */
function independent(c: CaseRecord): boolean {
  return c.progress.stage2?.independentOfStage1 === true;
}

/**
 * Whether a letter giving the resident a later date than the deadline (a holding letter, a late
 * restart) carries the Ombudsman's details: an extension in all but name, it does where the
 * policy's extension letter does (the Code §6.5). A comment is not a complaint.
 */
function givesOmbudsmanWithLaterDate(policy: Policy, c: CaseRecord): boolean {
  return c.kind === 'complaint' && stageClocksOf(policy, c)?.extension.includeOmbudsmanDetails === true;
}

/**
 * Why a reply may be late, in words true whenever a holding letter goes (the reply has not been
 * sent): who has it and that they have not finished.
 */
function delayReason(c: CaseRecord, serviceName: string | undefined, w: CorrespondenceWords): string {
  if (c.kind === 'representation') return w.delayRepresentation;
  const noun = c.kind === 'comment' ? 'comment' : 'complaint';
  if (c.stage === 2) return w.delayStage2(noun);
  return w.delayStage1(serviceName, noun);
}

function dataFor(
  policy: Policy,
  c: CaseRecord,
  template: EmailTemplate,
  extra: Record<string, unknown>,
  language: Language,
): EmailData[EmailTemplate] {
  // The words built here, in the resident's language (staff templates are rendered in English).
  const w = correspondenceWords(language);
  const d = deriveDeadlines(policy, c);
  const s = c.stage === 2 ? 'stage2' : '';
  const key = (k: string) => (s ? `${s}${k[0]?.toUpperCase()}${k.slice(1)}` : k);
  const respondBy = d[key('respondBy')] ?? d.replyBy ?? d.feedbackBy ?? d.acknowledgeBy ?? c.receivedAt;
  const common = { council: policy.council, reference: c.reference };
  const resident = { ...common, ...(c.complainant.name ? { residentName: c.complainant.name } : {}) };
  const service = serviceOf(policy, c);
  // The service as the resident reads it: its Welsh name in Welsh letters, where the policy has one.
  // Not one whose complaints follow another procedure, for a complaint brought back from it into
  // ours (that team said it is not theirs): the complaints team has it (`stage1Officer`).
  const serviceName =
    service && !(c.kind === 'complaint' && service.redirect) ? serviceNameIn(service, language) : undefined;
  const progress = stageProgress(c);
  const ombudsman = ombudsmanInLanguage(ombudsmanFor(policy, c.service), language);
  const officer = c.assignedTo ?? policy.routing.complaintsTeam;
  const outcome = {
    // The stage's own response says what was decided at it (the case's outcome may still be
    // stage 1's); a response with no finding was resolved at first contact, either way.
    outcome: progress.response
      ? (progress.response.outcome ?? ('resolved' as const))
      : (c.outcome ?? ('resolved' as const)),
    reasons: progress.response?.reasons ?? '',
    ...(progress.response?.remedy ? { remedy: progress.response.remedy } : {}),
    ...(progress.response?.actions ? { actions: [progress.response.actions] } : {}),
    // At stage 2 the reviewer answers, not the team the complaint was about.
    respondent: c.stage === 2 ? w.stage2Respondent : w.respondentTeam(serviceName),
  };
  const reasons = (letter: string, at?: string) => reasonsFor(c.notes, letter, at);
  // Feedback typed in after it came (a letter, a call) reaches a team only as it is sent on: a
  // date the resident is to be contacted by counts from then, never from a receipt long past.
  const passedOnAt =
    typeof extra.now === 'string' && Date.parse(extra.now) > Date.parse(c.receivedAt)
      ? extra.now
      : c.receivedAt;
  switch (template) {
    case 'receipt': {
      // Sent at once to an address nobody has confirmed: nothing the sender typed goes in it,
      // or anyone could have the council mail their text to anyone. A date already past when it
      // goes (feedback recorded weeks after it came) is not promised: the letters after it give
      // the dates that hold.
      const ahead = (at: string | undefined) =>
        at !== undefined && (typeof extra.now !== 'string' || Date.parse(at) > Date.parse(extra.now))
          ? at
          : undefined;
      const acknowledgeBy = ahead(d.acknowledgeBy);
      // A response counted from the acknowledgement has no date while the acknowledgement is
      // overdue (a referral brought back late): the acknowledgement, which goes at once, gives it.
      const fromAcknowledgement =
        c.kind === 'complaint' && policy.complaint.stage1.respond.from === 'acknowledgement';
      const respondByAhead =
        fromAcknowledgement && d.acknowledgeBy !== undefined && acknowledgeBy === undefined
          ? undefined
          : ahead(respondBy);
      // A comment's reply or a representation's feedback already late: said so, as the holding
      // letter that follows at once quotes that date (a complaint's acknowledgement says it).
      const answerBy =
        c.kind === 'comment' ? d.replyBy : c.kind === 'representation' ? d.feedbackBy : undefined;
      return {
        ...common,
        kind: c.kind,
        receivedAt: c.receivedAt,
        ...(acknowledgeBy ? { acknowledgeBy } : {}),
        ...(respondByAhead ? { respondBy: respondByAhead } : {}),
        ...(answerBy && !respondByAhead ? { answerByPassed: answerBy } : {}),
        ...(typeof extra.checkUrl === 'string' ? { checkUrl: extra.checkUrl } : {}),
        ...broughtBackOf(policy, c, language),
      };
    }
    case 'sign-in-link':
      // Only the reference: whoever holds the mailbox had the receipt already.
      return {
        ...common,
        kind: c.kind,
        signInUrl: String(extra.signInUrl ?? ''),
        validMinutes: Number(extra.validMinutes),
      };
    case 'acknowledgement':
      return {
        ...resident,
        handledBy: serviceName ? w.serviceTeam(serviceName) : w.complaintsTeam,
        respondBy,
        // Acknowledged after the response date (feedback typed in weeks after it came, with the
        // response counted from receipt): the letter says the date was missed, not that it holds;
        // the holding letter the clock sends at once gives the new one.
        ...(typeof extra.now === 'string' && Date.parse(respondBy) <= Date.parse(extra.now)
          ? { respondByPassed: true }
          : {}),
        ...(c.kind === 'social-care' && !c.plan ? { agreeTimescale: true } : {}),
        ...optional('understanding', progress.understanding),
      };
    case 'stage-2-acknowledgement':
      return {
        ...resident,
        handledBy: w.seniorOfficer,
        respondBy,
        independent: independent(c),
        ...optional('understanding', progress.understanding),
      };
    case 'redirect': {
      // Only what is true: "passed to" only when the team was emailed, with the date they will
      // contact the resident by where the policy sets one (none where a procedure set by law
      // has its own timescales); "checked" only when the complaints team checks (not a service request).
      const referral = referralOf(policy, c, language);
      const contactBy = referral?.mailbox ? referralContactBy(policy, referral, passedOnAt) : undefined;
      // Also sent at once, to an address nobody has confirmed: no name the sender typed.
      return {
        ...common,
        redirect: c.triage.redirect ?? w.defaultRedirect,
        ...(referral?.mailbox
          ? {
              referral: {
                team: referral.team,
                ...(contactBy ? { contactBy } : {}),
                // How to reach them, unless the team's name gives the address already.
                ...(referral.team.includes(referral.mailbox) ? {} : { email: referral.mailbox }),
              },
            }
          : {}),
        ...(referral?.mailbox ? {} : { reach: reachOf(referral, c.triage.redirect) }),
        ...(c.triage.route === 'refer' ? { checked: true } : {}),
        // A complaint sent to social care's procedure set by law is still a complaint: the letter
        // says it was passed on, not that it was not treated as one.
        ...(c.kind === 'complaint' &&
        (c.triage.exclusion === 'social-care' || c.triage.exclusion === 'childrens-social-care')
          ? { ownProcedure: true }
          : {}),
        ombudsman,
      };
    }
    case 'referral': {
      const referral = referralOf(policy, c);
      const contact = [c.complainant.name, c.complainant.email, c.complainant.phone, c.complainant.address]
        .filter(Boolean)
        .join('\n');
      return {
        ...common,
        why: c.triage.reasons[0] ?? 'it is outside the complaints procedure.',
        team: referral?.team ?? 'your team',
        ...optional('contactBy', referral && referralContactBy(policy, referral, passedOnAt)),
        receivedAt: c.receivedAt,
        summary: c.summary,
        ...(contact ? { contact } : {}),
        caseUrl: String(extra.caseUrl ?? ''),
        ...(checkedReferralOf(policy, c) ? { sendBackTo: policy.routing.complaintsTeam } : {}),
        ...(c.triage.exclusion === 'service-request'
          ? {
              serviceRequest:
                referral?.mailbox?.toLowerCase() === policy.routing.complaintsTeam.toLowerCase()
                  ? {}
                  : { complaintsTeam: policy.routing.complaintsTeam },
            }
          : {}),
      };
    }
    case 'consent-needed': {
      // The letter goes as the wait begins: its deadline is the one the clock will keep, unless
      // that has passed already (typed in late), when the team's date counts from the letter.
      const kept = d.consentBy ?? waitDeadlineFrom(policy, 'consent', c.receivedAt);
      // Sent at once, to an address nobody has confirmed: nothing the sender typed goes in it.
      return {
        ...common,
        consentBy:
          Date.parse(kept) > Date.parse(passedOnAt) ? kept : waitDeadlineFrom(policy, 'consent', passedOnAt),
      };
    }
    case 'consent-not-given': {
      // The person can still complain, within the policy's time limit (the Code §2.2; SI
      // 2009/309 reg. 12; the SPSO's six months), and after it only for a good reason: the
      // letter gives the limit, and its last day when we know when the matter happened.
      const limitEnds = c.happenedOn ? timeLimitEnds(policy, c.happenedOn) : undefined;
      const today = londonDate(typeof extra.now === 'string' ? extra.now : new Date().toISOString());
      return {
        ...resident,
        personName: c.onBehalfOf?.name ?? w.personFallback,
        ...optional('reasons', reasons(template)),
        months: policy.complaint.timeLimitMonths,
        ...(limitEnds ? { limitEnds, ...(limitEnds < today ? { limitPassed: true } : {}) } : {}),
      };
    }
    case 'out-of-time': {
      const happenedOn = c.happenedOn ?? londonDate(c.receivedAt);
      return {
        ...resident,
        happenedOn,
        months: policy.complaint.timeLimitMonths,
        limitEnded: timeLimitEnds(policy, happenedOn),
        reasons: reasons(template)?.replace(/^Refused as out of time: /, '') ?? '',
        ombudsman,
      };
    }
    case 'stage-2-resolved':
      return { ...resident, resolution: c.progress.stage2?.response?.reasons ?? '', ombudsman };
    case 'not-a-complaint':
      return { ...resident, explanation: c.triage.redirect ?? w.defaultExplanation, ombudsman };
    case 'holding-letter': {
      const now = new Date(String(extra.now ?? new Date().toISOString()));
      // The deadline the letter is about: the case's, or the one it had when the letter went.
      const deadline = typeof extra.deadline === 'string' ? extra.deadline : respondBy;
      const quoted = typeof extra.promisedDate === 'string' ? extra.promisedDate : deadline;
      // Late once the date it quotes has passed (from its last second, when a further letter by
      // email goes); a letter by post goes before it, to arrive by then.
      const late = now.getTime() >= Date.parse(quoted);
      const withOmbudsman = givesOmbudsmanWithLaterDate(policy, c);
      return {
        ...resident,
        kind: c.kind,
        stage: c.stage,
        // A further letter (the date the last one committed to has come) quotes that date.
        promisedDate: quoted,
        late,
        newDate:
          typeof extra.newDate === 'string'
            ? extra.newDate
            : holdingLetterNewDate(policy, c, deadline, now, quoted),
        reason: delayReason(c, serviceName, w),
        ...(withOmbudsman ? { ombudsman, ...(late ? { replyLate: true } : {}) } : {}),
      };
    }
    case 'extension': {
      // The letter is about the last extension granted when it went: re-created (`extra.now`,
      // when it was sent) after another, it keeps its own dates, not the later one's.
      const sentAt = typeof extra.now === 'string' ? Date.parse(extra.now) : Number.POSITIVE_INFINITY;
      const all = progress.extensions ?? [];
      const granted = all.filter((x) => Date.parse(x.at) <= sentAt).length;
      const last = all[granted - 1];
      const laterDays = all.slice(granted).reduce((days, x) => days + x.days, 0);
      const clocks = stageClocksOf(policy, c);
      const deadlineWith = (extensionDays: number) => {
        const moved = { ...c, progress: withStageProgress(c, { extensionDays }) };
        return deriveDeadlines(policy, moved)[key('respondBy')];
      };
      const through = (progress.extensionDays ?? 0) - laterDays;
      const newDate = laterDays > 0 ? (deadlineWith(through) ?? respondBy) : respondBy;
      // The date before this extension: the deadline as it was without its days.
      const before = deadlineWith(through - (last?.days ?? 0));
      return {
        ...resident,
        stage: c.stage,
        // The date the resident last held: a holding letter's, when one gave a later date.
        previousDate: String(extra.previousDate ?? last?.from ?? before ?? newDate),
        newDate,
        reason: last?.reason ?? '',
        ...(clocks?.extension.includeOmbudsmanDetails ? { ombudsman } : {}),
      };
    }
    case 'pause':
      return {
        ...resident,
        method: pauseMethod(c),
        // The reason given with this pause (written at the moment it began), never an older note.
        ...optional('reason', reasons(template, stageProgress(c).pausedAt)),
        // The policy's review date for a pause (`waits.resume`): the officer is chased by it.
        ...(d.pauseReviewBy ? { reviewBy: d.pauseReviewBy } : {}),
      };
    case 'resume': {
      // Paused after the deadline had passed, the clock restarts already late: the letter says so
      // and gives a date to come, by the holding letter's rule, never the date that has passed.
      const now = new Date(String(extra.now ?? new Date().toISOString()));
      // As the step found it (`notifyExtra`), else from the deadline.
      const late = typeof extra.late === 'boolean' ? extra.late : now.getTime() > Date.parse(respondBy);
      const newDate =
        typeof extra.newDate === 'string'
          ? extra.newDate
          : late
            ? holdingLetterNewDate(policy, c, respondBy, now)
            : respondBy;
      // A date later than the deadline, as a holding letter gives: the Ombudsman's details go with it.
      const later = Date.parse(newDate) > Date.parse(respondBy);
      return {
        ...resident,
        method: pauseMethod(c),
        newDate,
        late,
        ...(later && givesOmbudsmanWithLaterDate(policy, c)
          ? { ombudsman, ...(late ? { replyLate: true } : {}) }
          : {}),
      };
    }
    case 'reopened': {
      // Not the officer's reason for reopening: it is written for colleagues and may name staff,
      // other people or advice taken, so the letter says only that we looked at it again.
      const reopening = c.reopenings?.at(-1);
      const route = reopening?.route;
      return {
        // Sent elsewhere at intake, they were greeted "Hello": still no name the sender typed.
        ...(reopening?.sentElsewhereAtIntake ? common : resident),
        stage: c.stage,
        handledBy:
          c.stage === 2 ? w.seniorOfficer : serviceName ? w.serviceTeam(serviceName) : w.complaintsTeam,
        respondBy,
        ...(route === 'redirect' || route === 'refer' ? { wasRedirected: true } : {}),
      };
    }
    case 'response': {
      const stage2 =
        policy.complaint.stages === 2 && typeof extra.link === 'string'
          ? {
              requestBy: deriveDeadlines(policy, {
                ...c,
                progress: {
                  ...c.progress,
                  stage1: {
                    ...c.progress.stage1,
                    respondedAt: c.progress.stage1.respondedAt ?? new Date().toISOString(),
                  },
                },
              }).stage2RequestBy as string,
              url: extra.link,
              ...(policy.complaint.stage2?.groundsRequired
                ? { grounds: policy.complaint.stage2.grounds.map((g) => groundLabelIn(g, language)) }
                : {}),
              independent: policy.complaint.stage2?.differentOfficer ?? true,
            }
          : undefined;
      return {
        ...resident,
        ...outcome,
        ...(stage2 ? { stage2 } : {}),
        // A one-stage procedure ends with this response (as the stage-2 response ends two).
        ...(policy.complaint.stages === 1 ? { final: true } : {}),
        ...(policy.ombudsman.signpostAtEveryStage || !stage2 ? { ombudsman } : {}),
      };
    }
    case 'final-response':
      return { ...resident, ...outcome, ombudsman, independent: independent(c) };
    case 'stage-2-refused':
      return { ...resident, reasons: reasons(template)?.replace(/^Stage 2 refused: /, '') ?? '', ombudsman };
    case 'stage-2-too-late': {
      const requestBy = d.stage2RequestBy ?? respondBy;
      const lateBy = stage2LateRequestDeadline(policy, c);
      return { ...resident, requestBy, ...(lateBy && lateBy !== requestBy ? { lateBy } : {}), ombudsman };
    }
    case 'compliment-acknowledgement': {
      // "Passed to" only when the policy passes compliments on (`compliment.passToStaff`).
      // Sent at once, to an address nobody has confirmed: no name the sender typed.
      if (!policy.compliment.passToStaff) return { ...common, recordedOnly: true };
      // Where the workflow sends it (the audience `service`): the service's own mailbox, else the
      // complaints team's, who pass it on. The letter names whoever that is, never a service
      // that was not sent it.
      const ownMailbox =
        service?.mailbox !== undefined &&
        service.mailbox.toLowerCase() !== policy.routing.complaintsTeam.toLowerCase();
      return {
        ...common,
        sentTo: serviceName && ownMailbox ? 'service' : 'complaints-team',
        ...(serviceName ? { service: serviceName } : {}),
      };
    }
    case 'comment-reply':
      return progress.response?.reasons
        ? { ...resident, reply: progress.response.reasons }
        : {
            ...resident,
            delayReason: delayReasonIn(policy, language),
            replyBy: respondBy,
          };
    case 'representation-feedback':
      return { ...resident, feedback: progress.response?.reasons ?? '' };
    case 'vexatious-decision':
      return {
        ...resident,
        // Sent by the workflow as it closes the complaint (`notifyExtra`): the resident, promised
        // a response when it was acknowledged, is told none will come.
        ...(extra.closes === true ? { closes: true } : {}),
        decision: c.designation?.reason || reasons(template) || w.vexatiousDecision,
        // The nominated officer's own words (in English), not our stock wording in the letter's language.
        ...(c.designation?.reason || reasons(template) ? { byOfficer: true } : {}),
        // The restrictions the nominated officer chose are kept as keys, worded here in the case's language.
        restrictions: [
          ...(c.designation?.restrictions ?? []).map((r) => restrictionText(r, language)),
          w.vexatiousRestriction,
        ],
        ...(c.designation ? { reviewBy: startOfLondonDay(c.designation.reviewBy) } : {}),
        ombudsman,
      };
    case 'referred-to-manager':
      return resident;
    case 'social-care-plan':
      return {
        ...resident,
        plan: c.plan?.text ?? '',
        respondBy,
        contactName: w.contactTeam(serviceName),
      };
    case 'social-care-closed':
      return {
        ...resident,
        // Why the officer proposed closing (the director signed that off), not the sign-off's stock words.
        response: reasons(template) ?? progress.response?.reasons ?? '',
        signedOffBy: signOffRoleIn(policy, language) ?? w.signOffFallback,
        ombudsman,
      };
    case 'social-care-six-months':
      return {
        ...resident,
        receivedAt: c.receivedAt,
        plan: c.plan?.text ?? '',
        respondBy,
        // Past the agreed date the plan clock has escalated to the manager (social-care workflow).
        respondByPassed: (progress.escalations ?? 0) > 0,
        contactName: w.contactTeam(serviceName),
        ombudsman,
      };
    case 'social-care-response':
      return {
        ...resident,
        plan: c.plan?.text ?? '',
        response: progress.response?.reasons ?? '',
        respondent: w.respondentTeam(serviceName),
        ombudsman,
      };
    case 'contact-recorded':
      return { ...resident, receivedAt: c.receivedAt };
    case 'officer-task':
    case 'officer-reminder': {
      const task = String(extra.task ?? c.openTask?.name ?? 'respond');
      // Each task is due by its own clock: the acknowledgement's, a wait's, the late-request period's.
      const dueBy =
        task === 'acknowledge'
          ? (d[key('acknowledgeBy')] ?? respondBy)
          : isWaitTask(task)
            ? (d[WAIT_DEADLINE_KEYS[task]] ?? respondBy)
            : task === 'late-stage-2-request'
              ? (stage2LateRequestDeadline(policy, c) ?? respondBy)
              : respondBy;
      return {
        ...common,
        task,
        caseKind: c.kind,
        stage: c.stage,
        ...(service ? { service: service.name } : {}),
        summary: c.summary,
        dueBy,
        taskUrl: String(extra.link ?? ''),
        ...(extra.reissued === true ? { reissued: true } : {}),
        ...(isWaitTask(task) ? { escalatesTo: policy.waits.escalateTo } : {}),
        // A complaint's response clock sends the resident a holding letter before the deadline
        // passes (`holdingLetterAt`): the reminder says when, or that it goes now (by post).
        ...(template === 'officer-reminder' && task === 'respond' && c.kind === 'complaint'
          ? holdingLetterWords(holdingLetterAt(policy, c, dueBy), extra.now)
          : {}),
        ...(c.accessibilityNeeds ? { accessibilityNeeds: c.accessibilityNeeds } : {}),
        ...passedToOf(policy, c, task),
        ...stage2RequestOf(policy, c, task),
      };
    }
    case 'manager-escalation':
      return {
        ...common,
        missed: missedDeadline(c, extra.clock),
        missedAt: String(extra.deadline ?? respondBy),
        // Who holds the missed task: the wait's task holder, else the case's officer.
        assignedTo: c.openTask?.officer ?? officer,
        ...(service ? { service: service.name } : {}),
        summary: c.summary,
        ...(typeof extra.caseUrl === 'string' ? { caseUrl: extra.caseUrl } : {}),
        // "The resident has been told" only when a holding letter for this deadline went to them.
        ...((extra.clock === 'respond' || extra.clock === 'reply') &&
        !c.anonymous &&
        progress.holdingLetterFor !== undefined &&
        progress.holdingLetterFor === String(extra.deadline ?? respondBy)
          ? { residentTold: true }
          : {}),
      };
    case 'compliment-to-staff':
      return { ...common, compliment: c.summary, ...(service ? { service: service.name } : {}) };
    case 'representation-to-policy-owner':
      return { ...common, representation: c.summary, feedbackBy: respondBy };
    case 'nominated-officer-contact':
      return { ...common, summary: c.summary, receivedAt: c.receivedAt };
    case 'print-and-post':
      return {
        ...common,
        title: String(extra.title ?? ''),
        ...(c.complainant.name ? { residentName: c.complainant.name } : {}),
        addressLines: addressLines(c.complainant.address),
        ...(c.complainant.phone ? { phone: c.complainant.phone } : {}),
        askedForPost: Boolean(c.complainant.email),
        ...(c.accessibilityNeeds ? { accessibilityNeeds: c.accessibilityNeeds } : {}),
        letterUrl: String(extra.letterUrl ?? ''),
        caseUrl: String(extra.caseUrl ?? ''),
        ...(typeof extra.unprintable === 'string' && extra.unprintable
          ? { unprintable: describeUnprintable(extra.unprintable) }
          : {}),
      };
    case 'case-assigned':
      return {
        ...common,
        from: String(extra.from ?? 'A colleague'),
        // A staff task waiting stays with its officer; the resident's own (asking for stage 2) is not one.
        ...(c.openTask && TASK_AUDIENCE[c.openTask.name] !== 'resident'
          ? { taskWith: c.openTask.officer }
          : {}),
        caseKind: c.kind,
        stage: c.stage,
        ...(service ? { service: service.name } : {}),
        summary: c.summary,
        caseUrl: String(extra.caseUrl ?? ''),
      };
    case 'complaints-team-alert': {
      const problem =
        extra.problem === 'workflow-start-failed' ||
        extra.problem === 'bounce' ||
        extra.problem === 'referral-bounce'
          ? extra.problem
          : 'other';
      return { ...common, problem, detail: String(extra.error ?? 'The case workflow needs attention.') };
    }
    default:
      return resident as never;
  }
}

/**
 * A resident's email re-created from its template and the case as it is now, as it read at the
 * stage it was sent in: Redress keeps a history of what was sent (template and time), not each
 * email's words, so the Ombudsman's file (`ombudsman-file.ts`) re-renders them and says so.
 * The resident's personal link to ask for a review is not kept: it is shown as an address that
 * names no task (`…/tasks/link-not-kept`), never as a working link.
 */
export function recreateResidentEmail(
  policy: Policy,
  c: CaseRecord,
  template: string,
  stage: 1 | 2,
  sentAt: string,
  options: {
    baseUrl: string;
    medium?: 'email' | 'letter';
    /** What the email was sent with that the case no longer says (a further holding letter's quoted date). */
    sentWith?: Record<string, unknown>;
  },
): { subject: string; text: string } {
  const view: CaseRecord =
    stage === 1 && c.stage === 2
      ? (() => {
          const { stage2: _stage2, ...progress } = c.progress;
          const { outcome: _outcome, ...rest } = c;
          const outcome = c.progress.stage1.response?.outcome;
          return { ...rest, stage: 1, progress, ...(outcome ? { outcome } : {}) };
        })()
      : c;
  const name = letterFor(view, template as EmailTemplate);
  const language = caseLanguage(c);
  const extra = {
    ...options.sentWith,
    now: sentAt,
    link: `${options.baseUrl}/tasks/link-not-kept`,
    checkUrl: `${options.baseUrl}/check`,
  };
  const rendered = renderEmail(name, dataFor(policy, view, name, extra, language) as never, {
    language,
    medium: options.medium ?? 'email',
  });
  return { subject: rendered.subject, text: rendered.text };
}

/** When a reminder says the holding letter goes: a day to come, or today (it goes with the reminder). */
function holdingLetterWords(
  at: string,
  now: unknown,
): { holdingLetterAt: string; holdingLetterToday?: true } {
  const today = typeof now === 'string' && Date.parse(now) >= Date.parse(at);
  return { holdingLetterAt: at, ...(today ? { holdingLetterToday: true as const } : {}) };
}

/**
 * The deadline a missed clock is about, by its name in `DEADLINE_LABELS`: the clock names the
 * kind of wait, the case says which (stage 2's, a comment's reply, a representation's feedback).
 */
function missedDeadline(c: CaseRecord, clock: unknown): string {
  if (typeof clock === 'string' && isWaitTask(clock)) return WAIT_DEADLINE_KEYS[clock];
  if (clock === 'acknowledge') return c.stage === 2 ? 'stage2AcknowledgeBy' : 'acknowledgeBy';
  if (clock === 'reply') {
    if (c.kind === 'comment') return 'replyBy';
    if (c.kind === 'representation') return 'feedbackBy';
    if (c.kind === 'compliment') return 'passOnBy';
  }
  return c.stage === 2 ? 'stage2RespondBy' : 'respondBy';
}

/** `{ [key]: value }` when there is a value, else nothing. */
function optional(key: string, value: string | undefined): Record<string, string> {
  return value ? { [key]: value } : {};
}

/** Prefixes the decisions' reasons were written with before notes named their letter. */
const REASON_PREFIXES: Readonly<Record<string, string>> = {
  'out-of-time': 'Refused as out of time: ',
  'stage-2-refused': 'Stage 2 refused: ',
};

/**
 * The reasons a decision's letter gives the resident: the latest note written for that letter
 * (`CaseNote.for`), and with `at`, only the one written at that moment (the decision's own).
 * Never another note: a call the officer recorded, or a referral's reasons, are the officers'.
 * Notes written before they named their letter count only when they carry the decision's own
 * prefix ("Stage 2 refused: …").
 */
export function reasonsFor(
  notes: readonly CaseNote[] | undefined,
  letter: string,
  at?: string,
): string | undefined {
  const prefix = REASON_PREFIXES[letter];
  const mine = (n: CaseNote) =>
    (n.for === letter || (n.for === undefined && prefix !== undefined && n.text.startsWith(prefix))) &&
    (at === undefined || n.at === at);
  return [...(notes ?? [])].reverse().find(mine)?.text;
}

/**
 * A case sent elsewhere at intake (`refer`) and then brought into the complaints procedure: who
 * it had been passed to, in the resident's language, and whether they sent it back as not theirs.
 */
function broughtBackOf(
  policy: Policy,
  c: CaseRecord,
  language: Language,
): { broughtBack?: { team?: string; notTheirs: boolean } } {
  const last = c.triage.reasons.at(-1) ?? '';
  const notTheirs = last.startsWith(SENT_BACK_AS_NOT_THEIRS);
  if (c.triage.route !== 'handle' || (!notTheirs && !last.startsWith(BROUGHT_INTO_PROCEDURE))) return {};
  const referral = referralOf(policy, c, language);
  return { broughtBack: { ...(referral?.mailbox ? { team: referral.team } : {}), notTheirs } };
}

/**
 * How a resident told where to go reaches the team (the case not emailed to it): the web page and
 * phone number the policy names, unless the words they are told give them already; with neither,
 * the letter has them ask us. Never "please contact them" with nothing to contact them by.
 */
function reachOf(
  referral: Referral | undefined,
  told: string | undefined,
): { team?: string; url?: string; phone?: string; named?: true } {
  const given = (value: string | undefined) => (value && !told?.includes(value) ? value : undefined);
  const url = given(referral?.url);
  const phone = given(referral?.phone);
  const named = (referral?.url && !url) || (referral?.phone && !phone);
  return {
    ...(referral ? { team: referral.team } : {}),
    ...(url ? { url } : {}),
    ...(phone ? { phone } : {}),
    ...(named && !url && !phone ? { named: true as const } : {}),
  };
}

/** For the check that a referral was picked up: the team it was passed to and the address it went to. */
function passedToOf(policy: Policy, c: CaseRecord, task: string): { passedTo?: string } {
  if (task !== 'referral-check') return {};
  const referral = referralOf(policy, c);
  return referral?.mailbox ? { passedTo: `${referral.team} (${referral.mailbox})` } : {};
}
