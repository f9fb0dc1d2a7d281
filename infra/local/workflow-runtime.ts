import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store';
import { workflowErrorFor } from '../../functions/adapters/sfn-workflow.js';
import type { WorkflowEngine } from '../../functions/domain/ports.js';
import { logger, metrics } from '../../functions/observability.js';
import { aslPath, STEP_FUNCTIONS, type StepFunctionKey, WORKFLOWS } from '../../workflows/catalog.js';
import {
  type Clock,
  type LambdaContextLike,
  type LambdaHandler,
  LocalStepFunctions,
  SfnApiError,
  type StepFunctionsApi,
} from './step-functions/index.js';
import { LocalStepFunctionsThread, type LocalStepFunctionsThreadOptions } from './step-functions/thread.js';

/**
 * The project's workflows on the local Step Functions engine: every `workflows/*.asl.json`
 * created with the same substitutions CDK makes, and every step function answered by the
 * `handler` its deployed entry file exports (`workflows/catalog.ts`), middy chain and all. The
 * handlers take their adapters from `functions/app/container.ts`: provide any that should not
 * come from the environment (`provideAdapters`) before the first step runs. Used by the
 * workflow tests and `npm start`.
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

/** An entry file exports no `handler` function: the catalog and the entry files disagree. */
export class MissingHandlerError extends Error {
  override name = 'MissingHandlerError';
}

/** Invocations Powertools is told may overlap; any number does, it only switches the invoke store on. */
const LOCAL_MAX_CONCURRENCY = '64';

/**
 * The invoke store, made once when this module loads. Awaiting it inside each call instead
 * would resume the call in whichever invocation's context last ran, not in its own.
 */
const invokeStore = await InvokeStore.getInstanceAsync(true);

/**
 * Whether Powertools writes anything from this process: log lines (a level other than `SILENT`,
 * or debug lines for a sampled share of invocations) or metrics. Only then can one invocation's
 * logger or metrics state show in another's output. Metrics are asked through
 * `Metrics.isDisabled`, which applies Powertools' own rule of `POWERTOOLS_METRICS_DISABLED` and
 * `POWERTOOLS_DEV`: public at run time, though its types mark it protected.
 */
export function powertoolsWrites(env: NodeJS.ProcessEnv = process.env): boolean {
  return (
    logger.getLevelName() !== 'SILENT' ||
    Number(env.POWERTOOLS_LOGGER_SAMPLE_RATE ?? 0) > 0 ||
    !(metrics as unknown as { isDisabled(): boolean }).isDisabled()
  );
}

/**
 * Whether invocations run in their own invoke store (`asLambdaInvocation`): decided at the first
 * one and kept, for once `AWS_LAMBDA_MAX_CONCURRENCY` is set Powertools refuses to record state
 * outside a store, so an invocation still running without one would fail.
 */
let isolating: boolean | undefined;

/** `keepInvocationsApart` called after invocations had already run without an invoke store. */
export class InvocationsStartedError extends Error {
  override name = 'InvocationsStartedError';
}

/**
 * Runs every invocation in its own invoke store, whatever Powertools writes: for code that reads
 * the store itself, as the partitions benchmark tells which invocation made each DynamoDB request
 * by its request id. Call it before the first invocation: one that started without a store would
 * fail once Powertools looked for one.
 */
export function keepInvocationsApart(): void {
  if (isolating === false) {
    throw new InvocationsStartedError(
      'keepInvocationsApart must be called before the first invocation: invocations have run without an invoke store',
    );
  }
  isolating = true;
}

/**
 * Runs each call of `handler` as Lambda runs an invocation in an environment that serves
 * several at once (Lambda Managed Instances): inside its own invoke store, which Powertools
 * uses instead of process-wide state when `AWS_LAMBDA_MAX_CONCURRENCY` is set. Locally every
 * function shares one process and invocations overlap (a workflow's parallel branches, the API
 * while a step runs): without this, one invocation's case id, request id or metrics would end
 * up in another's log lines.
 *
 * When Powertools writes nothing (`powertoolsWrites`: logs `SILENT` and metrics off, as the
 * workflow tests and the benchmarks run), there are no lines to keep apart, and the store is not
 * used: it is an `AsyncLocalStorage`, for which Node 20 runs a hook on every promise of the
 * thread, and measured in the engine benchmark that cost the handlers' thread 11–23% of its CPU
 * time, far more than the hooks' own share of a profile (`test/bench/RESULTS.md`). Code that reads
 * the store itself asks for it all the same (`keepInvocationsApart`).
 */
export function asLambdaInvocation<E, C extends { awsRequestId?: string }, R>(
  handler: (event: E, context: C) => Promise<R>,
): (event: E, context: C) => Promise<R> {
  return (event, context) => {
    isolating ??= 'AWS_LAMBDA_MAX_CONCURRENCY' in process.env || powertoolsWrites();
    if (!isolating) return handler(event, context);
    // Set on first use, not on load: Powertools looks for the store from then on, and only
    // code that runs inside an invocation may touch it.
    process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= LOCAL_MAX_CONCURRENCY;
    const requestId = context.awsRequestId ?? randomUUID();
    return invokeStore.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: requestId }, () =>
      handler(event, context),
    );
  };
}

/** The deployed handler of every step function, imported from its entry file, by function name. */
export async function stepHandlers(): Promise<Record<string, LambdaHandler>> {
  const handlers = await Promise.all(
    Object.values(STEP_FUNCTIONS).map(async ({ name, entry }) => {
      const module = (await import(new URL(`../../${entry}`, import.meta.url).href)) as { handler?: unknown };
      if (typeof module.handler !== 'function') {
        throw new MissingHandlerError(`${entry} does not export a handler function`);
      }
      return [
        name,
        asLambdaInvocation(
          module.handler as (event: unknown, context: LambdaContextLike) => Promise<unknown>,
        ),
      ] as const;
    }),
  );
  return Object.fromEntries(handlers);
}

/** Creates the engine with every workflow loaded. */
export async function startLocalWorkflows(
  options: { clock?: Clock; stateDir?: string; onError?: (error: unknown) => void } = {},
): Promise<LocalStepFunctions> {
  const engine = new LocalStepFunctions({
    handlers: await stepHandlers(),
    region: REGION,
    accountId: ACCOUNT,
    ...options,
  });
  await createWorkflows(engine);
  return engine;
}

/**
 * As `startLocalWorkflows`, with the engine in a worker thread of its own, on a virtual clock
 * (`{ start }`, driven through the result's `clock`) or reading as the given `LocalClock`: the
 * step handlers run here, on this thread's adapters, called by the engine across the thread
 * (`step-functions/thread.ts`). Two cores instead of one.
 */
export async function startLocalWorkflowsInThread(options: {
  clock: LocalStepFunctionsThreadOptions['clock'];
  stateDir?: string;
  lambdaConcurrency?: number;
  onError?: (error: unknown) => void;
}): Promise<LocalStepFunctionsThread> {
  const engine = await LocalStepFunctionsThread.start({
    handlers: await stepHandlers(),
    region: REGION,
    accountId: ACCOUNT,
    ...options,
  });
  await createWorkflows(engine);
  return engine;
}

async function createWorkflows(engine: Pick<LocalStepFunctions, 'createStateMachine'>): Promise<void> {
  for (const name of WORKFLOWS) {
    await engine.createStateMachine(name, readFileSync(aslPath(name), 'utf8'), localSubstitutions());
  }
}

/** The `WorkflowEngine` port straight over the in-process engine (tests; `npm start` goes through the SDK). */
export function inProcessWorkflowEngine(engine: StepFunctionsApi): WorkflowEngine {
  return {
    async ping() {
      await engine.listStateMachines();
    },
    async start(workflow, caseId, input) {
      const stateMachineArn = engine.stateMachineArn(workflow);
      try {
        const { executionArn } = await engine.startExecution(stateMachineArn, caseId, input);
        return { executionArn, created: true };
      } catch (error: unknown) {
        // As the SDK adapter: the case already has its execution, which is what was asked for.
        if (error instanceof SfnApiError && error.code === 'ExecutionAlreadyExists') {
          return { executionArn: executionArnOf(stateMachineArn, caseId), created: false };
        }
        throw error;
      }
    },
    async describe(workflow, name) {
      try {
        const execution = await engine.describeExecution(
          executionArnOf(engine.stateMachineArn(workflow), name),
        );
        return {
          executionArn: execution.executionArn,
          status: execution.status,
          ...(execution.error ? { error: execution.error } : {}),
          redriveCount: execution.redriveCount ?? 0,
          redrivable: execution.redriveStatus === 'REDRIVABLE',
          ...(execution.redriveStatusReason ? { redriveStatusReason: execution.redriveStatusReason } : {}),
        };
      } catch (error: unknown) {
        if (error instanceof SfnApiError && error.code === 'ExecutionDoesNotExist') return undefined;
        throw error;
      }
    },
    async redrive(workflow, name) {
      await engine.redriveExecution(executionArnOf(engine.stateMachineArn(workflow), name));
    },
    // Errors as the SDK adapter gives them (a token no longer waiting is `TaskTokenInvalidError`),
    // so what the steps and the links do with them is what they do on AWS.
    async sendTaskSuccess(taskToken, output) {
      await engine.sendTaskSuccess(taskToken, output).catch((error: unknown) => {
        throw workflowErrorFor('send task success', error);
      });
    },
    async sendTaskFailure(taskToken, error, cause) {
      await engine.sendTaskFailure(taskToken, error, cause).catch((failure: unknown) => {
        throw workflowErrorFor('send task failure', failure);
      });
    },
  };
}

/** The execution named after a case, as Step Functions derives its ARN from the state machine's. */
function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}
