import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CfnJson, type Resource, synthRedress } from './synth.js';

describe('the API', () => {
  let template: Template;
  beforeAll(() => {
    template = synthRedress({ 'redress:throttleRate': '25', 'redress:throttleBurst': '60' }).template;
  });

  function methods(): { path: string; verb: string; props: Record<string, CfnJson> }[] {
    const resources = template.toJSON().Resources as Record<string, Resource & { Type: string }>;
    const pathOf = (ref: unknown): string => {
      if (typeof ref === 'object' && ref && 'Fn::GetAtt' in ref) return '';
      const id = (ref as { Ref: string }).Ref;
      const r = resources[id] as Resource;
      return `${pathOf(r.Properties.ParentId)}/${r.Properties.PathPart}`;
    };
    return Object.values(resources)
      .filter((r) => r.Type === 'AWS::ApiGateway::Method')
      .map((m) => ({
        path: pathOf(m.Properties.ResourceId) || '/',
        verb: m.Properties.HttpMethod,
        props: m.Properties,
      }));
  }

  it('serves the public routes, all through the one api function', () => {
    const routes = methods().map((m) => `${m.verb} ${m.path}`);

    expect(routes.sort()).toEqual(
      [
        'GET /',
        'GET /health',
        'POST /complaints',
        'GET /complaints/received',
        'GET /privacy',
        'GET /check',
        'POST /check',
        'GET /check/{page+}',
        'POST /check/{page+}',
        'GET /tasks/{token}',
        'POST /tasks/{token}',
        'GET /tasks/{token}/done',
        'GET /cases/{reference}',
        'GET /cases/{reference}/letters/{letter}',
        'GET /complaints/{reference}/evidence',
        'POST /complaints/{reference}/evidence',
        'GET /complaints/{reference}/evidence/{file+}',
        'POST /complaints/{reference}/evidence/{file+}',
        'GET /equality/{token}',
        'POST /equality/{token}',
        'GET /reports',
        'GET /reports/performance',
        'GET /reports/{report+}',
        'GET /assets/{path+}',
        'GET /favicon.ico',
        'GET /staff',
        'GET /staff/{page+}',
        'POST /staff/{page+}',
      ].sort(),
    );
    const targets = new Set(methods().map((m) => JSON.stringify(m.props.Integration.Uri)));
    expect(targets.size).toBe(1);
    for (const m of methods()) expect(m.props.Integration.Type).toBe('AWS_PROXY');
  });

  it('routes every path the api function answers, so no page works locally and not on AWS', () => {
    const deployed = methods().map((m) => ({
      verb: m.verb,
      pattern: new RegExp(
        `^${m.path
          .split('/')
          .map((segment) =>
            /^\{\w+\+\}$/.test(segment) ? '.+' : /^\{\w+\}$/.test(segment) ? '[^/]+' : segment,
          )
          .join('/')}$`,
      ),
    }));
    const appDir = fileURLToPath(new URL('../../functions/app/', import.meta.url));
    const answered = readdirSync(appDir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [
        ...readFileSync(join(appDir, f), 'utf8').matchAll(/\.on\(\s*'(GET|POST)',\s*'([^']+)'/g),
      ])
      .map(([, verb, path]) => ({
        verb: verb as string,
        path: (path as string).replace(/\{(\w+)\+?\}/g, 'x'),
      }));

    expect(answered.length).toBeGreaterThan(30);
    const missing = answered.filter(
      (route) => !deployed.some((d) => d.verb === route.verb && d.pattern.test(route.path)),
    );
    expect(missing).toEqual([]);
  });

  it('throttles the stage with the configured rate and burst', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: 25,
          ThrottlingBurstLimit: 60,
        }),
      ]),
    });
  });

  it('writes JSON access logs to a log group, traces, and never logs bodies', () => {
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0] as Resource;

    expect(stage.Properties.TracingEnabled).toBe(true);
    expect(JSON.parse(stage.Properties.AccessLogSetting.Format as string)).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
    });
    const logGroupId = stage.Properties.AccessLogSetting.DestinationArn['Fn::GetAtt'][0];
    expect(template.toJSON().Resources[logGroupId].Type).toBe('AWS::Logs::LogGroup');
    expect(stage.Properties.MethodSettings).toContainEqual(
      expect.objectContaining({ DataTraceEnabled: false }),
    );
  });

  it('requires from and to on the performance report', () => {
    const performance = methods().find((m) => m.path === '/reports/performance');

    expect(performance?.props.RequestParameters).toEqual({
      'method.request.querystring.from': true,
      'method.request.querystring.to': true,
    });
    const validatorId = performance?.props.RequestValidatorId.Ref;
    expect(template.toJSON().Resources[validatorId].Properties).toMatchObject({
      ValidateRequestParameters: true,
    });
  });

  it('passes fonts through as binary and compresses large answers', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      BinaryMediaTypes: Match.arrayWith(['font/woff2', 'font/woff']),
      MinimumCompressionSize: 1024,
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
  });

  it('has no custom domain unless configured, and says the pages live under the stage', () => {
    template.resourceCountIs('AWS::ApiGateway::DomainName', 0);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Redress api',
      Environment: { Variables: Match.objectLike({ PUBLIC_BASE_PATH: '/live' }) },
    });
  });

  it('has no firewall when the council turns it off', () => {
    synthRedress({ 'redress:wafEnabled': 'false' }).template.resourceCountIs('AWS::WAFv2::WebACL', 0);
  });

  it('puts WAF in front by default, answering 429 when one address sends too much', () => {
    const acl = Object.values(template.findResources('AWS::WAFv2::WebACL'))[0] as Resource;
    const rules = acl.Properties.Rules as {
      Name: string;
      Action?: CfnJson;
      Statement: Record<string, CfnJson>;
    }[];
    const intake = rules.find((r) => r.Name === 'IntakeRateLimitPerIp');

    expect(intake?.Statement).toMatchObject({
      RateBasedStatement: {
        Limit: 50,
        AggregateKeyType: 'IP',
        ScopeDownStatement: {
          AndStatement: {
            Statements: [
              { ByteMatchStatement: { SearchString: 'POST', FieldToMatch: { Method: {} } } },
              {
                OrStatement: {
                  Statements: [
                    {
                      ByteMatchStatement: { SearchString: '/complaints', PositionalConstraint: 'ENDS_WITH' },
                    },
                    { ByteMatchStatement: { SearchString: '/check', PositionalConstraint: 'ENDS_WITH' } },
                  ],
                },
              },
            ],
          },
        },
      },
    });
    for (const name of ['IntakeRateLimitPerIp', 'RateLimitPerIp']) {
      expect(rules.find((r) => r.Name === name)?.Action).toEqual({
        Block: {
          CustomResponse: {
            ResponseCode: 429,
            CustomResponseBodyKey: 'too-many-requests',
            ResponseHeaders: [{ Name: 'Retry-After', Value: '300' }],
          },
        },
      });
    }
    expect(JSON.stringify(acl.Properties.CustomResponseBodies)).toContain('Wait 5 minutes');
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });

  it('puts WAF with managed rules and a per-IP rate limit in front when enabled', () => {
    const firewalled = synthRedress({ 'redress:wafEnabled': 'true', 'redress:wafRateLimit': '500' }).template;

    const acl = Object.values(firewalled.findResources('AWS::WAFv2::WebACL'))[0] as Resource;
    const rules = acl.Properties.Rules as { Name: string; Statement: Record<string, CfnJson> }[];
    expect(rules.map((r) => r.Name)).toEqual(
      expect.arrayContaining([
        'AWSManagedRulesCommonRuleSet',
        'AWSManagedRulesKnownBadInputsRuleSet',
        'RateLimitPerIp',
      ]),
    );
    expect(rules.find((r) => r.Name === 'RateLimitPerIp')?.Statement).toEqual({
      RateBasedStatement: { Limit: 500, AggregateKeyType: 'IP' },
    });
    firewalled.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });

  it('serves a custom domain with the given certificate and uses it in links', () => {
    const custom = synthRedress({
      'redress:domainName': 'complaints.example.gov.uk',
      'redress:certificateArn': 'arn:aws:acm:eu-west-2:123456789012:certificate/abc-123',
    });

    custom.template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'complaints.example.gov.uk',
      RegionalCertificateArn: 'arn:aws:acm:eu-west-2:123456789012:certificate/abc-123',
      SecurityPolicy: 'TLS_1_2',
    });
    custom.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          PUBLIC_BASE_URL: 'https://complaints.example.gov.uk',
          PUBLIC_BASE_PATH: '',
        }),
      },
    });
    custom.template.hasOutput('CustomDomainTarget', { Value: Match.anyValue() });
  });
});
