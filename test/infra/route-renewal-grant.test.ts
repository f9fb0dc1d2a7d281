/**
 * Review (round 2): on the usual route the routing step reads the acknowledgement clock, and a
 * clock read in an execution near Step Functions' one-year limit starts the case's fresh execution
 * (`continueInFreshExecution`), as the clock step does. The route function must be allowed to.
 */
import type { CfnElement } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RedressStack } from '../../infra/stack.js';
import { type Resource, synthRedress } from './synth.js';

type Statement = { Action: string | string[] };

let stack: RedressStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthRedress({ 'redress:complaintsTeam': 'team@example.gov.uk' }));
});

function actionsOf(name: string): Set<string> {
  const found = stack.functions.all().find((f) => f.shortName === name);
  if (!found) throw new Error(`no function ${name}`);
  const roleId = stack.getLogicalId(found.fn.role?.node.defaultChild as CfnElement);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Resource[];
  return new Set(
    policies
      .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
      .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])),
  );
}

describe('the route function', () => {
  it('may start the fresh execution a clock read near the one-year limit hands the case to', () => {
    expect(actionsOf('route').has('states:StartExecution')).toBe(true);
  });
});
