import { EQUALITY_QUESTIONS, type EqualityCount, type EqualityReport } from '../domain/equality.js';
import type { CaseKind } from '../domain/types.js';
import { formatDate, kindName } from './format.js';
import { errorModel, renderPage } from './render.js';

/** Pages of equality monitoring: the optional questions, the thanks, the counts (`equality.njk`, `equality-report.njk`). */

export function equalityFormPage(model: {
  councilName: string;
  kind: CaseKind;
  values?: Record<string, unknown>;
  errors?: Record<string, string>;
}): string {
  const order = EQUALITY_QUESTIONS.map((q) => q.id);
  const ids = Object.fromEntries(order.map((id) => [id, id]));
  const values = Object.fromEntries(
    Object.entries(model.values ?? {}).filter(([, v]) => typeof v === 'string'),
  ) as Record<string, string>;
  return renderPage('equality', {
    pageTitle: `${model.errors ? 'Error: ' : ''}Help us check our service is fair to everyone`,
    councilName: model.councilName,
    kindText: kindName(model.kind),
    questions: EQUALITY_QUESTIONS.map((q) => ({
      ...q,
      items: q.options.map((o) => ({ value: o.value, text: o.text })),
    })),
    v: values,
    ...errorModel(model.errors, { order, ids }),
  });
}

export function equalityThanksPage(model: { councilName: string }): string {
  return renderPage('message', {
    pageTitle: 'Thank you for your answers',
    councilName: model.councilName,
    heading: 'Thank you for your answers',
    panel: true,
    paragraphs: [
      'We have kept them separately from your feedback. They will only ever be counted together with everyone else’s.',
      'You can close this page.',
    ],
  });
}

function countText(count: EqualityCount): string {
  // "Not shown" rather than "fewer than 5": a figure hidden so that another cannot be worked out may be larger.
  return count === 'suppressed' ? 'not shown' : count.toLocaleString('en-GB');
}

export function equalityReportPage(model: {
  councilName: string;
  report: EqualityReport;
  period: { from: string; to: string };
  yearText: string;
  previousYear?: number;
  previousYearText?: string;
  nextYear?: number;
  nextYearText?: string;
}): string {
  const { report } = model;
  return renderPage('equality-report', {
    ...model,
    pageTitle: `Who uses our feedback procedure, ${model.yearText}`,
    fromText: formatDate(`${model.period.from}T12:00:00Z`, { weekday: false }),
    toText: formatDate(`${model.period.to}T12:00:00Z`, { weekday: false }),
    responsesText: countText(report.responses),
    // Fewer sets of answers than the threshold: no table at all, or one could read a person's answers.
    showTables: report.responses !== 'suppressed' && report.responses > 0,
    tables: report.tables.map((t) => ({
      name: t.name,
      rows: [...t.rows, { text: 'Not answered', count: t.notAnswered }].map((r) => [
        { text: r.text },
        { text: countText(r.count), format: 'numeric' },
      ]),
    })),
  });
}
