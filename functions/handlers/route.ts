import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { CASE_STORE_ADAPTERS } from '../app/case-store-wiring.js';
import { stepDeps, wire } from '../app/container.js';
import { S3_ADAPTERS } from '../app/s3-wiring.js';
import { STEP_EVENTS, type StepEvent } from '../app/step-events.js';
import { route } from '../app/steps.js';
import { LINK_SECRET_ADAPTERS, MAIL_ADAPTERS, WORKFLOW_ADAPTERS } from '../app/wiring.js';
import { LOG_CONTEXT, logger, metrics, stepInvocation, traced } from '../observability.js';

// Routing answers its callback state itself (workflows), and on the usual route sends the receipt
// and reads the acknowledgement clock as that state's clock step would: by email, or printed for
// the post (the archive).
wire(CASE_STORE_ADAPTERS, WORKFLOW_ADAPTERS, MAIL_ADAPTERS, LINK_SECRET_ADAPTERS, S3_ADAPTERS);
const deps = stepDeps();

/** Step: route the case by the policy's routing table, and answer where it goes. */
export const handler = middy(async (event: StepEvent<'route'>) => route(deps, event))
  .use(traced())
  .use(injectLambdaContext(logger, LOG_CONTEXT))
  .use(logMetrics(metrics))
  .use(stepInvocation('route', STEP_EVENTS.route));
