import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { caseOfStreamRecord } from '../../../functions/adapters/dynamodb-case-store.js';
import { openCase } from '../../support/open-case.js';

/** A stream record of a change of the case item, with the item as the table holds it. */
function change(
  image: Record<string, AttributeValue> | undefined,
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE' = 'MODIFY',
): DynamoDBRecord {
  return {
    eventName,
    dynamodb: {
      Keys: { PK: { S: 'CASE#case-1' }, SK: { S: 'CASE' } },
      ...(image === undefined ? {} : { NewImage: image }),
    },
  };
}

const c = openCase('case-1', { version: 4, deadlines: {} });
/** The item the store writes for the case: the record and its storage attributes. */
const stored = {
  ...c,
  PK: 'CASE#case-1',
  SK: 'CASE',
  entity: 'case',
  lastEventSeq: 1,
  nextDeadline: '2026-03-16T17:00:00.000Z',
  GSI1PK: 'OPEN#3',
  GSI1SK: '2026-03-16T17:00:00.000Z#case-1',
  GSI4PK: 'RECEIVED#2026-03#1',
  GSI4SK: '2026-03-02T09:00:00.000Z#case-1',
};
const image = marshall(stored, { removeUndefinedValues: true }) as Record<string, AttributeValue>;

/** What DynamoDB Local 3.x writes for an empty map or list in a stream image: a value of no type. */
const untypedValue = {} as AttributeValue;

describe('the case a change on the table’s stream left', () => {
  it('is the record the store would read, without the storage attributes', () => {
    expect(caseOfStreamRecord(change(image))).toEqual(c);
    expect(caseOfStreamRecord(change(image, 'INSERT'))).toEqual(c);
  });

  it('is gone when the change removed the item', () => {
    expect(caseOfStreamRecord(change(undefined, 'REMOVE'))).toBe('gone');
  });

  it('is not read from a record without an image, nor from one with a value of no type', () => {
    expect(caseOfStreamRecord(change(undefined))).toBeUndefined();
    // DynamoDB Local 3.x writes empty maps and lists in stream images as `{}`: at the top, or nested.
    expect(caseOfStreamRecord(change({ ...image, deadlines: untypedValue }))).toBeUndefined();
    expect(
      caseOfStreamRecord(
        change({ ...image, progress: { M: { stage1: { M: { notes: { L: [untypedValue] } } } } } }),
      ),
    ).toBeUndefined();
  });
});
