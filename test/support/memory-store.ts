import type { CaseEvent, CaseRecord } from '../../functions/domain/case.js';
import { complainantDesignated } from '../../functions/domain/designation.js';
import {
  type CaseChange,
  CaseNotFoundError,
  type CaseStore,
  ConcurrentUpdateError,
  DuplicateCaseError,
  type StaffCaseQueries,
} from '../../functions/domain/ports.js';
import { nextDeadline } from '../../functions/domain/staff.js';
import type { CaseKind } from '../../functions/domain/types.js';
import { type WorkList, type WorkListEntry, workListEntries } from '../../functions/domain/work-lists.js';

const PREFIX: Record<CaseKind, string> = {
  complaint: 'CMP',
  compliment: 'CPL',
  comment: 'CMT',
  representation: 'REP',
  'social-care': 'ASC',
};

/**
 * An in-memory CaseStore with the same contract as the DynamoDB adapter (conditional
 * writes, idempotent create). For unit tests of handlers only; the adapter itself is tested
 * against DynamoDB Local in `test/integration`.
 */
export class MemoryCaseStore implements CaseStore, Pick<StaffCaseQueries, 'workList'> {
  readonly cases = new Map<string, CaseRecord>();
  readonly eventLog = new Map<string, CaseEvent[]>();
  private readonly idempotency = new Map<string, string>();
  private readonly counters = new Map<string, number>();
  /** Set to make the next create fail, to check nothing half-written is left. */
  failNextCreate?: Error;
  /**
   * Told of each case stored, as DynamoDB Streams tells the workflow starter of each INSERT of a
   * case item (the workflow tests feed it to the `start-workflows` handler).
   */
  onCreate?: (record: CaseRecord) => void;
  /** Set to make `ping` fail with it, as a table that does not answer. */
  pingFailure?: Error;

  async ping(): Promise<void> {
    if (this.pingFailure) throw this.pingFailure;
  }

  async nextReference(kind: CaseKind, year: number): Promise<string> {
    const key = `${PREFIX[kind]}-${year}`;
    const n = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, n);
    return `${key}-${String(n).padStart(6, '0')}`;
  }

  async create(
    record: CaseRecord,
    firstEvent: Omit<CaseEvent, 'caseId' | 'seq'>,
    idempotencyKey?: string,
  ): Promise<{ record: CaseRecord; created: boolean }> {
    if (this.failNextCreate) {
      const error = this.failNextCreate;
      this.failNextCreate = undefined;
      throw error;
    }
    if (idempotencyKey) {
      const existing = this.idempotency.get(idempotencyKey);
      if (existing)
        return { record: structuredClone(this.cases.get(existing) as CaseRecord), created: false };
    }
    if (this.cases.has(record.caseId)) throw new DuplicateCaseError(`case ${record.caseId} exists`);
    this.cases.set(record.caseId, structuredClone(record));
    this.eventLog.set(record.caseId, [{ ...firstEvent, caseId: record.caseId, seq: 1 }]);
    if (idempotencyKey) this.idempotency.set(idempotencyKey, record.caseId);
    this.onCreate?.(structuredClone(record));
    return { record: structuredClone(record), created: true };
  }

  /** The work lists as the DynamoDB store keeps them: derived from the cases, oldest first. */
  async workList(
    list: WorkList,
    options: { limit: number; cursor?: string; dueBy?: string },
  ): Promise<{ entries: WorkListEntry[]; next?: string }> {
    const all = [...this.cases.values()]
      .flatMap(workListEntries)
      .filter((e) => e.list === list)
      .filter((e) => options.dueBy === undefined || e.at <= options.dueBy)
      .filter((e) => options.cursor === undefined || e.sort > options.cursor)
      .sort((a, b) => a.sort.localeCompare(b.sort));
    const entries = all.slice(0, options.limit);
    return {
      entries,
      ...(all.length > options.limit ? { next: entries.at(-1)?.sort as string } : {}),
    };
  }

  async get(caseId: string): Promise<CaseRecord | undefined> {
    const found = this.cases.get(caseId);
    return found ? structuredClone(found) : undefined;
  }

  async getByReference(reference: string): Promise<CaseRecord | undefined> {
    for (const c of this.cases.values()) if (c.reference === reference) return structuredClone(c);
    return undefined;
  }

  async update(
    caseId: string,
    expectedVersion: number,
    change: CaseChange,
    expectedStatus?: CaseRecord['status'][],
  ): Promise<CaseRecord> {
    const current = this.cases.get(caseId);
    if (!current) throw new CaseNotFoundError(`case ${caseId} not found`);
    if (current.version !== expectedVersion || (expectedStatus && !expectedStatus.includes(current.status))) {
      throw new ConcurrentUpdateError(`case ${caseId} changed since version ${expectedVersion}`);
    }
    const next: CaseRecord = { ...current, ...structuredClone(change.set ?? {}) } as CaseRecord;
    for (const key of change.remove ?? []) delete next[key];
    next.version = current.version + 1;
    next.updatedAt = change.event?.at ?? current.updatedAt;
    this.cases.set(caseId, next);
    if (change.event) await this.appendEvent(caseId, change.event);
    return structuredClone(next);
  }

  async appendEvent(caseId: string, event: Omit<CaseEvent, 'caseId' | 'seq'>): Promise<CaseEvent> {
    const list = this.eventLog.get(caseId);
    if (!list) throw new CaseNotFoundError(`case ${caseId} not found`);
    const full = { ...event, caseId, seq: list.length + 1 };
    list.push(full);
    return full;
  }

  async events(caseId: string): Promise<CaseEvent[]> {
    return structuredClone(this.eventLog.get(caseId) ?? []);
  }

  async openByDeadline(before: string, limit = 100): Promise<CaseRecord[]> {
    return [...this.cases.values()]
      .filter((c) => c.status !== 'closed' && c.status !== 'redirected')
      .map((c) => ({ c, next: nextDeadline(c) }))
      .filter((x): x is { c: CaseRecord; next: string } => x.next !== undefined && x.next <= before)
      .sort((a, b) => a.next.localeCompare(b.next))
      .slice(0, limit)
      .map((x) => structuredClone(x.c));
  }

  async *openCases(): AsyncIterable<CaseRecord> {
    for (const c of await this.openByDeadline('9999-12-31T23:59:59.999Z', Number.POSITIVE_INFINITY)) yield c;
  }

  async byComplainant(email: string): Promise<CaseRecord[]> {
    const wanted = email.toLowerCase();
    return [...this.cases.values()]
      .filter((c) => c.complainant.email?.toLowerCase() === wanted)
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
      .map((c) => structuredClone(c));
  }

  async complainantDesignated(email: string): Promise<boolean> {
    return complainantDesignated(await this.byComplainant(email));
  }

  async byService(service: string, from: string, to: string): Promise<CaseRecord[]> {
    return [...this.cases.values()]
      .filter((c) => c.service === service && c.receivedAt >= from && c.receivedAt < to)
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))
      .map((c) => structuredClone(c));
  }

  async *receivedBetween(from: string, to: string): AsyncIterable<CaseRecord> {
    const list = [...this.cases.values()]
      .filter((c) => c.receivedAt >= from && c.receivedAt < to)
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
    for (const c of list) yield structuredClone(c);
  }
}
