/**
 * The words of a printed letter with characters no letter font has (`textWithFallback` finds
 * them): the PDF shows each such character as an empty box. The letter fonts cover the scripts of
 * the languages most spoken in England (`font-fallback.ts`), not every script a resident may write
 * their name in. Whoever prints and posts the letter is told which words, and in what script, so
 * they can write them in by hand or reach the resident another way.
 *
 * Kept apart from the fonts: the email that says so is rendered by steps that load no font.
 */

/** The most a letter's record keeps of them: enough to find the words, never a whole paragraph. */
const KEPT_CHARACTERS = 200;

/**
 * Scripts (ISO 15924) a resident in England may write in that no letter font has, named by the
 * runtime's own Unicode data (`Intl.DisplayNames`). Words in another script (an emoji, a rare
 * symbol) are given without a script's name. Codes, not patterns: the module loads with every
 * step that sends an email, and a letter with boxes is rare, so each pattern is made when asked.
 */
const NAMED_SCRIPTS = [
  'Mymr', // Burmese
  'Khmr',
  'Laoo',
  'Knda', // Kannada
  'Orya', // Odia
  'Thaa', // Dhivehi
  'Tibt',
  'Syrc',
  'Mong',
  'Tfng', // Berber languages
  'Nkoo',
  'Adlm', // Fula
  'Cher',
  'Yiii',
  'Java',
  'Cans',
];

/**
 * The distinct words, in the order first met, as one string of at most `KEPT_CHARACTERS`, ending
 * in an ellipsis when more were left out (whoever posts the letter then knows there are more boxes
 * than it names). A first word longer than that is cut short rather than left out: in a script
 * written without spaces between words (Burmese, Khmer) a quoted passage is one "word", and leaving
 * it out would say nothing prints as boxes.
 */
export function unprintableText(words: Iterable<string>): string {
  let kept = '';
  for (const word of new Set(words)) {
    const next = kept ? `${kept} ${word}` : word;
    // Room is kept for " …".
    if ([...next].length > KEPT_CHARACTERS - 2) {
      kept = kept ? `${kept} …` : cutShort(word, KEPT_CHARACTERS - 1);
      break;
    }
    kept = next;
  }
  return kept;
}

/** The first characters of `word` as a reader sees them (a vowel sign stays with its letter), and an ellipsis. */
function cutShort(word: string, most: number): string {
  let cut = '';
  for (const { segment } of new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(word)) {
    if ([...cut].length + [...segment].length > most) break;
    cut += segment;
  }
  return `${cut}…`;
}

/**
 * The words and the scripts they are in, for a sentence to staff: "ဒေါ်ခင် (Myanmar script)",
 * "ಬೆಂಗಳೂರು မြင့် (Kannada and Myanmar scripts)".
 */
export function describeUnprintable(text: string): string {
  const names = new Intl.DisplayNames(['en-GB'], { type: 'script' });
  const scripts = NAMED_SCRIPTS.map((code) => ({ code, at: text.search(new RegExp(`\\p{sc=${code}}`, 'u')) }))
    .filter((s) => s.at >= 0)
    .sort((a, b) => a.at - b.at)
    .map((s) => names.of(s.code));
  if (scripts.length === 0) return text;
  const last = scripts.pop();
  return scripts.length === 0
    ? `${text} (${last} script)`
    : `${text} (${scripts.join(', ')} and ${last} scripts)`;
}
