/**
 * The report pages and the CSV export. Pages use this folder's Nunjucks views, which extend the
 * web layer's `layout.njk` (GOV.UK template, council header, CSP-safe assets), so the reports
 * look and behave like every other page. Autoescaping is on; the charts are markup built here
 * with every text escaped.
 *
 * A Lambda bundle has no source tree: deployment copies `views/` next to the bundle and sets
 * `REDRESS_REPORT_VIEWS_DIR` (as it does `REDRESS_VIEWS_DIR` for the web layer's views).
 */

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import type { Policy } from '../domain/policy-schema.js';
import { type DatePart, dateParts } from '../web/date-input.js';
import { formatDate, formatDateTime } from '../web/format.js';
import { useFastFilters } from '../web/nunjucks-filters.js';
import { GOVUK_FRONTEND_DIR, VIEWS_DIR } from '../web/paths.js';
import {
  PrecompiledViewsLoader,
  REPORT_ENVIRONMENT_OPTIONS,
  templateFileLoader,
} from '../web/precompiled-views.js';
import { ASSET_PATH, BASE_PATH, SERVICE_NAME } from '../web/render.js';
import { type Bar, type BarChart, barChartSvg } from './charts.js';
import {
  type Count,
  isSuppressed,
  type LearningItem,
  type PerformanceReport,
  type TimelinessCell,
} from './compute.js';
import { formatCount } from './numbers.js';
import { financialYearName, type Period } from './period.js';
import {
  COLUMN_LABELS,
  cellText,
  type Labels,
  labelsFor,
  type ReportRow,
  ROW_COLUMNS,
  type RowTable,
  reportRows,
  rowTables,
  SUPPRESSED_TEXT,
  suppressedText,
  WITHHELD_TEXT,
} from './rows.js';
import { CODE_NAME, type SelfAssessmentLine, selfAssessment, weakerThanCode } from './self-assessment.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Folder of the report views. */
export const REPORT_VIEWS_DIR = process.env.REDRESS_REPORT_VIEWS_DIR ?? join(here, 'views');
/** Where the report pages load their own stylesheet (served by `report-routes.ts`). */
export const REPORT_CSS_PATH = `${BASE_PATH}/reports/report.css`;

/** The three folders below compiled when the API's bundle was built (`precompiled-views.ts`). */
const PRECOMPILED_REPORT_VIEWS_DIR = process.env.REDRESS_PRECOMPILED_REPORT_VIEWS_DIR || undefined;

/**
 * Our views first, then the web layer's (for `layout.njk`), then govuk-frontend's macros; in the
 * Lambda bundle, all of them compiled when it was built, and only those (as the pages').
 */
const env = useFastFilters(
  new nunjucks.Environment(
    PRECOMPILED_REPORT_VIEWS_DIR
      ? new PrecompiledViewsLoader(PRECOMPILED_REPORT_VIEWS_DIR)
      : templateFileLoader([REPORT_VIEWS_DIR, VIEWS_DIR, GOVUK_FRONTEND_DIR]),
    // A copy: nunjucks writes its defaults into the options object it is given.
    { ...REPORT_ENVIRONMENT_OPTIONS },
  ),
);

function render(view: string, model: Record<string, unknown>): string {
  return env.render(`${view}.njk`, {
    serviceName: SERVICE_NAME,
    serviceUrl: `${BASE_PATH}/reports`,
    reportsPath: `${BASE_PATH}/reports`,
    assetPath: ASSET_PATH,
    reportCss: REPORT_CSS_PATH,
    errorList: [],
    ...model,
  });
}

// ---------------------------------------------------------------------------------------------
// Tables and figures as the templates want them

interface TableModel {
  caption: string;
  head: { text: string; format?: string }[];
  rows: { text: string; format?: string; classes?: string }[][];
}

function tableModel(table: RowTable, caption = table.caption): TableModel {
  return {
    caption,
    head: [
      {
        text:
          table.breakdown === 'All' || table.breakdown === 'Totals'
            ? 'Figure'
            : table.breakdown.replace(/^By /, '').replace(/^./, (c) => c.toUpperCase()),
      },
      ...table.columns.map((c) => ({ text: COLUMN_LABELS[c], format: 'numeric' })),
    ],
    rows: table.rows.map((row) => [
      { text: row.label },
      ...table.columns.map((c, i) => ({ text: cellText(row, c, i === 0), format: 'numeric' })),
    ]),
  };
}

/** A figure as text: the number, or "fewer than 5". */
export function countText(value: Count): string {
  return isSuppressed(value) ? suppressedText(value) : formatCount(value);
}

function percentText(cell: TimelinessCell): string {
  if (isSuppressed(cell)) return cell.secondary ? WITHHELD_TEXT : `${SUPPRESSED_TEXT} cases`;
  return cell.percentOnTime === null ? 'none due yet' : `${cell.percentOnTime}%`;
}

function headlines(r: PerformanceReport): { key: { text: string }; value: { text: string } }[] {
  const rate = r.escalation.ratePercent;
  const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value } });
  return [
    row('Contacts received', countText(r.totals.received)),
    row('Complaints (stage 1)', countText(r.counts.byStage.stage1)),
    row('Stage 1 acknowledged on time', percentText(r.timeliness.acknowledgement['complaint-stage-1'].all)),
    row('Stage 1 responded to on time', percentText(r.timeliness.response['complaint-stage-1'].all)),
    row('Stage 2 responded to on time', percentText(r.timeliness.response['complaint-stage-2'].all)),
    row(
      'Escalated to stage 2',
      isSuppressed(rate) ? suppressedText(rate) : rate === null ? 'none' : `${rate}%`,
    ),
    row('Ombudsman enquiries', countText(r.ombudsman.enquiries)),
    row('Compliments', countText(r.compliments.total)),
    row('Redirected, not complaints', countText(r.totals.redirected)),
  ];
}

/** A bar whose figure is withheld: words in its place ("withheld" for one withheld for another's sake). */
function withheldBar(label: string, value: { secondary?: true }): Bar {
  return { label, value: null, suppressed: true, ...(value.secondary ? { secondary: true } : {}) };
}

function countBars(counts: Record<string, Count>, label: (key: string) => string): Bar[] {
  return Object.entries(counts).map(([key, value]) =>
    isSuppressed(value) ? withheldBar(label(key), value) : { label: label(key), value },
  );
}

function percentBars(cells: Record<string, TimelinessCell>, label: (key: string) => string): Bar[] {
  return Object.entries(cells).map(([key, cell]) =>
    isSuppressed(cell) ? withheldBar(label(key), cell) : { label: label(key), value: cell.percentOnTime },
  );
}

interface ChartModel {
  heading: string;
  svg: string;
  table: TableModel;
}

/** The charts of a report, each with the table of the same figures. */
function charts(r: PerformanceReport, labels: Labels, rows: ReportRow[]): ChartModel[] {
  const tables = rowTables(rows);
  // A period with no cases has no rows for a breakdown: its table is empty, not missing.
  const find = (section: string, breakdown: string): RowTable =>
    tables.find((t) => t.section === section && t.breakdown === breakdown) ??
    ({ section, breakdown, caption: breakdown, columns: [], rows: [] } satisfies RowTable);
  const chart = (c: BarChart, table: RowTable): ChartModel => ({
    heading: c.title,
    svg: barChartSvg(c),
    table: tableModel(table, `${c.title}: the figures`),
  });
  const outcomes = r.outcomes.stage1;
  return [
    chart(
      {
        id: 'chart-kind',
        title: 'What people told us, by kind',
        summary: 'Contacts handled, by kind.',
        unit: 'count',
        bars: countBars(r.counts.byKind, labels.kind),
      },
      find('Cases received', 'By kind'),
    ),
    chart(
      {
        id: 'chart-channel',
        title: 'How people contacted us',
        summary: 'Contacts handled, by channel.',
        unit: 'count',
        bars: countBars(r.counts.byChannel, labels.channel),
      },
      find('Cases received', 'By channel'),
    ),
    chart(
      {
        id: 'chart-service',
        title: 'Contacts by service',
        summary: 'Contacts handled, by service.',
        unit: 'count',
        bars: countBars(r.counts.byService, labels.service),
      },
      find('Cases received', 'By service'),
    ),
    chart(
      {
        id: 'chart-stage1-on-time',
        title: 'Stage 1 complaints responded to on time, by service',
        summary: 'Percentage of stage 1 complaints answered by their deadline, by service.',
        unit: '%',
        bars: percentBars(r.timeliness.response['complaint-stage-1'].byService, labels.service),
      },
      find('Responded to on time: complaints, stage 1', 'By service'),
    ),
    chart(
      {
        id: 'chart-outcomes',
        title: 'Outcomes of stage 1 complaints',
        summary: 'Stage 1 responses by outcome, and remedies given.',
        unit: 'count',
        bars: countBars(
          {
            upheld: outcomes.upheld,
            'partially-upheld': outcomes.partiallyUpheld,
            'not-upheld': outcomes.notUpheld,
            remedies: outcomes.remedies,
          },
          (k) =>
            ({
              upheld: 'Upheld',
              'partially-upheld': 'Partially upheld',
              'not-upheld': 'Not upheld',
              remedies: 'Remedies given',
            })[k] ?? k,
        ),
      },
      find('Outcomes of complaints', 'Stage 1'),
    ),
  ];
}

/** Every table of the report, grouped under their section headings. */
function sections(rows: ReportRow[]): { heading: string; tables: TableModel[] }[] {
  const out: { heading: string; tables: TableModel[] }[] = [];
  for (const table of rowTables(rows)) {
    let section = out.find((s) => s.heading === table.section);
    if (!section) {
      section = { heading: table.section, tables: [] };
      out.push(section);
    }
    section.tables.push(tableModel(table));
  }
  return out;
}

function learningTable(items: LearningItem[], labels: Labels): TableModel {
  const outcome: Record<string, string> = {
    upheld: 'Upheld',
    'partially-upheld': 'Partially upheld',
    'not-upheld': 'Not upheld',
  };
  return {
    caption: 'Lessons learned and service improvements recorded with responses',
    head: [
      { text: 'Case' },
      { text: 'Service' },
      { text: 'Outcome' },
      { text: 'Lessons learned' },
      { text: 'Service improvement' },
    ],
    rows: items.map((item) => [
      { text: `${item.reference} (stage ${item.stage})` },
      { text: labels.service(item.service) },
      { text: item.outcome ? (outcome[item.outcome] ?? item.outcome) : '–' },
      { text: item.lessons ?? '–' },
      { text: item.actions ?? '–' },
    ]),
  };
}

function periodText(period: Period): string {
  return `${formatDate(period.from, { weekday: false })} to ${formatDate(period.to, { weekday: false })}`;
}

function query(period: Period): string {
  return `from=${encodeURIComponent(period.from)}&to=${encodeURIComponent(period.to)}`;
}

// ---------------------------------------------------------------------------------------------
// GET /reports

/** The three boxes of a GOV.UK date input, as typed. */
export type DateBoxes = { day: string; month: string; year: string };

export interface ReportsPageModel {
  policy: Policy;
  /** The period asked for (or the default one). */
  period: Period;
  /** Absent when the query was invalid. */
  report?: PerformanceReport;
  /** One message per query field (`from`, `to`) when the query was invalid. */
  errors?: Record<string, string>;
  /** What was typed, re-filled after an error: `YYYY-MM-DD`, or the date input's three boxes. */
  values?: { from?: string | DateBoxes; to?: string | DateBoxes };
  /** The boxes of each date to mark as wrong (GOV.UK date input), when the error is in some of them. */
  errorParts?: Partial<Record<'from' | 'to', DatePart[]>>;
  /** The financial year to offer the annual report for. */
  annualYear?: number;
}

/** The officers' performance page: a date form, headline figures, charts with tables, learning. */
export function reportsPage(model: ReportsPageModel): string {
  const { policy, report } = model;
  const labels = labelsFor(policy);
  // Each message links to the first box of its date that is wrong (the GOV.UK date input pattern).
  const errorList = Object.entries(model.errors ?? {}).map(([field, text]) => ({
    text,
    href: `#${field}-${model.errorParts?.[field as 'from' | 'to']?.[0] ?? 'day'}`,
  }));
  const boxes = (v: string | DateBoxes | undefined, fallback: string): DateBoxes =>
    typeof v === 'object' ? v : dateParts(v ?? fallback);
  const rows = report ? reportRows(report, labels) : [];
  return render('reports', {
    pageTitle: 'Complaints performance',
    councilName: policy.council,
    errorList,
    e: Object.fromEntries(Object.entries(model.errors ?? {}).map(([k, text]) => [k, { text }])),
    values: {
      from: boxes(model.values?.from, model.period.from),
      to: boxes(model.values?.to, model.period.to),
    },
    errorParts: {
      from: model.errors?.from ? (model.errorParts?.from ?? ['day', 'month', 'year']) : [],
      to: model.errors?.to ? (model.errorParts?.to ?? ['day', 'month', 'year']) : [],
    },
    periodText: periodText(model.period),
    report,
    headlines: report ? headlines(report) : [],
    charts: report ? charts(report, labels, rows) : [],
    sections: sections(rows),
    learning: report?.learningItems?.length ? learningTable(report.learningItems, labels) : undefined,
    generatedText: report ? formatDateTime(report.asOf) : undefined,
    csvHref: `/reports/performance.csv?${query(model.period)}`,
    jsonHref: `/reports/performance?${query(model.period)}`,
    annualYear: model.annualYear,
    annualName: model.annualYear === undefined ? undefined : financialYearName(model.annualYear),
  });
}

// ---------------------------------------------------------------------------------------------
// GET /reports/annual

export interface AnnualReportModel {
  policy: Policy;
  /** First calendar year of the financial year (2025 → 2025/26). */
  year: number;
  report: PerformanceReport;
}

const VERDICT_TAGS: Record<SelfAssessmentLine['verdict'], { text: string; classes: string }> = {
  meets: { text: 'Meets the Code', classes: 'govuk-tag--green' },
  stronger: { text: 'Goes further than the Code', classes: 'govuk-tag--blue' },
  weaker: { text: 'Weaker than the Code', classes: 'govuk-tag--red' },
  evidence: { text: 'See the figures', classes: 'govuk-tag--grey' },
};

/** The printable annual complaints performance and service improvement report, with the self-assessment. */
export function annualReportPage(model: AnnualReportModel): string {
  const { policy, report } = model;
  const labels = labelsFor(policy);
  const rows = reportRows(report, labels);
  const lines = selfAssessment(policy, report).map((line) => ({ ...line, tag: VERDICT_TAGS[line.verdict] }));
  const name = financialYearName(model.year);
  return render('annual', {
    pageTitle: `Annual complaints report ${name}`,
    councilName: policy.council,
    yearName: name,
    periodText: periodText(report.period),
    report,
    codeName: CODE_NAME,
    headlines: headlines(report),
    lines,
    weaker: lines.filter((line) => line.verdict === 'weaker'),
    weakerMessages: weakerThanCode(policy),
    charts: charts(report, labels, rows),
    sections: sections(rows),
    learning: report.learningItems?.length ? learningTable(report.learningItems, labels) : undefined,
    generatedText: formatDateTime(report.asOf),
  });
}

// ---------------------------------------------------------------------------------------------
// GET /reports/performance.csv

/** A CSV field: quoted when needed, and never read as a formula by a spreadsheet. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The CSV export: a header, one row per breakdown cell, then rows "About this report" carrying
 * the period, whether suppression applied, and the notes (in the `label` column).
 */
export function performanceCsv(report: PerformanceReport, policy: Policy): string {
  const rows = reportRows(report, labelsFor(policy));
  const header = ['section', 'breakdown', 'key', 'label', 'suppressed', ...ROW_COLUMNS];
  const lines = [header.join(',')];
  for (const row of rows) {
    const values = ROW_COLUMNS.map((c) => {
      if (row.suppressed) return c === 'cases' ? suppressedText(row) : '';
      const v = row.values[c];
      return v === undefined || v === null ? '' : String(v);
    });
    lines.push(
      [row.section, row.breakdown, row.key, row.label, row.suppressed ? 'yes' : 'no', ...values]
        .map(csvField)
        .join(','),
    );
  }
  const about = (key: string, label: string, flag = '') =>
    ['About this report', 'Notes', key, label, flag, ...ROW_COLUMNS.map(() => '')].map(csvField).join(',');
  lines.push(
    about('period', `Cases received ${report.period.from} to ${report.period.to}, ${report.council}`),
  );
  lines.push(about('suppression', report.suppression.note, report.suppression.applied ? 'yes' : 'no'));
  report.notes.forEach((note, i) => {
    lines.push(about(`note-${i + 1}`, note));
  });
  return `${lines.join('\r\n')}\r\n`;
}

/** File name of the CSV export for a period. */
export function csvFileName(period: Period): string {
  return `complaints-performance-${period.from}-to-${period.to}.csv`;
}
