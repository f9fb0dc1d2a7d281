import { readFileSync } from 'node:fs';
import type { Audience } from '../../functions/app/people.js';
import {
  archive,
  clock,
  escalate,
  notify,
  record,
  requestTask,
  route,
  type StepDeps,
} from '../../functions/app/steps.js';
import type { ClockName } from '../../functions/domain/case-clock.js';
import type { WorkflowEngine } from '../../functions/domain/ports.js';
import type { TaskName, Transition } from '../../functions/domain/workflow-names.js';
import type { EmailTemplate } from '../../functions/templates/render-email.js';
import { aslPath, STEP_FUNCTIONS, type StepFunctionKey, WORKFLOWS } from '../../workflows/catalog.js';
import { type Clock, type LambdaHandler, LocalStepFunctions } from './step-functions/index.js';

/**
 * The project's workflows on the local Step Functions engine: every `workflows/*.asl.json`
 * created with the same substitutions CDK makes, and every step function answered by the same
 * application code the Lambda entry files call. Used by the workflow tests and `npm start`.
 */

const REGION = 'eu-west-2';
const ACCOUNT = '000000000000';

/** The ARN a step function has on the local engine (what `${RouteFunctionArn}` becomes). */
export function localFunctionArn(key: StepFunctionKey): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${STEP_FUNCTIONS[key].name}`;
}

/** Definition substitutions, as CDK passes them (function ARNs). */
export function localSubstitutions(): Record<string, string> {
  return Object.fromEntries(
    (Object.keys(STEP_FUNCTIONS) as StepFunctionKey[]).map((key) => [key, localFunctionArn(key)]),
  );
}

type StepEvent = { caseId: string } & Record<string, unknown>;

/** Local handlers for the step functions, by function name. */
export function stepHandlers(deps: StepDeps): Record<string, LambdaHandler> {
  const on =
    (fn: (e: StepEvent) => Promise<unknown>): LambdaHandler =>
    (event) =>
      fn(event as StepEvent);
  return {
    [STEP_FUNCTIONS.RouteFunctionArn.name]: on((e) => route(deps, e.caseId)),
    [STEP_FUNCTIONS.NotifyFunctionArn.name]: on((e) =>
      notify(deps, e.caseId, e.template as EmailTemplate, e.to as Audience, e.error as string | undefined),
    ),
    [STEP_FUNCTIONS.RequestTaskFunctionArn.name]: on((e) =>
      requestTask(deps, e.caseId, e.task as TaskName, String(e.taskToken)),
    ),
    [STEP_FUNCTIONS.ClockFunctionArn.name]: on((e) => clock(deps, e.caseId, e.clock as ClockName)),
    [STEP_FUNCTIONS.EscalateFunctionArn.name]: on((e) => escalate(deps, e.caseId, e.clock as ClockName)),
    [STEP_FUNCTIONS.RecordFunctionArn.name]: on((e) => record(deps, e.caseId, e.transition as Transition)),
    [STEP_FUNCTIONS.ArchiveFunctionArn.name]: on((e) => archive(deps, e.caseId)),
  };
}

/** Creates the engine with every workflow loaded. */
export async function startLocalWorkflows(
  deps: StepDeps,
  options: { clock?: Clock; stateDir?: string; onError?: (error: unknown) => void } = {},
): Promise<LocalStepFunctions> {
  const engine = new LocalStepFunctions({
    handlers: stepHandlers(deps),
    region: REGION,
    accountId: ACCOUNT,
    ...options,
  });
  for (const name of WORKFLOWS) {
    await engine.createStateMachine(name, readFileSync(aslPath(name), 'utf8'), localSubstitutions());
  }
  return engine;
}

/** The `WorkflowEngine` port straight over the in-process engine (tests; `npm start` goes through the SDK). */
export function inProcessWorkflowEngine(engine: LocalStepFunctions): WorkflowEngine {
  return {
    async start(workflow, caseId, input) {
      const { executionArn } = await engine.startExecution(engine.stateMachineArn(workflow), caseId, input);
      return { executionArn };
    },
    async sendTaskSuccess(taskToken, output) {
      await engine.sendTaskSuccess(taskToken, output);
    },
    async sendTaskFailure(taskToken, error, cause) {
      await engine.sendTaskFailure(taskToken, error, cause);
    },
  };
}
