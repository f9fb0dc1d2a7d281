import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { CASE_STORE_ADAPTERS } from '../app/case-store-wiring.js';
import { evidenceDeps, wire } from '../app/container.js';
import { type MalwareScanEvent, recordScanEvent } from '../app/evidence.js';
import { S3_ADAPTERS } from '../app/s3-wiring.js';
import { LOG_CONTEXT, logger, metrics, traced } from '../observability.js';

wire(CASE_STORE_ADAPTERS, S3_ADAPTERS);
const deps = evidenceDeps();

/** GuardDuty's malware scan result for an evidence file (EventBridge), recorded on its case. */
export const handler = middy(async (event: MalwareScanEvent): Promise<void> => {
  const file = await recordScanEvent(deps, event);
  logger.info('evidence scan result', {
    key: event.detail?.s3ObjectDetails?.objectKey,
    result: event.detail?.scanResultDetails?.scanResultStatus ?? event.detail?.scanStatus,
    status: file?.status ?? 'no such file',
  });
})
  .use(traced())
  .use(injectLambdaContext(logger, LOG_CONTEXT))
  .use(logMetrics(metrics));
