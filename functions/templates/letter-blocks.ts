/**
 * The body of a printed letter as blocks (headings, lists, paragraphs), from the plain-text
 * templates. Kept apart from the PDF renderer (`render-letter.ts`) so that code laying out text
 * (the Ombudsman's file) does not load pdfkit and its fonts with it.
 */

/** One block of the body. */
export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'para'; text: string };

/** A heading in the plain-text templates is a line of capitals ("WHY WE DECIDED THIS"). */
function isHeading(line: string): boolean {
  return /[A-Z]/.test(line) && line === line.toUpperCase() && !/[a-z]/.test(line) && line.length <= 80;
}

/** Splits the plain-text body into headings, lists and paragraphs. */
export function letterBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  for (const chunk of text.split(/\n\s*\n/)) {
    const lines = chunk
      .split('\n')
      .map((l) => l.trimEnd())
      .filter((l) => l.trim() !== '');
    if (lines.length === 0) continue;
    if (lines.length === 1 && isHeading(lines[0] as string)) {
      blocks.push({ kind: 'heading', text: sentenceCase(lines[0] as string) });
      continue;
    }
    const items = lines.filter((l) => l.startsWith('- '));
    if (items.length === lines.length) {
      blocks.push({ kind: 'list', items: items.map((l) => l.slice(2)) });
      continue;
    }
    if (items.length > 0) {
      // A lead-in line followed by a list ("Tell us which of these applies:").
      const lead = lines.filter((l) => !l.startsWith('- '));
      blocks.push({ kind: 'para', text: lead.join('\n') });
      blocks.push({ kind: 'list', items: items.map((l) => l.slice(2)) });
      continue;
    }
    blocks.push({ kind: 'para', text: lines.join('\n') });
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
