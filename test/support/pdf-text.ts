import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * The text of each page of a PDF, lines joined with newlines, read with Mozilla's PDF.js (the
 * reader Firefox uses): what a person copying the text, or a screen reader, would get.
 */
export async function pdfPages(pdf: Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false })
    .promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    let text = '';
    for (const item of content.items) {
      if (!('str' in item)) continue;
      text += item.str + (item.hasEOL ? '\n' : '');
    }
    pages.push(text);
  }
  await doc.destroy();
  return pages;
}

/** The document's metadata as PDF.js reads it: title, language, whether it is tagged. */
export async function pdfInfo(pdf: Uint8Array): Promise<{ title?: string; lang?: string; tagged: boolean }> {
  const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false }).promise;
  const meta = await doc.getMetadata();
  const info = meta.info as { Title?: string; Language?: string };
  const tree = await (await doc.getPage(1)).getStructTree();
  const markInfo = await doc.getMarkInfo();
  await doc.destroy();
  return {
    ...(info.Title ? { title: info.Title } : {}),
    ...(info.Language ? { lang: info.Language } : {}),
    tagged: markInfo?.Marked === true && tree !== null,
  };
}

/** A glyph drawn on a page: the font it is in (without the subset's prefix) and what it stands for. */
export interface DrawnGlyph {
  font: string;
  text: string;
  /** Its code in the font: two shapes of one letter have different codes. */
  code: number;
  /** The glyph is the font's `.notdef`: a character the font lacks, printed as a blank or a box. */
  missing: boolean;
}

/**
 * The glyphs drawn on each page, in the order they are drawn: left to right along a line, so a
 * right-to-left word comes out last letter first, and an Indic vowel sign written before its
 * consonant comes out first. Read with PDF.js from the page's drawing operators.
 */
export async function pdfGlyphs(pdf: Uint8Array): Promise<DrawnGlyph[][]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false })
    .promise;
  const pages: DrawnGlyph[][] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const ops = await page.getOperatorList();
    const glyphs: DrawnGlyph[] = [];
    let font = '';
    for (const [i, fn] of ops.fnArray.entries()) {
      const args = ops.argsArray[i];
      if (fn === OPS.setFont)
        font = String((page.commonObjs.get(args[0]) as { name: string }).name).replace(/^[A-Z]{6}\+/, '');
      if (fn !== OPS.showText) continue;
      for (const glyph of args[0] as (number | { unicode: string; originalCharCode: number })[]) {
        if (typeof glyph === 'number') continue;
        glyphs.push({
          font,
          text: glyph.unicode,
          code: glyph.originalCharCode,
          missing: glyph.originalCharCode === 0,
        });
      }
    }
    pages.push(glyphs);
  }
  await doc.destroy();
  return pages;
}
