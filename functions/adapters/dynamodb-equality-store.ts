import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
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
 *
 * The confirmation page mints a new link each time it is shown; so that reloading it does not let
 * one piece of feedback answer twice, a form carries an opaque key of its feedback (`once`), and
 * the answers are written in one transaction with `EQUALITY-GIVEN` / `<sha256 of that key>`, a
 * marker that holds nothing else: nothing in either item names the other. (Whoever holds the
 * link-signing secret and a case id could tell that the case's feedback was answered, not what.)
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
    once?: string,
  ): Promise<'recorded' | 'duplicate'> {
    const expires = Math.floor(expiresAt.getTime() / 1000);
    const answers = {
      TableName: this.options.tableName,
      Item: {
        PK: `EQUALITY#${response.month}`,
        SK: sha256(formId),
        entity: 'equality',
        kind: response.kind,
        answers: response.answers,
        expiresAt: expires,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    };
    try {
      if (once === undefined) {
        await this.client.send(new PutCommand(answers));
      } else {
        const marker = {
          TableName: this.options.tableName,
          Item: { PK: 'EQUALITY-GIVEN', SK: sha256(once), entity: 'equality-given', expiresAt: expires },
          ConditionExpression: 'attribute_not_exists(PK)',
        };
        await this.client.send(
          new TransactWriteCommand({ TransactItems: [{ Put: answers }, { Put: marker }] }),
        );
      }
      return 'recorded';
    } catch (error: unknown) {
      if (error instanceof ConditionalCheckFailedException) return 'duplicate';
      if (
        error instanceof TransactionCanceledException &&
        (error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed')
      ) {
        return 'duplicate';
      }
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

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
