import { describe, expect, it } from 'vitest';
import { LambdaInvoker, LOCAL_LAMBDA_CONCURRENCY } from '../../../infra/local/step-functions/lambda.js';
import { ACCOUNT, REGION } from './support.js';

describe('LambdaInvoker', () => {
  it('runs at most its concurrency at once and every call in the end, failing ones included', async () => {
    let running = 0;
    let most = 0;
    const invoker = new LambdaInvoker(
      {
        step: async (event) => {
          running++;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, 2));
          running--;
          if ((event as { n: number }).n % 7 === 0) throw new Error('a step that fails');
          return event;
        },
      },
      REGION,
      ACCOUNT,
    );

    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, n) => invoker.invoke('step', { n })),
    );

    expect(most).toBe(LOCAL_LAMBDA_CONCURRENCY);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(100 - 15);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(15);
    expect(running).toBe(0);
  });

  it("writes the lambda:invoke response's JSON text around the payload's, as JSON.stringify would", async () => {
    // Prepare
    const invoker = new LambdaInvoker(
      { step: async () => ({ said: 'a "quoted" word', n: [1, 2] }) },
      REGION,
      ACCOUNT,
    );

    // Act
    const result = await invoker.invokeWithCopy('step', {});
    const response = invoker.invokeResponseWithText(result.value, result.text);

    // Assert
    expect(response.text).toBe(JSON.stringify(response.value));
    expect(JSON.parse(response.text)).toMatchObject({
      Payload: { said: 'a "quoted" word', n: [1, 2] },
      StatusCode: 200,
    });
  });
});
