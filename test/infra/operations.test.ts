import type { CfnElement } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CASE_TABLE_ENV } from '../../infra/constructs/case-store.js';
import { PUBLIC_BASE_URL_ENV } from '../../infra/constructs/functions.js';
import { MAIL_CONFIGURATION_SET_ENV, MAIL_FROM_ENV } from '../../infra/constructs/mailer.js';
import type { RedressStack } from '../../infra/stack.js';
import { WORKFLOWS } from '../../workflows/catalog.js';
import { type Resource, synthRedress } from './synth.js';

type Alarm = Resource;

describe('operations', () => {
  let stack: RedressStack;
  let template: Template;
  beforeAll(() => {
    ({ stack, template } = synthRedress({ 'redress:alarmEmail': 'ops@example.gov.uk' }));
  });

  const alarms = () => Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Alarm[];
  const topicId = () => stack.getLogicalId(stack.operations.alarmTopic.node.defaultChild as CfnElement);

  function alarmsOn(metricName: string, dimension?: [string, unknown]): Alarm[] {
    return alarms().filter(
      (a) =>
        a.Properties.MetricName === metricName &&
        (!dimension ||
          (a.Properties.Dimensions as { Name: string; Value: unknown }[]).some(
            (d) => d.Name === dimension[0] && JSON.stringify(d.Value) === JSON.stringify(dimension[1]),
          )),
    );
  }

  it('alarms on failed and timed-out executions of every workflow, not on those a person stopped', () => {
    for (const name of WORKFLOWS) {
      const machine = {
        Ref: stack.getLogicalId(stack.workflows.stateMachines[name].node.defaultChild as CfnElement),
      };
      expect(alarmsOn('ExecutionsAborted', ['StateMachineArn', machine])).toEqual([]);
      for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
        expect([name, metric, alarmsOn(metric, ['StateMachineArn', machine]).length]).toEqual([
          name,
          metric,
          1,
        ]);
      }
    }
  });

  it('leaves no function whose failure reaches no alarm, without an alarm per function', () => {
    const id = (c: { node: { defaultChild?: unknown } }) =>
      stack.getLogicalId(c.node.defaultChild as CfnElement);
    const watchedQueues = new Set(
      alarmsOn('ApproximateNumberOfMessagesVisible').map(
        (a) =>
          (a.Properties.Dimensions as { Value: { 'Fn::GetAtt': string[] } }[])[0]?.Value['Fn::GetAtt'][0],
      ),
    );
    const streamQueues: Record<string, unknown> = {
      'start-workflows': stack.caseStore.newCasesDeadLetters,
      'case-changes': stack.caseStore.caseChangesDeadLetters,
    };
    const steps = new Set(Object.values(stack.functions.steps));
    for (const f of stack.functions.all()) {
      const reachedBy = steps.has(f)
        ? 'its execution failing' // every workflow's ExecutionsFailed is alarmed (above)
        : f === stack.functions.api
          ? 'API 5xx' // the stage's 5XXError, alarmed (below)
          : f.deadLetterQueue && watchedQueues.has(id(f.deadLetterQueue))
            ? 'its dead-letter queue'
            : streamQueues[f.shortName] && watchedQueues.has(id(streamQueues[f.shortName] as never))
              ? 'its stream’s on-failure queue'
              : f === stack.functions.sesEvents && watchedQueues.has(id(stack.mailer.deliveryDeadLetters))
                ? 'its queue’s dead-letter queue'
                : 'nothing';
      expect([f.shortName, reachedBy]).not.toEqual([f.shortName, 'nothing']);
      const fn = { Ref: id(f.fn) };
      expect(alarmsOn('Errors', ['FunctionName', fn])).toEqual([]);
      expect(alarmsOn('Throttles', ['FunctionName', fn])).toEqual([]);
    }
    expect(alarmsOn('5XXError').length).toBe(1);
  });

  it('alarms when anything lands in a dead-letter queue', () => {
    // Every queue but the one email events wait in until they are recorded, which is no dead end.
    const working = stack.getLogicalId(stack.functions.sesEventsQueue.node.defaultChild as CfnElement);
    const queues = Object.keys(template.findResources('AWS::SQS::Queue')).filter((q) => q !== working);

    const watched = alarmsOn('ApproximateNumberOfMessagesVisible').map(
      (a) => (a.Properties.Dimensions as { Value: { 'Fn::GetAtt': string[] } }[])[0]?.Value['Fn::GetAtt'][0],
    );
    expect(watched.sort()).toEqual(queues.sort());
  });

  it('alarms on breached deadlines and on API server errors', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Redress',
      MetricName: 'DeadlinesBreached',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5XXError',
    });
  });

  it('alarms while the reconciler finds any open case without a running workflow', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Redress',
      MetricName: 'CasesWithoutWorkflow',
      Statistic: 'Maximum',
      Period: 900,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(alarmsOn('CasesWithoutWorkflow')[0]?.Properties.Dimensions).toBeUndefined();
  });

  it('runs the reconciler every 15 minutes, with retries and a dead-letter queue', () => {
    const fn = stack.getLogicalId(stack.functions.reconcile.fn.node.defaultChild as CfnElement);

    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [fn, 'Arn'] },
          DeadLetterConfig: { Arn: Match.anyValue() },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 900 }),
        }),
      ],
    });
  });

  it('sends every alarm to the alarm topic, which emails the configured address', () => {
    for (const alarm of alarms()) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId() }]);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.gov.uk',
      TopicArn: { Ref: topicId() },
    });
  });

  it('draws a dashboard with executions, API latency and the alarms', () => {
    const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0] as Alarm;
    const body = JSON.stringify(dashboard.Properties.DashboardBody);

    for (const metric of [
      'ExecutionsStarted',
      'ExecutionsSucceeded',
      'Latency',
      'DeadlinesBreached',
      'CasesWithoutWorkflow',
      'WorkflowsStarted',
      'WorkflowsRedriven',
    ]) {
      expect(body).toContain(metric);
    }
  });

  it('runs the hold review reminder every morning before the working day, with retries and a dead-letter queue', () => {
    const fn = stack.getLogicalId(stack.functions.holdReviews.fn.node.defaultChild as CfnElement);

    // 06:00 UTC is 6 or 7 a.m. in London: the reminder comes on the morning of the review date.
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 6 * * ? *)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [fn, 'Arn'] },
          DeadLetterConfig: { Arn: Match.anyValue() },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }),
        }),
      ],
    });
    // One run at a time, with the table and the mailer it needs.
    const props = template.toJSON().Resources[fn].Properties;
    expect(props.ReservedConcurrentExecutions).toBe(1);
    expect(Object.keys(props.Environment.Variables)).toEqual(
      expect.arrayContaining([
        CASE_TABLE_ENV,
        MAIL_FROM_ENV,
        MAIL_CONFIGURATION_SET_ENV,
        PUBLIC_BASE_URL_ENV,
      ]),
    );
  });

  it('runs the monthly report on the first of each month, with retries and a dead-letter queue', () => {
    const fn = stack.getLogicalId(stack.functions.monthlyReport.fn.node.defaultChild as CfnElement);

    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 7 1 * ? *)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [fn, 'Arn'] },
          DeadLetterConfig: { Arn: Match.anyValue() },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }),
        }),
      ],
    });
  });
});
