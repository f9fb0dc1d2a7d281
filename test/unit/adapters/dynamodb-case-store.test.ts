import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  DynamoDBServiceException,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OPEN_LAYOUT_KEY } from '../../../functions/adapters/case-table.js';
import { DynamoDbCaseStore } from '../../../functions/adapters/dynamodb-case-store.js';
import { ThrottledError } from '../../../functions/adapters/errors.js';
import { type CaseRecord, CaseStoreError, ConcurrentUpdateError } from '../../../functions/domain/index.js';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-2' }));
const dynamodb = mockClient(client);
const store = new DynamoDbCaseStore({ tableName: 'cases', client });

const record: CaseRecord = {
  caseId: 'case-1',
  reference: 'CMP-2026-000001',
  kind: 'complaint',
  submittedKind: 'complaint',
  status: 'received',
  stage: 1,
  policyId: 'lgsco-code-2024',
  summary: 'Summary',
  complainant: { email: 'resident@example.org' },
  anonymous: false,
  channel: 'online',
  receivedAt: '2026-03-02T10:00:00.000Z',
  createdAt: '2026-03-02T10:00:00.000Z',
  updatedAt: '2026-03-02T10:00:00.000Z',
  triage: { route: 'handle', reasons: [] },
  progress: { stage1: { startedAt: '2026-03-02T10:00:00.000Z' } },
  deadlines: {},
  version: 1,
};
const event = { at: '2026-03-02T10:00:00.000Z', type: 'received', actor: 'resident' };

/** A read of anything but the open index's layout (which a store reads before its first write). */
const notLayout = (call: { args: [{ input: object }] }) =>
  (call.args[0].input as { Key?: { PK?: string } }).Key?.PK !== OPEN_LAYOUT_KEY.PK;

beforeEach(() => {
  // A table from before the layout: no layout item.
  dynamodb.on(GetCommand, { Key: OPEN_LAYOUT_KEY }).resolves({});
});

afterEach(() => {
  dynamodb.reset();
});

describe('DynamoDbCaseStore errors', () => {
  it('throws ThrottledError when reads keep exceeding throughput', async () => {
    dynamodb.on(GetCommand).rejects(
      new DynamoDBServiceException({
        name: 'ProvisionedThroughputExceededException',
        $fault: 'client',
        message: 'throughput exceeded',
        $metadata: { httpStatusCode: 400 },
      }),
    );

    await expect(store.get('case-1')).rejects.toBeInstanceOf(ThrottledError);
  });

  it('throws ThrottledError when a transaction is cancelled by throttling', async () => {
    dynamodb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ThrottlingError' }, { Code: 'None' }, { Code: 'None' }],
      }),
    );

    await expect(store.create(record, event)).rejects.toBeInstanceOf(ThrottledError);
  });

  it('keeps the SDK message, which may quote personal data, out of its own error', async () => {
    const failure = new DynamoDBServiceException({
      name: 'ValidationException',
      $fault: 'client',
      message: 'One or more parameter values were invalid: resident@example.org',
      $metadata: { httpStatusCode: 400 },
    });
    dynamodb.on(TransactWriteCommand).rejects(failure);

    const error = await store.create(record, event).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(CaseStoreError);
    expect((error as Error).message).not.toContain('resident@example.org');
    expect((error as Error).cause).toBe(failure);
  });
});

describe('DynamoDbCaseStore reads before a change', () => {
  it('reads the case and its event sequence in one request, asking again for what DynamoDB left unprocessed', async () => {
    const caseItem = { ...record, PK: 'CASE#case-1', SK: 'CASE', entity: 'case', lastEventSeq: 1 };
    const sequenceItem = { PK: 'CASE#case-1', SK: 'SEQ', entity: 'sequence', lastEventSeq: 5 };
    dynamodb
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { cases: [caseItem] },
        UnprocessedKeys: { cases: { Keys: [{ PK: 'CASE#case-1', SK: 'SEQ' }], ConsistentRead: true } },
      })
      .resolvesOnce({ Responses: { cases: [sequenceItem] } });
    dynamodb.on(TransactWriteCommand).resolves({});

    const updated = await store.update('case-1', 1, {
      set: { status: 'investigating' },
      event: { at: '2026-03-03T10:00:00.000Z', type: 'acknowledged', actor: 'officer@example.gov.uk' },
    });

    expect(updated.version).toBe(2);
    const reads = dynamodb
      .commandCalls(BatchGetCommand)
      .map((call) => call.args[0].input.RequestItems?.cases);
    expect(reads).toEqual([
      {
        Keys: [
          { PK: 'CASE#case-1', SK: 'CASE' },
          { PK: 'CASE#case-1', SK: 'SEQ' },
        ],
        ConsistentRead: true,
      },
      { Keys: [{ PK: 'CASE#case-1', SK: 'SEQ' }], ConsistentRead: true },
    ]);
    expect(dynamodb.commandCalls(GetCommand).filter(notLayout)).toHaveLength(0);
    // The event takes the number after the sequence's, not the case item's.
    const writes = dynamodb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(writes.map((w) => w.Put?.Item?.SK ?? w.Update?.Key?.SK)).toContain('EVENT#00000006');
  });
});

describe('DynamoDbCaseStore bookkeeping changes (no event, nothing but the case item)', () => {
  const caseItem = { ...record, PK: 'CASE#case-1', SK: 'CASE', entity: 'case', lastEventSeq: 1 };
  const sequenceItem = { PK: 'CASE#case-1', SK: 'SEQ', entity: 'sequence', lastEventSeq: 1 };
  const bookkeeping = { set: { effects: {} } };

  it('writes them as one conditional PutItem: DynamoDB bills a transaction of one twice', async () => {
    dynamodb.on(BatchGetCommand).resolves({ Responses: { cases: [caseItem, sequenceItem] } });
    dynamodb.on(PutCommand).resolves({});

    const updated = await store.update('case-1', 1, bookkeeping);

    expect(updated.version).toBe(2);
    expect(dynamodb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    const [put] = dynamodb.commandCalls(PutCommand);
    expect(put?.args[0].input).toMatchObject({
      Item: { SK: 'CASE', version: 2 },
      ConditionExpression: '#version = :version',
      ExpressionAttributeValues: { ':version': 1 },
    });
  });

  it('reads again when the put’s condition fails, and says the case changed', async () => {
    dynamodb
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { cases: [caseItem, sequenceItem] } })
      .resolves({ Responses: { cases: [{ ...caseItem, version: 2 }, sequenceItem] } });
    dynamodb
      .on(PutCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      );

    await expect(store.update('case-1', 1, bookkeeping)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(dynamodb.commandCalls(PutCommand)).toHaveLength(1);
  });

  it('tries again when a transaction was writing the case item at that moment', async () => {
    dynamodb.on(BatchGetCommand).resolves({ Responses: { cases: [caseItem, sequenceItem] } });
    dynamodb
      .on(PutCommand)
      .rejectsOnce(
        new TransactionConflictException({ message: 'Transaction is ongoing for the item', $metadata: {} }),
      )
      .resolves({});

    const updated = await store.update('case-1', 1, bookkeeping);

    expect(updated.version).toBe(2);
    expect(dynamodb.commandCalls(PutCommand)).toHaveLength(2);
  });
});

describe('DynamoDbCaseStore reference numbers around a failed create', () => {
  /** A store of its own whose counter hands out the block 1–10. */
  function freshStore() {
    dynamodb.on(UpdateCommand).resolves({ Attributes: { value: 10 } });
    return new DynamoDbCaseStore({ tableName: 'cases', client });
  }
  const cancelled = (codes: string[]) =>
    new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: {},
      CancellationReasons: codes.map((Code) => ({ Code })),
    });

  it('hands out again the number of a replay, whose transaction wrote nothing', async () => {
    // Prepare: the idempotency key's put fails its condition; the key names the first case.
    const store = freshStore();
    const reference = await store.nextReference('complaint', 2026);
    dynamodb.on(TransactWriteCommand).rejects(cancelled(['None', 'None', 'None', 'ConditionalCheckFailed']));
    dynamodb
      .on(GetCommand)
      .resolvesOnce({ Item: { caseId: 'first', expiresAt: Math.floor(Date.now() / 1000) + 600 } })
      .resolves({
        Item: { ...record, caseId: 'first', reference: 'CMP-2026-000099', PK: 'CASE#first', SK: 'CASE' },
      });

    // Act
    const replay = await store.create({ ...record, reference }, event, 'key-1');

    // Assess
    expect(replay.created).toBe(false);
    expect(await store.nextReference('complaint', 2026)).toBe(reference);
    expect(await store.nextReference('complaint', 2026)).toBe('CMP-2026-000002');
  });

  it('never hands out again a number whose write may have happened (no answer from DynamoDB)', async () => {
    const store = freshStore();
    const reference = await store.nextReference('complaint', 2026);
    dynamodb
      .on(TransactWriteCommand)
      .rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError', $metadata: {} }));

    await expect(store.create({ ...record, reference }, event, 'key-2')).rejects.toThrow();

    expect(await store.nextReference('complaint', 2026)).toBe('CMP-2026-000002');
  });

  it('never hands out a number another case holds, nor one it did not hand out', async () => {
    const store = freshStore();
    const reference = await store.nextReference('complaint', 2026);
    dynamodb.on(TransactWriteCommand).rejects(cancelled(['None', 'None', 'ConditionalCheckFailed']));
    dynamodb.on(GetCommand).resolves({});

    await expect(store.create({ ...record, reference }, event, 'key-3')).rejects.toThrow(/already taken/);
    await expect(store.create({ ...record, reference: 'CMP-2026-000777' }, event, 'key-4')).rejects.toThrow(
      /already taken/,
    );

    expect(await store.nextReference('complaint', 2026)).toBe('CMP-2026-000002');
  });
});
