import type { RateDecision, RateLimit, RateLimiter } from '../../functions/domain/ports.js';

/** Fixed-window counters in memory, with the DynamoDB limiter's behaviour, for tests without a table. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { hits: number; seen: Set<string> }>();

  async take(limits: RateLimit[], now: Date, requestId?: string): Promise<RateDecision> {
    for (const limit of limits) {
      if (!Number.isFinite(limit.max)) continue;
      const nowSeconds = Math.floor(now.getTime() / 1000);
      const windowStart = nowSeconds - (nowSeconds % limit.windowSeconds);
      const id = `${limit.key}#${windowStart}`;
      const window = this.windows.get(id) ?? { hits: 0, seen: new Set<string>() };
      this.windows.set(id, window);
      if (requestId && window.seen.has(requestId)) continue;
      if (window.hits >= limit.max) {
        return { allowed: false, limit, retryAfterSeconds: windowStart + limit.windowSeconds - nowSeconds };
      }
      window.hits++;
      if (requestId) window.seen.add(requestId);
    }
    return { allowed: true };
  }
}
