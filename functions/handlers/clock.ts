import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { stepDeps, wire } from '../app/container.js';
import { STEP_EVENTS, type StepEvent } from '../app/step-events.js';
import { clock } from '../app/steps.js';
import { WORKFLOW_ADAPTERS } from '../app/wiring.js';
import { LOG_CONTEXT, logger, metrics, stepInvocation, tracer } from '../observability.js';

wire(WORKFLOW_ADAPTERS);
const deps = stepDeps();

/** Step: re-derive the case's deadlines with today's calendar and read one clock. */
export const handler = middy(async (event: StepEvent<'clock'>) => clock(deps, event))
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, LOG_CONTEXT))
  .use(logMetrics(metrics))
  .use(stepInvocation('clock', STEP_EVENTS.clock));
