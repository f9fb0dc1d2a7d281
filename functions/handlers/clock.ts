import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { stepDeps } from '../app/container.js';
import { STEP_EVENTS, type StepEvent } from '../app/step-events.js';
import { clock } from '../app/steps.js';
import {
  countBreachedDeadline,
  LOG_CONTEXT,
  logger,
  metrics,
  stepInvocation,
  tracer,
} from '../observability.js';

// The clock escalates a missed deadline itself when the workflow asks: each breach raises
// DeadlinesBreached, which the operations alarm watches, as from the escalate step.
const deps = stepDeps({ onBreach: async (_case, clock) => countBreachedDeadline(clock) });

/** Step: re-derive the case's deadlines with today's calendar, read one clock, and see to what is due. */
export const handler = middy(async (event: StepEvent<'clock'>) => clock(deps, event))
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, LOG_CONTEXT))
  .use(logMetrics(metrics))
  .use(stepInvocation('clock', STEP_EVENTS.clock));
