import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { londonDate } from '../domain/calendar.js';
import type { Policy } from '../domain/policy-schema.js';
import type { CaseStore } from '../domain/ports.js';
import { ValidationError } from '../http/errors.js';
import { html, json } from '../http/responses.js';
import type { Router } from '../http/router.js';
import {
  computePerformance,
  finishReport,
  type PerformanceReport,
  publicReport,
} from '../reports/compute.js';
import type { ReportCounterStore } from '../reports/counted.js';
import { financialYear, financialYearOf, type Period, periodInstants, YEARS } from '../reports/period.js';
import { parsePeriod } from '../reports/period-query.js';
import {
  annualReportPage,
  csvFileName,
  type DateBoxes,
  performanceCsv,
  reportsPage,
} from '../reports/render.js';
import { REPORT_CSS } from '../reports/styles.js';
import { type DatePart, readDateInput } from '../web/date-input.js';
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
  /** The counters the table's stream keeps: the public figures without reading every case. */
  reportCounters?: ReportCounterStore | undefined;
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

/**
 * The public figures of a period: added up from the counters the table's stream keeps (one Query
 * per counter shard over the period's days, and the few repeat complainants), the same figures
 * `compute` gets by reading every case of the period. Until the counters of this policy are built
 * (`npm run reports:count`), or where there are none, the cases are read.
 */
async function publicFiguresOf(deps: ReportDeps, period: Period): Promise<PerformanceReport> {
  const counted = await deps.reportCounters?.figures(period);
  if (counted === undefined) return compute(deps, period);
  return finishReport(deps.policy, { ...period, asOf: deps.now() }, counted.figures, counted.repeat);
}

/** This financial year so far: the default period of the performance page. */
function yearToDate(today: string): Period {
  return { from: financialYear(financialYearOf(today)).from, to: today };
}

/** How long the public figures of a period are kept before they are worked out again. */
export const PUBLIC_REPORT_CACHE_MS = 5 * 60_000;
/** Periods whose public figures one container keeps at a time (the oldest goes first). */
const PUBLIC_REPORT_CACHE_SIZE = 32;

/**
 * The public figures of recent periods, kept for `PUBLIC_REPORT_CACHE_MS`: the public pages are
 * open to anyone, so a burst of requests for the same year must not each read a year of counters
 * (or, before they are built, of cases). Five minutes old is fresh enough for
 * figures published yearly. Hand-written: a Map in insertion order is the whole of it.
 */
function publicReportCache(deps: ReportDeps) {
  const kept = new Map<string, { at: number; report: Promise<PerformanceReport> }>();
  return (period: Period): Promise<PerformanceReport> => {
    const key = `${period.from}/${period.to}`;
    const now = deps.now().getTime();
    const hit = kept.get(key);
    if (hit !== undefined && now - hit.at < PUBLIC_REPORT_CACHE_MS) return hit.report;
    kept.delete(key);
    const report = publicFiguresOf(deps, period);
    kept.set(key, { at: now, report });
    // A failed read is not kept: the next request tries again.
    report.catch(() => {
      if (kept.get(key)?.report === report) kept.delete(key);
    });
    if (kept.size > PUBLIC_REPORT_CACHE_SIZE) kept.delete(kept.keys().next().value as string);
    return report;
  };
}

/** Registers the report routes on the API's router. */
export function reportRoutes(router: Router, deps: ReportDeps): void {
  const publicFigures = publicReportCache(deps);
  router
    .on('GET', '/reports/performance', async (event) => {
      const report = await publicFigures(periodOf(event));
      return json(200, publicReport(report));
    })
    .on('GET', '/reports/performance.csv', async (event) => {
      const period = periodOf(event);
      const report = await publicFigures(period);
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
  const raw = query(event);
  const annualYear = financialYearOf(today) - 1;
  const boxes = fromDateInputs(raw);
  const q = boxes.query;
  if (q.from === undefined && q.to === undefined && Object.keys(boxes.errors).length === 0) {
    const period = yearToDate(today);
    const report = await compute(deps, period, { includeLearning: true });
    return html(200, reportsPage({ policy: deps.policy, period, report, annualYear }), securityHeaders());
  }
  const parsed = parsePeriod(q);
  if (!parsed.ok || Object.keys(boxes.errors).length > 0) {
    // A date's own problem (from its boxes) first; the period's rules only for the dates that are real.
    const errors = { ...(parsed.ok ? {} : parsed.errors), ...boxes.errors };
    return html(
      400,
      reportsPage({
        policy: deps.policy,
        period: yearToDate(today),
        errors,
        errorParts: boxes.parts,
        values: { from: boxes.values.from ?? q.from ?? '', to: boxes.values.to ?? q.to ?? '' },
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

/**
 * The page's GOV.UK date inputs (`from-day`, `from-month`, `from-year`, and `to-…`) read into
 * `from`/`to` as `YYYY-MM-DD`; a plain `from=`/`to=` (the links the page and the monthly email
 * give) is taken as it is. A date whose boxes are not a real date has its message here.
 */
function fromDateInputs(raw: Record<string, string | undefined>): {
  query: Record<string, string | undefined>;
  errors: Record<string, string>;
  parts: Partial<Record<'from' | 'to', DatePart[]>>;
  values: Partial<Record<'from' | 'to', DateBoxes>>;
} {
  const query: Record<string, string | undefined> = { from: raw.from, to: raw.to };
  const errors: Record<string, string> = {};
  const parts: Partial<Record<'from' | 'to', DatePart[]>> = {};
  const values: Partial<Record<'from' | 'to', DateBoxes>> = {};
  for (const [name, label] of [
    ['from', 'start date'],
    ['to', 'end date'],
  ] as const) {
    const read = readDateInput(raw, name, label);
    if (read.ok === 'absent') continue;
    values[name] = {
      day: raw[`${name}-day`] ?? '',
      month: raw[`${name}-month`] ?? '',
      year: raw[`${name}-year`] ?? '',
    };
    const year = read.ok ? Number(read.date.slice(0, 4)) : 0;
    if (read.ok && (year < YEARS.first || year > YEARS.last)) {
      query[name] = undefined;
      errors[name] = `The ${label} must be in the years ${YEARS.first} to ${YEARS.last}`;
      parts[name] = ['year'];
    } else if (read.ok) {
      query[name] = read.date;
    } else {
      // Keeps the period check from reporting the same date a second time.
      query[name] = undefined;
      errors[name] = read.error;
      parts[name] = read.parts;
    }
  }
  return { query, errors, parts, values };
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
