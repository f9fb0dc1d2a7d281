import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { correspondence } from '../../functions/app/correspondence.js';
import { fieldErrors, intakeSchema } from '../../functions/app/intake-schema.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { policySchema } from '../../functions/domain/policy-schema.js';
import { WELSH_EMAIL_SOURCES } from '../../functions/templates/email/cy/index.js';
import {
  EMAIL_TEMPLATES,
  formatLongDate,
  isResidentTemplate,
  renderEmail,
  STAFF_TEMPLATES,
} from '../../functions/templates/render-email.js';
import { CATALOGUE, translateFieldErrors } from '../../functions/web/i18n.js';
import { MemoryMailer } from '../support/memory-mailer.js';
import { openCase } from '../support/open-case.js';
import { SAMPLE_EMAIL_DATA } from './welsh-samples.js';

const WELSH = loadPolicy(fileURLToPath(new URL('../fixtures/policies/welsh-council.json', import.meta.url)));

/**
 * Welsh for a council that offers it (the Welsh Language Standards): every resident email and
 * letter has a Welsh version, every page string has Welsh, Welsh dates are Welsh.
 */
describe('Welsh letters', () => {
  const residentTemplates = EMAIL_TEMPLATES.filter(isResidentTemplate);

  it('has a Welsh version of every template that goes to a resident, and none for staff', () => {
    expect(residentTemplates.length).toBe(EMAIL_TEMPLATES.length - STAFF_TEMPLATES.length);
    expect(Object.keys(WELSH_EMAIL_SOURCES).sort()).toEqual([...residentTemplates].sort());
  });

  it.each(residentTemplates)(
    'renders "%s" in Welsh, as email and letter, with no value missing',
    (template) => {
      const data = SAMPLE_EMAIL_DATA[template];
      for (const medium of ['email', 'letter'] as const) {
        const cy = renderEmail(template, data as never, { language: 'cy', medium });
        const en = renderEmail(template, data as never, { language: 'en', medium });
        expect(cy.html).toContain('<html lang="cy">');
        expect(cy.text).toContain('Eich cyfeirnod yw');
        expect(cy.subject).not.toBe(en.subject);
        // No English of the layout or the shared partials leaks into a Welsh letter (the sample
        // data's officer text is English, as an English-speaking officer would type it).
        for (const english of [
          'Your reference is',
          'Dear ',
          'Hello,',
          'IF YOU ARE',
          'WHAT HAPPENS',
          'Phone:',
        ]) {
          expect(cy.text).not.toContain(english);
        }
        // Nor of the template's own opening sentence.
        const firstSentence = en.text.split('\n\n')[1]?.split('. ')[0] ?? '';
        if (firstSentence.length > 12) expect(cy.text).not.toContain(firstSentence);
        expect(cy.text).not.toMatch(/undefined|\[object Object\]/);
      }
    },
  );

  it('keeps staff emails in English whatever the language asked for', () => {
    const data = SAMPLE_EMAIL_DATA['officer-task'];
    expect(renderEmail('officer-task', data as never, { language: 'cy' })).toEqual(
      renderEmail('officer-task', data as never),
    );
  });

  it('writes dates in Welsh, with the weekday mutated after "ar"', () => {
    expect(formatLongDate('2026-03-02', 'cy')).toBe('dydd Llun 2 Mawrth 2026');
    expect(formatLongDate('2026-06-05T22:59:59.000Z', 'cy')).toBe('dydd Gwener 5 Mehefin 2026');
    const months = Array.from(
      { length: 12 },
      (_, m) => formatLongDate(`2026-${String(m + 1).padStart(2, '0')}-15`, 'cy').split(' ')[3],
    );
    expect(months).toEqual([
      'Ionawr',
      'Chwefror',
      'Mawrth',
      'Ebrill',
      'Mai',
      'Mehefin',
      'Gorffennaf',
      'Awst',
      'Medi',
      'Hydref',
      'Tachwedd',
      'Rhagfyr',
    ]);
    const receipt = renderEmail(
      'receipt',
      { ...SAMPLE_EMAIL_DATA.receipt, receivedAt: '2026-03-02' } as never,
      {
        language: 'cy',
      },
    );
    expect(receipt.text).toContain('ar ddydd Llun 2 Mawrth 2026');
  });

  it('names the Public Services Ombudsman for Wales in Welsh', () => {
    const data = SAMPLE_EMAIL_DATA['final-response'];
    const cy = renderEmail('final-response', data as never, { language: 'cy' });
    expect(cy.text).toContain('Gallwch ofyn i Ombwdsmon Gwasanaethau Cyhoeddus Cymru edrych ar eich cwyn.');
    expect(cy.text).toContain('Ffôn: 0300 790 0203');
    expect(cy.text).toContain('o fewn 12 mis');
  });

  it.each([
    ['mediation', 'gyfryngu'],
    ['conciliation', 'gymodi'],
  ] as const)('softly mutates %s after "ar" in a pause letter', (method, mutated) => {
    // "rhoi cynnig ar" (try) mutates the word after it: "ar gyfryngu", never "ar cyfryngu".
    const cy = renderEmail('pause', { ...SAMPLE_EMAIL_DATA.pause, method } as never, { language: 'cy' });

    for (const part of [cy.subject, cy.text, cy.html]) {
      expect(part).toContain(`cynnig ar ${mutated}`);
      expect(part).not.toMatch(/ ar (cyfryngu|cymodi)\b/);
    }
  });

  it('elides "y" after "Nid yw" in a Welsh holding letter that names no team', async () => {
    // "Nid yw’r tîm", as Welsh writes it; "Nid yw y tîm" is a mistake a Welsh reader notices.
    const mailer = new MemoryMailer();
    const c = openCase('case-1', {
      language: 'cy',
      kind: 'comment',
      submittedKind: 'comment',
      service: undefined,
    });

    await correspondence(WELSH, mailer)(c, 'holding-letter', ['resident@example.com'], {
      now: '2026-03-10T09:00:00.000Z',
    });

    const text = mailer.sent[0]?.text ?? '';
    expect(text).toContain('Nid yw’r tîm sy’n delio â’r mater wedi gorffen ymchwilio i’ch sylw eto.');
    expect(text).not.toContain('Nid yw y ');
  });
});

describe('the page catalogue', () => {
  it('has Welsh for every English key, and no Welsh key without English', () => {
    const en = Object.keys(CATALOGUE.en).sort();
    expect(Object.keys(CATALOGUE.cy).sort()).toEqual(en);
    for (const key of en) expect(CATALOGUE.cy[key as keyof typeof CATALOGUE.cy], key).not.toBe('');
  });

  it('uses the same placeholders in both languages', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of Object.entries(CATALOGUE.en)) {
      expect(names(CATALOGUE.cy[key as keyof typeof CATALOGUE.cy]), key).toEqual(names(text));
    }
  });
});

describe('the form’s messages in Welsh', () => {
  it('shows the intake’s messages in Welsh on a Welsh form, and English ones unchanged', () => {
    const errors = { summary: 'Enter your feedback', 'complainant.name': 'Something new' };
    expect(translateFieldErrors(errors, 'cy')).toEqual({
      summary: 'Rhowch eich adborth',
      'complainant.name': 'Something new',
    });
    expect(translateFieldErrors(errors, 'en')).toBe(errors);
  });
});

describe('the form’s messages with the field’s name in them, in Welsh', () => {
  /** The form's text fields, each too long, with hidden characters, looking empty, or not text. */
  const FIELDS: readonly [string, string, number][] = [
    ['service', 'service', 100],
    ['summary', 'summary', 5000],
    ['desiredOutcome', 'desiredOutcome', 2000],
    ['complainant.name', 'name', 200],
    ['complainant.address', 'address', 500],
    ['onBehalfOf.name', 'name', 200],
    ['onBehalfOf.relationship', 'relationship', 200],
    ['onBehalfOf.consentNote', 'consentNote', 1000],
    ['accessibilityNeeds', 'accessibilityNeeds', 1000],
  ];

  function errorsFor(value: unknown): Record<string, string> {
    const body: Record<string, unknown> = { summary: 'x', complainant: {}, onBehalfOf: { name: 'x' } };
    for (const [path] of FIELDS) {
      const [first, second] = path.split('.') as [string, string?];
      if (second) (body[first] as Record<string, unknown>)[second] = value;
      else body[first] = value;
    }
    const parsed = intakeSchema.safeParse(body);
    if (parsed.success) throw new Error('expected the form to be refused');
    return fieldErrors(parsed.error);
  }

  it.each([
    ['too long', 'x'.repeat(5001)],
    ['with hidden characters', 'a\u202eb'],
    ['looking empty', '\u200b'],
    ['not text', 12],
  ])('has Welsh for each field’s message when it is %s', (_what, value) => {
    const english = errorsFor(value);

    const welsh = translateFieldErrors(english, 'cy') ?? {};

    expect(Object.keys(english).sort()).toEqual(FIELDS.map(([path]) => path).sort());
    for (const [path, message] of Object.entries(welsh)) {
      expect(message, `${path}: ${english[path]}`).not.toBe(english[path]);
      expect(message).not.toMatch(/\b(must|looks|characters|text)\b/);
    }
  });

  it('keeps the number of characters allowed in the Welsh', () => {
    const welsh = translateFieldErrors(errorsFor('x'.repeat(5001)), 'cy') ?? {};

    expect(welsh.summary).toBe('Rhaid i’ch adborth fod yn 5000 o nodau neu lai');
    for (const [path, , max] of FIELDS) expect(welsh[path]).toContain(`${max} o nodau`);
  });
});

describe('policy languages', () => {
  const base = loadPolicy('lgsco-code-2024');

  it('offers English only by default', () => {
    expect(base.languages).toEqual(['en']);
  });

  it('accepts Welsh for a council in Wales', () => {
    const welsh = loadPolicy(new URL('../fixtures/policies/welsh-council.json', import.meta.url).pathname);
    expect(welsh.languages).toEqual(['en', 'cy']);
    expect(welsh.ombudsman.nation).toBe('wales');
  });

  it('refuses Welsh for a council outside Wales, and a list without English', () => {
    const outside = policySchema.safeParse({ ...base, languages: ['en', 'cy'] });
    expect(outside.success).toBe(false);
    expect(JSON.stringify(outside.error?.issues)).toContain(
      'offers Welsh (\\"cy\\") only for a council in Wales',
    );
    const noEnglish = policySchema.safeParse({
      ...base,
      calendar: { ...base.calendar, nation: 'england-and-wales' },
      ombudsman: { ...base.ombudsman, nation: 'wales' },
      languages: ['cy'],
    });
    expect(noEnglish.success).toBe(false);
    expect(JSON.stringify(noEnglish.error?.issues)).toContain('must include \\"en\\"');
  });
});
