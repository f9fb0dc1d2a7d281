import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { LOG_CONTEXT, logger } from '../../../functions/observability.js';
import { asLambdaInvocation, powertoolsWrites } from '../../../infra/local/workflow-runtime.js';
import { overlapping } from '../../support/overlapping-invocations.js';

/**
 * Invocations that overlap in one process with logs silent and metrics off (vitest.config.ts,
 * the benchmarks): nothing they write can mix, so they run without an invoke store, whose
 * `AsyncLocalStorage` would hook every promise of the thread.
 */

interface Store {
  getContext(): unknown;
}

describe('overlapping invocations with logs and metrics off', () => {
  it('run without an invoke store, each to its own result', async () => {
    expect(powertoolsWrites()).toBe(false);
    const stores: unknown[] = [];
    const handler = middy(async (event: { caseId: string; gate: Promise<void> }) => {
      logger.appendKeys({ caseId: event.caseId });
      await event.gate;
      const store = (globalThis as { awslambda?: { InvokeStore?: Store } }).awslambda?.InvokeStore;
      stores.push(store?.getContext());
      logger.info('step completed');
      return event.caseId;
    }).use(injectLambdaContext(logger, LOG_CONTEXT));

    const results = await overlapping(asLambdaInvocation(handler), ['c-first', 'c-second']);

    expect(results).toEqual(['c-first', 'c-second']);
    expect(stores).toEqual([undefined, undefined]);
    expect(process.env.AWS_LAMBDA_MAX_CONCURRENCY).toBeUndefined();
  });

  it('counts debug lines for a sampled share of invocations as writing', () => {
    expect(powertoolsWrites({ POWERTOOLS_LOGGER_SAMPLE_RATE: '0.1' })).toBe(true);
    expect(powertoolsWrites({ POWERTOOLS_LOGGER_SAMPLE_RATE: '0' })).toBe(false);
  });
});
