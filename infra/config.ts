import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadPolicy } from '../functions/domain/policy.js';
import type { Policy } from '../functions/domain/policy-schema.js';
import { precompileViews, REPORT_ENVIRONMENT_OPTIONS } from '../functions/web/precompiled-views.js';

/**
 * Deployment settings, read from CDK context (`cdk deploy -c redress:mailFrom=…`) and validated
 * at synth, so a typo fails `cdk synth` with the setting's name instead of a half-made stack.
 */

/** The repository root, from this file's own location (never the working directory). */
export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Context keys, one per setting. */
export const CONTEXT_KEYS = {
  policy: 'redress:policy',
  policyFile: 'redress:policyFile',
  mailFrom: 'redress:mailFrom',
  mailDomain: 'redress:mailDomain',
  alarmEmail: 'redress:alarmEmail',
  complaintsTeam: 'redress:complaintsTeam',
  wafEnabled: 'redress:wafEnabled',
  domainName: 'redress:domainName',
  certificateArn: 'redress:certificateArn',
  throttleRate: 'redress:throttleRate',
  throttleBurst: 'redress:throttleBurst',
  wafRateLimit: 'redress:wafRateLimit',
  wafIntakeRateLimit: 'redress:wafIntakeRateLimit',
  logRetentionDays: 'redress:logRetentionDays',
  stackName: 'redress:stackName',
  signInDomainPrefix: 'redress:signInDomainPrefix',
  oidcIssuer: 'redress:oidcIssuer',
  oidcClientId: 'redress:oidcClientId',
  oidcClientSecretArn: 'redress:oidcClientSecretArn',
  samlMetadataUrl: 'redress:samlMetadataUrl',
  federationName: 'redress:federationName',
  staffMfa: 'redress:staffMfa',
  separateKeys: 'redress:separateKeys',
  functionTracing: 'redress:functionTracing',
  forgetSuppressedAddresses: 'redress:forgetSuppressedAddresses',
} as const;

export type SettingName = keyof typeof CONTEXT_KEYS;

/**
 * Placeholder sender used when none is configured, so a fresh clone synthesises; synth warns,
 * and infra/DEPLOY.md says to set a real one (SES could never verify this address).
 */
export const PLACEHOLDER_MAIL_FROM = 'complaints@example.gov.uk';

/**
 * The Lambda handlers beside the step functions in `workflows/catalog.ts`: the HTTP API, SES
 * events, the monthly report, the workflow starter (the case table's stream), the
 * reconciler, the hold review reminder, the evidence scan results, and the case changes (the table's stream again: the public
 * report's counters, and the archive's expiry when the table's TTL deletes a case). Paths relative
 * to the repository root.
 */
export const SERVICE_FUNCTIONS = {
  api: { name: 'api', entry: 'functions/handlers/api.ts' },
  sesEvents: { name: 'ses-events', entry: 'functions/handlers/ses-events.ts' },
  monthlyReport: { name: 'monthly-report', entry: 'functions/handlers/monthly-report.ts' },
  startWorkflows: { name: 'start-workflows', entry: 'functions/handlers/start-workflows.ts' },
  reconcile: { name: 'reconcile', entry: 'functions/handlers/reconcile.ts' },
  holdReviews: { name: 'hold-reviews', entry: 'functions/handlers/hold-reviews.ts' },
  evidenceScan: { name: 'evidence-scan', entry: 'functions/handlers/evidence-scan.ts' },
  caseChanges: { name: 'case-changes', entry: 'functions/handlers/case-changes.ts' },
} as const;

/**
 * Files the api function reads at run time, copied next to its bundle. `to` is relative to the
 * bundle root (`/var/task` on Lambda).
 */
export const API_RUNTIME_FILES = {
  /** GOV.UK Frontend's `dist` folder: CSS, JS, fonts, images and Nunjucks macros. */
  govukFrontend: {
    from: 'node_modules/govuk-frontend/dist',
    to: 'govuk-frontend/dist',
    env: 'GOVUK_FRONTEND_DIR',
  },
  /** The Nunjucks page templates. */
  views: { from: 'functions/web/views', to: 'views', env: 'REDRESS_VIEWS_DIR' },
  /** Our own static files served under /assets (functions/web/paths.ts). */
  static: { from: 'functions/web/static', to: 'static', env: 'REDRESS_STATIC_DIR' },
  /** The report pages' templates (functions/reports/render.ts). */
  reportViews: { from: 'functions/reports/views', to: 'report-views', env: 'REDRESS_REPORT_VIEWS_DIR' },
} as const;

/**
 * Folders the api function's bundle step writes beside it: the pages' templates (ours, then
 * govuk-frontend's) compiled to code, so that its first page runs them instead of compiling
 * every GOV.UK macro it imports (`functions/web/precompiled-views.ts`); and the report pages'
 * (theirs, then the pages', with the reports' options). With them the API compiles no template
 * at run time, and its bundle ships nunjucks's runtime alone.
 */
export const API_GENERATED_FILES = [
  {
    to: 'views-compiled',
    env: 'REDRESS_PRECOMPILED_VIEWS_DIR',
    generate: (dir: string) => {
      precompileViews(
        [API_RUNTIME_FILES.views.from, API_RUNTIME_FILES.govukFrontend.from].map((f) =>
          resolve(REPO_ROOT, f),
        ),
        dir,
      );
    },
  },
  {
    to: 'report-views-compiled',
    env: 'REDRESS_PRECOMPILED_REPORT_VIEWS_DIR',
    generate: (dir: string) => {
      precompileViews(
        [
          API_RUNTIME_FILES.reportViews.from,
          API_RUNTIME_FILES.views.from,
          API_RUNTIME_FILES.govukFrontend.from,
        ].map((f) => resolve(REPO_ROOT, f)),
        dir,
        REPORT_ENVIRONMENT_OPTIONS,
      );
    },
  },
] as const;

/** A deployment setting is missing or malformed. */
export class DeploymentConfigError extends Error {
  override name = 'DeploymentConfigError';
  constructor(
    readonly setting: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`Invalid deployment setting ${setting}: ${problem}`, options);
  }
}

/** Validated deployment settings plus the council policy they name. */
export interface DeploymentConfig {
  /** The preset id or policy file path the policy was loaded from. */
  policySource: string;
  /** The council's policy, validated (lifecycle rules and defaults follow it). */
  policy: Policy;
  /** Sender address for every email. */
  mailFrom: string;
  /** Domain to verify in SES (DKIM); when absent the single address is verified instead. */
  mailDomain?: string;
  /** True while `mailFrom` is the placeholder: synth works, deploy does not. */
  mailFromIsPlaceholder: boolean;
  /** Who is emailed when an alarm fires. */
  alarmEmail?: string;
  /** Overrides the policy's complaints team mailbox (e.g. a test mailbox in a staging account). */
  complaintsTeam?: string;
  wafEnabled: boolean;
  wafRateLimit: number;
  /** Submissions (POST /complaints) per IP per 5 minutes before WAF answers 429. */
  wafIntakeRateLimit: number;
  domainName?: string;
  certificateArn?: string;
  throttleRate: number;
  throttleBurst: number;
  logRetentionDays: LogRetentionDays;
  stackName: string;
  /** Prefix of the Cognito hosted sign-in domain (`<prefix>.auth.<region>.amazoncognito.com`). */
  signInDomainPrefix?: string;
  /** The council's own identity provider, federated through the user pool (optional). */
  federation?: Federation;
  /**
   * MFA for staff signing in with a user pool password: `required` (default), or `optional` for a
   * council whose own identity provider (federated) enforces it.
   */
  staffMfa: 'required' | 'optional';
  /**
   * One customer-managed KMS key per store (case table, archive, link secret, email events,
   * alarms) instead of the one data key (default false: a key costs $1 a month).
   */
  separateKeys: boolean;
  /**
   * X-Ray tracing of the Lambda functions (`redress:functionTracing`, default `lambda`):
   * - `lambda`: active tracing by Lambda alone (the invocation, its start-up and its time in the
   *   function, joined to the API's and the workflow's traces), without the tracer or the X-Ray
   *   SDK in the function, which start about a sixth faster (test/bench/RESULTS.md);
   * - `true`: active tracing with Powertools' tracer in the function as well, a subsegment for
   *   each DynamoDB, SES, S3 and Step Functions call and the case id as annotation, for a
   *   deployment whose slow steps need looking into;
   * - `false`: no function traces.
   * API Gateway and Step Functions trace whatever this says (it costs their start nothing).
   */
  functionTracing: FunctionTracing;
  /**
   * Whether an erasure, and the end of a case's retention, remove the resident's address from
   * SES's suppression list (`redress:forgetSuppressedAddresses`, default false). The list is one
   * per AWS account: removing an address lets every sender of the account mail it again, though it
   * bounced or its owner complained. Left as it is unless Redress has the account to itself.
   */
  forgetSuppressedAddresses: boolean;
}

/** How the functions trace (`Config.functionTracing`). */
export type FunctionTracing = 'sdk' | 'lambda' | 'off';

/** Federation to the council's identity provider (e.g. Entra ID), by OpenID Connect or SAML. */
export type Federation =
  | { kind: 'oidc'; name: string; issuer: string; clientId: string; clientSecretArn: string }
  | { kind: 'saml'; name: string; metadataUrl: string };

/** Retention periods CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 3653,
] as const;
export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];

/** Context values arrive as strings from `-c` and as JSON values from cdk.json: accept both. */
const flag = z.preprocess(
  (v) => (v === 'true' ? true : v === 'false' ? false : v),
  z.boolean('must be true or false'),
);
const whole = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v),
    z
      .number('must be a number')
      .int('must be a whole number')
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`),
  );
const hostname = z
  .string()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i,
    'must be a domain name like example.gov.uk',
  );

const settingsSchema = z.object({
  policy: z.string().min(1, 'must name a policy preset').default('lgsco-code-2024'),
  policyFile: z.string().min(1, 'must be a path to a JSON policy file').optional(),
  mailFrom: z.email('must be an email address').optional(),
  mailDomain: hostname.optional(),
  alarmEmail: z.email('must be an email address').optional(),
  complaintsTeam: z.email('must be an email address').optional(),
  wafEnabled: flag.default(true),
  separateKeys: flag.default(false),
  forgetSuppressedAddresses: flag.default(false),
  functionTracing: z
    .preprocess(
      (v) => (v === true || v === 'true' ? 'sdk' : v === false || v === 'false' ? 'off' : v),
      z.enum(['sdk', 'lambda', 'off'], 'must be true, lambda or false'),
    )
    .default('lambda'),
  wafRateLimit: whole(100, 2_000_000_000).default(1000),
  wafIntakeRateLimit: whole(10, 2_000_000_000).default(50),
  domainName: hostname.optional(),
  certificateArn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/,
      'must be an ACM certificate ARN',
    )
    .optional(),
  throttleRate: whole(1, 10_000).default(50),
  throttleBurst: whole(1, 5_000).default(100),
  logRetentionDays: z
    .preprocess(
      (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v),
      z.number('must be a number').refine((n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n), {
        message: `must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
      }),
    )
    .default(365),
  stackName: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,60}$/, 'must start with a letter and use letters, digits and dashes')
    .default('Redress'),
  signInDomainPrefix: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be lower-case letters, digits and dashes')
    .refine((v) => !/aws|amazon|cognito/.test(v), 'must not contain aws, amazon or cognito')
    .optional(),
  oidcIssuer: z.url({ protocol: /^https$/, error: 'must be an https URL' }).optional(),
  oidcClientId: z.string().min(1).optional(),
  oidcClientSecretArn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/,
      'must be a Secrets Manager secret ARN',
    )
    .optional(),
  samlMetadataUrl: z.url({ protocol: /^https$/, error: 'must be an https URL' }).optional(),
  federationName: z
    .string()
    .regex(/^[A-Za-z0-9_-]{3,32}$/, 'must be 3 to 32 letters, digits, dashes or underscores')
    .default('Council'),
  staffMfa: z.enum(['required', 'optional'], { error: 'must be required or optional' }).default('required'),
});

/** Reads one context value; `undefined` (and an empty string) means "not set". */
export type ContextReader = (key: string) => unknown;

/** Loads a policy by preset id or file path (the domain's `loadPolicy`; injectable for tests). */
export type PolicyLoader = (idOrPath: string) => Policy;

/**
 * Reads and validates every deployment setting, then loads the policy.
 * Throws `DeploymentConfigError` naming the first bad setting.
 */
export function readDeploymentConfig(
  context: ContextReader,
  options: { loadPolicy?: PolicyLoader; cwd?: string } = {},
): DeploymentConfig {
  const raw: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(CONTEXT_KEYS)) {
    const value = context(key);
    if (value !== undefined && value !== null && value !== '') raw[name] = value;
  }
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = (issue?.path[0] ?? 'policy') as SettingName;
    throw new DeploymentConfigError(CONTEXT_KEYS[name] ?? String(name), issue?.message ?? 'is invalid');
  }
  const s = parsed.data;

  if (s.mailFrom && s.mailDomain && !s.mailFrom.toLowerCase().endsWith(`@${s.mailDomain.toLowerCase()}`)) {
    throw new DeploymentConfigError(
      CONTEXT_KEYS.mailFrom,
      `must be an address at ${s.mailDomain} (redress:mailDomain)`,
    );
  }
  if (Boolean(s.domainName) !== Boolean(s.certificateArn)) {
    const missing = s.domainName ? CONTEXT_KEYS.certificateArn : CONTEXT_KEYS.domainName;
    throw new DeploymentConfigError(
      missing,
      'must be set when a custom domain is used (set both domainName and certificateArn)',
    );
  }
  const oidcParts = [s.oidcIssuer, s.oidcClientId, s.oidcClientSecretArn];
  if (oidcParts.some(Boolean) && !oidcParts.every(Boolean)) {
    const missing = !s.oidcIssuer
      ? CONTEXT_KEYS.oidcIssuer
      : !s.oidcClientId
        ? CONTEXT_KEYS.oidcClientId
        : CONTEXT_KEYS.oidcClientSecretArn;
    throw new DeploymentConfigError(missing, 'must be set to federate with an OpenID Connect provider');
  }
  if (s.oidcIssuer && s.samlMetadataUrl) {
    throw new DeploymentConfigError(
      CONTEXT_KEYS.samlMetadataUrl,
      'cannot be set with redress:oidcIssuer: choose one',
    );
  }
  const federation: Federation | undefined =
    s.oidcIssuer && s.oidcClientId && s.oidcClientSecretArn
      ? {
          kind: 'oidc',
          name: s.federationName,
          issuer: s.oidcIssuer,
          clientId: s.oidcClientId,
          clientSecretArn: s.oidcClientSecretArn,
        }
      : s.samlMetadataUrl
        ? { kind: 'saml', name: s.federationName, metadataUrl: s.samlMetadataUrl }
        : undefined;
  if (s.throttleBurst < s.throttleRate) {
    throw new DeploymentConfigError(CONTEXT_KEYS.throttleBurst, 'must be at least redress:throttleRate');
  }

  const load = options.loadPolicy ?? loadPolicy;
  const cwd = options.cwd ?? process.cwd();
  let policySource: string;
  let settingName: string;
  if (s.policyFile) {
    policySource = isAbsolute(s.policyFile) ? s.policyFile : resolve(cwd, s.policyFile);
    settingName = CONTEXT_KEYS.policyFile;
    if (!existsSync(policySource)) {
      throw new DeploymentConfigError(settingName, `no file at ${policySource}`);
    }
  } else {
    policySource = s.policy;
    settingName = CONTEXT_KEYS.policy;
  }
  let policy: Policy;
  try {
    policy = load(policySource);
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DeploymentConfigError(settingName, reason, { cause: error });
  }

  return {
    policySource,
    policy,
    mailFrom: s.mailFrom ?? (s.mailDomain ? `complaints@${s.mailDomain}` : PLACEHOLDER_MAIL_FROM),
    mailDomain: s.mailDomain,
    mailFromIsPlaceholder: !s.mailFrom && !s.mailDomain,
    alarmEmail: s.alarmEmail,
    complaintsTeam: s.complaintsTeam,
    wafEnabled: s.wafEnabled,
    wafRateLimit: s.wafRateLimit,
    wafIntakeRateLimit: s.wafIntakeRateLimit,
    domainName: s.domainName,
    certificateArn: s.certificateArn,
    throttleRate: s.throttleRate,
    throttleBurst: s.throttleBurst,
    logRetentionDays: s.logRetentionDays as LogRetentionDays,
    stackName: s.stackName,
    ...(s.signInDomainPrefix ? { signInDomainPrefix: s.signInDomainPrefix } : {}),
    ...(federation ? { federation } : {}),
    staffMfa: s.staffMfa,
    separateKeys: s.separateKeys,
    functionTracing: s.functionTracing,
    forgetSuppressedAddresses: s.forgetSuppressedAddresses,
  };
}
