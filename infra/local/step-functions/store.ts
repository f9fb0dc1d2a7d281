/**
 * On-disk records of the local engine, so open executions survive a restart. One JSON file
 * per state machine and per execution, each written atomically (temporary file + rename) so
 * a kill mid-write leaves the previous version intact.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
  history: StoredEvent[];
  checkpoint?: Checkpoint;
  /** How many times the execution was redriven (absent: never). */
  redriveCount?: number;
  /** When it was last redriven. */
  redriveDate?: string;
  /** Client tokens of recent successful redrives, so a retried request gets the same answer. */
  redriveTokens?: { token: string; date: string }[];
}

let tmpCounter = 0;

function writeAtomically(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.${tmpCounter++}.tmp`;
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, file);
}

function fileName(key: string): string {
  return `${encodeURIComponent(key)}.json`;
}

function readJsonFiles<T>(dir: string): T[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as T);
}

/** The files under a state directory. */
export class EngineStore {
  private readonly machinesDir: string;
  private readonly executionsDir: string;

  constructor(dir: string) {
    this.machinesDir = join(dir, 'state-machines');
    this.executionsDir = join(dir, 'executions');
    mkdirSync(this.machinesDir, { recursive: true });
    mkdirSync(this.executionsDir, { recursive: true });
  }

  saveStateMachine(record: StateMachineRecord): void {
    writeAtomically(join(this.machinesDir, fileName(record.name)), record);
  }

  saveExecution(record: ExecutionRecord): void {
    const smName = record.stateMachineArn.split(':').pop() ?? '';
    writeAtomically(join(this.executionsDir, fileName(`${smName}:${record.name}`)), record);
  }

  loadStateMachines(): StateMachineRecord[] {
    return readJsonFiles<StateMachineRecord>(this.machinesDir);
  }

  loadExecutions(): ExecutionRecord[] {
    return readJsonFiles<ExecutionRecord>(this.executionsDir);
  }
}
