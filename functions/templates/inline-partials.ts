/**
 * An email's template with its layout and partials written into it, so that nunjucks compiles
 * and renders one template: `{% extends "resident.txt" %}` becomes the layout's source with the
 * template's blocks in place of the layout's, and each `{% include "greeting.txt" %}` line becomes
 * the partial's source.
 *
 * Why by hand, when nunjucks extends and includes by itself: nunjucks does both at render time,
 * through its asynchronous machinery even when it renders synchronously. Each include looks the
 * partial up, copies the whole context for it and runs a three-step waterfall of callbacks; an
 * email has three to six of them, and an email is rendered three times (subject, text, HTML). That
 * machinery was about a third of the time and the memory an email took. nunjucks has no step that
 * resolves them when it compiles, and no other library knows its syntax.
 *
 * The result renders exactly what nunjucks' own extends and includes do (a test renders every
 * email both ways, byte for byte), because only forms whose whitespace is unchanged by inlining are
 * taken; anything else is refused when the template is first compiled, not rendered differently:
 * - `{% extends "…" %}` first, on its own line; the template is only blocks outside it (nunjucks
 *   drops anything else a child template says), none nested, each one the layout has. A block's
 *   tags stay where the layout has them, with the template's body between them, so `trimBlocks`
 *   and `lstripBlocks` see the same text on both sides of each tag.
 * - `{% include "…" %}` alone on its line (after a newline: nunjucks starts a line at nothing
 *   else), of a partial ending in a newline that nunjucks compiles on its own and that has no
 *   block: its lines take the include's line, starting and ending where a template's own text
 *   starts and ends. The partials set no variables (an included template's `{% set %}` stays
 *   inside it; inlined, it would not).
 * - No whitespace control (`{%-`, `-}}` …): at a partial's edge it would trim the text around
 *   the include, which nunjucks keeps apart. No comments, `raw` or `verbatim`, which the
 *   templates do not use and which could hide a tag from nunjucks but not from the inliner.
 * - Each source's extends, includes and blocks are the ones nunjucks reads: compiled on its own,
 *   its code looks up as many templates as the inliner writes in and defines the same blocks.
 */

import nunjucks from 'nunjucks';

const EXTENDS = /^\{% extends "([^"]+)" %\}\n/;
const BLOCK = /\{% block (\w+) %\}([\s\S]*?)\{% endblock %\}/g;
/** After a newline only: `^` with the `m` flag would also match after `\r` and U+2028. */
const INCLUDE_LINE = /(?<![^\n])\{% include "([^"]+)" %\}\n/g;
/** Tags these forms do not cover: refused rather than rendered differently. */
const UNSUPPORTED =
  /\{[%{]-|-[%}#]\}|\{#|\{%\s*(extends|include|import|from|macro|set|call|raw|verbatim)\b|\bsuper\s*\(/;
/** A block's tag, which a partial may not have: an include renders its blocks on their own. */
const BLOCK_TAG = /\{%\s*(block|endblock)\b/;
/** How compiled code looks a template up, for an extends, include, import or from. */
const LOOKUP = /\benv\.getTemplate\(/g;
/** Partials including partials: deeper than this is a loop. */
const MAX_DEPTH = 4;

/** Thrown when a template uses extends or include in a form `inlinePartials` does not take. */
export class InlineTemplateError extends Error {
  override name = 'InlineTemplateError';
}

/**
 * `source` (the template `name`) with the layout it extends and the partials it includes written
 * in, from `partials` by name. `compileCheck: false` leaves out the check against nunjucks' own
 * compile (`expectAsCompiled`), for sources already checked: the tests check every email template,
 * and a bundle's build checks them again, so a running process need not pay a second compile.
 */
export function inlinePartials(
  source: string,
  partials: Readonly<Record<string, string>>,
  name: string,
  options: { compileCheck?: boolean } = {},
): string {
  return inlined(source, partials, name, options.compileCheck ?? true).text;
}

/**
 * Where the character at `line` and `column` (from 1, as nunjucks counts them in its errors) of
 * `inlinePartials(source, partials, name)` was written: `outcome.txt, line 33, column 1`. Not
 * checked again (no compiler needed, as in a bundle): the source was when it was compiled.
 */
export function inlinedOrigin(
  source: string,
  partials: Readonly<Record<string, string>>,
  name: string,
  line: number,
  column: number,
): string | undefined {
  const whole = inlined(source, partials, name, false);
  const lineStart = nthLineStart(whole.text, line);
  if (lineStart === undefined) return undefined;
  const origin = whole.originOf(lineStart + column - 1);
  if (origin === undefined) return undefined;
  const before = origin.whole.slice(0, origin.offset);
  const originLine = before.split('\n').length;
  const originColumn = origin.offset - before.lastIndexOf('\n');
  return `${origin.name}, line ${originLine}, column ${originColumn}`;
}

function inlined(
  source: string,
  partials: Readonly<Record<string, string>>,
  name: string,
  check: boolean,
): Traced {
  const [extendsLine, layout] = EXTENDS.exec(source) ?? [];
  if (check) expectAsCompiled(source, name, (extendsLine === undefined ? 0 : 1) + includeLines(source));
  const own = Traced.of(source, name);
  const whole =
    extendsLine === undefined || layout === undefined
      ? own
      : intoLayout(
          own.slice(extendsLine.length, source.length),
          Traced.of(layoutOf(partials, layout, name, check), layout),
          name,
        );
  const result = withIncludes(whole, partials, name, 0, check);
  const left = UNSUPPORTED.exec(result.text);
  if (left) throw new InlineTemplateError(`${name}: "${left[0]}" cannot be inlined here`);
  return result;
}

/** The layout with the child's blocks (`child`, all of it blocks) in place of its own. */
function intoLayout(child: Traced, layout: Traced, name: string): Traced {
  const blocks = new Map<string, Traced>();
  const outside = child.replace(BLOCK, (match, slice) => {
    const [tag, block = '', body = ''] = match;
    if (body.includes('{% block ')) throw new InlineTemplateError(`${name}: block "${block}" holds a block`);
    if (blocks.has(block)) throw new InlineTemplateError(`${name}: block "${block}" twice`);
    const bodyStart = match.index + tag.indexOf('%}') + 2;
    blocks.set(block, slice(bodyStart, bodyStart + body.length));
    return Traced.EMPTY;
  });
  if (outside.text.trim() !== '') {
    throw new InlineTemplateError(`${name}: text outside its blocks, which a layout would drop`);
  }
  const used = new Set<string>();
  const merged = layout.replace(BLOCK, (match, slice) => {
    const [tag, block = ''] = match;
    const end = match.index + tag.length;
    const body = blocks.get(block);
    if (body === undefined) return slice(match.index, end);
    used.add(block);
    // The layout's own tags (`{% block name %}` and `{% endblock %}`), with the child's body between.
    const open = match.index + tag.indexOf('%}') + 2;
    return Traced.join([slice(match.index, open), body, slice(end - '{% endblock %}'.length, end)]);
  });
  const unknown = [...blocks.keys()].find((block) => !used.has(block));
  if (unknown !== undefined) throw new InlineTemplateError(`${name}: its layout has no block "${unknown}"`);
  return merged;
}

/** `source` with each include line replaced by the partial it names, itself inlined. */
function withIncludes(
  source: Traced,
  partials: Readonly<Record<string, string>>,
  name: string,
  depth: number,
  check: boolean,
): Traced {
  if (depth > MAX_DEPTH) throw new InlineTemplateError(`${name}: partials include each other too deeply`);
  return source.replace(INCLUDE_LINE, ([, included = '']) => {
    const partial = partialOf(partials, included, name);
    if (!partial.endsWith('\n')) {
      throw new InlineTemplateError(`${name}: partial "${included}" does not end with a newline`);
    }
    if (BLOCK_TAG.test(partial)) throw new InlineTemplateError(`${name}: partial "${included}" has a block`);
    if (check) expectAsCompiled(partial, included, includeLines(partial));
    return withIncludes(Traced.of(partial, included), partials, included, depth + 1, check);
  });
}

function layoutOf(
  partials: Readonly<Record<string, string>>,
  layout: string,
  name: string,
  check: boolean,
): string {
  const source = partialOf(partials, layout, name);
  if (check) expectAsCompiled(source, layout, includeLines(source));
  return source;
}

/** Where line `line` (from 1) of `text` starts. */
function nthLineStart(text: string, line: number): number | undefined {
  let start = 0;
  for (let n = 1; n < line; n += 1) {
    const newline = text.indexOf('\n', start);
    if (newline === -1) return undefined;
    start = newline + 1;
  }
  return start;
}

/** A run of text copied from one source: its name, its whole text and where in it the run starts. */
interface Run {
  readonly text: string;
  readonly name: string;
  readonly whole: string;
  readonly offset: number;
}

/** Text made of runs of its sources' text, so each character can say where it was written. */
class Traced {
  static readonly EMPTY = new Traced([]);

  readonly text: string;

  private constructor(private readonly runs: readonly Run[]) {
    this.text = runs.map((run) => run.text).join('');
  }

  /** The whole of the source `name`. */
  static of(whole: string, name: string): Traced {
    return new Traced([{ text: whole, name, whole, offset: 0 }]);
  }

  static join(parts: readonly Traced[]): Traced {
    return new Traced(parts.flatMap((part) => part.runs));
  }

  slice(start: number, end: number): Traced {
    const runs: Run[] = [];
    let at = 0;
    for (const run of this.runs) {
      const from = Math.max(start, at);
      const to = Math.min(end, at + run.text.length);
      if (from < to) {
        runs.push({ ...run, text: run.text.slice(from - at, to - at), offset: run.offset + from - at });
      }
      at += run.text.length;
    }
    return new Traced(runs);
  }

  /** As `String.replace` with a global `pattern`, each match replaced by what `by` makes of it. */
  replace(
    pattern: RegExp,
    by: (match: RegExpExecArray, slice: (start: number, end: number) => Traced) => Traced,
  ): Traced {
    const parts: Traced[] = [];
    let last = 0;
    const slice = (start: number, end: number) => this.slice(start, end);
    for (const match of this.text.matchAll(pattern)) {
      parts.push(this.slice(last, match.index), by(match as RegExpExecArray, slice));
      last = match.index + match[0].length;
    }
    parts.push(this.slice(last, this.text.length));
    return Traced.join(parts);
  }

  /** The source and offset in it of the character at `index`. */
  originOf(index: number): { name: string; whole: string; offset: number } | undefined {
    let at = 0;
    for (const run of this.runs) {
      if (index < at + run.text.length) return { ...run, offset: run.offset + index - at };
      at += run.text.length;
    }
    return undefined;
  }
}

function includeLines(source: string): number {
  return source.match(INCLUDE_LINE)?.length ?? 0;
}

/** What nunjucks compiles a source to, as the inliner checks it: lookups and blocks. */
interface Compiled {
  /** How many templates its code looks up (extends, include, import, from). */
  readonly lookups: number;
  /** The names of the blocks it defines, in order. */
  readonly blocks: string;
}

/** Sources already compiled by `compiledOf`. */
const compiled = new Map<string, Compiled>();

/** How compiled code defines a block: `function b_body(env, context, frame, runtime, cb)`. */
const BLOCK_FUNCTION = /\bfunction b_(\w+)\(/g;

function compiledOf(source: string, name: string): Compiled {
  let known = compiled.get(source);
  if (known === undefined) {
    let code: string;
    try {
      code = nunjucks.precompileString(source, { name });
    } catch (error: unknown) {
      const message = error instanceof Error ? error.message : String(error);
      throw new InlineTemplateError(`${name}: nunjucks cannot compile it on its own: ${message}`, {
        cause: error,
      });
    }
    known = {
      lookups: code.match(LOOKUP)?.length ?? 0,
      blocks: [...code.matchAll(BLOCK_FUNCTION)].map(([, block]) => block).join(),
    };
    compiled.set(source, known);
  }
  return known;
}

/**
 * Refuses `source` unless nunjucks, compiling it on its own, looks up `expected` templates (the
 * extends and include lines the inliner replaces, and no other) and defines the blocks the
 * inliner finds, so that none of them sits in a string, a comment or a raw block. A partial that
 * only parses inside its template (an `{% endif %}` closing the template's `if`) fails here, as it
 * does when nunjucks includes it. The cost is a second compile of each template's own source (tens
 * of milliseconds for an email's first use, once a process); a bundle pays it when it is built.
 */
function expectAsCompiled(source: string, name: string, expected: number): void {
  const { lookups, blocks } = compiledOf(source, name);
  if (lookups !== expected) {
    throw new InlineTemplateError(
      `${name}: nunjucks reads ${lookups} extends or includes in it where the inliner finds ${expected}. ` +
        'Write each include as {% include "name" %} alone on its line, the extends as ' +
        '{% extends "name" %} on the first line, and none in a string, a comment or a raw block',
    );
  }
  const found = [...source.matchAll(BLOCK)].map(([, block]) => block).join();
  if (blocks !== found) {
    throw new InlineTemplateError(
      `${name}: nunjucks reads the blocks "${blocks}" in it where the inliner finds "${found}". ` +
        'Write each as {% block name %}…{% endblock %}, none in a string, a comment or a raw block',
    );
  }
}

function partialOf(partials: Readonly<Record<string, string>>, partial: string, name: string): string {
  const source = Object.hasOwn(partials, partial) ? partials[partial] : undefined;
  if (source === undefined) throw new InlineTemplateError(`${name}: no partial called "${partial}"`);
  return source;
}
