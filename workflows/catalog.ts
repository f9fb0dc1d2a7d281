/**
 * The workflows and the Lambda functions their ASL files call. One list read by the CDK
 * stack (definition substitutions) and by the local engine (which handler answers which
 * ARN), so the two always agree. Paths are built from this file's own location.
 */
import { fileURLToPath } from 'node:url';

/** Step functions called from the ASL files, keyed by the substitution variable they fill. */
export const STEP_FUNCTIONS = {
  RouteFunctionArn: { name: 'route', entry: 'functions/handlers/route.ts' },
  NotifyFunctionArn: { name: 'notify', entry: 'functions/handlers/notify.ts' },
  RequestTaskFunctionArn: { name: 'request-task', entry: 'functions/handlers/request-task.ts' },
  ClockFunctionArn: { name: 'clock', entry: 'functions/handlers/clock.ts' },
  EscalateFunctionArn: { name: 'escalate', entry: 'functions/handlers/escalate.ts' },
  RecordFunctionArn: { name: 'record', entry: 'functions/handlers/record.ts' },
  ArchiveFunctionArn: { name: 'archive', entry: 'functions/handlers/archive.ts' },
} as const;

export type StepFunctionKey = keyof typeof STEP_FUNCTIONS;

import { WORKFLOW_NAMES, type WorkflowName } from '../functions/domain/workflow-names.js';

/** The workflows, by name; each is `workflows/<name>.asl.json`. */
export const WORKFLOWS = WORKFLOW_NAMES;
export type { WorkflowName };

/** Absolute path of a workflow's ASL file. */
export function aslPath(name: WorkflowName): string {
  return fileURLToPath(new URL(`./${name}.asl.json`, import.meta.url));
}
