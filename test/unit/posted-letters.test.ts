import { describe, expect, it } from 'vitest';
import { effectKey, effectSlot, type StepContext } from '../../functions/app/effects.js';
import { addressedTo, letterEntry } from '../../functions/app/posted-letters.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { openCase } from '../support/open-case.js';

const EXECUTION = 'arn:aws:states:eu-west-2:000000000000:execution:complaint:case-1';
const STATE = 'Await the response: holding';
const FIRST = '2026-03-12T00:00:00.000Z';
const entry = (enteredAt: string): StepContext => ({ execution: EXECUTION, state: STATE, enteredAt });
const byPost = openCase('case-1', { status: 'investigating' });
const c: CaseRecord = {
  ...byPost,
  complainant: { name: 'Grace Hopper', address: '12 Mill Lane\nExampletown\nEX1 2AB' },
};

/** The case with a holding letter written by the first entry, promising `promised`, not yet sent to print. */
function written(promised: string): CaseRecord {
  return {
    ...c,
    lettersToPost: [{ letter: 'holding-letter-first', title: 'Our response may be late', writtenAt: FIRST }],
    effects: {
      [effectSlot(entry(FIRST))]: {
        key: effectKey(entry(FIRST)),
        status: 'done',
        at: FIRST,
        entered: FIRST,
        result: {
          letter: 'holding-letter-first',
          letterOf: FIRST,
          to: addressedTo(c),
          dates: { quoted: '2026-03-16T23:59:59.000Z', promised, deadline: '2026-03-16T23:59:59.000Z' },
        },
      },
    },
  };
}

describe('letterEntry, for a letter whose date ran out while it waited to go to print', () => {
  const later = entry('2026-03-19T00:04:00.000Z');

  it('sends the letter an earlier entry wrote when its date still stands', () => {
    const found = letterEntry(written('2026-03-23T23:59:59.000Z'), later, () => false);

    expect(found).toEqual({ step: { ...later, enteredAt: FIRST, entry: later.enteredAt } });
  });

  it('writes it again, in place of the first, when a letter about its date would already be due', () => {
    const outrun: string[] = [];
    const found = letterEntry(written('2026-03-23T23:59:59.000Z'), later, (promised) => {
      outrun.push(promised);
      return true;
    });

    expect(outrun).toEqual(['2026-03-23T23:59:59.000Z']);
    expect(found).toMatchObject({ superseded: 'holding-letter-first', because: 'date' });
    expect(found.step.enteredAt).not.toBe(FIRST);
  });

  it('finds the letter written again, and why, when the attempt that wrote it failed and is tried again', () => {
    // The rewrite was started (its PDF maybe stored) and the table went down before it was recorded.
    const first = letterEntry(written('2026-03-23T23:59:59.000Z'), later, () => true);
    const started: CaseRecord = {
      ...written('2026-03-23T23:59:59.000Z'),
      effects: {
        [effectSlot(later)]: {
          key: effectKey(first.step),
          status: 'started',
          at: later.enteredAt,
          entered: later.enteredAt,
        },
      },
    };

    const again = letterEntry(started, entry('2026-03-19T01:30:00.000Z'), () => false);

    expect(again).toMatchObject({ superseded: 'holding-letter-first', because: 'date' });
    expect(effectKey(again.step)).toBe(effectKey(first.step));
  });
});
