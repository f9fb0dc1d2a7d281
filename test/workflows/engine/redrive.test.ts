/**
 * RedriveExecution as AWS does it: a FAILED, TIMED_OUT or ABORTED execution restarts at the
 * state where it stopped, with that state's input, keeping its ARN and history; anything
 * else is ExecutionNotRedrivable. Time is virtual.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LocalStepFunctions, VirtualClock } from '../../../infra/local/step-functions/index.js';
import { eventTypes, machine, recorder } from './support.js';

const START = '2026-03-02T09:00:00.000Z';
const engines: LocalStepFunctions[] = [];

afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
});

/** An engine whose `notify` fails while `notifyFails.now` is true. */
function setUp() {
  const clock = new VirtualClock(START);
  const notifyFails = { now: true };
  const notify = recorder(clock, () => {
    if (notifyFails.now) throw Object.assign(new Error('SES is down'), { name: 'MailerUnavailableError' });
    return { messageId: 'm-1' };
  });
  const requestTask = recorder(clock);
  const engine = new LocalStepFunctions({
    clock,
    handlers: { notify: notify.handler, 'request-task': requestTask.handler },
  });
  engines.push(engine);
  return { clock, engine, notify, notifyFails, requestTask };
}

/** Starts the redrive fixture and lets it run until it fails at Notify. */
async function failedAtNotify(setup: ReturnType<typeof setUp>, name = 'case-40') {
  const arn = await machine(setup.engine, 'redrive');
  const { executionArn } = await setup.engine.startExecution(arn, name, { caseId: name, number: 40 });
  await setup.engine.settle();
  return executionArn;
}

describe('LocalStepFunctions.redriveExecution', () => {
  it('restarts a failed execution at the failed state with its input, keeping the history', async () => {
    // Prepare
    const setup = setUp();
    const { clock, engine, notify, notifyFails, requestTask } = setup;
    const executionArn = await failedAtNotify(setup);
    const failed = await engine.describeExecution(executionArn);
    await clock.advanceTo('2026-03-03T10:00:00Z');
    notifyFails.now = false;

    // Act
    const { redriveDate } = await engine.redriveExecution(executionArn);
    await engine.settle();
    await engine.sendTaskSuccess(requestTask.calls[0]?.event.taskToken as string, { decision: 'ok' });
    await engine.settle();

    // Assess
    expect(failed).toMatchObject({
      status: 'FAILED',
      error: 'MailerUnavailableError',
      redriveCount: 0,
      redriveStatus: 'REDRIVABLE',
    });
    expect(redriveDate.toISOString()).toBe('2026-03-03T10:00:00.000Z');
    expect(notify.calls.map((c) => c.event)).toEqual([
      { caseId: 'case-40', reference: 'CMP-40', redriveCount: 0 },
      { caseId: 'case-40', reference: 'CMP-40', redriveCount: 1 },
    ]);
    expect(engine.visitedStates(executionArn)).toEqual([
      'Shape case',
      'Notify',
      'Notify',
      'Await officer',
      'Done',
    ]);
    const types = await eventTypes(engine, executionArn);
    expect(types.slice(0, 2)).toEqual(['ExecutionStarted', 'PassStateEntered']);
    expect(types.indexOf('ExecutionRedriven')).toBe(types.indexOf('ExecutionFailed') + 1);
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    const { events } = await engine.getExecutionHistory(executionArn);
    expect(events.every((e, i) => e.id === i + 1)).toBe(true);
    expect(events.find((e) => e.type === 'ExecutionRedriven')?.executionRedrivenEventDetails).toEqual({
      redriveCount: 1,
    });
    const description = await engine.describeExecution(executionArn);
    expect(description).toMatchObject({
      status: 'SUCCEEDED',
      startDate: new Date(START),
      redriveCount: 1,
      redriveDate: new Date('2026-03-03T10:00:00.000Z'),
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
    });
    expect(description.error).toBeUndefined();
    expect(JSON.parse(description.output ?? '{}')).toMatchObject({ decision: { decision: 'ok' } });
  });

  it('reports a redriven execution as RUNNING without its earlier stop', async () => {
    // Prepare
    const setup = setUp();
    const executionArn = await failedAtNotify(setup);
    setup.notifyFails.now = false;

    // Act
    await setup.engine.redriveExecution(executionArn);
    await setup.engine.settle();
    const description = await setup.engine.describeExecution(executionArn);

    // Assess
    expect(description).toMatchObject({
      status: 'RUNNING',
      redriveCount: 1,
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution is RUNNING and cannot be redriven',
    });
    expect(description.stopDate).toBeUndefined();
    expect(description.error).toBeUndefined();
    expect(description.cause).toBeUndefined();
  });

  it('redrives an aborted callback state with a fresh token, not the states before it', async () => {
    // Prepare
    const setup = setUp();
    const { engine, notify, notifyFails, requestTask } = setup;
    notifyFails.now = false;
    const executionArn = await failedAtNotify(setup, 'case-41');
    const oldToken = requestTask.calls[0]?.event.taskToken as string;
    await engine.stopExecution(executionArn, { error: 'Withdrawn' });
    const aborted = await engine.describeExecution(executionArn);

    // Act
    await engine.redriveExecution(executionArn);
    await engine.settle();
    const newToken = requestTask.calls[1]?.event.taskToken as string;
    const stale = await engine.sendTaskSuccess(oldToken, {}).catch((e: unknown) => e);
    await engine.sendTaskSuccess(newToken, { decision: 'ok' });
    await engine.settle();

    // Assess
    expect(aborted).toMatchObject({ status: 'ABORTED', redriveStatus: 'REDRIVABLE' });
    expect(notify.calls).toHaveLength(1);
    expect(newToken).toEqual(expect.any(String));
    expect(newToken).not.toBe(oldToken);
    expect(stale).toMatchObject({ name: 'TaskTimedOut' });
    expect(await engine.describeExecution(executionArn)).toMatchObject({
      status: 'SUCCEEDED',
      redriveCount: 1,
    });
  });

  it('redrives a timed-out execution and starts its execution timeout again from the redrive', async () => {
    // Prepare
    const { clock, engine, requestTask } = setUp();
    const { stateMachineArn } = await engine.createStateMachine('bounded', {
      TimeoutSeconds: 600,
      StartAt: 'Await',
      States: {
        Await: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'request-task', Payload: { 'taskToken.$': '$$.Task.Token' } },
          End: true,
        },
      },
    });
    const { executionArn } = await engine.startExecution(stateMachineArn, 'bounded-1');
    await clock.advanceBy(600_000);
    const timedOut = (await engine.describeExecution(executionArn)).status;
    await clock.advanceBy(3600_000);

    // Act
    await engine.redriveExecution(executionArn);
    await clock.advanceBy(599_000);
    const beforeTimeout = (await engine.describeExecution(executionArn)).status;
    await clock.advanceBy(1000);

    // Assess
    expect(timedOut).toBe('TIMED_OUT');
    expect(beforeTimeout).toBe('RUNNING');
    expect(requestTask.calls).toHaveLength(2);
    expect(await engine.describeExecution(executionArn)).toMatchObject({
      status: 'TIMED_OUT',
      redriveCount: 1,
      redriveStatus: 'REDRIVABLE',
    });
  });

  it('counts every redrive', async () => {
    // Prepare
    const setup = setUp();
    const executionArn = await failedAtNotify(setup);

    // Act
    await setup.engine.redriveExecution(executionArn);
    await setup.engine.settle();
    await setup.engine.redriveExecution(executionArn);
    await setup.engine.settle();

    // Assess
    expect(await setup.engine.describeExecution(executionArn)).toMatchObject({
      status: 'FAILED',
      redriveCount: 2,
    });
    expect(setup.notify.calls.map((c) => c.event.redriveCount)).toEqual([0, 1, 2]);
  });

  it('refuses to redrive a succeeded or running execution with ExecutionNotRedrivable', async () => {
    // Prepare
    const setup = setUp();
    const { engine, notifyFails, requestTask } = setup;
    notifyFails.now = false;
    const running = await failedAtNotify(setup, 'case-42');
    const succeeded = await failedAtNotify(setup, 'case-43');
    await engine.sendTaskSuccess(requestTask.calls[1]?.event.taskToken as string, {});
    await engine.settle();

    // Act
    const redrivingRunning = engine.redriveExecution(running);
    const redrivingSucceeded = engine.redriveExecution(succeeded);
    const redrivingUnknown = engine.redriveExecution(running.replace('case-42', 'case-99'));

    // Assess
    await expect(redrivingRunning).rejects.toMatchObject({
      name: 'ExecutionNotRedrivable',
      message: expect.stringContaining('RUNNING'),
    });
    await expect(redrivingSucceeded).rejects.toMatchObject({
      name: 'ExecutionNotRedrivable',
      message: expect.stringContaining('SUCCEEDED'),
    });
    await expect(redrivingUnknown).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
  });

  it('refuses a redrive more than 14 days after the execution stopped', async () => {
    // Prepare
    const setup = setUp();
    const executionArn = await failedAtNotify(setup);
    await setup.clock.advanceBy(14 * 24 * 3600_000 + 1);

    // Act
    const redriving = setup.engine.redriveExecution(executionArn);

    // Assess
    await expect(redriving).rejects.toMatchObject({ name: 'ExecutionNotRedrivable' });
    expect(await setup.engine.describeExecution(executionArn)).toMatchObject({
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution redrivable period exceeded',
    });
  });

  it('answers a repeated request with the same client token with the first redrive date', async () => {
    // Prepare
    const setup = setUp();
    const executionArn = await failedAtNotify(setup);
    setup.notifyFails.now = false;
    const first = await setup.engine.redriveExecution(executionArn, { clientToken: 'token-1' });
    await setup.clock.advanceBy(60_000);

    // Act
    const repeated = await setup.engine.redriveExecution(executionArn, { clientToken: 'token-1' });
    const other = setup.engine.redriveExecution(executionArn, { clientToken: 'token-2' });

    // Assess
    expect(repeated.redriveDate).toEqual(first.redriveDate);
    await expect(other).rejects.toMatchObject({ name: 'ExecutionNotRedrivable' });
    const types = await eventTypes(setup.engine, executionArn);
    expect(types.filter((t) => t === 'ExecutionRedriven')).toHaveLength(1);
  });

  it('lists executions by whether they were redriven', async () => {
    // Prepare
    const setup = setUp();
    const redriven = await failedAtNotify(setup, 'case-44');
    await failedAtNotify(setup, 'case-45');
    await setup.engine.redriveExecution(redriven);
    await setup.engine.settle();

    // Act
    const { executions: yes } = await setup.engine.listExecutions({ redriveFilter: 'REDRIVEN' });
    const { executions: no } = await setup.engine.listExecutions({ redriveFilter: 'NOT_REDRIVEN' });

    // Assess
    expect(yes.map((e) => [e.name, e.redriveCount])).toEqual([['case-44', 1]]);
    expect(no.map((e) => e.name)).toEqual(['case-45']);
  });
});
