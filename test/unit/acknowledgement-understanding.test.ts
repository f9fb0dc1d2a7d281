import { describe, expect, it } from 'vitest';
import { correspondence, renderLetter } from '../../functions/app/correspondence.js';
import { validateTaskForm } from '../../functions/app/task-form-schema.js';
import { formOptions } from '../../functions/app/tasks.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { applyDecision } from '../../functions/domain/decisions.js';
import { tombstoneOf } from '../../functions/domain/legal-hold.js';
import { loadPolicy, PRESET_IDS } from '../../functions/domain/policy.js';
import { UNDERSTANDING } from '../support/acknowledge.js';
import { MemoryMailer } from '../support/memory-mailer.js';
import { openCase } from '../support/open-case.js';

/**
 * The acknowledgement sets out the council's understanding of the complaint and the outcome the
 * resident wants (the Code §5.4: clarify what is unclear; the Housing Ombudsman's Code, which it
 * is aligned with, asks for it at acknowledgement). The officer writes it on the acknowledge
 * form: required where the policy follows the Code, optional where the council's document does
 * not ask for it; the acknowledgement states it under its own heading, in English and Welsh.
 */

/** Where each preset's document puts it (`complaint.understandingAtAcknowledgement`). */
const EXPECTED: Record<string, 'required' | 'optional'> = {
  'lgsco-code-2024': 'required',
  dorset: 'required',
  'south-norfolk': 'required',
  'unitary-feedback': 'required',
  'social-care-statutory': 'required',
  'spso-model-chp': 'required',
  dudley: 'optional',
};

/** The document each preset's `sources` note must name. */
const DOCUMENT: Record<string, RegExp> = {
  'lgsco-code-2024': /the Code §5\.4/,
  dorset: /Dorset Council complaints policy/,
  'south-norfolk': /South Norfolk Council Complaints Policy/,
  'unitary-feedback': /the unitary council’s Customer Feedback Procedure §2\.2/,
  'social-care-statutory': /statutory adult social care complaints procedure 'Understanding the complaint'/,
  'spso-model-chp': /SPSO Model Complaints Handling Procedure/,
  dudley: /Dudley MBC Corporate Customer Feedback Procedure, June 2019/,
};

const ACKNOWLEDGED = '2026-03-03T10:00:00.000Z';

function acknowledged(overrides: Partial<CaseRecord> = {}): CaseRecord {
  return openCase('case-3', {
    status: 'investigating',
    progress: {
      stage1: {
        startedAt: '2026-03-02T09:00:00.000Z',
        acknowledgedAt: ACKNOWLEDGED,
        understanding: UNDERSTANDING,
      },
    },
    ...overrides,
  } as Partial<CaseRecord>);
}

async function acknowledgement(c: CaseRecord, template = 'acknowledgement') {
  const mailer = new MemoryMailer();
  await correspondence(loadPolicy('lgsco-code-2024'), mailer)(c, template, ['ada@example.com'], {
    now: ACKNOWLEDGED,
  });
  const [email] = mailer.sent;
  if (!email) throw new Error('nothing sent');
  return email;
}

describe('the council’s understanding at acknowledgement', () => {
  it.each(PRESET_IDS)('is %s’s to require or not, from its own document', (id) => {
    const policy = loadPolicy(id);

    expect(policy.complaint.understandingAtAcknowledgement).toBe(EXPECTED[id]);
    expect(policy.sources['complaint.understandingAtAcknowledgement']).toMatch(DOCUMENT[id] as RegExp);
  });

  it('is required on the acknowledge form where the policy follows the Code', () => {
    const policy = loadPolicy('lgsco-code-2024');
    const c = openCase('case-3');

    const result = validateTaskForm(
      'acknowledge',
      { decision: 'acknowledge' },
      formOptions(policy, c, 'acknowledge'),
    );

    expect(result).toEqual({
      ok: false,
      errors: {
        understanding: 'Enter our understanding of the complaint and the outcome the resident wants',
      },
    });
  });

  it('is optional where the council’s document does not ask for it (Dudley, June 2019)', () => {
    const policy = loadPolicy('dudley');
    const c = openCase('case-3', { service: undefined });

    const result = validateTaskForm(
      'acknowledge',
      { decision: 'acknowledge' },
      formOptions(policy, c, 'acknowledge'),
    );

    expect(result.ok).toBe(true);
  });

  it('is asked of a social care complaint too, whose form only acknowledges', () => {
    const policy = loadPolicy('social-care-statutory');
    const c = openCase('case-3', { kind: 'social-care', submittedKind: 'complaint' });

    const result = validateTaskForm(
      'acknowledge',
      { decision: 'acknowledge' },
      formOptions(policy, c, 'acknowledge'),
    );

    expect(result.ok).toBe(false);
  });

  it('is kept on the stage acknowledged', () => {
    const policy = loadPolicy('lgsco-code-2024');

    const stage1 = applyDecision('acknowledge', 'acknowledge', {
      policy,
      record: openCase('case-3'),
      values: { understanding: UNDERSTANDING },
      now: ACKNOWLEDGED,
    });
    const stage2 = applyDecision('acknowledge', 'acknowledge', {
      policy,
      record: openCase('case-3', {
        stage: 2,
        progress: {
          stage1: { startedAt: '2026-03-02T09:00:00.000Z', respondedAt: ACKNOWLEDGED },
          stage2: { startedAt: ACKNOWLEDGED },
        },
      }),
      values: { understanding: 'You think we ignored the crew’s own log.' },
      now: ACKNOWLEDGED,
    });

    expect(stage1.set.progress?.stage1.understanding).toBe(UNDERSTANDING);
    expect(stage2.set.progress?.stage2?.understanding).toBe('You think we ignored the crew’s own log.');
  });

  it('is stated under its own heading in the acknowledgement', async () => {
    const email = await acknowledgement(acknowledged());

    expect(email.text).toContain(`OUR UNDERSTANDING OF YOUR COMPLAINT\n\n${UNDERSTANDING}`);
    expect(email.text).toContain('If we have misunderstood anything, reply to this email and tell us.');
    expect(email.html).toContain('<h2>Our understanding of your complaint</h2>');
    expect(email.html).toContain(`<p>${UNDERSTANDING}</p>`);
  });

  it('is stated at stage 2 too, in the stage-2 acknowledgement', async () => {
    const c = acknowledged({
      stage: 2,
      progress: {
        stage1: { startedAt: '2026-03-02T09:00:00.000Z', respondedAt: ACKNOWLEDGED },
        stage2: {
          startedAt: ACKNOWLEDGED,
          acknowledgedAt: ACKNOWLEDGED,
          understanding: 'You think we ignored the log.',
        },
      },
    } as Partial<CaseRecord>);

    const email = await acknowledgement(c);

    expect(email.template).toBe('stage-2-acknowledgement');
    expect(email.text).toContain('OUR UNDERSTANDING OF YOUR COMPLAINT\n\nYou think we ignored the log.');
  });

  it('is stated in Welsh letters under a Welsh heading, the officer’s words marked as English', async () => {
    const email = await acknowledgement(acknowledged({ language: 'cy' }));

    expect(email.text).toContain(`EIN DEALLTWRIAETH O’CH CWYN\n\n${UNDERSTANDING}`);
    expect(email.html).toContain('<h2>Ein dealltwriaeth o’ch cwyn</h2>');
    expect(email.html).toContain(`<p lang="en">${UNDERSTANDING}</p>`);
  });

  it('adds no heading when the officer gave none (an acknowledgement sent automatically)', async () => {
    const c = acknowledged({
      progress: { stage1: { startedAt: '2026-03-02T09:00:00.000Z', acknowledgedAt: ACKNOWLEDGED } },
    });

    const email = await acknowledgement(c);

    expect(email.text).not.toContain('OUR UNDERSTANDING');
  });

  it('is printed under its heading in the posted letter', async () => {
    const letter = await renderLetter(
      loadPolicy('lgsco-code-2024'),
      acknowledged(),
      'acknowledgement',
      { now: ACKNOWLEDGED },
      new Date(ACKNOWLEDGED),
    );

    expect(letter.text).toContain(`OUR UNDERSTANDING OF YOUR COMPLAINT\n\n${UNDERSTANDING}`);
    expect(letter.text).toContain('If we have misunderstood anything, contact us and tell us.');
  });

  it('goes with the rest of the officers’ words when the case is erased', () => {
    const erased = tombstoneOf(acknowledged({ status: 'closed' }), {
      at: '2026-06-01T10:00:00.000Z',
      by: 'dpo@example.gov.uk',
      ground: 'objection',
    });

    expect(JSON.stringify(erased)).not.toContain(UNDERSTANDING);
  });
});
