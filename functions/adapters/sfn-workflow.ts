import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  RedriveExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { ExecutionState, ExecutionStatus, WorkflowEngine } from '../domain/ports.js';
import { traceClient } from '../observability.js';
import { ConfigurationError } from './config.js';
import { retryableErrorFor, TaskTokenInvalidError, WorkflowError, WorkflowNotFoundError } from './errors.js';

/** Attempts per call (the SDK's standard retry mode: exponential backoff with jitter, throttling included). */
export const SFN_MAX_ATTEMPTS = 5;

let sharedClient: SFNClient | undefined;

/** The process's Step Functions client, created on first use from the environment (`AWS_ENDPOINT_URL_SFN` locally). */
export function defaultSfnClient(): SFNClient {
  sharedClient ??= traceClient(new SFNClient({ maxAttempts: SFN_MAX_ATTEMPTS, retryMode: 'standard' }));
  return sharedClient;
}

export interface SfnWorkflowEngineOptions {
  /** State machine ARN per workflow name (`complaint`, `compliment`, …). */
  stateMachineArns: Readonly<Record<string, string>>;
  /** Defaults to the process's shared client. */
  client?: SFNClient;
}

/** Errors that mean the callback can no longer be answered. */
const STALE_TOKEN = new Set(['InvalidToken', 'TaskDoesNotExist', 'TaskTimedOut']);

/**
 * `WorkflowEngine` over Step Functions. One execution per case, named after the case id, so
 * starting twice (a retried intake) finds the first execution instead of running a second
 * workflow for the same complaint.
 */
export class SfnWorkflowEngine implements WorkflowEngine {
  private readonly stateMachineArns: Readonly<Record<string, string>>;
  private readonly client: SFNClient;

  constructor(options: SfnWorkflowEngineOptions) {
    this.stateMachineArns = options.stateMachineArns;
    this.client = options.client ?? defaultSfnClient();
  }

  async start(
    workflow: string,
    caseId: string,
    input: Record<string, unknown>,
  ): Promise<{ executionArn: string; created: boolean }> {
    const stateMachineArn = this.stateMachineArnOf(workflow);
    try {
      // Step Functions answers a repeat of this very call (same name, same input) while the
      // execution runs as it answered the first: the SDK's own retry after a lost answer.
      const result = await this.client.send(
        new StartExecutionCommand({ stateMachineArn, name: caseId, input: JSON.stringify(input) }),
      );
      return { executionArn: result.executionArn ?? executionArnFor(stateMachineArn, caseId), created: true };
    } catch (error: unknown) {
      const name = errorName(error);
      // Started by someone else (another input) or already finished: the case has its workflow.
      if (name === 'ExecutionAlreadyExists')
        return { executionArn: executionArnFor(stateMachineArn, caseId), created: false };
      if (name === 'StateMachineDoesNotExist' || name === 'StateMachineDeleting') {
        throw new WorkflowNotFoundError(`The ${workflow} state machine does not exist`, { cause: error });
      }
      throw workflowErrorFor(`start the ${workflow} workflow for case ${caseId}`, error);
    }
  }

  /** `DescribeStateMachine` of every configured state machine: each exists and Step Functions answers. */
  async ping(signal?: AbortSignal): Promise<void> {
    await Promise.all(
      Object.values(this.stateMachineArns).map(async (stateMachineArn) => {
        try {
          await this.client.send(new DescribeStateMachineCommand({ stateMachineArn }), {
            abortSignal: signal,
          });
        } catch (error: unknown) {
          if (errorName(error) === 'StateMachineDoesNotExist') {
            throw new WorkflowNotFoundError('ping: a configured state machine does not exist', {
              cause: error,
            });
          }
          throw workflowErrorFor('ping', error);
        }
      }),
    );
  }

  async describe(workflow: string, name: string): Promise<ExecutionState | undefined> {
    const executionArn = executionArnFor(this.stateMachineArnOf(workflow), name);
    try {
      const execution = await this.client.send(new DescribeExecutionCommand({ executionArn }));
      return {
        executionArn,
        status: (execution.status ?? 'RUNNING') as ExecutionStatus,
        ...(execution.error ? { error: execution.error } : {}),
        redriveCount: execution.redriveCount ?? 0,
        redrivable: execution.redriveStatus === 'REDRIVABLE',
        ...(execution.redriveStatusReason ? { redriveStatusReason: execution.redriveStatusReason } : {}),
      };
    } catch (error: unknown) {
      // Never started: the one answer the reconciler looks for.
      if (errorName(error) === 'ExecutionDoesNotExist') return undefined;
      throw workflowErrorFor(`describe the ${workflow} execution ${name}`, error);
    }
  }

  async redrive(workflow: string, name: string): Promise<void> {
    const executionArn = executionArnFor(this.stateMachineArnOf(workflow), name);
    try {
      // The SDK sends a fresh clientToken, so its own retries of this call redrive once.
      await this.client.send(new RedriveExecutionCommand({ executionArn }));
    } catch (error: unknown) {
      throw workflowErrorFor(`redrive the ${workflow} execution ${name}`, error);
    }
  }

  async sendTaskSuccess(taskToken: string, output: Record<string, unknown>): Promise<void> {
    try {
      await this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    } catch (error: unknown) {
      throw workflowErrorFor('send task success', error);
    }
  }

  async sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void> {
    try {
      await this.client.send(new SendTaskFailureCommand({ taskToken, error, cause }));
    } catch (sdkError: unknown) {
      throw workflowErrorFor('send task failure', sdkError);
    }
  }

  private stateMachineArnOf(workflow: string): string {
    const stateMachineArn = this.stateMachineArns[workflow];
    if (stateMachineArn === undefined) {
      throw new ConfigurationError(`No state machine is configured for the ${workflow} workflow`);
    }
    return stateMachineArn;
  }
}

/**
 * The ARN of the execution named `name` of a state machine: Step Functions derives it from the
 * state machine's ARN (`…:stateMachine:<machine>` → `…:execution:<machine>:<name>`).
 */
export function executionArnFor(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown error';
}

/**
 * The port's error for what Step Functions (or the local engine, whose errors carry the same
 * names) answered `action` with: a token no longer waiting, a retryable refusal, or a failure.
 */
export function workflowErrorFor(action: string, error: unknown): Error {
  const name = errorName(error);
  if (STALE_TOKEN.has(name)) {
    return new TaskTokenInvalidError(`${action}: the task is no longer waiting (${name})`, { cause: error });
  }
  return (
    retryableErrorFor(error, action) ?? new WorkflowError(`${action} failed (${name})`, { cause: error })
  );
}
