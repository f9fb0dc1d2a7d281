import type { Language } from './language.js';
import { withholdSmallCounts } from './small-counts.js';
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
 *
 * Welsh (`cy`): where the Census 2021 questionnaire for Wales (Cyfrifiad 2021) asked the same
 * thing, its Welsh words, as the Office for National Statistics' Welsh Census 2021 dictionary
 * and the Census help pages give them (sex, gender identity, sexual orientation, ethnic group and
 * its answer groups, unpaid care, the religion answer groups). The rest is DRAFT WELSH, marked
 * `draft: true` (the age bands, the disability question, which the Census asked differently,
 * the religion question and "Prefer not to say", which the Census did not offer): the council's
 * Welsh translation service must review it, like the rest of the draft Welsh (`web/i18n.ts`).
 */

/** One answer: the value stored, and its words in English and Welsh. */
export interface EqualityOption {
  value: string;
  text: string;
  /** The answer in Welsh. */
  cy: string;
}

export interface EqualityQuestion {
  id: string;
  /** The question as the form asks it. */
  question: string;
  /** The short name reports use. */
  name: string;
  hint?: string;
  /** The question in Welsh; `draft` when it is not the Census's own Welsh wording. */
  cy: { question: string; hint?: string; draft?: true };
  options: readonly EqualityOption[];
}

// DRAFT WELSH: the Census had no such answer; the wording Welsh public bodies' forms commonly use.
const PREFER_NOT = {
  value: 'prefer-not-to-say',
  text: 'Prefer not to say',
  cy: 'Mae’n well gennyf beidio â dweud',
} as const;
// "Ydw / Nac ydw" (I am / I am not), as the Census's unpaid-care answers; DRAFT WELSH for the disability question.
const YES_I = { value: 'yes', text: 'Yes', cy: 'Ydw' } as const;
const NO_I = { value: 'no', text: 'No', cy: 'Nac ydw' } as const;

export const EQUALITY_QUESTIONS: readonly EqualityQuestion[] = [
  {
    id: 'age',
    name: 'Age',
    question: 'What is your age?',
    // DRAFT WELSH: the Census asked for the date of birth, not an age band.
    cy: { question: 'Beth yw eich oedran?', draft: true },
    options: [
      { value: 'under-18', text: 'Under 18', cy: 'O dan 18' },
      { value: '18-24', text: '18 to 24', cy: '18 i 24' },
      { value: '25-34', text: '25 to 34', cy: '25 i 34' },
      { value: '35-44', text: '35 to 44', cy: '35 i 44' },
      { value: '45-54', text: '45 to 54', cy: '45 i 54' },
      { value: '55-64', text: '55 to 64', cy: '55 i 64' },
      { value: '65-74', text: '65 to 74', cy: '65 i 74' },
      { value: '75-plus', text: '75 or over', cy: '75 neu drosodd' },
      PREFER_NOT,
    ],
  },
  {
    id: 'sex',
    name: 'Sex',
    question: 'What is your sex?',
    // Cyfrifiad 2021, question 3.
    cy: { question: 'Beth yw eich rhyw?' },
    options: [
      { value: 'female', text: 'Female', cy: 'Benyw' },
      { value: 'male', text: 'Male', cy: 'Gwryw' },
      PREFER_NOT,
    ],
  },
  {
    id: 'genderIdentity',
    name: 'Gender identity',
    question: 'Is the gender you identify with the same as your sex registered at birth?',
    // Cyfrifiad 2021's gender identity question, with its answers "Ydy" / "Nac ydy".
    cy: {
      question:
        'Ydy’r rhywedd rydych chi’n uniaethu ag ef yr un peth â’r rhyw a gofrestrwyd pan gawsoch chi eich geni?',
    },
    options: [
      { value: 'yes', text: 'Yes', cy: 'Ydy' },
      { value: 'no', text: 'No', cy: 'Nac ydy' },
      PREFER_NOT,
    ],
  },
  {
    id: 'disability',
    name: 'Disability',
    question: 'Do you consider yourself to have a disability?',
    hint: 'A physical or mental condition that has a substantial and long-term effect on your ability to do normal daily activities.',
    // DRAFT WELSH: the Census asked about conditions that reduce "gweithgareddau pob dydd" in two
    // questions; this is the Equality Act's own test, asked as one. "Gweithgareddau pob dydd" as the Census.
    cy: {
      question: 'Ydych chi’n ystyried bod gennych anabledd?',
      hint: 'Cyflwr corfforol neu feddyliol sy’n cael effaith sylweddol a hirdymor ar eich gallu i wneud gweithgareddau pob dydd arferol.',
      draft: true,
    },
    options: [YES_I, NO_I, PREFER_NOT],
  },
  {
    id: 'ethnicity',
    name: 'Ethnic group',
    question: 'What is your ethnic group?',
    // Cyfrifiad 2021, question 15, and its five sections (the Census for Wales names Welsh identities too).
    cy: { question: 'Beth yw eich grŵp ethnig?' },
    options: [
      {
        value: 'asian',
        text: 'Asian or Asian British',
        cy: 'Asiaidd, Asiaidd Cymreig neu Asiaidd Prydeinig',
      },
      {
        value: 'black',
        text: 'Black, Black British, Caribbean or African',
        cy: 'Du, Du Cymreig, Du Prydeinig, Caribïaidd neu Affricanaidd',
      },
      { value: 'mixed', text: 'Mixed or multiple ethnic groups', cy: 'Grwpiau cymysg neu amlethnig' },
      { value: 'white', text: 'White', cy: 'Gwyn' },
      { value: 'other', text: 'Another ethnic group', cy: 'Grŵp ethnig arall' },
      PREFER_NOT,
    ],
  },
  {
    id: 'religion',
    name: 'Religion or belief',
    question: 'What is your religion or belief?',
    // DRAFT WELSH question ("or belief" is not the Census's); the answers are the Census 2021
    // religion groups in Welsh, but for "Another religion or belief" (DRAFT WELSH).
    cy: { question: 'Beth yw eich crefydd neu gred?', draft: true },
    options: [
      { value: 'none', text: 'No religion', cy: 'Dim crefydd' },
      { value: 'buddhist', text: 'Buddhist', cy: 'Bwdhaeth' },
      { value: 'christian', text: 'Christian', cy: 'Cristnogaeth' },
      { value: 'hindu', text: 'Hindu', cy: 'Hindŵaeth' },
      { value: 'jewish', text: 'Jewish', cy: 'Iddewiaeth' },
      { value: 'muslim', text: 'Muslim', cy: 'Islam' },
      { value: 'sikh', text: 'Sikh', cy: 'Siciaeth' },
      { value: 'other', text: 'Another religion or belief', cy: 'Crefydd neu gred arall' },
      PREFER_NOT,
    ],
  },
  {
    id: 'sexualOrientation',
    name: 'Sexual orientation',
    question: 'Which of the following best describes your sexual orientation?',
    // Cyfrifiad 2021's sexual orientation question and answers (without its write-in).
    cy: { question: 'Pa un o’r canlynol sy’n disgrifio orau eich cyfeiriadedd rhywiol?' },
    options: [
      { value: 'straight', text: 'Straight or heterosexual', cy: 'Heterorywiol/Strêt' },
      { value: 'gay-lesbian', text: 'Gay or lesbian', cy: 'Hoyw neu Lesbiaidd' },
      { value: 'bisexual', text: 'Bisexual', cy: 'Deurywiol/Bi' },
      { value: 'other', text: 'Another sexual orientation', cy: 'Cyfeiriadedd rhywiol arall' },
      PREFER_NOT,
    ],
  },
  {
    id: 'carer',
    name: 'Caring responsibilities',
    question: 'Do you look after or care for someone because of long-term illness, disability or old age?',
    // Cyfrifiad 2021's unpaid care question; its answers without the hours ("Ydw" / "Nac ydw").
    cy: {
      question:
        'Ydych chi’n gofalu am unrhyw un, neu’n cynnig unrhyw help neu gefnogaeth i unrhyw un, oherwydd cyflwr neu salwch corfforol neu feddyliol hir dymor, neu broblemau sy’n gysylltiedig â henaint?',
    },
    options: [YES_I, NO_I, PREFER_NOT],
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
  language: Language = 'en',
): { ok: true; answers: EqualityAnswers } | { ok: false; errors: Record<string, string> } {
  const answers: EqualityAnswers = {};
  const errors: Record<string, string> = {};
  for (const q of EQUALITY_QUESTIONS) {
    const value = body[q.id];
    if (value === undefined || value === '') continue;
    if (typeof value === 'string' && q.options.some((o) => o.value === value)) answers[q.id] = value;
    else
      errors[q.id] =
        language === 'cy'
          ? // DRAFT WELSH
            `Dewiswch un o’r atebion i “${q.cy.question}”, neu gadewch y cwestiwn heb ei ateb`
          : `Choose one of the answers to “${q.question}”, or leave it blank`;
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
  /**
   * Sets of answers in the period: withheld when fewer than the threshold, or when a breakdown
   * could be worked out from it however many of its figures were withheld (then no breakdown is shown).
   */
  responses: EqualityCount;
  tables: EqualityTable[];
}

/**
 * The counts of each answer, with small numbers withheld, and with further numbers withheld
 * wherever a withheld one could be worked out from the total and those shown
 * (`withholdSmallCounts`); the number of responses too when even that is not enough.
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
  let withholdTotal = total >= 1 && total < EQUALITY_SUPPRESSION_THRESHOLD;
  const tables = EQUALITY_QUESTIONS.map((q): EqualityTable => {
    const tally = tallies.get(q.id) as Map<string, number>;
    // The residents who skipped the question are a figure of the breakdown like any answer.
    const values = [...q.options.map((o) => o.value), ''];
    const counts = values.map((v) => tally.get(v) ?? 0);
    const withheld = withholdSmallCounts(counts, EQUALITY_SUPPRESSION_THRESHOLD);
    if (withheld.total) withholdTotal = true;
    const count = (i: number): EqualityCount => (withheld.cells[i] ? 'suppressed' : (counts[i] as number));
    return {
      id: q.id,
      name: q.name,
      rows: q.options.map((o, i) => ({ value: o.value, text: o.text, count: count(i) })),
      notAnswered: count(q.options.length),
    };
  });
  // Every breakdown adds up to the number of responses: withheld, it takes every breakdown with it.
  return { responses: withholdTotal ? 'suppressed' : total, tables };
}

/** How long a resident has to answer after sending their feedback. */
export const EQUALITY_LINK_DAYS = 30;

/** How long answers are kept: long enough to compare three financial years. */
export const EQUALITY_RETENTION_YEARS = 4;
