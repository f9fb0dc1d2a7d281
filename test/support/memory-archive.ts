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
}
