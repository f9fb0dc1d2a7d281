import { describe, expect, it, vi } from 'vitest';
import type { CaseRecord } from '../../../functions/domain/case.js';
import { barChartSvg } from '../../../functions/reports/charts.js';
import { computePerformance } from '../../../functions/reports/compute.js';
import {
  addYears,
  financialYear,
  financialYearName,
  financialYearOf,
  periodInstants,
  previousMonth,
} from '../../../functions/reports/period.js';
import { parsePeriod } from '../../../functions/reports/period-query.js';
import { annualReportPage, performanceCsv } from '../../../functions/reports/render.js';
import { selfAssessment } from '../../../functions/reports/self-assessment.js';
import { makePolicy } from '../../support/policy-fixture.js';
import { REPORT_AS_OF, reportCases, reportPolicy } from '../../support/report-cases.js';

describe('barChartSvg', () => {
  it('is a labelled image whose description reads every bar, with values as text', () => {
    const svg = barChartSvg({
      id: 'c1',
      title: 'Cases <by> channel',
      summary: 'Contacts by channel.',
      unit: 'count',
      bars: [
        { label: 'Online & email', value: 12 },
        { label: 'Letter', value: null, suppressed: true },
      ],
    });

    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="c1-title c1-desc"/);
    expect(svg).toContain('<title id="c1-title">Cases &lt;by&gt; channel</title>');
    expect(svg).toContain(
      '<desc id="c1-desc">Contacts by channel. Online &amp; email: 12; Letter: fewer than 5.</desc>',
    );
    expect(svg).toContain('>12</text>');
    expect(svg).toContain('>fewer than 5</text>');
    expect(svg).not.toMatch(/\sstyle=/);
  });
});

describe('performanceCsv', () => {
  it('keeps a staff name from being read as a spreadsheet formula', async () => {
    const at = '2025-06-02T08:00:00.000Z';
    const compliments: CaseRecord[] = [1, 2, 3, 4, 5].map((n) => ({
      caseId: `k${n}`,
      reference: `K-${n}`,
      kind: 'compliment',
      submittedKind: 'compliment',
      status: 'closed',
      stage: 1,
      policyId: 'test-council',
      service: 'waste',
      summary: 'x',
      complainant: {},
      anonymous: true,
      channel: 'online',
      receivedAt: at,
      createdAt: at,
      updatedAt: at,
      triage: { route: 'handle', reasons: [] },
      deadlines: {},
      version: 1,
      progress: { stage1: { startedAt: at } },
      staffNamed: ['=HYPERLINK("http://x","Jo, Smith")'],
    }));
    const report = await computePerformance(compliments, reportPolicy, {
      from: '2025-06-01',
      to: '2025-06-30',
    });

    const csv = performanceCsv(report, reportPolicy);

    expect(csv).toContain('Compliments,By staff member named,"\'=HYPERLINK(""http://x"",""Jo, Smith"")",');
  });
});

describe('selfAssessment', () => {
  it('marks where the policy is weaker than the Code and shows both measures as evidence', async () => {
    const weaker = makePolicy({
      complaint: { stage1: { respond: { workingDays: 20, from: 'receipt' } } },
      exclusions: ['schools'],
    });
    const report = await computePerformance(reportCases(), weaker, {
      ...financialYear(2025),
      asOf: REPORT_AS_OF,
    });

    const lines = selfAssessment(weaker, report);

    const respond = lines.find((l) => l.topic === 'Stage 1 response');
    expect(respond?.verdict).toBe('weaker');
    expect(respond?.policy).toBe('20 working days from receipt');
    // Against the policy's 20 days from receipt every answered complaint is on time; the Code's
    // 10 days from acknowledgement still finds the 6 late ones (and the 2 overdue).
    expect(respond?.evidence).toEqual([
      'Stage 1 responses within the Code’s timescale: 75.8% (25 of 33)',
      'Stage 1 responses within our own timescale: 93.9% (31 of 33)',
    ]);
    expect(lines.find((l) => l.topic === 'Service requests')?.verdict).toBe('weaker');
    const page = annualReportPage({ policy: weaker, year: 2025, report });
    expect(page).toContain('Our policy is weaker than the Code on 3 points');
    expect(page.indexOf('Weaker than the Code')).toBeLessThan(page.indexOf('Meets the Code'));
  });
});

describe('report pages behind API Gateway’s stage path', () => {
  it('start every link, form action and stylesheet with PUBLIC_BASE_PATH', async () => {
    vi.stubEnv('PUBLIC_BASE_PATH', '/live');
    vi.resetModules();
    try {
      const render = await import('../../../functions/reports/render.js');
      const report = await computePerformance(reportCases(), reportPolicy, {
        ...financialYear(2025),
        asOf: REPORT_AS_OF,
      });
      const page = render.annualReportPage({ policy: reportPolicy, year: 2025, report });

      expect(page).toContain('href="/live/reports?from=');
      expect(page).toContain('href="/live/reports/report.css"');
      expect(page).not.toMatch(/(href|action)="\/reports/);
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});

describe('reporting periods', () => {
  it.each([
    ['2026-05-03', { from: '2026-04-01', to: '2026-04-30' }],
    ['2026-01-15', { from: '2025-12-01', to: '2025-12-31' }],
    ['2024-03-01', { from: '2024-02-01', to: '2024-02-29' }],
  ])('takes the month before %s', (today, period) => {
    expect(previousMonth(today)).toEqual(period);
  });

  it('names financial years and finds the one a date is in', () => {
    expect(financialYear(2025)).toEqual({ from: '2025-04-01', to: '2026-03-31' });
    expect(financialYearName(2025)).toBe('2025/26');
    expect(financialYearName(2099)).toBe('2099/00');
    expect(financialYearOf('2026-03-31')).toBe(2025);
    expect(financialYearOf('2026-04-01')).toBe(2026);
  });

  it('bounds a period by London midnights, summer and winter', () => {
    expect(periodInstants({ from: '2025-04-01', to: '2025-12-31' })).toEqual({
      from: '2025-03-31T23:00:00.000Z',
      to: '2026-01-01T00:00:00.000Z',
    });
  });

  it('moves 29 February a year on to 28 February', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
  });

  it('trims the dates it is given', () => {
    expect(parsePeriod({ from: ' 2025-04-01 ', to: '2025-04-30' })).toEqual({
      ok: true,
      period: { from: '2025-04-01', to: '2025-04-30' },
    });
  });
});
