import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { ValidationError } from '../../domain-errors.js';
import {
  createEmergencyService,
  type EmergencyWindowView,
  parseWindowDuration,
} from '../../emergency/emergency-service.js';
import { rotateKeysAsAdmin } from '../../emergency/signing-key-rotation.js';
import { rotateSigningKey } from '../../grants/signing-key-service.js';
import type { HttpContext, HttpEnv } from '../http-context.js';
import {
  AUTHENTICATED,
  bodyOf,
  IdParamSchema,
  IsoTimeSchema,
  json,
  jsonBody,
  problems,
} from '../schemas/common-schemas.js';

// Emergency windows (the admin opens and closes them) and signing-key rotation (the admin).

const EmergencyWindowSchema = z
  .object({
    id: z.string(),
    actions: z.array(z.string()),
    reason: z.string(),
    openedBy: z.string(),
    openedAt: IsoTimeSchema,
    closesAt: IsoTimeSchema,
    closedAt: IsoTimeSchema.optional(),
    closedBy: z.string().optional(),
    active: z.boolean(),
  })
  .openapi('EmergencyWindow');

const OpenEmergencyBodySchema = z
  .object({
    actions: z
      .array(z.string().max(256))
      .min(1)
      .max(50)
      .openapi({ example: ['deploy.*'], description: 'Action globs that pass without review' }),
    reason: z.string().min(1).max(1_000).openapi({ example: 'Incident 42: hotfix rollout' }),
    duration: z.string().max(16).openapi({
      example: '30m',
      description: 'How long until it closes by itself (`30m`, `2h`); at most 24h',
    }),
  })
  .strict()
  .openapi('OpenEmergencyBody');

const EmergencyListSchema = z
  .object({ windows: z.array(EmergencyWindowSchema) })
  .openapi('EmergencyWindowList');
const EmergencyCreatedSchema = z.object({ window: EmergencyWindowSchema }).openapi('EmergencyWindowOpened');
const RotatedKeySchema = z.object({ kid: z.string() }).openapi('RotatedSigningKey');

const listRoute = createRoute({
  method: 'get',
  path: '/v1/emergency',
  tags: ['emergency'],
  summary: 'Recent emergency windows, open or closed, newest first (the admin and moderators)',
  security: AUTHENTICATED,
  responses: { 200: json(EmergencyListSchema, 'The windows'), ...problems(401, 403) },
});

const openRoute = createRoute({
  method: 'post',
  path: '/v1/emergency',
  tags: ['emergency'],
  summary: 'Open an emergency window (the admin): the named actions pass without review until it closes',
  description:
    'Every request approved through the window is flagged and audited (`request.emergency-approved`). ' +
    'A deny rule still denies. The window closes by itself after `duration`.',
  security: AUTHENTICATED,
  request: { body: jsonBody(OpenEmergencyBodySchema) },
  responses: { 201: json(EmergencyCreatedSchema, 'Opened'), ...problems(400, 401, 403, 413, 415) },
});

const closeRoute = createRoute({
  method: 'delete',
  path: '/v1/emergency/{id}',
  tags: ['emergency'],
  summary: 'Close an emergency window early (the admin)',
  security: AUTHENTICATED,
  request: { params: IdParamSchema },
  responses: { 204: { description: 'Closed' }, ...problems(400, 401, 403, 404, 409) },
});

const rotateRoute = createRoute({
  method: 'post',
  path: '/v1/admin/signing-keys/rotate',
  tags: ['admin'],
  summary: 'Rotate the grant signing key (the admin); grants signed before keep verifying until they expire',
  security: AUTHENTICATED,
  responses: { 200: json(RotatedKeySchema, 'The new key'), ...problems(401, 403) },
});

function toWindowBody(window: EmergencyWindowView) {
  return {
    id: window.id,
    actions: window.actions,
    reason: window.reason,
    openedBy: window.openedBy,
    openedAt: new Date(window.openedAt).toISOString(),
    closesAt: new Date(window.closesAt).toISOString(),
    ...(window.closedAt === undefined ? {} : { closedAt: new Date(window.closedAt).toISOString() }),
    ...(window.closedBy === undefined ? {} : { closedBy: window.closedBy }),
    active: window.active,
  };
}

/** Emergency windows and signing-key rotation. */
export function registerEmergencyRoutes(app: OpenAPIHono<HttpEnv>, context: HttpContext): void {
  const emergency = createEmergencyService({ db: context.db, now: context.now });
  // Without the composition root's rotation the new key signs here once the ring is next reloaded.
  const rotateKeys =
    context.rotateKeys ??
    (async (actor: string) => ({
      kid: (await rotateSigningKey(context.db, context.now(), actor)).active.kid,
    }));

  app.openapi(listRoute, async (c) => {
    const windows = await emergency.list(c.get('principal'));
    return c.json(bodyOf(EmergencyListSchema, { windows: windows.map(toWindowBody) }), 200);
  });

  app.openapi(openRoute, async (c) => {
    const body = c.req.valid('json');
    const durationMs = parseWindowDuration(body.duration);
    if (durationMs === undefined) throw new ValidationError('duration', 'a duration such as 30m or 2h');
    const window = await emergency.open(c.get('principal'), { ...body, durationMs });
    return c.json(bodyOf(EmergencyCreatedSchema, { window: toWindowBody(window) }), 201);
  });

  app.openapi(closeRoute, async (c) => {
    await emergency.close(c.get('principal'), c.req.valid('param').id);
    return c.body(null, 204);
  });

  app.openapi(rotateRoute, async (c) => {
    const rotated = await rotateKeysAsAdmin(c.get('principal'), {
      db: context.db,
      now: context.now,
      rotateKeys,
    });
    return c.json(bodyOf(RotatedKeySchema, { kid: rotated.kid }), 200);
  });
}
