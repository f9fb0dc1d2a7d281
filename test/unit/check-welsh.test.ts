import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApi } from '../../functions/app/api.js';
import { correspondence } from '../../functions/app/correspondence.js';
import type { ResidentAccessDeps } from '../../functions/app/resident-access.js';
import { residentRoutes } from '../../functions/app/resident-routes.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { CATALOGUE } from '../../functions/web/i18n.js';
import { checkProblemPage, checkSentPage, correspondenceOf } from '../../functions/web/resident-pages.js';
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
  const call = (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => api(event, {} as Context);

  beforeEach(async () => {
    store = new MemoryCaseStore();
    mailer = new MemoryMailer();
    const deps: ResidentAccessDeps = {
      store,
      archive: new MemoryArchive(),
      workflows: new RecordingWorkflows(),
      policy,
      limiter: new MemoryRateLimiter(),
      signInLinks: new MemorySignInLinks(),
      send: correspondence(policy, mailer),
      now: () => NOW,
      sessionClock: () => NOW,
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
});
