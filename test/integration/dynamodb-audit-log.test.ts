import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log.js';
import { type AuditEntry, auditEntry } from '../../functions/domain/audit.js';
import { type CaseTableOnStandIns, startCaseTable } from '../support/case-table.js';

/** The audit log of data protection work on the case table, against Amazon's DynamoDB Local. */

let table: CaseTableOnStandIns;
let raw: DynamoDBDocumentClient;
let tableName: string;
let log: DynamoDbAuditLog;
const DPO = { email: 'dana.okafor@example.gov.uk', roles: ['data-protection' as const] };

beforeAll(async () => {
  table = await startCaseTable();
  ({ raw, tableName } = table);
  log = new DynamoDbAuditLog({ tableName });
});

afterAll(async () => {
  await table?.stop();
});

async function all(from: string, to: string, since?: string): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for await (const e of log.between(from, to, since)) out.push(e);
  return out;
}

describe('DynamoDbAuditLog', () => {
  it('keeps each entry once, in time order across a year end, expiring after six years', async () => {
    const hold = auditEntry(DPO, 'hold.place', '2026-12-31T23:59:00.000Z', randomUUID(), {
      subject: { caseId: 'c-1', reference: 'CMP-2026-000001' },
      detail: 'Litigation',
    });
    const erase = auditEntry(DPO, 'erase', '2027-01-01T00:01:00.000Z', randomUUID(), {
      subject: { caseId: 'c-2' },
      detail: 'Unlawfully processed',
    });
    const search = auditEntry(DPO, 'subject-access.search', '2026-12-01T09:00:00.000Z', randomUUID(), {
      detail: '3 terms, 2 cases',
    });
    await log.record(erase);
    await log.record(hold);
    await log.record({ ...hold, detail: 'rewritten' });
    await log.record(search);

    expect(await all('2026-12', '2027-01')).toEqual([search, hold, erase]);
    expect(await all('2027-01', '2027-01')).toEqual([erase]);
    expect(await all('2025-01', '2025-03')).toEqual([]);
    // From an instant on: the last minutes of December and the new year, not the whole month.
    expect(await all('2026-12', '2027-01', '2026-12-31T23:00:00.000Z')).toEqual([hold, erase]);

    const items = (await raw.send(new ScanCommand({ TableName: tableName }))).Items ?? [];
    const holdItem = items.find((i) => i.entry?.id === hold.id);
    expect(holdItem?.PK).toBe('AUDIT#2026-12');
    expect(holdItem?.expiresAt).toBe(Date.parse('2032-12-31T23:59:00.000Z') / 1000);
  });

  it('refuses a month that is not one', async () => {
    await expect(all('2026-13', '2027-01')).rejects.toThrow(RangeError);
  });
});
