import { randomUUID } from 'node:crypto';
import { PutObjectCommand, PutObjectTaggingCommand, type S3Client, type Tag } from '@aws-sdk/client-s3';
import { letterKey, type S3Archive } from '../../functions/adapters/s3-archive.js';
import type { CaseEvent, CaseRecord } from '../../functions/domain/case.js';
import { evidenceKey } from '../../functions/domain/evidence.js';
import type { CaseStore } from '../../functions/domain/ports.js';

/** The first event of a case as intake stores it: the resident's submission, a second after it came. */
export const RECEIVED_EVENT: Omit<CaseEvent, 'caseId' | 'seq'> = {
  at: '2026-03-02T10:00:01.000Z',
  type: 'received',
  actor: 'resident',
  channel: 'online',
};

/**
 * A complaint as the case table holds it while it is looked into: received online on Monday
 * 2 March 2026 under the LGSCO code, at stage 1, with no deadline pending. Its reference is made
 * and the resident's email from its id (unique, as intake's references are); `overrides` give
 * what a test is about.
 */
export function storedCase(overrides: Partial<CaseRecord> = {}): CaseRecord {
  const caseId = overrides.caseId ?? randomUUID();
  return {
    caseId,
    reference: `CMP-2026-${caseId.slice(0, 6).toUpperCase()}`,
    kind: 'complaint',
    submittedKind: 'complaint',
    status: 'investigating',
    stage: 1,
    policyId: 'lgsco-code-2024',
    summary: 'The repair to my roof was booked twice and nobody came.',
    complainant: { name: 'Ada Resident', email: `ada.${caseId.slice(0, 8)}@example.org` },
    anonymous: false,
    channel: 'online',
    receivedAt: '2026-03-02T10:00:00.000Z',
    createdAt: '2026-03-02T10:00:01.000Z',
    updatedAt: '2026-03-02T10:00:01.000Z',
    triage: { route: 'handle', reasons: [] },
    progress: { stage1: { startedAt: '2026-03-02T10:00:00.000Z' } },
    deadlines: {},
    version: 1,
    ...overrides,
  };
}

/** `storedCase(overrides)` created in `store` with its `received` event (`RECEIVED_EVENT` by default). */
export async function createStoredCase(
  store: Pick<CaseStore, 'create'>,
  overrides: Partial<CaseRecord> = {},
  received: Omit<CaseEvent, 'caseId' | 'seq'> = RECEIVED_EVENT,
): Promise<CaseRecord> {
  const record = storedCase(overrides);
  await store.create(record, received);
  return record;
}

/**
 * Archives a closed case as the archive step does, in retention class `2y`: its case file, one
 * letter (`response-1`), and one evidence file dated `archivedAt` and tagged with `evidenceTags`
 * as well. Returns the keys of the three objects, sorted.
 */
export async function archiveStoredCase(
  to: { archive: S3Archive; s3: S3Client; bucket: string },
  record: CaseRecord,
  archivedAt: string,
  evidenceTags: Tag[] = [],
): Promise<string[]> {
  const { archive, s3, bucket } = to;
  await archive.putCaseFile(record.caseId, { case: record, events: [], archivedAt }, '2y');
  await archive.putLetter(record.caseId, 'response-1', new TextEncoder().encode('%PDF-1.7 letter'));
  await archive.retainLetters(record.caseId, ['response-1'], '2y', archivedAt);
  const evidence = evidenceKey(record.caseId, randomUUID());
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: evidence,
      Body: 'photo of the roof',
      Metadata: { 'archived-at': archivedAt },
    }),
  );
  await s3.send(
    new PutObjectTaggingCommand({
      Bucket: bucket,
      Key: evidence,
      Tagging: { TagSet: [{ Key: 'retention', Value: '2y' }, ...evidenceTags] },
    }),
  );
  return [`cases/${record.caseId}.json`, letterKey(record.caseId, 'response-1'), evidence].sort();
}

/** `storedCase(overrides)` as intake leaves it: awaiting acknowledgement, its deadlines set. */
export function awaitingAcknowledgement(overrides: Partial<CaseRecord> = {}): CaseRecord {
  return storedCase({
    status: 'awaiting-acknowledgement',
    deadlines: { acknowledgeBy: '2026-03-09T23:59:59.000Z', respondBy: '2026-03-23T23:59:59.000Z' },
    ...overrides,
  });
}
