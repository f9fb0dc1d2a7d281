import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { londonDate } from '../domain/calendar.js';
import type { Policy } from '../domain/policy-schema.js';
import type { CaseStore } from '../domain/ports.js';
import { ValidationError } from '../http/errors.js';
import { html, json } from '../http/responses.js';
import type { Router } from '../http/router.js';
import { computePerformance, type PerformanceReport, publicReport } from '../reports/compute.js';
import {
  financialYear,
  financialYearOf,
  type Period,
  parsePeriod,
  periodInstants,
} from '../reports/period.js';
import { annualReportPage, csvFileName, performanceCsv, reportsPage } from '../reports/render.js';
import { REPORT_CSS } from '../reports/styles.js';
import { renderPage } from '../web/render.js';
import { securityHeaders } from '../web/security-headers.js';

/**
 * The reports: `GET /reports/performance` (JSON) and `.csv`, the public,
 * anonymised figures; `GET /reports` and `GET /reports/annual`, the officers' pages, which add
 * the lessons-learned text. None of these checks who is asking: on AWS they sit behind the
 * officers' access control (signed links or IAM), which the stack provides.
 */
export interface ReportDeps {
  store: CaseStore;
  policy: Policy;
  now: () => Date;
}

/** Earliest financial year the annual report is offered for. */
const FIRST_YEAR = 2000;

function query(event: APIGatewayProxyEvent): Record<string, string | undefined> {
  return event.queryStringParameters ?? {};
}

/** The period of the `from`/`to` query, or a 400 with one message per field. */
function periodOf(event: APIGatewayProxyEvent): Period {
  const parsed = parsePeriod(query(event));
  if (!parsed.ok) throw new ValidationError(parsed.errors);
  return parsed.period;
}

async function compute(
  deps: ReportDeps,
  period: Period,
  options: { includeLearning?: boolean } = {},
): Promise<PerformanceReport> {
  const { from, to } = periodInstants(period);
  return computePerformance(deps.store.receivedBetween(from, to), deps.policy, {
    ...period,
    asOf: deps.now(),
    ...options,
  });
}

/** This financial year so far: the default period of the performance page. */
function yearToDate(today: string): Period {
  return { from: financialYear(financialYearOf(today)).from, to: today };
}

/** Registers the report routes on the API's router. */
export function reportRoutes(router: Router, deps: ReportDeps): void {
  router
    .on('GET', '/reports/performance', async (event) => {
      const report = await compute(deps, periodOf(event));
      return json(200, publicReport(report));
    })
    .on('GET', '/reports/performance.csv', async (event) => {
      const period = periodOf(event);
      const report = await compute(deps, period);
      return {
        statusCode: 200,
        headers: {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="${csvFileName(period)}"`,
          'Cache-Control': 'no-store',
          'X-Content-Type-Options': 'nosniff',
        },
        body: performanceCsv(publicReport(report), deps.policy),
      };
    })
    .on('GET', '/reports', async (event) => performancePage(deps, event))
    .on('GET', '/reports/annual', async (event) => annualPage(deps, event))
    .on('GET', '/reports/report.css', async () => ({
      statusCode: 200,
      headers: { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600' },
      body: REPORT_CSS,
    }));
}

async function performancePage(
  deps: ReportDeps,
  event: APIGatewayProxyEvent,
): Promise<APIGatewayProxyResult> {
  const today = londonDate(deps.now().toISOString());
  const q = query(event);
  const annualYear = financialYearOf(today) - 1;
  if (q.from === undefined && q.to === undefined) {
    const period = yearToDate(today);
    const report = await compute(deps, period, { includeLearning: true });
    return html(200, reportsPage({ policy: deps.policy, period, report, annualYear }), securityHeaders());
  }
  const parsed = parsePeriod(q);
  if (!parsed.ok) {
    return html(
      400,
      reportsPage({
        policy: deps.policy,
        period: yearToDate(today),
        errors: parsed.errors,
        values: { from: q.from ?? '', to: q.to ?? '' },
        annualYear,
      }),
      securityHeaders(),
    );
  }
  const report = await compute(deps, parsed.period, { includeLearning: true });
  return html(
    200,
    reportsPage({
      policy: deps.policy,
      period: parsed.period,
      report,
      annualYear: Math.min(financialYearOf(parsed.period.to), financialYearOf(today)),
    }),
    securityHeaders(),
  );
}

async function annualPage(deps: ReportDeps, event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const today = londonDate(deps.now().toISOString());
  const current = financialYearOf(today);
  const raw = query(event).year;
  // Default: the last complete financial year, the one a council reports on.
  const year = raw === undefined || raw === '' ? current - 1 : Number(raw);
  if (
    !/^\d{4}$/.test(raw ?? String(year)) ||
    !Number.isInteger(year) ||
    year < FIRST_YEAR ||
    year > current
  ) {
    return html(
      400,
      renderPage('message', {
        pageTitle: 'There is a problem',
        councilName: deps.policy.council,
        heading: 'There is no annual report for that year',
        paragraphs: [
          `Enter the year the financial year starts in, from ${FIRST_YEAR} to ${current}: for example, year=${current - 1} for 1 April ${current - 1} to 31 March ${current}.`,
        ],
      }),
      securityHeaders(),
    );
  }
  const report = await compute(deps, financialYear(year), { includeLearning: true });
  return html(200, annualReportPage({ policy: deps.policy, year, report }), securityHeaders());
}
