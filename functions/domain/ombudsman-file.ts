import { londonDate } from './calendar.js';
import type { CaseEvent, CaseRecord, StageProgress } from './case.js';
import { ACCEPTED_TYPES, type EvidenceFile, evidenceFiles, formatBytes } from './evidence.js';
import type { OmbudsmanId } from './ombudsmen.js';
import type { IsoTimestamp } from './types.js';

/**
 * The Ombudsman's case file: when the LGSCO, the Housing Ombudsman or a nation's ombudsman
 * investigates, the council sends the complete complaint file — a chronology, the letters sent
 * and received, the officers' decisions with their reasons, the evidence — as one paginated PDF
 * with a contents page, and the originals beside it. Pure: what the file says, built from the
 * case and its history. `functions/app/ombudsman-file.ts` gathers the letters and evidence, and
 * `functions/templates/render-ombudsman-file.ts` lays the PDF out.
 */

/** How the file reached the ombudsman, as staff record it. */
export const SENT_METHODS = {
  portal: 'Uploaded to the Ombudsman’s secure portal',
  'secure-email': 'By secure email',
  post: 'By post or courier',
} as const;
export type SentMethod = keyof typeof SENT_METHODS;

/** The ombudsman's own reference: letters, digits, spaces, slashes, dots and dashes, 40 at most. */
export const OMBUDSMAN_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9 ./-]{0,39}$/;

/**
 * Events that are the service's own bookkeeping, not something that happened in the complaint:
 * left out of the chronology (they are still in the file's `case-history.json`). A view of the
 * case is listed in the workspace's "who has viewed this case", not here.
 */
export const BOOKKEEPING_EVENTS: ReadonlySet<string> = new Set([
  'viewed',
  'workflow-started',
  'workflow-continued',
  'workflow-redriven',
  'decision-delivered',
  'task-opened',
  'wait-started',
  'deadlines-recalculated',
  'email-accepted',
  'reminder-not-needed',
]);

/** One line of the chronology: when, what happened in plain English, who did it, and why. */
export interface ChronologyEntry {
  at: IsoTimestamp;
  /** The event's sequence number in the case's history, so the ombudsman can cite it. */
  seq: number;
  what: string;
  by: string;
  /** Reasons, outcomes and other facts of the event, each a short sentence. */
  details: string[];
}

/** What the chronology needs besides the case: names the policy gives. */
export interface ChronologyNames {
  /** A service's name from its id. */
  service: (id: string | undefined) => string | undefined;
  /** An ombudsman's name from its id. */
  ombudsman: (id: OmbudsmanId) => string;
}

const OUTCOME_TEXT: Record<string, string> = {
  upheld: 'Upheld',
  'partially-upheld': 'Partially upheld',
  'not-upheld': 'Not upheld',
  resolved: 'Resolved',
};

const CHANNEL_TEXT: Record<string, string> = {
  online: 'online',
  email: 'by email',
  letter: 'by letter',
  phone: 'by phone',
  'in-person': 'in person',
  workspace: 'in the staff workspace',
  link: 'through an emailed link',
};

/** The titles of the letters and emails Redress sends, by template. */
export const TEMPLATE_TITLES: Readonly<Record<string, string>> = {
  receipt: 'Receipt of the complaint',
  acknowledgement: 'Acknowledgement',
  'stage-2-acknowledgement': 'Acknowledgement of the request for a review (stage 2)',
  extension: 'More time needed to respond',
  'holding-letter': 'Holding letter: the response is delayed',
  response: 'Response (stage 1)',
  'final-response': 'Final response (stage 2)',
  'stage-2-refused': 'Request for a review refused',
  'stage-2-too-late': 'Request for a review too late',
  'stage-2-resolved': 'Request for a review resolved',
  pause: 'Complaint put on hold',
  resume: 'Complaint no longer on hold',
  reopened: 'Complaint reopened',
  redirect: 'Where to go instead',
  'not-a-complaint': 'Not a complaint',
  'out-of-time': 'Made too late to consider',
  'vexatious-decision': 'Decision on unreasonably persistent contact',
  'consent-needed': 'Consent needed',
  'consent-not-given': 'Consent not given',
  'officer-task': 'Task for an officer',
  'officer-reminder': 'Reminder to an officer',
  'manager-escalation': 'Escalation to a manager',
  'print-and-post': 'Letter to print and post',
  'case-assigned': 'Case passed to an officer',
  'complaints-team-alert': 'Alert to the complaints team',
  'contact-recorded': 'Contact recorded',
};

/** The letter a workflow template name stands for at a stage (as `correspondence.ts` chooses it). */
export function templateAtStage(template: string, stage: 1 | 2): string {
  if (stage === 2 && template === 'acknowledgement') return 'stage-2-acknowledgement';
  if (stage === 2 && template === 'response') return 'final-response';
  return template;
}

/** `not-upheld` → `Not upheld`. */
export function plainWords(key: string): string {
  const words = key
    .replace(/[-_]+/g, ' ')
    .replace(/([a-z])([A-Z0-9])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Who did something, as the file names them. */
export function actorName(actor: string): string {
  if (actor === 'resident') return 'The resident';
  if (actor === 'workflow' || actor === 'system') return 'Redress (automatically)';
  return actor;
}

const TASK_TEXT: Record<string, string> = {
  acknowledge: 'acknowledge the complaint',
  respond: 'send the response',
  'stage-2-request': 'ask for a review',
  'stage-2-decision': 'decide on the request for a review',
  'late-stage-2-request': 'decide on a late request for a review',
  'referral-check': 'check that the referral was picked up',
  'manager-decision': 'decide on an anonymous complaint',
  'nominated-officer': 'deal with contact from a designated complainant',
};

const REJECTION_TEXT: Record<string, string> = {
  type: 'it is not a kind of file we accept',
  size: 'it is larger than 10 MB',
  empty: 'it is empty',
  limit: 'the case already had the most files allowed',
  virus: 'the virus check found a threat in it',
  'scan-failed': 'the virus check could not read it',
  replaced: 'it was uploaded again after it had been checked',
};

/** Per stage, the position of each extension among that stage's extensions (decisions in order). */
function extensionCursor(record: CaseRecord) {
  const used = { 1: 0, 2: 0 } as Record<1 | 2, number>;
  return (stage: 1 | 2) => {
    const progress: StageProgress | undefined = stage === 2 ? record.progress.stage2 : record.progress.stage1;
    const ext = progress?.extensions?.[used[stage]];
    used[stage]++;
    return ext;
  };
}

function responseLines(progress: StageProgress | undefined): string[] {
  const r = progress?.response;
  if (!r) return [];
  return [
    ...(r.outcome ? [`Outcome: ${OUTCOME_TEXT[r.outcome] ?? plainWords(r.outcome)}.`] : []),
    ...(r.reasons ? [`Reasons: ${r.reasons}`] : []),
    ...(r.remedy ? [`Remedy: ${r.remedy}`] : []),
    ...(r.actions ? [`Actions: ${r.actions}`] : []),
    ...(r.lessons ? [`Lessons learned: ${r.lessons}`] : []),
  ];
}

/** A file's kind as people name it ("PDF", "JPEG image"), from the type its content showed. */
function typeLabel(type: string | undefined): string | undefined {
  return type && type in ACCEPTED_TYPES
    ? ACCEPTED_TYPES[type as keyof typeof ACCEPTED_TYPES].label
    : undefined;
}

/** The evidence file an event is about, as "file 2 (PDF, 120 KB)". */
function fileText(files: EvidenceFile[], fileId: unknown): string {
  const f = files.find((x) => x.fileId === fileId);
  if (!f) return 'a file';
  const facts = [typeLabel(f.type), f.size ? formatBytes(f.size) : undefined].filter(Boolean).join(', ');
  return `file ${f.number}${facts ? ` (${facts})` : ''}`;
}

/** The simple facts of an event's detail, as "Key: value." sentences (ids and keys left out). */
function otherDetails(detail: Record<string, unknown> | undefined): string[] {
  return Object.entries(detail ?? {}).flatMap(([key, value]) => {
    if (/id$|Id$|^key$|token/i.test(key)) return [];
    if (typeof value === 'string' && value) return [`${plainWords(key)}: ${value}.`];
    if (typeof value === 'number') return [`${plainWords(key)}: ${value}.`];
    return [];
  });
}

/**
 * Every event of the case in time order, in plain English, with the reasons officers gave and
 * who took each decision. Bookkeeping of the service itself (`BOOKKEEPING_EVENTS`) is left out.
 */
export function chronology(
  record: CaseRecord,
  events: readonly CaseEvent[],
  names: ChronologyNames,
): ChronologyEntry[] {
  const nextExtension = extensionCursor(record);
  const files = evidenceFiles(events);
  const notes = [...(record.notes ?? [])];
  let stage: 1 | 2 = 1;
  const out: ChronologyEntry[] = [];
  const sorted = [...events].sort((a, b) => a.at.localeCompare(b.at) || a.seq - b.seq);
  for (const e of sorted) {
    if (BOOKKEEPING_EVENTS.has(e.type)) continue;
    const d = e.detail ?? {};
    const by = actorName(e.actor);
    const entry = (what: string, details: string[] = []) =>
      out.push({ at: e.at, seq: e.seq, what, by, details });
    const progress = stage === 2 ? record.progress.stage2 : record.progress.stage1;
    switch (e.type) {
      case 'received':
      case 'case-received': {
        const kind = plainWords(String(d.kind ?? record.kind));
        entry(`${kind} received ${CHANNEL_TEXT[record.channel] ?? record.channel}`, [
          ...(record.receivedAt !== e.at ? [`Date received: ${londonDate(record.receivedAt)}.`] : []),
        ]);
        break;
      }
      case 'routed': {
        const service = names.service(record.service);
        entry(`Sent to ${service ? `the ${service} service` : 'the service'}`, [
          ...(typeof d.directorate === 'string' ? [`Directorate: ${d.directorate}.`] : []),
        ]);
        break;
      }
      case 'email-sent': {
        const template = templateAtStage(String(d.template ?? ''), stage);
        if (d.audience === 'resident') {
          entry(`Email sent to the resident: ${TEMPLATE_TITLES[template] ?? plainWords(template)}`);
        } else if (typeof d.task === 'string') {
          entry(`Task emailed to the officer: ${TASK_TEXT[d.task] ?? plainWords(d.task)}`);
        } else {
          entry(`Email sent: ${TEMPLATE_TITLES[template] ?? plainWords(template)}`);
        }
        break;
      }
      case 'officer-reminded':
        entry('Reminder emailed to the officer');
        break;
      case 'task-done': {
        const task = String(d.task ?? '');
        const decision = String(d.decision ?? '');
        if (decision === 'acknowledge') entry(`Acknowledged (stage ${stage})`);
        else if (decision === 'extend') {
          const ext = nextExtension(stage);
          entry(`Response deadline extended (stage ${stage})`, [
            ...(ext ? [`By ${ext.days} working days.`, `Reason: ${ext.reason}`] : []),
          ]);
        } else if (decision === 'respond')
          entry(`Response decided (stage ${stage})`, responseLines(progress));
        else if (task === 'stage-2-request' || task === 'late-stage-2-request') {
          const s2 = record.progress.stage2;
          entry(
            task === 'late-stage-2-request'
              ? 'Late request for a review (stage 2) accepted'
              : 'The resident asked for a review (stage 2)',
            [
              ...(s2?.grounds?.length ? [`Grounds: ${s2.grounds.join(', ')}.`] : []),
              ...(s2?.groundsText ? [`In their words: ${s2.groundsText}`] : []),
            ],
          );
        } else if (decision === 'reassign') entry('Sent to another team or officer');
        else entry(`Decision: ${plainWords(decision || task)}`, otherDetails({ task: TASK_TEXT[task] }));
        break;
      }
      case 'response-sent':
        stage = Number(d.stage) === 2 ? 2 : stage;
        entry(`Response sent to the resident (stage ${Number(d.stage) || stage})`, [
          ...(typeof d.outcome === 'string'
            ? [`Outcome: ${OUTCOME_TEXT[d.outcome] ?? plainWords(d.outcome)}.`]
            : []),
        ]);
        break;
      case 'stage-2-started':
        stage = 2;
        entry('Review (stage 2) started', [
          ...(d.previousOfficerDifferent === true
            ? ['Handled by an officer who did not handle stage 1.']
            : d.previousOfficerDifferent === false
              ? ['No officer independent of stage 1 was available.']
              : []),
        ]);
        break;
      case 'acknowledged-automatically':
      case 'auto-acknowledged':
        entry(`Acknowledged automatically: the deadline to acknowledge passed (stage ${stage})`);
        break;
      case 'deadline-missed':
        entry('Deadline missed', otherDetails({ clock: d.clock }));
        break;
      case 'escalated':
        entry('Escalated to a manager', otherDetails(d));
        break;
      case 'closed':
        entry('Case closed', [
          ...(typeof d.outcome === 'string'
            ? [`Outcome: ${OUTCOME_TEXT[d.outcome] ?? plainWords(d.outcome)}.`]
            : []),
        ]);
        break;
      case 'archived':
        entry('Case file archived', [
          ...(d.retention === '6y' ? ['Kept for 6 years (the Ombudsman is involved).'] : []),
          ...(d.retention === '2y' ? ['Kept for 2 years after closure.'] : []),
        ]);
        break;
      case 'reopened':
        entry('Case reopened', otherDetails(d));
        break;
      case 'letter-written':
        entry(
          `Letter written for the post: ${TEMPLATE_TITLES[String(d.template)] ?? plainWords(String(d.template ?? 'letter'))}`,
        );
        break;
      case 'letter-sent-to-print':
        entry('Letter sent to be printed and posted');
        break;
      case 'letter-posted':
        entry('Letter posted');
        break;
      case 'letter-posted-before-print':
        entry('Letter already posted by hand: not sent to be printed again');
        break;
      case 'evidence-received':
        entry(`Evidence received from the resident: ${fileText(files, d.fileId)}`);
        break;
      case 'evidence-sent-again':
        entry(`The resident sent evidence ${fileText(files, d.sameAs)} again: kept once`);
        break;
      case 'evidence-scanned':
        entry(`Evidence ${fileText(files, d.fileId)} passed the virus check`);
        break;
      case 'evidence-rejected':
        entry(`Evidence ${fileText(files, d.fileId)} not accepted`, [
          `Why: ${REJECTION_TEXT[String(d.reason)] ?? plainWords(String(d.reason ?? 'unknown'))}.`,
        ]);
        break;
      case 'note-added': {
        // Kept with its event; a note added before then is on the case.
        const i = notes.findIndex((n) => n.at === e.at && n.by === e.actor);
        const note = typeof d.text === 'string' ? d.text : i >= 0 ? notes.splice(i, 1)[0]?.text : undefined;
        entry('Note added to the case', note ? [note] : []);
        break;
      }
      case 'reassigned':
        entry('Case reassigned', typeof d.to === 'string' ? [`To: ${d.to}.`] : []);
        break;
      case 'service-changed':
        entry('Moved to another service', [
          `From: ${names.service(String(d.from ?? '')) ?? 'none'}.`,
          `To: ${names.service(String(d.to ?? '')) ?? String(d.to)}.`,
        ]);
        break;
      case 'task-link-reissued':
        entry('New link to the task emailed to the officer');
        break;
      case 'designated-vexatious':
        entry('Complainant designated unreasonably persistent', [
          ...(record.designation?.reason ? [`Reasons: ${record.designation.reason}`] : []),
        ]);
        break;
      case 'designation-kept':
      case 'designation-lifted':
        entry(
          e.type === 'designation-kept' ? 'Designation reviewed and kept' : 'Designation lifted',
          otherDetails(d),
        );
        break;
      case 'ombudsman-enquiry':
      case 'ombudsman-decision':
      case 'ombudsman-file-sent': {
        const who =
          typeof d.ombudsman === 'string' ? names.ombudsman(d.ombudsman as OmbudsmanId) : 'the Ombudsman';
        const what =
          e.type === 'ombudsman-enquiry'
            ? `Enquiry from the ${who} recorded`
            : e.type === 'ombudsman-decision'
              ? `Decision of the ${who} recorded`
              : `Case file sent to the ${who}`;
        entry(what, [
          ...(typeof d.decision === 'string' ? [`Decision: ${plainWords(d.decision)}.`] : []),
          ...(typeof d.sentOn === 'string' ? [`Sent on: ${d.sentOn}.`] : []),
          ...(typeof d.how === 'string' ? [`How: ${SENT_METHODS[d.how as SentMethod] ?? d.how}.`] : []),
          ...(typeof d.ombudsmanReference === 'string' ? [`Their reference: ${d.ombudsmanReference}.`] : []),
          ...(typeof d.note === 'string' ? [`Note: ${d.note}`] : []),
        ]);
        break;
      }
      case 'email-bounced':
        // Each address's bounce is recorded: an officer's or an advocate's is not the resident's.
        entry(
          d.residentAffected === false
            ? 'An email about the case to someone other than the resident could not be delivered (bounced)'
            : 'An email to the resident could not be delivered (bounced)',
        );
        break;
      default:
        entry(plainWords(e.type), otherDetails(d));
    }
  }
  return out;
}

/** The ombudsman a case's file goes to: the one that made the latest enquiry, else the case's own. */
export function ombudsmanOfCase(events: readonly CaseEvent[], fallback: OmbudsmanId): OmbudsmanId {
  const asked = [...events]
    .reverse()
    .find((e) => e.type.startsWith('ombudsman-') && typeof e.detail?.ombudsman === 'string');
  return (asked?.detail?.ombudsman as OmbudsmanId | undefined) ?? fallback;
}

/** The ombudsman's own reference for the case, from the latest event that recorded one. */
export function ombudsmanReferenceOf(events: readonly CaseEvent[]): string | undefined {
  const found = [...events].reverse().find((e) => typeof e.detail?.ombudsmanReference === 'string');
  return found?.detail?.ombudsmanReference as string | undefined;
}

/** A section of the PDF and the page it starts on (1 is the cover). */
export interface ContentsEntry {
  title: string;
  page: number;
  /** 1 for a section, 2 for a letter or email within one. */
  level: 1 | 2;
}

/**
 * The contents page's lines: "Title ........ 7". pdfkit has no leader tabs, so the dots are
 * counted from the widths the caller measures (`widthOf`) to fill `width` points.
 */
export function contentsLine(
  entry: ContentsEntry,
  width: number,
  widthOf: (text: string) => number,
): { text: string; dots: string; page: string } {
  const page = String(entry.page);
  const dot = Math.max(widthOf('.'), 0.1);
  const fixed = widthOf(` ${page}`) + widthOf(' ') + 3 * dot;
  // A title too long for the line is shortened with an ellipsis, so the page number stays in view.
  let text = entry.title;
  while (text.length > 1 && widthOf(text) + fixed > width) text = `${text.slice(0, -2).trimEnd()}…`;
  const count = Math.max(3, Math.floor((width - widthOf(text) - widthOf(` ${page}`) - widthOf(' ')) / dot));
  return { text, dots: ` ${'.'.repeat(count)}`, page };
}

/** The evidence of a case as the file lists it, and whether each file's original goes in the ZIP. */
export interface EvidenceListing {
  number: number;
  fileId: string;
  kind: string;
  size?: number;
  receivedAt: IsoTimestamp;
  scan: string;
  /** Only files that passed the virus check are copied into the ZIP. */
  included: boolean;
}

/** The case's evidence files, with what the virus check said about each. */
export function evidenceListing(events: readonly CaseEvent[]): EvidenceListing[] {
  return evidenceFiles(events).map((f) => ({
    number: f.number,
    fileId: f.fileId,
    kind: typeLabel(f.type) ?? 'Unknown type',
    ...(f.size ? { size: f.size } : {}),
    receivedAt: f.receivedAt,
    scan:
      f.status === 'clean'
        ? 'No threats found'
        : f.status === 'checking'
          ? 'Not checked yet: not included'
          : `Not accepted: ${REJECTION_TEXT[f.reason ?? ''] ?? 'rejected'}`,
    included: f.status === 'clean',
  }));
}
