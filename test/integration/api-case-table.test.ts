/**
 * The API's own case table, as the deployed API wires it (`TABLE_ADAPTERS`: loaded on the first
 * request that reads or writes it), against DynamoDB Local. Nothing here is provided: the
 * handler builds each adapter from the environment. `npm start` cannot show this: it runs the
 * steps in the same process, and their store, loaded at start, may be the one every handler
 * there gets.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { keptInCaseTable } from '../../functions/adapters/case-table-store.js';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { adapter, resetAdapters } from '../../functions/app/container.js';
import { apiEvent, jsonPost } from '../support/api-event.js';
import { newCaseTable } from '../support/case-table.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';

let standIns: StandIns;
let tableName: string;
let handler: (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

beforeAll(async () => {
  standIns = await startStandIns(['dynamodb']);
  tableName = await newCaseTable();
  vi.stubEnv('CASE_TABLE', tableName);
  vi.stubEnv('REDRESS_POLICY', 'lgsco-code-2024');
  vi.stubEnv('PUBLIC_BASE_URL', 'https://complaints.example.gov.uk');
  vi.stubEnv('LINK_SECRET', 'a'.repeat(64));
  resetAdapters();
  ({ handler } = (await import('../../functions/handlers/api.js')) as unknown as { handler: typeof handler });
});

afterAll(async () => {
  resetAdapters();
  vi.unstubAllEnvs();
  await standIns?.stop();
});

const context = { awsRequestId: 'api-case-table', getRemainingTimeInMillis: () => 30_000 } as Context;

/** A resident's complaint posted in JSON, from an address of its own. */
function complaint(n: number): APIGatewayProxyEvent {
  return {
    ...jsonPost(
      '/complaints',
      {
        kind: 'complaint',
        service: 'waste-recycling',
        summary: `My bin has not been collected for three weeks despite two reports (${n}).`,
        desiredOutcome: 'Collect the bin and tell me why it was missed.',
        complainant: { name: `Resident ${n}`, email: `resident-${n}@example.com` },
      },
      { 'Idempotency-Key': `api-case-table-${n}` },
    ),
    requestContext: { identity: { sourceIp: `192.0.2.${n}` } } as APIGatewayProxyEvent['requestContext'],
  };
}

describe("the API's case table, loaded on its first use", () => {
  it('stores complaints, answers a retry with the first case, and reads them back for the public report', async () => {
    // Prepare
    const posts = [1, 2, 3, 4, 5].map(complaint);

    // Act
    const answers = [];
    for (const post of posts) answers.push(await handler(post, context));
    const retry = await handler(posts[0] as APIGatewayProxyEvent, context);
    const health = await handler(apiEvent('GET', '/health'), context);
    const report = await handler(
      apiEvent('GET', '/reports/performance', {
        query: { from: '2026-01-01', to: '2027-12-31' },
        headers: { Accept: 'application/json' },
      }),
      context,
    );

    // Assess: the store the API used is its own stand-in, kept in the case table
    const store = adapter('store');
    expect(store).not.toBeInstanceOf(DynamoDbCaseStore);
    expect(keptInCaseTable(store)).toBe(true);
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201, 201, 201]);
    const first = JSON.parse((answers[0] as APIGatewayProxyResult).body) as { reference: string };
    expect([retry.statusCode, (JSON.parse(retry.body) as { reference: string }).reference]).toEqual([
      200,
      first.reference,
    ]);
    const stored = await new DynamoDbCaseStore({ tableName }).getByReference(first.reference);
    expect(stored?.complainant.email).toBe('resident-1@example.com');
    expect(JSON.parse(health.body).checks.table).toBe('ok');
    expect(report.statusCode).toBe(200);
    expect(JSON.parse(report.body).totals.received).toBe(5);
  });
});
