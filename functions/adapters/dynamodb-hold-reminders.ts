import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { CaseStoreError, type HoldReminder, type HoldReminders } from '../domain/ports.js';
import type { IsoTimestamp } from '../domain/types.js';
import { holdReminderKey } from './case-table.js';
import { defaultDocumentClient } from './dynamodb-case-store.js';
import { retryableErrorFor } from './errors.js';

/**
 * The hold review reminder's outbox in the case table (see `CASE_TABLE_DESIGN`): one item, claimed
 * with a conditional put, so two runs of the job cannot both send; every later write is
 * conditional on the reminder's id.
 */
export class DynamoDbHoldReminders implements HoldReminders {
  private readonly client: DynamoDBDocumentClient;

  constructor(private readonly options: { tableName: string; client?: DynamoDBDocumentClient }) {
    this.client = options.client ?? defaultDocumentClient();
  }

  async pending(): Promise<HoldReminder | undefined> {
    const result = await this.call('pending', () =>
      this.client.send(
        new GetCommand({ TableName: this.options.tableName, Key: holdReminderKey, ConsistentRead: true }),
      ),
    );
    const item = result.Item;
    if (!item) return undefined;
    return {
      id: String(item.id),
      startedAt: String(item.startedAt),
      ...(typeof item.sentAt === 'string' ? { sentAt: item.sentAt } : {}),
      ...(typeof item.messageId === 'string' ? { messageId: item.messageId } : {}),
      holds: (item.holds ?? []) as HoldReminder['holds'],
    };
  }

  async claim(reminder: HoldReminder): Promise<boolean> {
    return this.conditional('claim', () =>
      this.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: { ...holdReminderKey, entity: 'hold-reminder', ...reminder },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    );
  }

  async retake(id: string, startedAt: IsoTimestamp, at: IsoTimestamp): Promise<boolean> {
    return this.conditional('retake', () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: holdReminderKey,
          UpdateExpression: 'SET startedAt = :at',
          ConditionExpression: 'id = :id AND startedAt = :started AND attribute_not_exists(sentAt)',
          ExpressionAttributeValues: { ':id': id, ':started': startedAt, ':at': at },
        }),
      ),
    );
  }

  async sent(id: string, at: IsoTimestamp, messageId: string): Promise<void> {
    await this.conditional('sent', () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: holdReminderKey,
          UpdateExpression: 'SET sentAt = :at, messageId = :message',
          ConditionExpression: 'id = :id',
          ExpressionAttributeValues: { ':id': id, ':at': at, ':message': messageId },
        }),
      ),
    );
  }

  async finish(id: string): Promise<void> {
    await this.conditional('finish', () =>
      this.client.send(
        new DeleteCommand({
          TableName: this.options.tableName,
          Key: holdReminderKey,
          ConditionExpression: 'id = :id',
          ExpressionAttributeValues: { ':id': id },
        }),
      ),
    );
  }

  /** Runs a conditional write: true when it was made, false when its condition failed. */
  private async conditional(action: string, send: () => Promise<unknown>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (error: unknown) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw this.failure(action, error);
    }
  }

  private async call<T>(action: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error: unknown) {
      throw this.failure(action, error);
    }
  }

  private failure(action: string, error: unknown): Error {
    const retryable = retryableErrorFor(error, `hold reminders ${action}`);
    if (retryable !== undefined) return retryable;
    const name = error instanceof Error ? error.name : 'unknown error';
    return new CaseStoreError(`hold reminders ${action} failed: ${name}`, { cause: error });
  }
}
