import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { monthlyReportDeps } from '../app/container.js';
import { LOG_CONTEXT, logger, metrics, tracer } from '../observability.js';
import { sendMonthlyReport } from '../reports/monthly.js';

const deps = monthlyReportDeps();

/** Scheduled (EventBridge, early on the 1st of each month): last month's summary to the complaints team. */
export const handler = middy(async () => {
  const { period, messageId } = await sendMonthlyReport(deps);
  logger.info('monthly report sent', { period });
  return { period, messageId };
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, LOG_CONTEXT))
  .use(logMetrics(metrics));
