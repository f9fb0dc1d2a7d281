import { createRequire } from 'node:module';
import nunjucks from 'nunjucks';

/**
 * Templates compiled to JavaScript by nunjucks's own precompiler, one CommonJS module each, and
 * read back as the source a loader gives nunjucks (its `Template` takes compiled code as well as
 * text). Shared by the pages (`../web/precompiled-views.ts`) and the emails
 * (`./precompiled-emails.ts`), which are compiled when a bundle is built so that a cold function
 * runs code instead of lexing, parsing and compiling templates.
 */

/**
 * `source` compiled with `env`'s options (the lexer's `trimBlocks`/`lstripBlocks` and the
 * compiler's `throwOnUndefined` are fixed at compile time: they must be those of the environment
 * that runs it), as a CommonJS module exporting what nunjucks's own wrapper would register.
 */
export function precompiledModule(source: string, name: string, env: nunjucks.Environment): string {
  return nunjucks.precompileString(source, {
    name,
    env,
    // nunjucks passes a list of compiled templates (its type definitions say one).
    wrapper: asCommonJs as unknown as NonNullable<nunjucks.PrecompileOptions['wrapper']>,
  });
}

function asCommonJs(templates: readonly { template: string }[]): string {
  return templates.map((t) => `module.exports = (function () {\n${t.template}\n})();\n`).join('');
}

/** The source nunjucks accepts from a loader for a compiled template. */
type CompiledSource = { src: { type: 'code'; obj: unknown }; path: string; noCache: boolean };

const load = createRequire(import.meta.url);

/** The module `precompiledModule` wrote to `file`, as nunjucks's `Template` takes it instead of text. */
export function compiledCode(file: string): string {
  const code: CompiledSource['src'] = { type: 'code', obj: load(file) };
  // Typed as text: nunjucks's type definitions know only that form.
  return code as unknown as string;
}

/** The module `precompiledModule` wrote to `file`, as a loader's source for the template `name`. */
export function compiledSource(file: string, name: string): nunjucks.LoaderSource {
  const source: CompiledSource = {
    src: compiledCode(file) as unknown as CompiledSource['src'],
    path: name,
    noCache: false,
  };
  return source as unknown as nunjucks.LoaderSource;
}
