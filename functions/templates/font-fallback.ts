import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Font, openSync } from 'fontkit';
import { hasRightToLeft, visualRuns } from './right-to-left.js';

/**
 * Text in scripts the letters' font lacks. DejaVu Sans covers Latin, Greek, Cyrillic, Armenian,
 * Georgian, Hebrew and most of Arabic, but none of the scripts of East and South Asia, Thai or
 * Ethiopic: a resident's name in them came out blank. pdfkit sets a run of text in one font and
 * has no fallback of its own, so the text is cut into runs, each in a font that has its
 * characters (`fontRuns`), and the runs are written one after the other on the same lines
 * (pdfkit's `continued`), wrapping as one paragraph. A line with Arabic or Hebrew is broken to the
 * width here, in the order it was typed, and each printed line put in the order it is seen
 * (`right-to-left.ts`).
 *
 * The fallbacks are Noto Sans fonts (npm `@expo-google-fonts/noto-sans-*`, SIL Open Font
 * Licence), one for each script spoken by a sizeable community in England. Each is tried only for
 * the characters of its own scripts, read only for a letter that needs it, and embedded as a
 * subset of the characters used: a letter in Latin script reads and embeds none of them.
 *
 * fontkit 2.0.4, which pdfkit 0.20 shapes text with, threw on the empty mark anchors of Noto Sans
 * Gurmukhi, Malayalam and Telugu, and the letter was not printed at all. The patch under
 * `patches/`, applied by `npm ci`, is fontkit 3.0.0's fix: an empty anchor is skipped.
 */

/** A fallback font: its file, the npm package it comes from, and the scripts it is used for. */
export interface FallbackFont {
  file: string;
  npmPackage: string;
  /** The characters it is tried for (by Unicode script extensions: a danda goes with Bengali). */
  scripts: RegExp;
  /**
   * Set in this font even where the document's font has the character. DejaVu Sans lacks Urdu's
   * heh goal and yeh barree: a word set partly in each font would not join up.
   */
  preferred?: boolean;
}

const noto = (name: string, scripts: RegExp, preferred?: true): FallbackFont => ({
  file: `NotoSans${name}_400Regular.ttf`,
  npmPackage: `@expo-google-fonts/noto-sans-${name.toLowerCase()}`,
  scripts,
  ...(preferred ? { preferred } : {}),
});

/** The fallback fonts, in the order they are tried for a character in more than one's scripts. */
export const FALLBACK_FONTS: readonly FallbackFont[] = [
  // Chinese (simplified and traditional) and Japanese kana.
  noto('SC', /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Bopomofo}]/u),
  noto('KR', /\p{scx=Hangul}/u),
  // Arabic, Urdu, Persian, Pashto, Kurdish (Sorani).
  noto('Arabic', /\p{scx=Arabic}/u, true),
  noto('Bengali', /\p{scx=Bengali}/u),
  noto('Gurmukhi', /\p{scx=Gurmukhi}/u),
  noto('Gujarati', /\p{scx=Gujarati}/u),
  // Hindi, Nepali, Marathi.
  noto('Devanagari', /\p{scx=Devanagari}/u),
  noto('Tamil', /\p{scx=Tamil}/u),
  noto('Malayalam', /\p{scx=Malayalam}/u),
  noto('Telugu', /\p{scx=Telugu}/u),
  noto('Sinhala', /\p{scx=Sinhala}/u),
  noto('Thai', /\p{scx=Thai}/u),
  // Amharic, Tigrinya.
  noto('Ethiopic', /\p{scx=Ethiopic}/u),
];

/**
 * Where a fallback font's file is: beside the letter font when deployed (`REDRESS_LETTER_FONT`,
 * the deploy copies them all into one folder), from npm otherwise.
 */
export function fallbackFontFile(font: FallbackFont): string {
  const fromEnv = process.env.REDRESS_LETTER_FONT;
  if (fromEnv) return join(dirname(fromEnv), font.file);
  const pkg = createRequire(import.meta.url).resolve(`${font.npmPackage}/package.json`);
  return join(dirname(pkg), '400Regular', font.file);
}

/** One run of text and the index, in the list given to `fontRuns`, of the font it is set in. */
export interface FontRun {
  font: number;
  text: string;
}

/**
 * A font as `fontRuns` sees it: whether it has a glyph for a character, and for a fallback, the
 * characters it is tried for (any, when `scripts` is absent) and whether it goes before the first.
 */
export interface RunFont {
  has: (codePoint: number) => boolean;
  scripts?: RegExp;
  preferred?: boolean;
}

/** A character that belongs with the one before it: a combining mark, or a zero-width joiner. */
const JOINS_PREVIOUS = /[\p{M}\u200c\u200d]/u;

/**
 * A character that draws nothing when no font has it: a control or format character, or one
 * Unicode says to ignore where it cannot be shown (an emoji's variation selector).
 */
const DRAWS_NOTHING = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/u;

/**
 * Cuts text into runs, each set in a font that has a glyph for its characters. `fonts[0]` is the
 * document's font, tried first for every character but those a preferred fallback has; the
 * fallbacks are tried, in order, for the characters of their scripts. White space (in the main
 * font's run, if that font has it), a mark or a joiner the run's font has, punctuation of the
 * run's script (a danda), and a character no font has stay in the run they are in: a space
 * between two Chinese words does not switch fonts twice, and a word in an Indic script is shaped
 * in one font. `unprintable` is told of each character no font has (it prints as an empty box),
 * but for those that draw nothing anyway.
 */
export function fontRuns(
  text: string,
  fonts: readonly RunFont[],
  unprintable?: (char: string) => void,
): FontRun[] {
  const runs: FontRun[] = [];
  const tries = (index: number, char: string, codePoint: number) => fontTakes(fonts, index, char, codePoint);
  for (const char of text) {
    const current = runs.at(-1);
    const codePoint = char.codePointAt(0) as number;
    // White space stays in a fallback's run, and in the main font's where that font has it: an
    // ideographic space after a Latin word would be drawn as a box in DejaVu Sans. A control (a
    // tab, a line break) stays.
    const white = /\s/.test(char);
    const stays =
      (white &&
        (DRAWS_NOTHING.test(char) ||
          (current !== undefined && current.font > 0) ||
          fonts[0]?.has(codePoint) === true)) ||
      (current !== undefined &&
        current.font > 0 &&
        (JOINS_PREVIOUS.test(char) || fonts[current.font]?.scripts?.test(char) === true) &&
        fonts[current.font]?.has(codePoint) === true);
    let found = -1;
    if (!stays) {
      const preferred = fonts.findIndex((f, i) => i > 0 && f.preferred === true && tries(i, char, codePoint));
      found = preferred > 0 ? preferred : fonts.findIndex((_, i) => tries(i, char, codePoint));
      // A space of no script of its own is set in any font that has it.
      if (found < 0 && white) found = fonts.findIndex((f) => f.has(codePoint));
      if (found < 0 && !DRAWS_NOTHING.test(char)) unprintable?.(char);
    }
    const font = found >= 0 ? found : (current?.font ?? 0);
    if (current && current.font === font) current.text += char;
    else runs.push({ font, text: char });
  }
  return runs;
}

/**
 * Whether `fonts[index]` sets the character: the document's font any it has, a fallback those of
 * its scripts it has. The scripts are asked first: `has` may have to read the font's file.
 */
function fontTakes(fonts: readonly RunFont[], index: number, char: string, codePoint: number): boolean {
  const font = fonts[index];
  if (!font || (index > 0 && font.scripts && !font.scripts.test(char))) return false;
  return font.has(codePoint);
}

/**
 * The text without the characters that show nothing but that no font has (a direction isolate
 * pasted round a name, a tag of a flag): pdfkit draws each as an empty box, and nobody is told of
 * a box that stands for nothing (`fontRuns`). White space stays, a line break included.
 */
function drawable(text: string, fonts: readonly RunFont[]): string {
  if (!DRAWS_NOTHING.test(text)) return text;
  let kept = '';
  for (const char of text) {
    const codePoint = char.codePointAt(0) as number;
    const hidden =
      DRAWS_NOTHING.test(char) &&
      !/\s/.test(char) &&
      !fonts.some((_, i) => fontTakes(fonts, i, char, codePoint));
    if (!hidden) kept += char;
  }
  return kept;
}

/** Fonts opened to ask which characters they have, once per file for the life of the process. */
const opened = new Map<string, Font>();

function openedFont(file: string): Font {
  let font = opened.get(file);
  if (!font) {
    font = openSync(file) as Font;
    opened.set(file, font);
  }
  return font;
}

function coverageOf(file: string): (codePoint: number) => boolean {
  return (codePoint) => openedFont(file).hasGlyphForCodePoint(codePoint);
}

/**
 * Where a line is broken to `width`, in the order it was typed: the start and end of each printed
 * line, the spaces at a break left out. `widthOf` measures the line from one index to another. A
 * word wider than the width has a line of its own, for pdfkit to break.
 */
export function lineBreaks(
  line: string,
  width: number,
  widthOf: (from: number, to: number) => number,
): [number, number][] {
  const lines: [number, number][] = [];
  let used = 0;
  for (const word of line.matchAll(/\S+/g)) {
    const from = word.index;
    const to = from + word[0].length;
    const wordWidth = widthOf(from, to);
    const current = lines.at(-1);
    const more = current ? widthOf(current[1], from) + wordWidth : 0;
    if (current && used + more <= width) {
      current[1] = to;
      used += more;
    } else {
      lines.push([from, to]);
      used = wordWidth;
    }
  }
  return lines.length > 0 ? lines : [[0, line.length]];
}

/** Options of pdfkit's `text`, as the renderers use them. */
export type TextOptions = PDFKit.Mixins.TextOptions;

/**
 * A `text` for a pdfkit document that falls back to other fonts for characters its own lack.
 * `fonts` maps each font name registered on the document to its file; a fallback is registered
 * here when a text first needs it. Writes `text` in the named font at the document's font size;
 * leaves that font set. Adds to `unprintable` each word with a character that no font has, which
 * the PDF shows as an empty box (`unprintable.ts` tells whoever posts the letter).
 */
export function textWithFallback(
  doc: PDFKit.PDFDocument,
  fonts: Readonly<Record<string, string>>,
  fallbackFonts: readonly FallbackFont[] = FALLBACK_FONTS,
  unprintable?: Set<string>,
): (font: string, text: string, x?: number, y?: number, options?: TextOptions) => PDFKit.PDFDocument {
  const registered = new Set<number>();
  const fallbacks: RunFont[] = fallbackFonts.map((fallback) => {
    let has: ((codePoint: number) => boolean) | undefined;
    return {
      // The file is looked for, and read, only when a character of the font's scripts turns up.
      has: (codePoint) => {
        has ??= coverageOf(fallbackFontFile(fallback));
        return has(codePoint);
      },
      scripts: fallback.scripts,
      ...(fallback.preferred ? { preferred: true } : {}),
    };
  });
  const fontOf = (main: string, run: FontRun): string => {
    if (run.font === 0) return main;
    const index = run.font - 1;
    if (!registered.has(index)) {
      doc.registerFont(`fallback-${index}`, fallbackFontFile(fallbackFonts[index] as FallbackFont));
      registered.add(index);
    }
    return `fallback-${index}`;
  };
  // pdfkit starts a page it breaks to with the document's own font, and would go on writing the
  // rest of a run in it: Korean after a page break came out as empty boxes, bold as regular. The
  // run's font is set again on every page the run reaches.
  const inFont = (name: string, write: () => void): void => {
    const again = () => doc.font(name);
    doc.font(name).on('pageAdded', again);
    try {
      write();
    } finally {
      doc.off('pageAdded', again);
    }
  };
  return (font, given, x, y, options = {}) => {
    const file = fonts[font];
    const runFonts = file ? [{ has: coverageOf(file) }, ...fallbacks] : [];
    const text = file ? drawable(given, runFonts) : given;
    // Every run sits on the line of the named font: pdfkit otherwise hangs each run from the top
    // of its own font, and a run in a taller fallback font sat lower than the words around it.
    const baseline = (): TextOptions => {
      if (!file) return {};
      const { ascent, descent } = openedFont(file);
      return { baseline: -(doc.font(font).currentLineHeight() * ascent) / (ascent - descent) };
    };
    const missing = new Set<string>();
    const runsOf = (line: string): FontRun[] =>
      file ? fontRuns(line, runFonts, (char) => missing.add(char)) : [{ font: 0, text: line }];
    // The words, not their characters alone: a vowel sign by itself says little to whoever has
    // to find the boxes and write the word in.
    const report = (): void => {
      if (missing.size === 0 || !unprintable) return;
      for (const word of text.split(/\s+/)) if ([...word].some((c) => missing.has(c))) unprintable.add(word);
    };
    const runs = hasRightToLeft(text) ? [] : runsOf(text);
    if (runs.length === 1) {
      report();
      inFont(fontOf(font, runs[0] as FontRun), () => doc.text(text, x, y, options));
      return doc.font(font);
    }
    // A line with right-to-left words is broken to the width here, in the order typed, and each
    // printed line put in order for the eye: pdfkit would break a line already in that order, and
    // print the last words of a wrapped Urdu paragraph first.
    const width = options.width ?? doc.page.width - doc.page.margins.right - (x ?? doc.x);
    const printed = (line: string): FontRun[][] => {
      if (line === '') return [[{ font: 0, text: '' }]];
      const lineRuns = runsOf(line);
      if (!hasRightToLeft(line)) return [lineRuns];
      const widthOf = (from: number, to: number): number => {
        let at = 0;
        let sum = 0;
        for (const run of lineRuns) {
          const part = line.slice(Math.max(from, at), Math.min(to, at + run.text.length));
          if (part) sum += doc.font(fontOf(font, run)).widthOfString(part, { features: [] });
          at += run.text.length;
        }
        return sum;
      };
      return lineBreaks(line, width, widthOf).map(([from, to]) => visualRuns(line, lineRuns, from, to));
    };
    // pdfkit drops a line break at the end of a continued run, so with more than one font the
    // text goes line by line, each line's runs continued and the line ended by its last run.
    const lines = text.split('\n').flatMap((line) => printed(line).map((runs) => ({ line, runs })));
    report();
    for (const [n, { line, runs: lineRuns }] of lines.entries()) {
      // A line in order for the eye is shaped run by run: pdfkit's `features` stops it turning
      // each word of a right-to-left run round on its own.
      const lineOptions: TextOptions = { ...baseline(), ...(hasRightToLeft(line) ? { features: [] } : {}) };
      for (const [i, run] of lineRuns.entries()) {
        const continued = i < lineRuns.length - 1;
        // pdfkit moves down by the height of the font a line ends in: a line that ends in a
        // fallback font (Noto Sans Arabic is taller than DejaVu Sans) is given the named font's.
        const lineGap = (options.lineGap ?? 0) + doc.font(font).currentLineHeight(true);
        const runFont = fontOf(font, run);
        const gap = continued ? {} : { lineGap: lineGap - doc.font(runFont).currentLineHeight(true) };
        // An empty line is written as a space, so that it still takes its line's height.
        const words = run.text === '' ? ' ' : run.text;
        inFont(runFont, () => {
          if (n === 0 && i === 0) doc.text(words, x, y, { ...options, ...lineOptions, ...gap, continued });
          else doc.text(words, { ...options, ...lineOptions, ...gap, continued });
        });
      }
    }
    return doc.font(font);
  };
}
