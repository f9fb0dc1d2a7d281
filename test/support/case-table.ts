import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { caseKey, createCaseTable } from '../../functions/adapters/case-table.js';
import {
  DynamoDbCaseStore,
  type DynamoDbCaseStoreOptions,
} from '../../functions/adapters/dynamodb-case-store.js';
import { type StandInService, type StandIns, startStandIns } from './stand-ins.js';

/** A case table of its own on the DynamoDB stand-in (each test file makes one): its name. */
export async function newCaseTable(): Promise<string> {
  const tableName = `cases-${randomUUID().slice(0, 8)}`;
  const raw = new DynamoDBClient({});
  await createCaseTable(raw, tableName);
  raw.destroy();
  return tableName;
}

/** The stand-ins of an integration test file, a case table of its own on them, and clients of both. */
export interface CaseTableOnStandIns {
  standIns: StandIns;
  tableName: string;
  /** The store on the table, with a client of its own from the environment, as a Lambda's. */
  store: DynamoDbCaseStore;
  /** The table's items as they are stored, for what the store does not show (an item's expiry). */
  raw: DynamoDBDocumentClient;
  /** A client of the S3 stand-in (path-style, as it needs), where the file started it. */
  s3: S3Client;
  /** The item under `key`, read consistently, or undefined. */
  item(key: { PK: string; SK: string }): Promise<Record<string, unknown> | undefined>;
  /** The stored expiry (`expiresAt`) of each event of a case, in the events' order. */
  eventExpiries(caseId: string): Promise<unknown[]>;
  /**
   * A store over a client of its own whose UpdateItem of an event fails as a throttled table's
   * does whenever `fail()` says so (asked only for such updates); `seen` sees every command first.
   */
  storeFailingEventUpdates(fail: () => boolean, seen?: (command: unknown) => void): DynamoDbCaseStore;
  /** Stops the stand-ins and the clients (in `afterAll`). */
  stop(): Promise<void>;
}

/**
 * Starts the stand-ins (DynamoDB Local by default: start it in `beforeAll`, it takes a few
 * seconds), makes a case table on them, and the store over it with `storeOptions`.
 */
export async function startCaseTable(
  services: readonly StandInService[] = ['dynamodb'],
  storeOptions: Omit<DynamoDbCaseStoreOptions, 'tableName'> = {},
): Promise<CaseTableOnStandIns> {
  const standIns = await startStandIns(services);
  const tableName = await newCaseTable();
  const raw = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const s3 = new S3Client({ forcePathStyle: true });
  return {
    standIns,
    tableName,
    store: new DynamoDbCaseStore({ ...storeOptions, tableName }),
    raw,
    s3,
    item: async (key) =>
      (await raw.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item,
    eventExpiries: async (caseId) => {
      const result = await raw.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :events)',
          ExpressionAttributeValues: { ':pk': caseKey(caseId).PK, ':events': 'EVENT#' },
          ConsistentRead: true,
        }),
      );
      return (result.Items ?? []).map((i) => i.expiresAt);
    },
    storeFailingEventUpdates: (fail, seen) => {
      const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
      const send = client.send.bind(client) as (command: unknown) => Promise<unknown>;
      Object.assign(client, {
        send: async (command: unknown) => {
          seen?.(command);
          if (
            command instanceof UpdateCommand &&
            String(command.input.Key?.SK).startsWith('EVENT#') &&
            fail()
          ) {
            const error = new Error('Rate of requests exceeds the allowed throughput.');
            error.name = 'ProvisionedThroughputExceededException';
            throw error;
          }
          return send(command);
        },
      });
      return new DynamoDbCaseStore({ tableName, client });
    },
    stop: async () => {
      raw.destroy();
      s3.destroy();
      await standIns.stop();
    },
  };
}
