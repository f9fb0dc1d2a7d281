import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../../functions/domain/policy.js';
import { PayloadTooLargeError } from '../../../functions/http/errors.js';
import { MAX_BODY_BYTES } from '../../../functions/http/request.js';
import { CATALOGUE } from '../../../functions/web/i18n.js';
import { gatewayResponses } from '../../../infra/gateway-responses.js';
import {
  API_GATEWAY_MAX_BODY_BYTES,
  type ApiGatewayOptions,
  type ApiGatewayServer,
  ApiGatewayStartError,
  isBinaryMediaType,
  LAMBDA_MAX_EVENT_BYTES,
  type ProxyHandler,
  startApiGateway,
  toProxyEvent,
} from '../../../infra/local/api-gateway.js';
import { councilInWales } from '../../support/council-in-wales.js';

const servers: ApiGatewayServer[] = [];

/** Starts the stand-in with a handler that records each event and answers `result`. */
async function gateway(
  result: APIGatewayProxyResult | ((event: APIGatewayProxyEvent) => APIGatewayProxyResult),
  options: Partial<Pick<ApiGatewayOptions, 'binaryMediaTypes' | 'onError' | 'gatewayResponses'>> = {},
) {
  const events: APIGatewayProxyEvent[] = [];
  const handler: ProxyHandler = async (event) => {
    events.push(event);
    return typeof result === 'function' ? result(event) : result;
  };
  const server = await startApiGateway({ handler, port: 0, onError: () => undefined, ...options });
  servers.push(server);
  return { server, events };
}

const ok: APIGatewayProxyResult = { statusCode: 200, body: 'ok' };

describe('API Gateway stand-in', () => {
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('listens on 127.0.0.1 only', async () => {
    // Act
    const { server } = await gateway(ok);
    // Assess
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.server.address()).toMatchObject({ address: '127.0.0.1' });
  });

  it('turns a GET into a REST proxy event with path, query, headers and a request id', async () => {
    // Prepare
    const { server, events } = await gateway(ok);
    // Act
    await fetch(`${server.url}/reports/performance?from=2026-01-01&to=2026-03-31&to=2026-04-30`, {
      headers: { 'X-Trace': 'abc', Accept: 'application/json' },
    });
    // Assess
    const event = events[0] as APIGatewayProxyEvent;
    expect(event.httpMethod).toBe('GET');
    expect(event.path).toBe('/reports/performance');
    expect(event.queryStringParameters).toEqual({ from: '2026-01-01', to: '2026-04-30' });
    expect(event.multiValueQueryStringParameters).toEqual({
      from: ['2026-01-01'],
      to: ['2026-03-31', '2026-04-30'],
    });
    expect(event.headers['x-trace'] ?? event.headers['X-Trace']).toBe('abc');
    expect(event.body).toBeNull();
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.requestContext.httpMethod).toBe('GET');
    expect(event.requestContext.identity.sourceIp).toBe('127.0.0.1');
  });

  it('gives null query parameters when there are none', async () => {
    // Prepare
    const { server, events } = await gateway(ok);
    // Act
    await fetch(`${server.url}/health`);
    // Assess
    expect(events[0]?.queryStringParameters).toBeNull();
    expect(events[0]?.multiValueQueryStringParameters).toBeNull();
  });

  it('keeps repeated request headers in multiValueHeaders and the last one in headers', () => {
    // Prepare: headers as they arrive on the socket, repeated and in mixed case.
    const req = {
      method: 'GET',
      url: '/',
      rawHeaders: ['X-Forwarded-For', '10.0.0.1', 'x-forwarded-for', '10.0.0.2', 'Accept', 'text/html'],
      socket: { remoteAddress: '127.0.0.1' },
    } as unknown as IncomingMessage;
    // Act
    const event = toProxyEvent(req, Buffer.alloc(0));
    // Assess
    expect(event.multiValueHeaders).toEqual({
      'X-Forwarded-For': ['10.0.0.1', '10.0.0.2'],
      Accept: ['text/html'],
    });
    expect(event.headers).toEqual({ 'X-Forwarded-For': '10.0.0.2', Accept: 'text/html' });
  });

  it('delivers bodies base64-encoded when their type is a binary media type, as the deployed API does', async () => {
    // Prepare: the deployed API lists */*, so every body arrives base64.
    const { server, events } = await gateway(ok);
    // Act
    await fetch(`${server.url}/complaints`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'summary=caf%C3%A9&kind=complaint',
    });
    // Assess
    const event = events[0] as APIGatewayProxyEvent;
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body as string, 'base64').toString('utf8')).toBe(
      'summary=caf%C3%A9&kind=complaint',
    );
  });

  it('delivers text bodies as text when the type is not a binary media type', async () => {
    // Prepare
    const { server, events } = await gateway(ok, { binaryMediaTypes: ['image/png'] });
    // Act
    await fetch(`${server.url}/complaints`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ summary: 'Café' }),
    });
    // Assess
    expect(events[0]?.isBase64Encoded).toBe(false);
    expect(events[0]?.body).toBe('{"summary":"Café"}');
  });

  it('writes status, headers and several Set-Cookie headers back', async () => {
    // Prepare
    const { server } = await gateway({
      statusCode: 201,
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'X-Frame-Options': 'DENY' },
      multiValueHeaders: { 'Set-Cookie': ['a=1; Path=/', 'b=2; Path=/; HttpOnly'] },
      body: '<p>done</p>',
    });
    // Act
    const response = await fetch(`${server.url}/`);
    // Assess
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/; HttpOnly']);
    expect(await response.text()).toBe('<p>done</p>');
  });

  it('decodes base64 bodies the handler marks isBase64Encoded', async () => {
    // Prepare
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    const { server } = await gateway({
      statusCode: 200,
      headers: { 'Content-Type': 'image/png' },
      body: bytes.toString('base64'),
      isBase64Encoded: true,
    });
    // Act
    const response = await fetch(`${server.url}/assets/images/x.png`);
    // Assess
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });

  it('answers 413 without calling the handler when the body is over 10 MB', async () => {
    // Prepare
    const { server, events } = await gateway(ok);
    // Act
    const response = await fetch(`${server.url}/complaints`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.alloc(API_GATEWAY_MAX_BODY_BYTES + 1, 0x20),
    });
    // Assess
    expect(response.status).toBe(413);
    expect(events).toHaveLength(0);
  });

  it('passes a request whose event is within Lambda’s 6 MB to the handler', async () => {
    // Prepare
    const { server, events } = await gateway(ok, { binaryMediaTypes: [] });
    // Act
    const response = await fetch(`${server.url}/complaints`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: Buffer.alloc(LAMBDA_MAX_EVENT_BYTES - 64 * 1024, 0x61),
    });
    // Assess
    expect(response.status).toBe(200);
    expect(events[0]?.body).toHaveLength(LAMBDA_MAX_EVENT_BYTES - 64 * 1024);
  });

  it('answers a form whose event is over Lambda’s 6 MB with the service’s 413 page, as API Gateway does, without calling the handler', async () => {
    // Prepare: under API Gateway's 10 MB, but the event (base64, as every body is) is over 6 MB.
    const { server, events } = await gateway(ok);
    // Act
    const response = await fetch(`${server.url}/complaints`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
      },
      body: Buffer.alloc(5 * 1024 * 1024, 0x61),
    });
    // Assess
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain(new PayloadTooLargeError(MAX_BODY_BYTES).message);
    expect(events).toHaveLength(0);
  });

  it('answers a program that asked for JSON with JSON when the body is too large', async () => {
    // Prepare
    const { server } = await gateway(ok);
    // Act
    const response = await fetch(`${server.url}/complaints`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: Buffer.alloc(API_GATEWAY_MAX_BODY_BYTES + 1, 0x20),
    });
    // Assess
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      message: new PayloadTooLargeError(MAX_BODY_BYTES).message,
      maxBytes: MAX_BODY_BYTES,
    });
  });

  it('answers 502 and reports the error when the handler throws', async () => {
    // Prepare
    const errors: unknown[] = [];
    const { server } = await gateway(
      () => {
        throw new Error('boom');
      },
      { onError: (error) => errors.push(error) },
    );
    // Act
    const response = await fetch(`${server.url}/`);
    const page = await fetch(`${server.url}/`, { headers: { Accept: 'text/html' } });
    // Assess
    expect(response.status).toBe(502);
    expect(((await response.json()) as { message: string }).message).toMatch(
      /^Sorry, there is a problem with the service/,
    );
    expect(page.status).toBe(502);
    expect(await page.text()).toContain('<h1>Sorry, there is a problem with the service</h1>');
    expect(errors).toHaveLength(2);
  });

  it('answers with the running council’s pages: a council in Wales gets Welsh and English', async () => {
    // Prepare
    const policy = loadPolicy(councilInWales('dudley'));
    const { server } = await gateway(
      () => {
        throw new Error('boom');
      },
      { gatewayResponses: gatewayResponses(policy, { basePath: '' }) },
    );
    // Act
    const response = await fetch(`${server.url}/`, { headers: { Accept: 'text/html' } });
    const page = await response.text();
    // Assess
    expect(response.status).toBe(502);
    expect(page).toMatch(/^<!DOCTYPE html><html lang="cy">/);
    expect(page).toContain(`<header><div class="w">${policy.council}</div></header>`);
    expect(page).toContain(CATALOGUE.cy['gateway.failed.p2']);
    expect(page).toContain(CATALOGUE.en['gateway.failed.p2']);
  });

  it('fails to start with ApiGatewayStartError when the port is taken', async () => {
    // Prepare
    const { server } = await gateway(ok);
    // Act
    const attempt = startApiGateway({ handler: async () => ok, port: server.port });
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ApiGatewayStartError);
    await expect(attempt).rejects.toMatchObject({ code: 'EADDRINUSE', port: server.port });
  });
});

describe('isBinaryMediaType', () => {
  it('matches exact types, type wildcards and */* but ignores parameters', () => {
    expect(isBinaryMediaType('image/png', ['image/png'])).toBe(true);
    expect(isBinaryMediaType('image/webp', ['image/*'])).toBe(true);
    expect(isBinaryMediaType('application/json; charset=utf-8', ['*/*'])).toBe(true);
    expect(isBinaryMediaType('application/json', ['image/*', 'font/woff2'])).toBe(false);
    expect(isBinaryMediaType(undefined, ['*/*'])).toBe(false);
  });
});
