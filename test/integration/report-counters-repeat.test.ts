import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseTable } from '../../functions/adapters/dynamodb-case-store.js';
import { DynamoDbReportCounters } from '../../functions/adapters/dynamodb-report-counters.js';
import type { CaseContribution } from '../../functions/reports/compute.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';

/**
 * A complainant's repeat copy (`REPEAT`) after a settle that wrote the counters and stopped before
 * bringing the copy in step (a crash, a throttled write): the record of the case keeps the
 * complainant pending, so the stream's redelivery, which finds the counts unchanged, still brings
 * the copy in step; and once nothing is pending, an unchanged settle reads the case's record
 * alone. On DynamoDB Local, with a client that can fail the copy's write once.
 */

let standIns: StandIns;
let raw: DynamoDBClient;
let tableName: string;
/** Requests sent, by command name; and whether the next write of a repeat copy fails. */
const sent: string[] = [];
let failNextCopy = false;

beforeAll(async () => {
  standIns = await startStandIns(['dynamodb']);
  raw = new DynamoDBClient({});
  tableName = `counters-${randomUUID()}`;
  await createCaseTable(raw, tableName);
});

afterAll(async () => {
  raw?.destroy();
  await standIns?.stop();
});

function countedClient(): DynamoDBDocumentClient {
  const client = DynamoDBDocumentClient.from(raw);
  const send = client.send.bind(client) as (command: unknown) => Promise<unknown>;
  client.send = (async (command: { constructor: { name: string }; input: { Item?: { PK?: string } } }) => {
    sent.push(command.constructor.name);
    if (
      failNextCopy &&
      command.constructor.name === 'PutCommand' &&
      command.input.Item?.PK?.startsWith('REPEAT#')
    ) {
      failNextCopy = false;
      throw Object.assign(new Error('the connection was reset'), { name: 'TimeoutError' });
    }
    return send(command);
  }) as typeof client.send;
  return client;
}

const contribution = (receivedOn: string, complainant: string): CaseContribution => ({
  receivedOn,
  counts: { received: 1 },
  complainant,
});

describe('the repeat copy of a complainant whose settle stopped half way', () => {
  it('is brought in step by the redelivery, and then an unchanged settle reads only the case’s record', async () => {
    const counters = new DynamoDbReportCounters({ tableName, basis: 'test', client: countedClient() });
    const into = await counters.rebuilding();
    await into.markBuilt();
    const period = { from: '2026-05-01', to: '2026-05-31' };

    // A complainant's first case; then their second, whose copy's write fails after the counts went in.
    expect(await into.settle('case-a', 1, contribution('2026-05-04', 'digest-1'))).toBe('changed');
    failNextCopy = true;
    await expect(into.settle('case-b', 1, contribution('2026-05-11', 'digest-1'))).rejects.toThrow();
    const halfWay = await counters.figures(period);
    expect(halfWay?.figures.get('received')).toBe(2);
    expect(halfWay?.repeat).toEqual({ complainants: 0, cases: 0 });

    // The stream delivers the record again: the counts are unchanged, the copy follows.
    expect(await into.settle('case-b', 1, contribution('2026-05-11', 'digest-1'))).toBe('unchanged');
    expect((await counters.figures(period))?.repeat).toEqual({ complainants: 1, cases: 2 });

    // Nothing pending now: a further delivery reads the case's record and nothing else.
    sent.length = 0;
    expect(await into.settle('case-b', 1, contribution('2026-05-11', 'digest-1'))).toBe('unchanged');
    expect(sent).toEqual(['GetCommand']);
    // And a change of the counts alone, the complainant's days untouched, writes without reading them.
    sent.length = 0;
    expect(
      await into.settle('case-b', 2, {
        ...contribution('2026-05-11', 'digest-1'),
        counts: { received: 1, late: 1 },
      }),
    ).toBe('changed');
    expect(sent).toEqual(['GetCommand', 'TransactWriteCommand']);
    expect((await counters.figures(period))?.repeat).toEqual({ complainants: 1, cases: 2 });
  });

  it('syncs once the complainant of a record written before the pending list existed', async () => {
    const counters = new DynamoDbReportCounters({ tableName, basis: 'test-old', client: countedClient() });
    const into = await counters.counting();
    expect(await into.settle('case-c', 1, contribution('2026-06-01', 'digest-2'))).toBe('changed');
    // A record as the code before the list wrote it: no `repeatPending`.
    const documents = DynamoDBDocumentClient.from(raw);
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    await documents.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { PK: 'REPORTED#case-c', SK: 'REPORTED' },
        UpdateExpression: 'REMOVE repeatPending',
      }),
    );
    sent.length = 0;
    expect(await into.settle('case-c', 1, contribution('2026-06-01', 'digest-2'))).toBe('unchanged');
    // The record, the complainant's item and copy, then the record marked with nothing pending.
    expect(sent.sort()).toEqual(['GetCommand', 'GetCommand', 'GetCommand', 'UpdateCommand']);
    sent.length = 0;
    expect(await into.settle('case-c', 1, contribution('2026-06-01', 'digest-2'))).toBe('unchanged');
    expect(sent).toEqual(['GetCommand']);
  });
});
