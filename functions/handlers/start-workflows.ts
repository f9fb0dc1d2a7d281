import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { CASE_STORE_ADAPTERS } from '../app/case-store-wiring.js';
import { wire, workflowStarterDeps } from '../app/container.js';
import { WORKFLOW_ADAPTERS } from '../app/wiring.js';
import { startWorkflowsFor } from '../app/workflow-starter.js';
import { LOG_CONTEXT, logger, metrics, traced } from '../observability.js';

wire(CASE_STORE_ADAPTERS, WORKFLOW_ADAPTERS);
const deps = workflowStarterDeps();

/**
 * The case table's stream (INSERTs of case items, filtered by the event source mapping): starts
 * each new case's workflow and reports the records to retry (`batchItemFailures`).
 */
export const handler = middy(
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => startWorkflowsFor(deps, event),
)
  // The records hold the new case (the resident's words): they stay out of the traces.
  .use(traced({ captureResponse: false }))
  .use(injectLambdaContext(logger, LOG_CONTEXT))
  .use(logMetrics(metrics));
