import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../../functions/domain/case.js';
import {
  computePerformance,
  type PerformanceReport,
  publicReport,
} from '../../../functions/reports/compute.js';
import { financialYear } from '../../../functions/reports/period.js';
import { MemoryCaseStore } from '../../support/memory-store.js';
import { makePolicy } from '../../support/policy-fixture.js';
import {
  REPORT_AS_OF,
  REPORT_YEAR,
  reportCases,
  reportPolicy,
  SEEDED_ACTIONS,
  SEEDED_LESSONS,
  SEEDED_PERSONAL_DATA,
} from '../../support/report-cases.js';

/** Every expected figure below is worked out by hand from the groups in `report-cases.ts`. */
const S = { suppressed: true } as const;
/** Withheld so that a figure withheld as small cannot be worked out by subtraction. */
const W = { suppressed: true, secondary: true } as const;
const cell = (
  cases: number,
  onTime: number,
  late: number,
  overdue: number,
  pending: number,
  percentOnTime: number | null,
) => ({
  cases,
  onTime,
  late,
  overdue,
  pending,
  percentOnTime,
});
const none = cell(0, 0, 0, 0, 0, null);
const emptyBreakdown = { all: none, byService: {}, byDirectorate: {}, byChannel: {} };

async function seededReport(options: { includeLearning?: boolean } = {}): Promise<PerformanceReport> {
  return computePerformance(reportCases(), reportPolicy, {
    ...financialYear(REPORT_YEAR),
    asOf: REPORT_AS_OF,
    ...options,
  });
}

describe('computePerformance on a seeded financial year', () => {
  it('counts the cases received in the year by kind, stage, service, directorate and channel', async () => {
    const report = await seededReport();

    expect(report.period).toEqual({ from: '2025-04-01', to: '2026-03-31' });
    expect(report.asOf).toBe(REPORT_AS_OF);
    expect(report.totals).toEqual({ received: 60, handled: 52, redirected: 8 });
    expect(report.counts).toEqual({
      // Without comments withheld too, the one representation would be 52 less the figures shown.
      byKind: { complaint: 37, compliment: 8, comment: W, representation: S, 'social-care': 0 },
      byStage: { stage1: 37, stage2: 7 },
      byService: { waste: 23, highways: 13, 'council-tax': 9, 'housing-repairs': W, 'not-given': S },
      byDirectorate: { Environment: 36, Finance: 9, Housing: W, 'not-given': S },
      byChannel: { online: 32, email: 8, letter: S, phone: 6, 'in-person': S },
    });
  });

  it('measures acknowledgements against each case’s own deadlines', async () => {
    const report = await seededReport();

    expect(report.timeliness.acknowledgement).toEqual({
      'complaint-stage-1': {
        all: cell(37, 29, 8, 0, 0, 78.4),
        byService: {
          waste: cell(17, 12, 5, 0, 0, 70.6),
          highways: cell(6, 6, 0, 0, 0, 100),
          'council-tax': cell(8, 5, 3, 0, 0, 62.5),
          'housing-repairs': cell(6, 6, 0, 0, 0, 100),
        },
        byDirectorate: {
          Environment: cell(23, 18, 5, 0, 0, 78.3),
          Finance: cell(8, 5, 3, 0, 0, 62.5),
          Housing: cell(6, 6, 0, 0, 0, 100),
        },
        byChannel: {
          online: cell(21, 16, 5, 0, 0, 76.2),
          email: cell(5, 5, 0, 0, 0, 100),
          letter: S,
          phone: cell(6, 6, 0, 0, 0, 100),
          'in-person': S,
        },
      },
      'complaint-stage-2': {
        all: cell(7, 7, 0, 0, 0, 100),
        byService: { waste: W, 'council-tax': S },
        byDirectorate: { Environment: W, Finance: S },
        byChannel: { online: S, email: W },
      },
      'social-care': emptyBreakdown,
    });
  });

  it('measures responses, counting open cases as overdue or still within time', async () => {
    const report = await seededReport();

    expect(report.timeliness.response).toEqual({
      'complaint-stage-1': {
        all: cell(37, 25, 6, 2, 4, 75.8),
        byService: {
          waste: cell(17, 17, 0, 0, 0, 100),
          highways: cell(6, 0, 6, 0, 0, 0),
          'council-tax': cell(8, 8, 0, 0, 0, 100),
          'housing-repairs': cell(6, 0, 0, 2, 4, 0),
        },
        byDirectorate: {
          Environment: cell(23, 17, 6, 0, 0, 73.9),
          Finance: cell(8, 8, 0, 0, 0, 100),
          Housing: cell(6, 0, 0, 2, 4, 0),
        },
        byChannel: {
          online: cell(21, 17, 0, 0, 4, 100),
          email: cell(5, 5, 0, 0, 0, 100),
          letter: S,
          phone: cell(6, 0, 6, 0, 0, 0),
          'in-person': S,
        },
      },
      'complaint-stage-2': {
        all: cell(7, 5, 2, 0, 0, 71.4),
        byService: { waste: W, 'council-tax': S },
        byDirectorate: { Environment: W, Finance: S },
        byChannel: { online: S, email: W },
      },
      'social-care': emptyBreakdown,
      // The six comments are withheld as the count of comments received is (see above).
      comment: {
        all: W,
        byService: { highways: W, 'not-given': S },
        byDirectorate: { Environment: W, 'not-given': S },
        byChannel: { online: W, letter: S },
      },
      // Of fewer than 5 cases in all, which service, directorate or channel had any is not shown.
      representation: { all: S, byService: {}, byDirectorate: {}, byChannel: {} },
    });
  });

  it('gives average and 90th-percentile working days per stage', async () => {
    const report = await seededReport();

    expect(report.durations).toEqual({
      // 29 acknowledged on day 2, 8 on day 6: 106 / 37 = 2.86; the 34th of 37 is 6.
      // Responses: 12 × 10, 6 × 14, 5 × 15, 3 × 16, 5 × 17 = 412 / 31 = 13.29; the 28th of 31 is 17.
      stage1: {
        acknowledge: { cases: 37, averageWorkingDays: 2.9, p90WorkingDays: 6 },
        respond: { cases: 31, averageWorkingDays: 13.3, p90WorkingDays: 17 },
      },
      // 7 acknowledged on day 1; 5 answered on day 20 and 2 on day 25: 150 / 7 = 21.43; the 7th is 25.
      stage2: {
        acknowledge: { cases: 7, averageWorkingDays: 1, p90WorkingDays: 1 },
        respond: { cases: 7, averageWorkingDays: 21.4, p90WorkingDays: 25 },
      },
      socialCare: {
        acknowledge: { cases: 0, averageWorkingDays: null, p90WorkingDays: null },
        respond: { cases: 0, averageWorkingDays: null, p90WorkingDays: null },
      },
    });
  });

  it('counts extensions, outcomes, remedies and escalation to stage 2', async () => {
    const report = await seededReport();

    // 3 cases with one 5-day extension and 2 with 3 + 2 days: 7 extensions, 25 days, 3.57 each.
    expect(report.extensions).toEqual({
      stage1: { extensions: 7, casesExtended: 5, averageDays: 3.6 },
      stage2: { extensions: 0, casesExtended: 0, averageDays: null },
    });
    expect(report.outcomes).toEqual({
      stage1: { responses: 31, upheld: 6, partiallyUpheld: 10, notUpheld: 15, remedies: 11 },
      stage2: { responses: 7, upheld: S, partiallyUpheld: 0, notUpheld: W, remedies: S },
    });
    // 31 stage-1 responses, 7 went to stage 2: 22.58%.
    expect(report.escalation).toEqual({ stage1Responses: 31, escalatedToStage2: 7, ratePercent: 22.6 });
  });

  it('counts ombudsman enquiries, compliments, redirections, repeat and vexatious contact', async () => {
    const report = await seededReport();

    expect(report.ombudsman).toEqual({ enquiries: 8 });
    expect(report.compliments).toEqual({
      total: 8,
      // Every service, those with none too.
      byService: { waste: W, highways: S, 'council-tax': 0, 'housing-repairs': 0 },
      byStaff: { 'Sam Patel': 6, 'Ali Khan': S },
    });
    expect(report.redirected).toEqual({ total: 8, byExclusion: { 'service-request': W, schools: S } });
    expect(report.repeatContact).toEqual({ complainants: 5, cases: 10 });
    expect(report.vexatious).toEqual({ cases: S });
    expect(report.learning).toEqual({ lessonsRecorded: 6, improvementsRecorded: 6 });
  });

  it('judges complaints against the Code’s own timescales as well', async () => {
    const report = await seededReport();

    // The seeded policy has the Code's numbers, so the figures match the policy's.
    expect(report.codeTimescales).toEqual({
      stage1: { acknowledgement: cell(37, 29, 8, 0, 0, 78.4), response: cell(37, 25, 6, 2, 4, 75.8) },
      stage2: { acknowledgement: cell(7, 7, 0, 0, 0, 100), response: cell(7, 5, 2, 0, 0, 71.4) },
    });
  });

  it('says that suppression applied', async () => {
    const report = await seededReport();

    expect(report.suppression.applied).toBe(true);
    expect(report.suppression.threshold).toBe(5);
    expect(report.suppression.note).toContain('fewer than 5');
  });

  it('leaves out the officers’ free text unless asked, and then lists it with the case reference', async () => {
    const plain = await seededReport();
    const officer = await seededReport({ includeLearning: true });

    expect(plain.learningItems).toBeUndefined();
    expect(officer.learningItems).toHaveLength(6);
    expect(officer.learningItems?.[0]).toEqual({
      reference: 'REF-0013',
      kind: 'complaint',
      stage: 1,
      service: 'highways',
      receivedOn: '2025-06-02',
      outcome: 'upheld',
      lessons: SEEDED_LESSONS,
      actions: SEEDED_ACTIONS,
      remedy: 'Pothole repaired and costs refunded',
    });
    // The public form leaves out the free text and the staff named in compliments, and nothing else.
    const { byStaff, ...compliments } = plain.compliments;
    expect(byStaff).not.toEqual({});
    expect(publicReport(officer)).toEqual({ ...plain, compliments });
  });

  it('holds no personal data in the public report', async () => {
    const json = JSON.stringify(publicReport(await seededReport({ includeLearning: true })));

    expect(SEEDED_PERSONAL_DATA.length).toBeGreaterThan(100);
    for (const value of [
      ...SEEDED_PERSONAL_DATA,
      SEEDED_LESSONS,
      SEEDED_ACTIONS,
      'r1@example.org',
      'SEEDED-SUMMARY',
    ]) {
      expect(json).not.toContain(value);
    }
    expect(json).not.toMatch(/@example\.org/i);
  });

  it('reads the same figures from a case store stream', async () => {
    const store = new MemoryCaseStore();
    for (const c of reportCases())
      await store.create(c, { at: c.receivedAt, type: 'received', actor: 'resident' });
    const fromArray = await seededReport();

    const fromStore = await computePerformance(
      store.receivedBetween('2025-03-31T23:00:00.000Z', '2026-03-31T23:00:00.000Z'),
      reportPolicy,
      { ...financialYear(REPORT_YEAR), asOf: REPORT_AS_OF },
    );

    expect(fromStore).toEqual(fromArray);
  });
});

describe('computePerformance edge cases', () => {
  const june = '2025-06-02T08:00:00.000Z';
  function complaintCase(n: number, progress: CaseRecord['progress']): CaseRecord {
    return {
      caseId: `c${n}`,
      reference: `C-${n}`,
      kind: 'complaint',
      submittedKind: 'complaint',
      status: 'closed',
      stage: 1,
      policyId: 'test-council',
      service: 'waste',
      directorate: 'Environment',
      summary: 'x',
      complainant: {},
      anonymous: true,
      channel: 'online',
      receivedAt: june,
      createdAt: june,
      updatedAt: june,
      triage: { route: 'handle', reasons: [] },
      deadlines: {},
      version: 1,
      progress,
    };
  }

  it('finds a policy weaker than the Code on time while the Code’s timescales find it late', async () => {
    // Acknowledge within 10 and respond within 20 working days of receipt (weaker than the Code).
    const weaker = makePolicy({
      complaint: {
        stage1: { acknowledge: { workingDays: 10 }, respond: { workingDays: 20, from: 'receipt' } },
      },
    });
    // Acknowledged Fri 13 Jun (day 9), answered Mon 30 Jun (day 20); the Code wanted the
    // acknowledgement by Mon 9 Jun and the response 10 working days after 13 Jun: Fri 27 Jun.
    const cases = [1, 2, 3, 4, 5].map((n) =>
      complaintCase(n, {
        stage1: {
          startedAt: june,
          acknowledgedAt: '2025-06-13T09:00:00.000Z',
          respondedAt: '2025-06-30T09:00:00.000Z',
        },
      }),
    );

    const report = await computePerformance(cases, weaker, {
      from: '2025-06-01',
      to: '2025-06-30',
      asOf: REPORT_AS_OF,
    });

    expect(report.timeliness.acknowledgement['complaint-stage-1'].all).toEqual(cell(5, 5, 0, 0, 0, 100));
    expect(report.timeliness.response['complaint-stage-1'].all).toEqual(cell(5, 5, 0, 0, 0, 100));
    expect(report.codeTimescales.stage1).toEqual({
      acknowledgement: cell(5, 0, 5, 0, 0, 0),
      response: cell(5, 0, 5, 0, 0, 0),
    });
  });

  it('reports no suppression and empty figures for a period without cases', async () => {
    const report = await computePerformance([], reportPolicy, { from: '2025-06-01', to: '2025-06-30' });

    expect(report.totals).toEqual({ received: 0, handled: 0, redirected: 0 });
    expect(report.suppression.applied).toBe(false);
    expect(report.escalation.ratePercent).toBeNull();
    expect(report.asOf).toBe('2025-06-30T22:59:59.000Z');
  });

  it('skips the clocks of a case the policy can no longer time but still counts it', async () => {
    const oneStage = makePolicy({ complaint: { stages: 1, stage2: undefined } });
    const cases = [1, 2, 3, 4, 5].map((n) =>
      complaintCase(n, {
        stage1: { startedAt: june, acknowledgedAt: june, respondedAt: '2025-06-03T09:00:00.000Z' },
        stage2: { startedAt: '2025-06-04T09:00:00.000Z' },
      }),
    );

    const report = await computePerformance(cases, oneStage, { from: '2025-06-01', to: '2025-06-30' });

    expect(report.counts.byStage).toEqual({ stage1: 5, stage2: 5 });
    expect(report.timeliness.response['complaint-stage-1'].all).toEqual(none);
    expect(report.durations.stage1.respond).toEqual({ cases: 5, averageWorkingDays: 1, p90WorkingDays: 1 });
  });
});
