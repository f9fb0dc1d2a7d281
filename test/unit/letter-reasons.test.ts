import { describe, expect, it } from 'vitest';
import { reasonsFor } from '../../functions/app/correspondence.js';
import type { CaseNote } from '../../functions/domain/case.js';

const note = (at: string, text: string, forLetter?: string): CaseNote => ({
  at,
  by: 'sam.patel@example.gov.uk',
  text,
  ...(forLetter ? { for: forLetter } : {}),
});

describe('the reasons a decision letter gives', () => {
  it('quotes the latest note written for that letter, never a later note of the officers’ own', () => {
    const notes = [
      note('2026-03-02T10:00:00.000Z', 'Stage 2 refused: No new evidence', 'stage-2-refused'),
      note('2026-03-03T10:00:00.000Z', 'Rang her; she was upset, do not ring again'),
    ];
    expect(reasonsFor(notes, 'stage-2-refused')).toBe('Stage 2 refused: No new evidence');
    expect(reasonsFor(notes, 'pause')).toBeUndefined();
  });

  it('quotes a pause’s reason only when it was written as that pause began', () => {
    const notes = [note('2026-03-02T10:00:00.000Z', 'Mediation with the crew supervisor', 'pause')];
    expect(reasonsFor(notes, 'pause', '2026-03-02T10:00:00.000Z')).toBe('Mediation with the crew supervisor');
    // A later pause without a reason of its own is not given the first one's.
    expect(reasonsFor(notes, 'pause', '2026-04-06T09:00:00.000Z')).toBeUndefined();
  });

  it('reads notes written before they named their letter only by the decision’s own prefix', () => {
    const notes = [
      note('2026-03-02T10:00:00.000Z', 'Refused as out of time: It happened in 2019'),
      note('2026-03-03T10:00:00.000Z', 'Called the resident about the bins'),
    ];
    expect(reasonsFor(notes, 'out-of-time')).toBe('Refused as out of time: It happened in 2019');
    expect(reasonsFor(notes, 'consent-not-given')).toBeUndefined();
    expect(reasonsFor(undefined, 'pause')).toBeUndefined();
  });
});
