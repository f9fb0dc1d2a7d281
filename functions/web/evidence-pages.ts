import {
  ACCEPTED_LABEL,
  ACCEPTED_LABEL_CY,
  type EvidenceFile,
  evidenceSlotsLeft,
  MAX_EVIDENCE_BYTES,
  MAX_EVIDENCE_FILES,
  REJECTION_MESSAGES,
} from '../domain/evidence.js';
import type { Language } from '../domain/language.js';
import type { PresignedUpload } from '../domain/ports.js';
import { evidenceDescription } from './evidence-text.js';
import { formatDateTime } from './format.js';
import { formatDateTimeCy, pageLanguageModel } from './i18n.js';
import { renderPage } from './render.js';

/** What the resident's evidence page shows. */
export interface EvidencePageModel {
  reference: string;
  councilName: string;
  files: EvidenceFile[];
  /** The file just uploaded, to say what became of it. */
  result?: EvidenceFile;
  /** The upload just made did not arrive (S3 refused it or did not answer): say so, and that nothing else is lost. */
  notReceived?: boolean;
  /** The presigned POST for the next file; absent when the case has all the files it may. */
  upload?: PresignedUpload;
  /** S3 did not answer just now: no form (it would lead to the browser's error page), a warning instead. */
  uploadsDown?: boolean;
  /** The case's language (draft Welsh from the catalogue); default English. */
  language?: Language;
}

/** How each state reads to the resident and the officer, as a GOV.UK tag. */
export const EVIDENCE_STATUS_TAGS: Readonly<
  Record<EvidenceFile['status'], { text: string; classes: string }>
> = {
  checking: { text: 'Checking for viruses', classes: 'govuk-tag--yellow' },
  clean: { text: 'Received', classes: 'govuk-tag--green' },
  rejected: { text: 'Not accepted', classes: 'govuk-tag--red' },
};

/** The reason a file was refused, in the words the resident sees. */
export function rejectionText(file: EvidenceFile): string | undefined {
  return file.reason ? REJECTION_MESSAGES[file.reason] : undefined;
}

/**
 * `GET /complaints/{reference}/evidence`: the files sent so far and one upload form, which posts
 * the file straight to S3 (the file input last: S3 ignores fields after the file). In the case's
 * language; formats keep their names (PDF, JPEG…), a file's kind is in the page's language.
 */
export function evidencePage(model: EvidencePageModel): string {
  const language = model.language ?? 'en';
  const lang = pageLanguageModel(undefined, language);
  const { t } = lang;
  // The formats keep their names (PDF, JPEG…); a file's kind ("Delwedd JPEG") is in the page's language.
  const accepted = language === 'cy' ? ACCEPTED_LABEL_CY : ACCEPTED_LABEL;
  const refusal = (file: EvidenceFile) =>
    file.reason ? t(`evidence.rejected.${file.reason}`, { accepted, max: MAX_EVIDENCE_FILES }) : undefined;
  const rejected =
    model.result?.status === 'rejected'
      ? refusal(model.result)
      : model.notReceived
        ? t('evidence.upload.notReceived')
        : undefined;
  const left = evidenceSlotsLeft(model.files);
  const dateTime = language === 'cy' ? formatDateTimeCy : formatDateTime;
  return renderPage('evidence', {
    ...lang,
    pageTitle: t('evidence.title', { reference: model.reference }),
    councilName: model.councilName,
    reference: model.reference,
    errorList: rejected ? [{ text: rejected, ...(model.upload ? { href: '#file' } : {}) }] : [],
    fileError: rejected,
    ...(model.result && !rejected
      ? {
          received: [
            t('evidence.received', {
              number: model.result.number,
              description: evidenceDescription(model.result, language),
            }),
            ...(model.result.status === 'checking' ? [t('evidence.checking')] : []),
          ].join(' '),
        }
      : {}),
    rows: model.files.map((file) => {
      const tag = EVIDENCE_STATUS_TAGS[file.status];
      return [
        { text: t('evidence.file', { number: file.number }) },
        { text: file.status === 'rejected' ? (refusal(file) ?? '') : evidenceDescription(file, language) },
        { text: dateTime(file.receivedAt) },
        { html: `<strong class="govuk-tag ${tag.classes}">${t(`evidence.status.${file.status}`)}</strong>` },
      ];
    }),
    upload: model.upload
      ? {
          url: model.upload.url,
          fields: Object.entries(model.upload.fields).map(([name, value]) => ({ name, value })),
        }
      : undefined,
    hint: t('evidence.upload.hint', {
      accepted,
      left,
      files: t(left === 1 ? 'evidence.upload.file' : 'evidence.upload.files'),
    }),
    // A case with all its files could send none had S3 answered: it is told so, not to try again.
    ...(model.uploadsDown && !model.upload && left > 0 ? { uploadsDown: t('evidence.upload.down') } : {}),
    maxBytes: MAX_EVIDENCE_BYTES,
    maxFiles: MAX_EVIDENCE_FILES,
  });
}
