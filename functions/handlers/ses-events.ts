import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SNSEvent } from 'aws-lambda';
import { CASE_STORE_ADAPTERS } from '../app/case-store-wiring.js';
import { mailEventDeps, wire } from '../app/container.js';
import { recordMailEvent, type SesEventNotification } from '../app/mail-events.js';
import { MAIL_ADAPTERS } from '../app/wiring.js';
import { LOG_CONTEXT, logger, metrics, traced } from '../observability.js';

wire(CASE_STORE_ADAPTERS, MAIL_ADAPTERS);
const deps = mailEventDeps();

/** SES bounce and complaint events (configuration set → SNS) recorded on the case. */
export const handler = middy(async (event: SNSEvent): Promise<void> => {
  for (const record of event.Records) {
    const notification = JSON.parse(record.Sns.Message) as SesEventNotification;
    const caseId = notification.mail?.tags?.['case-id']?.[0];
    if (caseId) logger.appendKeys({ caseId });
    const outcome = await recordMailEvent(deps, notification);
    logger.info('mail event', { type: notification.eventType ?? notification.notificationType, outcome });
    logger.removeKeys(['caseId']);
  }
})
  .use(traced())
  .use(injectLambdaContext(logger, LOG_CONTEXT))
  .use(logMetrics(metrics));
