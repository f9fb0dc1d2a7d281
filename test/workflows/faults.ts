import { ServiceUnavailableError } from '../../functions/adapters/errors.js';

/**
 * An outage of one AWS service on the test's clock: while it lasts, every call through a port
 * put `behind` it fails the way the adapter reports a dead service (`ServiceUnavailableError`,
 * the error the retry policy is built from).
 */
export class Outage {
  private until = Number.NEGATIVE_INFINITY;
  /** Calls refused while the service was down. */
  refused = 0;

  constructor(
    readonly service: string,
    private readonly now: () => Date,
  ) {}

  /** The service goes down now, for this many minutes of the test's clock. */
  start(minutes: number): void {
    this.until = this.now().getTime() + minutes * 60_000;
  }

  get down(): boolean {
    return this.now().getTime() < this.until;
  }
}

/** The port, with every method failing while the outage lasts. */
export function behind<T extends object>(port: T, outage: Outage): T {
  return new Proxy(port, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (outage.down) {
          outage.refused++;
          const refusal = new ServiceUnavailableError(`${outage.service}: AWS service failure`, {
            cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
          });
          // Async methods reject; an async iterable (a paged query) throws on its first page.
          return Promise.reject(refusal);
        }
        return value.apply(target, args);
      };
    },
  });
}
