import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import type { Language } from '../../functions/domain/language.js';
import { WELSH_EMAIL_SOURCES } from '../../functions/templates/email/cy/index.js';
import { WELSH_PARTIALS } from '../../functions/templates/email/cy/layout.js';
import { EMAIL_SOURCES } from '../../functions/templates/email/index.js';
import { type EmailTemplateSource, PARTIALS } from '../../functions/templates/email/layout.js';
import {
  InlineTemplateError,
  inlinedOrigin,
  inlinePartials,
} from '../../functions/templates/inline-partials.js';
import { EMAIL_COMPILE_OPTIONS, EMAIL_PARTS } from '../../functions/templates/precompiled-emails.js';
import { type EmailData, type EmailTemplate, emailContext } from '../../functions/templates/render-email.js';
import { SAMPLE_EMAIL_DATA } from '../support/email-samples.js';
import { SAMPLE_EMAIL_DATA as WELSH_SAMPLE_EMAIL_DATA } from './welsh-samples.js';

/**
 * An environment that extends and includes as nunjucks does by itself, from `partials`. Filters
 * print what they were given, marked, so that their output is the same either way and easy to see.
 */
function environment(partials: Record<string, string>): nunjucks.Environment {
  const env = new nunjucks.Environment(
    { getSource: (name: string) => ({ src: partials[name] as string, path: name, noCache: false }) },
    { ...EMAIL_COMPILE_OPTIONS },
  );
  for (const filter of ['longDate', 'longDateAfterAr', 'httpUrl', 'tel', 'paragraphs', 'inLanguage']) {
    env.addFilter(
      filter,
      (value: unknown, ...args: unknown[]) => `<${filter}(${String(value)}${args.join()})>`,
    );
  }
  return env;
}

/** The output, or that it failed (with its message when `why`: the line it names differs once inlined). */
function rendered(template: nunjucks.Template, context: Record<string, unknown>, why = false): string {
  try {
    return template.render(context);
  } catch (error: unknown) {
    return why && error instanceof Error ? `(failed) ${error.message}` : '(failed)';
  }
}

/**
 * What the template is given for the sample data as an email and as a letter, and for the data with
 * each member left out in turn: every branch the samples reach, and the ones a missing value takes.
 */
function variants(
  template: EmailTemplate,
  data: Record<string, unknown>,
  language: Language,
): Record<string, unknown>[] {
  const datas = [data, ...Object.keys(data).map((key) => ({ ...data, [key]: undefined }))];
  return (['email', 'letter'] as const).flatMap((medium) =>
    datas.map((each) => {
      const { context } = emailContext(template, each as unknown as EmailData[EmailTemplate], {
        language,
        medium,
      });
      return { ...context, subject: 'The subject' };
    }),
  );
}

const LANGUAGES = [
  { language: 'en', sources: EMAIL_SOURCES, partials: PARTIALS, samples: SAMPLE_EMAIL_DATA },
  {
    language: 'cy',
    sources: WELSH_EMAIL_SOURCES,
    partials: WELSH_PARTIALS,
    samples: WELSH_SAMPLE_EMAIL_DATA,
  },
] as const;

describe('email templates with their layout and partials written in', () => {
  describe.each(LANGUAGES)('in $language', ({ language, sources, partials, samples }) => {
    const env = environment(partials);
    const templates = Object.entries(sources as Record<string, EmailTemplateSource>);

    it.each(templates.map(([name]) => name))(
      '%s renders byte for byte what nunjucks renders through extends and include',
      (name) => {
        const source = (sources as Record<string, EmailTemplateSource>)[name] as EmailTemplateSource;
        const data = (samples as unknown as Record<string, Record<string, unknown>>)[name] ?? {};
        let compared = 0;
        for (const part of EMAIL_PARTS) {
          const original = new nunjucks.Template(source[part], env, name, true);
          const inlined = new nunjucks.Template(
            inlinePartials(source[part], partials, name),
            env,
            name,
            true,
          );
          for (const context of variants(name as EmailTemplate, data, language)) {
            const expected = rendered(original, context);

            expect(rendered(inlined, context)).toBe(expected);
            if (expected !== '(failed)') compared += 1;
          }
        }
        // Most variants render: the comparison is of emails, not of two failures.
        expect(compared).toBeGreaterThan(EMAIL_PARTS.length * 2);
      },
    );

    it('leaves no extends or include in any template', () => {
      for (const [name, source] of templates) {
        for (const part of EMAIL_PARTS) {
          expect(inlinePartials(source[part], partials, name)).not.toMatch(/\{%\s*(extends|include)\b/);
        }
      }
    });
  });

  const layouts = {
    'page.txt': 'Top\n{% block body %}default{% endblock %}\nEnd {{ council }}\n',
    'hello.txt': 'Hello {{ name }},\n',
    'loop.txt': '{% include "loop.txt" %}\n',
    'bare.txt': 'no newline at the end',
    'indented.txt': '  {% if name %}Hi{% endif %}\n',
    'trim-before.txt': '{{- name }}\n',
    'trim-after.txt': 'Hi {{ name -}}\n',
    'comment-trim-before.txt': '{#- note #}Hi\n',
    'comment-trim-after.txt': 'Hi{# note -#}\n',
    'with-block.txt': '{% block body %}Hi{% endblock %}\n',
    'closes-if.txt': 'Hi\n{% endif %}\n',
    'else.txt': '{% else %}\n',
    'raw-page.txt': 'Top\n{% raw %}{% block body %}{% endblock %}{% endraw %}\n',
    'string-page.txt': 'Top\n{{ "{% block body %}{% endblock %}" }}\n',
    'comment-page.txt': 'Top\n{# {% block body %}{% endblock %} #}\n',
  };

  it('puts the template’s blocks into its layout and its partials into their lines', () => {
    const source =
      '{% extends "page.txt" %}\n{% block body %}\n{% include "hello.txt" %}\nBody{% endblock %}\n';

    expect(inlinePartials(source, layouts, 't')).toBe(
      'Top\n{% block body %}\nHello {{ name }},\nBody{% endblock %}\nEnd {{ council }}\n',
    );
  });

  it.each([
    ['its layout', 'council', 'page.txt, line 3, column 5'],
    ['its own block', 'kind', 't, line 4, column 1'],
    ['a partial', 'name', 'hello.txt, line 1, column 7'],
  ])('says where a line nunjucks counts in %s was written', (_where, missing, origin) => {
    const source =
      '{% extends "page.txt" %}\n{% block body %}\n{% include "hello.txt" %}\n{{ kind }}\n{% endblock %}\n';
    const template = new nunjucks.Template(
      inlinePartials(source, layouts, 't'),
      environment(layouts),
      't',
      true,
    );
    const context: Record<string, unknown> = { council: 'C', kind: 'K', name: 'N', [missing]: undefined };

    const [, line, column] = /\[Line (\d+), Column (\d+)\]/.exec(rendered(template, context, true)) ?? [];

    expect(inlinedOrigin(source, layouts, 't', Number(line), Number(column))).toBe(origin);
  });

  it.each([
    ['an extends that is not the first line', 'Hi\n{% extends "page.txt" %}\n'],
    ['an include inside a line', 'Hi {% include "hello.txt" %}\n'],
    ['a partial that does not end with a newline', '{% include "bare.txt" %}\n'],
    ['a partial that does not exist', '{% include "nowhere.txt" %}\n'],
    ['a layout that does not exist', '{% extends "nowhere.txt" %}\n{% block body %}x{% endblock %}\n'],
    ['a block the layout does not have', '{% extends "page.txt" %}\n{% block other %}x{% endblock %}\n'],
    [
      'a block given twice',
      '{% extends "page.txt" %}\n{% block body %}x{% endblock %}{% block body %}y{% endblock %}',
    ],
    [
      'text outside the blocks, which a layout drops',
      '{% extends "page.txt" %}\nLost\n{% block body %}x{% endblock %}\n',
    ],
    [
      'a block inside a block',
      '{% extends "page.txt" %}\n{% block body %}{% block inner %}x{% endblock %}{% endblock %}',
    ],
    ['a variable set, which an include would keep to itself', '{% set x = 1 %}\n{% include "hello.txt" %}\n'],
    [
      'a block calling its layout’s',
      '{% extends "page.txt" %}\n{% block body %}{{ super() }}{% endblock %}\n',
    ],
    ['whitespace control, which inlining would move', '{%- if a %}x{% endif %}\n'],
    ['partials including each other for ever', '{% include "loop.txt" %}\n'],
    // A carriage return or a line separator starts a line for the inliner's expression but not for
    // nunjucks, whose lstripBlocks would then keep the partial's indent.
    ['an include after a carriage return alone', 'a\r{% include "indented.txt" %}\n'],
    ['an include after a line separator', 'a\u2028{% include "indented.txt" %}\n'],
    ['an include nunjucks reads as raw text', '{% raw %}\n{% include "hello.txt" %}\n{% endraw %}\n'],
    ['an include in a verbatim block', '{% verbatim %}\n{% include "hello.txt" %}\n{% endverbatim %}\n'],
    ['an include in a comment', '{#\n{% include "hello.txt" %}\n#}\n'],
    ['an include line inside a string', '{{ \'\n{% include "hello.txt" %}\n\' }}\n'],
    ['a partial trimming the text before it', 'a\n{% include "trim-before.txt" %}\n'],
    ['a partial trimming the text after it', '{% include "trim-after.txt" %}\n  z'],
    ['a partial’s comment trimming the text before it', 'a\n{% include "comment-trim-before.txt" %}\n'],
    ['a partial’s comment trimming the text after it', '{% include "comment-trim-after.txt" %}\n  z'],
    ['a partial with a block, which an include renders apart', 'a\n{% include "with-block.txt" %}\n'],
    ['a partial closing the template’s if', '{% if name %}\n{% include "closes-if.txt" %}\n'],
    [
      'a partial that is an else of the template’s if',
      '{% if name %}\nA\n{% include "else.txt" %}\nB\n{% endif %}\n',
    ],
    [
      'a layout’s block nunjucks reads as raw text',
      '{% extends "raw-page.txt" %}\n{% block body %}x{% endblock %}\n',
    ],
    ['a layout’s block in a string', '{% extends "string-page.txt" %}\n{% block body %}x{% endblock %}\n'],
    [
      'a layout’s block in a comment',
      '{% extends "comment-page.txt" %}\n{% block body %}{{ "#}" }}x{% endblock %}\n',
    ],
    [
      'a block calling its layout’s with a space',
      '{% extends "page.txt" %}\n{% block body %}{{ super () }}{% endblock %}\n',
    ],
  ])('refuses %s rather than render it differently', (_what, source) => {
    expect(() => inlinePartials(source, layouts, 't')).toThrow(InlineTemplateError);
  });
});
