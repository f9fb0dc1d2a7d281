import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { CASE_STORE_ADAPTERS } from '../app/case-store-wiring.js';
import { stepDeps, wire } from '../app/container.js';
import { STEP_EVENTS, type StepEvent } from '../app/step-events.js';
import { requestTask } from '../app/steps.js';
import { LINK_SECRET_ADAPTERS, MAIL_ADAPTERS, WORKFLOW_ADAPTERS } from '../app/wiring.js';
import { LOG_CONTEXT, logger, metrics, stepInvocation, traced } from '../observability.js';

wire(CASE_STORE_ADAPTERS, MAIL_ADAPTERS, LINK_SECRET_ADAPTERS, WORKFLOW_ADAPTERS);
const deps = stepDeps();

/** Step (`.waitForTaskToken`): store the callback token on the case and email the signed link. */
export const handler = middy(async (event: StepEvent<'request-task'>) => requestTask(deps, event))
  .use(traced())
  .use(injectLambdaContext(logger, LOG_CONTEXT))
  .use(logMetrics(metrics))
  .use(stepInvocation('request-task', STEP_EVENTS['request-task']));
