import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import type { HttpContext, HttpEnv } from '../http-context.js';
import type { OpenApiDocument } from '../openapi-document.js';
import { REFERENCE_PAGE_CSP, renderReferencePage } from '../reference-page.js';
import { json, PUBLIC, problems } from '../schemas/common-schemas.js';
import { HealthSchema, OpenApiDocumentSchema, ReadySchema } from '../schemas/system-schemas.js';

const healthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['system'],
  summary: 'Liveness: 200 while the process serves',
  security: PUBLIC,
  responses: { 200: json(HealthSchema, 'Alive'), ...problems() },
});

const readyRoute = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['system'],
  summary: 'Readiness: the database answers and a policy is active',
  security: PUBLIC,
  responses: { 200: json(ReadySchema, 'Ready'), ...problems(503) },
});

const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['system'],
  summary: 'Prometheus metrics',
  security: PUBLIC,
  responses: {
    200: { description: 'The text exposition format', content: { 'text/plain': { schema: z.string() } } },
    ...problems(),
  },
});

const openApiRoute = createRoute({
  method: 'get',
  path: '/openapi.json',
  tags: ['system'],
  summary: 'This OpenAPI 3.1 document',
  security: PUBLIC,
  responses: { 200: json(OpenApiDocumentSchema, 'The document'), ...problems() },
});

const docsRoute = createRoute({
  method: 'get',
  path: '/docs',
  tags: ['system'],
  summary: 'The API reference, as a self-contained HTML page',
  security: PUBLIC,
  responses: {
    200: { description: 'HTML', content: { 'text/html': { schema: z.string() } } },
    ...problems(),
  },
});

/** Probes, metrics, and the API's own description. */
export function registerSystemRoutes(
  app: OpenAPIHono<HttpEnv>,
  context: HttpContext,
  document: () => OpenApiDocument,
): void {
  app.openapi(healthRoute, (c) => c.json({ status: 'ok' as const }, 200));

  app.openapi(readyRoute, async (c) => {
    // A probe that throws is as unready as one that says no; why goes to the log, not the probe.
    const ready = await context.ready().catch((error: unknown) => {
      context.logger.warn({ err: error }, 'readiness check failed');
      return false;
    });
    if (ready) return c.json({ status: 'ready' as const }, 200);
    throw new HTTPException(503, { message: 'The database does not answer or no policy is active' });
  });

  app.openapi(metricsRoute, async (c) => {
    const text = await context.metrics.metrics();
    return c.text(text, 200, { 'Content-Type': context.metrics.contentType });
  });

  // The generator's own type (openapi3-ts) has no index signatures; the schema describes it loosely.
  app.openapi(openApiRoute, (c) =>
    c.json(document() as unknown as z.output<typeof OpenApiDocumentSchema>, 200),
  );

  app.openapi(docsRoute, (c) => {
    c.header('Content-Security-Policy', REFERENCE_PAGE_CSP);
    return c.html(renderReferencePage(document()), 200);
  });
}
