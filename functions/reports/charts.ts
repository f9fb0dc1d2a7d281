/**
 * Accessible inline SVG bar charts. Each chart is an image with a title and a description that
 * reads out every bar (`role="img"`, `aria-labelledby`), prints each value as text beside its
 * bar (never colour alone), and is followed on the page by a table of the same figures.
 * Presentation attributes only: the pages' Content-Security-Policy forbids inline styles.
 */
import { formatOneDecimal } from './numbers.js';

export interface Bar {
  label: string;
  /** The figure; null for "nothing to show" (e.g. no case had the clock). */
  value: number | null;
  /** The figure is withheld (1 to 4 cases): no bar, the words instead. */
  suppressed?: boolean;
  /** Withheld although larger, so that a small figure cannot be worked out: "withheld". */
  secondary?: boolean;
}

export interface BarChart {
  /** Unique in the page: the title and description ids derive from it. */
  id: string;
  title: string;
  /** What the chart shows, before the list of bars. */
  summary: string;
  bars: Bar[];
  /** `%` charts run to 100; counts to their largest bar. */
  unit: 'count' | '%';
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
/** Escapes text for SVG/HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

const LABEL_WIDTH = 260;
const BAR_AREA = 340;
const VALUE_WIDTH = 120;
const ROW_HEIGHT = 32;
const BAR_HEIGHT = 20;
const TEXT = '#0b0c0c';
const BAR = '#1d70b8';
const FONT = 'GDS Transport, arial, sans-serif';

function valueText(bar: Bar, unit: BarChart['unit'], suppressedText: string): string {
  if (bar.suppressed) return bar.secondary ? 'withheld' : suppressedText;
  if (bar.value === null) return 'none';
  const n = formatOneDecimal(bar.value);
  return unit === '%' ? `${n}%` : n;
}

/** Long labels are cut so the chart keeps its shape; the table after it has them in full. */
function shortLabel(label: string): string {
  return label.length > 34 ? `${label.slice(0, 33)}…` : label;
}

/** The chart as an SVG element (a string of trusted markup: every text is escaped). */
export function barChartSvg(chart: BarChart, suppressedText = 'fewer than 5'): string {
  const max =
    chart.unit === '%'
      ? 100
      : Math.max(1, ...chart.bars.map((b) => (b.suppressed || b.value === null ? 0 : b.value)));
  const width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH;
  const height = Math.max(1, chart.bars.length) * ROW_HEIGHT + 8;
  const titleId = `${chart.id}-title`;
  const descId = `${chart.id}-desc`;
  const description = `${chart.summary} ${chart.bars.map((b) => `${b.label}: ${valueText(b, chart.unit, suppressedText)}`).join('; ')}.`;
  const rows = chart.bars.map((bar, i) => {
    const y = i * ROW_HEIGHT + 4;
    const length = bar.suppressed || bar.value === null ? 0 : Math.round((bar.value / max) * BAR_AREA);
    const textY = y + BAR_HEIGHT / 2 + 5;
    return [
      `<text x="${LABEL_WIDTH - 8}" y="${textY}" text-anchor="end" font-size="16" font-family="${FONT}" fill="${TEXT}">${escapeXml(shortLabel(bar.label))}</text>`,
      length > 0
        ? `<rect x="${LABEL_WIDTH}" y="${y}" width="${length}" height="${BAR_HEIGHT}" fill="${BAR}"></rect>`
        : `<line x1="${LABEL_WIDTH}" y1="${y}" x2="${LABEL_WIDTH}" y2="${y + BAR_HEIGHT}" stroke="${TEXT}" stroke-width="2"></line>`,
      `<text x="${LABEL_WIDTH + length + 8}" y="${textY}" font-size="16" font-family="${FONT}" fill="${TEXT}"${bar.suppressed ? ' font-style="italic"' : ''}>${escapeXml(valueText(bar, chart.unit, suppressedText))}</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" aria-labelledby="${titleId} ${descId}" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet">`,
    `<title id="${titleId}">${escapeXml(chart.title)}</title>`,
    `<desc id="${descId}">${escapeXml(description)}</desc>`,
    ...rows,
    '</svg>',
  ].join('');
}
