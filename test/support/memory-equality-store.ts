import type { EqualityResponse } from '../../functions/domain/equality.js';
import type { EqualityStore } from '../../functions/domain/ports.js';

/** Equality answers in memory, keyed by form id as the DynamoDB store keys them (once per form). */
export class MemoryEqualityStore implements EqualityStore {
  readonly responses = new Map<string, EqualityResponse>();
  /** The feedback already answered (`once` keys), kept apart from the answers as the table does. */
  readonly given = new Set<string>();

  async record(
    formId: string,
    response: EqualityResponse,
    _expiresAt?: Date,
    once?: string,
  ): Promise<'recorded' | 'duplicate'> {
    if (this.responses.has(formId) || (once !== undefined && this.given.has(once))) return 'duplicate';
    this.responses.set(formId, structuredClone(response));
    if (once !== undefined) this.given.add(once);
    return 'recorded';
  }

  async *between(fromMonth: string, toMonth: string): AsyncIterable<EqualityResponse> {
    for (const r of this.responses.values()) if (r.month >= fromMonth && r.month <= toMonth) yield r;
  }
}
