import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/config.js';
import { bundle } from '../../infra/constructs/redress-function.js';

const FIXTURE = 'test/fixtures/stack-traces/handler.ts';
const source = readFileSync(FIXTURE, 'utf8').split('\n');
/** The 1-based line of the fixture holding `text`. */
const lineOf = (text: string): number => source.findIndex((line) => line.includes(text)) + 1;

describe('stacks of a bundled function, mapped when read', () => {
  let dir: string;
  /** Runs the bundle in a fresh Node, without --enable-source-maps, as the functions run. */
  const run = (): string[] =>
    JSON.parse(
      execFileSync(process.execPath, [join(dir, 'index.mjs')], { encoding: 'utf8', env: {} }),
    ) as string[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'redress-stacks-'));
    // As the functions are bundled: minified ES modules with linked maps and no sources inside.
    bundle(FIXTURE, REPO_ROOT, dir, { slimNunjucks: false });
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives each frame of the bundle as its place in the TypeScript source', () => {
    const [first, inCallback] = run() as [string, string];

    expect(first.split('\n')[0]).toBe('TypeError: refused: the first');
    // Named from the project root, as in the repository, whatever directory it was built in.
    expect(first).toMatch(/\n {4}at \S+ \(test\/fixtures\/stack-traces\/handler\.ts:\d+:\d+\)/);
    expect(first).toContain(`test/fixtures/stack-traces/handler.ts:${lineOf('throw new TypeError')}:`);
    expect(first).toContain(`test/fixtures/stack-traces/handler.ts:${lineOf("refuse('the first')")}:`);
    expect(first).not.toMatch(/index\.mjs:\d+:\d+/);
    expect(inCallback).toContain(
      `test/fixtures/stack-traces/handler.ts:${lineOf("refuse('in a callback')")}:`,
    );
    // Node's own frames (Array.prototype.map) stay as V8 writes them.
    expect(inCallback).toMatch(/\n {4}at Array\.map \(<anonymous>\)/);
  });

  it('leaves the bundle’s positions when its map is missing, rather than failing to give a stack', () => {
    rmSync(join(dir, 'index.mjs.map'));

    const [first] = run() as [string];

    expect(first.split('\n')[0]).toBe('TypeError: refused: the first');
    expect(first).toMatch(/index\.mjs:\d+:\d+/);
  });

  it('writes a source whose name holds "$&" as it is, not as a replacement pattern', () => {
    const odd = mkdtempSync(join(tmpdir(), 'redress-$&-stacks-'));
    const out = mkdtempSync(join(tmpdir(), 'redress-stacks-out-'));
    try {
      const module = join(REPO_ROOT, 'functions/stack-traces.ts');
      writeFileSync(
        join(odd, 'handler.ts'),
        readFileSync(FIXTURE, 'utf8').replace('../../../functions/stack-traces.js', module),
      );
      bundle(join(odd, 'handler.ts'), REPO_ROOT, out, { slimNunjucks: false });

      const [first] = JSON.parse(
        execFileSync(process.execPath, [join(out, 'index.mjs')], { encoding: 'utf8', env: {} }),
      ) as [string];

      expect(first).toContain(`${basename(odd)}/handler.ts:${lineOf('throw new TypeError')}:`);
    } finally {
      rmSync(odd, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  });
});
