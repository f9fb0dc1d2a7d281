import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ExecutionNotRedrivable,
  InvalidToken,
  RedriveExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  SFNServiceException,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../functions/adapters/config.js';
import {
  TaskTokenInvalidError,
  ThrottledError,
  WorkflowError,
  WorkflowNotFoundError,
} from '../../../functions/adapters/errors.js';
import { executionArnFor, SfnWorkflowEngine } from '../../../functions/adapters/sfn-workflow.js';

const client = new SFNClient({ region: 'eu-west-2' });
const sfn = mockClient(client);
const complaintArn = 'arn:aws:states:eu-west-2:123456789012:stateMachine:redress-complaint';
const engine = new SfnWorkflowEngine({ stateMachineArns: { complaint: complaintArn }, client });
const metadata = { $metadata: {} };

afterEach(() => {
  sfn.reset();
});

describe('SfnWorkflowEngine.start', () => {
  it('starts an execution of the workflow’s state machine named after the case id', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${complaintArn}:case-1`, startDate: new Date() });

    // Act
    const result = await engine.start('complaint', 'case-1', { caseId: 'case-1' });

    // Assess
    expect(result).toEqual({ executionArn: `${complaintArn}:case-1`, created: true });
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: complaintArn,
      name: 'case-1',
      input: '{"caseId":"case-1"}',
    });
  });

  it('treats an execution that already exists as started, not by this call, and returns its ARN', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', ...metadata }));

    const result = await engine.start('complaint', 'case-2', { caseId: 'case-2' });

    expect(result).toEqual({
      executionArn: 'arn:aws:states:eu-west-2:123456789012:execution:redress-complaint:case-2',
      created: false,
    });
  });

  it('throws ConfigurationError for a workflow with no state machine configured', async () => {
    await expect(engine.start('compliment', 'case-3', {})).rejects.toBeInstanceOf(ConfigurationError);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('throws WorkflowNotFoundError when the state machine does not exist', async () => {
    sfn.on(StartExecutionCommand).rejects(new StateMachineDoesNotExist({ message: 'missing', ...metadata }));

    await expect(engine.start('complaint', 'case-4', {})).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('throws ThrottledError when Step Functions keeps throttling', async () => {
    sfn.on(StartExecutionCommand).rejects(
      new SFNServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        message: 'Rate exceeded',
        ...metadata,
      }),
    );

    const attempt = engine.start('complaint', 'case-5', {});

    await expect(attempt).rejects.toBeInstanceOf(ThrottledError);
    await expect(attempt).rejects.toMatchObject({ name: 'ThrottledError' });
  });
});

describe('SfnWorkflowEngine callbacks', () => {
  it('sends the task output as JSON', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});

    await engine.sendTaskSuccess('token-1', { decision: 'acknowledge' });

    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input).toEqual({
      taskToken: 'token-1',
      output: '{"decision":"acknowledge"}',
    });
  });

  it('sends a task failure with its error and cause', async () => {
    sfn.on(SendTaskFailureCommand).resolves({});

    await engine.sendTaskFailure('token-2', 'NotAComplaint', 'Service request');

    expect(sfn.commandCalls(SendTaskFailureCommand)[0]?.args[0].input).toEqual({
      taskToken: 'token-2',
      error: 'NotAComplaint',
      cause: 'Service request',
    });
  });

  it.each([
    ['TaskTimedOut', new TaskTimedOut({ message: 'timed out', ...metadata })],
    ['InvalidToken', new InvalidToken({ message: 'bad token', ...metadata })],
  ])('throws TaskTokenInvalidError when the callback answers %s', async (_name, error) => {
    sfn.on(SendTaskSuccessCommand).rejects(error);
    sfn.on(SendTaskFailureCommand).rejects(error);

    await expect(engine.sendTaskSuccess('old-token', {})).rejects.toBeInstanceOf(TaskTokenInvalidError);
    await expect(engine.sendTaskFailure('old-token', 'E', 'c')).rejects.toBeInstanceOf(TaskTokenInvalidError);
  });

  it('wraps any other failure in WorkflowError with the SDK error as cause', async () => {
    const failure = new SFNServiceException({
      name: 'InvalidOutput',
      $fault: 'client',
      message: 'too big',
      ...metadata,
    });
    sfn.on(SendTaskSuccessCommand).rejects(failure);

    const error = await engine.sendTaskSuccess('token-3', {}).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(WorkflowError);
    expect((error as Error).cause).toBe(failure);
  });
});

describe('SfnWorkflowEngine.describe', () => {
  const executionArn = 'arn:aws:states:eu-west-2:123456789012:execution:redress-complaint:case-1';

  it('describes the execution named after the case, with what the reconciler needs', async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn,
      stateMachineArn: complaintArn,
      status: 'FAILED',
      error: 'States.Runtime',
      startDate: new Date(),
      redriveCount: 1,
      redriveStatus: 'REDRIVABLE',
    });

    const state = await engine.describe('complaint', 'case-1');

    expect(sfn.commandCalls(DescribeExecutionCommand)[0]?.args[0].input).toEqual({ executionArn });
    expect(state).toEqual({
      executionArn,
      status: 'FAILED',
      error: 'States.Runtime',
      redriveCount: 1,
      redrivable: true,
    });
  });

  it('says why an execution cannot be redriven', async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn,
      stateMachineArn: complaintArn,
      status: 'ABORTED',
      startDate: new Date(),
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution redrivable period exceeded',
    });

    expect(await engine.describe('complaint', 'case-1')).toEqual({
      executionArn,
      status: 'ABORTED',
      redriveCount: 0,
      redrivable: false,
      redriveStatusReason: 'Execution redrivable period exceeded',
    });
  });

  it('answers undefined for a case whose execution was never started', async () => {
    sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'none', ...metadata }));

    expect(await engine.describe('complaint', 'case-9')).toBeUndefined();
  });

  it('throws ThrottledError when Step Functions throttles past the SDK’s retries', async () => {
    sfn.on(DescribeExecutionCommand).rejects(
      new SFNServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        message: 'slow',
        ...metadata,
      }),
    );

    await expect(engine.describe('complaint', 'case-1')).rejects.toBeInstanceOf(ThrottledError);
  });
});

describe('SfnWorkflowEngine.redrive', () => {
  it('redrives the execution of that name', async () => {
    sfn.on(RedriveExecutionCommand).resolves({ redriveDate: new Date() });

    await engine.redrive('complaint', 'case-1_2');

    expect(sfn.commandCalls(RedriveExecutionCommand)[0]?.args[0].input).toMatchObject({
      executionArn: 'arn:aws:states:eu-west-2:123456789012:execution:redress-complaint:case-1_2',
    });
  });

  it('throws WorkflowError naming the execution when it cannot be redriven', async () => {
    sfn.on(RedriveExecutionCommand).rejects(new ExecutionNotRedrivable({ message: 'running', ...metadata }));

    const error = await engine.redrive('complaint', 'case-1').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(WorkflowError);
    expect((error as Error).message).toContain('ExecutionNotRedrivable');
  });
});

describe('executionArnFor', () => {
  it('derives the execution ARN from the state machine ARN', () => {
    expect(executionArnFor('arn:aws:states:eu-west-2:1:stateMachine:m', 'c')).toBe(
      'arn:aws:states:eu-west-2:1:execution:m:c',
    );
  });
});
