/**
 * An officer's task link posted twice at the same moment (a double click with no script), through
 * the API's task routes against DynamoDB Local, whose conditional writes decide which post wins:
 * the same decision from the same link is answered as the first, never as someone else acting;
 * a different decision at the same moment is still told it came second.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { createApi } from '../../functions/app/api.js';
import { taskRoutes } from '../../functions/app/task-routes.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { formToken, signLink } from '../../functions/domain/links.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { formPost } from '../support/api-event.js';
import { type CaseTableOnStandIns, startCaseTable } from '../support/case-table.js';
import { RecordingWorkflows } from '../support/fake-workflows.js';
import { openCase } from '../support/open-case.js';

const policy = loadPolicy('lgsco-code-2024');
const SECRET = 'current-secret-0123456789abcdef0123456789';
const OFFICER = 'waste.feedback@example.gov.uk';
const NOW = new Date('2026-03-03T10:00:00Z');

let table: CaseTableOnStandIns;
let store: DynamoDbCaseStore;
let workflows: RecordingWorkflows;
let api: (event: ReturnType<typeof formPost>) => Promise<APIGatewayProxyResult>;

/** A case of its own whose task `name` waits on the officer, and the link emailed for it. */
async function caseWaitingOn(
  name: 'acknowledge' | 'respond',
): Promise<{ caseId: string; token: string; taskToken: string }> {
  const caseId = `case-${randomUUID()}`;
  const taskId = `task-${randomUUID().slice(0, 8)}`;
  const taskToken = `token-${taskId}`;
  const record: CaseRecord = openCase(caseId, {
    reference: `CMP-2026-${String(Math.floor(Math.random() * 900_000) + 100_000)}`,
    status: name === 'acknowledge' ? 'awaiting-acknowledgement' : 'investigating',
    assignedTo: OFFICER,
    openTask: { taskId, name, officer: OFFICER, taskToken, issuedAt: '2026-03-02T09:00:01.000Z' },
  });
  await store.create(record, { at: '2026-03-02T09:00:00.000Z', type: 'received', actor: 'resident' });
  const token = signLink(
    { c: caseId, t: taskId, a: name, o: OFFICER, e: Math.floor(Date.parse('2026-06-01T00:00:00Z') / 1000) },
    SECRET,
  );
  return { caseId, token, taskToken };
}

const post = (token: string, fields: Record<string, string>) =>
  api(formPost(`/tasks/${token}`, { csrf: formToken(token, SECRET), ...fields }));

describe('a task link posted twice at the same moment, on DynamoDB Local', () => {
  beforeAll(async () => {
    table = await startCaseTable();
    store = table.store;
    workflows = new RecordingWorkflows();
    // As Step Functions: a task's token is taken once; sent again, it is refused as completed.
    workflows.tokensTakenOnce = true;
    const deps = { store, workflows, policy, now: () => NOW, linkSecrets: async () => [SECRET] };
    const handler = createApi({ ...deps, newId: randomUUID, extraRoutes: (r) => taskRoutes(r, deps) });
    api = (event) => handler(event, {} as Context);
  }, 120_000);

  afterAll(async () => {
    await table?.stop();
  });

  it('answers both posts of the same decision with the done page, deciding once', async () => {
    const { caseId, token, taskToken } = await caseWaitingOn('acknowledge');

    const both = await Promise.all([post(token, ACKNOWLEDGE), post(token, ACKNOWLEDGE)]);

    for (const result of both) {
      expect(result.statusCode).toBe(303);
      expect(result.headers?.Location).toBe(`/tasks/${token}/done`);
    }
    expect((await store.events(caseId)).filter((e) => e.type === 'task-done')).toHaveLength(1);
    expect(workflows.succeeded.filter((s) => s.taskToken === taskToken)).toHaveLength(1);
  });

  it('records a conversation of one page once, answering both posts as recorded', async () => {
    const { caseId, token } = await caseWaitingOn('respond');
    const form = { formId: randomUUID(), decision: 'record-contact', contactNote: 'Rang the resident' };

    const both = await Promise.all([post(token, form), post(token, form)]);

    for (const result of both) {
      expect(result.statusCode).toBe(303);
      expect(result.headers?.Location).toBe(`/tasks/${token}/done`);
    }
    expect((await store.events(caseId)).filter((e) => e.type === 'contact-with-resident')).toHaveLength(1);
  });

  it('still tells a different decision posted at the same moment that it came second (409)', async () => {
    const { caseId, token, taskToken } = await caseWaitingOn('acknowledge');

    const results = await Promise.all([
      post(token, ACKNOWLEDGE),
      post(token, { decision: 'resolve', response: 'Sorted on the phone.' }),
    ]);

    expect(results.map((r) => r.statusCode).sort()).toEqual([303, 409]);
    expect((await store.events(caseId)).filter((e) => e.type === 'task-done')).toHaveLength(1);
    expect(workflows.succeeded.filter((s) => s.taskToken === taskToken)).toHaveLength(1);
  });
});
