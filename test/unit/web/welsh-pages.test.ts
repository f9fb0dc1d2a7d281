import { fileURLToPath } from 'node:url';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { type ApiDeps, createApi } from '../../../functions/app/api.js';
import { loadPolicy } from '../../../functions/domain/policy.js';
import {
  DependencyUnavailableError,
  HttpError,
  ServiceUnavailableError,
  unavailableMessage,
} from '../../../functions/http/errors.js';
import { equalityFormPage } from '../../../functions/web/equality-pages.js';
import { evidencePage } from '../../../functions/web/evidence-pages.js';
import { limitMessage, WELSH_ERROR_MESSAGES } from '../../../functions/web/i18n.js';
import {
  confirmationPage,
  errorPage,
  linkProblemPage,
  notFoundPage,
  residentFormPage,
  taskPage,
  unavailablePage,
} from '../../../functions/web/render.js';
import { checkStartPage, privacyPage, statusPage } from '../../../functions/web/resident-pages.js';
import { apiEvent, formPost } from '../../support/api-event.js';
import { MemoryCaseStore } from '../../support/memory-store.js';
import { sampleCase, sampleTask } from './sample-data.js';

/**
 * Welsh pages have no English of GOV.UK Frontend's components (the skip link, the service
 * navigation's landmark, an error's hidden "Error:", the character count's hint and the
 * messages its script writes), and the error pages of a Welsh page are Welsh too.
 */

const policy = loadPolicy(
  fileURLToPath(new URL('../../fixtures/policies/welsh-council.json', import.meta.url)),
);

/** The English GOV.UK Frontend writes when a component is not given words of its own. */
const COMPONENT_ENGLISH = [
  'Skip to main content',
  'aria-label="Service information"',
  '<span class="govuk-visually-hidden">Error:</span>',
  'You can enter up to',
];

const WELSH_PAGES: [string, () => string][] = [
  [
    'the form, with errors',
    () =>
      residentFormPage({
        policy,
        language: 'cy',
        errors: { summary: 'Enter your feedback', service: 'Choose a service from the list' },
      }),
  ],
  [
    'the confirmation',
    () =>
      confirmationPage({
        reference: 'CMP-2026-000001',
        kind: 'complaint',
        deadlines: {},
        councilName: policy.council,
        language: 'cy',
        policy,
      }),
  ],
  [
    'the request for a review, with errors',
    () =>
      taskPage({
        task: sampleTask('stage-2-request'),
        csrf: 'c',
        language: 'cy',
        errors: { response: 'Why you are unhappy with our response must be text' },
      }),
  ],
  [
    'check your complaint, with errors',
    () =>
      checkStartPage({
        policy,
        csrf: 'c',
        language: 'cy',
        errors: { reference: 'Enter your reference number' },
      }),
  ],
  [
    'the complaint’s status, with errors',
    () =>
      statusPage({
        policy,
        record: {
          ...sampleCase,
          language: 'cy',
          openTask: { name: 'stage-2-request', officer: 'resident' },
        } as never,
        events: [],
        csrf: 'c',
        grounds: [],
        errors: { response: 'Why you are unhappy with our response must be text' },
      }),
  ],
  ['the privacy notice', () => privacyPage(policy, 'cy')],
  [
    'the equality questions, with errors',
    () =>
      equalityFormPage({
        councilName: policy.council,
        kind: 'complaint',
        language: 'cy',
        policy,
        errors: { age: 'Dewiswch un' },
      }),
  ],
  [
    'the evidence page, with a file refused',
    () =>
      evidencePage({
        reference: 'CMP-2026-000001',
        councilName: policy.council,
        files: [],
        language: 'cy',
        upload: { url: 'https://evidence.example', fields: {} },
        result: {
          id: 'f',
          number: 1,
          status: 'rejected',
          reason: 'size',
          receivedAt: '2026-03-02T10:00:00Z',
        } as never,
      }),
  ],
  ['a link problem', () => linkProblemPage({ status: 410, language: 'cy' })],
  ['the error page', () => errorPage({ language: 'cy' })],
  ['the page not found', () => notFoundPage({ language: 'cy' })],
  [
    'the service unavailable page',
    () =>
      unavailablePage({
        message: unavailableMessage({ method: 'GET', path: '/check' }),
        language: 'cy',
        reload: '/check?lang=cy',
      }),
  ],
];

describe('GOV.UK Frontend’s components on Welsh pages', () => {
  it.each(WELSH_PAGES)('has no English of theirs on %s', (_name, render) => {
    const html = render();

    expect(html).toContain('<html lang="cy"');
    for (const english of COMPONENT_ENGLISH) expect(html).not.toContain(english);
    expect(html).toContain('>Neidio i’r prif gynnwys</a>');
    expect(html).toContain('aria-label="Gwybodaeth am y gwasanaeth"');
    if (html.includes('govuk-error-message')) {
      expect(html).toContain('<span class="govuk-visually-hidden">Gwall:</span>');
    }
  });

  it.each(WELSH_PAGES.filter(([name]) => /form|review|status/.test(name)))(
    'gives the character count its Welsh for the server and its script on %s',
    (_name, render) => {
      const html = render();

      expect(html).toContain('Gallwch roi hyd at 5000 nod');
      // Welsh has six plural forms; the script picks one by the page's language.
      for (const form of ['zero', 'one', 'two', 'few', 'many', 'other']) {
        expect(html).toContain(`data-i18n.characters-under-limit.${form}="Mae gennych %{count} nod ar ôl"`);
        expect(html).toContain(`data-i18n.characters-over-limit.${form}="Mae gennych %{count} nod yn ormod"`);
      }
      expect(html).toContain('data-i18n.characters-at-limit="Mae gennych 0 nod ar ôl"');
    },
  );

  it('gives the evidence page’s script its words in Welsh', () => {
    const html = WELSH_PAGES.find(([name]) => name.startsWith('the evidence'))?.[1]() ?? '';

    expect(html).toContain('data-message-missing="Dewiswch ffeil i’w llwytho"');
    expect(html).toContain('data-error-title="Mae problem wedi codi"');
    expect(html).toContain('data-error-prefix="Gwall: "');
    expect(html).toContain('data-error-hidden="Gwall"');
  });

  it('leaves English pages with GOV.UK Frontend’s own English', () => {
    const html = residentFormPage({ policy, errors: { summary: 'Enter your feedback' } });

    expect(html).toContain('>Skip to main content</a>');
    expect(html).toContain('aria-label="Service information"');
    expect(html).toContain('<span class="govuk-visually-hidden">Error:</span>');
    expect(html).toContain('You can enter up to 5000 characters');
    expect(html).not.toContain('data-i18n.characters-under-limit');
  });
});

/** The API of a council that offers Welsh, with a route that fails as `fail` says. */
function apiFailingWith(fail: () => unknown) {
  const deps: ApiDeps = {
    store: new MemoryCaseStore(),
    policy,
    now: () => new Date('2026-03-02T10:00:00Z'),
    newId: () => 'case-1',
    linkSecrets: async () => ['test-secret-test-secret-test-secret'],
    extraRoutes: (router) => {
      router.on('GET', '/failing', async () => {
        throw fail();
      });
    },
  };
  const api = createApi(deps);
  return (event: ReturnType<typeof apiEvent>) => api(event, {} as Context);
}

const welshPage = (path: string) =>
  apiEvent('GET', path, { headers: { Accept: 'text/html' }, query: { lang: 'cy' } });

describe('error pages of a Welsh page', () => {
  it.each([
    [
      'a problem to put right (403)',
      () =>
        new HttpError(403, 'The form has expired. Go back to the form, refresh the page and send it again.'),
      403,
      'Mae’r ffurflen wedi dod i ben',
    ],
    [
      'a problem with no Welsh of its own (405)',
      () => new HttpError(405, 'Send this form from its page'),
      405,
      'Ewch yn ôl i’r dudalen y daethoch ohoni',
    ],
    ['a page not found (404)', () => new HttpError(404, 'Page not found'), 404, 'Heb ddod o hyd i’r dudalen'],
    ['a failure (500)', () => new Error('boom'), 500, 'Mae’n ddrwg gennym, mae problem gyda’r gwasanaeth'],
    [
      'a dependency that is down (503)',
      () => new DependencyUnavailableError(unavailableMessage({ method: 'GET', path: '/failing' })),
      503,
      'Ni allwn ddangos y dudalen hon ar hyn o bryd',
    ],
    [
      'a decision saved but not finished (503)',
      () =>
        new ServiceUnavailableError(
          'Your decision is saved, but the case could not move on just now. Use the same link again in a minute to finish: nothing will be done twice.',
        ),
      503,
      'Mae eich penderfyniad wedi’i gadw',
    ],
  ])('shows %s in Welsh', async (_what, fail, status, welsh) => {
    const result = await apiFailingWith(fail)(welshPage('/failing'));

    expect(result.statusCode).toBe(status);
    expect(result.body).toContain('<html lang="cy"');
    expect(result.body).toContain(welsh);
    expect(result.body).not.toMatch(
      /There is a problem|Sorry, there is a problem|Go back|Try again|Page not found/,
    );
  });

  it('shows the English page when the page was English', async () => {
    const result = await apiFailingWith(
      () =>
        new HttpError(403, 'The form has expired. Go back to the form, refresh the page and send it again.'),
    )(apiEvent('GET', '/failing', { headers: { Accept: 'text/html' } }));

    expect(result.statusCode).toBe(403);
    expect(result.body).toContain('<html lang="en-GB"');
    expect(result.body).toContain(
      'The form has expired. Go back to the form, refresh the page and send it again.',
    );
  });

  it('answers a Welsh form sent with a token that does not match in Welsh', async () => {
    const api = apiFailingWith(() => undefined);

    const result = await api(
      formPost('/complaints', {
        csrf: 'not-the-cookie’s',
        language: 'cy',
        kind: 'complaint',
        summary: 'Ni chasglwyd fy miniau',
      }),
    );

    // Whether it is an error page or the form again, it is in Welsh and has no English of the error.
    expect(result.body).toContain('<html lang="cy"');
    expect(result.body).toContain('Mae problem wedi codi');
    expect(result.body).not.toMatch(/The form has expired|There is a problem/);
  });

  it('shows the Welsh form’s problem in Welsh when one of our systems did not answer', () => {
    const html = residentFormPage({
      policy,
      language: 'cy',
      problem: unavailableMessage({ method: 'POST', path: '/complaints' }),
    });

    expect(html).toContain('Nid oeddem yn gallu gorffen cadw eich cwyn neu’ch adborth ar hyn o bryd');
    expect(html).not.toContain('We could not save');
  });

  it('words a limit on checking a complaint in Welsh, with its time in the Welsh way', () => {
    const limit = { what: 'check', sender: 'client', until: '2026-06-05T13:30:00Z' } as const;

    expect(limitMessage(limit, 'en')).toBe(
      'We have had a lot of requests to check a complaint from this device or network, so we cannot send another link just now. You can ask again from 5 June 2026 at 2:30pm.',
    );
    expect(limitMessage(limit, 'cy')).toBe(
      'Rydym wedi cael llawer o geisiadau i wirio cwyn o’r ddyfais neu’r rhwydwaith hwn, felly ni allwn anfon dolen arall ar hyn o bryd. Gallwch ofyn eto o 5 Mehefin 2026 am 14:30 ymlaen.',
    );
  });

  it('has Welsh for every message a dependency that is down gives', () => {
    for (const method of ['GET', 'POST', 'PUT']) {
      for (const path of ['/complaints', '/tasks/abc', '/check']) {
        for (const keyed of [false, true]) {
          expect(WELSH_ERROR_MESSAGES[unavailableMessage({ method, path, keyed })]).toBeDefined();
        }
        const noEmail = unavailableMessage({ method, path, receiptEmailed: false });
        expect(WELSH_ERROR_MESSAGES[noEmail]).toBeDefined();
      }
    }
  });
});
