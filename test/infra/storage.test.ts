import { App, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CASE_TABLE_DESIGN } from '../../functions/adapters/case-table.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { retentionRules } from '../../functions/domain/retention.js';
import { RecordsArchive } from '../../infra/constructs/records-archive.js';
import { type Resource, removeAfterTest, synthRedress, writePolicyFile } from './synth.js';

function only(template: Template, type: string): Resource {
  const found = Object.values(template.findResources(type)) as Resource[];
  expect(found).toHaveLength(1);
  return found[0] as Resource;
}

function archiveBucket(template: Template): Resource {
  const buckets = Object.values(template.findResources('AWS::S3::Bucket')) as Resource[];
  const archive = buckets.find((b) => b.Properties.VersioningConfiguration);
  if (!archive) throw new Error('no versioned (archive) bucket in the template');
  return archive;
}

function expiryByTag(bucket: Resource): Record<string, number> {
  const rules = bucket.Properties.LifecycleConfiguration.Rules as {
    TagFilters?: { Key: string; Value: string }[];
    ExpirationInDays?: number;
  }[];
  const byTag: Record<string, number> = {};
  for (const rule of rules) {
    for (const tag of rule.TagFilters ?? []) {
      expect(tag.Key).toBe('retention');
      byTag[tag.Value] = rule.ExpirationInDays as number;
    }
  }
  return byTag;
}

describe('the deployed storage', () => {
  let template: Template;
  beforeAll(() => {
    template = synthRedress().template;
  });

  describe('case table', () => {
    it('has the adapter’s keys, indexes and TTL attribute', () => {
      const table = only(template, 'AWS::DynamoDB::Table');

      expect(table.Properties.KeySchema).toEqual([
        { AttributeName: CASE_TABLE_DESIGN.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: CASE_TABLE_DESIGN.sortKey.name, KeyType: 'RANGE' },
      ]);
      expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
      // The workflow starter reads each new case's id and kind from the stream's new image.
      expect(table.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
      const indexes = table.Properties.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown }[];
      expect(indexes.map((i) => i.IndexName).sort()).toEqual(
        ['ByComplainant', 'ByReceived', 'ByService', 'OpenByDeadline'].sort(),
      );
      for (const index of CASE_TABLE_DESIGN.globalSecondaryIndexes) {
        expect(indexes.find((i) => i.IndexName === index.indexName)?.KeySchema).toEqual([
          { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
        ]);
      }
    });

    it('projects into each index only what its query reads there', () => {
      const table = only(template, 'AWS::DynamoDB::Table');
      const indexes = table.Properties.GlobalSecondaryIndexes as { IndexName: string; Projection: unknown }[];
      const projections = Object.fromEntries(indexes.map((i) => [i.IndexName, i.Projection]));

      // The queue filters on service and stage in the index; every record is read from the table.
      expect(projections).toEqual({
        OpenByDeadline: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['service', 'stage'] },
        ByComplainant: { ProjectionType: 'KEYS_ONLY' },
        ByService: { ProjectionType: 'KEYS_ONLY' },
        ByReceived: { ProjectionType: 'KEYS_ONLY' },
      });
    });

    it('is on demand, encrypted with a rotated customer key, recoverable and kept', () => {
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({
          BillingMode: 'PAY_PER_REQUEST',
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: Match.objectLike({
            SSEEnabled: true,
            SSEType: 'KMS',
            KMSMasterKeyId: Match.anyValue(),
          }),
        }),
      });
      const table = only(template, 'AWS::DynamoDB::Table');
      const keyId = (table.Properties.SSESpecification.KMSMasterKeyId as { 'Fn::GetAtt': string[] })[
        'Fn::GetAtt'
      ][0];
      const keys = template.findResources('AWS::KMS::Key');
      expect(keys[keyId as string]?.Properties).toMatchObject({ EnableKeyRotation: true });
    });
  });

  describe('records archive', () => {
    it('expires each retention class as a backstop, later than any calendar span of its years', () => {
      // The record's TTL removal deletes the archive on the day its retention ends
      // (archive-expiry.ts): the bucket's rule, in days, must never come first.
      const expected = Object.fromEntries(
        retentionRules(loadPolicy('lgsco-code-2024')).map((r) => [r.tag, r.expireAfterDays]),
      );

      expect(expiryByTag(archiveBucket(template))).toEqual(expected);
      expect(expected).toEqual({ '2y': 2 * 366 + 30, '6y': 6 * 366 + 30 });
    });

    it('expires non-current versions so retention really ends', () => {
      const rules = archiveBucket(template).Properties.LifecycleConfiguration.Rules as Record<
        string,
        unknown
      >[];

      expect(rules).toContainEqual(
        expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' }),
      );
    });

    it('is private, KMS-encrypted, versioned, access-logged and kept', () => {
      template.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          VersioningConfiguration: { Status: 'Enabled' },
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              Match.objectLike({
                ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
              }),
            ],
          },
          LoggingConfiguration: Match.objectLike({ DestinationBucketName: Match.anyValue() }),
        }),
      });
    });

    it('refuses every request that does not use TLS', () => {
      const bucketId = Object.entries(template.findResources('AWS::S3::Bucket')).find(
        ([, b]) => (b as Resource).Properties.VersioningConfiguration,
      )?.[0];

      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    });
  });

  it('follows a policy with other retention years', () => {
    // Prepare
    const path = writePolicyFile((p) => ({ ...p, retention: { closedYears: 3, ombudsmanYears: 7 } }));
    removeAfterTest(path.replace(/[/\\]policy\.json$/, ''));

    // Act
    const other = synthRedress({ 'redress:policyFile': path }).template;

    // Assess
    expect(expiryByTag(archiveBucket(other))).toEqual({ '2y': 3 * 366 + 30, '6y': 7 * 366 + 30 });
  });

  it('refuses an archive with no retention rule', () => {
    const stack = new Stack(new App(), 'Bare');

    expect(() => new RecordsArchive(stack, 'Archive', { retention: [] })).toThrow(
      /at least one retention rule/,
    );
  });
});
