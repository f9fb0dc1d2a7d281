import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LOG_CONTEXT, logger } from '../../../functions/observability.js';
import { asLambdaInvocation, powertoolsWrites } from '../../../infra/local/workflow-runtime.js';
import { overlapping } from '../../support/overlapping-invocations.js';
import { capturePowertoolsOutput, type PowertoolsOutput } from '../../support/powertools-output.js';

/**
 * Invocations that overlap in one process (`npm start`, the workflow tests) with logs on: each
 * runs in its own invoke store, so each log line names its own case and request.
 */

// Logs are silent in tests (vitest.config.ts); hoisted above the imports, so that the Logger is
// created at INFO.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
});

let output: PowertoolsOutput;

beforeEach(() => {
  output = capturePowertoolsOutput();
});

afterEach(() => {
  output.restore();
});

describe('overlapping invocations with logs on', () => {
  it('keeps each invocation’s case and request id in its own log lines', async () => {
    expect(powertoolsWrites()).toBe(true);
    const handler = middy(async (event: { caseId: string; gate: Promise<void> }) => {
      logger.appendKeys({ caseId: event.caseId });
      await event.gate;
      logger.info('step completed');
      return event.caseId;
    }).use(injectLambdaContext(logger, LOG_CONTEXT));

    // The first waits until the second has appended its own case id.
    const results = await overlapping(asLambdaInvocation(handler), ['c-first', 'c-second']);

    expect(results).toEqual(['c-first', 'c-second']);
    expect(process.env.AWS_LAMBDA_MAX_CONCURRENCY).toBeDefined();
    const lines = output.logs().filter((line) => line.message === 'step completed');
    expect(lines.map((line) => [line.caseId, line.function_request_id])).toEqual([
      ['c-first', 'request-c-first'],
      ['c-second', 'request-c-second'],
    ]);
  });
});
