/**
 * JSONata Task states (`"QueryLanguage": "JSONata"` in a JSONPath machine), as the workflows use
 * them for officer callbacks and clock tasks: `Arguments` and `Output` expressions with
 * `$states`, expression timeouts on the engine's deadline machinery, catcher `Output`, AWS's
 * `States.QueryEvaluationError`, and the definitions the engine refuses.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type LambdaHandler,
  LocalStepFunctions,
  VirtualClock,
} from '../../../infra/local/step-functions/index.js';
import {
  compile,
  evaluateExpression,
  type StatesVariable,
} from '../../../infra/local/step-functions/jsonata.js';
import { type Call, eventTypes, lambdaArn } from './support.js';

const START = '2026-03-02T09:00:00.000Z';
const engines: LocalStepFunctions[] = [];
const stateDirs: string[] = [];

afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
  for (const dir of stateDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

type Answer = (event: Record<string, unknown>, engine: LocalStepFunctions) => unknown;

/** An engine whose Lambdas record their calls and answer with `answers[name]` (which may call the engine). */
function setUp(answers: Record<string, Answer>, options: { clock?: VirtualClock; stateDir?: string } = {}) {
  const clock = options.clock ?? new VirtualClock(START);
  const calls: Record<string, Call[]> = {};
  const handlers: Record<string, LambdaHandler> = {};
  let engine: LocalStepFunctions | undefined;
  for (const [name, answer] of Object.entries(answers)) {
    calls[name] = [];
    handlers[name] = async (event) => {
      const e = event as Record<string, unknown>;
      calls[name]?.push({ event: e, at: clock.now().toISOString() });
      return answer(e, engine as LocalStepFunctions);
    };
  }
  engine = new LocalStepFunctions({
    clock,
    handlers,
    ...(options.stateDir ? { stateDir: options.stateDir } : {}),
  });
  engines.push(engine);
  return { clock, engine, calls: (name: string) => calls[name] ?? [] };
}

/** A JSONPath machine whose first state is `task` (a JSONata Task), then the Succeed states it names. */
function machineWith(task: Record<string, unknown>) {
  const catchers = (task.Catch ?? []) as { Next: string }[];
  const ends = ['Done', ...catchers.map((c) => c.Next)];
  return {
    StartAt: 'Await officer',
    States: {
      'Await officer': { Type: 'Task', QueryLanguage: 'JSONata', Next: 'Done', ...task },
      ...Object.fromEntries(ends.map((name) => [name, { Type: 'Succeed' }])),
    },
  };
}

const CALLBACK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const INVOKE = 'arn:aws:states:::lambda:invoke';

/** The officer callback as the workflows will write it. */
const OFFICER_TASK = {
  Resource: CALLBACK,
  Arguments: {
    FunctionName: lambdaArn('request-task'),
    Payload: {
      caseId: '{% $states.input.caseId %}',
      taskToken: '{% $states.context.Task.Token %}',
      execution: '{% $states.context.Execution.Id %}',
      state: '{% $states.context.State.Name %}',
      enteredAt: '{% $states.context.State.EnteredTime %}',
      lastTaskId: '{% $states.input.task.taskId %}',
      nested: {
        literal: 'as is',
        n: 7,
        list: [true, '{% 1 + 1 %}', { deep: '{% $uppercase($states.input.caseId) %}' }],
      },
    },
  },
  TimeoutSeconds: '{% $states.input.clock.waitSeconds %}',
  Output: "{% $merge([$states.input, {'task': $states.result}]) %}",
  Catch: [
    {
      ErrorEquals: ['OfficerDeclined'],
      Next: 'Declined',
      Output: "{% $merge([$states.input, {'task': $parse($states.errorOutput.Cause)}]) %}",
    },
    { ErrorEquals: ['States.Timeout'], Next: 'Timed out' },
    { ErrorEquals: ['States.ALL'], Next: 'Failed' },
  ],
};

const INPUT = { caseId: 'case-1', task: { taskId: 't-0' }, clock: { waitSeconds: 3600 } };

async function historyEvents(engine: LocalStepFunctions, executionArn: string) {
  return (await engine.getExecutionHistory(executionArn)).events as unknown as Record<string, unknown>[];
}

describe('JSONata Task states', () => {
  it('evaluates nested Arguments with $states.input and $states.context (the Task.Token too) and merges the result in Output', async () => {
    // Prepare
    const { engine, calls } = setUp({ 'request-task': () => ({ sent: true }) });
    const { stateMachineArn } = await engine.createStateMachine('officer', machineWith(OFFICER_TASK));

    // Act
    const { executionArn } = await engine.startExecution(stateMachineArn, 'case-1', INPUT);
    await engine.settle();
    const payload = calls('request-task')[0]?.event as Record<string, unknown>;
    const pending = engine.pendingTasks(executionArn);
    await engine.sendTaskSuccess(payload.taskToken as string, { taskId: 't-1', decision: 'uphold' });
    await engine.settle();

    // Assess
    expect(payload).toEqual({
      caseId: 'case-1',
      taskToken: pending[0]?.taskToken,
      execution: executionArn,
      state: 'Await officer',
      enteredAt: START,
      lastTaskId: 't-0',
      nested: { literal: 'as is', n: 7, list: [true, 2, { deep: 'CASE-1' }] },
    });
    expect(pending[0]?.deadline?.toISOString()).toBe('2026-03-02T10:00:00.000Z');
    expect(engine.visitedStates(executionArn)).toEqual(['Await officer', 'Done']);
    expect(engine.executionOutput(executionArn)).toEqual({
      ...INPUT,
      task: { taskId: 't-1', decision: 'uphold' },
    });
    const scheduled = (await historyEvents(engine, executionArn)).find((e) => e.type === 'TaskScheduled');
    const details = scheduled?.taskScheduledEventDetails as { parameters: string; timeoutInSeconds: number };
    expect(JSON.parse(details.parameters)).toEqual({
      FunctionName: lambdaArn('request-task'),
      Payload: payload,
    });
    expect(details.timeoutInSeconds).toBe(3600);
  });

  it('outputs $states.result when Output is absent: the whole lambda:invoke response, as the JSONPath state gives it', async () => {
    // Prepare
    const { engine, calls } = setUp({ clock: (event) => ({ status: 'open', caseId: event.caseId }) });
    const jsonata = machineWith({
      Resource: INVOKE,
      // Arguments as a single expression.
      Arguments: `{% {'FunctionName': '${lambdaArn('clock')}', 'Payload': {'caseId': $states.input.caseId}} %}`,
    });
    const jsonPath = {
      StartAt: 'Check',
      States: {
        Check: {
          Type: 'Task',
          Resource: INVOKE,
          Parameters: { FunctionName: lambdaArn('clock'), Payload: { 'caseId.$': '$.caseId' } },
          End: true,
        },
      },
    };
    const a = await engine.createStateMachine('jsonata-clock', jsonata);
    const b = await engine.createStateMachine('jsonpath-clock', jsonPath);

    // Act
    const first = await engine.startExecution(a.stateMachineArn, 'case-2', { caseId: 'case-2' });
    const second = await engine.startExecution(b.stateMachineArn, 'case-2', { caseId: 'case-2' });
    await engine.settle();

    // Assess
    expect(calls('clock').map((c) => c.event)).toEqual([{ caseId: 'case-2' }, { caseId: 'case-2' }]);
    const output = engine.executionOutput(first.executionArn);
    expect(output).toMatchObject({ Payload: { status: 'open', caseId: 'case-2' }, StatusCode: 200 });
    // Identical but for the request ids each invoke makes.
    const requestIds = (value: unknown) =>
      JSON.stringify(value).replace(/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/g, 'id');
    expect(requestIds(output)).toBe(requestIds(engine.executionOutput(second.executionArn)));
  });

  it("routes a SendTaskFailure to the catcher's Next, whose Output parses the JSON Cause; without Output it hands on $states.errorOutput", async () => {
    // Prepare
    const declined = { taskId: 't-9', outcome: 'declined', reason: 'not a complaint' };
    const { engine } = setUp({
      'request-task': async (event, eng) => {
        if (event.caseId === 'case-3') {
          await eng.sendTaskFailure(event.taskToken as string, 'OfficerDeclined', JSON.stringify(declined));
        } else {
          await eng.sendTaskFailure(event.taskToken as string, 'SomethingElse', 'plain text');
        }
        return {};
      },
    });
    const { stateMachineArn } = await engine.createStateMachine('officer', machineWith(OFFICER_TASK));

    // Act
    const caught = await engine.startExecution(stateMachineArn, 'case-3', { ...INPUT, caseId: 'case-3' });
    const other = await engine.startExecution(stateMachineArn, 'case-4', { ...INPUT, caseId: 'case-4' });
    await engine.settle();

    // Assess
    expect(engine.visitedStates(caught.executionArn)).toEqual(['Await officer', 'Declined']);
    expect(engine.executionOutput(caught.executionArn)).toEqual({
      ...INPUT,
      caseId: 'case-3',
      task: declined,
    });
    expect(engine.visitedStates(other.executionArn)).toEqual(['Await officer', 'Failed']);
    expect(engine.executionOutput(other.executionArn)).toEqual({
      Error: 'SomethingElse',
      Cause: 'plain text',
    });
    expect(await eventTypes(engine, caught.executionArn)).toContain('TaskFailed');
  });

  it('times out at the TimeoutSeconds the expression gives (States.Timeout, caught)', async () => {
    // Prepare
    const { engine, clock } = setUp({ 'request-task': () => ({}) });
    const { stateMachineArn } = await engine.createStateMachine('officer', machineWith(OFFICER_TASK));
    const input = { ...INPUT, clock: { waitSeconds: 90 } };

    // Act
    const { executionArn } = await engine.startExecution(stateMachineArn, 'case-5', input);
    await engine.settle();
    await clock.advanceTo('2026-03-02T09:01:29.000Z');
    const before = engine.visitedStates(executionArn);
    await clock.advanceTo('2026-03-02T09:01:30.000Z');
    await engine.settle();

    // Assess
    expect(before).toEqual(['Await officer']);
    expect(engine.visitedStates(executionArn)).toEqual(['Await officer', 'Timed out']);
    expect(engine.executionOutput(executionArn)).toEqual({ Error: 'States.Timeout' });
    expect(await eventTypes(engine, executionArn)).toContain('TaskTimedOut');
    const description = await engine.describeExecution(executionArn);
    expect(description.stopDate?.toISOString()).toBe('2026-03-02T09:01:30.000Z');
  });

  it('misses a HeartbeatSeconds the expression gives (States.HeartbeatTimeout)', async () => {
    // Prepare
    const { engine, clock } = setUp({ 'request-task': () => ({}) });
    const task = { ...OFFICER_TASK, HeartbeatSeconds: '{% $states.input.clock.waitSeconds - 3540 %}' };
    const { stateMachineArn } = await engine.createStateMachine('officer', machineWith(task));

    // Act
    const { executionArn } = await engine.startExecution(stateMachineArn, 'case-12', INPUT);
    await engine.settle();
    await clock.advanceTo('2026-03-02T09:01:00.000Z');
    await engine.settle();

    // Assess
    expect(engine.visitedStates(executionArn)).toEqual(['Await officer', 'Failed']);
    expect(engine.executionOutput(executionArn)).toEqual({ Error: 'States.HeartbeatTimeout' });
    const scheduled = (await historyEvents(engine, executionArn)).find((e) => e.type === 'TaskScheduled');
    expect(scheduled?.taskScheduledEventDetails).toMatchObject({
      timeoutInSeconds: 3600,
      heartbeatInSeconds: 60,
    });
  });

  it('resumes a JSONata callback after a restart with a new token and the deadline it had', async () => {
    // Prepare
    const stateDir = mkdtempSync(join(tmpdir(), 'redress-sfn-'));
    stateDirs.push(stateDir);
    const clock = new VirtualClock(START);
    const first = setUp({ 'request-task': () => ({}) }, { clock, stateDir });
    const { stateMachineArn } = await first.engine.createStateMachine('officer', machineWith(OFFICER_TASK));
    const { executionArn } = await first.engine.startExecution(stateMachineArn, 'case-6', {
      ...INPUT,
      caseId: 'case-6',
      clock: { waitSeconds: 7200 },
    });
    await first.engine.settle();
    const oldToken = first.calls('request-task')[0]?.event.taskToken as string;
    const deadline = first.engine.pendingTasks(executionArn)[0]?.deadline?.toISOString();
    await first.engine.close();
    await clock.advanceTo('2026-03-02T10:00:00Z');

    // Act
    const second = setUp({ 'request-task': () => ({}) }, { clock, stateDir });
    await second.engine.createStateMachine('officer', machineWith(OFFICER_TASK));
    const resumed = await second.engine.resume();
    await second.engine.settle();
    const newToken = second.calls('request-task')[0]?.event.taskToken as string;
    const resumedDeadline = second.engine.pendingTasks(executionArn)[0]?.deadline?.toISOString();
    await clock.advanceTo('2026-03-02T10:59:59Z');
    const beforeDeadline = second.engine.visitedStates(executionArn);
    await clock.advanceTo('2026-03-02T11:00:00Z');
    await second.engine.settle();

    // Assess
    expect(resumed).toEqual([executionArn]);
    expect(deadline).toBe('2026-03-02T11:00:00.000Z');
    expect(resumedDeadline).toBe(deadline);
    expect(newToken).toEqual(expect.any(String));
    expect(newToken).not.toBe(oldToken);
    expect(second.calls('request-task')[0]?.event).toMatchObject({ taskToken: newToken, caseId: 'case-6' });
    expect(beforeDeadline).toEqual(['Await officer', 'Await officer']);
    expect(second.engine.visitedStates(executionArn)).toEqual([
      'Await officer',
      'Await officer',
      'Timed out',
    ]);
    expect((await second.engine.describeExecution(executionArn)).stopDate?.toISOString()).toBe(
      '2026-03-02T11:00:00.000Z',
    );
  });
});

describe('JSONata expressions AWS accepts', () => {
  it('reads names in predicates, later path steps, sort terms and lambda parameters without refusing them', async () => {
    // Prepare
    const { engine, calls } = setUp({ clock: (event) => event });
    const task = {
      Resource: INVOKE,
      Arguments: {
        FunctionName: lambdaArn('clock'),
        Payload: {
          open: '{% $states.input.items[status = "open"].id %}',
          sorted: '{% $states.input.items^(>id).{"id": id} %}',
          doubled: '{% $map($states.input.items, function($i) { $i.id * 2 }) %}',
          token: '{% $hash($states.input.caseId, "SHA-256") %}',
        },
      },
      Output: '{% $states.result.Payload %}',
    };
    const { stateMachineArn } = await engine.createStateMachine('clock', machineWith(task));
    const items = [
      { id: 1, status: 'open' },
      { id: 2, status: 'closed' },
    ];

    // Act
    const { executionArn } = await engine.startExecution(stateMachineArn, 'case-11', {
      caseId: 'case-11',
      items,
    });
    await engine.settle();

    // Assess
    expect(calls('clock')).toHaveLength(1);
    expect(engine.executionOutput(executionArn)).toEqual({
      open: 1,
      sorted: [{ id: 2 }, { id: 1 }],
      doubled: [2, 4],
      token: createHash('sha256').update('case-11').digest('hex'),
    });
  });
});

describe('JSONata and the engine clock', () => {
  it("tells the engine's clock in $now() and $millis(), as $states.context.State.EnteredTime does", async () => {
    // Prepare
    const { engine, calls, clock } = setUp({ clock: (event) => event });
    await clock.advanceTo('2026-03-05T14:30:00.000Z');
    const task = {
      Resource: INVOKE,
      Arguments: {
        FunctionName: lambdaArn('clock'),
        Payload: {
          now: '{% $now() %}',
          millis: '{% $millis() %}',
          day: "{% $now('[Y0001]-[M01]-[D01]') %}",
          local: "{% $now('[H01]:[m01]', '+0100') %}",
          due: '{% $fromMillis($millis() + $states.input.clock.waitSeconds * 1000) %}',
        },
      },
      Output: '{% $states.result.Payload %}',
    };
    const { stateMachineArn } = await engine.createStateMachine('clock', machineWith(task));

    // Act
    const { executionArn } = await engine.startExecution(stateMachineArn, 'case-13', INPUT);
    await engine.settle();

    // Assess
    expect(calls('clock')).toHaveLength(1);
    expect(engine.executionOutput(executionArn)).toEqual({
      now: '2026-03-05T14:30:00.000Z',
      millis: Date.parse('2026-03-05T14:30:00.000Z'),
      day: '2026-03-05',
      local: '15:30',
      due: '2026-03-05T15:30:00.000Z',
    });
  });
});

describe('JSONata evaluation failures (States.QueryEvaluationError)', () => {
  it('fails the state when an Arguments expression returns nothing, before the task is scheduled; a States.ALL catcher takes it', async () => {
    // Prepare
    const { engine, calls } = setUp({ 'request-task': () => ({}) });
    const task = {
      ...OFFICER_TASK,
      Arguments: {
        FunctionName: lambdaArn('request-task'),
        Payload: { missing: '{% $states.input.nope %}' },
      },
    };
    const { stateMachineArn } = await engine.createStateMachine('officer', machineWith(task));

    // Act
    const { executionArn } = await engine.startExecution(stateMachineArn, 'case-7', INPUT);
    await engine.settle();

    // Assess
    expect(calls('request-task')).toHaveLength(0);
    expect(engine.visitedStates(executionArn)).toEqual(['Await officer', 'Failed']);
    expect(engine.executionOutput(executionArn)).toEqual({
      Error: 'States.QueryEvaluationError',
      Cause:
        "The JSONata expression '$states.input.nope' specified for the field 'Arguments/Payload/missing' returned nothing (undefined).",
    });
    const events = await historyEvents(engine, executionArn);
    expect(events.map((e) => e.type)).not.toContain('TaskScheduled');
    expect(events.find((e) => e.type === 'EvaluationFailed')?.evaluationFailedEventDetails).toEqual({
      error: 'States.QueryEvaluationError',
      cause: expect.stringContaining('returned nothing (undefined)'),
      location: 'Arguments/Payload/missing',
      state: 'Await officer',
    });
  });

  it('retries a QueryEvaluationError like any error, then fails the execution with it', async () => {
    // Prepare
    const { engine, clock } = setUp({ clock: () => ({}) });
    const task = {
      Resource: INVOKE,
      Arguments: {
        FunctionName: lambdaArn('clock'),
        Payload: "{% $error('no clock for ' & $states.input.caseId) %}",
      },
      Retry: [{ ErrorEquals: ['States.QueryEvaluationError'], MaxAttempts: 2, IntervalSeconds: 1 }],
    };
    const { stateMachineArn } = await engine.createStateMachine('clock', machineWith(task));

    // Act
    const { executionArn } = await engine.startExecution(stateMachineArn, 'case-8', { caseId: 'case-8' });
    await engine.settle();
    await clock.advanceTo('2026-03-02T09:00:10Z');
    await engine.settle();

    // Assess
    const description = await engine.describeExecution(executionArn);
    expect(description).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect(description.cause).toContain('no clock for case-8');
    expect((await eventTypes(engine, executionArn)).filter((t) => t === 'EvaluationFailed')).toHaveLength(3);
  });

  it.each([
    ['a string', '"soon"'],
    ['zero', '0'],
    ['a fraction', '1.5'],
    ['nothing', '$states.input.none'],
  ])('fails a TimeoutSeconds expression that gives %s, not a positive integer', async (_, expression) => {
    // Prepare
    const { engine, calls } = setUp({ 'request-task': () => ({}) });
    const task = { ...OFFICER_TASK, TimeoutSeconds: `{% ${expression} %}`, Catch: undefined };
    const { stateMachineArn } = await engine.createStateMachine('officer', machineWith(task));

    // Act
    const { executionArn } = await engine.startExecution(stateMachineArn, 'case-9', INPUT);
    await engine.settle();

    // Assess
    expect(calls('request-task')).toHaveLength(0);
    const description = await engine.describeExecution(executionArn);
    expect(description).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect(description.cause).toContain("'TimeoutSeconds'");
  });

  it('fails the state after its task succeeded when Output fails, and a catcher Output that fails fails the execution', async () => {
    // Prepare
    const { engine, calls } = setUp({ clock: () => ({ status: 'open' }) });
    const task = {
      Resource: INVOKE,
      Arguments: { FunctionName: lambdaArn('clock'), Payload: {} },
      Output: '{% $states.result.Payload.absent %}',
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed', Output: '{% $eval("1") %}' }],
    };
    const { stateMachineArn } = await engine.createStateMachine('clock', machineWith(task));

    // Act
    const { executionArn } = await engine.startExecution(stateMachineArn, 'case-10', {});
    await engine.settle();

    // Assess
    expect(calls('clock')).toHaveLength(1);
    const types = await eventTypes(engine, executionArn);
    expect(types).toContain('TaskSucceeded');
    expect(types).not.toContain('TaskFailed');
    const failures = (await historyEvents(engine, executionArn))
      .filter((e) => e.type === 'EvaluationFailed')
      .map((e) => (e.evaluationFailedEventDetails as { location: string }).location);
    expect(failures).toEqual(['Output', 'Catch[0]/Output']);
    const description = await engine.describeExecution(executionArn);
    expect(description).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect(description.cause).toContain('$eval is not available');
  });
});

describe('JSONata definitions the engine refuses', () => {
  const base = { Resource: INVOKE, Arguments: { FunctionName: lambdaArn('clock'), Payload: {} } };
  it.each([
    [
      'Parameters',
      { ...base, Parameters: { FunctionName: 'x' } },
      "field 'Parameters' is only supported for the 'JSONPath'",
    ],
    ['InputPath', { ...base, InputPath: '$.a' }, "field 'InputPath'"],
    ['ResultPath', { ...base, ResultPath: '$.a' }, "field 'ResultPath'"],
    ['ResultSelector', { ...base, ResultSelector: { 'a.$': '$' } }, "field 'ResultSelector'"],
    ['OutputPath', { ...base, OutputPath: '$.a' }, "field 'OutputPath'"],
    ['TimeoutSecondsPath', { ...base, TimeoutSecondsPath: '$.t' }, "field 'TimeoutSecondsPath'"],
    ['HeartbeatSecondsPath', { ...base, HeartbeatSecondsPath: '$.t' }, "field 'HeartbeatSecondsPath'"],
    [
      'a catcher ResultPath',
      { ...base, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed', ResultPath: '$.e' }] },
      "field 'Catch[0]/ResultPath'",
    ],
    [
      'Assign',
      { ...base, Assign: { x: 1 } },
      'Await officer: Assign (workflow variables) is not supported by the local engine',
    ],
    [
      'a catcher Assign',
      { ...base, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed', Assign: { x: 1 } }] },
      'not supported by the local engine',
    ],
    [
      'a malformed expression',
      { ...base, Output: '{% $states.input.( %}' },
      'INVALID_JSONATA_EXPRESSION at Output',
    ],
    [
      '$states.errorOutput outside a catcher',
      { ...base, Output: '{% $states.errorOutput %}' },
      "$states.errorOutput is not available in the field 'Output'",
    ],
    [
      '$states.result in Arguments',
      { ...base, Arguments: { FunctionName: lambdaArn('clock'), Payload: '{% $states.result %}' } },
      "field 'Arguments/Payload'",
    ],
    [
      'a top-level reference (no $states)',
      { ...base, Output: "{% {'id': states.input.caseId} %}" },
      "UNSUPPORTED_JSONATA_EXPRESSION at Output: Reference to 'states' at the top level is not supported",
    ],
    ['$$', { ...base, Output: '{% $$.caseId %}' }, "Reference to '$$' at the top level"],
    [
      'lambda:invoke without FunctionName',
      { Resource: INVOKE, Arguments: { Payload: {} } },
      'Arguments.FunctionName',
    ],
  ])('refuses %s in a JSONata Task state', async (_, task, message) => {
    // Prepare
    const { engine } = setUp({});

    // Act
    const creating = engine.createStateMachine('refused', machineWith(task));

    // Assess
    await expect(creating).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message: expect.stringContaining(message),
    });
  });

  it('refuses a top-level JSONata machine, JSONata on other state types, and a catcher Output in a JSONPath state', async () => {
    // Prepare
    const { engine } = setUp({});
    const topLevel = { QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
    const pass = {
      StartAt: 'P',
      States: { P: { Type: 'Pass', QueryLanguage: 'JSONata', Output: {}, End: true } },
    };
    const jsonPathCatch = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: INVOKE,
          Parameters: { FunctionName: lambdaArn('clock') },
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'E', Output: '{% $states.errorOutput %}' }],
          End: true,
        },
        E: { Type: 'Succeed' },
      },
    };

    // Act
    const creations = [topLevel, pass, jsonPathCatch].map((d, i) => engine.createStateMachine(`m${i}`, d));

    // Assess
    await expect(creations[0]).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message: expect.stringContaining(
        'top-level QueryLanguage of JSONata is not supported by the local engine',
      ),
    });
    await expect(creations[1]).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message: expect.stringContaining(
        'P: JSONata is supported by the local engine in Task states only, not in a Pass state',
      ),
    });
    await expect(creations[2]).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message: expect.stringContaining(
        "field 'Catch[0]/Output' is only supported for the 'JSONata' QueryLanguage",
      ),
    });
  });
});

describe('JSONata expressions worked out without the evaluator', () => {
  const values: unknown[] = [[], [1], [[1]], {}, { a: [1] }, null, 0, false, '', 'text', [{ a: 1 }]];
  const shapes = [
    '$states.input.v',
    '$states.input.o.v',
    '$states.context.Task.Token',
    '$merge([$states.input, {"t": $states.input.v}])',
    '$merge([$states.input, {"t": $states.input.o.v}])',
    '$merge([$states.input, {"t": $parse($states.errorOutput.Cause)}])',
    '$states.input.missing',
    '$states.input.list.v',
  ];

  it('give what the evaluator gives, or leave it to the evaluator', async () => {
    for (const v of values) {
      const states = {
        input: { v, o: { v }, list: [{ v }] },
        context: { Task: { Token: 'token-1' } },
        errorOutput: { Error: 'E', Cause: JSON.stringify(v) },
      };
      for (const text of shapes) {
        const quick = await evaluateExpression(text, states as unknown as StatesVariable, 'Output', 0).catch(
          () => 'fails',
        );
        const evaluator = await compile(text)
          .evaluate(undefined, { states })
          .then((r: unknown) => (r === undefined ? 'fails' : r));
        expect([text, v, quick]).toEqual([text, v, evaluator]);
      }
    }
  });
});
