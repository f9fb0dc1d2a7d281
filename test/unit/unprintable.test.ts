import { describe, expect, it } from 'vitest';
import { describeUnprintable, unprintableText } from '../../functions/templates/unprintable.js';

describe('unprintableText', () => {
  it('keeps each word once, in the order first met', () => {
    expect(unprintableText(['ဒေါ်ခင်', 'ಬೆಂಗಳೂರು', 'ဒေါ်ခင်'])).toBe('ဒေါ်ခင် ಬೆಂಗಳೂರು');
  });

  it('keeps whole words up to 200 characters, and says with an ellipsis that there were more', () => {
    const words = Array.from({ length: 60 }, (_, i) => `ဒေါ်${i}`);
    const kept = unprintableText(words);

    const shown = kept.split(' ').slice(0, -1);

    expect([...kept].length).toBeLessThanOrEqual(200);
    expect(kept.endsWith(' …')).toBe(true);
    expect(shown).toEqual(words.slice(0, shown.length));
    // The next word would not have fitted beside the ellipsis.
    expect([...`${shown.join(' ')} ${words[shown.length]} …`].length).toBeGreaterThan(200);
  });

  it('adds no ellipsis when every word fits', () => {
    expect(unprintableText(['ဒေါ်ခင်'])).toBe('ဒေါ်ခင်');
  });

  it('cuts a first word longer than that short, never between a letter and its vowel sign', () => {
    // "ကို" is a consonant and two vowel signs: 3 characters, one as a reader sees it.
    const kept = unprintableText(['ကို'.repeat(100), 'ဒေါ်']);

    expect(kept).toBe(`${'ကို'.repeat(66)}…`);
  });
});

describe('describeUnprintable', () => {
  it('names the script the words are in', () => {
    expect(describeUnprintable('ဒေါ်ခင်')).toBe('ဒေါ်ခင် (Myanmar script)');
  });

  it('names every script, in the order the words use them', () => {
    expect(describeUnprintable('ಬೆಂಗಳೂರು ဒေါ်ခင် ᏣᎳᎩ')).toBe(
      'ಬೆಂಗಳೂರು ဒေါ်ခင် ᏣᎳᎩ (Kannada, Myanmar and Cherokee scripts)',
    );
  });

  it('gives words of no script with a name of its own as they are', () => {
    expect(describeUnprintable('thanks😀')).toBe('thanks😀');
  });
});
