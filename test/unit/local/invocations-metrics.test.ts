import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { countEmailSent, EMAILS_SENT_METRIC, metrics } from '../../../functions/observability.js';
import { asLambdaInvocation, powertoolsWrites } from '../../../infra/local/workflow-runtime.js';
import { overlapping } from '../../support/overlapping-invocations.js';
import { capturePowertoolsOutput, type PowertoolsOutput } from '../../support/powertools-output.js';

/**
 * Invocations that overlap in one process with logs silent and metrics on (the workflow tests
 * that read metrics): each runs in its own invoke store, so each publishes its own metrics.
 */

// Metrics are off in tests (vitest.config.ts); hoisted above the imports, so that the Metrics
// instance is created with them on. Logs stay silent.
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
});

let output: PowertoolsOutput;

beforeEach(() => {
  output = capturePowertoolsOutput();
});

afterEach(() => {
  output.restore();
});

describe('overlapping invocations with metrics on', () => {
  it('publishes each invocation’s metrics with that invocation, not with the first to finish', async () => {
    expect(powertoolsWrites()).toBe(true);
    const handler = middy(async (event: { caseId: string; gate: Promise<void> }) => {
      countEmailSent();
      await event.gate;
      return event.caseId;
    }).use(logMetrics(metrics));

    // The first publishes after the second has counted its email.
    await overlapping(asLambdaInvocation(handler), ['c-first', 'c-second']);

    expect(output.metricsNamed(EMAILS_SENT_METRIC).map((blob) => blob[EMAILS_SENT_METRIC])).toEqual([1, 1]);
  });
});
