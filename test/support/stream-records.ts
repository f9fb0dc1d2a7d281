import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent, StreamRecord } from 'aws-lambda';
import { caseKey } from '../../functions/adapters/case-table.js';
import type { CaseRecord } from '../../functions/domain/case.js';

/**
 * DynamoDB Streams records as Lambda delivers them (`DynamoDBStreamEvent`), for the tests that
 * feed the `start-workflows` handler without a table: attribute values in DynamoDB's JSON, made
 * with the SDK's own `marshall`, and the new image of the item as a `NEW_IMAGE` stream has it.
 */

export const TEST_STREAM_ARN =
  'arn:aws:dynamodb:eu-west-2:000000000000:table/redress-cases/stream/2026-03-02T09:00:00.000';

type Image = NonNullable<StreamRecord['NewImage']>;

/** One stream record of `eventName` for the item with these keys (and, unless removed, this new image). */
export function streamRecord(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  keys: { PK: string; SK: string },
  image: Record<string, unknown> | undefined,
  sequence: number,
): DynamoDBRecord {
  const newImage = image ? { ...image, ...keys } : undefined;
  return {
    eventID: `event-${sequence}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-west-2',
    eventSourceARN: TEST_STREAM_ARN,
    dynamodb: {
      ApproximateCreationDateTime: 1_772_442_000,
      Keys: marshall(keys) as unknown as Image,
      ...(newImage
        ? { NewImage: marshall(newImage, { removeUndefinedValues: true }) as unknown as Image }
        : {}),
      // Stream sequence numbers are decimal strings that grow along a shard.
      SequenceNumber: String(sequence).padStart(21, '0'),
      SizeBytes: 256,
      StreamViewType: 'NEW_IMAGE',
    },
  };
}

/** The INSERT of a case item: the record the case store writes for a new case. */
export function caseInserted(record: CaseRecord, sequence: number): DynamoDBRecord {
  return streamRecord(
    'INSERT',
    caseKey(record.caseId),
    { ...record, entity: 'case', lastEventSeq: 1 },
    sequence,
  );
}

/** A batch as Lambda hands it to the function. */
export function streamEvent(records: DynamoDBRecord[]): DynamoDBStreamEvent {
  return { Records: records };
}
