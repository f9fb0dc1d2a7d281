/**
 * The methods of a port whose every member is an async method: only such a port can be loaded on
 * its first call, as each call can wait for the import.
 */
type AsyncPort<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => Promise<R> : never;
};

/**
 * An adapter that imports its module (and the AWS client under it) on its first call rather than
 * when the function starts: a function that wires S3 only for the letters it may print, or SES
 * for the email it sends on some invocations only, does not pay for loading the client on every
 * cold start. `load` runs once; if it fails (a chunk that cannot be read), the next call tries
 * again. Settings are read by the caller before (`requireEnv`), so a misconfigured function still
 * fails at start.
 *
 * Written here rather than taken from a library: it is a dozen lines over `Proxy`, and the
 * libraries that make lazy proxies load synchronously (`require`) or wrap values, not ports.
 */
export function loadedOnFirstCall<T extends AsyncPort<T>>(load: () => Promise<T>): T {
  let loading: Promise<T> | undefined;
  const loaded = (): Promise<T> => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  const methods = new Map<PropertyKey, (...args: unknown[]) => Promise<unknown>>();
  return new Proxy({} as T, {
    get(_target, name) {
      // Not a promise: `await adapter` must give the adapter, not call `then` on it.
      if (name === 'then' || typeof name === 'symbol') return undefined;
      let method = methods.get(name);
      if (!method) {
        method = async (...args: unknown[]) => {
          const adapter = (await loaded()) as Record<PropertyKey, (...a: unknown[]) => Promise<unknown>>;
          const real = adapter[name];
          if (typeof real !== 'function') throw new TypeError(`The adapter has no method ${String(name)}`);
          return real.apply(adapter, args);
        };
        methods.set(name, method);
      }
      return method;
    },
  });
}
