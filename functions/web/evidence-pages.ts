import {
  ACCEPTED_LABEL,
  ACCEPTED_TYPES,
  type EvidenceFile,
  evidenceSlotsLeft,
  formatBytes,
  MAX_EVIDENCE_BYTES,
  MAX_EVIDENCE_FILES,
  REJECTION_MESSAGES,
} from '../domain/evidence.js';
import type { PresignedUpload } from '../domain/ports.js';
import { formatDateTime } from './format.js';
import { renderPage } from './render.js';

/** What the resident's evidence page shows. */
export interface EvidencePageModel {
  reference: string;
  councilName: string;
  files: EvidenceFile[];
  /** The file just uploaded, to say what became of it. */
  result?: EvidenceFile;
  /** The presigned POST for the next file; absent when the case has all the files it may. */
  upload?: PresignedUpload;
}

/** How each state reads to the resident and the officer, as a GOV.UK tag. */
export const EVIDENCE_STATUS_TAGS: Readonly<
  Record<EvidenceFile['status'], { text: string; classes: string }>
> = {
  checking: { text: 'Checking for viruses', classes: 'govuk-tag--yellow' },
  clean: { text: 'Received', classes: 'govuk-tag--green' },
  rejected: { text: 'Not accepted', classes: 'govuk-tag--red' },
};

/** "PNG image, 12 KB" — files are described by what they are, never by their name (personal data). */
export function evidenceDescription(file: EvidenceFile): string {
  const kind = file.type ? ACCEPTED_TYPES[file.type].label : 'File';
  return file.size !== undefined && Number.isFinite(file.size) ? `${kind}, ${formatBytes(file.size)}` : kind;
}

/** The reason a file was refused, in the words the resident sees. */
export function rejectionText(file: EvidenceFile): string | undefined {
  return file.reason ? REJECTION_MESSAGES[file.reason] : undefined;
}

/**
 * `GET /complaints/{reference}/evidence`: the files sent so far and one upload form, which posts
 * the file straight to S3 (the file input last: S3 ignores fields after the file).
 */
export function evidencePage(model: EvidencePageModel): string {
  const rejected = model.result?.status === 'rejected' ? rejectionText(model.result) : undefined;
  const left = evidenceSlotsLeft(model.files);
  return renderPage('evidence', {
    pageTitle: `Send evidence for ${model.reference}`,
    councilName: model.councilName,
    reference: model.reference,
    errorList: rejected ? [{ text: rejected, ...(model.upload ? { href: '#file' } : {}) }] : [],
    fileError: rejected,
    ...(model.result && !rejected
      ? {
          received: `File ${model.result.number} (${evidenceDescription(model.result)}) has been uploaded.${
            model.result.status === 'checking'
              ? ' We are checking it for viruses before anyone opens it.'
              : ''
          }`,
        }
      : {}),
    rows: model.files.map((file) => {
      const tag = EVIDENCE_STATUS_TAGS[file.status];
      return [
        { text: `File ${file.number}` },
        { text: file.status === 'rejected' ? (rejectionText(file) ?? '') : evidenceDescription(file) },
        { text: formatDateTime(file.receivedAt) },
        { html: `<strong class="govuk-tag ${tag.classes}">${tag.text}</strong>` },
      ];
    }),
    upload: model.upload
      ? {
          url: model.upload.url,
          fields: Object.entries(model.upload.fields).map(([name, value]) => ({ name, value })),
        }
      : undefined,
    hint: `${ACCEPTED_LABEL}, up to 10 MB. You can send ${left} more ${left === 1 ? 'file' : 'files'}.`,
    maxBytes: MAX_EVIDENCE_BYTES,
    maxFiles: MAX_EVIDENCE_FILES,
  });
}
