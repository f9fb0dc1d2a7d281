/**
 * Choice state rules as AWS evaluates them in JSONPath states: every comparison operator
 * and its `…Path` form, `StringMatches` wildcards, the type tests (`IsNull`, `IsPresent`…,
 * where `false` matches when the test fails), `And`/`Or`/`Not`, `Default`, and
 * `States.NoChoiceMatched` when nothing matches and there is no Default.
 */
import { StatesError } from './errors.js';
import { evaluatePath, isTimestamp, queryPath } from './json-path.js';

/** A Choice rule: a comparison on `Variable`, or `And`/`Or`/`Not` of rules; `Next` at top level only. */
export interface ChoiceRule {
  Variable?: string;
  And?: ChoiceRule[];
  Or?: ChoiceRule[];
  Not?: ChoiceRule;
  Next?: string;
  [operator: string]: unknown;
}

/** The fields of a Choice state the rules need. */
export interface ChoiceState {
  Choices?: unknown[];
  Default?: string;
}

type Comparison = 'Equals' | 'LessThan' | 'GreaterThan' | 'LessThanEquals' | 'GreaterThanEquals';

const COMPARISONS: readonly Comparison[] = [
  'Equals',
  'LessThan',
  'GreaterThan',
  'LessThanEquals',
  'GreaterThanEquals',
];

function compare(comparison: Comparison, a: number | string, b: number | string): boolean {
  switch (comparison) {
    case 'Equals':
      return a === b;
    case 'LessThan':
      return a < b;
    case 'GreaterThan':
      return a > b;
    case 'LessThanEquals':
      return a <= b;
    case 'GreaterThanEquals':
      return a >= b;
  }
}

/**
 * The value kinds of the comparison operators: how to recognise a value of the kind, and
 * how to turn it into something `compare` orders correctly.
 */
const KINDS = {
  String: { accepts: (v: unknown): v is string => typeof v === 'string', key: (v: string) => v },
  Numeric: { accepts: (v: unknown): v is number => typeof v === 'number', key: (v: number) => v },
  Timestamp: { accepts: isTimestamp, key: (v: string) => Date.parse(v) },
} as const;

type TypeTest = 'IsNull' | 'IsPresent' | 'IsNumeric' | 'IsString' | 'IsBoolean' | 'IsTimestamp';

const TYPE_TESTS: Record<TypeTest, (value: unknown) => boolean> = {
  IsNull: (v) => v === null,
  IsPresent: (v) => v !== undefined,
  IsNumeric: (v) => typeof v === 'number',
  IsString: (v) => typeof v === 'string',
  IsBoolean: (v) => typeof v === 'boolean',
  IsTimestamp: isTimestamp,
};

/** Every data-test operator ASL defines, for definition checks and error messages. */
export const CHOICE_OPERATORS: readonly string[] = [
  ...(['String', 'Numeric', 'Timestamp'] as const).flatMap((kind) =>
    COMPARISONS.flatMap((c) => [`${kind}${c}`, `${kind}${c}Path`]),
  ),
  'BooleanEquals',
  'BooleanEqualsPath',
  'StringMatches',
  ...Object.keys(TYPE_TESTS),
];

/**
 * Whether `text` matches a StringMatches pattern: `*` is any run of characters (including
 * none); `\*` and `\\` are a literal asterisk and backslash.
 */
export function stringMatches(text: string, pattern: string): boolean {
  let regex = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern.charAt(i);
    if (char === '\\' && i + 1 < pattern.length) {
      regex += escapeRegex(pattern.charAt(++i));
    } else if (char === '*') {
      regex += '[\\s\\S]*';
    } else {
      regex += escapeRegex(char);
    }
  }
  return new RegExp(`^${regex}$`).test(text);
}

function escapeRegex(char: string): string {
  return char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function ruleError(message: string): StatesError {
  return new StatesError('States.Runtime', message, false);
}

/** The operator of a data-test rule (the one key that is not Variable or Next). */
function operatorOf(rule: ChoiceRule): string {
  const operators = Object.keys(rule).filter((key) => key !== 'Variable' && key !== 'Next');
  const [operator] = operators;
  if (operators.length !== 1 || operator === undefined || !CHOICE_OPERATORS.includes(operator)) {
    throw ruleError(`Not a Choice rule: ${JSON.stringify(rule)}`);
  }
  return operator;
}

/** Whether a rule matches the input (`context` is `$$` for paths that start with `$$`). */
export function ruleMatches(rule: ChoiceRule, input: unknown, context: unknown): boolean {
  if (rule.And !== undefined) return rule.And.every((r) => ruleMatches(r, input, context));
  if (rule.Or !== undefined) return rule.Or.some((r) => ruleMatches(r, input, context));
  if (rule.Not !== undefined) return !ruleMatches(rule.Not, input, context);
  if (typeof rule.Variable !== 'string') throw ruleError(`A Choice rule needs a Variable`);
  const operator = operatorOf(rule);
  const expected = rule[operator];

  if (operator in TYPE_TESTS) {
    // A type test asks about the Variable itself, so a missing Variable is an answer, not an error.
    const value = evaluatePath(rule.Variable, input, context);
    const outcome = value !== undefined && TYPE_TESTS[operator as TypeTest](value);
    if (operator === 'IsPresent') return (value !== undefined) === expected;
    return outcome === expected;
  }

  // AWS fails the execution when a compared Variable does not exist.
  const value = queryPath(rule.Variable, input, context);
  const byPath = operator.endsWith('Path');
  const base = byPath ? operator.slice(0, -'Path'.length) : operator;
  const other = byPath ? queryPath(String(expected), input, context) : expected;

  if (base === 'BooleanEquals') {
    return typeof value === 'boolean' && typeof other === 'boolean' && value === other;
  }
  if (base === 'StringMatches') {
    return typeof value === 'string' && typeof other === 'string' && stringMatches(value, other);
  }
  for (const [kindName, kind] of Object.entries(KINDS)) {
    if (!base.startsWith(kindName)) continue;
    const comparison = base.slice(kindName.length) as Comparison;
    // Values of another type never match (and are not an error), as on AWS.
    if (!kind.accepts(value) || !kind.accepts(other)) return false;
    const key = kind.key as (v: unknown) => number | string;
    return compare(comparison, key(value), key(other));
  }
  throw ruleError(`Unsupported Choice operator ${operator}`);
}

/**
 * The state a Choice state moves to: the `Next` of the first rule that matches, else
 * `Default`, else the state fails with `States.NoChoiceMatched`.
 */
export function chooseNext(state: ChoiceState, input: unknown, context: unknown): string {
  for (const rule of (state.Choices ?? []) as ChoiceRule[]) {
    if (ruleMatches(rule, input, context)) {
      if (typeof rule.Next !== 'string') throw ruleError('A top-level Choice rule needs a Next');
      return rule.Next;
    }
  }
  if (state.Default !== undefined) return state.Default;
  throw new StatesError('States.NoChoiceMatched', 'No Choice rule matched and there is no Default');
}
