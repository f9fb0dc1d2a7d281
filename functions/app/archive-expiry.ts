import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { caseKey } from '../adapters/case-table.js';
import type { CaseRecord } from '../domain/case.js';
import { HOLD_TAG } from '../domain/legal-hold.js';
import type {
  Archive,
  ArchiveControl,
  Downloads,
  ExpiredHistorySweeper,
  SuppressionList,
} from '../domain/ports.js';
import { logger } from '../observability.js';
import {
  forgetSuppressedAddress,
  SUPPRESSION_LIST_LEFT_ALONE,
  type SuppressedAddressDeps,
} from './suppressed-addresses.js';

/**
 * The records archive follows the case table out. The bucket's lifecycle rules expire a case's
 * objects a fixed number of days after each object was written, which is right for a file
 * written at closure; but a file written again later (a correction of the resident's contact
 * details rewrites it, UK GDPR Article 16) would count its days from the correction and outlive
 * the case by as long as the case had been closed. The table's own expiry (TTL) is exact: when it
 * deletes a case item, this deletes every version of the case's archived objects (file, letters,
 * evidence). The lifecycle rules stay as the backstop for everything else.
 *
 * A held case has no expiry on its items, so TTL never deletes it. Objects still tagged `hold`
 * when their case expired (a lift whose re-tagging failed after the record's, and was never
 * finished) are not deleted: that is a person's decision. The record fails, is retried, and lands
 * in the on-failure queue, whose alarm calls someone; the case id is in the error log line (the
 * queue keeps only where in the stream the record was).
 */

/** Sort key of a case item (`CASE#<id>` / `CASE`). */
const CASE_SORT_KEY = caseKey('').SK;

/** DynamoDB's own principal, which deletes items whose TTL has passed. */
const TTL_PRINCIPAL = 'dynamodb.amazonaws.com';

/**
 * Whether a stream record is a case item deleted by DynamoDB's TTL (an erasure replaces the case
 * item, and nothing else deletes it). The function reads every change of a case item
 * (`case-changes.ts`): this picks the expiries out.
 */
export function isExpiredCaseRecord(record: DynamoDBRecord): boolean {
  return (
    record.eventName === 'REMOVE' &&
    record.userIdentity?.type === 'Service' &&
    record.userIdentity?.principalId === TTL_PRINCIPAL &&
    record.dynamodb?.Keys?.SK?.S === CASE_SORT_KEY
  );
}

/** The case id of a case item's stream record, from its key (`CASE#<id>`): removals carry no new image. */
export function caseIdOfRecord(record: DynamoDBRecord): string | undefined {
  const pk = record.dynamodb?.Keys?.PK?.S;
  const prefix = caseKey('').PK;
  const id = pk?.startsWith(prefix) ? pk.slice(prefix.length) : '';
  return id === '' ? undefined : id;
}

export interface ArchiveExpiryDeps {
  control: ArchiveControl;
  /** Files handed out for download (exports, Ombudsman files): those holding the case go too. */
  downloads: Pick<Downloads, 'eraseFor'>;
  /**
   * Where the deployment lets Redress change SES's suppression list
   * (`redress:forgetSuppressedAddresses`): the resident's address goes from it as at an erasure
   * (`suppressed-addresses.ts`). The stream's removal carries no image of the case, so the address
   * is read from the case's archived file, before that is deleted.
   */
  forgetting?:
    | (SuppressedAddressDeps & { archive: Pick<Archive, 'getCaseFile'>; suppressions: SuppressionList })
    | undefined;
  /**
   * The case table's own leftovers: events a closure had still to give the case's expiry (it sets
   * them after its transaction) when it stopped, deleted with the case. Absent where the store is
   * not the case table.
   */
  history?: ExpiredHistorySweeper;
}

/** What happened to one expired case's archive (and its files handed out for download). */
export type ArchiveExpiry =
  | { caseId: string; deleted: number; downloads: number; suppression: string; events: number }
  | { caseId: string; held: true };

/** An expired case whose archive objects still say `hold`: kept, and a person told. */
export class ExpiredCaseStillHeldError extends Error {
  override name = 'ExpiredCaseStillHeldError';
  constructor(readonly caseId: string) {
    super(`case ${caseId} expired from the table, but its archive objects are tagged hold: not deleted`);
  }
}

/**
 * Deletes the archive of one expired case, and the files handed out for download that hold it
 * (one made on its last day would outlive it), unless any of its archived objects is held.
 */
export async function expireArchiveOf(deps: ArchiveExpiryDeps, caseId: string): Promise<ArchiveExpiry> {
  // The table's leftovers first: they expire with the case item, held archive or not (a hold
  // takes the case item's expiry away, so a case the TTL deleted was not held in the table).
  const events = (await deps.history?.sweepExpiredHistory(caseId)) ?? 0;
  const tags = Object.values(await deps.control.tags(caseId));
  if (tags.includes(HOLD_TAG)) return { caseId, held: true };
  // Before the archive goes, which holds the address (a failure here is tried again).
  const suppression = await forgetAddressOf(deps, caseId);
  const deleted = await deps.control.erase(caseId);
  return { caseId, deleted, downloads: await deps.downloads.eraseFor(caseId), suppression, events };
}

/** The expired case's address off SES's suppression list, where the deployment says so: what was done. */
async function forgetAddressOf(deps: ArchiveExpiryDeps, caseId: string): Promise<string> {
  const forgetting = deps.forgetting;
  if (!forgetting) return SUPPRESSION_LIST_LEFT_ALONE;
  const file = (await forgetting.archive.getCaseFile(caseId)) as { case?: Partial<CaseRecord> } | undefined;
  // No file: an erased case's tombstone (its erasure dealt with the address), or none was written.
  if (!file?.case?.complainant) return 'no archived case file to read the email address from';
  return forgetSuppressedAddress(forgetting, { caseId, complainant: file.case.complainant });
}

/**
 * The stream's TTL removals of case items (filtered by the event source mapping): deletes each
 * case's archive, and reports the records to retry (`batchItemFailures`).
 */
export async function expireArchivesFor(
  deps: ArchiveExpiryDeps,
  event: DynamoDBStreamEvent,
): Promise<DynamoDBBatchResponse> {
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    // The event filter already drops other records; in tests this is the same rule.
    if (!isExpiredCaseRecord(record)) continue;
    const caseId = caseIdOfRecord(record);
    if (!caseId) {
      logger.error('expired case record without a case key', { eventID: record.eventID });
      continue;
    }
    try {
      const result = await expireArchiveOf(deps, caseId);
      if ('held' in result) throw new ExpiredCaseStillHeldError(caseId);
      logger.info('archive of an expired case', { ...result });
    } catch (error: unknown) {
      logger.error('archive expiry failed', {
        caseId,
        error: error instanceof Error ? error.name : typeof error,
        ...(error instanceof ExpiredCaseStillHeldError ? { detail: error.message } : {}),
      });
      batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
    }
  }
  return { batchItemFailures };
}
