/**
 * The deployed API handler when its table hangs (takes the request and never answers, as a stalled
 * DynamoDB node or a black-holed connection does) until the Lambda's time is nearly up. The
 * person must get the service's own 503, with `Retry-After` and, for the form, their answers
 * kept, before the Lambda is cut off: never a handler that throws, which API Gateway turns into
 * a bare 502 "Internal server error" and the browser shows as JSON.
 */
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetAdapters } from '../../functions/app/container.js';
import { LOCAL_AWS_ENV } from '../../infra/local/stand-ins/index.js';
import { apiEvent, feedbackFormCsrfOf, formPost, jsonPost } from '../support/api-event.js';

/** What is left of the Lambda's time when a request comes in: short, so the test is too. */
const LAMBDA_MS_LEFT = 2_000;

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

let blackHole: Server;
const sockets = new Set<Socket>();
let handler: Handler;

/** A Lambda context whose remaining time counts down from `LAMBDA_MS_LEFT`, as Lambda's does. */
function lambdaContext(): Context {
  const started = Date.now();
  return {
    awsRequestId: 'hung-table',
    getRemainingTimeInMillis: () => Math.max(0, LAMBDA_MS_LEFT - (Date.now() - started)),
  } as Context;
}

beforeAll(async () => {
  // Takes every connection and never says a word.
  blackHole = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  blackHole.listen(0, '127.0.0.1');
  await once(blackHole, 'listening');
  const address = blackHole.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  for (const [name, value] of Object.entries(LOCAL_AWS_ENV)) vi.stubEnv(name, value);
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', `http://127.0.0.1:${address.port}`);
  vi.stubEnv('CASE_TABLE', 'hung-table');
  vi.stubEnv('REDRESS_POLICY', 'lgsco-code-2024');
  vi.stubEnv('PUBLIC_BASE_URL', 'https://complaints.example.gov.uk');
  vi.stubEnv('LINK_SECRET', 'c'.repeat(64));
  vi.stubEnv('INTAKE_LIMIT_PER_EMAIL_PER_DAY', 'off');
  vi.stubEnv('INTAKE_LIMIT_PER_CLIENT_PER_HOUR', 'off');
  resetAdapters();
  ({ handler } = (await import('../../functions/handlers/api.js')) as unknown as { handler: Handler });
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  blackHole?.close();
  resetAdapters();
  vi.unstubAllEnvs();
});

const complaint = {
  kind: 'complaint',
  service: 'waste-recycling',
  summary: 'My bin has not been collected for three weeks despite two reports.',
  complainant: { name: 'Ada Lovelace', email: 'ada@example.com' },
};

describe('the API with a table that never answers', () => {
  it('answers a JSON complaint 503 with Retry-After before the Lambda runs out of time', async () => {
    const result = await handler(jsonPost('/complaints', complaint), lambdaContext());

    expect(result.statusCode).toBe(503);
    expect(result.headers?.['Retry-After']).toBe('30');
    expect(JSON.parse(result.body)).toMatchObject({ retryAfterSeconds: 30 });
  }, 15_000);

  it('shows the form again with the answers kept, 503, before the Lambda runs out of time', async () => {
    const page = await handler(apiEvent('GET', '/', { headers: { Accept: 'text/html' } }), lambdaContext());
    const { csrf, cookie } = feedbackFormCsrfOf(page);

    const result = await handler(
      formPost(
        '/complaints',
        {
          csrf,
          kind: 'complaint',
          service: complaint.service,
          summary: complaint.summary,
          'complainant.name': 'Ada Lovelace',
          'complainant.email': 'ada@example.com',
          onBehalf: 'no',
        },
        { Cookie: cookie },
      ),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(503);
    expect(result.headers?.['Content-Type']).toMatch(/text\/html/);
    expect(result.body).toContain(`name="csrf" value="${csrf}"`);
    expect(result.body).toContain(complaint.summary);
  }, 15_000);

  it('tells the resident whose form ran out of time that trying again is safe, not to wait for a receipt nor to send an Idempotency-Key header', async () => {
    // Prepare
    const page = await handler(apiEvent('GET', '/', { headers: { Accept: 'text/html' } }), lambdaContext());
    const { csrf, cookie } = feedbackFormCsrfOf(page);
    // Act
    const result = await handler(
      formPost(
        '/complaints',
        {
          csrf,
          kind: 'complaint',
          service: complaint.service,
          summary: complaint.summary,
          'complainant.name': 'Ada Lovelace',
          'complainant.email': 'ada@example.com',
          onBehalf: 'no',
        },
        { Cookie: cookie },
      ),
      lambdaContext(),
    );
    // Assess: the form's token is its key, so its 'Try again' finds a case that did get stored.
    expect(result.statusCode).toBe(503);
    expect(result.body).toContain('it will not be saved twice');
    expect(result.body).not.toContain('Idempotency-Key');
    expect(result.body).not.toContain('look for that receipt');
  }, 15_000);
});
