import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { type ArchiveExpiryDeps, expireArchivesFor } from './archive-expiry.js';
import { countReportsFor, type ReportCountingDeps } from './report-counting.js';

/**
 * The case table's stream, second reader (the workflow starter is the first): every change of a
 * case item keeps the public report's counters (`report-counting.ts`), and a case item the
 * table's TTL deleted also takes its archive with it (`archive-expiry.ts`). One function for both
 * because DynamoDB advises at most two readers of a stream's shard at a time (a third is
 * throttled); each part is safe to run again, so a record either retries is retried for both.
 */
export async function caseChangesFor(
  counting: ReportCountingDeps,
  expiry: ArchiveExpiryDeps,
  event: DynamoDBStreamEvent,
): Promise<DynamoDBBatchResponse> {
  const results = await Promise.all([countReportsFor(counting, event), expireArchivesFor(expiry, event)]);
  const failed = new Set(results.flatMap((r) => r.batchItemFailures.map((f) => f.itemIdentifier)));
  return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };
}
