import type { CaseKind } from './types.js';

/**
 * Equality monitoring: optional questions a resident may answer after sending feedback, so the
 * council can check that every part of the community can use its procedure (the unitary
 * council's Customer Feedback Procedure §1.6: "We want to ensure all sections of the community
 * are able to access the feedback procedure and will undertake monitoring to check that this is
 * the case").
 *
 * The answers are kept apart from the case: they carry the month and the kind of feedback, never
 * the case, its reference, the resident or the time of day, so nobody handling the case can read
 * them and nobody reading them can tell whose they are. They are reported only as counts, with
 * the reports' small-number suppression.
 *
 * The questions and answer groups follow the 2021 Census of England and Wales (as most councils'
 * monitoring forms do); every question may be skipped or answered "Prefer not to say".
 */

export interface EqualityQuestion {
  id: string;
  /** The question as the form asks it. */
  question: string;
  /** The short name reports use. */
  name: string;
  hint?: string;
  options: readonly { value: string; text: string }[];
}

const PREFER_NOT = { value: 'prefer-not-to-say', text: 'Prefer not to say' } as const;

export const EQUALITY_QUESTIONS: readonly EqualityQuestion[] = [
  {
    id: 'age',
    name: 'Age',
    question: 'What is your age?',
    options: [
      { value: 'under-18', text: 'Under 18' },
      { value: '18-24', text: '18 to 24' },
      { value: '25-34', text: '25 to 34' },
      { value: '35-44', text: '35 to 44' },
      { value: '45-54', text: '45 to 54' },
      { value: '55-64', text: '55 to 64' },
      { value: '65-74', text: '65 to 74' },
      { value: '75-plus', text: '75 or over' },
      PREFER_NOT,
    ],
  },
  {
    id: 'sex',
    name: 'Sex',
    question: 'What is your sex?',
    options: [{ value: 'female', text: 'Female' }, { value: 'male', text: 'Male' }, PREFER_NOT],
  },
  {
    id: 'genderIdentity',
    name: 'Gender identity',
    question: 'Is the gender you identify with the same as your sex registered at birth?',
    options: [{ value: 'yes', text: 'Yes' }, { value: 'no', text: 'No' }, PREFER_NOT],
  },
  {
    id: 'disability',
    name: 'Disability',
    question: 'Do you consider yourself to have a disability?',
    hint: 'A physical or mental condition that has a substantial and long-term effect on your ability to do normal daily activities.',
    options: [{ value: 'yes', text: 'Yes' }, { value: 'no', text: 'No' }, PREFER_NOT],
  },
  {
    id: 'ethnicity',
    name: 'Ethnic group',
    question: 'What is your ethnic group?',
    options: [
      { value: 'asian', text: 'Asian or Asian British' },
      { value: 'black', text: 'Black, Black British, Caribbean or African' },
      { value: 'mixed', text: 'Mixed or multiple ethnic groups' },
      { value: 'white', text: 'White' },
      { value: 'other', text: 'Another ethnic group' },
      PREFER_NOT,
    ],
  },
  {
    id: 'religion',
    name: 'Religion or belief',
    question: 'What is your religion or belief?',
    options: [
      { value: 'none', text: 'No religion' },
      { value: 'buddhist', text: 'Buddhist' },
      { value: 'christian', text: 'Christian' },
      { value: 'hindu', text: 'Hindu' },
      { value: 'jewish', text: 'Jewish' },
      { value: 'muslim', text: 'Muslim' },
      { value: 'sikh', text: 'Sikh' },
      { value: 'other', text: 'Another religion or belief' },
      PREFER_NOT,
    ],
  },
  {
    id: 'sexualOrientation',
    name: 'Sexual orientation',
    question: 'Which of the following best describes your sexual orientation?',
    options: [
      { value: 'straight', text: 'Straight or heterosexual' },
      { value: 'gay-lesbian', text: 'Gay or lesbian' },
      { value: 'bisexual', text: 'Bisexual' },
      { value: 'other', text: 'Another sexual orientation' },
      PREFER_NOT,
    ],
  },
  {
    id: 'carer',
    name: 'Caring responsibilities',
    question: 'Do you look after or care for someone because of long-term illness, disability or old age?',
    options: [{ value: 'yes', text: 'Yes' }, { value: 'no', text: 'No' }, PREFER_NOT],
  },
];

/** One resident's answers: question id → option value; a question skipped is absent. */
export type EqualityAnswers = Record<string, string>;

/** One stored set of answers, as the reports read it. */
export interface EqualityResponse {
  /** The month the feedback was received (Europe/London), `YYYY-MM`. */
  month: string;
  kind: CaseKind;
  answers: EqualityAnswers;
}

/**
 * The answers in a posted form, or one message per field that is not one of its options (a
 * tampered form). Fields that are not questions are ignored; empty answers are skips.
 */
export function parseEqualityAnswers(
  body: Record<string, unknown>,
): { ok: true; answers: EqualityAnswers } | { ok: false; errors: Record<string, string> } {
  const answers: EqualityAnswers = {};
  const errors: Record<string, string> = {};
  for (const q of EQUALITY_QUESTIONS) {
    const value = body[q.id];
    if (value === undefined || value === '') continue;
    if (typeof value === 'string' && q.options.some((o) => o.value === value)) answers[q.id] = value;
    else errors[q.id] = `Choose one of the answers to “${q.question}”, or leave it blank`;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, answers };
}

/** Counts from 1 up to this (excluded) are withheld, as in the performance reports. */
export const EQUALITY_SUPPRESSION_THRESHOLD = 5;

/** A count, or withheld. */
export type EqualityCount = number | 'suppressed';

export interface EqualityTable {
  id: string;
  name: string;
  rows: { value: string; text: string; count: EqualityCount }[];
  /** Residents who skipped the question. */
  notAnswered: EqualityCount;
}

export interface EqualityReport {
  /** Sets of answers in the period (shown only when at least the threshold). */
  responses: EqualityCount;
  tables: EqualityTable[];
}

/**
 * The counts of each answer, with small numbers withheld. Where a question would show exactly one
 * withheld figure, the next smallest is withheld too (complementary suppression): otherwise the
 * one could be worked out from the total and the rest.
 */
export function tabulateEquality(responses: Iterable<EqualityResponse>): EqualityReport {
  let total = 0;
  const tallies = new Map<string, Map<string, number>>(EQUALITY_QUESTIONS.map((q) => [q.id, new Map()]));
  for (const r of responses) {
    total += 1;
    for (const q of EQUALITY_QUESTIONS) {
      const value = r.answers[q.id] ?? '';
      const tally = tallies.get(q.id) as Map<string, number>;
      tally.set(value, (tally.get(value) ?? 0) + 1);
    }
  }
  const small = (n: number) => n >= 1 && n < EQUALITY_SUPPRESSION_THRESHOLD;
  const tables = EQUALITY_QUESTIONS.map((q): EqualityTable => {
    const tally = tallies.get(q.id) as Map<string, number>;
    const cells = [
      ...q.options.map((o) => ({ ...o, n: tally.get(o.value) ?? 0 })),
      { value: '', text: '', n: tally.get('') ?? 0 },
    ];
    const hidden = new Set(cells.filter((c) => small(c.n)).map((c) => c.value));
    if (hidden.size === 1) {
      const next = cells.filter((c) => !hidden.has(c.value) && c.n > 0).sort((a, b) => a.n - b.n)[0];
      if (next) hidden.add(next.value);
    }
    const count = (c: { value: string; n: number }): EqualityCount =>
      hidden.has(c.value) ? 'suppressed' : c.n;
    const notAnswered = cells.at(-1) as (typeof cells)[number];
    return {
      id: q.id,
      name: q.name,
      rows: cells.slice(0, -1).map((c) => ({ value: c.value, text: c.text, count: count(c) })),
      notAnswered: count(notAnswered),
    };
  });
  return { responses: small(total) ? 'suppressed' : total, tables };
}

/** How long a resident has to answer after sending their feedback. */
export const EQUALITY_LINK_DAYS = 30;

/** How long answers are kept: long enough to compare three financial years. */
export const EQUALITY_RETENTION_YEARS = 4;
