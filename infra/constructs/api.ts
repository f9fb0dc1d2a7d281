import { Aws, RemovalPolicy, Size, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { Policy } from '../../functions/domain/policy-schema.js';
import { BINARY_MEDIA_TYPES } from '../binary-media-types.js';
import {
  FIREWALL_RETRY_AFTER_SECONDS,
  firewallPage,
  gatewayResponses,
  TEMPLATE_TYPES,
} from '../gateway-responses.js';

export interface RedressApiProps {
  handler: lambda.IFunction;
  /** The council's policy: its name, complaints team and languages are on the pages API Gateway answers itself. */
  policy: Policy;
  /** Steady-state requests per second for the whole stage. */
  throttleRate: number;
  /** Burst allowance for the whole stage. */
  throttleBurst: number;
  logRetention: logs.RetentionDays;
  /** Put AWS WAF (managed rule groups + a per-IP rate limit) in front of the stage. */
  wafEnabled: boolean;
  /** Requests per IP per 5 minutes before WAF blocks it. */
  wafRateLimit: number;
  /** Submissions (`POST /complaints`) per IP per 5 minutes before WAF answers 429. */
  wafIntakeRateLimit: number;
  /** Custom domain (regional certificate in the stack's region). */
  domain?: { domainName: string; certificateArn: string };
}

/** Stage name; part of the execute-api URL when no custom domain is set. */
export const STAGE_NAME = 'live';

export { BINARY_MEDIA_TYPES };

/**
 * The public HTTP API: a REST API whose routes all go to the one api function.
 * Throttled per stage, access-logged as JSON, traced, optionally behind WAF and a custom domain.
 */
export class RedressApi extends Construct {
  readonly restApi: apigw.RestApi;
  readonly accessLogs: logs.LogGroup;
  readonly webAcl?: wafv2.CfnWebACL;
  /** The address residents and officers use (custom domain, else the execute-api stage URL), no trailing slash. */
  readonly publicUrl: string;
  /**
   * Path prefix of every page on the public host: `''` behind a custom domain, `/live` on the
   * execute-api URL (whose stage is part of the path).
   */
  readonly basePath: string;
  /** The custom domain, when one is configured (its DNS target is `domainNameAliasDomainName`). */
  readonly customDomain?: apigw.DomainName;

  constructor(scope: Construct, id: string, props: RedressApiProps) {
    super(scope, id);
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.restApi = new apigw.RestApi(this, 'RestApi', {
      restApiName: 'redress',
      description: 'Redress: complaints and feedback (resident form, officer tasks, reports)',
      endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
      binaryMediaTypes: BINARY_MEDIA_TYPES,
      // Pages and JSON above 1 KiB are gzipped for clients that accept it.
      minCompressionSize: Size.kibibytes(1),
      // API Gateway needs the account-level CloudWatch role to write access and execution logs.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      disableExecuteApiEndpoint: false,
      deployOptions: {
        stageName: STAGE_NAME,
        throttlingRateLimit: props.throttleRate,
        throttlingBurstLimit: props.throttleBurst,
        tracingEnabled: true,
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        // Request and response bodies name residents: never log them.
        dataTraceEnabled: false,
        metricsEnabled: true,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields({
          caller: false,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: false,
        }),
      },
    });

    const integration = new apigw.LambdaIntegration(props.handler, { allowTestInvoke: false });
    const root = this.restApi.root;
    const methods: apigw.Method[] = [];
    const on = (resource: apigw.IResource, verb: string, options?: apigw.MethodOptions) => {
      methods.push(resource.addMethod(verb, integration, options));
    };

    on(root, 'GET');
    on(root.addResource('health'), 'GET');
    const complaints = root.addResource('complaints');
    on(complaints, 'POST');
    // Post/Redirect/Get: the confirmation a form post redirects to.
    on(complaints.addResource('received'), 'GET');
    on(root.addResource('privacy'), 'GET');
    // "Check your complaint": the request for a link, the link, the resident's session pages.
    const check = root.addResource('check');
    on(check, 'GET');
    on(check, 'POST');
    const checkPages = check.addResource('{page+}');
    on(checkPages, 'GET');
    on(checkPages, 'POST');
    const task = root.addResource('tasks').addResource('{token}');
    on(task, 'GET');
    on(task, 'POST');
    // Post/Redirect/Get: the outcome a decision's post redirects to.
    on(task.addResource('done'), 'GET');
    // Evidence: the page, a presigned upload per file, the check after S3's redirect back.
    const evidence = complaints.addResource('{reference}').addResource('evidence');
    on(evidence, 'GET');
    on(evidence, 'POST');
    const evidenceFile = evidence.addResource('{file+}');
    on(evidenceFile, 'GET');
    on(evidenceFile, 'POST');
    // Equality monitoring: the optional questions and the thanks after them.
    const equality = root.addResource('equality').addResource('{token}');
    on(equality, 'GET');
    on(equality, 'POST');
    const caseFile = root.addResource('cases').addResource('{reference}');
    on(caseFile, 'GET');
    // A printed letter's PDF, from the case link in the print-and-post email.
    on(caseFile.addResource('letters').addResource('{letter}'), 'GET');
    const reports = root.addResource('reports');
    on(reports, 'GET');
    on(reports.addResource('performance'), 'GET', {
      requestParameters: {
        'method.request.querystring.from': true,
        'method.request.querystring.to': true,
      },
      requestValidator: new apigw.RequestValidator(this, 'QueryValidator', {
        restApi: this.restApi,
        requestValidatorName: 'parameters-and-body',
        // Required query parameters are checked at the edge. Bodies are checked by the function
        // (one message per field); this GET has no body model, so nothing else changes.
        validateRequestParameters: true,
        validateRequestBody: true,
      }),
    });
    on(reports.addResource('{report+}'), 'GET');
    on(root.addResource('assets').addResource('{path+}'), 'GET');
    // Asked for by every browser after a page: answered with no icon (204), not the gateway's 404.
    on(root.addResource('favicon.ico'), 'GET');
    // The staff workspace: its pages and forms (sign-in is checked by the function on every request).
    const staff = root.addResource('staff');
    on(staff, 'GET');
    const staffPages = staff.addResource('{page+}');
    on(staffPages, 'GET');
    on(staffPages, 'POST');

    this.basePath = props.domain ? '' : `/${STAGE_NAME}`;
    // What API Gateway answers itself (a body over Lambda's 6 MB, the throttle, an unknown
    // address, a function that timed out): the council's words, a page or JSON by `Accept`, with
    // links that start at the public address's base path.
    for (const response of gatewayResponses(props.policy, { basePath: this.basePath })) {
      this.restApi.addGatewayResponse(`Gateway${response.type}`, {
        type: apigw.ResponseType.of(response.type),
        ...(response.statusCode ? { statusCode: String(response.statusCode) } : {}),
        // Header values are literals in single quotes (else API Gateway reads them as mappings).
        responseHeaders: Object.fromEntries(
          Object.entries({ 'Cache-Control': 'no-store', ...response.headers }).map(([name, value]) => [
            name,
            `'${value}'`,
          ]),
        ),
        // In TEMPLATE_TYPES order: API Gateway falls back to the first (see templateFor).
        templates: Object.fromEntries(TEMPLATE_TYPES.map((type) => [type, response.templates[type]])),
      });
    }

    // Residents are anonymous members of the public; officers act through signed, expiring,
    // single-use links the function verifies. There is no user pool to check.
    for (const method of methods) {
      const reason =
        'Public service: residents submit feedback without an account, and officer pages are ' +
        'authorised by the HMAC-signed, expiring, single-use link the function verifies.';
      Validations.of(method).acknowledge({ id: 'AwsSolutions-APIG4', reason });
      Validations.of(method).acknowledge({ id: 'AwsSolutions-COG4', reason });
    }

    Validations.of(this.restApi).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason: 'The AWS managed policy API Gateway documents for its account-level logging role.',
    });

    if (props.wafEnabled) {
      this.webAcl = this.firewall(props.wafRateLimit, props.wafIntakeRateLimit, props.policy);
      new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
        resourceArn: this.restApi.deploymentStage.stageArn,
        webAclArn: this.webAcl.attrArn,
      });
    } else {
      Validations.of(this.restApi.deploymentStage).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason:
          'WAF is on by default; turned off here (redress:wafEnabled=false) because the council ' +
          'fronts the service with its own WAF or CDN. The stage is still throttled and intake limits per sender.',
      });
    }

    if (props.domain) {
      this.customDomain = this.restApi.addDomainName('Domain', {
        domainName: props.domain.domainName,
        certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
        endpointType: apigw.EndpointType.REGIONAL,
        securityPolicy: apigw.SecurityPolicy.TLS_1_2,
      });
      this.publicUrl = `https://${props.domain.domainName}`;
    } else {
      // Links are built as `${publicUrl}/tasks/...`: no trailing slash.
      const region = Stack.of(this).region;
      this.publicUrl = `https://${this.restApi.restApiId}.execute-api.${region}.${Aws.URL_SUFFIX}/${STAGE_NAME}`;
    }
  }

  private firewall(rateLimit: number, intakeRateLimit: number, policy: Policy): wafv2.CfnWebACL {
    /** Blocked by a rate rule: 429 with a page that says what to do, not WAF's bare 403. */
    const tooMany: wafv2.CfnWebACL.RuleActionProperty = {
      block: {
        customResponse: {
          responseCode: 429,
          customResponseBodyKey: 'too-many-requests',
          responseHeaders: [{ name: 'Retry-After', value: String(FIREWALL_RETRY_AFTER_SECONDS) }],
        },
      },
    };
    const managed = (
      name: string,
      priority: number,
      overrides: string[] = [],
    ): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          ruleActionOverrides: overrides.map((rule) => ({ name: rule, actionToUse: { count: {} } })),
        },
      },
      visibilityConfig: { sampledRequestsEnabled: true, cloudWatchMetricsEnabled: true, metricName: name },
    });
    return new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      customResponseBodies: {
        // The council's page, in its languages, as API Gateway's own answers are.
        'too-many-requests': {
          contentType: 'TEXT_HTML',
          content: firewallPage(policy, { basePath: this.basePath }),
        },
      },
      visibilityConfig: {
        sampledRequestsEnabled: true,
        cloudWatchMetricsEnabled: true,
        metricName: 'redress',
      },
      rules: [
        // A complaint's own words can exceed the rule set's 8 KB body limit; the function
        // enforces its own size limit (413), so that one rule only counts.
        managed('AWSManagedRulesCommonRuleSet', 0, ['SizeRestrictions_BODY']),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 1),
        managed('AWSManagedRulesAmazonIpReputationList', 2),
        {
          // Sending feedback is rarer than reading pages: a tighter limit on POST /complaints
          // and POST /check, before the function's own limits per email address and per client.
          name: 'IntakeRateLimitPerIp',
          priority: 3,
          action: tooMany,
          statement: {
            rateBasedStatement: {
              limit: intakeRateLimit,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                andStatement: {
                  statements: [
                    {
                      byteMatchStatement: {
                        fieldToMatch: { method: {} },
                        positionalConstraint: 'EXACTLY',
                        searchString: 'POST',
                        textTransformations: [{ priority: 0, type: 'NONE' }],
                      },
                    },
                    {
                      // The public posts that make us send an email: feedback, and a request
                      // for a link to check a complaint.
                      orStatement: {
                        statements: ['/complaints', '/check'].map((path) => ({
                          byteMatchStatement: {
                            fieldToMatch: { uriPath: {} },
                            positionalConstraint: 'ENDS_WITH',
                            searchString: path,
                            textTransformations: [
                              { priority: 0, type: 'URL_DECODE' },
                              { priority: 1, type: 'LOWERCASE' },
                            ],
                          },
                        })),
                      },
                    },
                  ],
                },
              },
            },
          },
          visibilityConfig: {
            sampledRequestsEnabled: true,
            cloudWatchMetricsEnabled: true,
            metricName: 'IntakeRateLimitPerIp',
          },
        },
        {
          name: 'RateLimitPerIp',
          priority: 4,
          action: tooMany,
          statement: { rateBasedStatement: { limit: rateLimit, aggregateKeyType: 'IP' } },
          visibilityConfig: {
            sampledRequestsEnabled: true,
            cloudWatchMetricsEnabled: true,
            metricName: 'RateLimitPerIp',
          },
        },
      ],
    });
  }
}
