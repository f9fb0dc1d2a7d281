import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EMAIL_PARTS,
  precompileEmails,
  templateModule,
} from '../../functions/templates/precompiled-emails.js';
import {
  EMAIL_TEMPLATES,
  type EmailData,
  type EmailRenderer,
  type EmailTemplate,
  EmailTemplateError,
  emailRenderer,
  isResidentTemplate,
  renderEmail,
} from '../../functions/templates/render-email.js';
import { SAMPLE_EMAIL_DATA } from '../support/email-samples.js';
import { SAMPLE_EMAIL_DATA as WELSH_SAMPLE_EMAIL_DATA } from './welsh-samples.js';

const dir = mkdtempSync(join(tmpdir(), 'redress-emails-compiled-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const written = precompileEmails(dir);
const precompiled = emailRenderer({ precompiledDir: dir });

const cases = EMAIL_TEMPLATES.flatMap((template) => [
  { template, language: 'en' as const },
  ...(isResidentTemplate(template) ? [{ template, language: 'cy' as const }] : []),
]);

describe('the emails compiled when a bundle is built', () => {
  it('writes every part of every template in English and Welsh, each with its layout and partials in it', () => {
    expect(cases.length).toBeGreaterThan(EMAIL_TEMPLATES.length);
    expect(written).toBe(cases.length * 3);
    for (const { template, language } of cases) {
      for (const part of EMAIL_PARTS) {
        const code = readFileSync(join(dir, templateModule(language, template, part)), 'utf8');

        // Nothing left for nunjucks to look up while it renders.
        expect(code).not.toContain('getTemplate(');
      }
    }
  });

  describe.each(cases)('$template ($language)', ({ template, language }) => {
    const data = (language === 'cy' ? WELSH_SAMPLE_EMAIL_DATA : SAMPLE_EMAIL_DATA)[
      template
    ] as EmailData[EmailTemplate];

    it.each(['email', 'letter'] as const)(
      'renders the %s exactly as the templates compiled at run time',
      (medium) => {
        const expected = renderEmail(template, data, { language, medium });

        const actual = precompiled.render(template, data, { language, medium });

        expect(actual).toEqual(expected);
      },
    );
  });

  it('fails as the run-time templates fail when data they print is missing', () => {
    const data = { ...SAMPLE_EMAIL_DATA.acknowledgement } as Partial<EmailData['acknowledgement']>;
    delete data.handledBy;
    const failure = (renderer: EmailRenderer) => {
      try {
        renderer.render('acknowledgement', data as EmailData['acknowledgement']);
      } catch (error) {
        return error;
      }
      return undefined;
    };

    const expected = failure(emailRenderer());
    const actual = failure(precompiled);

    expect(expected).toBeInstanceOf(EmailTemplateError);
    expect(actual).toBeInstanceOf(EmailTemplateError);
    expect((actual as Error).message).toBe((expected as Error).message);
  });

  it('runs the compiled modules, never the sources: an email whose module is missing is not sent', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'redress-emails-none-'));
    try {
      const renderer = emailRenderer({ precompiledDir: elsewhere });

      expect(() => renderer.render('receipt', SAMPLE_EMAIL_DATA.receipt)).toThrow(
        templateModule('en', 'receipt', 'subject'),
      );
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
