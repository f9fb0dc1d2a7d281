import { InvokeStore } from '@aws/lambda-invoke-store';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { describe, expect, it, vi } from 'vitest';

/**
 * Invocations with logs silent and metrics off, in a process that reads the invoke store itself
 * (the partitions benchmark tells which invocation made each DynamoDB request by the store's
 * request id): asked for, each runs in its own store all the same. The choice is made once per
 * process, so each test loads the runtime afresh.
 */

type Event = { caseId: string; gate: Promise<void> };

async function freshRuntime() {
  vi.resetModules();
  const { LOG_CONTEXT, logger } = await import('../../../functions/observability.js');
  const runtime = await import('../../../infra/local/workflow-runtime.js');
  const { overlapping } = await import('../../support/overlapping-invocations.js');
  const store = await InvokeStore.getInstanceAsync(true);
  // As a step's entry file: Powertools' middleware, and keys appended for the case.
  const handler = middy(async (event: Event) => {
    logger.appendKeys({ caseId: event.caseId });
    await event.gate;
    return store.hasContext() ? store.getRequestId() : 'outside any invocation';
  }).use(injectLambdaContext(logger, LOG_CONTEXT));
  return { ...runtime, handler, overlapping };
}

describe('keepInvocationsApart', () => {
  it('refuses once invocations have run without an invoke store', async () => {
    const { asLambdaInvocation, handler, keepInvocationsApart, overlapping, powertoolsWrites } =
      await freshRuntime();
    expect(powertoolsWrites()).toBe(false);
    await overlapping(asLambdaInvocation(handler), ['c-first']);

    expect(() => keepInvocationsApart()).toThrow(/before the first invocation/);
    expect(process.env.AWS_LAMBDA_MAX_CONCURRENCY).toBeUndefined();
  });

  it('runs each invocation in its own invoke store, under its own request id', async () => {
    const { asLambdaInvocation, handler, keepInvocationsApart, overlapping, powertoolsWrites } =
      await freshRuntime();
    expect(powertoolsWrites()).toBe(false);

    keepInvocationsApart();
    const requestIds = await overlapping(asLambdaInvocation(handler), ['c-first', 'c-second']);

    expect(requestIds).toEqual(['request-c-first', 'request-c-second']);
  });
});
