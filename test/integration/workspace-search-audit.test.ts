/**
 * The workspace's search in the audit log, in-process against DynamoDB Local (cases, sessions and
 * the log): a search shows residents' names and contact details, so each one is recorded (who,
 * when, how it searched, which cases it showed) without the words searched for, which are
 * themselves a person's name, email address, phone number or postcode.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log.js';
import { DynamoDbStaffStore } from '../../functions/adapters/dynamodb-staff-store.js';
import { submitFeedback } from '../../functions/app/intake.js';
import type { AuditEntry } from '../../functions/domain/audit.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { StaffMember } from '../../functions/domain/staff.js';
import { apiEvent } from '../support/api-event.js';
import { type CaseTableOnStandIns, startCaseTable } from '../support/case-table.js';
import { staffSession, workspaceApi, workspaceDeps } from '../support/workspace-api.js';

const policy = loadPolicy('lgsco-code-2024');
const NOW = new Date('2026-03-04T10:00:00Z');
const [first, second] = policy.routing.services;
const OFFICER: StaffMember = {
  sub: 'sam',
  email: 'sam.patel@example.gov.uk',
  name: 'Sam Patel',
  roles: ['officer'],
  services: [first?.id as string],
};

let table: CaseTableOnStandIns;
let audit: DynamoDbAuditLog;
let staffStore: DynamoDbStaffStore;
let api: ReturnType<typeof workspaceApi>;
let seen: string;
let unseen: string;

beforeAll(async () => {
  table = await startCaseTable(['dynamodb']);
  audit = new DynamoDbAuditLog({ tableName: table.tableName });
  const intake = { store: table.store, policy, now: () => NOW, newId: () => randomUUID() };
  const complainant = {
    name: 'Ada Lovelace',
    email: 'ada.lovelace@example.org',
    phone: '01632 960001',
    address: '4 Example Road, Exampletown EX1 2AB',
  };
  // Complaints, each about its own service (a first report would go to the service it names).
  seen = (
    await submitFeedback(intake, {
      service: first?.id,
      summary: 'I reported the broken street light three times and nobody has come.',
      complainant,
    })
  ).record.reference;
  // Ada's other case is in a service the officer does not work in: not shown, so not audited.
  unseen = (
    await submitFeedback(intake, {
      service: second?.id,
      summary: 'My bin has been missed four weeks running and nobody answers my calls.',
      complainant,
    })
  ).record.reference;
  staffStore = new DynamoDbStaffStore({ tableName: table.tableName });
  api = workspaceApi(workspaceDeps({ store: table.store, staffStore, policy, now: () => NOW, audit }));
}, 120_000);

afterAll(async () => {
  await table?.stop();
});

async function search(q: string): Promise<AuditEntry[]> {
  const s = await staffSession(staffStore, OFFICER, NOW);
  const before = await entries();
  const result = await api(
    apiEvent('GET', '/staff/search', { headers: { Accept: 'text/html', Cookie: s.cookie }, query: { q } }),
  );
  expect(result.statusCode).toBe(200);
  const after = await entries();
  return after.filter((e) => !before.some((b) => b.id === e.id));
}

async function entries(): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for await (const e of audit.between('2026-03', '2026-03')) out.push(e);
  return out;
}

describe('a search in the workspace', () => {
  it('is audited: who, when, by what kind of detail, and the cases it showed, never the words', async () => {
    for (const [q, kind] of [
      ['Lovelace', 'name'],
      ['ada.lovelace@example.org', 'email'],
      ['01632 960001', 'phone'],
      ['EX1 2AB', 'postcode'],
    ] as const) {
      const added = await search(q);

      expect(added, q).toEqual([
        expect.objectContaining({
          action: 'workspace.search',
          actor: OFFICER.email,
          actorRoles: ['officer'],
          at: NOW.toISOString(),
          detail: `by ${kind}; 1 case shown: ${seen}`,
        }),
      ]);
      // Without the entries' random ids, which may hold any few letters ("972abcbe…" holds "2ab").
      const text = JSON.stringify(added.map(({ id: _id, ...entry }) => entry)).toLowerCase();
      for (const personal of ['lovelace', 'ada', '960001', 'ex1', '2ab'])
        expect(text, q).not.toContain(personal);
      expect(text).not.toContain(unseen.toLowerCase());
    }
  });

  it('is audited when it shows nothing, or was for a reference', async () => {
    expect(await search('Babbage')).toEqual([
      expect.objectContaining({ action: 'workspace.search', detail: 'by name; no case shown' }),
    ]);
    expect(await search(seen)).toEqual([
      expect.objectContaining({ action: 'workspace.search', detail: `by reference; 1 case shown: ${seen}` }),
    ]);
  });
});
