import type { APIGatewayProxyResult } from 'aws-lambda';

/** Headers every API answer carries. HTML pages add the page security headers from `functions/web`. */
const BASE_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' } as const;

export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { ...BASE_HEADERS, 'Content-Type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

export function html(
  statusCode: number,
  body: string,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { ...BASE_HEADERS, 'Content-Type': 'text/html; charset=utf-8', ...headers },
    body,
  };
}

/** True when the client prefers an HTML page (a browser form post) over JSON. */
export function wantsHtml(accept: string | undefined, format: 'json' | 'form' | undefined): boolean {
  if (format === 'form') return true;
  if (format === 'json') return false;
  return (accept ?? '').includes('text/html');
}
