import { describe, expect, it } from 'vitest';
import { CaseCounter } from '../../../functions/reports/compute.js';
import {
  contributionChange,
  countingBasis,
  repeatContactIn,
  sameContribution,
} from '../../../functions/reports/counted.js';
import { reportCases, reportPolicy } from '../../support/report-cases.js';

describe('countingBasis', () => {
  it('is the same for the same policy however its keys are ordered, and whoever the complaints team is', () => {
    const reordered = Object.fromEntries(Object.entries(reportPolicy).reverse()) as typeof reportPolicy;
    const withTeam = {
      ...reportPolicy,
      routing: { ...reportPolicy.routing, complaintsTeam: 'team@example.gov.uk' },
    };

    expect(countingBasis(reordered)).toBe(countingBasis(reportPolicy));
    expect(countingBasis(withTeam)).toBe(countingBasis(reportPolicy));
  });

  it('changes with anything that changes a count: a timescale, a closure day', () => {
    const slower = {
      ...reportPolicy,
      complaint: {
        ...reportPolicy.complaint,
        stage1: { ...reportPolicy.complaint.stage1, respond: { workingDays: 20, from: 'receipt' as const } },
      },
    };
    const closed = { ...reportPolicy, calendar: { ...reportPolicy.calendar, closureDays: ['2025-12-29'] } };

    expect(countingBasis(slower)).not.toBe(countingBasis(reportPolicy));
    expect(countingBasis(closed)).not.toBe(countingBasis(reportPolicy));
  });
});

describe('contributionChange', () => {
  const counter = new CaseCounter(reportPolicy);
  const [first] = reportCases();
  if (!first) throw new Error('no seeded case');
  const counted = counter.contribution(first);

  it('moves nothing when the case counts as it did (a redelivered record)', () => {
    expect(contributionChange(counted, counter.contribution(structuredClone(first)))).toEqual(new Map());
    expect(sameContribution(counted, counter.contribution(structuredClone(first)))).toBe(true);
  });

  it('takes a case off its old day and puts it on its new one when its received date is corrected', () => {
    const moved = counter.contribution({ ...first, receivedAt: '2025-09-01T10:00:00.000Z' });

    const change = contributionChange(counted, moved);

    expect([...change.keys()].sort()).toEqual([counted.receivedOn, '2025-09-01'].sort());
    expect(change.get(counted.receivedOn)?.received).toBe(-1);
    expect(change.get('2025-09-01')?.received).toBe(1);
    expect(sameContribution(counted, moved)).toBe(false);
  });

  it('takes the whole case off when it is gone', () => {
    const change = contributionChange(counted, undefined);

    expect(change.get(counted.receivedOn)).toEqual(
      Object.fromEntries(Object.entries(counted.counts).map(([key, n]) => [key, -n])),
    );
  });
});

describe('repeatContactIn', () => {
  it('counts complainants with two or more cases in the period, and their cases', () => {
    const period = { from: '2025-04-01', to: '2026-03-31' };

    const repeat = repeatContactIn(period, [
      ['2025-05-01', '2025-06-01'],
      ['2025-05-01', '2025-06-01', '2025-07-01'],
      ['2025-03-31', '2025-06-01'],
      ['2025-06-01'],
    ]);

    expect(repeat).toEqual({ complainants: 2, cases: 5 });
  });
});
