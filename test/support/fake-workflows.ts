import type { WorkflowEngine } from '../../functions/domain/ports.js';

/** Records workflow starts for handler unit tests; can be told to fail. */
export class RecordingWorkflows implements WorkflowEngine {
  readonly started: { workflow: string; caseId: string; input: Record<string, unknown> }[] = [];
  readonly succeeded: { taskToken: string; output: Record<string, unknown> }[] = [];
  readonly failed: { taskToken: string; error: string; cause: string }[] = [];
  /** How many of the next start calls throw. */
  failStarts = 0;
  /** Set to make `ping` fail with it, as Step Functions not answering. */
  pingFailure?: Error;

  async ping(): Promise<void> {
    if (this.pingFailure) throw this.pingFailure;
  }

  async start(
    workflow: string,
    caseId: string,
    input: Record<string, unknown>,
  ): Promise<{ executionArn: string }> {
    if (this.failStarts > 0) {
      this.failStarts -= 1;
      const error = new Error('Rate exceeded');
      error.name = 'ThrottlingException';
      throw error;
    }
    this.started.push({ workflow, caseId, input });
    return { executionArn: `arn:aws:states:eu-west-2:000000000000:execution:${workflow}:${caseId}` };
  }

  async sendTaskSuccess(taskToken: string, output: Record<string, unknown>): Promise<void> {
    this.succeeded.push({ taskToken, output });
  }

  async sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void> {
    this.failed.push({ taskToken, error, cause });
  }
}
