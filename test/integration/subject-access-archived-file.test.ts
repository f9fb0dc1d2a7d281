import { randomUUID } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { DynamoDbSubjectAccessRegister } from '../../functions/adapters/dynamodb-subject-access-register.js';
import { S3Archive } from '../../functions/adapters/s3-archive.js';
import { S3EvidenceStore } from '../../functions/adapters/s3-evidence.js';
import type { DataProtectionDeps } from '../../functions/app/data-protection.js';
import { buildSubjectAccessExport } from '../../functions/app/subject-access-export.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { RedactionMark, SubjectAccessRequest } from '../../functions/domain/subject-access.js';
import { type CaseTableOnStandIns, startCaseTable } from '../support/case-table.js';
import { MemoryAuditLog } from '../support/memory-audit-log.js';
import { MemoryStaffStore } from '../support/memory-staff-store.js';
import { createStoredCase } from '../support/stored-case.js';

/**
 * A subject access export of a closed, archived case, against DynamoDB Local and the S3 stand-in.
 * The ZIP holds the archived case file beside the table's record and history: a second copy of
 * the case, with every other person's data that the first has (a neighbour's phone number in an
 * officer's note). The reviewer redacts what `redactions.json` lists, file by field; a piece of
 * third-party data listed only where it sits in the table's copy would be released from the
 * archived copy.
 */

const policy = loadPolicy('lgsco-code-2024');
const NOW = new Date('2026-09-01T10:00:00.000Z');
const NEIGHBOUR_PHONE = '07700 900123';

let table: CaseTableOnStandIns;
let deps: DataProtectionDeps;
let store: DynamoDbCaseStore;
let archive: S3Archive;

beforeAll(async () => {
  table = await startCaseTable(['dynamodb', 's3']);
  const { standIns, s3, tableName } = table;
  store = table.store;
  archive = new S3Archive({ bucket: standIns.bucket, client: s3 });
  deps = {
    store,
    archive,
    evidence: new S3EvidenceStore({ bucket: standIns.bucket, client: s3 }),
    audit: new MemoryAuditLog(),
    subjectAccess: new DynamoDbSubjectAccessRegister({ tableName }),
    staffStore: new MemoryStaffStore(),
    policy,
    now: () => NOW,
    newId: () => randomUUID(),
  };
}, 120_000);

afterAll(async () => {
  await table?.stop();
});

describe('a subject access export of an archived case', () => {
  it('lists third-party data in the archived case file, where it is in that file, for redaction', async () => {
    // Prepare: a closed case whose officer noted a neighbour's phone number, archived.
    const record = await createStoredCase(store, {
      policyId: policy.id,
      summary: 'Noise from next door every night.',
      complainant: { name: 'Ada Lovelace', email: 'ada@example.com' },
    });
    const { caseId } = record;
    const noted = await store.update(caseId, 1, {
      event: {
        at: '2026-03-05T10:00:00.000Z',
        type: 'note-added',
        actor: 'sam.patel@example.gov.uk',
        detail: { text: `Called the neighbour on ${NEIGHBOUR_PHONE}` },
      },
    });
    const closed = await store.update(caseId, noted.version, {
      set: { status: 'closed', closedAt: '2026-04-01T10:00:00.000Z' },
      event: { at: '2026-04-01T10:00:00.000Z', type: 'closed', actor: 'workflow' },
    });
    const events = await store.events(caseId);
    await archive.putCaseFile(caseId, { case: closed, events, archivedAt: '2026-04-01T11:00:00.000Z' }, '2y');
    const request: SubjectAccessRequest = {
      id: randomUUID(),
      subject: { name: 'Ada Lovelace', email: 'ada@example.com' },
      receivedOn: '2026-08-20',
      channel: 'email',
      dueOn: '2026-09-21',
      status: 'open',
      confirmedCases: [{ caseId, reference: record.reference }],
      createdAt: '2026-08-20T10:00:00.000Z',
      createdBy: 'dana.okafor@example.gov.uk',
      version: 1,
    };

    // Act
    const built = await buildSubjectAccessExport(deps, request, NOW);

    // Assess: the archived copy holds the number, and the list says where in it.
    const files = unzipSync(built.zip);
    const folder = `cases/${record.reference}`;
    expect(strFromU8(files[`${folder}/archived-case-file.json`] as Uint8Array)).toContain(NEIGHBOUR_PHONE);
    const { marks } = JSON.parse(strFromU8(files['redactions.json'] as Uint8Array)) as {
      marks: RedactionMark[];
    };
    const phones = marks.filter((m) => m.text === NEIGHBOUR_PHONE).map((m) => m.where);
    expect(phones).toEqual(expect.arrayContaining([expect.stringMatching(/^events\[\d+\]\.detail\.text$/)]));
    expect(phones).toEqual(
      expect.arrayContaining([expect.stringMatching(/^archived-case-file\.events\[\d+\]\.detail\.text$/)]),
    );
  });

  it('names as held the cases whose data it holds: not one erased before it was made, whose tombstone holds none', async () => {
    // Prepare: two cases of Ada's, one erased before the export (its tombstone stays in the table).
    const kept = await createStoredCase(store, {
      policyId: policy.id,
      complainant: { name: 'Ada Lovelace' },
    });
    const erased = await createStoredCase(store, {
      policyId: policy.id,
      complainant: { name: 'Ada Lovelace' },
    });
    await store.update(erased.caseId, erased.version, {
      set: {
        erasure: {
          at: '2026-08-25T10:00:00.000Z',
          by: 'dana.okafor@example.gov.uk',
          ground: 'consent-withdrawn',
        },
      },
      event: { at: '2026-08-25T10:00:00.000Z', type: 'erased', actor: 'dana.okafor@example.gov.uk' },
    });
    const request: SubjectAccessRequest = {
      id: randomUUID(),
      subject: { name: 'Ada Lovelace' },
      receivedOn: '2026-08-20',
      channel: 'email',
      dueOn: '2026-09-21',
      status: 'open',
      confirmedCases: [kept, erased].map((c) => ({ caseId: c.caseId, reference: c.reference })),
      createdAt: '2026-08-20T10:00:00.000Z',
      createdBy: 'dana.okafor@example.gov.uk',
      version: 1,
    };

    // Act
    const built = await buildSubjectAccessExport(deps, request, NOW);

    // Assess
    expect(built.caseIds).toEqual([kept.caseId]);
  });
});
