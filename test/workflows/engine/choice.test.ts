/**
 * Choice rules of the local engine: every ASL comparison operator, its Path form, the type
 * tests, the boolean combinators, Default and States.NoChoiceMatched.
 */
import { describe, expect, it } from 'vitest';
import {
  CHOICE_OPERATORS,
  type ChoiceRule,
  chooseNext,
  ruleMatches,
  stringMatches,
} from '../../../infra/local/step-functions/choice.js';
import { StatesError } from '../../../infra/local/step-functions/errors.js';

const INPUT = {
  name: 'complaint',
  other: 'compliment',
  count: 5,
  five: 5,
  ten: 10,
  flag: true,
  no: false,
  nothing: null,
  due: '2026-03-09T12:00:00Z',
  dueOffset: '2026-03-09T13:00:00+01:00',
  later: '2026-03-10T00:00:00.000Z',
  notTime: '2026-03-09',
  file: 'log-2026.txt',
  star: 'a*b',
};
const CONTEXT = { Execution: { Name: 'case-1' } };

function matches(rule: ChoiceRule): boolean {
  return ruleMatches(rule, INPUT, CONTEXT);
}

describe('ruleMatches', () => {
  it.each([
    ['StringEquals', '$.name', 'complaint', true],
    ['StringEquals', '$.name', 'Complaint', false],
    ['StringLessThan', '$.name', 'compliment', true],
    ['StringGreaterThan', '$.name', 'compliment', false],
    ['StringLessThanEquals', '$.name', 'complaint', true],
    ['StringGreaterThanEquals', '$.name', 'complaint', true],
    ['NumericEquals', '$.count', 5, true],
    ['NumericLessThan', '$.count', 5, false],
    ['NumericGreaterThan', '$.count', 4.5, true],
    ['NumericLessThanEquals', '$.count', 5, true],
    ['NumericGreaterThanEquals', '$.count', 6, false],
    ['BooleanEquals', '$.flag', true, true],
    ['BooleanEquals', '$.no', true, false],
    ['TimestampEquals', '$.due', '2026-03-09T12:00:00.000Z', true],
    ['TimestampEquals', '$.dueOffset', '2026-03-09T12:00:00Z', true],
    ['TimestampLessThan', '$.due', '2026-03-10T00:00:00Z', true],
    ['TimestampGreaterThan', '$.due', '2026-03-10T00:00:00Z', false],
    ['TimestampLessThanEquals', '$.due', '2026-03-09T12:00:00Z', true],
    ['TimestampGreaterThanEquals', '$.due', '2026-03-09T12:00:01Z', false],
  ])('evaluates %s on %s against %j as %s', (operator, variable, value, expected) => {
    // Act
    const result = matches({ Variable: variable, [operator]: value });

    // Assess
    expect(result).toBe(expected);
  });

  it.each([
    ['StringEqualsPath', '$.name', '$.name', true],
    ['StringLessThanPath', '$.name', '$.other', true],
    ['StringGreaterThanPath', '$.name', '$.other', false],
    ['StringLessThanEqualsPath', '$.other', '$.name', false],
    ['StringGreaterThanEqualsPath', '$.other', '$.name', true],
    ['NumericEqualsPath', '$.count', '$.five', true],
    ['NumericLessThanPath', '$.count', '$.ten', true],
    ['NumericGreaterThanPath', '$.count', '$.ten', false],
    ['NumericLessThanEqualsPath', '$.count', '$.five', true],
    ['NumericGreaterThanEqualsPath', '$.ten', '$.count', true],
    ['BooleanEqualsPath', '$.flag', '$.flag', true],
    ['BooleanEqualsPath', '$.flag', '$.no', false],
    ['TimestampEqualsPath', '$.due', '$.dueOffset', true],
    ['TimestampLessThanPath', '$.due', '$.later', true],
    ['TimestampGreaterThanPath', '$.due', '$.later', false],
    ['TimestampLessThanEqualsPath', '$.due', '$.dueOffset', true],
    ['TimestampGreaterThanEqualsPath', '$.later', '$.due', true],
    ['StringEqualsPath', '$.name', '$$.Execution.Name', false],
  ])('evaluates %s on %s against %s as %s', (operator, variable, path, expected) => {
    // Act
    const result = matches({ Variable: variable, [operator]: path });

    // Assess
    expect(result).toBe(expected);
  });

  it('does not match values of another type, and does not fail on them', () => {
    // Act
    const results = [
      matches({ Variable: '$.count', StringEquals: '5' }),
      matches({ Variable: '$.name', NumericEquals: 5 }),
      matches({ Variable: '$.name', BooleanEquals: true }),
      matches({ Variable: '$.notTime', TimestampEquals: '2026-03-09T00:00:00Z' }),
      matches({ Variable: '$.count', NumericEqualsPath: '$.name' }),
      matches({ Variable: '$.nothing', StringMatches: '*' }),
    ];

    // Assess
    expect(results).toEqual([false, false, false, false, false, false]);
  });

  it.each([
    ['IsNull', '$.nothing', true],
    ['IsNull', '$.name', false],
    ['IsPresent', '$.nothing', true],
    ['IsPresent', '$.missing', false],
    ['IsNumeric', '$.count', true],
    ['IsNumeric', '$.name', false],
    ['IsString', '$.name', true],
    ['IsString', '$.count', false],
    ['IsBoolean', '$.no', true],
    ['IsBoolean', '$.nothing', false],
    ['IsTimestamp', '$.due', true],
    ['IsTimestamp', '$.notTime', false],
  ])('answers %s for %s: %s, and the opposite for false', (operator, variable, expected) => {
    // Act
    const asTrue = matches({ Variable: variable, [operator]: true });
    const asFalse = matches({ Variable: variable, [operator]: false });

    // Assess
    expect(asTrue).toBe(expected);
    expect(asFalse).toBe(!expected);
  });

  it('treats a missing Variable as not of any type', () => {
    // Act
    const isString = matches({ Variable: '$.missing', IsString: true });
    const isNotNull = matches({ Variable: '$.missing', IsNull: false });

    // Assess
    expect(isString).toBe(false);
    expect(isNotNull).toBe(true);
  });

  it('combines rules with And, Or and Not, however nested', () => {
    // Act
    const results = [
      matches({
        And: [
          { Variable: '$.count', NumericGreaterThan: 1 },
          { Not: { Variable: '$.name', StringEquals: 'x' } },
        ],
      }),
      matches({
        Or: [
          { Variable: '$.flag', BooleanEquals: false },
          {
            And: [
              { Variable: '$.missing', IsPresent: false },
              { Variable: '$.no', IsBoolean: true },
            ],
          },
        ],
      }),
      matches({ Not: { Or: [{ Variable: '$.flag', BooleanEquals: true }] } }),
      matches({
        And: [
          { Variable: '$.flag', BooleanEquals: true },
          { Variable: '$.no', BooleanEquals: true },
        ],
      }),
    ];

    // Assess
    expect(results).toEqual([true, true, false, false]);
  });

  it('fails with States.Runtime when a compared Variable or Path does not exist', () => {
    // Act
    const variable = () => matches({ Variable: '$.missing', StringEquals: 'x' });
    const path = () => matches({ Variable: '$.name', StringEqualsPath: '$.missing' });

    // Assess
    expect(variable).toThrow(StatesError);
    expect(variable).toThrow(/States.Runtime/);
    expect(path).toThrow(/States.Runtime/);
  });

  it('knows every comparison operator of ASL and its Path form', () => {
    // Assess
    expect(CHOICE_OPERATORS).toHaveLength(39);
    expect(CHOICE_OPERATORS).toEqual(
      expect.arrayContaining(['StringMatches', 'TimestampGreaterThanEqualsPath', 'IsTimestamp']),
    );
  });
});

describe('stringMatches', () => {
  it.each([
    ['log-2026.txt', 'log-*.txt', true],
    ['log-2026.txt', '*', true],
    ['', '*', true],
    ['log-2026.txt', 'log-*.csv', false],
    ['log-.txt', 'log-*.txt', true],
    ['a*b', 'a\\*b', true],
    ['axb', 'a\\*b', false],
    ['a\\b', 'a\\\\b', true],
    ['a.b', 'a?b', false],
    ['a(b)', 'a(*)', true],
    ['line\nbreak', 'line*', true],
  ])('matches %j against %j: %s', (text, pattern, expected) => {
    // Act
    const result = stringMatches(text, pattern);

    // Assess
    expect(result).toBe(expected);
  });

  it('applies to a Choice rule with StringMatches', () => {
    // Act
    const result = matches({ Variable: '$.file', StringMatches: 'log-*.txt' });
    const escaped = matches({ Variable: '$.star', StringMatches: 'a\\*b' });

    // Assess
    expect(result).toBe(true);
    expect(escaped).toBe(true);
  });
});

describe('chooseNext', () => {
  const state = {
    Choices: [
      { Variable: '$.count', NumericGreaterThan: 10, Next: 'Big' },
      { Variable: '$.name', StringEquals: 'complaint', Next: 'Complaint' },
      { Variable: '$.flag', BooleanEquals: true, Next: 'Flagged' },
    ],
  };

  it('returns the Next of the first rule that matches', () => {
    // Act
    const next = chooseNext(state, INPUT, CONTEXT);

    // Assess
    expect(next).toBe('Complaint');
  });

  it('returns Default when no rule matches', () => {
    // Act
    const next = chooseNext({ ...state, Default: 'Other' }, { count: 1, name: 'x', flag: false }, CONTEXT);

    // Assess
    expect(next).toBe('Other');
  });

  it('fails with States.NoChoiceMatched when no rule matches and there is no Default', () => {
    // Act
    const choosing = () => chooseNext(state, { count: 1, name: 'x', flag: false }, CONTEXT);

    // Assess
    expect(choosing).toThrow(expect.objectContaining({ error: 'States.NoChoiceMatched', recoverable: true }));
  });
});
