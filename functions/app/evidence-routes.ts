import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { CaseRecord } from '../domain/case.js';
import {
  isFileId,
  MAX_EVIDENCE_BYTES,
  REJECTION_MESSAGES,
  UPLOAD_EXPIRY_SECONDS,
} from '../domain/evidence.js';
import { caseLanguage } from '../domain/language.js';
import { LinkVerificationError, verifyLink } from '../domain/links.js';
import { DependencyUnavailableError, HttpError, LinkError } from '../http/errors.js';
import { wantsPage } from '../http/middleware.js';
import { html, json } from '../http/responses.js';
import type { Router } from '../http/router.js';
import { evidencePage } from '../web/evidence-pages.js';
import { BASE_PATH } from '../web/render.js';
import { securityHeaders } from '../web/security-headers.js';
import { checkUpload, type EvidenceDeps, evidenceOf, requestUpload } from './evidence.js';
import { EVIDENCE_ACTION } from './evidence-links.js';
import { checkHealth, type DependencyCheck } from './health.js';

/** What the resident's evidence pages and API need. */
export interface EvidenceRouteDeps extends EvidenceDeps {
  linkSecrets: () => Promise<string[]>;
  /** One cheap question to the bucket the upload form posts to (`/health`'s archive check). */
  uploadsAnswer: DependencyCheck;
  /** Public base URL (S3 sends the browser back here after an upload). */
  baseUrl: string;
  councilName: string;
}

/**
 * The resident's evidence routes. Pages work without JavaScript: each upload is a form that
 * posts the file straight to S3 with a presigned POST, and S3 sends the browser back to
 * `…/uploaded`, which checks the file and redirects to the page showing the result (the file
 * never passes through the API: Lambda takes at most 6 MB, a file may be 10).
 *
 * - `GET /complaints/{reference}/evidence?link=` — the files so far and a form for the next one.
 * - `GET /complaints/{reference}/evidence/{fileId}/uploaded?link=` — S3's redirect after upload.
 * - `POST /complaints/{reference}/evidence?link=` (JSON) — a presigned POST for one more file:
 *   201 `{ fileId, url, fields, maxBytes, expiresInSeconds }`, 409 once the case has 5 files, 503
 *   with `Retry-After` while S3 does not answer (the page then shows a warning, not a form).
 * - `POST /complaints/{reference}/evidence/{fileId}?link=` (JSON) — after uploading: checks the
 *   file and answers its state (`checking`, `clean` or `rejected` with a reason and message); for
 *   content the case already has (the same file sent again) the state of the file kept, its id.
 *
 * Both posts take no body (`{}` at most): a file or fields sent with one are refused (400, saying
 * where files go), never thrown away under a 201 that lets the person think the file was sent.
 */
export function evidenceRoutes(router: Router, deps: EvidenceRouteDeps): void {
  router.on('GET', '/complaints/{reference}/evidence', async (event, { reference }) => {
    const record = await authorised(deps, event, reference as string);
    const link = event.queryStringParameters?.link as string;
    const files = await evidenceOf(deps, record.caseId);
    const shown = event.queryStringParameters?.file;
    const result = shown ? files.find((f) => f.fileId === shown) : undefined;
    // Sent back here from an upload that did not arrive (`…/uploaded` found nothing).
    const notReceived = shown !== undefined && result === undefined && isFileId(shown);
    const offer = await offerUpload(deps, record, {
      redirect: (fileId) =>
        `${deps.baseUrl}/complaints/${encodeURIComponent(record.reference)}/evidence/${fileId}/uploaded?link=${link}${langQuery(record)}`,
    });
    const uploadsDown = 'refused' in offer && offer.refused === 'uploadsDown';
    const upload = 'upload' in offer ? offer.upload : undefined;
    return html(
      200,
      evidencePage({
        reference: record.reference,
        councilName: deps.councilName,
        files,
        ...(result ? { result } : {}),
        ...(notReceived ? { notReceived } : {}),
        ...(upload ? { upload } : {}),
        ...(uploadsDown ? { uploadsDown } : {}),
        language: caseLanguage(record),
      }),
      withFormAction(upload ? [new URL(upload.url).origin] : []),
    );
  });

  router.on(
    'GET',
    '/complaints/{reference}/evidence/{fileId}/uploaded',
    async (event, { reference, fileId }) => {
      const record = await authorised(deps, event, reference as string);
      if (!isFileId(fileId as string)) throw new HttpError(404, 'There is no such file');
      // Nothing may have arrived (S3 refused the upload: the page's script comes here whatever S3
      // answered): the page then says so, with the form to send it again.
      const checked = await checkUpload(deps, record.caseId, fileId as string);
      const link = event.queryStringParameters?.link as string;
      // Post/Redirect/Get: a refresh of the page shows the result again instead of checking again.
      // A file sent again (its first upload arrived but its check failed) shows as the file kept.
      const shown = checked?.fileId ?? (fileId as string);
      const page = `${BASE_PATH}/complaints/${encodeURIComponent(record.reference)}/evidence?link=${link}&file=${shown}${langQuery(record)}`;
      return { statusCode: 303, headers: { Location: page, 'Cache-Control': 'no-store' }, body: '' };
    },
  );

  router.on('POST', '/complaints/{reference}/evidence', async (event, { reference }) => {
    const record = await authorised(deps, event, reference as string);
    refuseBody(event);
    const slot = await offerUpload(deps, record);
    if ('refused' in slot && slot.refused === 'limit') {
      return json(409, { error: REJECTION_MESSAGES.limit.replace('The file was not accepted: ', '') });
    }
    // Not an upload a program could only fail to use: a 503 with `Retry-After`, as the page warns.
    if ('refused' in slot) throw new DependencyUnavailableError(UPLOADS_DOWN_MESSAGE);
    return json(201, {
      fileId: slot.fileId,
      url: slot.upload.url,
      fields: slot.upload.fields,
      maxBytes: MAX_EVIDENCE_BYTES,
      expiresInSeconds: UPLOAD_EXPIRY_SECONDS,
    });
  });

  router.on('POST', '/complaints/{reference}/evidence/{fileId}', async (event, { reference, fileId }) => {
    const record = await authorised(deps, event, reference as string);
    refuseBody(event);
    const file = await checkFile(deps, record, fileId as string);
    return json(200, {
      fileId: file.fileId,
      number: file.number,
      status: file.status,
      ...(file.type ? { type: file.type } : {}),
      ...(file.size !== undefined ? { size: file.size } : {}),
      ...(file.reason ? { reason: file.reason, message: REJECTION_MESSAGES[file.reason] } : {}),
    });
  });
}

/** What a program asking for an upload is told while S3 does not answer (the page's warning, in plain words). */
const UPLOADS_DOWN_MESSAGE =
  'Files cannot be sent at the moment because our system for files is not answering, so no upload was handed out. Your complaint is safe, and so are any files sent before. Try again in a minute with the same link.';

/**
 * The upload offered for one more file, as the page and the JSON API both offer it. Without
 * JavaScript the page's form posts straight to S3, and when S3 cannot be reached the browser
 * shows its own error page: nothing on a plain form can catch that; a program given a presigned
 * POST could only fail to use it. So S3 is asked first (`/health`'s check, given as long), and
 * while it does not answer no upload is offered (`uploadsDown`). A case with all its files is
 * told so whatever S3 says (`limit`): trying again could not help it. With JavaScript the page
 * also catches an S3 that fails after this (`redress.js`).
 */
async function offerUpload(
  deps: EvidenceRouteDeps,
  record: CaseRecord,
  options: Parameters<typeof requestUpload>[2] = {},
): Promise<Awaited<ReturnType<typeof requestUpload>> | { refused: 'uploadsDown' }> {
  const [slot, answered] = await Promise.all([
    requestUpload(deps, record, options),
    checkHealth({ uploads: deps.uploadsAnswer }),
  ]);
  if ('refused' in slot || answered.status === 'ok') return slot;
  return { refused: 'uploadsDown' };
}

/**
 * Refuses a post that carries something: a file (a browser's form, or a program's upload) or
 * fields these routes do not take. Files go to the presigned address (Lambda takes at most 6 MB,
 * a file may be 10), so nothing sent here could be kept: the answer says so, and where files go.
 */
function refuseBody(event: APIGatewayProxyEvent): void {
  const raw = event.body ?? '';
  const text = (event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw).trim();
  if (text === '' || text === '{}') return;
  throw new HttpError(
    400,
    wantsPage(event)
      ? 'Your file could not be sent this way, so it was not received. Go back to the page for adding evidence and choose the file again.'
      : 'Files are not sent to this address, so nothing was received. Send this request with no body: its answer gives a url and fields, and the file goes to that url, posted as a form with those fields.',
  );
}

/** `&lang=cy` for a Welsh case: the pages' problems (an expired link) are then shown in Welsh too. */
function langQuery(record: CaseRecord): string {
  const language = caseLanguage(record);
  return language === 'en' ? '' : `&lang=${language}`;
}

async function checkFile(deps: EvidenceRouteDeps, record: CaseRecord, fileId: string) {
  if (!isFileId(fileId)) throw new HttpError(404, 'There is no such file');
  const file = await checkUpload(deps, record.caseId, fileId);
  if (!file)
    throw new HttpError(404, 'Nothing was uploaded for this file: choose the file and send it again');
  return file;
}

/** The case the signed `?link=` opens for evidence; 403 / 410 pages otherwise. */
async function authorised(deps: EvidenceRouteDeps, event: APIGatewayProxyEvent, reference: string) {
  const token = event.queryStringParameters?.link;
  if (!token) throw new LinkError(403, 'This page needs the link from your confirmation page or email');
  let claims: ReturnType<typeof verifyLink>;
  try {
    claims = verifyLink(token, await deps.linkSecrets(), deps.now());
  } catch (error: unknown) {
    if (error instanceof LinkVerificationError && error.reason === 'expired')
      throw new LinkError(410, 'This link has expired');
    throw new LinkError(403, 'This link is not valid');
  }
  const record = await deps.store.getByReference(reference);
  if (!record || claims.a !== EVIDENCE_ACTION || claims.c !== record.caseId) {
    throw new LinkError(403, 'This link is not valid');
  }
  // The link outlives the case's erasure (30 days from intake): an upload would put the person's
  // files back into the records the council has told them it erased.
  if (record.erasure || record.erasureStarted) {
    throw new LinkError(
      410,
      'The records of this feedback have been erased: nothing more can be added to them',
    );
  }
  return record;
}

/**
 * The page's headers, letting its upload form post to S3 (and only there besides ourselves),
 * from the form itself or, with JavaScript, from the page's script (which keeps the resident on
 * the page when S3 does not answer).
 */
function withFormAction(origins: string[]): Record<string, string> {
  const headers = securityHeaders();
  headers['Content-Security-Policy'] = (headers['Content-Security-Policy'] ?? '')
    .replace("form-action 'self'", ["form-action 'self'", ...origins].join(' '))
    .replace("connect-src 'self'", ["connect-src 'self'", ...origins].join(' '));
  return headers;
}
