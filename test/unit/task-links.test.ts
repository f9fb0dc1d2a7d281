import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { ServiceUnavailableError, TaskTokenInvalidError } from '../../functions/adapters/errors.js';
import { createApi } from '../../functions/app/api.js';
import { settleDecision } from '../../functions/app/decision-delivery.js';
import { taskRoutes } from '../../functions/app/task-routes.js';
import type { CaseRecord, PendingDecision } from '../../functions/domain/case.js';
import {
  ConcurrentActionError,
  DecisionRefusedError,
  FormTokenInvalidError,
  LinkExpiredError,
  LinkedCaseNotFoundError,
  LinkInvalidError,
  TaskAlreadyDoneError,
  TaskFormInvalidError,
  TaskPassedOnError,
} from '../../functions/domain/errors.js';
import { formToken, signLink } from '../../functions/domain/links.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { CaseChange } from '../../functions/domain/ports.js';
import { HttpError, httpErrorOf, LinkError, ValidationError } from '../../functions/http/errors.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { apiEvent, formPost } from '../support/api-event.js';
import { RecordingWorkflows } from '../support/fake-workflows.js';
import { MemoryCaseStore } from '../support/memory-store.js';

const policy = loadPolicy('lgsco-code-2024');
const SECRET = 'current-secret-0123456789abcdef0123456789';
const PREVIOUS = 'previous-secret-0123456789abcdef012345678';
const OFFICER = 'waste.team@example.gov.uk';
const TASK_TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAAR3sfn-task-token';
let now = new Date('2026-03-03T10:00:00Z');

let store: MemoryCaseStore;
let workflows: RecordingWorkflows;
let api: ReturnType<typeof createApi>;

function caseRecord(): CaseRecord {
  return {
    caseId: 'case-1',
    reference: 'CMP-2026-000001',
    kind: 'complaint',
    submittedKind: 'complaint',
    status: 'awaiting-acknowledgement',
    stage: 1,
    policyId: policy.id,
    service: 'waste-recycling',
    summary: 'My bin was missed <script>alert(1)</script>',
    complainant: { name: 'Ada Lovelace', email: 'ada@example.com' },
    anonymous: false,
    channel: 'online',
    receivedAt: '2026-03-02T09:00:00.000Z',
    createdAt: '2026-03-02T09:00:00.000Z',
    updatedAt: '2026-03-02T09:00:00.000Z',
    triage: { route: 'handle', reasons: [] },
    deadlines: { acknowledgeBy: '2026-03-09T23:59:59.000Z' },
    assignedTo: OFFICER,
    openTask: {
      taskId: 'task-1',
      name: 'acknowledge',
      officer: OFFICER,
      taskToken: TASK_TOKEN,
      issuedAt: '2026-03-02T09:00:01.000Z',
    },
    progress: { stage1: { startedAt: '2026-03-02T09:00:00.000Z' } },
    version: 3,
  };
}

function link(
  overrides: Partial<{ c: string; t: string; a: string; o: string; e: number }> = {},
  secret = SECRET,
): string {
  return signLink(
    {
      c: 'case-1',
      t: 'task-1',
      a: 'acknowledge',
      o: OFFICER,
      e: Math.floor(Date.parse('2026-06-01T00:00:00Z') / 1000),
      ...overrides,
    },
    secret,
  );
}

beforeEach(async () => {
  now = new Date('2026-03-03T10:00:00Z');
  store = new MemoryCaseStore();
  workflows = new RecordingWorkflows();
  await store.create(caseRecord(), { at: '2026-03-02T09:00:00.000Z', type: 'received', actor: 'resident' });
  const deps = { store, workflows, policy, now: () => now, linkSecrets: async () => [SECRET, PREVIOUS] };
  api = createApi({
    ...deps,
    newId: () => 'unused',
    extraRoutes: (router) => taskRoutes(router, deps),
  });
});

async function get(token: string): Promise<APIGatewayProxyResult> {
  return api(apiEvent('GET', `/tasks/${token}`, { headers: { Accept: 'text/html' } }), {} as Context);
}

async function post(token: string, fields: Record<string, string>, csrf = formToken(token, SECRET)) {
  return api(formPost(`/tasks/${token}`, { csrf, ...fields }), {} as Context);
}

/** Makes `change` land on the case between the next write's read and the write itself; says whether it did. */
function writeFirst(change: CaseChange): () => boolean {
  const write = store.update.bind(store);
  let raced = false;
  store.update = async (caseId, version, next, expectedStatus) => {
    if (!raced) {
      raced = true;
      await write(caseId, ((await store.get(caseId)) as CaseRecord).version, change);
    }
    return write(caseId, version, next, expectedStatus);
  };
  return () => raced;
}

async function getPath(path: string): Promise<APIGatewayProxyResult> {
  return api(apiEvent('GET', path, { headers: { Accept: 'text/html' } }), {} as Context);
}

describe('officer task links', () => {
  it('never carries the Step Functions task token', () => {
    const token = link();

    expect(token).not.toContain(TASK_TOKEN);
    expect(Buffer.from(token.split('.')[0] as string, 'base64url').toString()).not.toContain(TASK_TOKEN);
  });

  it('shows the task page on GET and changes nothing (mail scanners prefetch links)', async () => {
    const before = await store.get('case-1');

    const page = await get(link());
    await get(link());

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('CMP-2026-000001');
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.headers?.['Referrer-Policy']).toBe('no-referrer');
    expect(await store.get('case-1')).toEqual(before);
    expect(await store.events('case-1')).toHaveLength(1);
    expect(workflows.succeeded).toHaveLength(0);
  });

  it('acts on POST: records the decision, then tells the workflow with the token stored on the case', async () => {
    const result = await post(link(), ACKNOWLEDGE);

    expect(result.statusCode).toBe(303);
    expect(workflows.succeeded).toEqual([
      { taskToken: TASK_TOKEN, output: { decision: 'acknowledge', taskId: 'task-1' } },
    ]);
    const record = await store.get('case-1');
    expect(record?.openTask).toBeUndefined();
    expect(record?.progress.stage1.acknowledgedAt).toBe(now.toISOString());
    expect(record?.pendingDecision).toBeUndefined();
    expect((await store.events('case-1')).slice(-2)).toMatchObject([
      {
        type: 'task-done',
        actor: OFFICER,
        channel: 'link',
        detail: { task: 'acknowledge', taskId: 'task-1', decision: 'acknowledge' },
      },
      { type: 'decision-delivered', detail: { taskId: 'task-1', decision: 'acknowledge' } },
    ]);
  });

  it('answers 403 for a tampered link', async () => {
    const token = link();
    const [payload, signature] = token.split('.') as [string, string];
    const forged = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload, 'base64url').toString()),
        o: 'attacker@example.com',
      }),
    ).toString('base64url');

    const results = [
      await get(`${forged}.${signature}`),
      await get(`${payload}.x${signature.slice(1)}`),
      await get('nonsense'),
    ];

    expect(results.map((r) => r.statusCode)).toEqual([403, 403, 403]);
    expect(results[0]?.body).toContain('This link is not valid');
    expect(workflows.succeeded).toHaveLength(0);
  });

  it('answers 410 for an expired link, with what to do next', async () => {
    now = new Date('2026-06-02T00:00:00Z');

    const result = await get(link());

    expect(result.statusCode).toBe(410);
    expect(result.body).toContain('This link has expired');
  });

  it('answers 503 and keeps the decision when the workflow cannot be told; the same POST again finishes it', async () => {
    const tell = workflows.sendTaskSuccess.bind(workflows);
    workflows.sendTaskSuccess = async () => {
      workflows.sendTaskSuccess = tell;
      throw new ServiceUnavailableError('sendTaskSuccess: AWS service failure');
    };

    const first = await post(link(), ACKNOWLEDGE);
    const pending = (await store.get('case-1'))?.pendingDecision;
    const again = await post(link(), ACKNOWLEDGE);

    expect(first.statusCode).toBe(503);
    expect(pending).toMatchObject({ task: 'acknowledge', taskId: 'task-1', decision: 'acknowledge' });
    expect(again.statusCode).toBe(303);
    expect(workflows.succeeded).toEqual([
      { taskToken: TASK_TOKEN, output: { decision: 'acknowledge', taskId: 'task-1' } },
    ]);
    expect((await store.get('case-1'))?.pendingDecision).toBeUndefined();
    expect((await store.events('case-1')).filter((e) => e.type === 'task-done')).toHaveLength(1);
  });

  it('hands a kept decision to the token the case holds now when the wait was entered again', async () => {
    const tell = workflows.sendTaskSuccess.bind(workflows);
    workflows.sendTaskSuccess = async () => {
      workflows.sendTaskSuccess = tell;
      throw new TaskTokenInvalidError('sendTaskSuccess: the task is no longer waiting (TaskTimedOut)');
    };
    await post(link(), ACKNOWLEDGE);
    const record = store.cases.get('case-1') as CaseRecord;
    record.openTask = {
      taskId: 'task-1',
      name: 'acknowledge',
      officer: OFFICER,
      taskToken: 'token-2',
      issuedAt: now.toISOString(),
    };

    const again = await post(link(), ACKNOWLEDGE);

    expect(again.statusCode).toBe(303);
    expect(workflows.succeeded).toEqual([
      { taskToken: 'token-2', output: { decision: 'acknowledge', taskId: 'task-1' } },
    ]);
  });

  it('answers a repeat of the same POST as the first time, without telling the workflow twice', async () => {
    const first = await post(link(), ACKNOWLEDGE);

    const replay = await post(link(), ACKNOWLEDGE);

    expect(replay.statusCode).toBe(303);
    expect(replay.headers?.Location).toBe(first.headers?.Location);
    expect(workflows.succeeded).toHaveLength(1);
  });

  it('answers the same decision sent again with other words with 409 "already done", never "sent" for words the resident will not get', async () => {
    const first = await post(link(), {
      decision: 'resolve',
      response: 'Collected today. Sorry for the trouble.',
    });

    // The officer went Back, corrected the response and sent the form again.
    const edited = await post(link(), {
      decision: 'resolve',
      response: 'Collected today, and the charge for the missed collection will be refunded.',
    });

    expect(first.statusCode).toBe(303);
    expect(edited.statusCode).toBe(409);
    expect(edited.body).toContain('This task has already been done');
    expect(workflows.succeeded).toHaveLength(1);
  });

  it('answers the same decision with other words sent while the first waits for the workflow with 409, handing over the first', async () => {
    const tell = workflows.sendTaskSuccess.bind(workflows);
    workflows.sendTaskSuccess = async () => {
      workflows.sendTaskSuccess = tell;
      throw new ServiceUnavailableError('sendTaskSuccess: AWS service failure');
    };
    const first = await post(link(), { decision: 'resolve', response: 'Collected today.' });

    const edited = await post(link(), { decision: 'resolve', response: 'Collected today, with a refund.' });

    expect(first.statusCode).toBe(503);
    expect(edited.statusCode).toBe(409);
    expect(workflows.succeeded).toEqual([
      { taskToken: TASK_TOKEN, output: { decision: 'resolve', taskId: 'task-1' } },
    ]);
  });

  /** The stored case acknowledged, its response task (task-2) open. */
  function atTheResponse(): void {
    const record = store.cases.get('case-1') as CaseRecord;
    record.status = 'investigating';
    record.progress = {
      stage1: { startedAt: '2026-03-02T09:00:00.000Z', acknowledgedAt: '2026-03-03T10:00:00.000Z' },
    };
    record.openTask = {
      ...(record.openTask as NonNullable<CaseRecord['openTask']>),
      name: 'respond',
      taskId: 'task-2',
    };
  }

  const RESPONSE = {
    decision: 'respond',
    outcome: 'upheld',
    response: 'We collected it.',
    remedy: 'An apology.',
  };

  /**
   * The case at its response, extended through the response link, and the workflow waiting for
   * the response again (the same task, a new token): that link.
   */
  async function extendedThroughTheResponseLink(): Promise<string> {
    atTheResponse();
    const token = link({ t: 'task-2', a: 'respond' });
    await post(token, { decision: 'extend', extendDays: '5', reason: 'Waiting for a report' });
    // The workflow takes the extension and waits for the response again: the same task, a new token.
    (store.cases.get('case-1') as CaseRecord).openTask = {
      taskId: 'task-2',
      name: 'respond',
      officer: OFFICER,
      taskToken: 'token-2',
      issuedAt: now.toISOString(),
    };
    return token;
  }

  it('answers a repeat of a response still waiting for the workflow as the first time, after an extension through the same link', async () => {
    const token = await extendedThroughTheResponseLink();
    const tell = workflows.sendTaskSuccess.bind(workflows);
    workflows.sendTaskSuccess = async () => {
      workflows.sendTaskSuccess = tell;
      throw new ServiceUnavailableError('sendTaskSuccess: AWS service failure');
    };

    const first = await post(token, RESPONSE);
    const again = await post(token, RESPONSE);

    expect(first.statusCode).toBe(503);
    expect(again.statusCode).toBe(303);
  });

  it('answers a repeat of a response already handed to the workflow as the first time, after an extension through the same link', async () => {
    const token = await extendedThroughTheResponseLink();

    const first = await post(token, RESPONSE);
    const again = await post(token, RESPONSE);

    expect(first.statusCode).toBe(303);
    expect(again.statusCode).toBe(303);
    expect(again.headers?.Location).toBe(first.headers?.Location);
    expect(workflows.succeeded).toHaveLength(2);
  });

  it('answers 409 to another decision or a look at the link once the task is done, saying who acted and when', async () => {
    await post(link(), ACKNOWLEDGE);

    const other = await post(link(), { decision: 'resolve', response: 'Sorted on the phone.' });
    const page = await get(link());

    expect(other.statusCode).toBe(409);
    expect(page.statusCode).toBe(409);
    expect(page.body).toContain('already been done');
    expect(page.body).toContain(OFFICER);
    expect(workflows.succeeded).toHaveLength(1);
  });

  describe('followed before its task opens (the stage-2 link, the moment the response arrives)', () => {
    /** The case as the response leaves it: answered, the stage-2 request not yet open. */
    function responded(): void {
      const record = store.cases.get('case-1') as CaseRecord;
      const { openTask: _answered, ...rest } = record;
      store.cases.set('case-1', { ...rest, status: 'responded' });
    }
    const stage2Link = (): string => link({ t: 'stage-2-request', a: 'stage-2-request', o: 'resident' });

    it('shows the page once the task opens a moment later', async () => {
      responded();
      const read = store.get.bind(store);
      let looks = 0;
      store.get = async (caseId) => {
        looks++;
        // The workflow opens the task between the first look and the second.
        if (looks === 2) {
          const record = store.cases.get('case-1') as CaseRecord;
          const opened = { taskId: 'stage-2-request', name: 'stage-2-request' as const, officer: 'resident' };
          store.cases.set('case-1', {
            ...record,
            openTask: { ...opened, taskToken: TASK_TOKEN, issuedAt: now.toISOString() },
          });
        }
        return read(caseId);
      };

      const page = await get(stage2Link());

      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('CMP-2026-000001');
    });

    it('says it is not ready yet, never that it was done, while the task has still not opened', async () => {
      responded();

      const page = await get(stage2Link());

      expect(page.statusCode).toBe(409);
      expect(page.body).toContain('This link is not ready yet');
      expect(page.body).toContain('Try the link again in a minute');
      expect(page.body).not.toContain('already been done');
    });

    it('still says a task was done once the history names it', async () => {
      responded();
      await store.appendEvent('case-1', {
        at: now.toISOString(),
        type: 'task-opened',
        actor: 'workflow',
        detail: { task: 'stage-2-request', taskId: 'stage-2-request' },
      });

      const page = await get(stage2Link());

      expect(page.statusCode).toBe(409);
      expect(page.body).toContain('already been done');
    });
  });

  it('tells a resident whose request for a review staff recorded when it was done, not which member of staff did it', async () => {
    const record = store.cases.get('case-1') as CaseRecord;
    const { openTask: _recorded, ...rest } = record;
    store.cases.set('case-1', { ...rest, stage: 2, status: 'stage-2-requested' });
    await store.appendEvent('case-1', {
      at: '2026-03-03T09:30:00.000Z',
      type: 'task-done',
      actor: 'casey.morgan@example.gov.uk',
      detail: { task: 'stage-2-request', taskId: 'stage-2-request', decision: 'request' },
    });

    const page = await get(link({ t: 'stage-2-request', a: 'stage-2-request', o: 'resident' }));

    expect(page.statusCode).toBe(409);
    expect(page.body).toContain('This task was done on 3 March 2026 at 9:30am.');
    expect(page.body).not.toContain('casey.morgan@example.gov.uk');
  });

  it('tells a resident whose link’s request for a review came second that it was not added, and gives it back', async () => {
    // Prepare: a review asked for a moment ago from Check your complaint, with its own words.
    const record = store.cases.get('case-1') as CaseRecord;
    const { openTask: _recorded, ...rest } = record;
    store.cases.set('case-1', {
      ...rest,
      stage: 2,
      status: 'stage-2-requested',
      progress: {
        ...rest.progress,
        stage2: { startedAt: now.toISOString(), grounds: [], groundsText: 'First words' },
      },
    });
    await store.appendEvent('case-1', {
      at: now.toISOString(),
      type: 'task-done',
      actor: 'resident',
      detail: { task: 'stage-2-request', taskId: 'stage-2-request', decision: 'request' },
    });
    const token = link({ t: 'stage-2-request', a: 'stage-2-request', o: 'resident' });

    // Act: the emailed link's form, with other words, comes second; then with the same words.
    const second = await post(token, { decision: 'request', response: 'Second words' });
    const same = await post(token, { decision: 'request', response: 'First words' });

    // Assess: told plainly, their words given back; the first request's words kept.
    expect(second.statusCode).toBe(409);
    expect(second.body).toContain('A review had already been asked for');
    expect(second.body).toContain('What you have just written was not added to it');
    expect(second.body).toContain('Second words');
    expect(same.statusCode).toBe(409);
    expect(same.body).toContain('already been done');
    expect((store.cases.get('case-1') as CaseRecord).progress.stage2?.groundsText).toBe('First words');
  });

  it('answers 403 to an officer the task is no longer with', async () => {
    const record = store.cases.get('case-1') as CaseRecord;
    record.openTask = {
      ...(record.openTask as NonNullable<CaseRecord['openTask']>),
      officer: 'highways@example.gov.uk',
    };

    const result = await post(link(), ACKNOWLEDGE);

    expect(result.statusCode).toBe(403);
    expect(workflows.succeeded).toHaveLength(0);
  });

  it('refuses a POST without the form token bound to the link (CSRF)', async () => {
    const result = await post(link(), ACKNOWLEDGE, 'forged');

    expect(result.statusCode).toBe(403);
    expect(workflows.succeeded).toHaveLength(0);
  });

  it('answers the same decision posted twice at once through the link as the first, deciding once', async () => {
    // Step Functions takes the task's token once: the second hand-over is refused as done.
    workflows.tokensTakenOnce = true;

    const results = await Promise.all([post(link(), ACKNOWLEDGE), post(link(), ACKNOWLEDGE)]);

    expect(results.map((r) => [r.statusCode, r.headers?.Location])).toEqual([
      [303, `/tasks/${link()}/done`],
      [303, `/tasks/${link()}/done`],
    ]);
    expect(workflows.succeeded).toHaveLength(1);
    expect((await store.events('case-1')).filter((e) => e.type === 'task-done')).toHaveLength(1);
  });

  it('lets exactly one of two different decisions posted at once win', async () => {
    const results = await Promise.all([
      post(link(), ACKNOWLEDGE),
      post(link(), { decision: 'resolve', response: 'Sorted on the phone.' }),
    ]);

    expect(results.map((r) => r.statusCode).sort()).toEqual([303, 409]);
    expect(workflows.succeeded).toHaveLength(1);
  });

  it('takes the decision on the case as it is now when the workflow wrote to it first, leaving the task open', async () => {
    // The workflow records that the task's email went just after the officer's POST read the case.
    const raced = writeFirst({
      set: {
        updatedAt: '2026-03-03T09:59:59.000Z',
        effects: { notify: { key: 'task-1', status: 'done', at: '2026-03-03T09:59:59.000Z' } },
      },
    });

    const result = await post(link(), ACKNOWLEDGE);

    expect(raced()).toBe(true);
    expect(result.statusCode).toBe(303);
    expect(workflows.succeeded).toEqual([
      { taskToken: TASK_TOKEN, output: { decision: 'acknowledge', taskId: 'task-1' } },
    ]);
    const events = await store.events('case-1');
    expect(events.filter((e) => e.type === 'task-done')).toHaveLength(1);
    expect((await store.get('case-1'))?.openTask).toBeUndefined();
  });

  it('still loses the officer the race when the write that came first decided the task', async () => {
    const raced = writeFirst({ remove: ['openTask'] });

    const result = await post(link(), ACKNOWLEDGE);

    expect(raced()).toBe(true);
    expect(result.statusCode).toBe(409);
    expect(workflows.succeeded).toHaveLength(0);
    expect((await store.events('case-1')).some((e) => e.type === 'task-done')).toBe(false);
  });
  it('shows the form again with errors for bad input, and does not act', async () => {
    const result = await post(link(), { decision: 'reassign', reassignTo: 'not an email' });

    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('govuk-error-summary');
    expect(workflows.succeeded).toHaveLength(0);
  });

  it('refuses to send the case to an address outside the council, and does not act', async () => {
    const result = await post(link(), { decision: 'reassign', reassignTo: 'someone@gmail.com' });

    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('a case cannot be sent outside it');
    expect(workflows.succeeded).toHaveLength(0);
    expect((await store.get('case-1'))?.openTask?.taskId).toBe('task-1');
    expect((await store.events('case-1')).some((e) => e.type === 'task-done')).toBe(false);
  });

  it('keeps links signed with the previous secret working after the secret is rotated', async () => {
    const token = link({}, PREVIOUS);

    const result = await post(token, ACKNOWLEDGE, formToken(token, PREVIOUS));

    expect(result.statusCode).toBe(303);
  });

  it('records a conversation with the resident without finishing the task', async () => {
    const record = store.cases.get('case-1') as CaseRecord;
    record.openTask = {
      ...(record.openTask as NonNullable<CaseRecord['openTask']>),
      name: 'respond',
      taskId: 'task-2',
    };
    const token = link({ t: 'task-2', a: 'respond' });

    const result = await post(token, {
      decision: 'record-contact',
      contactNote: 'Rang Ada; agreed a site visit on Friday.',
    });

    expect(result.statusCode).toBe(303);
    expect(workflows.succeeded).toHaveLength(0);
    const after = await store.get('case-1');
    expect(after?.openTask?.taskId).toBe('task-2');
    expect(after?.notes?.at(-1)).toMatchObject({
      by: OFFICER,
      text: 'Rang Ada; agreed a site visit on Friday.',
    });
    expect((await store.events('case-1')).at(-1)?.type).toBe('contact-with-resident');
    expect((await get(token)).statusCode).toBe(200);
  });

  it('answers 404 when the case a link names no longer exists', async () => {
    const result = await get(link({ c: 'case-gone' }));

    expect(result.statusCode).toBe(404);
    expect(workflows.succeeded).toHaveLength(0);
  });

  it('answers a JSON client with who did the task and when', async () => {
    await post(link(), ACKNOWLEDGE);

    const result = await api(
      apiEvent('GET', `/tasks/${link()}`, { headers: { Accept: 'application/json' } }),
      {} as Context,
    );

    expect(result.statusCode).toBe(409);
    expect(JSON.parse(result.body)).toEqual({
      message: 'This task has already been done',
      doneBy: OFFICER,
      doneAt: now.toISOString(),
    });
  });

  it('shows the form again when the officer sends the case back to themselves, and does not act', async () => {
    const result = await post(link(), { decision: 'reassign', reassignTo: 'Waste.Team@example.gov.uk' });

    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('Enter the email address of another team or officer');
    expect(workflows.succeeded).toHaveLength(0);
    expect((await store.get('case-1'))?.openTask?.taskId).toBe('task-1');
  });

  it('shows the form again for an extension past what the policy has left', async () => {
    atTheResponse();

    const result = await post(link({ t: 'task-2', a: 'respond' }), {
      decision: 'extend',
      extendDays: '11',
      reason: 'Waiting for a report',
    });

    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('must be between 1 and 10');
    expect(workflows.succeeded).toHaveLength(0);
  });
});

describe('the task page (GET of a link)', () => {
  it('reads the case once when no decision of the link waits to be handed over', async () => {
    // Prepare: count the case reads
    let reads = 0;
    const read = store.get.bind(store);
    store.get = async (caseId) => {
      reads++;
      return read(caseId);
    };

    // Act
    const page = await get(link());

    // Assess
    expect(page.statusCode).toBe(200);
    expect(reads).toBe(1);
  });
});

describe('the page after a decision (Post/Redirect/Get)', () => {
  it("answers a decision with 303 See Other to the link's done page, whose address carries nothing but the signed link", async () => {
    const token = link();

    const result = await post(token, ACKNOWLEDGE);

    expect(result.statusCode).toBe(303);
    expect(result.headers?.Location).toBe(`/tasks/${token}/done`);
    expect(result.body).toBe('');
  });

  it('shows the outcome on the done page, and a refresh shows it again without acting twice', async () => {
    const token = link();
    await post(token, ACKNOWLEDGE);

    const first = await getPath(`/tasks/${token}/done`);
    const refresh = await getPath(`/tasks/${token}/done`);

    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('Decision recorded');
    expect(first.body).toContain('CMP-2026-000001');
    expect(first.headers?.['Cache-Control']).toBe('no-store');
    expect(refresh.body).toBe(first.body);
    expect(workflows.succeeded).toHaveLength(1);
    expect((await store.events('case-1')).filter((e) => e.type === 'task-done')).toHaveLength(1);
  });

  it("shows the outcome when the workflow's next step settled the decision before the link's request did", async () => {
    // The workflow hears the decision, moves on and enters its next task, whose step settles the
    // decision as the workflow's, all before the officer's own request writes anything more.
    workflows.sendTaskSuccess = async (taskToken, output) => {
      workflows.succeeded.push({ taskToken, output });
      const pending = (await store.get('case-1'))?.pendingDecision as PendingDecision;
      await settleDecision({ store, workflows, now: () => now }, 'case-1', pending, 'workflow');
    };
    const token = link();

    const posted = await post(token, ACKNOWLEDGE);
    const page = await getPath(`/tasks/${token}/done`);

    expect(posted.statusCode).toBe(303);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Decision recorded');
    const delivered = (await store.events('case-1')).filter((e) => e.type === 'decision-delivered');
    expect(delivered.map((e) => e.actor)).toEqual(['workflow']);
  });

  it('checks the link on the done page as on the task: tampered 403, expired 410', async () => {
    const token = link();
    await post(token, ACKNOWLEDGE);
    const [payload, signature] = token.split('.') as [string, string];
    const forged = `${payload}.${signature.slice(0, -2)}xx`;

    const tampered = await getPath(`/tasks/${forged}/done`);
    now = new Date('2026-06-02T00:00:00Z');
    const expired = await getPath(`/tasks/${token}/done`);

    expect(tampered.statusCode).toBe(403);
    expect(expired.statusCode).toBe(410);
  });

  it('sends a done page of a link nothing was done through back to the task', async () => {
    const token = link();

    const result = await getPath(`/tasks/${token}/done`);

    expect(result.statusCode).toBe(303);
    expect(result.headers?.Location).toBe(`/tasks/${token}`);
  });

  it("does not show another officer's decision on the same task as this link's outcome", async () => {
    const record = store.cases.get('case-1') as CaseRecord;
    await post(link(), ACKNOWLEDGE);
    const other = link({ o: 'highways@example.gov.uk' });
    record.openTask = undefined;

    const result = await getPath(`/tasks/${other}/done`);

    expect(result.statusCode).toBe(409);
    expect(result.body).not.toContain('Decision recorded');
  });

  it('answers a second, different POST to a finished task with the 409 "already done" page, not a 500', async () => {
    const token = link();
    await post(token, ACKNOWLEDGE);

    const again = await post(token, { decision: 'resolve', response: 'Sorted.' });
    const bad = await post(token, { decision: 'reassign', reassignTo: 'not an email' });

    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('This task has already been done');
    expect(bad.statusCode).toBe(409);
    expect(workflows.succeeded).toHaveLength(1);
  });

  it('records a conversation once however often one page’s form is sent, and again from a new page', async () => {
    // Prepare: the respond task, and its page as the officer opens it, with the form's one-off id.
    const record = store.cases.get('case-1') as CaseRecord;
    record.openTask = {
      ...(record.openTask as NonNullable<CaseRecord['openTask']>),
      name: 'respond',
      taskId: 'task-2',
    };
    const token = link({ t: 'task-2', a: 'respond' });
    const formIdOf = async () => /name="formId" value="([^"]+)"/.exec((await get(token)).body)?.[1] as string;
    const first = await formIdOf();
    expect(first).toMatch(/^[\w-]{36}$/);
    const call = { decision: 'record-contact', contactNote: 'Rang Ada.' };

    // Act: sent, then sent again (a double click without script, the back button); then a new page's.
    const once = await post(token, { ...call, formId: first });
    const again = await post(token, { ...call, formId: first });
    const second = await formIdOf();
    const other = await post(token, { ...call, formId: second });

    // Assess: each answered as the first was; the first page's conversation kept once, the second's too.
    for (const result of [once, again, other]) {
      expect(result.statusCode).toBe(303);
      expect(result.headers?.Location).toBe(`/tasks/${token}/done`);
    }
    expect(second).not.toBe(first);
    const calls = (await store.events('case-1')).filter((e) => e.type === 'contact-with-resident');
    expect(calls).toHaveLength(2);
    expect((store.cases.get('case-1') as CaseRecord).notes).toHaveLength(2);
  });

  it('shows what was recorded with a link back when the task stays open', async () => {
    const record = store.cases.get('case-1') as CaseRecord;
    record.openTask = {
      ...(record.openTask as NonNullable<CaseRecord['openTask']>),
      name: 'respond',
      taskId: 'task-2',
    };
    const token = link({ t: 'task-2', a: 'respond' });
    await post(token, { decision: 'record-contact', contactNote: 'Rang Ada.' });

    const page = await getPath(`/tasks/${token}/done`);

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('The conversation is recorded on the case');
    expect(page.body).toContain(`href="/tasks/${token}"`);
  });
});

describe('httpErrorOf', () => {
  it.each([
    [new LinkInvalidError(), 403, 'This link is not valid'],
    [new FormTokenInvalidError(), 403, 'This form is not valid'],
    [new TaskPassedOnError(), 403, 'This task has been passed to someone else'],
    [new LinkedCaseNotFoundError(), 404, 'This case could not be found'],
    [new TaskAlreadyDoneError(), 409, 'This task has already been done'],
    [new ConcurrentActionError(), 409, 'Someone else acted on this case at the same moment'],
    [new LinkExpiredError(), 410, 'This link has expired'],
  ])('answers %s with a link problem page of its status', (error, status, message) => {
    const mapped = httpErrorOf(error);

    expect(mapped).toBeInstanceOf(LinkError);
    expect(mapped).toMatchObject({ statusCode: status, message });
  });

  it('keeps who did the task and when', () => {
    const mapped = httpErrorOf(
      new TaskAlreadyDoneError({ doneBy: OFFICER, doneAt: '2026-03-03T10:00:00.000Z' }),
    );

    expect(mapped).toMatchObject({ detail: { doneBy: OFFICER, doneAt: '2026-03-03T10:00:00.000Z' } });
  });

  it.each([
    new TaskFormInvalidError({ response: 'Enter your reply to the resident' }),
    new DecisionRefusedError({ reassignTo: 'Enter the email address of another team or officer' }),
  ])('answers $name with 400 and the message of each field', (error) => {
    const mapped = httpErrorOf(error);

    expect(mapped).toBeInstanceOf(ValidationError);
    expect((mapped as ValidationError).fields).toEqual(error.fields);
  });

  it('passes HTTP errors through and leaves anything else to become a plain 500', () => {
    const http = new HttpError(405, 'Use GET');

    expect(httpErrorOf(http)).toBe(http);
    expect(httpErrorOf(new Error('boom'))).toBeUndefined();
    expect(httpErrorOf('boom')).toBeUndefined();
  });
});
