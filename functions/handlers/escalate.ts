import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { CASE_STORE_ADAPTERS } from '../app/case-store-wiring.js';
import { stepDeps, wire } from '../app/container.js';
import { STEP_EVENTS, type StepEvent } from '../app/step-events.js';
import { escalate } from '../app/steps.js';
import { LINK_SECRET_ADAPTERS, MAIL_ADAPTERS } from '../app/wiring.js';
import {
  countBreachedDeadline,
  LOG_CONTEXT,
  logger,
  metrics,
  stepInvocation,
  traced,
} from '../observability.js';

// Each breach raises DeadlinesBreached, which the operations alarm watches.
wire(CASE_STORE_ADAPTERS, MAIL_ADAPTERS, LINK_SECRET_ADAPTERS);
const deps = stepDeps({ onBreach: async (_case, clock) => countBreachedDeadline(clock) });

/** Step: tell the manager a deadline was missed. */
export const handler = middy(async (event: StepEvent<'escalate'>) => escalate(deps, event))
  .use(traced())
  .use(injectLambdaContext(logger, LOG_CONTEXT))
  .use(logMetrics(metrics))
  .use(stepInvocation('escalate', STEP_EVENTS.escalate));
