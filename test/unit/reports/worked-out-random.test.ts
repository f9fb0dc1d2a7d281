import { beforeAll, describe, expect, it } from 'vitest';
import {
  computePerformance,
  type PerformanceReport,
  publicReport,
} from '../../../functions/reports/compute.js';
import { ReportReader } from '../../../functions/reports/disclosure-audit.js';
import { financialYear } from '../../../functions/reports/period.js';
import { RANDOM_AS_OF, RANDOM_YEAR, randomCases, randomPolicy } from '../../support/random-report-cases.js';
import { breakdowns, workedOut } from '../../support/report-breakdowns.js';

/**
 * The disclosure checks of `worked-out.test.ts` over many small random years of cases (seeded, so
 * every run reads the same ones): no breakdown the report shows with its total lets a withheld
 * figure be worked out, and nor does a reader who puts every part of the report together
 * (`disclosure-audit.ts`, which the report itself runs until it finds nothing).
 */
const SEEDS = Array.from({ length: 150 }, (_, i) => i + 1);
const period = { ...financialYear(RANDOM_YEAR), asOf: RANDOM_AS_OF };

describe('the published report, over random sets of cases', () => {
  const reports: [number, PerformanceReport][] = [];
  beforeAll(async () => {
    for (const seed of SEEDS) {
      reports.push([seed, publicReport(await computePerformance(randomCases(seed), randomPolicy, period))]);
    }
  });

  it('reads the same cases for the same seed', () => {
    expect(randomCases(7)).toEqual(randomCases(7));
  });

  it('lets no withheld figure be worked out from any one breakdown and its total', () => {
    const found: string[] = [];
    for (const [seed, report] of reports) {
      for (const [name, total, parts] of breakdowns(report, randomPolicy)) {
        for (const n of workedOut(total, parts))
          found.push(`seed ${seed}, ${name}: a withheld figure is ${n}`);
      }
    }
    expect(found.slice(0, 20)).toEqual([]);
  });

  it('lets a reader who combines every part of the report work out no withheld figure', () => {
    const found: string[] = [];
    for (const [seed, report] of reports) {
      for (const leak of new ReportReader(report, randomPolicy).workedOut())
        found.push(`seed ${seed}: ${leak}`);
    }
    expect(found.slice(0, 20)).toEqual([]);
  });
});
