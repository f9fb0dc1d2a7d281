import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

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
