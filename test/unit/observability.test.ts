import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  apiCorrelationId,
  LOG_CONTEXT,
  logger,
  traceClient,
  traced,
  tracer,
  tracingEnabled,
} from '../../functions/observability.js';

const LAMBDA = { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' };

describe('tracingEnabled', () => {
  it.each([
    ['on Lambda', LAMBDA, true],
    ['on Lambda with the stack saying so', { ...LAMBDA, POWERTOOLS_TRACE_ENABLED: 'true' }, true],
    ['on Lambda with tracing turned off', { ...LAMBDA, POWERTOOLS_TRACE_ENABLED: 'false' }, false],
    [
      'on Lambda with tracing turned off in capitals',
      { ...LAMBDA, POWERTOOLS_TRACE_ENABLED: 'FALSE' },
      false,
    ],
    ['off Lambda (tests, npm start)', {}, false],
    ['in SAM local', { ...LAMBDA, AWS_SAM_LOCAL: 'true' }, false],
    ['in the Amplify mock', { AWS_EXECUTION_ENV: 'AWS_Lambda_amplify-mock' }, false],
  ])('says %s: %s', (_where, env, expected) => {
    expect(tracingEnabled(env)).toBe(expected);
  });
});

describe('the tracer off Lambda', () => {
  it('is not loaded, adds no middleware and leaves clients as they are', () => {
    const client = { send: async () => 'sent' };

    expect(tracer).toBeUndefined();
    expect(traced()).toEqual([]);
    expect(traceClient(client)).toBe(client);
  });
});

describe('the tracer on Lambda', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("is Powertools' tracer, enabled, with its handler middleware", async () => {
    vi.stubEnv('AWS_EXECUTION_ENV', LAMBDA.AWS_EXECUTION_ENV);
    vi.resetModules();

    const onLambda = await import('../../functions/observability.js');

    expect(onLambda.tracer?.isTracingEnabled()).toBe(true);
    expect(onLambda.traced({ captureResponse: false })).toHaveLength(1);
  });
});

describe('apiCorrelationId', () => {
  it("gives the API's log lines API Gateway's request id as correlation id, for that request only", async () => {
    const seen: unknown[] = [];
    const handler = middy(async (_event: APIGatewayProxyEvent) => {
      seen.push(logger.getCorrelationId());
    })
      .use(injectLambdaContext(logger, LOG_CONTEXT))
      .use(apiCorrelationId());
    const context = { functionName: 'api', awsRequestId: 'lambda-1' } as Context;

    await handler({ requestContext: { requestId: 'gateway-1' } } as APIGatewayProxyEvent, context);
    await handler({ requestContext: {} } as APIGatewayProxyEvent, context);

    expect(seen).toEqual(['gateway-1', undefined]);
  });
});
