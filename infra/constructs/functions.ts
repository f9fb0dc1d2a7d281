import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FALLBACK_FONTS } from '../../functions/templates/font-fallback.js';
import { STEP_FUNCTIONS, type StepFunctionKey } from '../../workflows/catalog.js';
import type { FunctionTracing } from '../config.js';
import type { CaseStore } from './case-store.js';
import { MAIL_CONFIGURATION_SET_ENV, MAIL_FROM_ENV, type Mailer } from './mailer.js';
import { ARCHIVE_BUCKET_ENV, type RecordsArchive } from './records-archive.js';
import { type GeneratedFiles, RedressFunction, type RuntimeFile } from './redress-function.js';
import type { LinkSecret } from './secrets.js';
import { Workflows } from './workflows.js';

/** Environment variable: the public address officers' and residents' links start with. */
export const PUBLIC_BASE_URL_ENV = 'PUBLIC_BASE_URL';
/** Environment variable: path prefix of the pages on the public host (`/live` without a custom domain). */
export const PUBLIC_BASE_PATH_ENV = 'PUBLIC_BASE_PATH';
/** Environment variable: the complaints team mailbox, when the deployment overrides the policy's. */
export const COMPLAINTS_TEAM_ENV = 'COMPLAINTS_TEAM';

export interface RedressFunctionsProps {
  projectRoot: string;
  stackName: string;
  policyFile: string;
  logRetention: logs.RetentionDays;
  /** X-Ray tracing of every function (`redress:functionTracing`); default `RedressFunction`'s. */
  tracing?: FunctionTracing;
  caseStore: CaseStore;
  archive: RecordsArchive;
  mailer: Mailer;
  linkSecret: LinkSecret;
  /** Entries of the handlers beside the steps (relative to the project root). */
  serviceEntries: {
    api: string;
    sesEvents: string;
    monthlyReport: string;
    startWorkflows: string;
    reconcile: string;
    holdReviews: string;
    evidenceScan: string;
    caseChanges: string;
  };
  /** Files the api handler reads at run time (views, GOV.UK Frontend). */
  apiRuntimeFiles: readonly RuntimeFile[];
  /** Folders the api's bundle step writes beside it (the pages' templates compiled to code). */
  apiGeneratedFiles?: readonly GeneratedFiles[];
  complaintsTeam?: string;
  /**
   * Whether an erasure (the api) and the end of a case's retention (case-changes) remove the
   * resident's address from SES's account-level suppression list (`redress:forgetSuppressedAddresses`).
   */
  forgetSuppressedAddresses?: boolean;
}

/**
 * The fonts printed letters embed (`functions/templates/render-letter.ts`), copied next to the
 * bundle, with the fallbacks for scripts DejaVu lacks (`functions/templates/font-fallback.ts`).
 */
function LETTER_FONT_FILES(projectRoot: string) {
  const dir = join(projectRoot, 'node_modules/dejavu-fonts-ttf/ttf');
  return [
    { from: join(dir, 'DejaVuSans.ttf'), to: 'fonts/DejaVuSans.ttf', env: 'REDRESS_LETTER_FONT' },
    { from: join(dir, 'DejaVuSans-Bold.ttf'), to: 'fonts/DejaVuSans-Bold.ttf' },
    ...FALLBACK_FONTS.map(({ file, npmPackage }) => ({
      from: join(projectRoot, 'node_modules', npmPackage, '400Regular', file),
      to: `fonts/${file}`,
    })),
  ];
}

/**
 * Every Lambda function of Redress, each holding only what it needs.
 *
 * | function        | table     | archive (cases/*) | SES send | link secret | workflows                         | other                   |
 * |-----------------|-----------|-------------------|----------|-------------|-----------------------------------|-------------------------|
 * | route           | readWrite |                   |          |             |                                   |                         |
 * | notify          | readWrite | read/write/tag    | yes      | read        |                                   | letter fonts            |
 * | request-task    | readWrite |                   | yes      | read        | SendTask* (answer a stale)        |                         |
 * | clock           | readWrite | read/write/tag    | yes      | read        | StartExecution (a fresh execution)| letter fonts            |
 * | escalate        | readWrite |                   | yes      | read        |                                   | metric via EMF log line |
 * | record          | readWrite |                   |          |             |                                   |                         |
 * | archive         | readWrite | rw, tag, erase    |          |             |                                   |                         |
 * | api             | readWrite | rw, tag, erase    | yes      | read        | SendTask*, StartExecution (reopen)| letter fonts            |
 * | ses-events      | readWrite |                   | yes      |             |                                   | the email events queue  |
 * | monthly-report  | read      |                   | yes      | read        |                                   | EventBridge schedule    |
 * | start-workflows | readWrite |                   |          |             | StartExecution                    | the table's stream      |
 * | reconcile       | readWrite |                   | yes      | read        | Start, Describe, RedriveExecution | EventBridge schedule    |
 * | hold-reviews    | readWrite |                   | yes      |             |                                   | EventBridge schedule    |
 * | evidence-scan   | readWrite | evidence/*: check |          |             |                                   | GuardDuty scan results  |
 * | case-changes    | readWrite | list, tags, erase |          |             |                                   | case changes (stream)   |
 *
 * Why: route and record only change the case; clock changes it and, for a case older than
 * an execution may live, starts the next execution of its workflow; notify, request-task and escalate email
 * signed links, and notify stores a printed letter for a resident without email; ses-events records bounces and alerts the complaints team; archive writes the
 * closed case file; the api answers officers' callbacks, verifies links, and re-tags an
 * archived file to the 6-year class when an ombudsman enquiry is recorded after the execution
 * has ended; the monthly report reads cases and emails the team; start-workflows starts each new
 * case's execution from the table's stream and records it; the reconciler starts or redrives
 * the executions of open cases that have none running and emails the team (with case links);
 * hold-reviews emails the team the legal holds whose review date has come (links to the
 * workspace, which signs staff in: nothing to sign) and records the reminder on each case;
 * case-changes keeps the public report's counters in the table from every change of a case
 * (`functions/app/report-counting.ts`) and deletes an expired case's archived objects (and any
 * event a closure left without the case's expiry) when the table's TTL deletes the case (a file rewritten by a correction would otherwise outlive it:
 * `functions/app/archive-expiry.ts`); one function for both, as the stream's second reader.
 */
export class RedressFunctions extends Construct {
  /** The step functions, keyed by their ASL substitution variable. */
  readonly steps: Record<StepFunctionKey, RedressFunction>;
  readonly api: RedressFunction;
  readonly sesEvents: RedressFunction;
  /** The queue SES's email events wait in until `sesEvents` has recorded them. */
  readonly sesEventsQueue: sqs.Queue;
  readonly monthlyReport: RedressFunction;
  readonly startWorkflows: RedressFunction;
  readonly reconcile: RedressFunction;
  /** Emails the legal holds due for review (EventBridge, daily). */
  readonly holdReviews: RedressFunction;
  /** Records GuardDuty's malware scan results for residents' evidence (EventBridge). */
  readonly evidenceScan: RedressFunction;
  /**
   * Keeps the public report's counters from every change of a case, and deletes an expired case's
   * archive when the table's TTL deletes the case (the table's stream, its second reader).
   */
  readonly caseChanges: RedressFunction;

  constructor(scope: Construct, id: string, props: RedressFunctionsProps) {
    super(scope, id);
    const make = (
      cid: string,
      name: string,
      entry: string,
      extra: Partial<ConstructorParameters<typeof RedressFunction>[2]> = {},
    ) =>
      new RedressFunction(this, cid, {
        name,
        entry: join(props.projectRoot, entry),
        projectRoot: props.projectRoot,
        policyFile: props.policyFile,
        logRetention: props.logRetention,
        ...(props.tracing ? { tracing: props.tracing } : {}),
        ...extra,
      });

    const steps: Partial<Record<StepFunctionKey, RedressFunction>> = {};
    for (const [key, spec] of Object.entries(STEP_FUNCTIONS) as [
      StepFunctionKey,
      (typeof STEP_FUNCTIONS)[StepFunctionKey],
    ][]) {
      steps[key] = make(
        pascal(spec.name),
        spec.name,
        spec.entry,
        // The notify step prints letters for the post, and so does the clock step (a holding
        // letter it sends itself): their PDFs embed these fonts.
        spec.name === 'notify' || spec.name === 'clock' || spec.name === 'route'
          ? { runtimeFiles: LETTER_FONT_FILES(props.projectRoot) }
          : {},
      );
    }
    this.steps = steps as Record<StepFunctionKey, RedressFunction>;

    this.api = make('Api', 'api', props.serviceEntries.api, {
      memorySize: 1024,
      // API Gateway gives up after 29 s: answer (or fail) well before.
      timeout: Duration.seconds(15),
      // The workspace writes letters for the post (a designation's decision): they embed the fonts.
      runtimeFiles: [...props.apiRuntimeFiles, ...LETTER_FONT_FILES(props.projectRoot)],
      generatedFiles: props.apiGeneratedFiles ?? [],
      compilesTemplates: apiCompilesTemplates(props.apiGeneratedFiles),
    });
    this.sesEvents = make('SesEvents', 'ses-events', props.serviceEntries.sesEvents, {
      failuresGoTo:
        'its events come from the email events queue, which delivers again what it failed to record and ' +
        'sends what still fails to the queue’s dead-letter queue (an alarm watches it)',
    });
    this.monthlyReport = make('MonthlyReport', 'monthly-report', props.serviceEntries.monthlyReport, {
      asyncInvoked: true,
      memorySize: 1024,
      timeout: Duration.minutes(5),
    });
    this.startWorkflows = make('StartWorkflows', 'start-workflows', props.serviceEntries.startWorkflows, {
      timeout: Duration.minutes(1),
      failuresGoTo:
        'its records come from the case table’s stream, whose event source mapping retries them and sends ' +
        'what still fails to its own on-failure queue (an alarm watches it)',
    });
    // One run at a time: a slow run and the next one would check the same cases together.
    this.reconcile = make('Reconcile', 'reconcile', props.serviceEntries.reconcile, {
      asyncInvoked: true,
      timeout: Duration.minutes(10),
      reservedConcurrency: 1,
    });
    // One run at a time, though its outbox keeps two from sending the same reminder.
    this.holdReviews = make('HoldReviews', 'hold-reviews', props.serviceEntries.holdReviews, {
      asyncInvoked: true,
      timeout: Duration.minutes(2),
      reservedConcurrency: 1,
    });

    this.evidenceScan = make('EvidenceScan', 'evidence-scan', props.serviceEntries.evidenceScan, {
      asyncInvoked: true,
      // It reads an uploaded file (at most 10 MB) to check its content.
      memorySize: 512,
      timeout: Duration.minutes(1),
    });

    this.caseChanges = make('CaseChanges', 'case-changes', props.serviceEntries.caseChanges, {
      timeout: Duration.minutes(1),
      failuresGoTo:
        'its records come from the case table’s stream, whose event source mapping retries them and sends ' +
        'what still fails to its own on-failure queue (an alarm watches it)',
    });

    const { caseStore, archive, mailer, linkSecret } = props;
    const s = this.steps;
    const fn = (f: RedressFunction) => f.fn;

    // The table: everyone writes except the report, which only reads.
    for (const f of [
      ...Object.values(s),
      this.api,
      this.sesEvents,
      this.startWorkflows,
      this.reconcile,
      this.holdReviews,
      this.evidenceScan,
      this.caseChanges,
    ]) {
      caseStore.grantTo(fn(f), 'readWrite');
    }
    caseStore.grantTo(fn(this.monthlyReport), 'read');

    // Email: those that write to people (ses-events alerts the complaints team to a bounce).
    // Signed links: those whose emails or pages carry or verify them. The api sends the few
    // emails the staff workspace does itself (a re-issued task link, a designation's decision).
    // The clock step sends the reminders, holding letters and escalations a clock falls due for;
    // the routing step the receipt before the usual route's first wait.
    const senders = [
      this.api,
      s.RouteFunctionArn,
      s.NotifyFunctionArn,
      s.RequestTaskFunctionArn,
      s.EscalateFunctionArn,
      s.ClockFunctionArn,
      this.sesEvents,
      this.monthlyReport,
      this.reconcile,
      this.holdReviews,
    ];
    const signers = [
      s.RouteFunctionArn,
      s.NotifyFunctionArn,
      s.RequestTaskFunctionArn,
      s.EscalateFunctionArn,
      s.ClockFunctionArn,
      this.api,
      this.monthlyReport,
      this.reconcile,
    ];
    for (const f of senders) {
      mailer.grantSend(fn(f));
      if (props.complaintsTeam) fn(f).addEnvironment(COMPLAINTS_TEAM_ENV, props.complaintsTeam);
    }
    // An erasure, and the end of a case's retention, ask SES to forget the resident's address,
    // where the deployment lets them change the account's list. Expiry reads the address from the
    // archived case file (the stream's removal carries no image).
    if (props.forgetSuppressedAddresses) {
      mailer.grantForgetAddresses(fn(this.api));
      mailer.grantForgetAddresses(fn(this.caseChanges));
      archive.grantCaseFileReading(fn(this.caseChanges));
    }
    for (const f of signers) linkSecret.grantRead(fn(f));

    // The archive: notify (and the clock, for a holding letter) stores printed letters with the
    // case, archive keeps them with it.
    for (const f of [
      s.ArchiveFunctionArn,
      s.NotifyFunctionArn,
      s.ClockFunctionArn,
      s.RouteFunctionArn,
      this.api,
    ]) {
      archive.grantTo(fn(f));
    }
    // Legal holds and erasure from the workspace. The archive step holds a case held while open,
    // and deletes the file it wrote for a case whose erasure began meanwhile.
    archive.grantRecordsControl(fn(this.api), { erase: true });
    archive.grantDownloads(fn(this.api));
    archive.grantRecordsControl(fn(s.ArchiveFunctionArn), { erase: true });
    // The archive follows the table out: an expired case's objects, every version.
    archive.grantRecordsControl(fn(this.caseChanges), { erase: true });
    archive.grantDownloadsErasure(fn(this.caseChanges));

    // Workflows: the api answers callbacks; request-task may answer a callback itself (e.g. a
    // task the officer already completed). Executions start from the table's stream, and the
    // reconciler starts or redrives those that are not running.
    // The api also starts one: the fresh execution of a case the staff workspace reopens.
    Workflows.grantStartAndRespond(fn(this.api), props.stackName, { start: true });
    Workflows.grantStartAndRespond(fn(s.RequestTaskFunctionArn), props.stackName, { start: false });
    Workflows.grantStart(fn(this.startWorkflows), props.stackName, { reconcile: false });
    // Routing and the clock step answer their own callback states (their reading is the task's
    // success or a failure named for where it leads); both may hand a case near Step Functions'
    // one-year limit to a fresh execution (routing reads the acknowledgement clock on the usual
    // route, which a case sent back to routing by a decision late in an execution reaches).
    Workflows.grantStartAndRespond(fn(s.RouteFunctionArn), props.stackName, { start: true });
    Workflows.grantStartAndRespond(fn(s.ClockFunctionArn), props.stackName, { start: true });
    Workflows.grantStart(fn(this.reconcile), props.stackName, { reconcile: true });
    caseStore.deliverNewCasesTo(fn(this.startWorkflows));
    caseStore.deliverCaseChangesTo(fn(this.caseChanges));

    // The step functions share one set of dependencies (functions/app/container.ts `stepDeps`); each
    // builds only the adapters its entry file wires, when first used. They all get the archive's
    // and the mailer's *names*; names are not permissions: without the grant above, IAM refuses.
    for (const f of Object.values(s)) {
      fn(f).addEnvironment(ARCHIVE_BUCKET_ENV, archive.bucket.bucketName);
      fn(f).addEnvironment(MAIL_FROM_ENV, mailer.mailFrom);
      fn(f).addEnvironment(MAIL_CONFIGURATION_SET_ENV, mailer.configurationSet.configurationSetName);
    }

    // The api's workspace sends from the same identity and configuration set as the steps.
    fn(this.api).addEnvironment(MAIL_FROM_ENV, mailer.mailFrom);
    fn(this.api).addEnvironment(MAIL_CONFIGURATION_SET_ENV, mailer.configurationSet.configurationSetName);

    this.sesEventsQueue = mailer.deliverEventsTo(fn(this.sesEvents));
  }

  /** Every function, by its short name. */
  all(): RedressFunction[] {
    return [
      ...Object.values(this.steps),
      this.api,
      this.sesEvents,
      this.monthlyReport,
      this.startWorkflows,
      this.reconcile,
      this.holdReviews,
      this.evidenceScan,
      this.caseChanges,
    ];
  }

  /**
   * Tells every function the public address links start with, and the api the path prefix its
   * pages live under (for the links and assets inside its HTML).
   */
  setPublicAddress(url: string, basePath: string): void {
    for (const f of this.all()) f.fn.addEnvironment(PUBLIC_BASE_URL_ENV, url);
    this.api.fn.addEnvironment(PUBLIC_BASE_PATH_ENV, basePath);
  }
}

function pascal(name: string): string {
  return name
    .split('-')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

/** The folders of compiled templates the API renders its pages and report pages from. */
const API_COMPILED_TEMPLATES = ['REDRESS_PRECOMPILED_VIEWS_DIR', 'REDRESS_PRECOMPILED_REPORT_VIEWS_DIR'];

/**
 * Whether the API compiles templates at run time, so that its bundle must keep nunjucks whole:
 * unless both its pages and its report pages are compiled when it is built (a stack given only
 * some of them would otherwise ship a runtime that cannot compile the rest, and fail on the first
 * page instead of at synth).
 */
export function apiCompilesTemplates(generated: readonly GeneratedFiles[] | undefined): boolean {
  return !API_COMPILED_TEMPLATES.every((env) => generated?.some((file) => file.env === env));
}
