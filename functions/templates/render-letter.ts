import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { FALLBACK_FONTS, textWithFallback } from './font-fallback.js';
import { letterBlocks, letterheadLines } from './letter-blocks.js';
import { unprintableText } from './unprintable.js';

/**
 * A printed letter as an accessible PDF, from the same template as the email (its plain-text
 * rendering for the letter medium): A4, the council's address block, the resident's name and
 * address placed for a DL window envelope, the date and reference, then the body.
 *
 * Accessible: a tagged PDF (PDF 1.7 structure tree: Document, H1, H2, P, L/LI), real text in an
 * embedded Unicode font, the document language (`en-GB`) and a title shown in the window's title
 * bar. pdfkit is used rather than a headless browser: it is small, runs in a Lambda and makes the
 * same bytes from the same input.
 *
 * The font is DejaVu Sans (npm `dejavu-fonts-ttf`), embedded and subset: pdfkit's built-in
 * Helvetica covers only Windows-1252, and a resident's name may not. Characters DejaVu lacks
 * (Chinese, Japanese, Korean, the Indic scripts, Thai, Ethiopic; Urdu's letters) are set in
 * fallback fonts, and lines with Arabic or Hebrew in the order they are read
 * (`font-fallback.ts`). A Lambda bundle has no
 * node_modules: the deploy copies the font files next to the bundle and sets
 * `REDRESS_LETTER_FONT` to the regular one (see `infra/constructs/functions.ts`).
 */

/** What goes on a letter besides the body. */
export interface LetterParts {
  /** The council's name and the lines of its return address. */
  council: string;
  returnAddress: string[];
  /** How to contact the council (phone, email), printed under the address block. */
  contact: string[];
  /** The resident: name and postal address, one line each. */
  recipient: { name?: string; addressLines: string[] };
  /** The date printed on the letter, already formatted ("Monday 2 March 2026"). */
  date: string;
  reference: string;
  /** How the reference is labelled, in the letter's language (default "Our reference"). */
  referenceLabel?: string;
  /** The letter's language as a BCP 47 tag, for the PDF's metadata (default `en-GB`). */
  lang?: string;
  /** The letter's title (the email's subject without the reference). */
  title: string;
  /**
   * The body, as the letter medium's plain text: ALL-CAPS lines are headings, "- " lines list
   * items, and paragraphs or items starting with `ENGLISH_MARK` English in a letter in another language.
   */
  text: string;
}

const MM = 72 / 25.4;

/** Where the DejaVu fonts are: next to the bundle when deployed, from npm otherwise. */
export function fontsDir(): string {
  const fromEnv = process.env.REDRESS_LETTER_FONT;
  if (fromEnv) return dirname(fromEnv);
  const pkg = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json');
  return join(dirname(pkg), 'ttf');
}

export const FONT_FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;

export { letterBlocks, letterheadLines } from './letter-blocks.js';

/**
 * The letterhead's lines, broken where a reader expects (`letterheadLines`), in the body font at
 * the largest size from 10 pt down to 7 pt at which every piece fits; the font is left set. Only
 * a piece too wide even at 7 pt is left to pdfkit, which breaks it anywhere.
 */
function letterhead(doc: PDFKit.PDFDocument, lines: readonly string[], width: number): string[] {
  for (let size = 10; size >= 7; size -= 0.5) {
    doc.font('body').fontSize(size);
    const measure = (text: string) => doc.widthOfString(text);
    const wrapped = lines.map((line) => letterheadLines(line, width - 0.5, measure));
    if (wrapped.every((w) => w !== undefined)) return wrapped.flat();
  }
  return [...lines];
}

/** A rendered letter: the PDF, and the characters in it that print as empty boxes. */
export interface LetterFile {
  pdf: Buffer;
  /** The distinct characters no letter font has (`unprintableText`); empty when every one prints. */
  unprintable: string;
}

/** Renders the letter; resolves to the PDF's bytes. */
export async function renderLetterPdf(parts: LetterParts): Promise<Buffer> {
  return (await renderLetterFile(parts)).pdf;
}

/** Renders the letter; resolves to the PDF and what in it no font could print. */
export async function renderLetterFile(parts: LetterParts): Promise<LetterFile> {
  const dir = fontsDir();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 20 * MM, bottom: 20 * MM, left: 20 * MM, right: 20 * MM },
    pdfVersion: '1.7',
    tagged: true,
    lang: parts.lang ?? 'en-GB',
    displayTitle: true,
    font: join(dir, FONT_FILES.regular),
    info: {
      Title: parts.title,
      Author: parts.council,
      Subject: `${parts.title} (${parts.reference})`,
      Creator: 'Redress',
    },
  });
  doc.registerFont('body', join(dir, FONT_FILES.regular));
  doc.registerFont('bold', join(dir, FONT_FILES.bold));
  // A name or a quotation in a script DejaVu lacks is set in a fallback font, not left blank;
  // what no font has is reported with the PDF.
  const unprintable = new Set<string>();
  const text = textWithFallback(
    doc,
    { body: join(dir, FONT_FILES.regular), bold: join(dir, FONT_FILES.bold) },
    FALLBACK_FONTS,
    unprintable,
  );
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<LetterFile>((resolve, reject) => {
    doc.on('end', () => resolve({ pdf: Buffer.concat(chunks), unprintable: unprintableText(unprintable) }));
    doc.on('error', reject);
  });

  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const root = doc.struct('Document');
  doc.addStructure(root);

  // The council's block, top right.
  const blockX = doc.page.width - doc.page.margins.right - 75 * MM;
  root.add(
    doc.struct('P', {}, () => {
      doc.fontSize(12);
      text('bold', parts.council, blockX, 20 * MM, { width: 75 * MM });
      for (const line of letterhead(doc, [...parts.returnAddress, ...parts.contact], 75 * MM))
        text('body', line, undefined, undefined, { width: 75 * MM });
    }),
  );

  // The resident's name and address where a DL window envelope shows it (20 mm in, 50 mm down).
  const recipientLines = [parts.recipient.name, ...parts.recipient.addressLines].filter((l): l is string =>
    Boolean(l),
  );
  root.add(
    doc.struct('P', {}, () => {
      doc.fontSize(11);
      text('body', recipientLines.join('\n') || ' ', left, 50 * MM, { width: 85 * MM });
    }),
  );

  const topOfBody = Math.max(doc.y, 50 * MM + 35 * MM);
  root.add(
    doc.struct('P', {}, () => {
      doc.fontSize(11);
      text('body', parts.date, left, topOfBody, { width });
      text('body', `${parts.referenceLabel ?? 'Our reference'}: ${parts.reference}`, undefined, undefined, {
        width,
      });
    }),
  );
  doc.moveDown(1);
  root.add(
    doc.struct('H1', {}, () => {
      text('bold', parts.title, left, doc.fontSize(16).y, { width });
    }),
  );
  doc.moveDown(0.5);

  // Nothing is left alone across a page end: a paragraph or list moves whole to the next page
  // when it would not fit (and fits on one), a heading goes with the block after it, and the
  // last block (the council's name) with the one before it, so no sheet holds only "us." and
  // the sign-off, and no heading ends a page.
  const blocks = letterBlocks(parts.text);
  const bottom = doc.page.height - doc.page.margins.bottom;
  const pageRoom = bottom - doc.page.margins.top;
  const heightOf = (block: (typeof blocks)[number] | undefined): number => {
    if (!block) return 0;
    if (block.kind === 'heading')
      return (
        doc.font('bold').fontSize(13).heightOfString(block.text, { width }) + doc.currentLineHeight(true)
      );
    doc.font('body').fontSize(11);
    const gap = doc.currentLineHeight(true) * 0.6;
    if (block.kind === 'list')
      return block.items.reduce(
        (h, item) => h + doc.heightOfString(`•  ${item}`, { width: width - 4 * MM, lineGap: 2 }),
        gap,
      );
    return doc.heightOfString(block.text, { width, lineGap: 2 }) + gap;
  };
  const keepTogether = (height: number) => {
    if (doc.y + height > bottom && height <= pageRoom) doc.addPage();
  };
  for (const [i, block] of blocks.entries()) {
    const next = blocks[i + 1];
    // A heading needs the first lines of what follows it; the sign-off the whole block before it.
    const withNext =
      block.kind === 'heading'
        ? Math.min(heightOf(next), 3 * doc.font('body').fontSize(11).currentLineHeight(true))
        : next !== undefined && i + 1 === blocks.length - 1
          ? heightOf(next)
          : 0;
    keepTogether(heightOf(block) + withNext);
    if (block.kind === 'heading') {
      doc.moveDown(0.4);
      root.add(doc.struct('H2', {}, () => text('bold', block.text, left, doc.fontSize(13).y, { width })));
      doc.moveDown(0.3);
    } else if (block.kind === 'list') {
      // English inside a Welsh letter (an officer's words) is tagged so it is read as English.
      const list = doc.struct('L', block.lang ? { lang: block.lang } : {});
      root.add(list);
      for (const item of block.items) {
        list.add(
          doc.struct('LI', {}, () =>
            text('body', `•  ${item}`, left + 4 * MM, doc.fontSize(11).y, {
              width: width - 4 * MM,
              lineGap: 2,
            }),
          ),
        );
      }
      list.end();
      doc.moveDown(0.6);
    } else {
      root.add(
        doc.struct('P', block.lang ? { lang: block.lang } : {}, () =>
          text('body', block.text, left, doc.fontSize(11).y, { width, lineGap: 2 }),
        ),
      );
      doc.moveDown(0.6);
    }
  }
  root.end();
  doc.end();
  return done;
}
