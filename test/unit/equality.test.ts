import { describe, expect, it } from 'vitest';
import {
  EQUALITY_QUESTIONS,
  type EqualityResponse,
  parseEqualityAnswers,
  tabulateEquality,
} from '../../functions/domain/equality.js';
import {
  LinkVerificationError,
  signLink,
  signToken,
  verifyLink,
  verifyToken,
} from '../../functions/domain/links.js';
import {
  equalityFormPage,
  equalityReportPage,
  equalityThanksPage,
} from '../../functions/web/equality-pages.js';
import { CATALOGUE } from '../../functions/web/i18n.js';

const SECRET = 'unit-test-secret-0123456789abcdef0123';
const NOW = new Date('2026-12-02T12:00:00Z');

function responses(n: number, answers: Record<string, string>): EqualityResponse[] {
  return Array.from({ length: n }, () => ({ month: '2026-11', kind: 'complaint', answers }));
}

describe('parseEqualityAnswers', () => {
  it('keeps the answers given, treats blanks as skips and ignores fields that are not questions', () => {
    expect(parseEqualityAnswers({ age: '25-34', sex: '', religion: 'prefer-not-to-say', csrf: 'x' })).toEqual(
      {
        ok: true,
        answers: { age: '25-34', religion: 'prefer-not-to-say' },
      },
    );
    expect(parseEqualityAnswers({})).toEqual({ ok: true, answers: {} });
  });

  it('refuses an answer that is not one of the question’s options', () => {
    const parsed = parseEqualityAnswers({ age: '200', ethnicity: ['white'] });

    expect(parsed).toEqual({
      ok: false,
      errors: {
        age: 'Choose one of the answers to “What is your age?”, or leave it blank',
        ethnicity: 'Choose one of the answers to “What is your ethnic group?”, or leave it blank',
      },
    });
  });

  it('offers “Prefer not to say” for every question', () => {
    for (const q of EQUALITY_QUESTIONS) expect(q.options.at(-1)?.value).toBe('prefer-not-to-say');
  });
});

describe('the questions in Welsh', () => {
  it('has Welsh for every question and every answer, each answer different', () => {
    for (const q of EQUALITY_QUESTIONS) {
      expect(q.cy.question, q.id).toMatch(/\S/);
      expect(q.cy.question, q.id).not.toBe(q.question);
      if (q.hint) expect(q.cy.hint, q.id).toMatch(/\S/);
      const answers = q.options.map((o) => o.cy);
      expect(new Set(answers).size, q.id).toBe(answers.length);
      expect(q.options.at(-1)?.cy).toBe('Mae’n well gennyf beidio â dweud');
    }
  });

  it('asks in the Census 2021 questionnaire for Wales’s own words where it asked the same, and marks the rest draft', () => {
    const byId = Object.fromEntries(EQUALITY_QUESTIONS.map((q) => [q.id, q]));

    expect(byId.sex?.cy).toEqual({ question: 'Beth yw eich rhyw?' });
    expect(byId.sex?.options.map((o) => o.cy)).toEqual([
      'Benyw',
      'Gwryw',
      'Mae’n well gennyf beidio â dweud',
    ]);
    expect(byId.ethnicity?.cy).toEqual({ question: 'Beth yw eich grŵp ethnig?' });
    expect(byId.ethnicity?.options.find((o) => o.value === 'black')?.cy).toBe(
      'Du, Du Cymreig, Du Prydeinig, Caribïaidd neu Affricanaidd',
    );
    expect(byId.sexualOrientation?.cy.question).toBe(
      'Pa un o’r canlynol sy’n disgrifio orau eich cyfeiriadedd rhywiol?',
    );
    expect(byId.genderIdentity?.options.map((o) => o.cy).slice(0, 2)).toEqual(['Ydy', 'Nac ydy']);
    expect(
      EQUALITY_QUESTIONS.filter((q) => q.cy.draft)
        .map((q) => q.id)
        .sort(),
    ).toEqual(['age', 'disability', 'religion']);
  });

  it('refuses an answer that is not an option in Welsh on a Welsh form', () => {
    expect(parseEqualityAnswers({ sex: 'other' }, 'cy')).toEqual({
      ok: false,
      errors: { sex: 'Dewiswch un o’r atebion i “Beth yw eich rhyw?”, neu gadewch y cwestiwn heb ei ateb' },
    });
  });

  it('shows the page, its questions and answers in Welsh with lang="cy", and English otherwise', () => {
    const policy = { languages: ['en', 'cy'] as ('en' | 'cy')[] };
    const cy = equalityFormPage({
      councilName: 'Cyngor Sir Enghraifft',
      kind: 'complaint',
      language: 'cy',
      policy,
      path: '/equality/abc',
    });
    const en = equalityFormPage({ councilName: 'Example Council', kind: 'complaint' });

    expect(cy).toContain('<html lang="cy"');
    expect(cy).toContain(CATALOGUE.cy['equality.title']);
    expect(cy).toContain('Beth yw eich grŵp ethnig?');
    expect(cy).toContain('Asiaidd, Asiaidd Cymreig neu Asiaidd Prydeinig');
    expect(cy).toContain('ar wahân i’ch cwyn');
    expect(cy).toContain('href="/privacy?lang=cy"');
    expect(cy).toContain('href="/equality/abc?lang=en"');
    expect(cy).not.toMatch(/What is your|Prefer not to say|Send answers/);
    expect(en).toContain('<html lang="en-GB"');
    expect(en).toContain('What is your ethnic group?');
    expect(en).not.toContain('Beth yw');
    expect(equalityThanksPage({ councilName: 'C', language: 'cy', policy })).toContain(
      'Diolch am eich atebion',
    );
  });
});

describe('tabulateEquality', () => {
  it('counts each answer and the residents who skipped the question', () => {
    const report = tabulateEquality([
      ...responses(6, { sex: 'female' }),
      ...responses(7, { sex: 'male' }),
      ...responses(5, {}),
    ]);

    const sex = report.tables.find((t) => t.id === 'sex');
    expect(report.responses).toBe(18);
    expect(sex?.rows.map((r) => [r.value, r.count])).toEqual([
      ['female', 6],
      ['male', 7],
      ['prefer-not-to-say', 0],
    ]);
    expect(sex?.notAnswered).toBe(5);
  });

  it('withholds counts from 1 to 4, and the next smallest when only one would be withheld', () => {
    const report = tabulateEquality([
      ...responses(20, { disability: 'no' }),
      ...responses(8, { disability: 'yes' }),
      ...responses(2, { disability: 'prefer-not-to-say' }),
    ]);

    const disability = report.tables.find((t) => t.id === 'disability');
    // 2 alone would be 30 − 20 − 8: the 8 is withheld too, so neither can be worked out.
    expect(disability?.rows.map((r) => r.count)).toEqual(['suppressed', 20, 'suppressed']);
    expect(disability?.notAnswered).toBe(0);
  });

  it('withholds nothing that can be worked out: two withheld answers of one resident each', () => {
    const report = tabulateEquality([
      ...responses(20, { sexualOrientation: 'straight' }),
      ...responses(1, { sexualOrientation: 'gay-lesbian' }),
      ...responses(1, { sexualOrientation: 'bisexual' }),
    ]);

    const table = report.tables.find((t) => t.id === 'sexualOrientation');
    const cells = [...(table?.rows.map((r) => r.count) ?? []), table?.notAnswered];
    const shown = cells.reduce<number>((sum, c) => sum + (typeof c === 'number' ? c : 0), 0);
    const withheld = cells.filter((c) => c === 'suppressed').length;
    // A withheld count is at least 1 (a 0 is shown): when what is withheld adds up to no more
    // than one per withheld cell, each of them is 1, and the page has told who answered what.
    expect(report.responses).toBe(22);
    expect(withheld).toBeGreaterThan(0);
    expect((report.responses as number) - shown).toBeGreaterThan(withheld);
  });

  it('withholds the number of responses, and so every table, when a breakdown could be worked out from it alone', () => {
    // Six residents, each with a different answer (or none): every figure is 1 and withheld, and
    // six figures that add up to six can each only be 1.
    const report = tabulateEquality(
      ['straight', 'gay-lesbian', 'bisexual', 'other', 'prefer-not-to-say', undefined].flatMap((answer) =>
        responses(1, answer ? { sexualOrientation: answer } : {}),
      ),
    );

    expect(report.responses).toBe('suppressed');
    const page = equalityReportPage({
      councilName: 'Example Council',
      report,
      period: { from: '2026-04-01', to: '2027-03-31' },
      yearText: '2026 to 2027',
    });
    expect(page).toContain('Too few residents answered');
    expect(page).not.toContain('Straight or heterosexual');
  });

  it('withholds the number of responses when there are fewer than 5', () => {
    expect(tabulateEquality(responses(3, { age: '18-24' })).responses).toBe('suppressed');
    expect(tabulateEquality([]).responses).toBe(0);
  });
});

describe('signed tokens for a purpose', () => {
  it('accepts a token only for the purpose it was made for, and never a task link', () => {
    const token = signToken('equality-monitoring', { n: 'abc', e: NOW.getTime() / 1000 + 60 }, SECRET);
    const link = signLink(
      { c: 'case', t: 'task', a: 'respond', o: 'x@example.gov.uk', e: NOW.getTime() / 1000 + 60 },
      SECRET,
    );

    expect(verifyToken('equality-monitoring', token, [SECRET], NOW)).toMatchObject({ n: 'abc' });
    expect(() => verifyToken('something-else', token, [SECRET], NOW)).toThrow(LinkVerificationError);
    expect(() => verifyToken('equality-monitoring', link, [SECRET], NOW)).toThrow(LinkVerificationError);
    expect(() => verifyLink(token, [SECRET], NOW)).toThrow(LinkVerificationError);
  });

  it('says when a token has expired or was signed with another secret', () => {
    const token = signToken('equality-monitoring', { e: NOW.getTime() / 1000 - 1 }, SECRET);

    expect(() => verifyToken('equality-monitoring', token, [SECRET], NOW)).toThrow(
      expect.objectContaining({ reason: 'expired' }),
    );
    expect(() => verifyToken('equality-monitoring', token, ['another-secret-of-enough-length'], NOW)).toThrow(
      expect.objectContaining({ reason: 'bad-signature' }),
    );
  });
});
