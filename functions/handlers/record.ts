import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { CASE_STORE_ADAPTERS } from '../app/case-store-wiring.js';
import { stepDeps, wire } from '../app/container.js';
import { STEP_EVENTS, type StepEvent } from '../app/step-events.js';
import { record } from '../app/steps.js';
import { LOG_CONTEXT, logger, metrics, stepInvocation, traced } from '../observability.js';

wire(CASE_STORE_ADAPTERS);
const deps = stepDeps();

/** Step: a workflow transition on the case (acknowledged automatically, responded, stage 2, closed). */
export const handler = middy(async (event: StepEvent<'record'>) => record(deps, event))
  .use(traced())
  .use(injectLambdaContext(logger, LOG_CONTEXT))
  .use(logMetrics(metrics))
  .use(stepInvocation('record', STEP_EVENTS.record));
