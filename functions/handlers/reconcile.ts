import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { CASE_STORE_ADAPTERS } from '../app/case-store-wiring.js';
import { reconcileDeps, wire } from '../app/container.js';
import { ReconcileIncompleteError, reconcileWorkflows } from '../app/reconcile.js';
import { LINK_SECRET_ADAPTERS, MAIL_ADAPTERS, WORKFLOW_ADAPTERS } from '../app/wiring.js';
import { countReconciliation, LOG_CONTEXT, logger, metrics, traced } from '../observability.js';

wire(CASE_STORE_ADAPTERS, MAIL_ADAPTERS, WORKFLOW_ADAPTERS, LINK_SECRET_ADAPTERS);
const deps = reconcileDeps();

/**
 * Scheduled (every 15 minutes): checks that every open case has a running workflow, starts or
 * redrives those that do not, emails the complaints team what it found, and publishes
 * `WorkflowsStarted`, `WorkflowsRedriven` and `CasesWithoutWorkflow`. Fails (so Lambda retries
 * and the errors alarm sees it) when some case could not be checked.
 */
export const handler = middy(async () => {
  const result = await reconcileWorkflows(deps);
  countReconciliation(result);
  const failed = result.findings.filter((f) => f.action === 'failed').length;
  logger.info('open cases reconciled', {
    checked: result.checked,
    tooRecent: result.tooRecent,
    started: result.started,
    redriven: result.redriven,
    withoutWorkflow: result.withoutWorkflow,
    failed,
    emailed: result.emailed,
  });
  if (failed > 0) {
    throw new ReconcileIncompleteError(`${failed} open cases could not be checked or mended`);
  }
  return {
    checked: result.checked,
    started: result.started,
    redriven: result.redriven,
    withoutWorkflow: result.withoutWorkflow,
  };
})
  .use(traced())
  .use(injectLambdaContext(logger, LOG_CONTEXT))
  .use(logMetrics(metrics));
