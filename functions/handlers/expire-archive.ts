import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { requireEnv } from '../adapters/config.js';
import { S3RecordsControl } from '../adapters/s3-records-control.js';
import { expireArchivesFor } from '../app/archive-expiry.js';
import { LOG_CONTEXT, logger, metrics, traced } from '../observability.js';

// Only the archive's controls: this function reads no case and sends nothing.
const deps = { control: new S3RecordsControl({ bucket: requireEnv('ARCHIVE_BUCKET') }) };

/**
 * The case table's stream (case items deleted by TTL, filtered by the event source mapping):
 * deletes each expired case's archived objects (`archive-expiry.ts`).
 */
export const handler = middy(
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => expireArchivesFor(deps, event),
)
  .use(traced({ captureResponse: false }))
  .use(injectLambdaContext(logger, LOG_CONTEXT))
  .use(logMetrics(metrics));
