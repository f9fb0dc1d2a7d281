import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApi } from '../../functions/app/api.js';
import { submitFeedback } from '../../functions/app/intake.js';
import { clientKey, mailboxKey } from '../../functions/domain/intake-limits.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { feedbackFormCsrf, formPost, jsonPost } from '../support/api-event.js';
import { MemoryRateLimiter } from '../support/memory-rate-limiter.js';
import { MemoryCaseStore } from '../support/memory-store.js';

/** Public intake's limits per email address and per client: a clear 429 that says when. */

const policy = loadPolicy('lgsco-code-2024');
const service = policy.routing.services[0]?.id as string;
const NOW = new Date('2026-03-02T10:00:00Z'); // 10am in London (GMT)
const SECRET = 'intake-limits-secret-long-enough-to-sign-links';

let store: MemoryCaseStore;
let api: ReturnType<typeof createApi>;
let ids = 0;

beforeEach(() => {
  ids = 0;
  store = new MemoryCaseStore();
  api = createApi({
    store,
    policy,
    now: () => NOW,
    newId: () => `case-${++ids}`,
    limiter: new MemoryRateLimiter(),
    limits: { perEmailPerDay: 3, perClientPerHour: 5 },
    linkSecrets: async () => [SECRET],
  });
});

const call = (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => api(event, {} as Context);

function from(event: APIGatewayProxyEvent, sourceIp: string): APIGatewayProxyEvent {
  return { ...event, requestContext: { identity: { sourceIp } } as APIGatewayProxyEvent['requestContext'] };
}

function complaint(email: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return jsonPost(
    '/complaints',
    { service, summary: 'The bins were not collected.', complainant: { name: 'Ada', email }, ...extra },
    headers,
  );
}

describe('intake limits', () => {
  it('refuses the fourth submission giving one email address in a day with 429, Retry-After and when', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await call(from(complaint('ada@example.com'), `192.0.2.${i}`))).statusCode).toBe(201);
    }

    const refused = await call(from(complaint('ADA@example.com'), '192.0.2.9'));

    expect(refused.statusCode).toBe(429);
    // Midnight UTC is 14 hours away.
    expect(refused.headers?.['Retry-After']).toBe(String(14 * 3_600));
    const body = JSON.parse(refused.body);
    expect(body.retryAfterSeconds).toBe(14 * 3_600);
    expect(body.message).toContain('from this email address');
    expect(body.message).toContain('You can send it from 3 March 2026 at midnight');
    expect(ids).toBe(3);
  });

  it('refuses the sixth submission from one client in an hour, whatever the addresses', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await call(from(complaint(`r${i}@example.com`), '198.51.100.7'))).statusCode).toBe(201);
    }

    const refused = await call(from(complaint('r9@example.com'), '198.51.100.7'));

    expect(refused.statusCode).toBe(429);
    expect(JSON.parse(refused.body).message).toContain('from this device or network');
    expect((await call(from(complaint('r9@example.com'), '198.51.100.8'))).statusCode).toBe(201);
  });

  it('answers a retry of an accepted submission with its case, not a refusal', async () => {
    const first = await call(
      from(complaint('ada@example.com', {}, { 'Idempotency-Key': 'k-1' }), '192.0.2.1'),
    );
    for (let i = 2; i <= 3; i++) await call(from(complaint('ada@example.com'), '192.0.2.1'));

    const again = await call(
      from(complaint('ada@example.com', {}, { 'Idempotency-Key': 'k-1' }), '192.0.2.1'),
    );

    expect(again.statusCode).toBe(200);
    expect(JSON.parse(again.body).reference).toBe(JSON.parse(first.body).reference);
  });

  it('does not limit staff entering a letter (only signed-in staff can: the workspace’s use case)', async () => {
    const limiter = new MemoryRateLimiter();
    const deps = {
      store,
      policy,
      now: () => NOW,
      newId: () => `case-${++ids}`,
      limiter,
      limits: { perEmailPerDay: 3, perClientPerHour: 5 },
    };
    for (let i = 0; i < 6; i++) {
      const { created } = await submitFeedback(
        deps,
        {
          service,
          summary: 'The bins were not collected.',
          complainant: { name: 'Ada', email: 'ada@example.com' },
          channel: 'letter',
          receivedAt: '2026-03-01T09:00:00Z',
        },
        { client: '192.0.2.1', staff: { email: 'casey.morgan@example.gov.uk' } },
      );
      expect(created).toBe(true);
    }
  });

  it('shows the form again with the answers and when to try again, for a browser', async () => {
    for (let i = 0; i < 3; i++) await call(from(complaint('ada@example.com'), '192.0.2.1'));
    const { csrf, cookie } = feedbackFormCsrf(SECRET, NOW);

    const page = await call(
      from(
        formPost(
          '/complaints',
          {
            csrf,
            service,
            summary: 'My fourth try today',
            'complainant.name': 'Ada',
            'complainant.email': 'ada@example.com',
            onBehalf: 'no',
          },
          { Cookie: cookie },
        ),
        '192.0.2.2',
      ),
    );

    expect(page.statusCode).toBe(429);
    expect(page.headers?.['Retry-After']).toBe(String(14 * 3_600));
    expect(page.body).toContain('govuk-error-summary');
    expect(page.body).toContain('we cannot take more just now');
    expect(page.body).toContain('My fourth try today');
  });
});

describe('intake limits on a Welsh page', () => {
  const welsh = loadPolicy(new URL('../fixtures/policies/welsh-council.json', import.meta.url).pathname);

  it('says in Welsh who sent too much and when they can send again', async () => {
    const welshApi = createApi({
      store: new MemoryCaseStore(),
      policy: welsh,
      now: () => NOW,
      newId: () => `cy-${++ids}`,
      limiter: new MemoryRateLimiter(),
      limits: { perEmailPerDay: 1, perClientPerHour: 5 },
      linkSecrets: async () => [SECRET],
    });
    const { csrf, cookie } = feedbackFormCsrf(SECRET, NOW);
    const send = (summary: string) =>
      welshApi(
        from(
          formPost(
            '/complaints',
            {
              csrf,
              language: 'cy',
              service: welsh.routing.services[0]?.id as string,
              summary,
              'complainant.name': 'Ada',
              'complainant.email': 'ada@example.com',
              onBehalf: 'no',
            },
            { Cookie: cookie },
          ),
          '192.0.2.3',
        ),
        {} as Context,
      );
    await send('Ni chasglwyd fy miniau.');

    const page = await send('Ni chasglwyd fy miniau eto.');

    expect(page.statusCode).toBe(429);
    expect(page.body).toContain('<html lang="cy"');
    // Midnight UTC on 3 March is midnight in London (GMT): 00:00 on the 3rd.
    expect(page.body).toContain(
      'Rydym wedi cael llawer o adborth o’r cyfeiriad e-bost hwn mewn amser byr, felly ni allwn dderbyn rhagor ar hyn o bryd. Gallwch ei anfon o 3 Mawrth 2026 am 00:00 ymlaen.',
    );
    expect(page.body).not.toMatch(/we cannot take more|this email address|You can send it/);
  });
});

it('limits nothing when no limiter is given', async () => {
  const unlimited = createApi({
    store: new MemoryCaseStore(),
    policy,
    now: () => NOW,
    newId: () => `x-${++ids}`,
  });
  for (let i = 0; i < 12; i++) {
    expect((await unlimited(complaint('ada@example.com'), {} as Context)).statusCode).toBe(201);
  }
});

describe('what one sender is', () => {
  it('counts ada+1@ and ADA@ as one mailbox', () => {
    expect(mailboxKey('Ada+refund1@Example.com')).toBe('ada@example.com');
    expect(mailboxKey(' ada@example.com ')).toBe('ada@example.com');
  });

  it('counts an IPv6 client by its /64 and an IPv4 client by its address', () => {
    expect(clientKey('2001:db8:abcd:12:1::7')).toBe('2001:db8:abcd:12::/64');
    expect(clientKey('2001:0db8:abcd:0012:ffff:1:2:3')).toBe('2001:db8:abcd:12::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('198.51.100.7')).toBe('198.51.100.7');
    expect(clientKey('::ffff:198.51.100.7')).toBe('198.51.100.7');
  });
});
