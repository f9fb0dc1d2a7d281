/**
 * The Step Functions API over HTTP as the AWS SDK v3 speaks it (AWS JSON 1.0: `POST /`,
 * `X-Amz-Target: AWSStepFunctions.<Operation>`), backed by a `LocalStepFunctions` engine.
 * Point a client at it with `AWS_ENDPOINT_URL_SFN` or the client's `endpoint` option.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StepFunctionsApi } from './engine.js';
import { SfnApiError } from './errors.js';
import type { ExecutionFilter } from './executions.js';
import type { ExecutionStatus } from './store.js';

const CONTENT_TYPE = 'application/x-amz-json-1.0';
const MAX_BODY_BYTES = 5 * 1024 * 1024;
const DEFAULT_PAGE = 1000;

export interface StepFunctionsServerOptions {
  engine: StepFunctionsApi;
  /** Port to listen on (default 0: any free port). */
  port?: number;
  /** Interface to bind (default 127.0.0.1: never exposed beyond this machine). */
  host?: string;
}

/** A running endpoint. */
export interface StepFunctionsServer {
  /** e.g. `http://127.0.0.1:4583` — the value for `AWS_ENDPOINT_URL_SFN`. */
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

type Body = Record<string, unknown>;
type Operation = (engine: StepFunctionsApi, body: Body) => Promise<unknown>;

function requireString(body: Body, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') {
    throw new SfnApiError(
      'ValidationException',
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function optionalString(body: Body, field: string): string | undefined {
  const value = body[field];
  return typeof value === 'string' ? value : undefined;
}

/** Pages a list with `maxResults`/`nextToken` (the token is the offset, opaque to clients). */
function page<T>(items: T[], body: Body): { items: T[]; nextToken?: string } {
  const max = typeof body.maxResults === 'number' && body.maxResults > 0 ? body.maxResults : DEFAULT_PAGE;
  const start = typeof body.nextToken === 'string' ? Number.parseInt(body.nextToken, 10) || 0 : 0;
  const slice = items.slice(start, start + max);
  return start + max < items.length ? { items: slice, nextToken: String(start + max) } : { items: slice };
}

const OPERATIONS: Record<string, Operation> = {
  async CreateStateMachine(engine, body) {
    const name = requireString(body, 'name');
    const definition = requireString(body, 'definition');
    const arn = engine.stateMachineArn(name);
    const existing = (await engine.listStateMachines()).stateMachines.find((m) => m.stateMachineArn === arn);
    if (existing) {
      // AWS: the same definition again is idempotent; a different one is an error.
      const current = await engine.describeStateMachine(arn);
      if (JSON.stringify(JSON.parse(current.definition)) !== JSON.stringify(JSON.parse(definition))) {
        throw new SfnApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
      }
      return { stateMachineArn: arn, creationDate: existing.creationDate };
    }
    return engine.createStateMachine(name, definition);
  },
  async DescribeStateMachine(engine, body) {
    const machine = await engine.describeStateMachine(requireString(body, 'stateMachineArn'));
    return {
      ...machine,
      type: 'STANDARD',
      roleArn: `arn:aws:iam::${engine.accountId}:role/local-step-functions`,
    };
  },
  async ListStateMachines(engine, body) {
    const { items, nextToken } = page((await engine.listStateMachines()).stateMachines, body);
    return { stateMachines: items, ...(nextToken ? { nextToken } : {}) };
  },
  async StartExecution(engine, body) {
    return engine.startExecution(
      requireString(body, 'stateMachineArn'),
      optionalString(body, 'name'),
      optionalString(body, 'input') ?? '{}',
    );
  },
  async DescribeExecution(engine, body) {
    return engine.describeExecution(requireString(body, 'executionArn'));
  },
  async GetExecutionHistory(engine, body) {
    const { events } = await engine.getExecutionHistory(requireString(body, 'executionArn'), {
      reverseOrder: body.reverseOrder === true,
    });
    const { items, nextToken } = page(events, body);
    return { events: items, ...(nextToken ? { nextToken } : {}) };
  },
  async ListExecutions(engine, body) {
    const statusFilter = optionalString(body, 'statusFilter') as ExecutionStatus | undefined;
    const stateMachineArn = optionalString(body, 'stateMachineArn');
    const redriveFilter = optionalString(body, 'redriveFilter') as ExecutionFilter['redriveFilter'];
    const { executions } = await engine.listExecutions({
      ...(stateMachineArn ? { stateMachineArn } : {}),
      ...(statusFilter ? { statusFilter } : {}),
      ...(redriveFilter ? { redriveFilter } : {}),
    });
    const { items, nextToken } = page(executions, body);
    return { executions: items, ...(nextToken ? { nextToken } : {}) };
  },
  async StopExecution(engine, body) {
    const error = optionalString(body, 'error');
    const cause = optionalString(body, 'cause');
    return engine.stopExecution(requireString(body, 'executionArn'), {
      ...(error !== undefined ? { error } : {}),
      ...(cause !== undefined ? { cause } : {}),
    });
  },
  async RedriveExecution(engine, body) {
    // The SDK always sends a clientToken (it generates one), so a retried request is idempotent.
    const clientToken = optionalString(body, 'clientToken');
    return engine.redriveExecution(requireString(body, 'executionArn'), clientToken ? { clientToken } : {});
  },
  async SendTaskSuccess(engine, body) {
    await engine.sendTaskSuccess(requireString(body, 'taskToken'), requireString(body, 'output'));
    return {};
  },
  async SendTaskFailure(engine, body) {
    await engine.sendTaskFailure(
      requireString(body, 'taskToken'),
      optionalString(body, 'error'),
      optionalString(body, 'cause'),
    );
    return {};
  },
  async SendTaskHeartbeat(engine, body) {
    await engine.sendTaskHeartbeat(requireString(body, 'taskToken'));
    return {};
  },
};

/** Dates become epoch seconds, as the AWS JSON protocol sends timestamps. */
function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined && typeof v !== 'function')
        .map(([k, v]) => [k, toWire(v)]),
    );
  }
  return value;
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': crypto.randomUUID(),
  });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  send(res, status, { __type: type, message });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new SfnApiError('ValidationException', 'Request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function handle(engine: StepFunctionsApi, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') {
    sendError(res, 404, 'UnknownOperationException', 'The Step Functions API takes POST / only');
    return;
  }
  const target = String(req.headers['x-amz-target'] ?? '');
  const operation = target.startsWith('AWSStepFunctions.')
    ? OPERATIONS[target.slice('AWSStepFunctions.'.length)]
    : undefined;
  if (!operation) {
    sendError(res, 400, 'UnknownOperationException', `Unknown operation '${target}'`);
    return;
  }
  try {
    const text = await readBody(req);
    let body: Body;
    try {
      body = text.trim() === '' ? {} : (JSON.parse(text) as Body);
    } catch {
      throw new SfnApiError('ValidationException', 'Request body is not JSON');
    }
    send(res, 200, toWire(await operation(engine, body)));
  } catch (error: unknown) {
    if (error instanceof SfnApiError) {
      sendError(res, 400, error.code, error.message);
      return;
    }
    // Anything unexpected is an engine fault: say so without leaking internals to the client.
    console.error('[local-step-functions] internal error', error);
    sendError(res, 500, 'InternalFailure', 'Internal failure in the local Step Functions endpoint');
  }
}

/** Starts the endpoint on 127.0.0.1 (by default on a free port). */
export function startStepFunctionsServer(options: StepFunctionsServerOptions): Promise<StepFunctionsServer> {
  const { engine } = options;
  const server = createServer((req, res) => {
    void handle(engine, req, res);
  });
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${port}`,
        port,
        server,
        close: () =>
          new Promise<void>((done, fail) => {
            server.closeAllConnections();
            server.close((error) => (error ? fail(error) : done()));
          }),
      });
    });
  });
}
