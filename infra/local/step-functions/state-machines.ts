/**
 * State machines of one engine: their ARNs, validated definitions (after CDK-style
 * substitution), and the files they are kept in with a state directory.
 */
import { type MachineDefinition, parseDefinition, substitute } from './asl.js';
import type { Clock } from './clock.js';
import { SfnApiError } from './errors.js';
import type { EngineStore, StateMachineRecord } from './store.js';

const NAME_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;

/** Whether a name is valid for a state machine or an execution (AWS's characters, 1–80 long). */
export function isValidName(name: string): boolean {
  return NAME_PATTERN.test(name);
}

/** `StateMachineListItem` as the AWS SDK returns it. */
export interface StateMachineListItem {
  stateMachineArn: string;
  name: string;
  type: 'STANDARD';
  creationDate: Date;
}

/** The state machines of one engine. */
export class StateMachineRegistry {
  private readonly machines = new Map<string, StateMachineRecord>();
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly store: EngineStore | undefined,
    private readonly region: string,
    private readonly accountId: string,
  ) {
    for (const machine of store?.loadStateMachines() ?? [])
      this.machines.set(machine.stateMachineArn, machine);
  }

  /** Stops writing to the state directory. */
  close(): void {
    this.closed = true;
  }

  /** The ARN a state machine of this name has in this engine. */
  arn(name: string): string {
    return `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${name}`;
  }

  /**
   * Creates (or replaces the definition of) a state machine from ASL after substitution,
   * validating it first. A replaced one keeps its creation date.
   */
  create(
    name: string,
    definition: object | string,
    substitutions: Record<string, string>,
  ): StateMachineRecord {
    if (!isValidName(name)) throw new SfnApiError('InvalidName', `Invalid State Machine Name: '${name}'`);
    const text = substitute(definition, substitutions);
    parseDefinition(text);
    const stateMachineArn = this.arn(name);
    const existing = this.machines.get(stateMachineArn);
    const record: StateMachineRecord = {
      stateMachineArn,
      name,
      definition: text,
      creationDate: existing?.creationDate ?? this.clock.now().toISOString(),
    };
    this.machines.set(stateMachineArn, record);
    if (this.store && !this.closed) this.store.saveStateMachine(record);
    return record;
  }

  /** The record of a state machine; `InvalidArn` or `StateMachineDoesNotExist` otherwise. */
  get(stateMachineArn: string): StateMachineRecord {
    if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/.test(stateMachineArn)) {
      throw new SfnApiError('InvalidArn', `Invalid Arn: '${stateMachineArn}'`);
    }
    const machine = this.machines.get(stateMachineArn);
    if (!machine)
      throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    return machine;
  }

  /** The parsed definition of a state machine. */
  definition(stateMachineArn: string): MachineDefinition {
    return parseDefinition(this.get(stateMachineArn).definition);
  }

  /** Every state machine, as ListStateMachines returns them. */
  list(): StateMachineListItem[] {
    return [...this.machines.values()].map((m) => ({
      stateMachineArn: m.stateMachineArn,
      name: m.name,
      type: 'STANDARD' as const,
      creationDate: new Date(m.creationDate),
    }));
  }
}
