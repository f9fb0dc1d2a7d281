import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { CASE_STORE_ADAPTERS } from '../app/case-store-wiring.js';
import { stepDeps, wire } from '../app/container.js';
import { S3_ADAPTERS } from '../app/s3-wiring.js';
import { STEP_EVENTS, type StepEvent } from '../app/step-events.js';
import { clock } from '../app/steps.js';
import { LINK_SECRET_ADAPTERS, MAIL_ADAPTERS, WORKFLOW_ADAPTERS } from '../app/wiring.js';
import {
  countBreachedDeadline,
  LOG_CONTEXT,
  logger,
  metrics,
  stepInvocation,
  traced,
} from '../observability.js';

// The clock hands a case near Step Functions' year to a fresh execution (workflows), and sees to
// what falls due itself when the workflow asks: reminders and escalations by email with signed
// links, holding letters printed for the post (the archive).
wire(CASE_STORE_ADAPTERS, WORKFLOW_ADAPTERS, MAIL_ADAPTERS, LINK_SECRET_ADAPTERS, S3_ADAPTERS);
// Each breach it escalates raises DeadlinesBreached, which the operations alarm watches, as from
// the escalate step.
const deps = stepDeps({ onBreach: async (_case, clock) => countBreachedDeadline(clock) });

/** Step: re-derive the case's deadlines with today's calendar, read one clock, and see to what is due. */
export const handler = middy(async (event: StepEvent<'clock'>) => clock(deps, event))
  .use(traced())
  .use(injectLambdaContext(logger, LOG_CONTEXT))
  .use(logMetrics(metrics))
  .use(stepInvocation('clock', STEP_EVENTS.clock));
