import { describe, expect, it } from 'vitest';
import { ACCEPTED_TYPES, type EvidenceFile } from '../../../functions/domain/evidence.js';
import { evidencePage } from '../../../functions/web/evidence-pages.js';
import { evidenceDescription } from '../../../functions/web/evidence-text.js';

/** The resident's evidence page, in English and (for a case in Welsh) in draft Welsh. */

const files: EvidenceFile[] = [
  {
    fileId: 'f-1',
    number: 1,
    status: 'clean',
    type: 'application/pdf',
    size: 12_000,
    receivedAt: '2026-03-02T10:00:00Z',
  },
  { fileId: 'f-2', number: 2, status: 'rejected', reason: 'virus', receivedAt: '2026-03-02T10:05:00Z' },
];
const upload = { url: 'https://bucket.example/', fields: { key: 'k' } };

describe('evidencePage', () => {
  it('is in English by default', () => {
    const page = evidencePage({ reference: 'CMP-2026-000001', councilName: 'Council', files, upload });

    expect(page).toContain('<html lang="en-GB"');
    expect(page).toContain('Send evidence');
    expect(page).toContain('our virus check found a threat in it');
    expect(page).toContain('You can send 4 more files.');
  });

  it('is in Welsh for a case in Welsh: headings, statuses, refusals and the upload form', () => {
    const page = evidencePage({
      reference: 'CMP-2026-000001',
      councilName: 'Cyngor',
      files,
      upload,
      language: 'cy',
      result: files[1],
    });

    expect(page).toContain('<html lang="cy"');
    expect(page).toContain('Anfon tystiolaeth');
    expect(page).toContain('Ffeiliau rydych wedi’u hanfon');
    expect(page).toContain('Heb ei derbyn');
    expect(page).toContain('Ni dderbyniwyd y ffeil: daeth ein gwiriad feirysau o hyd i fygythiad ynddi');
    expect(page).toContain(
      'PDF, JPEG, PNG, HEIC neu Word (DOCX), hyd at 10 MB. Gallwch anfon 4 ffeil arall.',
    );
    expect(page).toContain('Llwytho’r ffeil');
    expect(page).toContain('2 Mawrth 2026 am 10:00');
    expect(page).not.toMatch(/Send evidence|Upload file|Not accepted|Files you have sent/);
  });
  it('offers no upload form while S3 does not answer, and says so in the case’s language', () => {
    const en = evidencePage({
      reference: 'CMP-2026-000001',
      councilName: 'Council',
      files,
      uploadsDown: true,
    });
    const cy = evidencePage({
      reference: 'CMP-2026-000001',
      councilName: 'Cyngor',
      files,
      uploadsDown: true,
      language: 'cy',
    });

    expect(en).not.toContain('<form');
    expect(en).toContain('You cannot send files at the moment');
    expect(en).toContain('Try again');
    expect(cy).not.toContain('<form');
    expect(cy).toContain('Ni allwch anfon ffeiliau ar hyn o bryd');
    expect(cy).toContain('Rhybudd');
  });

  it('says a case with all its files has them all, not to try again, while S3 does not answer', () => {
    // Prepare: five files kept, so no upload form whatever S3 says.
    const full: EvidenceFile[] = [1, 2, 3, 4, 5].map((number) => ({
      fileId: `f-${number}`,
      number,
      status: 'clean',
      type: 'application/pdf',
      size: 12_000,
      receivedAt: '2026-03-02T10:00:00Z',
    }));

    // Act
    const page = evidencePage({
      reference: 'CMP-2026-000001',
      councilName: 'Council',
      files: full,
      uploadsDown: true,
    });

    // Assess: told the case has every file it can take; no promise that trying again would help.
    expect(page).toContain('You have sent 5 files');
    expect(page).not.toContain('You cannot send files at the moment');
    expect(page).not.toContain('Try again');
  });
});

describe('evidenceDescription', () => {
  const photo: EvidenceFile = {
    fileId: 'f-3',
    number: 3,
    status: 'checking',
    type: 'image/jpeg',
    size: 2_621_440,
    receivedAt: '2026-03-02T10:10:00Z',
  };

  it('names a file’s kind in the page’s language, keeping the format’s own name', () => {
    expect(evidenceDescription(photo)).toBe('JPEG image, 2.5 MB');
    expect(evidenceDescription(photo, 'cy')).toBe('Delwedd JPEG, 2.5 MB');
    expect(
      evidenceDescription(
        {
          ...photo,
          type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        },
        'cy',
      ),
    ).toMatch(/^Dogfen Word, /);
    expect(evidenceDescription({ ...photo, type: undefined, size: undefined }, 'cy')).toBe('Ffeil');
  });

  it('has a Welsh name for every accepted type, and lists them in Welsh on the Welsh page', () => {
    for (const [type, t] of Object.entries(ACCEPTED_TYPES)) expect(t.labelCy, type).toMatch(/\S/);
    const page = evidencePage({
      reference: 'CMP-2026-000001',
      councilName: 'Cyngor',
      files: [photo],
      upload,
      language: 'cy',
      result: photo,
    });

    expect(page).toContain('Delwedd JPEG, 2.5 MB');
    expect(page).toContain('PDF, JPEG, PNG, HEIC neu Word (DOCX), hyd at 10 MB');
    expect(page).not.toMatch(/JPEG image|Word document| or Word/);
  });
});
