import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { provideAdapters, resetAdapters } from '../../../functions/app/container.js';
import { loadPolicy } from '../../../functions/domain/policy.js';
import { handler as notify } from '../../../functions/handlers/notify.js';
import { handler as route } from '../../../functions/handlers/route.js';
import { stepHandlers } from '../../../infra/local/workflow-runtime.js';
import { STEP_FUNCTIONS } from '../../../workflows/catalog.js';
import { MemoryCaseStore } from '../../support/memory-store.js';
import { openCase } from '../../support/open-case.js';
import { capturePowertoolsOutput, type PowertoolsOutput } from '../../support/powertools-output.js';

/** The step functions' entry files: payload parsing, failures, and what they log and count. */

// Logs and metrics are off in tests (vitest.config.ts); this file reads them.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
});

let store: MemoryCaseStore;
let output: PowertoolsOutput;

const context = (functionName: string, awsRequestId: string) =>
  ({
    functionName,
    awsRequestId,
    invokedFunctionArn: `arn:aws:lambda:eu-west-2:000000000000:function:${functionName}`,
    getRemainingTimeInMillis: () => 30_000,
  }) as Context;

beforeEach(() => {
  store = new MemoryCaseStore();
  resetAdapters();
  provideAdapters({ store, policy: loadPolicy('lgsco-code-2024') });
  output = capturePowertoolsOutput();
});

afterEach(() => {
  output.restore();
  resetAdapters();
});

/** Where the step runs, as the workflow passes it. */
const STEP = {
  execution: 'arn:aws:states:eu-west-2:000000000000:execution:complaint:c-missing',
  state: 'Route the case',
  enteredAt: '2026-03-02T09:00:00.000Z',
};

describe('step handlers', () => {
  it('turns away a payload without a case id as InvalidStepPayloadError, reading no case', async () => {
    const get = vi.spyOn(store, 'get');

    await expect(route({ case: 'c-1' } as never, context('route', 'r-1'))).rejects.toMatchObject({
      name: 'InvalidStepPayloadError',
      message: expect.stringContaining('caseId'),
    });
    expect(get).not.toHaveBeenCalled();
  });

  it('turns away a notify payload naming a template that does not exist', async () => {
    const payload = { caseId: 'c-1', template: 'no-such-letter', to: 'resident' };

    await expect(notify(payload as never, context('notify', 'r-1'))).rejects.toMatchObject({
      name: 'InvalidStepPayloadError',
      message: expect.stringContaining('template'),
    });
  });

  it('passes a step’s error back unchanged and counts it as StepsFailed, with the step as dimension', async () => {
    await expect(route({ caseId: 'c-missing', step: STEP }, context('route', 'r-1'))).rejects.toMatchObject({
      name: 'CaseNotFoundError',
    });

    const failures = output.metricsNamed('StepsFailed');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'Redress', Dimensions: [['service', 'step']] }] },
      step: 'route',
      StepsFailed: 1,
    });
  });

  it('logs a late duplicate of an entry the workflow has moved past as a warning, not a step failure', async () => {
    // Prepare: the execution has written from a later state since this entry.
    await store.create(
      openCase('c-1', {
        effects: {
          'c-1/Send the receipt': {
            key: 'later-entry',
            status: 'done',
            at: '2026-03-02T09:05:01.000Z',
            entered: '2026-03-02T09:05:00.000Z',
          },
        },
      }),
      { at: '2026-03-02T09:00:00.000Z', type: 'received', actor: 'resident' },
    );
    const step = { ...STEP, execution: STEP.execution.replace('c-missing', 'c-1') };

    // Act
    const late = route({ caseId: 'c-1', step }, context('route', 'r-1'));

    // Assess
    await expect(late).rejects.toMatchObject({ name: 'SupersededEntryError' });
    expect(output.metricsNamed('StepsFailed')).toHaveLength(0);
    expect(output.metricsNamed('LateDuplicatesIgnored')).toEqual([
      expect.objectContaining({ step: 'route', LateDuplicatesIgnored: 1 }),
    ]);
    expect(output.logs().filter((line) => line.message === 'step failed')).toHaveLength(0);
    expect(output.logs().filter((line) => line.message === 'late duplicate invocation ignored')).toEqual([
      expect.objectContaining({ level: 'WARN', step: 'route', caseId: 'c-1' }),
    ]);
  });

  it('names the case and the request in the failure log line, and forgets the case after the invocation', async () => {
    await expect(route({ caseId: 'c-missing', step: STEP }, context('route', 'r-1'))).rejects.toThrow();
    await expect(route({} as never, context('route', 'r-2'))).rejects.toThrow();

    const failed = output.logs().filter((line) => line.message === 'step failed');
    expect(failed).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        step: 'route',
        error: 'CaseNotFoundError',
        caseId: 'c-missing',
        function_name: 'route',
        function_request_id: 'r-1',
      }),
      expect.objectContaining({ error: 'InvalidStepPayloadError', function_request_id: 'r-2' }),
    ]);
    expect(failed[1]).not.toHaveProperty('caseId');
  });

  it('has a handler for every step function in the catalog, from its entry file', async () => {
    const handlers = await stepHandlers();

    expect(Object.keys(handlers).sort()).toEqual(
      Object.values(STEP_FUNCTIONS)
        .map((f) => f.name)
        .sort(),
    );
  });
});
