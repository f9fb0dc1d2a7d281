import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApi } from '../../functions/app/api.js';
import { correspondence } from '../../functions/app/correspondence.js';
import {
  CHECK_ANSWER_FLOOR_MS,
  type ResidentAccessDeps,
  waitOutAnswerFloor,
} from '../../functions/app/resident-access.js';
import { residentRoutes } from '../../functions/app/resident-routes.js';
import { signLink, verifyLink } from '../../functions/domain/links.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import {
  checkRateLimits,
  constantTimeEqual,
  DEFAULT_CHECK_LIMITS,
  emailMatchesCase,
  newSession,
  RESIDENT_ABSOLUTE_MINUTES,
  RESIDENT_IDLE_MINUTES,
  SIGN_IN_LINK_MINUTES,
  sessionFromClaims,
  sessionToken,
  signInTokenHash,
} from '../../functions/domain/resident-access.js';
import { apiEvent, formPost } from '../support/api-event.js';
import { RecordingWorkflows } from '../support/fake-workflows.js';
import { MemoryArchive } from '../support/memory-archive.js';
import { MemoryMailer } from '../support/memory-mailer.js';
import { MemoryRateLimiter } from '../support/memory-rate-limiter.js';
import { MemorySignInLinks } from '../support/memory-sign-in-links.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { openCase } from '../support/open-case.js';

const SECRET = 'resident-access-test-secret-long-enough';
const NOW = new Date('2026-03-25T10:00:00Z');
const policy = loadPolicy('lgsco-code-2024');

describe('resident access rules', () => {
  it('matches the case’s own address whatever its case or spaces, and nothing else', () => {
    const c = openCase('case-1');

    expect(emailMatchesCase(c, '  ADA@example.com ')).toBe(true);
    expect(emailMatchesCase(c, 'ada@example.org')).toBe(false);
    expect(emailMatchesCase(undefined, 'ada@example.com')).toBe(false);
    expect(emailMatchesCase(openCase('case-2', { anonymous: true }), 'ada@example.com')).toBe(false);
    expect(emailMatchesCase(openCase('case-3', { complainant: { name: 'Bo' } }), 'no-address@invalid')).toBe(
      false,
    );
  });

  it('compares in constant time over strings of any length', () => {
    expect(constantTimeEqual('a', 'a')).toBe(true);
    expect(constantTimeEqual('a', 'a'.repeat(1000))).toBe(false);
  });

  it('counts a request against the client, then the mailbox, apart from the intake’s allowance', () => {
    const limits = checkRateLimits(DEFAULT_CHECK_LIMITS, {
      email: 'Ada+x@Example.com',
      client: '2001:db8:1:2:3::9',
    });

    expect(limits).toEqual([
      { key: 'check-client:2001:db8:1:2::/64', max: 20, windowSeconds: 3600 },
      { key: 'check-email:ada@example.com', max: 5, windowSeconds: 3600 },
    ]);
  });

  it('keeps a session for the idle time from each page, never past its absolute end', () => {
    const session = newSession('case-1', 'Ada@Example.com', NOW);

    const fresh = sessionToken(session, NOW, SECRET);
    const late = sessionToken(
      session,
      new Date(NOW.getTime() + (RESIDENT_ABSOLUTE_MINUTES - 5) * 60_000),
      SECRET,
    );

    expect(fresh.maxAgeSeconds).toBe(RESIDENT_IDLE_MINUTES * 60);
    expect(late.maxAgeSeconds).toBe(5 * 60);
    expect(sessionFromClaims(verifyLink(fresh.token, [SECRET], NOW))).toEqual(session);
    expect(session.email).toBe('ada@example.com');
  });

  it('never takes a sign-in link or another link for a session', () => {
    const claims = {
      c: 'case-1',
      t: 'abcdefghijklmnopqrstuvwx~1',
      a: 'resident-sign-in',
      o: 'ada@example.com',
      e: 9e9,
    };

    expect(sessionFromClaims(claims)).toBeUndefined();
    expect(sessionFromClaims({ ...claims, a: 'resident-session', t: 'short~1' })).toBeUndefined();
  });
});

describe('check your complaint (in-process API)', () => {
  let store: MemoryCaseStore;
  let mailer: MemoryMailer;
  let links: MemorySignInLinks;
  let workflows: RecordingWorkflows;
  let archive: MemoryArchive;
  let clock: Date;
  let api: ReturnType<typeof createApi>;
  /** When each request for a link started, as handed to the answer's floor. */
  let floors: number[];

  const call = (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => api(event, {} as Context);

  beforeEach(async () => {
    store = new MemoryCaseStore();
    mailer = new MemoryMailer();
    links = new MemorySignInLinks();
    workflows = new RecordingWorkflows();
    archive = new MemoryArchive();
    clock = NOW;
    const deps: ResidentAccessDeps = {
      store,
      archive,
      workflows,
      policy,
      limiter: new MemoryRateLimiter(),
      signInLinks: links,
      send: correspondence(policy, mailer),
      now: () => clock,
      sessionClock: () => clock,
      linkSecrets: async () => [SECRET],
      baseUrl: 'https://complaints.example.gov.uk',
      answerFloor: async (startedAt) => {
        floors.push(startedAt);
      },
    };
    floors = [];
    api = createApi({
      store,
      policy,
      now: () => clock,
      newId: () => 'unused',
      linkSecrets: deps.linkSecrets,
      extraRoutes: (router) => residentRoutes(router, deps),
    });
    await store.create(openCase('case-7'), { at: NOW.toISOString(), type: 'received', actor: 'resident' });
  });

  /** The start page's anti-forgery token and its cookie. */
  async function startPage(): Promise<{ csrf: string; cookie: string }> {
    const page = await call(apiEvent('GET', '/check', { headers: { Accept: 'text/html' } }));
    const csrf = /redress_check_csrf=([^;]+)/.exec(String(page.headers?.['Set-Cookie']))?.[1] as string;
    return { csrf, cookie: `redress_check_csrf=${csrf}` };
  }

  async function ask(reference: string, email: string, client = '192.0.2.1'): Promise<APIGatewayProxyResult> {
    const { csrf, cookie } = await startPage();
    const event = formPost('/check', { csrf, reference, email }, { Cookie: cookie });
    event.requestContext = { identity: { sourceIp: client } } as APIGatewayProxyEvent['requestContext'];
    return call(event);
  }

  function linkInEmail(): string {
    const text = mailer.sent.at(-1)?.text ?? '';
    const url = /https:\/\/complaints\.example\.gov\.uk(\/check\/sign-in\/[\w.-]+)/.exec(text)?.[1];
    if (!url) throw new Error(`no sign-in link in: ${text}`);
    return url;
  }

  /** Opens the link's page, presses Continue; the answer (a redirect with the session cookie). */
  async function signIn(path: string): Promise<APIGatewayProxyResult> {
    const page = await call(apiEvent('GET', path));
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    return call(formPost(path, { csrf }));
  }

  function sessionCookieOf(result: APIGatewayProxyResult): string {
    const set = (result.multiValueHeaders?.['Set-Cookie'] ?? []).map(String);
    const value = set.map((c) => /^redress_resident=([^;]*)/.exec(c)?.[1]).find((v) => v !== undefined);
    return `redress_resident=${value ?? ''}`;
  }

  it('waits out the same floor whether or not the address goes with the reference', async () => {
    const matching = await ask('CMP-2026-000007', 'ada@example.com');
    const wrongAddress = await ask('CMP-2026-000007', 'eve@example.com');
    const noSuchCase = await ask('CMP-2026-000999', 'ada@example.com');

    expect([matching, wrongAddress, noSuchCase].map((r) => r.headers?.Location)).toEqual([
      '/check/sent',
      '/check/sent',
      '/check/sent',
    ]);
    expect(floors).toHaveLength(3);
    expect(mailer.sent).toHaveLength(1);
  });

  it('emails a one-time link to the case’s address and opens the case with it', async () => {
    const asked = await ask(' cmp-2026-000007 ', 'ADA@example.com');

    expect(asked.statusCode).toBe(303);
    expect(asked.headers?.Location).toBe('/check/sent');
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]?.to).toEqual(['ada@example.com']);
    expect(mailer.sent[0]?.subject).toContain('CMP-2026-000007');
    expect(mailer.sent[0]?.text).toContain(`${SIGN_IN_LINK_MINUTES} minutes`);
    // Stored only as a hash.
    const path = linkInEmail();
    const token = path.split('/').at(-1) as string;
    expect([...links.links.keys()]).toEqual([signInTokenHash(token)]);

    // A GET (a mail scanner) uses nothing: the link still works after it.
    await call(apiEvent('GET', path));
    const signedIn = await signIn(path);
    expect(signedIn.statusCode).toBe(303);
    expect(signedIn.headers?.Location).toBe('/check/complaint');
    const setCookie = String(signedIn.multiValueHeaders?.['Set-Cookie']?.[0]);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\/check/);
    expect(setCookie).toMatch(new RegExp(`Max-Age=${RESIDENT_IDLE_MINUTES * 60}`));

    const status = await call(
      apiEvent('GET', '/check/complaint', { headers: { Cookie: sessionCookieOf(signedIn) } }),
    );
    expect(status.statusCode).toBe(200);
    expect(status.body).toContain('CMP-2026-000007');
    expect(status.body).toMatch(/govuk-tag[^>]*>Received</);
    expect(status.body).toContain('Response due');
    expect(status.body).toContain('Evidence');
    expect(status.body).not.toContain('Ask for a review');
  });

  it.each([
    ['a wrong email address', 'CMP-2026-000007', 'eve@example.com'],
    ['a wrong reference', 'CMP-2026-000008', 'ada@example.com'],
  ])('answers %s exactly as a match, and sends nothing', async (_name, reference, email) => {
    const matched = await ask('CMP-2026-000007', 'ada@example.com', '192.0.2.10');
    const refused = await ask(reference, email, '192.0.2.11');

    expect(refused.statusCode).toBe(matched.statusCode);
    expect(refused.headers?.Location).toBe(matched.headers?.Location);
    expect(refused.body).toBe(matched.body);
    expect(mailer.sent).toHaveLength(1);
    const sent = await call(apiEvent('GET', '/check/sent'));
    expect(sent.body).toContain('If the reference number and email address you gave match');
  });

  it('keeps its anti-forgery cookie apart from the feedback form’s, so neither page expires the other', async () => {
    const form = await call(apiEvent('GET', '/', { headers: { Accept: 'text/html' } }));
    const check = await call(apiEvent('GET', '/check', { headers: { Accept: 'text/html' } }));

    expect(String(form.headers?.['Set-Cookie'])).toMatch(/^redress_csrf=[^;]+;.*Path=\//);
    expect(String(check.headers?.['Set-Cookie'])).toMatch(/^redress_check_csrf=[^;]+;.*Path=\/check/);
  });

  it('shows the form again with the error summary for answers of the wrong shape', async () => {
    const result = await ask('', 'not-an-address');

    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('govuk-error-summary');
    expect(result.body).toContain('href="#reference"');
    expect(result.body).toContain('Enter an email address in the correct format');
    expect(mailer.sent).toHaveLength(0);
  });

  it('refuses a link used a second time', async () => {
    await ask('CMP-2026-000007', 'ada@example.com');
    const path = linkInEmail();
    await signIn(path);

    const again = await signIn(path);

    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('This link has already been used');
    expect(again.multiValueHeaders?.['Set-Cookie']).toBeUndefined();
  });

  it('refuses an expired link', async () => {
    await ask('CMP-2026-000007', 'ada@example.com');
    const path = linkInEmail();
    clock = new Date(NOW.getTime() + (SIGN_IN_LINK_MINUTES + 1) * 60_000);

    const page = await call(apiEvent('GET', path));
    const used = await call(formPost(path, { csrf: 'x' }));

    expect(page.statusCode).toBe(410);
    expect(page.body).toContain('This link has expired');
    expect(used.statusCode).toBe(410);
  });

  it('refuses a changed link, and a link signed for something else', async () => {
    await ask('CMP-2026-000007', 'ada@example.com');
    const path = linkInEmail();
    const other = signLink({ c: 'case-7', t: 'x', a: 'case-view', o: 'ada@example.com', e: 9e9 }, SECRET);

    expect((await call(apiEvent('GET', `${path}x`))).statusCode).toBe(403);
    expect((await call(apiEvent('GET', `/check/sign-in/${other}`))).statusCode).toBe(403);
  });

  it('sends from a page opened before another tab of it, and keeps what was typed when the token is refused', async () => {
    const first = await startPage();
    // The same browser opens the page again in another tab: its cookie comes along.
    const second = await call(
      apiEvent('GET', '/check', { headers: { Accept: 'text/html', Cookie: first.cookie } }),
    );
    const refused = await call(
      formPost('/check', { csrf: 'forged', reference: 'CMP-2026-000007', email: 'ada@example.com' }, {}),
    );
    const sent = await call(
      formPost(
        '/check',
        { csrf: first.csrf, reference: 'CMP-2026-000007', email: 'ada@example.com' },
        { Cookie: first.cookie },
      ),
    );

    expect(String(second.headers?.['Set-Cookie'])).toContain(first.cookie);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toMatch(/govuk-error-summary[\s\S]*We have not sent a link/);
    expect(refused.body).toContain('value="CMP-2026-000007"');
    expect(refused.body).toContain('value="ada@example.com"');
    expect(sent.statusCode).toBe(303);
    expect(mailer.sent).toHaveLength(1);
  });

  it('refuses forged form tokens on every form', async () => {
    const { cookie } = await startPage();
    const forgedAsk = await call(
      formPost(
        '/check',
        { csrf: 'forged', reference: 'CMP-2026-000007', email: 'ada@example.com' },
        { Cookie: cookie },
      ),
    );
    expect(forgedAsk.statusCode).toBe(403);
    expect(mailer.sent).toHaveLength(0);

    await ask('CMP-2026-000007', 'ada@example.com');
    const path = linkInEmail();
    const forgedSignIn = await call(formPost(path, { csrf: 'forged' }));
    expect(forgedSignIn.statusCode).toBe(403);
    // The link was not used up by the forged post.
    const signedIn = await signIn(path);
    expect(signedIn.statusCode).toBe(303);

    const forgedStage2 = await call(
      formPost('/check/complaint/stage-2', { csrf: 'forged' }, { Cookie: sessionCookieOf(signedIn) }),
    );
    expect(forgedStage2.statusCode).toBe(403);
    const forgedSignOut = await call(
      formPost('/check/sign-out', { csrf: 'forged' }, { Cookie: sessionCookieOf(signedIn) }),
    );
    expect(forgedSignOut.statusCode).toBe(403);
  });

  it('ends a session after the idle time, and sends a page without one back to the start', async () => {
    await ask('CMP-2026-000007', 'ada@example.com');
    const signedIn = await signIn(linkInEmail());
    clock = new Date(NOW.getTime() + (RESIDENT_IDLE_MINUTES + 1) * 60_000);

    const idle = await call(
      apiEvent('GET', '/check/complaint', { headers: { Cookie: sessionCookieOf(signedIn) } }),
    );
    const none = await call(apiEvent('GET', '/check/complaint'));
    const forged = await call(
      apiEvent('GET', '/check/complaint', { headers: { Cookie: 'redress_resident=a.b' } }),
    );

    expect(idle.statusCode).toBe(303);
    expect(idle.headers?.Location).toBe('/check?ended');
    expect(none.headers?.Location).toBe('/check');
    expect(forged.headers?.Location).toBe('/check');
  });

  it('refuses more requests than the limit allows, with when to try again', async () => {
    for (let i = 0; i < DEFAULT_CHECK_LIMITS.perEmailPerHour; i++) {
      expect((await ask('CMP-2026-000099', 'ada@example.com', `192.0.2.${i}`)).statusCode).toBe(303);
    }

    const limited = await ask('CMP-2026-000007', 'ada@example.com', '192.0.2.200');

    expect(limited.statusCode).toBe(429);
    expect(limited.headers?.['Retry-After']).toMatch(/^\d+$/);
    expect(limited.body).toContain('You can ask again from');
    expect(mailer.sent).toHaveLength(0);
  });

  it('asks for stage 2 through the stage-2 use case, and the page survives a refresh', async () => {
    const c = (await store.get('case-7')) as NonNullable<Awaited<ReturnType<typeof store.get>>>;
    await store.update('case-7', c.version, {
      set: {
        status: 'responded',
        progress: {
          stage1: { ...c.progress.stage1, acknowledgedAt: NOW.toISOString(), respondedAt: NOW.toISOString() },
        },
        deadlines: { ...c.deadlines, stage2RequestBy: '2026-04-22T22:59:59.000Z' },
        openTask: {
          taskId: 'stage-2-request',
          name: 'stage-2-request',
          officer: 'resident',
          taskToken: 'token-1',
          issuedAt: NOW.toISOString(),
        },
      },
    });
    await ask('CMP-2026-000007', 'ada@example.com');
    const cookie = sessionCookieOf(await signIn(linkInEmail()));
    const page = await call(apiEvent('GET', '/check/complaint', { headers: { Cookie: cookie } }));
    expect(page.body).toContain('Ask for a review');
    expect(page.body).toMatch(/You can ask until <strong>\w+ \d+ \w+ 2026<\/strong>/);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] as string;

    const asked = await call(
      formPost('/check/complaint/stage-2', { csrf, response: '' }, { Cookie: cookie }),
    );

    expect(asked.statusCode).toBe(303);
    expect(asked.headers?.Location).toBe('/check/complaint?asked=stage-2');
    expect(workflows.succeeded).toHaveLength(1);
    expect(workflows.succeeded[0]?.taskToken).toBe('token-1');
    const after = await store.get('case-7');
    expect(after?.openTask).toBeUndefined();
    const done = (await store.events('case-7')).find((e) => e.type === 'task-done');
    expect(done?.actor).toBe('resident');
    expect(done?.detail).toMatchObject({
      task: 'stage-2-request',
      decision: 'request',
      via: 'check-your-complaint',
    });

    // Refreshing the page it redirected to changes nothing more.
    for (const _refresh of [1, 2]) {
      const shown = await call(
        apiEvent('GET', '/check/complaint', { query: { asked: 'stage-2' }, headers: { Cookie: cookie } }),
      );
      expect(shown.statusCode).toBe(200);
      expect(shown.body).toContain('You have asked us to look at your complaint again');
      expect(shown.body).not.toContain('Ask for a review</button>');
    }
    expect(workflows.succeeded).toHaveLength(1);

    // Posting again (a back button) does not ask twice.
    const twice = await call(formPost('/check/complaint/stage-2', { csrf }, { Cookie: cookie }));
    expect(twice.statusCode).toBe(303);
    expect(workflows.succeeded).toHaveLength(1);
  });

  it('tells a resident whose request for a review came second that the first was kept and theirs not added, in English and Welsh', async () => {
    // Prepare: the case waits for a request for a review; the resident has this page open.
    const c = (await store.get('case-7')) as NonNullable<Awaited<ReturnType<typeof store.get>>>;
    await store.update('case-7', c.version, {
      set: {
        status: 'responded',
        progress: {
          stage1: { ...c.progress.stage1, acknowledgedAt: NOW.toISOString(), respondedAt: NOW.toISOString() },
        },
        deadlines: { ...c.deadlines, stage2RequestBy: '2026-04-22T22:59:59.000Z' },
        openTask: {
          taskId: 'stage-2-request',
          name: 'stage-2-request',
          officer: 'resident',
          taskToken: 'token-1',
          issuedAt: NOW.toISOString(),
        },
      },
    });
    await ask('CMP-2026-000007', 'ada@example.com');
    const cookie = sessionCookieOf(await signIn(linkInEmail()));
    const page = await call(apiEvent('GET', '/check/complaint', { headers: { Cookie: cookie } }));
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] as string;
    // The link in the response email is used first, with its own words.
    const open = (await store.get('case-7')) as NonNullable<Awaited<ReturnType<typeof store.get>>>;
    await store.update('case-7', open.version, {
      set: {
        status: 'stage-2-requested',
        progress: {
          ...open.progress,
          stage2: { startedAt: NOW.toISOString(), grounds: [], groundsText: 'First words' },
        },
      },
      remove: ['openTask'],
      event: {
        at: NOW.toISOString(),
        type: 'task-done',
        actor: 'resident',
        detail: { task: 'stage-2-request' },
      },
    });

    // Act: this page's request, with other words, comes second.
    const second = await call(
      formPost('/check/complaint/stage-2', { csrf, response: 'Second words' }, { Cookie: cookie }),
    );

    // Assess: said plainly, with their words to copy and how to add them; the first kept, nothing added.
    expect(second.statusCode).toBe(409);
    expect(second.body).toContain('A review had already been asked for');
    expect(second.body).toContain('What that request said is kept');
    expect(second.body).toContain('What you have just written was not added to it');
    expect(second.body).toContain('Second words');
    expect(second.body).toContain('Contact us');
    expect(second.body).not.toContain('You have asked us to look at your complaint again. A more senior');
    expect((await store.get('case-7'))?.progress.stage2?.groundsText).toBe('First words');
    expect(workflows.succeeded).toHaveLength(0);
    // The same in Welsh, for a case in Welsh.
    const welsh = (await store.get('case-7')) as NonNullable<Awaited<ReturnType<typeof store.get>>>;
    await store.update('case-7', welsh.version, { set: { language: 'cy' } });
    const cy = await call(
      formPost('/check/complaint/stage-2', { csrf, response: 'Second words' }, { Cookie: cookie }),
    );
    expect(cy.statusCode).toBe(409);
    expect(cy.body).toContain('Roedd adolygiad wedi’i ofyn amdano eisoes');
    expect(cy.body).toContain('Second words');
    // The same words sent again (the back button after their own request) are answered as before.
    const same = await call(
      formPost('/check/complaint/stage-2', { csrf, response: 'First words' }, { Cookie: cookie }),
    );
    expect(same.statusCode).toBe(303);
  });

  it('lists the letters sent, and serves a letter’s PDF only to its own case', async () => {
    await store.appendEvent('case-7', {
      at: NOW.toISOString(),
      type: 'letter-written',
      actor: 'workflow',
      detail: { template: 'acknowledgement', letter: 'acknowledgement-1', key: 'k' },
    });
    await archive.putLetter('case-7', 'acknowledgement-1', new Uint8Array([37, 80, 68, 70]));
    await ask('CMP-2026-000007', 'ada@example.com');
    const cookie = sessionCookieOf(await signIn(linkInEmail()));

    const page = await call(apiEvent('GET', '/check/complaint', { headers: { Cookie: cookie } }));
    const pdf = await call(
      apiEvent('GET', '/check/complaint/letters/acknowledgement-1', { headers: { Cookie: cookie } }),
    );
    const other = await call(
      apiEvent('GET', '/check/complaint/letters/response-1', { headers: { Cookie: cookie } }),
    );

    expect(page.body).toContain('href="/check/complaint/letters/acknowledgement-1"');
    expect(page.body).toContain('Acknowledgement (PDF)');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers?.['Content-Type']).toBe('application/pdf');
    expect(Buffer.from(pdf.body, 'base64').toString()).toBe('%PDF');
    expect(other.statusCode).toBe(404);
  });

  it('ends the session everywhere on signing out: a copy of its cookie is sent to the start, which says so', async () => {
    // Prepare: a copy of the cookie kept (another tab, a saved request)
    await ask('CMP-2026-000007', 'ada@example.com');
    const cookie = sessionCookieOf(await signIn(linkInEmail()));
    const reads = vi.spyOn(links, 'signedOut');
    const page = await call(apiEvent('GET', '/check/complaint', { headers: { Cookie: cookie } }));
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] as string;
    expect(reads).toHaveBeenCalledTimes(1);

    // Act
    await call(formPost('/check/sign-out', { csrf }, { Cookie: cookie }));
    const copy = await call(apiEvent('GET', '/check/complaint', { headers: { Cookie: cookie } }));
    const start = await call(apiEvent('GET', '/check', { query: { 'signed-out': '' } }));

    // Assess
    expect(copy.statusCode).toBe(303);
    expect(copy.headers?.Location).toBe('/check?signed-out');
    expect(start.body).toContain('You have signed out. Ask for a new link to check your complaint again.');
    // Kept until the session's absolute end, when no copy of its cookie works anyway.
    expect([...links.signedOutSessions.values()]).toEqual([
      new Date(NOW.getTime() + RESIDENT_ABSOLUTE_MINUTES * 60_000).toISOString(),
    ]);
  });

  it('signs out, and the privacy notice gives the policy’s retention', async () => {
    await ask('CMP-2026-000007', 'ada@example.com');
    const cookie = sessionCookieOf(await signIn(linkInEmail()));
    const page = await call(apiEvent('GET', '/check/complaint', { headers: { Cookie: cookie } }));
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] as string;

    const out = await call(formPost('/check/sign-out', { csrf }, { Cookie: cookie }));
    const privacy = await call(apiEvent('GET', '/privacy'));

    expect(out.statusCode).toBe(303);
    expect(out.headers?.Location).toBe('/check?signed-out');
    expect(String(out.multiValueHeaders?.['Set-Cookie']?.[0])).toMatch(/^redress_resident=;.*Max-Age=0/);
    expect(privacy.statusCode).toBe(200);
    expect(privacy.body).toContain(`for ${policy.retention.closedYears} years after we close it`);
    expect(privacy.body).toContain(
      `${policy.retention.ombudsmanYears} years after we close it if the Ombudsman`,
    );
    expect(privacy.body).toContain('public task');
  });
});

describe('the answer floor of a request for a link', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves only once the floor has passed since the request started', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    const started = performance.now();
    let done = false;
    const waiting = waitOutAnswerFloor(started).then(() => {
      done = true;
    });

    await vi.advanceTimersByTimeAsync(CHECK_ANSWER_FLOOR_MS - 1);
    const early = done;
    await vi.advanceTimersByTimeAsync(1);
    await waiting;

    expect(early).toBe(false);
    expect(done).toBe(true);
  });

  it('does not wait when the request already took longer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    const started = performance.now();
    await vi.advanceTimersByTimeAsync(CHECK_ANSWER_FLOOR_MS + 10);

    const waiting = waitOutAnswerFloor(started);

    expect(vi.getTimerCount()).toBe(0);
    await waiting;
  });
});
