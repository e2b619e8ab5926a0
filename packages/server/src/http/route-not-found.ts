import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { problemResponse, toProblem } from './problem-details.js';

/** A registered route, as `app.routes` lists it. */
export interface RegisteredRoute {
  readonly method: string;
  readonly path: string;
}

/** A Hono path pattern (`/v1/requests/:id`) as a regular expression over request paths. */
function patternOf(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) =>
      segment.startsWith(':')
        ? '[^/]+'
        : segment === '*'
          ? '.*'
          : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}$`);
}

/**
 * The not-found handler: 405 with `Allow` when the path exists for other methods (Hono
 * itself answers 404 for those), else 404; both as problem details.
 */
export function notFoundHandler(routes: () => readonly RegisteredRoute[]) {
  let compiled: { readonly method: string; readonly pattern: RegExp }[] | undefined;
  return (c: Context): Response => {
    compiled ??= routes()
      .filter((route) => route.method !== 'ALL')
      .map((route) => ({ method: route.method, pattern: patternOf(route.path) }));
    const allowed = [
      ...new Set(compiled.filter((route) => route.pattern.test(c.req.path)).map((r) => r.method)),
    ];
    if (allowed.length > 0) {
      const error = new HTTPException(405, {
        message: `${c.req.method} is not allowed here; use ${allowed.join(', ')}`,
      });
      return problemResponse(toProblem(error, c.req.path).problem, { Allow: allowed.join(', ') });
    }
    const error = new HTTPException(404, { message: `No route for ${c.req.method} ${c.req.path}` });
    return problemResponse(toProblem(error, c.req.path).problem);
  };
}
