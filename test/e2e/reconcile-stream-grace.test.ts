/**
 * The reconciler leaves the stream its own work under an accelerated clock. The case table's
 * stream hands new cases to the workflow starter in real time (polls, backoff after an outage),
 * however fast the service's clock runs: at `--time-scale 1440` five minutes of the service's
 * clock are a fifth of a real second, far less than the stream may take. The whole runtime runs
 * in this process (DynamoDB Local and its stream, the local engine, the SES stand-in); the stream
 * is held back for a few real seconds, as its backoff after DynamoDB Local was restarted does,
 * while the reconciler runs.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { LOCAL_CASE_TABLE } from '../../infra/local/runtime.js';
import { fetchStore, LOCAL_AWS_ENV } from '../../infra/local/stand-ins/index.js';
import { lambdaInvocation, postPlanningComplaint, runtimeInProcess } from '../support/runtime-in-process.js';

const TIME_SCALE = 1440;
const CASES = 3;
/** Real time the stream is held back: 72 minutes of the service's clock, seconds of real time. */
const STREAM_HELD_MS = 3_000;

const { runtime } = runtimeInProcess('grace', TIME_SCALE);

/** The reconciler's deployed entry file, run now (as its schedule would, a few seconds later). */
async function reconcileNow(): Promise<void> {
  const { handler } = await import('../../functions/handlers/reconcile.js');
  const run = lambdaInvocation(handler);
  await run({}, { awsRequestId: `grace-${Date.now()}` });
}

describe('the reconciler under --time-scale 1440', () => {
  it('leaves cases the stream is about to start to the stream, and emails the team nothing', async () => {
    // Prepare: the stream held back, as while its poller backs off; complaints accepted meanwhile.
    const r = runtime();
    await r.streams.pause();
    const accepted = await Promise.all(
      Array.from({ length: CASES }, async (_, n) => {
        const answer = await postPlanningComplaint(
          r.endpoints.api,
          `The planning team promised to call me back about enquiry ${n} and never did.`,
          { name: `Resident ${n}`, email: `grace.${n}@example.com` },
        );
        expect(answer.status).toBe(201);
        return (await answer.json()) as { caseId: string; reference: string };
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, STREAM_HELD_MS));

    // Act: the reconciler runs while the stream is still behind, then the stream catches up.
    await reconcileNow();
    r.streams.resume();

    // Assess: the stream started every workflow, once, and the team was told of nothing.
    const client = new DynamoDBClient({
      endpoint: r.endpoints.dynamodb,
      region: LOCAL_AWS_ENV.AWS_REGION,
      credentials: {
        accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID,
        secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY,
      },
    });
    try {
      const store = new DynamoDbCaseStore({
        tableName: LOCAL_CASE_TABLE,
        client: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
      });
      for (const { caseId } of accepted) {
        await expect
          .poll(
            async () =>
              (await store.events(caseId)).filter((e) => e.type === 'workflow-started').map((e) => e.detail),
            { timeout: 30_000, interval: 250 },
          )
          .toEqual([{ by: 'stream' }]);
      }
    } finally {
      client.destroy();
    }
    const receipts = async () =>
      (await fetchStore(r.endpoints.ses)).filter((e) => /we have received your complaint/i.test(e.subject));
    await expect.poll(async () => (await receipts()).length, { timeout: 30_000, interval: 250 }).toBe(CASES);
    await reconcileNow();
    const toTeam = (await fetchStore(r.endpoints.ses)).filter((e) => e.subject.startsWith('Case workflows:'));
    expect(toTeam.map((e) => e.subject)).toEqual([]);
  }, 90_000);
});
