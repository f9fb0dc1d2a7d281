/**
 * JSONPath and data flow of the local engine: queries through jsonpath-plus, typed reads,
 * ResultPath writing, payload templates with context paths and intrinsics.
 */
import { describe, expect, it } from 'vitest';
import type { StateDefinition } from '../../../infra/local/step-functions/asl.js';
import {
  applyInputPath,
  applyOutputPath,
  applyResultPath,
  applyTemplate,
  type ContextObject,
  processResult,
} from '../../../infra/local/step-functions/data-flow.js';
import {
  evaluatePath,
  isIndefinitePath,
  queryPath,
  readInteger,
  readString,
  readTimestamp,
  referenceSegments,
  writePath,
} from '../../../infra/local/step-functions/json-path.js';

const CTX: ContextObject = {
  Execution: {
    Id: 'arn:aws:states:eu-west-2:123456789012:execution:m:case-1',
    Input: { caseId: 'case-1' },
    Name: 'case-1',
    RoleArn: 'arn:aws:iam::123456789012:role/r',
    StartTime: '2026-03-02T09:00:00.000Z',
    RedriveCount: 0,
  },
  State: { EnteredTime: '2026-03-02T09:00:00.000Z', Name: 'S', RetryCount: 0 },
  StateMachine: { Id: 'arn:aws:states:eu-west-2:123456789012:stateMachine:m', Name: 'm' },
};

const INPUT = {
  caseId: 'case-1',
  nested: {
    list: [
      { id: 'a', n: 1 },
      { id: 'b', n: 2 },
    ],
    'odd key': 'odd',
  },
  seconds: 30,
  half: 1.5,
  when: '2026-03-09T12:00:00Z',
  nothing: null,
};

describe('evaluatePath', () => {
  it('selects values of definite paths, and undefined where they point nowhere', () => {
    // Act
    const results = [
      evaluatePath('$', INPUT, CTX),
      evaluatePath('$.nested.list[1].id', INPUT, CTX),
      evaluatePath("$.nested['odd key']", INPUT, CTX),
      evaluatePath('$.nothing', INPUT, CTX),
      evaluatePath('$.missing.deeper', INPUT, CTX),
    ];

    // Assess
    expect(results).toEqual([INPUT, 'b', 'odd', null, undefined]);
  });

  it('gives indefinite paths an array, even of one match or none', () => {
    // Act
    const all = evaluatePath('$.nested.list[*].id', INPUT, CTX);
    const filtered = evaluatePath('$.nested.list[?(@.n > 1)].id', INPUT, CTX);
    const none = evaluatePath('$.nested.list[?(@.n > 5)]', INPUT, CTX);

    // Assess
    expect(all).toEqual(['a', 'b']);
    expect(filtered).toEqual(['b']);
    expect(none).toEqual([]);
  });

  it('reads $$ paths from the context object', () => {
    // Act
    const name = evaluatePath('$$.Execution.Name', INPUT, CTX);
    const whole = evaluatePath('$$', INPUT, CTX);

    // Assess
    expect(name).toBe('case-1');
    expect(whole).toBe(CTX);
  });

  it('selects a null or primitive document with $', () => {
    // Act
    const fromNull = evaluatePath('$', null, CTX);
    const fromString = evaluatePath('$', 'text', CTX);
    const insideNull = evaluatePath('$.a', null, CTX);

    // Assess
    expect(fromNull).toBeNull();
    expect(fromString).toBe('text');
    expect(insideNull).toBeUndefined();
  });

  it('finds no members in strings and no length of strings or arrays, as JSON has none', () => {
    // Act
    const results = [
      evaluatePath('$.text[0]', { text: 'xy' }, CTX),
      evaluatePath('$.text.length', { text: 'xy' }, CTX),
      evaluatePath('$.list.length', { list: [1, 2] }, CTX),
      evaluatePath('$.a', 'text', CTX),
      evaluatePath('$.counts.length', { counts: { length: 7 } }, CTX),
    ];

    // Assess
    expect(results).toEqual([undefined, undefined, undefined, undefined, 7]);
  });

  it('gives a chain of plain names and indexes what jsonpath-plus gives, own members only', () => {
    // Prepare: the engine walks such chains itself; what it cannot walk goes to jsonpath-plus
    const document = { ...INPUT, own: { length: 3, constructor: 'mine' }, list: [0, null, 'x'] };

    // Act
    const results = [
      evaluatePath('$.nested.list[1].n', document, CTX),
      evaluatePath('$.nothing', document, CTX),
      evaluatePath('$.list[1]', document, CTX),
      evaluatePath('$.list[0]', document, CTX),
      evaluatePath('$.own.length', document, CTX),
      evaluatePath('$.own.constructor', document, CTX),
      evaluatePath('$.nested.constructor', document, CTX),
      evaluatePath('$.nested.list.length', document, CTX),
      evaluatePath('$.list[3]', document, CTX),
      evaluatePath('$.nothing.below', document, CTX),
      evaluatePath('$$.Execution.Input.caseId', document, CTX),
    ];

    // Assert
    expect(results).toEqual([
      2,
      null,
      null,
      0,
      3,
      'mine',
      undefined,
      undefined,
      undefined,
      undefined,
      'case-1',
    ]);
  });

  it('tells definite from indefinite paths, ignoring quoted names', () => {
    // Act
    const results = ['$.a.b', "$['a*b']", '$.a[*]', '$..a', '$.a[0:2]', '$.a[0,1]', '$.a[?(@.x)]'].map(
      isIndefinitePath,
    );

    // Assess
    expect(results).toEqual([false, false, true, true, true, true, true]);
  });
});

describe('typed reads', () => {
  it('fails with States.Runtime where a path points nowhere or at the wrong type', () => {
    // Act
    const failures = [
      () => queryPath('$.missing', INPUT, CTX),
      () => readString('$.seconds', INPUT, CTX),
      () => readInteger('$.half', INPUT, CTX, 0),
      () => readInteger('$.seconds', INPUT, CTX, 31),
      () => readTimestamp('$.caseId', INPUT, CTX),
    ];

    // Assess
    for (const failure of failures) {
      expect(failure).toThrow(expect.objectContaining({ error: 'States.Runtime', recoverable: false }));
    }
  });

  it('returns values of the right type', () => {
    // Act
    const text = readString('$.caseId', INPUT, CTX);
    const seconds = readInteger('$.seconds', INPUT, CTX, 1);
    const when = readTimestamp('$.when', INPUT, CTX);

    // Assess
    expect(text).toBe('case-1');
    expect(seconds).toBe(30);
    expect(when).toBe(Date.parse('2026-03-09T12:00:00Z'));
  });
});

describe('writePath', () => {
  it('parses reference paths, telling indexes from quoted member names', () => {
    // Act
    const segments = referenceSegments("$.a['b c'][0]['0'][\"d\"]");

    // Assess
    expect(segments).toEqual(['a', 'b c', 0, '0', 'd']);
  });

  it('merges the result at a nested path, creating members and leaving the input unchanged', () => {
    // Prepare
    const input = { keep: 1, outer: { inner: { old: true }, sibling: 2 } };

    // Act
    const deep = writePath('$.outer.inner.result', input, { ok: true });
    const created = writePath('$.fresh.deeper', input, 'x');
    const replaced = writePath('$.outer', input, 'gone');
    const indexed = writePath('$.list[1]', { list: ['a', 'b'] }, 'B');

    // Assess
    expect(deep).toEqual({ keep: 1, outer: { inner: { old: true, result: { ok: true } }, sibling: 2 } });
    expect(created).toEqual({ ...input, fresh: { deeper: 'x' } });
    expect(replaced).toEqual({ keep: 1, outer: 'gone' });
    expect(indexed).toEqual({ list: ['a', 'B'] });
    expect(input).toEqual({ keep: 1, outer: { inner: { old: true }, sibling: 2 } });
  });

  it('fails with States.ResultPathMatchFailure when the input cannot hold the result', () => {
    // Act
    const failures = [
      () => writePath('$.x', 'a string', 1),
      () => writePath('$.x', [1, 2], 1),
      () => writePath('$.text.x', { text: 'a string' }, 1),
      () => writePath('$.list[5]', { list: [] }, 1),
    ];

    // Assess
    for (const failure of failures) {
      expect(failure).toThrow(expect.objectContaining({ error: 'States.ResultPathMatchFailure' }));
    }
  });
});

describe('data flow', () => {
  it('applies InputPath and OutputPath, with null meaning {}', () => {
    // Prepare
    const state = { Type: 'Pass', InputPath: '$.nested', OutputPath: '$.list[0]' } as StateDefinition;

    // Act
    const input = applyInputPath(state, INPUT, CTX);
    const output = applyOutputPath(state, input, CTX);
    const nullIn = applyInputPath({ Type: 'Pass', InputPath: null }, INPUT, CTX);
    const nullOut = applyOutputPath({ Type: 'Pass', OutputPath: null }, INPUT, CTX);

    // Assess
    expect(input).toBe(INPUT.nested);
    expect(output).toEqual({ id: 'a', n: 1 });
    expect(nullIn).toEqual({});
    expect(nullOut).toEqual({});
  });

  it('applies ResultPath: absent or $ replaces, null discards, a path merges', () => {
    // Act
    const results = [
      applyResultPath(undefined, INPUT, 'r'),
      applyResultPath('$', INPUT, 'r'),
      applyResultPath(null, INPUT, 'r'),
      applyResultPath('$.result', { a: 1 }, 'r'),
    ];

    // Assess
    expect(results).toEqual(['r', 'r', INPUT, { a: 1, result: 'r' }]);
  });

  it('fills payload templates with paths, context paths and intrinsics at any depth', () => {
    // Prepare
    const template = {
      'caseId.$': '$.caseId',
      static: { keep: 'me', 'token.$': '$$.Execution.Name' },
      list: [{ 'first.$': '$.nested.list[0].id' }, 'plain'],
      'reference.$': "States.Format('CMP-{}', $.seconds)",
      'ids.$': '$.nested.list[*].id',
    };

    // Act
    const filled = applyTemplate(template, INPUT, CTX);

    // Assess
    expect(filled).toEqual({
      caseId: 'case-1',
      static: { keep: 'me', token: 'case-1' },
      list: [{ first: 'a' }, 'plain'],
      reference: 'CMP-30',
      ids: ['a', 'b'],
    });
  });

  it('fails a template with States.Runtime when a path points nowhere', () => {
    // Act
    const filling = () => applyTemplate({ 'x.$': '$.missing' }, INPUT, CTX);

    // Assess
    expect(filling).toThrow(expect.objectContaining({ error: 'States.Runtime' }));
  });

  it('processes a result through ResultSelector, ResultPath and OutputPath', () => {
    // Prepare
    const state = {
      Type: 'Task',
      ResultSelector: { 'status.$': '$.Payload.status' },
      ResultPath: '$.check',
      OutputPath: '$.check',
    } as StateDefinition;

    // Act
    const output = processResult(
      state,
      { caseId: 'c' },
      { Payload: { status: 'open' }, StatusCode: 200 },
      CTX,
    );

    // Assess
    expect(output).toEqual({ status: 'open' });
  });
});
