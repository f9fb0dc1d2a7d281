import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TaskTokenInvalidError } from '../../../functions/adapters/errors.js';
import { SfnApiError } from '../../../infra/local/step-functions/index.js';
import { LocalStepFunctionsThread } from '../../../infra/local/step-functions/thread.js';
import { inProcessWorkflowEngine } from '../../../infra/local/workflow-runtime.js';
import { ACCOUNT, lambdaArn, REGION } from './support.js';

// The engine in a worker thread, the handlers in this one: what a handler is given and gives
// back, what it throws, the time it reads and the callbacks it answers cross the thread as they
// cross to Lambda and back on AWS.

const START = '2026-03-02T09:00:00.000Z';

/** A state machine: `Work` calls the `work` function, waits `seconds`, calls it again, and ends. */
function twoCalls(seconds: number): string {
  return JSON.stringify({
    StartAt: 'Work',
    States: {
      Work: {
        Type: 'Task',
        Resource: lambdaArn('work'),
        ResultPath: '$.first',
        Catch: [{ ErrorEquals: ['RefusedError'], ResultPath: '$.refused', Next: 'Refused' }],
        Next: 'Later',
      },
      Later: { Type: 'Wait', Seconds: seconds, Next: 'Again' },
      Again: { Type: 'Task', Resource: lambdaArn('work'), ResultPath: '$.second', End: true },
      Refused: { Type: 'Pass', End: true },
    },
  });
}

const callback = JSON.stringify({
  StartAt: 'Ask',
  States: {
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: lambdaArn('ask'), Payload: { 'token.$': '$$.Task.Token' } },
      End: true,
    },
  },
});

describe('the local engine in a worker thread', () => {
  const open: LocalStepFunctionsThread[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((engine) => engine.close()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  async function start(
    handlers: Record<string, (event: unknown) => unknown>,
    stateDir?: string,
  ): Promise<LocalStepFunctionsThread> {
    const engine = await LocalStepFunctionsThread.start({
      handlers,
      clock: { start: START },
      region: REGION,
      accountId: ACCOUNT,
      ...(stateDir ? { stateDir } : {}),
    });
    open.push(engine);
    return engine;
  }

  it('calls the handlers in this thread with a copy of the input, at the instant the engine is at', async () => {
    const calls: { event: unknown; at: string }[] = [];
    let engine: LocalStepFunctionsThread | undefined;
    engine = await start({
      work: (event) => {
        calls.push({ event, at: (engine as LocalStepFunctionsThread).clock.now().toISOString() });
        return { call: calls.length, when: new Date(Date.parse(START) + 1) };
      },
    });
    const { stateMachineArn } = await engine.createStateMachine('two-calls', twoCalls(3600));
    expect(stateMachineArn).toBe(engine.stateMachineArn('two-calls'));
    const { executionArn } = await engine.startExecution(stateMachineArn, 'case-1', { caseId: 'case-1' });
    await engine.clock.settle();
    expect(calls).toEqual([{ event: { caseId: 'case-1' }, at: START }]);
    expect((await engine.describeExecution(executionArn)).status).toBe('RUNNING');

    // The second call runs while `advanceTo` is on its way: the handler reads the wait's end,
    // not where the clock is moving to.
    await engine.clock.advanceTo('2026-03-02T12:00:00.000Z');
    expect(calls[1]?.at.slice(0, 19)).toBe('2026-03-02T10:00:00');
    expect(engine.clock.now().toISOString()).toBe('2026-03-02T12:00:00.000Z');
    const done = await engine.describeExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    // What a handler gives back crosses as JSON: a Date is its ISO text, as from Lambda.
    expect(JSON.parse(done.output as string)).toEqual({
      caseId: 'case-1',
      first: { call: 1, when: '2026-03-02T09:00:00.001Z' },
      second: { call: 2, when: '2026-03-02T09:00:00.001Z' },
    });
    expect(done.startDate).toBeInstanceOf(Date);
  });

  it("reports a handler's error by its name and message, for the workflow's Catch", async () => {
    const engine = await start({
      work: () => {
        const error = new Error('The case is closed');
        error.name = 'RefusedError';
        throw error;
      },
    });
    const { stateMachineArn } = await engine.createStateMachine('two-calls', twoCalls(60));
    const { executionArn } = await engine.startExecution(stateMachineArn, 'case-2', {});
    await engine.clock.settle();
    const done = await engine.describeExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    const { refused } = JSON.parse(done.output as string) as { refused: { Error: string; Cause: string } };
    expect(refused.Error).toBe('RefusedError');
    expect(JSON.parse(refused.Cause)).toMatchObject({
      errorType: 'RefusedError',
      errorMessage: 'The case is closed',
    });
    const { events } = await engine.getExecutionHistory(executionArn);
    expect(events.map((e) => e.type)).toContain('LambdaFunctionFailed');
  });

  it('takes callbacks from this thread, and answers a stale token as Step Functions does', async () => {
    const tokens: string[] = [];
    const engine = await start({
      ask: (event) => {
        tokens.push((event as { token: string }).token);
        return {};
      },
    });
    const { stateMachineArn } = await engine.createStateMachine('callback', callback);
    const { executionArn } = await engine.startExecution(stateMachineArn, 'case-3', {});
    await engine.clock.settle();
    expect(tokens).toHaveLength(1);
    await engine.sendTaskSuccess(tokens[0] as string, { decided: true });
    await engine.clock.settle();
    expect(JSON.parse((await engine.describeExecution(executionArn)).output as string)).toEqual({
      decided: true,
    });

    // The engine's API errors are `SfnApiError`s here too, and the workflow port maps them.
    const again = engine.startExecution(stateMachineArn, 'case-3', {});
    await expect(again).rejects.toBeInstanceOf(SfnApiError);
    await expect(again).rejects.toMatchObject({ code: 'ExecutionAlreadyExists' });
    await expect(engine.describeExecution(`${executionArn}-missing`)).rejects.toMatchObject({
      code: 'ExecutionDoesNotExist',
    });
    await expect(
      inProcessWorkflowEngine(engine).sendTaskSuccess(tokens[0] as string, {}),
    ).rejects.toBeInstanceOf(TaskTokenInvalidError);
  });

  it('keeps waiting executions on disk when closed, for the next thread to resume', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-engine-thread-'));
    dirs.push(dir);
    const calls: string[] = [];
    const handlers = { work: () => calls.push('work') };
    const first = await start(handlers, dir);
    const { stateMachineArn } = await first.createStateMachine('two-calls', twoCalls(3600));
    const { executionArn } = await first.startExecution(stateMachineArn, 'case-4', {});
    await first.clock.settle();
    await first.close();
    await expect(first.describeExecution(executionArn)).rejects.toThrow(/exited/);

    const second = await start(handlers, dir);
    expect(await second.resume()).toEqual([executionArn]);
    await second.clock.advanceTo('2026-03-02T10:00:01.000Z');
    expect((await second.describeExecution(executionArn)).status).toBe('SUCCEEDED');
    expect(calls).toEqual(['work', 'work']);
  });
});
