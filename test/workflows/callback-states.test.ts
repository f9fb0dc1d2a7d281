/**
 * The routing and clock states are callbacks their own step answers (see `clock` in
 * `workflows/definitions/states.ts`). They carry no timeout of their own: the step answers or
 * fails on every path, and a step that hangs is ended by Lambda's own timeout, which fails the
 * task. A timeout on the engine's clock would fire early under `npm start -- --time-scale`
 * (900 s is 104 ms of real time at 8640), failing a case whose step was merely slow.
 */
import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import {
  type LambdaHandler,
  LocalStepFunctions,
  ScaledClock,
} from '../../infra/local/step-functions/index.js';
import { lambdaArn } from './engine/support.js';

const engines: LocalStepFunctions[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
});

const complaint = JSON.parse(
  readFileSync(new URL('../../workflows/complaint.asl.json', import.meta.url), 'utf8'),
);

/** The generated clock state, as it is, going to a Succeed state instead of its wait. */
function clockStateAlone() {
  const generated = complaint.States['Check the acknowledgement clock'];
  return {
    StartAt: 'Check the acknowledgement clock',
    States: {
      'Check the acknowledgement clock': {
        ...generated,
        Next: 'Waits for the officer',
        Catch: generated.Catch.map((c: { Next: string }) => ({
          ...c,
          Next: c.Next.startsWith('Tell') ? 'Failed' : 'Elsewhere',
        })),
      },
      'Waits for the officer': { Type: 'Succeed' },
      Elsewhere: { Type: 'Succeed' },
      Failed: { Type: 'Fail', Error: 'WorkflowFailed' },
    },
  };
}

it('a clock step that takes 300 ms of real time at --time-scale 8640 still answers its workflow', async () => {
  const clock = new ScaledClock({ scale: 8640 });
  let engine: LocalStepFunctions | undefined;
  const handlers: Record<string, LambdaHandler> = {
    clock: async (event) => {
      const e = event as { taskToken: string };
      // The step's work: read the case, see to reminders, store the reading (DynamoDB Local, SES).
      await new Promise((r) => setTimeout(r, 300));
      await engine?.sendTaskSuccess(e.taskToken, { due: 'none', waitSeconds: 3600, deadline: null });
      return {};
    },
  };
  engine = new LocalStepFunctions({ clock, handlers });
  engines.push(engine);
  const { stateMachineArn } = await engine.createStateMachine('clocked', clockStateAlone(), {
    ClockFunctionArn: lambdaArn('clock'),
  });
  const { executionArn } = await engine.startExecution(stateMachineArn, 'case-1', {
    caseId: 'case-1',
    route: { route: 'handle' },
    task: { taskId: 'none' },
  });
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 50));
    if ((await engine.describeExecution(executionArn)).status !== 'RUNNING') break;
  }
  const failed = (await engine.getExecutionHistory(executionArn)).events.find(
    (e) => e.type === 'TaskTimedOut',
  );
  expect(failed, 'the clock state timed out while its step ran').toBeUndefined();
  expect(engine.visitedStates(executionArn)).toContain('Waits for the officer');
  expect((await engine.describeExecution(executionArn)).status).toBe('SUCCEEDED');
});

it('an execution stopped inside a clock state by a restart of npm start after a 20-minute break still reads its clock', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { VirtualClock } = await import('../../infra/local/step-functions/index.js');
  const stateDir = mkdtempSync(join(tmpdir(), 'redress-callback-'));
  const clock = new VirtualClock('2026-03-02T09:00:00.000Z');
  // The process is killed while the clock step runs: it never answers.
  const first = new LocalStepFunctions({ clock, stateDir, handlers: { clock: async () => ({}) } });
  const { stateMachineArn } = await first.createStateMachine('clocked', clockStateAlone(), {
    ClockFunctionArn: lambdaArn('clock'),
  });
  const { executionArn } = await first.startExecution(stateMachineArn, 'case-1', {
    caseId: 'case-1',
    route: { route: 'handle' },
    task: { taskId: 'none' },
  });
  await first.settle();
  await first.close();
  // `npm start` again 20 minutes later, at real time (the clock carries on from real time when later).
  await clock.advanceTo('2026-03-02T09:20:00.000Z');
  let second: LocalStepFunctions | undefined;
  second = new LocalStepFunctions({
    clock,
    stateDir,
    handlers: {
      clock: async (event) => {
        await second?.sendTaskSuccess((event as { taskToken: string }).taskToken, {
          due: 'none',
          waitSeconds: 3600,
          deadline: null,
        });
        return {};
      },
    },
  });
  engines.push(second);
  await second.resume();
  await second.settle();
  try {
    expect(second.visitedStates(executionArn)).toContain('Waits for the officer');
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});
