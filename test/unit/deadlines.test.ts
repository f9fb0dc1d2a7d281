import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidDateError, isWorkingDay, londonDate } from '../../functions/domain/calendar.js';
import {
  computeDeadlines,
  DeadlineError,
  ExtensionLimitError,
  extendDeadline,
  NoStage2Error,
  stage2RequestDeadline,
} from '../../functions/domain/deadlines.js';
import type { CaseKind } from '../../functions/domain/types.js';
import { makePolicy } from '../support/policy-fixture.js';

// The base test policy (test/support/policy-fixture.ts) has the LGSCO Code's numbers:
// stage 1 acknowledge 5 from receipt, respond 10 from acknowledgement, reminder 2 before,
// extension up to 10; stage 2 request window 20, acknowledge 5, respond 20 from acknowledgement,
// reminder 3 before, extension up to 10; compliment 5, comment 10, representation 20;
// social care acknowledge 3, respond 25 by default, tell if beyond 6 months.
// British Summer Time 2026: 29 March to 25 October (ends of day are then 22:59:59Z).

describe('computeDeadlines for a stage-1 complaint', () => {
  it('counts acknowledgement from receipt and the response from the acknowledgement deadline', () => {
    // Prepare: received Monday 9 March 2026.
    const policy = makePolicy();

    // Act
    const deadlines = computeDeadlines(policy, 'complaint', '2026-03-09T10:00:00Z');

    // Assess
    expect(deadlines).toEqual({
      // 10, 11, 12, 13, 16 March → Monday 16 (GMT).
      acknowledgeBy: '2026-03-16T23:59:59.000Z',
      // From 16 March: 17, 18, 19, 20, 23, 24, 25, 26, 27, 30 → Monday 30 March, now BST.
      respondBy: '2026-03-30T22:59:59.000Z',
      // Two working days before 30 March: Fri 27 (1), Thu 26 (2) → start of Thursday 26 (GMT).
      remindAt: '2026-03-26T00:00:00.000Z',
      // From 30 March: 31, 1, 2 (Good Friday 3 and Easter Monday 6 closed), 7, 8, 9, 10, 13, 14, 15 April.
      extensionLimit: '2026-04-15T22:59:59.000Z',
    });
  });

  it('counts the response from the day it was acknowledged when that is known', () => {
    // Prepare
    const policy = makePolicy();

    // Act
    const deadlines = computeDeadlines(policy, 'complaint', '2026-03-09T10:00:00Z', {
      acknowledgedAt: '2026-03-10T09:00:00Z',
    });

    // Assess
    // Acknowledgement deadline unchanged; response from Tue 10: 11, 12, 13, 16, 17, 18, 19, 20, 23, 24.
    expect(deadlines.acknowledgeBy).toBe('2026-03-16T23:59:59.000Z');
    expect(deadlines.respondBy).toBe('2026-03-24T23:59:59.000Z');
    // 23 (1), 20 (2) March.
    expect(deadlines.remindAt).toBe('2026-03-20T00:00:00.000Z');
    // From 24: 25, 26, 27, 30, 31, 1, 2, 7, 8, 9 April.
    expect(deadlines.extensionLimit).toBe('2026-04-09T22:59:59.000Z');
  });

  it('counts the response from receipt when the policy says so, ignoring the acknowledgement', () => {
    // Prepare
    const policy = makePolicy({ complaint: { stage1: { respond: { workingDays: 10, from: 'receipt' } } } });

    // Act
    const deadlines = computeDeadlines(policy, 'complaint', '2026-03-09T10:00:00Z', {
      acknowledgedAt: '2026-03-12T09:00:00Z',
    });

    // Assess: 10–13 (4), 16–20 (9), 23 (10).
    expect(deadlines.respondBy).toBe('2026-03-23T23:59:59.000Z');
  });

  it('omits extensionLimit when the policy allows no extension', () => {
    // Prepare
    const policy = makePolicy({ complaint: { stage1: { extension: { maxWorkingDays: 0 } } } });

    // Act
    const deadlines = computeDeadlines(policy, 'complaint', '2026-03-09T10:00:00Z');

    // Assess
    expect(Object.keys(deadlines).sort()).toEqual(['acknowledgeBy', 'remindAt', 'respondBy']);
  });

  it('reminds on the morning of the deadline day when the lead is 0', () => {
    // Prepare
    const policy = makePolicy({ complaint: { stage1: { reminderLeadWorkingDays: 0 } } });

    // Act
    const deadlines = computeDeadlines(policy, 'complaint', '2026-03-09T10:00:00Z');

    // Assess: respondBy is Monday 30 March (BST), so its start is 23:00Z on the 29th.
    expect(deadlines.remindAt).toBe('2026-03-29T23:00:00.000Z');
    expect(String(deadlines.remindAt) < String(deadlines.respondBy)).toBe(true);
  });

  it('reminds at the start of the day of receipt when the lead is longer than the clock', () => {
    // Prepare
    const policy = makePolicy({
      complaint: { stage1: { reminderLeadWorkingDays: 30, respond: { workingDays: 10, from: 'receipt' } } },
    });

    // Act
    const deadlines = computeDeadlines(policy, 'complaint', '2026-03-09T10:00:00Z');

    // Assess
    expect(deadlines.remindAt).toBe('2026-03-09T00:00:00.000Z');
  });

  it('uses the London date: 23:30 UTC on a summer Sunday is Monday', () => {
    // Prepare
    const policy = makePolicy();

    // Act
    const mondayInLondon = computeDeadlines(policy, 'complaint', '2026-06-07T23:30:00Z');
    const sundayInLondon = computeDeadlines(policy, 'complaint', '2026-06-07T22:30:00Z');

    // Assess
    // From Monday 8 June: 9, 10, 11, 12, 15.
    expect(mondayInLondon.acknowledgeBy).toBe('2026-06-15T22:59:59.000Z');
    // From Sunday 7 June: 8, 9, 10, 11, 12.
    expect(sundayInLondon.acknowledgeBy).toBe('2026-06-12T22:59:59.000Z');
  });

  it('counts from the next working day when received on a Saturday', () => {
    // Prepare: Saturday 7 March 2026.
    const policy = makePolicy();

    // Act
    const deadlines = computeDeadlines(policy, 'complaint', '2026-03-07T11:00:00Z');

    // Assess
    expect(deadlines).toEqual({
      // 9, 10, 11, 12, 13 March.
      acknowledgeBy: '2026-03-13T23:59:59.000Z',
      // From 13: 16–20 (5), 23–27 (10) → Friday 27 March, still GMT.
      respondBy: '2026-03-27T23:59:59.000Z',
      // 26 (1), 25 (2).
      remindAt: '2026-03-25T00:00:00.000Z',
      // From 27: 30, 31, 1, 2, 7, 8, 9, 10, 13, 14 April.
      extensionLimit: '2026-04-14T22:59:59.000Z',
    });
  });

  it('skips the council’s closure days and honours removed bank holidays', () => {
    // Prepare
    const policy = makePolicy({
      calendar: { closureDays: ['2026-03-13'], removedBankHolidays: ['2026-04-06'] },
    });

    // Act
    const deadlines = computeDeadlines(policy, 'complaint', '2026-03-09T10:00:00Z');

    // Assess
    // 10, 11, 12, (13 closed), 16, 17 → Tuesday 17 March.
    expect(deadlines.acknowledgeBy).toBe('2026-03-17T23:59:59.000Z');
    // From 17: 18, 19, 20, 23, 24, 25, 26, 27, 30, 31 → Tuesday 31 March.
    expect(deadlines.respondBy).toBe('2026-03-31T22:59:59.000Z');
    // From 31: 1, 2, (Good Friday closed), 6 (Easter Monday reopened), 7, 8, 9, 10, 13, 14, 15.
    expect(deadlines.extensionLimit).toBe('2026-04-15T22:59:59.000Z');
  });

  it('follows the policy’s nation', () => {
    // Prepare: received on Maundy Thursday; Scotland works on Easter Monday.
    const policy = makePolicy({ calendar: { nation: 'scotland' } });

    // Act
    const deadlines = computeDeadlines(policy, 'complaint', '2026-04-02T09:00:00+01:00');

    // Assess: 6, 7, 8, 9, 10 April.
    expect(deadlines.acknowledgeBy).toBe('2026-04-10T22:59:59.000Z');
  });

  it('throws InvalidDateError for a bad receipt time', () => {
    expect(() => computeDeadlines(makePolicy(), 'complaint', 'last Tuesday')).toThrow(InvalidDateError);
  });
});

describe('computeDeadlines worked examples (base policy)', () => {
  it('handles a complaint received on 23 December 2026', () => {
    // Act
    const deadlines = computeDeadlines(makePolicy(), 'complaint', '2026-12-23T16:00:00Z');

    // Assess
    expect(deadlines).toEqual({
      // 24 (1); 25 Christmas, 28 Boxing Day substitute; 29, 30, 31 (4); 1 Jan closed; Monday 4 January (5).
      acknowledgeBy: '2027-01-04T23:59:59.000Z',
      // From 4 January: 5–8 (4), 11–15 (9), 18 (10).
      respondBy: '2027-01-18T23:59:59.000Z',
      // 15 (1), 14 (2).
      remindAt: '2027-01-14T00:00:00.000Z',
      // From 18: 19–22 (4), 25–29 (9), 1 February (10).
      extensionLimit: '2027-02-01T23:59:59.000Z',
    });
  });

  it('handles a complaint received on Maundy Thursday 2 April 2026', () => {
    // Act
    const deadlines = computeDeadlines(makePolicy(), 'complaint', '2026-04-02T09:00:00+01:00');

    // Assess
    expect(deadlines).toEqual({
      // Good Friday 3, weekend, Easter Monday 6 closed: 7, 8, 9, 10, 13 April.
      acknowledgeBy: '2026-04-13T22:59:59.000Z',
      // From 13: 14–17 (4), 20–24 (9), 27 (10).
      respondBy: '2026-04-27T22:59:59.000Z',
      // 24 (1), 23 (2) → start of 23 April BST.
      remindAt: '2026-04-22T23:00:00.000Z',
      // From 27: 28, 29, 30, 1 May (4); 4 May bank holiday; 5, 6, 7, 8 (8), 11, 12 (10).
      extensionLimit: '2026-05-12T22:59:59.000Z',
    });
  });
});

describe('computeDeadlines for a stage-2 complaint', () => {
  it('counts from the request with the stage-2 clocks', () => {
    // Prepare: asked on Friday 1 May 2026.
    const policy = makePolicy();

    // Act
    const deadlines = computeDeadlines(policy, 'complaint', '2026-03-09T10:00:00Z', {
      stage: 2,
      requestedAt: '2026-05-01T12:00:00+01:00',
    });

    // Assess
    expect(deadlines).toEqual({
      // 4 May bank holiday; 5, 6, 7, 8, 11.
      acknowledgeBy: '2026-05-11T22:59:59.000Z',
      // From 11 May: 12–15 (4), 18–22 (9), 25 Spring bank holiday, 26–29 (13), 1–5 June (18), 8, 9 (20).
      respondBy: '2026-06-09T22:59:59.000Z',
      // Three before 9 June: 8, 5, 4 → start of Thursday 4 June (BST).
      remindAt: '2026-06-03T23:00:00.000Z',
      // From 9 June: 10, 11, 12, 15, 16, 17, 18, 19, 22, 23.
      extensionLimit: '2026-06-23T22:59:59.000Z',
    });
  });

  it('counts the stage-2 response from the stage-2 acknowledgement when given', () => {
    // Act
    const deadlines = computeDeadlines(makePolicy(), 'complaint', '2026-03-09T10:00:00Z', {
      stage: 2,
      requestedAt: '2026-05-01T12:00:00+01:00',
      acknowledgedAt: '2026-05-05T10:00:00+01:00',
    });

    // Assess: from Tue 5 May: 6, 7, 8, 11–15 (8), 18–22 (13), 26–29 (17), 1, 2, 3 June (20).
    expect(deadlines.respondBy).toBe('2026-06-03T22:59:59.000Z');
  });

  it('throws DeadlineError without requestedAt', () => {
    expect(() => computeDeadlines(makePolicy(), 'complaint', '2026-03-09T10:00:00Z', { stage: 2 })).toThrow(
      /requestedAt/,
    );
  });

  it('throws NoStage2Error for a one-stage policy', () => {
    // Prepare
    const policy = makePolicy({ complaint: { stages: 1 } });

    // Act
    const act = () =>
      computeDeadlines(policy, 'complaint', '2026-03-09T10:00:00Z', {
        stage: 2,
        requestedAt: '2026-04-01T10:00:00Z',
      });

    // Assess
    expect(act).toThrow(NoStage2Error);
    expect(act).toThrow(/one stage only/);
  });

  it('throws DeadlineError for a stage that does not exist', () => {
    expect(() =>
      computeDeadlines(makePolicy(), 'complaint', '2026-03-09T10:00:00Z', { stage: 3 as unknown as 1 }),
    ).toThrow(DeadlineError);
  });
});

describe('stage2RequestDeadline', () => {
  it('ends the request window the policy’s working days after the stage-1 response', () => {
    // Act: responded Monday 30 March 2026.
    const deadline = stage2RequestDeadline(makePolicy(), '2026-03-30T15:00:00+01:00');

    // Assess: 31, 1, 2 (3); 7–10 (7); 13–17 (12); 20–24 (17); 27, 28, 29 April (20).
    expect(deadline).toBe('2026-04-29T22:59:59.000Z');
  });

  it('throws NoStage2Error for a one-stage policy', () => {
    expect(() =>
      stage2RequestDeadline(makePolicy({ complaint: { stages: 1 } }), '2026-03-30T15:00:00Z'),
    ).toThrow(NoStage2Error);
  });
});

describe('computeDeadlines for the other kinds', () => {
  it('gives a compliment an acknowledgement deadline only', () => {
    expect(computeDeadlines(makePolicy(), 'compliment', '2026-04-02T09:00:00+01:00')).toEqual({
      acknowledgeBy: '2026-04-13T22:59:59.000Z',
    });
  });

  it('gives a comment a reply deadline across the end of summer time', () => {
    // Received Friday 23 October 2026: 26–30 (5), 2–6 November (10), after the clocks went back.
    expect(computeDeadlines(makePolicy(), 'comment', '2026-10-23T12:00:00Z')).toEqual({
      replyBy: '2026-11-06T23:59:59.000Z',
    });
  });

  it('gives a representation a feedback deadline', () => {
    // From Friday 23 October: 6 November (10), 9–13 (15), 16–20 (20).
    expect(computeDeadlines(makePolicy(), 'representation', '2026-10-23T12:00:00Z')).toEqual({
      feedbackBy: '2026-11-20T23:59:59.000Z',
    });
  });

  it('gives social care acknowledgement, the default agreed period and the six-month mark', () => {
    // Act: received on the Summer bank holiday, Monday 31 August 2026.
    const deadlines = computeDeadlines(makePolicy(), 'social-care', '2026-08-31T10:00:00+01:00');

    // Assess
    expect(deadlines).toEqual({
      // 1, 2, 3 September.
      acknowledgeBy: '2026-09-03T22:59:59.000Z',
      // 1–4 (4), 7–11 (9), 14–18 (14), 21–25 (19), 28 Sep–2 Oct (24), 5 October (25).
      respondBy: '2026-10-05T22:59:59.000Z',
      // 31 August + 6 calendar months = 28 February 2027 (no 31st), GMT.
      tellIfBeyond: '2027-02-28T23:59:59.000Z',
    });
  });

  it("counts social care's statutory working days as the regulations define them, not the council's own closure days", () => {
    // Prepare: the council closes between Christmas and New Year, and works Easter Monday 2027.
    const policy = makePolicy({
      calendar: {
        closureDays: ['2026-12-29', '2026-12-30', '2026-12-31'],
        removedBankHolidays: ['2027-03-29'],
      },
    });

    // Act: received on Christmas Eve, and on the Thursday before Easter 2027.
    const christmas = computeDeadlines(policy, 'social-care', '2026-12-24T10:00:00Z');
    const easter = computeDeadlines(policy, 'social-care', '2027-03-25T10:00:00Z', { agreedWorkingDays: 3 });

    // Assess: SI 2009/309 reg. 2, a working day is any day but a Saturday, a Sunday, Christmas
    // Day, Good Friday or a bank holiday in England. Christmas Day, the weekend and Monday 28
    // December (for Boxing Day) are not; 29, 30 and 31 December are, closed or not.
    expect(christmas.acknowledgeBy).toBe('2026-12-31T23:59:59.000Z');
    // Good Friday 26 March, the weekend, and Easter Monday 29 March (a bank holiday, worked or not):
    // 30, 31 March and 1 April.
    expect(easter.respondBy).toBe('2027-04-01T22:59:59.000Z');
    // The council's own clocks keep its calendar: a complaint's acknowledgement (5 working days)
    // skips the closure and New Year's Day, 4 to 8 January.
    expect(computeDeadlines(policy, 'complaint', '2026-12-24T10:00:00Z').acknowledgeBy).toBe(
      '2027-01-08T23:59:59.000Z',
    );
  });

  it('uses the period agreed with the complainant when given', () => {
    // Act
    const deadlines = computeDeadlines(makePolicy(), 'social-care', '2026-08-31T10:00:00+01:00', {
      agreedWorkingDays: 40,
    });

    // Assess: from 5 October (25): 6–9 (29), 12–16 (34), 19–23 (39), 26 October (40), now GMT.
    expect(deadlines.respondBy).toBe('2026-10-26T23:59:59.000Z');
  });

  // SI 2009/309 reg. 14(2): "the period of six months beginning on the day on which the complaint
  // was received". The day of receipt is the period's first day, so the six months end the day
  // before the same date six months on (or at the end of a month that has no such date).
  it.each([
    // Friday 15 January 2027 to Wednesday 14 July 2027, in summer time.
    ['2027-01-15T10:00:00Z', '2027-07-14T22:59:59.000Z'],
    // Friday 28 August 2026 to Saturday 27 February 2027, in winter.
    ['2026-08-28T10:00:00+01:00', '2027-02-27T23:59:59.000Z'],
    // Monday 31 August 2026: February has no 31st, so to the end of Sunday 28 February 2027.
    ['2026-08-31T10:00:00+01:00', '2027-02-28T23:59:59.000Z'],
    // Thursday 31 December 2026: June has no 31st, so to the end of Wednesday 30 June 2027.
    ['2026-12-31T10:00:00Z', '2027-06-30T22:59:59.000Z'],
  ])(
    'ends the six months of a social care complaint received %s, its first day, at %s',
    (receivedAt, end) => {
      expect(computeDeadlines(makePolicy(), 'social-care', receivedAt).tellIfBeyond).toBe(end);
    },
  );

  it('throws DeadlineError for an agreed period that is not a positive whole number', () => {
    expect(() =>
      computeDeadlines(makePolicy(), 'social-care', '2026-08-31T10:00:00Z', { agreedWorkingDays: 0 }),
    ).toThrow(DeadlineError);
  });

  it('throws DeadlineError for social care when the policy has no social-care procedure', () => {
    // Prepare
    const policy = makePolicy();
    delete policy.socialCare;

    // Act / Assess
    expect(() => computeDeadlines(policy, 'social-care', '2026-08-31T10:00:00Z')).toThrow(
      /no statutory social-care/,
    );
  });

  it('throws DeadlineError for an unknown kind', () => {
    expect(() => computeDeadlines(makePolicy(), 'petition' as CaseKind, '2026-08-31T10:00:00Z')).toThrow(
      DeadlineError,
    );
  });
});

describe('extendDeadline', () => {
  const respondBy = '2026-03-30T22:59:59.000Z'; // Monday 30 March 2026

  it('moves the deadline on by working days', () => {
    // 31, 1, 2, (3 and 6 closed), 7, 8 April.
    expect(extendDeadline(makePolicy(), respondBy, 5)).toBe('2026-04-08T22:59:59.000Z');
  });

  it('allows exactly the cap', () => {
    expect(extendDeadline(makePolicy(), respondBy, 10)).toBe('2026-04-15T22:59:59.000Z');
  });

  it('throws ExtensionLimitError past the cap, naming the limit', () => {
    // Act
    let caught: unknown;
    try {
      extendDeadline(makePolicy(), respondBy, 11);
    } catch (error: unknown) {
      caught = error;
    }

    // Assess
    expect(caught).toBeInstanceOf(ExtensionLimitError);
    expect((caught as ExtensionLimitError).name).toBe('ExtensionLimitError');
    expect((caught as ExtensionLimitError).limit).toBe('2026-04-15T22:59:59.000Z');
    expect((caught as Error).message).toMatch(/2026-04-16.*limit of 10 working days \(2026-04-15\)/);
  });

  it('counts the cap from the original deadline across several extensions', () => {
    // Prepare: already extended by 5 to Wednesday 8 April.
    const current = '2026-04-08T22:59:59.000Z';

    // Act / Assess: 5 more reach 15 April, the cap; 6 more do not fit.
    expect(extendDeadline(makePolicy(), current, 5, 1, respondBy)).toBe('2026-04-15T22:59:59.000Z');
    expect(() => extendDeadline(makePolicy(), current, 6, 1, respondBy)).toThrow(
      /5 working days of extension are left/,
    );
  });

  it('uses the stage-2 cap for stage 2', () => {
    // Prepare
    const policy = makePolicy({ complaint: { stage2: { extension: { maxWorkingDays: 3 } } } });

    // Act / Assess: 31 March, 1, 2 April is the cap.
    expect(extendDeadline(policy, respondBy, 3, 2)).toBe('2026-04-02T22:59:59.000Z');
    expect(() => extendDeadline(policy, respondBy, 4, 2)).toThrow(ExtensionLimitError);
  });

  it('throws ExtensionLimitError when the policy allows no extension', () => {
    const policy = makePolicy({ complaint: { stage1: { extension: { maxWorkingDays: 0 } } } });
    expect(() => extendDeadline(policy, respondBy, 1)).toThrow(/allows no extension/);
  });

  it('throws DeadlineError for a non-positive extension', () => {
    expect(() => extendDeadline(makePolicy(), respondBy, 0)).toThrow(DeadlineError);
  });

  it('throws NoStage2Error for stage 2 of a one-stage policy', () => {
    expect(() => extendDeadline(makePolicy({ complaint: { stages: 1 } }), respondBy, 1, 2)).toThrow(
      NoStage2Error,
    );
  });
});

describe('computeDeadlines properties', () => {
  const instantArb = fc
    .integer({ min: Date.UTC(2012, 0, 1), max: Date.UTC(2035, 0, 1) })
    .map((ms) => new Date(ms).toISOString());
  const kindArb = fc.constantFrom<CaseKind>(
    'complaint',
    'compliment',
    'comment',
    'representation',
    'social-care',
  );

  it('ends every working-day deadline at 23:59:59 London time on a working day after receipt', () => {
    fc.assert(
      fc.property(instantArb, kindArb, (receivedAt, kind) => {
        const deadlines = computeDeadlines(makePolicy(), kind, receivedAt);
        const received = londonDate(receivedAt);
        return Object.entries(deadlines)
          .filter(([key]) => key !== 'remindAt' && key !== 'tellIfBeyond')
          .every(([, at]) => {
            const day = londonDate(at);
            return /T2[23]:59:59\.000Z$/.test(at) && isWorkingDay(day) && day > received;
          });
      }),
    );
  });

  it('orders a complaint’s clocks: acknowledge ≤ respond, remind < respond ≤ extension limit', () => {
    fc.assert(
      fc.property(instantArb, fc.integer({ min: 0, max: 14 }), (receivedAt, lead) => {
        const policy = makePolicy({ complaint: { stage1: { reminderLeadWorkingDays: lead } } });
        const {
          acknowledgeBy = '',
          respondBy = '',
          remindAt = '',
          extensionLimit = '',
        } = computeDeadlines(policy, 'complaint', receivedAt);
        return (
          acknowledgeBy <= respondBy &&
          remindAt < respondBy &&
          respondBy < extensionLimit &&
          isWorkingDay(londonDate(remindAt))
        );
      }),
    );
  });
});
