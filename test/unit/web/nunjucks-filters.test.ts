import { createRequire } from 'node:module';
import fc from 'fast-check';
import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { trim, useFastFilters } from '../../../functions/web/nunjucks-filters.js';

/** nunjucks's own filter, as its environments use it by default. */
const nunjucksTrim = (createRequire(import.meta.url)('nunjucks/src/filters.js') as { trim: typeof trim })
  .trim;

/** Text made mostly of the characters either trim could treat differently: every kind of space, and some that are not. */
const text = fc.string({
  unit: fc.constantFrom(
    ...[' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029'],
    ...['\u202f', '\u205f', '\u3000', '\ufeff', '\u200b', '\u0085', '\u180e', 'a', '<p>', ' '],
  ),
  maxLength: 60,
});

describe("the pages' trim filter", () => {
  it('trims exactly what nunjucks trims', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(trim(value)).toBe(nunjucksTrim(value));
      }),
    );
  });

  it('keeps safe text safe, and plain text plain, as nunjucks does', () => {
    const safe = new nunjucks.runtime.SafeString('  <b>bold</b>\n ');

    expect(trim(safe)).toBeInstanceOf(nunjucks.runtime.SafeString);
    expect(String(trim(safe))).toBe(String(nunjucksTrim(safe)));
    expect(trim(' plain ')).toBe('plain');
  });

  it('renders a template alike in an environment that uses it, escaped or safe', () => {
    const ours = useFastFilters(new nunjucks.Environment([], { autoescape: true }));
    const theirs = new nunjucks.Environment([], { autoescape: true });
    const template = '[{{ value | trim }}][{{ value | safe | trim }}][{{ value | trim | safe }}]';

    fc.assert(
      fc.property(text, (value) => {
        expect(ours.renderString(template, { value })).toBe(theirs.renderString(template, { value }));
      }),
    );
  });
});
