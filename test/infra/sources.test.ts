import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/config.js';
import { MissingSourceError, RedressFunction } from '../../infra/constructs/redress-function.js';
import { readWorkflowDefinition, substitutionKeys } from '../../infra/constructs/workflows.js';

const dir = mkdtempSync(join(tmpdir(), 'redress-sources-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A `${Key}` placeholder as ASL files write it. */
const ref = (key: string) => ['${', key, '}'].join('');

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('the sources the stack is built from', () => {
  it('finds each substitution key once, in order of first use', () => {
    expect(
      substitutionKeys(
        `{"a":"${ref('RouteFunctionArn')}","b":"${ref('NotifyFunctionArn')}","c":"${ref('RouteFunctionArn')}"}`,
      ),
    ).toEqual(['RouteFunctionArn', 'NotifyFunctionArn']);
  });

  it('fails clearly when a workflow’s ASL file is missing', () => {
    expect(() => readWorkflowDefinition('complaint', join(dir, 'absent.asl.json'))).toThrow(
      new MissingSourceError(
        'Cannot build Redress: workflows/complaint.asl.json (workflow "complaint") does not exist.',
      ),
    );
  });

  it('fails clearly when an ASL file names a function the catalog does not define', () => {
    const path = write(
      'unknown.asl.json',
      `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"${ref('MysteryFunctionArn')}","End":true}}}`,
    );

    expect(() => readWorkflowDefinition('comment', path)).toThrow(
      /workflows\/comment\.asl\.json uses \$\{MysteryFunctionArn\}, which workflows\/catalog\.ts \(STEP_FUNCTIONS\) does not define/,
    );
  });

  it('fails clearly when an ASL file is not JSON', () => {
    const path = write('broken.asl.json', '{ "StartAt": ');

    expect(() => readWorkflowDefinition('comment', path)).toThrow(
      /workflows\/comment\.asl\.json is not valid JSON/,
    );
  });

  it('fails clearly when a function’s entry file is missing', () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Bare');
    const policyFile = write('policy.json', '{}');

    expect(
      () =>
        new RedressFunction(stack, 'Missing', {
          name: 'ses-events',
          entry: join(REPO_ROOT, 'functions/handlers/does-not-exist.ts'),
          projectRoot: REPO_ROOT,
          policyFile,
          logRetention: logs.RetentionDays.ONE_WEEK,
        }),
    ).toThrow(
      new MissingSourceError(
        'Cannot build Redress: functions/handlers/does-not-exist.ts (the entry of the ses-events function) does not exist.',
      ),
    );
  });
});
