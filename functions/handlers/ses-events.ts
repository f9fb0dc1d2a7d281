import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SNSEvent, SNSEventRecord, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { CASE_STORE_ADAPTERS } from '../app/case-store-wiring.js';
import { mailEventDeps, wire } from '../app/container.js';
import { notificationOf, recordMailEvent } from '../app/mail-events.js';
import { MAIL_ADAPTERS } from '../app/wiring.js';
import { LOG_CONTEXT, logger, metrics, traced } from '../observability.js';

wire(CASE_STORE_ADAPTERS, MAIL_ADAPTERS);
const deps = mailEventDeps();

/**
 * SES's email events (configuration set → SNS → the email events queue) recorded on the case. An
 * event it fails to record (the table is down) is handed back to the queue, which delivers it
 * again a few minutes later; one straight from SNS (`npm start`'s SES stand-in) fails the call.
 */
export const handler = middy(async (event: SQSEvent | SNSEvent): Promise<SQSBatchResponse | undefined> => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const queued = 'body' in record ? record : undefined;
    const notification = notificationOf(queued ? queued.body : (record as SNSEventRecord).Sns.Message);
    if (!notification) {
      // Never recordable, however often delivered: dropped, not handed back with the batch.
      logger.error('mail event is not an SES event notification; dropped');
      continue;
    }
    const caseId = notification.mail?.tags?.['case-id']?.[0];
    if (caseId) logger.appendKeys({ caseId });
    try {
      const outcome = await recordMailEvent(deps, notification);
      logger.info('mail event', { type: notification.eventType ?? notification.notificationType, outcome });
    } catch (error: unknown) {
      if (!queued) throw error;
      logger.warn('mail event not recorded; the queue delivers it again', { error });
      batchItemFailures.push({ itemIdentifier: queued.messageId });
    } finally {
      logger.removeKeys(['caseId']);
    }
  }
  return 'body' in (event.Records[0] ?? {}) ? { batchItemFailures } : undefined;
})
  .use(traced())
  .use(injectLambdaContext(logger, LOG_CONTEXT))
  .use(logMetrics(metrics));
