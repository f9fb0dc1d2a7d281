import { describe, expect, it } from 'vitest';
import { taskFormSchema, validateTaskForm } from '../../functions/app/task-form-schema.js';
import { effectiveDecisions, TASK_FORMS } from '../../functions/app/task-forms.js';
import { formOptions } from '../../functions/app/tasks.js';
import { deriveDeadlines, plusWorkingDays } from '../../functions/domain/case-clock.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { formDecisionsOf, TASK_NAMES } from '../../functions/domain/workflow-names.js';
import { translateFieldErrors } from '../../functions/web/i18n.js';
import { openCase } from '../support/open-case.js';

describe('TASK_FORMS', () => {
  it.each(TASK_NAMES)('gives every field of the %s form its own name', (name) => {
    const form = TASK_FORMS[name];
    const names = [
      ...form.decisions.flatMap((d) => d.fields.map((f) => f.name)),
      ...form.fields.map((f) => f.name),
    ];
    // A shared name would be posted twice (hidden reveals are still submitted); `plan` may repeat
    // only as the same field definition offered by two decisions.
    const distinctDefinitions = new Map<string, unknown>();
    for (const field of [...form.decisions.flatMap((d) => d.fields), ...form.fields]) {
      const seen = distinctDefinitions.get(field.name);
      expect(seen === undefined || seen === field).toBe(true);
      distinctDefinitions.set(field.name, field);
    }
    expect(names.every((n) => n !== 'decision' && n !== 'csrf')).toBe(true);
  });

  it('uses the field names of the HTTP contract', () => {
    const all = new Set(
      TASK_NAMES.flatMap((n) => [
        ...TASK_FORMS[n].decisions.flatMap((d) => d.fields.map((f) => f.name)),
        ...TASK_FORMS[n].fields.map((f) => f.name),
      ]),
    );

    for (const name of [
      'outcome',
      'response',
      'remedy',
      'actions',
      'lessons',
      'extendDays',
      'reason',
      'reassignTo',
    ]) {
      expect(all.has(name)).toBe(true);
    }
    for (const name of ['redirect', 'plan', 'agreedWorkingDays']) expect(all.has(name)).toBe(true);
  });

  it.each(TASK_NAMES)('offers exactly the decisions the %s task can take', (name) => {
    const offered = TASK_FORMS[name].decisions.map((d) => d.value);

    expect([...offered].sort()).toEqual([...formDecisionsOf(name)].sort());
    expect(new Set(offered).size).toBe(offered.length);
  });

  it.each(TASK_NAMES)('names the %s form after its task', (name) => {
    expect(TASK_FORMS[name].name).toBe(name);
  });

  it('offers the acknowledge decisions of the HTTP contract', () => {
    expect(TASK_FORMS.acknowledge.decisions.map((d) => d.value)).toEqual([
      'acknowledge',
      'resolve',
      'reassign',
      'not-a-complaint',
      'refer-vexatious',
      'refuse-out-of-time',
    ]);
  });
});

describe('validateTaskForm', () => {
  it('asks for a decision when none is chosen', () => {
    const result = validateTaskForm('acknowledge', { csrf: 'x' });

    expect(result).toEqual({ ok: false, errors: { decision: 'Select what you want to do' } });
  });

  it('rejects a decision the form does not offer', () => {
    const result = validateTaskForm('respond', { decision: 'extend' }, { allowed: ['respond', 'pause'] });

    expect(result.ok).toBe(false);
  });

  it('gives the resident’s request for a review its errors in Welsh too', () => {
    for (const response of ['x'.repeat(5001), ['not', 'text']]) {
      const result = validateTaskForm('stage-2-request', { decision: 'request', response });
      expect(result.ok).toBe(false);
      const errors = result.ok ? {} : result.errors;
      const welsh = translateFieldErrors(errors, 'cy') ?? {};
      expect(welsh.response, String(errors.response)).toBeDefined();
      expect(welsh.response).not.toBe(errors.response);
    }
  });

  it('asks for the outcome and reasons of a response', () => {
    const result = validateTaskForm('respond', { decision: 'respond', outcome: '', response: '  ' });

    expect(result).toEqual({
      ok: false,
      errors: {
        outcome: 'Select upheld, partially upheld or not upheld',
        response: 'Enter the reasons for your decision',
      },
    });
  });

  it('returns the chosen decision with trimmed values and leaves out empty optional fields', () => {
    const result = validateTaskForm('respond', {
      decision: 'respond',
      outcome: 'partially-upheld',
      response: '  We found a fault. ',
      remedy: '',
      extendDays: '99',
      csrf: 'x',
    });

    expect(result).toEqual({
      ok: true,
      submission: {
        decision: 'respond',
        values: { outcome: 'partially-upheld', response: 'We found a fault.' },
      },
    });
  });

  it('reads only the chosen decision’s fields', () => {
    const result = validateTaskForm('respond', {
      decision: 'extend',
      extendDays: '5',
      reason: 'Waiting for a report',
      outcome: 'nonsense',
    });

    expect(result).toEqual({
      ok: true,
      submission: { decision: 'extend', values: { extendDays: 5, reason: 'Waiting for a report' } },
    });
  });

  it('rejects an extension beyond the cap given for the case', () => {
    const result = validateTaskForm(
      'respond',
      { decision: 'extend', extendDays: '8', reason: 'r' },
      { max: { extendDays: 6 } },
    );

    expect(result).toEqual({
      ok: false,
      errors: { extendDays: 'The number of working days must be between 1 and 6' },
    });
  });

  it('rejects a number that is not whole', () => {
    const result = validateTaskForm('social-care-plan', { plan: 'p', agreedWorkingDays: '2.5' });

    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.agreedWorkingDays).toMatch(/whole number/);
  });

  it('takes the only decision of a one-decision form when none is sent', () => {
    const result = validateTaskForm('social-care-plan', { plan: 'Meet on Monday', agreedWorkingDays: '25' });

    expect(result).toEqual({
      ok: true,
      submission: { decision: 'agree-plan', values: { plan: 'Meet on Monday', agreedWorkingDays: 25 } },
    });
  });

  it('needs the resident’s agreement ticked to pause', () => {
    const without = validateTaskForm('respond', { decision: 'pause' });
    const withIt = validateTaskForm('respond', { decision: 'pause', residentAgreed: 'yes' });

    expect(without).toEqual({
      ok: false,
      errors: { residentAgreed: 'Confirm the resident has agreed to pause the complaint' },
    });
    expect(withIt).toEqual({ ok: true, submission: { decision: 'pause', values: { residentAgreed: true } } });
  });

  it('checks the email address a case is reassigned to', () => {
    const result = validateTaskForm('acknowledge', { decision: 'reassign', reassignTo: 'not an email' });

    expect(result).toEqual({
      ok: false,
      errors: { reassignTo: 'Enter an email address in the correct format, like name@example.com' },
    });
  });

  it('requires the shared reasons whatever the vexatious decision', () => {
    const result = validateTaskForm('vexatious-decision', { decision: 'do-not-designate' });

    expect(result).toEqual({ ok: false, errors: { reason: 'Enter the reasons' } });
  });

  it('refuses an officer’s reply with a text-direction override, which would make a letter read other than it is', () => {
    // U+202E reverses what follows it on screen and in the PDF: "no fault" would print reversed,
    // and the letter would not say what was stored.
    const result = validateTaskForm('respond', {
      decision: 'respond',
      outcome: 'not-upheld',
      response: 'We found \u202Etluaf on\u202C in how your bins were collected.',
    });

    expect(result).toEqual({
      ok: false,
      errors: {
        response:
          'The reasons for your decision must not include hidden control or text-direction characters: type it again rather than pasting it',
      },
    });
  });

  it('takes a tab pasted into a one-line field as a space', () => {
    const result = validateTaskForm('compliment-pass-on', {
      decision: 'passed-on',
      staffNamed: 'Ada\t\tLovelace',
    });

    expect(result).toMatchObject({ ok: true, submission: { values: { staffNamed: 'Ada Lovelace' } } });
  });

  it('refuses a control character in a one-line field, and a line break there, but keeps line breaks in a reply', () => {
    const oneLine = validateTaskForm('compliment-pass-on', {
      decision: 'passed-on',
      staffNamed: 'Ada\nLovelace',
    });
    const email = validateTaskForm('acknowledge', {
      decision: 'reassign',
      reassignTo: 'waste\u0007@example.gov.uk',
    });
    const reply = validateTaskForm('comment-reply', { response: 'Thank you.\r\n\r\nWe will pass it on.' });

    expect(oneLine.ok ? {} : oneLine.errors).toEqual({
      staffNamed:
        'Staff named in the compliment must not include hidden control or text-direction characters: type it again rather than pasting it',
    });
    expect(email.ok).toBe(false);
    expect(email.ok ? {} : email.errors.reassignTo).toMatch(/must not include hidden control/);
    expect(reply).toEqual({
      ok: true,
      submission: { decision: 'reply', values: { response: 'Thank you.\r\n\r\nWe will pass it on.' } },
    });
  });

  it('treats a reply of only zero-width characters as empty, not as a letter with nothing in it', () => {
    const result = validateTaskForm('comment-reply', { response: '\u200B\u200B\uFEFF' });

    expect(result).toEqual({
      ok: false,
      errors: { response: 'Your reply to the resident looks empty: it has only invisible characters' },
    });
  });

  it.each([
    ['left-to-right and right-to-left marks', '\u200E\u200F\u200E'],
    ['an Arabic letter mark', '\u061C'],
    ['a combining grapheme joiner and variation selectors', '\u034F\uFE0F\uFE0E'],
    ['invisible tag characters', '\u{E0020}\u{E0041}\u{E007F}'],
  ])('treats a reply of only %s as empty: the letter would say nothing', (_what, response) => {
    // Marks that show nothing, as zero-width spaces show nothing; kept beside visible text
    // (an Arabic or Hebrew name needs them), but no reply to send on their own.
    const result = validateTaskForm('comment-reply', { response });

    expect(result).toEqual({
      ok: false,
      errors: { response: 'Your reply to the resident looks empty: it has only invisible characters' },
    });
  });

  it('keeps direction marks and emoji sequences beside text: they are how some people write', () => {
    const response =
      'شكرا \u200Fعلى\u200E reply 👨\u200D👩\u200D👧 🏴\u{E0067}\u{E0062}\u{E0077}\u{E006C}\u{E0073}\u{E007F}';

    expect(validateTaskForm('comment-reply', { response })).toEqual({
      ok: true,
      submission: { decision: 'reply', values: { response } },
    });
  });

  it('refuses hidden characters in the resident’s request for a review, in Welsh too, as the complaint form does', () => {
    const result = validateTaskForm('stage-2-request', {
      decision: 'request',
      response: 'You did not \u2066read\u2069 my emails.',
    });

    expect(result.ok).toBe(false);
    const errors = result.ok ? {} : result.errors;
    expect(errors.response).toMatch(/must not include hidden control or text-direction characters/);
    expect(translateFieldErrors(errors, 'cy')?.response).toMatch(
      /^Rhaid .* beidio â chynnwys nodau rheoli cudd/,
    );
  });

  it('gives every field labelled with a question, other than a choice, a name its messages can use', () => {
    const fields = Object.values(TASK_FORMS).flatMap((form) => [
      ...form.fields,
      ...form.decisions.flatMap((d) => d.fields),
    ]);
    const questions = fields.filter(
      (f) => f.label.endsWith('?') && f.type !== 'radios' && f.type !== 'checkbox',
    );

    expect(questions.length).toBeGreaterThan(0);
    expect(questions.filter((f) => f.errorName === undefined).map((f) => f.name)).toEqual([]);
  });

  it('names a field whose label is a question in a sentence its messages can use', () => {
    // "Where should the resident go instead? must not include…" is not a sentence.
    const result = validateTaskForm('acknowledge', {
      decision: 'not-a-complaint',
      redirect: 'Report it at \u202Ekuvog.elpmaxe\u202C',
    });

    expect(result).toEqual({
      ok: false,
      errors: {
        redirect:
          'Where the resident should go instead must not include hidden control or text-direction characters: type it again rather than pasting it',
      },
    });
  });

  it('rejects a field sent as something other than text', () => {
    const result = validateTaskForm('comment-reply', { response: ['a', 'b'] });

    expect(result).toEqual({ ok: false, errors: { response: 'Your reply to the resident must be text' } });
  });
});

describe('taskFormSchema', () => {
  it.each(TASK_NAMES)('asks for each required field of every %s decision in the form’s own words', (name) => {
    const form = TASK_FORMS[name];
    // As the form is offered with no per-case options (a radios field with no options is not asked).
    for (const decision of effectiveDecisions(name)) {
      const required = [...decision.fields, ...form.fields].filter((f) => f.required);

      const result = validateTaskForm(name, { decision: decision.value });

      expect(result).toEqual(
        required.length === 0
          ? { ok: true, submission: { decision: decision.value, values: {} } }
          : {
              ok: false,
              errors: Object.fromEntries(
                required.map((f) => [f.name, f.requiredMessage ?? `Enter ${f.label.toLowerCase()}`]),
              ),
            },
      );
    }
  });

  it('rejects text longer than the field allows', () => {
    const result = validateTaskForm('comment-reply', { response: 'x'.repeat(5001) });

    expect(result).toEqual({
      ok: false,
      errors: { response: 'Your reply to the resident must be 5000 characters or fewer' },
    });
  });

  it('counts the length of an answer without the spaces around it', () => {
    const result = validateTaskForm('comment-reply', { response: ` ${'x'.repeat(5000)} ` });

    expect(result.ok).toBe(true);
  });

  it('rejects an outcome that is not one of the radios', () => {
    const result = validateTaskForm('respond', { decision: 'respond', outcome: 'sort-of', response: 'r' });

    expect(result).toEqual({
      ok: false,
      errors: { outcome: 'Select upheld, partially upheld or not upheld' },
    });
  });

  it('rejects a checkbox sent with a value the box does not send', () => {
    const result = validateTaskForm('respond', { decision: 'pause', residentAgreed: 'no' });

    expect(result).toEqual({
      ok: false,
      errors: { residentAgreed: 'Confirm the resident has agreed to pause the complaint' },
    });
  });

  it.each([
    ['0', 'The number of working days must be between 1 and 20'],
    ['-1', 'The number of working days must be a whole number, like 5'],
    ['1e1', 'The number of working days must be a whole number, like 5'],
  ])('rejects %s working days of extension', (days, message) => {
    const result = validateTaskForm('respond', { decision: 'extend', extendDays: days, reason: 'r' });

    expect(result).toEqual({ ok: false, errors: { extendDays: message } });
  });

  it('rejects a decision that belongs to another task', () => {
    const result = validateTaskForm('respond', { decision: 'designate', reason: 'r' });

    expect(result).toEqual({ ok: false, errors: { decision: 'Select what you want to do' } });
  });

  it('accepts the decision that records a conversation without finishing the task', () => {
    const result = validateTaskForm('respond', { decision: 'record-contact', contactNote: ' Rang Ada ' });

    expect(result).toEqual({
      ok: true,
      submission: { decision: 'record-contact', values: { contactNote: 'Rang Ada' } },
    });
  });

  it('rejects an email address longer than the field allows', () => {
    const result = validateTaskForm('respond', {
      decision: 'reassign',
      reassignTo: `${'a'.repeat(250)}@example.gov.uk`,
    });

    expect(result).toEqual({
      ok: false,
      errors: { reassignTo: 'Email address of the team or officer must be 254 characters or fewer' },
    });
  });

  it('takes a one-decision form with nothing to fill in as its decision', () => {
    expect(taskFormSchema('resume').parse({ csrf: 'x' })).toEqual({ decision: 'resume', values: {} });
  });
});

describe('effectiveDecisions', () => {
  it('applies the bound of a number field without changing the shared definitions', () => {
    const decisions = effectiveDecisions('respond', { max: { extendDays: 3 } });

    expect(
      decisions.find((d) => d.value === 'extend')?.fields.find((f) => f.name === 'extendDays')?.max,
    ).toBe(3);
    expect(TASK_FORMS.respond.decisions[1]?.fields[0]?.max).toBe(20);
  });
});

describe('the response form after a holding letter', () => {
  it('takes no extension the cap leaves too few days for to reach the date the resident was given', () => {
    // Prepare: a cap of 4 working days; a holding letter put the deadline off by 5.
    const policy = loadPolicy('lgsco-code-2024');
    policy.complaint.stage1.extension.maxWorkingDays = 4;
    const acknowledged = openCase('case-1', {
      status: 'investigating',
      progress: {
        stage1: { startedAt: '2026-03-02T09:00:00.000Z', acknowledgedAt: '2026-03-03T10:00:00.000Z' },
      },
    });
    const respondBy = deriveDeadlines(policy, acknowledged).respondBy as string;
    const told = openCase('case-1', {
      ...acknowledged,
      progress: {
        stage1: {
          ...acknowledged.progress.stage1,
          holdingLetterFor: respondBy,
          holdingLetterPromised: plusWorkingDays(policy, respondBy, 5),
        },
      },
    });

    // Act
    const options = formOptions(policy, told, 'respond');

    // Assess: the same form the page shows, so a posted extension is refused as one not offered.
    expect(options.allowed).toBeDefined();
    expect(options.allowed).not.toContain('extend');
    expect(options.allowed).toContain('respond');
    expect(formOptions(policy, acknowledged, 'respond').max).toEqual({ extendDays: 4 });
  });
});

describe('the acknowledge form at each stage', () => {
  const policy = loadPolicy('lgsco-code-2024');

  it('offers "not a complaint" and first-contact resolution at stage 1 only: at stage 2 the complaint was accepted and answered already', () => {
    const stage1 = formOptions(policy, openCase('case-1', { stage: 1 }), 'acknowledge').allowed;
    const stage2 = formOptions(policy, openCase('case-1', { stage: 2 }), 'acknowledge').allowed;

    expect(stage1).toContain('not-a-complaint');
    expect(stage1).toContain('resolve');
    expect(stage2).toEqual(['acknowledge', 'reassign', 'refer-vexatious']);
  });
});
