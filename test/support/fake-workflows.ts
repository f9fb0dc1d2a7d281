import { TaskTokenInvalidError } from '../../functions/adapters/errors.js';
import type { ExecutionState, WorkflowEngine } from '../../functions/domain/ports.js';

/**
 * Records workflow starts for handler unit tests; can be told to fail. Keeps one execution per
 * case, as Step Functions does for executions named after the case id: a test may set one's
 * status (a failed or finished workflow) and see it redriven.
 */
export class RecordingWorkflows implements WorkflowEngine {
  readonly started: { workflow: string; caseId: string; input: Record<string, unknown> }[] = [];
  readonly succeeded: { taskToken: string; output: Record<string, unknown> }[] = [];
  readonly failed: { taskToken: string; error: string; cause: string }[] = [];
  readonly redriven: { workflow: string; caseId: string }[] = [];
  /** The executions, by case id. */
  readonly executions = new Map<string, ExecutionState>();
  /** The input each execution was started with, by case id. */
  private readonly inputs = new Map<string, string>();
  /** How many of the next start calls throw. */
  failStarts = 0;
  /** Set to refuse a task token sent again, as Step Functions does once a task is completed. */
  tokensTakenOnce = false;
  /** Set to make `ping` fail with it, as Step Functions not answering. */
  pingFailure?: Error;

  async ping(): Promise<void> {
    if (this.pingFailure) throw this.pingFailure;
  }

  async start(
    workflow: string,
    caseId: string,
    input: Record<string, unknown>,
  ): Promise<{ executionArn: string; created: boolean }> {
    if (this.failStarts > 0) {
      this.failStarts -= 1;
      const error = new Error('Rate exceeded');
      error.name = 'ThrottlingException';
      throw error;
    }
    this.started.push({ workflow, caseId, input });
    const executionArn = `arn:aws:states:eu-west-2:000000000000:execution:${workflow}:${caseId}`;
    const existing = this.executions.get(caseId);
    if (!existing) {
      this.executions.set(caseId, { executionArn, status: 'RUNNING', redriveCount: 0, redrivable: false });
      this.inputs.set(caseId, JSON.stringify(input));
      return { executionArn, created: true };
    }
    // As Step Functions: the same start again while it runs is answered as the first was.
    const repeated = existing.status === 'RUNNING' && this.inputs.get(caseId) === JSON.stringify(input);
    return { executionArn, created: repeated };
  }

  async describe(_workflow: string, caseId: string): Promise<ExecutionState | undefined> {
    const execution = this.executions.get(caseId);
    return execution ? { ...execution } : undefined;
  }

  async redrive(workflow: string, caseId: string): Promise<void> {
    const execution = this.executions.get(caseId);
    if (!execution?.redrivable) {
      throw Object.assign(new Error(`case ${caseId}: not redrivable`), { name: 'ExecutionNotRedrivable' });
    }
    this.redriven.push({ workflow, caseId });
    this.executions.set(caseId, {
      executionArn: execution.executionArn,
      status: 'RUNNING',
      redriveCount: execution.redriveCount + 1,
      redrivable: false,
    });
  }

  /** Sets a case's execution as it would be after stopping (or finishing). */
  stop(
    caseId: string,
    status: ExecutionState['status'],
    options: { error?: string; redriveCount?: number; redrivable?: boolean } = {},
  ): void {
    const execution = this.executions.get(caseId);
    if (!execution) throw new Error(`case ${caseId} has no execution`);
    this.executions.set(caseId, {
      executionArn: execution.executionArn,
      status,
      ...(options.error ? { error: options.error } : {}),
      redriveCount: options.redriveCount ?? execution.redriveCount,
      redrivable: options.redrivable ?? status !== 'SUCCEEDED',
    });
  }

  async sendTaskSuccess(taskToken: string, output: Record<string, unknown>): Promise<void> {
    if (this.tokensTakenOnce && this.succeeded.some((s) => s.taskToken === taskToken)) {
      throw new TaskTokenInvalidError('sendTaskSuccess: the task was already completed');
    }
    this.succeeded.push({ taskToken, output });
  }

  async sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void> {
    this.failed.push({ taskToken, error, cause });
  }
}
