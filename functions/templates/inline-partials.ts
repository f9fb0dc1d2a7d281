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
 * - `{% include "…" %}` alone on its line, of a partial ending in a newline: its lines take the
 *   include's line, starting and ending where a template's own text starts and ends. The partials
 *   set no variables (an included template's `{% set %}` stays inside it; inlined, it would not).
 */

const EXTENDS = /^\{% extends "([^"]+)" %\}\n/;
const BLOCK = /\{% block (\w+) %\}([\s\S]*?)\{% endblock %\}/g;
const INCLUDE_LINE = /^\{% include "([^"]+)" %\}\n/gm;
/** Tags these forms do not cover: refused rather than rendered differently. */
const UNSUPPORTED = /\{%-|-%\}|\{%\s*(extends|include|import|from|macro|set|call)\b|\bsuper\(\)/;
/** Partials including partials: deeper than this is a loop. */
const MAX_DEPTH = 4;

/** Thrown when a template uses extends or include in a form `inlinePartials` does not take. */
export class InlineTemplateError extends Error {
  override name = 'InlineTemplateError';
}

/**
 * `source` (the template `name`) with the layout it extends and the partials it includes written
 * in, from `partials` by name.
 */
export function inlinePartials(
  source: string,
  partials: Readonly<Record<string, string>>,
  name: string,
): string {
  const [extendsLine, layout] = EXTENDS.exec(source) ?? [];
  const whole =
    extendsLine === undefined || layout === undefined
      ? source
      : intoLayout(source.slice(extendsLine.length), partialOf(partials, layout, name), name);
  const inlined = withIncludes(whole, partials, name, 0);
  const left = UNSUPPORTED.exec(inlined);
  if (left) throw new InlineTemplateError(`${name}: "${left[0]}" cannot be inlined here`);
  return inlined;
}

/** The layout with the child's blocks (`child`, all of it blocks) in place of its own. */
function intoLayout(child: string, layout: string, name: string): string {
  const blocks = new Map<string, string>();
  const outside = child.replace(BLOCK, (_tag, block: string, body: string) => {
    if (body.includes('{% block ')) throw new InlineTemplateError(`${name}: block "${block}" holds a block`);
    if (blocks.has(block)) throw new InlineTemplateError(`${name}: block "${block}" twice`);
    blocks.set(block, body);
    return '';
  });
  if (outside.trim() !== '') {
    throw new InlineTemplateError(`${name}: text outside its blocks, which a layout would drop`);
  }
  const used = new Set<string>();
  const merged = layout.replace(BLOCK, (tag, block: string) => {
    const body = blocks.get(block);
    if (body === undefined) return tag;
    used.add(block);
    return `{% block ${block} %}${body}{% endblock %}`;
  });
  const unknown = [...blocks.keys()].find((block) => !used.has(block));
  if (unknown !== undefined) throw new InlineTemplateError(`${name}: its layout has no block "${unknown}"`);
  return merged;
}

/** `source` with each include line replaced by the partial it names, itself inlined. */
function withIncludes(
  source: string,
  partials: Readonly<Record<string, string>>,
  name: string,
  depth: number,
): string {
  if (depth > MAX_DEPTH) throw new InlineTemplateError(`${name}: partials include each other too deeply`);
  return source.replace(INCLUDE_LINE, (_line, included: string) => {
    const partial = partialOf(partials, included, name);
    if (!partial.endsWith('\n')) {
      throw new InlineTemplateError(`${name}: partial "${included}" does not end with a newline`);
    }
    return withIncludes(partial, partials, included, depth + 1);
  });
}

function partialOf(partials: Readonly<Record<string, string>>, partial: string, name: string): string {
  const source = Object.hasOwn(partials, partial) ? partials[partial] : undefined;
  if (source === undefined) throw new InlineTemplateError(`${name}: no partial called "${partial}"`);
  return source;
}
