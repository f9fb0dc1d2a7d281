import { TaskTokenInvalidError } from '../adapters/errors.js';
import type { CaseRecord, PendingDecision } from '../domain/case.js';
import { DecisionNotYetDeliveredError } from '../domain/errors.js';
import { type CaseStore, ConcurrentUpdateError, type WorkflowEngine } from '../domain/ports.js';
import { decisionErrorName } from '../domain/workflow-names.js';
import { logger } from '../observability.js';
import { changeCase } from './case-writes.js';

/**
 * An officer's decision and the workflow converge. The decision is written on the case first,
 * as `pendingDecision` in the same conditional write as its effects; then the workflow is told
 * with the task token stored on the case; once it has been, the pending decision is settled with
 * a `decision-delivered` event. The officer is told "recorded" only when the workflow has it.
 *
 * If Step Functions is not answering, the decision stays pending and the officer is asked to use
 * the link again; whichever comes first finishes the job: the officer's retry, or the workflow
 * itself entering the same task again, whose step hands the pending decision straight back
 * (`steps.ts`, `requestTask`).
 *
 * A token Step Functions refuses (`TaskTokenInvalidError`) is a wait that is over: the decision was
 * handed over already (by a request that died before settling it, or a double click), or the wait
 * timed out and the workflow enters it again, whose step hands the pending decision over. Either
 * way the decision is taken, or will be without anyone's help, and the officer is told it is
 * recorded: "use the link again" would send them back to a link that can do nothing more. Who
 * settles it then is the workflow: its next step that knows the last decision it took
 * (`lastTaskId`) settles a pending decision of that task before anything else (`settleTaken`).
 */

export interface DeliveryDeps {
  store: CaseStore;
  workflows: WorkflowEngine;
  now: () => Date;
}

/**
 * Tells the workflow the pending decision through `taskToken` and settles it on the case. Throws
 * `DecisionNotYetDeliveredError` when the workflow could not be told now (the decision stays
 * pending and is delivered later).
 */
export async function deliverDecision(
  deps: DeliveryDeps,
  c: CaseRecord,
  pending: PendingDecision,
  taskToken: string,
  by: string,
): Promise<void> {
  try {
    await handDecisionTo(deps.workflows, taskToken, pending);
  } catch (error: unknown) {
    if (error instanceof TaskTokenInvalidError) {
      // The wait is over: the decision stands on the case for the workflow (see above).
      logger.info('decision kept for the workflow: its wait is over', {
        task: pending.task,
        taskId: pending.taskId,
      });
      return;
    }
    if (isRetryable(error)) throw new DecisionNotYetDeliveredError(c.reference, { cause: error });
    throw error;
  }
  // Read afresh: the workflow, told just now, is likely to have written to the case since `c`
  // (a write lost to it would cost a failed transaction, dearer than the read).
  try {
    await settleDecision(deps, c.caseId, pending, by);
  } catch (error: unknown) {
    // The workflow has the decision: it stands. Settling lost to others' writes every time, so
    // the pending decision stays on the case, where the workflow's next entry of a wait knows it
    // for taken (`lastTaskId`) and settles it (`requestTask`). Telling the officer it failed
    // would have them decide again.
    if (!(error instanceof ConcurrentUpdateError)) throw error;
    logger.warn('decision delivered; settling it on the case is left to the workflow', {
      task: pending.task,
      taskId: pending.taskId,
    });
  }
}

/**
 * Hands a decision to the wait of `taskToken`: as the task's success when it is the decision the
 * wait expects (or the wait expects none: a definition that branches after the wait), otherwise
 * as a task failure named for it, with the same output as its cause, which the workflow catches
 * straight to the decision's state.
 */
export async function handDecisionTo(
  workflows: WorkflowEngine,
  taskToken: string,
  pending: Pick<PendingDecision, 'decision' | 'taskId' | 'expected'>,
): Promise<void> {
  const output = decisionOutput(pending);
  if (pending.expected === undefined || pending.decision === pending.expected) {
    await workflows.sendTaskSuccess(taskToken, output);
  } else {
    await workflows.sendTaskFailure(taskToken, decisionErrorName(pending.decision), JSON.stringify(output));
  }
}

/**
 * The workflow has the decision: the pending decision goes, and the history says so. Given the
 * case as the caller last read or wrote it, the first attempt starts from it rather than reading
 * it again; the write is conditional on its version, and a lost race reads afresh.
 */
export async function settleDecision(
  deps: DeliveryDeps,
  from: string | CaseRecord,
  pending: PendingDecision,
  by: string,
): Promise<void> {
  await changeCase(
    deps.store,
    typeof from === 'string' ? from : from.caseId,
    (c) =>
      c.pendingDecision?.taskId !== pending.taskId
        ? undefined
        : {
            remove: ['pendingDecision'],
            event: {
              at: deps.now().toISOString(),
              type: 'decision-delivered',
              actor: by,
              detail: {
                task: pending.task,
                taskId: pending.taskId,
                decision: pending.decision,
                message: pending.message,
              },
            },
          },
    typeof from === 'string' ? {} : { first: from },
  );
}

/** Whether the error says the service was not reachable or refused for now (worth another try). */
function isRetryable(error: unknown): boolean {
  return (
    error instanceof Error && (error.name === 'ThrottledError' || error.name === 'ServiceUnavailableError')
  );
}

/**
 * What the workflow receives for a decision: the decision its Choice branches on, and the task it
 * answers, which the workflow hands back to later steps (`lastTaskId`) so they can tell a decision
 * it has taken from one it has not.
 */
export function decisionOutput(
  pending: Pick<PendingDecision, 'decision' | 'taskId'>,
): Record<string, unknown> {
  return { decision: pending.decision, taskId: pending.taskId };
}

/**
 * The decision taken on this task that the workflow has not taken yet, if any. `lastTaskId` is
 * the task the workflow last took a decision on: a pending decision for that task was taken (its
 * settling on the case was lost) and must never be handed over again.
 */
export function pendingFor(c: CaseRecord, task: string, lastTaskId: string): PendingDecision | undefined {
  const pending = c.pendingDecision;
  return pending?.task === task && pending.taskId !== lastTaskId ? pending : undefined;
}

/**
 * Settles the pending decision on the case when the workflow has taken it (`lastTaskId` is its
 * task). The state after a wait calls it first, so a decision whose request died between handing
 * it over and settling it is recorded as taken at once, not after that state's letter (which may
 * wait for SES's word) and the next wait's step.
 */
export async function settleTaken(deps: DeliveryDeps, caseId: string, lastTaskId: string): Promise<void> {
  if (lastTaskId === 'none') return;
  const c = await deps.store.get(caseId);
  const pending = c?.pendingDecision;
  if (c === undefined || pending === undefined || pending.taskId !== lastTaskId) return;
  await settleDecision(deps, c, pending, 'workflow');
}

/** A decision pending on the case that the workflow has not taken (whatever its task). */
export function untakenDecision(c: CaseRecord, lastTaskId: string): PendingDecision | undefined {
  const pending = c.pendingDecision;
  return pending && pending.taskId !== lastTaskId ? pending : undefined;
}
