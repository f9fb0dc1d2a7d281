import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { stepDeps } from '../app/container.js';
import { STEP_EVENTS, type StepEvent } from '../app/step-events.js';
import { route } from '../app/steps.js';
import { LOG_CONTEXT, logger, metrics, stepInvocation, traced } from '../observability.js';

const deps = stepDeps();

/** Step: route the case by the policy's routing table. */
export const handler = middy(async (event: StepEvent<'route'>) => route(deps, event))
  .use(traced())
  .use(injectLambdaContext(logger, LOG_CONTEXT))
  .use(logMetrics(metrics))
  .use(stepInvocation('route', STEP_EVENTS.route));
