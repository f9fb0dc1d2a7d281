import type { CaseKind } from '../domain/types.js';
import type { EmailTemplate } from './render-email.js';

/**
 * The words the Welsh email templates take from code rather than from their own text: labels
 * derived from the data (the kind of feedback, what a holding letter is about, the method a
 * complaint is paused for) and the words that differ between an email and a printed letter.
 *
 * DRAFT WELSH: written for Redress, not yet reviewed. The council's Welsh translation service must
 * review every word here and in `./email/cy/` before a council offers Welsh (see
 * `./email/cy/README.md`).
 */

/** "eich cwyn", "eich canmoliaeth"…: the kind of feedback as "your …" names it. */
const KIND_LABELS: Record<CaseKind, string> = {
  complaint: 'cwyn',
  'social-care': 'cwyn',
  compliment: 'canmoliaeth',
  comment: 'sylw',
  representation: 'sylwadau am ein polisi',
};

/** How a holding letter names what is late, per kind (a comment is not a complaint). */
const HOLDING_WORDS: Record<CaseKind, { about: string; replyVerb: string; replyObject: string }> = {
  complaint: { about: 'Ein hymateb i’ch cwyn', replyVerb: 'anfon ein hymateb', replyObject: 'ein hymateb' },
  'social-care': {
    about: 'Ein hymateb i’ch cwyn',
    replyVerb: 'anfon ein hymateb',
    replyObject: 'ein hymateb',
  },
  comment: { about: 'Ein hateb i’ch sylw', replyVerb: 'ateb', replyObject: 'ateb llawn' },
  representation: {
    about: 'Ein hadborth ar eich sylwadau am ein polisi',
    replyVerb: 'anfon ein hadborth atoch',
    replyObject: 'ein hadborth',
  },
  compliment: { about: 'Ein hateb i’ch canmoliaeth', replyVerb: 'ateb', replyObject: 'ein hateb' },
};

/** The pause methods (`PauseMethod`, in English in the data) as the Welsh letters name them. */
const METHOD_LABELS: Record<string, string> = {
  mediation: 'cyfryngu',
  conciliation: 'cymodi',
  'legal proceedings': 'achos cyfreithiol',
};

/**
 * The same after "ar" ("rhoi cynnig ar …", try), which softly mutates the word after it:
 * "ar gyfryngu", "ar gymodi". Written out because no library knows Welsh mutations.
 */
const METHOD_LABELS_AFTER_AR: Record<string, string> = {
  mediation: 'gyfryngu',
  conciliation: 'gymodi',
  'legal proceedings': 'achos cyfreithiol',
};

export const WELSH_WORDS = {
  /** Values the Welsh templates derive from the data, as `derived()` does for the English. */
  derived(template: EmailTemplate, data: Record<string, unknown>): Record<string, unknown> {
    const extra: Record<string, unknown> = {};
    if (typeof data.kind === 'string') extra.kindLabel = KIND_LABELS[data.kind as CaseKind] ?? 'adborth';
    if (typeof data.method === 'string') {
      extra.methodLabel = METHOD_LABELS[data.method] ?? data.method;
      extra.methodAfterAr = METHOD_LABELS_AFTER_AR[data.method] ?? data.method;
    }
    if (template === 'holding-letter' && typeof data.kind === 'string') {
      Object.assign(extra, HOLDING_WORDS[data.kind as CaseKind] ?? HOLDING_WORDS.complaint);
    }
    return extra;
  },
  /** An email or a printed letter: what it is called, and how to answer it. */
  medium(letter: boolean): { doc: string; docThis: string; replyHow: string } {
    return letter
      ? { doc: 'llythyr', docThis: 'y llythyr hwn', replyHow: 'cysylltwch â ni' }
      : { doc: 'e-bost', docThis: 'yr e-bost hwn', replyHow: 'atebwch yr e-bost hwn' };
  },
};
