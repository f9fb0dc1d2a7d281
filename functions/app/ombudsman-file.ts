import { createHash } from 'node:crypto';
import { strToU8, type Zippable, zipSync } from 'fflate';
import { auditEntry } from '../domain/audit.js';
import { londonDate } from '../domain/calendar.js';
import { type CaseEvent, type CaseRecord, caseNotes } from '../domain/case.js';
import {
  ACCEPTED_TYPES,
  CLEAN_SCAN_STATUS,
  evidenceFiles,
  evidenceKey,
  formatBytes,
} from '../domain/evidence.js';
import {
  chronology,
  type EvidenceListing,
  evidenceListing,
  OMBUDSMAN_REFERENCE,
  ombudsmanOfCase,
  ombudsmanReferenceOf,
  plainWords,
  SENT_METHODS,
  type SentMethod,
  TEMPLATE_TITLES,
  templateAtStage,
} from '../domain/ombudsman-file.js';
import { type OmbudsmanId, ombudsmanDetails } from '../domain/ombudsmen.js';
import type { AuditLog, EvidenceStore } from '../domain/ports.js';
import { canPrepareOmbudsmanFile, type StaffMember } from '../domain/staff.js';
import { ValidationError } from '../http/errors.js';
import { letterBlocks } from '../templates/letter-blocks.js';
import { ombudsmanFor } from '../templates/render-email.js';
import type {
  FileBlock,
  FileEntry,
  FileSection,
  OmbudsmanFileDocument,
  RenderedFile,
} from '../templates/render-ombudsman-file.js';
import { readDateFields } from '../web/date-input.js';
import { formatDate, formatDateTime, formatReceived } from '../web/format.js';
import { requireRole } from './audit.js';
import { recreateResidentEmail } from './correspondence.js';
import { checkedEvidenceBytes } from './evidence.js';
import { recordOmbudsmanEnquiry } from './ombudsman.js';
import { ActionForbiddenError, caseFor, onceFor, type StaffActionDeps } from './staff-actions.js';

/**
 * The Ombudsman's case file (issue 16, item 4): one click on the staff case page, or one GET of
 * the same address with a staff session, gives a ZIP holding the case file as a single
 * paginated PDF, the original letter PDFs, the evidence files that passed the virus check, the
 * case's history as JSON and a manifest; `Accept: application/pdf` gives the PDF alone. Staff
 * then mark it sent (date, the ombudsman's reference, how), which records an ombudsman event on
 * the case through the same use case as "record an Ombudsman enquiry", so the case file moves to
 * the 6-year retention class. Restricted to `canPrepareOmbudsmanFile`; every preparation,
 * download, sending and refusal is written to the audit log (ids, counts and reasons only).
 */

export type OmbudsmanFileDeps = StaffActionDeps & { evidence: EvidenceStore; audit: AuditLog };

/** What the request asked for: the whole file as a ZIP, or the PDF alone. */
export type OmbudsmanFileFormat = 'zip' | 'pdf';

/** A file to hand to the browser. */
export interface Download {
  filename: string;
  contentType: string;
  body: Uint8Array;
  /** The cases whose data the file holds: erasing one deletes the file if it was handed out by link. */
  caseIds: readonly string[];
}

/** Refuses (403) someone whose role may not prepare or send the file, writing the refusal to the audit log. */
export function requireOmbudsmanFileRole(
  deps: OmbudsmanFileDeps,
  staff: StaffMember,
  reference: string,
  attempted: string,
): Promise<void> {
  return requireRole(
    deps,
    staff,
    canPrepareOmbudsmanFile,
    attempted,
    { reference: reference.toUpperCase() },
    new ActionForbiddenError('prepare or send the Ombudsman’s case file'),
  );
}

/** The stage each event happened at (stage 2 from its start), in the order of the history. */
function stagesOf(events: readonly CaseEvent[]): Map<number, 1 | 2> {
  const stages = new Map<number, 1 | 2>();
  let stage: 1 | 2 = 1;
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    if (e.type === 'stage-2-started') stage = 2;
    stages.set(e.seq, stage);
  }
  return stages;
}

/** A letter's or email's text, re-created from its template; a note instead if it cannot be. */
/**
 * What an email or letter was sent with that the case may no longer say: a holding letter's
 * dates as it gave them (the date it said was passing, the new one, the deadline it was about),
 * a late restart's new date, and that a designation letter closed the complaint, as their
 * `email-sent` (or a posted letter's `letter-written`) events keep them; the case's deadline may
 * have moved.
 */
export function sentWithOf(sent: CaseEvent | undefined): Record<string, string | boolean> | undefined {
  const { quoted, promised, deadline, closes } = sent?.detail ?? {};
  const given = {
    ...(typeof quoted === 'string' ? { promisedDate: quoted } : {}),
    ...(typeof promised === 'string' ? { newDate: promised } : {}),
    ...(typeof deadline === 'string' ? { deadline } : {}),
    // A designation letter that closed the complaint (the workflow's, not the workspace's).
    ...(closes === true || closes === 'true' ? { closes: true } : {}),
  };
  return Object.keys(given).length > 0 ? given : undefined;
}

function recreated(
  deps: OmbudsmanFileDeps,
  c: CaseRecord,
  template: string,
  stage: 1 | 2,
  at: string,
  medium: 'email' | 'letter',
  sent?: CaseEvent,
) {
  const sentWith = sentWithOf(sent);
  try {
    return recreateResidentEmail(deps.policy, c, template, stage, at, {
      baseUrl: deps.baseUrl,
      medium,
      ...(sentWith ? { sentWith } : {}),
    }).text;
  } catch (error: unknown) {
    if (!(error instanceof Error)) throw error;
    return undefined;
  }
}

/** A letter's plain text as the PDF's blocks: its capital-letter headings in bold, its lists as lists. */
function textBlocks(text: string): FileBlock[] {
  return letterBlocks(text).map((b) =>
    b.kind === 'heading'
      ? { kind: 'para', text: b.text, bold: true }
      : b.kind === 'list'
        ? b
        : { kind: 'para', text: b.text },
  );
}

/** The parts of the file before rendering: the PDF's sections and the originals for the ZIP. */
interface Assembled {
  document: OmbudsmanFileDocument;
  letters: { path: string; title: string; bytes: Uint8Array }[];
  evidence: { path: string; listing: EvidenceListing; bytes: Uint8Array }[];
  evidenceListed: EvidenceListing[];
  ombudsman: OmbudsmanId;
}

async function assemble(
  deps: OmbudsmanFileDeps,
  staff: StaffMember,
  c: CaseRecord,
  events: CaseEvent[],
): Promise<Assembled> {
  const { policy } = deps;
  const serviceName = (id: string | undefined) => policy.routing.services.find((s) => s.id === id)?.name;
  const ombudsman = ombudsmanOfCase(events, ombudsmanFor(policy, c.service).kind);
  const ombudsmanName = ombudsmanDetails(ombudsman, policy.ombudsman).name;
  const stages = stagesOf(events);
  const when = (at: string) => formatDateTime(at);

  // 1. Chronology.
  const entries = chronology(c, events, {
    service: serviceName,
    ombudsman: (id) => ombudsmanDetails(id, policy.ombudsman).name,
  });

  // 2. What the resident told us.
  const s1 = c.progress.stage1;
  const s2 = c.progress.stage2;
  const residentEntries: FileEntry[] = [
    {
      title: `The complaint (received ${formatDate(c.receivedAt, { weekday: false })})`,
      blocks: [
        { kind: 'para', text: 'What the resident told us:', bold: true },
        { kind: 'para', text: c.summary },
        ...(c.desiredOutcome
          ? [
              { kind: 'para' as const, text: 'What they would like us to do:', bold: true },
              { kind: 'para' as const, text: c.desiredOutcome },
            ]
          : []),
        ...(c.accessibilityNeeds
          ? [{ kind: 'para' as const, text: `Accessibility needs: ${c.accessibilityNeeds}` }]
          : []),
      ],
    },
    ...(s2
      ? [
          {
            title: `The request for a review, stage 2 (${formatDate(s2.startedAt, { weekday: false })})`,
            blocks: [
              ...(s2.grounds?.length ? [{ kind: 'list' as const, items: s2.grounds }] : []),
              {
                kind: 'para' as const,
                text: s2.groundsText?.trim()
                  ? s2.groundsText
                  : 'The resident gave no reasons (none are needed).',
              },
            ],
          },
        ]
      : []),
  ];

  // 3. The officers' decisions and reasons.
  const decisionEntries: FileEntry[] = [];
  for (const [stage, p] of [
    [1, s1],
    [2, s2],
  ] as const) {
    if (!p) continue;
    const handlers = events.filter(
      (e) => e.type === 'task-done' && stages.get(e.seq) === stage && e.actor !== 'resident',
    );
    const decidedBy = [...new Set(handlers.map((e) => e.actor))].join(', ') || 'Not recorded';
    const rows = [
      { label: 'Handled by', value: decidedBy },
      ...(p.acknowledgedAt ? [{ label: 'Acknowledged', value: when(p.acknowledgedAt) }] : []),
      ...(p.extensions ?? []).map((x, i) => ({
        label: `Extension ${i + 1}`,
        value: `${x.days} working days, decided ${when(x.at)}. Reason: ${x.reason}`,
      })),
      ...(p.pausedWorkingDays
        ? [{ label: 'Paused', value: `${p.pausedWorkingDays} working days (${p.pauseKind ?? 'mediation'})` }]
        : []),
      ...(p.respondedAt ? [{ label: 'Responded', value: when(p.respondedAt) }] : []),
      ...(p.response?.outcome ? [{ label: 'Outcome', value: plainWords(p.response.outcome) }] : []),
      ...(p.response?.reasons ? [{ label: 'Reasons', value: p.response.reasons }] : []),
      ...(p.response?.remedy ? [{ label: 'Remedy', value: p.response.remedy }] : []),
      ...(p.response?.actions ? [{ label: 'Actions', value: p.response.actions }] : []),
      ...(p.response?.lessons ? [{ label: 'Lessons learned', value: p.response.lessons }] : []),
      ...(stage === 2 && p.independentOfStage1 !== undefined
        ? [{ label: 'Independent of stage 1', value: p.independentOfStage1 ? 'Yes' : 'No' }]
        : []),
    ];
    decisionEntries.push({
      title: stage === 1 ? 'Stage 1: investigation and response' : 'Stage 2: review and final response',
      blocks: [{ kind: 'facts', rows }],
    });
  }
  if (c.designation) {
    decisionEntries.push({
      title: 'Designation of the complainant as unreasonably persistent',
      blocks: [
        {
          kind: 'facts',
          rows: [
            { label: 'Decided', value: `${when(c.designation.at)} by ${c.designation.by}` },
            { label: 'Reasons', value: c.designation.reason || 'None recorded' },
            { label: 'Restrictions', value: c.designation.restrictions.join(' ') || 'None' },
            ...(c.designation.reviews ?? []).map((r, i) => ({
              label: `Review ${i + 1}`,
              value: `${when(r.at)} by ${r.by}: ${r.outcome}. ${r.reason}`,
            })),
          ],
        },
      ],
    });
  }
  for (const r of c.reopenings ?? []) {
    decisionEntries.push({
      title: `Case reopened (${formatDate(r.at, { weekday: false })})`,
      blocks: [
        {
          kind: 'facts',
          rows: [
            { label: 'By', value: r.by },
            { label: 'Reason', value: r.reason },
          ],
        },
      ],
    });
  }

  // 4. Letters and emails sent to the resident, in order; originals of printed letters in the ZIP.
  const letters: Assembled['letters'] = [];
  const correspondence: FileEntry[] = [];
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    const stage = stages.get(e.seq) ?? 1;
    if (e.type === 'email-sent' && e.detail?.audience === 'resident') {
      const template = templateAtStage(String(e.detail.template ?? ''), stage);
      const text = recreated(deps, c, template, stage, e.at, 'email', e);
      correspondence.push({
        title: `Email, ${formatDate(e.at, { weekday: false })}: ${TEMPLATE_TITLES[template] ?? plainWords(template)}`,
        blocks: [
          {
            kind: 'facts',
            rows: [
              { label: 'Sent', value: when(e.at) },
              { label: 'How', value: 'Email' },
            ],
          },
          ...(text
            ? textBlocks(text)
            : [
                {
                  kind: 'para' as const,
                  text: 'The text of this email could not be re-created from its template.',
                },
              ]),
        ],
      });
    }
    if (e.type === 'letter-written' && typeof e.detail?.letter === 'string') {
      const name = e.detail.letter;
      const template = String(e.detail.template ?? '');
      const title = TEMPLATE_TITLES[template] ?? plainWords(template);
      const bytes = await deps.archive.getLetter(c.caseId, name);
      const path = `letters/${name}.pdf`;
      if (bytes) letters.push({ path, title, bytes });
      const posted = events.find((p) => p.type === 'letter-posted' && p.detail?.letter === name);
      // A holding letter's dates as it gave them are kept with it, as with an email.
      const text = recreated(deps, c, template, stage, e.at, 'letter', e);
      correspondence.push({
        title: `Letter, ${formatDate(e.at, { weekday: false })}: ${title}`,
        blocks: [
          {
            kind: 'facts',
            rows: [
              { label: 'Written', value: when(e.at) },
              {
                label: 'Posted',
                value: posted ? `${when(posted.at)} by ${posted.actor}` : 'Not marked as posted',
              },
              {
                label: 'Original',
                value: bytes ? `${path} in this file’s ZIP` : 'Not found in the archive',
              },
            ],
          },
          ...(text ? textBlocks(text) : []),
        ],
      });
    }
  }

  // 5. Evidence: listed in full; only files the virus check passed (checked again now) go in the ZIP.
  const evidenceListed = evidenceListing(events);
  const checked = new Map(evidenceFiles(events).map((f) => [f.fileId, f]));
  const evidence: Assembled['evidence'] = [];
  for (const listing of evidenceListed.filter((l) => l.included)) {
    const key = evidenceKey(c.caseId, listing.fileId);
    const status = await deps.evidence.scanStatus(key);
    const file = checked.get(listing.fileId) ?? { fileId: listing.fileId };
    // Only the content that was checked: a file written again through its upload form is left out.
    const bytes = status === CLEAN_SCAN_STATUS ? await checkedEvidenceBytes(deps, c.caseId, file) : undefined;
    if (!bytes) {
      listing.included = false;
      listing.scan =
        status === CLEAN_SCAN_STATUS
          ? 'No longer in the archive, or changed since it was checked'
          : 'Virus check result missing';
      continue;
    }
    const type = Object.entries(ACCEPTED_TYPES).find(([, t]) => t.label === listing.kind)?.[1];
    evidence.push({ path: `evidence/file-${listing.number}.${type?.ext ?? 'bin'}`, listing, bytes });
  }
  const evidenceRows = evidenceListed.map((l) => ({
    label: `File ${l.number}`,
    value: [
      l.kind,
      l.size ? formatBytes(l.size) : undefined,
      `received ${when(l.receivedAt)}`,
      `virus check: ${l.scan}`,
      l.included ? `copy: ${evidence.find((x) => x.listing === l)?.path} in this file’s ZIP` : undefined,
    ]
      .filter(Boolean)
      .join('; '),
  }));

  const notes = caseNotes(c, events);
  const ombudsmanReference = ombudsmanReferenceOf(events);
  const service = serviceName(c.service);
  const complainant = c.anonymous ? 'Anonymous' : (c.complainant.name ?? 'No name given');
  const sections: FileSection[] = [
    {
      title: 'Chronology',
      blocks: [
        {
          kind: 'para',
          text: 'Everything that happened on the case, oldest first, with who did it and the reasons they gave. Times are UK time.',
        },
        ...entries.map((x) => ({
          kind: 'dated' as const,
          when: when(x.at),
          title: x.what,
          lines: [`By: ${x.by}`, ...x.details],
        })),
      ],
    },
    { title: 'What the resident told us', blocks: [], entries: residentEntries },
    {
      title: 'Decisions and reasons',
      blocks: decisionEntries.length ? [] : [{ kind: 'para', text: 'No decision has been recorded yet.' }],
      entries: decisionEntries,
    },
    {
      title: 'Letters and emails sent to the resident',
      blocks: [
        {
          kind: 'para',
          text: correspondence.length
            ? 'Redress records when each letter and email was sent and which template it used, not each email’s words: the text below is re-created from the same template and the case record, and the resident’s personal link to ask for a review is not reproduced. The original of every printed letter is in this file’s ZIP.'
            : 'Nothing has been sent to the resident.',
        },
      ],
      entries: correspondence,
    },
    {
      title: 'Evidence',
      blocks: evidenceRows.length
        ? [
            {
              kind: 'para',
              text: 'Files the resident sent. File names are not kept. Only files that passed the virus check are copied into this file’s ZIP.',
            },
            { kind: 'facts', rows: evidenceRows },
          ]
        : [{ kind: 'para', text: 'The resident sent no files.' }],
    },
    {
      title: 'Case notes',
      blocks: notes.length
        ? notes.map((n) => ({
            kind: 'dated' as const,
            when: when(n.at),
            title: `Note by ${n.by}`,
            lines: [n.text],
          }))
        : [{ kind: 'para', text: 'There are no notes on the case.' }],
    },
  ];
  const document: OmbudsmanFileDocument = {
    council: policy.council,
    ombudsmanName,
    reference: c.reference,
    lang: 'en-GB',
    prepared: `Prepared by ${staff.name} (${staff.email}) on ${when(deps.now().toISOString())}, from the council’s complaints case record.`,
    cover: [
      { label: 'Council', value: policy.council },
      { label: 'Ombudsman', value: ombudsmanName },
      { label: 'Our reference', value: c.reference },
      { label: 'Ombudsman’s reference', value: ombudsmanReference ?? 'Not recorded yet' },
      { label: 'Complainant', value: complainant },
      ...(c.onBehalfOf ? [{ label: 'On behalf of', value: c.onBehalfOf.name }] : []),
      { label: 'Service', value: service ?? 'Not given' },
      { label: 'Kind', value: `${plainWords(c.kind)}, stage ${c.stage}` },
      { label: 'Received', value: formatReceived(c) },
      ...(s1.respondedAt ? [{ label: 'Stage 1 response', value: when(s1.respondedAt) }] : []),
      ...(s2 ? [{ label: 'Stage 2 requested', value: when(s2.startedAt) }] : []),
      ...(s2?.respondedAt ? [{ label: 'Final response', value: when(s2.respondedAt) }] : []),
      ...(c.outcome ? [{ label: 'Outcome', value: plainWords(c.outcome) }] : []),
      { label: 'Status', value: c.closedAt ? `Closed ${when(c.closedAt)}` : plainWords(c.status) },
    ],
    sections,
  };
  return { document, letters, evidence, evidenceListed, ombudsman };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The ZIP: the PDF, the original letters, the clean evidence, the history and a manifest of it all. */
function zipFile(
  c: CaseRecord,
  events: CaseEvent[],
  a: Assembled,
  rendered: RenderedFile,
  preparedAt: string,
) {
  const pdfPath = `${c.reference}-case-file.pdf`;
  const history = strToU8(
    JSON.stringify(
      events.filter((e) => e.type !== 'viewed'),
      null,
      2,
    ),
  );
  const parts: { path: string; what: string; bytes: Uint8Array }[] = [
    { path: pdfPath, what: `The case file (${rendered.pages} pages, with contents)`, bytes: rendered.pdf },
    ...a.letters.map((l) => ({ path: l.path, what: `Original letter: ${l.title}`, bytes: l.bytes })),
    ...a.evidence.map((x) => ({
      path: x.path,
      what: `Evidence file ${x.listing.number} (${x.listing.kind})`,
      bytes: x.bytes,
    })),
    { path: 'case-history.json', what: 'The case’s history, every event as recorded', bytes: history },
  ];
  const manifest = {
    reference: c.reference,
    ombudsman: a.ombudsman,
    preparedAt,
    files: parts.map((p) => ({ path: p.path, what: p.what, bytes: p.bytes.length, sha256: sha256(p.bytes) })),
    evidenceNotIncluded: a.evidenceListed
      .filter((l) => !l.included)
      .map((l) => ({ file: l.number, reason: l.scan })),
  };
  const zippable: Zippable = {};
  // PDFs and images are compressed already: stored as they are, which is faster and no larger.
  for (const p of parts) zippable[p.path] = [p.bytes, { level: p.path.endsWith('.json') ? 6 : 0 }];
  zippable['manifest.json'] = [strToU8(JSON.stringify(manifest, null, 2)), { level: 6 }];
  return { zip: zipSync(zippable), manifest };
}

/**
 * Prepares the Ombudsman's case file for `reference` and hands it over: the ZIP, or the PDF alone.
 * Audited twice (what went into it, and who was given which bytes); the case records the view.
 */
export async function ombudsmanFile(
  deps: OmbudsmanFileDeps,
  staff: StaffMember,
  reference: string,
  format: OmbudsmanFileFormat,
): Promise<Download> {
  await requireOmbudsmanFileRole(deps, staff, reference, `download the Ombudsman’s case file (${format})`);
  const c = await caseFor(deps, staff, reference);
  const events = await deps.store.events(c.caseId);
  const assembled = await assemble(deps, staff, c, events);
  // pdfkit and its fonts load when a file is asked for, not at every cold start of the API.
  const { renderOmbudsmanFilePdf } = await import('../templates/render-ombudsman-file.js');
  const rendered = await renderOmbudsmanFilePdf(assembled.document);
  const preparedAt = deps.now().toISOString();
  const subject = { caseId: c.caseId, reference: c.reference };
  await deps.audit.record(
    auditEntry(staff, 'ombudsman-file.prepare', preparedAt, deps.newId(), {
      subject,
      detail: `${rendered.pages} pages; ${assembled.letters.length} letters; ${assembled.evidence.length} of ${assembled.evidenceListed.length} evidence files included; for ${assembled.ombudsman}`,
    }),
  );
  const download: Download =
    format === 'pdf'
      ? {
          filename: `${c.reference}-case-file.pdf`,
          contentType: 'application/pdf',
          body: rendered.pdf,
          caseIds: [c.caseId],
        }
      : {
          filename: `${c.reference}-ombudsman-file.zip`,
          contentType: 'application/zip',
          body: zipFile(c, events, assembled, rendered, preparedAt).zip,
          caseIds: [c.caseId],
        };
  await deps.store.appendEvent(c.caseId, {
    at: preparedAt,
    type: 'viewed',
    actor: staff.email,
    detail: { what: 'the Ombudsman’s case file' },
  });
  await deps.audit.record(
    auditEntry(staff, 'ombudsman-file.download', deps.now().toISOString(), deps.newId(), {
      subject,
      detail: `${format}, ${download.body.length} bytes, sha256 ${sha256(download.body)}`,
    }),
  );
  return download;
}

/** The "mark as sent" form's fields, checked. */
export interface SentForm {
  sentOn: string;
  ombudsmanReference: string;
  how: SentMethod;
}

/** Checks the form: a real date not in the future nor before the case, a reference, a way it went. */
export function validateSentForm(body: Record<string, unknown>, c: CaseRecord, now: Date): SentForm {
  const errors: Record<string, string> = {};
  const read = readDateFields(
    body,
    { day: 'sentDay', month: 'sentMonth', year: 'sentYear' },
    'date the file was sent',
  );
  const date = read.ok === true ? read.date : '';
  if (read.ok === 'absent') errors.sentDate = 'Enter the date the file was sent, for example 27 3 2026';
  else if (read.ok === false) errors.sentDate = read.error;
  else if (date > londonDate(now.toISOString()))
    errors.sentDate = 'The date the file was sent must be today or in the past';
  else if (date < londonDate(c.receivedAt))
    errors.sentDate = 'The date the file was sent must be after the case was received';
  const ref = typeof body.ombudsmanReference === 'string' ? body.ombudsmanReference.trim() : '';
  if (!ref) errors.ombudsmanReference = 'Enter the Ombudsman’s reference for the case';
  else if (!OMBUDSMAN_REFERENCE.test(ref))
    errors.ombudsmanReference =
      'The Ombudsman’s reference must be 40 characters or fewer: letters, numbers, spaces, dots, slashes and dashes';
  const how = Object.keys(SENT_METHODS).find((m) => m === body.how) as SentMethod | undefined;
  if (!how) errors.how = 'Choose how the file was sent';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return { sentOn: date, ombudsmanReference: ref, how: how as SentMethod };
}

/**
 * Records that the file was sent: an `ombudsman-file-sent` event on the case through the same use
 * case as an Ombudsman enquiry (so `ombudsmanInvolved` is set and an archived case moves to the
 * 6-year class), and an audit entry. Once per page, by the form's one-off id (`CaseChange.once`):
 * the same form sent twice at once is written by one post and answered as done to the other. Once,
 * too, for the same date, reference and way of sending, which a page from before the id had.
 */
export async function markOmbudsmanFileSent(
  deps: OmbudsmanFileDeps,
  staff: StaffMember,
  reference: string,
  body: Record<string, unknown>,
): Promise<CaseRecord> {
  await requireOmbudsmanFileRole(deps, staff, reference, 'mark the Ombudsman’s case file as sent');
  const c = await caseFor(deps, staff, reference);
  const form = validateSentForm(body, c, deps.now());
  const events = await deps.store.events(c.caseId);
  const ombudsman = ombudsmanOfCase(events, ombudsmanFor(deps.policy, c.service).kind);
  const audit = (at: string, id: string) =>
    deps.audit.record(
      auditEntry(staff, 'ombudsman-file.sent', at, id, {
        subject: { caseId: c.caseId, reference: c.reference },
        detail: `sent ${form.sentOn} to ${ombudsman}, ${SENT_METHODS[form.how].toLowerCase()}`,
      }),
    );
  // The same form sent again (a double click, or Back and send again) is done already; by the
  // same person, it finishes the audit entry the first may not have written (kept once by its id).
  const finishRecorded = async (history: readonly CaseEvent[]): Promise<boolean> => {
    const recorded = history.find(
      (e) =>
        e.type === 'ombudsman-file-sent' &&
        e.detail?.sentOn === form.sentOn &&
        e.detail?.ombudsmanReference === form.ombudsmanReference &&
        e.detail?.how === form.how,
    );
    if (recorded?.actor === staff.email && typeof recorded.detail?.auditId === 'string')
      await audit(recorded.at, recorded.detail.auditId);
    return recorded !== undefined;
  };
  if (await finishRecorded(events)) return c;
  // The entry's time and id are the event's, so the audit log knows it again.
  const at = deps.now();
  const auditId = deps.newId();
  const { record, written } = await recordOmbudsmanEnquiry({ ...deps, now: () => at }, c.reference, {
    ombudsman,
    by: staff.email,
    fileSent: { ...form, auditId },
    ...onceFor('ombudsman-file-sent', body.formId),
  });
  // The page's form was sent already (at the same moment, or changed and sent again): what it sent
  // first is what is kept, and its audit entry is finished as above.
  if (!written) await finishRecorded(await deps.store.events(c.caseId));
  else await audit(at.toISOString(), auditId);
  return record;
}
