/**
 * How data flows through a JSONPath state: `InputPath`, payload templates (`Parameters`,
 * `ResultSelector`, `ItemSelector`) with `.$` keys and intrinsic functions, `ResultPath`
 * and `OutputPath`, and the context object (`$$`) they can read.
 */
import type { StateDefinition } from './asl.js';
import { evaluateIntrinsic, type IntrinsicOptions, isIntrinsic } from './intrinsics.js';
import { queryPath, writePath } from './json-path.js';

/** The context object (`$$`) as AWS builds it for JSONPath states. */
export interface ContextObject {
  Execution: {
    Id: string;
    Input: unknown;
    Name: string;
    RoleArn: string;
    StartTime: string;
    RedriveCount: number;
    /** When the execution was last redriven (absent until it is). */
    RedriveTime?: string;
  };
  State: { EnteredTime: string; Name: string; RetryCount: number };
  StateMachine: { Id: string; Name: string };
  Task?: { Token: string };
  Map?: { Item: { Index: number; Value: unknown } };
}

/** A deep copy through JSON, as data crossing a state or a Lambda boundary is on AWS. */
export function jsonClone<T>(value: T): T {
  return value === undefined ? (null as T) : (JSON.parse(JSON.stringify(value)) as T);
}

/** `InputPath` (absent: the whole input; `null`: `{}`). */
export function applyInputPath(state: StateDefinition, raw: unknown, ctx: ContextObject): unknown {
  if (state.InputPath === undefined) return raw;
  if (state.InputPath === null) return {};
  return queryPath(state.InputPath, raw, ctx);
}

/**
 * A payload template: `"key.$"` fields take the value of a path (`$…` against `input`,
 * `$$…` against the context object) or of an intrinsic call, under `key`; other fields are
 * copied, and objects and arrays are processed however deeply nested.
 *
 * A selected value is shared with the input, not copied: the engine never changes state data
 * in place (`ResultPath` writes into a copy) and a Lambda handler is given a copy of its
 * payload, so nothing can change it through the other reference. Copying every selection
 * through JSON was a tenth of the engine's time.
 */
export function applyTemplate(
  template: unknown,
  input: unknown,
  ctx: ContextObject,
  options: IntrinsicOptions = {},
): unknown {
  if (Array.isArray(template)) return template.map((item) => applyTemplate(item, input, ctx, options));
  if (typeof template !== 'object' || template === null) return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && typeof value === 'string') {
      out[key.slice(0, -2)] = isIntrinsic(value)
        ? evaluateIntrinsic(value, input, ctx, options)
        : queryPath(value, input, ctx);
    } else {
      out[key] = applyTemplate(value, input, ctx, options);
    }
  }
  return out;
}

/**
 * `ResultPath`: absent or `"$"`, the result replaces the input; `null`, the input passes on
 * unchanged; otherwise the result is merged into a copy of the input at that path.
 */
export function applyResultPath(path: string | null | undefined, raw: unknown, result: unknown): unknown {
  if (path === undefined || path === '$') return result;
  if (path === null) return raw;
  return writePath(path, raw, result);
}

/** `OutputPath` (absent: everything; `null`: `{}`). */
export function applyOutputPath(state: StateDefinition, result: unknown, ctx: ContextObject): unknown {
  if (state.OutputPath === undefined) return result;
  if (state.OutputPath === null) return {};
  return queryPath(state.OutputPath, result, ctx);
}

/** ResultSelector, ResultPath and OutputPath of a Task, Parallel or Map state's result. */
export function processResult(
  state: StateDefinition,
  raw: unknown,
  result: unknown,
  ctx: ContextObject,
  options: IntrinsicOptions = {},
): unknown {
  const selected =
    'ResultSelector' in state ? applyTemplate(state.ResultSelector, result, ctx, options) : result;
  return applyOutputPath(state, applyResultPath(state.ResultPath, raw, selected), ctx);
}
