/**
 * On-disk records of the local engine, so open executions survive a restart (kill -9 included):
 *
 * - `state-machines/<name>.json`: one file per state machine, written atomically;
 * - `definitions/<sha-256>.json`: each definition an execution runs, once, by content hash;
 * - `executions.log`: the journal of execution records, one JSON line each time a record is
 *   saved (start, each top-level state entry, wait instant or task deadline, end, redrive),
 *   naming its definition by hash instead of carrying it. The last line of an execution wins.
 *   Appending a line costs the same however long the execution has run, where rewriting a file
 *   with the whole record (its definition and history included) at every state entry grew with
 *   both; the journal is rewritten, one line per execution, when it is opened and whenever
 *   superseded lines are most of it;
 * - `history.log`: every execution's history events, one JSON line `[executionArn, event]`
 *   each, appended in batches, always before the record line that follows them, so the
 *   history on disk is never behind the checkpoint. Only `GetExecutionHistory` (tests, the
 *   endpoint) reads it back; nothing of it stays in memory.
 *
 * Appends go through one descriptor per file: a kill can tear at most the last line, which a
 * reader skips. Folders of the earlier layout (`executions/<name>.json`, one whole record per
 * file, definition and history inside) are read and moved into the journal when opened.
 */

import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { MemoryHistory } from './memory-history.js';

/** Status of an execution, as the AWS API names it. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** A history event as stored (timestamps as ISO strings). */
export interface StoredEvent {
  id: number;
  previousEventId: number;
  timestamp: string;
  type: string;
  [details: string]: unknown;
}

/**
 * Where a running execution can be restarted: the top-level state last entered, its input,
 * and the absolute instants it was waiting for. An execution that ends FAILED, TIMED_OUT or
 * ABORTED keeps it: a redrive restarts there.
 */
export interface Checkpoint {
  stateName: string;
  input: unknown;
  enteredTime: string;
  /** A Wait state's wake-up instant. */
  waitUntil?: string;
  /** A Task's timeout instant (a callback's deadline). */
  taskDeadline?: string;
}

export interface StateMachineRecord {
  stateMachineArn: string;
  name: string;
  /** The definition after substitution (JSON text). */
  definition: string;
  creationDate: string;
}

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  /** JSON text. */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: string;
  stopDate?: string;
  /** The definition this execution runs (a later update of the state machine does not change it, as on AWS). */
  definition: string;
  /** The execution-level `TimeoutSeconds` instant, if the definition has one (reset by a redrive). */
  timeoutAt?: string;
  /** How many history events it has (the next event's id is one more). */
  eventCount: number;
  /**
   * Its history events, when the engine has no state directory (with one, they are in
   * `history.log` and not in memory): JSON text, compressed in chunks (`memory-history.ts`).
   */
  history?: MemoryHistory;
  checkpoint?: Checkpoint;
  /** How many times the execution was redriven (absent: never). */
  redriveCount?: number;
  /** When it was last redriven. */
  redriveDate?: string;
  /** Client tokens of recent successful redrives, so a retried request gets the same answer. */
  redriveTokens?: { token: string; date: string }[];
}

/** A record as a line of the journal: its definition by hash, no history. */
type JournalRecord = Omit<ExecutionRecord, 'definition' | 'history'> & { definitionId: string };

/** A record of the earlier one-file-per-execution layout. */
type LegacyRecord = Omit<ExecutionRecord, 'eventCount' | 'history'> & { history: StoredEvent[] };

let tmpCounter = 0;

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${tmpCounter++}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function fileName(key: string): string {
  return `${encodeURIComponent(key)}.json`;
}

function readJsonFiles<T>(dir: string): { file: string; value: T }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ file: join(dir, f), value: JSON.parse(readFileSync(join(dir, f), 'utf8')) as T }));
}

/** Calls `visit` with each complete line of a file, reading it in chunks (it may be large). */
function forEachLine(file: string, visit: (line: string) => void): void {
  if (!existsSync(file)) return;
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(1 << 22);
    // A character may straddle two chunks: the decoder holds its first bytes back until the rest come.
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for (;;) {
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      const text = rest + decoder.write(chunk.subarray(0, read));
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line) visit(line);
    }
    // A last line without its newline was cut short by a kill: it is not part of the file.
  } finally {
    closeSync(fd);
  }
}

/** Bytes a log holds back before writing them anyway. */
const MAX_PENDING_BYTES = 1 << 20;

/** The buffer a log's waiting lines are encoded into: room for the above and a line of up to a third of a megabyte. */
const PENDING_BUFFER_BYTES = 2 << 20;

/**
 * A file appended to through one descriptor; a torn last line (a kill mid-write) is ended first.
 * Lines waiting to be written are encoded into one buffer as they come, which is then written as
 * it is: joining them into one string and writing that made the text twice over (the joined copy,
 * then its UTF-8), about twice the work for the 30 KB of history every complaint writes.
 */
class AppendLog {
  private fd: number | undefined;
  private pending = Buffer.allocUnsafe(PENDING_BUFFER_BYTES);
  private pendingBytes = 0;
  /** Bytes in the file. */
  bytes: number;

  constructor(readonly file: string) {
    this.fd = openSync(file, 'a');
    this.bytes = fstatSync(this.fd).size;
    if (this.bytes > 0) {
      const last = Buffer.alloc(1);
      const fd = openSync(file, 'r');
      readSync(fd, last, 0, 1, this.bytes - 1);
      closeSync(fd);
      if (last[0] !== 0x0a) this.write(Buffer.from('\n'), 1);
    }
  }

  /**
   * Adds a line to be written at the next `flush` (or once a megabyte is waiting, if
   * `autoFlush`; without it the buffer grows instead). Returns the line's bytes with its newline.
   */
  buffer(line: string, autoFlush = true): number {
    // A UTF-16 code unit is at most three bytes of UTF-8 (a surrogate pair, two units, is four).
    const most = 3 * line.length + 1;
    if (this.pendingBytes + most > this.pending.length) {
      if (autoFlush) this.flush();
      if (this.pendingBytes + most > this.pending.length) this.grow(this.pendingBytes + most);
    }
    const bytes = this.pending.write(line, this.pendingBytes) + 1;
    this.pendingBytes += bytes;
    this.pending[this.pendingBytes - 1] = 0x0a;
    if (autoFlush && this.pendingBytes > MAX_PENDING_BYTES) this.flush();
    return bytes;
  }

  /** Bytes waiting to be written. */
  get waiting(): number {
    return this.pendingBytes;
  }

  flush(): void {
    if (this.pendingBytes === 0) return;
    const length = this.pendingBytes;
    this.pendingBytes = 0;
    this.write(this.pending, length);
    // A buffer grown for a large line goes back to the usual size.
    if (this.pending.length > PENDING_BUFFER_BYTES) this.pending = Buffer.allocUnsafe(PENDING_BUFFER_BYTES);
  }

  /** Stops writing; what was buffered and not flushed is dropped, as a kill would. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.pendingBytes = 0;
  }

  /** Replaces the file's content atomically and goes on appending to the new file. */
  replace(text: string): void {
    this.close();
    writeAtomically(this.file, text);
    this.fd = openSync(this.file, 'a');
    this.bytes = Buffer.byteLength(text);
  }

  /** A buffer with room for `bytes`, holding what is waiting. */
  private grow(bytes: number): void {
    const grown = Buffer.allocUnsafe(Math.max(bytes, 2 * this.pending.length));
    this.pending.copy(grown, 0, 0, this.pendingBytes);
    this.pending = grown;
  }

  private write(data: Buffer, length: number): void {
    if (this.fd === undefined) return;
    let offset = 0;
    // A write may take fewer bytes than it is given: the rest follows.
    while (offset < length) offset += writeSync(this.fd, data, offset, length - offset);
    this.bytes += length;
  }
}

// Rewrite the journal once it holds this much and four times what its latest lines take.
const COMPACT_MIN_BYTES = 8 << 20;

/** The files under a state directory. */
export class EngineStore {
  private readonly machinesDir: string;
  private readonly definitionsDir: string;
  private readonly legacyExecutionsDir: string;
  private readonly journal: AppendLog;
  private readonly historyLog: AppendLog;
  /** Definition hash → text (one string per definition, shared by every record that runs it). */
  private readonly definitions = new Map<string, string>();
  private readonly definitionIds = new Map<string, string>();
  /** Bytes of each execution's latest journal line (what a rewrite would keep). */
  private readonly latestLineBytes = new Map<string, number>();
  private latestBytes = 0;
  private closed = false;
  private lastArn = '';
  private lastArnJson = '""';

  constructor(dir: string) {
    this.machinesDir = join(dir, 'state-machines');
    this.definitionsDir = join(dir, 'definitions');
    this.legacyExecutionsDir = join(dir, 'executions');
    mkdirSync(this.machinesDir, { recursive: true });
    mkdirSync(this.definitionsDir, { recursive: true });
    this.journal = new AppendLog(join(dir, 'executions.log'));
    this.historyLog = new AppendLog(join(dir, 'history.log'));
  }

  saveStateMachine(record: StateMachineRecord): void {
    writeAtomically(join(this.machinesDir, fileName(record.name)), JSON.stringify(record));
  }

  loadStateMachines(): StateMachineRecord[] {
    return readJsonFiles<StateMachineRecord>(this.machinesDir).map(({ value }) => value);
  }

  /** Queues a history event (or its JSON text) of an execution; written before that execution's next record line. */
  appendEvent(executionArn: string, event: StoredEvent | string): void {
    if (this.closed) return;
    // An execution writes its events in runs (entered, scheduled, started…): its ARN's JSON is
    // made once per run rather than once per event.
    if (this.lastArn !== executionArn) {
      this.lastArn = executionArn;
      this.lastArnJson = JSON.stringify(executionArn);
    }
    this.historyLog.buffer(
      `[${this.lastArnJson},${typeof event === 'string' ? event : JSON.stringify(event)}]`,
    );
  }

  /** Appends the record to the journal now (after the history events queued before it). */
  saveExecution(record: ExecutionRecord): void {
    this.queueExecution(record);
    this.flush();
  }

  /**
   * Queues the record's journal line for the next `flush`, which writes the history events
   * queued so far first: the history on disk is never behind a checkpoint.
   */
  queueExecution(record: ExecutionRecord): void {
    if (this.closed) return;
    // One copy of the record with its definition by hash and no history (fields left
    // `undefined` are not written).
    const line = JSON.stringify({
      ...record,
      definition: undefined,
      history: undefined,
      definitionId: this.definitionId(record.definition),
    });
    // Never written ahead of the history: the journal is flushed only with it.
    const bytes = this.journal.buffer(line, false);
    this.latestBytes += bytes - (this.latestLineBytes.get(record.executionArn) ?? 0);
    this.latestLineBytes.set(record.executionArn, bytes);
    if (this.journal.waiting > MAX_PENDING_BYTES) this.flush();
  }

  /** Writes what is queued: the history events, then the journal lines that follow them. */
  flush(): void {
    if (this.closed) return;
    this.historyLog.flush();
    this.journal.flush();
  }

  /** Whether superseded lines are most of the journal (`compact` then shrinks it). */
  wantsCompaction(): boolean {
    return this.journal.bytes > COMPACT_MIN_BYTES && this.journal.bytes > 4 * this.latestBytes;
  }

  /** Rewrites the journal with one line per record (atomically: a kill leaves the old one). */
  compact(records: Iterable<ExecutionRecord>): void {
    if (this.closed) return;
    this.historyLog.flush();
    const lines: string[] = [];
    this.latestLineBytes.clear();
    this.latestBytes = 0;
    for (const record of records) {
      const { definition, history: _history, ...rest } = record;
      const line = JSON.stringify({ ...rest, definitionId: this.definitionId(definition) });
      lines.push(line);
      const bytes = Buffer.byteLength(line) + 1;
      this.latestLineBytes.set(record.executionArn, bytes);
      this.latestBytes += bytes;
    }
    this.journal.replace(lines.length ? `${lines.join('\n')}\n` : '');
  }

  /**
   * Every execution record: the journal's latest line of each, and any record of the earlier
   * layout not in the journal (its history moved to `history.log`). The journal is then
   * rewritten with one line per execution and the earlier layout's files removed.
   */
  loadExecutions(): ExecutionRecord[] {
    const records = new Map<string, ExecutionRecord>();
    forEachLine(this.journal.file, (line) => {
      let parsed: JournalRecord;
      try {
        parsed = JSON.parse(line) as JournalRecord;
      } catch {
        return; // a line torn by a kill
      }
      const { definitionId, ...rest } = parsed;
      records.set(parsed.executionArn, { ...rest, definition: this.definitionText(definitionId) });
    });
    const legacyFiles: string[] = [];
    if (existsSync(this.legacyExecutionsDir)) {
      for (const { file, value } of readJsonFiles<LegacyRecord>(this.legacyExecutionsDir)) {
        legacyFiles.push(file);
        if (records.has(value.executionArn)) continue; // moved already, by a run killed before it tidied up
        const { history, ...rest } = value;
        for (const event of history) this.appendEvent(value.executionArn, event);
        records.set(value.executionArn, {
          ...rest,
          definition: value.definition,
          eventCount: history.length,
        });
      }
    }
    this.compact(records.values());
    for (const file of legacyFiles) rmSync(file, { force: true });
    return [...records.values()];
  }

  /** The history events of one execution, oldest first, read from `history.log`. */
  readHistory(executionArn: string, eventCount = Number.POSITIVE_INFINITY): StoredEvent[] {
    this.historyLog.flush();
    const prefix = `[${JSON.stringify(executionArn)},`;
    // By id, the last written winning: an execution resumed from its checkpoint after a kill
    // writes again the events it had logged after that checkpoint, under the same ids; ids past
    // the execution's count are such events it has not reached again.
    const events = new Map<number, StoredEvent>();
    forEachLine(this.historyLog.file, (line) => {
      if (!line.startsWith(prefix)) return;
      try {
        const event = (JSON.parse(line) as [string, StoredEvent])[1];
        if (event.id <= eventCount) events.set(event.id, event);
      } catch {
        // a line torn by a kill
      }
    });
    return [...events.values()].sort((a, b) => a.id - b.id);
  }

  /** Stops writing, dropping what is buffered (as a kill would). */
  close(): void {
    this.closed = true;
    this.journal.close();
    this.historyLog.close();
  }

  /** The hash a definition is stored under, writing it the first time. */
  private definitionId(text: string): string {
    let id = this.definitionIds.get(text);
    if (!id) {
      id = createHash('sha256').update(text).digest('hex');
      const file = join(this.definitionsDir, `${id}.json`);
      if (!existsSync(file)) writeAtomically(file, text);
      this.definitionIds.set(text, id);
      this.definitions.set(id, text);
    }
    return id;
  }

  private definitionText(id: string): string {
    let text = this.definitions.get(id);
    if (text === undefined) {
      text = readFileSync(join(this.definitionsDir, `${id}.json`), 'utf8');
      this.definitions.set(id, text);
      this.definitionIds.set(text, id);
    }
    return text;
  }
}
