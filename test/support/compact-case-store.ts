import type { CaseEvent, CaseRecord } from '../../functions/domain/case.js';
import { complainantDesignated } from '../../functions/domain/designation.js';
import {
  type CaseChange,
  CaseNotFoundError,
  ConcurrentUpdateError,
  DuplicateCaseError,
  eventsOf,
} from '../../functions/domain/ports.js';
import { MemoryCaseStore } from './memory-store.js';

/**
 * An in-memory CaseStore that keeps each case as JSON text and its events as JSON lines, as
 * DynamoDB keeps items serialised outside the process, for the engine benchmark. Held as
 * objects, 20,000 cases took more memory than the engine running them: each case's step
 * effects are keyed by its own execution (`case-123/Send the receipt`), so every stored case
 * also kept hidden classes of its own alive. Text costs a parse on each read, about what the
 * object store's copy costs.
 *
 * The same contract as `MemoryCaseStore` (conditional writes, idempotent create), which it
 * extends for what it does not store (references, `onCreate`, `failNextCreate`); like the
 * DynamoDB adapter (`removeUndefinedValues`), it does not keep values that are `undefined`.
 * Also like that adapter, `update` and `appendEvent` return what they wrote (the merged
 * record, the event) without reading it back: a read is a parse, a write a stringify.
 * Its `cases` map stays empty: tests that edit stored cases in place use `MemoryCaseStore`.
 */
export class CompactCaseStore extends MemoryCaseStore {
  private readonly texts = new Map<string, string>();
  private readonly eventTexts = new Map<string, string[]>();
  private readonly keys = new Map<string, string>();
  /** Case ids by complainant email (lower-cased), so intake's look-up is not a scan. */
  private readonly byEmail = new Map<string, Set<string>>();

  override async create(
    record: CaseRecord,
    firstEvent: Omit<CaseEvent, 'caseId' | 'seq'>,
    idempotencyKey?: string,
  ): Promise<{ record: CaseRecord; created: boolean }> {
    if (this.failNextCreate) {
      const error = this.failNextCreate;
      this.failNextCreate = undefined;
      throw error;
    }
    const existing = idempotencyKey ? this.keys.get(idempotencyKey) : undefined;
    if (existing) return { record: this.read(existing) as CaseRecord, created: false };
    if (this.texts.has(record.caseId)) throw new DuplicateCaseError(`case ${record.caseId} exists`);
    const text = JSON.stringify(record);
    this.write(record.caseId, text, undefined, record);
    this.eventTexts.set(record.caseId, [JSON.stringify({ ...firstEvent, caseId: record.caseId, seq: 1 })]);
    if (idempotencyKey) this.keys.set(idempotencyKey, record.caseId);
    this.onCreate?.(JSON.parse(text) as CaseRecord);
    return { record: JSON.parse(text) as CaseRecord, created: true };
  }

  override async get(caseId: string): Promise<CaseRecord | undefined> {
    return this.read(caseId);
  }

  override async update(
    caseId: string,
    expectedVersion: number,
    change: CaseChange,
    expectedStatus?: CaseRecord['status'][],
  ): Promise<CaseRecord> {
    const current = this.read(caseId);
    if (!current) throw new CaseNotFoundError(`case ${caseId} not found`);
    if (current.version !== expectedVersion || (expectedStatus && !expectedStatus.includes(current.status))) {
      throw new ConcurrentUpdateError(`case ${caseId} changed since version ${expectedVersion}`);
    }
    const next = { ...current, ...change.set } as CaseRecord;
    for (const key of change.remove ?? []) delete next[key];
    // Not kept, as the DynamoDB adapter does not keep them (the text leaves them out anyway).
    for (const key of Object.keys(change.set ?? {}) as (keyof CaseRecord)[]) {
      if (next[key] === undefined) delete next[key];
    }
    next.version = current.version + 1;
    const events = eventsOf(change);
    next.updatedAt = events.at(-1)?.at ?? current.updatedAt;
    this.write(caseId, JSON.stringify(next), current, next);
    for (const event of events) await this.appendEvent(caseId, event);
    // The merged record, not the stored text parsed again: the DynamoDB adapter returns the
    // record it wrote without reading it back. `current` was parsed for this call alone, so
    // the caller shares nothing with the store.
    return next;
  }

  override async appendEvent(
    caseId: string,
    event: Omit<CaseEvent, 'caseId' | 'seq'>,
    options: { afterSeq?: number } = {},
  ): Promise<CaseEvent> {
    const list = this.eventTexts.get(caseId);
    if (!list) throw new CaseNotFoundError(`case ${caseId} not found`);
    if (options.afterSeq !== undefined && list.length !== options.afterSeq) {
      throw new ConcurrentUpdateError(`case ${caseId}'s history is at event ${list.length}`);
    }
    const stored = { ...event, caseId, seq: list.length + 1 } as CaseEvent;
    list.push(JSON.stringify(stored));
    // As the DynamoDB adapter, the event it wrote rather than the stored text read back.
    return stored;
  }

  override async events(caseId: string): Promise<CaseEvent[]> {
    return (this.eventTexts.get(caseId) ?? []).map((text) => JSON.parse(text) as CaseEvent);
  }

  override async byComplainant(email: string): Promise<CaseRecord[]> {
    return [...(this.byEmail.get(email.toLowerCase()) ?? [])]
      .map((caseId) => this.read(caseId) as CaseRecord)
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  }

  override async complainantDesignated(email: string): Promise<boolean> {
    return complainantDesignated(await this.byComplainant(email));
  }

  private read(caseId: string): CaseRecord | undefined {
    const text = this.texts.get(caseId);
    return text === undefined ? undefined : (JSON.parse(text) as CaseRecord);
  }

  /** Every case, parsed, for the scans `MemoryCaseStore` makes (the benchmark makes none). */
  protected override stored(): CaseRecord[] {
    return [...this.texts.values()].map((text) => JSON.parse(text) as CaseRecord);
  }

  private write(caseId: string, text: string, before: CaseRecord | undefined, after: CaseRecord): void {
    this.texts.set(caseId, text);
    const from = before?.complainant?.email?.toLowerCase();
    const to = after.complainant?.email?.toLowerCase();
    if (from === to) return;
    if (from !== undefined) this.byEmail.get(from)?.delete(caseId);
    if (to !== undefined) this.byEmail.set(to, (this.byEmail.get(to) ?? new Set<string>()).add(caseId));
  }
}
