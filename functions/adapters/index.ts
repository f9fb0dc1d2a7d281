import { WORKFLOWS } from '../../workflows/catalog.js';
import type { Archive, CaseStore, Mailer, WorkflowEngine } from '../domain/ports.js';
import { ConfigurationError, optionalEnv, positiveIntegerEnv, requireEnv } from './config.js';
import { DynamoDbCaseStore } from './dynamodb-case-store.js';
import { S3Archive } from './s3-archive.js';
import { SesMailer } from './ses-mailer.js';
import { SfnWorkflowEngine } from './sfn-workflow.js';

/**
 * The default adapters, each built once per process from the environment. A handler calls the
 * ones it needs at module scope, so missing configuration fails the cold start, not a request:
 *
 * | variable | used by | meaning |
 * | --- | --- | --- |
 * | `CASE_TABLE` | `caseStore()` | DynamoDB table name (required) |
 * | `RETENTION_CLOSED_YEARS` | `caseStore()` | years a closed case is kept (default 2) |
 * | `RETENTION_OMBUDSMAN_YEARS` | `caseStore()` | years when the ombudsman was involved (default 6) |
 * | `ARCHIVE_BUCKET` | `archive()` | S3 bucket of closed case files (required) |
 * | `MAIL_FROM` | `mailer()` | sender address, a verified SES identity (required) |
 * | `MAIL_CONFIGURATION_SET` | `mailer()` | SES configuration set (optional) |
 * | `STATE_MACHINE_ARNS` | `workflowEngine()` | JSON object, workflow name → state machine ARN |
 * | `STATE_MACHINE_ARN_<WORKFLOW>` | `workflowEngine()` | one workflow's ARN, e.g. `STATE_MACHINE_ARN_SOCIAL_CARE`; wins over the map |
 *
 * Endpoints, region and credentials are the AWS SDK's own: `AWS_REGION`, and
 * `AWS_ENDPOINT_URL_DYNAMODB`, `_S3`, `_SESV2`, `_SFN` to use the local stand-ins.
 */

let caseStoreInstance: CaseStore | undefined;
let archiveInstance: Archive | undefined;
let mailerInstance: Mailer | undefined;
let workflowEngineInstance: WorkflowEngine | undefined;

/** The case store over `CASE_TABLE`. */
export function caseStore(env: NodeJS.ProcessEnv = process.env): CaseStore {
  caseStoreInstance ??= new DynamoDbCaseStore({
    tableName: requireEnv('CASE_TABLE', env),
    retentionYears: {
      closed: positiveIntegerEnv('RETENTION_CLOSED_YEARS', 2, env),
      ombudsman: positiveIntegerEnv('RETENTION_OMBUDSMAN_YEARS', 6, env),
    },
  });
  return caseStoreInstance;
}

/** The archive in `ARCHIVE_BUCKET`. */
export function archive(env: NodeJS.ProcessEnv = process.env): Archive {
  archiveInstance ??= new S3Archive({ bucket: requireEnv('ARCHIVE_BUCKET', env) });
  return archiveInstance;
}

/** The mailer sending from `MAIL_FROM`. */
export function mailer(env: NodeJS.ProcessEnv = process.env): Mailer {
  mailerInstance ??= new SesMailer({
    from: requireEnv('MAIL_FROM', env),
    configurationSet: optionalEnv('MAIL_CONFIGURATION_SET', env),
  });
  return mailerInstance;
}

/** The workflow engine over the configured state machines. */
export function workflowEngine(env: NodeJS.ProcessEnv = process.env): WorkflowEngine {
  workflowEngineInstance ??= new SfnWorkflowEngine({ stateMachineArns: stateMachineArnsFromEnv(env) });
  return workflowEngineInstance;
}

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

export { ConfigurationError, requireEnv } from './config.js';
export * from './errors.js';
