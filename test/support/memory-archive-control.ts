import type { ArchiveControl, RetentionClass } from '../../functions/domain/ports.js';

/**
 * The archive's retention tags for tests whose archive is in memory (no tags to change): records
 * each release, so a test can see that a reopening took the case's objects off the retention clock.
 */
export class MemoryArchiveControl implements Pick<ArchiveControl, 'release'> {
  readonly released: { caseId: string; retention: RetentionClass | 'open' }[] = [];

  async release(caseId: string, retention: RetentionClass | 'open'): Promise<number> {
    this.released.push({ caseId, retention });
    return 0;
  }
}
