import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';

/** The case record's list fields (`functions/domain/case.ts`): every other field is an object. */
const LIST_FIELDS = new Set([
  'reasons',
  'staffNamed',
  'stage1Handlers',
  'lettersToPost',
  'reopenings',
  'notes',
  'restrictions',
  'reviews',
  'extensions',
  'grounds',
]);

/**
 * Types a stream record's empty maps and lists as DynamoDB's stream does (`{ M: {} }`,
 * `{ L: [] }`), in place. DynamoDB Local 3.x writes both as `{}`
 * (awslabs/amazon-dynamodb-local-samples#37), for which the counting function reads the case
 * instead: without this, what is measured or tested locally is not the path AWS takes.
 */
export function typeStreamImage(record: DynamoDBRecord): void {
  const image = record.dynamodb?.NewImage;
  if (image === undefined) return;
  const typed = (value: AttributeValue, name: string): AttributeValue => {
    if (Object.keys(value).length === 0) return LIST_FIELDS.has(name) ? { L: [] } : { M: {} };
    if (value.M) return { M: Object.fromEntries(Object.entries(value.M).map(([k, v]) => [k, typed(v, k)])) };
    if (value.L) return { L: value.L.map((v) => typed(v, name)) };
    return value;
  };
  for (const [name, value] of Object.entries(image)) image[name] = typed(value, name);
}
