import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONFIRM_WINDOW_MS } from '../../functions/app/effects.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { EMAIL_EVENTS_DELIVERY } from '../../infra/email-events.js';
import type { RedressStack } from '../../infra/stack.js';
import { WORKFLOWS } from '../../workflows/catalog.js';
import { type Resource, synthRedress } from './synth.js';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: Record<string, unknown> };

let stack: RedressStack;
let template: Template;
let outdir: string;

beforeAll(() => {
  ({ stack, template, outdir } = synthRedress({ 'redress:complaintsTeam': 'team@example.gov.uk' }));
});

function logicalId(element: unknown): string {
  return stack.getLogicalId(element as CfnElement);
}

/** The deployed function with this short name. */
function fnNamed(name: string) {
  const found = stack.functions.all().find((f) => f.shortName === name);
  if (!found) throw new Error(`no function ${name}`);
  return found;
}

function lambdaOf(name: string): Resource {
  return template.toJSON().Resources[logicalId(fnNamed(name).fn.node.defaultChild)] as Resource;
}

/** Every IAM statement attached to the function's role. */
function statementsOf(name: string): Statement[] {
  const roleId = logicalId(fnNamed(name).fn.role?.node.defaultChild);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Resource[];
  return policies
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

function actionsOf(name: string): Set<string> {
  return new Set(statementsOf(name).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
}

function resourcesFor(name: string, action: string): unknown[] {
  return statementsOf(name)
    .filter((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).includes(action))
    .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
}

/** Renders a CloudFormation string expression, with every reference shown as `{}`. */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'Fn::Join' in value) {
    const [sep, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    return parts.map(render).join(sep);
  }
  return '{}';
}

const ALL = [
  'route',
  'notify',
  'request-task',
  'clock',
  'escalate',
  'record',
  'archive',
  'api',
  'ses-events',
  'monthly-report',
  'start-workflows',
  'reconcile',
  'hold-reviews',
  'evidence-scan',
  'case-changes',
];

describe('the functions', () => {
  it('builds one function per step of the workflows plus the api, ses-events, monthly-report, start-workflows, reconcile, hold-reviews, evidence-scan and case-changes', () => {
    expect(
      stack.functions
        .all()
        .map((f) => f.shortName)
        .sort(),
    ).toEqual([...ALL].sort());
  });

  it.each(ALL)('runs %s on Node.js 24, ARM64, traced, with a retained log group', (name) => {
    const fn = lambdaOf(name);

    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: expect.objectContaining({
          POWERTOOLS_SERVICE_NAME: `redress-${name}`,
          // Lambda alone traces by default: the function does not load the tracer
          // (functions/observability.ts reads this), a sixth of a step's cold start.
          POWERTOOLS_TRACE_ENABLED: 'false',
          REDRESS_POLICY: '/var/task/redress-policy.json',
          CASE_TABLE: expect.anything(),
          PUBLIC_BASE_URL: expect.anything(),
        }),
      },
    });
    // Stacks are mapped to the source when read (functions/stack-traces.ts), not at every start.
    expect(fn.Properties.Environment.Variables.NODE_OPTIONS ?? '').not.toContain('--enable-source-maps');
    expect(fn.Properties.MemorySize).toBeGreaterThanOrEqual(128);
    expect(fn.Properties.Timeout).toBeGreaterThan(3);
    const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref as string;
    expect(template.toJSON().Resources[logGroupId].Properties.RetentionInDays).toBe(365);
  });

  it('turns X-Ray off in every function, and tells each not to load the tracer, when redress:functionTracing is false', () => {
    const untraced = synthRedress({ 'redress:functionTracing': 'false' }).template;
    // Redress's own: CDK's custom resources bring functions of their own.
    const functions = (Object.values(untraced.findResources('AWS::Lambda::Function')) as Resource[]).filter(
      (fn) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME,
    );

    expect(functions.length).toBe(ALL.length);
    for (const fn of functions) {
      expect(fn.Properties.TracingConfig).toBeUndefined();
      expect(fn.Properties.Environment.Variables.POWERTOOLS_TRACE_ENABLED).toBe('false');
    }
  });

  it('tells every function to load the tracer, with active tracing, when redress:functionTracing is true', () => {
    const withTracer = synthRedress({ 'redress:functionTracing': 'true' }).template;
    const functions = (Object.values(withTracer.findResources('AWS::Lambda::Function')) as Resource[]).filter(
      (fn) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME,
    );

    expect(functions.length).toBe(ALL.length);
    for (const fn of functions) {
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect(fn.Properties.Environment.Variables.POWERTOOLS_TRACE_ENABLED).toBe('true');
    }
  });

  it('gives a dead-letter queue, encrypted and TLS-only, to the asynchronously invoked functions only', () => {
    for (const name of ALL) {
      const hasDlq = Boolean(lambdaOf(name).Properties.DeadLetterConfig);
      expect([name, hasDlq]).toEqual([
        name,
        ['monthly-report', 'reconcile', 'hold-reviews', 'evidence-scan'].includes(name),
      ]);
    }
    const queues = Object.values(template.findResources('AWS::SQS::Queue')) as Resource[];
    for (const queue of queues) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    template.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      },
      queues.length,
    );
  });

  describe('least privilege', () => {
    type Row = {
      write: boolean;
      mail: boolean;
      secret: boolean;
      archive: boolean;
      start: boolean;
      answer: boolean;
      redrive: boolean;
    };
    const no: Row = {
      write: false,
      mail: false,
      secret: false,
      archive: false,
      start: false,
      answer: false,
      redrive: false,
    };
    const matrix: Record<string, Row> = {
      // Routing answers its callback state and, on the usual route, sends the receipt.
      // It reads the acknowledgement clock there too, which may hand the case to a fresh execution.
      route: { ...no, write: true, mail: true, secret: true, archive: true, start: true, answer: true },
      notify: { ...no, write: true, mail: true, secret: true, archive: true },
      'request-task': { ...no, write: true, mail: true, secret: true, answer: true },
      clock: { ...no, write: true, mail: true, secret: true, archive: true, start: true, answer: true },
      escalate: { ...no, write: true, mail: true, secret: true },
      record: { ...no, write: true },
      archive: { ...no, write: true, archive: true },
      api: { ...no, write: true, mail: true, secret: true, archive: true, start: true, answer: true },
      'ses-events': { ...no, write: true, mail: true },
      'monthly-report': { ...no, mail: true, secret: true },
      'start-workflows': { ...no, write: true, start: true },
      reconcile: { ...no, write: true, mail: true, secret: true, start: true, redrive: true },
      // Emails the holds due for review and records the reminder on each case: no signed links.
      'hold-reviews': { ...no, write: true, mail: true },
    };

    it.each(Object.entries(matrix))('grants %s exactly what its row of the matrix says', (name, row) => {
      const actions = actionsOf(name);

      expect({
        name,
        read: actions.has('dynamodb:Query') && actions.has('dynamodb:GetItem'),
        write: actions.has('dynamodb:PutItem'),
        mail: actions.has('ses:SendEmail'),
        secret: actions.has('secretsmanager:GetSecretValue'),
        archive: actions.has('s3:PutObject'),
        start: actions.has('states:StartExecution'),
        answer: actions.has('states:SendTaskSuccess'),
        redrive: actions.has('states:RedriveExecution'),
      }).toEqual({ name, read: true, ...row });
    });

    it('never grants a data action on every resource', () => {
      const wildcards: string[] = [];
      for (const name of ALL) {
        for (const statement of statementsOf(name)) {
          const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
          const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
          // ListStreams (which the stream's event source mapping uses) names no table, and SES's
          // suppression list is the account's own (an erasure removes an address): IAM takes only "*".
          const data = actions.filter(
            (a) =>
              /^(dynamodb|s3|ses|secretsmanager|states|kms|sqs):/.test(a) &&
              a !== 'dynamodb:ListStreams' &&
              a !== 'ses:DeleteSuppressedDestination',
          );
          if (data.length > 0 && resources.includes('*')) wildcards.push(`${name}: ${data.join(', ')}`);
        }
      }

      expect(wildcards).toEqual([]);
    });

    it('lets the archive function write, tag and delete case files under cases/ and evidence under evidence/ only', () => {
      for (const action of [
        's3:PutObject',
        's3:GetObject',
        's3:PutObjectTagging',
        's3:GetObjectTagging',
        // A case whose erasure began while the step wrote its file: the step deletes what it wrote.
        's3:DeleteObject',
        's3:DeleteObjectVersion',
      ]) {
        const resources = [...new Set(resourcesFor('archive', action).map(render))].sort();
        expect(resources, action).toEqual(['{}/cases/*', '{}/evidence/*']);
      }
    });

    it('lets the api answer and start only the Redress state machines (a reopened case’s fresh execution)', () => {
      const expected = WORKFLOWS.map((w) => expect.stringMatching(new RegExp(`:stateMachine:Redress-${w}$`)));

      expect(resourcesFor('api', 'states:StartExecution').map(render)).toEqual(expected);
      for (const action of ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat']) {
        expect(resourcesFor('api', action).map(render)).toEqual(expected);
      }
    });

    it('lets the workflow starter, the reconciler and the clock (a fresh execution) start only the Redress state machines', () => {
      const expected = WORKFLOWS.map((w) => expect.stringMatching(new RegExp(`:stateMachine:Redress-${w}$`)));

      for (const name of ['start-workflows', 'reconcile', 'clock']) {
        expect(resourcesFor(name, 'states:StartExecution').map(render)).toEqual(expected);
        expect(Object.keys(lambdaOf(name).Properties.Environment.Variables)).toContain('STATE_MACHINE_ARNS');
      }
    });

    it('lets the reconciler read and redrive the executions of the Redress state machines only', () => {
      const expected = WORKFLOWS.map((w) =>
        expect.stringMatching(new RegExp(`:execution:Redress-${w}:\\*$`)),
      );

      for (const action of ['states:DescribeExecution', 'states:RedriveExecution']) {
        expect(resourcesFor('reconcile', action).map(render)).toEqual(expected);
        expect(resourcesFor('start-workflows', action)).toEqual([]);
      }
    });

    it('tells the api every state machine’s ARN, named as deployed', () => {
      const map = JSON.parse(
        render(lambdaOf('api').Properties.Environment.Variables.STATE_MACHINE_ARNS).replaceAll('{}', 'x'),
      ) as Record<string, string>;
      const names = (
        Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as Resource[]
      ).map((m) => m.Properties.StateMachineName as string);

      expect(Object.keys(map).sort()).toEqual([...WORKFLOWS].sort());
      for (const [workflow, arn] of Object.entries(map)) {
        const name = arn.split(':stateMachine:')[1] as string;
        expect(names).toContain(name);
        expect(name).toBe(`Redress-${workflow}`);
      }
    });

    it('lets mailers send only from the verified identity through the configuration set', () => {
      for (const name of ['notify', 'request-task', 'escalate', 'monthly-report', 'ses-events', 'api']) {
        const resources = resourcesFor(name, 'ses:SendEmail').map(render);
        expect(resources).toEqual([
          expect.stringMatching(/:identity\/complaints@example\.gov\.uk$/),
          expect.stringMatching(/:configuration-set\/\{\}$/),
        ]);
        expect(lambdaOf(name).Properties.Environment.Variables).toMatchObject({
          MAIL_FROM: 'complaints@example.gov.uk',
          MAIL_CONFIGURATION_SET: { Ref: expect.any(String) },
          COMPLAINTS_TEAM: 'team@example.gov.uk',
        });
      }
    });

    it('gives every step function the archive and mailer names it is wired with, but no extra grant', () => {
      for (const name of ['route', 'notify', 'request-task', 'clock', 'escalate', 'record', 'archive']) {
        expect(Object.keys(lambdaOf(name).Properties.Environment.Variables)).toEqual(
          expect.arrayContaining(['ARCHIVE_BUCKET', 'MAIL_FROM', 'MAIL_CONFIGURATION_SET']),
        );
      }
      expect(actionsOf('record').has('s3:PutObject')).toBe(false);
      expect(actionsOf('record').has('ses:SendEmail')).toBe(false);
      expect('ARCHIVE_BUCKET' in lambdaOf('ses-events').Properties.Environment.Variables).toBe(false);
    });

    it('ships the validated policy, which loads back as the same policy', () => {
      const shipped = readdirSync(join(outdir, 'redress-policy'));

      expect(shipped).toHaveLength(1);
      expect(loadPolicy(join(outdir, 'redress-policy', shipped[0] as string))).toEqual(
        loadPolicy('lgsco-code-2024'),
      );
    });
  });

  it('tells the api where its views (as written and compiled), static files and GOV.UK Frontend are in the bundle', () => {
    expect(lambdaOf('api').Properties.Environment.Variables).toMatchObject({
      REDRESS_VIEWS_DIR: '/var/task/views',
      REDRESS_PRECOMPILED_VIEWS_DIR: '/var/task/views-compiled',
      REDRESS_STATIC_DIR: '/var/task/static',
      GOVUK_FRONTEND_DIR: '/var/task/govuk-frontend/dist',
    });
  });

  it('delivers SES events to ses-events through an encrypted topic and a queue that outlasts a table outage', () => {
    const queueId = logicalId(stack.functions.sesEventsQueue.node.defaultChild);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      Endpoint: { 'Fn::GetAtt': [queueId, 'Arn'] },
      RawMessageDelivery: true,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue() },
    });
    const { redeliverAfterSeconds, deliveries } = EMAIL_EVENTS_DELIVERY;
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: redeliverAfterSeconds,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: deliveries },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: logicalId(fnNamed('ses-events').fn.node.defaultChild) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    // An event not recorded is delivered again within the step's window for SES's word, after
    // the function has given up on it, for longer than a day.
    expect(redeliverAfterSeconds * 1000).toBeLessThan(CONFIRM_WINDOW_MS / 2);
    expect(redeliverAfterSeconds).toBeGreaterThanOrEqual(lambdaOf('ses-events').Properties.Timeout);
    expect(redeliverAfterSeconds * deliveries).toBeGreaterThan(36 * 3600);
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        Enabled: true,
        // What the function records, and nothing it would ignore (a Delivery event per email).
        MatchingEventTypes: ['send', 'bounce', 'complaint'],
        SnsDestination: Match.anyValue(),
      }),
    });
    for (const topic of Object.values(template.findResources('AWS::SNS::Topic')) as Resource[]) {
      expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    }
  });

  it('hands start-workflows the INSERTs of case items from the table’s stream, with retries, bisection and an on-failure queue', () => {
    const queue = logicalId(stack.caseStore.newCasesDeadLetters?.node.defaultChild);

    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(fnNamed('start-workflows').fn.node.defaultChild) },
      EventSourceArn: { 'Fn::GetAtt': [logicalId(stack.caseStore.table.node.defaultChild), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      FilterCriteria: {
        Filters: [
          { Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { Keys: { SK: { S: ['CASE'] } } } }) },
        ],
      },
      // A new case's workflow starts at once: its mapping does not wait to gather records.
      MaximumBatchingWindowInSeconds: Match.absent(),
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: Match.anyValue(),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
    });
    // Two readers of the stream, the most DynamoDB advises for a shard: more are throttled.
    const streamReaders = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter(
      (mapping) => JSON.stringify((mapping as Resource).Properties.EventSourceArn).includes('StreamArn'),
    );
    expect(streamReaders).toHaveLength(2);
    for (const action of ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator']) {
      expect(resourcesFor('start-workflows', action)).toContainEqual({
        'Fn::GetAtt': [logicalId(stack.caseStore.table.node.defaultChild), 'StreamArn'],
      });
    }
  });

  it('hands case-changes every change of a case item, with its own on-failure queue, and lets it write the counters and delete an expired case’s archive', () => {
    const queue = logicalId(stack.caseStore.caseChangesDeadLetters?.node.defaultChild);

    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(fnNamed('case-changes').fn.node.defaultChild) },
      EventSourceArn: { 'Fn::GetAtt': [logicalId(stack.caseStore.table.node.defaultChild), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      // Case items only (not their events, nor the counters' own items): removed, or changed by
      // anything but the steps' outbox alone.
      FilterCriteria: {
        Filters: [
          { Pattern: JSON.stringify({ eventName: ['REMOVE'], dynamodb: { Keys: { SK: { S: ['CASE'] } } } }) },
          {
            Pattern: JSON.stringify({
              dynamodb: {
                Keys: { SK: { S: ['CASE'] } },
                NewImage: { outboxOnly: { BOOL: [{ exists: false }] } },
              },
            }),
          },
        ],
      },
      // Changes gathered for a minute: a step's two or three, and the steps after it, in one
      // invocation; up to a hundred, so a campaign's rate takes a tenth of the invocations.
      MaximumBatchingWindowInSeconds: 60,
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
    });
    expect(lambdaOf('case-changes').Properties.Environment.Variables.ARCHIVE_BUCKET).toEqual(
      expect.anything(),
    );
    const actions = [...actionsOf('case-changes')];
    for (const action of [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:GetRecords',
      's3:DeleteObjectVersion',
    ]) {
      expect(actions).toContain(action);
    }
    expect(actions).not.toContain('ses:SendEmail');
    expect(actions).not.toContain('states:StartExecution');
  });

  it('generates the link-signing secret, encrypted with its own key', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
      KmsKeyId: Match.anyValue(),
    });
  });
});
