import { strToU8, type Zippable, zipSync } from 'fflate';
import { type CaseEvent, type CaseRecord, caseNotes, letterNames } from '../domain/case.js';
import { ACCEPTED_TYPES, evidenceFiles } from '../domain/evidence.js';
import { reassignTargets } from '../domain/staff.js';
import {
  markThirdPartyData,
  type RedactionMark,
  type SubjectAccessRequest,
} from '../domain/subject-access.js';
import { formatDateTime, formatReceived } from '../web/format.js';
import { EVENT_TITLES, renderPage } from '../web/render.js';
import type { DataProtectionDeps } from './data-protection.js';
import { checkedEvidenceBytes } from './evidence.js';

/**
 * The export of a subject access request: one ZIP holding
 * - `index.html`, a self-contained page (its styles inline, no script) listing every case, event,
 *   letter, evidence file and archived case file, with third-party personal data highlighted;
 * - `redactions.json`, every highlighted item with the case and the field it is in (`case.…` in
 *   `case.json`, `events[…]` in `events.json`, `archived-case-file.…` in the archived file), for
 *   the reviewer to decide on before release (nothing is removed here);
 * - per case `cases/<reference>/case.json` and `events.json` (the table's record and history,
 *   raw), `archived-case-file.json` when the case is archived, `letters/*.pdf`, `evidence/*`.
 *
 * The raw JSON leaves out only the workflow's task tokens, credentials of the council's own
 * systems that are nobody's personal data. Written with fflate (`zipSync`): a council's export is
 * a few megabytes, within one Lambda's memory.
 */

interface CaseExport {
  reference: string;
  caseId: string;
  record?: CaseRecord;
  events: CaseEvent[];
  archived?: { case?: CaseRecord; events?: CaseEvent[]; archivedAt?: string };
  letters: string[];
  evidence: { name: string; bytes: Uint8Array }[];
}

/** Where a mark in a case's archived file is (`archived-case-file.json`): `archived-case-file.events[3]…`. */
const ARCHIVED_FILE_MARKS = 'archived-case-file';

export interface BuiltExport {
  zip: Uint8Array;
  counts: { cases: number; events: number; letters: number; evidence: number; archived: number };
  /** How many items are marked for redaction. */
  marks: number;
  /**
   * The cases whose data it holds: those read before any erasure of theirs finished. An erased
   * case's tombstone holds none, so one erased before leaves it out (and never stops its hand-over).
   */
  caseIds: string[];
}

export async function buildSubjectAccessExport(
  deps: DataProtectionDeps,
  request: SubjectAccessRequest,
  at: Date,
): Promise<BuiltExport> {
  const files: Zippable = {};
  const cases: CaseExport[] = [];
  const caseIds: string[] = [];
  for (const confirmed of request.confirmedCases) {
    const record = await deps.store.get(confirmed.caseId);
    const archived = (await deps.archive.getCaseFile(confirmed.caseId)) as CaseExport['archived'] | undefined;
    const events = record ? await deps.store.events(confirmed.caseId) : (archived?.events ?? []);
    const letters: string[] = [];
    const letterFiles: Zippable = {};
    for (const name of letterNames(events)) {
      const pdf = await deps.archive.getLetter(confirmed.caseId, name);
      if (pdf) {
        letters.push(name);
        letterFiles[`${name}.pdf`] = [pdf, { level: 0 }];
      }
    }
    const evidence: CaseExport['evidence'] = [];
    for (const file of evidenceFiles(events).filter((f) => f.status === 'clean')) {
      // Only the content that was checked: a file written again through its upload form is left out.
      const bytes = await checkedEvidenceBytes(deps, confirmed.caseId, file);
      if (!bytes) continue;
      const ext = file.type ? ACCEPTED_TYPES[file.type].ext : 'bin';
      evidence.push({ name: `${file.number}-${file.fileId}.${ext}`, bytes });
    }
    const entry: CaseExport = {
      reference: confirmed.reference,
      caseId: confirmed.caseId,
      ...(record ? { record: withoutTokens(record) } : {}),
      events,
      ...(archived
        ? { archived: { ...archived, ...(archived.case ? { case: withoutTokens(archived.case) } : {}) } }
        : {}),
      letters,
      evidence,
    };
    cases.push(entry);
    if (record ? record.erasure === undefined : archived !== undefined) caseIds.push(confirmed.caseId);
    const folder: Zippable = {};
    if (entry.record) folder['case.json'] = strToU8(json(entry.record));
    folder['events.json'] = strToU8(json(events));
    if (entry.archived) folder['archived-case-file.json'] = strToU8(json(entry.archived));
    if (letters.length) folder.letters = letterFiles;
    if (evidence.length)
      folder.evidence = Object.fromEntries(evidence.map((e) => [e.name, [e.bytes, { level: 0 }]]));
    files[`cases/${safeName(confirmed.reference)}`] = folder;
  }

  const context = {
    subject: request.subject,
    councilMailboxes: reassignTargets(deps.policy, []),
    staff: (await deps.staffStore.directory()).map((s) => ({ name: s.name, email: s.email })),
  };
  // The archived case file is a second copy of the case in the ZIP, with the same other people's
  // data: each piece is listed where it is in that file too, or redacting the table's copy alone
  // would release it from the archived one.
  const marks: RedactionMark[] = cases.flatMap((c) => [
    ...markThirdPartyData(c.reference, { case: c.record ?? c.archived?.case, events: c.events }, context),
    ...(c.archived ? markThirdPartyData(c.reference, c.archived, context, ARCHIVED_FILE_MARKS) : []),
  ]);
  files['redactions.json'] = strToU8(
    json({
      about:
        'Third-party personal data in this export, to be reviewed (and redacted where needed) before release. Nothing has been removed.',
      marks,
    }),
  );
  files['index.html'] = strToU8(indexPage(deps, request, cases, marks, at));
  const counts = {
    cases: cases.length,
    events: cases.reduce((n, c) => n + c.events.length, 0),
    letters: cases.reduce((n, c) => n + c.letters.length, 0),
    evidence: cases.reduce((n, c) => n + c.evidence.length, 0),
    archived: cases.filter((c) => c.archived).length,
  };
  return { zip: zipSync(files, { level: 6, mtime: at }), counts, marks: marks.length, caseIds };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function safeName(reference: string): string {
  return reference.replace(/[^\w-]/g, '_');
}

/** The record without the workflow's task tokens (credentials, not personal data). */
function withoutTokens(record: CaseRecord): CaseRecord {
  const copy = structuredClone(record) as CaseRecord & Record<string, unknown>;
  if (copy.openTask) copy.openTask = { ...copy.openTask, taskToken: '(withheld: a system credential)' };
  if (copy.pendingDecision) {
    copy.pendingDecision = { ...copy.pendingDecision, taskToken: '(withheld: a system credential)' };
  }
  return copy;
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

/** `text` as HTML with every marked piece of it highlighted. */
function highlight(text: string, marked: readonly string[]): string {
  const pieces = [...new Set(marked)].filter((m) => m.length > 0).sort((a, b) => b.length - a.length);
  if (pieces.length === 0) return escapeHtml(text);
  const pattern = new RegExp(
    `(${pieces.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`,
    'gi',
  );
  return text
    .split(pattern)
    .map((part, i) =>
      i % 2 === 1
        ? `<mark class="redact" title="Marked for redaction review">${escapeHtml(part)}</mark>`
        : escapeHtml(part),
    )
    .join('');
}

function detailString(detail: Record<string, unknown> | undefined): string {
  if (!detail) return '';
  return (
    Object.entries(detail)
      // What a printed letter was rendered from: the export has the letter itself.
      .filter(([k]) => k !== 'source')
      .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join('; ')
  );
}

function indexPage(
  deps: DataProtectionDeps,
  request: SubjectAccessRequest,
  cases: CaseExport[],
  marks: RedactionMark[],
  at: Date,
): string {
  const texts = marks.map((m) => m.text);
  const folder = (c: CaseExport) => `cases/${safeName(c.reference)}`;
  return renderPage('subject-access-export', {
    councilName: deps.policy.council,
    request,
    generatedAt: formatDateTime(at.toISOString()),
    marks: marks.map((m) => ({ ...m, textHtml: escapeHtml(m.text) })),
    cases: cases.map((c) => {
      const record = c.record ?? c.archived?.case;
      const person = record?.complainant ?? {};
      const rows: [string, string | undefined][] = [
        ['Reference', c.reference],
        ['Kind', record?.kind],
        ['Status', record?.status],
        ['Received', record?.receivedAt ? formatReceived(record) : undefined],
        ['Closed', record?.closedAt ? formatDateTime(record.closedAt) : undefined],
        ['Name', person.name],
        ['Email', person.email],
        ['Phone', person.phone],
        ['Address', person.address],
        ['Complained for', record?.onBehalfOf?.name],
        ['What the feedback said', record?.summary],
        ['What they wanted', record?.desiredOutcome],
        ['Accessibility needs', record?.accessibilityNeeds],
      ];
      return {
        reference: c.reference,
        held: Boolean(record),
        inTable: Boolean(c.record),
        rows: rows.filter(([, v]) => v).map(([k, v]) => ({ key: k, html: highlight(String(v), texts) })),
        notes: (record ? caseNotes(record, c.events) : []).map((n) => ({
          at: formatDateTime(n.at),
          byHtml: highlight(n.by, texts),
          textHtml: highlight(n.text, texts),
        })),
        events: c.events.map((e) => ({
          seq: e.seq,
          at: formatDateTime(e.at),
          title: EVENT_TITLES[e.type] ?? e.type,
          actorHtml: highlight(e.actor, texts),
          detailHtml: highlight(detailString(e.detail), texts),
        })),
        caseJson: c.record ? `${folder(c)}/case.json` : undefined,
        eventsJson: `${folder(c)}/events.json`,
        archivedJson: c.archived ? `${folder(c)}/archived-case-file.json` : undefined,
        archivedAt: c.archived?.archivedAt ? formatDateTime(c.archived.archivedAt) : undefined,
        letters: c.letters.map((name) => ({ name, href: `${folder(c)}/letters/${name}.pdf` })),
        evidence: c.evidence.map((e) => ({ name: e.name, href: `${folder(c)}/evidence/${e.name}` })),
      };
    }),
  });
}
