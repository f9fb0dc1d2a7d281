import type { Archive, RetentionClass } from '../../functions/domain/ports.js';

/** An in-memory Archive for workflow tests; the S3 adapter is tested against s3rver. */
export class MemoryArchive implements Archive {
  readonly files = new Map<string, { file: unknown; retention: RetentionClass }>();
  /** Set to make `ping` fail with it, as a bucket that does not answer. */
  pingFailure?: Error;

  async ping(): Promise<void> {
    if (this.pingFailure) throw this.pingFailure;
  }

  async putCaseFile(caseId: string, file: unknown, retention: RetentionClass): Promise<{ key: string }> {
    this.files.set(caseId, { file: structuredClone(file), retention });
    return { key: `cases/${caseId}.json` };
  }

  async setRetention(caseId: string, retention: RetentionClass): Promise<void> {
    const found = this.files.get(caseId);
    if (!found) throw new Error(`no archived file for ${caseId}`);
    found.retention = retention;
  }

  async getRetention(caseId: string): Promise<RetentionClass | undefined> {
    return this.files.get(caseId)?.retention;
  }

  async getCaseFile(caseId: string): Promise<unknown | undefined> {
    return this.files.get(caseId)?.file;
  }

  async replaceCaseFile(caseId: string, file: unknown): Promise<void> {
    const found = this.files.get(caseId);
    if (!found) throw new Error(`no archived file for ${caseId}`);
    found.file = structuredClone(file);
  }

  /** Letters by `caseId/name`, with their retention class once the case is archived. */
  readonly letters = new Map<string, { pdf: Uint8Array; retention?: RetentionClass; writes: number }>();

  async putLetter(caseId: string, name: string, pdf: Uint8Array): Promise<{ key: string }> {
    const key = `${caseId}/${name}`;
    this.letters.set(key, { pdf, writes: (this.letters.get(key)?.writes ?? 0) + 1 });
    return { key: `cases/${caseId}/letters/${name}.pdf` };
  }

  async getLetter(caseId: string, name: string): Promise<Uint8Array | undefined> {
    return this.letters.get(`${caseId}/${name}`)?.pdf;
  }

  async retainLetters(caseId: string, names: string[], retention: RetentionClass): Promise<void> {
    for (const name of names) {
      const found = this.letters.get(`${caseId}/${name}`);
      if (!found) throw new Error(`no letter ${name} for ${caseId}`);
      found.retention = retention;
    }
  }
}
