import type { Downloads } from '../../functions/domain/ports.js';

/**
 * Files handed out for download, in memory, for tests whose bucket is not the S3 stand-in: each
 * file by its link, with the cases it holds, so a test can see what an erasure deleted.
 */
export class MemoryDownloads implements Downloads {
  readonly files = new Map<string, { filename: string; body: Uint8Array; caseIds: readonly string[] }>();

  async put(
    filename: string,
    body: Uint8Array,
    _contentType: string,
    _expiresSeconds: number,
    caseIds: readonly string[],
  ): Promise<{ link: string; id: string }> {
    const id = String(this.files.size + 1);
    const url = `https://downloads.example/${id}/${filename}`;
    this.files.set(url, { filename, body, caseIds });
    return { link: url, id };
  }

  async remove(id: string): Promise<void> {
    for (const url of this.files.keys())
      if (url.startsWith(`https://downloads.example/${id}/`)) this.files.delete(url);
  }

  async eraseFor(caseId: string): Promise<number> {
    const gone = [...this.files].filter(([, f]) => f.caseIds.includes(caseId));
    for (const [url] of gone) this.files.delete(url);
    return gone.length;
  }
}
