import { existsSync, readFileSync } from 'node:fs';
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  aslPath,
  STEP_FUNCTIONS,
  type StepFunctionKey,
  WORKFLOWS,
  type WorkflowName,
} from '../../workflows/catalog.js';
import { acknowledgeOnRolePolicy, arnRef } from './nag.js';
import { MissingSourceError } from './redress-function.js';

/** Environment variable with the JSON map workflow name → state machine ARN. */
export const STATE_MACHINE_ARNS_ENV = 'STATE_MACHINE_ARNS';

/** The `${Key}` placeholders an ASL text uses, in order of first use. */
export function substitutionKeys(asl: string): string[] {
  return [...new Set([...asl.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] as string))];
}

/** Reads a workflow's ASL file, failing clearly when it is missing or names an unknown function. */
export function readWorkflowDefinition(
  name: WorkflowName,
  path: string = aslPath(name),
): { asl: string; keys: StepFunctionKey[] } {
  if (!existsSync(path)) {
    throw new MissingSourceError(
      `Cannot build Redress: workflows/${name}.asl.json (workflow "${name}") does not exist.`,
    );
  }
  const asl = readFileSync(path, 'utf8');
  try {
    JSON.parse(asl);
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MissingSourceError(
      `Cannot build Redress: workflows/${name}.asl.json is not valid JSON (${reason}).`,
    );
  }
  const keys = substitutionKeys(asl);
  const unknown = keys.filter((k) => !(k in STEP_FUNCTIONS));
  if (unknown.length > 0) {
    throw new MissingSourceError(
      `Cannot build Redress: workflows/${name}.asl.json uses ${unknown.map((k) => `\${${k}}`).join(', ')}, ` +
        'which workflows/catalog.ts (STEP_FUNCTIONS) does not define.',
    );
  }
  return { asl, keys: keys as StepFunctionKey[] };
}

/** The fixed name of a workflow's state machine (fixed so the API can know its ARN without a cycle). */
export function stateMachineName(stackName: string, workflow: WorkflowName): string {
  return `${stackName}-${workflow}`;
}

/** The ARN of a workflow's state machine, built from its fixed name. */
export function stateMachineArn(scope: Construct, stackName: string, workflow: WorkflowName): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: stateMachineName(stackName, workflow),
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

export interface WorkflowsProps {
  stackName: string;
  /** The deployed function for each substitution key of `STEP_FUNCTIONS`. */
  functions: Record<StepFunctionKey, lambda.IFunction>;
  logRetention: logs.RetentionDays;
}

/**
 * One Standard state machine per workflow, deployed from the very ASL file the local engine
 * and the tests run, with each `${…FunctionArn}` replaced by the deployed function's ARN.
 * Each may invoke only the functions its own definition names.
 */
export class Workflows extends Construct {
  readonly stateMachines: Record<WorkflowName, sfn.StateMachine>;
  private readonly stackName: string;

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    this.stackName = props.stackName;
    const machines: Partial<Record<WorkflowName, sfn.StateMachine>> = {};

    for (const name of WORKFLOWS) {
      const { asl, keys } = readWorkflowDefinition(name);
      const construct = new Construct(this, name);
      const logGroup = new logs.LogGroup(construct, 'Logs', {
        retention: props.logRetention,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const definitionSubstitutions: Record<string, string> = {};
      for (const key of keys) definitionSubstitutions[key] = props.functions[key].functionArn;

      const machine = new sfn.StateMachine(construct, 'StateMachine', {
        stateMachineName: stateMachineName(props.stackName, name),
        stateMachineType: sfn.StateMachineType.STANDARD,
        definitionBody: sfn.DefinitionBody.fromString(asl),
        definitionSubstitutions,
        tracingEnabled: true,
        // ALL events for the audit of each execution, but never the data: it names residents.
        logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      });
      for (const key of keys) props.functions[key].grantInvoke(machine);
      machines[name] = machine;

      for (const key of keys) {
        acknowledgeOnRolePolicy(
          machine.role,
          `AwsSolutions-IAM5[Resource::${arnRef(props.functions[key])}:*]`,
          'lambda:InvokeFunction on this one function and its versions (ARN:*), as the Lambda grant ' +
            'writes it; the state machine can call no other function.',
        );
      }
      acknowledgeOnRolePolicy(
        machine.role,
        'AwsSolutions-IAM5[Resource::*]',
        'CloudWatch Logs delivery (logs:CreateLogDelivery, …) and X-Ray (xray:PutTraceSegments, …) ' +
          'support no resource-level permissions: AWS documents Resource "*" for them.',
      );
    }
    this.stateMachines = machines as Record<WorkflowName, sfn.StateMachine>;
  }

  /** The JSON map workflow name → state machine ARN, for `STATE_MACHINE_ARNS`. */
  arnMap(): string {
    return Workflows.arnMap(this, this.stackName);
  }

  /** The same map, buildable before the state machines exist (no dependency on them). */
  static arnMap(scope: Construct, stackName: string): string {
    const map: Record<string, string> = {};
    for (const name of WORKFLOWS) map[name] = stateMachineArn(scope, stackName, name);
    return Stack.of(scope).toJsonString(map);
  }

  /**
   * Lets a function start executions and answer callbacks (`SendTask*`), on these state machines
   * only, and tells it their ARNs. Built from the fixed names, so granting does not make the
   * function depend on the state machines, which depend on the functions.
   */
  static grantStartAndRespond(fn: lambda.Function, stackName: string, options: { start: boolean }): void {
    const arns = WORKFLOWS.map((name) => stateMachineArn(fn, stackName, name));
    fn.addEnvironment(STATE_MACHINE_ARNS_ENV, Workflows.arnMap(fn, stackName));
    if (options.start) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'StartWorkflows',
          actions: ['states:StartExecution'],
          resources: arns,
        }),
      );
    }
    // A task token is not a resource IAM can name; these actions are scoped to the state
    // machines, as the Step Functions grant (`grantTaskResponse`) does.
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'AnswerWorkflowCallbacks',
        actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
        resources: arns,
      }),
    );
  }

  /**
   * Lets a function start executions of these state machines only (the workflow starter), and
   * tells it their ARNs. With `reconcile`, it may also read and redrive their executions (the
   * reconciler): `DescribeExecution` and `RedriveExecution` name an execution, so the grant
   * names every execution of these state machines and nothing else.
   */
  static grantStart(fn: lambda.Function, stackName: string, options: { reconcile: boolean }): void {
    fn.addEnvironment(STATE_MACHINE_ARNS_ENV, Workflows.arnMap(fn, stackName));
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'StartWorkflows',
        actions: ['states:StartExecution'],
        resources: WORKFLOWS.map((name) => stateMachineArn(fn, stackName, name)),
      }),
    );
    if (!options.reconcile) return;
    const executions = WORKFLOWS.map((name) =>
      Stack.of(fn).formatArn({
        service: 'states',
        resource: 'execution',
        resourceName: `${stateMachineName(stackName, name)}:*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReconcileWorkflows',
        actions: ['states:DescribeExecution', 'states:RedriveExecution'],
        resources: executions,
      }),
    );
    for (const name of WORKFLOWS) {
      acknowledgeOnRolePolicy(
        fn.role,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${stateMachineName(stackName, name)}:*]`,
        'Executions are named after case ids, unknown until a case exists: the grant names every ' +
          `execution of the ${name} state machine and of no other.`,
      );
    }
  }
}
