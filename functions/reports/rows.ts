import type { Policy } from '../domain/policy-schema.js';
import {
  CLOCK_GROUPS,
  type Count,
  type DurationCell,
  isSuppressed,
  NOT_GIVEN,
  type PerformanceReport,
  type TimelinessBreakdown,
  type TimelinessCell,
} from './compute.js';
import { formatOneDecimal } from './numbers.js';

/**
 * The report flattened to one row per breakdown cell: the CSV export writes these rows and the
 * HTML pages group them into tables, so both always show the same figures.
 */

/** Columns a row may fill, in CSV order. */
export const ROW_COLUMNS = [
  'cases',
  'onTime',
  'late',
  'overdue',
  'pending',
  'percent',
  'averageWorkingDays',
  'p90WorkingDays',
] as const;
export type RowColumn = (typeof ROW_COLUMNS)[number];

/** Column headings as people read them. */
export const COLUMN_LABELS: Record<RowColumn, string> = {
  cases: 'Number',
  onTime: 'On time',
  late: 'Late',
  overdue: 'Overdue, not yet done',
  pending: 'Not yet due',
  percent: 'Per cent',
  averageWorkingDays: 'Average working days',
  p90WorkingDays: '90th percentile, working days',
};

export interface ReportRow {
  /** e.g. `Responses on time: complaints, stage 1`. */
  section: string;
  /** e.g. `By service`. */
  breakdown: string;
  /** Machine key of the cell (service id, channel, …). */
  key: string;
  /** The cell as people read it (service name, …). */
  label: string;
  /** The cell describes 1 to 4 cases: its figures are withheld. */
  suppressed: boolean;
  /** Withheld although it describes more, so that a small figure cannot be worked out from it. */
  secondary?: true;
  values: Partial<Record<RowColumn, number | null>>;
}

/** What "withheld" reads as on every page and in the CSV. */
export const SUPPRESSED_TEXT = 'fewer than 5';
/** What a figure withheld so that a small one cannot be worked out reads as: it may be larger. */
export const WITHHELD_TEXT = 'withheld';

/** A withheld figure as words: "fewer than 5", or "withheld" for one withheld for another's sake. */
export function suppressedText(value: { secondary?: boolean }): string {
  return value.secondary ? WITHHELD_TEXT : SUPPRESSED_TEXT;
}

/** The fields of a row for a withheld figure. */
function withheldRow(value: { secondary?: true }): Pick<ReportRow, 'suppressed' | 'secondary' | 'values'> {
  return { suppressed: true, ...(value.secondary ? { secondary: true } : {}), values: {} };
}

const KIND_LABELS: Record<string, string> = {
  complaint: 'Complaints',
  compliment: 'Compliments',
  comment: 'Comments',
  representation: 'Concerns about a council policy',
  'social-care': 'Statutory adult social care complaints',
};

const CHANNEL_LABELS: Record<string, string> = {
  online: 'Online form',
  email: 'Email',
  letter: 'Letter',
  phone: 'Telephone',
  'in-person': 'In person',
};

const GROUP_LABELS: Record<string, string> = {
  'complaint-stage-1': 'complaints, stage 1',
  'complaint-stage-2': 'complaints, stage 2',
  'social-care': 'statutory adult social care complaints',
  comment: 'comments',
  representation: 'concerns about a council policy',
};

const EXCLUSION_LABELS: Record<string, string> = {
  'service-request': 'Service requests (first reports, such as a missed bin)',
  'social-care': 'Statutory social care (own procedure)',
  'childrens-social-care': "Children's social care (Children Act 1989 procedure)",
  schools: 'Schools',
  'information-rights': 'Freedom of information and data protection',
  'data-protection': 'Data protection concerns',
  'councillor-conduct': 'Councillor conduct',
  employment: 'Employment matters',
  'has-appeal-route': 'Decisions with their own appeal route',
  'legal-proceedings': 'Legal proceedings',
  'insurance-claim': 'Insurance claims',
  whistleblowing: 'Whistleblowing',
  'fraud-corruption': 'Fraud or corruption',
  'hate-incident': 'Hate incidents (hate crime route)',
  other: 'Other matters outside the procedure',
};

/** Labels for keys of the report, from the policy where it names them. */
export interface Labels {
  service(id: string): string;
  directorate(name: string): string;
  kind(kind: string): string;
  channel(channel: string): string;
  group(group: string): string;
  exclusion(id: string): string;
}

export function labelsFor(policy: Policy): Labels {
  const services = new Map(policy.routing.services.map((s) => [s.id, s.name]));
  return {
    service: (id) => (id === NOT_GIVEN ? 'No service given' : (services.get(id) ?? id)),
    directorate: (name) => (name === NOT_GIVEN ? 'No directorate' : name),
    kind: (kind) => KIND_LABELS[kind] ?? kind,
    channel: (channel) => CHANNEL_LABELS[channel] ?? channel,
    group: (group) => GROUP_LABELS[group] ?? group,
    exclusion: (id) => EXCLUSION_LABELS[id] ?? id,
  };
}

function countRow(section: string, breakdown: string, key: string, label: string, value: Count): ReportRow {
  return isSuppressed(value)
    ? { section, breakdown, key, label, ...withheldRow(value) }
    : { section, breakdown, key, label, suppressed: false, values: { cases: value } };
}

function countRows(
  section: string,
  breakdown: string,
  counts: Record<string, Count>,
  label: (key: string) => string,
): ReportRow[] {
  return Object.entries(counts).map(([key, value]) => countRow(section, breakdown, key, label(key), value));
}

/** A row for one breakdown cell: suppressed, or with the figures `values` picks from it. */
function cellRow<C extends object>(
  values: (cell: Exclude<C, { suppressed: true }>) => ReportRow['values'],
): (section: string, breakdown: string, key: string, label: string, cell: C) => ReportRow {
  return (section, breakdown, key, label, cell) =>
    isSuppressed(cell)
      ? { section, breakdown, key, label, ...withheldRow(cell) }
      : {
          section,
          breakdown,
          key,
          label,
          suppressed: false,
          values: values(cell as Exclude<C, { suppressed: true }>),
        };
}

const timelinessRow = cellRow<TimelinessCell>((cell) => ({
  cases: cell.cases,
  onTime: cell.onTime,
  late: cell.late,
  overdue: cell.overdue,
  pending: cell.pending,
  percent: cell.percentOnTime,
}));

const durationRow = cellRow<DurationCell>((cell) => ({
  cases: cell.cases,
  averageWorkingDays: cell.averageWorkingDays,
  p90WorkingDays: cell.p90WorkingDays,
}));

function timelinessRows(section: string, b: TimelinessBreakdown, labels: Labels): ReportRow[] {
  const rows = [timelinessRow(section, 'All', 'all', 'All', b.all)];
  const add = (breakdown: string, cells: Record<string, TimelinessCell>, label: (k: string) => string) => {
    for (const [key, cell] of Object.entries(cells))
      rows.push(timelinessRow(section, breakdown, key, label(key), cell));
  };
  add('By service', b.byService, labels.service);
  add('By directorate', b.byDirectorate, labels.directorate);
  add('By channel', b.byChannel, labels.channel);
  return rows;
}

const STAGE_NAMES = { stage1: 'Stage 1', stage2: 'Stage 2' } as const;

/** Every figure of the report as rows, in reading order. */
export function reportRows(report: PerformanceReport, labels: Labels): ReportRow[] {
  const rows: ReportRow[] = [];
  const received = 'Cases received';
  rows.push(countRow(received, 'Totals', 'received', 'All contacts received', report.totals.received));
  rows.push(countRow(received, 'Totals', 'handled', 'Handled under this procedure', report.totals.handled));
  rows.push(
    countRow(
      received,
      'Totals',
      'redirected',
      'Redirected (outside the procedure)',
      report.totals.redirected,
    ),
  );
  rows.push(...countRows(received, 'By kind', report.counts.byKind, labels.kind));
  rows.push(
    ...countRows(
      received,
      'By complaint stage',
      report.counts.byStage,
      (k) => `Complaints reaching ${k === 'stage1' ? 'stage 1' : 'stage 2'}`,
    ),
  );
  rows.push(...countRows(received, 'By service', report.counts.byService, labels.service));
  rows.push(...countRows(received, 'By directorate', report.counts.byDirectorate, labels.directorate));
  rows.push(...countRows(received, 'By channel', report.counts.byChannel, labels.channel));

  for (const group of CLOCK_GROUPS.acknowledgement) {
    rows.push(
      ...timelinessRows(
        `Acknowledged on time: ${labels.group(group)}`,
        report.timeliness.acknowledgement[group],
        labels,
      ),
    );
  }
  for (const group of CLOCK_GROUPS.response) {
    rows.push(
      ...timelinessRows(
        `Responded to on time: ${labels.group(group)}`,
        report.timeliness.response[group],
        labels,
      ),
    );
  }

  const code = 'Complaints within the Code’s timescales';
  for (const stage of ['stage1', 'stage2'] as const) {
    const s = report.codeTimescales[stage];
    rows.push(
      timelinessRow(code, STAGE_NAMES[stage], 'acknowledgement', 'Acknowledgement', s.acknowledgement),
    );
    rows.push(timelinessRow(code, STAGE_NAMES[stage], 'response', 'Response', s.response));
  }

  const days = 'Working days taken';
  for (const [stage, name] of [
    ['stage1', 'Complaints, stage 1'],
    ['stage2', 'Complaints, stage 2'],
    ['socialCare', 'Statutory adult social care complaints'],
  ] as const) {
    rows.push(durationRow(days, name, 'acknowledge', 'To acknowledge', report.durations[stage].acknowledge));
    rows.push(durationRow(days, name, 'respond', 'To respond', report.durations[stage].respond));
  }

  for (const stage of ['stage1', 'stage2'] as const) {
    const e = report.extensions[stage];
    const section = 'Extensions';
    rows.push(countRow(section, STAGE_NAMES[stage], 'extensions', 'Extensions granted', e.extensions));
    rows.push(countRow(section, STAGE_NAMES[stage], 'casesExtended', 'Complaints extended', e.casesExtended));
    rows.push(
      isSuppressed(e.averageDays)
        ? {
            section,
            breakdown: STAGE_NAMES[stage],
            key: 'averageDays',
            label: 'Working days per extension',
            ...withheldRow(e.averageDays),
          }
        : {
            section,
            breakdown: STAGE_NAMES[stage],
            key: 'averageDays',
            label: 'Working days per extension',
            suppressed: false,
            values: { averageWorkingDays: e.averageDays },
          },
    );
  }

  for (const stage of ['stage1', 'stage2'] as const) {
    const o = report.outcomes[stage];
    const section = 'Outcomes of complaints';
    const b = STAGE_NAMES[stage];
    rows.push(countRow(section, b, 'responses', 'Responses with an outcome', o.responses));
    rows.push(countRow(section, b, 'upheld', 'Upheld', o.upheld));
    rows.push(countRow(section, b, 'partially-upheld', 'Partially upheld', o.partiallyUpheld));
    rows.push(countRow(section, b, 'not-upheld', 'Not upheld', o.notUpheld));
    rows.push(countRow(section, b, 'remedies', 'Remedies given', o.remedies));
  }

  const esc = report.escalation;
  const escalation = 'Escalation to stage 2';
  rows.push(countRow(escalation, 'All', 'stage1Responses', 'Stage 1 responses', esc.stage1Responses));
  rows.push(countRow(escalation, 'All', 'escalated', 'Escalated to stage 2', esc.escalatedToStage2));
  rows.push(
    isSuppressed(esc.ratePercent)
      ? {
          section: escalation,
          breakdown: 'All',
          key: 'rate',
          label: 'Escalation rate',
          ...withheldRow(esc.ratePercent),
        }
      : {
          section: escalation,
          breakdown: 'All',
          key: 'rate',
          label: 'Escalation rate',
          suppressed: false,
          values: { percent: esc.ratePercent },
        },
  );

  rows.push(countRow('Ombudsman', 'All', 'enquiries', 'Ombudsman enquiries', report.ombudsman.enquiries));
  rows.push(countRow('Compliments', 'Totals', 'total', 'Compliments received', report.compliments.total));
  rows.push(...countRows('Compliments', 'By service', report.compliments.byService, labels.service));
  rows.push(
    ...countRows('Compliments', 'By staff member named', report.compliments.byStaff ?? {}, (name) => name),
  );
  rows.push(
    ...countRows('Redirected, not complaints', 'By reason', report.redirected.byExclusion, labels.exclusion),
  );
  const contact = 'Repeat and vexatious contact';
  rows.push(
    countRow(
      contact,
      'All',
      'repeat-complainants',
      'People with more than one case',
      report.repeatContact.complainants,
    ),
  );
  rows.push(countRow(contact, 'All', 'repeat-cases', 'Cases from those people', report.repeatContact.cases));
  rows.push(
    countRow(
      contact,
      'All',
      'vexatious',
      'Contacts from people designated vexatious',
      report.vexatious.cases,
    ),
  );
  const learning = 'Learning from complaints';
  rows.push(
    countRow(
      learning,
      'All',
      'lessons',
      'Responses recording lessons learned',
      report.learning.lessonsRecorded,
    ),
  );
  rows.push(
    countRow(
      learning,
      'All',
      'improvements',
      'Responses recording service improvements',
      report.learning.improvementsRecorded,
    ),
  );
  return rows;
}

/** One table of the page: the rows of one section and breakdown, with the columns they fill. */
export interface RowTable {
  caption: string;
  section: string;
  breakdown: string;
  columns: RowColumn[];
  rows: ReportRow[];
}

/** Groups rows into tables by section and breakdown, keeping only the columns in use. */
export function rowTables(rows: ReportRow[]): RowTable[] {
  const tables: RowTable[] = [];
  for (const row of rows) {
    let table = tables.find((t) => t.section === row.section && t.breakdown === row.breakdown);
    if (!table) {
      table = {
        caption: row.breakdown === 'All' ? row.section : `${row.section}: ${row.breakdown.toLowerCase()}`,
        section: row.section,
        breakdown: row.breakdown,
        columns: [],
        rows: [],
      };
      tables.push(table);
    }
    table.rows.push(row);
  }
  for (const table of tables) {
    const used = new Set<RowColumn>(['cases']);
    for (const row of table.rows) for (const key of Object.keys(row.values) as RowColumn[]) used.add(key);
    if (table.rows.every((r) => r.values.cases === undefined && !r.suppressed)) used.delete('cases');
    table.columns = ROW_COLUMNS.filter((c) => used.has(c));
  }
  return tables;
}

/** A cell of a table as text: the number, "fewer than 5", or an em dash when there is nothing to show. */
export function cellText(row: ReportRow, column: RowColumn, firstColumn: boolean): string {
  if (row.suppressed) return firstColumn ? suppressedText(row) : '';
  const value = row.values[column];
  if (value === undefined || value === null) return '–';
  const text = formatOneDecimal(value);
  return column === 'percent' ? `${text}%` : text;
}
