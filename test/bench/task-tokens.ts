/**
 * Task tokens of AWS's length for the local engine. The engine's tokens are about 150 characters
 * (base64url of the execution's ARN and a random id); Step Functions' are longer: the callback
 * tokens published in examples are 684 characters (base64 of a signed blob that grows with the
 * execution's name; the API reference has given 1,024 characters as the limit). A case item
 * carries the token of its open task, and DynamoDB bills each write of the item by its size, so
 * `bench:cost` prices the case with tokens of AWS's length.
 *
 * Only measures: the padding rides inside the token's JSON, which the engine reads back (the
 * execution's ARN), so a lengthened token completes its task like the engine's own.
 */
import { CallbackRegistry } from '../../infra/local/step-functions/callbacks.js';

/** The length of the Step Functions callback tokens published in examples. */
export const AWS_TASK_TOKEN_CHARS = 684;

/**
 * Makes every token the local engine issues from now on `chars` characters long (none shorter
 * than the engine's own); answers a function that puts the engine's own tokens back.
 */
export function lengthenTaskTokens(chars: number): () => void {
  const engineToken = CallbackRegistry.prototype.newToken;
  CallbackRegistry.prototype.newToken = function newToken(this: CallbackRegistry, executionArn: string) {
    const token = engineToken.call(this, executionArn);
    const fields = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Record<string, unknown>;
    // Base64 makes 4 characters of every 3 bytes (the last group fewer: no '=' in base64url).
    const bytes = Math.floor((chars * 3) / 4);
    const bare = Buffer.byteLength(JSON.stringify({ ...fields, p: '' }));
    if (bare >= bytes) return token;
    return Buffer.from(JSON.stringify({ ...fields, p: 'x'.repeat(bytes - bare) })).toString('base64url');
  };
  return () => {
    CallbackRegistry.prototype.newToken = engineToken;
  };
}
