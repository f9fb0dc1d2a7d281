import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { MethodNotAllowedError, NotFoundError, ValidationError } from './errors.js';

/** A route's handler gets the event and the path parameters its pattern captured. */
export type RouteHandler = (
  event: APIGatewayProxyEvent,
  params: Record<string, string>,
) => Promise<APIGatewayProxyResult>;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: RouteHandler;
}

/**
 * Where a lazy group's routes live: a path prefix (`/staff`: itself and every path under it), or
 * a pattern the whole path must match, for routes beside others under the same prefix.
 */
export type RouteScope = string | RegExp;

/** Routes registered on the first request under one of their path prefixes (`Router.lazy`). */
interface LazyGroup {
  prefixes: readonly RouteScope[];
  /** The group's own routes, once registered. */
  router: Router;
  register: () => Promise<void>;
  registered?: Promise<void>;
}

/**
 * A tiny method + path router for the single API function. API Gateway already routes on AWS,
 * but the local stand-in and the `{proxy+}` integration hand every request to one handler; a
 * dozen routes do not justify a framework. Patterns use `{name}` for one path segment and
 * `{name+}` for the rest of the path.
 */
export class Router {
  private readonly routes: Route[] = [];
  private readonly groups: LazyGroup[] = [];

  on(method: string, path: string, handler: RouteHandler): this {
    const names: string[] = [];
    const source = path
      .split('/')
      .map((segment) => {
        const greedy = /^\{(\w+)\+\}$/.exec(segment);
        if (greedy?.[1]) {
          names.push(greedy[1]);
          return '(.+)';
        }
        const param = /^\{(\w+)\}$/.exec(segment);
        if (param?.[1]) {
          names.push(param[1]);
          return '([^/]+)';
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this.routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${source}/?$`), names, handler });
    return this;
  }

  /**
   * Routes registered on first use: the first request whose path is one of `prefixes` or under
   * one (`/staff`, `/staff/...`) runs `register`, which imports their module (a chunk of its own
   * in the Lambda bundle) and registers them on this router. So the cold start of the single API
   * function does not load pages most requests never reach. A failed import (a chunk that could
   * not be read) is tried again by the next request; a module that threw while loading stays failed. A pattern (`RegExp`) scopes a group that shares its prefix with routes
   * registered at start (the evidence pages under `/complaints/{reference}`, beside
   * `POST /complaints`). Each group keeps its routes apart, and a request is matched against the
   * routes registered at start, then each group whose scope holds its path in the order the
   * groups were declared: the same answer whichever group happened to load first.
   */
  lazy(prefixes: readonly RouteScope[], register: (router: Router) => Promise<void>): this {
    const router = new Router();
    this.groups.push({ prefixes, router, register: () => register(router) });
    return this;
  }

  /** Finds the route for a request; 404 when no path matches, 405 when the method does not. */
  async handle(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
    const path = event.path || '/';
    const method = (event.httpMethod || 'GET').toUpperCase();
    const allowed: string[] = [];
    for (const router of await this.routersFor(path)) {
      for (const route of router.routes) {
        const match = route.pattern.exec(path);
        if (!match) continue;
        if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) {
          allowed.push(route.method);
          continue;
        }
        const params: Record<string, string> = {};
        route.names.forEach((name, i) => {
          params[name] = decodedSegment(match[i + 1] ?? '');
        });
        return route.handler(event, params);
      }
    }
    if (allowed.length > 0) throw new MethodNotAllowedError(allowed);
    throw new NotFoundError();
  }

  /** This router, then the groups whose scope holds `path` (registered now if need be), in order. */
  private async routersFor(path: string): Promise<Router[]> {
    const routers: Router[] = [this];
    for (const group of this.groups) {
      if (!group.prefixes.some((scope) => inScope(path, scope))) continue;
      group.registered ??= group.register().catch((error: unknown) => {
        group.registered = undefined;
        throw error;
      });
      await group.registered;
      routers.push(...(await group.router.routersFor(path)));
    }
    return routers;
  }
}

function inScope(path: string, scope: RouteScope): boolean {
  return typeof scope === 'string' ? path === scope || path.startsWith(`${scope}/`) : scope.test(path);
}

/** A path parameter decoded; a malformed `%` escape is the client's mistake (400), not ours. */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ValidationError({ path: 'The address has a malformed % escape: check the link you followed' });
  }
}
