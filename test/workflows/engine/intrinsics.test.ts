/**
 * The intrinsic-function parser and evaluator of the local engine, against the behaviour
 * AWS documents for each function.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { StatesError } from '../../../infra/local/step-functions/errors.js';
import {
  evaluateIntrinsic,
  IntrinsicSyntaxError,
  intrinsicProblems,
  parseIntrinsic,
} from '../../../infra/local/step-functions/intrinsics.js';

const INPUT = {
  name: 'Ada',
  number: 42,
  list: [1, 2, 2, { a: 1 }, { a: 1 }],
  json: '{"x":[1,true,null]}',
  left: { a: 1, b: { c: 1 } },
  right: { b: { d: 2 }, e: 3 },
  csv: 'a,b,,c',
};
const CONTEXT = { Execution: { Name: 'case-1' } };

function evaluate(text: string, input: unknown = INPUT): unknown {
  return evaluateIntrinsic(text, input, CONTEXT);
}

function failureOf(text: string, input: unknown = INPUT): StatesError {
  try {
    evaluate(text, input);
  } catch (error: unknown) {
    if (error instanceof StatesError) return error;
    throw error;
  }
  throw new Error(`${text} did not fail`);
}

describe('parseIntrinsic', () => {
  it('parses nested calls, literals of every kind and paths', () => {
    // Act
    const call = parseIntrinsic(
      "States.Array('it\\'s', -1.5e2, true, false, null, $.a['b,c'][0], $$.Execution.Name, States.UUID())",
    );

    // Assess
    expect(call).toEqual({
      name: 'States.Array',
      args: [
        { kind: 'string', value: "it's", raw: "it\\'s" },
        { kind: 'number', value: -150 },
        { kind: 'boolean', value: true },
        { kind: 'boolean', value: false },
        { kind: 'null' },
        { kind: 'path', path: "$.a['b,c'][0]" },
        { kind: 'path', path: '$$.Execution.Name' },
        { kind: 'call', call: { name: 'States.UUID', args: [] } },
      ],
    });
  });

  it('keeps a path with a filter expression in one argument', () => {
    // Act
    const call = parseIntrinsic('States.ArrayLength($.list[?(@.a == 1)])');

    // Assess
    expect(call.args).toEqual([{ kind: 'path', path: '$.list[?(@.a == 1)]' }]);
  });

  it.each([
    ["States.Format('unterminated)", 'Unterminated string'],
    ['States.Array(1 2)', "Expected ',' or ')'"],
    ['States.Array(1,)', 'Expected an argument'],
    ['States.Array(1) trailing', 'Unexpected text'],
    ['Format(1)', 'Expected States.'],
    ['States.Array(nope)', 'Expected an argument'],
  ])('rejects %s', (text, message) => {
    // Act
    const parsing = () => parseIntrinsic(text);

    // Assess
    expect(parsing).toThrow(IntrinsicSyntaxError);
    expect(parsing).toThrow(message);
  });
});

describe('intrinsicProblems', () => {
  it('reports unknown functions at any depth and syntax errors', () => {
    // Act
    const unknown = intrinsicProblems('States.Array(States.Nope(1))');
    const broken = intrinsicProblems('States.Array(');
    const fine = intrinsicProblems("States.Format('{}', $.name)");

    // Assess
    expect(unknown).toEqual(['States.Nope is not an intrinsic function']);
    expect(broken).toHaveLength(1);
    expect(fine).toEqual([]);
  });
});

describe('evaluateIntrinsic', () => {
  it('formats placeholders with strings, numbers, booleans and null', () => {
    // Act
    const text = evaluate("States.Format('{} is {} ({}, {})', $.name, $.number, true, null)");

    // Assess
    expect(text).toBe('Ada is 42 (true, null)');
  });

  it('keeps escaped braces, quotes and backslashes literal in a Format template', () => {
    // Act
    const text = evaluate("States.Format('\\{\\} {} \\'q\\' \\\\', $.name)");

    // Assess
    expect(text).toBe("{} Ada 'q' \\");
  });

  it('fails with States.IntrinsicFailure when Format placeholders and arguments differ', () => {
    // Act
    const tooFew = failureOf("States.Format('{} {}', $.name)");
    const tooMany = failureOf("States.Format('{}', $.name, $.number)");
    const objectArgument = failureOf("States.Format('{}', $.left)");

    // Assess
    for (const failure of [tooFew, tooMany, objectArgument]) {
      expect(failure).toMatchObject({ error: 'States.IntrinsicFailure', recoverable: true });
    }
  });

  it('converts between JSON text and values', () => {
    // Act
    const parsed = evaluate('States.StringToJson($.json)');
    const text = evaluate('States.JsonToString($.left)');
    const roundTrip = evaluate('States.StringToJson(States.JsonToString($.list))');

    // Assess
    expect(parsed).toEqual({ x: [1, true, null] });
    expect(text).toBe('{"a":1,"b":{"c":1}}');
    expect(roundTrip).toEqual(INPUT.list);
  });

  it('fails with States.IntrinsicFailure on text that is not JSON', () => {
    // Act
    const failure = failureOf("States.StringToJson('{nope')");

    // Assess
    expect(failure.error).toBe('States.IntrinsicFailure');
  });

  it('builds, partitions, searches, indexes, measures and de-duplicates arrays', () => {
    // Act
    const results = {
      array: evaluate("States.Array('a', 1, $.left, States.Array())"),
      partition: evaluate('States.ArrayPartition(States.Array(1, 2, 3, 4, 5), 2)'),
      contains: evaluate('States.ArrayContains($.list, $.left.b)'),
      containsDeep: evaluate('States.ArrayContains($.list, States.StringToJson(\'{"a":1}\'))'),
      item: evaluate('States.ArrayGetItem($.list, 3)'),
      length: evaluate('States.ArrayLength($.list)'),
      unique: evaluate('States.ArrayUnique($.list)'),
    };

    // Assess
    expect(results).toEqual({
      array: ['a', 1, { a: 1, b: { c: 1 } }, []],
      partition: [[1, 2], [3, 4], [5]],
      contains: false,
      containsDeep: true,
      item: { a: 1 },
      length: 5,
      unique: [1, 2, { a: 1 }],
    });
  });

  it('makes inclusive ranges in either direction and refuses ranges over 1000 items', () => {
    // Act
    const up = evaluate('States.ArrayRange(1, 9, 2)');
    const down = evaluate('States.ArrayRange(5, 1, -2)');
    const empty = evaluate('States.ArrayRange(1, 5, -1)');
    const tooLong = failureOf('States.ArrayRange(1, 1001, 1)');
    const zeroStep = failureOf('States.ArrayRange(1, 5, 0)');

    // Assess
    expect(up).toEqual([1, 3, 5, 7, 9]);
    expect(down).toEqual([5, 3, 1]);
    expect(empty).toEqual([]);
    expect(tooLong.error).toBe('States.IntrinsicFailure');
    expect(zeroStep.error).toBe('States.IntrinsicFailure');
  });

  it('fails with States.IntrinsicFailure for an index outside the array or a bad chunk size', () => {
    // Act
    const outside = failureOf('States.ArrayGetItem($.list, 5)');
    const chunk = failureOf('States.ArrayPartition($.list, 0)');

    // Assess
    expect(outside.error).toBe('States.IntrinsicFailure');
    expect(chunk.error).toBe('States.IntrinsicFailure');
  });

  it('encodes and decodes Base64 as UTF-8', () => {
    // Act
    const encoded = evaluate("States.Base64Encode('Grŵp £5')");
    const decoded = evaluate(`States.Base64Decode('${String(encoded)}')`);
    const invalid = failureOf("States.Base64Decode('not base64!')");

    // Assess
    expect(encoded).toBe(Buffer.from('Grŵp £5').toString('base64'));
    expect(decoded).toBe('Grŵp £5');
    expect(invalid.error).toBe('States.IntrinsicFailure');
  });

  it('hashes with the algorithms AWS names, as hex', () => {
    // Act
    const sha256 = evaluate("States.Hash($.name, 'SHA-256')");
    const md5 = evaluate("States.Hash($.name, 'MD5')");
    const unknown = failureOf("States.Hash($.name, 'SHA-3')");

    // Assess
    expect(sha256).toBe(createHash('sha256').update('Ada').digest('hex'));
    expect(md5).toBe(createHash('md5').update('Ada').digest('hex'));
    expect(unknown.error).toBe('States.IntrinsicFailure');
  });

  it('refuses strings longer than 10,000 characters for encoding and hashing', () => {
    // Prepare
    const input = { long: 'x'.repeat(10_001) };

    // Act
    const encode = failureOf('States.Base64Encode($.long)', input);
    const hash = failureOf("States.Hash($.long, 'SHA-1')", input);

    // Assess
    expect(encode.error).toBe('States.IntrinsicFailure');
    expect(hash.error).toBe('States.IntrinsicFailure');
  });

  it('merges objects shallowly, the right one winning, and refuses a deep merge', () => {
    // Act
    const merged = evaluate('States.JsonMerge($.left, $.right, false)');
    const deep = failureOf('States.JsonMerge($.left, $.right, true)');

    // Assess
    expect(merged).toEqual({ a: 1, b: { d: 2 }, e: 3 });
    expect(INPUT.left).toEqual({ a: 1, b: { c: 1 } });
    expect(deep.error).toBe('States.IntrinsicFailure');
  });

  it('draws MathRandom from the injected source, and repeats itself for the same seed', () => {
    // Act
    const low = evaluateIntrinsic('States.MathRandom(10, 20)', INPUT, CONTEXT, { random: () => 0 });
    const high = evaluateIntrinsic('States.MathRandom(10, 20)', INPUT, CONTEXT, { random: () => 0.999 });
    const seeded = [1, 2, 3].map(() => evaluate('States.MathRandom(1, 1000, 7)'));

    // Assess
    expect(low).toBe(10);
    expect(high).toBe(19);
    expect(new Set(seeded).size).toBe(1);
    expect(seeded[0]).toBeGreaterThanOrEqual(1);
    expect(seeded[0]).toBeLessThan(1000);
  });

  it('adds numbers, including negative ones', () => {
    // Act
    const sum = evaluate('States.MathAdd($.number, -2)');

    // Assess
    expect(sum).toBe(40);
  });

  it('splits at every delimiter character and drops empty pieces', () => {
    // Act
    const simple = evaluate("States.StringSplit($.csv, ',')");
    const several = evaluate("States.StringSplit('This.is+a,test=string', '.+,=')");

    // Assess
    expect(simple).toEqual(['a', 'b', 'c']);
    expect(several).toEqual(['This', 'is', 'a', 'test', 'string']);
  });

  it('makes a version 4 UUID', () => {
    // Act
    const uuid = evaluate('States.UUID()');

    // Assess
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('reads context paths and fails with States.Runtime for a path that points nowhere', () => {
    // Act
    const name = evaluate("States.Format('run {}', $$.Execution.Name)");
    const missing = failureOf('States.ArrayLength($.nothing)');

    // Assess
    expect(name).toBe('run case-1');
    expect(missing).toMatchObject({ error: 'States.Runtime', recoverable: false });
  });

  it('fails with States.IntrinsicFailure for wrong argument counts and types and unknown functions', () => {
    // Act
    const failures = [
      failureOf('States.ArrayLength($.name)'),
      failureOf('States.MathAdd(1)'),
      failureOf('States.UUID(1)'),
      failureOf("States.JsonMerge($.left, 'x', false)"),
      failureOf('States.Nope()'),
      failureOf('States.Array('),
    ];

    // Assess
    expect(failures.map((f) => f.error)).toEqual(Array(6).fill('States.IntrinsicFailure'));
    expect(failures[0]?.causeText).toContain('argument 1 must be an array');
  });
});
