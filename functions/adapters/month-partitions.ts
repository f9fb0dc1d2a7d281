import { type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { CaseStoreError } from '../domain/ports.js';
import { retryableErrorFor } from './errors.js';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Items kept one partition a month on the case table (equality answers `EQUALITY#<YYYY-MM>`, the
 * audit log `AUDIT#<YYYY-MM>`): every item of the months `fromMonth` to `toMonth` (`YYYY-MM`,
 * inclusive), month by month in sort-key order, one Query per month. A value that is not a month
 * is a programming error (RangeError); a failed query is the case store's error, retryable
 * when AWS throttled it.
 */
export async function* itemsByMonth(
  options: { client: DynamoDBDocumentClient; tableName: string; prefix: string; projection: string },
  fromMonth: string,
  toMonth: string,
  /** Only items whose sort key is at or after this (sort keys that begin with a timestamp). */
  sortKeyFrom?: string,
): AsyncGenerator<{ month: string; item: Record<string, unknown> }> {
  for (const month of [fromMonth, toMonth]) {
    if (!MONTH.test(month)) throw new RangeError(`not a month (YYYY-MM): ${month}`);
  }
  for (let month = fromMonth; month <= toMonth; month = nextMonth(month)) {
    try {
      const pages = paginateQuery(
        { client: options.client },
        {
          TableName: options.tableName,
          KeyConditionExpression: sortKeyFrom === undefined ? 'PK = :pk' : 'PK = :pk AND SK >= :from',
          ExpressionAttributeValues: {
            ':pk': `${options.prefix}${month}`,
            ...(sortKeyFrom === undefined ? {} : { ':from': sortKeyFrom }),
          },
          ProjectionExpression: options.projection,
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) yield { month, item };
      }
    } catch (error: unknown) {
      throw storeFailure(error, `${options.prefix.replace(/#$/, '').toLowerCase()} query`);
    }
  }
}

/** A failed write or read of these items: retryable when AWS throttled it, else the store's error. */
export function storeFailure(error: unknown, what: string): Error {
  return (
    retryableErrorFor(error, what) ??
    new CaseStoreError(`${what} failed: ${error instanceof Error ? error.name : 'unknown error'}`, {
      cause: error,
    })
  );
}

function nextMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}
