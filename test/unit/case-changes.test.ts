import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { caseChangesFor } from '../../functions/app/case-changes.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { ArchiveControl } from '../../functions/domain/ports.js';
import { CaseCounter } from '../../functions/reports/compute.js';
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

describe('the case changes on the stream', () => {
  it('counts every changed case, erases each expired case’s archive, and retries only what failed', async () => {
    const cases = new Map<string, CaseRecord>([['case-1', openCase('case-1')]]);
    const counters = new MemoryReportCounters();
    const settled: string[] = [];
    const settle = counters.settle.bind(counters);
    counters.settle = async (caseId, version, contribution) => {
      settled.push(caseId);
      return settle(caseId, version, contribution);
    };
    const archive = archiveOf(['case-held']);

    const result = await caseChangesFor(
      { store: { get: async (id) => cases.get(id) }, counters, counter: new CaseCounter(policy) },
      { control: archive },
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
      { control: archiveOf(['case-held']) },
      { Records: [record('case-held', '7', 'ttl')] },
    );

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '7' }]);
  });
});
