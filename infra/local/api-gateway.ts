import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { loadPolicy } from '../../functions/domain/policy.js';
import { BINARY_MEDIA_TYPES } from '../binary-media-types.js';
import {
  type GatewayResponsePage,
  type GatewayResponseType,
  gatewayAnswer,
  gatewayResponses,
} from '../gateway-responses.js';

/**
 * A local stand-in for API Gateway (REST API, Lambda proxy integration): a node:http server on
 * 127.0.0.1 that turns each request into the event API Gateway would deliver, calls the handler
 * in-process, and writes its result back as API Gateway would.
 */

/** The API handler's shape (`functions/handlers/api.ts`): a proxy event in, a proxy result out. */
export type ProxyHandler = (
  event: APIGatewayProxyEvent,
  context: Context,
) => Promise<APIGatewayProxyResult | undefined>;

/** API Gateway's request payload limit (REST APIs: 10 MB); above it the request never reaches Lambda. */
export const API_GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Lambda's limit on a synchronous invocation's payload (6 MB), which the proxy event must fit:
 * a body under API Gateway's 10 MB whose event (base64, with the headers) is larger never reaches
 * the function either, and API Gateway answers 413 itself.
 */
export const LAMBDA_MAX_EVENT_BYTES = 6 * 1024 * 1024;

/** Content types passed to the handler as base64, as the deployed API lists them. */
export const LOCAL_BINARY_MEDIA_TYPES = BINARY_MEDIA_TYPES;

/** Stage name in `requestContext.stage` (the deployed stage is `live`). */
const STAGE = 'live';

export interface ApiGatewayOptions {
  handler: ProxyHandler;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind (default 127.0.0.1: never exposed beyond this machine). */
  host?: string;
  /** Request content types delivered base64-encoded (default `LOCAL_BINARY_MEDIA_TYPES`). */
  binaryMediaTypes?: string[];
  /** Largest request body accepted, in bytes (default 10 MB, as API Gateway). */
  maxBodyBytes?: number;
  /** Told about handler failures (the client gets API Gateway's plain 502). Default: stderr. */
  onError?: (error: unknown) => void;
  /**
   * What the stand-in answers itself (a body too large, a handler that failed), as the deployed
   * API's gateway responses: the running council's (`gatewayResponses`). Default: the LGSCO Code
   * preset's, served at the root.
   */
  gatewayResponses?: readonly GatewayResponsePage[];
}

/** A running API Gateway stand-in. */
export interface ApiGatewayServer {
  /** e.g. `http://127.0.0.1:3000` (no trailing slash). */
  url: string;
  port: number;
  server: Server;
  /** Stops accepting requests and closes open connections. Safe to call twice. */
  close(): Promise<void>;
}

/** The API Gateway stand-in could not listen (port taken, no permission). */
export class ApiGatewayStartError extends Error {
  override name = 'ApiGatewayStartError';
  /** The port that was asked for. */
  readonly port: number;
  /** The system error code, e.g. `EADDRINUSE`. */
  readonly code: string | undefined;

  constructor(message: string, port: number, code: string | undefined, options?: { cause?: unknown }) {
    super(message, options);
    this.port = port;
    this.code = code;
  }
}

/** Starts the stand-in; resolves once it listens. */
export async function startApiGateway(options: ApiGatewayOptions): Promise<ApiGatewayServer> {
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? 0;
  const limit = options.maxBodyBytes ?? API_GATEWAY_MAX_BODY_BYTES;
  const binaryTypes = options.binaryMediaTypes ?? LOCAL_BINARY_MEDIA_TYPES;
  const onError =
    options.onError ??
    ((error: unknown) => {
      process.stderr.write(`api-gateway: the handler failed: ${describe(error)}\n`);
    });

  const responses =
    options.gatewayResponses ?? gatewayResponses(loadPolicy('lgsco-code-2024'), { basePath: '' });

  const server = createServer((req, res) => {
    void serve(req, res, { handler: options.handler, limit, binaryTypes, onError, responses });
  });
  // API Gateway closes idle connections after a while; a stand-in that keeps them for ever
  // makes stop() wait on browsers.
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    const onListenError = (error: NodeJS.ErrnoException) => {
      const message =
        error.code === 'EADDRINUSE'
          ? `port ${requestedPort} on ${host} is already in use`
          : `cannot listen on ${host}:${requestedPort} (${error.message})`;
      reject(new ApiGatewayStartError(message, requestedPort, error.code, { cause: error }));
    };
    server.once('error', onListenError);
    server.listen(requestedPort, host, () => {
      server.removeListener('error', onListenError);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    server,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

interface ServeOptions {
  handler: ProxyHandler;
  limit: number;
  binaryTypes: string[];
  onError: (error: unknown) => void;
  responses: readonly GatewayResponsePage[];
}

async function serve(req: IncomingMessage, res: ServerResponse, options: ServeOptions): Promise<void> {
  const requestId = randomUUID();
  try {
    const body = await readBody(req, options.limit);
    const event =
      body === undefined
        ? undefined
        : toProxyEvent(req, body, { requestId, binaryMediaTypes: options.binaryTypes });
    if (event === undefined || Buffer.byteLength(JSON.stringify(event)) > LAMBDA_MAX_EVENT_BYTES) {
      // API Gateway answers this itself; the handler never sees the request.
      sendGatewayAnswer(res, req, options.responses, 'REQUEST_TOO_LARGE', 413, requestId);
      return;
    }
    const result = await options.handler(event, lambdaContext(requestId));
    if (!result || typeof result.statusCode !== 'number') {
      throw new Error('the handler returned no statusCode');
    }
    writeProxyResult(res, result, requestId);
  } catch (error: unknown) {
    // A Lambda that throws or answers malformed output is a 502 "Internal server error" on AWS.
    options.onError(error);
    if (!res.headersSent) sendGatewayAnswer(res, req, options.responses, 'DEFAULT_5XX', 502, requestId);
    else res.destroy();
  }
}

/** Reads the whole body; undefined when it is larger than `limit` (the rest is drained, not kept). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length']);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number.isFinite(declared) && declared > limit;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.byteLength;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Whether `contentType` matches one of API Gateway's binary media types (`type/*` and `*\/*` wildcards). */
export function isBinaryMediaType(contentType: string | undefined, binaryMediaTypes: string[]): boolean {
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (media === '') return false;
  const [type, subtype] = media.split('/');
  return binaryMediaTypes.some((pattern) => {
    const [pType, pSubtype] = pattern.toLowerCase().split('/');
    return (pType === '*' || pType === type) && (pSubtype === '*' || pSubtype === subtype);
  });
}

/**
 * The REST proxy event API Gateway builds for a request: single- and multi-value headers and
 * query parameters (`null` when there are none), the body as text, or as base64 with
 * `isBase64Encoded` when its content type is a binary media type, and a request context.
 */
export function toProxyEvent(
  req: Pick<IncomingMessage, 'method' | 'url' | 'rawHeaders' | 'socket'>,
  body: Buffer,
  options: { requestId?: string; binaryMediaTypes?: string[]; now?: Date } = {},
): APIGatewayProxyEvent {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  // rawHeaders keeps the client's casing and repeats, as API Gateway passes them on.
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    const value = req.rawHeaders[i + 1] as string;
    const existing = Object.keys(multiValueHeaders).find((key) => key.toLowerCase() === name.toLowerCase());
    const key = existing ?? name;
    multiValueHeaders[key] = [...(multiValueHeaders[key] ?? []), value];
    // The single-value map holds the last value, like API Gateway.
    headers[key] = value;
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    multiQuery[name] = [...(multiQuery[name] ?? []), value];
  }
  const hasQuery = Object.keys(query).length > 0;
  const contentType = Object.entries(headers).find(([key]) => key.toLowerCase() === 'content-type')?.[1];
  const binary = isBinaryMediaType(contentType, options.binaryMediaTypes ?? LOCAL_BINARY_MEDIA_TYPES);
  const method = (req.method ?? 'GET').toUpperCase();
  const path = decodePath(url.pathname);
  const now = options.now ?? new Date();
  const requestId = options.requestId ?? randomUUID();
  return {
    httpMethod: method,
    path,
    resource: '/{proxy+}',
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: path === '/' ? null : { proxy: path.slice(1) },
    stageVariables: null,
    body: body.byteLength === 0 ? null : binary ? body.toString('base64') : body.toString('utf8'),
    isBase64Encoded: body.byteLength > 0 && binary,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: undefined,
      protocol: 'HTTP/1.1',
      httpMethod: method,
      path: `/${STAGE}${path}`,
      stage: STAGE,
      requestId,
      requestTimeEpoch: now.getTime(),
      resourceId: 'local',
      resourcePath: '/{proxy+}',
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: req.socket?.remoteAddress ?? '127.0.0.1',
        user: null,
        userAgent: headers['User-Agent'] ?? headers['user-agent'] ?? null,
        userArn: null,
      },
    },
  };
}

function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    // A malformed escape: API Gateway passes such paths on as they came.
    return pathname;
  }
}

/**
 * Writes a proxy result back: status, `headers` merged with `multiValueHeaders` (so several
 * `Set-Cookie` headers survive), and the body, decoded from base64 when `isBase64Encoded`.
 */
export function writeProxyResult(res: ServerResponse, result: APIGatewayProxyResult, requestId?: string) {
  const merged = new Map<string, { name: string; values: string[] }>();
  const put = (name: string, values: string[]) => {
    const key = name.toLowerCase();
    const entry = merged.get(key) ?? { name, values: [] };
    entry.values.push(...values);
    merged.set(key, entry);
  };
  for (const [name, value] of Object.entries(result.headers ?? {})) put(name, [String(value)]);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    const key = name.toLowerCase();
    // A header in both maps: API Gateway sends the multi-value list, not both.
    merged.delete(key);
    put(
      name,
      values.map((value) => String(value)),
    );
  }
  const body =
    result.body === undefined || result.body === null
      ? Buffer.alloc(0)
      : result.isBase64Encoded
        ? Buffer.from(result.body, 'base64')
        : Buffer.from(result.body, 'utf8');
  for (const { name, values } of merged.values()) {
    res.setHeader(name, values.length === 1 ? (values[0] as string) : values);
  }
  if (requestId && !merged.has('x-amzn-requestid')) res.setHeader('x-amzn-RequestId', requestId);
  res.setHeader('Content-Length', body.byteLength);
  res.statusCode = result.statusCode;
  res.end(body);
}

/** Answers as the deployed API's gateway response of `type` does (`gateway-responses.ts`): a page or JSON by `Accept`. */
function sendGatewayAnswer(
  res: ServerResponse,
  req: IncomingMessage,
  responses: readonly GatewayResponsePage[],
  type: GatewayResponseType,
  status: number,
  requestId: string,
): void {
  const answer = gatewayAnswer(responses, type, req.headers.accept, status);
  res.writeHead(answer.statusCode, {
    ...answer.headers,
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(answer.body),
    'x-amzn-RequestId': requestId,
    'x-amzn-ErrorType': status === 413 ? 'RequestTooLongException' : 'InternalServerErrorException',
  });
  res.end(answer.body);
}

function lambdaContext(requestId: string): Context {
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'api',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-2:000000000000:function:api',
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/api',
    logStreamName: 'local',
    // API Gateway's integration timeout is 29 s.
    getRemainingTimeInMillis: () => Math.max(0, 29_000 - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
