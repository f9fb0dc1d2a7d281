import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { CASE_STORE_ADAPTERS } from '../app/case-store-wiring.js';
import { stepDeps, wire } from '../app/container.js';
import { S3_ADAPTERS } from '../app/s3-wiring.js';
import { STEP_EVENTS, type StepEvent } from '../app/step-events.js';
import { notify } from '../app/steps.js';
import { LINK_SECRET_ADAPTERS, MAIL_ADAPTERS } from '../app/wiring.js';
import { LOG_CONTEXT, logger, metrics, stepInvocation, traced } from '../observability.js';

wire(CASE_STORE_ADAPTERS, S3_ADAPTERS, MAIL_ADAPTERS, LINK_SECRET_ADAPTERS);
const deps = stepDeps();

/** Step: send one templated email about the case. */
export const handler = middy(async (event: StepEvent<'notify'>) => notify(deps, event))
  .use(traced())
  .use(injectLambdaContext(logger, LOG_CONTEXT))
  .use(logMetrics(metrics))
  .use(stepInvocation('notify', STEP_EVENTS.notify));
