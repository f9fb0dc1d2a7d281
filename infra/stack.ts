import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotations, Aws, CfnOutput, Stack, type StackProps, Stage } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { withComplaintsTeam } from '../functions/domain/complaints-team.js';
import { retentionRules } from '../functions/domain/retention.js';
import type { STEP_FUNCTIONS } from '../workflows/catalog.js';
import {
  API_GENERATED_FILES,
  API_RUNTIME_FILES,
  type DeploymentConfig,
  REPO_ROOT,
  SERVICE_FUNCTIONS,
} from './config.js';
import { RedressApi } from './constructs/api.js';
import { CaseStore } from './constructs/case-store.js';
import { DataKey } from './constructs/data-key.js';
import { EvidenceUploads } from './constructs/evidence-uploads.js';
import { RedressFunctions } from './constructs/functions.js';
import { Mailer } from './constructs/mailer.js';
import { Operations } from './constructs/operations.js';
import { RecordsArchive } from './constructs/records-archive.js';
import { LinkSecret } from './constructs/secrets.js';
import { StaffSignIn } from './constructs/staff-sign-in.js';
import { Workflows } from './constructs/workflows.js';

export interface RedressStackProps extends StackProps {
  config: DeploymentConfig;
  /** Root of the project whose handlers, views and node_modules are bundled. @default the repository */
  projectRoot?: string;
}

/**
 * Redress on AWS: one stack, one construct per concern. Account-agnostic, so
 * `cdk synth` needs no credentials.
 */
export class RedressStack extends Stack {
  readonly config: DeploymentConfig;
  readonly caseStore: CaseStore;
  readonly archive: RecordsArchive;
  readonly mailer: Mailer;
  readonly linkSecret: LinkSecret;
  readonly functions: RedressFunctions;
  readonly workflows: Workflows;
  readonly api: RedressApi;
  readonly operations: Operations;
  readonly staffSignIn: StaffSignIn;
  readonly evidence: EvidenceUploads;

  constructor(scope: Construct, id: string, props: RedressStackProps) {
    super(scope, id, {
      description: `Redress complaints and feedback handling (policy ${props.config.policy.id})`,
      ...props,
    });
    const { config } = props;
    this.config = config;
    const projectRoot = props.projectRoot ?? REPO_ROOT;
    const logRetention = config.logRetentionDays as logs.RetentionDays;

    if (config.mailFromIsPlaceholder) {
      Annotations.of(this).addWarningV2(
        'redress:mailFrom',
        `No sender configured: using ${config.mailFrom}. Set -c redress:mailFrom=… (and redress:mailDomain) before deploying.`,
      );
    }
    if (!config.alarmEmail) {
      Annotations.of(this).addWarningV2(
        'redress:alarmEmail',
        'No alarm email configured: alarms go to an SNS topic nobody is subscribed to. Set -c redress:alarmEmail=….',
      );
    }

    // One data key for every store, unless the council asks for a key each (see DataKey).
    const key = config.separateKeys ? undefined : new DataKey(this, 'DataKey').key;
    const keyed = key ? { key } : {};
    this.linkSecret = new LinkSecret(this, 'LinkSecret', keyed);
    this.caseStore = new CaseStore(this, 'CaseStore', keyed);
    this.archive = new RecordsArchive(this, 'RecordsArchive', {
      retention: retentionRules(config.policy),
      ...keyed,
    });
    this.mailer = new Mailer(this, 'Mailer', {
      mailFrom: config.mailFrom,
      mailDomain: config.mailDomain,
      ...keyed,
    });

    this.functions = new RedressFunctions(this, 'Functions', {
      projectRoot,
      stackName: this.stackName,
      policyFile: writePolicyFile(this, config),
      logRetention,
      tracing: config.functionTracing,
      caseStore: this.caseStore,
      archive: this.archive,
      mailer: this.mailer,
      linkSecret: this.linkSecret,
      serviceEntries: {
        api: SERVICE_FUNCTIONS.api.entry,
        sesEvents: SERVICE_FUNCTIONS.sesEvents.entry,
        monthlyReport: SERVICE_FUNCTIONS.monthlyReport.entry,
        startWorkflows: SERVICE_FUNCTIONS.startWorkflows.entry,
        reconcile: SERVICE_FUNCTIONS.reconcile.entry,
        holdReviews: SERVICE_FUNCTIONS.holdReviews.entry,
        evidenceScan: SERVICE_FUNCTIONS.evidenceScan.entry,
        caseChanges: SERVICE_FUNCTIONS.caseChanges.entry,
      },
      apiRuntimeFiles: Object.values(API_RUNTIME_FILES).map((f) => ({
        from: join(projectRoot, f.from),
        to: f.to,
        env: f.env,
      })),
      apiGeneratedFiles: API_GENERATED_FILES,
      complaintsTeam: config.complaintsTeam,
      forgetSuppressedAddresses: config.forgetSuppressedAddresses,
    });

    const stepFns = Object.fromEntries(
      Object.entries(this.functions.steps).map(([key, f]) => [key, f.fn]),
    ) as Record<keyof typeof STEP_FUNCTIONS, RedressFunctions['api']['fn']>;
    this.workflows = new Workflows(this, 'Workflows', {
      stackName: this.stackName,
      functions: stepFns,
      logRetention,
    });

    this.api = new RedressApi(this, 'Api', {
      handler: this.functions.api.fn,
      // The mailbox the functions name (`COMPLAINTS_TEAM`), on the pages API Gateway answers itself too.
      policy: withComplaintsTeam(config.policy, config.complaintsTeam),
      throttleRate: config.throttleRate,
      throttleBurst: config.throttleBurst,
      logRetention,
      wafEnabled: config.wafEnabled,
      wafRateLimit: config.wafRateLimit,
      wafIntakeRateLimit: config.wafIntakeRateLimit,
      domain:
        config.domainName && config.certificateArn
          ? { domainName: config.domainName, certificateArn: config.certificateArn }
          : undefined,
    });
    this.functions.setPublicAddress(this.api.publicUrl, this.api.basePath);

    this.evidence = new EvidenceUploads(this, 'Evidence', {
      archive: this.archive,
      formOrigin:
        config.domainName && config.certificateArn
          ? `https://${config.domainName}`
          : `https://${this.api.restApi.restApiId}.execute-api.${this.region}.${Aws.URL_SUFFIX}`,
      scanResults: this.functions.evidenceScan.fn,
      scanDeadLetters: requiredDeadLetters(this.functions.evidenceScan),
      checkers: [this.functions.api.fn, this.functions.evidenceScan.fn],
      keepers: [this.functions.steps.ArchiveFunctionArn.fn],
    });

    this.staffSignIn = new StaffSignIn(this, 'StaffSignIn', {
      policy: config.policy,
      publicUrl: this.api.publicUrl,
      ...(config.signInDomainPrefix ? { domainPrefix: config.signInDomainPrefix } : {}),
      ...(config.federation ? { federation: config.federation } : {}),
      mfa: config.staffMfa,
    });
    this.functions.api.fn.addEnvironment('STAFF_OIDC_ISSUER', this.staffSignIn.issuer);
    this.functions.api.fn.addEnvironment('STAFF_OIDC_CLIENT_ID', this.staffSignIn.client.userPoolClientId);
    this.functions.api.fn.addEnvironment('STAFF_OIDC_LOGOUT_URL', this.staffSignIn.logoutUrl);

    const deadLetterQueues: Record<string, RedressFunctions['sesEvents']['deadLetterQueue'] & object> = {
      'email events delivery': this.mailer.deliveryDeadLetters,
    };
    for (const f of this.functions.all()) {
      if (f.deadLetterQueue) deadLetterQueues[f.shortName] = f.deadLetterQueue;
    }
    const newCasesDlq = this.caseStore.newCasesDeadLetters;
    if (newCasesDlq) deadLetterQueues['new cases stream'] = newCasesDlq;
    const caseChangesDlq = this.caseStore.caseChangesDeadLetters;
    if (caseChangesDlq) deadLetterQueues['case changes stream'] = caseChangesDlq;
    const monthlyDlq = this.functions.monthlyReport.deadLetterQueue;
    if (!monthlyDlq) throw new Error('The monthly-report function must be built with a dead-letter queue');
    const reconcileDlq = this.functions.reconcile.deadLetterQueue;
    if (!reconcileDlq) throw new Error('The reconcile function must be built with a dead-letter queue');
    const holdReviewsDlq = this.functions.holdReviews.deadLetterQueue;
    if (!holdReviewsDlq) throw new Error('The hold-reviews function must be built with a dead-letter queue');
    this.operations = new Operations(this, 'Operations', {
      ...keyed,
      stateMachines: this.workflows.stateMachines,
      functions: Object.fromEntries(this.functions.all().map((f) => [f.shortName, f.fn])),
      deadLetterQueues,
      stage: this.api.restApi.deploymentStage,
      alarmEmail: config.alarmEmail,
      monthlyReport: { fn: this.functions.monthlyReport.fn, deadLetterQueue: monthlyDlq },
      reconciler: { fn: this.functions.reconcile.fn, deadLetterQueue: reconcileDlq },
      holdReviews: { fn: this.functions.holdReviews.fn, deadLetterQueue: holdReviewsDlq },
    });

    new CfnOutput(this, 'PublicUrl', {
      value: this.api.publicUrl,
      description: 'Resident form and officer links',
    });
    if (this.api.customDomain) {
      new CfnOutput(this, 'CustomDomainTarget', {
        value: this.api.customDomain.domainNameAliasDomainName,
        description: `Point ${config.domainName} here (CNAME, or an alias record in Route 53)`,
      });
    }
    new CfnOutput(this, 'CaseTableName', { value: this.caseStore.table.tableName });
    new CfnOutput(this, 'ArchiveBucketName', { value: this.archive.bucket.bucketName });
    new CfnOutput(this, 'MailIdentity', {
      value: this.mailer.identityName,
      description: 'Verify in SES before sending',
    });
    new CfnOutput(this, 'StaffUserPoolId', {
      value: this.staffSignIn.userPool.userPoolId,
      description: 'Add staff here and put each in a group: complaints-team, officer-<service>, …',
    });
    new CfnOutput(this, 'StaffWorkspaceUrl', { value: `${this.api.publicUrl}/staff` });
    new CfnOutput(this, 'LinkSecretArn', { value: this.linkSecret.secret.secretArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.operations.alarmTopic.topicArn });
  }
}

/** The dead-letter queue of an asynchronously invoked function (built with one). */
function requiredDeadLetters(f: RedressFunctions['evidenceScan']) {
  if (!f.deadLetterQueue)
    throw new Error(`The ${f.shortName} function must be built with a dead-letter queue`);
  return f.deadLetterQueue;
}

/**
 * Writes the validated policy (defaults applied) as the JSON file every function ships with.
 * Named by content hash in the cloud assembly folder, so it changes only when the policy does.
 */
function writePolicyFile(scope: Construct, config: DeploymentConfig): string {
  const json = `${JSON.stringify(config.policy, null, 2)}\n`;
  const hash = createHash('sha256').update(json).digest('hex').slice(0, 16);
  const outdir = Stage.of(scope)?.outdir ?? mkdtempSync(join(tmpdir(), 'redress-'));
  const dir = join(outdir, 'redress-policy');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${hash}.json`);
  writeFileSync(path, json);
  return path;
}
