import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { ArchiveExpiryDeps } from '../app/archive-expiry.js';
import { caseChangesFor } from '../app/case-changes.js';
import { CASE_STORE_ADAPTERS } from '../app/case-store-wiring.js';
import { adapter, reportCountingDeps, wire } from '../app/container.js';
import { REPORT_COUNTER_ADAPTERS } from '../app/report-counter-wiring.js';
import { S3_ADAPTERS } from '../app/s3-wiring.js';
import { MAIL_ADAPTERS } from '../app/wiring.js';
import type { ArchiveControl, Downloads, ExpiredHistorySweeper } from '../domain/ports.js';
import { LOG_CONTEXT, logger, metrics, traced } from '../observability.js';
import { CaseCounter } from '../reports/compute.js';

wire(CASE_STORE_ADAPTERS, REPORT_COUNTER_ADAPTERS);
const counting = reportCountingDeps((policy) => new CaseCounter(policy));
// The archive's controls (and the S3 client) when a case first expires: most batches hold none.
let control: ArchiveControl | undefined;
let downloads: Downloads | undefined;
let forgetting: ArchiveExpiryDeps['forgetting'] | null | undefined;
const expiry: ArchiveExpiryDeps = {
  get control() {
    control ??= S3_ADAPTERS.control();
    return control;
  },
  get downloads() {
    downloads ??= S3_ADAPTERS.downloads();
    return downloads;
  },
  // SES's suppression list, only where the deployment lets an expiry change it.
  get forgetting() {
    if (forgetting === undefined) {
      const suppressions = MAIL_ADAPTERS.suppressions();
      forgetting = suppressions
        ? { archive: S3_ADAPTERS.archive(), store: adapter('store'), suppressions }
        : null;
    }
    return forgetting ?? undefined;
  },
  // The case table's store: an expired case's events that a closure left without its expiry.
  get history(): ExpiredHistorySweeper | undefined {
    const store: object = adapter('store');
    return 'sweepExpiredHistory' in store ? (store as ExpiredHistorySweeper) : undefined;
  },
};

/**
 * The case table's stream (every change of a case item, filtered by the event source mapping):
 * keeps the public report's counters and deletes an expired case's archive
 * (`functions/app/case-changes.ts`), and reports the records to retry.
 */
export const handler = middy(
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> =>
    caseChangesFor(counting, expiry, event),
)
  // The records hold cases (the residents' words): they stay out of the traces.
  .use(traced({ captureResponse: false }))
  .use(injectLambdaContext(logger, LOG_CONTEXT))
  .use(logMetrics(metrics));
