import { OMBUDSMAN_IDS, OMBUDSMEN } from './ombudsmen.js';
import type { Policy } from './policy-schema.js';

/**
 * The policy check: how a council's policy compares with the LGSCO / Housing Ombudsman Complaint
 * Handling Code 2024 (and, for its statutory social-care section, with SI 2009/309). Pure: it
 * reads a validated policy and returns findings; the CLI (`npm run policy:check`) prints them.
 */

/** The Code's numbers that the check compares with. */
export const CODE = {
  name: 'the LGSCO / Housing Ombudsman Complaint Handling Code 2024',
  stages: 2,
  stage1: { acknowledgeFromReceipt: 5, respondFromAcknowledgement: 10, extensionMax: 10 },
  stage2: { acknowledgeFromRequest: 5, respondFromAcknowledgement: 20, extensionMax: 10 },
  timeLimitMonths: 12,
} as const;

/** SI 2009/309 (adult social care complaints): acknowledge within 3 working days; tell after 6 months. */
export const SOCIAL_CARE_REGULATIONS = {
  name: 'SI 2009/309',
  acknowledgeFromReceipt: 3,
  tellIfBeyondMonths: 6,
} as const;

/** How one point of a policy compares with its reference. */
export type Verdict = 'weaker' | 'meets' | 'stronger';

/** One point of the policy check. */
export interface Finding {
  /** The policy field compared (dotted path; also the key of its note in `policy.sources`). */
  field: string;
  /** The point in plain English, e.g. "Stage 1 response". */
  topic: string;
  /** The policy's value in words, e.g. "20 working days from receipt". */
  policyValue: string;
  /** What the reference asks for, e.g. "10 working days from acknowledgement (up to 15 from receipt)". */
  codeValue: string;
  /** What the policy is compared with: the Code, or the social-care regulations. */
  reference: string;
  verdict: Verdict;
  /** One plain-English line, e.g. "Stage 1 response: 20 working days from receipt — the Code asks for … Weaker than the Code." */
  message: string;
  /** Where the policy's number comes from (`policy.sources`), when the policy says. */
  source?: string;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function days(n: number): string {
  return n === 1 ? '1 working day' : `${n} working days`;
}

const FROM: Record<string, string> = {
  receipt: 'receipt',
  acknowledgement: 'acknowledgement',
  request: 'the request',
  'stage-1-response': 'the stage-1 response',
};

function clock(c: { workingDays: number; from: string }): string {
  return `${days(c.workingDays)} from ${FROM[c.from] ?? c.from}`;
}

/** Fewer days is stronger for the resident. */
function byDays(value: number, limit: number): Verdict {
  if (value > limit) return 'weaker';
  return value < limit ? 'stronger' : 'meets';
}

function shortReference(reference: string): string {
  return reference === CODE.name ? 'the Code' : reference;
}

const VERDICT_TEXT: Record<Verdict, (ref: string) => string> = {
  weaker: (ref) => `Weaker than ${ref}.`,
  meets: (ref) => `Meets ${ref}.`,
  stronger: (ref) => `Stronger than ${ref}.`,
};

class Findings {
  readonly list: Finding[] = [];
  constructor(private readonly policy: Policy) {}

  add(
    field: string,
    topic: string,
    policyValue: string,
    codeValue: string,
    verdict: Verdict,
    options: { reference?: string; note?: string } = {},
  ): void {
    const reference = options.reference ?? CODE.name;
    const ref = shortReference(reference);
    const note = options.note ? ` ${options.note}` : '';
    const source = this.policy.sources[field];
    this.list.push({
      field,
      topic,
      policyValue,
      codeValue,
      reference,
      verdict,
      message: `${topic}: ${policyValue} — ${ref} asks for ${codeValue}. ${VERDICT_TEXT[verdict](ref)}${note}`,
      ...(source === undefined ? {} : { source }),
    });
  }
}

type Extension = Policy['complaint']['stage1']['extension'];

function checkExtension(
  f: Findings,
  field: string,
  stageName: string,
  ext: Extension,
  codeMax: number,
  options: { note?: string } = {},
): void {
  if (ext.maxWorkingDays === 0) {
    f.add(field, `${stageName} extension`, 'none allowed', `at most ${days(codeMax)} more`, 'stronger');
    return;
  }
  f.add(
    field,
    `${stageName} extension`,
    `up to ${days(ext.maxWorkingDays)} more`,
    `at most ${days(codeMax)} more without good reason`,
    byDays(ext.maxWorkingDays, codeMax),
    options,
  );
  f.add(
    `${field}.reasonsRequired`,
    `${stageName} extension reasons`,
    ext.reasonsRequired ? 'the reasons are given to the resident' : 'no reasons need be given',
    'the reasons to be explained to the resident',
    ext.reasonsRequired ? 'meets' : 'weaker',
  );
  f.add(
    `${field}.includeOmbudsmanDetails`,
    `${stageName} extension letter`,
    ext.includeOmbudsmanDetails
      ? "carries the Ombudsman's details"
      : "does not carry the Ombudsman's details",
    "the Ombudsman's details with every extension",
    ext.includeOmbudsmanDetails ? 'meets' : 'weaker',
  );
}

/**
 * The longest a response may take with its extension, against the Code's: the response plus the
 * most extension it allows (stage 1: 10 + 10 working days from acknowledgement; stage 2: 20 + 10).
 * A policy counting from receipt (or the request) is compared with the Code's latest total from
 * it (acknowledged on the last day), and is stronger only if it beats the Code's count from
 * acknowledgement even so.
 */
function checkTotal(
  f: Findings,
  field: string,
  stageName: string,
  respond: { workingDays: number; from: string },
  ext: Extension,
  code: { acknowledge: number; respond: number; extensionMax: number },
  startedBy: string,
  options: { note?: string } = {},
): void {
  const total = respond.workingDays + ext.maxWorkingDays;
  const codeTotal = code.respond + code.extensionMax;
  const latest = code.acknowledge + codeTotal;
  const verdict: Verdict =
    respond.from === 'acknowledgement'
      ? byDays(total, codeTotal)
      : total > latest
        ? 'weaker'
        : total < codeTotal
          ? 'stronger'
          : 'meets';
  f.add(
    field,
    `${stageName} response with the longest extension`,
    `${days(total)} from ${FROM[respond.from] ?? respond.from}`,
    `at most ${days(codeTotal)} from acknowledgement (up to ${latest} from ${startedBy})`,
    verdict,
    options,
  );
}

/** A one-stage policy with a statutory social-care section is the SI 2009/309 procedure, not the Code's. */
function isStatutorySocialCare(policy: Policy): boolean {
  return policy.complaint.stages === 1 && policy.socialCare !== undefined;
}

const AGREED_NOTE = 'Under SI 2009/309 the response period is agreed with the complainant.';

function checkStage1(f: Findings, policy: Policy): void {
  const s1 = policy.complaint.stage1;
  const note = isStatutorySocialCare(policy) ? { note: AGREED_NOTE } : {};
  const code = CODE.stage1;
  f.add(
    'complaint.stage1.acknowledge',
    'Stage 1 acknowledgement',
    clock(s1.acknowledge),
    `${days(code.acknowledgeFromReceipt)} from receipt`,
    byDays(s1.acknowledge.workingDays, code.acknowledgeFromReceipt),
  );

  // The Code counts the stage-1 response from acknowledgement. A policy counting from receipt
  // is compared with the latest the Code allows from receipt (acknowledged on its last day:
  // 5 + 10 = 15); it is stronger only if it beats even the Code's count from acknowledgement.
  const latestFromReceipt = code.acknowledgeFromReceipt + code.respondFromAcknowledgement;
  const n = s1.respond.workingDays;
  const verdict =
    s1.respond.from === 'acknowledgement'
      ? byDays(n, code.respondFromAcknowledgement)
      : n > latestFromReceipt
        ? 'weaker'
        : n < code.respondFromAcknowledgement
          ? 'stronger'
          : 'meets';
  f.add(
    'complaint.stage1.respond',
    'Stage 1 response',
    clock(s1.respond),
    `${days(code.respondFromAcknowledgement)} from acknowledgement (up to ${latestFromReceipt} from receipt)`,
    verdict,
    note,
  );
  checkExtension(f, 'complaint.stage1.extension', 'Stage 1', s1.extension, code.extensionMax, note);
  // Under SI 2009/309 the response period is agreed with the complainant: no total to compare.
  if (isStatutorySocialCare(policy)) return;
  checkTotal(
    f,
    'complaint.stage1.extension.maxWorkingDays',
    'Stage 1',
    s1.respond,
    s1.extension,
    {
      acknowledge: code.acknowledgeFromReceipt,
      respond: code.respondFromAcknowledgement,
      extensionMax: code.extensionMax,
    },
    'receipt',
    note,
  );
}

function checkStage2(f: Findings, s2: NonNullable<Policy['complaint']['stage2']>): void {
  const code = CODE.stage2;
  f.add(
    'complaint.stage2.groundsRequired',
    'Asking for stage 2',
    s2.groundsRequired
      ? `grounds required (the resident must show one of: ${s2.grounds.map((g) => lowerFirst(g.label.replace(/\.$/, ''))).join('; ')})`
      : 'no reasons needed',
    'no reasons: the resident need not explain why they escalate (§6.12)',
    s2.groundsRequired ? 'weaker' : 'meets',
  );
  f.add(
    'complaint.stage2.acknowledge',
    'Stage 2 acknowledgement',
    clock(s2.acknowledge),
    `${days(code.acknowledgeFromRequest)} from the request`,
    byDays(s2.acknowledge.workingDays, code.acknowledgeFromRequest),
  );
  const latestFromRequest = code.acknowledgeFromRequest + code.respondFromAcknowledgement;
  const n = s2.respond.workingDays;
  const verdict =
    s2.respond.from === 'acknowledgement'
      ? byDays(n, code.respondFromAcknowledgement)
      : n > latestFromRequest
        ? 'weaker'
        : n < code.respondFromAcknowledgement
          ? 'stronger'
          : 'meets';
  f.add(
    'complaint.stage2.respond',
    'Stage 2 response',
    clock(s2.respond),
    `${days(code.respondFromAcknowledgement)} from acknowledgement (up to ${latestFromRequest} from the request)`,
    verdict,
  );
  checkExtension(f, 'complaint.stage2.extension', 'Stage 2', s2.extension, code.extensionMax);
  checkTotal(
    f,
    'complaint.stage2.extension.maxWorkingDays',
    'Stage 2',
    s2.respond,
    s2.extension,
    {
      acknowledge: code.acknowledgeFromRequest,
      respond: code.respondFromAcknowledgement,
      extensionMax: code.extensionMax,
    },
    'the request',
  );
  f.add(
    'complaint.stage2.differentOfficer',
    'Stage 2 reviewer',
    s2.differentOfficer ? 'someone other than the stage-1 officer' : 'may be the stage-1 officer',
    'a different person from the one who handled stage 1 (§6.13)',
    s2.differentOfficer ? 'meets' : 'weaker',
  );
}

function checkOmbudsman(f: Findings, policy: Policy): void {
  const o = policy.ombudsman;
  f.add(
    'ombudsman.signpostAtEveryStage',
    'Ombudsman signposting',
    o.signpostAtEveryStage ? "the Ombudsman's details at every stage" : 'only after the final stage',
    "the Ombudsman's details during the process, including with every extension (§6.5), not only at the end",
    o.signpostAtEveryStage ? 'meets' : 'weaker',
  );
  // Contact details a council types in over the published ones: a wrong number sends residents nowhere.
  const digits = (s: string) => s.replace(/\D/g, '');
  // The Housing Ombudsman's number reaches residents only from a housing landlord service.
  const landlord = policy.routing.services.some((s) => s.housingLandlord);
  for (const id of OMBUDSMAN_IDS) {
    const override = o[id];
    if (id === 'housing' && !landlord) continue;
    const published = OMBUDSMEN[id];
    if (override && digits(override.phone) !== digits(published.phone)) {
      f.add(
        `ombudsman.${id}.phone`,
        `${published.name} telephone`,
        override.phone,
        `the published number, ${published.phone}`,
        'weaker',
      );
    }
  }
}

function checkOtherFeedback(f: Findings, policy: Policy): void {
  // The Code has no timescales for compliments or comments. A resident should not wait longer
  // for a reply to feedback than for the Code's answer to a complaint, so they are held to that.
  const ack = CODE.stage1.acknowledgeFromReceipt;
  f.add(
    'compliment.acknowledge',
    'Compliment acknowledgement',
    clock(policy.compliment.acknowledge),
    `no more than a complaint's acknowledgement, ${days(ack)} from receipt (the Code sets no time for compliments)`,
    byDays(policy.compliment.acknowledge.workingDays, ack),
  );
  const reply = CODE.stage1.acknowledgeFromReceipt + CODE.stage1.respondFromAcknowledgement;
  f.add(
    'comment.reply',
    'Reply to a comment',
    clock(policy.comment.reply),
    `no more than a stage-1 complaint response, ${days(reply)} from receipt (the Code sets no time for comments)`,
    byDays(policy.comment.reply.workingDays, reply),
  );
}

function checkSocialCare(f: Findings, policy: Policy): void {
  const sc = policy.socialCare;
  if (!sc) return;
  const reference = SOCIAL_CARE_REGULATIONS.name;
  f.add(
    'socialCare.acknowledge',
    'Social care acknowledgement',
    clock(sc.acknowledge),
    `${days(SOCIAL_CARE_REGULATIONS.acknowledgeFromReceipt)} from receipt (reg. 13)`,
    byDays(sc.acknowledge.workingDays, SOCIAL_CARE_REGULATIONS.acknowledgeFromReceipt),
    { reference },
  );
  f.add(
    'socialCare.tellIfBeyondMonths',
    'Social care delay letter',
    `after ${sc.tellIfBeyondMonths} months`,
    `a letter once the response passes ${SOCIAL_CARE_REGULATIONS.tellIfBeyondMonths} months (reg. 14)`,
    byDays(sc.tellIfBeyondMonths, SOCIAL_CARE_REGULATIONS.tellIfBeyondMonths),
    { reference },
  );
}

/**
 * Every point of the policy compared with the Code (and its social-care section with SI
 * 2009/309): stage-1 acknowledgement, response (receipt and acknowledgement counting
 * normalised) and extension; exactly two stages; stage-2 grounds, acknowledgement, response,
 * extension and reviewer; the time limit for complaining; ombudsman signposting; compliments and
 * comments; retention. In that order.
 */
export function checkAgainstCode(policy: Policy): Finding[] {
  const f = new Findings(policy);
  const { complaint } = policy;

  f.add(
    'complaint.stages',
    'Stages',
    complaint.stages === 1 ? 'one stage' : 'two stages',
    'exactly two stages',
    complaint.stages === CODE.stages ? 'meets' : 'weaker',
    isStatutorySocialCare(policy)
      ? {
          note: 'Statutory adult social care complaints follow SI 2009/309, a one-stage procedure, rather than the Code.',
        }
      : {},
  );
  checkStage1(f, policy);
  if (complaint.stages === 2 && complaint.stage2) checkStage2(f, complaint.stage2);

  const months = complaint.timeLimitMonths;
  f.add(
    'complaint.timeLimitMonths',
    'Time limit for complaining',
    `${months} months from the matter`,
    `complaints accepted for ${CODE.timeLimitMonths} months from the matter`,
    months < CODE.timeLimitMonths ? 'weaker' : months > CODE.timeLimitMonths ? 'stronger' : 'meets',
  );
  const understanding = complaint.understandingAtAcknowledgement;
  f.add(
    'complaint.understandingAtAcknowledgement',
    'Our understanding at acknowledgement',
    understanding === 'required' ? 'required of the officer' : 'asked of the officer, not required',
    'the acknowledgement to set out our understanding of the complaint and the outcome the resident wants',
    understanding === 'required' ? 'meets' : 'weaker',
  );
  checkOmbudsman(f, policy);
  checkOtherFeedback(f, policy);
  checkSocialCare(f, policy);

  const r = policy.retention;
  f.add(
    'retention',
    'Retention',
    `${r.closedYears} ${r.closedYears === 1 ? 'year' : 'years'} after closure, ${r.ombudsmanYears} when the Ombudsman is involved`,
    'the file kept for at least the 12 months in which the resident may go to the Ombudsman after the final response (the Code sets no period)',
    'meets',
  );
  return f.list;
}

/** The points where the policy is weaker than the Code (or, for social care, than SI 2009/309). */
export function compareWithCode(policy: Policy): Finding[] {
  return checkAgainstCode(policy).filter((finding) => finding.verdict === 'weaker');
}
