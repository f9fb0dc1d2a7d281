import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/config.js';
import { RedressFunction } from '../../infra/constructs/redress-function.js';
import { STEP_FUNCTIONS } from '../../workflows/catalog.js';

const dir = mkdtempSync(join(tmpdir(), 'redress-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bundling a function (local esbuild, no Docker)', () => {
  it('ships an ESM bundle with source maps, the policy file and the run-time files', () => {
    // Prepare
    const policyFile = join(dir, 'policy.json');
    writeFileSync(policyFile, '{"id":"test-policy"}');
    const views = join(dir, 'views');
    mkdirSync(views);
    writeFileSync(join(views, 'page.njk'), '<p>{{ text }}</p>');
    const outdir = join(dir, 'cdk.out');
    const app = new App({ outdir });
    const stack = new Stack(app, 'Bundle');
    const built = new RedressFunction(stack, 'Clock', {
      name: 'clock',
      entry: join(REPO_ROOT, STEP_FUNCTIONS.ClockFunctionArn.entry),
      projectRoot: REPO_ROOT,
      policyFile,
      logRetention: logs.RetentionDays.ONE_WEEK,
      runtimeFiles: [{ from: views, to: 'web/views', env: 'REDRESS_VIEWS_DIR' }],
    });

    // Act
    app.synth();

    // Assess
    const resource = stack.resolve((built.fn.node.defaultChild as CfnElement & { code: unknown }).code) as {
      s3Key: string;
    };
    const bundle = join(outdir, `asset.${resource.s3Key.replace(/\.zip$/, '')}`);
    const code = readFileSync(join(bundle, 'index.mjs'), 'utf8');
    expect(code.startsWith("import { createRequire as __redressCreateRequire } from 'node:module';")).toBe(
      true,
    );
    expect(code).toMatch(/export\s*\{[^}]*as handler/);
    expect(existsSync(join(bundle, 'index.mjs.map'))).toBe(true);
    expect(readFileSync(join(bundle, 'redress-policy.json'), 'utf8')).toBe('{"id":"test-policy"}');
    expect(readFileSync(join(bundle, 'web/views/page.njk'), 'utf8')).toBe('<p>{{ text }}</p>');
  });
});
