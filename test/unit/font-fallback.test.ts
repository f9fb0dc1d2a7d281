import { describe, expect, it } from 'vitest';
import { fontRuns } from '../../functions/templates/font-fallback.js';

/** A main font with Latin only, and a fallback with Chinese only. */
const latin = (cp: number) => cp < 0x250;
const chinese = (cp: number) => cp >= 0x4e00 && cp <= 0x9fff;

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

  it('leaves a character no font has in the run it is in, for the main font to show as missing', () => {
    expect(fontRuns('a김b', [latin, chinese])).toEqual([{ font: 0, text: 'a김b' }]);
  });

  it('reads a character outside the Basic Multilingual Plane as one character', () => {
    const rare = (cp: number) => cp === 0x20000;

    expect(fontRuns('x\u{20000}', [latin, rare])).toEqual([
      { font: 0, text: 'x' },
      { font: 1, text: '\u{20000}' },
    ]);
  });
});
