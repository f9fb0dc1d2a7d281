import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The cold-start benchmark's stand-in for every AWS service a first invocation calls
 * (`AWS_ENDPOINT_URL` points the SDK here): it answers each request at once with an empty
 * success of the shape the adapters read, so a handler's first call does its own work (loading
 * what it loads on first use, signing, serialising) without waiting on a network or a JVM.
 * DynamoDB keeps what is put (`PutItem`, a transaction's `Put`) until `freeze()`, and finds it by
 * key (`GetItem`, `BatchGetItem`) and a case's history by query; it applies no update, finds nothing in an index, and its counters start at 100. SES accepts
 * every email; S3 stores nothing; Step Functions accepts every call. Frozen once the benchmark has
 * stored its case, every sample's first call finds the same case, whatever the samples before it
 * wrote.
 */
export interface Stub {
  url: string;
  /** Requests answered so far, by `service.operation`. */
  calls: Map<string, number>;
  /** The DynamoDB items stored so far (as DynamoDB's JSON), by `PK|SK`. */
  items: ReadonlyMap<string, Record<string, unknown>>;
  /** Stops storing what is put: every later write succeeds and changes nothing. */
  freeze(): void;
  close(): Promise<void>;
}

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

type Item = Record<string, { S?: string }>;
const keyOf = (item: Item | undefined) => `${item?.PK?.S}|${item?.SK?.S}`;

/** DynamoDB's answers (JSON 1.0, `X-Amz-Target: DynamoDB_20120810.<Operation>`). */
function dynamodb(
  operation: string,
  input: Record<string, unknown>,
  items: Map<string, Item>,
  frozen: boolean,
): unknown {
  switch (operation) {
    case 'GetItem': {
      const item = items.get(keyOf(input.Key as Item));
      return item ? { Item: item } : {};
    }
    case 'BatchGetItem': {
      // The case store reads a case and its event sequence in one batch.
      const requested = input.RequestItems as Record<string, { Keys: Item[] }>;
      const responses = Object.fromEntries(
        Object.entries(requested).map(([table, { Keys }]) => [
          table,
          Keys.map((key) => items.get(keyOf(key))).filter((item) => item !== undefined),
        ]),
      );
      return { Responses: responses, UnprocessedKeys: {} };
    }
    case 'PutItem':
      if (!frozen) items.set(keyOf(input.Item as Item), input.Item as Item);
      return {};
    case 'TransactWriteItems':
      for (const { Put } of input.TransactItems as { Put?: { Item: Item } }[]) {
        if (Put && !frozen) items.set(keyOf(Put.Item), Put.Item);
      }
      return {};
    case 'Query': {
      // A case's history (`PK = :pk AND begins_with(SK, :prefix)` on the table): what was put
      // under it. Every other query (an index's) finds nothing.
      const values = input.ExpressionAttributeValues as Record<string, { S?: string }> | undefined;
      const pk = values?.[':pk']?.S;
      const prefix = values?.[':prefix']?.S;
      const found =
        input.IndexName === undefined && pk !== undefined && prefix !== undefined
          ? [...items.values()].filter((i) => i.PK?.S === pk && i.SK?.S?.startsWith(prefix))
          : [];
      return { Items: found, Count: found.length, ScannedCount: found.length };
    }
    case 'UpdateItem':
      // The reference counter reads back the block it took (`ADD #value :block`).
      return { Attributes: { value: { N: '100' } } };
    default:
      return {};
  }
}

/** Starts the stub on a free port of 127.0.0.1. */
export async function startStub(): Promise<Stub> {
  const items = new Map<string, Item>();
  let frozen = false;
  const calls = new Map<string, number>();
  const count = (name: string) => calls.set(name, (calls.get(name) ?? 0) + 1);
  const server: Server = createServer(async (request, response) => {
    const text = await body(request);
    const target = request.headers['x-amz-target'];
    if (typeof target === 'string') {
      // JSON protocols: DynamoDB, Step Functions, Secrets Manager.
      const [service = '', operation = ''] = target.split('.');
      count(`${service}.${operation}`);
      const input = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      const answer = service.startsWith('DynamoDB')
        ? dynamodb(operation, input, items, frozen)
        : service === 'secretsmanager'
          ? { SecretString: 'a-link-secret-long-enough-for-the-benchmark-to-sign', Name: 'link' }
          : service === 'AWSStepFunctions' && operation === 'StartExecution'
            ? { executionArn: 'arn:aws:states:eu-west-2:000000000000:execution:bench:x', startDate: 0 }
            : {};
      response.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify(answer));
      return;
    }
    if (request.url?.startsWith('/v2/email/outbound-emails')) {
      count('sesv2.SendEmail');
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ MessageId: 'bench-message' }));
      return;
    }
    // S3 (REST XML): a write succeeds, a read finds nothing.
    count(`s3.${request.method}`);
    if (request.method === 'GET' || request.method === 'HEAD') {
      response.writeHead(404, { 'Content-Type': 'application/xml' });
      response.end('<Error><Code>NoSuchKey</Code><Message>none</Message></Error>');
      return;
    }
    response.writeHead(200, { ETag: '"bench"' });
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    items,
    freeze: () => {
      frozen = true;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
