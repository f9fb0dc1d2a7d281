import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthRedress } from './synth.js';

/** Every `Ref` / `Fn::GetAtt` target that names a KMS key of the template, wherever it appears. */
function keyRefs(node: unknown, keys: Set<string>, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) keyRefs(n, keys, out);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    const ref =
      typeof o.Ref === 'string' ? o.Ref : Array.isArray(o['Fn::GetAtt']) ? o['Fn::GetAtt'][0] : undefined;
    if (typeof ref === 'string' && keys.has(ref)) out.add(ref);
    for (const v of Object.values(o)) keyRefs(v, keys, out);
  }
  return out;
}

/** The keys each encrypted store names, by resource type. */
function encryptionKeysOf(
  template: Template,
): Record<'table' | 'buckets' | 'secret' | 'topics', Set<string>> {
  const keys = new Set(Object.keys(template.findResources('AWS::KMS::Key')));
  const of = (type: string, pick: (p: Record<string, unknown>) => unknown) =>
    keyRefs(
      Object.values(template.findResources(type)).map((r) => pick(r.Properties ?? {})),
      keys,
    );
  return {
    table: of('AWS::DynamoDB::Table', (p) => p.SSESpecification),
    buckets: of('AWS::S3::Bucket', (p) => p.BucketEncryption),
    secret: of('AWS::SecretsManager::Secret', (p) => p.KmsKeyId),
    topics: of('AWS::SNS::Topic', (p) => p.KmsMasterKeyId),
  };
}

describe('encryption keys', () => {
  let template: Template;
  beforeAll(() => {
    template = synthRedress().template;
  });

  it('uses one customer-managed key, rotated and kept, for the table, archive, secret and both topics', () => {
    const keys = template.findResources('AWS::KMS::Key');
    expect(Object.keys(keys)).toHaveLength(1);
    const [id, key] = Object.entries(keys)[0] as [
      string,
      { Properties: Record<string, unknown>; DeletionPolicy?: string },
    ];
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
    for (const [store, used] of Object.entries(encryptionKeysOf(template))) {
      expect([...used], store).toEqual([id]);
    }
  });

  it('lets only SES and CloudWatch of this account use it to publish, besides the account itself', () => {
    const [key] = Object.values(template.findResources('AWS::KMS::Key')) as {
      Properties: { KeyPolicy: { Statement: { Principal?: { Service?: string }; Condition?: unknown }[] } };
    }[];
    const services = key?.Properties.KeyPolicy.Statement.filter((s) => s.Principal?.Service);
    expect(services?.map((s) => s.Principal?.Service).sort()).toEqual([
      'cloudwatch.amazonaws.com',
      'ses.amazonaws.com',
    ]);
    for (const s of services ?? []) expect(JSON.stringify(s.Condition)).toContain('aws:SourceAccount');
  });

  it('gives each store its own key when the council asks for separate keys', () => {
    const separate = synthRedress({ 'redress:separateKeys': 'true' }).template;
    expect(Object.keys(separate.findResources('AWS::KMS::Key'))).toHaveLength(5);
    const used = encryptionKeysOf(separate);
    expect(used.table.size).toBe(1);
    expect(used.secret.size).toBe(1);
    expect(used.topics.size).toBe(2);
    const all = new Set([...used.table, ...used.buckets, ...used.secret, ...used.topics]);
    expect(all.size).toBe(5);
  });
});
