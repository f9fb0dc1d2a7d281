/**
 * The engine evaluates paths, intrinsics, Choice rules, Parallel and Map like AWS, wraps
 * lambda:invoke results like AWS, reports Lambda errors like AWS and records an AWS-shaped
 * history.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LocalStepFunctions, VirtualClock } from '../../../infra/local/step-functions/index.js';
import { machine, recorder } from './support.js';

const START = '2026-03-02T09:00:00.000Z';
const engines: LocalStepFunctions[] = [];

afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
});

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

describe('LocalStepFunctions data flow', () => {
  it('evaluates intrinsics, $$ context, IsPresent false, falsy Results, Parallel, Map and ResultPath "$"', async () => {
    // Prepare
    const { engine } = setUp();
    const arn = await machine(engine, 'data-flow');

    // Act
    const { executionArn } = await engine.startExecution(arn, 'case-20', { caseId: 'case-20', number: 42 });
    await engine.settle();

    // Assess
    expect(await engine.describeExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED' });
    expect(engine.executionOutput(executionArn)).toEqual({
      reference: 'CMP-42',
      zero: 0,
      executionName: 'case-20',
      startedAt: START,
      originalInput: { caseId: 'case-20', number: 42 },
      fanOut: [
        [
          { doubled: 2, index: 0 },
          { doubled: 4, index: 1 },
          { doubled: 6, index: 2 },
        ],
        'CMP-42',
      ],
    });
    expect(engine.visitedStates(executionArn)).toEqual(
      expect.arrayContaining([
        'Shape input',
        'Zero result',
        'Has grounds?',
        'Fan out',
        'Double each',
        'Double',
      ]),
    );
  });

  it('wraps a lambda:invoke result as { Payload, StatusCode } for ResultSelector', async () => {
    // Prepare
    const { engine, calls } = setUp({ clock: () => ({ status: 'open' }), 'request-task': undefined });
    const arn = await machine(engine, 'wait-then-callback');

    // Act
    const { executionArn } = await engine.startExecution(arn, 'case-21', {
      caseId: 'case-21',
      remindAt: '2026-03-01T00:00:00Z',
      officerTimeoutSeconds: 5,
    });
    await engine.settle();

    // Assess
    expect(calls('clock')[0]?.event).toEqual({
      caseId: 'case-21',
      remindAt: '2026-03-01T00:00:00Z',
      officerTimeoutSeconds: 5,
    });
    const { events } = await engine.getExecutionHistory(executionArn);
    const invoked = events.find((e) => e.type === 'TaskSucceeded')?.taskSucceededEventDetails as {
      output: string;
    };
    expect(JSON.parse(invoked.output)).toMatchObject({
      Payload: { status: 'open' },
      StatusCode: 200,
      ExecutedVersion: '$LATEST',
    });
    const exited = events.find(
      (e) =>
        e.type === 'TaskStateExited' && (e.stateExitedEventDetails as { name: string }).name === 'Check case',
    )?.stateExitedEventDetails as { output: string };
    expect(JSON.parse(exited.output).check).toEqual({
      status: 'open',
      statusCode: 200,
    });
  });

  it('fails the execution with the Lambda error name and a JSON cause when nothing catches it', async () => {
    // Prepare
    const { engine } = setUp({
      'request-task': () => {
        throw Object.assign(new Error('no officer for this service'), { name: 'RouteNotFoundError' });
      },
    });
    const arn = await machine(engine, 'callback-loop');

    // Act
    const { executionArn } = await engine.startExecution(arn, 'case-22', { caseId: 'case-22' });
    await engine.settle();

    // Assess
    const description = await engine.describeExecution(executionArn);
    expect(description).toMatchObject({ status: 'FAILED', error: 'RouteNotFoundError' });
    expect(JSON.parse(description.cause ?? '{}')).toMatchObject({
      errorMessage: 'no officer for this service',
    });
    const { events } = await engine.getExecutionHistory(executionArn);
    expect(events.map((e) => e.type).slice(-2)).toEqual(['TaskFailed', 'ExecutionFailed']);
    expect(events.every((e, i) => e.id === i + 1)).toBe(true);
  });

  it('reports a missing Lambda function as Lambda.ResourceNotFoundException', async () => {
    // Prepare
    const { engine } = setUp();
    const arn = await machine(engine, 'callback-loop');

    // Act
    const { executionArn } = await engine.startExecution(arn, 'case-23', { caseId: 'case-23' });
    await engine.settle();

    // Assess
    expect(await engine.describeExecution(executionArn)).toMatchObject({
      status: 'FAILED',
      error: 'Lambda.ResourceNotFoundException',
    });
  });

  it('aborts a waiting execution and retires its token when stopped', async () => {
    // Prepare
    const { engine, calls } = setUp({ 'request-task': undefined });
    const arn = await machine(engine, 'callback-loop');
    const { executionArn } = await engine.startExecution(arn, 'case-24', { caseId: 'case-24' });
    await engine.settle();
    const token = calls('request-task')[0]?.event.taskToken as string;

    // Act
    await engine.stopExecution(executionArn, { cause: 'withdrawn' });
    await engine.settle();

    // Assess
    expect(await engine.describeExecution(executionArn)).toMatchObject({
      status: 'ABORTED',
      cause: 'withdrawn',
    });
    await expect(engine.sendTaskSuccess(token, {})).rejects.toMatchObject({ name: 'TaskTimedOut' });
    expect((await engine.listExecutions({ statusFilter: 'ABORTED' })).executions.map((e) => e.name)).toEqual([
      'case-24',
    ]);
  });

  it('times out the whole execution at the definition TimeoutSeconds', async () => {
    // Prepare
    const { clock, engine } = setUp({ 'request-task': undefined });
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

    // Act
    await clock.advanceBy(600_000);

    // Assess
    expect(await engine.describeExecution(executionArn)).toMatchObject({ status: 'TIMED_OUT' });
  });
});

describe('LocalStepFunctions.createStateMachine', () => {
  it('rejects a placeholder with no substitution', async () => {
    // Prepare
    const { engine } = setUp();

    // Act
    const creating = engine.createStateMachine(
      'x',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an ASL placeholder, not a JS template
      '{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"${Missing}","End":true}}}',
    );

    // Assess
    await expect(creating).rejects.toMatchObject({
      name: 'InvalidDefinition',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an ASL placeholder, not a JS template
      message: expect.stringContaining('${Missing}'),
    });
  });

  it('rejects an invalid definition', async () => {
    // Prepare
    const { engine } = setUp();

    // Act
    const creating = engine.createStateMachine('y', {
      StartAt: 'A',
      States: { A: { Type: 'Pass', Next: 'Nowhere' } },
    });

    // Assess
    await expect(creating).rejects.toMatchObject({ name: 'InvalidDefinition' });
  });

  it('rejects a definition asl-validator finds wrong, naming the problem', async () => {
    // Prepare
    const { engine } = setUp();

    // Act
    const creating = engine.createStateMachine('z', {
      StartAt: 'A',
      States: { A: { Type: 'Wait', End: true } },
    });

    // Assess
    await expect(creating).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message: expect.stringContaining('Invalid State Machine Definition'),
    });
  });

  it('rejects a malformed or unknown intrinsic function when the state machine is created', async () => {
    // Prepare
    const { engine } = setUp();
    const withParameters = (parameters: Record<string, unknown>) => ({
      StartAt: 'A',
      States: { A: { Type: 'Pass', Parameters: parameters, End: true } },
    });

    // Act
    const malformed = engine.createStateMachine('bad-syntax', withParameters({ 'x.$': "States.Format('a'" }));
    const unknown = engine.createStateMachine(
      'bad-name',
      withParameters({ deep: { 'x.$': 'States.Nope()' } }),
    );

    // Assess
    await expect(malformed).rejects.toMatchObject({ name: 'InvalidDefinition' });
    await expect(unknown).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message: expect.stringContaining('/Parameters/deep/x.$'),
    });
  });

  it('fails an execution with States.NoChoiceMatched, and lets a Catch take States.IntrinsicFailure', async () => {
    // Prepare
    const { engine } = setUp();
    const { stateMachineArn } = await engine.createStateMachine('errors', {
      StartAt: 'Parse',
      States: {
        Parse: {
          Type: 'Parallel',
          Parameters: { 'parsed.$': 'States.StringToJson($.text)' },
          Branches: [{ StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } }],
          Catch: [{ ErrorEquals: ['States.IntrinsicFailure'], ResultPath: '$.failure', Next: 'Route' }],
          Next: 'Route',
        },
        Route: {
          Type: 'Choice',
          Choices: [{ Variable: '$.route', StringEquals: 'known', Next: 'Done' }],
        },
        Done: { Type: 'Succeed' },
      },
    });

    // Act
    const { executionArn } = await engine.startExecution(stateMachineArn, 'errors-1', {
      text: '{nope',
      route: 'elsewhere',
    });
    await engine.settle();

    // Assess
    expect(await engine.describeExecution(executionArn)).toMatchObject({
      status: 'FAILED',
      error: 'States.NoChoiceMatched',
    });
    expect(engine.visitedStates(executionArn)).toEqual(['Parse', 'Route']);
    const { events } = await engine.getExecutionHistory(executionArn);
    const routed = events.find((e) => e.type === 'ChoiceStateEntered')?.stateEnteredEventDetails as {
      input: string;
    };
    expect(JSON.parse(routed.input).failure).toMatchObject({ Error: 'States.IntrinsicFailure' });
  });
});
