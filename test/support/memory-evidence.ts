import { randomUUID } from 'node:crypto';
import { SCAN_STATUS_TAG } from '../../functions/domain/evidence.js';
import type { EvidenceStore, PresignedUpload, RetentionClass } from '../../functions/domain/ports.js';

/**
 * An in-memory EvidenceStore for unit tests of the use cases; the S3 adapter itself is tested
 * against s3rver (test/integration/s3-evidence.test.ts). `put` stands for the browser's upload.
 */
export class MemoryEvidenceStore implements EvidenceStore {
  readonly objects = new Map<string, { bytes: Uint8Array; tags: Record<string, string>; etag: string }>();
  readonly presigned: { key: string; redirect?: string }[] = [];

  /** What S3 does on an upload (its POST policy's size cap is not modelled). */
  put(key: string, bytes: Uint8Array): void {
    this.objects.set(key, { bytes, tags: {}, etag: newEtag() });
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

  async head(key: string): Promise<{ size: number; etag: string } | undefined> {
    const object = this.objects.get(key);
    return object ? { size: object.bytes.length, etag: object.etag } : undefined;
  }

  async read(key: string): Promise<{ bytes: Uint8Array; etag: string } | undefined> {
    const object = this.objects.get(key);
    return object ? { bytes: object.bytes, etag: object.etag } : undefined;
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
      if (!object) continue;
      object.tags.retention = retention;
      // The S3 adapter copies the object in place: a new object, whose tag is new under KMS.
      object.etag = newEtag();
    }
  }
}

/**
 * Entity tags as S3 gives them to objects encrypted with KMS (the archive's): new on every write,
 * a copy in place included, whatever the content. (s3rver's are the content's MD5.)
 */
function newEtag(): string {
  return `"${randomUUID().replaceAll('-', '')}"`;
}
