import { describe, expect, it } from 'vitest';
import { computePerformance, publicReport } from '../../../functions/reports/compute.js';
import { financialYear } from '../../../functions/reports/period.js';
import { RANDOM_AS_OF, RANDOM_YEAR, randomCases, randomPolicy } from '../../support/random-report-cases.js';
import { breakdowns, workedOut } from '../../support/report-breakdowns.js';

/**
 * The disclosure check of `worked-out.test.ts` over many small random years of cases (seeded, so
 * every run reads the same ones): no breakdown the report shows with its total lets a withheld
 * figure of it be worked out. (A reader who combines breakdowns can still work some out, which
 * `support/report-reader.ts` finds: protecting the report as a whole is work still to do.)
 */
const SEEDS = Array.from({ length: 150 }, (_, i) => i + 1);
const period = { ...financialYear(RANDOM_YEAR), asOf: RANDOM_AS_OF };

describe('the published report, over random sets of cases', () => {
  it('reads the same cases for the same seed', () => {
    expect(randomCases(7)).toEqual(randomCases(7));
  });

  it('lets no withheld figure be worked out from any one breakdown and its total', async () => {
    const found: string[] = [];
    for (const seed of SEEDS) {
      const report = publicReport(await computePerformance(randomCases(seed), randomPolicy, period));
      for (const [name, total, parts] of breakdowns(report, randomPolicy)) {
        for (const n of workedOut(total, parts))
          found.push(`seed ${seed}, ${name}: a withheld figure is ${n}`);
      }
    }
    expect(found.slice(0, 20)).toEqual([]);
  });
});
