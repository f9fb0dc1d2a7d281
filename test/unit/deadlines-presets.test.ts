import { describe, expect, it } from 'vitest';
import { computeDeadlines, stage2RequestDeadline } from '../../functions/domain/deadlines.js';
import { loadPolicy } from '../../functions/domain/policy.js';

/*
 * Worked examples for every shipped preset, counted by hand (England and Wales calendar).
 *
 * Working day N after each receipt date (day 1 = first working day strictly after it):
 *
 * A. Wednesday 23 December 2026 (winter: ends of day are 23:59:59Z).
 *    Closed: Fri 25 Dec (Christmas), Mon 28 Dec (Boxing Day substitute), Fri 1 Jan.
 *    1 Thu 24 Dec | 2 Tue 29 | 3 Wed 30 | 4 Thu 31 | 5 Mon 4 Jan | 6–9 Tue 5–Fri 8 |
 *    10 Mon 11 | 11–14 Tue 12–Fri 15 | 15 Mon 18 | 16–19 Tue 19–Fri 22 | 20 Mon 25 |
 *    21–24 Tue 26–Fri 29 | 25 Mon 1 Feb | 26–29 Tue 2–Fri 5 | 30 Mon 8 | 35 Mon 15 Feb.
 *
 * B. Maundy Thursday 2 April 2026 (summer time: ends of day are 22:59:59Z).
 *    Closed: Good Friday 3 Apr, Easter Monday 6 Apr, Early May 4 May, Spring 25 May.
 *    1 Tue 7 Apr | 2 Wed 8 | 3 Thu 9 | 4 Fri 10 | 5 Mon 13 | 10 Mon 20 | 12 Wed 22 | 13 Thu 23 |
 *    15 Mon 27 | 17 Wed 29 | 18 Thu 30 | 19 Fri 1 May | 20 Tue 5 May | 22 Thu 7 | 24 Mon 11 |
 *    25 Tue 12 | 30 Tue 19 | 33 Fri 22 | 34 Tue 26 | 35 Wed 27 May.
 *
 * C. Saturday 7 March 2026 (GMT until Sunday 29 March, then BST).
 *    1 Mon 9 Mar | 5 Fri 13 | 10 Fri 20 | 12 Tue 24 | 13 Wed 25 | 15 Fri 27 | 16 Mon 30 |
 *    17 Tue 31 | 18 Wed 1 Apr | 19 Thu 2 | (Good Friday, Easter Monday closed) 20 Tue 7 Apr |
 *    22 Thu 9 | 25 Tue 14 | 30 Tue 21 | 35 Tue 28 Apr.
 *
 * The reminder is the START (00:00 London) of its day: 00:00Z in winter, 23:00Z the day before
 * in summer.
 */
const A = '2026-12-23T10:00:00Z';
const B = '2026-04-02T10:00:00+01:00';
const C = '2026-03-07T10:00:00Z';

describe('computeDeadlines with the lgsco-code-2024 preset', () => {
  const policy = loadPolicy('lgsco-code-2024');

  it('has the clocks these examples were counted with', () => {
    expect(policy.complaint.stage1).toMatchObject({
      acknowledge: { workingDays: 5 },
      respond: { workingDays: 10, from: 'acknowledgement' },
      reminderLeadWorkingDays: 2,
      extension: { maxWorkingDays: 10 },
    });
    expect(policy.complaint.stage2).toMatchObject({
      requestWindow: { workingDays: 20 },
      acknowledge: { workingDays: 5 },
      respond: { workingDays: 20, from: 'acknowledgement' },
      reminderLeadWorkingDays: 3,
      extension: { maxWorkingDays: 10 },
    });
    expect(policy.socialCare).toMatchObject({
      acknowledge: { workingDays: 3 },
      defaultResponseWorkingDays: 20,
    });
  });

  // Stage 1: acknowledge day 5; respond 10 after the acknowledgement deadline = day 15;
  // remind 2 before = day 13; extension limit 10 after = day 25.
  it.each([
    [
      A,
      '2027-01-04T23:59:59.000Z',
      '2027-01-18T23:59:59.000Z',
      '2027-01-14T00:00:00.000Z',
      '2027-02-01T23:59:59.000Z',
    ],
    [
      B,
      '2026-04-13T22:59:59.000Z',
      '2026-04-27T22:59:59.000Z',
      '2026-04-22T23:00:00.000Z',
      '2026-05-12T22:59:59.000Z',
    ],
    [
      C,
      '2026-03-13T23:59:59.000Z',
      '2026-03-27T23:59:59.000Z',
      '2026-03-25T00:00:00.000Z',
      '2026-04-14T22:59:59.000Z',
    ],
  ])(
    'gives a stage-1 complaint received %s its four deadlines',
    (receivedAt, acknowledgeBy, respondBy, remindAt, extensionLimit) => {
      expect(computeDeadlines(policy, 'complaint', receivedAt)).toEqual({
        acknowledgeBy,
        respondBy,
        remindAt,
        extensionLimit,
      });
    },
  );

  // Stage 2 asked for on the same dates: acknowledge day 5; respond 20 after that = day 25;
  // remind 3 before = day 22; extension limit 10 after = day 35.
  it.each([
    [
      A,
      '2027-01-04T23:59:59.000Z',
      '2027-02-01T23:59:59.000Z',
      '2027-01-27T00:00:00.000Z',
      '2027-02-15T23:59:59.000Z',
    ],
    [
      B,
      '2026-04-13T22:59:59.000Z',
      '2026-05-12T22:59:59.000Z',
      '2026-05-06T23:00:00.000Z',
      '2026-05-27T22:59:59.000Z',
    ],
    [
      C,
      '2026-03-13T23:59:59.000Z',
      '2026-04-14T22:59:59.000Z',
      '2026-04-08T23:00:00.000Z',
      '2026-04-28T22:59:59.000Z',
    ],
  ])(
    'gives a stage-2 request made %s its four deadlines',
    (requestedAt, acknowledgeBy, respondBy, remindAt, extensionLimit) => {
      expect(
        computeDeadlines(policy, 'complaint', '2026-01-05T10:00:00Z', { stage: 2, requestedAt }),
      ).toEqual({
        acknowledgeBy,
        respondBy,
        remindAt,
        extensionLimit,
      });
    },
  );

  // Stage-2 request window: day 20 after the stage-1 response.
  it.each([
    [A, '2027-01-25T23:59:59.000Z'],
    [B, '2026-05-05T22:59:59.000Z'],
    [C, '2026-04-07T22:59:59.000Z'],
  ])('closes the stage-2 window for a response sent %s on %s', (respondedAt, expected) => {
    expect(stage2RequestDeadline(policy, respondedAt)).toBe(expected);
  });

  // Compliment day 5, comment day 10, representation day 20.
  it.each([
    [A, '2027-01-04T23:59:59.000Z', '2027-01-11T23:59:59.000Z', '2027-01-25T23:59:59.000Z'],
    [B, '2026-04-13T22:59:59.000Z', '2026-04-20T22:59:59.000Z', '2026-05-05T22:59:59.000Z'],
    [C, '2026-03-13T23:59:59.000Z', '2026-03-20T23:59:59.000Z', '2026-04-07T22:59:59.000Z'],
  ])(
    'gives compliments, comments and representations received %s their deadlines',
    (receivedAt, ack, reply, feedback) => {
      expect(computeDeadlines(policy, 'compliment', receivedAt)).toEqual({ acknowledgeBy: ack });
      expect(computeDeadlines(policy, 'comment', receivedAt)).toEqual({ replyBy: reply });
      expect(computeDeadlines(policy, 'representation', receivedAt)).toEqual({ feedbackBy: feedback });
    },
  );

  // Social care: acknowledge day 3, respond day 20, tell if beyond 6 calendar months beginning
  // on the day of receipt (A: 22 June 2027; B: 1 October 2026; C: 6 September 2026 — all in
  // summer time).
  it.each([
    [A, '2026-12-30T23:59:59.000Z', '2027-01-25T23:59:59.000Z', '2027-06-22T22:59:59.000Z'],
    [B, '2026-04-09T22:59:59.000Z', '2026-05-05T22:59:59.000Z', '2026-10-01T22:59:59.000Z'],
    [C, '2026-03-11T23:59:59.000Z', '2026-04-07T22:59:59.000Z', '2026-09-06T22:59:59.000Z'],
  ])(
    'gives a social-care complaint received %s its deadlines',
    (receivedAt, acknowledgeBy, respondBy, tellIfBeyond) => {
      expect(computeDeadlines(policy, 'social-care', receivedAt)).toEqual({
        acknowledgeBy,
        respondBy,
        tellIfBeyond,
      });
    },
  );
});

describe('computeDeadlines with the dorset preset', () => {
  const policy = loadPolicy('dorset');

  it('has the clocks these examples were counted with', () => {
    expect(policy.complaint.stage1).toMatchObject({
      acknowledge: { workingDays: 5 },
      respond: { workingDays: 20, from: 'receipt' },
      reminderLeadWorkingDays: 2,
      extension: { maxWorkingDays: 10 },
    });
  });

  // Dorset Council complaints policy: respond within 20 working days of receipt. Acknowledge day 5; respond day 20;
  // remind day 18; extension limit day 30.
  it.each([
    [
      A,
      '2027-01-04T23:59:59.000Z',
      '2027-01-25T23:59:59.000Z',
      '2027-01-21T00:00:00.000Z',
      '2027-02-08T23:59:59.000Z',
    ],
    [
      B,
      '2026-04-13T22:59:59.000Z',
      '2026-05-05T22:59:59.000Z',
      '2026-04-29T23:00:00.000Z',
      '2026-05-19T22:59:59.000Z',
    ],
    [
      C,
      '2026-03-13T23:59:59.000Z',
      '2026-04-07T22:59:59.000Z',
      '2026-03-31T23:00:00.000Z',
      '2026-04-21T22:59:59.000Z',
    ],
  ])(
    'gives a stage-1 complaint received %s its four deadlines',
    (receivedAt, acknowledgeBy, respondBy, remindAt, extensionLimit) => {
      expect(computeDeadlines(policy, 'complaint', receivedAt)).toEqual({
        acknowledgeBy,
        respondBy,
        remindAt,
        extensionLimit,
      });
    },
  );
});

describe('computeDeadlines with the dudley preset', () => {
  const policy = loadPolicy('dudley');

  it('has the clocks these examples were counted with', () => {
    expect(policy.complaint.stage1).toMatchObject({
      acknowledge: { workingDays: 5 },
      respond: { workingDays: 20, from: 'receipt' },
      reminderLeadWorkingDays: 2,
      extension: { maxWorkingDays: 10 },
    });
    expect(policy.complaint.stage2).toMatchObject({
      acknowledge: { workingDays: 5 },
      respond: { workingDays: 20, from: 'request' },
      reminderLeadWorkingDays: 3,
      extension: { maxWorkingDays: 10 },
    });
  });

  // Dudley MBC Corporate Customer Feedback Procedure, June 2019, stage 1: acknowledge 5, respond 20 from receipt → days 5, 20; remind day 18; limit day 30.
  it.each([
    [
      A,
      '2027-01-04T23:59:59.000Z',
      '2027-01-25T23:59:59.000Z',
      '2027-01-21T00:00:00.000Z',
      '2027-02-08T23:59:59.000Z',
    ],
    [
      B,
      '2026-04-13T22:59:59.000Z',
      '2026-05-05T22:59:59.000Z',
      '2026-04-29T23:00:00.000Z',
      '2026-05-19T22:59:59.000Z',
    ],
    [
      C,
      '2026-03-13T23:59:59.000Z',
      '2026-04-07T22:59:59.000Z',
      '2026-03-31T23:00:00.000Z',
      '2026-04-21T22:59:59.000Z',
    ],
  ])(
    'gives a stage-1 complaint received %s its four deadlines',
    (receivedAt, acknowledgeBy, respondBy, remindAt, extensionLimit) => {
      expect(computeDeadlines(policy, 'complaint', receivedAt)).toEqual({
        acknowledgeBy,
        respondBy,
        remindAt,
        extensionLimit,
      });
    },
  );

  // Stage 2 from the request: acknowledge day 5, respond day 20, remind 3 before = day 17, limit day 30.
  // Day 17: A Wed 20 Jan 2027; B Wed 29 Apr 2026; C Tue 31 Mar 2026.
  it.each([
    [
      A,
      '2027-01-04T23:59:59.000Z',
      '2027-01-25T23:59:59.000Z',
      '2027-01-20T00:00:00.000Z',
      '2027-02-08T23:59:59.000Z',
    ],
    [
      B,
      '2026-04-13T22:59:59.000Z',
      '2026-05-05T22:59:59.000Z',
      '2026-04-28T23:00:00.000Z',
      '2026-05-19T22:59:59.000Z',
    ],
    [
      C,
      '2026-03-13T23:59:59.000Z',
      '2026-04-07T22:59:59.000Z',
      '2026-03-30T23:00:00.000Z',
      '2026-04-21T22:59:59.000Z',
    ],
  ])(
    'gives a stage-2 request made %s its four deadlines',
    (requestedAt, acknowledgeBy, respondBy, remindAt, extensionLimit) => {
      expect(
        computeDeadlines(policy, 'complaint', '2026-01-05T10:00:00Z', { stage: 2, requestedAt }),
      ).toEqual({
        acknowledgeBy,
        respondBy,
        remindAt,
        extensionLimit,
      });
    },
  );
});

describe('computeDeadlines with the south-norfolk preset', () => {
  const policy = loadPolicy('south-norfolk');

  it('has the clocks these examples were counted with', () => {
    expect(policy.complaint.stage1).toMatchObject({
      acknowledge: { workingDays: 5 },
      respond: { workingDays: 15, from: 'receipt' },
      reminderLeadWorkingDays: 2,
      extension: { maxWorkingDays: 10 },
    });
    expect(policy.complaint.stage2).toMatchObject({
      acknowledge: { workingDays: 5 },
      respond: { workingDays: 15, from: 'request' },
      reminderLeadWorkingDays: 3,
      extension: { maxWorkingDays: 10 },
    });
  });

  // South Norfolk Council Complaints Policy: 15 working days from receipt → day 15; acknowledge day 5; remind day 13; limit day 25
  // (the same days as the Code's 5 + 10, by a different route).
  it.each([
    [
      A,
      '2027-01-04T23:59:59.000Z',
      '2027-01-18T23:59:59.000Z',
      '2027-01-14T00:00:00.000Z',
      '2027-02-01T23:59:59.000Z',
    ],
    [
      B,
      '2026-04-13T22:59:59.000Z',
      '2026-04-27T22:59:59.000Z',
      '2026-04-22T23:00:00.000Z',
      '2026-05-12T22:59:59.000Z',
    ],
    [
      C,
      '2026-03-13T23:59:59.000Z',
      '2026-03-27T23:59:59.000Z',
      '2026-03-25T00:00:00.000Z',
      '2026-04-14T22:59:59.000Z',
    ],
  ])(
    'gives a stage-1 complaint received %s its four deadlines',
    (receivedAt, acknowledgeBy, respondBy, remindAt, extensionLimit) => {
      expect(computeDeadlines(policy, 'complaint', receivedAt)).toEqual({
        acknowledgeBy,
        respondBy,
        remindAt,
        extensionLimit,
      });
    },
  );

  // Stage 2: 15 from the request → day 15; remind 3 before = day 12; limit day 25.
  // Day 12: A Wed 13 Jan 2027; B Wed 22 Apr 2026; C Tue 24 Mar 2026.
  it.each([
    [
      A,
      '2027-01-04T23:59:59.000Z',
      '2027-01-18T23:59:59.000Z',
      '2027-01-13T00:00:00.000Z',
      '2027-02-01T23:59:59.000Z',
    ],
    [
      B,
      '2026-04-13T22:59:59.000Z',
      '2026-04-27T22:59:59.000Z',
      '2026-04-21T23:00:00.000Z',
      '2026-05-12T22:59:59.000Z',
    ],
    [
      C,
      '2026-03-13T23:59:59.000Z',
      '2026-03-27T23:59:59.000Z',
      '2026-03-24T00:00:00.000Z',
      '2026-04-14T22:59:59.000Z',
    ],
  ])(
    'gives a stage-2 request made %s its four deadlines',
    (requestedAt, acknowledgeBy, respondBy, remindAt, extensionLimit) => {
      expect(
        computeDeadlines(policy, 'complaint', '2026-01-05T10:00:00Z', { stage: 2, requestedAt }),
      ).toEqual({
        acknowledgeBy,
        respondBy,
        remindAt,
        extensionLimit,
      });
    },
  );
});

describe('computeDeadlines with the unitary-feedback preset', () => {
  const policy = loadPolicy('unitary-feedback');

  it('has the clocks these examples were counted with', () => {
    expect(policy.comment.reply.workingDays).toBe(5);
    expect(policy.compliment.acknowledge.workingDays).toBe(5);
    expect(policy.representation.feedback.workingDays).toBe(20);
    expect(policy.complaint.stage1).toMatchObject({
      acknowledge: { workingDays: 5 },
      respond: { workingDays: 10, from: 'acknowledgement' },
    });
  });

  // The unitary council’s Customer Feedback Procedure: comments answered in 5 working days (day 5); compliments day 5; representations day 20;
  // complaints as the Code (acknowledge day 5, respond day 15).
  it.each([
    [A, '2027-01-04T23:59:59.000Z', '2027-01-25T23:59:59.000Z', '2027-01-18T23:59:59.000Z'],
    [B, '2026-04-13T22:59:59.000Z', '2026-05-05T22:59:59.000Z', '2026-04-27T22:59:59.000Z'],
    [C, '2026-03-13T23:59:59.000Z', '2026-04-07T22:59:59.000Z', '2026-03-27T23:59:59.000Z'],
  ])('gives feedback received %s its deadlines', (receivedAt, fifthDay, twentiethDay, respondBy) => {
    expect(computeDeadlines(policy, 'comment', receivedAt)).toEqual({ replyBy: fifthDay });
    expect(computeDeadlines(policy, 'compliment', receivedAt)).toEqual({ acknowledgeBy: fifthDay });
    expect(computeDeadlines(policy, 'representation', receivedAt)).toEqual({ feedbackBy: twentiethDay });
    expect(computeDeadlines(policy, 'complaint', receivedAt)).toMatchObject({
      acknowledgeBy: fifthDay,
      respondBy,
    });
  });
});

describe('computeDeadlines with the social-care-statutory preset', () => {
  const policy = loadPolicy('social-care-statutory');

  it('has the clocks these examples were counted with', () => {
    expect(policy.complaint.stages).toBe(1);
    expect(policy.complaint.stage1).toMatchObject({
      acknowledge: { workingDays: 3 },
      respond: { workingDays: 20, from: 'receipt' },
      reminderLeadWorkingDays: 2,
      extension: { maxWorkingDays: 105 },
    });
    expect(policy.socialCare).toMatchObject({
      acknowledge: { workingDays: 3 },
      defaultResponseWorkingDays: 20,
      tellIfBeyondMonths: 6,
    });
  });

  // SI 2009/309: acknowledge day 3; respond day 20 (the default agreed period); remind day 18;
  // extension limit 105 working days after the response deadline:
  // A. from Mon 25 Jan 2027: 26–29 Jan (4), then weeks to Fri 18 Jun (100; the weeks of Good Friday
  //    26 Mar, Easter Monday 29 Mar, 3 May and 31 May have 4 days), 21–25 Jun (105) → Fri 25 June 2027.
  // B. from Tue 5 May 2026: 6–8 May (3), weeks to Fri 25 Sep (101; the weeks of 25 May and 31 Aug
  //    have 4 days), 28, 29, 30 Sep, 1 Oct (105) → Thu 1 October 2026.
  // C. from Tue 7 Apr 2026: 8–10 Apr (3), weeks to Fri 28 Aug (101; the weeks of 4 May and 25 May
  //    have 4 days), Mon 31 Aug closed, 1–4 Sep (105) → Fri 4 September 2026.
  it.each([
    [
      A,
      '2026-12-30T23:59:59.000Z',
      '2027-01-25T23:59:59.000Z',
      '2027-01-21T00:00:00.000Z',
      '2027-06-25T22:59:59.000Z',
    ],
    [
      B,
      '2026-04-09T22:59:59.000Z',
      '2026-05-05T22:59:59.000Z',
      '2026-04-29T23:00:00.000Z',
      '2026-10-01T22:59:59.000Z',
    ],
    [
      C,
      '2026-03-11T23:59:59.000Z',
      '2026-04-07T22:59:59.000Z',
      '2026-03-31T23:00:00.000Z',
      '2026-09-04T22:59:59.000Z',
    ],
  ])(
    'gives a complaint received %s its four deadlines',
    (receivedAt, acknowledgeBy, respondBy, remindAt, extensionLimit) => {
      expect(computeDeadlines(policy, 'complaint', receivedAt)).toEqual({
        acknowledgeBy,
        respondBy,
        remindAt,
        extensionLimit,
      });
    },
  );

  // The social-care kind: acknowledge day 3, respond day 20, tell if beyond 6 calendar months
  // beginning on the day of receipt.
  it.each([
    [A, '2026-12-30T23:59:59.000Z', '2027-01-25T23:59:59.000Z', '2027-06-22T22:59:59.000Z'],
    [B, '2026-04-09T22:59:59.000Z', '2026-05-05T22:59:59.000Z', '2026-10-01T22:59:59.000Z'],
    [C, '2026-03-11T23:59:59.000Z', '2026-04-07T22:59:59.000Z', '2026-09-06T22:59:59.000Z'],
  ])(
    'gives a social-care complaint received %s its deadlines',
    (receivedAt, acknowledgeBy, respondBy, tellIfBeyond) => {
      expect(computeDeadlines(policy, 'social-care', receivedAt)).toEqual({
        acknowledgeBy,
        respondBy,
        tellIfBeyond,
      });
    },
  );

  it('has no stage 2', () => {
    expect(() => computeDeadlines(policy, 'complaint', A, { stage: 2, requestedAt: B })).toThrow(
      /one stage only/,
    );
  });
});

describe('computeDeadlines with the spso-model-chp preset', () => {
  const policy = loadPolicy('spso-model-chp');

  it('has the clocks these examples were counted with', () => {
    expect(policy.calendar.nation).toBe('scotland');
    expect(policy.complaint.stage1).toMatchObject({
      acknowledge: { workingDays: 3 },
      respond: { workingDays: 5, from: 'receipt' },
      reminderLeadWorkingDays: 1,
      extension: { maxWorkingDays: 5 },
    });
    expect(policy.complaint.stage2).toMatchObject({
      acknowledge: { workingDays: 3 },
      respond: { workingDays: 20, from: 'request' },
      reminderLeadWorkingDays: 3,
      extension: { maxWorkingDays: 20 },
    });
  });

  // The SPSO Model Complaints Handling Procedure, stage 1: a frontline response in 5 working days
  // (10 with an extension), counted on Scotland's bank holidays:
  // S. from Fri 27 Nov 2026: Mon 30 Nov is St Andrew's Day (a Scottish bank holiday only), so
  //    Tue 1 Dec (1), Thu 3 (3: acknowledge), Fri 4 (remind), Mon 7 (5: respond), Mon 14 Dec (10).
  //    In England the same complaint counts Mon 30 Nov as day 1.
  // T. from Wed 23 Dec 2026: Thu 24 (1); Christmas Day, Boxing Day on Mon 28; Tue 29 (2), Wed 30
  //    (3), Thu 31 (4); New Year's Day and 2nd January on Mon 4 Jan 2027; Tue 5 Jan (5), Tue 12 (10).
  it.each([
    [
      '2026-11-27T10:00:00Z',
      '2026-12-03T23:59:59.000Z',
      '2026-12-07T23:59:59.000Z',
      '2026-12-04T00:00:00.000Z',
      '2026-12-14T23:59:59.000Z',
    ],
    [
      '2026-12-23T10:00:00Z',
      '2026-12-30T23:59:59.000Z',
      '2027-01-05T23:59:59.000Z',
      '2026-12-31T00:00:00.000Z',
      '2027-01-12T23:59:59.000Z',
    ],
  ])(
    'gives a frontline complaint received %s its four deadlines',
    (receivedAt, acknowledgeBy, respondBy, remindAt, extensionLimit) => {
      expect(computeDeadlines(policy, 'complaint', receivedAt)).toEqual({
        acknowledgeBy,
        respondBy,
        remindAt,
        extensionLimit,
      });
    },
  );

  // Stage 2 (investigation), requested Fri 27 Nov 2026: acknowledged by day 3 (Thu 3 Dec); a response
  // by day 20 counted from the request (Wed 30 Dec, Christmas and Boxing Day skipped); reminded at the
  // start of day 17 (Wed 23 Dec); at most day 40 with an extension (Fri 29 Jan 2027).
  it('gives an investigation requested on 27 November 2026 its four deadlines', () => {
    expect(
      computeDeadlines(policy, 'complaint', '2026-01-05T10:00:00Z', {
        stage: 2,
        requestedAt: '2026-11-27T10:00:00Z',
      }),
    ).toEqual({
      acknowledgeBy: '2026-12-03T23:59:59.000Z',
      respondBy: '2026-12-30T23:59:59.000Z',
      remindAt: '2026-12-23T00:00:00.000Z',
      extensionLimit: '2027-01-29T23:59:59.000Z',
    });
  });
});
