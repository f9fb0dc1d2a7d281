import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

/**
 * The cold-start benchmark's baseline (`npm run bench:coldstart`): a function that imports only
 * the DynamoDB client and builds one, bundled with the same settings as every Redress function.
 * Each handler's import time is printed as a ratio to this one's; its first invocation reads one
 * item (from the benchmark's stand-in), the least a function of the case table does.
 */
const client = new DynamoDBClient({});

export const handler = async (): Promise<string> => {
  await client.send(
    new GetItemCommand({ TableName: 'bench', Key: { PK: { S: 'CASE#none' }, SK: { S: 'CASE' } } }),
  );
  return client.config.serviceId;
};
