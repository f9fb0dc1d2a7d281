import { describe, expect, it } from 'vitest';
import {
  type Count,
  computePerformance,
  isSuppressed,
  type PerformanceReport,
  publicReport,
  type TimelinessBreakdown,
} from '../../../functions/reports/compute.js';
import { financialYear } from '../../../functions/reports/period.js';
import {
  type CaseShape,
  caseOf,
  RANDOM_AS_OF,
  RANDOM_YEAR,
  randomPolicy,
} from '../../support/random-report-cases.js';
import { REPORT_AS_OF, REPORT_YEAR, reportCases, reportPolicy } from '../../support/report-cases.js';
import { ReportReader } from '../../support/report-reader.js';

/**
 * What a reader of the published report can work out. Each figure below is a breakdown of a
 * total it shows; a figure withheld as small is from 1 to 4, one withheld further (`secondary`)
 * at least 5 and no more than the smallest shown. Whatever is withheld, no withheld figure may
 * have only one value that fits: the test reasons from the report alone, as a reader would.
 */
type Shown = number | { suppressed: true; secondary?: true };

function workedOut(total: Shown, parts: Shown[]): number[] {
  if (isSuppressed(total)) return [];
  const shown = parts.filter((p): p is number => !isSuppressed(p));
  const hidden = parts.filter((p) => isSuppressed(p)) as { suppressed: true; secondary?: true }[];
  if (hidden.length === 0) return [];
  const sum = total - shown.reduce((a, b) => a + b, 0);
  const smallestShown = Math.min(sum, ...shown.filter((n) => n > 0));
  const range = (p: { secondary?: true }) => (p.secondary ? [5, smallestShown] : [1, 4]) as [number, number];
  const ranges = hidden.map(range);
  const lows = ranges.reduce((a, [lo]) => a + lo, 0);
  const highs = ranges.reduce((a, [, hi]) => a + hi, 0);
  return ranges.flatMap(([lo, hi]) => {
    const least = Math.max(lo, sum - (highs - hi));
    const most = Math.min(hi, sum - (lows - lo));
    return least >= most ? [least] : [];
  });
}

const cases = (c: TimelinessBreakdown['all']): Shown => (isSuppressed(c) ? c : c.cases);

/** Every breakdown the report publishes with its total, by name. */
function breakdowns(r: PerformanceReport): [string, Shown, Shown[]][] {
  const values = (o: Record<string, Count>) => Object.values(o) as Shown[];
  const out: [string, Shown, Shown[]][] = [
    ['received', r.totals.received, [r.totals.handled, r.totals.redirected]],
    ['by kind', r.totals.handled, values(r.counts.byKind)],
    ['by service', r.totals.handled, values(r.counts.byService)],
    ['by directorate', r.totals.handled, values(r.counts.byDirectorate)],
    ['by channel', r.totals.handled, values(r.counts.byChannel)],
    ['redirected', r.redirected.total, values(r.redirected.byExclusion)],
    ['compliments', r.compliments.total, values(r.compliments.byService)],
  ];
  for (const directorate of Object.keys(r.counts.byDirectorate)) {
    const services = reportPolicy.routing.services
      .filter((s) => s.directorate === directorate)
      .map((s) => s.id);
    out.push([
      `services of ${directorate}`,
      r.counts.byDirectorate[directorate] as Count,
      services.map((s) => r.counts.byService[s] ?? 0) as Shown[],
    ]);
  }
  for (const [clock, groups] of Object.entries(r.timeliness)) {
    for (const [group, b] of Object.entries(groups as Record<string, TimelinessBreakdown>)) {
      for (const by of ['byService', 'byDirectorate', 'byChannel'] as const) {
        out.push([`${clock} ${group} ${by}`, cases(b.all), Object.values(b[by]).map(cases)]);
      }
    }
  }
  return out;
}

describe('the published report', () => {
  it('lets no withheld figure be worked out from a total less the figures shown', async () => {
    const report = await computePerformance(reportCases(), reportPolicy, {
      ...financialYear(REPORT_YEAR),
      asOf: REPORT_AS_OF,
    });

    const leaks = breakdowns(report).flatMap(([name, total, parts]) =>
      workedOut(total, parts).map((n) => `${name}: a withheld figure is ${n}`),
    );
    expect(leaks).toEqual([]);
    // Outcomes add up to the responses with the outcomes the report does not name (a complaint
    // resolved at first contact): those must not be a small number worked out by subtraction.
    for (const o of Object.values(report.outcomes)) {
      const named = [o.upheld, o.partiallyUpheld, o.notUpheld];
      if (isSuppressed(o.responses) || named.some(isSuppressed)) continue;
      const rest = (o.responses as number) - (named as number[]).reduce((a, b) => a + b, 0);
      expect(rest === 0 || rest >= 5, `outcomes: ${rest} other`).toBe(true);
    }
  });

  it('says a figure withheld so that another cannot be worked out is withheld, not fewer than 5', async () => {
    const report = await computePerformance(reportCases(), reportPolicy, {
      ...financialYear(REPORT_YEAR),
      asOf: REPORT_AS_OF,
    });

    expect(report.suppression.note).toContain('withheld');
    expect(JSON.stringify(report)).toContain('"secondary":true');
  });
});

describe('a withheld figure given away by another part of the report', () => {
  const times = (n: number, shape: CaseShape) => Array.from({ length: n }, () => caseOf(shape));
  const report = async (cases: ReturnType<typeof caseOf>[]) =>
    publicReport(
      await computePerformance(cases, randomPolicy, { ...financialYear(RANDOM_YEAR), asOf: RANDOM_AS_OF }),
    );

  it('keeps a total withheld when another breakdown of it shows every figure', async () => {
    // 2 redirected: the complaints handled are withheld so that received less handled does not
    // give the 2 away, but the handled complaints by service (10 + 8 + 6 + 6) still add up to 30.
    const r = await report([
      ...times(10, { service: 'waste' }),
      ...times(8, { service: 'highways' }),
      ...times(6, { service: 'council-tax' }),
      ...times(6, { service: 'housing' }),
      ...times(2, { service: 'waste', redirected: 'service-request' }),
    ]);

    expect(new ReportReader(r, randomPolicy).workedOut()).toEqual([]);
  });

  it('withholds the complaints escalated, and those acknowledged and answered, with the stage-2 count they equal', async () => {
    // Stage 2: 5 waste complaints and 1 council-tax complaint; the 1 is withheld, so are the 5 and
    // the 6 they add up to, which the escalation and the stage-2 durations showed all the same.
    const r = await report([
      ...times(10, { service: 'waste', outcome: 'not-upheld' }),
      caseOf({ service: 'council-tax', channel: 'phone', outcome: 'upheld', stage2: { outcome: 'upheld' } }),
      ...times(5, { service: 'waste', outcome: 'upheld', stage2: { outcome: 'not-upheld' } }),
    ]);

    expect(new ReportReader(r, randomPolicy).workedOut()).toEqual([]);
    expect(r.escalation.escalatedToStage2).toEqual({ suppressed: true, secondary: true });
  });
});
