/**
 * ASL intrinsic functions (`"x.$": "States.Format('CMP-{}', $.number)"`): a parser for the
 * call syntax and an evaluator for the functions AWS offers in JSONPath states.
 *
 * Hand-written because no maintained standalone library evaluates ASL intrinsics: the only
 * JavaScript implementations live inside whole local-emulator packages that do not export
 * them. The grammar is small (nested calls; string literals with `\` escapes; JSONPath,
 * number, boolean and null arguments), and the functions are thin wrappers over
 * `node:crypto`, `Buffer` and JSON. Failures while evaluating are `States.IntrinsicFailure`
 * (catchable, as on AWS); a path argument that points nowhere is `States.Runtime`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { StatesError } from './errors.js';
import { queryPath } from './json-path.js';

/** One argument of an intrinsic call, as written. */
export type IntrinsicArgument =
  /** A string literal: `value` unescaped, `raw` as written between the quotes (States.Format reads its `\{`). */
  | { kind: 'string'; value: string; raw: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  /** A JSONPath against the state input (`$…`) or the context object (`$$…`). */
  | { kind: 'path'; path: string }
  | { kind: 'call'; call: IntrinsicCall };

/** A parsed `States.Name(arg, …)`. */
export interface IntrinsicCall {
  name: string;
  args: IntrinsicArgument[];
}

/** The text is not a well-formed intrinsic function call. */
export class IntrinsicSyntaxError extends Error {
  override name = 'IntrinsicSyntaxError';
}

/** Whether a `.$` value is an intrinsic call rather than a path. */
export function isIntrinsic(text: string): boolean {
  return text.trimStart().startsWith('States.');
}

/** Parses `States.Name(args…)`; throws `IntrinsicSyntaxError` with the offending position. */
export function parseIntrinsic(text: string): IntrinsicCall {
  let pos = 0;
  const fail = (what: string): never => {
    throw new IntrinsicSyntaxError(`${what} at position ${pos} of ${JSON.stringify(text)}`);
  };
  const skipSpace = (): void => {
    while (pos < text.length && /\s/.test(text.charAt(pos))) pos++;
  };

  const parseString = (): IntrinsicArgument => {
    pos++; // opening quote
    let value = '';
    let raw = '';
    for (;;) {
      if (pos >= text.length) fail('Unterminated string literal');
      const char = text.charAt(pos);
      if (char === "'") break;
      if (char === '\\') {
        const next = text.charAt(pos + 1);
        if (next === '') fail('Unterminated escape');
        value += next;
        raw += char + next;
        pos += 2;
        continue;
      }
      value += char;
      raw += char;
      pos++;
    }
    pos++; // closing quote
    return { kind: 'string', value, raw };
  };

  // A path runs to the first `,` or `)` outside brackets, parentheses (filters) and quotes.
  const parsePath = (): IntrinsicArgument => {
    const start = pos;
    let depth = 0;
    let quote = '';
    while (pos < text.length) {
      const char = text.charAt(pos);
      if (quote) {
        if (char === '\\') pos++;
        else if (char === quote) quote = '';
      } else if (char === "'" || char === '"') {
        if (depth === 0) fail('Unexpected quote in a path');
        quote = char;
      } else if (char === '[' || char === '(') {
        depth++;
      } else if (char === ']' || char === ')') {
        if (depth === 0) break;
        depth--;
      } else if (char === ',' && depth === 0) {
        break;
      }
      pos++;
    }
    const path = text.slice(start, pos).trim();
    if (quote || depth !== 0) fail('Unterminated path');
    return { kind: 'path', path };
  };

  const parseArgument = (): IntrinsicArgument => {
    const rest = text.slice(pos);
    if (rest.startsWith("'")) return parseString();
    if (rest.startsWith('$')) return parsePath();
    if (rest.startsWith('States.')) return { kind: 'call', call: parseCall() };
    const literal = /^(?:true|false|null)\b/.exec(rest);
    if (literal) {
      pos += literal[0].length;
      if (literal[0] === 'null') return { kind: 'null' };
      return { kind: 'boolean', value: literal[0] === 'true' };
    }
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(rest);
    if (number) {
      pos += number[0].length;
      return { kind: 'number', value: Number(number[0]) };
    }
    return fail('Expected an argument');
  };

  const parseCall = (): IntrinsicCall => {
    const head = /^States\.([A-Za-z0-9]+)\s*\(/.exec(text.slice(pos));
    if (!head) return fail('Expected States.<Function>(');
    const name = `States.${head[1]}`;
    pos += head[0].length;
    const args: IntrinsicArgument[] = [];
    skipSpace();
    if (text.charAt(pos) === ')') {
      pos++;
      return { name, args };
    }
    for (;;) {
      skipSpace();
      args.push(parseArgument());
      skipSpace();
      const separator = text.charAt(pos);
      pos++;
      if (separator === ')') return { name, args };
      if (separator !== ',') fail("Expected ',' or ')'");
    }
  };

  skipSpace();
  const call = parseCall();
  skipSpace();
  if (pos !== text.length) fail('Unexpected text after the call');
  return call;
}

/** What evaluation needs besides the input and context. */
export interface IntrinsicOptions {
  /** Random source in [0, 1) for States.MathRandom without a seed (default `Math.random`). */
  random?: () => number;
}

function failure(name: string, message: string): StatesError {
  return new StatesError('States.IntrinsicFailure', `${name}: ${message}`);
}

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep equality of JSON values (object key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]))
    );
  }
  return false;
}

// AWS caps the input of the encoding and hashing functions at 10,000 characters.
const MAX_STRING_INPUT = 10_000;
// …and the arrays States.ArrayRange may build at 1,000 items.
const MAX_RANGE_ITEMS = 1000;
const HASH_ALGORITHMS: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

/** A deterministic [0, 1) source from a seed, so States.MathRandom with a seed repeats itself. */
function seededRandom(seed: unknown): () => number {
  const digest = createHash('sha256').update(JSON.stringify(seed)).digest();
  let state = digest.readUInt32LE(0);
  // mulberry32: small, fast and good enough for picking a number in a range.
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Fills `{}` placeholders of a template written with `\` escapes (`\{`, `\}`, `\'`, `\\`). */
function format(name: string, template: string, values: unknown[]): string {
  let out = '';
  let next = 0;
  for (let i = 0; i < template.length; i++) {
    const char = template.charAt(i);
    if (char === '\\' && i + 1 < template.length) {
      out += template.charAt(++i);
    } else if (char === '{' && template.charAt(i + 1) === '}') {
      if (next >= values.length) throw failure(name, 'more {} placeholders than arguments');
      const value = values[next++];
      out += typeof value === 'string' ? value : JSON.stringify(value);
      i++;
    } else {
      out += char;
    }
  }
  if (next !== values.length) throw failure(name, 'more arguments than {} placeholders');
  return out;
}

/** Checks the argument count and types of one call, naming the function and argument in failures. */
class Arguments {
  constructor(
    private readonly name: string,
    readonly values: unknown[],
  ) {}

  count(min: number, max = min): this {
    const n = this.values.length;
    if (n < min || n > max) {
      const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      throw failure(this.name, `takes ${expected} argument(s), got ${n}`);
    }
    return this;
  }

  private check<T>(index: number, test: (v: unknown) => boolean, expected: string): T {
    const value = this.values[index];
    if (!test(value)) {
      throw failure(this.name, `argument ${index + 1} must be ${expected}, got ${typeName(value)}`);
    }
    return value as T;
  }

  string(index: number): string {
    return this.check(index, (v) => typeof v === 'string', 'a string');
  }

  number(index: number): number {
    return this.check(index, (v) => typeof v === 'number', 'a number');
  }

  /** A number, rounded to the nearest integer as AWS does for the Math and ArrayRange functions. */
  integer(index: number): number {
    return Math.round(this.number(index));
  }

  boolean(index: number): boolean {
    return this.check(index, (v) => typeof v === 'boolean', 'a boolean');
  }

  array(index: number): JsonValue[] {
    return this.check(index, Array.isArray, 'an array');
  }

  object(index: number): Record<string, JsonValue> {
    return this.check(index, isPlainObject, 'an object');
  }

  limitedString(index: number): string {
    const value = this.string(index);
    if (value.length > MAX_STRING_INPUT) {
      throw failure(this.name, `argument ${index + 1} is longer than ${MAX_STRING_INPUT} characters`);
    }
    return value;
  }
}

type Implementation = (args: Arguments, call: IntrinsicCall, options: IntrinsicOptions) => unknown;

const FUNCTIONS: Record<string, Implementation> = {
  'States.Format'(args, call) {
    args.count(1, Infinity);
    const [template, ...values] = args.values;
    if (typeof template !== 'string') throw failure(call.name, 'argument 1 must be a string');
    values.forEach((value, i) => {
      if (value !== null && typeof value === 'object') {
        throw failure(call.name, `argument ${i + 2} must be a string, number, boolean or null`);
      }
    });
    // A literal template keeps its escapes so `\{}` stays literal; a template read from a
    // path is taken as it is.
    const first = call.args[0];
    return format(call.name, first?.kind === 'string' ? first.raw : template, values);
  },
  'States.StringToJson'(args, call) {
    const text = args.count(1).string(0);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw failure(call.name, 'argument 1 is not valid JSON');
    }
  },
  'States.JsonToString'(args) {
    return JSON.stringify(args.count(1).values[0]);
  },
  'States.Array'(args) {
    return [...args.values];
  },
  'States.ArrayPartition'(args, call) {
    args.count(2);
    const array = args.array(0);
    const size = args.integer(1);
    if (size <= 0) throw failure(call.name, 'the chunk size must be a positive integer');
    const chunks: JsonValue[][] = [];
    for (let i = 0; i < array.length; i += size) chunks.push(array.slice(i, i + size));
    return chunks;
  },
  'States.ArrayContains'(args) {
    args.count(2);
    const wanted = args.values[1];
    return args.array(0).some((item) => jsonEqual(item, wanted));
  },
  'States.ArrayRange'(args, call) {
    args.count(3);
    const [start, end, step] = [args.integer(0), args.integer(1), args.integer(2)];
    if (step === 0) throw failure(call.name, 'the step must not be 0');
    const length = Math.floor((end - start) / step) + 1;
    if (length <= 0) return [];
    if (length > MAX_RANGE_ITEMS) {
      throw failure(call.name, `the result would have more than ${MAX_RANGE_ITEMS} items`);
    }
    return Array.from({ length }, (_, i) => start + i * step);
  },
  'States.ArrayGetItem'(args, call) {
    args.count(2);
    const array = args.array(0);
    const index = args.number(1);
    if (!Number.isInteger(index) || index < 0 || index >= array.length) {
      throw failure(call.name, `index ${index} is outside the array (length ${array.length})`);
    }
    return array[index];
  },
  'States.ArrayLength'(args) {
    return args.count(1).array(0).length;
  },
  'States.ArrayUnique'(args) {
    const array = args.count(1).array(0);
    return array.filter((item, i) => array.findIndex((other) => jsonEqual(item, other)) === i);
  },
  'States.Base64Encode'(args) {
    return Buffer.from(args.count(1).limitedString(0), 'utf8').toString('base64');
  },
  'States.Base64Decode'(args, call) {
    const text = args.count(1).limitedString(0);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) {
      throw failure(call.name, 'argument 1 is not Base64');
    }
    return Buffer.from(text, 'base64').toString('utf8');
  },
  'States.Hash'(args, call) {
    args.count(2);
    const data = args.limitedString(0);
    const algorithm = HASH_ALGORITHMS[args.string(1)];
    if (!algorithm) {
      throw failure(call.name, `the algorithm must be one of ${Object.keys(HASH_ALGORITHMS).join(', ')}`);
    }
    return createHash(algorithm).update(data, 'utf8').digest('hex');
  },
  'States.JsonMerge'(args, call) {
    args.count(3);
    const [left, right] = [args.object(0), args.object(1)];
    // AWS supports only the shallow merge and requires the deep-merge flag to be false.
    if (args.boolean(2)) throw failure(call.name, 'deep merge is not supported; pass false');
    return { ...left, ...right };
  },
  'States.MathRandom'(args, call, options) {
    args.count(2, 3);
    const [start, end] = [args.integer(0), args.integer(1)];
    if (end <= start) throw failure(call.name, 'the end must be greater than the start');
    const random = args.values.length === 3 ? seededRandom(args.values[2]) : (options.random ?? Math.random);
    // Start inclusive, end exclusive.
    return start + Math.floor(random() * (end - start));
  },
  'States.MathAdd'(args) {
    args.count(2);
    return args.integer(0) + args.integer(1);
  },
  'States.StringSplit'(args) {
    args.count(2);
    const text = args.string(0);
    const delimiters = new Set(args.string(1));
    // AWS splits at every character of the delimiter string and drops empty pieces.
    const pieces: string[] = [];
    let current = '';
    for (const char of text) {
      if (delimiters.has(char)) {
        if (current !== '') pieces.push(current);
        current = '';
      } else {
        current += char;
      }
    }
    if (current !== '') pieces.push(current);
    return pieces;
  },
  'States.UUID'(args) {
    args.count(0);
    return randomUUID();
  },
};

/** The intrinsic functions this evaluator knows. */
export const INTRINSIC_FUNCTIONS: readonly string[] = Object.keys(FUNCTIONS);

function evaluateArgument(
  arg: IntrinsicArgument,
  input: unknown,
  context: unknown,
  options: IntrinsicOptions,
): unknown {
  switch (arg.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return arg.value;
    case 'null':
      return null;
    case 'path':
      return queryPath(arg.path, input, context);
    case 'call':
      return evaluateCall(arg.call, input, context, options);
  }
}

function evaluateCall(
  call: IntrinsicCall,
  input: unknown,
  context: unknown,
  options: IntrinsicOptions,
): unknown {
  const implementation = FUNCTIONS[call.name];
  if (!implementation) throw failure(call.name, 'is not an intrinsic function');
  const values = call.args.map((arg) => evaluateArgument(arg, input, context, options));
  return implementation(new Arguments(call.name, values), call, options);
}

/**
 * Evaluates an intrinsic call (text or parsed) against the state input and the context
 * object. Throws a `StatesError`: `States.IntrinsicFailure` for bad syntax or arguments,
 * `States.Runtime` for a path argument that points nowhere.
 */
export function evaluateIntrinsic(
  intrinsic: string | IntrinsicCall,
  input: unknown,
  context: unknown,
  options: IntrinsicOptions = {},
): unknown {
  let call: IntrinsicCall;
  if (typeof intrinsic === 'string') {
    try {
      call = parseIntrinsic(intrinsic);
    } catch (error: unknown) {
      if (error instanceof IntrinsicSyntaxError) throw failure('States', error.message);
      throw error;
    }
  } else {
    call = intrinsic;
  }
  return evaluateCall(call, input, context, options);
}

/** Checks a call's syntax and function names (for definition validation); returns problems found. */
export function intrinsicProblems(text: string): string[] {
  try {
    const problems: string[] = [];
    const visit = (call: IntrinsicCall): void => {
      if (!FUNCTIONS[call.name]) problems.push(`${call.name} is not an intrinsic function`);
      for (const arg of call.args) if (arg.kind === 'call') visit(arg.call);
    };
    visit(parseIntrinsic(text));
    return problems;
  } catch (error: unknown) {
    if (error instanceof IntrinsicSyntaxError) return [error.message];
    throw error;
  }
}
