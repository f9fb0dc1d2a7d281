import type { CfnElement } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { PING_PREFIX, RETENTION_TAG } from '../../functions/adapters/s3-archive.js';
import { DOWNLOADS_PREFIX } from '../../functions/adapters/s3-downloads.js';
import { HOLD_TAG } from '../../functions/domain/legal-hold.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { retentionRules } from '../../functions/domain/retention.js';
import { FORGET_SUPPRESSED_ADDRESSES_ENV } from '../../infra/constructs/mailer.js';
import type { RedressStack } from '../../infra/stack.js';
import { type Resource, synthRedress } from './synth.js';

/**
 * "Retention never deletes a held case", on the deployed bucket: the synthesized lifecycle
 * rules cannot match an object tagged `retention=hold`, and the functions that hold and erase
 * have the grants they need and no more.
 */

type Rule = {
  Id?: string;
  Status: string;
  Prefix?: string;
  TagFilters?: { Key: string; Value: string }[];
  ExpirationInDays?: number;
  ExpirationDate?: string;
  ExpiredObjectDeleteMarker?: boolean;
  NoncurrentVersionExpiration?: { NoncurrentDays: number };
  Transitions?: unknown[];
};
type Statement = { Action: string | string[]; Resource: unknown; Condition?: Record<string, unknown> };

let stack: RedressStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthRedress());
});

function archiveRules(): Rule[] {
  const buckets = Object.values(template.findResources('AWS::S3::Bucket')) as Resource[];
  const archive = buckets.find((b) => b.Properties.VersioningConfiguration);
  if (!archive) throw new Error('no versioned (archive) bucket in the template');
  return (archive.Properties.LifecycleConfiguration as unknown as { Rules: Rule[] }).Rules;
}

/** Whether S3 would apply a rule's filter to an object with these tags (all of the rule's tags must match). */
/** Whether a rule applies to an object of the case archive (under cases/ or evidence/) with these tags. */
function matches(rule: Rule, tags: Record<string, string>): boolean {
  const key = 'cases/c-1.json';
  return (rule.TagFilters ?? []).every((t) => tags[t.Key] === t.Value) && key.startsWith(rule.Prefix ?? '');
}

function statementsOf(
  name: string,
  built: { stack: RedressStack; template: Template } = { stack, template },
): Statement[] {
  const found = built.stack.functions.all().find((f) => f.shortName === name);
  if (!found) throw new Error(`no function ${name}`);
  const roleId = built.stack.getLogicalId(found.fn.role?.node.defaultChild as CfnElement);
  const policies = Object.values(built.template.findResources('AWS::IAM::Policy')) as Resource[];
  return policies
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((p) => (p.Properties.PolicyDocument as unknown as { Statement: Statement[] }).Statement);
}

/** The environment variables of one function (by its short name) in a template. */
function envOf(built: Template, name: string): Record<string, unknown> {
  const functions = Object.values(built.findResources('AWS::Lambda::Function')) as Resource[];
  const found = functions.find(
    (f) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === `redress-${name}`,
  );
  if (!found) throw new Error(`no function ${name} in the template`);
  return found.Properties.Environment.Variables;
}

function actionsOf(name: string): Set<string> {
  return new Set(statementsOf(name).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
}

describe('the archive’s lifecycle rules and a legal hold', () => {
  it('gives every expiration rule a tag filter naming a retention class, never the hold tag', () => {
    // Prepare
    const classes = retentionRules(loadPolicy('lgsco-code-2024')).map((r) => r.tag as string);
    const expiring = archiveRules().filter(
      (r) =>
        r.Prefix !== DOWNLOADS_PREFIX &&
        (r.ExpirationInDays !== undefined || r.ExpirationDate !== undefined || r.Transitions !== undefined),
    );
    // The one other expiring rule: files handed out for download, under their own prefix only.
    const downloads = archiveRules().filter((r) => r.Prefix === DOWNLOADS_PREFIX);
    expect(downloads.map((r) => r.ExpirationInDays)).toEqual([1]);
    for (const prefix of ['cases/', 'evidence/']) expect(prefix.startsWith(DOWNLOADS_PREFIX)).toBe(false);

    // Assess
    expect(expiring.length).toBe(classes.length);
    for (const rule of expiring) {
      expect(rule.TagFilters).toHaveLength(1);
      const [filter] = rule.TagFilters ?? [];
      expect(filter?.Key).toBe(RETENTION_TAG);
      expect(classes).toContain(filter?.Value);
      expect(filter?.Value).not.toBe(HOLD_TAG);
    }
    expect(expiring.map((r) => r.TagFilters?.[0]?.Value).sort()).toEqual([...classes].sort());
  });

  it('has no rule that expires the current version of an object tagged retention=hold', () => {
    // Prepare: a held evidence file keeps its scan verdict beside the hold tag.
    const held = { [RETENTION_TAG]: HOLD_TAG, GuardDutyMalwareScanStatus: 'NO_THREATS_FOUND' };

    // Act
    const applying = archiveRules().filter((r) => r.Status === 'Enabled' && matches(r, held));

    // Assess: what still applies to a held object is the untagged housekeeping rule only, and it
    // removes nothing current. NoncurrentVersionExpiration deletes only versions that are already
    // non-current (replaced or covered by a delete marker); a hold re-tags the current version in
    // place (PutObjectTagging makes no new version), so the held version stays current. The
    // delete-marker cleanup (ExpiredObjectDeleteMarker) removes only a marker with no version
    // left under it. Neither can make a held current version non-current: only an expiration
    // rule (which none of these is) or a person deleting or overwriting it could.
    for (const rule of applying) {
      expect(rule.ExpirationInDays).toBeUndefined();
      expect(rule.ExpirationDate).toBeUndefined();
      expect(rule.Transitions).toBeUndefined();
    }
    expect(applying.map((r) => r.Id)).toEqual(['expire-noncurrent-versions']);
  });
});

describe('the files handed out for download', () => {
  it('keeps no non-current version of one beyond its day (the bucket-wide month is for case files)', () => {
    // A file's day ends with a delete marker over it (the bucket is versioned): what it held stays
    // as a non-current version until a rule for non-current versions under its prefix removes it.
    const rules = archiveRules().filter(
      (r) =>
        r.Status === 'Enabled' &&
        r.NoncurrentVersionExpiration &&
        'exports/x/file.zip'.startsWith(r.Prefix ?? ''),
    );
    expect(Math.min(...rules.map((r) => r.NoncurrentVersionExpiration?.NoncurrentDays ?? Infinity))).toBe(1);
  });
});

describe('the grants for holds and erasure', () => {
  it('lets the api list every version, re-tag and delete every version of case files and evidence', () => {
    // Act
    const statements = statementsOf('api');
    const actions = actionsOf('api');

    // Assess
    for (const action of [
      's3:ListBucket',
      's3:ListBucketVersions',
      's3:PutObjectTagging',
      's3:DeleteObject',
      's3:DeleteObjectVersion',
    ]) {
      expect(actions).toContain(action);
    }
    const deletes = statements.filter((s) =>
      ([] as string[]).concat(s.Action).includes('s3:DeleteObjectVersion'),
    );
    expect(JSON.stringify(deletes.map((s) => s.Resource))).toMatch(/cases\/\*/);
    expect(JSON.stringify(deletes.map((s) => s.Resource))).toMatch(/evidence\/\*/);
    const listing = statements.find((s) =>
      ([] as string[]).concat(s.Action).includes('s3:ListBucketVersions'),
    );
    expect(listing?.Condition).toEqual({ StringLike: { 's3:prefix': ['cases/*', 'evidence/*'] } });
  });

  it("lets the api ask S3 whether it answers (the archive's ping, for /health and the evidence page) under a prefix it may list", () => {
    // Act
    const listings = statementsOf('api').filter((s) =>
      ([] as string[]).concat(s.Action).includes('s3:ListBucket'),
    );
    const prefixes = listings.flatMap((s) =>
      ([] as string[]).concat(
        (s.Condition as { StringLike?: Record<string, string[]> } | undefined)?.StringLike?.['s3:prefix'] ??
          [],
      ),
    );

    // IAM's StringLike: `*` is any run of characters, `?` any one.
    const like = (pattern: string) =>
      new RegExp(
        `^${pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      );

    // Assess: every listing is limited to prefixes, and the ping's is within one of them.
    expect(listings.every((s) => s.Condition !== undefined)).toBe(true);
    expect(prefixes.filter((p) => like(p).test(PING_PREFIX))).toEqual(['evidence/*']);
  });

  it('lets the api list and delete every version of the files it handed out, for an erasure', () => {
    // Act
    const statements = statementsOf('api');
    const onDownloads = (action: string) =>
      statements.filter(
        (s) =>
          ([] as string[]).concat(s.Action).includes(action) &&
          JSON.stringify(s.Resource).includes('exports/*'),
      );
    const listing = statements.filter(
      (s) =>
        ([] as string[]).concat(s.Action).includes('s3:ListBucketVersions') &&
        JSON.stringify(s.Condition ?? {}).includes('exports/*'),
    );

    // Assess
    expect(onDownloads('s3:DeleteObject')).toHaveLength(1);
    expect(onDownloads('s3:DeleteObjectVersion')).toHaveLength(1);
    expect(listing.map((s) => s.Condition)).toEqual([{ StringLike: { 's3:prefix': ['exports/*'] } }]);
  });

  it('lets the case changes delete the files handed out for an expired case, and not write or read one', () => {
    // Act
    const onDownloads = statementsOf('case-changes').filter((s) =>
      JSON.stringify(s.Resource).includes('exports/*'),
    );

    // Assess
    expect(onDownloads.flatMap((s) => s.Action).sort()).toEqual([
      's3:DeleteObject',
      's3:DeleteObjectVersion',
    ]);
  });

  it('leaves SES’s suppression list (one per account, shared with its other senders) alone by default: no function may remove an address, none is told to', () => {
    // Act
    const forgetting = stack.functions
      .all()
      .filter(
        (f) =>
          actionsOf(f.shortName).has('ses:DeleteSuppressedDestination') ||
          envOf(template, f.shortName)[FORGET_SUPPRESSED_ADDRESSES_ENV] !== undefined,
      );

    // Assess
    expect(forgetting.map((f) => f.shortName)).toEqual([]);
  });

  it('lets the api (an erasure) and the case changes (an expiry) remove an address, and no other function, when redress:forgetSuppressedAddresses is true', () => {
    // Prepare
    const forgetting = synthRedress({ 'redress:forgetSuppressedAddresses': 'true' });
    const statementsIn = (name: string) => statementsOf(name, forgetting);

    // Act
    const allowed = forgetting.stack.functions
      .all()
      .filter((f) =>
        statementsIn(f.shortName).some((s) => [s.Action].flat().includes('ses:DeleteSuppressedDestination')),
      )
      .map((f) => f.shortName);

    // Assess
    expect(allowed.sort()).toEqual(['api', 'case-changes']);
    for (const name of allowed) {
      expect(envOf(forgetting.template, name)[FORGET_SUPPRESSED_ADDRESSES_ENV]).toBe('true');
    }
  });

  it('lets the archive step hold a case held while open, and delete only case files and evidence (an erasure begun meanwhile)', () => {
    // Act
    const actions = actionsOf('archive');
    const deletes = statementsOf('archive').filter((s) =>
      ([] as string[]).concat(s.Action).includes('s3:DeleteObjectVersion'),
    );

    // Assess
    expect(actions).toContain('s3:ListBucket');
    expect(actions).toContain('s3:PutObjectTagging');
    expect(JSON.stringify(deletes.map((s) => s.Resource))).toMatch(/cases\/\*.*evidence\/\*/);
    expect(JSON.stringify(deletes.map((s) => s.Resource))).not.toMatch(/exports|access-logs/);
  });
});
