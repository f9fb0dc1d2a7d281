import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CASE_TABLE_DESIGN } from '../../functions/adapters/case-table.js';
import {
  COUNTED_CASE_BATCH_SIZE,
  COUNTED_CASE_BATCHING_WINDOW_SECONDS,
  COUNTED_CASE_FILTERS,
} from '../../functions/app/report-counting.js';
import { CASE_STREAM_VIEW_TYPE, NEW_CASE_FILTER } from '../../functions/app/workflow-starter.js';
import { acknowledgeDeadLetterQueue } from './mailer.js';
import { acknowledgeOnRolePolicy, arnRef } from './nag.js';

/**
 * Key and index names of the single case table, as the adapter defines them
 * (`functions/adapters/case-table.ts`, `CASE_TABLE_DESIGN`): one definition for the deployed
 * table, the local stand-in and the queries, so they cannot drift.
 */
export type CaseTableDesign = Pick<
  typeof CASE_TABLE_DESIGN,
  'partitionKey' | 'sortKey' | 'timeToLiveAttribute' | 'globalSecondaryIndexes'
>;

export interface CaseStoreProps {
  design?: CaseTableDesign;
  /** The stack's data key (`DataKey`); without one, a key of its own. */
  key?: kms.Key;
}

/** Environment variable through which handlers find the table. */
export const CASE_TABLE_ENV = 'CASE_TABLE';

/**
 * How the workflow starter reads the stream. Records of new cases are handed over ten at a
 * time; a batch that fails is halved and retried, and a record still failing after
 * `retryAttempts` (or older than `maxRecordAge`) goes to the on-failure queue, whose alarm
 * calls a person, while the reconciler starts the case's workflow on its next run.
 */
export const NEW_CASE_DELIVERY = {
  batchSize: 10,
  retryAttempts: 10,
  maxRecordAge: Duration.hours(6),
} as const;

/** The counting function's mapping's batching window (`COUNTED_CASE_BATCHING_WINDOW_SECONDS`). */
export const CASE_CHANGES_BATCHING_WINDOW = Duration.seconds(COUNTED_CASE_BATCHING_WINDOW_SECONDS);

/**
 * The case table: case records and their append-only event history. Encrypted with a
 * customer-managed key (rotated yearly), point-in-time recovery on, kept when the stack goes.
 * Its stream (new images) tells the workflow starter of each new case (`deliverNewCasesTo`).
 */
export class CaseStore extends Construct {
  readonly table: dynamodb.Table;
  readonly key: kms.Key;
  readonly design: CaseTableDesign;
  /** Stream records of new cases that could not be handed over (set by `deliverNewCasesTo`). */
  newCasesDeadLetters?: sqs.Queue;
  /** Stream records of changed cases the report counters did not settle (set by `deliverCaseChangesTo`). */
  caseChangesDeadLetters?: sqs.Queue;

  constructor(scope: Construct, id: string, props: CaseStoreProps = {}) {
    super(scope, id);
    this.design = props.design ?? CASE_TABLE_DESIGN;

    this.key =
      props.key ??
      new kms.Key(this, 'Key', {
        description: 'Redress case table: case records and their audit trail',
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });

    const str = (name: string) => ({ name, type: dynamodb.AttributeType.STRING });
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: str(this.design.partitionKey.name),
      sortKey: str(this.design.sortKey.name),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: this.design.timeToLiveAttribute,
      // The new item is all the workflow starter reads (the case's id and kind).
      stream: dynamodb.StreamViewType[CASE_STREAM_VIEW_TYPE],
      deletionProtection: true,
      // Complaint records are evidence the Ombudsman may ask for: never delete them with the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of this.design.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: str(index.partitionKey.name),
        sortKey: str(index.sortKey.name),
        projectionType: dynamodb.ProjectionType[index.projection],
        ...('nonKeyAttributes' in index ? { nonKeyAttributes: [...index.nonKeyAttributes] } : {}),
      });
    }
  }

  /**
   * Lets a function use the table (and its indexes and key) and tells it the table's name,
   * in one call, so a function can never hold the permission without the setting or vice versa.
   */
  grantTo(fn: lambda.Function, access: 'read' | 'readWrite'): iam.Grant {
    fn.addEnvironment(CASE_TABLE_ENV, this.table.tableName);
    const grant = access === 'read' ? this.table.grantReadData(fn) : this.table.grantReadWriteData(fn);
    acknowledgeOnRolePolicy(
      fn.role,
      `AwsSolutions-IAM5[Resource::${arnRef(this.table)}/index/*]`,
      'Queries go through this table’s own indexes (open by deadline, by complainant, by service, by ' +
        'received); the grant names this table only.',
    );
    if (access === 'readWrite') {
      const reason =
        'Encrypting items with the case table’s own key (named); the wildcard is in the action name only.';
      acknowledgeOnRolePolicy(fn.role, 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason);
      acknowledgeOnRolePolicy(fn.role, 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason);
    }
    return grant;
  }

  /**
   * Hands the function every new case from the table's stream: an event source mapping that
   * passes on INSERTs of case items only (a Lambda event filter, `NEW_CASE_FILTER`), reads the
   * function's partial batch failures, halves a failing batch, retries, and sends what still
   * fails to an encrypted on-failure queue. Grants reading the stream (and its key).
   */
  deliverNewCasesTo(fn: lambda.Function): sqs.Queue {
    this.newCasesDeadLetters = this.deliverStream(
      fn,
      'NewCasesDeadLetters',
      [NEW_CASE_FILTER],
      'stream records of new cases whose workflow did not start',
    );
    return this.newCasesDeadLetters;
  }

  /**
   * Hands the function every change of a case item but the steps' outbox marks
   * (`COUNTED_CASE_FILTERS`: new, changed, erased, expired), so the public report's counters follow
   * the cases and the records archive follows the table out; delivered, retried and dead-lettered
   * as new cases are. The stream's second and last
   * reader: DynamoDB advises at most two readers of a shard. A record given up on loses no count
   * for good (the case's next counted change, or `npm run reports:count`, which the queue's alarm
   * calls for, settles its whole contribution again); an expired case's archive it gave up on waits
   * in the queue, whose alarm tells a person.
   */
  deliverCaseChangesTo(fn: lambda.Function): sqs.Queue {
    this.caseChangesDeadLetters = this.deliverStream(
      fn,
      // The id of the expiry function's queue before the two were one function, so a deploy keeps
      // that queue and whatever records still wait in it rather than deleting it.
      'ExpiredCasesDeadLetters',
      COUNTED_CASE_FILTERS,
      'stream records of changed cases whose report counters or expired archive were not settled',
      { maxBatchingWindow: CASE_CHANGES_BATCHING_WINDOW, batchSize: COUNTED_CASE_BATCH_SIZE },
    );
    return this.caseChangesDeadLetters;
  }

  /** One event source mapping on the table's stream, with its filter and on-failure queue. */
  private deliverStream(
    fn: lambda.Function,
    queueId: string,
    filters: readonly Record<string, unknown>[],
    holds: string,
    gathering: { maxBatchingWindow?: Duration; batchSize?: number } = {},
  ): sqs.Queue {
    const { maxBatchingWindow, batchSize = NEW_CASE_DELIVERY.batchSize } = gathering;
    const queue = new sqs.Queue(this, queueId, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // An on-failure destination of a stream, which cdk-nag does not see as a dead-letter queue.
    acknowledgeDeadLetterQueue(queue, holds, { alsoSqs3: true });
    fn.addEventSource(
      new sources.DynamoEventSource(this.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize,
        ...(maxBatchingWindow === undefined ? {} : { maxBatchingWindow }),
        bisectBatchOnError: true,
        retryAttempts: NEW_CASE_DELIVERY.retryAttempts,
        maxRecordAge: NEW_CASE_DELIVERY.maxRecordAge,
        reportBatchItemFailures: true,
        onFailure: new sources.SqsDlq(queue),
        filters: filters.map((filter) => lambda.FilterCriteria.filter(filter)),
      }),
    );
    acknowledgeOnRolePolicy(
      fn.role,
      'AwsSolutions-IAM5[Resource::*]',
      'dynamodb:ListStreams (granted with the stream read, for the event source mapping) and X-Ray ' +
        'PutTraceSegments/PutTelemetryRecords support no resource-level permissions: AWS documents Resource "*".',
    );
    return queue;
  }
}
