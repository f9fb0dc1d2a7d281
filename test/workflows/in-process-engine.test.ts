import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskTokenInvalidError } from '../../functions/adapters/errors.js';
import type { WorkflowEngine } from '../../functions/domain/ports.js';
import { type LocalStepFunctions, VirtualClock } from '../../infra/local/step-functions/index.js';
import { inProcessWorkflowEngine, startLocalWorkflows } from '../../infra/local/workflow-runtime.js';

// The tests' port over the in-process engine answers as the SDK adapter does on AWS, so the steps
// and the links meet the errors they meet there (a stale token is `TaskTokenInvalidError`).
describe('the in-process workflow engine, as the port', () => {
  let engine: LocalStepFunctions;
  let port: WorkflowEngine;

  beforeAll(async () => {
    engine = await startLocalWorkflows({ clock: new VirtualClock('2026-03-02T09:00:00.000Z') });
    port = inProcessWorkflowEngine(engine);
  });

  afterAll(() => engine.close());

  it('answers a token no task is waiting on with TaskTokenInvalidError, as Step Functions does', async () => {
    await expect(port.sendTaskSuccess('not-a-token-of-ours', {})).rejects.toBeInstanceOf(
      TaskTokenInvalidError,
    );
    await expect(port.sendTaskFailure('not-a-token-of-ours', 'Refused', '{}')).rejects.toBeInstanceOf(
      TaskTokenInvalidError,
    );
  });
});
