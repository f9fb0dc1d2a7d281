import type { SuppressionList } from '../../functions/domain/ports.js';

/** The email service's suppression list in memory: the addresses on it, and those asked to be forgotten. */
export class MemorySuppressionList implements SuppressionList {
  readonly forgotten: string[] = [];

  constructor(readonly listed = new Set<string>()) {}

  async forget(email: string): Promise<boolean> {
    this.forgotten.push(email);
    return this.listed.delete(email);
  }
}
