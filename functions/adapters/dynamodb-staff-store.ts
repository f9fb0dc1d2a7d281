import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { CaseStoreError, type StaffSessionRecord, type StaffStore } from '../domain/ports.js';
import type { StaffMember } from '../domain/staff.js';
import type { IsoTimestamp } from '../domain/types.js';
import { sessionKey, staffKey } from './case-table.js';
import { defaultDocumentClient } from './dynamodb-case-store.js';
import { retryableErrorFor } from './errors.js';

/**
 * Staff sessions and the staff directory, in the case table (see `CASE_TABLE_DESIGN`). A session
 * item is keyed by the hash of its id, so the table never holds a cookie value that works, and
 * expires by TTL at the session's absolute end (reads check the time too: TTL deletes late).
 */
export class DynamoDbStaffStore implements StaffStore {
  private readonly client: DynamoDBDocumentClient;

  constructor(private readonly options: { tableName: string; client?: DynamoDBDocumentClient }) {
    this.client = options.client ?? defaultDocumentClient();
  }

  async putSession(session: StaffSessionRecord, expiresAt: IsoTimestamp): Promise<void> {
    const { id: _id, ...rest } = session;
    await this.call('putSession', () =>
      this.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            ...sessionKey(session.id),
            entity: 'session',
            ...rest,
            absoluteEnd: expiresAt,
            expiresAt: Math.ceil(Date.parse(expiresAt) / 1000),
          },
        }),
      ),
    );
  }

  async getSession(id: string): Promise<StaffSessionRecord | undefined> {
    const result = await this.call('getSession', () =>
      this.client.send(
        new GetCommand({ TableName: this.options.tableName, Key: sessionKey(id), ConsistentRead: true }),
      ),
    );
    const item = result.Item;
    if (!item) return undefined;
    return {
      id,
      staff: item.staff as StaffMember,
      csrf: String(item.csrf),
      createdAt: String(item.createdAt),
      lastSeenAt: String(item.lastSeenAt),
      ...(typeof item.idToken === 'string' ? { idToken: item.idToken } : {}),
      ...(typeof item.refreshToken === 'string' ? { refreshToken: item.refreshToken } : {}),
      ...(typeof item.rolesCheckedAt === 'string' ? { rolesCheckedAt: item.rolesCheckedAt } : {}),
    };
  }

  async touchSession(id: string, lastSeenAt: IsoTimestamp): Promise<void> {
    await this.call('touchSession', () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: sessionKey(id),
          UpdateExpression: 'SET lastSeenAt = :at',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':at': lastSeenAt },
        }),
      ),
    ).catch((error: unknown) => {
      // Signed out in another tab between the read and this write: nothing to refresh.
      if (
        error instanceof CaseStoreError &&
        error.cause instanceof Error &&
        error.cause.name === 'ConditionalCheckFailedException'
      )
        return;
      throw error;
    });
  }

  async refreshSession(
    id: string,
    fields: Required<Pick<StaffSessionRecord, 'staff' | 'idToken' | 'refreshToken' | 'rolesCheckedAt'>>,
  ): Promise<boolean> {
    try {
      await this.call('refreshSession', () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.options.tableName,
            Key: sessionKey(id),
            UpdateExpression:
              'SET staff = :staff, idToken = :idToken, refreshToken = :refreshToken, rolesCheckedAt = :at',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: {
              ':staff': fields.staff,
              ':idToken': fields.idToken,
              ':refreshToken': fields.refreshToken,
              ':at': fields.rolesCheckedAt,
            },
          }),
        ),
      );
      return true;
    } catch (error: unknown) {
      // Signed out between the read and this write: the session stays ended.
      if (
        error instanceof CaseStoreError &&
        error.cause instanceof Error &&
        error.cause.name === 'ConditionalCheckFailedException'
      )
        return false;
      throw error;
    }
  }

  async deleteSession(id: string): Promise<void> {
    await this.call('deleteSession', () =>
      this.client.send(new DeleteCommand({ TableName: this.options.tableName, Key: sessionKey(id) })),
    );
  }

  async recordStaff(staff: StaffMember, at: IsoTimestamp): Promise<void> {
    await this.call('recordStaff', () =>
      this.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            ...staffKey(staff.email),
            entity: 'staff',
            email: staff.email.toLowerCase(),
            name: staff.name,
            roles: staff.roles,
            services: staff.services,
            lastSignInAt: at,
          },
        }),
      ),
    );
  }

  async directory(): Promise<{ email: string; name: string; roles: string[]; services: string[] }[]> {
    const out: { email: string; name: string; roles: string[]; services: string[] }[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.call('directory', () =>
        this.client.send(
          new QueryCommand({
            TableName: this.options.tableName,
            KeyConditionExpression: 'PK = :pk',
            ExpressionAttributeValues: { ':pk': staffKey('x').PK },
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        out.push({
          email: String(item.email),
          name: String(item.name),
          roles: (item.roles as string[]) ?? [],
          services: (item.services as string[]) ?? [],
        });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return out;
  }

  private async call<T>(action: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error: unknown) {
      const retryable = retryableErrorFor(error, `staff store ${action}`);
      if (retryable !== undefined) throw retryable;
      const name = error instanceof Error ? error.name : 'unknown error';
      throw new CaseStoreError(`staff store ${action} failed: ${name}`, { cause: error });
    }
  }
}
