import type { CaseRecord } from '../domain/case.js';
import type { Policy } from '../domain/policy-schema.js';
import type { CaseStore, WorkflowEngine } from '../domain/ports.js';
import { changeCase } from './case-writes.js';

/**
 * The names of a case's executions, and the start of the fresh execution a reopened case runs
 * in: small, so the reconciler, which finishes a reopening whose start did not go, loads no more
 * than it needs.
 */

/**
 * Where a reopened complaint's fresh execution resumes: the state that tells the resident it is
 * reopened (or, if they were told it was not a complaint, that it now is one) and by when they
 * will have the response, then reads the response clock, the full response time from today. The
 * letter is an effect of that state in this execution, so it goes once, retried as any step is,
 * and a reopening the reconciler starts sends it too.
 */
export const REOPEN_RESUMES_AT = 'Tell the resident the complaint is reopened';

/**
 * The name of the case's current execution: the case id, or the fresh execution a long case
 * continued in (`<case id>_2`, `_3`…), which the case records as its `workflow.executionArn`.
 */
export function currentExecutionName(c: Pick<CaseRecord, 'caseId' | 'workflow'>): string {
  const arn = c.workflow?.executionArn;
  return arn ? arn.slice(arn.lastIndexOf(':') + 1) : c.caseId;
}

/** The next execution name: `<id>_2` after `<id>`, `<id>_3` after `<id>_2`. */
export function nextExecutionName(current: string): string {
  const numbered = /^(.+)_(\d+)$/.exec(current);
  return numbered ? `${numbered[1]}_${Number(numbered[2]) + 1}` : `${current}_2`;
}

/** What the workflow branches on besides the route itself, from the policy as it is today. */
export function routeFlags(policy: Policy) {
  const stage2 = policy.complaint.stage2;
  return {
    groundsRequired: stage2?.groundsRequired ?? false,
    // A reviewer decides on a request before stage 2 starts (grounds, or South Norfolk's review).
    reviewFirst: (stage2?.groundsRequired ?? false) || (stage2?.reviewBeforeAccepting ?? false),
    passToStaff: policy.compliment.passToStaff,
  };
}

/**
 * Starts the fresh execution a reopening wrote on the case (`workflow.reopening`) and records it
 * as the case's current one, in the write that clears `reopening`. Starting it again is harmless
 * (an execution that exists is the one asked for), so the reopening's own attempt and the
 * reconciler's may both run.
 */
export async function startReopenedWorkflow(
  deps: {
    store: Pick<CaseStore, 'get' | 'update'>;
    workflows: Pick<WorkflowEngine, 'start'>;
    policy: Policy;
    now: () => Date;
  },
  c: CaseRecord,
  actor: string,
): Promise<CaseRecord> {
  const name = c.workflow?.reopening;
  if (!name) return c;
  const { executionArn } = await deps.workflows.start('complaint', name, {
    caseId: c.caseId,
    resumeAt: REOPEN_RESUMES_AT,
    route: {
      route: 'handle',
      stage2Available: deps.policy.complaint.stages === 2,
      ...routeFlags(deps.policy),
    },
  });
  const now = deps.now().toISOString();
  const recorded = await changeCase(deps.store, c.caseId, (current) => {
    if (current.workflow?.reopening !== name) return undefined;
    const { reopening: _started, ...workflow } = current.workflow;
    return {
      set: { workflow: { ...workflow, executionArn, startedAt: now } },
      event: {
        at: now,
        type: 'workflow-continued',
        actor,
        detail: { from: currentExecutionName(current), to: name, at: REOPEN_RESUMES_AT },
      },
    };
  });
  return recorded ?? c;
}
