import { Aws } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  CLEAN_SCAN_STATUS,
  EVIDENCE_PREFIX,
  SCAN_RESULT_DETAIL_TYPE,
  SCAN_STATUS_TAG,
} from '../../functions/domain/evidence.js';
import { acknowledgeOnRolePolicy, arnRef } from './nag.js';
import { ARCHIVE_BUCKET_ENV, type RecordsArchive } from './records-archive.js';

export interface EvidenceUploadsProps {
  archive: RecordsArchive;
  /** The origin of the resident's pages (no path): the only one whose browsers may POST files. */
  formOrigin: string;
  /** The function that records GuardDuty's scan results (`functions/handlers/evidence-scan.ts`). */
  scanResults: lambda.IFunction;
  /** Where scan results it could not take go, after EventBridge's retries (its dead-letter queue). */
  scanDeadLetters: sqs.IQueue;
  /**
   * Functions that sign uploads and check what arrived (the api), and record scan results: they
   * may read an object before it is scanned, to check its content, and delete refused ones.
   */
  checkers: lambda.Function[];
  /** Functions that keep evidence with an archived case file (the archive step; the api re-tags). */
  keepers: lambda.Function[];
}

/**
 * Residents' evidence, kept in the records archive under `evidence/` (same key, same lifecycle
 * rules by `retention` tag, same access logs): CORS so the form's origin may POST files straight
 * to the bucket with a presigned POST, GuardDuty Malware Protection for S3 on that prefix (it tags
 * each object `GuardDutyMalwareScanStatus` and sends an EventBridge event, which the scan-result
 * function records on the case), and a bucket policy that lets nobody read an evidence object
 * until its tag says `NO_THREATS_FOUND`, except GuardDuty itself and the functions that check
 * an upload's content.
 */
export class EvidenceUploads extends Construct {
  readonly scanRole: iam.Role;
  readonly plan: guardduty.CfnMalwareProtectionPlan;
  readonly scanRule: events.Rule;
  private readonly archive: RecordsArchive;

  constructor(scope: Construct, id: string, props: EvidenceUploadsProps) {
    super(scope, id);
    this.archive = props.archive;
    const { bucket, key } = props.archive;
    const evidenceObjects = bucket.arnForObjects(`${EVIDENCE_PREFIX}*`);

    bucket.addCorsRule({
      allowedMethods: [s3.HttpMethods.POST],
      allowedOrigins: [props.formOrigin],
      allowedHeaders: ['*'],
      maxAge: 600,
    });

    // The role GuardDuty's plan uses: the permissions AWS documents for Malware Protection for
    // S3, each narrowed to this bucket, the evidence prefix and the archive's key.
    this.scanRole = new iam.Role(this, 'ScanRole', {
      assumedBy: new iam.ServicePrincipal('malware-protection-plan.guardduty.amazonaws.com'),
      description: 'GuardDuty Malware Protection for S3: scans and tags residents’ evidence',
    });
    const managedRule = `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*`;
    const statements = [
      new iam.PolicyStatement({
        sid: 'ManageItsEventBridgeRule',
        actions: ['events:PutRule', 'events:DeleteRule', 'events:PutTargets', 'events:RemoveTargets'],
        resources: [managedRule],
        conditions: { StringLike: { 'events:ManagedBy': 'malware-protection-plan.guardduty.amazonaws.com' } },
      }),
      new iam.PolicyStatement({
        sid: 'WatchItsEventBridgeRule',
        actions: ['events:DescribeRule', 'events:ListTargetsByRule'],
        resources: [managedRule],
      }),
      new iam.PolicyStatement({
        sid: 'ScanAndTagEvidence',
        actions: [
          's3:GetObject',
          's3:GetObjectVersion',
          's3:PutObjectTagging',
          's3:GetObjectTagging',
          's3:PutObjectVersionTagging',
          's3:GetObjectVersionTagging',
        ],
        resources: [evidenceObjects],
      }),
      new iam.PolicyStatement({
        sid: 'BucketNotificationsAndOwnership',
        actions: ['s3:PutBucketNotification', 's3:GetBucketNotification', 's3:ListBucket'],
        resources: [bucket.bucketArn],
      }),
      new iam.PolicyStatement({
        sid: 'ValidationObject',
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects('malware-protection-resource-validation-object')],
      }),
      new iam.PolicyStatement({
        sid: 'DecryptForScan',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [key.keyArn],
        conditions: { StringLike: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } },
      }),
    ];
    for (const statement of statements) this.scanRole.addToPolicy(statement);
    acknowledgeOnRolePolicy(
      this.scanRole,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*]`,
      'GuardDuty names the EventBridge rule it manages with this fixed prefix and a suffix of its own; the statement is also limited to rules managed by the malware protection plan.',
    );
    acknowledgeOnRolePolicy(
      this.scanRole,
      `AwsSolutions-IAM5[Resource::${arnRef(bucket)}/${EVIDENCE_PREFIX}*]`,
      'GuardDuty scans and tags every object under evidence/ of the archive, whose keys are chosen per upload.',
    );

    this.plan = new guardduty.CfnMalwareProtectionPlan(this, 'MalwareProtectionPlan', {
      role: this.scanRole.roleArn,
      protectedResource: { s3Bucket: { bucketName: bucket.bucketName, objectPrefixes: [EVIDENCE_PREFIX] } },
      actions: { tagging: { status: 'ENABLED' } },
    });
    // The plan checks its role's permissions when it is created.
    this.plan.node.addDependency(this.scanRole);

    this.scanRule = new events.Rule(this, 'ScanResults', {
      description: 'GuardDuty malware scan results for residents’ evidence, recorded on the case',
      eventPattern: {
        source: ['aws.guardduty'],
        detailType: [SCAN_RESULT_DETAIL_TYPE],
        detail: {
          s3ObjectDetails: {
            bucketName: [bucket.bucketName],
            objectKey: [{ prefix: EVIDENCE_PREFIX }],
          },
        },
      },
      targets: [
        new targets.LambdaFunction(props.scanResults, {
          retryAttempts: 8,
          deadLetterQueue: props.scanDeadLetters,
        }),
      ],
    });

    // Nobody opens an evidence object before it is tagged clean: not staff through the console,
    // not the archive step copying it; only the scanner and the functions that check content.
    const exempt = [this.scanRole.roleArn, ...props.checkers.map((f) => f.role?.roleArn ?? '')];
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EvidenceUnreadableUntilScannedClean',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [evidenceObjects],
        conditions: {
          StringNotEquals: { [`s3:ExistingObjectTag/${SCAN_STATUS_TAG}`]: CLEAN_SCAN_STATUS },
          ArnNotEquals: { 'aws:PrincipalArn': exempt },
        },
      }),
    );

    for (const fn of props.checkers) {
      this.grant(fn, 'CheckEvidence', [
        's3:PutObject',
        's3:GetObject',
        's3:GetObjectTagging',
        's3:PutObjectTagging',
        's3:DeleteObject',
      ]);
    }
    for (const fn of props.keepers) {
      this.grant(fn, 'KeepEvidence', [
        's3:GetObject',
        's3:PutObject',
        's3:GetObjectTagging',
        's3:PutObjectTagging',
      ]);
    }
  }

  private grant(fn: lambda.Function, sid: string, actions: string[]): void {
    const { bucket, key } = this.archive;
    fn.addEnvironment(ARCHIVE_BUCKET_ENV, bucket.bucketName);
    fn.addToRolePolicy(
      new iam.PolicyStatement({ sid, actions, resources: [bucket.arnForObjects(`${EVIDENCE_PREFIX}*`)] }),
    );
    key.grantEncryptDecrypt(fn);
    acknowledgeOnRolePolicy(
      fn.role,
      `AwsSolutions-IAM5[Resource::${arnRef(bucket)}/${EVIDENCE_PREFIX}*]`,
      'Residents’ evidence under evidence/ of the archive only: one object per uploaded file, keyed by case and a random id.',
    );
    const reason =
      'Encrypting evidence with the archive’s own key (named); the wildcard is in the action name only.';
    acknowledgeOnRolePolicy(fn.role, 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason);
    acknowledgeOnRolePolicy(fn.role, 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason);
  }
}
