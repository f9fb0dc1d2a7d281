import { optionalEnv, requireEnv } from '../adapters/config.js';
import { DynamoDbCaseStore } from '../adapters/dynamodb-case-store.js';
import { DynamoDbReportCounters } from '../adapters/dynamodb-report-counters.js';
import { stateMachineArnsFromEnv } from '../adapters/index.js';
import { linkSecretsFromEnv } from '../adapters/link-secrets.js';
import { OidcIdentityProvider } from '../adapters/oidc-sign-in.js';
import { S3Archive } from '../adapters/s3-archive.js';
import { S3Downloads } from '../adapters/s3-downloads.js';
import { S3EvidenceStore } from '../adapters/s3-evidence.js';
import { S3RecordsControl } from '../adapters/s3-records-control.js';
import { SesMailer } from '../adapters/ses-mailer.js';
import { SfnWorkflowEngine } from '../adapters/sfn-workflow.js';
import { loadPolicy, parsePolicy } from '../domain/policy.js';
import { countingBasis } from '../reports/counted.js';
import { type AdapterBuilders, adapter } from './container.js';
import { correspondence } from './correspondence.js';

/**
 * The adapters beyond the core ones (`container.ts`), in sets an entry file wires with `wire()`:
 * each set brings its AWS client or library into the function's bundle, and a function that does
 * not wire a set neither bundles nor loads it (the package is marked free of side effects, so
 * esbuild leaves out every set nobody names). Which function wires which set follows the
 * permissions table in `infra/constructs/functions.ts`.
 */

/** The records archive, residents' evidence, legal holds and downloads: S3 (`ARCHIVE_BUCKET`). */
export const S3_ADAPTERS = {
  archive: () => new S3Archive({ bucket: requireEnv('ARCHIVE_BUCKET') }),
  evidence: () => new S3EvidenceStore({ bucket: requireEnv('ARCHIVE_BUCKET') }),
  control: () => new S3RecordsControl({ bucket: requireEnv('ARCHIVE_BUCKET') }),
  downloads: () => new S3Downloads({ bucket: requireEnv('ARCHIVE_BUCKET') }),
} satisfies Partial<AdapterBuilders>;

/** Email: SES (`MAIL_FROM`, `MAIL_CONFIGURATION_SET`) and the templates that render each message. */
export const MAIL_ADAPTERS = {
  mailer: () =>
    new SesMailer({ from: requireEnv('MAIL_FROM'), configurationSet: optionalEnv('MAIL_CONFIGURATION_SET') }),
  correspondence: () => correspondence,
} satisfies Partial<AdapterBuilders>;

/** The workflows: Step Functions (`STATE_MACHINE_ARNS`, `STATE_MACHINE_ARN_<WORKFLOW>`). */
export const WORKFLOW_ADAPTERS = {
  workflows: () => new SfnWorkflowEngine({ stateMachineArns: stateMachineArnsFromEnv() }),
} satisfies Partial<AdapterBuilders>;

/** The link-signing secrets: Secrets Manager (`LINK_SECRET_ARN`) or `LINK_SECRET` locally. */
export const LINK_SECRET_ADAPTERS = {
  linkSecrets: () => linkSecretsFromEnv(),
} satisfies Partial<AdapterBuilders>;

/** Staff sign-in: OpenID Connect (`STAFF_OIDC_ISSUER`, `STAFF_OIDC_CLIENT_ID`, `STAFF_OIDC_LOGOUT_URL`). */
export const IDENTITY_ADAPTERS = {
  identity: () => {
    const logoutUrl = optionalEnv('STAFF_OIDC_LOGOUT_URL');
    return new OidcIdentityProvider({
      issuer: requireEnv('STAFF_OIDC_ISSUER'),
      clientId: requireEnv('STAFF_OIDC_CLIENT_ID'),
      ...(logoutUrl ? { logoutUrl } : {}),
    });
  },
} satisfies Partial<AdapterBuilders>;

/**
 * The policy loader with the schema and every preset: for a `REDRESS_POLICY` that is a preset id,
 * a council's file or the policy JSON itself, i.e. anything but the file validated at deploy
 * (`npm start`, the tests, and the API, which validates input with zod anyway).
 */
export const POLICY_LOADER = {
  policyLoader: () => (setting: string) =>
    setting.startsWith('{') ? parsePolicy(JSON.parse(setting), 'REDRESS_POLICY') : loadPolicy(setting),
} satisfies Partial<AdapterBuilders>;

/**
 * The public report's counters, kept by the table's stream (`report-counting.ts`), in the case
 * table under the policy's counting basis. A store that is not the case table (the tests' memory
 * store) has none: the report then reads the cases, as it does until the counters are built.
 */
export const REPORT_COUNTER_ADAPTERS = {
  reportCounters: () =>
    adapter('store') instanceof DynamoDbCaseStore
      ? new DynamoDbReportCounters({
          tableName: requireEnv('CASE_TABLE'),
          basis: countingBasis(adapter('policy')),
        })
      : undefined,
} satisfies Partial<AdapterBuilders>;

/**
 * Every set: the API (which serves every page). A list rather than one merged object: esbuild
 * cannot drop an object spread (it may run getters), and would then keep every set everywhere.
 */
export const ALL_ADAPTERS = [
  S3_ADAPTERS,
  MAIL_ADAPTERS,
  WORKFLOW_ADAPTERS,
  LINK_SECRET_ADAPTERS,
  IDENTITY_ADAPTERS,
  POLICY_LOADER,
  REPORT_COUNTER_ADAPTERS,
] as const;
