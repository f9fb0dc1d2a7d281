import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../functions/domain/case.js';
import {
  addMonths,
  complainantDesignated,
  defaultDesignation,
  restrictionKey,
  restrictionText,
} from '../../functions/domain/designation.js';
import { canAcceptLateStage2, canDesignate, canReopen } from '../../functions/domain/staff.js';
import { workListChanges, workListEntries } from '../../functions/domain/work-lists.js';
import { sampleCase } from './web/sample-data.js';

const designated = (extra: Partial<NonNullable<CaseRecord['designation']>> = {}): CaseRecord => ({
  ...sampleCase,
  vexatious: true,
  designation: {
    at: '2026-03-02T10:00:00.000Z',
    by: 'nominated@example.gov.uk',
    reason: 'Repeated contact',
    restrictions: [],
    reviewBy: '2026-09-02',
    ...extra,
  },
});

describe('designations', () => {
  it('adds calendar months, ending on the month’s last day when it has no such day', () => {
    expect(addMonths('2026-03-02', 6)).toBe('2026-09-02');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
  });

  it('gives an emailed decision the standing restriction and a review six months on', () => {
    expect(defaultDesignation('2026-03-31T23:30:00.000Z', 'no@example.gov.uk', 'Persistent')).toEqual({
      at: '2026-03-31T23:30:00.000Z',
      by: 'no@example.gov.uk',
      reason: 'Persistent',
      restrictions: ['no-further-correspondence'],
      // 23:30 UTC on 31 March is 1 April in London.
      reviewBy: '2026-10-01',
    });
  });

  it('words a stored restriction key in English or Welsh', () => {
    expect(restrictionText('written-only')).toBe(
      'Please contact us in writing (by letter or email) rather than by phone.',
    );
    expect(restrictionText('written-only', 'cy')).toBe(
      'Cysylltwch â ni yn ysgrifenedig (drwy lythyr neu e-bost) yn hytrach na dros y ffôn.',
    );
    expect(restrictionText('no-further-correspondence', 'cy')).toBe(
      'Ni fyddwn yn gohebu ymhellach â chi am y mater hwn.',
    );
  });

  it('reads a designation stored before keys: a known English sentence maps to its key, other text is shown as it is', () => {
    const old = 'We will not enter into any further correspondence with you about this matter.';

    expect(restrictionKey(old)).toBe('no-further-correspondence');
    expect(restrictionText(old, 'cy')).toBe('Ni fyddwn yn gohebu ymhellach â chi am y mater hwn.');
    expect(restrictionText(old)).toBe(old);
    expect(restrictionKey('Write to one named officer')).toBeUndefined();
    expect(restrictionText('Write to one named officer', 'cy')).toBe('Write to one named officer');
    expect(restrictionKey('constructor')).toBeUndefined();
  });

  it('counts a standing designation, not a lifted one, nor a case that only carried the flag as a copy', () => {
    const copied: CaseRecord = {
      ...sampleCase,
      vexatious: true,
      triage: { ...sampleCase.triage, route: 'nominated-officer' },
    };
    const legacy: CaseRecord = { ...sampleCase, vexatious: true };
    expect(complainantDesignated([designated()])).toBe(true);
    expect(complainantDesignated([designated({ liftedAt: '2026-09-01T10:00:00.000Z' }), copied])).toBe(false);
    expect(complainantDesignated([legacy])).toBe(true);
    expect(complainantDesignated([sampleCase])).toBe(false);
  });

  it('lets only the nominated officer designate, the complaints team accept late requests, and not officers reopen', () => {
    expect(canDesignate({ roles: ['nominated-officer'] })).toBe(true);
    expect(canDesignate({ roles: ['complaints-team', 'director'] })).toBe(false);
    expect(canAcceptLateStage2({ roles: ['complaints-team'] })).toBe(true);
    expect(canAcceptLateStage2({ roles: ['officer', 'director'] })).toBe(false);
    expect(canReopen({ roles: ['director'] })).toBe(true);
    expect(canReopen({ roles: ['officer', 'nominated-officer'] })).toBe(false);
  });
});

describe('work lists', () => {
  it('puts each letter to post and a standing designation on its list, keyed by date and case only', () => {
    const c: CaseRecord = {
      ...designated(),
      lettersToPost: [
        {
          letter: 'receipt-abc',
          title: 'We have received your complaint',
          writtenAt: '2026-03-02T09:00:00.000Z',
        },
      ],
    };
    expect(workListEntries(c).map((e) => [e.list, e.sort])).toEqual([
      ['post', `2026-03-02T09:00:00.000Z#${c.caseId}#receipt-abc`],
      ['review', `2026-09-02#${c.caseId}`],
    ]);
    expect(workListEntries(designated({ liftedAt: '2026-09-01T10:00:00.000Z' }))).toEqual([]);
  });

  it('adds and removes only the entries that changed', () => {
    const before: CaseRecord = {
      ...sampleCase,
      lettersToPost: [{ letter: 'a', title: 'A', writtenAt: '2026-03-02T09:00:00.000Z' }],
    };
    const after: CaseRecord = {
      ...before,
      lettersToPost: [{ letter: 'b', title: 'B', writtenAt: '2026-03-03T09:00:00.000Z' }],
    };
    const { added, removed } = workListChanges(before, after);
    expect(added.map((e) => e.letter)).toEqual(['b']);
    expect(removed.map((e) => e.letter)).toEqual(['a']);
    expect(workListChanges(after, after)).toEqual({ added: [], removed: [] });
  });
});
