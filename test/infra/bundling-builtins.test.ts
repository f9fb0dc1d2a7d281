import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT } from '../../infra/config.js';
import { RedressFunction } from '../../infra/constructs/redress-function.js';

/**
 * Node 23.5 and later (Node 24, the functions' runtime, among them) list in `builtinModules` the
 * built-ins that exist only with the `node:` scheme: `node:sea`, `node:sqlite`, `node:test`,
 * `node:test/reporters`. A build on such a Node sees them so; on the Node running these tests
 * they are added here as that Node lists them.
 */
vi.mock('node:module', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:module')>();
  const listed = [...actual.builtinModules, 'node:sea', 'node:sqlite', 'node:test', 'node:test/reporters'];
  return { ...actual, default: { ...actual, builtinModules: listed }, builtinModules: listed };
});

const dir = mkdtempSync(join(tmpdir(), 'redress-builtins-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bundles `source` as the handler of a function, as the stack does; returns its folder. */
function bundleOf(name: string, source: string): string {
  const entry = join(dir, `${name}.mjs`);
  writeFileSync(entry, source);
  const policyFile = join(dir, 'policy.json');
  writeFileSync(policyFile, '{"id":"test-policy"}');
  const outdir = join(dir, `cdk.out-${name}`);
  const app = new App({ outdir });
  const stack = new Stack(app, 'Builtins');
  const built = new RedressFunction(stack, 'Fn', {
    name,
    entry,
    projectRoot: REPO_ROOT,
    policyFile,
    logRetention: logs.RetentionDays.ONE_WEEK,
  });
  app.synth();
  const { s3Key } = stack.resolve((built.fn.node.defaultChild as CfnElement & { code: unknown }).code) as {
    s3Key: string;
  };
  return join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`);
}

/** What the bundle's handler answers, in a fresh Node.js with nothing but the bundle folder. */
function run(bundle: string): string {
  const code = `const m = await import(${JSON.stringify(join(bundle, 'index.mjs'))}); process.stdout.write(JSON.stringify(await m.handler()));`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: bundle,
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
  });
}

describe("the bundles' built-ins, loaded as require does", () => {
  it('keeps the named exports of a built-in loaded with import(), as Node gives them', () => {
    // As @aws/lambda-invoke-store does for its AsyncLocalStorage (Lambda's multi-concurrency
    // mode), and @smithy/core for `request` (the instance metadata's region).
    const bundle = bundleOf(
      'dynamic',
      "export const handler = async () => { const { AsyncLocalStorage } = await import('node:async_hooks'); const { request } = await import('node:http'); return [typeof AsyncLocalStorage, typeof request]; };",
    );

    expect(run(bundle)).toBe('["function","function"]');
  });

  it('loads a built-in that exists only with the node: scheme when the build runs on a Node that lists it so', () => {
    const bundle = bundleOf(
      'scheme-only',
      "import { test } from 'node:test'; import * as reporters from 'node:test/reporters'; export const handler = async () => [typeof test, typeof reporters.spec];",
    );

    expect(run(bundle)).toBe('["function","function"]');
  });
});
