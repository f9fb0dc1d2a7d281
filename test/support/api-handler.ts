import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { type ApiDeps, createApi } from '../../functions/app/api.js';

/**
 * The API as the Lambda runs it, with the routes `extraRoutes` adds, on a clock stopped at `now`
 * and with fresh ids: an event in, its answer out.
 */
export function apiAt(
  deps: Pick<ApiDeps, 'store' | 'policy'>,
  now: Date,
  extraRoutes: ApiDeps['extraRoutes'],
): (event: APIGatewayProxyEvent) => ReturnType<ReturnType<typeof createApi>> {
  const handler = createApi({ ...deps, now: () => now, newId: () => randomUUID(), extraRoutes });
  return (event) => handler(event, {} as Context);
}
