import { randomUUID } from 'node:crypto';
import { ConfigurationError, optionalEnv } from '../adapters/config.js';
import type { LinkSecrets } from '../adapters/link-secrets.js';
import type { IdentityProvider } from '../adapters/oidc-sign-in.js';
import type { CaseRecord } from '../domain/case.js';
import { withComplaintsTeam } from '../domain/complaints-team.js';
import { DEFAULT_INTAKE_LIMITS, type IntakeLimits, parseLimit } from '../domain/intake-limits.js';
import { readValidatedPolicy } from '../domain/policy-file.js';
import type { Policy } from '../domain/policy-schema.js';
import type {
  Archive,
  ArchiveControl,
  AuditLog,
  CaseEraser,
  CaseStore,
  Downloads,
  EqualityStore,
  EvidenceStore,
  HoldReminders,
  Mailer,
  RateLimiter,
  SignInLinks,
  StaffCaseQueries,
  StaffStore,
  SubjectAccessRegister,
  SuppressionList,
  WorkflowEngine,
} from '../domain/ports.js';
import { countEmailSent, reportUnconfirmedResend } from '../observability.js';
import type { CaseCounter } from '../reports/compute.js';
import type { ReportCounterStore } from '../reports/counted.js';
import type { MonthlyReportDeps } from '../reports/monthly.js';
import type { ApiDeps } from './api.js';
import type { AuditRouteDeps } from './audit-routes.js';
import { caseViewLink } from './case-links.js';
import type { CaseViewDeps } from './case-routes.js';
import type { correspondence } from './correspondence.js';
import type { DataProtectionRouteDeps } from './data-protection-routes.js';
import { equalityPath } from './equality-links.js';
import type { EqualityDeps } from './equality-routes.js';
import type { EvidenceDeps } from './evidence.js';
import { evidenceLink } from './evidence-links.js';
import type { EvidenceRouteDeps } from './evidence-routes.js';
import type { HealthChecks } from './health.js';
import type { HoldReviewDeps } from './hold-reviews.js';
import type { OmbudsmanFileRouteDeps } from './ombudsman-file-routes.js';
import type { ReconcileDeps } from './reconcile.js';
import { reportsLink } from './report-access.js';
import type { ReportCountingDeps } from './report-counting.js';
import type { ReportDeps } from './report-routes.js';
import type { ResidentAccessDeps } from './resident-access.js';
import type { RetentionRouteDeps } from './retention-routes.js';
import type { StaffDeps } from './staff-routes.js';
import type { SendEmail, StepDeps } from './steps.js';
import type { TaskDeps } from './tasks.js';
import type { WorkflowStarterDeps } from './workflow-starter.js';

/**
 * The one composition root: which adapter each part of the application gets. Every handler
 * entry file (`functions/handlers/`) takes its dependencies from here, and so do `npm start`
 * and the workflow tests, which run those same entry files.
 *
 * Each adapter is built from the environment on first use and then kept for the container's
 * life, so a function builds only what it uses (the route step never creates an S3 client).
 * The dependency objects below resolve adapters when a property is read, not when the object
 * is made: an entry file can make its dependencies at module scope, and a test harness can
 * replace an adapter later with `provideAdapters()` and have every handler use it.
 *
 * | variable | adapter | meaning |
 * | --- | --- | --- |
 * | `REDRESS_POLICY` | `policy` | preset id, path of a policy file, or the policy JSON itself (as CDK passes it); default `lgsco-code-2024` |
 * | `REDRESS_POLICY_SHA256` | `policy` | digest of the policy file the deploy validated (CDK sets it): that file is read as it is, without the schema or the presets |
 * | `COMPLAINTS_TEAM` | `policy` | the complaints team's mailbox, when the deployment names one other than the policy's |
 * | `CASE_TABLE` | `store` | DynamoDB table name (required); closed cases are kept as long as the policy's `retention` says |
 * | `ARCHIVE_BUCKET` | `archive`, `evidence` | S3 bucket of closed case files, and of residents' evidence under `evidence/` (required) |
 * | `MAIL_FROM` | `mailer` | sender address, a verified SES identity (required) |
 * | `MAIL_CONFIGURATION_SET` | `mailer` | SES configuration set (optional) |
 * | `STATE_MACHINE_ARNS` | `workflows` | JSON object, workflow name → state machine ARN |
 * | `STATE_MACHINE_ARN_<WORKFLOW>` | `workflows` | one workflow's ARN, e.g. `STATE_MACHINE_ARN_SOCIAL_CARE`; wins over the map |
 * | `LINK_SECRET_ARN` | `linkSecrets` | Secrets Manager secret signing emailed links (AWS) |
 * | `LINK_SECRET`, `LINK_SECRET_PREVIOUS` | `linkSecrets` | the same secrets given directly (`npm start`) |
 * | `FORGET_SUPPRESSED_ADDRESSES` | `suppressions` | `true`: an erasure or a retention expiry removes the resident's address from SES's account-wide suppression list (`redress:forgetSuppressedAddresses`); otherwise the list is left alone |
 * | `INTAKE_LIMIT_PER_EMAIL_PER_DAY`, `INTAKE_LIMIT_PER_CLIENT_PER_HOUR` | `intakeLimits` | public submissions one email address / one client may make (defaults 10 and 60; `off` for none) |
 * | `PUBLIC_BASE_URL` | `baseUrl` | public address links in emails start with (required by the steps that send links) |
 * | `STAFF_OIDC_ISSUER` | `identity` | the OpenID Connect issuer staff sign in with (Cognito's user pool; the local provider) |
 * | `STAFF_OIDC_CLIENT_ID` | `identity` | the workspace's client id there (a public client: PKCE, no secret) |
 * | `STAFF_OIDC_LOGOUT_URL` | `identity` | the provider's sign-out page when discovery names none (Cognito's `/logout?…`) |
 *
 * Endpoints, region and credentials are the AWS SDK's own: `AWS_REGION`, and
 * `AWS_ENDPOINT_URL_DYNAMODB`, `_S3`, `_SESV2`, `_SFN` to use the local stand-ins. Logging,
 * metrics and tracing are Powertools' (`POWERTOOLS_*`, see `functions/observability.ts`).
 */
export interface Adapters {
  /** The council's policy. */
  policy: Policy;
  store: CaseStore;
  /** Counts public submissions per email address and per client (on the case table). */
  limiter: RateLimiter;
  intakeLimits: IntakeLimits;
  archive: Archive;
  /** Residents' evidence files (the archive bucket, under `evidence/`). */
  evidence: EvidenceStore;
  mailer: Mailer;
  /**
   * The email service's suppression list (SES's, account-wide), where the deployment lets an
   * erasure or a retention expiry remove the resident's address from it; otherwise undefined.
   */
  suppressions: SuppressionList | undefined;
  workflows: WorkflowEngine;
  /** Link-signing secrets, current first, then the previous one. */
  linkSecrets: LinkSecrets;
  /** The service's clock: real time on AWS, the runtime's accelerated or virtual clock locally. */
  clock: () => Date;
  /**
   * How many times faster than real time `clock` runs: 1 on AWS, `--time-scale` under `npm start`.
   * What the service waits for from outside (the table's stream, SES's events) takes real time,
   * so a wait for it lasts this many times longer on the service's clock.
   */
  timeScale: number;
  /**
   * Real milliseconds within which SES's Send event for an email it took is recorded on the case:
   * how long a step waits for it, scaled by `timeScale` (`confirmWindowMs` in `effects.ts`).
   * Undefined on AWS (`CONFIRM_WINDOW_MS`); the SES stand-in's own promise under `npm start`.
   */
  sesWordWithinMs: number | undefined;
  /** New case ids. */
  newId: () => string;
  /** Public base URL of the API, without a trailing slash; undefined when not configured. */
  baseUrl: string | undefined;
  /** The staff workspace's sessions and directory (in the case table). */
  staffStore: StaffStore;
  /** Staff sign-in (OpenID Connect). */
  identity: IdentityProvider;
  /** The queue and search of the staff workspace (the case store's indexes). */
  caseQueries: StaffCaseQueries;
  /** Equality monitoring answers, apart from the cases (on the case table, linked to none). */
  equality: EqualityStore;
  /** Residents' one-time sign-in links ("check your complaint"), in the case table. */
  signInLinks: SignInLinks;
  /** The audit log of data protection work, apart from the cases (in the case table). */
  audit: AuditLog;
  /** The hold review reminder's outbox (in the case table). */
  holdReminders: HoldReminders;
  /** Legal holds and erasure on the records archive (every object and version of a case). */
  control: ArchiveControl;
  /** The register of subject access requests, apart from the cases (in the case table). */
  subjectAccess: SubjectAccessRegister;
  /** Files too large for an API response, handed out from the archive bucket for a day. */
  downloads: Downloads;
  /** Renders the templated emails and letters (`correspondence.ts`): nunjucks and the templates. */
  correspondence: typeof correspondence;
  /**
   * Loads `REDRESS_POLICY` when it is not the file validated at deploy: a preset id, a council's
   * file or the policy JSON (`npm start`, the tests). Needs the schema and the presets.
   */
  policyLoader: (setting: string) => Policy;
  /** The public report's counters (in the case table); none beside a store elsewhere. */
  reportCounters: ReportCounterStore | undefined;
}

/** How each adapter is built from the environment when it was not provided. */
export type AdapterBuilders = { [K in keyof Adapters]: () => Adapters[K] };

/**
 * The builders every function has: the policy and plain settings. The others (the case store, the
 * table's other records, S3, SES, Step Functions, Secrets Manager, OpenID Connect, the email
 * templates, the policy schema) are wired by the entry files that use them (`wiring.ts`), so that
 * a function's bundle holds, and its cold start loads, only the adapters it calls, when it calls
 * them: the steps load the case store at start, as every invocation of theirs reads a case; the
 * API on its first request that does.
 */
const CORE: Partial<AdapterBuilders> = {
  policy: () =>
    withComplaintsTeam(
      policyFromSetting(optionalEnv('REDRESS_POLICY') ?? 'lgsco-code-2024'),
      optionalEnv('COMPLAINTS_TEAM'),
    ),
  intakeLimits: () => ({
    perEmailPerDay: parseLimit(
      optionalEnv('INTAKE_LIMIT_PER_EMAIL_PER_DAY'),
      DEFAULT_INTAKE_LIMITS.perEmailPerDay,
      'INTAKE_LIMIT_PER_EMAIL_PER_DAY',
    ),
    perClientPerHour: parseLimit(
      optionalEnv('INTAKE_LIMIT_PER_CLIENT_PER_HOUR'),
      DEFAULT_INTAKE_LIMITS.perClientPerHour,
      'INTAKE_LIMIT_PER_CLIENT_PER_HOUR',
    ),
  }),
  clock: () => () => new Date(),
  timeScale: () => 1,
  sesWordWithinMs: () => undefined,
  newId: () => randomUUID,
  baseUrl: () => optionalEnv('PUBLIC_BASE_URL')?.replace(/\/$/, ''),
  caseQueries: () => {
    const store = adapter('store');
    if (!('openPage' in store && 'search' in store)) {
      throw new ConfigurationError('The case store cannot serve the staff queue and search');
    }
    return store as CaseStore & StaffCaseQueries;
  },
};

/** The builders this process has: the core ones and those its entry files wired. */
const builders: Partial<AdapterBuilders> = { ...CORE };

/**
 * Adds builders (`wiring.ts`) for the adapters an entry file uses beyond the core ones, e.g.
 * `wire(S3_ADAPTERS)` in the archive step. Wiring is code, not state: `resetAdapters` keeps it.
 */
export function wire(...sets: Partial<AdapterBuilders>[]): void {
  for (const set of sets) Object.assign(builders, set);
}

/** An adapter was asked for that no entry file of this function wired. */
export class AdapterNotWiredError extends ConfigurationError {
  override name = 'AdapterNotWiredError';
}

/** The adapters built or provided so far in this container. */
const adapters: Partial<Adapters> = {};

/**
 * One adapter: the one provided, or the one built from the environment on first use. A build
 * that throws (missing configuration) is not kept, so the next use tries again.
 */
export function adapter<K extends keyof Adapters>(name: K): Adapters[K] {
  if (!(name in adapters)) {
    const build = builders[name];
    if (!build) {
      throw new AdapterNotWiredError(
        `The ${name} adapter is not wired into this function: its entry file must wire a set that builds it (functions/app/wiring.ts and the other *-wiring.ts files)`,
      );
    }
    adapters[name] = build();
  }
  return adapters[name] as Adapters[K];
}

/**
 * `deps` with the named adapters as getters: each is built (or looked up) when a use case first
 * reads it, not when the deps are made, so a handler never builds a client it does not use, and
 * adapters provided later (the tests, `npm start`) are the ones used.
 */
function withAdapters<T extends object, K extends keyof Adapters>(
  deps: T,
  ...names: K[]
): NoInfer<T> & Pick<Adapters, K> {
  for (const name of names) {
    Object.defineProperty(deps, name, { get: () => adapter(name), enumerable: true, configurable: true });
  }
  return deps as T & Pick<Adapters, K>;
}

/**
 * Replaces adapters for every handler in this process, e.g. the workflow tests' in-memory
 * store and mailer, or `npm start`'s accelerated clock. Adapters not named are still built
 * from the environment when first used.
 */
export function provideAdapters(provided: Partial<Adapters>): void {
  for (const [name, value] of Object.entries(provided)) {
    if (value !== undefined) Object.assign(adapters, { [name]: value });
  }
}

/** Forgets every adapter, provided or built: the next use builds from the environment again. */
export function resetAdapters(): void {
  for (const name of Object.keys(adapters) as (keyof Adapters)[]) delete adapters[name];
}

/**
 * `REDRESS_POLICY`. On AWS it is the policy file the deploy validated and shipped with the bundle,
 * and `REDRESS_POLICY_SHA256` its digest: read as it is, with no schema and no presets loaded.
 * Anything else (a preset id, a council's file, the policy JSON) goes through the policy loader,
 * which the entry files that need it wire (`POLICY_LOADER` in `wiring.ts`).
 */
function policyFromSetting(setting: string): Policy {
  const digest = optionalEnv('REDRESS_POLICY_SHA256');
  if (digest !== undefined) return readValidatedPolicy(setting, digest);
  return adapter('policyLoader')(setting);
}

/** The service's clock, read now. */
const now = (): Date => adapter('clock')();

const linkSecrets = (): Promise<string[]> => adapter('linkSecrets')();

/** The current link-signing secret: new links are signed with it. */
async function currentLinkSecret(): Promise<string> {
  const [current] = await linkSecrets();
  if (current === undefined) throw new ConfigurationError('No link secret is configured');
  return current;
}

/** `PUBLIC_BASE_URL`, for the code that cannot do without it (emailed links). */
function requiredBaseUrl(): string {
  const baseUrl = adapter('baseUrl');
  if (baseUrl === undefined) {
    throw new ConfigurationError('Environment variable PUBLIC_BASE_URL is required but is not set');
  }
  return baseUrl;
}

/** The mailer, counting each email sent (`EmailsSent`); resolves the adapter on each send. */
const countingMailer: Mailer = {
  ping: (signal) => adapter('mailer').ping(signal),
  async send(message, options) {
    const sent = await adapter('mailer').send(message, options);
    countEmailSent();
    return sent;
  },
};

/** Renders and sends one templated email with the current policy. */
const sendEmail: SendEmail = (c, template, to, extra, options) =>
  adapter('correspondence')(adapter('policy'), countingMailer)(c, template, to, extra, options);

/** What the workflow's steps need (`functions/app/steps.ts`); `onBreach` for the escalate step. */
export function stepDeps(options: Pick<StepDeps, 'onBreach'> = {}): StepDeps {
  return withAdapters(
    {
      send: sendEmail,
      now,
      linkSecret: currentLinkSecret,
      get baseUrl() {
        return requiredBaseUrl();
      },
      ...(options.onBreach ? { onBreach: options.onBreach } : {}),
      onResend: reportUnconfirmedResend,
    },
    'store',
    'archive',
    'evidence',
    'control',
    'workflows',
    'policy',
    'timeScale',
    'sesWordWithinMs',
  );
}

/** What the officers' task pages need. */
export function taskDeps(): TaskDeps {
  return withAdapters(
    {
      now,
      linkSecrets,
      staffDirectory: () => adapter('staffStore').directory(),
    },
    'store',
    'workflows',
    'policy',
  );
}

/**
 * What the staff workspace needs. Sessions run on real time, whatever the service's clock does
 * (`npm start` may run days in minutes; an idle session must still last half an hour).
 */
export function staffDeps(): StaffDeps {
  return withAdapters(
    {
      get store() {
        return adapter('caseQueries') as CaseStore & StaffCaseQueries;
      },
      now,
      send: sendEmail,
      sessionClock: () => new Date(),
      newId: () => adapter('newId')(),
      linkSecrets,
      get baseUrl() {
        return requiredBaseUrl();
      },
    },
    'staffStore',
    'identity',
    'audit',
    'archive',
    'control',
    'evidence',
    'workflows',
    'policy',
    'subjectAccess',
    'timeScale',
    'sesWordWithinMs',
  );
}

/** What the audit log's page needs: the workspace's, and the log. */
export function auditRouteDeps(): AuditRouteDeps {
  return withAdapters(staffDeps(), 'audit');
}

/**
 * What legal holds and erasure need: the workspace's, the audit log, the archive's controls, and
 * the files handed out for download (an erasure deletes its case's).
 */
export function retentionRouteDeps(): RetentionRouteDeps {
  const deps = withAdapters(staffDeps(), 'audit', 'control', 'downloads', 'suppressions');
  return Object.defineProperty(deps, 'store', {
    get: () => {
      const store = adapter('caseQueries');
      if (!('erase' in store)) throw new ConfigurationError('The case store cannot erase a case');
      return store as CaseStore & StaffCaseQueries & CaseEraser;
    },
    enumerable: true,
    configurable: true,
  }) as RetentionRouteDeps;
}

/** What the data protection pages need (subject access, rectification): the workspace's and the audit log. */
export function dataProtectionDeps(): DataProtectionRouteDeps {
  return withAdapters(staffDeps(), 'audit', 'subjectAccess', 'downloads') as DataProtectionRouteDeps;
}

/** What the officers' case pages need. */
export function caseViewDeps(): CaseViewDeps {
  return withAdapters(
    {
      now,
      linkSecrets,
    },
    'store',
    'archive',
    'policy',
  );
}

/** What the evidence use cases need (`evidence.ts`): the malware scan's handler, a status page. */
export function evidenceDeps(): EvidenceDeps {
  return withAdapters({ now, newId: () => adapter('newId')() }, 'store', 'evidence');
}

/** What the resident's evidence pages and API need (`evidence-routes.ts`). */
export function evidenceRouteDeps(): EvidenceRouteDeps {
  return withAdapters(
    {
      now,
      newId: () => adapter('newId')(),
      linkSecrets,
      get baseUrl() {
        return requiredBaseUrl();
      },
      get councilName() {
        return adapter('policy').council;
      },
      // The form posts to the archive bucket: `/health`'s question to it.
      uploadsAnswer: (signal: AbortSignal) => adapter('archive').ping(signal),
    },
    'store',
    'evidence',
  );
}

/** What the report pages and their access check need. */
export function reportDeps(): ReportDeps & { linkSecrets: () => Promise<string[]> } {
  return withAdapters(
    {
      now,
      linkSecrets,
    },
    'store',
    'policy',
    'reportCounters',
  );
}

/** What the equality monitoring questions and their report need. */
export function equalityDeps(): EqualityDeps {
  return withAdapters({ now, linkSecrets }, 'equality', 'policy');
}

/**
 * What `GET /health` asks, by the name it reports: one cheap request to each service the
 * adapters use. Each check resolves its adapter when it runs, so a setting that is missing
 * shows as that dependency being down rather than failing the whole answer.
 */
export function healthChecks(): HealthChecks {
  return {
    table: (signal) => adapter('store').ping(signal),
    archive: (signal) => adapter('archive').ping(signal),
    email: (signal) => adapter('mailer').ping(signal),
    workflows: (signal) => adapter('workflows').ping(signal),
  };
}

/** What the API needs: intake, `/health`'s checks, and the routes other modules add. */
export function apiDeps(extraRoutes?: ApiDeps['extraRoutes']): ApiDeps {
  return withAdapters(
    {
      get limits() {
        return adapter('intakeLimits');
      },
      now,
      newId: () => adapter('newId')(),
      health: healthChecks(),
      equalityPath: (record: CaseRecord) => equalityPath({ now, linkSecrets }, record),
      evidenceLink: async (record: { caseId: string; reference: string }) =>
        evidenceLink(await currentLinkSecret(), record, now()),
      ...(extraRoutes ? { extraRoutes } : {}),
    },
    'store',
    'policy',
    'limiter',
    'linkSecrets',
  );
}

/**
 * What "check your complaint" needs. Its links and sessions run on real time, like the staff
 * workspace's; its stage-2 request on the service's clock, like every decision.
 */
export function residentDeps(): ResidentAccessDeps {
  return withAdapters(
    {
      send: sendEmail,
      now,
      sessionClock: () => new Date(),
      linkSecrets,
      get baseUrl() {
        return requiredBaseUrl();
      },
    },
    'store',
    'archive',
    'workflows',
    'policy',
    'limiter',
    'signInLinks',
  );
}

/** What recording SES bounces and complaints needs. */
export function mailEventDeps() {
  return withAdapters(
    {
      send: sendEmail,
      now,
      onResend: reportUnconfirmedResend,
    },
    'store',
    'policy',
    'timeScale',
    'sesWordWithinMs',
  );
}

/** What the monthly report needs; without `PUBLIC_BASE_URL` the email carries no link. */
export function monthlyReportDeps(): MonthlyReportDeps {
  return withAdapters(
    {
      mailer: countingMailer,
      now,
      signReportsLink: async (baseUrl: string, officer: string) =>
        reportsLink(baseUrl, await currentLinkSecret(), officer, now()),
    },
    'store',
    'policy',
    'baseUrl',
  );
}

/** What the stream's workflow starter needs (`functions/handlers/start-workflows.ts`). */
export function workflowStarterDeps(): WorkflowStarterDeps {
  return withAdapters(
    {
      now,
    },
    'store',
    'workflows',
  );
}

/**
 * What keeping the report's counters needs (`functions/handlers/case-changes.ts`): the case as
 * it is now, the counters, and one `CaseCounter` per container under the policy (its caches),
 * made by the entry file so that only its bundle holds the report's arithmetic.
 */
export function reportCountingDeps(counterFor: (policy: Policy) => CaseCounter): ReportCountingDeps {
  let counter: CaseCounter | undefined;
  return withAdapters(
    {
      get counters() {
        const counters = adapter('reportCounters');
        if (counters === undefined) throw new ConfigurationError('The report counters need the case table');
        return counters;
      },
      get counter() {
        counter ??= counterFor(adapter('policy'));
        return counter;
      },
    },
    'store',
  );
}

/**
 * What the reconciler needs (`functions/handlers/reconcile.ts`); its summary links each case's
 * page for the complaints team when `PUBLIC_BASE_URL` is set.
 */
export function reconcileDeps(): ReconcileDeps {
  return withAdapters(
    {
      mailer: countingMailer,
      now,
      caseLink: async (c: Pick<CaseRecord, 'caseId' | 'reference'>) => {
        const baseUrl = adapter('baseUrl');
        if (baseUrl === undefined) return undefined;
        const team = adapter('policy').routing.complaintsTeam;
        return caseViewLink(baseUrl, await currentLinkSecret(), c, team, now());
      },
    },
    'store',
    'workflows',
    'policy',
    'timeScale',
  );
}

/** What the hold review reminder needs (`functions/handlers/hold-reviews.ts`). */
export function holdReviewDeps(): HoldReviewDeps {
  return withAdapters(
    {
      get store() {
        return adapter('caseQueries') as CaseStore & StaffCaseQueries;
      },
      get reminders() {
        return adapter('holdReminders');
      },
      mailer: countingMailer,
      now,
      newId: () => adapter('newId')(),
    },
    'policy',
    'baseUrl',
  );
}

/** What the Ombudsman's case file needs: the workspace's, and the audit log. */
export function ombudsmanFileDeps(): OmbudsmanFileRouteDeps {
  return withAdapters(staffDeps(), 'audit', 'downloads');
}
