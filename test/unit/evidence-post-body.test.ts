import type { APIGatewayProxyEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { evidenceLink } from '../../functions/app/evidence-links.js';
import { evidenceRoutes } from '../../functions/app/evidence-routes.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { apiEvent } from '../support/api-event.js';
import { apiAt } from '../support/api-handler.js';
import { MemoryEvidenceStore } from '../support/memory-evidence.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { createStoredCase } from '../support/stored-case.js';

/**
 * `POST /complaints/{reference}/evidence` hands out a presigned upload: files go straight to S3
 * (DESIGN.md: Lambda takes at most 6 MB, a file may be 10), never through the API. A file posted
 * to the API itself was thrown away while the answer said 201: the person thought it was sent.
 * Now a request with a body is refused with a 400 that says where files go, and nothing is
 * handed out; the empty request (or `{}`) still gets its upload.
 */

const policy = loadPolicy('lgsco-code-2024');
const SECRET = 'test-secret-test-secret-test-secret';
const NOW = new Date('2026-03-10T10:00:00.000Z');

let store: MemoryCaseStore;
let evidence: MemoryEvidenceStore;
let record: CaseRecord;
let path: string;
let token: string;

beforeEach(async () => {
  store = new MemoryCaseStore();
  evidence = new MemoryEvidenceStore();
  record = await createStoredCase(store, { policyId: policy.id });
  const link = new URL(evidenceLink(SECRET, record, NOW), 'https://complaints.example.gov.uk');
  path = link.pathname;
  token = link.searchParams.get('link') as string;
});

const api = () =>
  apiAt({ store, policy }, NOW, (r) =>
    evidenceRoutes(r, {
      store,
      evidence,
      now: () => NOW,
      newId: () => 'file-0123456789abcdef',
      linkSecrets: async () => [SECRET],
      baseUrl: 'https://complaints.example.gov.uk',
      councilName: policy.council,
      uploadsAnswer: async () => undefined,
    }),
  );

function post(to: string, body: string | undefined, headers: Record<string, string>): APIGatewayProxyEvent {
  // API Gateway delivers every body base64-encoded (binary media type */*).
  const event = apiEvent('POST', to, { headers, query: { link: token } });
  return body === undefined
    ? event
    : { ...event, body: Buffer.from(body).toString('base64'), isBase64Encoded: true };
}

const PDF = '%PDF-1.7\n1 0 obj\n<<>>\nendobj\n';
const MULTIPART =
  '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="letter.pdf"\r\nContent-Type: application/pdf\r\n\r\n' +
  `${PDF}\r\n--XyZ--\r\n`;

describe('POST /complaints/{reference}/evidence', () => {
  it.each([
    ['no body', undefined],
    ['an empty JSON object', '{}'],
  ])('hands out an upload for a request with %s', async (_, body) => {
    const answer = await api()(
      post(path, body, { 'Content-Type': 'application/json', Accept: 'application/json' }),
    );

    expect(answer.statusCode).toBe(201);
    expect(JSON.parse(answer.body)).toMatchObject({ url: 'https://bucket.example/' });
    expect(evidence.presigned).toHaveLength(1);
  });

  it('refuses a file a program posts to it, 400 saying where files go, and hands out nothing', async () => {
    const answer = await api()(
      post(path, PDF, { 'Content-Type': 'application/pdf', Accept: 'application/json' }),
    );

    expect(answer.statusCode).toBe(400);
    expect(JSON.parse(answer.body).message).toBe(
      'Files are not sent to this address, so nothing was received. Send this request with no body: its answer gives a url and fields, and the file goes to that url, posted as a form with those fields.',
    );
    expect(evidence.presigned).toEqual([]);
  });

  it('refuses fields it does not take, rather than ignoring them', async () => {
    const answer = await api()(
      post(path, '{"fileName":"letter.pdf"}', {
        'Content-Type': 'application/json',
        Accept: 'application/json',
      }),
    );

    expect(answer.statusCode).toBe(400);
    expect(evidence.presigned).toEqual([]);
  });

  it('shows a browser that posted a file here a page saying it was not received and what to do', async () => {
    const answer = await api()(
      post(path, MULTIPART, {
        'Content-Type': 'multipart/form-data; boundary=XyZ',
        Accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
      }),
    );

    expect(answer.statusCode).toBe(400);
    expect(answer.headers?.['Content-Type']).toMatch(/^text\/html/);
    expect(answer.body).toContain(
      'Your file could not be sent this way, so it was not received. Go back to the page for adding evidence and choose the file again.',
    );
    expect(evidence.presigned).toEqual([]);
  });
});

describe('POST /complaints/{reference}/evidence/{fileId}', () => {
  it('refuses a file posted to the check of an upload, rather than checking another upload', async () => {
    const answer = await api()(
      post(`${path}/file-0123456789abcdef`, PDF, {
        'Content-Type': 'application/pdf',
        Accept: 'application/json',
      }),
    );

    expect(answer.statusCode).toBe(400);
    expect(JSON.parse(answer.body).message).toMatch(/^Files are not sent to this address/);
  });
});
