/**
 * Review: routing and clock reads became `.waitForTaskToken` callbacks that their own step
 * answers (SendTaskSuccess / SendTaskFailure). On AWS that needs, for every step function a
 * callback state invokes: the `states:SendTask*` permission on the state machines, the
 * STATE_MACHINE_ARNS environment the workflow adapter is built from, and the workflow adapter
 * wired in its entry file (functions not wired with a set neither bundle nor load it).
 */
import { readFileSync } from 'node:fs';
import type { CfnElement } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RedressStack } from '../../infra/stack.js';
import { aslPath, STEP_FUNCTIONS, type StepFunctionKey, WORKFLOWS } from '../../workflows/catalog.js';
import { type Resource, synthRedress } from './synth.js';

type Statement = { Action: string | string[]; Resource: unknown };

let stack: RedressStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthRedress({ 'redress:complaintsTeam': 'team@example.gov.uk' }));
});

const logicalId = (element: unknown) => stack.getLogicalId(element as CfnElement);
const fnNamed = (name: string) => {
  const found = stack.functions.all().find((f) => f.shortName === name);
  if (!found) throw new Error(`no function ${name}`);
  return found;
};
function actionsOf(name: string): Set<string> {
  const roleId = logicalId(fnNamed(name).fn.role?.node.defaultChild);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Resource[];
  return new Set(
    policies
      .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
      .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])),
  );
}
const environmentOf = (name: string) =>
  Object.keys(
    (template.toJSON().Resources[logicalId(fnNamed(name).fn.node.defaultChild)] as Resource).Properties
      .Environment?.Variables ?? {},
  );

/** The step functions a `.waitForTaskToken` Task state of some workflow invokes. */
function callbackSteps(): string[] {
  const keys = new Set<StepFunctionKey>();
  for (const workflow of WORKFLOWS) {
    const asl = JSON.parse(readFileSync(aslPath(workflow), 'utf8')) as {
      States: Record<
        string,
        { Resource?: string; Arguments?: { FunctionName?: string }; Parameters?: { FunctionName?: string } }
      >;
    };
    for (const state of Object.values(asl.States)) {
      if (!state.Resource?.endsWith('.waitForTaskToken')) continue;
      const fn = (state.Arguments ?? state.Parameters)?.FunctionName ?? '';
      keys.add(fn.replace(/^\$\{|\}$/g, '') as StepFunctionKey);
    }
  }
  return [...keys].map((key) => STEP_FUNCTIONS[key].name).sort();
}

describe('the steps that answer their own callback states', () => {
  it('are route, clock and request-task', () => {
    expect(callbackSteps()).toEqual(['clock', 'request-task', 'route']);
  });

  it.each(['route', 'clock', 'request-task'])(
    '%s may answer its task token (SendTaskSuccess and SendTaskFailure)',
    (name) => {
      const actions = actionsOf(name);
      expect({
        name,
        success: actions.has('states:SendTaskSuccess'),
        failure: actions.has('states:SendTaskFailure'),
      }).toEqual({
        name,
        success: true,
        failure: true,
      });
    },
  );

  it.each(['route', 'clock', 'request-task'])(
    '%s knows the state machines (STATE_MACHINE_ARNS) and wires the workflow adapter',
    (name) => {
      expect(environmentOf(name)).toContain('STATE_MACHINE_ARNS');
      const entry = readFileSync(
        STEP_FUNCTIONS[
          (Object.keys(STEP_FUNCTIONS) as StepFunctionKey[]).find(
            (k) => STEP_FUNCTIONS[k].name === name,
          ) as StepFunctionKey
        ].entry,
        'utf8',
      );
      expect(entry).toMatch(/wire\([^)]*WORKFLOW_ADAPTERS/);
    },
  );
});
