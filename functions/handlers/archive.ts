import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { CASE_STORE_ADAPTERS } from '../app/case-store-wiring.js';
import { stepDeps, wire } from '../app/container.js';
import { S3_ADAPTERS } from '../app/s3-wiring.js';
import { STEP_EVENTS, type StepEvent } from '../app/step-events.js';
import { archive } from '../app/steps.js';
import { LOG_CONTEXT, logger, metrics, stepInvocation, traced } from '../observability.js';

wire(CASE_STORE_ADAPTERS, S3_ADAPTERS);
const deps = stepDeps();

/** Step: archive the closed case file to S3 with its retention class. */
export const handler = middy(async (event: StepEvent<'archive'>) => archive(deps, event))
  .use(traced())
  .use(injectLambdaContext(logger, LOG_CONTEXT))
  .use(logMetrics(metrics))
  .use(stepInvocation('archive', STEP_EVENTS.archive));
