import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { CASE_STORE_ADAPTERS } from '../app/case-store-wiring.js';
import { holdReviewDeps, wire } from '../app/container.js';
import { remindHoldReviews } from '../app/hold-reviews.js';
import { MAIL_ADAPTERS } from '../app/wiring.js';
import { LOG_CONTEXT, logger, metrics, traced } from '../observability.js';

wire(CASE_STORE_ADAPTERS, MAIL_ADAPTERS);
const deps = holdReviewDeps();

/**
 * Scheduled (EventBridge, every morning): emails the complaints team's mailbox the legal holds
 * whose review date has come, each review date once however often it runs.
 */
export const handler = middy(async () => {
  const result = await remindHoldReviews(deps);
  logger.info('legal hold reviews reminded', { ...result });
  return result;
})
  .use(traced())
  .use(injectLambdaContext(logger, LOG_CONTEXT))
  .use(logMetrics(metrics));
