import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../../functions/app/api.js';
import { buildReportCounters } from '../../../functions/app/report-counting.js';
import { PUBLIC_REPORT_CACHE_MS, reportRoutes } from '../../../functions/app/report-routes.js';
import { CaseCounter } from '../../../functions/reports/compute.js';
import { apiEvent } from '../../support/api-event.js';
import { MemoryReportCounters } from '../../support/memory-report-counters.js';
import { MemoryCaseStore } from '../../support/memory-store.js';
import {
  REPORT_AS_OF,
  reportCases,
  reportPolicy,
  SEEDED_ACTIONS,
  SEEDED_LESSONS,
  SEEDED_PERSONAL_DATA,
} from '../../support/report-cases.js';

const store = new MemoryCaseStore();
const now = () => new Date(REPORT_AS_OF);
const api = createApi({
  store,
  policy: reportPolicy,
  now,
  newId: () => 'unused',
  extraRoutes: (router) => reportRoutes(router, { store, policy: reportPolicy, now }),
});

beforeAll(async () => {
  for (const c of reportCases())
    await store.create(c, { at: c.receivedAt, type: 'received', actor: 'resident' });
});

async function get(
  path: string,
  query?: Record<string, string>,
  accept = 'application/json',
): Promise<APIGatewayProxyResult> {
  return api(
    apiEvent('GET', path, { ...(query ? { query } : {}), headers: { Accept: accept } }),
    {} as Context,
  );
}

function expectNoPersonalData(body: string): void {
  for (const value of [...SEEDED_PERSONAL_DATA, SEEDED_LESSONS, SEEDED_ACTIONS])
    expect(body).not.toContain(value);
  expect(body).not.toMatch(/@example\.org/i);
}

describe('GET /reports/performance', () => {
  it('answers the anonymised figures of the period as JSON', async () => {
    const res = await get('/reports/performance', { from: '2025-04-01', to: '2026-03-31' });

    expect(res.statusCode).toBe(200);
    expect(res.headers?.['Content-Type']).toMatch(/^application\/json/);
    const body = JSON.parse(res.body);
    expect(body.totals).toEqual({ received: 60, handled: 52, redirected: 8 });
    expect(body.counts.byKind.representation).toEqual({ suppressed: true });
    expect(body.suppression.applied).toBe(true);
    expect(body.learningItems).toBeUndefined();
    expectNoPersonalData(res.body);
  });

  it('keeps the staff names officers wrote on compliments out of the public figures, as its notes promise', async () => {
    const json = await get('/reports/performance', { from: '2025-04-01', to: '2026-03-31' });
    const csv = await get('/reports/performance.csv', { from: '2025-04-01', to: '2026-03-31' });

    // "No personal data: no names": the field is an officer's free text, published as written,
    // and a name shown beside a withheld count still tells that the person was thanked.
    expect(JSON.parse(json.body).notes.join(' ')).toContain('No personal data: no names');
    for (const body of [json.body, csv.body]) {
      expect(body).not.toContain('Ali Khan');
      expect(body).not.toContain('Sam Patel');
    }
  });

  it('accepts a period of exactly two years', async () => {
    const res = await get('/reports/performance', { from: '2024-04-01', to: '2026-03-31' });

    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).totals.received).toBe(61);
  });

  it.each([
    [{}, { from: 'Enter the start date', to: 'Enter the end date' }],
    [
      { from: '2025-02-30', to: '2025-03-31' },
      { from: 'The start date must be a real date from 2000 to 2099 written YYYY-MM-DD, like 2025-04-01' },
    ],
    [
      { from: '2025-04-01', to: '1 May 2025' },
      { to: 'The end date must be a real date from 2000 to 2099 written YYYY-MM-DD, like 2025-04-01' },
    ],
    [
      { from: '2025-05-01', to: '2025-04-30' },
      { to: 'The end date must be the same as or after the start date' },
    ],
    [
      { from: '2024-04-01', to: '2026-04-01' },
      { to: 'The report can cover at most 2 years: choose an end date before 2026-04-01' },
    ],
  ])('answers 400 with a message per field for %j', async (query, errors) => {
    const res = await get('/reports/performance', query as Record<string, string>);

    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).errors).toEqual(errors);
  });
});

describe('GET /reports/performance.csv', () => {
  it('sends one row per breakdown cell with suppression and notes, and no personal data', async () => {
    const res = await get('/reports/performance.csv', { from: '2025-04-01', to: '2026-03-31' });

    expect(res.statusCode).toBe(200);
    expect(res.headers?.['Content-Type']).toBe('text/csv; charset=utf-8');
    expect(res.headers?.['Content-Disposition']).toBe(
      'attachment; filename="complaints-performance-2025-04-01-to-2026-03-31.csv"',
    );
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'section,breakdown,key,label,suppressed,cases,onTime,late,overdue,pending,percent,averageWorkingDays,p90WorkingDays',
    );
    expect(lines).toContain('Cases received,By service,waste,Waste and recycling,no,23,,,,,,,');
    expect(lines).toContain('Cases received,By channel,letter,Letter,yes,fewer than 5,,,,,,,');
    expect(lines).toContain('"Responded to on time: complaints, stage 1",All,all,All,no,37,25,6,2,4,75.8,,');
    expect(lines).toContain('Working days taken,"Complaints, stage 1",respond,To respond,no,31,,,,,,13.3,17');
    expect(lines.some((l) => l.startsWith('About this report,Notes,suppression,"Suppression applied'))).toBe(
      true,
    );
    expectNoPersonalData(res.body);
  });

  it('answers 400 for a bad period', async () => {
    const res = await get('/reports/performance.csv', { from: 'yesterday', to: '2025-04-01' });

    expect(res.statusCode).toBe(400);
  });
});

describe('GET /reports', () => {
  it('shows this financial year so far by default, with the officers’ lessons learned', async () => {
    const res = await get('/reports', undefined, 'text/html');

    expect(res.statusCode).toBe(200);
    expect(res.headers?.['Content-Security-Policy']).toContain("style-src 'self'");
    expect(res.body).toContain('Received 1 April 2025 to 25 March 2026');
    expect(res.body).toContain(SEEDED_LESSONS);
    expect(res.body).toContain('href="/reports/performance.csv?from=2025-04-01&amp;to=2026-03-25"');
    expect(res.body).not.toContain('Resident Person');
  });

  it('shows the form again with an error summary for a bad date in a link', async () => {
    const res = await get('/reports', { from: '2025-13-01', to: '2025-12-31' }, 'text/html');

    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain('href="#from-day"');
    expect(res.body).not.toContain('All figures');
  });

  it('asks for the dates with the GOV.UK date input, not the browser’s date picker', async () => {
    const res = await get('/reports', undefined, 'text/html');

    expect(res.body).not.toContain('type="date"');
    for (const name of ['from-day', 'from-month', 'from-year', 'to-day', 'to-month', 'to-year']) {
      expect(res.body).toContain(`name="${name}"`);
    }
    // This financial year so far, in the boxes.
    expect(res.body).toMatch(/name="from-year"[^>]*value="2025"/);
  });

  it('reads the day, month and year boxes (month by name too)', async () => {
    const res = await get(
      '/reports',
      {
        'from-day': '1',
        'from-month': 'April',
        'from-year': '2025',
        'to-day': '30',
        'to-month': '9',
        'to-year': '2025',
      },
      'text/html',
    );

    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Received 1 April 2025 to 30 September 2025');
  });

  it.each([
    [
      { 'from-day': '31', 'from-month': '2', 'from-year': '2026' },
      'The start date must be a real date',
      'from-day',
    ],
    [
      { 'from-day': '1', 'from-month': '', 'from-year': '2026' },
      'The start date must include a month',
      'from-month',
    ],
    [
      { 'from-day': '1', 'from-month': '4', 'from-year': '26' },
      'The year of the start date must be 4 numbers',
      'from-year',
    ],
    [{ 'from-day': '', 'from-month': '', 'from-year': '' }, 'Enter the start date', 'from-day'],
    [
      { 'from-day': '1', 'from-month': '4', 'from-year': '1999' },
      'The start date must be in the years 2000 to 2099',
      'from-year',
    ],
    [
      { 'from-day': '1', 'from-month': '13', 'from-year': '2025' },
      'The start date must be a real date',
      'from-month',
    ],
  ])('answers 400 with the error summary for %j', async (from, message, target) => {
    const res = await get(
      '/reports',
      { ...from, 'to-day': '31', 'to-month': '3', 'to-year': '2026' } as Record<string, string>,
      'text/html',
    );

    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain(message);
    expect(res.body).toContain(`href="#${target}"`);
    expect(res.body).toMatch(
      new RegExp(`id="${target}"[^>]*govuk-input--error|govuk-input--error[^>]*id="${target}"`),
    );
    expect(res.body).not.toContain('All figures');
  });

  it('keeps the period rules for real dates from the boxes', async () => {
    const res = await get(
      '/reports',
      {
        'from-day': '1',
        'from-month': '4',
        'from-year': '2026',
        'to-day': '1',
        'to-month': '4',
        'to-year': '2025',
      },
      'text/html',
    );

    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('The end date must be the same as or after the start date');
    expect(res.body).toContain('href="#to-day"');
  });
});

describe('GET /reports/annual', () => {
  it('shows the financial year with the self-assessment filled from the policy and the figures', async () => {
    const res = await get('/reports/annual', { year: '2025' }, 'text/html');

    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Annual complaints performance and service improvement report 2025/26');
    expect(res.body).toContain('Stage 1 responses within the Code’s timescale: 75.8% (25 of 33)');
    expect(res.body).toContain(
      'Complaints escalated to stage 2: 7 complaints of 31 stage 1 responses (22.6%)',
    );
    expect(res.body).toContain('Ombudsman enquiries about complaints received this year: 8 enquiries');
    // Six, withheld so that the two about schools cannot be worked out from the eight redirected.
    expect(res.body).toContain('Service requests recorded and redirected: withheld');
    expect(res.body).toContain(SEEDED_LESSONS);
  });

  it('defaults to the last complete financial year', async () => {
    const res = await get('/reports/annual', undefined, 'text/html');

    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('report 2024/25');
  });

  it.each(['1999', '2026', 'last', '20255'])('answers 400 for year=%s', async (year) => {
    const res = await get('/reports/annual', { year }, 'text/html');

    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is no annual report for that year');
  });
});

describe('GET /reports/report.css', () => {
  it('serves the reports stylesheet with print rules', async () => {
    const res = await get('/reports/report.css', undefined, 'text/css');

    expect(res.statusCode).toBe(200);
    expect(res.headers?.['Content-Type']).toBe('text/css; charset=utf-8');
    expect(res.body).toContain('@media print');
  });
});

describe('public figures cache', () => {
  it('works a period out once for a burst of requests, and again when the figures are five minutes old', async () => {
    // Prepare: a store that counts the reads of whole periods, and a clock the test moves.
    const counted = new MemoryCaseStore();
    for (const c of reportCases())
      await counted.create(c, { at: c.receivedAt, type: 'received', actor: 'resident' });
    let reads = 0;
    const receivedBetween = counted.receivedBetween.bind(counted);
    counted.receivedBetween = (from, to) => {
      reads++;
      return receivedBetween(from, to);
    };
    let at = Date.parse(REPORT_AS_OF);
    const clock = () => new Date(at);
    const cachedApi = createApi({
      store: counted,
      policy: reportPolicy,
      now: clock,
      newId: () => 'unused',
      extraRoutes: (router) => reportRoutes(router, { store: counted, policy: reportPolicy, now: clock }),
    });
    const year = { from: '2025-04-01', to: '2026-03-31' };
    const fetch = (path: string, query: Record<string, string>) =>
      cachedApi(apiEvent('GET', path, { query, headers: { Accept: 'application/json' } }), {} as Context);

    // Act
    const first = await fetch('/reports/performance', year);
    const again = await fetch('/reports/performance', year);
    const csv = await fetch('/reports/performance.csv', year);
    const readsInBurst = reads;
    await fetch('/reports/performance', { from: '2025-04-01', to: '2025-09-30' });
    at += PUBLIC_REPORT_CACHE_MS;
    await fetch('/reports/performance', year);

    // Assess
    expect(readsInBurst).toBe(1);
    expect(again.body).toBe(first.body);
    expect(csv.statusCode).toBe(200);
    expect(reads).toBe(3);
  });

  it('answers the public figures from the counters once they are built, reading no case, and the same figures', async () => {
    // Prepare: the seeded year, its counters, and a store that counts reads of whole periods.
    const cases = reportCases();
    const counted = new MemoryCaseStore();
    for (const c of cases) await counted.create(c, { at: c.receivedAt, type: 'received', actor: 'resident' });
    let reads = 0;
    const receivedBetween = counted.receivedBetween.bind(counted);
    counted.receivedBetween = (from, to) => {
      reads++;
      return receivedBetween(from, to);
    };
    const reportCounters = new MemoryReportCounters(() => cases.map((c) => c.caseId));
    const withCounters = createApi({
      store: counted,
      policy: reportPolicy,
      now,
      newId: () => 'unused',
      extraRoutes: (router) =>
        reportRoutes(router, { store: counted, policy: reportPolicy, now, reportCounters }),
    });
    const fetch = (query: Record<string, string>) =>
      withCounters(
        apiEvent('GET', '/reports/performance', { query, headers: { Accept: 'application/json' } }),
        {} as Context,
      );

    // Act: before the counters are built, then after.
    const unbuilt = await fetch({ from: '2025-04-01', to: '2026-03-31' });
    const readsUnbuilt = reads;
    await buildReportCounters({
      store: counted,
      counters: reportCounters,
      counter: new CaseCounter(reportPolicy),
    });
    const fromCounters = await fetch({ from: '2025-04-01', to: '2026-03-30' });
    const fromCases = await get('/reports/performance', { from: '2025-04-01', to: '2026-03-30' });

    // Assess
    expect(readsUnbuilt).toBe(1);
    expect(JSON.parse(unbuilt.body).totals).toEqual(
      JSON.parse((await get('/reports/performance', { from: '2025-04-01', to: '2026-03-31' })).body).totals,
    );
    expect(reads).toBe(1);
    expect(reportCounters.reads).toEqual([{ from: '2025-04-01', to: '2026-03-30' }]);
    expect(fromCounters.statusCode).toBe(200);
    expect(JSON.parse(fromCounters.body)).toEqual(JSON.parse(fromCases.body));
  });
});
