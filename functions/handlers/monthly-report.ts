import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { CASE_STORE_ADAPTERS } from '../app/case-store-wiring.js';
import { monthlyReportDeps, wire } from '../app/container.js';
import { LINK_SECRET_ADAPTERS, MAIL_ADAPTERS } from '../app/wiring.js';
import { LOG_CONTEXT, logger, metrics, traced } from '../observability.js';
import { sendMonthlyReport } from '../reports/monthly.js';

wire(CASE_STORE_ADAPTERS, MAIL_ADAPTERS, LINK_SECRET_ADAPTERS);
const deps = monthlyReportDeps();

/** Scheduled (EventBridge, early on the 1st of each month): last month's summary to the complaints team. */
export const handler = middy(async () => {
  const { period, messageId } = await sendMonthlyReport(deps);
  logger.info('monthly report sent', { period });
  return { period, messageId };
})
  .use(traced())
  .use(injectLambdaContext(logger, LOG_CONTEXT))
  .use(logMetrics(metrics));
