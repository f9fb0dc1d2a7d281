import { describe, expect, it } from 'vitest';
import { hasRightToLeft, visualRuns } from '../../functions/templates/right-to-left.js';

/** The runs of a line in one font. */
const oneFont = (line: string) => visualRuns(line, [{ font: 0, text: line }]);

describe('visualRuns', () => {
  it('leaves a right-to-left run in the order typed, for the shaper to join and turn round', () => {
    expect(oneFont('דוד כהן')).toEqual([{ font: 0, text: 'דוד כהן' }]);
  });

  it('keeps a Latin greeting first and the comma after the name on a line that starts in Latin', () => {
    expect(oneFont('Dear محمد علی,')).toEqual([
      { font: 0, text: 'Dear ' },
      { font: 0, text: 'محمد علی' },
      { font: 0, text: ',' },
    ]);
  });

  it('puts a house number that starts a Hebrew line on the right, its digits left to right', () => {
    // The Hebrew run, with the space after the number, is turned round by the shaper.
    expect(oneFont('5 רחוב הרצל')).toEqual([
      { font: 0, text: ' רחוב הרצל' },
      { font: 0, text: '5' },
    ]);
  });

  it('orders two Arabic words on either side of a number as one reads them', () => {
    expect(oneFont('شارع 12 الملك')).toEqual([
      { font: 0, text: ' الملك' },
      { font: 0, text: '12' },
      { font: 0, text: 'شارع ' },
    ]);
  });

  it('mirrors brackets on a Hebrew line, for the shaper to turn round with the words', () => {
    expect(oneFont('(שלום) ...')).toEqual([{ font: 0, text: ')שלום( ...' }]);
  });

  it('turns round a space the shaper would leave alone, and cuts runs where the font changes', () => {
    // A number after Arabic words belongs with them (rule W2): it is seen to their left.
    expect(
      visualRuns('Dear محمد 12', [
        { font: 0, text: 'Dear ' },
        { font: 1, text: 'محمد' },
        { font: 0, text: ' 12' },
      ]),
    ).toEqual([
      { font: 0, text: 'Dear ' },
      { font: 0, text: '12' },
      { font: 0, text: ' ' },
      { font: 1, text: 'محمد' },
    ]);
  });

  it('turns round a run of brackets and stops between Arabic words, mirroring the brackets', () => {
    expect(
      visualRuns('محمد (علی)', [
        { font: 1, text: 'محمد' },
        { font: 0, text: ' (' },
        { font: 1, text: 'علی' },
        { font: 0, text: ')' },
      ]),
    ).toEqual([
      { font: 0, text: '(' },
      { font: 1, text: 'علی' },
      { font: 0, text: ') ' },
      { font: 1, text: 'محمد' },
    ]);
  });

  it('orders each printed line of a long line on its own, the first words on the first line', () => {
    // "David Cohen lives at 5 Herzl Street", broken after "lives".
    const line = 'דוד כהן גר ברחוב 5 הרצל';
    const runs = [{ font: 0, text: line }];

    expect(visualRuns(line, runs, 0, 10)).toEqual([{ font: 0, text: 'דוד כהן גר' }]);
    expect(visualRuns(line, runs, 11, line.length)).toEqual([
      { font: 0, text: ' הרצל' },
      { font: 0, text: '5' },
      { font: 0, text: 'ברחוב ' },
    ]);
  });

  it('takes the direction of a printed line from the whole line, not from the words on it', () => {
    // "Reference Redress 12 file", broken after "Reference": the English words are on the right.
    const line = 'المرجع Redress 12 ملف';
    const runs = [{ font: 0, text: line }];

    expect(visualRuns(line, runs, 7, line.length)).toEqual([
      { font: 0, text: ' ملف' },
      { font: 0, text: 'Redress 12' },
    ]);
  });
});

describe('hasRightToLeft', () => {
  it('finds Arabic, Hebrew and a right-to-left mark, and nothing in Latin, Chinese or Devanagari', () => {
    expect(['لاہور', 'שלום', 'a\u200fb'].map(hasRightToLeft)).toEqual([true, true, true]);
    expect(['Zoë Łukasiewicz', '王小明', 'प्रिया'].map(hasRightToLeft)).toEqual([false, false, false]);
  });
});
