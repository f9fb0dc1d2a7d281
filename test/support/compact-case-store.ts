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
 * An in-memory CaseStore for the engine benchmark that keeps each case as one deeply frozen
 * record and its events as JSON lines. DynamoDB gives every reader its own copy; here a reader
 * gets the stored record itself, frozen, so what it holds can never change what is stored (an
 * attempt throws a `TypeError` and fails the benchmark), and no copy is paid for on each of a
 * case's 25 reads. Whatever is written is copied and frozen first, as the caller may change its
 * own objects afterwards. Kept as JSON text, each read was a parse and each write a stringify:
 * 13–15% of the benchmark's CPU time.
 *
 * The same contract as `MemoryCaseStore` (conditional writes, idempotent create), which it
 * extends for what it does not store (references, `onCreate`, `failNextCreate`); like the
 * DynamoDB adapter (`removeUndefinedValues`), it does not keep values that are `undefined`.
 * Also like that adapter, `update` and `appendEvent` return what they wrote (the merged
 * record, the event) without reading it back.
 * Its `cases` map stays empty: tests that edit stored cases in place use `MemoryCaseStore`.
 */
export class CompactCaseStore extends MemoryCaseStore {
  private readonly records = new Map<string, CaseRecord>();
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
    if (this.records.has(record.caseId)) throw new DuplicateCaseError(`case ${record.caseId} exists`);
    const stored = frozenCopy(record);
    this.write(record.caseId, stored, undefined);
    this.eventTexts.set(record.caseId, [flatJson({ ...firstEvent, caseId: record.caseId, seq: 1 })]);
    if (idempotencyKey) this.keys.set(idempotencyKey, record.caseId);
    this.onCreate?.(stored);
    return { record: stored, created: true };
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
    this.takeOnce(caseId, change);
    // The members set are copied (and frozen) here: the caller may change its own objects later.
    // `frozenCopy` leaves out what is `undefined`, as the DynamoDB adapter does not keep it.
    const next = { ...current, ...(change.set ? frozenCopy(change.set) : {}) } as CaseRecord;
    for (const key of change.remove ?? []) delete next[key];
    next.version = current.version + 1;
    const events = eventsOf(change);
    next.updatedAt = events.at(-1)?.at ?? current.updatedAt;
    this.write(caseId, Object.freeze(next), current);
    for (const event of events) await this.appendEvent(caseId, event);
    // What it wrote, as the DynamoDB adapter returns the record without reading it back.
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
    list.push(flatJson(stored));
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
    return this.records.get(caseId);
  }

  /** Every case, for the scans `MemoryCaseStore` makes (the benchmark makes none). */
  protected override stored(): CaseRecord[] {
    return [...this.records.values()];
  }

  private write(caseId: string, after: CaseRecord, before: CaseRecord | undefined): void {
    this.records.set(caseId, after);
    const from = before?.complainant?.email?.toLowerCase();
    const to = after.complainant?.email?.toLowerCase();
    if (from === to) return;
    if (from !== undefined) this.byEmail.get(from)?.delete(caseId);
    if (to !== undefined) this.byEmail.set(to, (this.byEmail.get(to) ?? new Set<string>()).add(caseId));
  }
}

/**
 * A deep copy of JSON-shaped data, frozen all through, leaving out members that are `undefined`
 * (the DynamoDB adapter's `removeUndefinedValues`). Anything else than plain objects, arrays and
 * primitives goes through JSON, as it would to DynamoDB's marshaller's nearest equivalent.
 */
function frozenCopy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  // A frozen member is one this store handed out (frozen throughout, with no `undefined`
  // members), which a step sets again with its changes (its case's effects, its progress): it
  // cannot change, so it is kept as it is rather than copied again on every write.
  if (Object.isFrozen(value)) return value;
  if (Array.isArray(value)) return Object.freeze(value.map(frozenCopy)) as T;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return deepFreeze(JSON.parse(JSON.stringify(value)));
  const copy: Record<string, unknown> = {};
  for (const key in value) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) copy[key] = frozenCopy(member);
  }
  return Object.freeze(copy) as T;
}

/**
 * `JSON.stringify`'s text as one flat string. V8 returns a longer text as a rope of the pieces it
 * wrote (a "cons string"), which keeps a node per piece for as long as the text is kept; reading
 * a character flattens it in place, and the collector then drops the rope. Measured: 200,000
 * event texts of about 300 characters took 99 MB as ropes and 71 MB flat (the benchmark keeps
 * about 18 a case).
 */
function flatJson(value: unknown): string {
  const text = JSON.stringify(value);
  text.charCodeAt(0);
  return text;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
