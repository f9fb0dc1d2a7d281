import { WORKFLOWS } from '../../workflows/catalog.js';
import { ConfigurationError, optionalEnv } from './config.js';

/**
 * How the Step Functions adapter finds its state machines, and the adapters' errors. Which
 * adapters a function uses, built from which environment variables, is decided in one place:
 * the composition root, `functions/app/container.ts`, which also lists every variable.
 */

export { ConfigurationError, requireEnv } from './config.js';
export * from './errors.js';

/** Environment variable holding one workflow's state machine ARN: `STATE_MACHINE_ARN_SOCIAL_CARE`. */
export function stateMachineArnVariable(workflow: string): string {
  return `STATE_MACHINE_ARN_${workflow.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** Workflow name → state machine ARN, from `STATE_MACHINE_ARNS` and the per-workflow variables. */
export function stateMachineArnsFromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const arns: Record<string, string> = {};
  const json = optionalEnv('STATE_MACHINE_ARNS', env);
  if (json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (error: unknown) {
      throw new ConfigurationError('STATE_MACHINE_ARNS is not valid JSON', { cause: error });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigurationError('STATE_MACHINE_ARNS must be a JSON object of workflow name to ARN');
    }
    for (const [workflow, arn] of Object.entries(parsed)) {
      if (typeof arn !== 'string' || arn === '') {
        throw new ConfigurationError(`STATE_MACHINE_ARNS.${workflow} must be a non-empty string`);
      }
      arns[workflow] = arn;
    }
  }
  for (const workflow of WORKFLOWS) {
    const arn = optionalEnv(stateMachineArnVariable(workflow), env);
    if (arn !== undefined) arns[workflow] = arn;
  }
  if (Object.keys(arns).length === 0) {
    throw new ConfigurationError(
      `No state machine configured: set STATE_MACHINE_ARNS or ${stateMachineArnVariable('complaint')} (and the like)`,
    );
  }
  return arns;
}
