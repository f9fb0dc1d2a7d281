import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

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
 * Email through SES: a verified identity for the sender, a configuration set whose bounce,
 * complaint, rejection and delivery events go to an encrypted SNS topic, from which the
 * `ses-events` function records them on the case.
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
      events: [
        // SEND confirms an email whose step died before recording it (functions/app/effects.ts).
        ses.EmailSendingEvent.SEND,
        ses.EmailSendingEvent.BOUNCE,
        ses.EmailSendingEvent.COMPLAINT,
        ses.EmailSendingEvent.REJECT,
        ses.EmailSendingEvent.DELIVERY,
        ses.EmailSendingEvent.DELIVERY_DELAY,
        ses.EmailSendingEvent.RENDERING_FAILURE,
      ],
    });

    this.deliveryDeadLetters = new sqs.Queue(this, 'EventsDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeDeadLetterQueue(
      this.deliveryDeadLetters,
      'email events SNS could not deliver to the ses-events function',
      {
        // cdk-nag recognises a Lambda function's dead-letter queue, not an SNS subscription's.
        alsoSqs3: true,
      },
    );
  }

  /** Sends every email event to the function (with a dead-letter queue for what fails). */
  deliverEventsTo(fn: lambda.IFunction): void {
    this.events.addSubscription(
      new subscriptions.LambdaSubscription(fn, { deadLetterQueue: this.deliveryDeadLetters }),
    );
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
