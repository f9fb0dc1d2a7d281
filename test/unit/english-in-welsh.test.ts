import { describe, expect, it } from 'vitest';
import { renderLetter } from '../../functions/app/correspondence.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { type EmailData, type EmailTemplate, renderEmail } from '../../functions/templates/render-email.js';
import { SAMPLE_EMAIL_DATA as SAMPLES } from '../support/email-samples.js';
import { openCase } from '../support/open-case.js';
import { pdfPages } from '../support/pdf-text.js';

/**
 * Officers write their responses in English. Inside a Welsh letter those words are marked as
 * English (`lang="en"` in the HTML email, a structure element with `/Lang (en)` in the PDF), so
 * a screen reader reads them with an English voice instead of pronouncing English as Welsh.
 * The Welsh around them stays Welsh, and English letters need no mark (the whole is English).
 */

/** Each Welsh letter that quotes an officer's own words, and the field holding them. */
const OFFICER_WORDS: [EmailTemplate, string][] = [
  ['response', 'reasons'],
  ['final-response', 'reasons'],
  ['consent-not-given', 'reasons'],
  ['out-of-time', 'reasons'],
  ['stage-2-refused', 'reasons'],
  ['stage-2-resolved', 'resolution'],
  ['comment-reply', 'reply'],
  ['representation-feedback', 'feedback'],
  ['extension', 'reason'],
  ['pause', 'reason'],
  ['social-care-plan', 'plan'],
  ['social-care-six-months', 'plan'],
  ['social-care-response', 'response'],
  ['social-care-closed', 'response'],
  ['vexatious-decision', 'decision'],
];

/** A Welsh rendering of the sample; a vexatious decision's words are the nominated officer's own. */
function welsh<T extends EmailTemplate>(template: T) {
  const data =
    template === 'vexatious-decision' ? { ...SAMPLES[template], byOfficer: true } : SAMPLES[template];
  return renderEmail(template, data as EmailData[T], { language: 'cy' });
}

describe('English words in Welsh emails', () => {
  it.each(OFFICER_WORDS)('marks the officer’s words in the Welsh %s email as English', (template, field) => {
    const words = String((SAMPLES[template] as unknown as Record<string, unknown>)[field]).split('\n')[0];

    const { html } = welsh(template);

    expect(html).toContain(`<p lang="en">${words}`);
  });

  it('marks every paragraph of the response, the remedy and each action', () => {
    const { html } = welsh('response');

    expect(html).toContain('<p lang="en">The crew missed your bin twice.</p>');
    expect(html).toContain('<p lang="en">The other two weeks it was not put out.</p>');
    expect(html).toContain('<p lang="en">We apologise and will collect it on Monday.</p>');
    expect(html).toContain('<li lang="en">Add your address to the assisted collection list</li>');
  });

  it('leaves the Welsh words Welsh: a holding letter’s reason is ours, in Welsh', () => {
    const { html } = renderEmail(
      'holding-letter',
      { ...SAMPLES['holding-letter'], reason: 'Nid yw’r tîm wedi gorffen eto.' },
      { language: 'cy' },
    );

    expect(html).not.toContain('lang="en"');
  });

  it('leaves a vexatious decision unmarked when it is our own Welsh wording, not an officer’s', () => {
    const { html } = renderEmail(
      'vexatious-decision',
      {
        ...SAMPLES['vexatious-decision'],
        decision: 'Ni fyddwn yn gohebu ymhellach am y mater hwn.',
        byOfficer: false,
      } as EmailData['vexatious-decision'],
      { language: 'cy' },
    );

    expect(html).not.toContain('<p lang="en">');
  });

  it('adds no mark to English emails, which are English throughout', () => {
    const { html } = renderEmail('response', SAMPLES.response);

    expect(html).toContain('<html lang="en-GB">');
    expect(html).not.toContain('lang="en"');
  });
});

describe('English words in Welsh letters', () => {
  const responded = (language: 'en' | 'cy') =>
    openCase('case-8', {
      language,
      status: 'responded',
      outcome: 'upheld',
      progress: {
        stage1: {
          startedAt: '2026-03-02T09:00:00.000Z',
          acknowledgedAt: '2026-03-03T09:00:00.000Z',
          respondedAt: '2026-03-10T09:00:00.000Z',
          response: {
            outcome: 'upheld',
            reasons: 'The crew missed your bin twice.',
            remedy: 'We apologise.',
          },
        },
      },
    });

  it('tags the officer’s paragraphs of a Welsh letter as English in the PDF', async () => {
    const policy = loadPolicy('lgsco-code-2024');

    const letter = await renderLetter(
      policy,
      responded('cy'),
      'response',
      {},
      new Date('2026-03-10T10:00:00Z'),
    );

    const pdf = letter.pdf.toString('latin1');
    expect(pdf).toContain('/Lang (cy)');
    expect(pdf.match(/\/Lang \(en\)/g)?.length).toBe(2);
    // Whatever marks the English in the text, none of it is printed or kept.
    const [page] = await pdfPages(letter.pdf);
    expect(page).toContain('The crew missed your bin twice.');
    expect(page).not.toMatch(/[\uE000-\uF8FF]/);
    expect(letter.text).not.toMatch(/[\uE000-\uF8FF]/);
  });

  it('tags nothing as English inside an English letter', async () => {
    const policy = loadPolicy('lgsco-code-2024');

    const letter = await renderLetter(
      policy,
      responded('en'),
      'response',
      {},
      new Date('2026-03-10T10:00:00Z'),
    );

    expect(letter.pdf.toString('latin1')).not.toContain('/Lang (en)');
  });
});
