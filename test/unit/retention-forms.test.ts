import { describe, expect, it } from 'vitest';
import { readErasureForm, readHoldForm } from '../../functions/app/retention-actions.js';
import { erasureRefusal, tombstoneOf } from '../../functions/domain/legal-hold.js';
import { ValidationError } from '../../functions/http/errors.js';
import { reportCases } from '../support/report-cases.js';

function fieldsOf(run: () => unknown): Record<string, string> {
  try {
    run();
  } catch (error: unknown) {
    if (error instanceof ValidationError) return error.fields;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('the legal hold form', () => {
  it('takes a reason, a note and a review date in the future', () => {
    expect(
      readHoldForm(
        {
          holdReason: 'ombudsman',
          holdNote: ' LGSCO 26 001 234 ',
          'holdReview-day': '1',
          'holdReview-month': 'July',
          'holdReview-year': '2027',
        },
        '2026-12-02',
      ),
    ).toEqual({ reason: 'ombudsman', note: 'LGSCO 26 001 234', reviewBy: '2027-07-01' });
  });

  it('refuses a missing or unknown reason, a date that is not real, and one in the past', () => {
    expect(fieldsOf(() => readHoldForm({}, '2026-12-02'))).toEqual({
      holdReason: 'Select why the case is held',
    });
    expect(fieldsOf(() => readHoldForm({ holdReason: 'because' }, '2026-12-02'))).toHaveProperty(
      'holdReason',
    );
    expect(
      fieldsOf(() =>
        readHoldForm(
          {
            holdReason: 'litigation',
            'holdReview-day': '31',
            'holdReview-month': '2',
            'holdReview-year': '2027',
          },
          '2026-12-02',
        ),
      ),
    ).toEqual({ holdReview: 'The review date must be a real date, like 1 4 2026' });
    expect(
      fieldsOf(() =>
        readHoldForm(
          {
            holdReason: 'litigation',
            'holdReview-day': '1',
            'holdReview-month': '1',
            'holdReview-year': '2026',
          },
          '2026-12-02',
        ),
      ),
    ).toEqual({ holdReview: 'The review date must be in the future' });
    expect(
      fieldsOf(() => readHoldForm({ holdReason: 'other', holdNote: 'x'.repeat(501) }, '2026-12-02')),
    ).toHaveProperty('holdNote');
  });

  it('refuses a note with a hidden control character, as every note staff write is', () => {
    expect(
      fieldsOf(() => readHoldForm({ holdReason: 'other', holdNote: 'Held \u0000for court' }, '2026-12-02')),
    ).toEqual({
      holdNote:
        'The note must not include hidden control or text-direction characters: type it again rather than pasting it',
    });
  });
});

describe('the erasure form', () => {
  it('takes an Article 17(1) ground and the confirmation', () => {
    expect(readErasureForm({ erasureGround: 'consent-withdrawn', erasureConfirm: 'yes' })).toEqual({
      ground: 'consent-withdrawn',
    });
  });

  it('refuses a ground outside Article 17(1), and an unconfirmed erasure', () => {
    expect(
      fieldsOf(() => readErasureForm({ erasureGround: 'tidy-up', erasureConfirm: 'yes' })),
    ).toHaveProperty('erasureGround');
    expect(fieldsOf(() => readErasureForm({ erasureGround: 'objection' }))).toHaveProperty('erasureConfirm');
  });
});

describe('the tombstone of an erased case', () => {
  it('keeps what the reports count and none of the resident’s data or free text', () => {
    // Prepare
    const c = reportCases().find((r) => r.status === 'closed' && r.progress.stage1.response?.lessons);
    if (!c) throw new Error('the seeded year has a closed case with lessons');
    const erasure = {
      at: '2026-04-01T09:00:00.000Z',
      by: 'dpo@council.example',
      ground: 'objection' as const,
    };

    // Act
    const t = tombstoneOf(
      { ...c, notes: [{ at: c.receivedAt, by: 'o@council.example', text: 'Called Ada' }] },
      erasure,
    );

    // Assess
    expect(t).toMatchObject({
      caseId: c.caseId,
      reference: c.reference,
      kind: c.kind,
      service: c.service,
      stage: c.stage,
      status: 'closed',
      receivedAt: c.receivedAt,
      complainant: {},
      summary: '',
      erasure,
    });
    expect(t.progress.stage1.response).toMatchObject({ reasons: '', lessons: '(erased)' });
    expect(t.closedAt).toBe(c.closedAt);
    expect(t.notes).toBeUndefined();
    expect(t.onBehalfOf).toBeUndefined();
    expect(JSON.stringify(t)).not.toContain(c.progress.stage1.response?.lessons ?? 'none');
  });

  it('is refused for a held case, an open case and an erased one', () => {
    expect(erasureRefusal({ status: 'closed' })).toBeUndefined();
    expect(erasureRefusal({ status: 'investigating' })).toMatch(/closed case/);
    expect(
      erasureRefusal({
        status: 'closed',
        legalHold: { at: '2026-01-01T00:00:00Z', by: 'x', reason: 'litigation' },
      }),
    ).toMatch(/legal hold/);
    expect(
      erasureRefusal({
        status: 'closed',
        erasure: { at: '2026-01-01T00:00:00Z', by: 'x', ground: 'objection' },
      }),
    ).toMatch(/already/);
  });
});
