import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { EqualityResponse } from '../domain/equality.js';
import type { EqualityStore } from '../domain/ports.js';
import { defaultDocumentClient } from './dynamodb-case-store.js';
import { itemsByMonth, storeFailure } from './month-partitions.js';

/**
 * Equality monitoring answers on the case table, as items of their own:
 * `EQUALITY#<YYYY-MM>` / `<sha256 of the form's one-time id>`, holding the kind of feedback and
 * the answers, expiring after the retention `equality.ts` sets. Nothing in them leads to a case:
 * the form's id is random and never stored on the case, and only the month is kept. One
 * partition per month, which the reports query whole.
 */
export class DynamoDbEqualityStore implements EqualityStore {
  private readonly client: DynamoDBDocumentClient;

  constructor(private readonly options: { tableName: string; client?: DynamoDBDocumentClient }) {
    this.client = options.client ?? defaultDocumentClient();
  }

  async record(
    formId: string,
    response: EqualityResponse,
    expiresAt: Date,
  ): Promise<'recorded' | 'duplicate'> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            PK: `EQUALITY#${response.month}`,
            SK: createHash('sha256').update(formId).digest('hex'),
            entity: 'equality',
            kind: response.kind,
            answers: response.answers,
            expiresAt: Math.floor(expiresAt.getTime() / 1000),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return 'recorded';
    } catch (error: unknown) {
      if (error instanceof ConditionalCheckFailedException) return 'duplicate';
      throw storeFailure(error, 'equality record');
    }
  }

  async *between(fromMonth: string, toMonth: string): AsyncIterable<EqualityResponse> {
    const items = itemsByMonth(
      {
        client: this.client,
        tableName: this.options.tableName,
        prefix: 'EQUALITY#',
        projection: 'kind, answers',
      },
      fromMonth,
      toMonth,
    );
    for await (const { month, item } of items)
      yield { month, kind: item.kind, answers: item.answers ?? {} } as EqualityResponse;
  }
}
