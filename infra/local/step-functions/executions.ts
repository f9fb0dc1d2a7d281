/**
 * Executions and their history: the records (kept in memory and, with a state directory, on
 * disk), AWS-shaped history events, how an execution ends, whether it can be redriven, and
 * the read side of the API (Describe/List/GetExecutionHistory).
 */
import type { Clock } from './clock.js';
import { SfnApiError } from './errors.js';
import { MemoryHistory } from './memory-history.js';
import type { EngineStore, ExecutionRecord, ExecutionStatus, StoredEvent } from './store.js';

/** A history event as the AWS SDK returns it. */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: Date;
  type: string;
  [details: string]: unknown;
}

/** Whether an execution can be redriven now, as `DescribeExecution` reports it. */
export type RedriveStatus = 'REDRIVABLE' | 'NOT_REDRIVABLE';

/** `DescribeExecution` as the AWS SDK returns it (`input`/`output` are JSON text). */
export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  /** How many times the execution was redriven (0 if never). */
  redriveCount?: number;
  /** When it was last redriven (absent if never). */
  redriveDate?: Date;
  redriveStatus?: RedriveStatus;
  /** Why it cannot be redriven, when it cannot. */
  redriveStatusReason?: string;
}

/** One row of `ListExecutions`. */
export interface ExecutionListItem {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  redriveCount?: number;
  redriveDate?: Date;
}

/** `ListExecutions` filters. */
export interface ExecutionFilter {
  stateMachineArn?: string;
  statusFilter?: ExecutionStatus;
  /** Only executions that were (`REDRIVEN`) or were never (`NOT_REDRIVEN`) redriven. */
  redriveFilter?: 'REDRIVEN' | 'NOT_REDRIVEN';
}

const MAX_INPUT_BYTES = 256 * 1024;
const DAY_MS = 24 * 3600 * 1000;
// AWS's limits on redriving: within 14 days of the stop, within a year of the start, and
// while the history has room (25,000 events).
const REDRIVABLE_PERIOD_MS = 14 * DAY_MS;
const MAX_OPEN_MS = 365 * DAY_MS;
const MAX_HISTORY_EVENTS = 25_000;
// AWS answers a repeated RedriveExecution with the same client token for 15 minutes, for the last 10 tokens.
const CLIENT_TOKEN_MS = 15 * 60 * 1000;
const CLIENT_TOKENS_KEPT = 10;

const END_EVENTS: Record<Exclude<ExecutionStatus, 'RUNNING'>, string> = {
  SUCCEEDED: 'ExecutionSucceeded',
  FAILED: 'ExecutionFailed',
  TIMED_OUT: 'ExecutionTimedOut',
  ABORTED: 'ExecutionAborted',
};

/** `TaskStateEntered` → `stateEnteredEventDetails`, `TaskScheduled` → `taskScheduledEventDetails`. */
function eventDetailsKey(type: string): string {
  const shared = type.replace(/^\w+StateEntered$/, 'StateEntered').replace(/^\w+StateExited$/, 'StateExited');
  return `${shared.charAt(0).toLowerCase()}${shared.slice(1)}EventDetails`;
}

/** The JSON text of an event's type and its details key, worked out once per type (there are a few dozen). */
const eventTypeTexts = new Map<string, { type: string; detailsKey: string }>();

function eventTypeText(type: string): { type: string; detailsKey: string } {
  let texts = eventTypeTexts.get(type);
  if (texts === undefined) {
    texts = { type: JSON.stringify(type), detailsKey: JSON.stringify(eventDetailsKey(type)) };
    eventTypeTexts.set(type, texts);
  }
  return texts;
}

/** JSON text of a value as history events and DescribeExecution carry it (`undefined` → `null`). */
export function jsonText(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

/** The executions of one engine. */
export class ExecutionRegistry {
  private readonly records = new Map<string, ExecutionRecord>();
  private closed = false;
  /** Records queued by `persistSoon`, written together on the next turn of the event loop. */
  private batch: { promise: Promise<void>; written: () => void } | undefined;
  private lastTimestampMs = Number.NaN;
  private lastTimestamp = '';

  /**
   * @param clock timestamps of events and stops
   * @param store where records are written, if the engine has a state directory
   * @param onError told when a write fails (an execution must not fail because its checkpoint did)
   */
  constructor(
    private readonly clock: Clock,
    private readonly store: EngineStore | undefined,
    private readonly onError: (error: unknown) => void,
  ) {
    for (const record of store?.loadExecutions() ?? []) this.records.set(record.executionArn, record);
  }

  /** Stops writing: what is on disk stays as the last write left it (as after a kill). */
  close(): void {
    this.closed = true;
    this.store?.close();
    // What was queued is dropped, as a kill would drop it; its flows are stopping anyway.
    this.batch?.written();
    this.batch = undefined;
  }

  /** Every execution record. */
  all(): ExecutionRecord[] {
    return [...this.records.values()];
  }

  /** Whether this engine knows the execution. */
  has(executionArn: string): boolean {
    return this.records.has(executionArn);
  }

  /** The record of an execution; `InvalidArn` or `ExecutionDoesNotExist` otherwise. */
  get(executionArn: string): ExecutionRecord {
    if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/.test(executionArn)) {
      throw new SfnApiError('InvalidArn', `Invalid Arn: '${executionArn}'`);
    }
    const record = this.records.get(executionArn);
    if (!record)
      throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return record;
  }

  /**
   * Records a new execution (`ExecutionStarted`), or finds the one a repeated StartExecution
   * means: the same name with the same input while RUNNING is that execution (`created:
   * false`), as AWS's StartExecution is idempotent; any other reuse of a name is
   * `ExecutionAlreadyExists`.
   */
  start(request: {
    executionArn: string;
    stateMachineArn: string;
    name: string;
    input: unknown;
    definition: string;
    timeoutSeconds: number | undefined;
    roleArn: string;
  }): { record: ExecutionRecord; created: boolean } {
    const input = this.normaliseInput(request.input);
    const existing = this.records.get(request.executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input)
        return { record: existing, created: false };
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${request.executionArn}'`);
    }
    const startDate = this.clock.now();
    const record: ExecutionRecord = {
      executionArn: request.executionArn,
      stateMachineArn: request.stateMachineArn,
      name: request.name,
      status: 'RUNNING',
      input,
      startDate: startDate.toISOString(),
      definition: request.definition,
      eventCount: 0,
      // Without a state directory the history is kept here; with one, on disk.
      ...(this.store ? {} : { history: new MemoryHistory() }),
      ...(request.timeoutSeconds !== undefined
        ? { timeoutAt: new Date(startDate.getTime() + request.timeoutSeconds * 1000).toISOString() }
        : {}),
    };
    this.records.set(record.executionArn, record);
    this.addEvent(record, 'ExecutionStarted', {
      input,
      inputDetails: { truncated: false },
      roleArn: request.roleArn,
    });
    return { record, created: true };
  }

  /**
   * Appends an AWS-shaped event (`<type>EventDetails` holds `details`): to the history file
   * with a state directory (written before the record's next save), else to the record.
   */
  addEvent(record: ExecutionRecord, type: string, details: Record<string, unknown> | undefined): void {
    record.eventCount += 1;
    const id = record.eventCount;
    // The event's JSON, written as `JSON.stringify` would write `{ id, previousEventId,
    // timestamp, type, [detailsKey]: details }` but without making that object first: a case
    // makes about eighty events, and they were a large part of the engine's time.
    const texts = eventTypeText(type);
    const head = `{"id":${id},"previousEventId":${id - 1},"timestamp":"${this.timestamp()}","type":${texts.type}`;
    const text = details ? `${head},${texts.detailsKey}:${JSON.stringify(details)}}` : `${head}}`;
    if (this.store) {
      if (!this.closed) this.store.appendEvent(record.executionArn, text);
    } else {
      if (!record.history) record.history = new MemoryHistory();
      record.history.add(text);
    }
  }

  /** Now as an ISO timestamp; the same instant's text is reused (many events share one). */
  private timestamp(): string {
    const now = this.clock.now();
    const ms = now.getTime();
    if (ms !== this.lastTimestampMs) {
      this.lastTimestampMs = ms;
      this.lastTimestamp = now.toISOString();
    }
    return this.lastTimestamp;
  }

  /**
   * The execution waits (a Wait state, a callback) or has ended: its history in memory, if it
   * has one there, is compressed so far.
   */
  idle(record: ExecutionRecord): void {
    record.history?.pack();
  }

  /** Writes the record now, if the engine has a state directory and is open. */
  persist(record: ExecutionRecord): void {
    if (!this.store || this.closed) return;
    try {
      this.store.saveExecution(record);
      if (this.store.wantsCompaction()) this.store.compact(this.records.values());
    } catch (error: unknown) {
      this.onError(error);
    }
  }

  /**
   * Writes the record with the others saved in the same turn of the event loop, and resolves
   * once they are on disk: a flow that awaits it before calling a Lambda or sleeping has its
   * checkpoint written first, as with `persist`, while hundreds of executions moving at once
   * share two writes instead of making two each.
   */
  persistSoon(record: ExecutionRecord): Promise<void> {
    if (!this.store || this.closed) return Promise.resolve();
    try {
      this.store.queueExecution(record);
    } catch (error: unknown) {
      this.onError(error);
      return Promise.resolve();
    }
    if (!this.batch) {
      let written = (): void => {};
      const promise = new Promise<void>((resolve) => {
        written = resolve;
      });
      this.batch = { promise, written };
      setImmediate(() => this.writeBatch());
    }
    return this.batch.promise;
  }

  private writeBatch(): void {
    const batch = this.batch;
    this.batch = undefined;
    if (this.store && !this.closed) {
      try {
        this.store.flush();
        if (this.store.wantsCompaction()) this.store.compact(this.records.values());
      } catch (error: unknown) {
        this.onError(error);
      }
    }
    batch?.written();
  }

  /**
   * Ends a running execution with `status`. A successful one forgets its checkpoint; any
   * other keeps it, because a redrive restarts there.
   */
  end(
    record: ExecutionRecord,
    status: Exclude<ExecutionStatus, 'RUNNING'>,
    outcome: { output?: string; error?: string; cause?: string },
  ): void {
    this.record(record, status, outcome);
    this.persist(record);
  }

  /** As `end`, written with the other records saved in this turn; resolves once it is on disk. */
  endSoon(
    record: ExecutionRecord,
    status: Exclude<ExecutionStatus, 'RUNNING'>,
    outcome: { output?: string; error?: string; cause?: string },
  ): Promise<void> {
    this.record(record, status, outcome);
    return this.persistSoon(record);
  }

  /** How an execution ended, on its record and in its history. */
  private record(
    record: ExecutionRecord,
    status: Exclude<ExecutionStatus, 'RUNNING'>,
    outcome: { output?: string; error?: string; cause?: string },
  ): void {
    record.status = status;
    record.stopDate = this.clock.now().toISOString();
    if (outcome.output !== undefined) record.output = outcome.output;
    if (outcome.error !== undefined) record.error = outcome.error;
    if (outcome.cause !== undefined) record.cause = outcome.cause;
    this.addEvent(
      record,
      END_EVENTS[status],
      status === 'SUCCEEDED'
        ? { output: outcome.output, outputDetails: { truncated: false } }
        : {
            ...(outcome.error !== undefined ? { error: outcome.error } : {}),
            ...(outcome.cause !== undefined ? { cause: outcome.cause } : {}),
          },
    );
    if (status === 'SUCCEEDED') delete record.checkpoint;
    this.idle(record);
  }

  /** Whether the execution can be redriven now, and if not, why (in AWS's words). */
  redriveStatus(record: ExecutionRecord): { status: RedriveStatus; reason?: string } {
    const now = this.clock.now().getTime();
    const not = (reason: string) => ({ status: 'NOT_REDRIVABLE' as const, reason });
    if (record.status === 'RUNNING') return not('Execution is RUNNING and cannot be redriven');
    if (record.status === 'SUCCEEDED') return not('Execution is SUCCEEDED and cannot be redriven');
    if (record.eventCount >= MAX_HISTORY_EVENTS) return not('Execution history event limit exceeded');
    if (now - Date.parse(record.startDate) > MAX_OPEN_MS) {
      return not('Execution has exceeded the max execution time');
    }
    if (record.stopDate && now - Date.parse(record.stopDate) > REDRIVABLE_PERIOD_MS) {
      return not('Execution redrivable period exceeded');
    }
    return { status: 'REDRIVABLE' };
  }

  /** The date of an earlier redrive made with this client token, if AWS would still answer it. */
  earlierRedrive(record: ExecutionRecord, clientToken: string | undefined): Date | undefined {
    if (clientToken === undefined) return undefined;
    const now = this.clock.now().getTime();
    const earlier = record.redriveTokens?.find(
      (t) => t.token === clientToken && now - Date.parse(t.date) <= CLIENT_TOKEN_MS,
    );
    return earlier ? new Date(earlier.date) : undefined;
  }

  /**
   * Turns a stopped execution back to RUNNING for a redrive: counts it, records
   * `ExecutionRedriven`, clears the stop, and restarts the execution-level timeout from now
   * (AWS resets it on redrive).
   */
  markRedriven(record: ExecutionRecord, timeoutSeconds: number | undefined, clientToken?: string): Date {
    const now = this.clock.now();
    record.status = 'RUNNING';
    record.redriveCount = (record.redriveCount ?? 0) + 1;
    record.redriveDate = now.toISOString();
    delete record.stopDate;
    delete record.error;
    delete record.cause;
    delete record.output;
    if (timeoutSeconds !== undefined) {
      record.timeoutAt = new Date(now.getTime() + timeoutSeconds * 1000).toISOString();
    }
    if (clientToken !== undefined) {
      record.redriveTokens = [
        ...(record.redriveTokens ?? []).slice(-(CLIENT_TOKENS_KEPT - 1)),
        { token: clientToken, date: record.redriveDate },
      ];
    }
    this.addEvent(record, 'ExecutionRedriven', { redriveCount: record.redriveCount });
    this.persist(record);
    return now;
  }

  /** `DescribeExecution`. */
  describe(executionArn: string): ExecutionDescription {
    const r = this.get(executionArn);
    const redrive = this.redriveStatus(r);
    return {
      executionArn: r.executionArn,
      stateMachineArn: r.stateMachineArn,
      name: r.name,
      status: r.status,
      startDate: new Date(r.startDate),
      ...(r.stopDate ? { stopDate: new Date(r.stopDate) } : {}),
      input: r.input,
      ...(r.output !== undefined ? { output: r.output } : {}),
      ...(r.error !== undefined ? { error: r.error } : {}),
      ...(r.cause !== undefined ? { cause: r.cause } : {}),
      redriveCount: r.redriveCount ?? 0,
      ...(r.redriveDate ? { redriveDate: new Date(r.redriveDate) } : {}),
      redriveStatus: redrive.status,
      ...(redrive.reason ? { redriveStatusReason: redrive.reason } : {}),
    };
  }

  /** The events of an execution, oldest first unless `reverseOrder`. */
  history(executionArn: string, reverseOrder = false): HistoryEvent[] {
    const events = this.storedHistory(executionArn).map((e) => ({ ...e, timestamp: new Date(e.timestamp) }));
    return reverseOrder ? events.reverse() : events;
  }

  /** The names of the states entered, in order (nested states included). */
  visitedStates(executionArn: string): string[] {
    return this.storedHistory(executionArn)
      .filter((e) => e.type.endsWith('StateEntered'))
      .map((e) => (e.stateEnteredEventDetails as { name: string }).name);
  }

  /**
   * The stored events of an execution: from memory, or read from the state directory (a scan
   * of the history file: only tests and GetExecutionHistory ask, and nothing the workflows run
   * does). Events of a closed engine not yet written are gone, as after a kill.
   */
  private storedHistory(executionArn: string): StoredEvent[] {
    const record = this.get(executionArn);
    if (record.history) return record.history.lines().map((line) => JSON.parse(line) as StoredEvent);
    return this.store ? this.store.readHistory(executionArn, record.eventCount) : [];
  }

  /** The execution's output, parsed (undefined unless it succeeded). */
  output(executionArn: string): unknown {
    const { output } = this.get(executionArn);
    return output === undefined ? undefined : JSON.parse(output);
  }

  /** Executions, newest first, filtered. */
  list(filter: ExecutionFilter = {}): ExecutionListItem[] {
    return this.all()
      .filter((r) => !filter.stateMachineArn || r.stateMachineArn === filter.stateMachineArn)
      .filter((r) => !filter.statusFilter || r.status === filter.statusFilter)
      .filter(
        (r) => !filter.redriveFilter || (filter.redriveFilter === 'REDRIVEN') === (r.redriveCount ?? 0) > 0,
      )
      .sort((a, b) => b.startDate.localeCompare(a.startDate))
      .map((r) => ({
        executionArn: r.executionArn,
        stateMachineArn: r.stateMachineArn,
        name: r.name,
        status: r.status,
        startDate: new Date(r.startDate),
        ...(r.stopDate ? { stopDate: new Date(r.stopDate) } : {}),
        ...(r.redriveCount ? { redriveCount: r.redriveCount } : {}),
        ...(r.redriveDate ? { redriveDate: new Date(r.redriveDate) } : {}),
      }));
  }

  /** Execution input as JSON text: a JSON value or JSON text, at most 256 KiB. */
  private normaliseInput(input: unknown): string {
    let value: unknown = input ?? {};
    if (typeof input === 'string') {
      try {
        value = JSON.parse(input);
      } catch (error: unknown) {
        throw new SfnApiError(
          'InvalidExecutionInput',
          'Invalid State Machine Execution Input: not valid JSON',
          {
            cause: error,
          },
        );
      }
    }
    const text = JSON.stringify(value);
    if (Buffer.byteLength(text) > MAX_INPUT_BYTES) {
      throw new SfnApiError('InvalidExecutionInput', 'Execution input is larger than 256 KiB');
    }
    return text;
  }
}
