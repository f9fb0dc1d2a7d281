import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The one customer-managed KMS key the stack encrypts its data with: the case table, the records
 * archive (case files, letters, evidence), the link-signing secret, and the SNS topics of email
 * events and alarms. A key costs $1 a month and a council's volumes need no more; the
 * separation a key per store gave is kept where it matters, in IAM: each function is granted
 * the key only beside the store it may use, and each service principal (SES, CloudWatch) only
 * to publish to its own topic (the statements the Mailer and Operations add, limited to this
 * account). A council that wants a key per store deploys with `-c redress:separateKeys=true`.
 * Rotated yearly; kept when the stack goes, as the data it encrypts is.
 */
export class DataKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Redress data: case table, records archive, link secret, email events and alarms',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
