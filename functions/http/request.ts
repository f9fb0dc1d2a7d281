import type { APIGatewayProxyEvent } from 'aws-lambda';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from './errors.js';

/** Largest body accepted (a complaint is text; attachments are not taken through this form). */
export const MAX_BODY_BYTES = 64 * 1024;

export type BodyFormat = 'json' | 'form';

/** Header lookup that ignores case (API Gateway keeps the client's casing). */
export function header(event: Pick<APIGatewayProxyEvent, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/** Cookie lookup from the `Cookie` header. */
export function cookie(event: Pick<APIGatewayProxyEvent, 'headers'>, name: string): string | undefined {
  const raw = header(event, 'cookie');
  if (!raw) return undefined;
  for (const part of raw.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodedOrUndefined(rest.join('='));
  }
  return undefined;
}

/** A percent-encoded value, or undefined when its escapes are malformed (a cookie we never set). */
function decodedOrUndefined(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/**
 * Reads and decodes the body of a JSON or form post. Oversized → 413, other content types → 415,
 * malformed JSON → 400 naming the problem. Nothing is half-parsed: it returns the whole body or throws.
 */
export function parseBody(
  event: Pick<APIGatewayProxyEvent, 'headers' | 'body' | 'isBase64Encoded'>,
  limitBytes = MAX_BODY_BYTES,
): { format: BodyFormat; data: unknown } {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.byteLength > limitBytes) throw new PayloadTooLargeError(limitBytes);
  const contentType = header(event, 'content-type');
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'application/json' || mediaType?.endsWith('+json')) {
    const text = utf8Text(bytes);
    if (text.trim() === '') throw new ValidationError({ body: 'Send the feedback as a JSON object' });
    try {
      return { format: 'json', data: JSON.parse(text) as unknown };
    } catch (error: unknown) {
      const detail = error instanceof SyntaxError ? error.message : 'unreadable';
      throw new ValidationError({ body: `The body is not valid JSON (${detail})` });
    }
  }
  if (mediaType === 'application/x-www-form-urlencoded') {
    return { format: 'form', data: parseForm(utf8Text(bytes)) };
  }
  throw new UnsupportedMediaTypeError(contentType);
}

/**
 * The body's bytes as text, refused when they are not UTF-8. API Gateway passes every body as
 * base64 (`*\/*` is a binary media type), and `Buffer#toString` would turn bytes that are not
 * UTF-8 (Latin-1 from an old client, say) into U+FFFD: the case would keep words other than the
 * ones sent. A leading byte-order mark is dropped, as a UTF-8 decoder does by default.
 */
function utf8Text(bytes: Buffer): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch (error: unknown) {
    if (error instanceof TypeError) {
      throw new ValidationError({ body: 'The body is not UTF-8 text: send it encoded as UTF-8' });
    }
    throw error;
  }
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/** Deepest and longest field names a form of ours has (`onBehalfOf.consentNote`), with room to spare. */
const MAX_FIELD_DEPTH = 4;
const MAX_FIELD_NAME = 100;
/** More fields than any of our forms has: a post with more is not from one of them. */
const MAX_FIELDS = 200;

/**
 * Turns `a.b=1&c=2` into `{ a: { b: '1' }, c: '2' }`. Form fields are named by the dotted path of
 * the JSON field they fill, so both formats meet one schema. Repeated names keep the last value.
 * Hand-written: `qs`-style libraries parse brackets, not dots, and would add a dependency for ten lines.
 */
export function parseForm(text: string): Record<string, unknown> {
  if (!wellFormedEscapes(text)) {
    throw new ValidationError({
      body: 'The form sent text that is not UTF-8, or a % that starts no escape: send it from our form',
    });
  }
  const out: Record<string, unknown> = Object.create(null);
  const fields = [...new URLSearchParams(text)];
  if (fields.length > MAX_FIELDS) {
    throw new ValidationError({ body: `A form can send at most ${MAX_FIELDS} fields` });
  }
  for (const [name, value] of fields) {
    if (name.length > MAX_FIELD_NAME || name.split('.').length > MAX_FIELD_DEPTH) {
      throw new ValidationError({ body: 'The form sent a field name that none of our forms has' });
    }
    const path = name.split('.');
    if (path.some((p) => p === '' || FORBIDDEN_KEYS.has(p))) {
      throw new ValidationError({ [name]: 'This field name is not allowed' });
    }
    let node: Record<string, unknown> = out;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (typeof next === 'object' && next !== null) {
        node = next as Record<string, unknown>;
      } else {
        const child: Record<string, unknown> = Object.create(null);
        node[key] = child;
        node = child;
      }
    }
    node[path[path.length - 1] as string] = value;
  }
  return out;
}

/**
 * Whether every `%` starts an escape and the escapes spell UTF-8. `URLSearchParams` takes a
 * malformed escape as it is and bytes that are not UTF-8 as U+FFFD, so a case would keep words
 * other than the ones sent; a browser never sends either.
 */
function wellFormedEscapes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch (error: unknown) {
    if (error instanceof URIError) return false;
    throw error;
  }
}
