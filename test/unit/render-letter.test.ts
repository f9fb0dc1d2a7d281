import { describe, expect, it } from 'vitest';
import { letterBlocks, renderLetterPdf } from '../../functions/templates/render-letter.js';

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
});
