import { type LondonWallClock, londonWallClock, writtenDate } from '../domain/london-time.js';

/**
 * Dates and labels as the GOV.UK style guide writes them ("Friday 5 June 2026", "2:30pm"), always
 * in Europe/London whatever the server's time zone: a Lambda runs in UTC, residents do not.
 */

/** The London wall clock of a timestamp, or nothing when it is not one. */
export function wallClock(iso: string): LondonWallClock | undefined {
  const ms = new Date(iso).getTime();
  return Number.isNaN(ms) ? undefined : londonWallClock(ms);
}

/**
 * `2026-06-05T22:59:59.000Z` → `Friday 5 June 2026` (no comma after the weekday, as the style
 * guide writes it). An unreadable value is returned as given.
 */
export function formatDate(iso: string, options: { weekday?: boolean } = {}): string {
  const w = wallClock(iso);
  if (!w) return iso;
  return writtenDate(w, 'en', options);
}

/** `2026-06-05T13:30:00Z` → `5 June 2026 at 2:30pm` (midday and midnight written as words). */
export function formatDateTime(iso: string): string {
  const w = wallClock(iso);
  if (!w) return iso;
  const hour = String(w.hour % 12 || 12);
  const minute = String(w.minute).padStart(2, '0');
  const period = w.hour < 12 ? 'am' : 'pm';
  let time = `${hour}:${minute}${period}`;
  if (minute === '00' && hour === '12') time = period === 'am' ? 'midnight' : 'midday';
  return `${formatDate(iso, { weekday: false })} at ${time}`;
}

/**
 * When feedback was received, as pages show it: `5 June 2026 at 2:30pm`, or only `5 June 2026`
 * when staff recorded a date with no time (`receivedDateOnly`), never an invented midnight.
 */
export function formatReceived(c: { receivedAt: string; receivedDateOnly?: boolean }): string {
  return c.receivedDateOnly ? formatDate(c.receivedAt, { weekday: false }) : formatDateTime(c.receivedAt);
}

/** `stage2RequestBy` → `Stage 2 request by`: a readable fallback for keys without a label. */
export function humanise(key: string): string {
  const words = key
    .replace(/[-_]+/g, ' ')
    .replace(/([a-z])([A-Z0-9])/g, '$1 $2')
    .replace(/([0-9])([A-Za-z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Names of the clocks a case carries, as a resident or officer reads them. */
export const DEADLINE_LABELS: Readonly<Record<string, string>> = {
  acknowledgeBy: 'Acknowledge by',
  respondBy: 'Respond by',
  replyBy: 'Reply by',
  feedbackBy: 'Feedback by',
  remindAt: 'Reminder',
  reminderAt: 'Reminder',
  extensionLimit: 'Extension limit',
  stage2RequestBy: 'Stage 2 can be requested until',
  stage2AcknowledgeBy: 'Stage 2 acknowledge by',
  stage2RespondBy: 'Stage 2 respond by',
  stage2RemindAt: 'Stage 2 reminder',
  stage2ExtensionLimit: 'Stage 2 extension limit',
  extendedTo: 'Extended to',
  planDueBy: 'Resolution plan due by',
  tellIfBeyond: 'Tell the complainant if not resolved by',
  confirmExclusionBy: 'Check it is not a complaint by',
  consentBy: 'Consent by',
  anonymousReviewBy: 'Manager to decide by',
  nominatedContactBy: 'Nominated officer to decide by',
  vexatiousDecisionBy: 'Nominated officer to decide by',
  stage2DecisionBy: 'Stage 2 decision by',
  pauseReviewBy: 'Review the pause by',
  signOffBy: 'Director to sign off by',
};

/** Resident-facing wording for the clocks of a new submission ("what happens next"). */
export const RESIDENT_DEADLINE_TEXT: Readonly<Record<string, string>> = {
  acknowledgeBy: 'We will acknowledge it by',
  respondBy: 'We aim to give you a full response by',
  replyBy: 'We aim to reply by',
  feedbackBy: 'We will tell you how it has been considered by',
};

/** Label of a deadline key for officers. */
export function deadlineLabel(key: string): string {
  return DEADLINE_LABELS[key] ?? humanise(key);
}

/** How each kind of feedback is named in running text. */
export const KIND_NAMES: Readonly<Record<string, string>> = {
  complaint: 'complaint',
  compliment: 'compliment',
  comment: 'comment',
  representation: 'concern about a council policy',
  'social-care': 'social care complaint',
};

/** `representation` → `concern about a council policy`. */
export function kindName(kind: string): string {
  return KIND_NAMES[kind] ?? humanise(kind).toLowerCase();
}
