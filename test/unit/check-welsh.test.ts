import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApi } from '../../functions/app/api.js';
import { correspondence } from '../../functions/app/correspondence.js';
import type { ResidentAccessDeps } from '../../functions/app/resident-access.js';
import { residentRoutes } from '../../functions/app/resident-routes.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { RESIDENT_IDLE_MINUTES } from '../../functions/domain/resident-access.js';
import { CATALOGUE } from '../../functions/web/i18n.js';
import {
  checkProblemPage,
  checkSentPage,
  correspondenceOf,
  privacyPage,
  yearsCy,
} from '../../functions/web/resident-pages.js';
import { apiEvent, formPost } from '../support/api-event.js';
import { RecordingWorkflows } from '../support/fake-workflows.js';
import { MemoryArchive } from '../support/memory-archive.js';
import { MemoryMailer } from '../support/memory-mailer.js';
import { MemoryRateLimiter } from '../support/memory-rate-limiter.js';
import { MemorySignInLinks } from '../support/memory-sign-in-links.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { openCase } from '../support/open-case.js';

/**
 * "Check your complaint" for a council in Wales that offers Welsh: the start page by `?lang=cy`
 * (and its toggle), the pages after it carrying the language, and the signed-in pages in the
 * case's own language. The Welsh is a draft for the council's translation service.
 */

const SECRET = 'check-welsh-test-secret-long-enough-000';
const NOW = new Date('2026-03-25T10:00:00Z');
const policy = loadPolicy(fileURLToPath(new URL('../fixtures/policies/welsh-council.json', import.meta.url)));
const cy = CATALOGUE.cy;

describe('check your complaint in Welsh', () => {
  let store: MemoryCaseStore;
  let mailer: MemoryMailer;
  let api: ReturnType<typeof createApi>;
  let clock: Date;
  const call = (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => api(event, {} as Context);

  beforeEach(async () => {
    store = new MemoryCaseStore();
    mailer = new MemoryMailer();
    clock = NOW;
    const deps: ResidentAccessDeps = {
      store,
      archive: new MemoryArchive(),
      workflows: new RecordingWorkflows(),
      policy,
      limiter: new MemoryRateLimiter(),
      signInLinks: new MemorySignInLinks(),
      send: correspondence(policy, mailer),
      now: () => NOW,
      sessionClock: () => clock,
      linkSecrets: async () => [SECRET],
      baseUrl: 'https://complaints.example.gov.uk',
      // The answer's floor (a second and a half of real time) is tested with the English pages.
      answerFloor: async () => {},
    };
    api = createApi({
      store,
      policy,
      now: () => NOW,
      newId: () => 'unused',
      linkSecrets: deps.linkSecrets,
      extraRoutes: (router) => residentRoutes(router, deps),
    });
    await store.create(openCase('case-7', { language: 'cy' }), {
      at: NOW.toISOString(),
      type: 'received',
      actor: 'resident',
    });
  });

  async function askInWelsh(fields: Record<string, string>): Promise<APIGatewayProxyResult> {
    const page = await call(
      apiEvent('GET', '/check', { query: { lang: 'cy' }, headers: { Accept: 'text/html' } }),
    );
    const csrf = /redress_check_csrf=([^;]+)/.exec(String(page.headers?.['Set-Cookie']))?.[1] as string;
    const event = formPost('/check', { csrf, ...fields }, { Cookie: `redress_check_csrf=${csrf}` });
    event.queryStringParameters = { lang: 'cy' };
    return call(event);
  }

  it('shows the start page in Welsh with ?lang=cy, with the language toggle, and posts back in Welsh', async () => {
    const page = await call(
      apiEvent('GET', '/check', { query: { lang: 'cy' }, headers: { Accept: 'text/html' } }),
    );

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html lang="cy"');
    expect(page.body).toContain(cy['check.title']);
    expect(page.body).toContain(cy['check.send']);
    expect(page.body).toContain('action="/check?lang=cy"');
    expect(page.body).toContain('href="/check?lang=en"');
    expect(page.body).not.toContain('Send me a link');
  });

  it('shows the errors in Welsh and keeps the answers', async () => {
    const result = await askInWelsh({ reference: '', email: 'ada@' });

    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('Rhowch eich cyfeirnod');
    expect(result.body).toContain('Rhowch gyfeiriad e-bost yn y fformat cywir');
    expect(result.body).toContain('value="ada@"');
    expect(result.body).toContain(cy['errors.title']);
  });

  it('carries the language to the sent page and the emailed link, and shows the case in Welsh once signed in', async () => {
    const asked = await askInWelsh({ reference: 'CMP-2026-000007', email: 'ada@example.com' });
    expect(asked.headers?.Location).toBe('/check/sent?lang=cy');
    const sent = await call(apiEvent('GET', '/check/sent', { query: { lang: 'cy' } }));
    expect(sent.body).toContain(cy['check.sent.title']);

    const link = /https:\/\/complaints\.example\.gov\.uk(\/check\/sign-in\/[\w.-]+)\?lang=cy/.exec(
      mailer.sent[0]?.text ?? '',
    )?.[1] as string;
    expect(link).toBeDefined();
    const signInPage = await call(apiEvent('GET', link, { query: { lang: 'cy' } }));
    expect(signInPage.body).toContain(cy['check.continue']);
    expect(signInPage.body).toContain(`action="${link}?lang=cy"`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(signInPage.body)?.[1] ?? '';
    const signedIn = await call(formPost(link, { csrf }));
    const cookie = String(signedIn.multiValueHeaders?.['Set-Cookie']?.[0]).split(';')[0] as string;

    const status = await call(apiEvent('GET', '/check/complaint', { headers: { Cookie: cookie } }));

    expect(status.statusCode).toBe(200);
    expect(status.body).toContain('<html lang="cy"');
    expect(status.body).toContain(cy['status.letters.heading']);
    expect(status.body).toMatch(/govuk-tag[^>]*>Wedi dod i law</);
    expect(status.body).toContain(cy['status.signOut']);
    expect(status.body).not.toContain('Response due');
    expect(status.body).not.toContain('Letters and emails we have sent you');
  });

  it('says what went wrong with a link in Welsh, and names letters in Welsh', () => {
    const page = checkProblemPage(policy, 'used', 'cy');

    expect(page).toContain(cy['check.problem.used.heading']);
    expect(page).toContain('href="/check?lang=cy"');
    expect(checkSentPage(policy, 'cy')).toContain('href="/check?lang=cy"');
    expect(
      correspondenceOf(
        [
          {
            caseId: 'case-7',
            seq: 2,
            at: NOW.toISOString(),
            type: 'email-sent',
            actor: 'system',
            detail: { template: 'response', audience: 'resident' },
          },
        ],
        'cy',
      ),
    ).toEqual([{ title: 'Ein hymateb', sentAt: NOW.toISOString(), how: 'E-bost' }]);
  });

  it('shows English without ?lang=cy, or with a language the council does not offer', async () => {
    const page = await call(apiEvent('GET', '/check', { query: { lang: 'fr' } }));

    expect(page.body).toContain('<html lang="en-GB"');
    expect(page.body).toContain('Send me a link');
    expect(page.body).toContain('action="/check"');
  });

  it('sends a Welsh case whose session has ended back to the start in Welsh, saying so', async () => {
    const asked = await askInWelsh({ reference: 'CMP-2026-000007', email: 'ada@example.com' });
    expect(asked.statusCode).toBe(303);
    const link = /https:\/\/complaints\.example\.gov\.uk(\/check\/sign-in\/[\w.-]+)\?lang=cy/.exec(
      mailer.sent[0]?.text ?? '',
    )?.[1] as string;
    const signInPage = await call(apiEvent('GET', link, { query: { lang: 'cy' } }));
    const csrf = /name="csrf" value="([^"]+)"/.exec(signInPage.body)?.[1] ?? '';
    const signedIn = await call(formPost(link, { csrf }));
    const session = String(signedIn.multiValueHeaders?.['Set-Cookie']?.[0]).split(';')[0] as string;
    const status = await call(apiEvent('GET', '/check/complaint', { headers: { Cookie: session } }));
    const set = (status.multiValueHeaders?.['Set-Cookie'] ?? []).map(String);
    const language = set.find((c) => c.startsWith('redress_resident_lang=')) ?? '';
    expect(language).toMatch(
      /^redress_resident_lang=cy; Path=\/check; HttpOnly; Secure; SameSite=Strict; Max-Age=\d+$/,
    );
    const formToken = /name="csrf" value="([^"]+)"/.exec(status.body)?.[1] ?? '';
    const signOut = await call(formPost('/check/sign-out', { csrf: formToken }, { Cookie: session }));
    expect(signOut.headers?.Location).toBe('/check?signed-out&lang=cy');
    expect((signOut.multiValueHeaders?.['Set-Cookie'] ?? []).map(String)).toContainEqual(
      expect.stringMatching(/^redress_resident_lang=; .*Max-Age=0$/),
    );
    clock = new Date(NOW.getTime() + (RESIDENT_IDLE_MINUTES + 1) * 60_000);

    const cookies = `${session}; ${language.split(';')[0]}`;
    const ended = await call(apiEvent('GET', '/check/complaint', { headers: { Cookie: cookies } }));
    // The browser dropped the session cookie: the language cookie alone still says Welsh.
    const gone = await call(
      apiEvent('GET', '/check/complaint', { headers: { Cookie: language.split(';')[0] as string } }),
    );
    const start = await call(
      apiEvent('GET', '/check', { query: { ended: '', lang: 'cy' }, headers: { Accept: 'text/html' } }),
    );

    expect(ended.statusCode).toBe(303);
    expect(ended.headers?.Location).toBe('/check?ended&lang=cy');
    expect(gone.headers?.Location).toBe('/check?lang=cy');
    expect(start.body).toContain('<html lang="cy"');
    expect(start.body).toContain(cy['check.ended']);
    expect(start.body).not.toContain('Your session has ended');
  });

  it('sends a copy of a Welsh case’s signed-out session back to the start in Welsh, saying it was signed out of', async () => {
    // Prepare: signed in, the session and language cookies kept in a second tab
    await askInWelsh({ reference: 'CMP-2026-000007', email: 'ada@example.com' });
    const link = /https:\/\/complaints\.example\.gov\.uk(\/check\/sign-in\/[\w.-]+)\?lang=cy/.exec(
      mailer.sent[0]?.text ?? '',
    )?.[1] as string;
    const signInPage = await call(apiEvent('GET', link, { query: { lang: 'cy' } }));
    const csrf = /name="csrf" value="([^"]+)"/.exec(signInPage.body)?.[1] ?? '';
    const signedIn = await call(formPost(link, { csrf }));
    const session = String(signedIn.multiValueHeaders?.['Set-Cookie']?.[0]).split(';')[0] as string;
    const status = await call(apiEvent('GET', '/check/complaint', { headers: { Cookie: session } }));
    const formToken = /name="csrf" value="([^"]+)"/.exec(status.body)?.[1] ?? '';
    const copy = `${session}; redress_resident_lang=cy`;

    // Act
    await call(formPost('/check/sign-out', { csrf: formToken }, { Cookie: session }));
    const refused = await call(apiEvent('GET', '/check/complaint', { headers: { Cookie: copy } }));
    const start = await call(
      apiEvent('GET', '/check', {
        query: { 'signed-out': '', lang: 'cy' },
        headers: { Accept: 'text/html' },
      }),
    );

    // Assess
    expect(refused.statusCode).toBe(303);
    expect(refused.headers?.Location).toBe('/check?signed-out&lang=cy');
    expect(start.body).toContain(cy['check.signedOut']);
    expect(start.body).not.toContain('You have signed out');
  });

  it('keeps English after a session without a language cookie, or with a language the council does not offer', async () => {
    const none = await call(apiEvent('GET', '/check/complaint'));
    const fr = await call(
      apiEvent('GET', '/check/complaint', { headers: { Cookie: 'redress_resident_lang=fr' } }),
    );

    expect(none.headers?.Location).toBe('/check');
    expect(fr.headers?.Location).toBe('/check');
  });

  it('shows the privacy notice in Welsh with ?lang=cy, with the council’s retention in Welsh words', async () => {
    const page = await call(apiEvent('GET', '/privacy', { query: { lang: 'cy' } }));
    const english = await call(apiEvent('GET', '/privacy'));

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html lang="cy"');
    expect(page.body).toContain('Hysbysiad preifatrwydd: cwynion ac adborth');
    expect(page.body).toContain('am 2 flynedd ar ôl i ni ei chau, neu am 6 blynedd');
    expect(page.body).toContain('href="/privacy?lang=en"');
    expect(page.body).not.toMatch(/What we collect|Your rights/);
    expect(english.body).toContain('<html lang="en-GB"');
    expect(english.body).toContain('What we collect');
    expect(privacyPage(policy, 'cy')).toContain('Eich hawliau');
    expect([1, 2, 3, 5, 6, 7, 10, 12].map(yearsCy)).toEqual([
      '1 flwyddyn',
      '2 flynedd',
      '3 blynedd',
      '5 mlynedd',
      '6 blynedd',
      '7 mlynedd',
      '10 mlynedd',
      '12 blynedd',
    ]);
  });
});
