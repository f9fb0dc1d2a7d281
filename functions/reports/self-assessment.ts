import { CODE, checkAgainstCode, compareWithCode, type Verdict } from '../domain/code-comparison.js';
import type { Policy } from '../domain/policy-schema.js';
import { type Count, isSuppressed, type PerformanceReport, type TimelinessCell } from './compute.js';
import { formatCount } from './numbers.js';

/**
 * The Code's self-assessment (section 8: an annual complaints performance and service
 * improvement report with a self-assessment against the Code). Each line pairs what the Code
 * asks with what the council's policy says (the policy check) and, where the year's figures
 * show how it worked in practice, the evidence.
 */

export interface SelfAssessmentLine {
  topic: string;
  /** What the Code (or, for social care, SI 2009/309) asks for. */
  requirement: string;
  /** What the council's policy says. */
  policy: string;
  /** `meets`, `stronger`, `weaker`, or `evidence` for lines judged on the figures alone. */
  verdict: Verdict | 'evidence';
  /** The year's figures, e.g. "Stage 1 responses within the Code's timescale: 87% (of 120)". */
  evidence: string[];
  /** Where the policy's number comes from (`policy.sources`). */
  source?: string;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

function countText(value: Count, one: string, many?: string): string {
  if (isSuppressed(value)) return value.secondary ? 'withheld' : `fewer than 5 ${many ?? `${one}s`}`;
  return plural(value, one, many);
}

function onTime(what: string, cell: TimelinessCell, against: string): string {
  if (isSuppressed(cell))
    return `${what} within ${against}: not shown (${cell.secondary ? 'withheld so that another figure cannot be worked out' : 'fewer than 5 complaints'})`;
  if (cell.percentOnTime === null) return `${what} within ${against}: none due yet`;
  const run = cell.onTime + cell.late + cell.overdue;
  return `${what} within ${against}: ${cell.percentOnTime}% (${cell.onTime} of ${run})`;
}

/** The figures that show how a point of the policy worked this year, by the policy field it concerns. */
function evidenceFor(field: string, r: PerformanceReport): string[] {
  const code = 'the Code’s timescale';
  const policy = 'our own timescale';
  const t = r.timeliness;
  switch (field) {
    case 'complaint.stages': {
      const rate = r.escalation.ratePercent;
      const rateText = isSuppressed(rate) || rate === null ? '' : ` (${rate}%)`;
      return [
        `Complaints escalated to stage 2: ${countText(r.escalation.escalatedToStage2, 'complaint')} of ${countText(r.escalation.stage1Responses, 'stage 1 response')}${rateText}`,
      ];
    }
    case 'complaint.stage1.acknowledge':
      return [
        onTime('Stage 1 acknowledgements', r.codeTimescales.stage1.acknowledgement, code),
        onTime('Stage 1 acknowledgements', t.acknowledgement['complaint-stage-1'].all, policy),
      ];
    case 'complaint.stage1.respond':
      return [
        onTime('Stage 1 responses', r.codeTimescales.stage1.response, code),
        onTime('Stage 1 responses', t.response['complaint-stage-1'].all, policy),
      ];
    case 'complaint.stage1.extension':
    case 'complaint.stage2.extension': {
      const e = field.includes('stage1') ? r.extensions.stage1 : r.extensions.stage2;
      const avg =
        isSuppressed(e.averageDays) || e.averageDays === null
          ? ''
          : `, ${e.averageDays} working days on average`;
      return [
        `Extensions: ${countText(e.extensions, 'extension')} on ${countText(e.casesExtended, 'complaint')}${avg}`,
      ];
    }
    case 'complaint.stage2.acknowledge':
      return [
        onTime('Stage 2 acknowledgements', r.codeTimescales.stage2.acknowledgement, code),
        onTime('Stage 2 acknowledgements', t.acknowledgement['complaint-stage-2'].all, policy),
      ];
    case 'complaint.stage2.respond':
      return [
        onTime('Stage 2 responses', r.codeTimescales.stage2.response, code),
        onTime('Stage 2 responses', t.response['complaint-stage-2'].all, policy),
      ];
    case 'ombudsman.signpostAtEveryStage':
      return [
        `Ombudsman enquiries about complaints received this year: ${countText(r.ombudsman.enquiries, 'enquiry', 'enquiries')}`,
      ];
    case 'comment.reply':
      return [onTime('Replies to comments', t.response.comment.all, policy)];
    case 'socialCare.acknowledge':
      return [onTime('Social care acknowledgements', t.acknowledgement['social-care'].all, policy)];
    default:
      return [];
  }
}

/** The self-assessment lines for a year: every point of the policy check, then the Code's reporting duties. */
export function selfAssessment(policy: Policy, report: PerformanceReport): SelfAssessmentLine[] {
  const lines: SelfAssessmentLine[] = checkAgainstCode(policy).map((finding) => ({
    topic: finding.topic,
    requirement: finding.codeValue,
    policy: finding.policyValue,
    verdict: finding.verdict,
    evidence: evidenceFor(finding.field, report),
    ...(finding.source === undefined ? {} : { source: finding.source }),
  }));
  const requests = report.redirected.byExclusion['service-request'] ?? 0;
  lines.push(
    {
      topic: 'Service requests',
      requirement: 'service requests recorded, and not treated as complaints',
      policy: policy.exclusions.includes('service-request')
        ? 'service requests are recorded and redirected'
        : 'service requests are not set apart from complaints',
      verdict: policy.exclusions.includes('service-request') ? 'meets' : 'weaker',
      evidence: [`Service requests recorded and redirected: ${countText(requests, 'contact')}`],
    },
    {
      topic: 'Learning from complaints',
      requirement: 'lessons learned and service improvements recorded and reported (section 8)',
      policy: 'officers record lessons learned and service improvements with each response',
      verdict: 'evidence',
      evidence: [
        `Responses recording lessons learned: ${countText(report.learning.lessonsRecorded, 'response')}`,
        `Responses recording a service improvement: ${countText(report.learning.improvementsRecorded, 'response')}`,
      ],
    },
    {
      topic: 'Remedies',
      requirement: 'a remedy put right where a complaint is upheld',
      policy: 'the response records the remedy offered',
      verdict: 'evidence',
      evidence: [
        `Stage 1: ${countText(report.outcomes.stage1.remedies, 'remedy', 'remedies')} given; ${countText(report.outcomes.stage1.upheld, 'complaint')} upheld and ${countText(report.outcomes.stage1.partiallyUpheld, 'complaint')} partially upheld`,
        `Stage 2: ${countText(report.outcomes.stage2.remedies, 'remedy', 'remedies')} given; ${countText(report.outcomes.stage2.upheld, 'complaint')} upheld and ${countText(report.outcomes.stage2.partiallyUpheld, 'complaint')} partially upheld`,
      ],
    },
  );
  return lines;
}

/** One sentence per point where the policy is weaker than the Code (empty when none). */
export function weakerThanCode(policy: Policy): string[] {
  return compareWithCode(policy).map((f) => f.message);
}

/** The Code's name, for headings. */
export const CODE_NAME = CODE.name;
