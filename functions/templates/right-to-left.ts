import bidiFactory from 'bidi-js';
import type { FontRun } from './font-fallback.js';

/**
 * Lines with words in a right-to-left script (Arabic, Urdu, Persian, Hebrew, Yiddish) put in the
 * order they are seen. pdfkit writes a line from left to right, shaping it word by word: fontkit
 * turns each Arabic or Hebrew word round, but the words were left in the order they were typed and
 * the space after each word ended up before it, so "דוד כהן" printed as "כהן" then "דוד", run
 * together. Here each line is ordered by the Unicode Bidirectional Algorithm (npm `bidi-js`):
 * the line's direction is that of its first letter, numbers inside Arabic or Hebrew read left to
 * right, brackets are mirrored. A line is ordered before pdfkit breaks it to the width: a long
 * line that mixes directions and wraps keeps each run whole and in order, but a run of the
 * other direction that is cut at the end of a line reads on from the start of the next line.
 */

/** Characters of the right-to-left scripts and the explicit direction marks. */
const RIGHT_TO_LEFT =
  /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u200f\u202b\u202e\u2067\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;

/** Whether a line needs ordering at all: lines without a right-to-left character are left alone. */
export function hasRightToLeft(line: string): boolean {
  return RIGHT_TO_LEFT.test(line);
}

/** The scripts fontkit lays out right to left; it tells a run's script by its first letter. */
const FONTKIT_RIGHT_TO_LEFT =
  /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const SCRIPTED = /[^\p{Script=Common}\p{Script=Inherited}]/u;

function fontkitTurnsRound(text: string): boolean {
  const first = SCRIPTED.exec(text)?.[0];
  return first !== undefined && FONTKIT_RIGHT_TO_LEFT.test(first);
}

let bidi: ReturnType<typeof bidiFactory> | undefined;

/**
 * Puts one line's font runs (`fontRuns`, in the order typed) in the order they are seen, cut where
 * the direction changes. Each run is to be shaped whole (pdfkit's `features` option), not word by
 * word. A right-to-left run is given in the order typed, so that fontkit joins its letters and
 * turns it round; any other run fontkit would turn round (a number in Arabic-Indic digits) is
 * turned beforehand, and one it would not (spaces, punctuation between Arabic words) is turned
 * here.
 */
export function visualRuns(line: string, runs: readonly FontRun[]): FontRun[] {
  bidi ??= bidiFactory();
  const { levels } = bidi.getEmbeddingLevels(line);
  const pieces: { font: number; level: number; text: string }[] = [];
  let at = 0;
  for (const run of runs) {
    for (let i = 0; i < run.text.length; i++, at++) {
      const level = levels[at] ?? 0;
      const last = pieces.at(-1);
      if (last && last.font === run.font && last.level === level) last.text += run.text[i];
      else pieces.push({ font: run.font, level, text: run.text[i] as string });
    }
  }
  // Rule L2: from the highest level down to the lowest odd one, turn round every stretch of runs
  // at that level or higher.
  const highest = Math.max(0, ...pieces.map((p) => p.level));
  const lowestOdd = Math.min(...pieces.map((p) => (p.level % 2 === 1 ? p.level : highest + 1)));
  for (let level = highest; level >= lowestOdd; level--) {
    for (let i = 0; i < pieces.length; ) {
      if ((pieces[i]?.level ?? 0) < level) {
        i++;
        continue;
      }
      let end = i;
      while (end < pieces.length && (pieces[end]?.level ?? 0) >= level) end++;
      pieces.splice(i, end - i, ...pieces.slice(i, end).reverse());
      i = end;
    }
  }
  return pieces.map(({ font, level, text }) => {
    const rightToLeft = level % 2 === 1;
    const mirrored = rightToLeft ? [...text].map((c) => bidi?.getMirroredCharacter(c) ?? c).join('') : text;
    const turned = fontkitTurnsRound(mirrored);
    return { font, text: turned === rightToLeft ? mirrored : [...mirrored].reverse().join('') };
  });
}
