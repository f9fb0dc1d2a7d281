/**
 * The report pages' own stylesheet, served at `/reports/report.css` (the pages' CSP allows
 * styles from our origin only, so no inline `<style>`). Kept in code so a Lambda bundle needs
 * no extra file. Print rules make the annual report a clean A4 document.
 */
export const REPORT_CSS = `
.app-chart { display: block; max-width: 760px; margin: 0 0 20px; }
.app-figures .govuk-summary-list__value { font-weight: 700; }
.app-report-wide { max-width: 100%; overflow-x: auto; }
.app-report-wide .govuk-table { min-width: 480px; }
.app-print-only { display: none; }

@page { size: A4; margin: 18mm 15mm; }

@media print {
  .govuk-template__header, .govuk-footer, .govuk-skip-link, .app-no-print { display: none !important; }
  .app-print-only { display: block; }
  .govuk-width-container { max-width: none; margin: 0; }
  .govuk-main-wrapper { padding: 0; }
  body { font-size: 11pt; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  .govuk-table, .app-chart, .app-keep-together { break-inside: avoid; page-break-inside: avoid; }
  .app-page-break { break-before: page; page-break-before: always; }
  .govuk-tag { border: 1px solid #0b0c0c; }
  a, a:visited { color: #0b0c0c; text-decoration: none; }
}
`;
