import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import nunjucks from 'nunjucks';
import { compiledSource, precompiledModule } from '../templates/precompiled-module.js';

/**
 * The pages' templates compiled to JavaScript when the API is bundled, one module per template, so
 * that a cold start's first page runs code instead of parsing and compiling every GOV.UK macro it
 * imports (most of the time of the first `GET /`). nunjucks's own precompiler writes each module
 * (`precompileString`, with a wrapper making it a CommonJS module); `PrecompiledViewsLoader` reads
 * one when a page first needs it. Where nothing was precompiled (`npm start`, the tests), the
 * pages are read from the template files as before.
 */

/** The options of the pages' environment (`render.ts`): the templates are compiled with the same. */
export const PAGE_ENVIRONMENT_OPTIONS = { autoescape: true, throwOnUndefined: false } as const;

/**
 * The options of the report pages' environment (`../reports/render.ts`): they trim blocks, so the
 * layout and GOV.UK's macros they use are compiled again with these, into a folder of their own.
 */
export const REPORT_ENVIRONMENT_OPTIONS = {
  autoescape: true,
  throwOnUndefined: false,
  trimBlocks: true,
  lstripBlocks: true,
} as const;

const EXTENSION = '.cjs';

/** Every `.njk` file under `root`, as its template name (the path from `root`, with `/`). */
function templatesUnder(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return templatesUnder(root, path);
    return entry.endsWith('.njk') ? [relative(root, path).split(sep).join('/')] : [];
  });
}

/**
 * Compiles every template under `searchPaths` (the loader's search paths, first match wins, as the
 * file loader resolves a name) into `outDir`, one module per template name, with the options of
 * the environment that will run them. Run at bundle time.
 * Returns how many templates were written.
 */
export function precompileViews(
  searchPaths: readonly string[],
  outDir: string,
  options: nunjucks.ConfigureOptions = PAGE_ENVIRONMENT_OPTIONS,
): number {
  // A copy: nunjucks writes its defaults into the options object it is given.
  const env = new nunjucks.Environment([], { ...options });
  const done = new Set<string>();
  for (const root of searchPaths) {
    for (const name of templatesUnder(root)) {
      if (done.has(name)) continue;
      done.add(name);
      const code = precompiledModule(readFileSync(join(root, name), 'utf8'), name, env);
      const file = join(outDir, `${name}${EXTENSION}`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, code);
    }
  }
  return done.size;
}

/**
 * Reads the templates `precompileViews` wrote in `dir`, each when first asked for; a name with no
 * module there is left to the next loader (none: the template does not exist).
 */
export class PrecompiledViewsLoader implements nunjucks.ILoader {
  constructor(private readonly dir: string) {}

  /** GOV.UK's macros import each other by relative names (`../../macros/attributes.njk`). */
  isRelative(name: string): boolean {
    return name.startsWith('./') || name.startsWith('../');
  }

  /** A relative name from a template, as a template name (the file loader resolves it to a path). */
  resolve(from: string, to: string): string {
    return posix.join(posix.dirname(from), to);
  }

  getSource(name: string): nunjucks.LoaderSource {
    const file = join(this.dir, `${name}${EXTENSION}`);
    // Names come from the views, never from a request; still, nothing outside the folder.
    if (name.split('/').includes('..') || !existsSync(file)) return null as unknown as nunjucks.LoaderSource;
    return compiledSource(file, name);
  }
}

/**
 * nunjucks's loader of template files, for an environment that compiles them at run time (`npm
 * start`, the tests). A bundle that ships nunjucks's runtime alone has none: its templates must
 * have been compiled when it was built.
 */
export function templateFileLoader(searchPaths: string[]): nunjucks.ILoader {
  if (typeof nunjucks.FileSystemLoader !== 'function') {
    throw new Error(
      'This bundle runs templates compiled when it was built, and none were: set REDRESS_PRECOMPILED_VIEWS_DIR.',
    );
  }
  return new nunjucks.FileSystemLoader(searchPaths);
}
