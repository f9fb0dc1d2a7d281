/**
 * Open cases survive a crash of `npm start`: a complaint is acknowledged (the case then waits for
 * the officer's response), the process is killed with SIGKILL, a new one starts on the same data
 * directory and port, and the link emailed before the crash still finishes the stage. Nothing is
 * emailed twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { LOCAL_CASE_TABLE } from '../../infra/local/runtime.js';
import type { StoredEmail } from '../../infra/local/stand-ins/index.js';
import { LOCAL_AWS_ENV } from '../../infra/local/stand-ins/index.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { linkFor, type RuntimeProcess, startRuntimeProcess, waitForEmail } from '../support/runtime.js';

const RESIDENT = 'mary.seacole@example.com';
const credentials = {
  accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID,
  secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY,
};

let dataDir: string;
const running: RuntimeProcess[] = [];

async function start(port?: number): Promise<RuntimeProcess> {
  const runtime = await startRuntimeProcess({ dataDir, port, timeScale: 1 });
  running.push(runtime);
  return runtime;
}

/** Opens a task link and posts its form, as the officer's browser would (the form carries a signed token). */
async function act(link: string, fields: Record<string, string>): Promise<Response> {
  const page = await fetch(link, { headers: { Accept: 'text/html' } });
  expect(page.status).toBe(200);
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  expect(csrf).toBeDefined();
  return fetch(link, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
    body: new URLSearchParams({ csrf: csrf as string, ...fields }).toString(),
    redirect: 'manual',
  });
}

function storeAt(endpoint: string): { store: DynamoDbCaseStore; close(): void } {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_AWS_ENV.AWS_REGION, credentials });
  const store = new DynamoDbCaseStore({
    tableName: LOCAL_CASE_TABLE,
    client: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
  });
  return { store, close: () => client.destroy() };
}

const describeEmail = (e: StoredEmail) => `${e.destination.to.join(',')} | ${e.subject}`;

describe('npm start: restart after a crash', () => {
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-restart-'));
  });

  afterAll(async () => {
    for (const runtime of running) await runtime.kill().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('carries on an open case with the link emailed before the crash, and sends nothing twice', async () => {
    // Prepare: a complaint, acknowledged through its emailed link, now awaiting the response.
    const first = await start();
    const submitted = await fetch(`${first.baseUrl}/complaints`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        kind: 'complaint',
        service: 'planning',
        summary: 'The planning team promised three times to call me back about my enquiry and never did.',
        desiredOutcome: 'A call back and an apology.',
        complainant: { name: 'Mary Seacole', email: RESIDENT },
      }),
    });
    expect(submitted.status, await submitted.clone().text()).toBe(201);
    const { caseId } = (await submitted.json()) as { caseId: string };
    const ackTask = await waitForEmail(first, (e) => /acknowledge/i.test(e.subject), 'acknowledge task');
    const acknowledged = await act(linkFor(ackTask, 'acknowledge'), ACKNOWLEDGE);
    // Post/Redirect/Get: a recorded decision answers 303 to the link's done page.
    expect(acknowledged.status).toBe(303);
    const respondTask = await waitForEmail(
      first,
      (e) => !e.destination.to.includes(RESIDENT) && /send the response/i.test(e.subject),
      'respond task',
    );
    const respondLink = linkFor(respondTask, 'respond');
    const beforeCrash = await first.emails();
    const before = storeAt(first.endpoints.dynamodb);
    const tokenBeforeCrash = (await before.store.get(caseId))?.openTask?.taskToken;
    before.close();

    // Act: crash, restart on the same data and port, respond through the link from before.
    await first.kill();
    const second = await start(first.port);
    const { store, close } = storeAt(second.endpoints.dynamodb);
    try {
      // The resumed execution re-enters the callback state and swaps the task token, with no
      // email: recorded as the task reopened, or, when the crash came between the task's email
      // and its record, as that email (confirmed from SES's word, not sent again).
      await expect
        .poll(
          async () => {
            const open = (await store.get(caseId))?.openTask;
            return open?.name === 'respond' && open.taskToken !== tokenBeforeCrash;
          },
          { timeout: 30_000, interval: 250 },
        )
        .toBe(true);
      const responded = await act(respondLink, {
        decision: 'respond',
        outcome: 'partially-upheld',
        response:
          'We should have called you back. We have now answered your enquiry and are sorry for the delay.',
      });
      const responseEmail = await waitForEmail(
        second,
        (e) => e.destination.to.includes(RESIDENT) && /\/tasks\//.test(e.body.text ?? ''),
        "the resident's response with the stage-2 link",
      );

      // Assess: the stage finished as the workflow says, and every email was sent once.
      expect(responded.status).toBe(303);
      expect(linkFor(responseEmail, 'stage-2-request')).toContain(`${second.baseUrl}/tasks/`);
      await expect.poll(async () => (await store.get(caseId))?.status, { timeout: 30_000 }).toBe('responded');
      const sfn = new SFNClient({
        endpoint: second.endpoints.sfn,
        region: LOCAL_AWS_ENV.AWS_REGION,
        credentials,
      });
      const execution = await sfn.send(
        new DescribeExecutionCommand({
          executionArn: `arn:aws:states:eu-west-2:000000000000:execution:complaint:${caseId}`,
        }),
      );
      sfn.destroy();
      // Stage 1 is done; the execution now waits for a stage-2 request until the window closes.
      expect(execution.status).toBe('RUNNING');
      // The SES stand-in keeps accepted mail on disk: the second process lists the first's too.
      const sentBefore = new Set(beforeCrash.map((e) => e.messageId));
      const afterRestart = (await second.emails()).filter((e) => !sentBefore.has(e.messageId));
      const all = [...beforeCrash, ...afterRestart].map(describeEmail);
      expect(all.length).toBe(new Set(all).size);
      expect(afterRestart.map(describeEmail)).toEqual([describeEmail(responseEmail)]);
      const officerTasks = (await store.events(caseId)).filter(
        (e) =>
          e.type === 'email-sent' &&
          (e.detail as { template?: string } | undefined)?.template === 'officer-task',
      );
      expect(officerTasks).toHaveLength(2);
    } finally {
      close();
    }
  }, 300_000);
});
