/**
 * The body of a printed letter as blocks (headings, lists, paragraphs), from the plain-text
 * templates. Kept apart from the PDF renderer (`render-letter.ts`) so that code laying out text
 * (the Ombudsman's file) does not load pdfkit and its fonts with it.
 */

/**
 * Starts a paragraph or list item of a letter's plain text that is in English inside a letter in
 * another language (an officer's words in a Welsh letter; `RenderOptions.languageMarks`). A
 * private-use character: never printed, and taken out here, where the block is tagged instead.
 */
export const ENGLISH_MARK = '\uE000';

/** One block of the body; `lang` when it is in another language than the letter (`en` in a Welsh one). */
export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'list'; items: string[]; lang?: 'en' }
  | { kind: 'para'; text: string; lang?: 'en' };

/** `text` without any `ENGLISH_MARK`: the letter's words as a person reads them. */
export function withoutLanguageMarks(text: string): string {
  return text.replaceAll(ENGLISH_MARK, '');
}

/** A heading in the plain-text templates is a line of capitals ("WHY WE DECIDED THIS"). */
function isHeading(line: string): boolean {
  return /[A-Z]/.test(line) && line === line.toUpperCase() && !/[a-z]/.test(line) && line.length <= 80;
}

/** Splits the plain-text body into headings, lists and paragraphs. */
export function letterBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  for (const chunk of text.split(/\n\s*\n/)) {
    const marked = chunk
      .split('\n')
      .map((l) => l.trimEnd())
      .filter((l) => l.trim() !== '');
    if (marked.length === 0) continue;
    // A paragraph marked English at its start, or a list whose every item is.
    const english = (l: string) => l.startsWith(ENGLISH_MARK) || l.startsWith(`- ${ENGLISH_MARK}`);
    const lines = marked.map(withoutLanguageMarks);
    const lang = (from: string[]): { lang?: 'en' } => (from.every(english) ? { lang: 'en' } : {});
    if (lines.length === 1 && isHeading(lines[0] as string)) {
      blocks.push({ kind: 'heading', text: sentenceCase(lines[0] as string) });
      continue;
    }
    const items = lines.filter((l) => l.startsWith('- '));
    if (items.length === lines.length) {
      blocks.push({ kind: 'list', items: items.map((l) => l.slice(2)), ...lang(marked) });
      continue;
    }
    if (items.length > 0) {
      // A lead-in line followed by a list ("Tell us which of these applies:").
      const lead = lines.filter((l) => !l.startsWith('- '));
      blocks.push({
        kind: 'para',
        text: lead.join('\n'),
        ...lang(marked.filter((l) => !l.startsWith('- '))),
      });
      blocks.push({
        kind: 'list',
        items: items.map((l) => l.slice(2)),
        ...lang(marked.filter((l) => l.startsWith('- '))),
      });
      continue;
    }
    // A paragraph's later lines carry no mark (one mark starts the paragraph).
    blocks.push({
      kind: 'para',
      text: lines.join('\n'),
      ...(english(marked[0] as string) ? { lang: 'en' } : {}),
    });
  }
  return blocks;
}

/** "WHY WE DECIDED THIS" → "Why we decided this" (headings read better, and aloud, in sentence case). */
function sentenceCase(heading: string): string {
  const lower = heading.toLowerCase();
  return `${lower.charAt(0).toUpperCase()}${lower.slice(1)}`
    .replace(/\bombudsman\b/g, 'Ombudsman')
    .replace(/\bstage (\d)\b/g, 'stage $1');
}

/**
 * One line of the letterhead (an address line, "Email: customer.relations@…") as the lines it is
 * printed on, none wider than `width` as `measure` gives it. Lines break at spaces; a word too
 * long for a line (an email address, a web address) breaks only before its "@" or after a "/",
 * and, when a piece is still too long, before a ".", so that what a resident copies by eye stays
 * readable. Returns undefined when a piece
 * between those points is still too wide: the caller prints the letterhead smaller.
 */
export function letterheadLines(
  text: string,
  width: number,
  measure: (text: string) => number,
): string[] | undefined {
  const lines: string[] = [];
  let line = '';
  const add = (piece: string, glue: string) => {
    if (line && measure(line + glue + piece) <= width) {
      line += glue + piece;
    } else {
      if (line) lines.push(line);
      line = piece;
    }
  };
  for (const word of text.split(/\s+/).filter(Boolean)) {
    // A word too long even for a line of its own is taken apart where a reader expects a break:
    // before the "@" and after a "/" first, and only then before the dots of a piece still too long.
    const pieces = [word]
      .flatMap((w) => (measure(w) <= width ? [w] : w.split(/(?=@)|(?<=\/)(?!\/)/)))
      .flatMap((w) => (measure(w) <= width ? [w] : w.split(/(?=\.)/)));
    if (pieces.some((piece) => measure(piece) > width)) return undefined;
    for (const [i, piece] of pieces.entries()) add(piece, i === 0 ? ' ' : '');
  }
  if (line) lines.push(line);
  return lines;
}
