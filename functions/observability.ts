/**
 * Logs, metrics and traces for every handler, from Powertools for AWS Lambda: one instance of
 * each per container, attached to each entry file in `functions/handlers/` through middy. Log
 * lines carry ids and names, never personal data: no names, emails, addresses or the
 * resident's words. So no event is ever logged (the API's events hold the resident's form),
 * and errors are logged by name.
 *
 * The metric names live here because two sides depend on them: the handlers that publish
 * them and the alarms in `infra/constructs/operations.ts` that watch them.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type middy from '@middy/core';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type * as z from 'zod/mini';
import { mapStacksToSource } from './stack-traces.js';

/** The CloudWatch namespace of Redress's own metrics (each function's `POWERTOOLS_METRICS_NAMESPACE`). */
export const METRICS_NAMESPACE = 'Redress';

/** A deadline passed without the officer acting and the manager was told. Published without dimensions. */
export const DEADLINES_BREACHED_METRIC = 'DeadlinesBreached';
/** An email handed to SES (any template, any function). */
export const EMAILS_SENT_METRIC = 'EmailsSent';
/** A step function threw (dimension `step`); its workflow retries or catches the error. */
export const STEPS_FAILED_METRIC = 'StepsFailed';
/** Late duplicate invocations a step ignored (`SupersededEntryError`): on the dashboard, not alarmed. */
export const LATE_DUPLICATES_METRIC = 'LateDuplicatesIgnored';
/** The name of `SupersededEntryError` (`functions/app/effects.ts`), which this module does not import. */
const SUPERSEDED_ENTRY_ERROR = 'SupersededEntryError';
/** The reconciler started the workflow of a case that had none. Published without dimensions. */
export const WORKFLOWS_STARTED_METRIC = 'WorkflowsStarted';
/** The reconciler redrove a case's stopped workflow. Published without dimensions. */
export const WORKFLOWS_REDRIVEN_METRIC = 'WorkflowsRedriven';
/** Open cases the reconciler found without a running workflow, each run (0 included). Without dimensions. */
export const CASES_WITHOUT_WORKFLOW_METRIC = 'CasesWithoutWorkflow';

// Bundled (this file is then a `.mjs` chunk) and Node not mapping stacks itself: map them when read.
if (import.meta.url.endsWith('.mjs') && !process.sourceMapsEnabled) mapStacksToSource();

/** Service name when `POWERTOOLS_SERVICE_NAME` is unset (tests, `npm start`); CDK sets `redress-<function>`. */
const DEFAULT_SERVICE_NAME = 'redress';
const serviceName = process.env.POWERTOOLS_SERVICE_NAME?.trim() || DEFAULT_SERVICE_NAME;

/** Level from `POWERTOOLS_LOG_LEVEL` (INFO by default). */
export const logger = new Logger({ serviceName });

/**
 * Metrics in CloudWatch's embedded metric format: log lines, so no API call and no IAM
 * permission. The namespace is fixed in code, not read from the environment, because the
 * alarms are built against this constant.
 */
export const metrics = new Metrics({
  namespace: METRICS_NAMESPACE,
  serviceName,
  logger: {
    debug: (message: unknown) => logger.debug(String(message)),
    info: (message: unknown) => logger.info(String(message)),
    // Most invocations publish no metric (only some send email): that is routine, not a warning.
    warn: (message: unknown) =>
      String(message).startsWith('No application metrics to publish')
        ? logger.debug(String(message))
        : logger.warn(String(message)),
    error: (message: unknown) => logger.error(String(message)),
  },
});

/**
 * Whether this function traces, by Powertools' own rule: on Lambda (`AWS_EXECUTION_ENV`), not in
 * SAM's or Amplify's local mocks, unless `POWERTOOLS_TRACE_ENABLED` is `false`. The stack sets that
 * variable with the function's X-Ray setting (`infra/constructs/redress-function.ts`).
 */
export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const executionEnv = env.AWS_EXECUTION_ENV ?? '';
  return (
    env.POWERTOOLS_TRACE_ENABLED?.trim().toLowerCase() !== 'false' &&
    executionEnv !== '' &&
    executionEnv !== 'AWS_Lambda_amplify-mock' &&
    !env.AWS_SAM_LOCAL
  );
}

/**
 * Traces on Lambda (X-Ray, `Tracing: ACTIVE`), from Powertools. The tracer and the X-Ray SDK under
 * it are imported only when the function traces: where it does not (tests, `npm start`, a
 * deployment with tracing off) Powertools would switch them off anyway, after a cold start had
 * paid a quarter of its time loading them. Undefined when not tracing.
 */
export const tracer: Tracer | undefined = tracingEnabled()
  ? new (await import('@aws-lambda-powertools/tracer')).Tracer({ serviceName })
  : undefined;

/** An AWS SDK client, traced (each call a subsegment) when the function traces. */
export function traceClient<T>(client: T): T {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}

/**
 * The tracing middleware of every entry file, Powertools' `captureLambdaHandler` (a subsegment
 * per invocation with the `ColdStart` and `Service` annotations), or none when not tracing.
 */
export function traced(options?: Parameters<typeof captureLambdaHandler>[1]): middy.MiddlewareObj[] {
  return tracer ? [captureLambdaHandler(tracer, options)] : [];
}

/**
 * Options of `injectLambdaContext` for every handler: keys appended during an invocation (the
 * case id, the API's correlation id) are dropped after it, and the event is never logged,
 * whatever `POWERTOOLS_LOGGER_LOG_EVENT` says.
 */
export const LOG_CONTEXT = { resetKeys: true, logEvent: false } as const;

/**
 * The API's middleware after `injectLambdaContext`: its log lines carry API Gateway's request id
 * as `correlation_id`, read from the event itself. Powertools' `correlationIdPath` would look it
 * up with its JMESPath search, which every function would then bundle and load (the logger is
 * shared) for this one fixed path.
 */
export function apiCorrelationId(): middy.MiddlewareObj<APIGatewayProxyEvent> {
  return {
    before: (request) => {
      const requestId = (request.event as Partial<APIGatewayProxyEvent> | null)?.requestContext?.requestId;
      if (typeof requestId === 'string') logger.setCorrelationId(requestId);
    },
  };
}

/** Counts one email sent (`EmailsSent`), published with the invocation's other metrics. */
export function countEmailSent(): void {
  metrics.addMetric(EMAILS_SENT_METRIC, MetricUnit.Count, 1);
}

/**
 * An email sent again because SES never confirmed an earlier attempt that may have sent it
 * (`functions/app/effects.ts`): logged with its case and counted (`EmailsResentUnconfirmed`), as
 * it may be a duplicate.
 */
export function reportUnconfirmedResend(caseId: string, effect: string): void {
  logger.warn('email sent again: SES never confirmed the earlier attempt', { caseId, effect });
  metrics.addMetric('EmailsResentUnconfirmed', MetricUnit.Count, 1);
}

/**
 * Publishes one `DeadlinesBreached` at once, with the clock that ran out as metadata. The
 * operations alarm watches the metric without dimensions, so this one drops Powertools'
 * default `service` dimension and declares a single empty dimension set (`"Dimensions": [[]]`).
 */
export function countBreachedDeadline(clock: string): void {
  const breach = metrics.singleMetric();
  breach.clearDefaultDimensions();
  breach.addDimensions({});
  breach.addMetadata('clock', clock);
  breach.addMetric(DEADLINES_BREACHED_METRIC, MetricUnit.Count, 1);
}

/**
 * Publishes what one reconciler run found and did, at once and without dimensions, as the
 * operations alarm watches them. `CasesWithoutWorkflow` goes out even when it is 0, so the alarm
 * sees the cases mended rather than missing data.
 */
export function countReconciliation(run: {
  started: number;
  redriven: number;
  withoutWorkflow: number;
}): void {
  const counts: [string, number][] = [
    [WORKFLOWS_STARTED_METRIC, run.started],
    [WORKFLOWS_REDRIVEN_METRIC, run.redriven],
    [CASES_WITHOUT_WORKFLOW_METRIC, run.withoutWorkflow],
  ];
  // One single metric each: a single metric publishes on `addMetric` and then forgets its dimensions.
  for (const [name, value] of counts) {
    const count = metrics.singleMetric();
    count.clearDefaultDimensions();
    count.addDimensions({});
    count.addMetric(name, MetricUnit.Count, value);
  }
}

/**
 * A step's payload does not match its schema: the workflow and the step disagree, which no
 * retry can mend (the workflows retry outages only and send this to their Catch).
 */
export class InvalidStepPayloadError extends Error {
  override name = 'InvalidStepPayloadError';
}

/** Longest case id the logs accept from a payload not yet parsed (the schema's own limit). */
const MAX_CASE_ID_LENGTH = 100;

/**
 * The middleware every step function's entry file adds after the Powertools ones: names the
 * case in every log line and trace, parses the payload with the step's schema (the handler
 * receives the parsed event), logs the outcome, and counts a failure as `StepsFailed` with the
 * step as dimension before the error goes back to the workflow unchanged (its name is what
 * the workflow's Retry and Catch match).
 */
export function stepInvocation<S extends z.ZodMiniType>(
  step: string,
  schema: S,
): middy.MiddlewareObj<z.infer<S>> {
  return {
    before: (request) => {
      // Named before parsing, so that a malformed payload's failure still says which case.
      const caseId = (request.event as { caseId?: unknown } | null)?.caseId;
      if (typeof caseId === 'string' && caseId.length <= MAX_CASE_ID_LENGTH) {
        logger.appendKeys({ caseId });
        tracer?.putAnnotation('caseId', caseId);
      }
      const parsed = schema.safeParse(request.event);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`);
        throw new InvalidStepPayloadError(`The ${step} step's payload is malformed (${issues.join('; ')})`, {
          cause: parsed.error,
        });
      }
      request.event = parsed.data;
    },
    after: () => {
      logger.info('step completed', { step });
    },
    onError: (request) => {
      if (request.error?.name === SUPERSEDED_ENTRY_ERROR) {
        // A late duplicate of an entry the workflow has finished with (`effects.ts`): it did
        // nothing and nobody awaits it, so it is no step failure to count.
        logger.warn('late duplicate invocation ignored', { step, detail: request.error.message });
        const late = metrics.singleMetric();
        late.addDimension('step', step);
        late.addMetric(LATE_DUPLICATES_METRIC, MetricUnit.Count, 1);
        return;
      }
      const failure = metrics.singleMetric();
      failure.addDimension('step', step);
      failure.addMetric(STEPS_FAILED_METRIC, MetricUnit.Count, 1);
      const error = request.error;
      logger.error('step failed', {
        step,
        error: error instanceof Error ? error.name : typeof error,
        ...(error instanceof InvalidStepPayloadError ? { detail: error.message } : {}),
      });
    },
  };
}
