/**
 * Shared set-up for the local Step Functions engine tests: fixture ASL files, the ARNs they
 * are substituted with, and Lambda handlers that record what they were called with and when.
 */
import { readFileSync } from 'node:fs';
import type { Clock, LambdaHandler, LocalStepFunctions } from '../../../infra/local/step-functions/index.js';

export const REGION = 'eu-west-2';
export const ACCOUNT = '123456789012';

export function lambdaArn(name: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
}

/** The substitutions the fixture ASL files use, named like `workflows/catalog.ts`. */
export const SUBSTITUTIONS: Record<string, string> = {
  RequestTaskFunctionArn: lambdaArn('request-task'),
  NotifyFunctionArn: lambdaArn('notify'),
  ClockFunctionArn: lambdaArn('clock'),
};

/** The text of `test/fixtures/asl/<name>.asl.json`. */
export function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/asl/${name}.asl.json`, import.meta.url), 'utf8');
}

export interface Call {
  event: Record<string, unknown>;
  at: string;
}

/** A handler that records each call (event and clock time) and answers with `answer`. */
export function recorder(
  clock: Clock,
  answer: (event: Record<string, unknown>, callNumber: number) => unknown = () => ({ ok: true }),
): { handler: LambdaHandler; calls: Call[] } {
  const calls: Call[] = [];
  const handler: LambdaHandler = async (event) => {
    const e = event as Record<string, unknown>;
    calls.push({ event: e, at: clock.now().toISOString() });
    return answer(e, calls.length);
  };
  return { handler, calls };
}

/** Creates the fixture's state machine and returns its ARN. */
export async function machine(engine: LocalStepFunctions, name: string): Promise<string> {
  const { stateMachineArn } = await engine.createStateMachine(name, fixture(name), SUBSTITUTIONS);
  return stateMachineArn;
}

/** Event types of an execution's history, in order. */
export async function eventTypes(engine: LocalStepFunctions, executionArn: string): Promise<string[]> {
  const { events } = await engine.getExecutionHistory(executionArn);
  return events.map((e) => e.type);
}
