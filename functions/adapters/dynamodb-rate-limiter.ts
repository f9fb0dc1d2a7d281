import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateDecision, RateLimit, RateLimiter } from '../domain/ports.js';
import { CaseStoreError } from '../domain/ports.js';
import { defaultDocumentClient } from './dynamodb-case-store.js';
import { retryableErrorFor } from './errors.js';

/**
 * Fixed-window counters on the case table: `RATE#<kind>#<sha256 of key>#<window start>` / `RATE`
 * (`rateKey`), with `hits`, the hashes of the request ids counted (`seen`) and `expiresAt` (TTL)
 * an hour after the window ends. One conditional UpdateItem per limit, so two requests racing
 * cannot both take the last place. Keys are hashed: an email address is personal data and must
 * not be a plain key; only the limit's kind (`check-email`) is kept in clear.
 * Hand-written: the rate limiters on npm count in memory (one Lambda instance's view) or need
 * Redis; ten lines on the table we already have count across every instance.
 */
export class DynamoDbRateLimiter implements RateLimiter {
  private readonly client: DynamoDBDocumentClient;

  constructor(private readonly options: { tableName: string; client?: DynamoDBDocumentClient }) {
    this.client = options.client ?? defaultDocumentClient();
  }

  async take(limits: RateLimit[], now: Date, requestId?: string): Promise<RateDecision> {
    for (const limit of limits) {
      const decision = await this.takeOne(limit, now, requestId);
      if (!decision.allowed) return decision;
    }
    return { allowed: true };
  }

  private async takeOne(limit: RateLimit, now: Date, requestId?: string): Promise<RateDecision> {
    if (!Number.isFinite(limit.max)) return { allowed: true };
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const windowStart = nowSeconds - (nowSeconds % limit.windowSeconds);
    const windowEnd = windowStart + limit.windowSeconds;
    const seen = requestId ? hash(requestId).slice(0, 16) : undefined;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: rateKey(limit.key, windowStart),
          UpdateExpression: `ADD hits :one${seen ? ', seen :seen' : ''} SET expiresAt = :expires, entity = :entity`,
          ConditionExpression: `(attribute_not_exists(hits) OR hits < :max)${seen ? ' AND NOT contains(seen, :id)' : ''}`,
          ExpressionAttributeValues: {
            ':one': 1,
            ':max': limit.max,
            ':expires': windowEnd + 3_600,
            ':entity': 'rate',
            ...(seen ? { ':seen': new Set([seen]), ':id': seen } : {}),
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { allowed: true };
    } catch (error: unknown) {
      if (error instanceof ConditionalCheckFailedException) {
        const counted = error.Item?.seen?.SS;
        // The same request again (a retry after a lost answer): it was counted once already.
        if (seen && counted?.includes(seen)) return { allowed: true };
        return { allowed: false, limit, retryAfterSeconds: Math.max(1, windowEnd - nowSeconds) };
      }
      throw (
        retryableErrorFor(error, 'rate limiter take') ??
        new CaseStoreError(
          `rate limiter take failed: ${error instanceof Error ? error.name : 'unknown error'}`,
          {
            cause: error,
          },
        )
      );
    }
  }
}

/** One rate limit's count in the window starting at `windowStart` (epoch seconds). */
export const rateKey = (limitKey: string, windowStart: number) => ({
  PK: `${rateKindPrefix(rateKind(limitKey))}#${hash(limitKey)}#${windowStart}`,
  SK: 'RATE',
});

/**
 * What the partition key of every count of limits whose kind starts with `kind` starts with:
 * `rateKindPrefix('check-')` for check your complaint's.
 */
export const rateKindPrefix = (kind: string) => `RATE#${kind}`;

/** A limit key's kind: its part before the first `:` when that is a plain name, or `other` (never a key's personal part). */
function rateKind(limitKey: string): string {
  const kind = limitKey.slice(0, Math.max(0, limitKey.indexOf(':')));
  return /^[a-z][a-z-]{0,30}$/.test(kind) ? kind : 'other';
}

function hash(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
