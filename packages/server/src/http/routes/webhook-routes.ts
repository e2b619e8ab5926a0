import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { WebhookService } from '../../notifications/webhook-service.js';
import type { HttpEnv } from '../http-context.js';
import {
  AUTHENTICATED,
  bodyOf,
  IdParamSchema,
  IsoTimeSchema,
  json,
  jsonBody,
  problems,
} from '../schemas/common-schemas.js';

// Webhook administration (the admin only). Schemas live here: they are used by these routes alone.

const WebhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    eventTypes: z.array(z.string()),
    active: z.boolean(),
    createdAt: IsoTimeSchema,
    createdBy: z.string(),
  })
  .openapi('Webhook');

const CreateWebhookBodySchema = z
  .object({
    url: z.string().min(1).max(2_048).openapi({ example: 'https://hooks.example.com/gatehouse' }),
    eventTypes: z
      .array(z.string().max(128))
      .min(1)
      .max(50)
      .openapi({ example: ['request.created', 'request.approved'], description: '`*` for every event' }),
  })
  .strict()
  .openapi('CreateWebhookBody');

const CreatedWebhookSchema = z
  .object({
    webhook: WebhookSchema,
    secret: z
      .string()
      .openapi({ description: 'The Standard Webhooks signing secret (`whsec_…`): shown once' }),
  })
  .openapi('CreatedWebhook');

const WebhookDeliverySchema = z
  .object({
    id: z.string(),
    subscriptionId: z.string(),
    eventSeq: z.number().int(),
    eventType: z.string(),
    attempt: z.number().int(),
    status: z.enum(['pending', 'delivered', 'failed', 'dead']),
    nextAttemptAt: IsoTimeSchema,
    responseStatus: z.number().int().optional(),
    error: z.string().optional(),
    createdAt: IsoTimeSchema,
    attemptedAt: IsoTimeSchema.optional(),
    deliveredAt: IsoTimeSchema.optional(),
  })
  .openapi('WebhookDelivery');

const WebhookListSchema = z.object({ webhooks: z.array(WebhookSchema) }).openapi('WebhookList');
const DeliveryListSchema = z
  .object({ deliveries: z.array(WebhookDeliverySchema) })
  .openapi('WebhookDeliveryList');
const RedeliverySchema = z.object({ delivery: WebhookDeliverySchema }).openapi('WebhookRedelivery');

const DeliveriesQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

const listWebhooksRoute = createRoute({
  method: 'get',
  path: '/v1/webhooks',
  tags: ['webhooks'],
  summary: 'Every webhook subscription (the admin); secrets are never listed',
  security: AUTHENTICATED,
  responses: { 200: json(WebhookListSchema, 'The subscriptions'), ...problems(401, 403) },
});

const createWebhookRoute = createRoute({
  method: 'post',
  path: '/v1/webhooks',
  tags: ['webhooks'],
  summary: 'Subscribe a URL to events (the admin): the signing secret is shown once',
  description:
    'Deliveries are signed per the Standard Webhooks spec and sent at least once: deduplicate on `webhook-id`. ' +
    'Loopback, private, link-local and metadata targets are refused unless the server allows them.',
  security: AUTHENTICATED,
  request: { body: jsonBody(CreateWebhookBodySchema) },
  responses: { 201: json(CreatedWebhookSchema, 'Created'), ...problems(400, 401, 403, 409, 413, 415) },
});

const deleteWebhookRoute = createRoute({
  method: 'delete',
  path: '/v1/webhooks/{id}',
  tags: ['webhooks'],
  summary: 'Delete a subscription and its delivery log (the admin)',
  security: AUTHENTICATED,
  request: { params: IdParamSchema },
  responses: { 204: { description: 'Deleted' }, ...problems(400, 401, 403, 404) },
});

const listDeliveriesRoute = createRoute({
  method: 'get',
  path: '/v1/webhooks/{id}/deliveries',
  tags: ['webhooks'],
  summary: 'A subscription’s delivery log, one entry per attempt, newest first (the admin)',
  security: AUTHENTICATED,
  request: { params: IdParamSchema, query: DeliveriesQuerySchema },
  responses: {
    200: json(DeliveryListSchema, 'The attempts'),
    ...problems(400, 401, 403, 404),
  },
});

const redeliverRoute = createRoute({
  method: 'post',
  path: '/v1/webhooks/deliveries/{id}/redeliver',
  tags: ['webhooks'],
  summary: 'Send an event again now, with the same webhook-id (the admin)',
  security: AUTHENTICATED,
  request: { params: IdParamSchema },
  responses: { 202: json(RedeliverySchema, 'Queued'), ...problems(400, 401, 403, 404) },
});

/** Webhook subscriptions and their delivery log. */
export function registerWebhookRoutes(app: OpenAPIHono<HttpEnv>, webhooks: WebhookService): void {
  app.openapi(listWebhooksRoute, async (c) => {
    const list = await webhooks.list(c.get('principal'));
    return c.json(bodyOf(WebhookListSchema, { webhooks: list }), 200);
  });

  app.openapi(createWebhookRoute, async (c) => {
    const created = await webhooks.create(c.get('principal'), c.req.valid('json'));
    return c.json(bodyOf(CreatedWebhookSchema, created), 201);
  });

  app.openapi(deleteWebhookRoute, async (c) => {
    await webhooks.delete(c.get('principal'), c.req.valid('param').id);
    return c.body(null, 204);
  });

  app.openapi(listDeliveriesRoute, async (c) => {
    const { id } = c.req.valid('param');
    const deliveries = await webhooks.listDeliveries(c.get('principal'), id, c.req.valid('query').limit);
    return c.json(bodyOf(DeliveryListSchema, { deliveries }), 200);
  });

  app.openapi(redeliverRoute, async (c) => {
    const delivery = await webhooks.redeliver(c.get('principal'), c.req.valid('param').id);
    return c.json(bodyOf(RedeliverySchema, { delivery }), 202);
  });
}
