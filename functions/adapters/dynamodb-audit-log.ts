import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { AUDIT_RETENTION_YEARS, type AuditEntry, auditMonth } from '../domain/audit.js';
import type { AuditLog } from '../domain/ports.js';
import type { IsoTimestamp } from '../domain/types.js';
import { defaultDocumentClient } from './dynamodb-case-store.js';
import { itemsByMonth, storeFailure } from './month-partitions.js';

/**
 * The audit log on the case table: `AUDIT#<YYYY-MM>` / `<at>#<entry id>`, one partition a month
 * read whole and in time order, expiring after `AUDIT_RETENTION_YEARS`. A data protection team
 * writes a handful of entries a day, far below one partition's limits. The entries carry no
 * resident's personal data (see `audit.ts`), so erasing a case leaves them as they are.
 */
export class DynamoDbAuditLog implements AuditLog {
  private readonly client: DynamoDBDocumentClient;

  constructor(private readonly options: { tableName: string; client?: DynamoDBDocumentClient }) {
    this.client = options.client ?? defaultDocumentClient();
  }

  async record(entry: AuditEntry): Promise<void> {
    const expires = new Date(entry.at);
    expires.setUTCFullYear(expires.getUTCFullYear() + AUDIT_RETENTION_YEARS);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            PK: `AUDIT#${auditMonth(entry.at)}`,
            SK: `${entry.at}#${entry.id}`,
            entity: 'audit',
            entry,
            expiresAt: Math.floor(expires.getTime() / 1000),
          },
          // A retried write of the same entry leaves the first as it was.
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error: unknown) {
      if (error instanceof ConditionalCheckFailedException) return;
      throw storeFailure(error, 'audit record');
    }
  }

  async *between(fromMonth: string, toMonth: string, since?: IsoTimestamp): AsyncIterable<AuditEntry> {
    // The sort key begins with the entry's time.
    const items = itemsByMonth(
      { client: this.client, tableName: this.options.tableName, prefix: 'AUDIT#', projection: 'entry' },
      fromMonth,
      toMonth,
      since,
    );
    for await (const { item } of items) yield item.entry as AuditEntry;
  }
}
