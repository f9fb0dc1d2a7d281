import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { AssetHashType, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { buildSync, type Metafile } from 'esbuild';
import { policyDigest } from '../../functions/domain/policy-file.js';
import { METRICS_NAMESPACE } from '../../functions/observability.js';
import { precompileEmails } from '../../functions/templates/precompiled-emails.js';
import type { FunctionTracing } from '../config.js';
import { builtinAliases, inlineBuiltinChunks, restoreDynamicImports } from './bundled-builtins.js';
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

/** A folder the bundle step writes next to the bundle, e.g. templates compiled to code. */
export interface GeneratedFiles {
  /** Path inside the bundle (relative to the Lambda task root). */
  to: string;
  /** Environment variable set to the folder's path on Lambda. */
  env?: string;
  /** Writes the folder's files into `dir` (absolute, created by the caller if it writes there). */
  generate: (dir: string) => void;
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
  /** Folders written at bundle time next to the bundle (`GeneratedFiles`). */
  generatedFiles?: readonly GeneratedFiles[];
  environment?: Record<string, string>;
  /**
   * Renders templates it compiles at run time (an API built without its compiled pages): its
   * bundle keeps nunjucks whole. Otherwise every template the function renders was compiled when
   * it was built (the emails, `EMAIL_TEMPLATES_COMPILED`; pages in `generatedFiles`), and its
   * bundle ships nunjucks's runtime only (`bundle`).
   * @default false
   */
  compilesTemplates?: boolean;
  /**
   * X-Ray tracing: active, with Powertools' tracer in the function (`sdk`: a subsegment for each
   * AWS call); active, by Lambda alone (`lambda`: the function neither loads the tracer nor the
   * X-Ray SDK, a sixth of a step's cold start, and its trace shows the invocation as a whole);
   * or none (`off`).
   * @default 'lambda'
   */
  tracing?: FunctionTracing;
}

/**
 * Every function's emails, compiled when its bundle is built (`precompiled-emails.ts` says why
 * there and not in the bundle). Every function ships them: each can send mail (the adapters load
 * on first use), and the folder is written from the sources at each build, so it cannot drift.
 */
export const EMAIL_TEMPLATES_COMPILED: GeneratedFiles = {
  to: 'emails-compiled',
  env: 'REDRESS_PRECOMPILED_EMAILS_DIR',
  generate: (dir) => {
    precompileEmails(dir);
  },
};

/** Where the Lambda runtime unpacks the bundle. */
const TASK_ROOT = '/var/task';
/** Name of the shipped policy file inside every bundle. */
export const BUNDLED_POLICY_NAME = 'redress-policy.json';

/** An entry file or a run-time file a function needs is missing at synth. */
export class MissingSourceError extends Error {
  override name = 'MissingSourceError';
}

/** The runtime every function runs on. */
export const RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * One Lambda function as every Redress function is built (STYLE.md, Powertools' example):
 * Node.js 24 on ARM64, X-Ray tracing, an ESM bundle made by local esbuild (no Docker) with
 * source maps, its own log group with a retention period, the policy file shipped beside the
 * code, and a dead-letter queue when it is invoked asynchronously.
 *
 * The bundle is split (esbuild's code splitting): what the handler imports with `import()` is
 * a chunk of its own in the same asset, read from disk the first time it is asked for, so the
 * cold start parses none of it (pdfkit and its fonts until a letter is printed, a page's code
 * until it is served). CDK's NodejsFunction cannot do that (it always passes `--outfile`, and
 * esbuild splits only into an `--outdir`), so this construct calls esbuild itself, with the
 * options NodejsFunction gave it before.
 */
export class RedressFunction extends Construct {
  readonly fn: lambda.Function;
  readonly logGroup: logs.LogGroup;
  readonly deadLetterQueue?: sqs.Queue;
  readonly shortName: string;
  /** Whether its bundle ships nunjucks's runtime alone (`compilesTemplates` unset). */
  readonly slimNunjucks: boolean;

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
    const generatedFiles = [EMAIL_TEMPLATES_COMPILED, ...(props.generatedFiles ?? [])];
    const slimNunjucks = !props.compilesTemplates;
    this.slimNunjucks = slimNunjucks;
    const fileEnv: Record<string, string> = {};
    for (const file of [...runtimeFiles, ...generatedFiles]) {
      if (file.env) fileEnv[file.env] = `${TASK_ROOT}/${file.to}`;
    }

    // Its own role, writing only to its own log group (rather than the managed
    // AWSLambdaBasicExecutionRole, which may write to any log group).
    const tracing = props.tracing ?? 'lambda';
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Redress ${props.name} function`,
    });
    this.logGroup.grantWrite(role);

    this.fn = new lambda.Function(this, 'Function', {
      role,
      description: `Redress ${props.name}`,
      runtime: RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(props.projectRoot, {
        // Named by what is shipped, as NodejsFunction does: hashing the source folder would read node_modules.
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Never used: local bundling always answers (tryBundle returns true or throws).
          image: RUNTIME.bundlingImage,
          // CDK reuses a bundle made in the same synth for the same folder and bundling options,
          // and the local bundler is not among them: the entry and the copied files are named
          // here so that each function gets its own bundle.
          environment: {
            REDRESS_ENTRY: relative(props.projectRoot, props.entry),
            REDRESS_COPIES: JSON.stringify(copies),
            REDRESS_GENERATED: JSON.stringify(generatedFiles.map((g) => g.to)),
            REDRESS_NUNJUCKS: slimNunjucks ? 'runtime' : 'whole',
          },
          local: {
            tryBundle: (outputDir: string) => {
              bundle(props.entry, props.projectRoot, outputDir, { slimNunjucks });
              for (const { from, to } of copies) cpSync(from, join(outputDir, to), { recursive: true });
              for (const { to, generate } of generatedFiles) generate(join(outputDir, to));
              return true;
            },
          },
        },
      }),
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: tracing === 'off' ? lambda.Tracing.DISABLED : lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      reservedConcurrentExecutions: props.reservedConcurrency,
      deadLetterQueue: this.deadLetterQueue,
      environment: {
        // Powertools (functions/observability.ts): one service per function in logs, traces and
        // the metrics' `service` dimension; the namespace the alarms watch; INFO and above.
        POWERTOOLS_SERVICE_NAME: `redress-${props.name}`,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        // The function loads the tracer only when this says so (functions/observability.ts).
        POWERTOOLS_TRACE_ENABLED: String(tracing === 'sdk'),
        // No `--enable-source-maps`: it parses every file's map at start; stacks are mapped when
        // read instead (functions/stack-traces.ts).
        REDRESS_POLICY: `${TASK_ROOT}/${BUNDLED_POLICY_NAME}`,
        // The file was validated when the stack was synthesized (infra/stack.ts): the function
        // reads it as it is, without loading the schema or the presets, if its digest matches.
        REDRESS_POLICY_SHA256: policyDigest(readFileSync(props.policyFile, 'utf8')),
        ...fileEnv,
        ...props.environment,
      },
    });

    if (tracing !== 'off') {
      // Tracing ACTIVE adds xray:PutTraceSegments/PutTelemetryRecords, which take no resource.
      acknowledgeOnRolePolicy(
        role,
        'AwsSolutions-IAM5[Resource::*]',
        'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions (AWS documents Resource "*").',
      );
    } else {
      Validations.of(this.fn).acknowledge({
        id: 'Serverless-LambdaTracing',
        reason: `X-Ray tracing of the ${props.name} function was turned off by the deployment: its logs and metrics remain.`,
      });
    }

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

/**
 * nunjucks's own build of its runtime alone (no lexer, parser or compiler): 3.5 ms of CPU to load
 * against 11 ms for the package, whose CommonJS modules esbuild cannot shake. It runs templates
 * compiled ahead of time and fails on a template given as text; the functions that render
 * nothing else use it. Its Node-only loaders (`FileSystemLoader`) are absent.
 */
const NUNJUCKS_RUNTIME = 'nunjucks/browser/nunjucks-slim.js';

/**
 * Bundles the entry file into `outputDir`: `index.mjs` (its handler) and `chunks/` (what it
 * imports with `import()`), with linked source maps. With `slimNunjucks`, `nunjucks` is
 * nunjucks's runtime alone (`NUNJUCKS_RUNTIME`). Node's built-ins are loaded as `require` would
 * load them (`bundled-builtins.ts`).
 */
export function bundle(
  entry: string,
  projectRoot: string,
  outputDir: string,
  options: { slimNunjucks: boolean },
): void {
  const { metafile } = buildSync({
    absWorkingDir: projectRoot,
    entryPoints: { index: entry },
    outdir: outputDir,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    // ESM output has no `require`; some CommonJS dependencies still call it.
    banner: {
      js: "import { createRequire as __redressCreateRequire } from 'node:module';const require = __redressCreateRequire(import.meta.url);",
    },
    sourcemap: true,
    sourcesContent: false,
    minify: true,
    // The AWS SDK is bundled too: the version tested locally is the version that runs.
    external: [],
    alias: {
      ...builtinAliases(projectRoot),
      ...(options.slimNunjucks ? { nunjucks: NUNJUCKS_RUNTIME } : {}),
    },
    logLevel: 'warning',
    metafile: true,
  });
  sourcesFromProjectRoot(projectRoot, metafile);
  restoreDynamicImports(projectRoot, metafile);
  inlineBuiltinChunks(projectRoot, metafile);
}

/**
 * Names each map's sources from the project root (`functions/app/intake.ts`), not from where the
 * bundle was built (`../../../functions/…`, or the build machine's own directories): the stacks
 * the functions log name them as they are in the repository (`functions/stack-traces.ts`).
 */
function sourcesFromProjectRoot(projectRoot: string, metafile: Metafile): void {
  for (const output of Object.keys(metafile.outputs).filter((file) => file.endsWith('.map'))) {
    const path = resolve(projectRoot, output);
    const map = JSON.parse(readFileSync(path, 'utf8')) as { sources: string[]; sourceRoot?: string };
    map.sources = map.sources.map((source) => relative(projectRoot, resolve(dirname(path), source)));
    delete map.sourceRoot;
    writeFileSync(path, JSON.stringify(map));
  }
}

function requireFile(path: string, what: string, root: string): void {
  if (!existsSync(path)) {
    throw new MissingSourceError(
      `Cannot build Redress: ${relative(root, path) || path} (${what}) does not exist.`,
    );
  }
}
