import { z } from '@hono/zod-openapi';

/** `/healthz`: the process serves. */
export const HealthSchema = z.object({ status: z.literal('ok') }).openapi('Health');

/** `/readyz`: the database answers and a policy is active. */
export const ReadySchema = z.object({ status: z.literal('ready') }).openapi('Ready');

/** The OpenAPI document (described loosely: it describes itself). */
export const OpenApiDocumentSchema = z
  .object({
    openapi: z.string(),
    info: z.record(z.string(), z.unknown()),
    paths: z.record(z.string(), z.unknown()),
  })
  .passthrough()
  .openapi('OpenApiDocument');
