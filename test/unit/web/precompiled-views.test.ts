import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadPolicy } from '../../../functions/domain/policy.js';
import { computePerformance } from '../../../functions/reports/compute.js';
import { financialYear } from '../../../functions/reports/period.js';
import { REPORT_VIEWS_DIR } from '../../../functions/reports/render.js';
import { GOVUK_FRONTEND_DIR, VIEWS_DIR } from '../../../functions/web/paths.js';
import {
  PrecompiledViewsLoader,
  precompileViews,
  REPORT_ENVIRONMENT_OPTIONS,
} from '../../../functions/web/precompiled-views.js';
import { REPORT_AS_OF, reportCases, reportPolicy } from '../../support/report-cases.js';

/** The pages' templates compiled at bundle time render exactly as the template files do. */

type RenderModule = typeof import('../../../functions/web/render.js');
type ReportRenderModule = typeof import('../../../functions/reports/render.js');

const dir = mkdtempSync(join(tmpdir(), 'redress-views-'));
const reportsDir = mkdtempSync(join(tmpdir(), 'redress-report-views-'));
let written = 0;

beforeAll(() => {
  written = precompileViews([VIEWS_DIR, GOVUK_FRONTEND_DIR], dir);
  precompileViews([REPORT_VIEWS_DIR, VIEWS_DIR, GOVUK_FRONTEND_DIR], reportsDir, REPORT_ENVIRONMENT_OPTIONS);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(reportsDir, { recursive: true, force: true });
});

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

  it("render the report pages as the template files do, with the reports' own options", async () => {
    // Prepare
    const reports = async (compiled: boolean): Promise<ReportRenderModule> => {
      vi.resetModules();
      vi.stubEnv('REDRESS_PRECOMPILED_REPORT_VIEWS_DIR', compiled ? reportsDir : '');
      return import('../../../functions/reports/render.js');
    };
    const files = await reports(false);
    const compiled = await reports(true);
    const period = financialYear(2025);
    const report = await computePerformance(reportCases(), reportPolicy, { ...period, asOf: REPORT_AS_OF });

    // Act, Assess
    expect(compiled.annualReportPage({ policy: reportPolicy, year: 2025, report })).toBe(
      files.annualReportPage({ policy: reportPolicy, year: 2025, report }),
    );
    const page = { policy: reportPolicy, period, report, annualYear: 2025 };
    expect(compiled.reportsPage(page)).toBe(files.reportsPage(page));
    const invalid = {
      policy: reportPolicy,
      period,
      errors: { from: 'Enter a real date' },
      values: { from: { day: '31', month: '2', year: '2025' } },
      errorParts: { from: ['day' as const] },
    };
    expect(compiled.reportsPage(invalid)).toBe(files.reportsPage(invalid));
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
