/**
 * A value made on its first use, then kept. For `Intl` formatters above all: the first one a
 * process makes loads ICU's locale and time zone data, about 10 ms of CPU (a quarter of a bare
 * function's cold start), which a module made at load paid in every function that imports it,
 * whether or not an invocation formats anything.
 */
export function onFirstUse<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}
