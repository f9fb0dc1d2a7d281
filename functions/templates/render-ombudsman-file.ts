import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { type ContentsEntry, contentsLine } from '../domain/ombudsman-file.js';
import { textWithFallback } from './font-fallback.js';
import { FONT_FILES, fontsDir } from './render-letter.js';

/**
 * The Ombudsman's case file as one paginated, accessible PDF: a cover, a contents page with the
 * page each section starts on, then the sections (chronology, the resident's words, decisions
 * and reasons, every letter and email, the evidence, notes), "Page N of M" in every footer.
 *
 * pdfkit writes pages in order, so the contents cannot be written first: the pages for it are
 * reserved (their number worked out from how many lines it will have), every section is laid
 * out while the page it starts on is noted, and then, with `bufferPages`, the renderer goes back
 * to fill in the contents and every page's footer. Like the letters (`render-letter.ts`): a tagged
 * PDF 1.7 (Document, H1, H2, TOC/TOCI, P, L/LI; footers are pagination artifacts), the language
 * and a title in the metadata, DejaVu Sans embedded; an outline (bookmarks) and links from the
 * contents to each section make it easy to move about in.
 */

/** One block of a section's text. */
export type FileBlock =
  | { kind: 'para'; text: string; bold?: boolean }
  | { kind: 'facts'; rows: { label: string; value: string }[] }
  | { kind: 'list'; items: string[] }
  | { kind: 'dated'; when: string; title: string; lines: string[] };

/** A part of a section listed in the contents under it (a letter, an email). */
export interface FileEntry {
  title: string;
  blocks: FileBlock[];
}

export interface FileSection {
  title: string;
  /** Text before the entries. */
  blocks: FileBlock[];
  /** Parts listed in the contents under the section (each starts with an H2). */
  entries?: FileEntry[];
}

export interface OmbudsmanFileDocument {
  council: string;
  ombudsmanName: string;
  reference: string;
  /** The cover's facts: case reference, complainant, service, dates, the ombudsman's reference. */
  cover: { label: string; value: string }[];
  /** Who prepared it and when, printed on the cover. */
  prepared: string;
  sections: FileSection[];
  lang?: string;
}

export interface RenderedFile {
  pdf: Buffer;
  pages: number;
  /** Each section and entry with the page it starts on (the cover is page 1). */
  contents: ContentsEntry[];
}

const MM = 72 / 25.4;
const MARGIN = 20 * MM;
const FOOTER_SPACE = 12 * MM;
const CONTENTS_LINE_HEIGHT = 17;

/** Renders the file; resolves to the PDF's bytes, its page count and its contents. */
export async function renderOmbudsmanFilePdf(file: OmbudsmanFileDocument): Promise<RenderedFile> {
  const dir = fontsDir();
  const title = `Case file for the ${file.ombudsmanName}: ${file.reference}`;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + FOOTER_SPACE, left: MARGIN, right: MARGIN },
    bufferPages: true,
    pdfVersion: '1.7',
    tagged: true,
    lang: file.lang ?? 'en-GB',
    displayTitle: true,
    font: join(dir, FONT_FILES.regular),
    info: { Title: title, Author: file.council, Subject: title, Creator: 'Redress' },
  });
  doc.registerFont('body', join(dir, FONT_FILES.regular));
  doc.registerFont('bold', join(dir, FONT_FILES.bold));
  // What residents and officers wrote, in a script DejaVu lacks, is set in a fallback font.
  const text = textWithFallback(doc, {
    body: join(dir, FONT_FILES.regular),
    bold: join(dir, FONT_FILES.bold),
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = MARGIN;
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const root = doc.struct('Document');
  doc.addStructure(root);
  const currentPage = () => doc.bufferedPageRange().start + doc.bufferedPageRange().count;
  /** Starts a new page unless `height` points still fit on this one. */
  const room = (height: number) => {
    if (doc.y + height > bottom()) doc.addPage();
  };
  const para = (words: string, options: { bold?: boolean; size?: number; x?: number; w?: number } = {}) => {
    const x = options.x ?? left;
    const w = options.w ?? width;
    const font = options.bold ? 'bold' : 'body';
    doc.font(font).fontSize(options.size ?? 11);
    room(Math.min(doc.heightOfString(words, { width: w, lineGap: 2 }), 60));
    root.add(doc.struct('P', {}, () => text(font, words, x, doc.y, { width: w, lineGap: 2 })));
  };

  // Cover.
  root.add(
    doc.struct('P', {}, () => {
      doc.fontSize(12);
      text('bold', file.council, left, MARGIN, { width });
    }),
  );
  doc.moveDown(3);
  root.add(
    doc.struct('H1', {}, () => {
      doc.font('bold').fontSize(22).text(`Case file for the ${file.ombudsmanName}`, left, doc.y, { width });
    }),
  );
  doc.moveDown(1);
  for (const row of file.cover) {
    doc.font('bold').fontSize(11);
    const labelWidth = 55 * MM;
    const y = doc.y;
    root.add(
      doc.struct('P', {}, () => {
        doc
          .font('bold')
          .fontSize(11)
          .text(`${row.label}:`, left, y, { width: labelWidth - 4 });
        const afterLabel = doc.y;
        text('body', row.value, left + labelWidth, y, { width: width - labelWidth, lineGap: 2 });
        doc.y = Math.max(doc.y, afterLabel);
      }),
    );
    doc.moveDown(0.4);
  }
  doc.moveDown(1);
  para(file.prepared, { size: 10 });

  // Contents: pages reserved now, written once every section's first page is known.
  const listed = file.sections.reduce((n, s) => n + 1 + (s.entries?.length ?? 0), 0);
  const perPage = Math.floor((doc.page.height - 2 * MARGIN - FOOTER_SPACE - 60) / CONTENTS_LINE_HEIGHT);
  const contentsPages = Math.max(1, Math.ceil(listed / perPage));
  doc.addPage();
  const contentsFirst = currentPage() - 1;
  const toc = doc.struct('TOC');
  root.add(toc);
  for (let i = 1; i < contentsPages; i++) doc.addPage();

  const contents: ContentsEntry[] = [];
  file.sections.forEach((section, s) => {
    doc.addPage();
    const dest = `section-${s + 1}`;
    doc.addNamedDestination(dest);
    contents.push({ title: section.title, page: currentPage(), level: 1 });
    const outline = doc.outline.addItem(section.title);
    doc.fontSize(18);
    root.add(doc.struct('H1', {}, () => text('bold', section.title, left, MARGIN, { width })));
    doc.moveDown(0.6);
    writeBlocks(section.blocks);
    (section.entries ?? []).forEach((entry, e) => {
      doc.font('bold').fontSize(13);
      room(doc.heightOfString(entry.title, { width }) + 40);
      doc.moveDown(0.6);
      doc.addNamedDestination(`${dest}-${e + 1}`);
      contents.push({ title: entry.title, page: currentPage(), level: 2 });
      outline.addItem(entry.title);
      root.add(doc.struct('H2', {}, () => text('bold', entry.title, left, doc.fontSize(13).y, { width })));
      doc.moveDown(0.3);
      writeBlocks(entry.blocks);
    });
  });

  function writeBlocks(blocks: FileBlock[]) {
    for (const block of blocks) {
      if (block.kind === 'para') {
        para(block.text, { bold: block.bold === true });
        doc.moveDown(0.5);
      } else if (block.kind === 'list') {
        const list = doc.struct('L');
        root.add(list);
        for (const item of block.items) {
          doc.font('body').fontSize(11);
          room(Math.min(doc.heightOfString(`•  ${item}`, { width: width - 4 * MM }), 40));
          list.add(
            doc.struct('LI', {}, () =>
              text('body', `•  ${item}`, left + 4 * MM, doc.y, { width: width - 4 * MM, lineGap: 2 }),
            ),
          );
        }
        list.end();
        doc.moveDown(0.5);
      } else if (block.kind === 'facts') {
        const labelWidth = 50 * MM;
        for (const row of block.rows) {
          doc.font('body').fontSize(11);
          room(doc.heightOfString(row.value, { width: width - labelWidth }) + 4);
          const y = doc.y;
          root.add(
            doc.struct('P', {}, () => {
              doc
                .font('bold')
                .fontSize(11)
                .text(`${row.label}:`, left, y, { width: labelWidth - 4 });
              const afterLabel = doc.y;
              text('body', row.value, left + labelWidth, y, { width: width - labelWidth, lineGap: 2 });
              doc.y = Math.max(doc.y, afterLabel);
            }),
          );
          doc.moveDown(0.2);
        }
        doc.moveDown(0.4);
      } else {
        // A dated entry (the chronology): the date in a narrow column, what happened beside it.
        const dateWidth = 42 * MM;
        const textWidth = width - dateWidth;
        const body = [block.title, ...block.lines].join('\n');
        doc.font('body').fontSize(10);
        room(Math.min(doc.heightOfString(body, { width: textWidth, lineGap: 1 }) + 6, 120));
        const y = doc.y;
        root.add(
          doc.struct('P', {}, () => {
            doc
              .font('body')
              .fontSize(10)
              .text(block.when, left, y, { width: dateWidth - 6, lineGap: 1 });
            const afterDate = doc.y;
            doc.fontSize(10);
            text('bold', block.title, left + dateWidth, y, { width: textWidth, lineGap: 1 });
            for (const line of block.lines)
              text('body', line, left + dateWidth, doc.y, { width: textWidth, lineGap: 1 });
            doc.y = Math.max(doc.y, afterDate);
          }),
        );
        doc.moveDown(0.5);
      }
    }
  }

  // Back to the reserved pages to write the contents, now that every page number is known.
  doc.switchToPage(contentsFirst);
  doc.y = MARGIN;
  toc.add(
    doc.struct('H1', {}, () => doc.font('bold').fontSize(18).text('Contents', left, MARGIN, { width })),
  );
  doc.moveDown(0.8);
  let section = 0;
  let sub = 0;
  contents.forEach((entry, i) => {
    if (i > 0 && i % perPage === 0) {
      doc.switchToPage(contentsFirst + i / perPage);
      doc.y = MARGIN;
    }
    if (entry.level === 1) {
      section++;
      sub = 0;
    } else sub++;
    const indent = entry.level === 1 ? 0 : 6 * MM;
    doc.font(entry.level === 1 ? 'bold' : 'body').fontSize(11);
    const line = contentsLine(entry, width - indent, (t) => doc.widthOfString(t));
    const y = doc.y;
    const dest = entry.level === 1 ? `section-${section}` : `section-${section}-${sub}`;
    toc.add(
      doc.struct('TOCI', {}, () => {
        doc.text(`${line.text}${line.dots}`, left + indent, y, {
          width: width - indent,
          lineBreak: false,
          ellipsis: true,
          goTo: dest,
          continued: false,
        });
        doc.text(line.page, left, y, { width, align: 'right', lineBreak: false, goTo: dest });
      }),
    );
    doc.y = y + CONTENTS_LINE_HEIGHT;
  });
  toc.end();

  // Every page's footer: "Page N of M", a pagination artifact (not read out as content).
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const keep = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.markContent('Artifact', { type: 'Pagination' });
    doc
      .font('body')
      .fontSize(9)
      .text(`${file.reference}  ·  Page ${i + 1} of ${count}`, left, doc.page.height - MARGIN, {
        width,
        align: 'center',
        lineBreak: false,
      });
    doc.endMarkedContent();
    doc.page.margins.bottom = keep;
  }
  root.end();
  doc.end();
  return { pdf: await done, pages: count, contents };
}
