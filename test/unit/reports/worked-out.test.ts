import { describe, expect, it } from 'vitest';
import { computePerformance, isSuppressed, publicReport } from '../../../functions/reports/compute.js';
import { ReportReader } from '../../../functions/reports/disclosure-audit.js';
import { financialYear } from '../../../functions/reports/period.js';
import { makePolicy } from '../../support/policy-fixture.js';
import {
  type CaseShape,
  caseOf,
  RANDOM_AS_OF,
  RANDOM_YEAR,
  randomCases,
  randomPolicy,
} from '../../support/random-report-cases.js';
import { breakdowns, workedOut } from '../../support/report-breakdowns.js';
import { REPORT_AS_OF, REPORT_YEAR, reportCases, reportPolicy } from '../../support/report-cases.js';

describe('the published report', () => {
  it('lets no withheld figure be worked out from a total less the figures shown', async () => {
    const report = await computePerformance(reportCases(), reportPolicy, {
      ...financialYear(REPORT_YEAR),
      asOf: REPORT_AS_OF,
    });

    const leaks = breakdowns(report, reportPolicy).flatMap(([name, total, parts]) =>
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
  /** Four services in a directorate "Small", two in "Big". */
  const SMALL_AND_BIG = makePolicy({
    routing: {
      services: [
        ...['a', 'b', 'c', 'd'].map((id) => ({ id, name: id, directorate: 'Small' })),
        ...['e', 'f'].map((id) => ({ id, name: id, directorate: 'Big' })),
      ],
    },
  });
  /** One complaint by phone in each small service, ten in each big one, and `more`. */
  const smallAndBig = (...more: ReturnType<typeof caseOf>[]) =>
    computePerformance(
      [
        ...['a', 'b', 'c', 'd'].map((service) => caseOf({ service, channel: 'phone' })),
        ...times(10, { service: 'e' }),
        ...times(10, { service: 'f' }),
        ...more,
      ],
      SMALL_AND_BIG,
      { ...financialYear(RANDOM_YEAR), asOf: RANDOM_AS_OF },
    );

  it("withholds a timeliness cell of 'fewer than 5' whose parts, each 'fewer than 5', would add up to it", async () => {
    // One complaint in each of the four services of a directorate: the directorate's clock cells
    // say 'fewer than 5' over four services' cells of 'fewer than 5', so each service had exactly
    // one. No figure shown is left to withhold there: one of the small cells must say 'withheld'.
    const r = await smallAndBig();

    expect(new ReportReader(publicReport(r), SMALL_AND_BIG).workedOut()).toEqual([]);
  });

  it('audits a report all the same when a case breaks what the reader takes to hold of every report', async () => {
    // As above, with one complaint more whose directorate is no longer the policy's for its
    // service (renamed since): the services no longer add up to their directorate there. That
    // relation is left out of the audit, not the whole audit: the four small cells are still
    // not each shown as "fewer than 5" under a "fewer than 5".
    const r = await smallAndBig({ ...caseOf({ service: 'e' }), directorate: 'Big old' });

    const cells = r.timeliness.response['complaint-stage-1'];
    const small = (c: unknown) => isSuppressed(c) && !c.secondary;
    const fewer = ['a', 'b', 'c', 'd'].filter((s) => small(cells.byService[s])).length;
    expect(small(cells.byDirectorate.Small) && fewer === 4).toBe(false);
  });
  it('does not withhold a 0 that only says another figure is at least 0 (no Ombudsman enquiries)', async () => {
    // Ombudsman enquiries and vexatious cases are no more than the complaints handled: a 0 of
    // them tells a reader nothing about any figure, so withholding it protects none and makes the
    // headline read as if there were enquiries the council may not show.
    const r = await computePerformance(randomCases(12), randomPolicy, {
      ...financialYear(RANDOM_YEAR),
      asOf: RANDOM_AS_OF,
    });

    expect(new ReportReader(publicReport(r), randomPolicy).workedOut()).toEqual([]);
    expect(r.ombudsman.enquiries).toBe(0);
    expect(r.vexatious.cases).toBe(0);
  });
});

describe('the reader of a month’s report', () => {
  it('holds each relation between its figures once, however many breakdowns of a total are empty', async () => {
    // A month with a few cases: most timeliness breakdowns have no cell by service, directorate or
    // channel, and each of the three says the same of its total (that it is none).
    const month = await computePerformance(reportCases().slice(0, 3), reportPolicy, {
      from: `${REPORT_YEAR}-05-01`,
      to: `${REPORT_YEAR}-05-31`,
      asOf: REPORT_AS_OF,
    });

    const reader = new ReportReader(month, reportPolicy);

    expect(reader.relations()).toBe(new Set(reader.relationTexts()).size);
  });
});
