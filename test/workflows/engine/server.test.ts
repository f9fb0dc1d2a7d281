/**
 * The local endpoint speaks the Step Functions API to the real AWS SDK v3 client.
 */
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  RedriveExecutionCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LocalStepFunctions,
  type StepFunctionsServer,
  startStepFunctionsServer,
  VirtualClock,
} from '../../../infra/local/step-functions/index.js';
import { fixture, recorder, SUBSTITUTIONS } from './support.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let clock: VirtualClock;
let engine: LocalStepFunctions;
let server: StepFunctionsServer;
let client: SFNClient;
let stateMachineArn: string;
let requestTask: ReturnType<typeof recorder>;

beforeAll(async () => {
  clock = new VirtualClock('2026-03-02T09:00:00.000Z');
  requestTask = recorder(clock);
  engine = new LocalStepFunctions({ clock, handlers: { 'request-task': requestTask.handler } });
  ({ stateMachineArn } = await engine.createStateMachine('callback', fixture('callback'), SUBSTITUTIONS));
  server = await startStepFunctionsServer({ engine });
  client = new SFNClient({ endpoint: server.url, region: 'eu-west-2', credentials });
});

afterAll(async () => {
  client.destroy();
  await server.close();
  await engine.close();
});

async function startAndAwaitToken(name: string): Promise<{ executionArn: string; token: string }> {
  const before = requestTask.calls.length;
  const { executionArn } = await client.send(
    new StartExecutionCommand({
      stateMachineArn,
      name,
      input: JSON.stringify({ caseId: name, ackTimeoutSeconds: 3600 }),
    }),
  );
  await engine.settle();
  const token = requestTask.calls[before]?.event.taskToken as string;
  return { executionArn: executionArn as string, token };
}

describe('startStepFunctionsServer', () => {
  it('runs an execution to success through StartExecution, SendTaskSuccess and DescribeExecution', async () => {
    // Prepare
    const { executionArn, token } = await startAndAwaitToken('sdk-1');

    // Act
    await client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await client.send(
      new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ decision: 'ok' }) }),
    );
    await engine.settle();
    const description = await client.send(new DescribeExecutionCommand({ executionArn }));

    // Assess
    expect(description.status).toBe('SUCCEEDED');
    expect(description.startDate).toEqual(new Date('2026-03-02T09:00:00.000Z'));
    expect(JSON.parse(description.output ?? '{}')).toMatchObject({ decision: { decision: 'ok' } });
  });

  it('returns the history with state names, as the SDK parses it', async () => {
    // Prepare
    const { executionArn, token } = await startAndAwaitToken('sdk-2');
    await client.send(new SendTaskFailureCommand({ taskToken: token, error: 'Refused', cause: 'not ours' }));
    await engine.settle();

    // Act
    const { events } = await client.send(new GetExecutionHistoryCommand({ executionArn }));

    // Assess
    const entered = (events ?? [])
      .filter((e) => e.stateEnteredEventDetails)
      .map((e) => e.stateEnteredEventDetails?.name);
    expect(entered).toEqual(['Await acknowledgement', 'Task refused']);
    expect(events?.find((e) => e.type === 'TaskFailed')?.taskFailedEventDetails).toMatchObject({
      error: 'Refused',
      cause: 'not ours',
    });
    expect(events?.[0]?.timestamp).toBeInstanceOf(Date);
  });

  it('answers a duplicate name with ExecutionAlreadyExists as an AWS error', async () => {
    // Prepare
    await startAndAwaitToken('sdk-3');

    // Act
    const duplicate = await client
      .send(new StartExecutionCommand({ stateMachineArn, name: 'sdk-3', input: '{"caseId":"different"}' }))
      .catch((error: unknown) => error);

    // Assess
    expect(duplicate).toMatchObject({ name: 'ExecutionAlreadyExists', $metadata: { httpStatusCode: 400 } });
  });

  it('answers a used token with TaskTimedOut and an unknown execution with ExecutionDoesNotExist', async () => {
    // Prepare
    const { token } = await startAndAwaitToken('sdk-4');
    await client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    await engine.settle();

    // Act
    const reused = await client
      .send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))
      .catch((error: unknown) => error);
    const missing = await client
      .send(
        new DescribeExecutionCommand({
          executionArn: `${stateMachineArn.replace('stateMachine', 'execution')}:nope`,
        }),
      )
      .catch((error: unknown) => error);

    // Assess
    expect(reused).toMatchObject({ name: 'TaskTimedOut' });
    expect(missing).toMatchObject({ name: 'ExecutionDoesNotExist' });
  });

  it('stops and lists executions, and lists and creates state machines', async () => {
    // Prepare
    const { executionArn } = await startAndAwaitToken('sdk-5');

    // Act
    await client.send(new StopExecutionCommand({ executionArn, cause: 'withdrawn' }));
    const aborted = await client.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: 'ABORTED' }),
    );
    const created = await client.send(
      new CreateStateMachineCommand({
        name: 'pass-through',
        definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
        roleArn: 'arn:aws:iam::123456789012:role/x',
      }),
    );
    const machines = await client.send(new ListStateMachinesCommand({}));

    // Assess
    expect(aborted.executions?.map((e) => e.name)).toEqual(['sdk-5']);
    expect(created.stateMachineArn).toBe('arn:aws:states:eu-west-2:123456789012:stateMachine:pass-through');
    expect(machines.stateMachines?.map((m) => m.name).sort()).toEqual(['callback', 'pass-through']);
  });

  it('redrives a stopped execution through RedriveExecution and reports it like AWS', async () => {
    // Prepare
    const { executionArn, token: oldToken } = await startAndAwaitToken('sdk-7');
    await client.send(new StopExecutionCommand({ executionArn, cause: 'stopped by mistake' }));
    const stopped = await client.send(new DescribeExecutionCommand({ executionArn }));
    const callsBefore = requestTask.calls.length;

    // Act
    const { redriveDate } = await client.send(new RedriveExecutionCommand({ executionArn }));
    await engine.settle();
    const running = await client.send(new DescribeExecutionCommand({ executionArn }));
    const newToken = requestTask.calls[callsBefore]?.event.taskToken as string;
    await client.send(new SendTaskSuccessCommand({ taskToken: newToken, output: '{"decision":"ok"}' }));
    await engine.settle();
    const again = await client
      .send(new RedriveExecutionCommand({ executionArn }))
      .catch((error: unknown) => error);
    const redriven = await client.send(
      new ListExecutionsCommand({ stateMachineArn, redriveFilter: 'REDRIVEN' }),
    );
    const { events } = await client.send(new GetExecutionHistoryCommand({ executionArn }));

    // Assess
    expect(stopped).toMatchObject({ status: 'ABORTED', redriveCount: 0, redriveStatus: 'REDRIVABLE' });
    expect(redriveDate).toEqual(clock.now());
    expect(running).toMatchObject({ status: 'RUNNING', redriveCount: 1, redriveDate });
    expect(newToken).not.toBe(oldToken);
    expect(again).toMatchObject({ name: 'ExecutionNotRedrivable', $metadata: { httpStatusCode: 400 } });
    expect(redriven.executions?.map((e) => [e.name, e.redriveCount])).toEqual([['sdk-7', 1]]);
    expect(events?.find((e) => e.type === 'ExecutionRedriven')?.executionRedrivenEventDetails).toEqual({
      redriveCount: 1,
    });
    expect(await client.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({
      status: 'SUCCEEDED',
      redriveStatus: 'NOT_REDRIVABLE',
    });
  });

  it('is found through AWS_ENDPOINT_URL_SFN', async () => {
    // Prepare
    const previous = process.env.AWS_ENDPOINT_URL_SFN;
    process.env.AWS_ENDPOINT_URL_SFN = server.url;
    const envClient = new SFNClient({ region: 'eu-west-2', credentials });

    // Act
    try {
      const { executionArn } = await envClient.send(
        new StartExecutionCommand({
          stateMachineArn,
          name: 'sdk-6',
          input: '{"caseId":"sdk-6","ackTimeoutSeconds":5}',
        }),
      );
      await clock.advanceBy(5000);
      const description = await envClient.send(new DescribeExecutionCommand({ executionArn }));

      // Assess
      expect(JSON.parse(description.output ?? '{}')).toMatchObject({ outcome: 'overdue' });
    } finally {
      envClient.destroy();
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_SFN;
      else process.env.AWS_ENDPOINT_URL_SFN = previous;
    }
  });
});
