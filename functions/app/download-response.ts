import type { APIGatewayProxyResult } from 'aws-lambda';
import type { CaseStore, Downloads } from '../domain/ports.js';
import { HttpError } from '../http/errors.js';
import { securityHeaders } from '../web/security-headers.js';

/**
 * Largest file answered in the response itself: Lambda's synchronous response is at most 6 MB
 * and base64 makes a file a third larger, so 4 MB with room for the headers.
 */
export const INLINE_DOWNLOAD_BYTES = 4 * 1024 * 1024;
/** How long the link to a larger file works: long enough to start the download, no more. */
export const DOWNLOAD_LINK_SECONDS = 300;

/**
 * A file holding a case that was erased (or reached the end of its retention) while the file was
 * being made: 409, and nothing given out.
 */
export class ErasedWhileMadeError extends HttpError {
  override name = 'ErasedWhileMadeError';
  constructor() {
    super(
      409,
      'A case in this file was erased while the file was being made. The file has been deleted and was not given out. Look at the case, or the request, again before you make a new file.',
    );
  }
}

/**
 * A file of personal data for a signed-in member of staff: in the response when it fits, else
 * stored for a day and answered with 303 See Other to a short-lived link. Never cached.
 *
 * An erasure (or a retention expiry) deletes the stored files filed under its case when it runs,
 * but a file made from what was read before could be stored after that sweep. So the file's cases
 * are read again once it is stored (filed under its cases first, then written): an erasure marks
 * its case before it sweeps, so either this read sees the mark, or the file was filed before the
 * sweep, which deletes it. A file of an erased case is deleted here, and neither linked nor answered.
 */
export async function downloadResponse(
  deps: { downloads: Downloads; store: Pick<CaseStore, 'get'> },
  /** `caseIds`: the cases whose data it holds (an erasure of any deletes a stored copy at once). */
  file: { body: Uint8Array; filename: string; contentType: string; caseIds: readonly string[] },
  inlineLimit = INLINE_DOWNLOAD_BYTES,
): Promise<APIGatewayProxyResult> {
  if (file.body.byteLength > inlineLimit) {
    const stored = await deps.downloads.put(
      file.filename,
      file.body,
      file.contentType,
      DOWNLOAD_LINK_SECONDS,
      file.caseIds,
    );
    const erased = await erasedAmong(deps.store, file.caseIds);
    if (erased.length > 0) {
      // Where it was filed under the erased cases, and the file itself by its id: the erasure's
      // sweep may have deleted the first before the file was written.
      for (const caseId of erased) await deps.downloads.eraseFor(caseId);
      await deps.downloads.remove(stored.id);
      throw new ErasedWhileMadeError();
    }
    return { statusCode: 303, headers: { Location: stored.link, 'Cache-Control': 'no-store' }, body: '' };
  }
  if ((await erasedAmong(deps.store, file.caseIds)).length > 0) throw new ErasedWhileMadeError();
  return {
    statusCode: 200,
    headers: {
      ...securityHeaders(),
      'Content-Type': file.contentType,
      'Content-Disposition': `attachment; filename="${file.filename}"`,
      // Personal data: never kept by a browser or a proxy.
      'Cache-Control': 'no-store',
    },
    body: Buffer.from(file.body).toString('base64'),
    isBase64Encoded: true,
  };
}

/** The cases of `caseIds` erased, being erased, or gone (expired), read as they are now. */
async function erasedAmong(store: Pick<CaseStore, 'get'>, caseIds: readonly string[]): Promise<string[]> {
  const now = await Promise.all(
    [...new Set(caseIds)].map(async (caseId) => ({ caseId, record: await store.get(caseId) })),
  );
  return now
    .filter(({ record }) => !record || record.erasure !== undefined || record.erasureStarted !== undefined)
    .map(({ caseId }) => caseId);
}
