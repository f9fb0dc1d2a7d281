/**
 * An adapter as it is, but for one method that does something else first: the moment a race or an
 * outage is to happen in a test. The copy inherits every other method and field from the adapter
 * (`Object.create`), and the method calls the adapter's own afterwards.
 */
type Method = (...args: never[]) => Promise<unknown>;

function interposed<T extends object, K extends keyof T>(
  adapter: T,
  method: K,
  before: (call: number) => Promise<void>,
): T {
  const own = adapter[method] as unknown as Method;
  let calls = 0;
  return Object.assign(Object.create(adapter) as T, {
    [method]: async (...args: never[]) => {
      calls += 1;
      await before(calls);
      return own.apply(adapter, args);
    },
  });
}

/** `adapter`, with `meanwhile` (a colleague's action, say) run before the first call of `method`. */
export function actingBeforeFirst<T extends object, K extends keyof T>(
  adapter: T,
  method: K,
  meanwhile: () => Promise<unknown>,
): T {
  return interposed(adapter, method, async (call) => {
    if (call === 1) await meanwhile();
  });
}

/** `adapter`, whose `method` throws `error` on its first `times` calls and works after (a service that did not answer). */
export function failingFirst<T extends object, K extends keyof T>(
  adapter: T,
  method: K,
  error: Error,
  times = 1,
): T {
  return interposed(adapter, method, async (call) => {
    if (call <= times) throw error;
  });
}
