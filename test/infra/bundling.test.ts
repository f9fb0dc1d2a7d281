import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../functions/domain/policy.js';
import { policyDigest } from '../../functions/domain/policy-file.js';
import { precompileViews } from '../../functions/web/precompiled-views.js';
import { API_GENERATED_FILES, REPO_ROOT, SERVICE_FUNCTIONS } from '../../infra/config.js';
import { apiCompilesTemplates } from '../../infra/constructs/functions.js';
import { RedressFunction } from '../../infra/constructs/redress-function.js';
import { STEP_FUNCTIONS } from '../../workflows/catalog.js';
import { buildRedress } from './synth.js';

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
      generatedFiles: [
        {
          to: 'views-compiled',
          env: 'REDRESS_PRECOMPILED_VIEWS_DIR',
          generate: (out) => precompileViews([views], out),
        },
      ],
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
    expect(readFileSync(join(bundle, 'views-compiled/page.njk.cjs'), 'utf8')).toContain('module.exports');
    const { variables } = stack.resolve(
      (built.fn.node.defaultChild as CfnElement & { environment: unknown }).environment,
    ) as { variables: Record<string, string> };
    expect(variables.REDRESS_PRECOMPILED_VIEWS_DIR).toBe('/var/task/views-compiled');
  });
});

/**
 * The code a cold start loads: the entry file and the chunks it imports statically, transitively
 * (esbuild's minified `from"./chunk.mjs"`), not those it imports with `import()`.
 */
function startupFiles(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const code = readFileSync(entry, 'utf8');
  for (const [, path] of code.matchAll(/(?:from|import)\s*"(\.\.?\/[^"]+\.mjs)"/g)) {
    startupFiles(join(dirname(entry), path as string), seen);
  }
  return seen;
}

function startupCode(entry: string): string {
  return [...startupFiles(entry)].map((file) => readFileSync(file, 'utf8')).join('\n');
}

/** Bundles some step functions as the stack does; returns each bundle's folder and environment. */
function bundleSteps(keys: (keyof typeof STEP_FUNCTIONS)[]) {
  const policyFile = join(dir, 'validated-policy.json');
  writeFileSync(policyFile, `${JSON.stringify(loadPolicy('dudley'), null, 2)}\n`);
  const outdir = join(dir, `steps.out`);
  const app = new App({ outdir });
  const stack = new Stack(app, 'Steps');
  const built = keys.map((key) => ({
    key,
    fn: new RedressFunction(stack, key, {
      name: STEP_FUNCTIONS[key].name,
      entry: join(REPO_ROOT, STEP_FUNCTIONS[key].entry),
      projectRoot: REPO_ROOT,
      policyFile,
      logRetention: logs.RetentionDays.ONE_WEEK,
    }).fn,
  }));
  app.synth();
  return Object.fromEntries(
    built.map(({ key, fn }) => {
      const cfn = fn.node.defaultChild as CfnElement & { code: unknown; environment: unknown };
      const { s3Key } = stack.resolve(cfn.code) as { s3Key: string };
      const { variables } = stack.resolve(cfn.environment) as { variables: Record<string, string> };
      return [key, { dir: join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`), variables, policyFile }];
    }),
  );
}

describe('what each step function bundles (cold start)', () => {
  const bundles = bundleSteps([
    'RouteFunctionArn',
    'ArchiveFunctionArn',
    'NotifyFunctionArn',
    'RecordFunctionArn',
  ]);
  const dirOf = (key: keyof typeof bundles) => bundles[key]?.dir as string;
  /** Everything the function ships: its entry file and the chunks it imports on demand. */
  const code = (key: keyof typeof bundles) =>
    [join(dirOf(key), 'index.mjs'), ...chunksOf(key)].map((f) => readFileSync(f, 'utf8')).join('\n');
  /** What its cold start loads: the entry file and the chunks it imports statically. */
  const startup = (key: keyof typeof bundles) => startupCode(join(dirOf(key), 'index.mjs'));
  const chunksOf = (key: keyof typeof bundles) => {
    const dir = join(dirOf(key), 'chunks');
    return existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.mjs'))
          .map((f) => join(dir, f))
      : [];
  };

  it("keeps out of the route step's start every client, template and library it does not call", () => {
    const route = startup('RouteFunctionArn');

    // The archive step ships S3 and the notify step SES and the templates: the markers are there to
    // find (in chunks their first call loads, see below).
    expect(code('ArchiveFunctionArn')).toContain('@aws-sdk/client-s3');
    expect(code('NotifyFunctionArn')).toContain('@aws-sdk/client-sesv2');
    expect(code('NotifyFunctionArn')).toContain('nunjucks');
    for (const absent of [
      '@aws-sdk/client-s3',
      '@aws-sdk/client-sesv2',
      '@aws-sdk/client-sfn',
      '@aws-sdk/client-secrets-manager',
      'nunjucks',
      'govuk-frontend',
      'PDFDocument',
      // Policy presets: the function reads the validated policy file shipped beside it.
      'Dudley Metropolitan Borough Council',
      'Dorset Council',
    ]) {
      expect([absent, route.includes(absent)]).toEqual([absent, false]);
    }
    // The case table's client, which every invocation of a step uses, is loaded at its start.
    expect(route).toContain('@aws-sdk/client-dynamodb');
    // It ships S3 and SES (the receipt it sends on the usual route), loaded on first use; never
    // the policy presets.
    for (const absent of ['Dudley Metropolitan Borough Council', 'Dorset Council']) {
      expect([absent, code('RouteFunctionArn').includes(absent)]).toEqual([absent, false]);
    }
  });

  it("ships with the steps none of the table's records only the API uses", () => {
    // Intake's rate limits, the audit log, equality answers, staff sign-in links and subject
    // access requests: the steps read and write cases alone.
    for (const marker of ['RATE#', 'AUDIT#', 'EQUALITY#', 'attribute_not_exists(usedAt)', 'DSAR']) {
      for (const step of ['RouteFunctionArn', 'NotifyFunctionArn', 'ArchiveFunctionArn'] as const) {
        expect([step, marker, code(step).includes(marker)]).toEqual([step, marker, false]);
      }
    }
  });

  it('ships with the record step, which writes the case alone, no client of any other service', () => {
    // It wires the case store and nothing else: S3, SES, Step Functions and Secrets Manager are
    // not even chunks of it, nor are the errors of their adapters at its start.
    for (const absent of [
      '@aws-sdk/client-s3',
      '@aws-sdk/client-sesv2',
      '@aws-sdk/client-sfn',
      '@aws-sdk/client-secrets-manager',
    ]) {
      expect([absent, code('RecordFunctionArn').includes(absent)]).toEqual([absent, false]);
    }
    for (const absent of ['ArchiveError', 'MailError', 'WorkflowError']) {
      expect([absent, startup('RecordFunctionArn').includes(absent)]).toEqual([absent, false]);
    }
    expect(startup('RecordFunctionArn')).toContain('@aws-sdk/client-dynamodb');
  });

  it('leaves the AWS clients and the templates out of the start of the steps that call them only on some invocations', () => {
    for (const [key, absent] of [
      ['ArchiveFunctionArn', '@aws-sdk/client-s3'],
      ['NotifyFunctionArn', '@aws-sdk/client-s3'],
      ['NotifyFunctionArn', '@aws-sdk/client-sesv2'],
      ['NotifyFunctionArn', '@aws-sdk/client-secrets-manager'],
      ['NotifyFunctionArn', 'nunjucks'],
    ] as const) {
      expect([key, absent, startup(key).includes(absent)]).toEqual([key, absent, false]);
    }
  });

  it('ships pdfkit with the notify step in a chunk of its own, which its cold start does not load', () => {
    const letters = chunksOf('NotifyFunctionArn').filter((f) =>
      readFileSync(f, 'utf8').includes('PDFDocument'),
    );

    expect(startup('NotifyFunctionArn')).not.toContain('PDFDocument');
    expect(letters).toHaveLength(1);
    // Imported on its own in a fresh Node.js, as when the first letter is printed on Lambda.
    const script = `await import(${JSON.stringify(letters[0])}); process.stdout.write('loaded');`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dirOf('NotifyFunctionArn'),
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
    });
    expect(out).toBe('loaded');
  });

  it("loads Node's built-in modules at its cold start as require does, never by an ES module import", () => {
    // An `import` of a built-in makes Node read all its exports at load, getters included: on
    // Node 24 `node:http`'s load undici (`bundled-builtins.ts`). Only the chunks an `import()`
    // of a built-in loads re-export it, when that `import()` runs.
    const builtin = new RegExp(
      `(?:from|import)\\s*["'](?:node:)?(?:${builtinModules.map((m) => m.replace('/', '\\/')).join('|')})["']`,
      'g',
    );
    for (const key of ['RouteFunctionArn', 'ArchiveFunctionArn', 'NotifyFunctionArn'] as const) {
      const imports = startup(key).match(builtin) ?? [];
      // The banner's, which gives the bundle its `require`.
      expect([key, imports]).toEqual([key, imports.map(() => "from 'node:module'")]);
      expect([key, code(key).includes('process.getBuiltinModule("node:http")')]).toEqual([key, true]);
    }
  });

  it('loads no chunk at its cold start that holds only a built-in, and finds each built-in still', () => {
    // esbuild makes a one-line chunk of each built-in's alias module; loading one costs as much
    // as any module (`inlineBuiltinChunks`). A step's start now requires the built-ins itself.
    const builtinOnly =
      /^import\{[\w$]+ as [\w$]+\}from"\.\/chunk-[\w-]+\.mjs";var [\w$]+=[\w$]+\(\([\w$]+,[\w$]+\)=>\{[\w$]+\.exports=process\.getBuiltinModule\("[^"]+"\)\}\);export\{[\w$]+ as [\w$]+\};$/m;
    for (const key of ['RouteFunctionArn', 'ArchiveFunctionArn', 'NotifyFunctionArn'] as const) {
      const loaded = [...startupFiles(join(dirOf(key), 'index.mjs'))].filter((file) =>
        builtinOnly.test(readFileSync(file, 'utf8')),
      );
      const shipped = chunksOf(key).filter((file) => builtinOnly.test(readFileSync(file, 'utf8')));

      // The bundle still ships them, but its start loads none.
      expect([key, shipped.length > 0, loaded]).toEqual([key, true, []]);
      expect([key, startup(key).includes('=()=>require("node:crypto");')]).toEqual([key, true]);
    }
  });

  it('names the shipped policy file by the digest of the validated policy', () => {
    const { variables, policyFile } = bundles.RouteFunctionArn as (typeof bundles)[string] & object;

    expect(variables.REDRESS_POLICY).toBe('/var/task/redress-policy.json');
    expect(variables.REDRESS_POLICY_SHA256).toBe(policyDigest(readFileSync(policyFile, 'utf8')));
  });

  /** Imports a bundle in a fresh Node.js with nothing but its folder, as Lambda does; prints what `script` says. */
  const load = (key: keyof typeof bundles, extraEnv: Record<string, string>, script: string) => {
    const bundle = bundles[key] as (typeof bundles)[string] & object;
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-2' };
    for (const [name, value] of Object.entries(bundle.variables)) {
      if (typeof value === 'string') env[name] = value.replace(/^\/var\/task\//, `${bundle.dir}/`);
    }
    const code = `const m = await import(${JSON.stringify(join(bundle.dir, 'index.mjs'))}); ${script}`;
    return execFileSync(process.execPath, ['--input-type=module', '-e', code], {
      cwd: bundle.dir,
      env: { ...env, ...extraEnv },
      encoding: 'utf8',
    });
  };

  it.each(['RouteFunctionArn', 'ArchiveFunctionArn', 'NotifyFunctionArn', 'RecordFunctionArn'] as const)(
    'loads the %s bundle in a fresh Node.js with nothing but the bundle folder, as Lambda does',
    (key) => {
      expect(load(key, {}, 'process.stdout.write(typeof m.handler);')).toBe('function');
    },
  );

  it('loads the X-Ray SDK on Lambda only when the deployment traces with the tracer, not by default', () => {
    // The X-Ray SDK sends segments over UDP: `dgram` is loaded with it, by nothing else here.
    const script =
      "process.stdout.write(String(process.moduleLoadList.includes('NativeModule dgram')) + ' ' + typeof m.handler);";
    const lambda = { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' };

    // By default Lambda alone traces (`redress:functionTracing=lambda`): the tracer stays unloaded.
    expect(bundles.RouteFunctionArn?.variables.POWERTOOLS_TRACE_ENABLED).toBe('false');
    expect(load('RouteFunctionArn', lambda, script)).toBe('false function');
    // The same bundle, deployed with `redress:functionTracing=true`.
    expect(load('RouteFunctionArn', { ...lambda, POWERTOOLS_TRACE_ENABLED: 'true' }, script)).toBe(
      'true function',
    );
  });
});

describe('what the API loads at its cold start', () => {
  it('leaves the case table, the staff workspace, the reports, staff sign-in and evidence checks to chunks loaded on first use', () => {
    // Prepare
    const policyFile = join(dir, 'api-policy.json');
    writeFileSync(policyFile, `${JSON.stringify(loadPolicy('lgsco-code-2024'))}\n`);
    const outdir = join(dir, 'api.out');
    const app = new App({ outdir });
    const stack = new Stack(app, 'Api');
    const api = new RedressFunction(stack, 'Api', {
      name: 'api',
      entry: join(REPO_ROOT, SERVICE_FUNCTIONS.api.entry),
      projectRoot: REPO_ROOT,
      policyFile,
      logRetention: logs.RetentionDays.ONE_WEEK,
      generatedFiles: API_GENERATED_FILES,
    });

    // Act
    app.synth();

    // Assess: routes of the workspace and of the reports, and markers of oauth4webapi (under
    // openid-client) and of file-type's signatures.
    const { s3Key } = stack.resolve((api.fn.node.defaultChild as CfnElement & { code: unknown }).code) as {
      s3Key: string;
    };
    const bundle = join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`);
    const chunks = readdirSync(join(bundle, 'chunks'))
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => readFileSync(join(bundle, 'chunks', f), 'utf8'))
      .join('\n');
    const start = startupCode(join(bundle, 'index.mjs'));
    for (const marker of [
      '/staff/data-protection/requests/{id}/export',
      '/reports/performance.csv',
      '.well-known/oauth-authorization-server',
      'image/vnd.adobe.photoshop',
      // The case table's client, the case store and intake's rate limits: the form reads none.
      '@aws-sdk/client-dynamodb',
      'IDEMPOTENCY#',
      'RATE#',
    ]) {
      expect([marker, start.includes(marker), chunks.includes(marker)]).toEqual([marker, false, true]);
    }
    // Its pages, report pages and emails all compiled when it was built: nunjucks's runtime alone
    // (its compiler's own type check is not there).
    expect(`${start}\n${chunks}`).not.toContain('assertType: invalid type');
    for (const folder of ['views-compiled', 'report-views-compiled', 'emails-compiled']) {
      expect([folder, existsSync(join(bundle, folder))]).toEqual([folder, true]);
    }
  });
});

describe('which bundles ship nunjucks without its compiler', () => {
  it('ships the deployed API with the runtime alone, and an API short of any compiled pages whole', () => {
    // Prepare
    const { stack } = buildRedress();
    const [views, reportViews] = API_GENERATED_FILES;

    // Assess: the stack's API has all its pages compiled; every step compiles nothing either
    expect(stack.functions.api.slimNunjucks).toBe(true);
    expect(Object.values(stack.functions.steps).every((step) => step.slimNunjucks)).toBe(true);
    expect(apiCompilesTemplates(API_GENERATED_FILES)).toBe(false);
    // Without every folder of compiled pages it renders from, it must be able to compile.
    expect(apiCompilesTemplates(undefined)).toBe(true);
    expect(apiCompilesTemplates([])).toBe(true);
    expect(apiCompilesTemplates([views])).toBe(true);
    expect(apiCompilesTemplates([reportViews])).toBe(true);
  });
});
