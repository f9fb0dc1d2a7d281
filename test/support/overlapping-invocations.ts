import type { Context } from 'aws-lambda';

/**
 * Runs one invocation of `invoke` per case id, overlapping: each starts before the one before
 * it has finished, and they finish in the order they started, the first after the last has
 * started. Each gets the request id `request-<case id>`; resolves to their results in order.
 */
export async function overlapping<R>(
  invoke: (event: { caseId: string; gate: Promise<void> }, context: Context) => Promise<R>,
  caseIds: readonly string[],
): Promise<R[]> {
  const releases: (() => void)[] = [];
  const runs = caseIds.map((caseId) => {
    const gate = new Promise<void>((resolve) => releases.push(resolve));
    return invoke({ caseId, gate }, {
      functionName: 'overlapping',
      awsRequestId: `request-${caseId}`,
      invokedFunctionArn: 'arn:aws:lambda:eu-west-2:000000000000:function:overlapping',
      getRemainingTimeInMillis: () => 30_000,
    } as Context);
  });
  for (const [index, release] of releases.entries()) {
    release();
    await runs[index];
  }
  return Promise.all(runs);
}
