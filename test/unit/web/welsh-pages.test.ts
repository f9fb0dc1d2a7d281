import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../../functions/domain/policy.js';
import { equalityFormPage } from '../../../functions/web/equality-pages.js';
import { evidencePage } from '../../../functions/web/evidence-pages.js';
import {
  confirmationPage,
  errorPage,
  linkProblemPage,
  notFoundPage,
  residentFormPage,
  taskPage,
} from '../../../functions/web/render.js';
import { checkStartPage, privacyPage, statusPage } from '../../../functions/web/resident-pages.js';
import { sampleCase, sampleTask } from './sample-data.js';

/**
 * Welsh pages have no English of GOV.UK Frontend's components (the skip link, the service
 * navigation's landmark, an error's hidden "Error:", the character count's hint and the
 * messages its script writes).
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
