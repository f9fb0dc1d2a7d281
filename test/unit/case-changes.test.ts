import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { caseChangesFor } from '../../functions/app/case-changes.js';
import { isCountedCaseRecord } from '../../functions/app/report-counting.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { ArchiveControl } from '../../functions/domain/ports.js';
import { CaseCounter } from '../../functions/reports/compute.js';
import { MemoryDownloads } from '../support/memory-downloads.js';
import { MemoryReportCounters } from '../support/memory-report-counters.js';
import { openCase } from '../support/open-case.js';

/**
 * The case table's stream, second reader: one batch both keeps the report's counters and takes
 * an expired case's archive with it, and a record either part could not finish is retried.
 */

const policy = loadPolicy('lgsco-code-2024');

function record(caseId: string, sequence: string, by: 'change' | 'ttl' = 'change'): DynamoDBRecord {
  return {
    eventName: by === 'ttl' ? 'REMOVE' : 'MODIFY',
    ...(by === 'ttl' ? { userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } } : {}),
    dynamodb: { Keys: { PK: { S: `CASE#${caseId}` }, SK: { S: 'CASE' } }, SequenceNumber: sequence },
  };
}

/** An archive whose held cases keep their objects; it remembers what it erased. */
function archiveOf(held: string[]): ArchiveControl & { erased: string[] } {
  const erased: string[] = [];
  return {
    erased,
    tags: async (caseId: string) => ({
      [`cases/${caseId}/case.json`]: held.includes(caseId) ? 'hold' : '2y',
    }),
    erase: async (caseId: string) => {
      erased.push(caseId);
      return 1;
    },
  } as unknown as ArchiveControl & { erased: string[] };
}

/** Counters in memory that remember which cases were settled, in order. */
function recordingCounters(): { counters: MemoryReportCounters; settled: string[] } {
  const counters = new MemoryReportCounters();
  const settled: string[] = [];
  const settle = counters.settle.bind(counters);
  counters.settle = async (caseId, version, contribution) => {
    settled.push(caseId);
    return settle(caseId, version, contribution);
  };
  return { counters, settled };
}

describe('the case changes on the stream', () => {
  it('counts every changed case, erases each expired case’s archive, and retries only what failed', async () => {
    const cases = new Map<string, CaseRecord>([['case-1', openCase('case-1')]]);
    const { counters, settled } = recordingCounters();
    const archive = archiveOf(['case-held']);

    const result = await caseChangesFor(
      { store: { get: async (id) => cases.get(id) }, counters, counter: new CaseCounter(policy) },
      { control: archive, downloads: new MemoryDownloads() },
      { Records: [record('case-1', '1'), record('case-held', '2', 'ttl'), record('case-gone', '3', 'ttl')] },
    );

    expect(settled.sort()).toEqual(['case-1', 'case-gone', 'case-held']);
    expect(archive.erased).toEqual(['case-gone']);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '2' }]);
  });

  it('names a record once when both parts failed on it', async () => {
    const counters = new MemoryReportCounters();
    counters.settle = async () => {
      throw new Error('ProvisionedThroughputExceededException');
    };

    const result = await caseChangesFor(
      { store: { get: async () => undefined }, counters, counter: new CaseCounter(policy) },
      { control: archiveOf(['case-held']), downloads: new MemoryDownloads() },
      { Records: [record('case-held', '7', 'ttl')] },
    );

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '7' }]);
  });

  it('settles nothing when it cannot find the generation to count into, and has the batch retried from its first counted record', async () => {
    const cases = new Map<string, CaseRecord>([
      ['case-1', openCase('case-1')],
      ['case-2', openCase('case-2')],
    ]);
    const { counters, settled } = recordingCounters();
    counters.counting = async () => {
      throw new Error('ProvisionedThroughputExceededException');
    };

    const result = await caseChangesFor(
      { store: { get: async (id) => cases.get(id) }, counters, counter: new CaseCounter(policy) },
      { control: archiveOf([]), downloads: new MemoryDownloads() },
      { Records: [record('case-1', '4'), record('case-2', '5'), record('case-1', '6')] },
    );

    expect(settled).toEqual([]);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '4' }]);
  });

  it('counts each case as the batch’s last change of it left it, reading the case only when that change carries no usable image', async () => {
    const imageOf = (c: CaseRecord) =>
      marshall(
        { ...c, PK: `CASE#${c.caseId}`, SK: 'CASE', entity: 'case', lastEventSeq: 1 },
        {
          removeUndefinedValues: true,
        },
      ) as Record<string, AttributeValue>;
    const withImage = (c: CaseRecord, sequence: string, image = imageOf(c)): DynamoDBRecord => ({
      ...record(c.caseId, sequence),
      dynamodb: { ...record(c.caseId, sequence).dynamodb, NewImage: image },
    });
    const stored = new Map<string, CaseRecord>([['case-3', openCase('case-3', { version: 9 })]]);
    const read: string[] = [];
    const counters = new MemoryReportCounters();
    const settled: [string, number][] = [];
    const settle = counters.settle.bind(counters);
    counters.settle = async (caseId, version, contribution) => {
      settled.push([caseId, version]);
      if (caseId === 'case-2') throw new Error('ProvisionedThroughputExceededException');
      return settle(caseId, version, contribution);
    };

    const result = await caseChangesFor(
      {
        store: {
          get: async (id) => {
            read.push(id);
            return stored.get(id);
          },
        },
        counters,
        counter: new CaseCounter(policy),
      },
      { control: archiveOf([]), downloads: new MemoryDownloads() },
      {
        Records: [
          withImage(openCase('case-1', { version: 2 }), '1'),
          withImage(openCase('case-2', { version: 5 }), '2'),
          withImage(openCase('case-1', { version: 3 }), '3'),
          withImage(openCase('case-2', { version: 6 }), '4'),
          // DynamoDB Local's image of an empty map: the case is read instead.
          withImage(openCase('case-3', { version: 8 }), '5', {
            ...imageOf(openCase('case-3')),
            deadlines: {} as AttributeValue,
          }),
        ],
      },
    );

    expect(read).toEqual(['case-3']);
    expect(settled.sort()).toEqual([
      ['case-1', 3],
      ['case-2', 6],
      ['case-3', 9],
    ]);
    // A case that failed is retried from its first record in the batch.
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '2' }]);
  });

  it('passes over a change of the steps’ outbox alone, as the event filter does on AWS', async () => {
    const { counters, settled } = recordingCounters();
    const outboxMark: DynamoDBRecord = {
      ...record('case-1', '1'),
      dynamodb: { ...record('case-1', '1').dynamodb, NewImage: { outboxOnly: { BOOL: true } } },
    };

    expect(isCountedCaseRecord(outboxMark)).toBe(false);
    expect(isCountedCaseRecord(record('case-2', '2'))).toBe(true);
    expect(isCountedCaseRecord(record('case-3', '3', 'ttl'))).toBe(true);
    const result = await caseChangesFor(
      { store: { get: async (id) => openCase(id) }, counters, counter: new CaseCounter(policy) },
      { control: archiveOf([]), downloads: new MemoryDownloads() },
      { Records: [outboxMark, record('case-3', '3', 'ttl')] },
    );

    expect(settled).toEqual(['case-3']);
    expect(result.batchItemFailures).toEqual([]);
  });
});
