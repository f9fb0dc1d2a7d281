import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import nunjucks from 'nunjucks';
import { onFirstUse } from '../domain/first-use.js';
import type { Language } from '../domain/language.js';
import { WELSH_EMAIL_SOURCES } from './email/cy/index.js';
import { WELSH_PARTIALS } from './email/cy/layout.js';
import { EMAIL_SOURCES } from './email/index.js';
import type { EmailTemplateSource } from './email/layout.js';
import { PARTIALS } from './email/layout.js';
import { inlinedOrigin, inlinePartials } from './inline-partials.js';
import { precompiledModule } from './precompiled-module.js';

/**
 * The emails' templates compiled to JavaScript when a function is bundled, one module per
 * template part (its layout and partials written in, `inlinePartials`), so that the first email a
 * cold function sends runs code instead of compiling its templates (27 ms of CPU for the receipt).
 *
 * Why modules written beside the bundle (`RedressFunction`'s generated files, as the pages'
 * `../web/precompiled-views.ts`) and not an esbuild plugin swapping the template-string modules
 * for compiled ones inside the bundle: CDK's local bundling hook is synchronous, so the bundle is
 * made with esbuild's `buildSync`, which takes no plugins. The folder is written from the
 * template sources each time a bundle is built, so it cannot drift from them; nothing generated
 * is committed. `render-email.ts` reads a module when an email first needs it, from the folder
 * `REDRESS_PRECOMPILED_EMAILS_DIR` names; without it (`npm start`, the tests) it compiles the
 * sources as before, and a test checks both render every email alike, in English and Welsh.
 */

/**
 * The options of the emails' environments (`render-email.ts`) that are fixed when a template is
 * compiled: the templates are compiled with the same. (`autoescape`, which differs between the
 * text and the HTML environments, is read when the code runs.)
 */
export const EMAIL_COMPILE_OPTIONS = {
  throwOnUndefined: true,
  trimBlocks: true,
  lstripBlocks: true,
} as const;

/** The three templates of one email. */
export const EMAIL_PARTS = [
  'subject',
  'text',
  'html',
] as const satisfies readonly (keyof EmailTemplateSource)[];
export type EmailPart = (typeof EMAIL_PARTS)[number];

/** Where an email's part is written, relative to the folder: `cy/receipt.html.cjs`. */
export function templateModule(language: Language, template: string, part: EmailPart): string {
  return `${language}/${template}.${part}.cjs`;
}

/** The template sources of each language. */
const SOURCES: Record<
  Language,
  { templates: Record<string, EmailTemplateSource>; partials: Record<string, string> }
> = {
  en: { templates: EMAIL_SOURCES, partials: PARTIALS },
  cy: { templates: WELSH_EMAIL_SOURCES, partials: WELSH_PARTIALS },
};

/**
 * The nunjucks source of one part of an email, with its layout and partials written in: what
 * is compiled, at run time or when a bundle is built.
 */
export function emailSource(
  language: Language,
  template: string,
  part: EmailPart,
  options: { compileCheck?: boolean } = {},
): string {
  const found = sourcesOf(language, template);
  if (found === undefined) throw new Error(`no ${language} email template called "${template}"`);
  return inlinePartials(
    found.source[part],
    found.partials,
    emailSourceName(language, template, part),
    options,
  );
}

/** An email template's own sources and its language's partials, if there is such a template. */
function sourcesOf(
  language: Language,
  template: string,
): { source: EmailTemplateSource; partials: Record<string, string> } | undefined {
  const { templates, partials } = SOURCES[language];
  const source = Object.hasOwn(templates, template) ? templates[template] : undefined;
  return source === undefined ? undefined : { source, partials };
}

/** The name an email's part is compiled under, which nunjucks' errors give: `en:receipt.text`. */
export function emailSourceName(language: Language, template: string, part: EmailPart): string {
  return `${language}:${template}.${part}`;
}

/**
 * Where the character at `line` and `column` of `emailSource(language, template, part)` (as
 * nunjucks counts them in its errors) was written: its template, layout or partial, and the line
 * and column there. Undefined when there is no such part or place.
 */
export function emailSourceOrigin(
  language: Language,
  template: string,
  part: EmailPart,
  line: number,
  column: number,
): string | undefined {
  const found = sourcesOf(language, template);
  if (found === undefined) return undefined;
  return inlinedOrigin(
    found.source[part],
    found.partials,
    emailSourceName(language, template, part),
    line,
    column,
  );
}

/**
 * Every email template, in both languages, compiled: the modules' code by file. Once per
 * process: a synth bundles every function, and each ships the same folder.
 */
const compiledEmails = onFirstUse(() => {
  // A copy: nunjucks writes its defaults into the options object it is given.
  const env = new nunjucks.Environment([], { ...EMAIL_COMPILE_OPTIONS });
  const modules = new Map<string, string>();
  for (const [language, { templates }] of Object.entries(SOURCES) as [
    Language,
    (typeof SOURCES)[Language],
  ][]) {
    for (const template of Object.keys(templates)) {
      for (const part of EMAIL_PARTS) {
        const name = emailSourceName(language, template, part);
        modules.set(
          templateModule(language, template, part),
          precompiledModule(emailSource(language, template, part), name, env),
        );
      }
    }
  }
  return modules;
});

/** Writes every email template, compiled, into `outDir`. Run at bundle time. */
export function precompileEmails(outDir: string): number {
  const modules = compiledEmails();
  for (const [file, code] of modules) {
    const path = join(outDir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, code);
  }
  return modules.size;
}
