import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { type OmbudsmanFileDeps, ombudsmanFile } from '../../functions/app/ombudsman-file.js';
import { evidenceKey } from '../../functions/domain/evidence.js';
import { chronology } from '../../functions/domain/ombudsman-file.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { StaffMember } from '../../functions/domain/staff.js';
import { renderLetterPdf } from '../../functions/templates/render-letter.js';
import { renderOmbudsmanFilePdf } from '../../functions/templates/render-ombudsman-file.js';
import { formatDateTime } from '../../functions/web/format.js';
import { MemoryArchive } from '../support/memory-archive.js';
import { MemoryAuditLog } from '../support/memory-audit-log.js';
import { MemoryEvidenceStore } from '../support/memory-evidence.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { CLEAN_FILE, INFECTED_FILE, LETTER, stage2Case } from '../support/ombudsman-case.js';
import { pdfGlyphs, pdfInfo, pdfPages } from '../support/pdf-text.js';

/**
 * The Ombudsman's file as the use case makes it, read back: the PDF's text with PDF.js (every
 * page, the contents page's numbers checked against where each heading really is), and the ZIP.
 */
const CASEY: StaffMember = {
  sub: 'casey',
  email: 'casey.morgan@example.gov.uk',
  name: 'Casey Morgan',
  roles: ['complaints-team'],
  services: [],
};
const policy = loadPolicy('lgsco-code-2024');
const { record, events } = stage2Case();
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
let deps: OmbudsmanFileDeps;
let audit: MemoryAuditLog;
let letterPdf: Buffer;

beforeAll(async () => {
  const store = new MemoryCaseStore();
  await store.create(record, events[0] as never);
  for (const e of events.slice(1)) await store.appendEvent(record.caseId, e);
  const archive = new MemoryArchive();
  letterPdf = await renderLetterPdf({
    council: policy.council,
    returnAddress: ['Complaints team'],
    contact: [],
    recipient: { name: 'Zoë Łukasiewicz', addressLines: ['1 High Street'] },
    date: 'Thursday 19 March 2026',
    reference: record.reference,
    title: 'We are reviewing your complaint at stage 2',
    text: 'Dear Zoë Łukasiewicz,\n\nWe are reviewing your complaint.',
  });
  await archive.putLetter(record.caseId, LETTER, letterPdf);
  const evidence = new MemoryEvidenceStore();
  evidence.put(evidenceKey(record.caseId, CLEAN_FILE), JPEG);
  evidence.tagScan(evidenceKey(record.caseId, CLEAN_FILE), 'NO_THREATS_FOUND');
  evidence.put(evidenceKey(record.caseId, INFECTED_FILE), new Uint8Array([1, 2, 3]));
  evidence.tagScan(evidenceKey(record.caseId, INFECTED_FILE), 'THREATS_FOUND');
  audit = new MemoryAuditLog();
  let ids = 0;
  deps = {
    store: store as never,
    staffStore: undefined as never,
    workflows: undefined as never,
    send: undefined as never,
    linkSecrets: async () => ['s'],
    baseUrl: 'https://complaints.example.gov.uk',
    archive,
    evidence,
    audit,
    policy,
    now: () => new Date('2026-04-10T10:00:00Z'),
    newId: () => `id-${++ids}`,
  };
});

describe('the Ombudsman’s case file as a PDF', () => {
  let pages: string[];
  let pdf: Uint8Array;

  beforeAll(async () => {
    const file = await ombudsmanFile(deps, CASEY, record.reference, 'pdf');
    expect(file.contentType).toBe('application/pdf');
    pdf = file.body;
    pages = await pdfPages(pdf);
  }, 60_000);

  it('has a cover naming the council, the ombudsman, the case, the complainant, the service and the dates', () => {
    const cover = pages[0] as string;
    for (const text of [
      policy.council,
      'Case file for the Local Government and Social Care Ombudsman',
      'CMP-2026-000101',
      'Zoë Łukasiewicz',
      'Waste and recycling',
      `Received: ${formatDateTime(record.receivedAt)}`.replace(': ', ':'),
      'Ombudsman’s reference:',
      'Not recorded yet',
      'Prepared by Casey Morgan (casey.morgan@example.gov.uk)',
    ])
      expect(cover.replace(/\n/g, ' ').replace(/: /g, ':').replace(/:\s*/g, ':'), text).toContain(
        text.replace(/:\s*/g, ':'),
      );
  });

  it('lists every section on the contents page with the page it really starts on', () => {
    const contents = pages[1] as string;
    expect(contents).toMatch(/^Contents/);
    const sections = [
      'Chronology',
      'What the resident told us',
      'Decisions and reasons',
      'Letters and emails sent to the resident',
      'Evidence',
      'Case notes',
    ];
    for (const title of sections) {
      const line = new RegExp(`${title} \\.{3,} ?(\\d+)`).exec(contents);
      expect(line, title).not.toBeNull();
      const page = Number(line?.[1]);
      // The page it names starts with that section's heading (after the running footer, if any).
      expect((pages[page - 1] as string).trimStart().startsWith(title), `${title} on page ${page}`).toBe(
        true,
      );
    }
    expect(contents).toMatch(/Stage 2: review and final response \.{3,} ?\d+/);
    expect(contents).toMatch(/Email, 27 March 2026: Final response \(stage 2\) \.{3,} ?\d+/);
  });

  it('puts every event of the chronology in it, in order, with its reasons', () => {
    const text = pages.join('\n').replace(/\s+/g, ' ');
    let from = 0;
    for (const entry of chronology(record, events, {
      service: () => 'Waste and recycling',
      ombudsman: () => 'Local Government and Social Care Ombudsman',
    })) {
      const at = text.indexOf(entry.what, from);
      expect(at, entry.what).toBeGreaterThanOrEqual(from);
      from = at;
      for (const d of entry.details) expect(text).toContain(d);
    }
    expect(text).toContain('Reason: We need to speak to the collection crew.');
    expect(text).toContain('The photographs show the bin was out on two of the four days.');
  });

  it('has the resident’s words, the re-created emails and the evidence list with the scan results', () => {
    const text = pages.join('\n').replace(/\s+/g, ' ');
    expect(text).toContain(record.summary);
    expect(text).toContain('You did not look at the photographs I sent.');
    expect(text).toContain('Thank you for contacting Example Council. We received your complaint on');
    expect(text).toContain('We have partially upheld your complaint.');
    expect(text).not.toContain('could not be re-created');
    expect(text).toContain(`letters/${LETTER}.pdf in this file’s ZIP`);
    expect(text).toMatch(/File 1:? JPEG image; 200 KB; received .*virus check: No threats found/);
    expect(text).toContain('virus check: Not accepted: the virus check found a threat in it');
  });

  it('says "Page N of M" on every page, and is tagged with a title and a language', async () => {
    pages.forEach((page, i) => {
      expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
    });
    expect(await pdfInfo(pdf)).toEqual({
      title: 'Case file for the Local Government and Social Care Ombudsman: CMP-2026-000101',
      lang: 'en-GB',
      tagged: true,
    });
  });
});

describe('the Ombudsman’s case file in scripts the main font lacks', () => {
  it('sets a complainant’s name and words in Chinese in a font that has them, and they read back', async () => {
    const { pdf } = await renderOmbudsmanFilePdf({
      council: policy.council,
      ombudsmanName: 'Local Government and Social Care Ombudsman',
      reference: 'CMP-2026-000102',
      cover: [{ label: 'Complainant', value: '王小明' }],
      prepared: 'Prepared by Casey Morgan',
      sections: [
        {
          title: 'The complaint',
          blocks: [{ kind: 'para', text: 'The resident wrote: 垃圾没有收集 (the bins were not collected).' }],
        },
      ],
    });

    const text = (await pdfPages(pdf)).join('\n');
    expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC/);
    expect(text).toContain('王小明');
    expect(text).toContain('垃圾没有收集');
  });

  it('keeps the resident’s words in Thai in their font where they run on over a page break', async () => {
    // What the resident wrote, in Thai, longer than a page of the file.
    const words = 'ถังขยะหน้าบ้านของฉันไม่ได้รับการเก็บมาสามสัปดาห์แล้ว '.repeat(150).trim();
    const { pdf } = await renderOmbudsmanFilePdf({
      council: policy.council,
      ombudsmanName: 'Local Government and Social Care Ombudsman',
      reference: 'CMP-2026-000103',
      cover: [{ label: 'Complainant', value: 'สมชาย ใจดี' }],
      prepared: 'Prepared by Casey Morgan',
      sections: [{ title: 'The complaint', blocks: [{ kind: 'para', text: words }] }],
    });
    const pages = await pdfGlyphs(pdf);
    const thaiPages = pages.filter((glyphs) => glyphs.some((g) => /^NotoSansThai/.test(g.font)));

    expect(pages.map((glyphs) => glyphs.filter((g) => g.missing).length)).toEqual(pages.map(() => 0));
    // The cover, and the section over more than one page.
    expect(thaiPages.length).toBeGreaterThan(2);
  });
});

describe('the Ombudsman’s case file as a ZIP', () => {
  it('holds the PDF, the original letter, only the clean evidence, the history and a manifest', async () => {
    const file = await ombudsmanFile(deps, CASEY, record.reference, 'zip');
    expect(file).toMatchObject({
      contentType: 'application/zip',
      filename: 'CMP-2026-000101-ombudsman-file.zip',
    });
    const zip = unzipSync(file.body);
    expect(Object.keys(zip).sort()).toEqual(
      [
        'CMP-2026-000101-case-file.pdf',
        `letters/${LETTER}.pdf`,
        'evidence/file-1.jpg',
        'case-history.json',
        'manifest.json',
      ].sort(),
    );
    expect(Buffer.from(zip[`letters/${LETTER}.pdf`] as Uint8Array).equals(letterPdf)).toBe(true);
    expect(zip['evidence/file-1.jpg']).toEqual(JPEG);
    const manifest = JSON.parse(strFromU8(zip['manifest.json'] as Uint8Array));
    expect(manifest.files.map((f: { path: string }) => f.path)).toHaveLength(4);
    expect(manifest.evidenceNotIncluded).toEqual([
      { file: 2, reason: 'Not accepted: the virus check found a threat in it' },
      { file: 3, reason: 'Not checked yet: not included' },
    ]);
    const history = JSON.parse(strFromU8(zip['case-history.json'] as Uint8Array));
    expect(history.some((e: { type: string }) => e.type === 'viewed')).toBe(false);
    expect(history).toHaveLength(events.filter((e) => e.type !== 'viewed').length);
    const pdfText = (await pdfPages(zip['CMP-2026-000101-case-file.pdf'] as Uint8Array)).join('\n');
    expect(pdfText).toContain('Contents');
  }, 60_000);

  it('audits the preparation and the download with counts and a hash, never the resident’s details', async () => {
    const entries = audit.entries.filter((e) => e.subject?.reference === record.reference);
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['ombudsman-file.prepare', 'ombudsman-file.download']),
    );
    const prepare = entries.find((e) => e.action === 'ombudsman-file.prepare');
    expect(prepare?.detail).toMatch(/^\d+ pages; 1 letters; 1 of 3 evidence files included; for lgsco$/);
    expect(entries.find((e) => e.action === 'ombudsman-file.download')?.detail).toMatch(
      /^(zip|pdf), \d+ bytes, sha256 [0-9a-f]{64}$/,
    );
    expect(JSON.stringify(entries)).not.toMatch(/Zoë|zoe@example|High Street/);
  });
});
