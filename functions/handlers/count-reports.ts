import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { reportCountingDeps, wire } from '../app/container.js';
import { countReportsFor } from '../app/report-counting.js';
import { REPORT_COUNTER_ADAPTERS } from '../app/wiring.js';
import { LOG_CONTEXT, logger, metrics, tracer } from '../observability.js';
import { CaseCounter } from '../reports/compute.js';

wire(REPORT_COUNTER_ADAPTERS);
const deps = reportCountingDeps((policy) => new CaseCounter(policy));

/**
 * The case table's stream (every change of a case item, filtered by the event source mapping):
 * keeps the public report's counters (`report-counting.ts`) and reports the records to retry.
 */
export const handler = middy(
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => countReportsFor(deps, event),
)
  // The records hold cases (the residents' words): they stay out of the traces.
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(injectLambdaContext(logger, LOG_CONTEXT))
  .use(logMetrics(metrics));
