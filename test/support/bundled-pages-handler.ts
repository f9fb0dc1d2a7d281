import { readdirSync } from 'node:fs';
import { loadPolicy } from '../../functions/domain/policy.js';
import { computePerformance } from '../../functions/reports/compute.js';
import { financialYear } from '../../functions/reports/period.js';
import { annualReportPage, reportsPage } from '../../functions/reports/render.js';
import { VIEWS_DIR } from '../../functions/web/paths.js';
import { errorPage, notFoundPage, renderPage, residentFormPage } from '../../functions/web/render.js';
import { REPORT_AS_OF, reportCases, reportPolicy } from './report-cases.js';

/** What a page's renderer gives, or the error it fails with (without the folder it ran from). */
function outcome(render: () => string): string {
  try {
    return render();
  } catch (error: unknown) {
    return `failed: ${error instanceof Error ? error.constructor.name : typeof error}`;
  }
}

/**
 * A Lambda entry that renders the API's pages and report pages, for the test that bundles it as
 * the API is bundled (`test/infra/bundled-pages.test.ts`), and for the same test to run from source.
 */
export async function handler(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const view of readdirSync(VIEWS_DIR).filter((n) => n.endsWith('.njk'))) {
    out[`view:${view}`] = outcome(() => renderPage(view, {}));
  }
  const policy = loadPolicy('lgsco-code-2024');
  out.form = residentFormPage({
    policy,
    csrf: 't',
    errors: { summary: 'Enter a summary' },
    values: { summary: '  x  ' },
  });
  out.formCy = residentFormPage({ policy, csrf: 't', language: 'cy', errors: {}, values: {} } as never);
  out.error = errorPage();
  out.notFoundCy = notFoundPage({ language: 'cy' });
  const period = financialYear(2025);
  const report = await computePerformance(reportCases(), reportPolicy, { ...period, asOf: REPORT_AS_OF });
  out.annual = annualReportPage({ policy: reportPolicy, year: 2025, report });
  out.reports = reportsPage({ policy: reportPolicy, period, report, annualYear: 2025 });
  out.reportsInvalid = reportsPage({
    policy: reportPolicy,
    period,
    errors: { from: 'Enter a real date' },
    values: { from: { day: '31', month: '2', year: '2025' } },
    errorParts: { from: ['day' as const] },
  } as never);
  return out;
}
