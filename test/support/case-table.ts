import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createCaseTable } from '../../functions/adapters/case-table.js';

/** A case table of its own on the DynamoDB stand-in (each test file makes one): its name. */
export async function newCaseTable(): Promise<string> {
  const tableName = `cases-${randomUUID().slice(0, 8)}`;
  const raw = new DynamoDBClient({});
  await createCaseTable(raw, tableName);
  raw.destroy();
  return tableName;
}
