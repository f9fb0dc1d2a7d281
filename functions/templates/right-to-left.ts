import bidiFactory from 'bidi-js';
import type { FontRun } from './font-fallback.js';

/**
 * Lines with words in a right-to-left script (Arabic, Urdu, Persian, Hebrew, Yiddish) put in the
 * order they are seen. pdfkit writes a line from left to right, shaping it word by word: fontkit
 * turns each Arabic or Hebrew word round, but the words were left in the order they were typed and
 * the space after each word ended up before it, so "דוד כהן" printed as "כהן" then "דוד", run
 * together. Here each line is ordered by the Unicode Bidirectional Algorithm (npm `bidi-js`):
 * the line's direction is that of its first letter, numbers inside Arabic or Hebrew read left to
 * right, brackets are mirrored. A line longer than the width is broken first, in the order it
 * was typed (`font-fallback.ts`), and each printed line is then ordered on its own (the
 * algorithm's rule L2, line by line): ordered whole before it was broken, an Urdu or Hebrew
 * paragraph that wrapped printed its last words on its top line and its first at the bottom.
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
 * the direction changes. `start` and `end` mark the part of the line that is printed on one line
 * of the page, when the line is longer than the width: the direction of every character is found
 * from the whole line, and the printed part is ordered on its own. Each run is to be shaped whole
 * (pdfkit's `features` option), not word by word. A right-to-left run is given in the order typed,
 * so that fontkit joins its letters and turns it round; any other run fontkit would turn round (a
 * number in Arabic-Indic digits) is turned beforehand, and one it would not (spaces, punctuation
 * between Arabic words) is turned here.
 */
export function visualRuns(
  line: string,
  runs: readonly FontRun[],
  start = 0,
  end: number = line.length,
): FontRun[] {
  bidi ??= bidiFactory();
  const embedding = bidi.getEmbeddingLevels(line);
  const fontAt = runs.flatMap((run) => Array<number>(run.text.length).fill(run.font));
  // The characters of the printed part, by their index in the line, in the order they are seen.
  const seen = bidi.getReorderedIndices(line, embedding, start, end - 1).slice(start, end);
  // Runs of one font and one level; each keeps the order typed (its characters are `from` to `to`).
  const pieces: { font: number; level: number; from: number; to: number }[] = [];
  for (const at of seen) {
    const level = embedding.levels[at] ?? 0;
    const font = fontAt[at] ?? 0;
    const last = pieces.at(-1);
    const follows = last && last.font === font && last.level === level;
    if (follows && level % 2 === 1 && at === last.from - 1) last.from = at;
    else if (follows && level % 2 === 0 && at === last.to) last.to = at + 1;
    else pieces.push({ font, level, from: at, to: at + 1 });
  }
  return pieces.map(({ font, level, from, to }) => {
    const text = line.slice(from, to);
    const rightToLeft = level % 2 === 1;
    const mirrored = rightToLeft ? [...text].map((c) => bidi?.getMirroredCharacter(c) ?? c).join('') : text;
    const turned = fontkitTurnsRound(mirrored);
    return { font, text: turned === rightToLeft ? mirrored : [...mirrored].reverse().join('') };
  });
}
