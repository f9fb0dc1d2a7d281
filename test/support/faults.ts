/**
 * Fault scenarios against the real local runtime (`npm start` in a child process), for the
 * end-to-end fault tests and `npm run bench:faults`. A scenario sends a batch of complaints,
 * acts as the officer on every acknowledgement task emailed, breaks something while it runs
 * (DynamoDB Local killed, the SES stand-in down or throttling, the whole runtime killed), and
 * then counts, from the SES stand-in's store and from the case table, what every resident and
 * officer got: each accepted complaint one receipt and one task email, each officer decision
 * one acknowledgement to the resident.
 *
 * A submission is retried (same `Idempotency-Key`, as the form does) until it is accepted, so a
 * refusal costs nothing but time; what each answer was is kept. Every loop has a count or a
 * deadline; all traffic stays on 127.0.0.1.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { dataPaths, LOCAL_CASE_TABLE } from '../../infra/local/runtime.js';
import {
  injectSesFault,
  LOCAL_AWS_ENV,
  pendingSesFaults,
  type RunningStandIn,
  type StoredEmail,
  startDynamoDbLocal,
} from '../../infra/local/stand-ins/index.js';
import { ACKNOWLEDGE } from './acknowledge.js';
import { linkClaims, type RuntimeProcess, startRuntimeProcess, taskLinks } from './runtime.js';

/**
 * How much faster than real time the runtime's clock runs: retries back off in seconds rather
 * than minutes, while the first deadline (five working days: two hours and more of real time)
 * and its reminders stay far beyond any scenario.
 */
export const FAULT_TIME_SCALE = 60;

/** The time scale a scenario runs at: `FAULT_TIME_SCALE`, or the bench's `BENCH_FAULT_TIME_SCALE` (e.g. 1440, as a demo runs). */
const scenarioTimeScale = (): number => Number(process.env.BENCH_FAULT_TIME_SCALE ?? FAULT_TIME_SCALE);

/** Every submission comes from 127.0.0.1: the per-client intake limit is off for these floods. */
const UNLIMITED = { INTAKE_LIMIT_PER_CLIENT_PER_HOUR: 'off' };

/** Real time between two attempts of a refused or unanswered request. */
const RETRY_MS = 400;
/** How long a submission keeps trying before it is reported as never accepted. */
const SUBMIT_DEADLINE_MS = 180_000;
/** Attempts of one submission, whatever the deadline. */
const SUBMIT_ATTEMPTS = 400;
/** Time allowed for a single HTTP request before it counts as unanswered. */
const REQUEST_TIMEOUT_MS = 30_000;
/** How often the officer looks for new task emails. */
const OFFICER_POLL_MS = 300;
/** Task links the officer works on at once. */
const OFFICER_CONCURRENCY = 6;
/** How long everything may take to settle after the batch, before what is missing counts as lost. */
const SETTLE_DEADLINE_MS = 150_000;
const SETTLE_POLL_MS = 1_000;
/** How long a process or port may take to go away or come back. */
const GONE_DEADLINE_MS = 60_000;

const PLANNING_COMPLAINT =
  'The planning team promised three times to call me back about my enquiry and never did.';

/** One line of the scenario table. */
export interface Tally {
  /** Complaints sent (the batch and any probes). */
  submitted: number;
  /** Complaints that got their case (201, or 200 for a retry the service recognised). */
  accepted: number;
  /** Complaints refused at least once with a clear answer (503 with Retry-After and a message). */
  refused: number;
  /** Complaints that got no answer at least once (the runtime was down or killed mid-request). */
  unanswered: number;
  /** Complaints that got any other answer at least once (a 500, a 503 without Retry-After…). */
  unclear: number;
  /** Officer decisions recorded (acknowledgements). */
  decisions: number;
  /** Officer decisions refused at least once with a clear 503. */
  decisionsRefused: number;
  /**
   * Officer decisions answered 409 at least once though nobody else acted on the task: "already
   * done" before the task was open, or "someone else acted at the same moment" when it was the
   * workflow writing to the case. The officer tries again (a person might not).
   */
  answered409: number;
  /** Accepted complaints missing their receipt or task email, and decisions that never reached the resident. */
  lost: number;
  /** Complaints whose emails all went, but one of them is not recorded as `email-sent` on the case. */
  unrecorded: number;
  /** Complaints or decisions with an email sent (or a case stored) more than once. */
  duplicated: number;
}

/** What a scenario found. */
export interface ScenarioResult extends Tally {
  name: string;
  /** Each loss, duplicate and unclear answer, in words. */
  problems: string[];
  /** What the fault did, in words, in order. */
  notes: string[];
  /** Facts the scenario's fault recorded for the test to check (e.g. the answer while DynamoDB was down). */
  observed: Record<string, string>;
  /** The runtimes' output, for failure messages. */
  output: string;
}

/** What a fault can do while the batch runs. */
export interface FaultContext {
  /** The runtime now running (a new one after each restart). */
  readonly runtime: RuntimeProcess;
  /** Resolves once at least `count` complaints have been accepted. */
  accepted(count: number): Promise<void>;
  /** Sends one more complaint now and resolves with its first answer (it is then retried like the others). */
  probe(): Promise<string>;
  /** SIGKILL to the runtime's DynamoDB Local; resolves once its port refuses. */
  killDynamoDb(): Promise<void>;
  /** Starts DynamoDB Local again on the same port and data (this process's child from then on). */
  relaunchDynamoDb(): Promise<void>;
  /** kill -9 of the whole runtime; resolves once it and its DynamoDB Local have gone. */
  killRuntime(): Promise<void>;
  /** Resolves once the runtime has died by itself (a crash the fault set up). */
  crashed(): Promise<void>;
  /** Starts the runtime again on the same data directory and port. */
  restart(): Promise<void>;
  /** Records what happened, for the report. */
  note(text: string): void;
  /** Records a fact for the test to check. */
  observe(name: string, value: string): void;
}

/** A batch of complaints and the fault that hits it. */
export interface Scenario {
  name: string;
  /** Complaints in the batch. */
  submissions: number;
  /** Real milliseconds between the starts of two submissions; 0 sends them all at once. */
  spacingMs: number;
  /** Runs alongside the batch. */
  fault(context: FaultContext): Promise<void>;
}

/** The five scenarios of the fault tests and the bench, for `submissions` complaints each. */
export function faultScenarios(submissions: number, concurrent = 200): Scenario[] {
  const third = Math.max(1, Math.ceil(submissions / 3));
  return [
    {
      name: 'DynamoDB Local killed and relaunched',
      submissions,
      spacingMs: 120,
      async fault(context) {
        await context.accepted(third);
        await context.killDynamoDb();
        context.note('DynamoDB Local killed (SIGKILL)');
        context.observe('while DynamoDB was down', await context.probe());
        await sleep(1_500);
        await context.relaunchDynamoDb();
        context.note('DynamoDB Local relaunched on the same port and data');
      },
    },
    {
      name: 'SES down, then throttling',
      submissions,
      spacingMs: 120,
      async fault(context) {
        const ses = () => context.runtime.endpoints.ses;
        await context.accepted(Math.ceil(submissions / 4));
        await injectSesFault(ses(), 'outage', { seconds: 4 });
        await until(async () => !(await answers(ses())), 'the SES port to close');
        context.note('SES stand-in stopped');
        context.observe('SES port while down', 'refused');
        await until(() => answers(ses()), 'the SES port to open again');
        context.note('SES stand-in started again on the same port');
        await context.accepted(Math.ceil((submissions * 2) / 3));
        const throttled = Math.max(6, Math.ceil(submissions / 3));
        await injectSesFault(ses(), 'throttle', { requests: throttled });
        context.note(`SES throttling the next ${throttled} SendEmail requests`);
        await until(async () => (await pendingSesFaults(ses())).throttle === 0, 'every throttled answer');
        context.observe('throttled answers left', '0');
      },
    },
    {
      name: 'crash after SES accepted a receipt',
      submissions,
      spacingMs: 120,
      async fault(context) {
        for (let crash = 1; crash <= 2; crash++) {
          await injectSesFault(context.runtime.endpoints.ses, 'crash-after-send', { template: 'receipt' });
          // One more complaint, so that a receipt is sure to follow (the batch may be through).
          await context.probe();
          await context.crashed();
          context.note(`runtime killed right after SES accepted a receipt (${crash})`);
          await context.restart();
          context.note('runtime restarted on the same data and port');
        }
        context.observe('crashes', '2');
      },
    },
    {
      name: 'runtime killed (kill -9) and restarted',
      submissions,
      spacingMs: 120,
      async fault(context) {
        await context.accepted(third);
        await context.killRuntime();
        context.note('runtime killed (SIGKILL)');
        context.observe('while the runtime was down', await context.probe());
        await context.restart();
        context.note('runtime restarted on the same data and port');
        await context.accepted(2 * third);
        await context.killRuntime();
        context.note('runtime killed (SIGKILL) again');
        await context.restart();
        context.note('runtime restarted again');
      },
    },
    {
      name: `${concurrent} concurrent submissions`,
      submissions: concurrent,
      spacingMs: 0,
      async fault() {},
    },
  ];
}

interface Submission {
  index: number;
  resident: string;
  key: string;
  /** Every answer, in order: a status code, or `no answer`, with when it came (seconds into the scenario). */
  answers: string[];
  /** When each answer came, in seconds since the scenario started. */
  answeredAt: number[];
  caseId?: string;
  reference?: string;
}

interface Decision {
  caseId: string;
  done: boolean;
  refused: boolean;
  /** What the officer's requests were answered, in order (`GET 200`, `POST 503`, `no answer`…). */
  answers: string[];
  /** The task page's form token, once read. */
  csrf?: string;
  /** Times the link answered 409 (nobody else acts on these tasks). */
  conflicts: number;
}

/** Runs one scenario on a fresh runtime and data directory, and counts what everyone got. */
export async function runScenario(scenario: Scenario): Promise<ScenarioResult> {
  const runId = Math.random().toString(36).slice(2, 8);
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-faults-'));
  const notes: string[] = [];
  const started = Date.now();
  const elapsed = () => Math.round((Date.now() - started) / 100) / 10;
  const observed: Record<string, string> = {};
  const problems: string[] = [];
  const outputs: string[] = [];
  const submissions: Submission[] = [];
  const decisions = new Map<string, Decision>();
  let relaunched: RunningStandIn | undefined;
  let runtime = await startRuntimeProcess({ dataDir, timeScale: scenarioTimeScale(), env: UNLIMITED });
  const port = runtime.port;
  const acceptedWaiters: { count: number; resolve: () => void }[] = [];
  const acceptedCount = () => submissions.filter((s) => s.caseId !== undefined).length;
  const noteAccepted = () => {
    const count = acceptedCount();
    for (const waiter of acceptedWaiters.filter((w) => w.count <= count)) {
      acceptedWaiters.splice(acceptedWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };

  const newSubmission = (): Submission => {
    const index = submissions.length;
    const submission: Submission = {
      index,
      resident: `resident-${runId}-${index}@example.com`,
      key: `faults-${runId}-${index}`,
      answers: [],
      answeredAt: [],
    };
    submissions.push(submission);
    return submission;
  };

  /** One attempt; resolves with its answer and records the case when accepted. */
  const attempt = async (submission: Submission): Promise<string> => {
    let answer: string;
    try {
      const response = await fetch(`${runtime.baseUrl}/complaints`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': submission.key },
        body: JSON.stringify({
          kind: 'complaint',
          service: 'planning',
          summary: `${PLANNING_COMPLAINT} (enquiry ${submission.index})`,
          desiredOutcome: 'A call back and an apology.',
          complainant: { name: `Resident ${submission.index}`, email: submission.resident },
        }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      answer = String(response.status);
      if (response.status === 201 || response.status === 200) {
        const body = JSON.parse(text) as { caseId: string; reference: string };
        submission.caseId = body.caseId;
        submission.reference = body.reference;
      } else if (response.status === 503) {
        // Clear: when to try again, and a sentence saying what happened (JSON from the API; plain
        // text from the API Gateway stand-in while the runtime is still starting).
        const json = /json/.test(response.headers.get('content-type') ?? '');
        const message = json ? (JSON.parse(text) as { message?: unknown }).message : text.trim();
        if (!response.headers.get('retry-after') || typeof message !== 'string' || message === '') {
          answer = '503 without Retry-After or message';
        }
      }
    } catch (error: unknown) {
      if (!(error instanceof Error)) throw error;
      // A JSON body that does not parse is an unclear answer; a failed fetch is no answer.
      answer = error instanceof SyntaxError ? 'unreadable body' : 'no answer';
    }
    submission.answers.push(answer);
    submission.answeredAt.push(elapsed());
    if (submission.caseId !== undefined) noteAccepted();
    return answer;
  };

  const submitUntilAccepted = async (submission: Submission, first?: string): Promise<void> => {
    const deadline = Date.now() + SUBMIT_DEADLINE_MS;
    let answer = first ?? (await attempt(submission));
    for (let n = 1; submission.caseId === undefined && n < SUBMIT_ATTEMPTS && Date.now() < deadline; n++) {
      const problem = `submission ${submission.index}: answered ${answer}`;
      if (answer !== 'no answer' && answer !== '503' && !problems.includes(problem)) problems.push(problem);
      await sleep(RETRY_MS);
      answer = await attempt(submission);
    }
  };

  const extra: Promise<void>[] = [];
  const context: FaultContext = {
    get runtime() {
      return runtime;
    },
    accepted: (count) =>
      new Promise((resolve) => {
        acceptedWaiters.push({ count, resolve });
        noteAccepted();
      }),
    async probe() {
      const submission = newSubmission();
      const first = await attempt(submission);
      extra.push(submitUntilAccepted(submission, first));
      return first;
    },
    async killDynamoDb() {
      const [pid, ...others] = dynamoDbLocalPids(runtime.pid);
      if (pid === undefined || others.length > 0)
        throw new Error('expected one DynamoDB Local of the runtime');
      process.kill(pid, 'SIGKILL');
      await until(async () => !(await answers(runtime.endpoints.dynamodb)), 'DynamoDB Local to go');
    },
    async relaunchDynamoDb() {
      relaunched = await startDynamoDbLocal({
        port: Number(new URL(runtime.endpoints.dynamodb).port),
        dataDir: dataPaths(dataDir).dynamodb,
      });
    },
    async killRuntime() {
      outputs.push(runtime.output());
      await runtime.kill();
    },
    async crashed() {
      await until(async () => !alive(runtime.pid), 'the runtime to crash');
      outputs.push(runtime.output());
      await runtime.kill();
    },
    async restart() {
      runtime = await startRuntimeProcess({ dataDir, port, timeScale: scenarioTimeScale(), env: UNLIMITED });
    },
    note: (text) => notes.push(`+${elapsed()} s: ${text}`),
    observe: (name, value) => {
      observed[name] = value;
    },
  };

  // The officer: acts on every acknowledgement task as its email arrives, retrying what is refused.
  let officerStopped = false;
  const officer = (async () => {
    const working = new Set<string>();
    const deadline = Date.now() + SUBMIT_DEADLINE_MS + SETTLE_DEADLINE_MS;
    while (!officerStopped && Date.now() < deadline) {
      const emails = await runtime.emails().catch(() => [] as StoredEmail[]);
      for (const { caseId, link } of acknowledgeTasks(emails)) {
        const decision = decisions.get(caseId) ?? {
          caseId,
          done: false,
          refused: false,
          answers: [],
          conflicts: 0,
        };
        decisions.set(caseId, decision);
        if (decision.done || working.has(caseId) || working.size >= OFFICER_CONCURRENCY) continue;
        working.add(caseId);
        void acknowledge(link, decision, problems).finally(() => working.delete(caseId));
      }
      await sleep(OFFICER_POLL_MS);
    }
  })();

  try {
    const batch = Array.from({ length: scenario.submissions }, () => newSubmission()).map(
      async (submission, i) => {
        await sleep(i * scenario.spacingMs);
        await submitUntilAccepted(submission);
      },
    );
    const fault = scenario.fault(context);
    await Promise.all([...batch, fault]);
    await Promise.all(extra);

    // Settled: every accepted complaint's emails are in, every decision's too, and no step is
    // midway through an email (one that is could still send it again).
    const store = caseStore(() => runtime.endpoints.dynamodb);
    try {
      const settleDeadline = Date.now() + SETTLE_DEADLINE_MS;
      for (;;) {
        const emails = await runtime.emails();
        const count = countEmails(emails, submissions);
        const accepted = submissions.filter((s) => s.caseId !== undefined);
        const emailsIn =
          accepted.every(
            (s) =>
              (count.receipts.get(s.reference ?? '') ?? 0) > 0 &&
              (count.tasks.get(s.caseId ?? '') ?? 0) > 0 &&
              decisions.get(s.caseId ?? '')?.done === true,
          ) &&
          [...decisions.values()].every(
            (d) => !d.done || (count.acknowledgements.get(referenceOf(submissions, d.caseId)) ?? 0) > 0,
          );
        if (emailsIn && (await noneMidway(store.store, accepted))) break;
        if (Date.now() > settleDeadline) {
          notes.push('not settled before the deadline: what is missing counts as lost');
          break;
        }
        await sleep(SETTLE_POLL_MS);
      }
      officerStopped = true;
      await officer;
      const finalEmails = await runtime.emails();
      const counted = await count(store.store, finalEmails, submissions, decisions);
      problems.push(...counted.problems);
      for (const [subject, { times, said }] of otherEmails(finalEmails, submissions)) {
        notes.push(`also sent: "${subject}" ×${times}${said ? `, saying: ${said}` : ''}`);
      }
      outputs.push(runtime.output());
      return {
        name: scenario.name,
        submitted: submissions.length,
        accepted: submissions.filter((s) => s.caseId !== undefined).length,
        refused: submissions.filter((s) => s.answers.includes('503')).length,
        unanswered: submissions.filter((s) => s.answers.includes('no answer')).length,
        unclear: submissions.filter((s) =>
          s.answers.some((a) => !['201', '200', '503', 'no answer'].includes(a)),
        ).length,
        decisions: [...decisions.values()].filter((d) => d.done).length,
        decisionsRefused: [...decisions.values()].filter((d) => d.refused).length,
        answered409: [...decisions.values()].filter((d) => d.conflicts > 0).length,
        lost: counted.lost,
        unrecorded: counted.unrecorded,
        duplicated: counted.duplicated,
        problems,
        notes,
        observed,
        output: outputs.join('\n--- restarted ---\n'),
      };
    } finally {
      store.close();
    }
  } finally {
    officerStopped = true;
    await officer;
    // The runtime first: a DynamoDB Local this process relaunched must still answer while it stops.
    if (alive(runtime.pid)) {
      if ((await runtime.stop()) !== 0) await runtime.kill().catch(() => undefined);
    }
    await relaunched?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The officer's acknowledgement: opens the link for its form token and acknowledges. Only a 303
 * to the post (Post/Redirect/Get, to the link's done page) means the decision is recorded. The form token belongs to the link, so a post
 * whose answer was lost is simply sent again: the service answers a repeat of a recorded
 * decision as it answered the first.
 */
async function acknowledge(link: string, decision: Decision, problems: string[]): Promise<void> {
  try {
    if (decision.csrf === undefined) {
      const page = await fetch(link, {
        headers: { Accept: 'text/html' },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const html = await page.text();
      decision.answers.push(`GET ${page.status}`);
      // Nobody else acts on these tasks: "already done" before any decision means the task
      // email went out before the case recorded the task as open. Try again later.
      if (page.status === 409) decision.conflicts += 1;
      if (page.status !== 200) return;
      decision.csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
      if (decision.csrf === undefined) {
        problems.push(`case ${decision.caseId}: task page without a form token`);
        return;
      }
    }
    const response = await fetch(link, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
      body: new URLSearchParams({ csrf: decision.csrf, ...ACKNOWLEDGE }).toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await response.text();
    decision.answers.push(`POST ${response.status}`);
    if (response.status === 303) decision.done = true;
    else if (response.status === 503) decision.refused = true;
    // "Someone else acted at the same moment": the workflow wrote to the case. Try again later.
    else if (response.status === 409) decision.conflicts += 1;
    else problems.push(`case ${decision.caseId}: decision answered ${response.status}`);
  } catch (error: unknown) {
    // No answer (the runtime is down): the next round tries again.
    if (!(error instanceof Error)) throw error;
    decision.answers.push('no answer');
  }
}

/** Acknowledgement task emails: the case and link of each (an officer's task email carries one link). */
function acknowledgeTasks(emails: StoredEmail[]): { caseId: string; link: string }[] {
  return emails.flatMap((email) =>
    taskLinks(email)
      .filter((link) => linkClaims(link).a === 'acknowledge')
      .map((link) => ({ caseId: linkClaims(link).c, link })),
  );
}

interface EmailCounts {
  /** Receipts to the resident, by case reference. */
  receipts: Map<string, number>;
  /** Acknowledgement task emails to the officer, by case id. */
  tasks: Map<string, number>;
  /** Acknowledgements to the resident, by case reference. */
  acknowledgements: Map<string, number>;
  /** Emails with the same recipients and subject as an earlier one. */
  repeated: string[];
}

/** Counts, in the SES stand-in's store, what each resident and officer was sent. */
function countEmails(emails: StoredEmail[], submissions: Submission[]): EmailCounts {
  const residents = new Set(submissions.map((s) => s.resident));
  const counts: EmailCounts = {
    receipts: new Map(),
    tasks: new Map(),
    acknowledgements: new Map(),
    repeated: [],
  };
  const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  const references = new Set(submissions.map((s) => s.reference));
  const seen = new Set<string>();
  for (const email of emails) {
    // Any email about one of the batch's cases, to the same people with the same subject twice,
    // is a duplicate (subjects carry the case reference, and a task's its due date).
    const about = /([A-Z]{3}-\d{4}-\d{6})/.exec(email.subject)?.[1];
    const line = `${email.destination.to.join(',')} | ${email.subject}`;
    if (about !== undefined && references.has(about) && seen.has(line)) counts.repeated.push(line);
    seen.add(line);
    const toResident = email.destination.to.some((to) => residents.has(to));
    const reference = /\(([A-Z]{3}-\d{4}-\d{6})\)$/.exec(email.subject)?.[1];
    if (toResident && reference && /^We have received your /.test(email.subject))
      add(counts.receipts, reference);
    if (toResident && reference && /^Your complaint is being looked into /.test(email.subject)) {
      add(counts.acknowledgements, reference);
    }
    for (const { caseId } of acknowledgeTasks([email])) add(counts.tasks, caseId);
  }
  return counts;
}

/** Emails that are neither to the batch's residents nor task emails (alerts, summaries), by subject. */
function otherEmails(
  emails: StoredEmail[],
  submissions: Submission[],
): Map<string, { times: number; said: string }> {
  const residents = new Set(submissions.map((s) => s.resident));
  const others = new Map<string, { times: number; said: string }>();
  for (const email of emails) {
    if (email.destination.to.some((to) => residents.has(to)) || taskLinks(email).length > 0) continue;
    // An alert says what happened after "What happened:": keep that, it names the error.
    const said = /What happened:\s*\n([^\n]+)/.exec(email.body.text ?? '')?.[1]?.trim() ?? '';
    const seen = others.get(email.subject);
    others.set(email.subject, { times: (seen?.times ?? 0) + 1, said: seen?.said || said });
  }
  return others;
}

function referenceOf(submissions: Submission[], caseId: string): string {
  return submissions.find((s) => s.caseId === caseId)?.reference ?? '';
}

/** Whether no accepted case has a step that started an email and has not recorded it. */
async function noneMidway(store: DynamoDbCaseStore, accepted: Submission[]): Promise<boolean> {
  for (const submission of accepted) {
    const c = await store.get(submission.caseId ?? '').catch(() => undefined);
    if (c === undefined) return false;
    if (Object.values(c.effects ?? {}).some((effect) => effect.status === 'started')) return false;
  }
  return true;
}

/** Counts losses and duplicates, case by case, in the SES stand-in's store and in the table. */
async function count(
  store: DynamoDbCaseStore,
  emails: StoredEmail[],
  submissions: Submission[],
  decisions: Map<string, Decision>,
): Promise<{ lost: number; unrecorded: number; duplicated: number; problems: string[] }> {
  const counts = countEmails(emails, submissions);
  const problems: string[] = counts.repeated.map((line) => `sent twice: ${line}`);
  let lost = 0;
  let unrecorded = 0;
  let duplicated = 0;
  for (const submission of submissions) {
    const cases = await store.byComplainant(submission.resident);
    const { caseId, reference } = submission;
    if (caseId === undefined || reference === undefined) {
      if (cases.length > 0) problems.push(`submission ${submission.index}: stored but never accepted`);
      continue;
    }
    const events = await store.events(caseId);
    const sent = (template: string, task?: string) =>
      events.filter(
        (e) =>
          e.type === 'email-sent' &&
          e.detail?.template === template &&
          (task === undefined || e.detail?.task === task),
      ).length;
    const decided = decisions.get(caseId)?.done === true;
    const found: Record<string, [number, number]> = {
      receipt: [counts.receipts.get(reference) ?? 0, sent('receipt')],
      'officer task': [counts.tasks.get(caseId) ?? 0, sent('officer-task', 'acknowledge')],
      ...(decided
        ? {
            acknowledgement: [counts.acknowledgements.get(reference) ?? 0, sent('acknowledgement')] as [
              number,
              number,
            ],
          }
        : {}),
    };
    const missing = Object.entries(found).filter(([, [inbox, table]]) => inbox === 0 || table === 0);
    const neverSent = missing.filter(([, [inbox]]) => inbox === 0);
    const twice = Object.entries(found).filter(([, [inbox, table]]) => inbox > 1 || table > 1);
    for (const [what, [inbox, table]] of [...missing, ...twice]) {
      problems.push(`${reference}: ${what} ${inbox} in the inbox, ${table} email-sent in the table`);
    }
    if (cases.length !== 1) problems.push(`${reference}: ${cases.length} cases stored for one complaint`);
    if (missing.length > 0 || twice.length > 0) {
      const officer = decisions.get(caseId)?.answers.join(', ') ?? 'never';
      const answered = submission.answers.map((a, i) => `${a} at +${submission.answeredAt[i]} s`).join(', ');
      problems.push(
        `${reference} (case ${caseId}): intake answered [${answered}]; officer was answered [${officer}]; ${await trail(store, caseId)}`,
      );
    }
    if (neverSent.length > 0 || cases.length === 0) lost += 1;
    else if (twice.length > 0 || cases.length > 1) duplicated += 1;
    else if (missing.length > 0) unrecorded += 1;
  }
  const undecided = submissions.filter(
    (s) => s.caseId !== undefined && decisions.get(s.caseId)?.done !== true,
  );
  for (const submission of undecided) problems.push(`${submission.reference}: no decision recorded`);
  if (counts.repeated.length > 0 && duplicated === 0) duplicated = counts.repeated.length;
  return { lost, unrecorded, duplicated, problems };
}

/** The case's history and where it stands, in one line, to find out why something went missing or twice. */
async function trail(store: DynamoDbCaseStore, caseId: string): Promise<string> {
  const c = await store.get(caseId);
  const events = (await store.events(caseId)).map((e) => {
    const detail = e.detail ?? {};
    const what = [detail.template, detail.task, detail.decision].filter((v) => typeof v === 'string');
    return `${e.at.slice(11, 23)} ${e.type}${what.length > 0 ? `(${what.join(' ')})` : ''} by ${e.actor}`;
  });
  const effects = Object.entries(c?.effects ?? {}).map(([slot, e]) => `${slot.split('/').pop()}=${e.status}`);
  return [
    `status ${c?.status}`,
    `open task ${c?.openTask?.name ?? '-'}`,
    `pending decision ${c?.pendingDecision?.task ?? '-'}`,
    `effects [${effects.join(', ')}]`,
    `events [${events.join('; ')}]`,
  ].join(', ');
}

function caseStore(endpoint: () => string): { store: DynamoDbCaseStore; close(): void } {
  const client = new DynamoDBClient({
    endpoint: endpoint(),
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: {
      accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID,
      secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY,
    },
  });
  const store = new DynamoDbCaseStore({
    tableName: LOCAL_CASE_TABLE,
    client: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
  });
  return { store, close: () => client.destroy() };
}

/**
 * The `java` children of `parentPid` running DynamoDB Local, read from `/proc` (Linux): the
 * runtime starts its JVM itself and does not publish the JVM's process id.
 */
export function dynamoDbLocalPids(parentPid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(join('/proc', entry, 'stat'), 'utf8');
      // `pid (comm) state ppid …`: comm may hold spaces, so read after its closing parenthesis.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (
        ppid === parentPid &&
        readFileSync(join('/proc', entry, 'cmdline'), 'utf8').includes('DynamoDBLocal')
      ) {
        pids.push(Number(entry));
      }
    } catch (error: unknown) {
      // The process ended between listing and reading: not the one wanted.
      if (
        !(error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ESRCH'))
      ) {
        throw error;
      }
    }
  }
  return pids;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether anything answers HTTP at `endpoint`. */
async function answers(endpoint: string): Promise<boolean> {
  try {
    await (await fetch(endpoint, { signal: AbortSignal.timeout(1_000) })).arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/** Polls `condition` until it holds, for at most `GONE_DEADLINE_MS`. */
async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + GONE_DEADLINE_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(100);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The scenario results as a table, one line per scenario. */
export function resultTable(results: ScenarioResult[]): string {
  const columns: [string, (r: ScenarioResult) => string | number][] = [
    ['scenario', (r) => r.name],
    ['submitted', (r) => r.submitted],
    ['accepted', (r) => r.accepted],
    ['refused (503)', (r) => r.refused],
    ['no answer', (r) => r.unanswered],
    ['unclear', (r) => r.unclear],
    ['decisions', (r) => r.decisions],
    ['decisions refused', (r) => r.decisionsRefused],
    ['decisions answered 409', (r) => r.answered409],
    ['lost', (r) => r.lost],
    ['sent, not recorded', (r) => r.unrecorded],
    ['duplicated', (r) => r.duplicated],
  ];
  const cells = [
    columns.map(([title]) => title),
    ...results.map((r) => columns.map(([, cell]) => String(cell(r)))),
  ];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(cells[0] ?? []), rule, ...cells.slice(1).map(line)].join('\n');
}
