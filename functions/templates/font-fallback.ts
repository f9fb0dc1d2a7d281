import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Font, openSync } from 'fontkit';

/**
 * Text in scripts the letters' font lacks. DejaVu Sans covers Latin, Greek, Cyrillic, Arabic and
 * Hebrew, but not Chinese or Japanese: a resident's name in them came out blank. pdfkit sets a
 * run of text in one font and has no fallback of its own, so the text is cut into runs, each in
 * the first font that has its characters (`fontRuns`), and the runs are written one after the
 * other on the same lines (pdfkit's `continued`), wrapping as one paragraph.
 *
 * The fallback is Noto Sans SC (npm `@expo-google-fonts/noto-sans-sc`, SIL Open Font Licence):
 * Chinese and Japanese kana. It is read only for a letter that needs it, and embedded as a subset
 * of the characters used. Other scripts DejaVu lacks (Korean, the Indic scripts, Thai, Ethiopic)
 * would each need a Noto font of their own added to `FALLBACK_FONT_FILES`.
 */

/** The fallback fonts' file names, in the order they are tried after the document's own font. */
export const FALLBACK_FONT_FILES = ['NotoSansSC_400Regular.ttf'] as const;

/**
 * Where the fallback fonts are: beside the letter font when deployed (`REDRESS_LETTER_FONT`, the
 * deploy copies them all into one folder), from npm otherwise.
 */
export function fallbackFontsDir(): string {
  const fromEnv = process.env.REDRESS_LETTER_FONT;
  if (fromEnv) return dirname(fromEnv);
  const pkg = createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans-sc/package.json');
  return join(dirname(pkg), '400Regular');
}

/** One run of text and the index, in the list given to `fontRuns`, of the font it is set in. */
export interface FontRun {
  font: number;
  text: string;
}

/**
 * Cuts text into runs, each set in the first font that has a glyph for its characters (`covers`,
 * in order of preference). White space, and a character no font has, stay in the run they are
 * in, so that a space between two Chinese words does not switch fonts twice.
 */
export function fontRuns(text: string, covers: readonly ((codePoint: number) => boolean)[]): FontRun[] {
  const runs: FontRun[] = [];
  for (const char of text) {
    const current = runs.at(-1);
    const codePoint = char.codePointAt(0) as number;
    const found = /\s/.test(char) ? -1 : covers.findIndex((has) => has(codePoint));
    const font = found >= 0 ? found : (current?.font ?? 0);
    if (current && current.font === font) current.text += char;
    else runs.push({ font, text: char });
  }
  return runs;
}

/** Fonts opened to ask which characters they have, once per file for the life of the process. */
const opened = new Map<string, Font>();

function coverageOf(file: string): (codePoint: number) => boolean {
  return (codePoint) => {
    let font = opened.get(file);
    if (!font) {
      font = openSync(file) as Font;
      opened.set(file, font);
    }
    return font.hasGlyphForCodePoint(codePoint);
  };
}

/** Options of pdfkit's `text`, as the renderers use them. */
export type TextOptions = PDFKit.Mixins.TextOptions;

/**
 * A `text` for a pdfkit document that falls back to other fonts for characters its own lack.
 * `fonts` maps each font name registered on the document to its file; the fallbacks are
 * registered here. Writes `text` in the named font at the document's font size; leaves that font
 * set.
 */
export function textWithFallback(
  doc: PDFKit.PDFDocument,
  fonts: Readonly<Record<string, string>>,
  fallbackFiles: readonly string[] = FALLBACK_FONT_FILES.map((f) => join(fallbackFontsDir(), f)),
): (font: string, text: string, x?: number, y?: number, options?: TextOptions) => PDFKit.PDFDocument {
  for (const [i, file] of fallbackFiles.entries()) doc.registerFont(`fallback-${i}`, file);
  const fallbacks = fallbackFiles.map(coverageOf);
  return (font, text, x, y, options = {}) => {
    const file = fonts[font];
    const covers = file ? [coverageOf(file), ...fallbacks] : [];
    const runs = file ? fontRuns(text, covers) : [{ font: 0, text }];
    const fontOf = (run: FontRun): string => (run.font === 0 ? font : `fallback-${run.font - 1}`);
    if (runs.length === 1) {
      doc.font(fontOf(runs[0] as FontRun)).text(text, x, y, options);
      return doc.font(font);
    }
    // pdfkit drops a line break at the end of a continued run, so with more than one font the
    // text goes line by line, each line's runs continued and the line ended by its last run.
    const lines = text.split('\n');
    for (const [n, line] of lines.entries()) {
      const lineRuns = line === '' ? [{ font: 0, text: '' }] : fontRuns(line, covers);
      for (const [i, run] of lineRuns.entries()) {
        doc.font(fontOf(run));
        const continued = i < lineRuns.length - 1;
        // An empty line is written as a space, so that it still takes its line's height.
        const words = run.text === '' ? ' ' : run.text;
        if (n === 0 && i === 0) doc.text(words, x, y, { ...options, continued });
        else doc.text(words, { ...options, continued });
      }
    }
    return doc.font(font);
  };
}
