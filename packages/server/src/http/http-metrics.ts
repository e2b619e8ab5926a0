import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { Counter, collectDefaultMetrics, Histogram, type Registry } from 'prom-client';

/** The metrics the HTTP layer records. */
export interface HttpMetrics {
  /** Counts and times every response by method, route pattern and status. */
  readonly middleware: MiddlewareHandler;
  /** `gatehouse_requests_created_total{outcome}`: submissions stored, by the policy's decision. */
  readonly requestsCreated: Counter<'outcome'>;
}

/** The label for requests no route matched: unknown URLs must not each become a time series. */
export const UNMATCHED_ROUTE = 'unmatched';

const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
]);

function metricOnce<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/**
 * Registers the HTTP metrics on `registry` (and Node's default metrics unless the caller
 * already collects them); calling it again with the same registry reuses them. Labels stay
 * bounded: `route` is the matched route's pattern (`/v1/requests/:id`), never the URL.
 */
export function createHttpMetrics(registry: Registry): HttpMetrics {
  if (registry.getSingleMetric('process_cpu_user_seconds_total') === undefined) {
    collectDefaultMetrics({ register: registry });
  }
  const requests = metricOnce(
    registry,
    'http_requests_total',
    () =>
      new Counter({
        name: 'http_requests_total',
        help: 'HTTP requests answered, by method, route pattern and status',
        labelNames: ['method', 'route', 'status'] as const,
        registers: [registry],
      }),
  );
  const duration = metricOnce(
    registry,
    'http_request_duration_seconds',
    () =>
      new Histogram({
        name: 'http_request_duration_seconds',
        help: 'Time to answer HTTP requests (to the first byte of streams), by method and route pattern',
        labelNames: ['method', 'route'] as const,
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
        registers: [registry],
      }),
  );
  const requestsCreated = metricOnce(
    registry,
    'gatehouse_requests_created_total',
    () =>
      new Counter({
        name: 'gatehouse_requests_created_total',
        help: 'Approval requests created, by the policy decision (allow, deny, require)',
        labelNames: ['outcome'] as const,
        registers: [registry],
      }),
  );

  const middleware: MiddlewareHandler = async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      // The handler's own pattern: the last matched entry that is not a middleware (`ALL`).
      const handler = matchedRoutes(c).findLast((route) => route.method !== 'ALL');
      const method = KNOWN_METHODS.has(c.req.method) ? c.req.method : 'OTHER';
      const labels = { method, route: handler?.path ?? UNMATCHED_ROUTE };
      requests.inc({ ...labels, status: String(c.res.status) });
      duration.observe(labels, (performance.now() - started) / 1000);
    }
  };
  return { middleware, requestsCreated };
}
