import { logger } from '../observability.js';

/**
 * `GET /health`: asks each dependency one cheap question, all at once, each with a short time
 * to answer, and says which did not. The answer names dependencies and says "ok" or "down",
 * nothing more: no ARNs, table names or error messages reach the caller; the log says why.
 */

/** One dependency's check: resolves when it answered; gives up when `signal` aborts. */
export type DependencyCheck = (signal: AbortSignal) => Promise<void>;

/** The checks `/health` runs, by the name it reports (`table`, `archive`, `email`, `workflows`). */
export type HealthChecks = Readonly<Record<string, DependencyCheck>>;

export type DependencyStatus = 'ok' | 'down';

export interface HealthReport {
  /** `ok` when every dependency answered, `degraded` when any did not. */
  status: 'ok' | 'degraded';
  checks: Record<string, DependencyStatus>;
}

/**
 * How long each dependency has to answer. Short: a health check that waits as long as a
 * request would tells a load balancer or an operator nothing sooner than the request itself.
 */
export const HEALTH_CHECK_TIMEOUT_MS = 2_000;

/** A dependency that did not answer within the health check's time. */
export class HealthCheckTimeoutError extends Error {
  override name = 'HealthCheckTimeoutError';
}

/** Runs every check in parallel; each is `down` when it rejects or does not answer in `timeoutMs`. */
export async function checkHealth(
  checks: HealthChecks,
  options: { timeoutMs?: number } = {},
): Promise<HealthReport> {
  const timeoutMs = options.timeoutMs ?? HEALTH_CHECK_TIMEOUT_MS;
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, DependencyStatus]> => {
      try {
        await withTimeout(check, timeoutMs);
        return [name, 'ok'];
      } catch (error: unknown) {
        // Only the error's name: adapter messages name tables, buckets and state machines.
        logger.warn('health check failed', {
          dependency: name,
          error: error instanceof Error ? error.name : typeof error,
        });
        return [name, 'down'];
      }
    }),
  );
  const report: Record<string, DependencyStatus> = Object.fromEntries(results);
  return {
    status: results.every(([, status]) => status === 'ok') ? 'ok' : 'degraded',
    checks: report,
  };
}

/**
 * Runs `check` with a signal that aborts after `timeoutMs`, and stops waiting then even if the
 * check ignores its signal (a hung connection must not hang `/health`).
 */
async function withTimeout(check: DependencyCheck, timeoutMs: number): Promise<void> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new HealthCheckTimeoutError(`no answer within ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    await Promise.race([check(controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
