import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../functions/domain/policy.js';
import { API_GENERATED_FILES, API_RUNTIME_FILES, REPO_ROOT } from '../../infra/config.js';
import { RedressFunction } from '../../infra/constructs/redress-function.js';
import { handler } from '../support/bundled-pages-handler.js';

const dir = mkdtempSync(join(tmpdir(), 'redress-bundled-pages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the API's pages in a bundle built as the API's is", () => {
  it('render exactly as the template files do under npm start, with nunjucks runtime alone', async () => {
    // Prepare: built as the stack builds the API (its runtime files, its compiled folders).
    const policyFile = join(dir, 'policy.json');
    writeFileSync(policyFile, `${JSON.stringify(loadPolicy('lgsco-code-2024'))}\n`);
    const outdir = join(dir, 'cdk.out');
    const app = new App({ outdir });
    const stack = new Stack(app, 'Pages');
    const fn = new RedressFunction(stack, 'Pages', {
      name: 'pages',
      entry: join(REPO_ROOT, 'test/support/bundled-pages-handler.ts'),
      projectRoot: REPO_ROOT,
      policyFile,
      logRetention: logs.RetentionDays.ONE_WEEK,
      runtimeFiles: Object.values(API_RUNTIME_FILES).map((f) => ({ ...f, from: resolve(REPO_ROOT, f.from) })),
      generatedFiles: API_GENERATED_FILES,
    }).fn;
    app.synth();
    const cfn = fn.node.defaultChild as CfnElement & { code: unknown; environment: unknown };
    const { s3Key } = stack.resolve(cfn.code) as { s3Key: string };
    const { variables } = stack.resolve(cfn.environment) as { variables: Record<string, string> };
    const bundle = join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`);
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', TZ: process.env.TZ ?? 'UTC' };
    for (const [name, value] of Object.entries(variables)) {
      if (typeof value === 'string') env[name] = value.replace(/^\/var\/task\//, `${bundle}/`);
    }

    // Act
    const script =
      `const m = await import(${JSON.stringify(join(bundle, 'index.mjs'))}); ` +
      'process.stdout.write(JSON.stringify(await m.handler()));';
    const built = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: bundle,
        env,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      }),
    );

    // Assess
    const local = await handler();
    expect(Object.keys(built).length).toBeGreaterThan(20);
    for (const key of Object.keys(local)) expect([key, built[key]]).toEqual([key, local[key]]);
  });
});
