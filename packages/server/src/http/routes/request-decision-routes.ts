import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { toRequestView } from '../../requests/request-view.js';
import type { HttpContext, HttpEnv } from '../http-context.js';
import { AUTHENTICATED, bodyOf, json, jsonBody, problems } from '../schemas/common-schemas.js';
import {
  OutcomeBodySchema,
  OverrideBodySchema,
  RequestIdParamSchema,
  RequestViewSchema,
  ReviewBodySchema,
} from '../schemas/request-schemas.js';

const reviewRoute = createRoute({
  method: 'post',
  path: '/v1/requests/{id}/reviews',
  tags: ['requests'],
  summary: 'Approve or deny (a denial needs a comment)',
  description:
    'Refused with 403 for self-approval, an ineligible reviewer or an agent, and 409 for a second vote or a ' +
    'request no longer pending; every refusal is audited.',
  security: AUTHENTICATED,
  request: { params: RequestIdParamSchema, body: jsonBody(ReviewBodySchema) },
  responses: {
    200: json(RequestViewSchema, 'The request after the vote'),
    ...problems(400, 401, 403, 404, 409),
  },
});

const cancelRoute = createRoute({
  method: 'post',
  path: '/v1/requests/{id}/cancel',
  tags: ['requests'],
  summary: 'Cancel a pending request (its requester or the user it acts for)',
  security: AUTHENTICATED,
  request: { params: RequestIdParamSchema },
  responses: { 200: json(RequestViewSchema, 'The cancelled request'), ...problems(400, 401, 403, 404, 409) },
});

const overrideRoute = createRoute({
  method: 'post',
  path: '/v1/requests/{id}/override',
  tags: ['requests'],
  summary: 'Emergency override by a role the rule names, with a justification (flagged)',
  security: AUTHENTICATED,
  request: { params: RequestIdParamSchema, body: jsonBody(OverrideBodySchema) },
  responses: { 200: json(RequestViewSchema, 'The approved request'), ...problems(400, 401, 403, 404, 409) },
});

const outcomeRoute = createRoute({
  method: 'post',
  path: '/v1/requests/{id}/outcome',
  tags: ['requests'],
  summary: 'Report how the approved action went',
  security: AUTHENTICATED,
  request: { params: RequestIdParamSchema, body: jsonBody(OutcomeBodySchema) },
  responses: {
    200: json(RequestViewSchema, 'The request with its outcome'),
    ...problems(400, 401, 403, 404, 409),
  },
});

/** Review, cancel, override and report the outcome of requests. */
export function registerRequestDecisionRoutes(app: OpenAPIHono<HttpEnv>, context: HttpContext): void {
  app.openapi(reviewRoute, async (c) => {
    const principal = c.get('principal');
    const { request } = await context.requests.review(
      principal,
      c.req.valid('param').id,
      c.req.valid('json'),
    );
    return c.json(bodyOf(RequestViewSchema, toRequestView(request, principal)), 200);
  });

  app.openapi(cancelRoute, async (c) => {
    const principal = c.get('principal');
    const { request } = await context.requests.cancel(principal, c.req.valid('param').id);
    return c.json(bodyOf(RequestViewSchema, toRequestView(request, principal)), 200);
  });

  app.openapi(overrideRoute, async (c) => {
    const principal = c.get('principal');
    const { justification } = c.req.valid('json');
    const { request } = await context.requests.override(principal, c.req.valid('param').id, justification);
    return c.json(bodyOf(RequestViewSchema, toRequestView(request, principal)), 200);
  });

  app.openapi(outcomeRoute, async (c) => {
    const principal = c.get('principal');
    const { request } = await context.requests.reportOutcome(
      principal,
      c.req.valid('param').id,
      c.req.valid('json'),
    );
    return c.json(bodyOf(RequestViewSchema, toRequestView(request, principal)), 200);
  });
}
