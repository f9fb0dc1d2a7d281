import { describe, expect, it } from 'vitest';
import { renderLetterFile, renderLetterPdf } from '../../functions/templates/render-letter.js';
import { type DrawnGlyph, pdfGlyphs } from '../support/pdf-text.js';

const parts = {
  council: 'Test Council',
  returnAddress: ['Complaints team', '1 Example Street'],
  contact: ['Email: complaints@test.example'],
  date: 'Monday 2 March 2026',
  reference: 'CMP-2026-000001',
  title: 'Our response to your complaint',
};

/** A letter to `name` at `address` (and a street in England), that quotes the address in its body. */
async function letterTo(name: string, address: string): Promise<DrawnGlyph[]> {
  const pdf = await renderLetterPdf({
    ...parts,
    recipient: { name, addressLines: [address, '12 Mill Lane'] },
    text: `Dear ${name},\n\nYou told us you live at ${address}.\n\nTest Council`,
  });
  return (await pdfGlyphs(pdf))[0] ?? [];
}

/** What the glyphs in a font stand for, one character each, control characters (see `drawn`) left out. */
function charactersIn(glyphs: readonly DrawnGlyph[], font: RegExp): Set<string> {
  return new Set(
    glyphs
      .filter((g) => font.test(g.font))
      .flatMap((g) => [...g.text])
      .filter((c) => c >= ' '),
  );
}

/**
 * The glyphs of a page as one string, in the order drawn. A glyph the shaper adds that stands for
 * no character (a part of an Arabic letter) reads as a control character, and is left out.
 */
const drawn = (glyphs: readonly DrawnGlyph[]) =>
  [...glyphs.map((g) => g.text).join('')].filter((c) => c >= ' ').join('');

/** Names and addresses in the scripts of languages spoken by sizeable communities in England. */
const SCRIPTS = [
  { script: 'Korean (Hangul)', name: '김민준', address: '서울특별시 강남구', font: /^NotoSansKR/ },
  {
    script: 'Bengali (Bangla, Sylheti)',
    name: 'মোহাম্মদ রহমান',
    address: 'সিলেট সদর',
    font: /^NotoSansBengali/,
  },
  { script: 'Gurmukhi (Punjabi)', name: 'ਹਰਪ੍ਰੀਤ ਸਿੰਘ', address: 'ਲੁਧਿਆਣਾ ਪੰਜਾਬ', font: /^NotoSansGurmukhi/ },
  { script: 'Gujarati', name: 'પ્રિયા પટેલ', address: 'અમદાવાદ ગુજરાત', font: /^NotoSansGujarati/ },
  {
    script: 'Devanagari (Hindi, Nepali)',
    name: 'प्रिया शर्मा',
    address: 'काठमाडौं नेपाल',
    font: /^NotoSansDevanagari/,
  },
  { script: 'Tamil', name: 'கிருஷ்ணன் ராஜா', address: 'சென்னை தமிழ்நாடு', font: /^NotoSansTamil/ },
  { script: 'Malayalam', name: 'ശ്രീകുമാർ നായർ', address: 'കൊച്ചി കേരളം', font: /^NotoSansMalayalam/ },
  { script: 'Telugu', name: 'శ్రీనివాస్ రెడ్డి', address: 'హైదరాబాద్', font: /^NotoSansTelugu/ },
  { script: 'Sinhala', name: 'සුනිල් පෙරේරා', address: 'කොළඹ', font: /^NotoSansSinhala/ },
  { script: 'Thai', name: 'สมชาย ใจดี', address: 'กรุงเทพมหานคร', font: /^NotoSansThai/ },
  { script: 'Ethiopic (Amharic, Tigrinya)', name: 'አበበ በቀለ', address: 'ተስፋይ ገብረ', font: /^NotoSansEthiopic/ },
  { script: 'Arabic (Urdu)', name: 'محمد علی خان', address: 'لاہور پاکستان', font: /^NotoSansArabic/ },
  { script: 'Arabic (Arabic, Persian)', name: 'فاطمه رضایی', address: 'شارع الملك', font: /^NotoSansArabic/ },
  { script: 'Hebrew (Hebrew, Yiddish)', name: 'דוד כהן', address: 'שטאַמפֿארד היל', font: /^DejaVuSans/ },
  {
    script: 'Chinese (traditional, Cantonese)',
    name: '陳大文',
    address: '香港九龍旺角彌敦道',
    font: /^NotoSansSC/,
  },
];

describe('renderLetterPdf in the scripts residents write in', () => {
  it.each(SCRIPTS)(
    'prints a name and an address in $script with glyphs of a font that has them',
    async ({ name, address, font }) => {
      const glyphs = await letterTo(name, address);
      // Letters only: shaping may draw a vowel sign in two parts, each standing for one of them.
      const wanted = new Set([...`${name}${address}`].filter((c) => /\p{L}/u.test(c)));

      expect(glyphs.filter((g) => g.missing)).toEqual([]);
      expect([...wanted].filter((c) => !charactersIn(glyphs, font).has(c))).toEqual([]);
    },
  );

  it('prints an Arabic name right to left with its words in order, as one reads them', async () => {
    const glyphs = await letterTo('محمد علی خان', 'لاہور پاکستان');

    // Drawn from the left: the last word first, each word from its last letter.
    expect(drawn(glyphs)).toContain([...'محمد علی خان'].reverse().join(''));
    expect(drawn(glyphs)).toContain([...'لاہور پاکستان'].reverse().join(''));
  });

  it('joins the letters of an Arabic word: a letter takes a different shape at the start of a word than in it', async () => {
    const glyphs = (await letterTo('محمد', 'لاہور')).filter((g) => g.font.startsWith('NotoSansArabic'));
    const at = glyphs.findIndex(
      (g, i) => [g, ...glyphs.slice(i + 1, i + 4)].map((x) => x.text).join('') === 'دمحم',
    );
    const [, middleMeem, , firstMeem] = glyphs.slice(at, at + 4);

    expect(at).toBeGreaterThanOrEqual(0);
    expect(middleMeem?.code).not.toBe(firstMeem?.code);
  });

  it('keeps a number in an Arabic address reading left to right, at the start of the line on the right', async () => {
    const glyphs = await letterTo('فاطمه رضایی', '12 شارع الملك');

    expect(drawn(glyphs)).toContain(`${[...'شارع الملك'].reverse().join('')} 12`);
  });

  it('prints a Hebrew name and an address with a house number right to left', async () => {
    const glyphs = await letterTo('דוד כהן', 'רחוב הרצל 5');

    expect(drawn(glyphs)).toContain([...'דוד כהן'].reverse().join(''));
    expect(drawn(glyphs)).toContain(`5 ${[...'רחוב הרצל'].reverse().join('')}`);
  });

  it('keeps a Latin greeting before an Arabic name and the comma after it', async () => {
    const glyphs = await letterTo('محمد علی', 'لاہور');

    expect(drawn(glyphs)).toContain(`Dear ${[...'محمد علی'].reverse().join('')},`);
  });

  it('shapes an Indic word: the vowel sign of प्रि is drawn before the consonants it follows', async () => {
    const glyphs = (await letterTo('प्रिया', 'नेपाल')).filter((g) => g.font.startsWith('NotoSansDevanagari'));

    expect(glyphs[0]?.text).toBe('ि');
    expect(glyphs[1]?.text).toBe('प्र');
  });

  it('keeps a paragraph in Korean in its font when it runs on over a page break', async () => {
    // A letter written in Korean for a resident who reads it: one paragraph longer than a page.
    const paragraph = '김민준 씨가 쓰레기 수거에 대해 말씀하신 내용을 조사했습니다. '.repeat(120).trim();
    const pdf = await renderLetterPdf({
      ...parts,
      recipient: { name: '김민준', addressLines: ['12 Mill Lane'] },
      text: `${paragraph}\n\nTest Council`,
    });
    const pages = await pdfGlyphs(pdf);

    expect(pages.length).toBeGreaterThan(1);
    expect(pages.map((glyphs) => glyphs.filter((g) => g.missing).length)).toEqual(pages.map(() => 0));
  });

  it('prints an Urdu paragraph longer than a line with its first words on its first line', async () => {
    // Numbered words: sixty of them run over several lines, each line read from the right.
    const paragraph = Array.from({ length: 60 }, (_, i) => `سلام${i + 1}`).join(' ');
    const pdf = await renderLetterPdf({
      ...parts,
      recipient: { name: 'محمد علی خان', addressLines: ['12 Mill Lane'] },
      text: `${paragraph}\n\nTest Council`,
    });
    const glyphs = (await pdfGlyphs(pdf))[0] ?? [];
    // The paragraph's numbers, after those of the letterhead, the date and the reference.
    const numbers = [...drawn(glyphs).matchAll(/\d+/g)].map((m) => Number(m[0])).slice(-60);

    // Lines are drawn top to bottom: the first word is on the top line, the last on the bottom one.
    expect(numbers.indexOf(1)).toBeLessThan(numbers.indexOf(60));
  });
});

describe('renderLetterFile: the words with characters no letter font has', () => {
  it('names every word the PDF draws with an empty box: a Burmese name, a Kannada address', async () => {
    const name = 'အောင်မြင့်';
    const address = 'ಬೆಂಗಳೂರು';
    const { pdf, unprintable } = await renderLetterFile({
      ...parts,
      recipient: { name, addressLines: [address, '12 Mill Lane'] },
      text: `Dear ${name},\n\nYou told us you live at ${address}.\n\nTest Council`,
    });
    const glyphs = (await pdfGlyphs(pdf))[0] ?? [];

    // The PDF draws them as its font's empty box (a glyph that stands for no character).
    expect(glyphs.filter((g) => g.missing).length).toBeGreaterThan(0);
    // Each word once, in the order first met (the greeting's "name," and the quoted "address.").
    expect(unprintable).toBe(`${name} ${address} ${name}, ${address}.`);
  });

  it('names a passage in a script written without spaces between words, cut short, not left out', async () => {
    // Burmese puts no space between words: a resident's account quoted in the letter is one
    // "word" of hundreds of characters, every one an empty box.
    const account = 'ကျွန်ုပ်၏အိမ်ရှေ့မှအမှိုက်များကိုသုံးပတ်ကြာအောင်မသိမ်းဆည်းပါ'.repeat(6);
    const { pdf, unprintable } = await renderLetterFile({
      ...parts,
      recipient: { name: 'Grace Hopper', addressLines: ['12 Mill Lane'] },
      text: `Dear Grace Hopper,\n\nYou told us: ${account}\n\nTest Council`,
    });
    const glyphs = (await pdfGlyphs(pdf))[0] ?? [];

    expect(glyphs.filter((g) => g.missing).length).toBeGreaterThan(200);
    // Whoever posts it is told where the boxes begin, in no more than a record keeps.
    expect(unprintable).not.toBe('');
    expect(account.startsWith(unprintable.replace(/…$/, ''))).toBe(true);
    expect([...unprintable].length).toBeLessThanOrEqual(200);
  });

  it('prints a full-width space typed in a Latin address as a space, not an unnamed box', async () => {
    // U+3000, as a Chinese or Japanese keyboard types a space in full-width mode.
    const { pdf, unprintable } = await renderLetterFile({
      ...parts,
      recipient: { name: 'Li Wei', addressLines: ['Flat 3\u3000Mill Lane', 'Exampletown'] },
      text: 'Dear Li Wei,\n\nTest Council',
    });
    const glyphs = (await pdfGlyphs(pdf))[0] ?? [];

    // A box nobody is told of is the failure this guards against; a font has the space.
    expect(glyphs.filter((g) => g.missing)).toEqual([]);
    expect(unprintable).toBe('');
  });

  it('draws nothing for a direction isolate pasted into an officer’s words, which no font has', async () => {
    // Copied from a chat or an email, a name arrives between U+2066 and U+2069: characters that
    // show nothing, and so are named to nobody, but that DejaVu Sans would draw as empty boxes.
    const { pdf, unprintable } = await renderLetterFile({
      ...parts,
      recipient: { name: 'Grace Hopper', addressLines: ['12 Mill Lane'] },
      text: 'Dear Grace Hopper,\n\nMediation agreed with \u2066Ali Khan\u2069 on the phone.\n\nTest Council',
    });
    const glyphs = (await pdfGlyphs(pdf))[0] ?? [];

    expect(glyphs.filter((g) => g.missing)).toEqual([]);
    expect(unprintable).toBe('');
  });

  it('names none when every character has a font: Latin, Korean, Arabic and an emoji variation selector', async () => {
    const { pdf, unprintable } = await renderLetterFile({
      ...parts,
      recipient: { name: 'Zoë 김민준', addressLines: ['لاہور', '12 Mill Lane'] },
      text: 'Dear Zoë,\n\nThank you \u2764\uFE0F\n\nTest Council',
    });
    const glyphs = (await pdfGlyphs(pdf))[0] ?? [];

    expect(unprintable).toBe('');
    // Nothing named, because nothing prints as a box.
    expect(glyphs.filter((g) => g.missing)).toEqual([]);
  });
});
