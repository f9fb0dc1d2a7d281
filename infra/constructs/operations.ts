import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  CASES_WITHOUT_WORKFLOW_METRIC,
  DEADLINES_BREACHED_METRIC,
  METRICS_NAMESPACE,
  WORKFLOWS_REDRIVEN_METRIC,
  WORKFLOWS_STARTED_METRIC,
} from '../../functions/observability.js';

/**
 * When the hold review reminder runs: 06:00 UTC every day, before the working day in London
 * (6 or 7 a.m.), so a review date's reminder is in the mailbox on the morning of that date.
 */
export const HOLD_REVIEWS_SCHEDULE = { minute: '0', hour: '6' } as const;

/** How often the reconciler checks that every open case has a running workflow. */
export const RECONCILE_EVERY = Duration.minutes(15);

export interface OperationsProps {
  /** The stack's data key (`DataKey`); without one, a key of its own. */
  key?: kms.Key;
  stateMachines: Record<string, sfn.StateMachine>;
  /** Every function, by short name. */
  functions: Record<string, lambda.IFunction>;
  /** Every dead-letter queue, by what it holds. */
  deadLetterQueues: Record<string, sqs.IQueue>;
  stage: apigw.Stage;
  /** Who is emailed when an alarm fires; without it the topic has no subscriber yet. */
  alarmEmail?: string;
  monthlyReport: { fn: lambda.IFunction; deadLetterQueue: sqs.IQueue };
  /** The reconciler, run every `RECONCILE_EVERY`. */
  reconciler: { fn: lambda.IFunction; deadLetterQueue: sqs.IQueue };
  /** The hold review reminder, run every morning (`HOLD_REVIEWS_SCHEDULE`). */
  holdReviews: { fn: lambda.IFunction; deadLetterQueue: sqs.IQueue };
}

/**
 * What the ops engineer watches: alarms (to an SNS topic with an email subscription) for failed
 * and timed-out executions, anything in a dead-letter queue, breached deadlines, open cases
 * without a running workflow and API 5xx; a dashboard; and the schedules of the monthly report,
 * the reconciler and the hold review reminder.
 *
 * Alarms worth their price ($0.10 a month each): one per thing a person must act on. A function's
 * errors and throttles have no alarms of their own (they were 30 of 56): a step's failure the
 * workflow's retries do not absorb fails its execution (alarmed), the api's shows as 5xx
 * (alarmed), and every other function's lands in a dead-letter queue (alarmed); the dashboard
 * still draws them. Nor do aborted executions: only a person stops one, and knows.
 */
export class Operations extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;
  readonly monthlySchedule: events.Rule;
  readonly reconcileSchedule: events.Rule;
  readonly holdReviewsSchedule: events.Rule;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);

    const key =
      props.key ??
      new kms.Key(this, 'AlarmsKey', {
        description: 'Redress alarm notifications',
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.DESTROY,
      });
    // CloudWatch publishes alarm notifications to the encrypted topic.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    this.alarmTopic = new sns.Topic(this, 'Alarms', {
      displayName: 'Redress alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (props.alarmEmail) {
      const subscription = new sns.Subscription(this, 'AlarmEmail', {
        topic: this.alarmTopic,
        protocol: sns.SubscriptionProtocol.EMAIL,
        endpoint: props.alarmEmail,
      });
      Validations.of(subscription).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'An alarm email that cannot be delivered loses nothing: the alarm stays in ALARM on the dashboard ' +
          'and in the CloudWatch console, and a dead-letter queue for it would need an alarm of its own.',
      });
    }

    const alarmAction = new actions.SnsAction(this.alarmTopic);
    const alarm = (cid: string, metric: cloudwatch.IMetric, description: string) => {
      const a = new cloudwatch.Alarm(this, cid, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(alarmAction);
      this.alarms.push(a);
      return a;
    };
    const fiveMinutes = { period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM };

    for (const [name, machine] of Object.entries(props.stateMachines)) {
      const id = pascal(name);
      alarm(
        `${id}ExecutionsFailed`,
        machine.metricFailed(fiveMinutes),
        `A ${name} case's workflow failed: see its execution history.`,
      );
      alarm(
        `${id}ExecutionsTimedOut`,
        machine.metricTimedOut(fiveMinutes),
        `A ${name} case's workflow timed out.`,
      );
    }
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(
        `${pascal(name)}DeadLetters`,
        queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        `Messages are waiting in the ${name} dead-letter queue: they were not processed.`,
      );
    }
    const breached = new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: DEADLINES_BREACHED_METRIC,
      ...fiveMinutes,
    });
    alarm(
      'DeadlinesBreached',
      breached,
      'A complaint deadline passed without the officer acting: the manager was told.',
    );
    // The reconciler publishes the count on every run, 0 included: the alarm fires for a run that
    // found any open case without a running workflow and clears after a run that found none.
    const reconcilerPeriod = { period: RECONCILE_EVERY, statistic: cloudwatch.Stats.MAXIMUM };
    const withoutWorkflow = new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: CASES_WITHOUT_WORKFLOW_METRIC,
      ...reconcilerPeriod,
    });
    alarm(
      'CasesWithoutWorkflow',
      withoutWorkflow,
      'The reconciler found open cases without a running workflow: it started or redrove what it could and ' +
        'emailed the complaints team the cases that need a person.',
    );
    const serverErrors = props.stage.metricServerError(fiveMinutes);
    alarm('Api5xx', serverErrors, 'The API answered with server errors (5xx).');

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-operations`,
      defaultInterval: Duration.days(7),
    });
    const machines = Object.entries(props.stateMachines);
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Cases started and finished',
        left: machines.flatMap(([name, m]) => [
          m.metricStarted({ ...fiveMinutes, label: `${name} started` }),
          m.metricSucceeded({ ...fiveMinutes, label: `${name} succeeded` }),
        ]),
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Executions failed, timed out, aborted',
        left: machines.flatMap(([name, m]) => [
          m.metricFailed({ ...fiveMinutes, label: `${name} failed` }),
          m.metricTimedOut({ ...fiveMinutes, label: `${name} timed out` }),
          m.metricAborted({ ...fiveMinutes, label: `${name} aborted` }),
        ]),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'API latency (ms)',
        left: [
          props.stage.metricLatency({
            period: Duration.minutes(5),
            statistic: cloudwatch.Stats.p(50),
            label: 'p50',
          }),
          props.stage.metricLatency({
            period: Duration.minutes(5),
            statistic: cloudwatch.Stats.p(99),
            label: 'p99',
          }),
        ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'API errors',
        left: [
          props.stage.metricClientError({ ...fiveMinutes, label: '4xx' }),
          props.stage.metricServerError({ ...fiveMinutes, label: '5xx' }),
        ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({ title: 'Deadlines breached', left: [breached], width: 8 }),
    );
    const fns = Object.entries(props.functions);
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Lambda errors and throttles',
        left: fns.map(([name, fn]) => fn.metricErrors({ ...fiveMinutes, label: `${name} errors` })),
        right: fns.map(([name, fn]) => fn.metricThrottles({ ...fiveMinutes, label: `${name} throttles` })),
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queues',
        left: Object.entries(props.deadLetterQueues).map(([name, q]) =>
          q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), label: name }),
        ),
        width: 12,
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }),
    );
    const reconcilerSum = { period: RECONCILE_EVERY, statistic: cloudwatch.Stats.SUM };
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Open cases without a running workflow, and what the reconciler did',
        left: [
          withoutWorkflow.with({ label: 'found without a workflow' }),
          new cloudwatch.Metric({
            namespace: METRICS_NAMESPACE,
            metricName: WORKFLOWS_STARTED_METRIC,
            label: 'started',
            ...reconcilerSum,
          }),
          new cloudwatch.Metric({
            namespace: METRICS_NAMESPACE,
            metricName: WORKFLOWS_REDRIVEN_METRIC,
            label: 'redriven',
            ...reconcilerSum,
          }),
        ],
        width: 24,
      }),
    );

    // The monthly performance report (the Code: learning and reporting), at 07:00 UTC on the 1st.
    this.monthlySchedule = new events.Rule(this, 'MonthlyReport', {
      description: 'Redress: monthly complaints performance report',
      schedule: events.Schedule.cron({ minute: '0', hour: '7', day: '1' }),
      targets: [
        new targets.LambdaFunction(props.monthlyReport.fn, {
          deadLetterQueue: props.monthlyReport.deadLetterQueue,
          retryAttempts: 2,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });

    // The backstop behind the table's stream: every open case has a running workflow.
    this.reconcileSchedule = new events.Rule(this, 'Reconcile', {
      description: 'Redress: start or redrive the workflow of any open case that has none running',
      schedule: events.Schedule.rate(RECONCILE_EVERY),
      targets: [
        new targets.LambdaFunction(props.reconciler.fn, {
          deadLetterQueue: props.reconciler.deadLetterQueue,
          retryAttempts: 2,
          // A run older than this is overtaken by the next one.
          maxEventAge: RECONCILE_EVERY,
        }),
      ],
    });

    // Legal holds whose review date has come (UK GDPR storage limitation): one email a review date.
    this.holdReviewsSchedule = new events.Rule(this, 'HoldReviews', {
      description: 'Redress: remind the complaints team of legal holds due for review',
      schedule: events.Schedule.cron(HOLD_REVIEWS_SCHEDULE),
      targets: [
        new targets.LambdaFunction(props.holdReviews.fn, {
          deadLetterQueue: props.holdReviews.deadLetterQueue,
          retryAttempts: 2,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
  }
}

function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}
