import { readFileSync } from 'node:fs';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { readWorkflowDefinition, substitutionKeys } from '../../infra/constructs/workflows.js';
import type { RedressStack } from '../../infra/stack.js';
import { aslPath, STEP_FUNCTIONS, type StepFunctionKey, WORKFLOWS } from '../../workflows/catalog.js';
import { type Resource, synthRedress } from './synth.js';

let stack: RedressStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthRedress());
});

function machineNamed(name: string): Resource {
  const found = (
    Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as Resource[]
  ).find((m) => m.Properties.StateMachineName === `Redress-${name}`);
  if (!found) throw new Error(`no state machine Redress-${name}`);
  return found;
}

/** Logical id of the Lambda function deployed for a substitution key. */
function functionIdFor(key: StepFunctionKey): string {
  return stack.getLogicalId(stack.functions.steps[key].fn.node.defaultChild as CfnElement);
}

/** Stands in for a deployed function's ARN: `arn-of:<logical id>`. */
const arnOf = (logicalId: string) => `arn-of:${logicalId}`;

describe('the workflows', () => {
  it('deploys one Standard, traced state machine per workflow', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', WORKFLOWS.length);
    for (const name of WORKFLOWS) {
      expect(machineNamed(name).Properties).toMatchObject({
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      });
    }
  });

  it.each(WORKFLOWS)(
    'replaces every substitution variable of %s.asl.json with a deployed function’s ARN',
    (name) => {
      const machine = machineNamed(name).Properties;
      const used = substitutionKeys(machine.DefinitionString as string);

      expect(used.length).toBeGreaterThan(0);
      for (const key of used) {
        expect(machine.DefinitionSubstitutions[key]).toEqual({
          'Fn::GetAtt': [functionIdFor(key as StepFunctionKey), 'Arn'],
        });
      }
    },
  );

  it.each(WORKFLOWS)('deploys %s exactly as workflows/%s.asl.json says, after substitution', (name) => {
    // Prepare: the file, with each ${Key} replaced by the ARN of the function the catalog names.
    let expected = readFileSync(aslPath(name), 'utf8');
    for (const key of Object.keys(STEP_FUNCTIONS) as StepFunctionKey[]) {
      expected = expected.replaceAll(`\${${key}}`, arnOf(functionIdFor(key)));
    }

    // Act: the synthesized definition, with CloudFormation's substitutions applied.
    const machine = machineNamed(name).Properties;
    let deployed = machine.DefinitionString as string;
    for (const [key, value] of Object.entries(machine.DefinitionSubstitutions as Record<string, unknown>)) {
      const [logicalId] = (value as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
      deployed = deployed.replaceAll(`\${${key}}`, arnOf(logicalId));
    }

    // Assess
    expect(deployed).not.toMatch(/\$\{/);
    expect(JSON.parse(deployed)).toEqual(JSON.parse(expected));
  });

  it('points each substitution at the function built from the catalog’s entry file', () => {
    for (const [key, spec] of Object.entries(STEP_FUNCTIONS) as [
      StepFunctionKey,
      { name: string; entry: string },
    ][]) {
      const fn = stack.functions.steps[key];
      expect(fn.shortName).toBe(spec.name);
      expect(template.toJSON().Resources[functionIdFor(key)].Properties.Description).toBe(
        `Redress ${spec.name}`,
      );
    }
  });

  it('lets each state machine invoke only the functions its definition names', () => {
    for (const name of WORKFLOWS) {
      const machineId = stack.getLogicalId(
        stack.workflows.stateMachines[name].node.defaultChild as CfnElement,
      );
      const roleId = (
        template.toJSON().Resources[machineId].Properties.RoleArn as { 'Fn::GetAtt': string[] }
      )['Fn::GetAtt'][0];
      const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Resource[];
      const statements = policies
        .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown[] }[]);
      const invoked = statements
        .filter((s) => s.Action === 'lambda:InvokeFunction')
        .flatMap((s) => s.Resource)
        .map((r) => (r as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt']?.[0])
        .filter(Boolean);

      const { keys } = readWorkflowDefinition(name);
      expect(new Set(invoked)).toEqual(new Set(keys.map(functionIdFor)));
    }
  });

  it('logs executions to a log group with a retention period', () => {
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue() });
  });
});
