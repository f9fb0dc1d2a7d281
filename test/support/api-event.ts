import type { APIGatewayProxyEvent } from 'aws-lambda';

/** Builds an API Gateway (REST, proxy) event as the local stand-in and AWS both deliver it. */
export function apiEvent(
  method: string,
  path: string,
  options: { body?: string; headers?: Record<string, string>; query?: Record<string, string> } = {},
): APIGatewayProxyEvent {
  return {
    httpMethod: method,
    path,
    resource: '/{proxy+}',
    body: options.body ?? null,
    isBase64Encoded: false,
    headers: options.headers ?? {},
    multiValueHeaders: {},
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {} as APIGatewayProxyEvent['requestContext'],
  };
}

export function jsonPost(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyEvent {
  return apiEvent('POST', path, {
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function formPost(
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): APIGatewayProxyEvent {
  return apiEvent('POST', path, {
    body: new URLSearchParams(fields).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html', ...headers },
  });
}
