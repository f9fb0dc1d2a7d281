import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../../functions/app/api.js';
import { MAX_RECEIVED_AGO_MS, submitFeedback } from '../../../functions/app/intake.js';
import { reportRoutes } from '../../../functions/app/report-routes.js';
import { loadPolicy } from '../../../functions/domain/policy.js';
import { ValidationError } from '../../../functions/http/errors.js';
import { apiEvent, feedbackFormCsrf, formPost, jsonPost } from '../../support/api-event.js';
import { MemoryCaseStore } from '../../support/memory-store.js';

/**
 * Inputs that used to answer 500. Each is the client's mistake and must get a 4xx that says
 * what is wrong, and store nothing.
 */

const policy = loadPolicy('lgsco-code-2024');
const service = policy.routing.services[0]?.id as string;
const NOW = new Date('2026-03-02T10:00:00Z');
const store = new MemoryCaseStore();
const now = () => NOW;
let ids = 0;
const api = createApi({
  store,
  policy,
  now,
  newId: () => `case-${++ids}`,
  linkSecrets: async () => ['s'.repeat(40)],
  extraRoutes: (router) => reportRoutes(router, { store, policy, now }),
});

const call = (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => api(event, {} as Context);
const complaint = (extra: Record<string, unknown>) =>
  jsonPost('/complaints', {
    service,
    summary: 'The bins were not collected.',
    complainant: { name: 'Ada Lovelace', email: 'ada@example.com' },
    ...extra,
  });
const csrf = { Cookie: 'redress_csrf=t' };
/** A form token and cookie that pass, so what a post is refused for is its body. */
const form = feedbackFormCsrf('s'.repeat(40), NOW);

describe('hostile input', () => {
  it.each<[string, APIGatewayProxyEvent, string]>([
    ['a path parameter with a malformed % escape', apiEvent('GET', '/reports/performance%'), ''],
    [
      'report dates that are not dates',
      apiEvent('GET', '/reports/performance', { query: { from: 'x', to: 'y' } }),
      'must be a real date from 2000 to 2099',
    ],
    [
      'report dates in year 0000',
      apiEvent('GET', '/reports/performance', { query: { from: '0000-01-01', to: '0000-02-01' } }),
      'must be a real date from 2000 to 2099',
    ],
    [
      'report dates on the HTML page that do not exist',
      apiEvent('GET', '/reports', {
        query: { from: '2026-02-30', to: 'zz' },
        headers: { Accept: 'text/html' },
      }),
      'must be a real date',
    ],
    [
      'a public post dating itself in year 0001',
      complaint({ channel: 'letter', receivedAt: '0001-01-01T00:00:00Z' }),
      'Only council staff can give the date feedback was received',
    ],
    [
      'a form field name dotted five thousand deep',
      formPost('/complaints', { csrf: 't', [`${'a.'.repeat(5000)}b`]: 'x', summary: 'x' }, csrf),
      'field name that none of our forms has',
    ],
    [
      'a form with more fields than any of ours',
      formPost(
        '/complaints',
        Object.fromEntries([['csrf', 't'], ...Array.from({ length: 300 }, (_, i) => [`f${i}`, 'x'])]),
        csrf,
      ),
      'at most 200 fields',
    ],
    [
      'a form whose values have malformed % escapes',
      apiEvent('POST', '/complaints', {
        body: 'csrf=t&summary=%E0%A4%A&x=%',
        headers: { ...csrf, 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
      '',
    ],
    [
      'a CSRF cookie with a malformed % escape',
      formPost('/complaints', { csrf: '%', summary: 'x' }, { Cookie: 'redress_csrf=%E0%A4%A' }),
      '',
    ],
    [
      'a form whose words are not UTF-8 (%FF), which would be stored as replacement characters',
      apiEvent('POST', '/complaints', {
        body: `csrf=${encodeURIComponent(form.csrf)}&service=${service}&anonymous=yes&summary=The+bins%FF%FE+were+not+collected`,
        headers: { Cookie: form.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
      'not UTF-8',
    ],
    [
      'a form with a % that starts no escape, which would be stored as typed by no browser',
      apiEvent('POST', '/complaints', {
        body: `csrf=${encodeURIComponent(form.csrf)}&service=${service}&anonymous=yes&summary=100%+sure`,
        headers: { Cookie: form.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
      'not UTF-8',
    ],
    [
      'a JSON body whose bytes are not UTF-8 (as API Gateway passes it, base64), which would be stored as replacement characters',
      {
        ...apiEvent('POST', '/complaints', { headers: { 'Content-Type': 'application/json' } }),
        isBase64Encoded: true,
        body: Buffer.concat([
          Buffer.from(`{"service":"${service}","anonymous":true,"summary":"The bins`),
          Buffer.from([0xff, 0xfe]),
          Buffer.from(' were not collected."}'),
        ]).toString('base64'),
      },
      'not UTF-8',
    ],
    [
      'a form body whose bytes are not UTF-8 (Latin-1 sent unescaped), which would be stored as replacement characters',
      {
        ...apiEvent('POST', '/complaints', {
          headers: { Cookie: form.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
        }),
        isBase64Encoded: true,
        body: Buffer.concat([
          Buffer.from(`csrf=${encodeURIComponent(form.csrf)}&service=${service}&anonymous=yes&summary=Caf`),
          Buffer.from([0xe9]),
          Buffer.from('+bins+not+collected'),
        ]).toString('base64'),
      },
      'not UTF-8',
    ],
  ])('answers %s with a 4xx and stores nothing', async (_name, event, message) => {
    const before = ids;

    const result = await call(event);

    expect(result.statusCode, result.body).toBeGreaterThanOrEqual(400);
    expect(result.statusCode, result.body).toBeLessThan(500);
    expect(result.body).toContain(message);
    expect(ids).toBe(before);
  });

  // Only signed-in staff date a letter (the workspace's use case); they are held to the same bounds.
  const byStaff = (receivedAt: string) =>
    submitFeedback(
      { store, policy, now, newId: () => `case-${++ids}` },
      {
        service,
        summary: 'The bins were not collected.',
        complainant: { name: 'Ada Lovelace', email: 'ada@example.com' },
        channel: 'letter',
        receivedAt,
      },
      { staff: { email: 'casey.morgan@example.gov.uk' } },
    );

  it('refuses a letter staff date in year 0001, and stores nothing', async () => {
    const before = ids;

    const attempt = byStaff('0001-01-01T00:00:00Z');

    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toMatchObject({
      fields: { receivedAt: expect.stringContaining('within the last 12 months') },
    });
    expect(ids).toBe(before);
  });

  it('still accepts a letter staff date just within the last 12 months', async () => {
    const receivedAt = new Date(NOW.getTime() - MAX_RECEIVED_AGO_MS + 3_600_000).toISOString();

    const { record } = await byStaff(receivedAt);

    expect(record.receivedAt).toBe(receivedAt);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'a name with a right-to-left override',
      { complainant: { name: 'Ada \u202Egnp.exe', email: 'ada@example.com' } },
      'complainant.name',
      'must not include hidden control or text-direction characters',
    ],
    [
      'a summary with a bell and a null',
      { summary: 'The bins\u0007 were not\u0000 collected.' },
      'summary',
      'must not include hidden control or text-direction characters',
    ],
    [
      'a summary of zero-width spaces only',
      { summary: '\u200B\u200B\uFEFF \u2060' },
      'summary',
      'Enter your feedback',
    ],
    [
      'a name of zero-width joiners only',
      { complainant: { name: '\u200D\u200D', email: 'ada@example.com' } },
      'complainant.name',
      'looks empty: it has only invisible characters',
    ],
    [
      'a name with a paragraph separator, which turns a right-to-left name around',
      { complainant: { name: 'محمد علی\u2029 thanks', email: 'ada@example.com' } },
      'complainant.name',
      'must not include hidden control or text-direction characters',
    ],
    [
      'a summary with a line separator, which letters do not break at',
      { summary: 'The bins were not\u2028collected.' },
      'summary',
      'must not include hidden control or text-direction characters',
    ],
    [
      'a name over two lines',
      { complainant: { name: 'Ada\nLovelace', email: 'ada@example.com' } },
      'complainant.name',
      'must not include hidden control',
    ],
    [
      'a summary with half of an emoji (a lone surrogate), which no email, letter or table keeps as sent',
      { summary: 'The bins were not collected \uD83D.' },
      'summary',
      'must not include hidden control',
    ],
    [
      'a name with the second half of an emoji alone',
      { complainant: { name: 'Ada \uDE00Lovelace', email: 'ada@example.com' } },
      'complainant.name',
      'must not include hidden control',
    ],
    [
      'a phone number without a digit, given as the only way to reply',
      { complainant: { name: 'Ada Lovelace', phone: '(((((((-)' } },
      'complainant.phone',
      'Enter a telephone number',
    ],
    [
      'a phone number of dashes and two digits',
      { complainant: { name: 'Ada Lovelace', phone: '+1 ----- 2' } },
      'complainant.phone',
      'Enter a telephone number',
    ],
  ])('refuses %s with a message on the field', async (_name, extra, field, message) => {
    const before = ids;

    const result = await call(complaint(extra));

    expect(result.statusCode, result.body).toBe(400);
    expect(JSON.parse(result.body).errors[field]).toContain(message);
    expect(ids).toBe(before);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'names a JSON field called %s as one it does not accept, rather than answering 400 with no message',
    async (name) => {
      const before = ids;
      const sent = JSON.stringify({ service, summary: 'The bins were not collected.', anonymous: true });

      const result = await call(jsonPost('/complaints', `{"${name}": "x", ${sent.slice(1)}`));

      expect(result.statusCode, result.body).toBe(400);
      expect(Object.entries(JSON.parse(result.body).errors)).toContainEqual([
        name,
        `"${name}" is not a field we accept`,
      ]);
      expect(ids).toBe(before);
    },
  );

  it('shows the form again saying which field it does not accept when a form post has one called toString', async () => {
    const before = ids;
    const { csrf: token, cookie } = feedbackFormCsrf('s'.repeat(40), NOW);

    const result = await call(
      formPost(
        '/complaints',
        { csrf: token, service, summary: 'The bins were not collected.', anonymous: 'yes', toString: 'x' },
        { Cookie: cookie },
      ),
    );

    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('govuk-error-summary');
    expect(result.body).toContain('&quot;toString&quot; is not a field we accept');
    expect(ids).toBe(before);
  });

  it('takes a tab pasted into a one-line field (a name copied from a spreadsheet) as a space', async () => {
    const result = await call(
      complaint({ complainant: { name: 'Ada\tLovelace\t', email: 'ada@example.com' } }),
    );

    expect(result.statusCode, result.body).toBe(201);
    const stored = await store.get(JSON.parse(result.body).caseId);
    expect(stored?.complainant.name).toBe('Ada Lovelace');
  });

  it('keeps whole emoji, each of two halves, in a summary and a name', async () => {
    const result = await call(
      complaint({
        summary: 'Thank you 🙂 but the bins 🗑️ were not collected.',
        complainant: { name: 'Ada 👩‍💻 Lovelace', email: 'ada@example.com' },
      }),
    );

    expect(result.statusCode, result.body).toBe(201);
    const stored = await store.get(JSON.parse(result.body).caseId);
    expect(stored?.complainant.name).toBe('Ada 👩‍💻 Lovelace');
  });

  it('keeps line breaks in a summary and right-to-left marks in a name', async () => {
    const result = await call(
      complaint({
        summary: 'The bins were not collected.\r\n\tThree weeks running.',
        complainant: { name: '\u200Fسارة أحمد', email: 'sara@example.com' },
      }),
    );

    expect(result.statusCode, result.body).toBe(201);
  });
});

describe('the pages a mistake is answered with', () => {
  it('name the council, as the form does, never a placeholder', async () => {
    const withLinks = createApi({
      store,
      policy,
      now,
      newId: () => 'unused',
      linkSecrets: async () => ['s'.repeat(40)],
    });
    const pages = [
      await call(apiEvent('GET', '/no-such-page', { headers: { Accept: 'text/html' } })),
      await call(formPost('/complaints', { csrf: 'forged', summary: 'x' }, { Cookie: 'redress_csrf=real' })),
      await withLinks(
        apiEvent('GET', '/complaints/received', {
          query: { receipt: 'not-a-receipt' },
          headers: { Accept: 'text/html' },
        }),
        {} as Context,
      ),
    ];

    expect(pages.map((p) => p.statusCode)).toEqual([404, 403, 403]);
    for (const page of pages) {
      expect(page.body).toContain(policy.council);
      expect(page.body).not.toContain('Your council');
    }
  });
});
