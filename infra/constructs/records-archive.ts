import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DOWNLOADS_EXPIRE_AFTER_DAYS, DOWNLOADS_PREFIX } from '../../functions/adapters/s3-downloads.js';
import { EVIDENCE_PREFIX } from '../../functions/domain/evidence.js';
import type { RetentionRule } from '../../functions/domain/retention.js';
import { acknowledgeOnRolePolicy, arnRef } from './nag.js';

export interface RecordsArchiveProps {
  /** From `retentionRules(policy)`: one lifecycle rule per retention tag. */
  retention: readonly RetentionRule[];
  /** Days a replaced or deleted version is kept before it is gone for good. */
  noncurrentVersionDays?: number;
  /** The stack's data key (`DataKey`); without one, the archive has a key of its own. */
  key?: kms.Key;
}

/** Environment variable through which handlers find the bucket. */
export const ARCHIVE_BUCKET_ENV = 'ARCHIVE_BUCKET';
/** Key prefix of closed case files; the only prefix functions may touch. */
export const CASE_FILE_PREFIX = 'cases/';

/**
 * The archive of closed case files. Each object carries the tag `retention=2y|6y`. The case
 * table's TTL removal of a case deletes its objects on the day its retention ends (calendar
 * years, South Norfolk Council Complaints Policy "Retention Guidelines"; `archive-expiry.ts`);
 * lifecycle rules built from the policy's retention, in days, are the later backstop.
 * Private, TLS only, versioned, KMS-encrypted, access-logged, kept when the stack goes.
 */
export class RecordsArchive extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: RecordsArchiveProps) {
    super(scope, id);
    if (props.retention.length === 0) {
      throw new Error('RecordsArchive needs at least one retention rule (from retentionRules(policy))');
    }
    const noncurrentDays = props.noncurrentVersionDays ?? 30;

    this.key =
      props.key ??
      new kms.Key(this, 'Key', {
        description: 'Redress records archive: closed case files',
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });

    // S3 server access logs can only be delivered to a bucket encrypted with S3-managed keys.
    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'archive/',
      lifecycleRules: [
        ...props.retention.map((rule) => ({
          id: `expire-retention-${rule.tag}`,
          tagFilters: { retention: rule.tag },
          expiration: Duration.days(rule.expireAfterDays),
        })),
        {
          // Exports and Ombudsman files too large for an API response (s3-downloads.ts): a day.
          // Their expiry leaves each as a non-current version under a delete marker: that goes a
          // day later, not with the month kept of replaced case files below.
          id: 'expire-downloads',
          prefix: DOWNLOADS_PREFIX,
          expiration: Duration.days(DOWNLOADS_EXPIRE_AFTER_DAYS),
          noncurrentVersionExpiration: Duration.days(DOWNLOADS_EXPIRE_AFTER_DAYS),
        },
        {
          // An expired (or re-written) case file leaves a non-current version: remove it too,
          // or the retention period would never really end.
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(noncurrentDays),
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /**
   * Lets a function write, read and (re-)tag case files under `cases/` — nothing else — and
   * tells it the bucket's name.
   */
  grantTo(fn: lambda.Function): void {
    fn.addEnvironment(ARCHIVE_BUCKET_ENV, this.bucket.bucketName);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'CaseFiles',
        actions: ['s3:PutObject', 's3:GetObject', 's3:PutObjectTagging', 's3:GetObjectTagging'],
        resources: [this.bucket.arnForObjects(`${CASE_FILE_PREFIX}*`)],
      }),
    );
    this.key.grantEncryptDecrypt(fn);
    acknowledgeOnRolePolicy(
      fn.role,
      `AwsSolutions-IAM5[Resource::${arnRef(this.bucket)}/${CASE_FILE_PREFIX}*]`,
      'Objects under cases/ of the records archive only: one closed case file per case, named by case id.',
    );
    const reason =
      'Encrypting case files with the archive’s own key (named); the wildcard is in the action name only.';
    acknowledgeOnRolePolicy(fn.role, 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason);
    acknowledgeOnRolePolicy(fn.role, 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason);
  }

  /**
   * Lets a function read case files under `cases/` and nothing else (the end of a case's retention
   * reads the resident's address from it, before it is deleted).
   */
  grantCaseFileReading(fn: lambda.Function): void {
    fn.addEnvironment(ARCHIVE_BUCKET_ENV, this.bucket.bucketName);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'CaseFileReading',
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects(`${CASE_FILE_PREFIX}*`)],
      }),
    );
    this.key.grantDecrypt(fn);
  }

  /**
   * Lets a function hand out files too large for an API response: write and read them under
   * `exports/` (a day's lifecycle), nothing else; and, for an erasure, list and delete every
   * version of those holding the erased case (`S3Downloads.eraseFor`).
   */
  grantDownloads(fn: lambda.Function): void {
    fn.addEnvironment(ARCHIVE_BUCKET_ENV, this.bucket.bucketName);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'Downloads',
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [this.bucket.arnForObjects(`${DOWNLOADS_PREFIX}*`)],
      }),
    );
    this.grantDownloadsErasure(fn);
  }

  /**
   * Lets a function delete, with every version, the files handed out for download that hold a
   * case it erases or that expired (`S3Downloads.eraseFor`): list them and delete them under
   * `exports/`, nothing else.
   */
  grantDownloadsErasure(fn: lambda.Function): void {
    fn.addEnvironment(ARCHIVE_BUCKET_ENV, this.bucket.bucketName);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DownloadsErasure',
        actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
        resources: [this.bucket.arnForObjects(`${DOWNLOADS_PREFIX}*`)],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DownloadsListing',
        actions: ['s3:ListBucket', 's3:ListBucketVersions'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${DOWNLOADS_PREFIX}*`] } },
      }),
    );
    acknowledgeOnRolePolicy(
      fn.role,
      `AwsSolutions-IAM5[Resource::${arnRef(this.bucket)}/${DOWNLOADS_PREFIX}*]`,
      'Files handed out for download under exports/ only, each under a random id, deleted after a day or when a case in it is erased.',
    );
  }

  /**
   * Legal holds and erasure (`S3RecordsControl`): list a case's objects (and, to erase, every
   * version of them), re-tag them out of the lifecycle rules and back, and — with `erase` —
   * delete every version and delete marker. Limited to the case files, letters and evidence.
   */
  grantRecordsControl(fn: lambda.Function, options: { erase: boolean }): void {
    fn.addEnvironment(ARCHIVE_BUCKET_ENV, this.bucket.bucketName);
    const prefixes = [`${CASE_FILE_PREFIX}*`, `${EVIDENCE_OBJECT_PREFIX}*`];
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: options.erase ? 'HoldAndEraseListing' : 'HoldListing',
        actions: options.erase ? ['s3:ListBucket', 's3:ListBucketVersions'] : ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': prefixes } },
      }),
    );
    // The archive step already tags case files (`grantTo`) and evidence (the evidence construct's
    // keepers): holding a case needs only the listing above. Erasing needs the rest.
    if (!options.erase) return;
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'HoldAndEraseObjects',
        actions: ['s3:GetObjectTagging', 's3:PutObjectTagging', 's3:DeleteObject', 's3:DeleteObjectVersion'],
        resources: prefixes.map((p) => this.bucket.arnForObjects(p)),
      }),
    );
    this.key.grantEncryptDecrypt(fn);
    acknowledgeOnRolePolicy(
      fn.role,
      `AwsSolutions-IAM5[Resource::${arnRef(this.bucket)}/${CASE_FILE_PREFIX}*]`,
      'Objects under cases/ of the records archive only: a held or erased case’s file and letters, named by case id.',
    );
    acknowledgeOnRolePolicy(
      fn.role,
      `AwsSolutions-IAM5[Resource::${arnRef(this.bucket)}/${EVIDENCE_OBJECT_PREFIX}*]`,
      'Residents’ evidence under evidence/ of the archive only: a held or erased case’s files, keyed by case id.',
    );
    const reason =
      'Re-tagging and erasing with the archive’s own key (named); the wildcard is in the action name only.';
    acknowledgeOnRolePolicy(fn.role, 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason);
    acknowledgeOnRolePolicy(fn.role, 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason);
  }
}

/** Key prefix of residents' evidence (as `EVIDENCE_PREFIX`), held and erased with its case. */
const EVIDENCE_OBJECT_PREFIX = EVIDENCE_PREFIX;
