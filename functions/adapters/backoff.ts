/**
 * The wait before trying again after a lost race or a throttled call: "full jitter", a random time
 * up to a cap that doubles with each attempt, so writers that collided spread out instead of
 * colliding again. `baseMs` is the first attempt's half-cap; `capMs` bounds every wait.
 */
export function backoff(attempt: number, { baseMs = 10, capMs = 200 } = {}): Promise<void> {
  const ms = Math.random() * Math.min(capMs, baseMs * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
