import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CaseStoreError, type SignInLinks, type SignInUse } from '../domain/ports.js';
import type { IsoTimestamp } from '../domain/types.js';
import { residentSignOutKey, signInKey } from './case-table.js';
import { defaultDocumentClient } from './dynamodb-case-store.js';
import { retryableErrorFor } from './errors.js';

/** A used or expired link's item is kept this long after its expiry, so a late reuse still reads as "used". */
const KEEP_AFTER_EXPIRY_SECONDS = 24 * 3_600;
/**
 * A sign-out is kept this long past its session's end, so that no difference between the clock
 * that checks cookies and the one that deletes expired items lets a copy work for a last second.
 */
const SIGN_OUT_MARGIN_SECONDS = 5 * 60;

/**
 * Residents' one-time sign-in links in the case table (see `CASE_TABLE_DESIGN`): one item per
 * link, keyed by the link's hash (the table never holds a link that works). Using a link is one
 * conditional UpdateItem, so two tabs opening the same link cannot both sign in. A session signed
 * out of is one item keyed by a hash of its id, holding nothing else, read with one strongly
 * consistent GetItem of its key alone on each resident page.
 */
export class DynamoDbSignInLinks implements SignInLinks {
  private readonly client: DynamoDBDocumentClient;

  constructor(private readonly options: { tableName: string; client?: DynamoDBDocumentClient }) {
    this.client = options.client ?? defaultDocumentClient();
  }

  async issue(hash: string, caseId: string, expiresAt: IsoTimestamp): Promise<void> {
    await this.call('issue', () =>
      this.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            ...signInKey(hash),
            entity: 'sign-in',
            caseId,
            linkExpiresAt: expiresAt,
            expiresAt: Math.ceil(Date.parse(expiresAt) / 1000) + KEEP_AFTER_EXPIRY_SECONDS,
          },
        }),
      ),
    );
  }

  async use(hash: string, at: IsoTimestamp): Promise<SignInUse> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: signInKey(hash),
          UpdateExpression: 'SET usedAt = :at',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(usedAt)',
          ExpressionAttributeValues: { ':at': at },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'first-use';
    } catch (error: unknown) {
      if (error instanceof ConditionalCheckFailedException) return error.Item ? 'used' : 'unknown';
      throw (
        retryableErrorFor(error, 'sign-in links use') ??
        new CaseStoreError(
          `sign-in links use failed: ${error instanceof Error ? error.name : 'unknown error'}`,
          {
            cause: error,
          },
        )
      );
    }
  }

  async signOut(sessionId: string, until: IsoTimestamp): Promise<void> {
    await this.call('signOut', () =>
      this.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            ...residentSignOutKey(sessionId),
            entity: 'signed-out',
            expiresAt: Math.ceil(Date.parse(until) / 1000) + SIGN_OUT_MARGIN_SECONDS,
          },
        }),
      ),
    );
  }

  async signedOut(sessionId: string): Promise<boolean> {
    const result = await this.call('signedOut', () =>
      this.client.send(
        new GetCommand({
          TableName: this.options.tableName,
          Key: residentSignOutKey(sessionId),
          ConsistentRead: true,
          ProjectionExpression: 'PK',
        }),
      ),
    );
    return result.Item !== undefined;
  }

  private async call<T>(action: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error: unknown) {
      const retryable = retryableErrorFor(error, `sign-in links ${action}`);
      if (retryable !== undefined) throw retryable;
      const name = error instanceof Error ? error.name : 'unknown error';
      throw new CaseStoreError(`sign-in links ${action} failed: ${name}`, { cause: error });
    }
  }
}
