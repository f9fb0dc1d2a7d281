/**
 * Pins where the local engine behaves like AWS Step Functions where simpler emulators do not:
 * task tokens, timeouts read from the state input, AWS's default task timeout, Retry on the
 * engine's clock. Time is virtual: no test waits on real time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_TASK_TIMEOUT_SECONDS,
  LocalStepFunctions,
  SfnApiError,
  VirtualClock,
} from '../../../infra/local/step-functions/index.js';
import { eventTypes, machine, recorder } from './support.js';

const START = '2026-03-02T09:00:00.000Z';
const engines: LocalStepFunctions[] = [];

function setUp(handlers: Record<string, Parameters<typeof recorder>[1]> = {}) {
  const clock = new VirtualClock(START);
  const recorders = Object.fromEntries(
    Object.entries(handlers).map(([name, answer]) => [name, recorder(clock, answer)]),
  );
  const engine = new LocalStepFunctions({
    clock,
    handlers: Object.fromEntries(Object.entries(recorders).map(([name, r]) => [name, r.handler])),
  });
  engines.push(engine);
  return { clock, engine, calls: (name: string) => recorders[name]?.calls ?? [] };
}

afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
});

describe('LocalStepFunctions callback tasks', () => {
  it('reads TimeoutSecondsPath from the state input even when Parameters drops the field', async () => {
    // Prepare
    const { clock, engine } = setUp({ 'request-task': undefined });
    const arn = await machine(engine, 'callback');
    const { executionArn } = await engine.startExecution(arn, 'case-1', {
      caseId: 'case-1',
      ackTimeoutSeconds: 3600,
    });
    await engine.settle();

    // Act
    await clock.advanceBy(3599_000);
    const before = await engine.describeExecution(executionArn);
    await clock.advanceBy(1000);

    // Assess
    expect(before.status).toBe('RUNNING');
    const after = await engine.describeExecution(executionArn);
    expect(after.status).toBe('SUCCEEDED');
    expect(JSON.parse(after.output ?? 'null')).toMatchObject({
      outcome: 'overdue',
      failure: { Error: 'States.Timeout' },
    });
    expect(engine.visitedStates(executionArn)).toEqual(['Await acknowledgement', 'Acknowledgement overdue']);
    expect(await eventTypes(engine, executionArn)).toContain('TaskTimedOut');
  });

  it('passes the Lambda a token that completes the task with SendTaskSuccess', async () => {
    // Prepare
    const { engine, calls } = setUp({ 'request-task': undefined });
    const arn = await machine(engine, 'callback');
    const { executionArn } = await engine.startExecution(arn, 'case-2', {
      caseId: 'case-2',
      ackTimeoutSeconds: 60,
    });
    await engine.settle();
    const token = calls('request-task')[0]?.event.taskToken as string;

    // Act
    await engine.sendTaskSuccess(token, JSON.stringify({ decision: 'acknowledge', officer: 'a.officer' }));
    await engine.settle();

    // Assess
    expect(calls('request-task')[0]?.event).toMatchObject({ caseId: 'case-2', task: 'acknowledge' });
    expect(engine.executionOutput(executionArn)).toEqual({
      caseId: 'case-2',
      ackTimeoutSeconds: 60,
      decision: { decision: 'acknowledge', officer: 'a.officer' },
    });
    expect(engine.visitedStates(executionArn)).toEqual(['Await acknowledgement', 'Acknowledged']);
  });

  it('routes SendTaskFailure to the Catch that matches its error', async () => {
    // Prepare
    const { engine, calls } = setUp({ 'request-task': undefined });
    const arn = await machine(engine, 'callback');
    const { executionArn } = await engine.startExecution(arn, 'case-3', {
      caseId: 'case-3',
      ackTimeoutSeconds: 60,
    });
    await engine.settle();
    const token = calls('request-task')[0]?.event.taskToken as string;

    // Act
    await engine.sendTaskFailure(token, 'NotAComplaintError', 'service request');
    await engine.settle();

    // Assess
    expect(engine.executionOutput(executionArn)).toMatchObject({
      outcome: 'refused',
      failure: { Error: 'NotAComplaintError', Cause: 'service request' },
    });
    expect(await eventTypes(engine, executionArn)).toContain('TaskFailed');
  });

  it('gives each entry into a callback state a fresh token and retires the used one', async () => {
    // Prepare
    const { engine, calls } = setUp({ 'request-task': undefined });
    const arn = await machine(engine, 'callback-loop');
    const { executionArn } = await engine.startExecution(arn, 'case-4', { caseId: 'case-4' });
    await engine.settle();
    const first = calls('request-task')[0]?.event.taskToken as string;

    // Act
    await engine.sendTaskSuccess(first, { decision: 'extend' });
    await engine.settle();
    const second = calls('request-task')[1]?.event.taskToken as string;
    const reuse = engine.sendTaskSuccess(first, { decision: 'respond' });

    // Assess
    expect(second).toEqual(expect.any(String));
    expect(second).not.toBe(first);
    await expect(reuse).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await engine.sendTaskSuccess(second, { decision: 'respond' });
    await engine.settle();
    expect((await engine.describeExecution(executionArn)).status).toBe('SUCCEEDED');
    expect(engine.visitedStates(executionArn)).toEqual([
      'Await response',
      'Extension requested?',
      'Await response',
      'Extension requested?',
      'Responded',
    ]);
  });

  it('rejects tokens it never issued like the AWS API does', async () => {
    // Prepare
    const { engine } = setUp();
    const unknown = Buffer.from(
      JSON.stringify({ e: 'arn:aws:states:eu-west-2:123456789012:execution:x:y', n: '1' }),
    ).toString('base64url');

    // Act
    const malformed = engine.sendTaskSuccess('not a token', {});
    const neverIssued = engine.sendTaskHeartbeat(unknown);

    // Assess
    await expect(malformed).rejects.toMatchObject({ name: 'InvalidToken' });
    await expect(neverIssued).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
  });

  it('has no 60-second default timeout: a callback without one waits as long as AWS would', async () => {
    // Prepare
    const { clock, engine, calls } = setUp({ 'request-task': undefined });
    const arn = await machine(engine, 'callback-loop');
    const { executionArn } = await engine.startExecution(arn, 'case-5', { caseId: 'case-5' });
    await engine.settle();

    // Act
    await clock.advanceBy(90 * 24 * 3600 * 1000);

    // Assess
    expect((await engine.describeExecution(executionArn)).status).toBe('RUNNING');
    const { events } = await engine.getExecutionHistory(executionArn);
    const scheduled = events.find((e) => e.type === 'TaskScheduled');
    expect(scheduled?.taskScheduledEventDetails).toMatchObject({
      timeoutInSeconds: DEFAULT_TASK_TIMEOUT_SECONDS,
    });
    await engine.sendTaskSuccess(calls('request-task')[0]?.event.taskToken as string, {
      decision: 'respond',
    });
    await engine.settle();
    expect((await engine.describeExecution(executionArn)).status).toBe('SUCCEEDED');
  });

  it('times out with States.HeartbeatTimeout when heartbeats stop, and not while they come', async () => {
    // Prepare
    const { clock, engine, calls } = setUp({ 'request-task': undefined });
    const { stateMachineArn } = await engine.createStateMachine('heartbeat', {
      StartAt: 'Await',
      States: {
        Await: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'request-task', Payload: { 'taskToken.$': '$$.Task.Token' } },
          HeartbeatSecondsPath: '$.heartbeat',
          End: true,
        },
      },
    });
    const { executionArn } = await engine.startExecution(stateMachineArn, 'hb', { heartbeat: 60 });
    await engine.settle();
    const token = calls('request-task')[0]?.event.taskToken as string;

    // Act
    await clock.advanceBy(50_000);
    await engine.sendTaskHeartbeat(token);
    await clock.advanceBy(50_000);
    const alive = (await engine.describeExecution(executionArn)).status;
    await clock.advanceBy(10_000);

    // Assess
    expect(alive).toBe('RUNNING');
    expect(await engine.describeExecution(executionArn)).toMatchObject({
      status: 'FAILED',
      error: 'States.HeartbeatTimeout',
    });
  });
});

describe('LocalStepFunctions executions waiting on callbacks', () => {
  /** One callback state that retries the officer's refusal once, ten seconds later. */
  const RETRIED_CALLBACK = {
    StartAt: 'Await',
    States: {
      Await: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: 'request-task',
          Payload: { 'taskToken.$': '$$.Task.Token', 'retryCount.$': '$$.State.RetryCount' },
        },
        Retry: [{ ErrorEquals: ['Refused'], IntervalSeconds: 10, MaxAttempts: 1 }],
        Catch: [{ ErrorEquals: ['Refused'], ResultPath: '$.failure', Next: 'Refused twice' }],
        ResultPath: '$.decision',
        End: true,
      },
      'Refused twice': { Type: 'Pass', End: true },
    },
  };

  it('retries a callback that SendTaskFailure failed, with a fresh token, and counts the retry', async () => {
    // Prepare
    const { clock, engine, calls } = setUp({ 'request-task': undefined });
    const { stateMachineArn } = await engine.createStateMachine('retried', RETRIED_CALLBACK);
    const { executionArn } = await engine.startExecution(stateMachineArn, 'retried-1', { caseId: 'c-1' });
    await engine.settle();
    const first = calls('request-task')[0]?.event.taskToken as string;

    // Act
    await engine.sendTaskFailure(first, 'Refused', 'not yet');
    await engine.settle();
    const retriedBeforeInterval = calls('request-task').length;
    await clock.advanceBy(10_000);
    const second = calls('request-task')[1]?.event.taskToken as string;
    await engine.sendTaskSuccess(second, { decision: 'respond' });
    await engine.settle();

    // Assess
    expect(retriedBeforeInterval).toBe(1);
    expect(calls('request-task').map((c) => c.event.retryCount)).toEqual([0, 1]);
    expect(second).not.toBe(first);
    await expect(engine.sendTaskSuccess(first, {})).rejects.toMatchObject({ name: 'TaskTimedOut' });
    expect(await engine.describeExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED' });
    expect(engine.executionOutput(executionArn)).toEqual({
      caseId: 'c-1',
      decision: { decision: 'respond' },
    });
    expect(await eventTypes(engine, executionArn)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskFailed',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('catches a callback failed again once its retries are spent, and runs on from the catcher', async () => {
    // Prepare
    const { clock, engine, calls } = setUp({ 'request-task': undefined });
    const { stateMachineArn } = await engine.createStateMachine('retried', RETRIED_CALLBACK);
    const { executionArn } = await engine.startExecution(stateMachineArn, 'retried-2', { caseId: 'c-2' });
    await engine.settle();

    // Act
    await engine.sendTaskFailure(calls('request-task')[0]?.event.taskToken as string, 'Refused', 'first');
    await clock.advanceBy(10_000);
    await engine.sendTaskFailure(calls('request-task')[1]?.event.taskToken as string, 'Refused', 'second');
    await engine.settle();

    // Assess
    expect(engine.visitedStates(executionArn)).toEqual(['Await', 'Refused twice']);
    expect(engine.executionOutput(executionArn)).toEqual({
      caseId: 'c-2',
      failure: { Error: 'Refused', Cause: 'second' },
    });
    expect(engine.pendingTasks(executionArn)).toEqual([]);
  });

  it('ends the wait of an execution that times out while it waits, and its token with it', async () => {
    // Prepare
    const { clock, engine, calls } = setUp({ 'request-task': undefined });
    const { stateMachineArn } = await engine.createStateMachine('bounded', {
      ...RETRIED_CALLBACK,
      TimeoutSeconds: 600,
    });
    const { executionArn } = await engine.startExecution(stateMachineArn, 'bounded-2', { caseId: 'c-3' });
    await engine.settle();
    const token = calls('request-task')[0]?.event.taskToken as string;

    // Act
    await clock.advanceBy(600_000);

    // Assess
    expect(await engine.describeExecution(executionArn)).toMatchObject({ status: 'TIMED_OUT' });
    await expect(engine.sendTaskSuccess(token, { decision: 'respond' })).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
    await engine.settle();
    expect(engine.pendingTasks()).toEqual([]);
    expect((await eventTypes(engine, executionArn)).at(-1)).toBe('ExecutionTimedOut');
  });

  it('goes on at once when the Lambda completed its own task before it returned', async () => {
    // Prepare
    const clock = new VirtualClock(START);
    let engine: LocalStepFunctions | undefined;
    engine = new LocalStepFunctions({
      clock,
      handlers: {
        'request-task': async (event) => {
          await engine?.sendTaskSuccess((event as { taskToken: string }).taskToken, { decision: 'auto' });
          return {};
        },
      },
    });
    engines.push(engine);
    const { stateMachineArn } = await engine.createStateMachine('self-completing', RETRIED_CALLBACK);

    // Act
    const { executionArn } = await engine.startExecution(stateMachineArn, 'auto-1', { caseId: 'c-4' });
    await engine.settle();

    // Assess
    expect(await engine.describeExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED' });
    expect(engine.executionOutput(executionArn)).toEqual({ caseId: 'c-4', decision: { decision: 'auto' } });
  });

  // An answer that comes a few microtasks after the Lambda returns can land between the task's
  // Lambda returning and its execution parking: one of these depths does (the park finds the
  // task complete and goes on at once), the others before or after it.
  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8])(
    'goes on once when the task is answered just after its Lambda returns (after %i microtask turns)',
    async (depth) => {
      // Prepare
      const clock = new VirtualClock(START);
      let engine: LocalStepFunctions | undefined;
      engine = new LocalStepFunctions({
        clock,
        handlers: {
          'request-task': (event) => {
            const { taskToken } = event as { taskToken: string };
            let later = Promise.resolve();
            for (let i = 0; i < depth; i++) later = later.then(() => undefined);
            void later.then(() => engine?.sendTaskSuccess(taskToken, { decision: 'auto' }));
            return {};
          },
        },
      });
      engines.push(engine);
      const { stateMachineArn } = await engine.createStateMachine('answered-soon', RETRIED_CALLBACK);

      // Act
      const { executionArn } = await engine.startExecution(stateMachineArn, `soon-${depth}`, {
        caseId: 'c-7',
      });
      await engine.settle();

      // Assess
      expect(await engine.describeExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED' });
      expect(engine.executionOutput(executionArn)).toEqual({ caseId: 'c-7', decision: { decision: 'auto' } });
      expect(engine.pendingTasks()).toEqual([]);
      expect((await eventTypes(engine, executionArn)).slice(-4)).toEqual([
        'TaskSubmitted',
        'TaskSucceeded',
        'TaskStateExited',
        'ExecutionSucceeded',
      ]);
    },
  );

  it('kills the token of an execution stopped while it waits at once, and records nothing after its end', async () => {
    // Prepare: one execution answered and stopped in the same turn, one stopped and then answered.
    const { engine, calls } = setUp({ 'request-task': undefined });
    const { stateMachineArn } = await engine.createStateMachine('stopped', RETRIED_CALLBACK);
    const answered = await engine.startExecution(stateMachineArn, 'stopped-1', { caseId: 'c-5' });
    const unanswered = await engine.startExecution(stateMachineArn, 'stopped-2', { caseId: 'c-6' });
    await engine.settle();
    const [first, second] = calls('request-task').map((c) => c.event.taskToken as string);

    // Act
    await Promise.all([
      engine.sendTaskSuccess(first as string, { decision: 'respond' }),
      engine.stopExecution(answered.executionArn),
    ]);
    await engine.stopExecution(unanswered.executionArn);
    const pendingAtOnce = engine.pendingTasks();
    const late = await engine.sendTaskSuccess(second as string, { decision: 'respond' }).then(
      () => 'accepted',
      (error: unknown) => (error as Error).name,
    );
    await engine.settle();

    // Assess
    expect(pendingAtOnce).toEqual([]);
    expect(late).toBe('TaskTimedOut');
    expect((await eventTypes(engine, answered.executionArn)).slice(-3)).toEqual([
      'TaskSubmitted',
      'TaskSucceeded',
      'ExecutionAborted',
    ]);
    expect((await eventTypes(engine, unanswered.executionArn)).slice(-2)).toEqual([
      'TaskSubmitted',
      'ExecutionAborted',
    ]);
  });
});

describe('LocalStepFunctions Retry', () => {
  it('waits IntervalSeconds × BackoffRate, capped by MaxDelaySeconds, on the engine clock', async () => {
    // Prepare
    const { clock, engine, calls } = setUp({
      notify: () => {
        throw Object.assign(new Error('SES is down'), { name: 'MailerUnavailableError' });
      },
    });
    const arn = await machine(engine, 'retry');
    const { executionArn } = await engine.startExecution(arn, 'case-6', { caseId: 'case-6' });
    await engine.settle();

    // Act
    await clock.advanceBy(9_999);
    const beforeFirstRetry = calls('notify').length;
    await clock.advanceBy(3600_000);

    // Assess
    expect(beforeFirstRetry).toBe(1);
    expect(calls('notify').map((c) => c.at)).toEqual([
      '2026-03-02T09:00:00.000Z',
      '2026-03-02T09:00:10.000Z',
      '2026-03-02T09:00:30.000Z',
      '2026-03-02T09:01:00.000Z',
    ]);
    const output = engine.executionOutput(executionArn) as { failure: { Error: string; Cause: string } };
    expect(output.failure.Error).toBe('MailerUnavailableError');
    expect(JSON.parse(output.failure.Cause)).toMatchObject({
      errorType: 'MailerUnavailableError',
      errorMessage: 'SES is down',
    });
    expect(engine.visitedStates(executionArn)).toEqual(['Send notification', 'Notification failed']);
  });

  it('succeeds on a retry and carries the Lambda result on', async () => {
    // Prepare
    const { clock, engine } = setUp({
      notify: (_event, call) => {
        if (call === 1) throw Object.assign(new Error('throttled'), { name: 'MailerUnavailableError' });
        return { messageId: 'm-1' };
      },
    });
    const arn = await machine(engine, 'retry');
    const { executionArn } = await engine.startExecution(arn, 'case-7', { caseId: 'case-7' });

    // Act
    await clock.advanceBy(10_000);

    // Assess
    expect(engine.executionOutput(executionArn)).toEqual({
      caseId: 'case-7',
      notification: { messageId: 'm-1' },
    });
    expect(await eventTypes(engine, executionArn)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionFailed',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('spreads delays with JitterStrategy FULL using the injected random source', async () => {
    // Prepare
    const clock = new VirtualClock(START);
    const notify = recorder(clock, () => {
      throw Object.assign(new Error('down'), { name: 'MailerUnavailableError' });
    });
    const engine = new LocalStepFunctions({ clock, handlers: { notify: notify.handler }, random: () => 0.5 });
    engines.push(engine);
    const { stateMachineArn } = await engine.createStateMachine('jitter', {
      StartAt: 'Send',
      States: {
        Send: {
          Type: 'Task',
          Resource: 'arn:aws:lambda:eu-west-2:123456789012:function:notify',
          Retry: [
            {
              ErrorEquals: ['States.TaskFailed'],
              IntervalSeconds: 8,
              MaxAttempts: 1,
              JitterStrategy: 'FULL',
            },
          ],
          End: true,
        },
      },
    });
    const { executionArn } = await engine.startExecution(stateMachineArn, 'j', {});

    // Act
    await clock.advanceBy(60_000);

    // Assess
    expect(notify.calls.map((c) => c.at)).toEqual(['2026-03-02T09:00:00.000Z', '2026-03-02T09:00:04.000Z']);
    expect((await engine.describeExecution(executionArn)).error).toBe('MailerUnavailableError');
  });
});

describe('LocalStepFunctions Wait', () => {
  it('continues at once when TimestampPath is in the past', async () => {
    // Prepare
    const { engine, calls } = setUp({ clock: () => ({ status: 'open' }), 'request-task': undefined });
    const arn = await machine(engine, 'wait-then-callback');

    // Act
    const { executionArn } = await engine.startExecution(arn, 'case-8', {
      caseId: 'case-8',
      remindAt: '2026-03-01T09:00:00Z',
      officerTimeoutSeconds: 60,
    });
    await engine.settle();

    // Assess
    expect(calls('clock')).toHaveLength(1);
    expect(engine.pendingTasks(executionArn).map((t) => t.stateName)).toEqual(['Await officer']);
  });

  it('sleeps until a future TimestampPath instant on the engine clock', async () => {
    // Prepare
    const { clock, engine, calls } = setUp({ clock: () => ({ status: 'open' }), 'request-task': undefined });
    const arn = await machine(engine, 'wait-then-callback');
    const { executionArn } = await engine.startExecution(arn, 'case-9', {
      caseId: 'case-9',
      remindAt: '2026-03-09T23:59:59Z',
      officerTimeoutSeconds: 60,
    });
    await engine.settle();

    // Act
    await clock.advanceTo('2026-03-09T23:59:58Z');
    const early = calls('clock').length;
    await clock.advanceTo('2026-03-09T23:59:59Z');

    // Assess
    expect(early).toBe(0);
    expect(calls('clock').map((c) => c.at)).toEqual(['2026-03-09T23:59:59.000Z']);
    const { events } = await engine.getExecutionHistory(executionArn);
    expect(events.find((e) => e.type === 'WaitStateExited')?.timestamp.toISOString()).toBe(
      '2026-03-09T23:59:59.000Z',
    );
  });
});

describe('LocalStepFunctions.startExecution', () => {
  it('returns the running execution for the same name and input, and refuses a different input', async () => {
    // Prepare
    const { engine } = setUp({ 'request-task': undefined });
    const arn = await machine(engine, 'callback-loop');
    const first = await engine.startExecution(arn, 'case-10', { caseId: 'case-10' });

    // Act
    const again = await engine.startExecution(arn, 'case-10', JSON.stringify({ caseId: 'case-10' }));
    const different = engine.startExecution(arn, 'case-10', { caseId: 'other' });

    // Assess
    expect(again.executionArn).toBe(first.executionArn);
    await expect(different).rejects.toBeInstanceOf(SfnApiError);
    await expect(different).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
  });

  it('refuses a name already used by a finished execution', async () => {
    // Prepare
    const { engine } = setUp({ 'request-task': undefined });
    const arn = await machine(engine, 'callback-loop');
    const { executionArn } = await engine.startExecution(arn, 'case-11', { caseId: 'case-11' });
    await engine.stopExecution(executionArn, { error: 'Withdrawn', cause: 'resident withdrew' });

    // Act
    const reuse = engine.startExecution(arn, 'case-11', { caseId: 'case-11' });

    // Assess
    await expect(reuse).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    expect(await engine.describeExecution(executionArn)).toMatchObject({
      status: 'ABORTED',
      error: 'Withdrawn',
    });
  });
});
