import { randomUUID } from 'node:crypto';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseIdempotencyKey, caseKey, idempotencyKey } from '../../functions/adapters/case-table.js';
import { S3Archive } from '../../functions/adapters/s3-archive.js';
import { DOWNLOADS_PREFIX, S3Downloads } from '../../functions/adapters/s3-downloads.js';
import { S3RecordsControl } from '../../functions/adapters/s3-records-control.js';
import { expireArchivesFor } from '../../functions/app/archive-expiry.js';
import { downloadResponse } from '../../functions/app/download-response.js';
import { type ErasureDeps, eraseCase } from '../../functions/app/retention-actions.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { HttpError } from '../../functions/http/errors.js';
import { type CaseTableOnStandIns, startCaseTable } from '../support/case-table.js';
import { MemoryAuditLog } from '../support/memory-audit-log.js';
import { MemorySuppressionList } from '../support/memory-suppression-list.js';
import { DPO } from '../support/staff-members.js';
import { archiveStoredCase, RECEIVED_EVENT, storedCase } from '../support/stored-case.js';

/**
 * What an erasure leaves behind beside the case's own items and archive, against DynamoDB Local
 * and the S3 stand-in: nothing of the resident may outlive it, not even for the day a helper item
 * or a file handed out for download would otherwise last.
 */

const policy = loadPolicy('lgsco-code-2024');
const ERASE_FORM = { erasureGround: 'consent-withdrawn', erasureConfirm: 'yes' };
let table: CaseTableOnStandIns;
let downloads: S3Downloads;

beforeAll(async () => {
  table = await startCaseTable(['dynamodb', 's3']);
  downloads = new S3Downloads({ bucket: table.standIns.bucket, client: table.s3 });
}, 120_000);

afterAll(async () => {
  await table?.stop();
});

function deps(now: Date, audit = new MemoryAuditLog()): ErasureDeps & { audit: MemoryAuditLog } {
  const control = new S3RecordsControl({ bucket: table.standIns.bucket, client: table.s3 });
  return {
    store: table.store,
    control,
    downloads,
    suppressions: new MemorySuppressionList(),
    audit,
    policy,
    now: () => now,
    newId: randomUUID,
  };
}

/** A closed case of Ada's, stored (with `idempotencyKey` when given) and closed. */
async function closedCase(idempotency?: string, email = 'ada@example.org'): Promise<CaseRecord> {
  const record = storedCase({
    caseId: randomUUID(),
    complainant: { name: 'Ada Resident', email, phone: '01632 960001' },
  });
  await table.store.create(record, RECEIVED_EVENT, idempotency);
  return table.store.update(record.caseId, record.version, {
    set: { status: 'closed', closedAt: '2026-06-30T15:00:00.000Z', deadlines: {} },
    event: { at: '2026-06-30T15:00:00.000Z', type: 'closed', actor: 'workflow' },
  });
}

async function exportKeys(): Promise<string[]> {
  const page = await table.s3.send(
    new ListObjectsV2Command({ Bucket: table.standIns.bucket, Prefix: DOWNLOADS_PREFIX }),
  );
  return (page.Contents ?? []).map((o) => o.Key as string);
}

/** Hands out a file about `cases` through a link (as the workspace does when it is too large to answer). */
async function handOut(filename: string, cases: CaseRecord[]): Promise<void> {
  const file = {
    body: new TextEncoder().encode(`PK everything held about Ada in ${filename}`),
    filename,
    contentType: 'application/zip',
    caseIds: cases.map((c) => c.caseId),
  };
  const answer = await downloadResponse({ downloads, store: table.store }, file, 0);
  expect(answer.statusCode).toBe(303);
}

describe('erasure and the files handed out for download', () => {
  it('deletes at once every export and Ombudsman file holding the erased case, keeps the others, and audits it', async () => {
    // Prepare: an Ombudsman file of the case, a subject access export of it with another case
    // of Ada's, and an Ombudsman file of that other case alone.
    const erased = await closedCase();
    const other = await closedCase();
    const before = new Set(await exportKeys());
    await handOut('ombudsman-file.zip', [erased]);
    await handOut('subject-access.zip', [erased, other]);
    await handOut('other-ombudsman-file.zip', [other]);
    const files = (await exportKeys()).filter((k) => !before.has(k) && !k.includes('/by-case/'));
    expect(files).toHaveLength(3);
    const audit = new MemoryAuditLog();

    // Act
    await eraseCase(deps(new Date('2026-08-01T09:00:00Z'), audit), DPO, erased.reference, ERASE_FORM);

    // Assess: the two files holding the erased case are gone now, not after the bucket's day
    const left = await exportKeys();
    expect(files.filter((k) => left.includes(k)).map((k) => k.split('/').pop())).toEqual([
      'other-ombudsman-file.zip',
    ]);
    expect(left.filter((k) => k.includes(erased.caseId))).toEqual([]);
    expect(audit.entries).toEqual([
      expect.objectContaining({
        action: 'erase',
        detail: expect.stringContaining('2 files handed out for download deleted'),
      }),
    ]);
  });
});

describe('an export or Ombudsman file racing an erasure of its case', () => {
  /** A file made from what was read of `cases` before anyone erased them. */
  function fileOf(filename: string, cases: CaseRecord[]) {
    return {
      body: new TextEncoder().encode(`PK everything held about Ada in ${filename}`),
      filename,
      contentType: 'application/zip',
      caseIds: cases.map((c) => c.caseId),
    };
  }

  /** The answer, or the HTTP error the workspace shows instead. */
  async function answerOrError(answer: Promise<unknown>): Promise<unknown> {
    return answer.catch((error: unknown) => error);
  }

  it('stores no file and hands out no link when the erasure finished while the file was being made', async () => {
    // Prepare: the export read the case; then the erasure ran to its end.
    const erased = await closedCase();
    const file = fileOf('subject-access.zip', [erased]);
    await eraseCase(deps(new Date()), DPO, erased.reference, ERASE_FORM);

    // Act: the export finishes, with a file too large to answer in the response.
    const answer = await answerOrError(downloadResponse({ downloads, store: table.store }, file, 0));

    // Assess
    expect(answer).toBeInstanceOf(HttpError);
    expect((answer as HttpError).statusCode).toBe(409);
    expect((await exportKeys()).filter((k) => k.includes(erased.caseId))).toEqual([]);
  });

  it('stores no file and hands out no link when the erasure swept the files between the export filing its file and writing it', async () => {
    // Prepare: a bucket where the erasure runs just before the export writes the file itself
    // (after filing it under its case), so the erasure's sweep finds nothing to delete.
    const erased = await closedCase();
    let raced = false;
    const racing = Object.assign(Object.create(table.s3), {
      send: async (command: unknown) => {
        const key = command instanceof PutObjectCommand ? (command.input.Key ?? '') : '';
        if (!raced && key.startsWith(DOWNLOADS_PREFIX) && !key.includes('/by-case/')) {
          raced = true;
          await eraseCase(deps(new Date()), DPO, erased.reference, ERASE_FORM);
        }
        return table.s3.send(command as PutObjectCommand);
      },
    }) as S3Client;
    const exporting = new S3Downloads({ bucket: table.standIns.bucket, client: racing });
    const before = new Set(await exportKeys());

    // Act
    const answer = await answerOrError(
      downloadResponse(
        { downloads: exporting, store: table.store },
        fileOf('ombudsman-file.zip', [erased]),
        0,
      ),
    );

    // Assess: the erasure did run in between, and nothing of the file is left or linked
    expect(raced).toBe(true);
    expect(answer).toBeInstanceOf(HttpError);
    expect((await exportKeys()).filter((k) => !before.has(k))).toEqual([]);
  });

  it('does not answer with a small file whose case was erased while it was being made', async () => {
    // Prepare
    const erased = await closedCase();
    const other = await closedCase();
    const file = fileOf('subject-access.zip', [other, erased]);
    await eraseCase(deps(new Date()), DPO, erased.reference, ERASE_FORM);

    // Act: small enough to answer in the response itself
    const answer = await answerOrError(downloadResponse({ downloads, store: table.store }, file));

    // Assess
    expect(answer).toBeInstanceOf(HttpError);
    expect((answer as HttpError).statusCode).toBe(409);
  });

  it('still hands out the file of cases nobody erased', async () => {
    // Prepare
    const kept = await closedCase();

    // Act
    const answer = await downloadResponse(
      { downloads, store: table.store },
      fileOf('ombudsman-file.zip', [kept]),
      0,
    );

    // Assess
    expect(answer.statusCode).toBe(303);
    expect((await exportKeys()).some((k) => k.endsWith('/ombudsman-file.zip'))).toBe(true);
  });
});

describe('erasure and the intake’s idempotency item', () => {
  it('deletes the item that sends a replayed submission to the case', async () => {
    // Prepare: a case stored with an Idempotency-Key, closed and erased within the key's day.
    const key = `ada@example.org ${randomUUID()}`;
    const closed = await closedCase(key);
    expect(await table.item(idempotencyKey(key))).toMatchObject({ caseId: closed.caseId });

    // Act
    await eraseCase(deps(new Date()), DPO, closed.reference, ERASE_FORM);

    // Assess: the key's item, and the case's note of it
    expect(await table.item(idempotencyKey(key))).toBeUndefined();
    expect(await table.item(caseIdempotencyKey(closed.caseId))).toBeUndefined();
  });
});

describe('erasure and SES’s suppression list', () => {
  it('asks SES to forget the resident’s address, which a bounce or complaint put on it for good', async () => {
    // Prepare
    const email = `ada.${randomUUID().slice(0, 8)}@example.org`;
    const closed = await closedCase(undefined, email);
    const suppressions = new MemorySuppressionList(new Set([email]));
    const erasure = { ...deps(new Date()), suppressions };

    // Act
    await eraseCase(erasure, DPO, closed.reference, ERASE_FORM);

    // Assess
    expect(suppressions.forgotten).toEqual([email]);
  });

  it('keeps the address while another case of theirs is kept: their email still goes there', async () => {
    // Prepare
    const email = `ada.${randomUUID().slice(0, 8)}@example.org`;
    const erased = await closedCase(undefined, email);
    await closedCase(undefined, email.toUpperCase());
    const suppressions = new MemorySuppressionList(new Set([email]));
    const erasure = { ...deps(new Date()), suppressions };

    // Act
    await eraseCase(erasure, DPO, erased.reference, ERASE_FORM);

    // Assess
    expect(suppressions.forgotten).toEqual([]);
  });

  it('leaves SES’s list alone where the deployment keeps it (the default), and says so in the audit log', async () => {
    // Prepare: no suppression list to change (redress:forgetSuppressedAddresses is not true)
    const closed = await closedCase(undefined, `ada.${randomUUID().slice(0, 8)}@example.org`);
    const { suppressions: _none, ...keeping } = deps(new Date());

    // Act
    await eraseCase(keeping, DPO, closed.reference, ERASE_FORM);

    // Assess
    const [entry] = keeping.audit.entries.filter((e) => e.subject?.caseId === closed.caseId);
    expect(entry?.detail).toMatch(
      /; email address left on the suppression list if it is there: this deployment does not change the list$/,
    );
  });
});

describe('an expired case and SES’s suppression list', () => {
  /** The table's TTL deleting the case item, as the case changes function reads it. */
  function expiry(caseId: string): DynamoDBRecord {
    return {
      eventName: 'REMOVE',
      userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
      dynamodb: { Keys: { PK: { S: `CASE#${caseId}` }, SK: { S: 'CASE' } }, SequenceNumber: '1' },
    };
  }

  /** A closed case of Ada's, archived as the archive step does, then expired by the table's TTL. */
  async function expiredCase(email: string): Promise<CaseRecord> {
    const closed = await closedCase(undefined, email);
    await archiveStoredCase(
      { archive: caseFiles(), s3: table.s3, bucket: table.standIns.bucket },
      closed,
      '2026-06-30T16:00:00.000Z',
    );
    await table.raw.send(new DeleteCommand({ TableName: table.tableName, Key: caseKey(closed.caseId) }));
    return closed;
  }

  function expiryDeps(suppressions?: MemorySuppressionList) {
    return {
      control: new S3RecordsControl({ bucket: table.standIns.bucket, client: table.s3 }),
      downloads,
      ...(suppressions ? { forgetting: { archive: caseFiles(), store: table.store, suppressions } } : {}),
    };
  }

  it('asks SES to forget the address of a case whose retention ended, as an erasure does', async () => {
    // Prepare
    const email = `ada.${randomUUID().slice(0, 8)}@example.org`;
    const expired = await expiredCase(email);
    const suppressions = new MemorySuppressionList(new Set([email]));

    // Act
    const result = await expireArchivesFor(expiryDeps(suppressions), { Records: [expiry(expired.caseId)] });

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(suppressions.forgotten).toEqual([email]);
  });

  it('keeps the address while another case of theirs is kept', async () => {
    // Prepare
    const email = `ada.${randomUUID().slice(0, 8)}@example.org`;
    const expired = await expiredCase(email);
    await closedCase(undefined, email);
    const suppressions = new MemorySuppressionList(new Set([email]));

    // Act
    const result = await expireArchivesFor(expiryDeps(suppressions), { Records: [expiry(expired.caseId)] });

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(suppressions.forgotten).toEqual([]);
  });

  it('deletes the archive and leaves SES’s list alone where the deployment keeps it', async () => {
    // Prepare
    const expired = await expiredCase(`ada.${randomUUID().slice(0, 8)}@example.org`);

    // Act
    const result = await expireArchivesFor(expiryDeps(), { Records: [expiry(expired.caseId)] });

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(await caseFiles().getCaseFile(expired.caseId)).toBeUndefined();
  });
});

function caseFiles(): S3Archive {
  return new S3Archive({ bucket: table.standIns.bucket, client: table.s3 });
}
