import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApi } from '../../functions/app/api.js';
import { submitFeedback } from '../../functions/app/intake.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { apiEvent, feedbackFormCsrfOf, formPost, jsonPost } from '../support/api-event.js';
import { MemoryCaseStore } from '../support/memory-store.js';

const policy = loadPolicy('lgsco-code-2024');
const service = policy.routing.services[0]?.id as string;
const NOW = new Date('2026-03-02T10:00:00Z'); // a Monday

const valid = {
  kind: 'complaint',
  service,
  summary: 'My bin has been missed four weeks running and nobody has answered my calls.',
  desiredOutcome: 'Collect it and tell me why this keeps happening.',
  complainant: { name: 'Ada Lovelace', email: 'ada@example.com' },
};

let store: MemoryCaseStore;
let api: ReturnType<typeof createApi>;
let ids = 0;

/** The API over the current store, with any dependency replaced. */
function apiWith(overrides: Partial<Parameters<typeof createApi>[0]> = {}): ReturnType<typeof createApi> {
  return createApi({
    store,
    policy,
    now: () => NOW,
    newId: () => `case-${++ids}`,
    linkSecrets: async () => [SECRET],
    ...overrides,
  });
}

const SECRET = 'intake-test-secret-long-enough-to-sign-links';

beforeEach(() => {
  store = new MemoryCaseStore();
  ids = 0;
  api = apiWith();
});

async function call(event: ReturnType<typeof apiEvent>): Promise<APIGatewayProxyResult> {
  return api(event, {} as Context);
}

function body(result: APIGatewayProxyResult): Record<string, unknown> {
  return JSON.parse(result.body) as Record<string, unknown>;
}

describe('POST /complaints (JSON)', () => {
  it('stores the complaint with its first event and answers 201 with deadlines', async () => {
    const result = await call(jsonPost('/complaints', valid));

    expect(result.statusCode).toBe(201);
    const answer = body(result);
    expect(answer).toMatchObject({ reference: 'CMP-2026-000001', caseId: 'case-1', kind: 'complaint' });
    // Received Monday 2 March 2026: 5 working days → Monday 9 March; 10 more from then → Monday 23 March.
    expect(answer.deadlines).toMatchObject({
      acknowledgeBy: '2026-03-09T23:59:59.000Z',
      respondBy: '2026-03-23T23:59:59.000Z',
    });
    const stored = await store.get('case-1');
    expect(stored).toMatchObject({ status: 'received', channel: 'online', complainant: valid.complainant });
    // The workflow starts from the table's stream, not from intake (see workflow-starter.test.ts).
    expect(await store.events('case-1')).toEqual([
      expect.objectContaining({ seq: 1, type: 'received', actor: 'resident' }),
    ]);
  });

  it('tells the stream of the stored case before it answers', async () => {
    const inserted: string[] = [];
    store.onCreate = (record) => inserted.push(record.caseId);

    const result = await call(jsonPost('/complaints', valid));

    expect(result.statusCode).toBe(201);
    expect(inserted).toEqual([body(result).caseId]);
  });

  it.each([
    ['compliment', 'CPL', 'acknowledgeBy'],
    ['comment', 'CMT', 'replyBy'],
    ['representation', 'REP', 'feedbackBy'],
  ])('accepts a %s with its own reference and clock', async (kind, prefix, clock) => {
    const result = await call(
      jsonPost('/complaints', { ...valid, kind, summary: 'The library staff were wonderful.' }),
    );

    expect(result.statusCode).toBe(201);
    expect(body(result)).toMatchObject({ kind, reference: `${prefix}-2026-000001` });
    expect(Object.keys(body(result).deadlines as object)).toContain(clock);
    expect((await store.get('case-1'))?.kind).toBe(kind);
  });

  it('takes a letter entered by signed-in staff with the date it really arrived, and names them', async () => {
    // Act
    const { record } = await submitFeedback(
      { store, policy, now: () => NOW, newId: () => `case-${++ids}` },
      { ...valid, channel: 'letter', receivedAt: '2026-02-20T09:00:00Z' },
      { staff: { email: 'casey.officer@example.gov.uk' } },
    );

    // Assess: Friday 20 February 2026 + 5 working days → Friday 27 February.
    expect(record.deadlines).toMatchObject({ acknowledgeBy: '2026-02-27T23:59:59.000Z' });
    expect(await store.get('case-1')).toMatchObject({
      channel: 'letter',
      receivedAt: '2026-02-20T09:00:00.000Z',
    });
    expect((await store.events('case-1'))[0]).toMatchObject({
      actor: 'casey.officer@example.gov.uk',
      channel: 'letter',
    });
  });

  it.each([
    ['a channel other than online', { channel: 'letter' }, ['channel']],
    ['the date received', { receivedAt: '2026-01-20T09:00:00Z' }, ['receivedAt']],
    ['both', { channel: 'phone', receivedAt: '2026-01-20T09:00:00Z' }, ['channel', 'receivedAt']],
  ])('refuses a public post that sets %s, with 400 and nothing stored', async (_what, extra, fields) => {
    // Act
    const result = await call(jsonPost('/complaints', { ...valid, ...extra }));

    // Assess
    expect(result.statusCode).toBe(400);
    const errors = body(result).errors as Record<string, string>;
    expect(Object.keys(errors).sort()).toEqual(fields);
    expect(errors[fields[0] as string]).toMatch(/Only council staff/);
    expect(await store.get('case-1')).toBeUndefined();
  });

  it('accepts a public post that says channel "online"', async () => {
    const result = await call(jsonPost('/complaints', { ...valid, channel: 'online' }));
    expect(result.statusCode).toBe(201);
  });

  const fieldCases: [string, Record<string, unknown>, string][] = [
    ['summary is missing', { ...valid, summary: undefined }, 'summary'],
    ['summary is blank', { ...valid, summary: '   ' }, 'summary'],
    ['summary is too long', { ...valid, summary: 'x'.repeat(5001) }, 'summary'],
    ['kind is unknown', { ...valid, kind: 'rant' }, 'kind'],
    ['service is not in the routing table', { ...valid, service: 'moon-base' }, 'service'],
    [
      'email is malformed',
      { ...valid, complainant: { name: 'A', email: 'not-an-email' } },
      'complainant.email',
    ],
    [
      'phone is malformed',
      { ...valid, complainant: { name: 'A', phone: 'call me maybe' } },
      'complainant.phone',
    ],
    ['name is missing', { ...valid, complainant: { email: 'a@example.com' } }, 'complainant.name'],
    ['no way to reply is given', { ...valid, complainant: { name: 'A' } }, 'complainant.email'],
    ['complainant is not an object', { ...valid, complainant: 'Ada' }, 'complainant'],
    ['anonymous is not a yes or no', { ...valid, anonymous: 'perhaps' }, 'anonymous'],
    ['channel is unknown', { ...valid, channel: 'pigeon' }, 'channel'],
    [
      'receivedAt is sent by an online resident',
      { ...valid, receivedAt: '2026-03-01T10:00:00Z' },
      'receivedAt',
    ],
    [
      'receivedAt is not a timestamp',
      { ...valid, channel: 'phone', receivedAt: 'last Tuesday' },
      'receivedAt',
    ],
    [
      'receivedAt is in the future',
      { ...valid, channel: 'phone', receivedAt: '2026-04-01T10:00:00Z' },
      'receivedAt',
    ],
    ['a representative gives no name', { ...valid, onBehalfOf: { consent: true } }, 'onBehalfOf.name'],
    ['desiredOutcome is too long', { ...valid, desiredOutcome: 'y'.repeat(2001) }, 'desiredOutcome'],
    ['accessibilityNeeds is not text', { ...valid, accessibilityNeeds: 42 }, 'accessibilityNeeds'],
    ['an unknown field is sent', { ...valid, favouriteColour: 'green' }, 'favouriteColour'],
  ];

  it.each(fieldCases)('answers 400 naming the field when %s, and stores nothing', async (_, input, field) => {
    const result = await call(jsonPost('/complaints', input));

    expect(result.statusCode).toBe(400);
    const errors = body(result).errors as Record<string, string>;
    expect(errors[field]).toEqual(expect.any(String));
    expect(errors[field]?.length).toBeGreaterThan(5);
    expect(store.cases.size).toBe(0);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const result = await call(jsonPost('/complaints', '{"summary": '));

    expect(result.statusCode).toBe(400);
    expect((body(result).errors as Record<string, string>).body).toMatch(/not valid JSON/);
  });

  it('answers 400 for JSON that is not an object', async () => {
    const result = await call(jsonPost('/complaints', [1, 2, 3]));

    expect(result.statusCode).toBe(400);
    expect(body(result).errors).toHaveProperty('body');
  });

  it('answers 413 for an oversized body', async () => {
    const result = await call(jsonPost('/complaints', { ...valid, summary: 'z'.repeat(70_000) }));

    expect(result.statusCode).toBe(413);
    expect(body(result).message).toMatch(/longer than this form can take/);
    expect(store.cases.size).toBe(0);
  });

  it('answers 415 for a content type it does not take', async () => {
    const result = await call(
      apiEvent('POST', '/complaints', { body: 'hello', headers: { 'Content-Type': 'text/plain' } }),
    );

    expect(result.statusCode).toBe(415);
    expect(body(result).message).toMatch(/application\/json/);
  });

  it('gives a retry with the same Idempotency-Key the first answer and stores one case', async () => {
    const first = await call(jsonPost('/complaints', valid, { 'Idempotency-Key': 'abc-123' }));
    const second = await call(jsonPost('/complaints', valid, { 'Idempotency-Key': 'abc-123' }));

    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(body(second)).toEqual(body(first));
    expect(store.cases.size).toBe(1);
  });

  it('refuses with 422 an Idempotency-Key used before for a different submission, showing nothing of it', async () => {
    const first = await call(jsonPost('/complaints', valid, { 'Idempotency-Key': 'key-1' }));
    const other = await call(
      jsonPost(
        '/complaints',
        { ...valid, summary: 'A different complaint, about a different street entirely.' },
        { 'Idempotency-Key': 'key-1' },
      ),
    );

    expect(first.statusCode).toBe(201);
    expect(other.statusCode).toBe(422);
    expect(other.body).not.toContain(body(first).reference as string);
    expect(body(other).message).toMatch(/already used for a different submission/);
    expect(store.cases.size).toBe(1);
  });

  it('records an out-of-scope first report and answers with the redirect', async () => {
    const result = await call(
      jsonPost('/complaints', {
        ...valid,
        summary: 'There is a large pothole outside 12 Elm Road, please can someone come and fill it.',
        desiredOutcome: undefined,
      }),
    );

    expect(result.statusCode).toBe(201);
    expect(body(result)).toMatchObject({ status: 'redirected', redirect: expect.any(String) });
    const stored = await store.get('case-1');
    expect(stored?.triage).toMatchObject({ route: 'redirect', exclusion: 'service-request' });
    // Recorded, so its workflow tells the resident where to go: never dropped.
    expect(store.cases.size).toBe(1);
  });

  it('keeps no contact details for an anonymous complaint and refers it to a manager', async () => {
    const result = await call(
      jsonPost('/complaints', { ...valid, anonymous: true, complainant: { name: 'Would rather not' } }),
    );

    expect(result.statusCode).toBe(201);
    const stored = await store.get('case-1');
    expect(stored).toMatchObject({ anonymous: true, complainant: {} });
    expect(stored?.triage.route).toBe(
      policy.complaint.anonymous === 'refer-to-manager' ? 'refer-to-manager' : 'handle',
    );
  });

  it('records when the matter happened, and refuses a date in the future or one that is not real', async () => {
    const ok = await call(jsonPost('/complaints', { ...valid, happenedOn: '2025-01-31' }));
    const future = await call(jsonPost('/complaints', { ...valid, happenedOn: '2026-03-03' }));
    const unreal = await call(jsonPost('/complaints', { ...valid, happenedOn: '2025-02-30' }));

    expect(ok.statusCode).toBe(201);
    expect((await store.get('case-1'))?.happenedOn).toBe('2025-01-31');
    expect(future.statusCode).toBe(400);
    expect(body(future)).toMatchObject({
      errors: { happenedOn: 'The date it happened must be today or in the past' },
    });
    expect(unreal.statusCode).toBe(400);
    expect(body(unreal)).toMatchObject({
      errors: { happenedOn: 'The date it happened must be a real date, like 27 3 2026' },
    });
    expect(store.cases.size).toBe(1);
  });

  it('refers a hate incident (recorded, never dropped) rather than closing it', async () => {
    const result = await call(
      jsonPost('/complaints', {
        ...valid,
        summary: 'My neighbour shouts racist abuse at my children every day.',
      }),
    );

    expect(result.statusCode).toBe(201);
    const stored = await store.get('case-1');
    expect(stored).toMatchObject({
      status: 'referred',
      triage: { route: 'refer', exclusion: 'hate-incident' },
    });
    expect(stored?.deadlines).toEqual({});
  });

  it('records a resident who asks for letters by post', async () => {
    const result = await call(
      jsonPost('/complaints', {
        ...valid,
        complainant: {
          name: 'Grace Hopper',
          email: 'grace@example.com',
          address: '12 Mill Lane',
          contactBy: 'post',
        },
      }),
    );

    expect(result.statusCode).toBe(201);
    expect((await store.get('case-1'))?.complainant).toMatchObject({
      contactBy: 'post',
      address: '12 Mill Lane',
    });
  });

  it.each([
    [
      { name: 'Grace Hopper', phone: '01632 960 001', contactBy: 'post' },
      'complainant.address',
      /postal address/,
    ],
    [
      { name: 'Grace Hopper', phone: '01632 960 001', contactBy: 'email' },
      'complainant.email',
      /email address/,
    ],
    [
      { name: 'Grace Hopper', email: 'grace@example.com', contactBy: 'fax' },
      'complainant.contactBy',
      /email or post/,
    ],
  ])('answers 400 for a contact preference it cannot keep (%j)', async (complainant, field, message) => {
    const result = await call(jsonPost('/complaints', { ...valid, complainant }));

    expect(result.statusCode).toBe(400);
    expect(JSON.stringify(body(result))).toMatch(message);
    expect(JSON.stringify(body(result))).toContain(field);
    expect(await store.get('case-1')).toBeUndefined();
  });

  it('records a representative and their consent', async () => {
    const result = await call(
      jsonPost('/complaints', {
        ...valid,
        onBehalfOf: { name: 'Grace Hopper', relationship: 'daughter', consent: true },
      }),
    );

    expect(result.statusCode).toBe(201);
    expect((await store.get('case-1'))?.onBehalfOf).toEqual({
      name: 'Grace Hopper',
      relationship: 'daughter',
      consent: true,
    });
  });

  it('routes contact from a complainant designated vexatious to the nominated officer', async () => {
    await call(jsonPost('/complaints', valid));
    const first = store.cases.get('case-1');
    if (first) first.vexatious = true;

    const result = await call(jsonPost('/complaints', { ...valid, summary: 'Same again.' }));

    expect(result.statusCode).toBe(201);
    expect(await store.get('case-2')).toMatchObject({
      vexatious: true,
      triage: { route: 'nominated-officer' },
    });
  });

  it('routes contact from a designated complainant to the nominated officer when they add a +tag to their address', async () => {
    await call(jsonPost('/complaints', valid));
    const first = store.cases.get('case-1');
    if (first) first.vexatious = true;

    // ada+council@example.com reaches the same inbox as ada@example.com.
    const result = await call(
      jsonPost('/complaints', {
        ...valid,
        summary: 'Same again.',
        complainant: { ...valid.complainant, email: 'Ada+Council@example.com' },
      }),
    );

    expect(result.statusCode).toBe(201);
    expect(await store.get('case-2')).toMatchObject({
      vexatious: true,
      triage: { route: 'nominated-officer' },
    });
  });
});

describe('POST /complaints (HTML form)', () => {
  async function csrfFromForm(
    headers: Record<string, string> = {},
  ): Promise<{ token: string; cookie: string }> {
    const page = await call(apiEvent('GET', '/', { headers: { Accept: 'text/html', ...headers } }));
    const { csrf, cookie } = feedbackFormCsrfOf(page);
    return { token: csrf, cookie };
  }

  it('answers a confirmation page with the reference', async () => {
    const { token, cookie } = await csrfFromForm();

    const result = await call(
      formPost(
        '/complaints',
        {
          csrf: token,
          kind: 'complaint',
          service,
          summary: valid.summary,
          'complainant.name': 'Ada Lovelace',
          'complainant.email': 'ada@example.com',
          onBehalf: 'no',
        },
        { Cookie: cookie },
      ),
    );

    // Post/Redirect/Get: the answer to the post is a redirect to the confirmation page…
    expect(result.statusCode).toBe(303);
    const location = String(result.headers?.Location);
    expect(location).toMatch(/^\/complaints\/received\?receipt=[\w-]+\.[\w-]+$/);

    // …which shows the reference, and shows it again on a refresh without storing anything more.
    const receipt = new URL(location, 'http://x').searchParams.get('receipt') as string;
    for (const _refresh of [1, 2]) {
      const page = await call(
        apiEvent('GET', '/complaints/received', { query: { receipt }, headers: { Accept: 'text/html' } }),
      );
      expect(page.statusCode).toBe(200);
      expect(page.headers?.['Content-Type']).toMatch(/text\/html/);
      expect(page.body).toContain('CMP-2026-000001');
      expect(page.body).toContain('href="/check"');
    }
    expect(store.cases.size).toBe(1);
  });

  it('refuses a confirmation address that was changed or has expired', async () => {
    const { token, cookie } = await csrfFromForm();
    const posted = await call(
      formPost(
        '/complaints',
        {
          csrf: token,
          kind: 'complaint',
          service,
          summary: valid.summary,
          'complainant.name': 'Ada Lovelace',
          'complainant.email': 'ada@example.com',
          onBehalf: 'no',
        },
        { Cookie: cookie },
      ),
    );
    expect(posted.statusCode).toBe(303);
    const receipt = new URL(String(posted.headers?.Location), 'http://x').searchParams.get(
      'receipt',
    ) as string;

    const forged = await call(apiEvent('GET', '/complaints/received', { query: { receipt: `${receipt}x` } }));
    const later = apiWith({ now: () => new Date(NOW.getTime() + 25 * 3_600_000) });
    const expired = await later(
      apiEvent('GET', '/complaints/received', { query: { receipt } }),
      {} as Context,
    );

    expect(forged.statusCode).toBe(403);
    expect(expired.statusCode).toBe(410);
  });

  it('takes the date it happened from the form’s day, month and year', async () => {
    const { token, cookie } = await csrfFromForm();

    const result = await call(
      formPost(
        '/complaints',
        {
          csrf: token,
          kind: 'complaint',
          service,
          summary: valid.summary,
          'happenedOn.day': '7',
          'happenedOn.month': '2',
          'happenedOn.year': '2025',
          'complainant.name': 'Ada Lovelace',
          'complainant.email': 'ada@example.com',
          onBehalf: 'no',
        },
        { Cookie: cookie },
      ),
    );

    expect(result.statusCode).toBe(303);
    expect((await store.get('case-1'))?.happenedOn).toBe('2025-02-07');
  });

  it('shows the form again with the error summary for bad input', async () => {
    const { token, cookie } = await csrfFromForm();

    const result = await call(
      formPost('/complaints', { csrf: token, kind: 'complaint', summary: '' }, { Cookie: cookie }),
    );

    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('govuk-error-summary');
    expect(result.body).toContain('Enter your feedback');
    expect(result.body).toContain('href="#summary"');
    expect(store.cases.size).toBe(0);
  });

  /** A resident's answers to the form, sent with a page's token. */
  const answers = (token: string, summary: string) => ({
    csrf: token,
    kind: 'complaint',
    service,
    summary,
    'complainant.name': 'Ada Lovelace',
    'complainant.email': 'ada@example.com',
    onBehalf: 'no',
  });

  describe('from a form page that has already sent feedback (the resident went Back)', () => {
    const OTHER =
      'A different matter: the pothole on Mill Lane burst my tyre, and nobody came after two reports.';

    it('shows the same answers, sent again, the case they stored (a second click stores nothing more)', async () => {
      const { token, cookie } = await csrfFromForm();

      const first = await call(formPost('/complaints', answers(token, valid.summary), { Cookie: cookie }));
      const again = await call(formPost('/complaints', answers(token, valid.summary), { Cookie: cookie }));

      expect(first.statusCode).toBe(303);
      expect(again.statusCode).toBe(303);
      expect(store.cases.size).toBe(1);
    });

    it('stores other feedback sent from the same page as feedback of its own, never taken for the first', async () => {
      const { token, cookie } = await csrfFromForm();
      const first = await call(formPost('/complaints', answers(token, valid.summary), { Cookie: cookie }));

      const other = await call(formPost('/complaints', answers(token, OTHER), { Cookie: cookie }));

      expect(other.statusCode).toBe(303);
      expect(other.headers?.Location).not.toBe(first.headers?.Location);
      expect([...store.cases.values()].map((c) => c.summary)).toEqual([valid.summary, OTHER]);
    });

    it('refuses the same feedback sent again with answers changed: 409, the answers kept, and a new token that sends them', async () => {
      const { token, cookie } = await csrfFromForm();
      await call(formPost('/complaints', answers(token, valid.summary), { Cookie: cookie }));
      const changed = { ...answers(token, valid.summary), 'complainant.phone': '01632 960 001' };

      const refused = await call(formPost('/complaints', changed, { Cookie: cookie }));

      expect(refused.statusCode).toBe(409);
      expect(refused.body).toMatch(
        /govuk-error-summary[\s\S]*You have already sent feedback from this page \(reference CMP-2026-000001\), so this was not sent\./,
      );
      expect(refused.body).toContain('01632 960 001');
      const fresh = feedbackFormCsrfOf(refused);
      expect(fresh.csrf).not.toBe(token);
      expect(fresh.cookie).toBe(cookie);
      expect(store.cases.size).toBe(1);
      const resend = /name="resend" value="([^"]+)"/.exec(refused.body)?.[1] as string;

      const sent = await call(
        formPost('/complaints', { ...changed, csrf: fresh.csrf, resend }, { Cookie: cookie }),
      );

      expect(sent.statusCode).toBe(303);
      expect([...store.cases.values()].map((c) => c.complainant.phone)).toEqual([undefined, '01632 960 001']);
    });

    /**
     * The same words sent again with answers added on the way back (what they want done, an
     * accessibility need, a phone number) are not taken for the first sending, whose confirmation
     * would drop what was added: the form comes back with them.
     */
    it('never drops answers added before the page is sent again: the case has them, or the form comes back with them', async () => {
      const { token, cookie } = await csrfFromForm();
      await call(formPost('/complaints', answers(token, valid.summary), { Cookie: cookie }));

      const again = await call(
        formPost(
          '/complaints',
          {
            ...answers(token, valid.summary),
            desiredOutcome: 'A refund of the overcharge and an apology',
            accessibilityNeeds: 'I am deaf: please do not phone me',
          },
          { Cookie: cookie },
        ),
      );

      const stored = [...store.cases.values()];
      const kept = stored.some((c) => c.accessibilityNeeds === 'I am deaf: please do not phone me');
      const shownAgain = again.statusCode === 409 && again.body.includes('I am deaf: please do not phone me');
      expect(kept || shownAgain).toBe(true);
    });

    /**
     * The form page is not cached (no-store), so Back after the confirmation fetches the form
     * again with a new token, and the browser fills it in with what was typed: pressing Send
     * again finds the case it stored, not a second reference, receipt and officer task.
     */
    it('stores the same words from the same person once when the form is fetched again by Back and sent', async () => {
      const first = await csrfFromForm();
      await call(formPost('/complaints', answers(first.token, valid.summary), { Cookie: first.cookie }));
      const back = await csrfFromForm({ Cookie: first.cookie });

      await call(formPost('/complaints', answers(back.token, valid.summary), { Cookie: back.cookie }));

      expect(store.cases.size).toBe(1);
    });

    /** The refusal is in Welsh on a Welsh page. */
    it('says so in Welsh on a Welsh page', async () => {
      const welsh = loadPolicy(new URL('../fixtures/policies/welsh-council.json', import.meta.url).pathname);
      api = apiWith({ policy: welsh });
      const { token, cookie } = await csrfFromForm();
      const inWelsh = (summary: string) => ({
        ...answers(token, summary),
        service: 'waste-recycling',
        language: 'cy',
      });
      await call(formPost('/complaints', inWelsh(valid.summary), { Cookie: cookie }));

      const refused = await call(
        formPost(
          '/complaints',
          { ...inWelsh(valid.summary), desiredOutcome: 'Ymddiheuriad' },
          { Cookie: cookie },
        ),
      );

      expect(refused.statusCode).toBe(409);
      expect(refused.body).toContain('<html lang="cy"');
      expect(refused.body).not.toContain('You have already sent feedback from this page');
    });
  });

  /** The reference on the confirmation page a form post was redirected to. */
  async function referenceShownAt(posted: APIGatewayProxyResult): Promise<string | undefined> {
    const receipt = new URL(String(posted.headers?.Location), 'http://x').searchParams.get('receipt') ?? '';
    const page = await call(
      apiEvent('GET', '/complaints/received', { query: { receipt }, headers: { Accept: 'text/html' } }),
    );
    return /CMP-\d{4}-\d{6}/.exec(page.body)?.[0];
  }

  it('tells a resident whose first report is a service request which team has it and how to reach them', async () => {
    const { token, cookie } = await csrfFromForm();
    const posted = await call(
      formPost(
        '/complaints',
        answers(token, 'There is a large pothole outside 12 Elm Road, please can someone come and fill it.'),
        { Cookie: cookie },
      ),
    );
    const receipt = new URL(String(posted.headers?.Location), 'http://x').searchParams.get('receipt') ?? '';

    const page = await call(
      apiEvent('GET', '/complaints/received', { query: { receipt }, headers: { Accept: 'text/html' } }),
    );

    const highways = policy.routing.services.find((s) => s.id === 'highways');
    const text = page.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('What happens next');
    expect(text).toContain(`We have passed your message to our ${highways?.name} team.`);
    expect(text).toContain(`You can email them at ${highways?.mailbox}.`);
    expect(text).not.toContain('Where to go instead');
  });

  describe('from two tabs of the form', () => {
    const SECOND = 'A second matter: the streetlight outside number 12 has been out since January.';

    it('keeps the browser’s cookie for the second tab and gives each tab a token of its own', async () => {
      const first = await csrfFromForm();
      const second = await csrfFromForm({ Cookie: first.cookie });

      expect(second.cookie).toBe(first.cookie);
      expect(second.token).not.toBe(first.token);
    });

    it('sends each tab as a case of its own, the first tab first, and a tab sent again finds its case', async () => {
      const first = await csrfFromForm();
      const second = await csrfFromForm({ Cookie: first.cookie });

      // The browser sends the cookie it holds now: the one the second tab's page set.
      const browser = { Cookie: second.cookie };
      const fromFirst = await call(formPost('/complaints', answers(first.token, valid.summary), browser));
      const fromSecond = await call(formPost('/complaints', answers(second.token, SECOND), browser));
      const firstAgain = await call(formPost('/complaints', answers(first.token, valid.summary), browser));

      expect([fromFirst.statusCode, fromSecond.statusCode, firstAgain.statusCode]).toEqual([303, 303, 303]);
      expect([...store.cases.values()].map((c) => c.summary)).toEqual([valid.summary, SECOND]);
      expect(await referenceShownAt(firstAgain)).toBe('CMP-2026-000001');
      expect(await referenceShownAt(fromSecond)).toBe('CMP-2026-000002');
    });

    it('sends both tabs opened at the same instant in a new browser, which kept only the second cookie', async () => {
      // Neither page request carried a cookie, so each was given a new one.
      const first = await csrfFromForm();
      const second = await csrfFromForm();
      expect(second.cookie).not.toBe(first.cookie);
      const browser = { Cookie: second.cookie, 'Sec-Fetch-Site': 'same-origin' };

      const fromFirst = await call(formPost('/complaints', answers(first.token, valid.summary), browser));
      const fromSecond = await call(formPost('/complaints', answers(second.token, SECOND), browser));
      const firstAgain = await call(formPost('/complaints', answers(first.token, valid.summary), browser));

      expect([fromFirst.statusCode, fromSecond.statusCode, firstAgain.statusCode]).toEqual([303, 303, 303]);
      expect([...store.cases.values()].map((c) => c.summary)).toEqual([valid.summary, SECOND]);
    });

    it.each([['same-site'], ['none'], ['cross-site']])(
      'keeps binding the token to the cookie when the browser says the post came from %s',
      async (fetchSite) => {
        const first = await csrfFromForm();
        const second = await csrfFromForm();

        const refused = await call(
          formPost('/complaints', answers(first.token, valid.summary), {
            Cookie: second.cookie,
            'Sec-Fetch-Site': fetchSite,
          }),
        );

        expect(refused.statusCode).toBe(403);
        expect(store.cases.size).toBe(0);
      },
    );

    it('takes a token signed with the previous link secret, after the secret is rotated', async () => {
      const { token, cookie } = await csrfFromForm();
      api = apiWith({ linkSecrets: async () => ['rotated-secret-long-enough-to-sign-links', SECRET] });

      const sent = await call(formPost('/complaints', answers(token, valid.summary), { Cookie: cookie }));

      expect(sent.statusCode).toBe(303);
      expect(store.cases.size).toBe(1);
    });
  });

  describe('with a token that is not valid', () => {
    // As a browser sends the form: "for someone else" not answered, its own fields empty.
    const typed = {
      kind: 'complaint',
      service,
      summary: 'The bins were missed again & again <every> week.',
      'complainant.name': 'Ada Lovelace',
      'complainant.email': 'ada@example.com',
      'onBehalfOf.name': '',
      'onBehalfOf.relationship': '',
    };

    /** The form page a refused post was answered with: 403, nothing stored, the answers kept. */
    function expectAnswersKept(result: APIGatewayProxyResult): void {
      expect(result.statusCode).toBe(403);
      expect(result.body).toMatch(
        /govuk-error-summary[\s\S]*Your feedback has not been sent: the page had been open too long, or did not come from this service\. Your answers are below\. Check them and send the form again\./,
      );
      expect(result.body).toContain('The bins were missed again &amp; again &lt;every&gt; week.');
      expect(result.body).toContain('value="Ada Lovelace"');
      expect(result.body).toContain('value="ada@example.com"');
      // Empty fields of "for someone else" are not taken for a "yes" the resident never gave.
      expect(result.body).not.toMatch(/<input[^>]*name="onBehalf"[^>]*value="yes"[^>]*checked/);
      expect(store.cases.size).toBe(0);
    }

    it.each<[string, () => Promise<{ token?: string; cookie?: string }>]>([
      ['no token at all', async () => ({ cookie: (await csrfFromForm()).cookie })],
      ['a forged token', async () => ({ token: 'forged', cookie: (await csrfFromForm()).cookie })],
      [
        'the cookie’s own value as the token',
        async () => {
          const { cookie } = await csrfFromForm();
          return { token: cookie.split('=')[1], cookie };
        },
      ],
      [
        'a token from another browser',
        async () => ({
          token: (await csrfFromForm()).token,
          cookie: (await csrfFromForm()).cookie,
        }),
      ],
      [
        'no cookie, as from a post made on another site',
        async () => ({ token: (await csrfFromForm()).token }),
      ],
      [
        'a token signed with a secret that is not ours',
        async () => {
          const { cookie } = await csrfFromForm();
          const other = apiWith({ linkSecrets: async () => ['someone-else-s-secret-long-enough-to-sign'] });
          const page = await other(
            apiEvent('GET', '/', { headers: { Accept: 'text/html', Cookie: cookie } }),
            {} as Context,
          );
          return { token: feedbackFormCsrfOf(page).csrf, cookie };
        },
      ],
    ])(
      'stores nothing from %s, and shows the form again with the answers and a token that sends them',
      async (_name, given) => {
        const { token, cookie } = await given();

        const refused = await call(
          formPost(
            '/complaints',
            { ...(token ? { csrf: token } : {}), ...typed },
            cookie ? { Cookie: cookie } : {},
          ),
        );

        expectAnswersKept(refused);
        const fresh = feedbackFormCsrfOf(refused);
        if (cookie) expect(fresh.cookie).toBe(cookie);
        const sent = await call(
          formPost('/complaints', { csrf: fresh.csrf, ...typed }, { Cookie: fresh.cookie }),
        );
        expect(sent.statusCode).toBe(303);
        expect([...store.cases.values()].map((c) => c.summary)).toEqual([typed.summary]);
      },
    );

    it('shows a post another site made the form empty, not filled in with that site’s words', async () => {
      const { token } = await csrfFromForm();

      const refused = await call(
        formPost('/complaints', { csrf: token, ...typed }, { 'Sec-Fetch-Site': 'cross-site' }),
      );

      expect(refused.statusCode).toBe(403);
      expect(refused.body).toMatch(
        /govuk-error-summary[\s\S]*Your feedback has not been sent: it came from another website, not from this form\./,
      );
      expect(refused.body).not.toContain('The bins were missed again');
      expect(refused.body).not.toContain('value="Ada Lovelace"');
      expect(store.cases.size).toBe(0);
    });

    it('refuses a token issued more than a day ago (its idempotency key may be gone), keeping the answers', async () => {
      const { token, cookie } = await csrfFromForm();
      api = apiWith({ now: () => new Date(NOW.getTime() + 24 * 3_600_000 + 1_000) });

      const refused = await call(formPost('/complaints', { csrf: token, ...typed }, { Cookie: cookie }));

      expectAnswersKept(refused);
    });

    it('says so in Welsh on a Welsh page', async () => {
      const welsh = loadPolicy(new URL('../fixtures/policies/welsh-council.json', import.meta.url).pathname);
      api = apiWith({ policy: welsh });
      const { cookie } = await csrfFromForm();

      const refused = await call(
        formPost(
          '/complaints',
          { csrf: 'forged', language: 'cy', ...typed, service: 'waste-recycling' },
          { Cookie: cookie },
        ),
      );

      expect(refused.statusCode).toBe(403);
      expect(refused.body).toContain('<html lang="cy"');
      expect(refused.body).toContain(
        'Nid yw eich adborth wedi’i anfon: roedd y dudalen ar agor yn rhy hir, neu ni ddaeth o’r gwasanaeth hwn. Mae eich atebion isod. Gwiriwch nhw ac anfonwch y ffurflen eto.',
      );
      expect(refused.body).toContain('name="language" value="cy"');
      expect(refused.body).toContain('The bins were missed again &amp; again &lt;every&gt; week.');
      expect(store.cases.size).toBe(0);
    });
  });
});

describe('intake under arbitrary input', () => {
  it('never answers 500 and never stores a half-case', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue(),
          fc.record(
            {
              kind: fc.oneof(
                fc.constantFrom('complaint', 'comment', 'compliment', 'representation'),
                fc.string(),
              ),
              service: fc.oneof(fc.constant(service), fc.string()),
              summary: fc.string(),
              complainant: fc.oneof(
                fc.record(
                  { name: fc.string(), email: fc.oneof(fc.emailAddress(), fc.string()) },
                  { requiredKeys: [] },
                ),
                fc.jsonValue(),
              ),
              anonymous: fc.oneof(fc.boolean(), fc.string()),
              channel: fc.string(),
              receivedAt: fc.oneof(
                fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())),
                fc.string(),
              ),
            },
            { requiredKeys: [] },
          ),
        ),
        async (input) => {
          store = new MemoryCaseStore();
          api = apiWith();

          const result = await call(jsonPost('/complaints', input));

          expect(result.statusCode).not.toBe(500);
          if (result.statusCode >= 400) {
            expect(result.statusCode).toBeLessThan(500);
            expect(body(result).message).toEqual(expect.any(String));
            expect(store.cases.size).toBe(0);
          } else {
            expect(result.statusCode).toBe(201);
            const stored = await store.get(body(result).caseId as string);
            expect(stored?.reference).toBe(body(result).reference);
            expect((await store.events(stored?.caseId as string))[0]?.type).toBe('received');
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never answers 500 to arbitrary raw bodies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 500 }),
        fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', ''),
        async (raw, contentType) => {
          const result = await call(
            apiEvent('POST', '/complaints', {
              body: raw,
              headers: contentType ? { 'Content-Type': contentType } : {},
            }),
          );

          expect(result.statusCode).toBeGreaterThanOrEqual(400);
          expect(result.statusCode).toBeLessThan(500);
          expect(store.cases.size).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('GET /health', () => {
  it('answers 200 ok', async () => {
    const result = await call(apiEvent('GET', '/health'));

    expect(result.statusCode).toBe(200);
    expect(body(result)).toEqual({ status: 'ok', checks: {} });
  });
});
