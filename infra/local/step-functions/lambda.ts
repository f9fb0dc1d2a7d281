/**
 * Calling in-process Lambda handlers the way a Task state calls Lambda on AWS: data copied
 * through JSON both ways, errors reported as the Lambda Node.js runtime reports them, and
 * the `lambda:invoke` response envelope.
 */
import { randomUUID } from 'node:crypto';
import { jsonClone } from './data-flow.js';
import { StatesError } from './errors.js';

/** The slice of the Lambda context object handlers may read. */
export interface LambdaContextLike {
  functionName: string;
  awsRequestId: string;
  invokedFunctionArn: string;
  getRemainingTimeInMillis(): number;
}

/** A Lambda handler as the engine calls it: the event in, the JSON-able result out. */
export type LambdaHandler = (event: unknown, context: LambdaContextLike) => Promise<unknown> | unknown;

/**
 * A handler in another thread (`thread.ts`): given the event's JSON text, it gives the result's,
 * so the data crosses as text once each way, as it crosses to Lambda. It throws what the
 * handler threw (its `name`, `message` and `stack` kept).
 */
export interface RemoteLambdaHandler {
  remote(eventText: string, context: LambdaContextLike): Promise<string>;
}

/**
 * Invocations running at once; the rest wait their turn. Lambda caps an account's concurrency
 * too; here it keeps a restart that resumes thousands of executions (each re-entering its state
 * and calling its step) from starving the API of the one process's event loop and DynamoDB Local.
 */
export const LOCAL_LAMBDA_CONCURRENCY = 16;

/** The handlers of one engine, by function name. */
export class LambdaInvoker {
  private readonly handlers: Record<string, LambdaHandler | RemoteLambdaHandler>;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    handlers: Record<string, LambdaHandler | RemoteLambdaHandler>,
    private readonly region: string,
    private readonly accountId: string,
    private readonly concurrency = LOCAL_LAMBDA_CONCURRENCY,
  ) {
    this.handlers = { ...handlers };
  }

  /** Waits for a free place, runs `fn`, and hands the place to the next in line. */
  private async limited<T>(fn: () => T | Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /**
   * Calls the handler of `functionName` with a JSON copy of `payload`. A missing handler is
   * `Lambda.ResourceNotFoundException`; a throwing one fails with its error's `name` and a
   * `{errorType, errorMessage, trace}` cause, like the Lambda Node.js runtime.
   */
  async invoke(functionName: string, payload: unknown): Promise<unknown> {
    return (await this.invokeWithCopy(functionName, jsonClone(payload))).value;
  }

  /**
   * As `invoke`, with a payload the caller copied for this call alone (a Task state parses it
   * from the JSON text its history event holds, so the data goes through JSON once, not twice).
   * Gives the handler's result copied through JSON and that JSON text (for the history).
   */
  async invokeWithCopy(
    functionName: string,
    payloadCopy: unknown,
  ): Promise<{ value: unknown; text: string }> {
    const handler = this.handlers[functionName];
    const functionArn = `arn:aws:lambda:${this.region}:${this.accountId}:function:${functionName}`;
    if (!handler) {
      throw new StatesError(
        'Lambda.ResourceNotFoundException',
        `Function not found: ${functionArn} (Service: Lambda, Status Code: 404)`,
      );
    }
    const context: LambdaContextLike = {
      functionName,
      awsRequestId: randomUUID(),
      invokedFunctionArn: functionArn,
      getRemainingTimeInMillis: () => 900_000,
    };
    try {
      if (typeof handler !== 'function') {
        const text = await this.limited(() => handler.remote(JSON.stringify(payloadCopy), context));
        return { value: JSON.parse(text), text };
      }
      // A handler that throws at once is caught here all the same (`limited` awaits inside its try).
      const result = await this.limited(() => handler(payloadCopy, context));
      const text = JSON.stringify(result ?? null);
      return { value: JSON.parse(text), text };
    } catch (error: unknown) {
      // The Lambda runtime reports errorType = the error's name: that is the ASL error name.
      const errorType = error instanceof Error ? error.name : 'Error';
      const errorMessage = error instanceof Error ? error.message : String(error);
      const trace = error instanceof Error && error.stack ? error.stack.split('\n') : [];
      throw new StatesError(errorType, JSON.stringify({ errorType, errorMessage, trace }));
    }
  }

  /**
   * What `arn:aws:states:::lambda:invoke` returns (the Lambda Invoke response) and its JSON
   * text, made around the payload's text (which `invokeWithCopy` has already) rather than by
   * stringifying the payload a second time. The text is what `JSON.stringify` of the response
   * gives, field for field.
   */
  invokeResponseWithText(
    payload: unknown,
    payloadText: string,
  ): { value: Record<string, unknown>; text: string } {
    const requestId = randomUUID();
    const metadata = {
      HttpHeaders: {
        'Content-Type': 'application/json',
        'X-Amz-Executed-Version': '$LATEST',
        'x-amzn-RequestId': requestId,
      },
      HttpStatusCode: 200,
    };
    const value = {
      ExecutedVersion: '$LATEST',
      Payload: payload,
      SdkHttpMetadata: metadata,
      SdkResponseMetadata: { RequestId: requestId },
      StatusCode: 200,
    };
    const text = `{"ExecutedVersion":"$LATEST","Payload":${payloadText},"SdkHttpMetadata":${JSON.stringify(metadata)},"SdkResponseMetadata":{"RequestId":${JSON.stringify(requestId)}},"StatusCode":200}`;
    return { value, text };
  }
}
