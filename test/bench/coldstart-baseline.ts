import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * The cold-start benchmark's baseline (`npm run bench:coldstart`): a function that imports only
 * the DynamoDB client and builds one, bundled with the same settings as every Redress function.
 * Each handler's import time is printed as a ratio to this one's.
 */
const client = new DynamoDBClient({});

export const handler = async (): Promise<string> => client.config.serviceId;
