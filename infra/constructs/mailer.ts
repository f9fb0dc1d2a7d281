import { Aws, Duration, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EMAIL_EVENTS_DELIVERY } from '../email-events.js';
import { acknowledgeOnRolePolicy } from './nag.js';

export interface MailerProps {
  /** The sender address on every email. */
  mailFrom: string;
  /** Verify this whole domain (DKIM records to publish); otherwise the single address is verified. */
  mailDomain?: string;
  /** The stack's data key (`DataKey`); without one, a key of its own. */
  key?: kms.Key;
}

/** Environment variables through which handlers find the sender and configuration set. */
export const MAIL_FROM_ENV = 'MAIL_FROM';
export const MAIL_CONFIGURATION_SET_ENV = 'MAIL_CONFIGURATION_SET';
/**
 * Environment variable: `true` where the deployment lets Redress remove addresses from SES's
 * account-level suppression list (`redress:forgetSuppressedAddresses`); set with the permission.
 */
export const FORGET_SUPPRESSED_ADDRESSES_ENV = 'FORGET_SUPPRESSED_ADDRESSES';

/**
 * Email through SES: a verified identity for the sender, a configuration set whose bounce,
 * complaint, rejection and delivery events go to an encrypted SNS topic and on to a queue, from
 * which the `ses-events` function records them on the case (`deliverEventsTo`).
 */
export class Mailer extends Construct {
  readonly identity: ses.EmailIdentity;
  readonly configurationSet: ses.ConfigurationSet;
  readonly events: sns.Topic;
  /** Where SNS parks events it could not deliver to the function. */
  readonly deliveryDeadLetters: sqs.Queue;
  readonly identityName: string;
  readonly mailFrom: string;

  constructor(scope: Construct, id: string, props: MailerProps) {
    super(scope, id);
    this.mailFrom = props.mailFrom;
    this.identityName = props.mailDomain ?? props.mailFrom;

    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      // Emails carry personal data: never fall back to an unencrypted hop.
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });

    this.identity = new ses.EmailIdentity(this, 'Identity', {
      identity: props.mailDomain ? ses.Identity.domain(props.mailDomain) : ses.Identity.email(props.mailFrom),
      configurationSet: this.configurationSet,
    });

    const key =
      props.key ??
      new kms.Key(this, 'EventsKey', {
        description: 'Redress: SES delivery events (they name recipients)',
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.DESTROY,
      });
    // SES publishes to the encrypted topic, so it must be able to use the key.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSesToPublishEncryptedEvents',
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    this.events = new sns.Topic(this, 'Events', {
      displayName: 'Redress email events',
      masterKey: key,
      enforceSSL: true,
    });
    this.configurationSet.addEventDestination('ToTopic', {
      destination: ses.EventDestination.snsTopic(this.events),
      // Only the events the ses-events function records (`functions/app/mail-events.ts`): each
      // costs an SNS publish, three queue requests and an invocation. A Delivery event follows
      // nearly every email, and was published, queued and ignored.
      events: [
        // SEND confirms an email whose step died before recording it (functions/app/effects.ts).
        ses.EmailSendingEvent.SEND,
        ses.EmailSendingEvent.BOUNCE,
        ses.EmailSendingEvent.COMPLAINT,
      ],
    });

    this.deliveryDeadLetters = new sqs.Queue(this, 'EventsDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeDeadLetterQueue(
      this.deliveryDeadLetters,
      'email events SNS could not deliver to their queue, or the ses-events function failed to record',
      {
        // cdk-nag recognises a Lambda function's dead-letter queue, not an SNS subscription's.
        alsoSqs3: true,
      },
    );
  }

  /**
   * Sends every email event to the function through a queue that keeps it until the function has
   * recorded it (`EMAIL_EVENTS_DELIVERY`): an event whose recording fails (the case table is down)
   * is delivered again every few minutes, for about two days, and then goes to the dead-letter
   * queue. Handed to the function straight from the topic, it was retried twice and lost.
   */
  deliverEventsTo(fn: lambda.IFunction): sqs.Queue {
    const { redeliverAfterSeconds, deliveries, batchSize } = EMAIL_EVENTS_DELIVERY;
    const queue = new sqs.Queue(this, 'EventsQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(redeliverAfterSeconds),
      // Longer than the deliveries take, so none is dropped before it reaches the dead-letter queue.
      retentionPeriod: Duration.days(14),
      deadLetterQueue: { queue: this.deliveryDeadLetters, maxReceiveCount: deliveries },
    });
    this.events.addSubscription(
      new subscriptions.SqsSubscription(queue, {
        rawMessageDelivery: true,
        deadLetterQueue: this.deliveryDeadLetters,
      }),
    );
    const source = new sources.SqsEventSource(queue, { batchSize, reportBatchItemFailures: true });
    fn.addEventSource(source);
    const mapping = fn.node.tryFindChild(`SqsEventSource:${Names.nodeUniqueId(queue.node)}`);
    if (mapping) {
      Validations.of(mapping).acknowledge({
        id: 'Serverless::Serverless-LambdaEventSourceMappingDestination',
        reason:
          'A queue’s event source mapping takes no on-failure destination: the queue itself sends an ' +
          'event the function keeps failing to record to its dead-letter queue (its redrive policy).',
      });
    }
    return queue;
  }

  /**
   * Lets a function send email from the verified identity through the configuration set only,
   * and tells it the sender and configuration set.
   */
  grantSend(fn: lambda.Function): void {
    const stack = Stack.of(this);
    fn.addEnvironment(MAIL_FROM_ENV, this.mailFrom);
    fn.addEnvironment(MAIL_CONFIGURATION_SET_ENV, this.configurationSet.configurationSetName);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'SendEmail',
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [
          stack.formatArn({ service: 'ses', resource: 'identity', resourceName: this.identityName }),
          stack.formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: this.configurationSet.configurationSetName,
          }),
        ],
      }),
    );
  }

  /**
   * Lets a function remove an address from the account's suppression list, where the
   * configuration set puts one that bounced or complained, and tells it it may: an erasure, or the
   * end of a case's retention, removes the resident's. Only where the deployment says so
   * (`redress:forgetSuppressedAddresses`): the list is the whole account's.
   */
  grantForgetAddresses(fn: lambda.Function): void {
    fn.addEnvironment(FORGET_SUPPRESSED_ADDRESSES_ENV, 'true');
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ForgetSuppressedAddresses',
        actions: ['ses:DeleteSuppressedDestination'],
        resources: ['*'],
      }),
    );
    acknowledgeOnRolePolicy(
      fn.role,
      'AwsSolutions-IAM5[Resource::*]',
      'The SES suppression list is one per account: DeleteSuppressedDestination takes no resource-level permission.',
    );
  }
}

/**
 * A dead-letter queue is the end of the line: it has no queue of its own (AwsSolutions-SQS3,
 * Serverless-SQSRedrivePolicy), by design.
 */
export function acknowledgeDeadLetterQueue(
  queue: sqs.Queue,
  holds: string,
  options: { alsoSqs3?: boolean } = {},
): void {
  const reason = `This queue is itself a dead-letter queue (it holds ${holds}); an alarm watches its depth.`;
  if (options.alsoSqs3) Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason });
  Validations.of(queue).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason });
}
