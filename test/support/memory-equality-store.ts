import type { EqualityResponse } from '../../functions/domain/equality.js';
import type { EqualityStore } from '../../functions/domain/ports.js';

/** Equality answers in memory, keyed by form id as the DynamoDB store keys them (once per form). */
export class MemoryEqualityStore implements EqualityStore {
  readonly responses = new Map<string, EqualityResponse>();

  async record(formId: string, response: EqualityResponse): Promise<'recorded' | 'duplicate'> {
    if (this.responses.has(formId)) return 'duplicate';
    this.responses.set(formId, structuredClone(response));
    return 'recorded';
  }

  async *between(fromMonth: string, toMonth: string): AsyncIterable<EqualityResponse> {
    for (const r of this.responses.values()) if (r.month >= fromMonth && r.month <= toMonth) yield r;
  }
}
