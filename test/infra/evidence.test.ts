import type { CfnElement } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RedressStack } from '../../infra/stack.js';
import { type Resource, synthRedress } from './synth.js';

type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
};

let stack: RedressStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthRedress({
    'redress:domainName': 'complaints.example.gov.uk',
    'redress:certificateArn': 'arn:aws:acm:eu-west-2:123456789012:certificate/abc',
  }));
});

const id = (element: unknown) => stack.getLogicalId(element as CfnElement);

/** Every IAM statement on the role of the function with this short name. */
function statementsOf(name: string): Statement[] {
  const fn = stack.functions.all().find((f) => f.shortName === name);
  if (!fn) throw new Error(`no function ${name}`);
  const roleId = id(fn.fn.role?.node.defaultChild);
  return (Object.values(template.findResources('AWS::IAM::Policy')) as Resource[])
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

/** The actions a function may take on `evidence/*` of the archive. */
function evidenceActions(name: string): string[] {
  return statementsOf(name)
    .filter((s) => JSON.stringify(s.Resource).includes('/evidence/*'))
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
    .filter((action, i, all) => all.indexOf(action) === i)
    .sort();
}

describe('evidence uploads on AWS', () => {
  it('lets only the form’s origin POST files to the archive bucket', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({
            AllowedMethods: ['POST'],
            AllowedOrigins: ['https://complaints.example.gov.uk'],
          }),
        ],
      },
    });
  });

  it('scans evidence/ with GuardDuty Malware Protection for S3, tagging each object', () => {
    const plans = Object.values(
      template.findResources('AWS::GuardDuty::MalwareProtectionPlan'),
    ) as Resource[];
    expect(plans).toHaveLength(1);
    const plan = plans[0] as Resource;
    expect(plan.Properties.ProtectedResource.S3Bucket).toEqual({
      BucketName: { Ref: id(stack.archive.bucket.node.defaultChild) },
      ObjectPrefixes: ['evidence/'],
    });
    expect(plan.Properties.Actions).toEqual({ Tagging: { Status: 'ENABLED' } });
    expect(plan.Properties.Role).toEqual({
      'Fn::GetAtt': [id(stack.evidence.scanRole.node.defaultChild), 'Arn'],
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({ Principal: { Service: 'malware-protection-plan.guardduty.amazonaws.com' } }),
        ],
      },
    });
  });

  it('sends each scan result of evidence/ to the evidence-scan function, with retries and a dead-letter queue', () => {
    const fn = stack.functions.evidenceScan;
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.guardduty'],
        'detail-type': ['GuardDuty Malware Protection Object Scan Result'],
        detail: { s3ObjectDetails: { objectKey: [{ prefix: 'evidence/' }] } },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [id(fn.fn.node.defaultChild), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 8 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [id(fn.deadLetterQueue?.node.defaultChild), 'Arn'] } },
        }),
      ],
    });
  });

  it('denies reading an evidence object to everyone but the scanner and the checkers until it is tagged clean', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')) as Resource[];
    const deny = policies
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
      .find((s) => s.Sid === 'EvidenceUnreadableUntilScannedClean');
    expect(deny?.Effect).toBe('Deny');
    expect(deny?.Action).toEqual(['s3:GetObject', 's3:GetObjectVersion']);
    expect(JSON.stringify(deny?.Resource)).toContain('/evidence/*');
    expect(deny?.Condition?.StringNotEquals).toEqual({
      's3:ExistingObjectTag/GuardDutyMalwareScanStatus': 'NO_THREATS_FOUND',
    });
    const exempt = JSON.stringify(deny?.Condition?.ArnNotEquals);
    for (const role of [
      stack.evidence.scanRole,
      stack.functions.api.fn.role,
      stack.functions.evidenceScan.fn.role,
    ]) {
      expect(exempt).toContain(id(role?.node.defaultChild));
    }
    expect(exempt).not.toContain(id(stack.functions.steps.ArchiveFunctionArn.fn.role?.node.defaultChild));
  });

  it('gives evidence access only to the functions that need it, each only what it does', () => {
    const check = [
      's3:DeleteObject',
      's3:GetObject',
      's3:GetObjectTagging',
      's3:PutObject',
      's3:PutObjectTagging',
    ];
    // The workspace also erases a case's evidence, every version of it (UK GDPR Article 17).
    expect(evidenceActions('api')).toEqual([...check, 's3:DeleteObjectVersion'].sort());
    expect(evidenceActions('evidence-scan')).toEqual(check);
    // The archive step also deletes the evidence of a case whose erasure began while it ran;
    // case-changes deletes an expired case's (the table's TTL deleted the case).
    expect(evidenceActions('archive')).toEqual([...check, 's3:DeleteObjectVersion'].sort());
    expect(evidenceActions('case-changes')).toEqual([
      's3:DeleteObject',
      's3:DeleteObjectVersion',
      's3:GetObjectTagging',
      's3:PutObjectTagging',
    ]);
    for (const name of ['notify', 'route', 'ses-events', 'monthly-report', 'reconcile', 'start-workflows']) {
      expect(evidenceActions(name), name).toEqual([]);
    }
  });

  it('tells the evidence-scan function the bucket and lets it decrypt with the archive key', () => {
    const fn = stack.functions.evidenceScan;
    const resource = template.toJSON().Resources[id(fn.fn.node.defaultChild)] as Resource;
    expect(resource.Properties.Environment.Variables.ARCHIVE_BUCKET).toEqual({
      Ref: id(stack.archive.bucket.node.defaultChild),
    });
    const kms = statementsOf('evidence-scan').filter((s) => JSON.stringify(s.Action).includes('kms:Decrypt'));
    expect(
      kms.some((s) => JSON.stringify(s.Resource).includes(id(stack.archive.key.node.defaultChild))),
    ).toBe(true);
  });
});
