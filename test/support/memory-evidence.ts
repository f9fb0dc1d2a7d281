import { createHash } from 'node:crypto';
import { SCAN_STATUS_TAG } from '../../functions/domain/evidence.js';
import type { EvidenceStore, PresignedUpload, RetentionClass } from '../../functions/domain/ports.js';

/**
 * An in-memory EvidenceStore for unit tests of the use cases; the S3 adapter itself is tested
 * against s3rver (test/integration/s3-evidence.test.ts). `put` stands for the browser's upload.
 */
export class MemoryEvidenceStore implements EvidenceStore {
  readonly objects = new Map<string, { bytes: Uint8Array; tags: Record<string, string> }>();
  readonly presigned: { key: string; redirect?: string }[] = [];

  /** What S3 does on an upload (its POST policy's size cap is not modelled). */
  put(key: string, bytes: Uint8Array): void {
    this.objects.set(key, { bytes, tags: {} });
  }

  /** What the scanner does: tag the object with its result. */
  tagScan(key: string, status: string): void {
    const object = this.objects.get(key);
    if (object) object.tags[SCAN_STATUS_TAG] = status;
  }

  async presignUpload(
    key: string,
    options: { expiresSeconds: number; redirect?: string },
  ): Promise<PresignedUpload> {
    this.presigned.push({ key, ...(options.redirect ? { redirect: options.redirect } : {}) });
    return { url: 'https://bucket.example/', fields: { key } };
  }

  /** The entity tag is the content's MD5, as S3's for an object uploaded in one part. */
  async head(key: string): Promise<{ size: number; etag: string } | undefined> {
    const object = this.objects.get(key);
    if (!object) return undefined;
    return { size: object.bytes.length, etag: `"${createHash('md5').update(object.bytes).digest('hex')}"` };
  }

  async read(key: string): Promise<Uint8Array | undefined> {
    return this.objects.get(key)?.bytes;
  }

  async scanStatus(key: string): Promise<string | undefined> {
    return this.objects.get(key)?.tags[SCAN_STATUS_TAG];
  }

  async remove(key: string): Promise<void> {
    this.objects.delete(key);
  }

  async downloadUrl(key: string, filename: string, expiresSeconds: number): Promise<string> {
    return `https://bucket.example/${key}?name=${encodeURIComponent(filename)}&expires=${expiresSeconds}`;
  }

  async retain(keys: readonly string[], retention: RetentionClass): Promise<void> {
    for (const key of keys) {
      const object = this.objects.get(key);
      if (object) object.tags.retention = retention;
    }
  }
}
