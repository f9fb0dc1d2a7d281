import { describe, expect, it } from 'vitest';
import type { EvidenceFile } from '../../../functions/domain/evidence.js';
import { evidencePage } from '../../../functions/web/evidence-pages.js';

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
});
