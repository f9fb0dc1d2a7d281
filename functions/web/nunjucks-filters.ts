import nunjucks from 'nunjucks';

/**
 * nunjucks's `trim` filter, in linear time. nunjucks's own is `str.replace(/^\s*|\s*$/g, '')`,
 * whose `\s*$` is tried again from every character of every run of whitespace that does not
 * end the string: quadratic in the indentation GOV.UK's macros pipe through `| trim` (the form
 * page spends half its render there, 5 of 10 ms). `String.prototype.trim` removes exactly the
 * characters `\s` matches (ECMAScript's WhiteSpace and LineTerminator) from both ends, and a
 * `SafeString` stays safe as nunjucks's does. Written here because nunjucks has no option for
 * it; a test checks it against nunjucks's filter.
 */
export function trim(value: string | nunjucks.runtime.SafeString): string | nunjucks.runtime.SafeString {
  // A method call, as nunjucks's `str.replace`: what is neither text nor safe text fails alike.
  const trimmed = (value as string).trim();
  return value instanceof nunjucks.runtime.SafeString ? new nunjucks.runtime.SafeString(trimmed) : trimmed;
}

/** Our faster versions of nunjucks's built-in filters, same output, for an environment's pages. */
export function useFastFilters(env: nunjucks.Environment): nunjucks.Environment {
  return env.addFilter('trim', trim);
}
