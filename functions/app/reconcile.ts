import type { CaseEvent, CaseRecord } from '../domain/case.js';
import type { Policy } from '../domain/policy-schema.js';
import type { CaseStore, EmailMessage, ExecutionState, Mailer, WorkflowEngine } from '../domain/ports.js';
import { logger } from '../observability.js';
import { escapeHtml, operationalEmailHtml } from '../templates/escape-html.js';
import { currentExecutionName, startReopenedWorkflow } from './executions.js';
import {
  recordFoundRunning,
  StartNotRecordedError,
  startCaseWorkflow,
  workflowFor,
} from './workflow-starter.js';

/**
 * The reconciler: every open case should have a running workflow, and this checks that they do.
 * The table's stream starts each case's workflow (`workflow-starter.ts`) and the workflows
 * ride out outages themselves; this is the backstop for whatever still slips through (a stream
 * record that went to the dead-letter queue, an execution that timed out or was stopped by
 * hand). It reads the open cases a page at a time, asks Step Functions about each case's
 * execution, starts the missing ones, redrives the stopped ones, and emails the complaints team
 * one summary of what it found and did. Scheduled every 15 minutes (`functions/handlers/reconcile.ts`).
 */

/**
 * Cases younger than this, in real time, are left alone: their stream record may still be on its
 * way. The stream and its retries run in real time (the local poller backs off up to 30 seconds
 * a retry, ten tries), however fast the service's clock runs: on that clock the grace is this
 * times `ReconcileDeps.timeScale`. Five minutes of an accelerated clock would be a fraction of a
 * second, and the reconciler would start, and report as stuck, cases the stream was about to start.
 */
export const RECENT_CASE_MS = 5 * 60_000;

/**
 * How long after a case was created the reconciler still looks for a start nobody recorded in a
 * running execution's case (`running`): such a start is lost only at the start, and the next run
 * finds it, so a day is ample. Older running cases are not read: a query of every open case's
 * history every run would cost more than the rest of the reconciler.
 */
export const FOUND_RUNNING_WINDOW_MS = 24 * 60 * 60_000;

/**
 * A stopped execution is redriven at most this often. One that keeps stopping has a problem a
 * redrive cannot mend, and a person is asked instead.
 */
export const MAX_REDRIVES = 3;

/**
 * The errors of the workflows' own `Fail` states (`workflows/definitions/`), e.g. a step failed
 * after its retries and the workflow told the complaints team. A redrive restarts an execution
 * at the state where it stopped, here that `Fail` state, and it would stop again at once: a
 * person is asked instead.
 */
export const WORKFLOW_FAIL_ERRORS: ReadonlySet<string> = new Set(['WorkflowFailed', 'CannotResume']);

/** Statuses in which a case needs no workflow (as the store's open-cases index counts them). */
const NOT_OPEN: ReadonlySet<CaseRecord['status']> = new Set(['closed', 'redirected']);

/** Cases checked at once: a few, well inside Step Functions' DescribeExecution rate. */
const CONCURRENCY = 8;

/** The email's template tag (it is built here, not from a case's letter templates). */
export const RECONCILIATION_TEMPLATE = 'workflow-reconciliation';

/** Some cases could not be checked or mended; the summary (if any) went out, and the next run tries again. */
export class ReconcileIncompleteError extends Error {
  override name = 'ReconcileIncompleteError';
}

export interface ReconcileDeps {
  store: CaseStore;
  workflows: WorkflowEngine;
  /** The council's name and the complaints team's mailbox. */
  policy: Policy;
  mailer: Mailer;
  now: () => Date;
  /** How many times faster than real time `now` runs (1, real time, unless given): see `RECENT_CASE_MS`. */
  timeScale?: number;
  /** A signed link to the case's page for the complaints team, when links can be made. */
  caseLink?: (c: Pick<CaseRecord, 'caseId' | 'reference'>) => Promise<string | undefined>;
}

/** What a case's execution was found to be. */
export type Found = 'missing' | 'gone' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'SUCCEEDED' | 'unknown';

/** One case whose workflow was not running, and what was done about it. */
export interface ReconcileFinding {
  caseId: string;
  reference: string;
  /** The case's own status (a workflow that finished should have closed it). */
  caseStatus: CaseRecord['status'];
  found: Found;
  /** `failed`: the reconciler could not check or act; the next run tries again. */
  action: 'started' | 'redriven' | 'needs-a-person' | 'failed';
  /** The error the execution stopped with, why it was not redriven, or what stopped the reconciler. */
  reason?: string;
  /** A person was already asked about this by an earlier run: not emailed again. */
  alreadyReported?: boolean;
}

export interface ReconcileResult {
  /** Open cases whose execution was looked at. */
  checked: number;
  /** Open cases too new to judge. */
  tooRecent: number;
  findings: ReconcileFinding[];
  started: number;
  redriven: number;
  /** Cases found without a running workflow (what the `CasesWithoutWorkflow` alarm watches). */
  withoutWorkflow: number;
  /** Whether the complaints team was emailed. */
  emailed: boolean;
}

/** Checks every open case's workflow and mends what it can; emails the team when it found something new. */
export async function reconcileWorkflows(deps: ReconcileDeps): Promise<ReconcileResult> {
  const now = deps.now().getTime();
  const grace = RECENT_CASE_MS * (deps.timeScale ?? 1);
  const findings: ReconcileFinding[] = [];
  let checked = 0;
  let tooRecent = 0;
  let batch: CaseRecord[] = [];
  const flush = async () => {
    const results = await Promise.all(batch.map((c) => reconcileCase(deps, c)));
    for (const finding of results) if (finding) findings.push(finding);
    batch = [];
  };
  for await (const c of deps.store.openCases()) {
    if (now - Date.parse(c.createdAt) < grace) {
      tooRecent++;
      continue;
    }
    checked++;
    batch.push(c);
    if (batch.length >= CONCURRENCY) await flush();
  }
  await flush();

  const news = findings.filter((f) => !f.alreadyReported && f.action !== 'failed');
  let emailed = false;
  if (news.length > 0) {
    const links = await caseLinks(deps, findings);
    await deps.mailer.send(
      reconciliationEmail(findings, {
        council: deps.policy.council,
        to: [deps.policy.routing.complaintsTeam],
        links,
      }),
    );
    emailed = true;
  }
  return {
    checked,
    tooRecent,
    findings,
    started: findings.filter((f) => f.action === 'started').length,
    redriven: findings.filter((f) => f.action === 'redriven').length,
    withoutWorkflow: findings.filter((f) => f.found !== 'unknown').length,
    emailed,
  };
}

/** Looks at one case's execution and mends it if it can; undefined when it is running. */
async function reconcileCase(deps: ReconcileDeps, listed: CaseRecord): Promise<ReconcileFinding | undefined> {
  const base = { caseId: listed.caseId, reference: listed.reference, caseStatus: listed.status };
  const workflow = workflowFor(listed.kind);
  let name = currentExecutionName(listed);
  let execution: ExecutionState | undefined;
  let c: CaseRecord | undefined;
  try {
    execution = await deps.workflows.describe(workflow, name);
    if (execution?.status === 'RUNNING' || execution?.status === 'PENDING_REDRIVE')
      return running(deps, listed);
    // The index is eventually consistent: a case whose workflow closed it, or moved it to a
    // fresh execution, a moment ago may be listed as it was. Read it again before deciding.
    c = await deps.store.get(listed.caseId);
    if (c === undefined || NOT_OPEN.has(c.status)) return undefined;
    // Reopened, and its fresh execution never started (Step Functions did not answer): start it.
    if (c.workflow?.reopening) {
      await startReopenedWorkflow(deps, c, 'reconciler');
      logger.warn('reconciler started a reopened case’s workflow', { caseId: c.caseId });
      return { ...base, caseStatus: c.status, found: 'missing', action: 'started' };
    }
    if (currentExecutionName(c) !== name) {
      name = currentExecutionName(c);
      execution = await deps.workflows.describe(workflow, name);
      if (execution?.status === 'RUNNING' || execution?.status === 'PENDING_REDRIVE') return running(deps, c);
    }
  } catch (error: unknown) {
    return failed({ ...base, found: 'unknown' }, error);
  }
  base.caseStatus = c.status;

  if (execution === undefined) {
    try {
      const events = await deps.store.events(c.caseId);
      if (!events.some((e) => e.type === 'workflow-started')) {
        const { created, recorded, recordedBy } = await startReconciled(deps, c);
        if (!created) {
          // The stream started it since Step Functions was asked (its start, with its own input,
          // came first): the stream's to record, and nothing for the team.
          logger.info('the stream started a workflow the reconciler was about to start', {
            caseId: c.caseId,
          });
          return undefined;
        }
        if (!recorded && recordedBy !== 'stream') {
          // Another run at the same moment (a repeated schedule, or one started by hand) made
          // the same start, and its record came first: that run reports it, this one does not.
          // (A record the stream wrote, finding this start made, leaves it this run's to report.)
          logger.info('another reconciler run started this workflow at the same moment', {
            caseId: c.caseId,
          });
          return undefined;
        }
        logger.warn('reconciler started a workflow', { caseId: c.caseId });
        return { ...base, found: 'missing', action: 'started' };
      }
      // Recorded as started. The stream records a start after making it, so it may have started
      // the workflow since Step Functions was asked: ask again, now the record has been read.
      execution = await deps.workflows.describe(workflow, name);
      // Started once and still unknown to Step Functions (it forgets closed executions after 90
      // days): starting afresh would run the case from the beginning again.
      if (execution === undefined) {
        return needsPerson(deps, { ...base, found: 'gone' }, 'its execution no longer exists', events);
      }
      if (execution.status === 'RUNNING' || execution.status === 'PENDING_REDRIVE') return undefined;
    } catch (error: unknown) {
      return failed({ ...base, found: 'missing' }, error);
    }
  }

  const found = execution.status;
  if (found === 'SUCCEEDED') {
    return needsPerson(
      deps,
      { ...base, found },
      `its workflow has finished but the case is ${base.caseStatus}`,
    );
  }
  const stoppedWith = execution.error ? `${found}, ${execution.error}` : found;
  if (found === 'FAILED' && WORKFLOW_FAIL_ERRORS.has(execution.error ?? '')) {
    return needsPerson(deps, { ...base, found }, `${stoppedWith}: the workflow stopped itself`);
  }
  if (!execution.redrivable) {
    return needsPerson(
      deps,
      { ...base, found },
      `${stoppedWith}: ${execution.redriveStatusReason ?? 'not redrivable'}`,
    );
  }
  if (execution.redriveCount >= MAX_REDRIVES) {
    return needsPerson(
      deps,
      { ...base, found },
      `${stoppedWith}: redriven ${execution.redriveCount} times already`,
    );
  }
  try {
    await deps.workflows.redrive(workflow, name);
    await deps.store.appendEvent(c.caseId, {
      at: deps.now().toISOString(),
      type: 'workflow-redriven',
      actor: 'system',
      detail: {
        by: 'reconciler',
        status: found,
        ...(execution.error ? { error: execution.error } : {}),
        redriveCount: execution.redriveCount + 1,
        ...(name === c.caseId ? {} : { execution: name }),
      },
    });
    logger.warn('reconciler redrove a workflow', { caseId: c.caseId, status: found });
    return { ...base, found, action: 'redriven', reason: stoppedWith };
  } catch (error: unknown) {
    return failed({ ...base, found, reason: stoppedWith }, error);
  }
}

/**
 * Starts the case's workflow for the reconciler. A start whose record lost every attempt to the
 * new execution's own writes was still made: it is reported as started (`recorded`, as no other
 * run's record came first), and the next run, finding the execution running, records it.
 */
async function startReconciled(
  deps: ReconcileDeps,
  c: CaseRecord,
): Promise<{ created: boolean; recorded: boolean; recordedBy?: string }> {
  try {
    return await startCaseWorkflow(deps, c, 'reconciler');
  } catch (error: unknown) {
    if (!(error instanceof StartNotRecordedError)) throw error;
    logger.warn('reconciler started a workflow and could not record it: the next run records it', {
      caseId: c.caseId,
    });
    return { created: error.created, recorded: true };
  }
}

/**
 * A case whose execution is running: nothing to mend, but a start nobody recorded (its starter
 * lost every attempt to record it) is recorded now, as found running. Reads the case's history:
 * one query a running case a run, for cases created in the last day (`FOUND_RUNNING_WINDOW_MS`).
 * Whatever stops the record is left to the next run.
 */
async function running(deps: ReconcileDeps, c: Pick<CaseRecord, 'caseId' | 'createdAt'>): Promise<undefined> {
  const age = deps.now().getTime() - Date.parse(c.createdAt);
  if (!(age < FOUND_RUNNING_WINDOW_MS * (deps.timeScale ?? 1))) return undefined;
  try {
    if (await recordFoundRunning(deps, c.caseId)) {
      logger.warn('reconciler recorded the start of a workflow found running', { caseId: c.caseId });
    }
  } catch (error: unknown) {
    logger.warn('could not record the start of a workflow found running', {
      caseId: c.caseId,
      error: error instanceof Error ? error.name : typeof error,
    });
  }
  return undefined;
}

/**
 * A case a person must look at. Asked once: the `workflow-needs-attention` event it records
 * keeps later runs from emailing again about the same problem, until the workflow starts or is
 * redriven and stops again. The alarm on `CasesWithoutWorkflow` keeps firing meanwhile.
 */
async function needsPerson(
  deps: ReconcileDeps,
  finding: Omit<ReconcileFinding, 'action' | 'reason'>,
  reason: string,
  known?: CaseEvent[],
): Promise<ReconcileFinding> {
  const result: ReconcileFinding = { ...finding, action: 'needs-a-person', reason };
  try {
    const events = known ?? (await deps.store.events(finding.caseId));
    const last = [...events]
      .reverse()
      .find((e) => ['workflow-started', 'workflow-redriven', 'workflow-needs-attention'].includes(e.type));
    if (last?.type === 'workflow-needs-attention' && last.detail?.found === finding.found) {
      return { ...result, alreadyReported: true };
    }
    await deps.store.appendEvent(finding.caseId, {
      at: deps.now().toISOString(),
      type: 'workflow-needs-attention',
      actor: 'system',
      detail: { found: finding.found, reason },
    });
  } catch (error: unknown) {
    // Telling the team matters more than remembering that we did: a repeat is the lesser harm.
    logger.error('could not record that a case needs attention', {
      caseId: finding.caseId,
      error: error instanceof Error ? error.name : typeof error,
    });
  }
  logger.warn('case needs a person', { caseId: finding.caseId, found: finding.found });
  return result;
}

function failed(finding: Omit<ReconcileFinding, 'action'>, error: unknown): ReconcileFinding {
  const name = error instanceof Error ? error.name : typeof error;
  logger.error('reconciler could not check a case', { caseId: finding.caseId, error: name });
  return { ...finding, action: 'failed', reason: finding.reason ? `${finding.reason}; ${name}` : name };
}

async function caseLinks(deps: ReconcileDeps, findings: ReconcileFinding[]): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  if (!deps.caseLink) return links;
  for (const f of findings) {
    try {
      const link = await deps.caseLink(f);
      if (link) links.set(f.caseId, link);
    } catch (error: unknown) {
      // The summary is worth sending without links.
      logger.warn('no case link for the reconciliation summary', {
        caseId: f.caseId,
        error: error instanceof Error ? error.name : typeof error,
      });
    }
  }
  return links;
}

const WHAT_WAS_DONE: Record<ReconcileFinding['action'], (f: ReconcileFinding) => string> = {
  started: () => 'Its workflow had not started. Redress has started it.',
  redriven: (f) => `Its workflow had stopped (${f.reason}). Redress has restarted it from where it stopped.`,
  'needs-a-person': (f) =>
    f.found === 'SUCCEEDED'
      ? `Its workflow has finished, but the case is still ${f.caseStatus}. Please check it, and close it or handle it by hand.`
      : `Its workflow is not running (${f.reason}) and Redress cannot restart it. Please handle the case by hand.`,
  failed: (f) => `Redress could not check it (${f.reason}). The next check will try again.`,
};

/**
 * The summary to the complaints team: one line per case, by reference, with what was found and
 * done. References and statuses only, nothing about the resident: email is copied and forwarded.
 */
export function reconciliationEmail(
  findings: ReconcileFinding[],
  options: { council: string; to: string[]; links?: Map<string, string> },
): EmailMessage {
  const shown = findings.filter((f) => !f.alreadyReported);
  const needPerson = shown.filter((f) => f.action === 'needs-a-person').length;
  const subject =
    needPerson > 0
      ? `Case workflows: ${needPerson} ${needPerson === 1 ? 'case needs' : 'cases need'} a person`
      : `Case workflows: ${shown.length} ${shown.length === 1 ? 'case was' : 'cases were'} set going again`;
  const items = shown.map((f) => ({
    reference: f.reference,
    text: WHAT_WAS_DONE[f.action](f),
    link: options.links?.get(f.caseId),
  }));
  const intro =
    'Redress checks that every open case has a running workflow (the workflow sends the letters, ' +
    'watches the deadlines and sends officers their tasks). This check found:';
  const text = [
    intro,
    '',
    ...items.flatMap((i) => [
      `- ${i.reference}: ${i.text}`,
      ...(i.link ? [`  Open the case: ${i.link}`] : []),
    ]),
    '',
    'This email holds no personal data. Do not add any before forwarding it.',
    '',
    options.council,
  ].join('\n');
  const html = operationalEmailHtml(subject, [
    `<p>${escapeHtml(intro)}</p>`,
    '<ul>',
    ...items.map(
      (i) =>
        `<li><strong>${escapeHtml(i.reference)}</strong>: ${escapeHtml(i.text)}` +
        (i.link
          ? ` <a href="${escapeHtml(i.link)}" style="color:#1d70b8;">Open case ${escapeHtml(i.reference)}</a>`
          : '') +
        '</li>',
    ),
    '</ul>',
    '<p>This email holds no personal data. Do not add any before forwarding it.</p>',
    `<p>${escapeHtml(options.council)}</p>`,
  ]);
  return { to: options.to, subject, text, html, template: RECONCILIATION_TEMPLATE };
}
