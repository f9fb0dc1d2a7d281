import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadPolicy } from '../../../functions/domain/policy.js';
import { GOVUK_FRONTEND_DIR, VIEWS_DIR } from '../../../functions/web/paths.js';
import { PrecompiledViewsLoader, precompileViews } from '../../../functions/web/precompiled-views.js';

/** The pages' templates compiled at bundle time render exactly as the template files do. */

type RenderModule = typeof import('../../../functions/web/render.js');

const dir = mkdtempSync(join(tmpdir(), 'redress-views-'));
let written = 0;

beforeAll(() => {
  written = precompileViews([VIEWS_DIR, GOVUK_FRONTEND_DIR], dir);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

afterEach(() => vi.unstubAllEnvs());

/** The page renderer as a fresh module, reading its templates from the files or the compiled folder. */
async function renderer(compiled: boolean): Promise<RenderModule> {
  vi.resetModules();
  vi.stubEnv('REDRESS_PRECOMPILED_VIEWS_DIR', compiled ? dir : '');
  return import('../../../functions/web/render.js');
}

/** A page's HTML, or the error it failed with (a page given an empty model may fail alike both ways). */
function outcome(render: () => string): string {
  try {
    return render();
  } catch (error: unknown) {
    return `failed: ${error instanceof Error ? error.message.replaceAll(dir, '') : String(error)}`;
  }
}

describe('precompiled page templates', () => {
  it('compile every template of ours and of GOV.UK Frontend', () => {
    expect(written).toBeGreaterThan(100);
  });

  it('render every view as the template files do', async () => {
    // Prepare
    const files = await renderer(false);
    const compiled = await renderer(true);
    const views = readdirSync(VIEWS_DIR).filter((name) => name.endsWith('.njk'));
    const policy = loadPolicy('lgsco-code-2024');

    // Act, Assess
    for (const view of views) {
      expect([view, outcome(() => compiled.renderPage(view, {}))]).toEqual([
        view,
        outcome(() => files.renderPage(view, {})),
      ]);
    }
    const form = { policy, csrf: 'token', errors: { summary: 'Enter a summary' }, values: { summary: '' } };
    expect(compiled.residentFormPage(form)).toBe(files.residentFormPage(form));
    expect(compiled.notFoundPage({ language: 'cy' })).toBe(files.notFoundPage({ language: 'cy' }));
    expect(compiled.errorPage()).toBe(files.errorPage());
  });

  it('leaves a name it has no module for to the next loader, and never reads outside its folder', () => {
    const loader = new PrecompiledViewsLoader(dir);

    expect(loader.getSource('no-such-page.njk')).toBeNull();
    expect(loader.getSource('../outside.njk')).toBeNull();
    expect(loader.getSource('resident-form.njk')).toMatchObject({
      src: { type: 'code' },
      path: 'resident-form.njk',
    });
    expect(loader.resolve('govuk/components/button/template.njk', '../../macros/attributes.njk')).toBe(
      'govuk/macros/attributes.njk',
    );
  });
});
