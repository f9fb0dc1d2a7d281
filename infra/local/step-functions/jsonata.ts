/**
 * JSONata in Task states (`"QueryLanguage": "JSONata"`): `{% … %}` expressions in `Arguments`,
 * `Output`, `TimeoutSeconds`, `HeartbeatSeconds` and a catcher's `Output`, evaluated with the
 * reserved `$states` variable (`input`, `context`, `result`, `errorOutput`) as AWS does, with
 * the JSONata version AWS runs (2.0.6) and the functions AWS adds to it.
 *
 * Failures follow AWS: an expression that throws, returns nothing (undefined) or returns a value
 * of the wrong type fails the state with `States.QueryEvaluationError`, which Retry and Catch
 * handle like any other error, naming the field as AWS does (`Arguments/Payload/caseId`).
 */
import { createHash, randomUUID } from 'node:crypto';
import jsonata from 'jsonata';
import type { Catcher, StateDefinition } from './asl.js';
import type { ContextObject } from './data-flow.js';
import { StatesError } from './errors.js';

/** The `$states` variable of a JSONata expression (`result` in `Output`, `errorOutput` in a catcher's). */
export interface StatesVariable {
  input: unknown;
  context: ContextObject;
  result?: unknown;
  errorOutput?: unknown;
}

/** A `States.QueryEvaluationError`, with where it happened (for the `EvaluationFailed` history event). */
export class QueryEvaluationError extends StatesError {
  /** The field, as AWS names it: `Arguments/Payload/caseId`, `Output`, `Catch[0]/Output`. */
  readonly location: string;

  constructor(cause: string, location: string) {
    super('States.QueryEvaluationError', cause);
    this.location = location;
  }
}

/** Whether a state uses JSONata (the local engine only supports it at state level). */
export function usesJsonata(state: StateDefinition): boolean {
  return state.QueryLanguage === 'JSONata';
}

const EXPRESSION = /^\{%([\s\S]*)%\}$/;

/** The JSONata text of a `"{% … %}"` string, or undefined for anything else (a literal). */
export function expressionText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = EXPRESSION.exec(value);
  return match ? (match[1] as string).trim() : undefined;
}

/** Each distinct expression is parsed once per process: the engine runs thousands of cases. */
const compiled = new Map<string, jsonata.Expression>();

/** The compiled expression (throws the JSONata parse error for a malformed one). */
export function compile(text: string): jsonata.Expression {
  let expression = compiled.get(text);
  if (expression === undefined) {
    expression = jsonata(text);
    addAwsFunctions(expression);
    compiled.set(text, expression);
  }
  return expression;
}

/**
 * The binding that carries the engine's clock into `$now()`/`$millis()` (JSONata reads the
 * computer's): not a JSONata variable name, so an expression cannot read it itself.
 */
const CLOCK_MS = 'local:clockMs';

/**
 * The functions Step Functions adds to JSONata, and `$eval`, which it removes (use `$parse`).
 * `$random` takes no seed here: AWS's seeded sequence is not documented, so a seed fails loudly.
 * `$now()` and `$millis()` tell the engine's clock (virtual in tests), like `$$.State.EnteredTime`.
 */
function addAwsFunctions(expression: jsonata.Expression): void {
  expression.registerFunction(
    'millis',
    function (this: jsonata.Focus) {
      return this.environment.lookup(CLOCK_MS) as number;
    },
    '<:n>',
  );
  expression.registerFunction(
    'now',
    function (this: jsonata.Focus, picture?: string, timezone?: string) {
      const ms = this.environment.lookup(CLOCK_MS) as number;
      if (picture === undefined && timezone === undefined) return new Date(ms).toISOString();
      const fromMillis = this.environment.lookup('fromMillis') as {
        implementation: (...args: unknown[]) => unknown;
      };
      return fromMillis.implementation.call(this, ms, picture, timezone);
    },
    '<s?s?:s>',
  );
  expression.registerFunction('parse', (text: string) => JSON.parse(text), '<s:x>');
  expression.registerFunction('uuid', () => randomUUID(), '<:s>');
  expression.registerFunction(
    'hash',
    (text: string, algorithm: string) => {
      const names: Record<string, string> = {
        MD5: 'md5',
        'SHA-1': 'sha1',
        'SHA-256': 'sha256',
        'SHA-384': 'sha384',
        'SHA-512': 'sha512',
      };
      const name = names[algorithm];
      if (!name) throw new Error(`$hash: unsupported algorithm '${algorithm}'`);
      return createHash(name).update(text).digest('hex');
    },
    '<ss:s>',
  );
  expression.registerFunction(
    'partition',
    (items: unknown[], size: number) => {
      const chunk = Math.trunc(size);
      if (!(chunk > 0) || items.length === 0) return undefined;
      const parts: unknown[][] = [];
      for (let i = 0; i < items.length; i += chunk) parts.push(items.slice(i, i + chunk));
      return parts;
    },
    '<an:a>',
  );
  expression.registerFunction(
    'range',
    (start: number, end: number, step: number) => {
      const [from, to, by] = [Math.trunc(start), Math.trunc(end), Math.trunc(step)];
      if (by === 0 || (to - from) * by < 0) return undefined;
      const values: number[] = [];
      for (let v = from; by > 0 ? v <= to : v >= to; v += by) values.push(v);
      return values.length === 1 ? values[0] : values;
    },
    '<nnn:x>',
  );
  expression.registerFunction('random', (...seed: unknown[]) => {
    if (seed.length > 0 && seed[0] !== undefined) {
      throw new Error('$random with a seed is not supported by the local engine');
    }
    return Math.random();
  });
  expression.registerFunction('eval', () => {
    throw new Error('$eval is not available in Step Functions; use $parse');
  });
}

/**
 * Evaluates one expression of `field` at `clockMs` (the engine's now); undefined, a function or
 * an error is a QueryEvaluationError.
 */
export async function evaluateExpression(
  text: string,
  states: StatesVariable,
  field: string,
  clockMs: number,
): Promise<unknown> {
  const quick = quickValue(shapeOf(text), states);
  if (quick !== undefined) return quick;
  let value: unknown;
  try {
    // No context item (`$`): AWS gives expressions only `$states` (and variables).
    value = await compile(text).evaluate(undefined, { states, [CLOCK_MS]: clockMs });
  } catch (error: unknown) {
    const { code, message } = error as { code?: string; message?: string };
    throw new QueryEvaluationError(
      `The JSONata expression '${text}' specified for the field '${field}' threw an error during evaluation. ${code ? `${code}: ` : ''}${message ?? String(error)}`,
      field,
    );
  }
  if (value === undefined) {
    throw new QueryEvaluationError(
      `The JSONata expression '${text}' specified for the field '${field}' returned nothing (undefined).`,
      field,
    );
  }
  if (typeof value === 'function') {
    throw new QueryEvaluationError(
      `The JSONata expression '${text}' specified for the field '${field}' returned an unsupported result type.`,
      field,
    );
  }
  return value;
}

/**
 * The two shapes the workflows' expressions almost all take, worked out without the JSONata
 * evaluator (a tenth of the engine's time at 20,000 cases went to it): a plain path into
 * `$states` (`$states.input.caseId`, `$states.context.Task.Token`), and the input with one field
 * set from such a path or a parsed one (`$merge([$states.input, {"task": $states.result}])`,
 * `… $parse($states.errorOutput.Cause) …`). Only where the answer is certainly JSONata's: every
 * step of the path an object that is not an array, a defined value, an input that is an object,
 * a cause that parses. Anything else (undefined, arrays on the way, any other expression) goes
 * to the evaluator, which decides, errors included. Each text's shape is worked out once.
 */
type QuickShape =
  | { kind: 'path'; path: string[] }
  | { kind: 'merge'; field: string; path: string[]; parse: boolean }
  | { kind: 'none' };

const quickShapes = new Map<string, QuickShape>();
const PATH = String.raw`\$states((?:\.[A-Za-z_][A-Za-z0-9_]*)+)`;
const PATH_ONLY = new RegExp(`^\\s*${PATH}\\s*$`);
const MERGE = new RegExp(
  String.raw`^\s*\$merge\(\[\$states\.input, \{"([A-Za-z_][A-Za-z0-9_]*)": (\$parse\()?` +
    PATH +
    String.raw`(\))?\}\]\)\s*$`,
);

function shapeOf(text: string): QuickShape {
  let shape = quickShapes.get(text);
  if (shape === undefined) {
    const path = PATH_ONLY.exec(text);
    const merge = MERGE.exec(text);
    shape = path
      ? { kind: 'path', path: (path[1] as string).slice(1).split('.') }
      : merge && Boolean(merge[2]) === Boolean(merge[4])
        ? {
            kind: 'merge',
            field: merge[1] as string,
            path: (merge[3] as string).slice(1).split('.'),
            parse: Boolean(merge[2]),
          }
        : { kind: 'none' };
    quickShapes.set(text, shape);
  }
  return shape;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function walk(states: StatesVariable, path: string[]): unknown {
  let value: unknown = states;
  for (const name of path) {
    if (!isPlainObject(value) || !Object.hasOwn(value, name)) return undefined;
    value = value[name];
  }
  return value;
}

function quickValue(shape: QuickShape, states: StatesVariable): unknown {
  if (shape.kind === 'none') return undefined;
  const value = walk(states, shape.path);
  if (value === undefined || typeof value === 'function') return undefined;
  if (shape.kind === 'path') return value;
  if (!isPlainObject(states.input)) return undefined;
  let set = value;
  if (shape.parse) {
    if (typeof value !== 'string') return undefined;
    try {
      set = JSON.parse(value);
    } catch {
      return undefined;
    }
    if (set === undefined) return undefined;
  }
  return { ...states.input, [shape.field]: set };
}

/** Whether a template holds an expression anywhere (remembered per frozen definition object). */
const holdsExpression = new WeakMap<object, boolean>();

function hasExpression(template: unknown): boolean {
  if (typeof template === 'string') return expressionText(template) !== undefined;
  if (typeof template !== 'object' || template === null) return false;
  let known = holdsExpression.get(template);
  if (known === undefined) {
    known = Object.values(template).some(hasExpression);
    holdsExpression.set(template, known);
  }
  return known;
}

/**
 * A copy of a literal part of a template (JSON from the definition): strings, numbers and
 * booleans are values already, objects and arrays are copied as deeply as they go.
 */
function copyLiteral(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyLiteral);
  // Keys defined as own properties, as `structuredClone` did (a key `__proto__` stays a key).
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copyLiteral(item)]));
}

/** What the quick forms below give when an expression needs the evaluator. */
export const NEEDS_EVALUATOR: unique symbol = Symbol('needs the JSONata evaluator');

/** A template's value from `$states`, worked out without the evaluator (or `NEEDS_EVALUATOR`). */
type QuickTemplate = (states: StatesVariable) => unknown;

const quickTemplates = new WeakMap<object, QuickTemplate>();
const quickStrings = new Map<string, QuickTemplate>();

function quickString(template: string): QuickTemplate {
  let quick = quickStrings.get(template);
  if (quick === undefined) {
    const text = expressionText(template);
    const shape = text === undefined ? undefined : shapeOf(text);
    quick =
      shape === undefined
        ? () => template
        : shape.kind === 'none'
          ? () => NEEDS_EVALUATOR
          : (states) => {
              const value = quickValue(shape, states);
              return value === undefined ? NEEDS_EVALUATOR : value;
            };
    quickStrings.set(template, quick);
  }
  return quick;
}

function quickPlan(template: unknown): QuickTemplate {
  if (typeof template === 'string') return quickString(template);
  if (typeof template !== 'object' || template === null) return () => template;
  let quick = quickTemplates.get(template);
  if (quick === undefined) {
    if (!hasExpression(template)) quick = () => copyLiteral(template);
    else if (Array.isArray(template)) {
      const items = template.map(quickPlan);
      quick = (states) => {
        const out: unknown[] = [];
        for (const item of items) {
          const value = item(states);
          if (value === NEEDS_EVALUATOR) return NEEDS_EVALUATOR;
          out.push(value);
        }
        return out;
      };
    } else {
      const fields = Object.entries(template).map(([key, value]) => [key, quickPlan(value)] as const);
      quick = (states) => {
        const out: Record<string, unknown> = {};
        for (const [key, field] of fields) {
          const value = field(states);
          if (value === NEEDS_EVALUATOR) return NEEDS_EVALUATOR;
          out[key] = value;
        }
        return out;
      };
    }
    quickTemplates.set(template, quick);
  }
  return quick;
}

/**
 * A template's value when every expression in it has a quick answer (`quickValue`), at once and
 * without a promise; `NEEDS_EVALUATOR` when any has not, and `evaluateTemplate` then decides,
 * errors included. The workflows' `Arguments` and `Output` almost always qualify: awaiting each
 * of their fields made a promise per field (a Task's `Arguments` has a dozen), and with
 * AsyncLocalStorage on (the invoke store) every promise also runs Node's async hooks. How to walk
 * a template is worked out once per definition object.
 */
export function quickTemplate(template: unknown, states: StatesVariable): unknown {
  return quickPlan(template)(states);
}

/**
 * A JSONata template (`Arguments`, `Output`): a `{% %}` string is evaluated; objects and arrays
 * are walked however deeply nested and their `{% %}` strings evaluated; anything else is literal.
 * Literal parts are copied, so state data never shares an object with the frozen definition.
 */
export async function evaluateTemplate(
  template: unknown,
  states: StatesVariable,
  field: string,
  clockMs: number,
): Promise<unknown> {
  const text = expressionText(template);
  if (text !== undefined) return evaluateExpression(text, states, field, clockMs);
  if (!hasExpression(template)) return copyLiteral(template);
  if (Array.isArray(template)) {
    const out: unknown[] = [];
    for (const [i, item] of template.entries())
      out.push(await evaluateTemplate(item, states, `${field}[${i}]`, clockMs));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template as Record<string, unknown>)) {
    out[key] = await evaluateTemplate(value, states, `${field}/${key}`, clockMs);
  }
  return out;
}

/** The most `TimeoutSeconds`/`HeartbeatSeconds` can be (AWS's Task maximum). */
const MAX_SECONDS = 99_999_999;

/**
 * `TimeoutSeconds` or `HeartbeatSeconds` as `quickTemplate` gives a template: a number, or an
 * expression with a quick answer that is a valid number of seconds; `NEEDS_EVALUATOR` otherwise
 * (`evaluateSeconds` then decides, errors included).
 */
export function quickSeconds(value: number | string | undefined, states: StatesVariable): unknown {
  if (value === undefined || typeof value === 'number') return value;
  const seconds = quickValue(shapeOf(expressionText(value) ?? value), states);
  return typeof seconds === 'number' && Number.isInteger(seconds) && seconds >= 1 && seconds <= MAX_SECONDS
    ? seconds
    : NEEDS_EVALUATOR;
}

/**
 * `TimeoutSeconds` or `HeartbeatSeconds` of a JSONata state: a number, or an expression that must
 * give a positive integer (anything else is a QueryEvaluationError, as on AWS).
 */
export async function evaluateSeconds(
  value: number | string | undefined,
  states: StatesVariable,
  field: 'TimeoutSeconds' | 'HeartbeatSeconds',
  clockMs: number,
): Promise<number | undefined> {
  if (value === undefined || typeof value === 'number') return value;
  const text = expressionText(value) ?? value;
  const seconds = await evaluateExpression(text, states, field, clockMs);
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1 || seconds > MAX_SECONDS) {
    throw new QueryEvaluationError(
      `The JSONata expression '${text}' specified for the field '${field}' must give a positive integer (at most ${MAX_SECONDS}), not ${JSON.stringify(seconds)}.`,
      field,
    );
  }
  return seconds;
}

/** A JSONata state's `Output` (absent: `$states.result`). */
export function stateOutput(
  state: StateDefinition,
  states: StatesVariable,
  clockMs: number,
): Promise<unknown> {
  const output = state.Output;
  return output === undefined
    ? Promise.resolve(states.result)
    : evaluateTemplate(output, states, 'Output', clockMs);
}

/** What a JSONata catcher hands on: its `Output` (absent: `$states.errorOutput`). */
export function catcherOutput(
  catcher: Catcher,
  index: number,
  states: StatesVariable,
  clockMs: number,
): Promise<unknown> {
  return catcher.Output === undefined
    ? Promise.resolve(states.errorOutput)
    : evaluateTemplate(catcher.Output, states, `Catch[${index}]/Output`, clockMs);
}

/** JSONPath fields a JSONata state may not have (AWS refuses the definition). */
const JSONPATH_FIELDS = [
  'Parameters',
  'InputPath',
  'ResultPath',
  'ResultSelector',
  'OutputPath',
  'TimeoutSecondsPath',
  'HeartbeatSecondsPath',
  'Result',
  'ItemsPath',
  'MaxConcurrencyPath',
] as const;

/** The `{% %}` strings of a template, with the field each is in. */
function templateExpressions(
  template: unknown,
  field: string,
  found: [string, string][] = [],
): [string, string][] {
  const text = expressionText(template);
  if (text !== undefined) found.push([field, text]);
  else if (Array.isArray(template)) {
    for (const [i, item] of template.entries()) templateExpressions(item, `${field}[${i}]`, found);
  } else if (typeof template === 'object' && template !== null) {
    for (const [key, value] of Object.entries(template)) templateExpressions(value, `${field}/${key}`, found);
  }
  return found;
}

/** Whether a compiled expression reads `$states.<name>` anywhere. */
function readsStatesField(node: unknown, name: string): boolean {
  if (typeof node !== 'object' || node === null) return false;
  const { type, steps } = node as { type?: string; steps?: { type?: string; value?: unknown }[] };
  if (type === 'path' && steps?.[0]?.type === 'variable' && steps[0].value === 'states') {
    if (steps[1]?.type === 'name' && steps[1].value === name) return true;
  }
  return Object.values(node).some((child) => readsStatesField(child, name));
}

/** Where a path's context is not the top level: predicates, group-by, and (below) a path's later steps. */
const SCOPED_KEYS = new Set(['stages', 'predicate', 'group']);

/**
 * The names an expression reads from the top-level context, and `$$`, which AWS refuses (there
 * is no context item: the input is `$states.input`). A path's first step is read at the top
 * level; its later steps, predicates and sort terms read what the path reached, and are legal.
 */
function topLevelReferences(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const child of node) topLevelReferences(child, found);
    return found;
  }
  if (typeof node !== 'object' || node === null) return found;
  const { type, value, steps } = node as { type?: string; value?: unknown; steps?: unknown[] };
  if (type === 'name') found.push(String(value));
  if (type === 'variable' && value === '$') found.push('$$');
  if (type === 'path' && Array.isArray(steps)) return topLevelReferences(steps[0], found);
  for (const [key, child] of Object.entries(node)) {
    if (!SCOPED_KEYS.has(key)) topLevelReferences(child, found);
  }
  return found;
}

/**
 * What is wrong with a JSONata state for this engine, as `InvalidDefinition` problems: what AWS
 * refuses at definition time (JSONPath fields, a malformed expression, a top-level reference
 * such as `caseId` for `$states.input.caseId`, `$states.errorOutput`
 * outside a catcher, `$states.result` outside `Output`), and what the local engine does not do
 * yet (JSONata outside Task states, `Assign`).
 */
export function jsonataProblems(name: string, state: StateDefinition): string[] {
  const problems: string[] = [];
  const fields = state as unknown as Record<string, unknown>;
  if (state.Type !== 'Task') {
    return [
      `${name}: JSONata is supported by the local engine in Task states only, not in a ${state.Type} state`,
    ];
  }
  for (const field of JSONPATH_FIELDS) {
    if (field in fields) {
      problems.push(
        `${name}: The QueryLanguage is set to 'JSONata', but field '${field}' is only supported for the 'JSONPath' QueryLanguage`,
      );
    }
  }
  const catchers = state.Catch ?? [];
  if ('Assign' in fields || catchers.some((c) => 'Assign' in c)) {
    problems.push(`${name}: Assign (workflow variables) is not supported by the local engine`);
  }
  catchers.forEach((catcher, i) => {
    if ('ResultPath' in catcher) {
      problems.push(
        `${name}: The QueryLanguage is set to 'JSONata', but field 'Catch[${i}]/ResultPath' is only supported for the 'JSONPath' QueryLanguage`,
      );
    }
  });
  // Each field's expressions, with the `$states` fields that do not exist there.
  const beforeResult = ['result', 'errorOutput'];
  const expressions: [string, string, string[]][] = [];
  const add = (template: unknown, field: string, unavailable: string[]): void => {
    for (const [at, text] of templateExpressions(template, field)) expressions.push([at, text, unavailable]);
  };
  add(fields.Arguments, 'Arguments', beforeResult);
  add(fields.TimeoutSeconds, 'TimeoutSeconds', beforeResult);
  add(fields.HeartbeatSeconds, 'HeartbeatSeconds', beforeResult);
  add(fields.Output, 'Output', ['errorOutput']);
  for (const [i, catcher] of catchers.entries()) add(catcher.Output, `Catch[${i}]/Output`, ['result']);
  for (const [field, text, unavailable] of expressions) {
    let ast: unknown;
    try {
      ast = compile(text).ast();
    } catch (error: unknown) {
      const { code, message } = error as { code?: string; message?: string };
      problems.push(
        `${name}: INVALID_JSONATA_EXPRESSION at ${field}: ${code ?? ''} ${message ?? String(error)}`,
      );
      continue;
    }
    for (const reference of new Set(topLevelReferences(ast))) {
      problems.push(
        `${name}: UNSUPPORTED_JSONATA_EXPRESSION at ${field}: Reference to '${reference}' at the top level is not supported (read the input as $states.input)`,
      );
    }
    for (const variable of unavailable) {
      if (readsStatesField(ast, variable)) {
        problems.push(`${name}: $states.${variable} is not available in the field '${field}'`);
      }
    }
  }
  return problems;
}
