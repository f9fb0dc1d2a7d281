import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import {
  FONT_FILES,
  fontsDir,
  letterBlocks,
  letterheadLines,
  renderLetterPdf,
} from '../../functions/templates/render-letter.js';
import { pdfPages } from '../support/pdf-text.js';

const parts = {
  council: 'Test Council',
  returnAddress: ['Complaints team', '1 Example Street'],
  contact: ['Email: complaints@test.example'],
  recipient: { name: 'Zoë Łukasiewicz', addressLines: ['12 Mill Lane', 'Exampletown EX1 2AB'] },
  date: 'Monday 2 March 2026',
  reference: 'CMP-2026-000001',
  title: 'Our response to your complaint',
  text: 'Dear Zoë Łukasiewicz,\n\nOUR DECISION\n\nWe have upheld your complaint.\n\nTell us which applies:\n- one\n- two\n\nTest Council',
};

describe('letterBlocks', () => {
  it('reads capital lines as headings, "- " lines as a list and the rest as paragraphs', () => {
    expect(letterBlocks(parts.text)).toEqual([
      { kind: 'para', text: 'Dear Zoë Łukasiewicz,' },
      { kind: 'heading', text: 'Our decision' },
      { kind: 'para', text: 'We have upheld your complaint.' },
      { kind: 'para', text: 'Tell us which applies:' },
      { kind: 'list', items: ['one', 'two'] },
      { kind: 'para', text: 'Test Council' },
    ]);
  });

  it('keeps the Ombudsman and stage numbers right in sentence-case headings', () => {
    expect(letterBlocks('IF YOU ARE UNHAPPY WITH STAGE 2\n\nTHE OMBUDSMAN')).toEqual([
      { kind: 'heading', text: 'If you are unhappy with stage 2' },
      { kind: 'heading', text: 'The Ombudsman' },
    ]);
  });
});

describe('letterheadLines', () => {
  /** Every character 5 points wide: a line of 20 characters is 100 points. */
  const mono = (text: string) => text.length * 5;

  it('breaks a long email address before the "@", then before dots, never inside a word', () => {
    const lines = letterheadLines('Email: customer.relations@unitary.example.gov.uk', 120, mono);
    const narrow = letterheadLines('Email: customer.relations@unitary.example.gov.uk', 80, mono);

    expect(lines).toEqual(['Email:', 'customer.relations', '@unitary.example.gov.uk']);
    expect(narrow).toEqual(['Email: customer', '.relations', '@unitary.example', '.gov.uk']);
  });

  it('moves a long address that fits a line of its own to the next line whole', () => {
    const lines = letterheadLines('Email: complaints@unitary.example.gov.uk', 175, mono);

    expect(lines).toEqual(['Email:', 'complaints@unitary.example.gov.uk']);
  });

  it('breaks a web address after a slash', () => {
    const lines = letterheadLines('https://www.unitary.example.gov.uk/complaints/feedback-form', 175, mono);

    expect(lines).toEqual(['https://www.unitary.example.gov.uk/', 'complaints/feedback-form']);
  });

  it('leaves a line that fits as it is, and wraps words at spaces', () => {
    expect(letterheadLines('Phone: 01632 960 001', 200, mono)).toEqual(['Phone: 01632 960 001']);
    expect(letterheadLines('Customer Relations, County Hall', 100, mono)).toEqual([
      'Customer Relations,',
      'County Hall',
    ]);
  });

  it('gives up when a piece between break points is still too wide, so the letterhead is set smaller', () => {
    expect(letterheadLines('Email: customer.relations@unitary.example.gov.uk', 40, mono)).toBeUndefined();
  });

  it("keeps the unitary council preset's email whole or broken at the @ or a dot in the letterhead's font", () => {
    const doc = new PDFDocument({ font: join(fontsDir(), FONT_FILES.regular) });
    doc.fontSize(10);
    const email = 'customer.relations@unitary.example.gov.uk';
    const width = (72 / 25.4) * 75;

    const lines = letterheadLines(`Email: ${email}`, width, (t) => doc.widthOfString(t)) ?? [];

    expect(lines.join(' ').replace(/ (?=[@.])/g, '')).toBe(`Email: ${email}`);
    for (const line of lines.slice(1)) expect(line).toMatch(/^(customer|[@.])/);
    for (const line of lines) expect(doc.widthOfString(line)).toBeLessThanOrEqual(width);
  });
});

describe('renderLetterPdf', () => {
  it('makes an A4 tagged PDF with a title, a language, headings, paragraphs, a list and an embedded font', async () => {
    const pdf = (await renderLetterPdf(parts)).toString('latin1');

    expect(pdf.startsWith('%PDF-1.7')).toBe(true);
    expect(pdf).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    expect(pdf).toMatch(/\/Lang \(en-GB\)/);
    expect(pdf).toMatch(/\/DisplayDocTitle true/);
    expect(pdf).toMatch(/\/Marked true/);
    for (const tag of ['Document', 'H1', 'H2', 'P', 'L', 'LI'])
      expect(pdf).toMatch(new RegExp(`/S /${tag}\\b`));
    expect(pdf).toMatch(/\/FontFile2/);
    expect(pdf).toMatch(/DejaVuSans/);
  });

  it('sets a name in Chinese in a font that has its characters, not as blanks', async () => {
    const pdf = (
      await renderLetterPdf({
        ...parts,
        recipient: { name: '王小明', addressLines: ['12 Mill Lane'] },
        text: 'Dear 王小明,\n\nWe have upheld your complaint.',
      })
    ).toString('latin1');

    expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC/);
    expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans/);
  });

  it('starts the address on the line after a name in Chinese, as after any other name', async () => {
    const pdf = await renderLetterPdf({
      ...parts,
      recipient: { name: '王小明', addressLines: ['12 Mill Lane', 'Exampletown EX1 2AB'] },
    });

    const lines = ((await pdfPages(pdf))[0] ?? '').split('\n').map((line) => line.trim());

    expect(lines).toContain('王小明');
    expect(lines).toContain('12 Mill Lane');
  });

  it('keeps address lines in Chinese one after another on lines of their own', async () => {
    const pdf = await renderLetterPdf({
      ...parts,
      recipient: { name: '王小明', addressLines: ['北京路 12号', '朝阳区', '12 Mill Lane'] },
    });

    const lines = ((await pdfPages(pdf))[0] ?? '').split('\n').map((line) => line.trim());
    const at = lines.indexOf('王小明');

    expect(lines.slice(at, at + 4)).toEqual(['王小明', '北京路 12号', '朝阳区', '12 Mill Lane']);
  });

  it('keeps a line break that follows Chinese text in a paragraph', async () => {
    const pdf = await renderLetterPdf({
      ...parts,
      text: 'Dear Mr Wang,\n\nYou wrote: 垃圾没有收集\nThe next line of the quotation.',
    });

    const lines = ((await pdfPages(pdf))[0] ?? '').split('\n').map((line) => line.trim());

    expect(lines).toContain('The next line of the quotation.');
  });

  it('embeds no second font when every character is in DejaVu Sans', async () => {
    const pdf = (await renderLetterPdf(parts)).toString('latin1');

    expect(pdf).not.toMatch(/NotoSans/);
  });

  it.each([10, 12, 14, 16, 18])(
    'keeps each paragraph, a heading with what follows it, and the sign-off on one page (%i paragraphs)',
    async (count) => {
      // A paragraph split by the page end left a resident a second sheet holding only "us." and
      // the council's name, or a heading alone at the foot of a page.
      const paragraph = (k: number) =>
        `Paragraph ${k} begins. ${'We looked at the records, spoke to the crew and checked the photographs you sent. '.repeat(3)}Paragraph ${k} ends.`;
      const body = Array.from({ length: count }, (_, i) =>
        i % 3 === 2 ? `HEADING ${i + 1}\n\n${paragraph(i + 1)}` : paragraph(i + 1),
      ).join('\n\n');
      const text = `${body}\n\nYour reference is CMP-2026-000001. Please quote it if you contact us about this.\nIf you need this letter in another format, such as large print or another language, tell us.\n\nTest Council`;

      const pages = await pdfPages(await renderLetterPdf({ ...parts, text }));

      const pageOf = (needle: string) =>
        pages.findIndex((page) => page.replace(/\s+/g, ' ').includes(needle));
      for (let k = 1; k <= count; k++) {
        expect(pageOf(`Paragraph ${k} ends.`), `paragraph ${k}`).toBe(pageOf(`Paragraph ${k} begins.`));
      }
      for (const page of pages.slice(0, -1)) {
        expect(page.trim().split('\n').at(-1)).not.toMatch(/^Heading \d+$/);
      }
      expect(pageOf('tell us.')).toBe(pageOf('If you need this letter'));
      expect(pages.at(-1)?.trim()).not.toBe('Test Council');
    },
  );
});
