import { describe, expect, it } from 'vitest';
import { computePerformance, publicReport } from '../../../functions/reports/compute.js';
import { financialYear } from '../../../functions/reports/period.js';
import { RANDOM_AS_OF, RANDOM_YEAR, randomCases, randomPolicy } from '../../support/random-report-cases.js';
import { ReportReader } from '../../support/report-reader.js';

/**
 * The disclosure check of `worked-out.test.ts` over many small random years of cases (seeded, so
 * every run reads the same ones), with a reader who combines every relation between the report's
 * figures at once rather than one breakdown at a time (`support/report-reader.ts`).
 */
const SEEDS = Array.from({ length: 150 }, (_, i) => i + 1);
const period = { ...financialYear(RANDOM_YEAR), asOf: RANDOM_AS_OF };

async function leaks(seed: number): Promise<string[]> {
  const report = publicReport(await computePerformance(randomCases(seed), randomPolicy, period));
  return new ReportReader(report, randomPolicy).workedOut();
}

describe('the published report, over random sets of cases', () => {
  it('reads the same cases for the same seed', () => {
    expect(randomCases(7)).toEqual(randomCases(7));
  });

  // Known to fail: the figures withheld are chosen one breakdown at a time, and a reader who
  // puts breakdowns together still works some out (see the first failing seeds this prints).
  // When the report is protected as a whole, this becomes `it` and must pass.
  it.fails('lets no withheld figure be worked out by a reader who combines every breakdown', async () => {
    const found: string[] = [];
    for (const seed of SEEDS) {
      for (const leak of await leaks(seed)) found.push(`seed ${seed}: ${leak}`);
    }
    expect(found.slice(0, 20)).toEqual([]);
  });
});
