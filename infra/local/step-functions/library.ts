/**
 * The pieces of `aws-local-stepfunctions` 3.0.0 that this engine reuses: JSONPath queries,
 * payload templates with intrinsic functions, ResultPath/OutputPath processing, Choice rules
 * and the ASL validator.
 *
 * Why the bundle is loaded by hand: the package only exports `StateMachine`, whose `run()`
 * drives a whole execution on real time (Wait/Retry/timeout `setTimeout`s, a 60 s default
 * task timeout, one static `$$.Task.Token`, `$$.Execution.StartTime` from the wall clock)
 * and cannot stop at a state and resume later. Those are exactly the parts that differ from
 * AWS (DESIGN §6), while the expression evaluation is the part it gets right. So the CommonJS
 * bundle is compiled here with one extra line that returns its internal helpers, and the
 * state-to-state driver lives in `interpreter.ts`/`engine.ts`. If an upgrade renames a
 * helper, loading fails at once with a clear message instead of misbehaving later.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { compileFunction } from 'node:vm';

// Node 20 lacks Promise.withResolvers, which the library's Task state uses; install it before
// the bundle is evaluated so any code path of the library that needs it finds it.
if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

/** A JSON value as the library sees it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Constraint classes accepted by `jsonPathQuery` (opaque here). */
export type PathConstraint = abstract new (path: string) => { test(value: unknown): void };

/** An error raised by the library while evaluating a state (`name` is the ASL error name). */
export interface LibraryRuntimeError extends Error {
  readonly isRetryable: boolean;
  readonly isCatchable: boolean;
}

/** The internal helpers of aws-local-stepfunctions used by the engine. */
export interface LibraryInternals {
  jsonPathQuery(
    path: string,
    json: unknown,
    context: unknown,
    options?: { constraints?: PathConstraint[]; ignoreDefinedValueConstraint?: boolean },
  ): unknown;
  processInputPath(path: string | null | undefined, input: unknown, context: unknown): unknown;
  processPayloadTemplate(template: unknown, json: unknown, context: unknown): unknown;
  processResultPath(path: string | null | undefined, rawInput: unknown, result: unknown): unknown;
  processOutputPath(path: string | null | undefined, result: unknown, context: unknown): unknown;
  ChoiceStateAction: new (
    state: unknown,
    name: string,
  ) => { execute(input: unknown, context: unknown): Promise<{ nextState: string }> };
  RuntimeError: new (message: string) => LibraryRuntimeError;
  StatesRuntimeError: new (message?: string) => LibraryRuntimeError;
  StringConstraint: PathConstraint;
  IntegerConstraint: PathConstraint & { greaterThanOrEqual(n: number): PathConstraint };
  RFC3339TimestampConstraint: PathConstraint;
  ArrayConstraint: PathConstraint;
  /** The library's state machine; constructing one validates a definition with asl-validator. */
  StateMachine: new (
    definition: unknown,
    options?: unknown,
  ) => unknown;
}

const INTERNAL_NAMES = [
  'jsonPathQuery',
  'processInputPath',
  'processPayloadTemplate',
  'processResultPath',
  'processOutputPath',
  'ChoiceStateAction',
  'RuntimeError',
  'StatesRuntimeError',
  'StringConstraint',
  'IntegerConstraint',
  'RFC3339TimestampConstraint',
  'ArrayConstraint',
  'StateMachine',
] as const;

/** The library could not be loaded, or a helper the engine relies on has gone. */
export class LibraryLoadError extends Error {
  override name = 'LibraryLoadError';
}

function loadInternals(): LibraryInternals {
  const require = createRequire(import.meta.url);
  const bundlePath = require.resolve('aws-local-stepfunctions');
  const source = readFileSync(bundlePath, 'utf8');
  const bundleRequire = createRequire(bundlePath);
  // `typeof` keeps a missing helper from throwing a ReferenceError, so the check below can name it.
  const exportLine = `\nreturn { ${INTERNAL_NAMES.map((n) => `${n}: typeof ${n} === 'undefined' ? undefined : ${n}`).join(', ')} };`;
  const factory = compileFunction(
    source + exportLine,
    ['exports', 'require', 'module', '__filename', '__dirname'],
    {
      filename: bundlePath,
    },
  );
  const module = { exports: {} };
  const internals = factory(module.exports, bundleRequire, module, bundlePath, bundlePath) as Record<
    string,
    unknown
  >;
  const missing = INTERNAL_NAMES.filter((n) => internals[n] === undefined);
  if (missing.length > 0) {
    throw new LibraryLoadError(
      `aws-local-stepfunctions no longer defines ${missing.join(', ')}; the local engine was written against 3.0.0`,
    );
  }
  return internals as unknown as LibraryInternals;
}

/** Helpers of aws-local-stepfunctions, loaded once. */
export const lib: LibraryInternals = loadInternals();
