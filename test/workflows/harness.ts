import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { adapter, provideAdapters, resetAdapters } from '../../functions/app/container.js';
import { correspondence } from '../../functions/app/correspondence.js';
import { submitFeedback } from '../../functions/app/intake.js';
import type { CaseLifeDeps } from '../../functions/app/staff-case-actions.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { formToken } from '../../functions/domain/links.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { EmailMessage, Mailer } from '../../functions/domain/ports.js';
import { handler } from '../../functions/handlers/api.js';
import { handler as reconcile } from '../../functions/handlers/reconcile.js';
import { handler as startWorkflows } from '../../functions/handlers/start-workflows.js';
import { VirtualClock } from '../../infra/local/step-functions/index.js';
import {
  asLambdaInvocation,
  inProcessWorkflowEngine,
  startLocalWorkflows,
} from '../../infra/local/workflow-runtime.js';
import { apiEvent, feedbackFormCsrfOf, formPost, jsonPost } from '../support/api-event.js';
import { CaseStream } from '../support/case-stream.js';
import { MemoryArchive } from '../support/memory-archive.js';
import { MemoryArchiveControl } from '../support/memory-archive-control.js';
import { MemoryAuditLog } from '../support/memory-audit-log.js';
import { MemoryEqualityStore } from '../support/memory-equality-store.js';
import { MemoryRateLimiter } from '../support/memory-rate-limiter.js';
import { MemoryStaffStore } from '../support/memory-staff-store.js';
import { MemoryCaseStore } from '../support/memory-store.js';

export const SECRET = 'workflow-test-link-secret-0123456789abcdef';
export const BASE_URL = 'http://redress.test';

/**
 * The real ASL files on the local engine, calling the deployed entry files of the step
 * functions, the API, the stream's workflow starter and the reconciler (middy chain, payload
 * parsing, metrics and all), with the real templates and link signing; only the AWS services
 * are in memory, handed to the handlers through the composition root (`provideAdapters`). The
 * case table's stream is a `CaseStream` fed by the in-memory store, so every case's workflow
 * starts as on AWS. Time is a VirtualClock the test advances.
 *
 * The adapters are the process's: one harness at a time. Each harness replaces the previous
 * one's (so tests in one file may each use their own policy), and `close()` forgets them.
 */
export async function createHarness(options: { policy?: string; start?: string } = {}) {
  const clock = new VirtualClock(options.start ?? '2026-03-02T09:00:00.000Z'); // a Monday
  const store = new MemoryCaseStore();
  const archive = new MemoryArchive();
  const equality = new MemoryEqualityStore();
  const policy = structuredClone(loadPolicy(options.policy ?? 'lgsco-code-2024'));
  const sent: EmailMessage[] = [];
  const mailer: Mailer = {
    async ping() {},
    async send(message) {
      sent.push(message);
      return { messageId: `m-${sent.length}` };
    },
  };
  let ids = 0;
  let requests = 0;
  resetAdapters();
  provideAdapters({
    policy,
    store,
    limiter: new MemoryRateLimiter(),
    staffStore: new MemoryStaffStore(),
    equality,
    audit: new MemoryAuditLog(),
    archive,
    mailer,
    linkSecrets: async () => [SECRET],
    clock: () => clock.now(),
    newId: () => `case-${++ids}`,
    baseUrl: BASE_URL,
  });
  const engine = await startLocalWorkflows({ clock });
  provideAdapters({ workflows: inProcessWorkflowEngine(engine) });
  // Every workflow starts as on AWS: from the case table's stream, through the deployed entry file.
  const stream = new CaseStream(asLambdaInvocation(startWorkflows), clock, () => engine.settle());
  store.onCreate = (record) => stream.insert(record);
  const api = asLambdaInvocation(handler);
  const reconciler = asLambdaInvocation(reconcile);
  const call = async (event: ReturnType<typeof apiEvent>): Promise<APIGatewayProxyResult> => {
    const result = await api(event, { awsRequestId: `request-${++requests}` } as Context);
    await clock.settle();
    return result;
  };
  const get = (path: string) =>
    call(
      apiEvent('GET', path.replace(BASE_URL, '').split('?')[0] as string, {
        headers: { Accept: 'text/html' },
        query: Object.fromEntries(new URL(path, BASE_URL).searchParams),
      }),
    );
  const actWithoutFollowing = (token: string, fields: Record<string, string>) =>
    call(formPost(`/tasks/${token}`, { csrf: formToken(token, SECRET), ...fields }));

  return {
    clock,
    store,
    archive,
    policy,
    engine,
    stream,
    sent,
    equality,
    /** Submits feedback as JSON and lets the workflow run until it waits. */
    async submit(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<CaseRecord> {
      const result = await call(jsonPost('/complaints', body, headers));
      // A plain error rather than vitest's expect: `npm run letters` drives the harness too.
      if (result.statusCode !== 201) throw new Error(`submit answered ${result.statusCode}: ${result.body}`);
      const { caseId } = JSON.parse(result.body) as { caseId: string };
      return (await store.get(caseId)) as CaseRecord;
    },
    /**
     * Feedback a member of staff entered (a letter, a call) with its channel and the date it was
     * received, as the workspace's "record feedback received" does.
     */
    async enter(
      body: Record<string, unknown>,
      staff = 'complaints.officer@council.example',
    ): Promise<CaseRecord> {
      const { record } = await submitFeedback(
        { store, policy, now: () => clock.now(), newId: () => `case-${++ids}` },
        body,
        { staff: { email: staff } },
      );
      return record;
    },
    /** The newest signed link emailed for a task (officer task, or the resident's stage-2 link). */
    linkFor(task: string, to?: string): string {
      const pattern = new RegExp(`${BASE_URL}/tasks/([\\w.-]+)`);
      for (const message of [...sent].reverse()) {
        if (to && !message.to.includes(to)) continue;
        const token = pattern.exec(message.text)?.[1];
        if (!token) continue;
        const claims = JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString()) as {
          a: string;
        };
        if (claims.a === task) return token;
      }
      throw new Error(`no link emailed for task ${task}`);
    },
    /** GET any page of the API. */
    get,
    /** Opens the feedback form as a browser does: its token and cookie, to send it with. */
    async openForm(path = '/') {
      return feedbackFormCsrfOf(await get(path));
    },
    /** POST a form to any page, as a browser would (with its cookies, if given). */
    post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
      const event = formPost(path.replace(BASE_URL, '').split('?')[0] as string, fields, headers);
      // A form posts back to its own address, query and all (`?lang=cy`).
      const query = Object.fromEntries(new URL(path, BASE_URL).searchParams);
      if (Object.keys(query).length) event.queryStringParameters = query;
      return call(event);
    },
    /** GET the task page. */
    view(token: string) {
      return call(apiEvent('GET', `/tasks/${token}`, { headers: { Accept: 'text/html' } }));
    },
    /**
     * POST a decision through the task page, as the officer's browser would: a 303 See Other
     * (Post/Redirect/Get) is followed with a GET, whose page is returned; `posted` is the POST's
     * own answer. Anything else (a form with errors, a link problem) is the POST's answer.
     */
    async act(
      token: string,
      fields: Record<string, string>,
    ): Promise<APIGatewayProxyResult & { posted: APIGatewayProxyResult }> {
      const posted = await actWithoutFollowing(token, fields);
      const location = posted.headers?.Location;
      if (posted.statusCode !== 303 || typeof location !== 'string') return { ...posted, posted };
      return { ...(await get(location)), posted };
    },
    /** POST a decision and return the POST's own answer (a 303 after a decision). */
    actWithoutFollowing,
    /** Runs the scheduled reconciler once (its deployed entry file) and lets what it started run. */
    async reconcile() {
      const result = await reconciler({}, { awsRequestId: `reconcile-${++requests}` } as Context);
      await clock.settle();
      return result;
    },
    /** Moves the clock and lets every timer due by then fire. */
    async advanceTo(instant: string) {
      await clock.advanceTo(instant);
      await engine.settle();
    },
    async caseOf(caseId: string): Promise<CaseRecord> {
      return (await store.get(caseId)) as CaseRecord;
    },
    states(caseId: string, workflow = 'complaint'): string[] {
      return engine.visitedStates(`arn:aws:states:eu-west-2:000000000000:execution:${workflow}:${caseId}`);
    },
    async status(caseId: string, workflow = 'complaint') {
      return (
        await engine.describeExecution(
          `arn:aws:states:eu-west-2:000000000000:execution:${workflow}:${caseId}`,
        )
      ).status;
    },
    /** Templates of the emails sent, in order, optionally only those to one address. */
    templates(to?: string): string[] {
      return sent.filter((m) => !to || m.to.includes(to)).map((m) => m.template ?? '?');
    },
    async close() {
      await engine.close();
      resetAdapters();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof createHarness>>;

export const RESIDENT = 'ada@example.com';

/** A complaint a resident would send, about the policy's first service. */
export function complaintFrom(h: Harness, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'complaint',
    service: h.policy.routing.services.find((s) => !s.redirect && !s.housingLandlord)?.id,
    summary: 'The council lost my application twice and nobody has called me back in six weeks.',
    desiredOutcome: 'Process my application and explain what went wrong.',
    complainant: { name: 'Ada Lovelace', email: RESIDENT },
    ...extra,
  };
}

/**
 * The states a case referred to a team passes through, once the complaints team confirms the
 * referral and then that the team picked it up.
 */
export const REFERRED_AND_CLOSED = [
  'Refer the case where it belongs',
  'Tell the resident where it has gone',
  'Await the exclusion check',
  'Await the check that the referral was picked up',
  'Close the case',
];

/** The workspace's dependencies over the harness's store, archive, engine and sent mail. */
export function caseLifeDepsOf(h: Harness): CaseLifeDeps {
  return {
    store: h.store,
    archive: h.archive,
    control: new MemoryArchiveControl(),
    workflows: inProcessWorkflowEngine(h.engine),
    policy: h.policy,
    now: () => h.clock.now(),
    linkSecrets: async () => [SECRET],
    send: correspondence(h.policy, {
      async ping() {},
      async send(message) {
        h.sent.push(message);
        return { messageId: `w-${h.sent.length}` };
      },
    }),
  };
}

/**
 * Makes the next SendTaskSuccess fail with `error`, then puts the engine back: Step Functions not
 * answering (`ServiceUnavailableError`), or the wait's token already replaced
 * (`TaskTokenInvalidError`) as the officer's decision is handed over.
 */
export function failNextSendTaskSuccess(error: Error): void {
  const engine = adapter('workflows');
  provideAdapters({
    workflows: {
      ...engine,
      start: engine.start.bind(engine),
      ping: engine.ping.bind(engine),
      sendTaskSuccess: async () => {
        provideAdapters({ workflows: engine });
        throw error;
      },
    },
  });
}
