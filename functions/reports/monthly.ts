import { londonDate } from '../domain/calendar.js';
import { MONTH_NAMES, writtenDate } from '../domain/london-time.js';
import type { Policy } from '../domain/policy-schema.js';
import type { CaseStore, EmailMessage, Mailer } from '../domain/ports.js';
import { escapeXml } from './charts.js';
import {
  type Count,
  computePerformance,
  isSuppressed,
  type PerformanceReport,
  type TimelinessCell,
} from './compute.js';
import { formatCount } from './numbers.js';
import { type Period, periodInstants, previousMonth } from './period.js';
import { SUPPRESSED_TEXT, suppressedText, WITHHELD_TEXT } from './rows.js';

/**
 * The monthly summary: on the first days of each month the complaints team gets last month's
 * headline figures by email, with a link to the full report. Figures only: no lessons-learned
 * text and nothing about any resident, because email is copied and forwarded.
 */

export interface MonthlyReportDeps {
  store: CaseStore;
  policy: Policy;
  mailer: Mailer;
  now: () => Date;
  /** Where the reports are served (e.g. `https://complaints.example.gov.uk`); no link when absent. */
  baseUrl?: string;
  /** Signs the link to the officers' report pages (see `functions/app/report-access.ts`). */
  signReportsLink?: (baseUrl: string, officer: string) => Promise<string>;
}

export interface MonthlyReportResult {
  period: Period;
  messageId: string;
  report: PerformanceReport;
}

/** `2026-04-01` → `1 April 2026`, as GOV.UK writes a date (the report link keeps `2026-04-01`). */
function dayTitle(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return writtenDate({ year: year as number, month: month as number, day: day as number, weekday: 0 }, 'en', {
    weekday: false,
  });
}

/** `2026-04-01` → `April 2026`. */
export function monthTitle(period: Period): string {
  const [year, month] = period.from.split('-');
  return `${MONTH_NAMES.en[Number(month) - 1]} ${year}`;
}

function count(value: Count): string {
  return isSuppressed(value) ? suppressedText(value) : formatCount(value);
}

function onTime(cell: TimelinessCell): string {
  if (isSuppressed(cell)) return cell.secondary ? WITHHELD_TEXT : `${SUPPRESSED_TEXT} cases`;
  if (cell.percentOnTime === null) return 'none due yet';
  return `${cell.percentOnTime}% (${cell.onTime} of ${cell.onTime + cell.late + cell.overdue})`;
}

/** The headline lines of the summary, as `[label, value]`. */
export function monthlyLines(report: PerformanceReport): [string, string][] {
  const t = report.timeliness;
  const rate = report.escalation.ratePercent;
  return [
    ['Contacts received', count(report.totals.received)],
    ['Complaints', count(report.counts.byKind.complaint ?? 0)],
    ['Compliments', count(report.compliments.total)],
    ['Comments', count(report.counts.byKind.comment ?? 0)],
    ['Concerns about a council policy', count(report.counts.byKind.representation ?? 0)],
    ['Stage 1 acknowledged on time', onTime(t.acknowledgement['complaint-stage-1'].all)],
    ['Stage 1 responded to on time', onTime(t.response['complaint-stage-1'].all)],
    ['Stage 2 responded to on time', onTime(t.response['complaint-stage-2'].all)],
    ['Stage 1 complaints still open and overdue', overdue(t.response['complaint-stage-1'].all)],
    ['Escalated to stage 2', isSuppressed(rate) ? suppressedText(rate) : rate === null ? 'none' : `${rate}%`],
    ['Ombudsman enquiries', count(report.ombudsman.enquiries)],
    ['Redirected, not complaints', count(report.totals.redirected)],
  ];
}

function overdue(cell: TimelinessCell): string {
  if (isSuppressed(cell)) return cell.secondary ? WITHHELD_TEXT : `${SUPPRESSED_TEXT} cases`;
  return cell.overdue >= 1 && cell.overdue < 5 ? SUPPRESSED_TEXT : formatCount(cell.overdue);
}

/** The summary email (plain text and simple HTML) for a month's report. */
export function monthlySummaryEmail(
  report: PerformanceReport,
  options: { to: string[]; baseUrl?: string; reportsUrl?: string },
): EmailMessage {
  const title = monthTitle(report.period);
  const period = `from=${report.period.from}&to=${report.period.to}`;
  const link = options.reportsUrl
    ? `${options.reportsUrl}&${period}`
    : options.baseUrl
      ? `${options.baseUrl.replace(/\/$/, '')}/reports?${period}`
      : undefined;
  const lines = monthlyLines(report);
  const subject = `Complaints performance for ${title}: ${report.council}`;
  const text = [
    `Complaints performance for ${title}`,
    '',
    `Feedback received from ${dayTitle(report.period.from)} to ${dayTitle(report.period.to)}.`,
    '',
    ...lines.map(([label, value]) => `- ${label}: ${value}`),
    '',
    report.suppression.note,
    ...(link ? ['', `Full report, with lessons learned and every breakdown: ${link}`] : []),
    '',
    'This summary holds no personal data. Do not add any before forwarding it.',
  ].join('\n');
  const html = [
    '<!DOCTYPE html>',
    '<html lang="en-GB"><head><meta charset="utf-8">',
    `<title>${escapeXml(subject)}</title></head>`,
    '<body style="margin:0;padding:20px;font-family:Arial,Helvetica,sans-serif;font-size:19px;line-height:1.5;color:#0b0c0c;background:#ffffff;">',
    `<h1 style="font-size:32px;line-height:1.2;margin:0 0 20px;">Complaints performance for ${escapeXml(title)}</h1>`,
    `<p>Feedback received from ${escapeXml(dayTitle(report.period.from))} to ${escapeXml(dayTitle(report.period.to))}.</p>`,
    '<ul>',
    ...lines.map(([label, value]) => `<li>${escapeXml(label)}: <strong>${escapeXml(value)}</strong></li>`),
    '</ul>',
    `<p>${escapeXml(report.suppression.note)}</p>`,
    ...(link
      ? [
          `<p><a href="${escapeXml(link)}" style="color:#1d70b8;">See the full report</a>, with lessons learned and every breakdown.</p>`,
        ]
      : []),
    '<p>This summary holds no personal data. Do not add any before forwarding it.</p>',
    '</body></html>',
  ].join('\n');
  return { to: options.to, subject, text, html, template: 'monthly-report' };
}

/** Computes last month's report (in Europe/London) and emails the summary to the complaints team. */
export async function sendMonthlyReport(deps: MonthlyReportDeps): Promise<MonthlyReportResult> {
  const now = deps.now();
  const period = previousMonth(londonDate(now.toISOString()));
  const { from, to } = periodInstants(period);
  const report = await computePerformance(deps.store.receivedBetween(from, to), deps.policy, {
    ...period,
    asOf: now,
  });
  const team = deps.policy.routing.complaintsTeam;
  const reportsUrl =
    deps.baseUrl && deps.signReportsLink
      ? await deps.signReportsLink(deps.baseUrl.replace(/\/$/, ''), team)
      : undefined;
  const message = monthlySummaryEmail(report, {
    to: [team],
    ...(deps.baseUrl ? { baseUrl: deps.baseUrl } : {}),
    ...(reportsUrl ? { reportsUrl } : {}),
  });
  const { messageId } = await deps.mailer.send(message);
  return { period, messageId, report };
}
