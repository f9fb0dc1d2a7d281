import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { policyDigest } from '../../functions/domain/policy-file.js';
import { METRICS_NAMESPACE } from '../../functions/observability.js';
import { acknowledgeDeadLetterQueue } from './mailer.js';
import { acknowledgeOnRolePolicy } from './nag.js';

/** A file or folder the handler reads at run time, copied next to the bundle. */
export interface RuntimeFile {
  /** Absolute path on the build machine. */
  from: string;
  /** Path inside the bundle (relative to the Lambda task root). */
  to: string;
  /** Environment variable set to the file's path on Lambda. */
  env?: string;
}

export interface RedressFunctionProps {
  /** Short name, e.g. `route`; used in the description and the service name. */
  name: string;
  /** Absolute path of the TypeScript entry file. */
  entry: string;
  /** Absolute path of the project root (holds package-lock.json and node_modules). */
  projectRoot: string;
  /**
   * Absolute path of the policy file shipped with every function, validated and with `extends`
   * resolved (`infra/stack.ts` writes it): functions read it without validating it again.
   */
  policyFile: string;
  logRetention: logs.RetentionDays;
  /** @default 512 */
  memorySize?: number;
  /** @default 30 seconds */
  timeout?: Duration;
  /** Caps concurrent executions (protects the table and SES from a flood). */
  reservedConcurrency?: number;
  /**
   * Invoked asynchronously (SNS, EventBridge): failed events go to an SQS dead-letter queue.
   * Synchronously invoked functions (API Gateway, Step Functions tasks) report failure to
   * their caller instead, which retries or catches.
   */
  asyncInvoked?: boolean;
  /**
   * Where a synchronously invoked function's failures go instead of a dead-letter queue, when not
   * back to an API Gateway or Step Functions caller (e.g. a stream's on-failure destination).
   */
  failuresGoTo?: string;
  runtimeFiles?: readonly RuntimeFile[];
  environment?: Record<string, string>;
}

/** Where the Lambda runtime unpacks the bundle. */
const TASK_ROOT = '/var/task';
/** Name of the shipped policy file inside every bundle. */
export const BUNDLED_POLICY_NAME = 'redress-policy.json';

/** An entry file or a run-time file a function needs is missing at synth. */
export class MissingSourceError extends Error {
  override name = 'MissingSourceError';
}

/**
 * One Lambda function as every Redress function is built (STYLE.md, Powertools' example):
 * Node.js 24 on ARM64, X-Ray tracing, an ESM bundle made by local esbuild (no Docker) with
 * source maps, its own log group with a retention period, the policy file shipped beside the
 * code, and a dead-letter queue when it is invoked asynchronously.
 */
export class RedressFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly deadLetterQueue?: sqs.Queue;
  readonly shortName: string;

  constructor(scope: Construct, id: string, props: RedressFunctionProps) {
    super(scope, id);
    this.shortName = props.name;
    requireFile(props.entry, `the entry of the ${props.name} function`, props.projectRoot);
    requireFile(props.policyFile, 'the policy file shipped with every function', props.projectRoot);
    const runtimeFiles = props.runtimeFiles ?? [];
    for (const file of runtimeFiles) {
      requireFile(file.from, `read at run time by the ${props.name} function`, props.projectRoot);
    }

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      // Logs carry ids, never personal data (functions/observability.ts); the case trail lives in DynamoDB.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    if (props.asyncInvoked) {
      this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      acknowledgeDeadLetterQueue(this.deadLetterQueue, `events the ${props.name} function failed to process`);
    }

    const copies = [
      { from: props.policyFile, to: BUNDLED_POLICY_NAME },
      ...runtimeFiles.map(({ from, to }) => ({ from, to })),
    ];
    const fileEnv: Record<string, string> = {};
    for (const file of runtimeFiles) {
      if (file.env) fileEnv[file.env] = `${TASK_ROOT}/${file.to}`;
    }

    // Its own role, writing only to its own log group (rather than the managed
    // AWSLambdaBasicExecutionRole, which may write to any log group).
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Redress ${props.name} function`,
    });
    this.logGroup.grantWrite(role);

    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      role,
      entry: props.entry,
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      description: `Redress ${props.name}`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      reservedConcurrentExecutions: props.reservedConcurrency,
      deadLetterQueue: this.deadLetterQueue,
      environment: {
        // Powertools (functions/observability.ts): one service per function in logs, traces and
        // the metrics' `service` dimension; the namespace the alarms watch; INFO and above.
        POWERTOOLS_SERVICE_NAME: `redress-${props.name}`,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        REDRESS_POLICY: `${TASK_ROOT}/${BUNDLED_POLICY_NAME}`,
        // The file was validated when the stack was synthesized (infra/stack.ts): the function
        // reads it as it is, without loading the schema or the presets, if its digest matches.
        REDRESS_POLICY_SHA256: policyDigest(readFileSync(props.policyFile, 'utf8')),
        ...fileEnv,
        ...props.environment,
      },
      bundling: {
        format: nodejs.OutputFormat.ESM,
        mainFields: ['module', 'main'],
        // ESM output has no `require`; some CommonJS dependencies still call it.
        banner:
          "import { createRequire as __redressCreateRequire } from 'node:module';const require = __redressCreateRequire(import.meta.url);",
        sourceMap: true,
        sourcesContent: false,
        minify: true,
        // Bundle the AWS SDK too: the version tested locally is the version that runs.
        externalModules: [],
        forceDockerBundling: false,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir: string, outputDir: string) =>
            copies.flatMap(({ from, to }) => {
              const target = `${outputDir}/${to}`;
              const parent = target.slice(0, target.lastIndexOf('/'));
              return [`mkdir -p "${parent}"`, `cp -R "${from}" "${target}"`];
            }),
        },
      },
    });

    // Tracing ACTIVE adds xray:PutTraceSegments/PutTelemetryRecords, which take no resource.
    acknowledgeOnRolePolicy(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions (AWS documents Resource "*").',
    );

    if (!props.asyncInvoked) {
      Validations.of(this.fn).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason: props.failuresGoTo
          ? `The ${props.name} function is invoked synchronously: ${props.failuresGoTo}.`
          : `The ${props.name} function is invoked synchronously (API Gateway or a Step Functions task): ` +
            'a failure goes back to the caller, which retries or catches it; nothing is left to dead-letter.',
      });
    }
  }
}

function requireFile(path: string, what: string, root: string): void {
  if (!existsSync(path)) {
    throw new MissingSourceError(
      `Cannot build Redress: ${relative(root, path) || path} (${what}) does not exist.`,
    );
  }
}
