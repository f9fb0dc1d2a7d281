import { describe, expect, it } from 'vitest';
import { fontRuns, lineBreaks, type RunFont } from '../../functions/templates/font-fallback.js';

/** A main font with Latin only, and a fallback with Chinese only. */
const latin: RunFont = { has: (cp) => cp < 0x250 };
const chinese: RunFont = { has: (cp) => cp >= 0x4e00 && cp <= 0x9fff };

describe('fontRuns', () => {
  it('keeps text the main font has in one run', () => {
    expect(fontRuns('Dear Zoë,', [latin, chinese])).toEqual([{ font: 0, text: 'Dear Zoë,' }]);
  });

  it('sets the characters the main font lacks in the first fallback that has them', () => {
    expect(fontRuns('Dear 王小明, thank you', [latin, chinese])).toEqual([
      { font: 0, text: 'Dear ' },
      { font: 1, text: '王小明' },
      { font: 0, text: ', thank you' },
    ]);
  });

  it('leaves a space between two words of the fallback in their run', () => {
    expect(fontRuns('王 小明', [latin, chinese])).toEqual([{ font: 1, text: '王 小明' }]);
  });

  it('sets a space the main font lacks in a font that has it, though it is of no script', () => {
    const ideographic: RunFont = { has: (cp) => cp === 0x3000, scripts: /\p{scx=Han}/u };

    expect(fontRuns('Flat 3\u3000Mill Lane', [latin, ideographic])).toEqual([
      { font: 0, text: 'Flat 3' },
      { font: 1, text: '\u3000' },
      { font: 0, text: 'Mill Lane' },
    ]);
  });

  it('leaves a character no font has in the run it is in, for the main font to show as missing', () => {
    expect(fontRuns('a김b', [latin, chinese])).toEqual([{ font: 0, text: 'a김b' }]);
  });

  it('tells of each character no font has, and of none that a font has', () => {
    const missing: string[] = [];
    fontRuns('Dear 김 王, a김', [latin, chinese], (char) => missing.push(char));

    expect(missing).toEqual(['김', '김']);
  });

  it('tells of no character that draws nothing when missing: a variation selector, a joiner, a control', () => {
    const missing: string[] = [];
    // U+FE0F asks for an emoji's picture; U+200D joins emoji; U+0007 is a control character.
    fontRuns('ok\uFE0F a\u200Db \u0007 王', [latin, chinese], (char) => missing.push(char));

    expect(missing).toEqual([]);
  });

  it('reads a character outside the Basic Multilingual Plane as one character', () => {
    const rare: RunFont = { has: (cp) => cp === 0x20000 };

    expect(fontRuns('x\u{20000}', [latin, rare])).toEqual([
      { font: 0, text: 'x' },
      { font: 1, text: '\u{20000}' },
    ]);
  });

  it('tries a fallback only for the characters of its scripts', () => {
    const everything: RunFont = { has: () => true, scripts: /\p{scx=Hangul}/u };

    expect(fontRuns('a王김', [latin, everything, chinese])).toEqual([
      { font: 0, text: 'a' },
      { font: 2, text: '王' },
      { font: 1, text: '김' },
    ]);
  });

  it('sets a whole Urdu word in the preferred fallback though the main font has some of its letters', () => {
    const someArabic: RunFont = { has: (cp) => cp < 0x250 || (cp >= 0x600 && cp < 0x6c0) };
    const arabic: RunFont = {
      has: (cp) => cp >= 0x600 && cp <= 0x6ff,
      scripts: /\p{scx=Arabic}/u,
      preferred: true,
    };

    expect(fontRuns('Dear لاہور, 12', [someArabic, arabic])).toEqual([
      { font: 0, text: 'Dear ' },
      { font: 1, text: 'لاہور' },
      { font: 0, text: ', 12' },
    ]);
  });

  it('never asks a fallback about a character outside its scripts, so a Latin letter opens no font file', () => {
    const asked: number[] = [];
    const arabic: RunFont = {
      has: (cp) => asked.push(cp) > 0,
      scripts: /\p{scx=Arabic}/u,
      preferred: true,
    };

    expect(fontRuns('Dear Zoë, 12', [latin, arabic])).toEqual([{ font: 0, text: 'Dear Zoë, 12' }]);
    expect(asked).toEqual([]);
  });

  it('keeps a joiner, and a danda, in the run of the Indic word they belong to', () => {
    const withJoiner: RunFont = { has: (cp) => cp < 0x250 || cp === 0x200d || cp === 0x964 };
    const devanagari: RunFont = {
      has: (cp) => (cp >= 0x900 && cp <= 0x97f) || cp === 0x200d,
      scripts: /\p{scx=Deva}/u,
    };

    expect(fontRuns('a क्\u200dष।', [withJoiner, devanagari])).toEqual([
      { font: 0, text: 'a ' },
      { font: 1, text: 'क्\u200dष।' },
    ]);
  });
});

describe('lineBreaks', () => {
  /** Every character one point wide. */
  const width = (from: number, to: number) => to - from;

  it('breaks at the last space that fits, in the order typed, leaving the space out', () => {
    expect(lineBreaks('aaa bb cc', 6, width)).toEqual([
      [0, 6],
      [7, 9],
    ]);
  });

  it('gives a word wider than the line a line of its own', () => {
    expect(lineBreaks('a bbbbbbbb c', 4, width)).toEqual([
      [0, 1],
      [2, 10],
      [11, 12],
    ]);
  });
});
