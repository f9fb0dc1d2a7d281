import {
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { CaseStoreError, ConcurrentUpdateError, type SubjectAccessRegister } from '../domain/ports.js';
import {
  REGISTER_RETENTION_YEARS,
  type SubjectAccessEvent,
  type SubjectAccessRequest,
} from '../domain/subject-access.js';
import { SUBJECT_ACCESS_PARTITION, subjectAccessEventKey, subjectAccessKey } from './case-table.js';
import { defaultDocumentClient } from './dynamodb-case-store.js';
import { retryableErrorFor } from './errors.js';

type Item = Record<string, unknown>;

/** Attributes the register keeps on an item that are not part of the request or event. */
const STORAGE = ['PK', 'SK', 'entity', 'lastEventSeq', 'expiresAt'] as const;

/**
 * The register of subject access requests on the case table (see `case-table.ts`): each request
 * is one item of the `DSAR` partition, so the register page is one Query (never a scan), and its
 * history is `DSAR#<id>` / `EVENT#<seq>`. Every change writes the request (conditional on its
 * version and event counter) and its event in one transaction, so the history has no gaps. A
 * completed request expires `REGISTER_RETENTION_YEARS` after it was answered, its events with it.
 * Nothing here logs: requests hold a resident's contact details.
 */
export class DynamoDbSubjectAccessRegister implements SubjectAccessRegister {
  private readonly client: DynamoDBDocumentClient;

  constructor(private readonly options: { tableName: string; client?: DynamoDBDocumentClient }) {
    this.client = options.client ?? defaultDocumentClient();
  }

  async create(
    request: SubjectAccessRequest,
    firstEvent: Omit<SubjectAccessEvent, 'requestId' | 'seq'>,
  ): Promise<void> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.options.tableName,
                Item: this.requestItem(request, 1),
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Put: {
                TableName: this.options.tableName,
                Item: this.eventItem(request, 1, firstEvent),
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ],
        }),
      );
    } catch (error: unknown) {
      throw failure(error, 'subject access create');
    }
  }

  async get(id: string): Promise<SubjectAccessRequest | undefined> {
    const item = await this.getItem(id);
    return item === undefined ? undefined : fromItem<SubjectAccessRequest>(item);
  }

  async update(
    id: string,
    expectedVersion: number,
    set: Partial<Omit<SubjectAccessRequest, 'id' | 'version' | 'createdAt' | 'createdBy'>>,
    event: Omit<SubjectAccessEvent, 'requestId' | 'seq'>,
  ): Promise<SubjectAccessRequest> {
    const item = await this.getItem(id);
    if (item === undefined) throw new CaseStoreError(`subject access request ${id} not found`);
    const current = fromItem<SubjectAccessRequest>(item);
    if (current.version !== expectedVersion) {
      throw new ConcurrentUpdateError(`subject access request ${id} changed since it was read`);
    }
    const next: SubjectAccessRequest = { ...current, ...set, version: current.version + 1 };
    const seq = Number(item.lastEventSeq) + 1;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.options.tableName,
                Item: this.requestItem(next, seq),
                ConditionExpression: '#version = :version AND lastEventSeq = :lastSeq',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':version': expectedVersion, ':lastSeq': seq - 1 },
              },
            },
            {
              Put: {
                TableName: this.options.tableName,
                Item: this.eventItem(next, seq, event),
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ],
        }),
      );
    } catch (error: unknown) {
      if (error instanceof Error && error.name === 'TransactionCanceledException') {
        throw new ConcurrentUpdateError(`subject access request ${id} changed since it was read`, {
          cause: error,
        });
      }
      throw failure(error, 'subject access update');
    }
    if (next.completedAt !== undefined && current.completedAt === undefined) {
      // The history's earlier events expire with the request (a handful: one write each).
      await this.expireEvents(next, seq - 1);
    }
    return next;
  }

  async events(id: string): Promise<SubjectAccessEvent[]> {
    return (await this.query(subjectAccessEventKey(id, 0).PK, 'EVENT#')).map((i) =>
      fromItem<SubjectAccessEvent>(i),
    );
  }

  async all(): Promise<SubjectAccessRequest[]> {
    return (await this.query(SUBJECT_ACCESS_PARTITION)).map((i) => fromItem<SubjectAccessRequest>(i));
  }

  private async getItem(id: string): Promise<Item | undefined> {
    try {
      const result = await this.client.send(
        new GetCommand({
          TableName: this.options.tableName,
          Key: subjectAccessKey(id),
          ConsistentRead: true,
        }),
      );
      return result.Item;
    } catch (error: unknown) {
      throw failure(error, 'subject access get');
    }
  }

  private async query(pk: string, skPrefix?: string): Promise<Item[]> {
    const items: Item[] = [];
    try {
      for await (const page of paginateQuery(
        { client: this.client },
        {
          TableName: this.options.tableName,
          KeyConditionExpression: skPrefix ? 'PK = :pk AND begins_with(SK, :sk)' : 'PK = :pk',
          ExpressionAttributeValues: { ':pk': pk, ...(skPrefix ? { ':sk': skPrefix } : {}) },
          ConsistentRead: true,
        },
      )) {
        items.push(...(page.Items ?? []));
      }
    } catch (error: unknown) {
      throw failure(error, 'subject access query');
    }
    return items;
  }

  private requestItem(request: SubjectAccessRequest, lastEventSeq: number): Item {
    const expiresAt = expiry(request);
    return {
      ...request,
      ...subjectAccessKey(request.id),
      entity: 'subject-access',
      lastEventSeq,
      ...(expiresAt === undefined ? {} : { expiresAt }),
    };
  }

  private eventItem(
    request: SubjectAccessRequest,
    seq: number,
    event: Omit<SubjectAccessEvent, 'requestId' | 'seq'>,
  ): Item {
    const expiresAt = expiry(request);
    return {
      ...event,
      requestId: request.id,
      seq,
      ...subjectAccessEventKey(request.id, seq),
      entity: 'subject-access-event',
      ...(expiresAt === undefined ? {} : { expiresAt }),
    };
  }

  private async expireEvents(request: SubjectAccessRequest, lastSeq: number): Promise<void> {
    const expiresAt = expiry(request);
    for (let seq = 1; seq <= lastSeq; seq++) {
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.options.tableName,
            Key: subjectAccessEventKey(request.id, seq),
            UpdateExpression: 'SET expiresAt = :e',
            ExpressionAttributeValues: { ':e': expiresAt },
          }),
        );
      } catch (error: unknown) {
        throw failure(error, 'subject access expiry');
      }
    }
  }
}

/** Epoch seconds when a completed request leaves the register; none while it is outstanding. */
function expiry(request: SubjectAccessRequest): number | undefined {
  if (request.completedAt === undefined) return undefined;
  const end = new Date(request.completedAt);
  end.setUTCFullYear(end.getUTCFullYear() + REGISTER_RETENTION_YEARS);
  return Math.floor(end.getTime() / 1000);
}

function fromItem<T>(item: Item): T {
  const copy: Item = { ...item };
  for (const attribute of STORAGE) delete copy[attribute];
  return copy as T;
}

function failure(error: unknown, what: string): Error {
  return (
    retryableErrorFor(error, what) ??
    // The SDK's message may quote attribute values (personal data): keep only its name.
    new CaseStoreError(`${what} failed: ${error instanceof Error ? error.name : 'unknown error'}`, {
      cause: error,
    })
  );
}
