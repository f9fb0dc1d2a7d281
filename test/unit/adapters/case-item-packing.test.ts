import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  OPEN_TASK_TOKEN_ATTRIBUTE,
  PACKED_ATTRIBUTE,
  PENDING_TASK_TOKEN_ATTRIBUTE,
} from '../../../functions/adapters/case-item-packing.js';
import { CASE_ITEM_LAYOUT_KEY, OPEN_LAYOUT_KEY } from '../../../functions/adapters/case-table.js';
import { caseOfStreamRecord, DynamoDbCaseStore } from '../../../functions/adapters/dynamodb-case-store.js';
import type { CaseRecord } from '../../../functions/domain/index.js';
import type { CaseChange } from '../../../functions/domain/ports.js';
import { itemSize } from '../../bench/index-writes.js';
import { openCase } from '../../support/open-case.js';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-2' }));
const dynamodb = mockClient(client);
const store = () => new DynamoDbCaseStore({ tableName: 'cases', client });

/** The table's case item layout: packed (`packCaseItems` has run, or the table is new). */
const PACKED_LAYOUT = { ...CASE_ITEM_LAYOUT_KEY, entity: 'layout', packedSince: '2026-12-07T00:00:00.000Z' };

beforeEach(() => {
  dynamodb.on(GetCommand, { Key: OPEN_LAYOUT_KEY }).resolves({});
  dynamodb.on(GetCommand, { Key: CASE_ITEM_LAYOUT_KEY }).resolves({ Item: PACKED_LAYOUT });
});

afterEach(() => {
  dynamodb.reset();
});

const caseId = 'f495246e-8922-4558-a756-0622d049649f';
/** A task token of Step Functions' length: base64 of random bytes, as its tokens are. */
const awsToken = () => randomBytes(513).toString('base64');
const officer = 'waste.feedback@example.gov.uk';

/** A stage-1 complaint acknowledged and waiting for its response, as the workflow leaves it. */
function awaitingResponse(): CaseRecord {
  const execution = caseId;
  return openCase(caseId, {
    status: 'investigating',
    assignedTo: officer,
    directorate: 'Place',
    desiredOutcome: 'Process my application and explain what went wrong.',
    language: 'en',
    summary: 'The council lost my application twice and nobody has called me back in six weeks.',
    triage: { route: 'handle', reasons: ['No exclusion applies: handled as a complaint.'] },
    deadlines: {
      acknowledgeBy: '2026-03-09T23:59:59.000Z',
      extensionLimit: '2026-03-30T22:59:59.000Z',
      remindAt: '2026-03-12T00:00:00.000Z',
      respondBy: '2026-03-16T23:59:59.000Z',
    },
    stage1Handlers: [officer],
    progress: {
      stage1: {
        startedAt: '2026-03-02T09:00:00.000Z',
        acknowledgedAt: '2026-03-02T09:10:00.000Z',
        understanding:
          'You told us we lost your application twice and nobody called you back for six weeks. You would like us to process your application and explain what went wrong.',
      },
    },
    openTask: {
      taskId: 'BaGR8LEDI4biUG8ZbLhiccAQHMk1QvmQ',
      name: 'respond',
      officer,
      taskToken: awsToken(),
      issuedAt: '2026-03-02T09:10:00.000Z',
      expected: 'respond',
    },
    effects: {
      [`${execution}/Await the response`]: {
        key: 'Z0yEwePL3IZXyZuh8XjBI9qNNlhlXmQw',
        status: 'done',
        at: '2026-03-02T09:10:00.000Z',
        entered: '2026-03-02T09:10:00.001Z',
        result: { messageId: 'm-4', taskId: 'BaGR8LEDI4biUG8ZbLhiccAQHMk1QvmQ' },
      },
    },
    version: 9,
  });
}

/** What the store wrote as the case item in its last PutItem, or in its last transaction. */
function lastPutItem(): Record<string, unknown> {
  const put =
    dynamodb.commandCalls(PutCommand).at(-1)?.args[0].input.Item ??
    dynamodb
      .commandCalls(TransactWriteCommand)
      .at(-1)
      ?.args[0].input.TransactItems?.find((t) => t.Put?.Item?.SK === 'CASE')?.Put?.Item;
  if (put === undefined) throw new Error('no write of the case item');
  return put;
}

const sequenceItem = { PK: `CASE#${caseId}`, SK: 'SEQ', entity: 'sequence', lastEventSeq: 12 };
/** A case item as the store wrote every one before packing: each field an attribute of its own. */
const unpackedItem = (c: CaseRecord) => ({
  ...c,
  PK: `CASE#${caseId}`,
  SK: 'CASE',
  entity: 'case',
  lastEventSeq: 12,
});

/** Writes `c` through the store (a bookkeeping change, one PutItem) and answers the item written. */
async function written(
  c: CaseRecord,
  change: CaseChange = { set: { updatedAt: c.updatedAt } },
  current?: DynamoDbCaseStore,
) {
  dynamodb.on(BatchGetCommand).resolves({ Responses: { cases: [unpackedItem(c), sequenceItem] } });
  dynamodb.on(PutCommand).resolves({});
  dynamodb.on(TransactWriteCommand).resolves({});
  const next = await (current ?? store()).update(caseId, c.version, change);
  return { next, item: lastPutItem() };
}

describe('the case item’s layout', () => {
  it('keeps a stage-1 case waiting on an officer, with an AWS-length task token, under 2 KB', async () => {
    const { item } = await written(awaitingResponse());

    // DynamoDB bills each write by the item's size in whole kilobytes, twice in a transaction;
    // with every field an attribute of its own this case's item was about 2.7 KB.
    expect(itemSize(marshall(item, { removeUndefinedValues: true }) as never)).toBeLessThan(2048);
  });

  it('keeps as attributes the fields conditions, indexes, filters and the stream’s starter read', async () => {
    const c = { ...awaitingResponse(), vexatious: true };
    const { item } = await written(c);

    expect(item).toMatchObject({
      caseId,
      version: 10,
      kind: 'complaint',
      stage: 1,
      service: 'waste-recycling',
      vexatious: true,
      GSI4SK: `${c.receivedAt}#${caseId}`,
      [OPEN_TASK_TOKEN_ATTRIBUTE]: c.openTask?.taskToken,
    });
    // The rest is in one compressed attribute; the token is not repeated in it.
    expect(item).not.toHaveProperty('summary');
    expect(item).not.toHaveProperty('effects');
    expect(item).not.toHaveProperty('openTask');
    // Nothing reads the queue's deadline but from the index key that holds it.
    expect(item).not.toHaveProperty('nextDeadline');
    expect(item.GSI1SK).toBe(`${c.deadlines.respondBy}#${caseId}`);
    const packed = Buffer.from(item[PACKED_ATTRIBUTE] as Uint8Array);
    expect(packed.includes(Buffer.from(c.openTask?.taskToken ?? '-'))).toBe(false);
  });

  it('reads back the record it wrote, open task and pending decision with their tokens', async () => {
    const open = awaitingResponse();
    const { taskToken: _, ...task } = open.openTask as NonNullable<CaseRecord['openTask']>;
    const pendingToken = awsToken();
    const pendingDecision = {
      task: 'respond' as const,
      taskId: task.taskId,
      decision: 'respond',
      officer,
      at: '2026-03-02T09:20:00.000Z',
      taskToken: pendingToken,
      expected: 'respond',
      message: 'The resident has been sent the response.',
    };
    const { next, item } = await written(open, { set: { pendingDecision }, remove: ['openTask'] });
    expect(item[PENDING_TASK_TOKEN_ATTRIBUTE]).toBe(pendingToken);
    expect(item).not.toHaveProperty(OPEN_TASK_TOKEN_ATTRIBUTE);

    dynamodb.on(GetCommand, { Key: { PK: `CASE#${caseId}`, SK: 'CASE' } }).resolves({ Item: item });
    expect(await store().get(caseId)).toEqual(next);
    expect(next.pendingDecision?.taskToken).toBe(pendingToken);
    expect(next.openTask).toBeUndefined();
  });

  it('reads an item stored before packing as it is, and its next write stores it packed', async () => {
    const c = awaitingResponse();
    dynamodb
      .on(GetCommand, { Key: { PK: `CASE#${caseId}`, SK: 'CASE' } })
      .resolves({ Item: unpackedItem(c) });
    expect(await store().get(caseId)).toEqual(c);

    const { next, item } = await written(c, { set: { assignedTo: 'another.officer@example.gov.uk' } });
    expect(next).toEqual({ ...c, assignedTo: 'another.officer@example.gov.uk', version: 10 });
    expect(item).toHaveProperty(PACKED_ATTRIBUTE);
    dynamodb.on(GetCommand, { Key: { PK: `CASE#${caseId}`, SK: 'CASE' } }).resolves({ Item: item });
    expect(await store().get(caseId)).toEqual(next);
  });

  it('keeps every field an attribute of its own until the table says to pack (a version before packing may run)', async () => {
    dynamodb.on(GetCommand, { Key: CASE_ITEM_LAYOUT_KEY }).resolves({});
    const c = awaitingResponse();
    const before = store();
    const { item } = await written(c, undefined, before);
    expect(item).not.toHaveProperty(PACKED_ATTRIBUTE);
    expect(item).toMatchObject({ summary: c.summary, openTask: c.openTask, effects: c.effects });

    // The ops step, once no version before packing runs: this store packs from its next write.
    dynamodb.on(PutCommand, { Item: { SK: CASE_ITEM_LAYOUT_KEY.SK } }).resolves({});
    await before.packCaseItems();
    const [layout] = dynamodb
      .commandCalls(PutCommand)
      .filter((call) => call.args[0].input.Item?.SK === CASE_ITEM_LAYOUT_KEY.SK);
    expect(layout?.args[0].input).toMatchObject({
      Item: CASE_ITEM_LAYOUT_KEY,
      ConditionExpression: 'attribute_not_exists(PK)',
    });
    dynamodb.on(GetCommand, { Key: CASE_ITEM_LAYOUT_KEY }).resolves({ Item: PACKED_LAYOUT });
    const again = await written(c, undefined, before);
    expect(again.item).toHaveProperty(PACKED_ATTRIBUTE);
    expect(again.item).not.toHaveProperty('summary');
  });

  it('is read from a stream record as Lambda delivers it, the packed fields in base64', async () => {
    const { next, item } = await written(awaitingResponse());
    const image = marshall(item, { removeUndefinedValues: true }) as Record<string, { B?: Uint8Array }>;
    // In a Lambda event a binary attribute is a base64 string.
    const packed = image[PACKED_ATTRIBUTE]?.B as Uint8Array;
    const lambdaImage = {
      ...image,
      [PACKED_ATTRIBUTE]: { B: Buffer.from(packed).toString('base64') },
    } as unknown as Record<string, AttributeValue>;
    const record: DynamoDBRecord = {
      eventName: 'MODIFY',
      dynamodb: { Keys: { PK: { S: `CASE#${caseId}` }, SK: { S: 'CASE' } }, NewImage: lambdaImage },
    };

    expect(caseOfStreamRecord(record)).toEqual(next);
  });
});
