import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { CASE_TABLE_DESIGN } from '../../functions/adapters/case-table.js';
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
}

/** Environment variable through which handlers find the table. */
export const CASE_TABLE_ENV = 'CASE_TABLE';

/**
 * The case table: case records and their append-only event history. Encrypted with a
 * customer-managed key (rotated yearly), point-in-time recovery on, kept when the stack goes.
 */
export class CaseStore extends Construct {
  readonly table: dynamodb.Table;
  readonly key: kms.Key;
  readonly design: CaseTableDesign;

  constructor(scope: Construct, id: string, props: CaseStoreProps = {}) {
    super(scope, id);
    this.design = props.design ?? CASE_TABLE_DESIGN;

    this.key = new kms.Key(this, 'Key', {
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
}
