/**
 * Amazon States Language definitions: the subset of fields the engine reads, CDK-style
 * `${…}` substitution, validation (`asl-validator`, plus what this engine supports) and Task
 * resource resolution.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import aslValidator from 'asl-validator';
import { SfnApiError } from './errors.js';
import { intrinsicProblems, isIntrinsic } from './intrinsics.js';
import { jsonataProblems, usesJsonata } from './jsonata.js';

/** A retrier of a `Retry` field. */
export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

/** A catcher of a `Catch` field. */
export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
  /** JSONata states: what the catcher hands on (default `$states.errorOutput`). */
  Output?: unknown;
}

/** One state, with the fields of every type (the validator has checked which go together). */
export interface StateDefinition {
  Type: 'Task' | 'Pass' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Parallel' | 'Map';
  QueryLanguage?: 'JSONPath' | 'JSONata';
  Next?: string;
  End?: boolean;
  InputPath?: string | null;
  OutputPath?: string | null;
  ResultPath?: string | null;
  Parameters?: unknown;
  ResultSelector?: unknown;
  Result?: unknown;
  Resource?: string;
  /** A number; in a JSONata state also a `{% %}` expression. */
  TimeoutSeconds?: number | string;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number | string;
  HeartbeatSecondsPath?: string;
  /** JSONata states: the task's input (`Parameters` of JSONPath) and the state's output. */
  Arguments?: unknown;
  Output?: unknown;
  Retry?: Retrier[];
  Catch?: Catcher[];
  Seconds?: number;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
  Choices?: unknown[];
  Default?: string;
  Error?: string;
  ErrorPath?: string;
  Cause?: string;
  CausePath?: string;
  Branches?: MachineDefinition[];
  ItemsPath?: string;
  ItemSelector?: unknown;
  ItemProcessor?: MachineDefinition;
  Iterator?: MachineDefinition;
  MaxConcurrency?: number;
}

/** A state machine (or a Parallel branch / Map processor). */
export interface MachineDefinition {
  StartAt: string;
  States: Record<string, StateDefinition>;
  Comment?: string;
  TimeoutSeconds?: number;
  QueryLanguage?: string;
}

/** How a Task state calls Lambda. */
export type TaskIntegration =
  /** `Resource` is the function ARN: the effective input is the event, the result is the return value. */
  | { kind: 'lambda-arn'; functionName: string }
  /** `arn:aws:states:::lambda:invoke`: `Parameters.FunctionName` + `Payload`; result wrapped in `{ Payload, StatusCode, … }`. */
  | { kind: 'invoke' }
  /** `arn:aws:states:::lambda:invoke.waitForTaskToken`: invoke, then wait for SendTaskSuccess/Failure. */
  | { kind: 'invoke-callback' };

const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]+)(?::[A-Za-z0-9$_-]+)?$/;

/** Reads how a Task `Resource` calls Lambda, or throws `InvalidDefinition` for anything else. */
export function taskIntegration(resource: string): TaskIntegration {
  const direct = LAMBDA_ARN.exec(resource);
  if (direct?.[1]) return { kind: 'lambda-arn', functionName: direct[1] };
  if (/^arn:aws[a-z-]*:states:::lambda:invoke$/.test(resource)) return { kind: 'invoke' };
  if (/^arn:aws[a-z-]*:states:::lambda:invoke\.waitForTaskToken$/.test(resource))
    return { kind: 'invoke-callback' };
  throw new SfnApiError(
    'InvalidDefinition',
    `The local engine supports Lambda tasks only (function ARN, lambda:invoke, lambda:invoke.waitForTaskToken), not '${resource}'`,
  );
}

/**
 * The function name in a Lambda `FunctionName`: a name, a full or partial ARN, with or
 * without a version/alias qualifier (as the Lambda API accepts).
 */
export function lambdaFunctionName(functionName: string): string {
  const full = LAMBDA_ARN.exec(functionName);
  if (full?.[1]) return full[1];
  const partial = /^(?:\d{12}:)?function:([A-Za-z0-9_-]+)(?::[A-Za-z0-9$_-]+)?$/.exec(functionName);
  if (partial?.[1]) return partial[1];
  const named = /^([A-Za-z0-9_-]+)(?::[A-Za-z0-9$_-]+)?$/.exec(functionName);
  if (named?.[1]) return named[1];
  return functionName;
}

/**
 * Replaces `${Name}` with `substitutions.Name` in the definition's JSON text, as CDK's
 * `DefinitionSubstitutions` (Fn::Sub) do. A placeholder without a value is an error here
 * (on AWS it would fail at deploy time).
 */
export function substitute(definition: object | string, substitutions: Record<string, string> = {}): string {
  const text = typeof definition === 'string' ? definition : JSON.stringify(definition);
  const missing = new Set<string>();
  const result = text.replace(/\$\{([A-Za-z0-9_.:-]+)\}/g, (whole, key: string) => {
    const value = substitutions[key];
    if (value === undefined) {
      missing.add(key);
      return whole;
    }
    // The value lands inside a JSON string literal: escape it as one.
    return JSON.stringify(value).slice(1, -1);
  });
  if (missing.size > 0) {
    throw new SfnApiError(
      'InvalidDefinition',
      `No substitution given for ${[...missing].map((k) => `\${${k}}`).join(', ')}`,
    );
  }
  return result;
}

/** The intrinsic calls of a payload template (`"key.$": "States.…"`), however deeply nested. */
function templateIntrinsics(template: unknown, found: string[] = []): string[] {
  if (Array.isArray(template)) {
    for (const item of template) templateIntrinsics(item, found);
  } else if (typeof template === 'object' && template !== null) {
    for (const [key, value] of Object.entries(template)) {
      if (key.endsWith('.$') && typeof value === 'string' && isIntrinsic(value)) found.push(value);
      else templateIntrinsics(value, found);
    }
  }
  return found;
}

function walkStates(machine: MachineDefinition, visit: (name: string, state: StateDefinition) => void): void {
  for (const [name, state] of Object.entries(machine.States)) {
    visit(name, state);
    for (const branch of state.Branches ?? []) walkStates(branch, visit);
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor) walkStates(processor, visit);
  }
}

/**
 * The problems of the definition's JSONata states (see `jsonataProblems`), before it is
 * validated: a shape the walk cannot read is left to the validator to report.
 */
function jsonataStateProblems(machine: MachineDefinition): string[] {
  const problems: string[] = [];
  try {
    walkStates(machine, (name, state) => {
      if (usesJsonata(state)) problems.push(...jsonataProblems(name, state));
    });
  } catch {
    // Not a readable machine: the validator says why.
  }
  return problems;
}

/** What asl-validator is asked to check. */
const VALIDATOR_OPTIONS = { checkPaths: true, checkArn: true };
/** The packages asl-validator's verdict depends on besides its own code. */
const VALIDATOR_PACKAGES = ['ajv', 'ajv-formats', 'asl-path-validator', 'jsonata', 'jsonpath-plus'];

// asl-validator builds a fresh JSON-schema compiler on every call (about 0.2 s of CPU for a
// workflow's definition here): validate each distinct definition text once per process.
const validated = new Map<string, MachineDefinition>();

/**
 * Definitions asl-validator has passed, remembered across processes: the workflow tests start an
 * engine in each of their worker processes, and `npm start` one at every start, each validating
 * the same few definitions again (about 0.2 s of CPU each, a fifth of the workflow tests' CPU).
 * A file per definition, named by the digest of the validator's version and the definition's
 * text, in `node_modules/.cache` (where tools keep such caches): the same text and validator
 * give the same verdict. Only passes are remembered; a definition that fails is validated each
 * time, so its errors are always reported. Where the folder cannot be written, nothing is kept.
 */
const passedBefore = (() => {
  try {
    const require = createRequire(import.meta.url);
    const manifest = require.resolve('asl-validator/package.json');
    // The verdict is the validator's, its options' and the packages it checks with: all in the key
    // (an `npm update` keeps `node_modules/.cache`).
    const fromValidator = createRequire(manifest);
    const versionOf = (file: string) =>
      (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version;
    const versions = [
      `asl-validator@${versionOf(manifest)}`,
      ...VALIDATOR_PACKAGES.map(
        (name) => `${name}@${versionOf(fromValidator.resolve(`${name}/package.json`))}`,
      ),
    ].join(' ');
    return validationCache(
      join(dirname(dirname(manifest)), '.cache', 'redress-local-engine', 'asl-validated'),
      `${versions} ${JSON.stringify(VALIDATOR_OPTIONS)}`,
    );
  } catch {
    // No package folder to keep a cache beside (a bundled engine): validate every time.
    return validationCache(undefined, '');
  }
})();

/** The remembered passes of one validator (`version` names it), kept in `dir` (none when undefined). */
export function validationCache(dir: string | undefined, version: string) {
  const file = (text: string) =>
    dir && join(dir, createHash('sha256').update(`${version}\0${text}`).digest('hex'));
  return {
    has: (text: string): boolean => {
      const path = file(text);
      return path !== undefined && existsSync(path);
    },
    add: (text: string): void => {
      const path = file(text);
      if (!path || !dir) return;
      try {
        mkdirSync(dir, { recursive: true });
        writeFileSync(path, '');
      } catch {
        // A read-only folder: the next process validates again.
      }
    },
  };
}

/**
 * Parses and validates a definition (asl-validator, then the intrinsic calls and what this
 * engine supports). Throws `InvalidDefinition` with every problem found. Returns a fresh copy.
 */
export function parseDefinition(text: string): MachineDefinition {
  const known = validated.get(text);
  if (known) return structuredClone(known);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error: unknown) {
    throw new SfnApiError(
      'InvalidDefinition',
      `Definition is not JSON: ${error instanceof Error ? error.message : ''}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SfnApiError('InvalidDefinition', 'Invalid State Machine Definition: not a JSON object');
  }
  // A JSONata state's problems first: the validator refuses a JSONPath field in one only as
  // "must match exactly one schema in oneOf", which does not say what to change.
  const early = jsonataStateProblems(parsed as MachineDefinition);
  if (early.length > 0) throw new SfnApiError('InvalidDefinition', early.join('; '));
  if (!passedBefore.has(text)) {
    // The validator writes defaults (QueryLanguage) into what it checks: give it a copy.
    const { isValid, errorsText } = aslValidator(structuredClone(parsed), { ...VALIDATOR_OPTIONS });
    if (!isValid) {
      throw new SfnApiError('InvalidDefinition', `Invalid State Machine Definition: ${errorsText('; ')}`);
    }
    passedBefore.add(text);
  }
  const machine = parsed as MachineDefinition;
  if (machine.QueryLanguage === 'JSONata') {
    throw new SfnApiError(
      'InvalidDefinition',
      'A top-level QueryLanguage of JSONata is not supported by the local engine: keep the machine JSONPath and set "QueryLanguage": "JSONata" on its Task states',
    );
  }
  const problems: string[] = [];
  walkStates(machine, (name, state) => {
    if (!usesJsonata(state)) {
      (state.Catch ?? []).forEach((catcher, i) => {
        if ('Output' in catcher) {
          problems.push(
            `${name}: The QueryLanguage is set to 'JSONPath', but field 'Catch[${i}]/Output' is only supported for the 'JSONata' QueryLanguage`,
          );
        }
      });
    }
    // AWS rejects a malformed intrinsic call when the state machine is created, not when it runs.
    for (const template of [state.Parameters, state.ResultSelector, state.ItemSelector]) {
      for (const call of templateIntrinsics(template)) {
        for (const problem of intrinsicProblems(call)) problems.push(`${name}: ${problem}`);
      }
    }
    if (state.Type === 'Task' && state.Resource) {
      try {
        const integration = taskIntegration(state.Resource);
        const jsonata = usesJsonata(state);
        const field = jsonata ? 'Arguments' : 'Parameters';
        const given = jsonata ? state.Arguments : state.Parameters;
        const object = typeof given === 'object' && given !== null && !Array.isArray(given);
        const named = object && ('FunctionName' in given || 'FunctionName.$' in given);
        // An `Arguments` that is one expression can only be checked when it runs.
        const dynamic = jsonata && typeof given === 'string';
        if (integration.kind !== 'lambda-arn' && !named && !dynamic) {
          problems.push(`${name}: lambda:invoke needs ${field}.FunctionName`);
        }
      } catch (error: unknown) {
        problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  });
  if (problems.length > 0) throw new SfnApiError('InvalidDefinition', problems.join('; '));
  validated.set(text, deepFreeze(machine));
  return structuredClone(machine);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * The validated definition of `text`, shared and frozen: what the engine runs. Every execution
 * of a state machine reads the same object instead of a copy of it each (a copy of the complaint
 * workflow per StartExecution, resume and redrive was most of what starting one cost). Frozen,
 * so a state that tried to change its definition would fail loudly rather than change every
 * execution's.
 */
export function sharedDefinition(text: string): MachineDefinition {
  const known = validated.get(text);
  if (known) return known;
  parseDefinition(text);
  return validated.get(text) as MachineDefinition;
}
