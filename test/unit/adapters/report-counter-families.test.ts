import { describe, expect, it } from 'vitest';
import { counterFamily } from '../../../functions/adapters/dynamodb-report-counters.js';
import type { CaseRecord } from '../../../functions/domain/case.js';
import { CaseCounter } from '../../../functions/reports/compute.js';
import { reportCases, reportPolicy } from '../../support/report-cases.js';

/**
 * The items a case's counts are kept in: each item a counting transaction touches costs two write
 * units at least, so counts a change moves together share one.
 */
describe('counterFamily', () => {
  const counter = new CaseCounter(reportPolicy);
  const answered = reportCases().find(
    (c) => c.kind === 'complaint' && c.progress.stage1.respondedAt && !c.progress.stage2,
  ) as CaseRecord;
  const families = (c: CaseRecord) =>
    [...new Set(Object.keys(counter.contribution(c).counts).map(counterFamily))].sort();

  it('keeps an answered stage-1 complaint in three items: the plain counts, its service’s clocks, the Code’s marks with the days taken', () => {
    expect(families(answered)).toEqual([
      `clock|complaint-stage-1|${encodeURIComponent(answered.service ?? '')}`,
      'code-days',
      'counts',
    ]);
  });

  it('keeps both clocks of a service together, apart from another service’s', () => {
    const ack = `clock|ack|complaint-stage-1|onTime|waste|Environment|online`;
    const response = `clock|response|complaint-stage-1|due:1774915199000|waste|Environment|phone`;
    const other = `clock|response|complaint-stage-1|late|parking|Environment|online`;

    expect(counterFamily(ack)).toBe(counterFamily(response));
    expect(counterFamily(other)).not.toBe(counterFamily(ack));
  });

  it('keeps the staff a compliment names apart, and everything else with the plain counts', () => {
    expect(counterFamily('staff|jo%20bloggs|Jo%20Bloggs')).toBe('staff');
    expect(counterFamily('received')).toBe('counts');
    expect(counterFamily('outcome|stage1|upheld')).toBe('counts');
    expect(counterFamily('days|stage1|respond|7')).toBe(counterFamily('code|stage1|ack|onTime'));
  });
});
