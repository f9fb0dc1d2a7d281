import type { APIGatewayProxyResult } from 'aws-lambda';
import type { Downloads } from '../domain/ports.js';
import { securityHeaders } from '../web/security-headers.js';

/**
 * Largest file answered in the response itself: Lambda's synchronous response is at most 6 MB
 * and base64 makes a file a third larger, so 4 MB with room for the headers.
 */
export const INLINE_DOWNLOAD_BYTES = 4 * 1024 * 1024;
/** How long the link to a larger file works: long enough to start the download, no more. */
export const DOWNLOAD_LINK_SECONDS = 300;

/**
 * A file of personal data for a signed-in member of staff: in the response when it fits, else
 * stored for a day and answered with 303 See Other to a short-lived link. Never cached.
 */
export async function downloadResponse(
  deps: { downloads: Downloads },
  /** `caseIds`: the cases whose data it holds (an erasure of any deletes a stored copy at once). */
  file: { body: Uint8Array; filename: string; contentType: string; caseIds: readonly string[] },
  inlineLimit = INLINE_DOWNLOAD_BYTES,
): Promise<APIGatewayProxyResult> {
  if (file.body.byteLength > inlineLimit) {
    const url = await deps.downloads.put(
      file.filename,
      file.body,
      file.contentType,
      DOWNLOAD_LINK_SECONDS,
      file.caseIds,
    );
    return { statusCode: 303, headers: { Location: url, 'Cache-Control': 'no-store' }, body: '' };
  }
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
