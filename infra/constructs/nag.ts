import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges one cdk-nag finding on the inline policy of a role (the narrowest construct that
 * holds the statement). `finding` is the rule id with its detail, e.g.
 * `AwsSolutions-IAM5[Resource::<CaseStoreTable….Arn>/index/*]`.
 */
export function acknowledgeOnRolePolicy(role: iam.IRole | undefined, finding: string, reason: string): void {
  const policy = role?.node.tryFindChild('DefaultPolicy');
  if (!policy) throw new Error(`No inline policy to acknowledge ${finding} on: grant something first`);
  Validations.of(policy).acknowledge({ id: finding, reason });
}

/** The `<LogicalId.Arn>` form in which cdk-nag names a resource's ARN in a finding. */
export function arnRef(resource: IConstruct): string {
  const element = resource.node.defaultChild as CfnElement | undefined;
  if (!element)
    throw new Error(`Cannot name the ARN of ${resource.node.path}: it has no CloudFormation resource`);
  return `<${Stack.of(resource).getLogicalId(element)}.Arn>`;
}
