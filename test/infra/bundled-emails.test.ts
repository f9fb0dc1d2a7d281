import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../functions/domain/policy.js';
import { EMAIL_TEMPLATES, isResidentTemplate, renderEmail } from '../../functions/templates/render-email.js';
import { REPO_ROOT } from '../../infra/config.js';
import { RedressFunction } from '../../infra/constructs/redress-function.js';
import { SAMPLE_EMAIL_DATA } from '../support/email-samples.js';
import { SAMPLE_EMAIL_DATA as WELSH_SAMPLE_EMAIL_DATA } from '../unit/welsh-samples.js';

const dir = mkdtempSync(join(tmpdir(), 'redress-bundled-emails-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A string only nunjucks's compiler holds (its type check of a node), not its runtime. */
const COMPILER_MARKER = 'assertType: invalid type';

/** Builds the test entry as every function is built; returns each bundle's folder and environment. */
function build(variants: Record<string, { compilesTemplates?: boolean }>) {
  const policyFile = join(dir, 'policy.json');
  writeFileSync(policyFile, `${JSON.stringify(loadPolicy('dudley'))}\n`);
  const outdir = join(dir, 'cdk.out');
  const app = new App({ outdir });
  const stack = new Stack(app, 'Emails');
  const built = Object.entries(variants).map(([name, props]) => ({
    name,
    fn: new RedressFunction(stack, name, {
      name,
      entry: join(REPO_ROOT, 'test/support/bundled-email-handler.ts'),
      projectRoot: REPO_ROOT,
      policyFile,
      logRetention: logs.RetentionDays.ONE_WEEK,
      ...props,
    }).fn,
  }));
  app.synth();
  return Object.fromEntries(
    built.map(({ name, fn }) => {
      const cfn = fn.node.defaultChild as CfnElement & { code: unknown; environment: unknown };
      const { s3Key } = stack.resolve(cfn.code) as { s3Key: string };
      const { variables } = stack.resolve(cfn.environment) as { variables: Record<string, string> };
      return [name, { dir: join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`), variables }];
    }),
  );
}

/** Everything a bundle ships: its entry file and its chunks. */
function shipped(bundle: string): string {
  const chunks = join(bundle, 'chunks');
  return [
    join(bundle, 'index.mjs'),
    ...(existsSync(chunks) ? readdirSync(chunks).filter((f) => f.endsWith('.mjs')) : []).map((f) =>
      join(chunks, f),
    ),
  ]
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
}

/** The environment a bundle runs with, its `/var/task/` paths pointing at the folder `bundle`. */
function bundleEnv(variables: Record<string, string>, bundle: string): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', TZ: process.env.TZ ?? 'UTC' };
  for (const [name, value] of Object.entries(variables)) {
    if (typeof value === 'string') env[name] = value.replace(/^\/var\/task\//, `${bundle}/`);
  }
  return env;
}

describe('the emails in a bundled function', () => {
  const bundles = build({ emails: {}, whole: { compilesTemplates: true } });
  const emails = bundles.emails as { dir: string; variables: Record<string, string> };

  it('ships nunjucks without its compiler, unless the function compiles templates at run time', () => {
    expect(shipped(emails.dir)).not.toContain(COMPILER_MARKER);
    expect(shipped((bundles.whole as { dir: string }).dir)).toContain(COMPILER_MARKER);
    expect(emails.variables.REDRESS_PRECOMPILED_EMAILS_DIR).toBe('/var/task/emails-compiled');
  });

  it('says where the line an email fails at was written, as the templates compiled at run time do', () => {
    // Prepare: the response without the respondent its outcome partial prints.
    const data = { ...SAMPLE_EMAIL_DATA.response, respondent: undefined } as never;
    const eventFile = join(dir, 'failing-event.json');
    writeFileSync(eventFile, JSON.stringify({ emails: [{ template: 'response', data, options: {} }] }));
    const expected = (() => {
      try {
        renderEmail('response', data);
      } catch (error: unknown) {
        return error instanceof Error ? error.message : String(error);
      }
      return 'rendered';
    })();

    // Act
    const message = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(join(emails.dir, 'index.mjs'))}); ` +
          `const event = JSON.parse(await (await import('node:fs/promises')).readFile(${JSON.stringify(eventFile)}, 'utf8')); ` +
          'try { await m.handler(event); process.stdout.write("rendered"); } catch (error) { process.stdout.write(error.message); }',
      ],
      { cwd: emails.dir, env: bundleEnv(emails.variables, emails.dir), encoding: 'utf8' },
    );

    // Assess
    expect(expected).toContain('(from outcome.txt, line 33, column 1)');
    expect(message).toBe(expected);
  });

  it('renders every email in English and Welsh exactly as the templates compiled at run time', () => {
    // Prepare
    const cases = EMAIL_TEMPLATES.flatMap((template) =>
      (isResidentTemplate(template) ? (['en', 'cy'] as const) : (['en'] as const)).flatMap((language) =>
        (['email', 'letter'] as const).map((medium) => ({
          template,
          data: (language === 'cy' ? WELSH_SAMPLE_EMAIL_DATA : SAMPLE_EMAIL_DATA)[template],
          options: { language, medium },
        })),
      ),
    );
    const eventFile = join(dir, 'event.json');
    writeFileSync(eventFile, JSON.stringify({ emails: cases }));
    const env = bundleEnv(emails.variables, emails.dir);

    // Act: in a fresh Node.js with nothing but the bundle folder, as Lambda runs it.
    const script =
      `const m = await import(${JSON.stringify(join(emails.dir, 'index.mjs'))}); ` +
      `const event = JSON.parse(await (await import('node:fs/promises')).readFile(${JSON.stringify(eventFile)}, 'utf8')); ` +
      'process.stdout.write(JSON.stringify(await m.handler(event)));';
    const rendered = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: emails.dir,
        env,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      }),
    );

    // Assess
    expect(rendered).toEqual(
      cases.map(({ template, data, options }) => renderEmail(template, data, options)),
    );
  });
});
