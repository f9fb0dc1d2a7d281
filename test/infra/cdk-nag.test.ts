import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { buildRedress } from './synth.js';

interface ValidationReport {
  pluginReports: {
    pluginName: string;
    violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
}

/** Every finding cdk-nag left unacknowledged, as `rule at path`. */
function findings(outdir: string): string[] {
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
  return report.pluginReports.flatMap((p) =>
    p.violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} at ${c.constructPath}`)),
  );
}

describe('cdk-nag (AwsSolutions and Serverless packs)', () => {
  it.each([
    ['the defaults', {}],
    [
      'WAF, a custom domain, a mail domain and an alarm email',
      {
        'redress:wafEnabled': 'true',
        'redress:domainName': 'complaints.example.gov.uk',
        'redress:certificateArn': 'arn:aws:acm:eu-west-2:123456789012:certificate/abc-123',
        'redress:mailDomain': 'example.gov.uk',
        'redress:alarmEmail': 'ops@example.gov.uk',
        'redress:policy': 'dudley',
      },
    ],
    ['X-Ray tracing of the functions off', { 'redress:functionTracing': 'false' }],
    ['X-Ray tracing of the functions with Powertools’ tracer', { 'redress:functionTracing': 'true' }],
  ])('finds nothing unacknowledged with %s', (_label, context) => {
    // Prepare
    const { app, stack, outdir } = buildRedress(context);

    // Act
    app.synth();

    // Assess
    expect(findings(outdir)).toEqual([]);
    expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual(
      [],
    );
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
  });

  it('fails the synth when a resource breaks a rule nobody acknowledged', () => {
    // Prepare: an unlogged, unencrypted-by-policy bucket, as a careless change would add.
    const { app, stack } = buildRedress();
    new s3.Bucket(stack, 'Careless');

    // Act and assess
    expect(() => app.synth()).toThrow(/AwsSolutions-S1[\s\S]*Redress\/Careless/);
  });
});
