import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../functions/domain/case.js';
import { deriveDeadlines, readClock } from '../../functions/domain/case-clock.js';
import { openCase } from '../support/open-case.js';
import { makePolicy } from '../support/policy-fixture.js';

const RECEIVED = '2026-01-05T09:00:00.000Z';

/** A complaint at stage 2: asked for on Monday 2 February 2026, acknowledged on Tuesday 3 February. */
function atStage2(): CaseRecord {
  return openCase('case-1', {
    status: 'investigating',
    stage: 2,
    receivedAt: RECEIVED,
    createdAt: RECEIVED,
    updatedAt: RECEIVED,
    deadlines: {},
    progress: {
      stage1: {
        startedAt: RECEIVED,
        acknowledgedAt: '2026-01-06T09:00:00.000Z',
        respondedAt: '2026-01-16T09:00:00.000Z',
      },
      stage2: { startedAt: '2026-02-02T09:00:00.000Z', acknowledgedAt: '2026-02-03T09:00:00.000Z' },
    },
  });
}

// Stage 2 response: 20 working days after Tuesday 3 February 2026 = Tuesday 3 March; three
// working days before it is Thursday 26 February.
describe("readClock for a stage-2 response: the reminder follows stage 2's own lead", () => {
  it('reminds the reviewer when stage 2 has a lead, even where stage 1 has none', () => {
    const policy = makePolicy({
      complaint: { stage1: { reminderLeadWorkingDays: 0 }, stage2: { reminderLeadWorkingDays: 3 } },
    });
    const c = atStage2();

    expect(deriveDeadlines(policy, c).stage2RemindAt).toBe('2026-02-26T00:00:00.000Z');
    expect(readClock(policy, c, 'respond', new Date('2026-02-26T09:00:00Z')).due).toBe('remind');
  });

  it('does not remind the reviewer when stage 2 has no lead, whatever stage 1 has', () => {
    const policy = makePolicy({
      complaint: { stage1: { reminderLeadWorkingDays: 2 }, stage2: { reminderLeadWorkingDays: 0 } },
    });

    expect(readClock(policy, atStage2(), 'respond', new Date('2026-03-03T09:00:00Z')).due).toBe('none');
  });
});
