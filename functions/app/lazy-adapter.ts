/**
 * The methods of a port whose every member is an async method or an async iterable: only such a
 * port can be loaded on its first call, as each call can wait for the import.
 */
export type AsyncPort<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R>
    ? (...args: A) => Promise<R>
    : T[K] extends (...args: infer A) => AsyncIterable<infer R>
      ? (...args: A) => AsyncIterable<R>
      : never;
};

/** How each method of a port answers: `true`, a promise; `'iterable'`, an async iterable. */
export type MethodKinds<T> = {
  readonly [K in keyof T]: T[K] extends (...args: never[]) => AsyncIterable<unknown> ? 'iterable' : true;
};

/**
 * An adapter that imports its module (and the AWS client under it) on its first call rather than
 * when the function starts: a function that wires S3 only for the letters it may print, or SES
 * for the email it sends on some invocations only, does not pay for loading the client on every
 * cold start. `methods` names every method of the port and how it answers (the compiler checks
 * the list is whole, and that a method returning an async iterable is named `'iterable'`), so
 * the adapter is a plain object of those methods: it can be logged, serialised and inspected
 * like any other. An iterable method loads the module when the iteration starts. `load` runs
 * once; if it fails because the chunk it imports could not be read, the next call tries again.
 * A chunk that one imports in turn, or a module that threw while loading, stays failed for the
 * process's life: Node keeps that error (a Lambda package is deployed whole, so neither happens
 * but by a broken build). Settings are read by the caller before (`requireEnv`), so a
 * misconfigured function still fails at start.
 *
 * Written here rather than taken from a library: it is a dozen lines, and the libraries that make
 * lazy proxies load synchronously (`require`) or wrap values, not ports.
 */
export function loadedOnFirstCall<T extends AsyncPort<T>>(
  methods: MethodKinds<T>,
  load: () => Promise<T>,
): T {
  const loaded = loadedOnce(load);
  type Real = Record<string, (...a: unknown[]) => unknown>;
  const adapter: Record<string, (...args: unknown[]) => unknown> = {};
  for (const [name, kind] of Object.entries(methods) as [string, true | 'iterable'][]) {
    adapter[name] =
      kind === 'iterable'
        ? async function* (...args: unknown[]) {
            const real = (await loaded()) as unknown as Real;
            yield* (real[name] as (...a: unknown[]) => AsyncIterable<unknown>).apply(real, args);
          }
        : async (...args: unknown[]) => {
            const real = (await loaded()) as unknown as Real;
            return (real[name] as (...a: unknown[]) => unknown).apply(real, args);
          };
  }
  return adapter as T;
}

/**
 * `load` (a module's `import()`, or what is built from it) run on the first call and its result
 * kept for every later call; if it fails, the next call tries again. An `import()` of a module
 * already loaded is not free: Node resolves the specifier again on every call, and under a
 * loader's hooks (tsx, as `npm start` runs the functions) each resolution is a round trip to the
 * hooks' thread, which cost several per cent of the local runtime's CPU when every email imported
 * its templates' module again.
 */
export function loadedOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
