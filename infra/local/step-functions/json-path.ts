/**
 * JSONPath as Amazon States Language uses it, evaluated with `jsonpath-plus`: queries
 * against the state input (`$…`) or the context object (`$$…`), reads that must yield a
 * given type (timeouts, wait instants, error names), and writing a result into the input at
 * a reference path (`ResultPath`). Selecting is the library's; the ASL rules around it (a
 * path that points nowhere is `States.Runtime`, indefinite paths always give an array,
 * `ResultPath` merges instead of replacing) are here.
 */
import { JSONPath } from 'jsonpath-plus';
import { StatesError } from './errors.js';

/** A `States.Runtime` failure: never retried or caught, as on AWS. */
function runtimeError(message: string): StatesError {
  return new StatesError('States.Runtime', message, false);
}

/**
 * Whether a path may select several values (wildcards, deep scan, filters, slices, unions).
 * Quoted member names are left out first so `$['a*b']` stays definite.
 */
export function isIndefinitePath(path: string): boolean {
  const unquoted = path.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, "''");
  return /\*|\.\.|\?\(|\(|\[[^\]]*[:,][^\]]*\]/.test(unquoted);
}

/** What a path is, worked out once per path text (a definition has a few dozen). */
interface CompiledPath {
  indefinite: boolean;
  /** Its member names and indexes, when it is only a chain of plain names and indexes. */
  chain?: (string | number)[];
}

const compiledPaths = new Map<string, CompiledPath>();

// A member name jsonpath-plus reads as nothing but a name (no `*`, `~`, `^`, `@`, `$`…).
const PLAIN_NAME = /^[A-Za-z0-9_-]+$/;

function compile(expression: string): CompiledPath {
  let compiled = compiledPaths.get(expression);
  if (compiled === undefined) {
    const indefinite = isIndefinitePath(expression);
    let chain: (string | number)[] | undefined;
    if (!indefinite) {
      try {
        chain = referenceSegments(expression);
        if (chain.some((s) => typeof s === 'string' && !PLAIN_NAME.test(s))) chain = undefined;
      } catch {
        chain = undefined;
      }
    }
    compiled = chain ? { indefinite, chain } : { indefinite };
    compiledPaths.set(expression, compiled);
  }
  return compiled;
}

/**
 * The value a chain of plain names and indexes leads to through own members of objects and
 * elements of arrays, or undefined where it does not (jsonpath-plus then decides). Most paths
 * in a definition are such chains (`$.caseId`, `$$.Task.Token`); walking them directly gives
 * what jsonpath-plus gives, without its parsing and result objects, which were most of the
 * time the engine spent on paths.
 */
function walk(chain: (string | number)[], target: unknown): unknown {
  let value = target;
  for (const segment of chain) {
    if (typeof segment === 'number') {
      if (!Array.isArray(value) || segment >= value.length) return undefined;
      value = value[segment];
    } else {
      if (!isPlainObject(value) || !Object.hasOwn(value, segment)) return undefined;
      value = value[segment];
    }
  }
  return value;
}

/**
 * Evaluates a path against the input, or against the context object when it starts with
 * `$$`. A definite path gives its value (undefined when it points nowhere); an indefinite
 * one gives the array of matches, as AWS does.
 */
export function evaluatePath(path: string, input: unknown, context: unknown): unknown {
  const [target, expression] = path.startsWith('$$') ? [context, path.slice(1)] : [input, path];
  if (!expression.startsWith('$')) throw runtimeError(`'${path}' is not a JSONPath`);
  // jsonpath-plus finds nothing in a null document, even for `$`; ASL selects the null.
  if (expression === '$') return target;
  const compiled = compile(expression);
  // ASL documents are JSON: only objects and arrays have members to select.
  if (typeof target !== 'object' || target === null) return compiled.indefinite ? [] : undefined;
  if (compiled.chain) {
    const found = walk(compiled.chain, target);
    if (found !== undefined) return found;
  }
  let matches: { value: unknown; parent: unknown; parentProperty: unknown }[];
  try {
    matches = JSONPath({
      path: expression,
      json: target,
      wrap: true,
      eval: 'safe',
      resultType: 'all',
    }) as typeof matches;
  } catch (error: unknown) {
    throw runtimeError(
      `Invalid JSONPath '${path}': ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  // jsonpath-plus also indexes into strings and reads `.length` of strings and arrays, as
  // JavaScript would; those are not JSON members, so ASL finds nothing there.
  const values = (matches ?? [])
    .filter(
      ({ parent, parentProperty }) =>
        (typeof parent !== 'string' && parentProperty !== 'length') || isMember(parent, parentProperty),
    )
    .map(({ value }) => value);
  return compiled.indefinite ? values : values[0];
}

function isMember(parent: unknown, property: unknown): boolean {
  return (
    typeof parent === 'object' &&
    parent !== null &&
    !Array.isArray(parent) &&
    typeof property === 'string' &&
    Object.hasOwn(parent, property)
  );
}

/** Like `evaluatePath`, but a path that points nowhere fails the state with `States.Runtime`. */
export function queryPath(path: string, input: unknown, context: unknown): unknown {
  const value = evaluatePath(path, input, context);
  if (value === undefined) {
    throw runtimeError(`The JSONPath '${path}' could not be found in the input`);
  }
  return value;
}

/** The string at `path` (an `ErrorPath`, `CausePath`…). */
export function readString(path: string, input: unknown, context: unknown): string {
  const value = queryPath(path, input, context);
  if (typeof value !== 'string') throw runtimeError(`The value at '${path}' must be a string`);
  return value;
}

/** The whole number at `path`, at least `minimum` (`SecondsPath`, `TimeoutSecondsPath`…). */
export function readInteger(path: string, input: unknown, context: unknown, minimum: number): number {
  const value = queryPath(path, input, context);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
    throw runtimeError(`The value at '${path}' must be an integer of at least ${minimum}`);
  }
  return value;
}

const RFC3339 =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/i;

/** Whether a value is an RFC 3339 timestamp string, the only form ASL accepts. */
export function isTimestamp(value: unknown): value is string {
  return typeof value === 'string' && RFC3339.test(value) && !Number.isNaN(Date.parse(value));
}

/** The RFC 3339 timestamp at `path` (`TimestampPath`), as ms since the epoch. */
export function readTimestamp(path: string, input: unknown, context: unknown): number {
  const value = queryPath(path, input, context);
  if (!isTimestamp(value)) throw runtimeError(`The value at '${path}' must be an RFC 3339 timestamp`);
  return Date.parse(value);
}

/** A `States.ResultPathMatchFailure`: the result cannot be placed in this input (catchable, as on AWS). */
function resultPathMismatch(path: string): StatesError {
  return new StatesError(
    'States.ResultPathMatchFailure',
    `Unable to apply ResultPath '${path}' to the state input`,
  );
}

// One step of a reference path: `.name`, `['name']`, `["name"]` or `[index]`.
const REFERENCE_STEP = /^(?:\.([^.[\]]+)|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\])/;

/**
 * The member names and indexes of a reference path (`$.a.b[0]['c d']` → `a`, `b`, 0, `c d`).
 * Parsed here rather than by jsonpath-plus because writing needs to tell `[0]` (an index)
 * from `['0']` (a member), which its path arrays do not.
 */
export function referenceSegments(path: string): (string | number)[] {
  if (!path.startsWith('$') || path.startsWith('$$') || isIndefinitePath(path)) {
    throw runtimeError(`'${path}' is not a reference path`);
  }
  const segments: (string | number)[] = [];
  let rest = path.slice(1);
  while (rest !== '') {
    const step = REFERENCE_STEP.exec(rest);
    if (!step) throw runtimeError(`'${path}' is not a reference path`);
    const [whole, dotted, single, double, index] = step;
    if (index !== undefined) segments.push(Number(index));
    else segments.push((dotted ?? single ?? double ?? '').replace(/\\(.)/g, '$1'));
    rest = rest.slice(whole.length);
  }
  return segments;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The segments of each `ResultPath` written so far (a definition has a few dozen). */
const writeSegments = new Map<string, (string | number)[]>();

/**
 * Places `result` in a copy of `input` at the reference path `path` (ResultPath). Absent
 * members on the way are created as objects; anything else on the way that is not an object
 * (or an array with that index) is `States.ResultPathMatchFailure`, as on AWS. The input is
 * not modified.
 */
export function writePath(path: string, input: unknown, result: unknown): unknown {
  const segments = writeSegments.get(path) ?? referenceSegments(path);
  writeSegments.set(path, segments);
  const place = (target: unknown, depth: number): unknown => {
    if (depth === segments.length) return result;
    const segment = segments[depth] as string | number;
    if (typeof segment === 'number') {
      if (!Array.isArray(target) || segment >= target.length) throw resultPathMismatch(path);
      const copy = [...target];
      copy[segment] = place(copy[segment], depth + 1);
      return copy;
    }
    if (target === undefined && depth > 0) return { [segment]: place(undefined, depth + 1) };
    if (!isPlainObject(target)) throw resultPathMismatch(path);
    return { ...target, [segment]: place(target[segment], depth + 1) };
  };
  return place(input, 0);
}
