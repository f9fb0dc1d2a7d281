import rfdc from 'rfdc';
import type { CaseEvent, CaseRecord } from '../../functions/domain/case.js';
import { complainantDesignated } from '../../functions/domain/designation.js';
import { mailboxKey } from '../../functions/domain/intake-limits.js';
import {
  AlreadyDoneError,
  type CaseChange,
  CaseNotFoundError,
  type CaseStore,
  ConcurrentUpdateError,
  DuplicateCaseError,
  eventsOf,
  type StaffCaseQueries,
} from '../../functions/domain/ports.js';
import { nextDeadline } from '../../functions/domain/staff.js';
import type { CaseKind } from '../../functions/domain/types.js';
import { type WorkList, type WorkListEntry, workListEntries } from '../../functions/domain/work-lists.js';

/**
 * A deep copy of plain data, as a DynamoDB read or write gives one: what a caller holds is never
 * the stored record. `rfdc` copies the case's JSON-shaped data about four times faster than
 * `structuredClone`, which was most of this store's time when the engine benchmark drives
 * thousands of cases through it.
 */
const clone = rfdc();

const emailKey = (record: CaseRecord): string | undefined => record.complainant?.email?.toLowerCase();

/**
 * The cases by id, with an index of them by complainant email kept on every `set` and `delete`
 * (tests also set records here directly), so a look-up by complainant is not a scan of every case.
 */
class CaseMap extends Map<string, CaseRecord> {
  private readonly byEmail = new Map<string, Set<string>>();
  /** Each id's place in the map's own order (a Map keeps an existing key where it was). */
  private readonly place = new Map<string, number>();
  private places = 0;

  override set(caseId: string, record: CaseRecord): this {
    // Map's constructor calls `set` before this class's fields exist; it is never given entries here.
    if (!this.byEmail) return super.set(caseId, record);
    const before = this.get(caseId);
    super.set(caseId, record);
    if (!this.place.has(caseId)) this.place.set(caseId, this.places++);
    const from = before && emailKey(before);
    const to = emailKey(record);
    if (from === to) return this;
    if (from !== undefined) this.unindex(caseId, from);
    if (to !== undefined) {
      const ids = this.byEmail.get(to) ?? new Set<string>();
      ids.add(caseId);
      this.byEmail.set(to, ids);
    }
    return this;
  }

  override delete(caseId: string): boolean {
    const before = this.get(caseId);
    const email = before && emailKey(before);
    if (email !== undefined) this.unindex(caseId, email);
    this.place.delete(caseId);
    return super.delete(caseId);
  }

  override clear(): void {
    this.byEmail.clear();
    this.place.clear();
    super.clear();
  }

  /** The cases whose complainant has this email (lower-cased), in the map's order. */
  withEmail(email: string): CaseRecord[] {
    const ids = [...(this.byEmail.get(email) ?? [])].sort(
      (a, b) => (this.place.get(a) ?? 0) - (this.place.get(b) ?? 0),
    );
    const found: CaseRecord[] = [];
    for (const id of ids) {
      const record = this.get(id);
      // A test that edits a stored record in place may have changed its email since.
      if (record && emailKey(record) === email) found.push(record);
    }
    return found;
  }

  private unindex(caseId: string, email: string): void {
    const ids = this.byEmail.get(email);
    ids?.delete(caseId);
    if (ids?.size === 0) this.byEmail.delete(email);
  }
}

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
  readonly cases: Map<string, CaseRecord> = new CaseMap();
  readonly eventLog = new Map<string, CaseEvent[]>();
  private readonly idempotency = new Map<string, string>();
  /** Forms' one-off ids taken by a change (`CaseChange.once`), by case. */
  private readonly onceIds = new Set<string>();
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
      if (existing) return { record: clone(this.cases.get(existing) as CaseRecord), created: false };
    }
    if (this.cases.has(record.caseId)) throw new DuplicateCaseError(`case ${record.caseId} exists`);
    this.cases.set(record.caseId, clone(record));
    this.eventLog.set(record.caseId, [{ ...firstEvent, caseId: record.caseId, seq: 1 }]);
    if (idempotencyKey) this.idempotency.set(idempotencyKey, record.caseId);
    this.onCreate?.(clone(record));
    return { record: clone(record), created: true };
  }

  /**
   * Every stored case, as the scans below read it (not copied: they copy what they return). A
   * store that keeps cases another way (the benchmark's `CompactCaseStore`) gives its own.
   */
  /**
   * Takes the change's form id, as the DynamoDB adapter does in the change's own transaction;
   * `AlreadyDoneError` when a change took it. Called once the change is sure to be written.
   */
  protected takeOnce(caseId: string, change: CaseChange): void {
    if (change.once === undefined) return;
    const key = `${caseId}:${change.once}`;
    if (this.onceIds.has(key)) throw new AlreadyDoneError(`case ${caseId}: this form was sent already`);
    this.onceIds.add(key);
  }

  protected stored(): CaseRecord[] {
    return [...this.cases.values()];
  }

  /** The work lists as the DynamoDB store keeps them: derived from the cases, oldest first. */
  async workList(
    list: WorkList,
    options: { limit: number; cursor?: string; dueBy?: string },
  ): Promise<{ entries: WorkListEntry[]; next?: string }> {
    const all = this.stored()
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
    return found ? clone(found) : undefined;
  }

  async getByReference(reference: string): Promise<CaseRecord | undefined> {
    for (const c of this.stored()) if (c.reference === reference) return clone(c);
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
    this.takeOnce(caseId, change);
    const next: CaseRecord = { ...current, ...clone(change.set ?? {}) } as CaseRecord;
    for (const key of change.remove ?? []) delete next[key];
    next.version = current.version + 1;
    const events = eventsOf(change);
    next.updatedAt = events.at(-1)?.at ?? current.updatedAt;
    this.cases.set(caseId, next);
    for (const event of events) await this.appendEvent(caseId, event);
    return clone(next);
  }

  async appendEvent(
    caseId: string,
    event: Omit<CaseEvent, 'caseId' | 'seq'>,
    options: { afterSeq?: number } = {},
  ): Promise<CaseEvent> {
    const list = this.eventLog.get(caseId);
    if (!list) throw new CaseNotFoundError(`case ${caseId} not found`);
    if (options.afterSeq !== undefined && list.length !== options.afterSeq) {
      throw new ConcurrentUpdateError(`case ${caseId}'s history is at event ${list.length}`);
    }
    const full = { ...event, caseId, seq: list.length + 1 };
    list.push(full);
    return full;
  }

  async events(caseId: string): Promise<CaseEvent[]> {
    return clone(this.eventLog.get(caseId) ?? []);
  }

  async openByDeadline(before: string, limit = 100): Promise<CaseRecord[]> {
    return this.stored()
      .filter((c) => c.status !== 'closed' && c.status !== 'redirected')
      .map((c) => ({ c, next: nextDeadline(c) }))
      .filter((x): x is { c: CaseRecord; next: string } => x.next !== undefined && x.next <= before)
      .sort((a, b) => a.next.localeCompare(b.next))
      .slice(0, limit)
      .map((x) => clone(x.c));
  }

  async *openCases(): AsyncIterable<CaseRecord> {
    for (const c of await this.openByDeadline('9999-12-31T23:59:59.999Z', Number.POSITIVE_INFINITY)) yield c;
  }

  async byComplainant(email: string): Promise<CaseRecord[]> {
    return (this.cases as CaseMap)
      .withEmail(email.toLowerCase())
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
      .map((c) => clone(c));
  }

  async complainantDesignated(email: string): Promise<boolean> {
    // As the case table keys designations: by the mailbox the address reaches.
    const mailbox = mailboxKey(email);
    const theirs = this.stored().filter(
      (c) => c.complainant.email && mailboxKey(c.complainant.email) === mailbox,
    );
    return complainantDesignated(theirs);
  }

  async byService(service: string, from: string, to: string): Promise<CaseRecord[]> {
    return this.stored()
      .filter((c) => c.service === service && c.receivedAt >= from && c.receivedAt < to)
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))
      .map((c) => clone(c));
  }

  async *receivedBetween(from: string, to: string): AsyncIterable<CaseRecord> {
    const list = this.stored()
      .filter((c) => c.receivedAt >= from && c.receivedAt < to)
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
    for (const c of list) yield clone(c);
  }
}
