import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { authenticate } from '../auth-middleware.js';
import type { HttpContext, HttpEnv } from '../http-context.js';
import { AUTHENTICATED, problems } from '../schemas/common-schemas.js';
import { eventStream } from '../sse.js';

const eventsRoute = createRoute({
  method: 'get',
  path: '/v1/events',
  tags: ['events'],
  summary: 'Live events (Server-Sent Events), resumable with Last-Event-ID',
  description:
    'Each event is an audit record the caller may see: `id` is its audit `seq`, `event` its type, `data` the ' +
    'record as JSON. Send `Last-Event-ID` to receive every visible record after it first. A comment line is ' +
    'sent every 15 s while idle.',
  security: AUTHENTICATED,
  request: {
    headers: z.object({
      'last-event-id': z
        .string()
        .regex(/^\d{1,15}$/, 'must be an event id (an audit seq)')
        .optional()
        .openapi({ description: 'The last event id received: resume after it' }),
    }),
  },
  responses: {
    200: {
      description: 'An event stream',
      content: {
        'text/event-stream': {
          schema: z.string().openapi({ example: 'id: 42\nevent: request.approved\ndata: {…}\n\n' }),
        },
      },
    },
    ...problems(400, 401),
  },
});

/** The live event stream. */
export function registerEventRoutes(app: OpenAPIHono<HttpEnv>, context: HttpContext): void {
  app.openapi(eventsRoute, (c) => {
    const lastEventId = c.req.valid('header')['last-event-id'];
    return eventStream(
      c,
      context,
      c.get('principal'),
      lastEventId === undefined ? undefined : Number(lastEventId),
      () => authenticate(c, context),
    );
  });
}
