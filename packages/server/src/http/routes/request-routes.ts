import type { ApprovalRequest, Decision } from '@gatehouse/core';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AuthenticatedPrincipal } from '../../identity/authenticated-principal.js';
import { currentFactsOf } from '../../requests/request-kinds.js';
import type { Submitted } from '../../requests/request-submission.js';
import { toRequestView } from '../../requests/request-view.js';
import { listSubjectAuditEvents } from '../../storage/audit-dal.js';
import { getSummary } from '../../summaries/summary-queries.js';
import type { HttpContext, HttpEnv } from '../http-context.js';
import type { HttpMetrics } from '../http-metrics.js';
import { AUTHENTICATED, bodyOf, json, jsonBody, problems } from '../schemas/common-schemas.js';
import {
  ExplanationSchema,
  IdempotencyHeadersSchema,
  RequestDetailSchema,
  RequestIdParamSchema,
  RequestListQuerySchema,
  RequestPageSchema,
  SubmissionSchema,
  SubmittedSchema,
  WaitQuerySchema,
} from '../schemas/request-schemas.js';

const submitRoute = createRoute({
  method: 'post',
  path: '/v1/requests',
  tags: ['requests'],
  summary: 'Submit an action for a decision',
  description:
    'Evaluates the action against the active policy and stores the request: allowed at once (with a grant), ' +
    'denied (with the reasons), or pending review. A repeated `Idempotency-Key` with the same body answers 200 ' +
    'with the original; with another body, 422.',
  security: AUTHENTICATED,
  request: { headers: IdempotencyHeadersSchema, body: jsonBody(SubmissionSchema) },
  responses: {
    201: json(SubmittedSchema, 'Created'),
    200: json(SubmittedSchema, 'The original request of a replayed Idempotency-Key'),
    ...problems(400, 401, 403, 409, 413, 415, 422),
  },
});

const evaluateRoute = createRoute({
  method: 'post',
  path: '/v1/evaluate',
  tags: ['requests'],
  summary: 'Explain what the policy would decide (nothing is stored)',
  security: AUTHENTICATED,
  request: { body: jsonBody(SubmissionSchema) },
  responses: { 200: json(ExplanationSchema, 'The explanation'), ...problems(400, 401, 403, 413, 415) },
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/requests',
  tags: ['requests'],
  summary: 'The requests the caller may see, newest first',
  security: AUTHENTICATED,
  request: { query: RequestListQuerySchema },
  responses: { 200: json(RequestPageSchema, 'A page of requests'), ...problems(400, 401, 403) },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/requests/{id}',
  tags: ['requests'],
  summary: 'One request, with its audit timeline and (for its requester) its usable grant',
  security: AUTHENTICATED,
  request: { params: RequestIdParamSchema },
  responses: { 200: json(RequestDetailSchema, 'The request'), ...problems(400, 401, 403, 404) },
});

const waitRoute = createRoute({
  method: 'get',
  path: '/v1/requests/{id}/wait',
  tags: ['requests'],
  summary: 'Long-poll: answers once the request is decided, or at the timeout still pending',
  security: AUTHENTICATED,
  request: { params: RequestIdParamSchema, query: WaitQuerySchema },
  responses: { 200: json(RequestDetailSchema, 'The request'), ...problems(400, 401, 403, 404) },
});

/** The decision as a submitter sees it; a replay has only the stored request to go by. */
function decisionOf(submitted: Submitted) {
  const decision: Decision | undefined = submitted.decision;
  if (decision === undefined) {
    const { decidedBy } = submitted.request;
    const outcome = decidedBy === 'policy-allow' ? 'allow' : decidedBy === 'policy-deny' ? 'deny' : 'require';
    return { outcome } as const;
  }
  if (decision.outcome !== 'deny') return { outcome: decision.outcome };
  return {
    outcome: decision.outcome,
    reasons: decision.reasons.map(({ rule, reason }) => ({ rule, reason })),
  };
}

/** A request in detail: the view, its timeline, and the grant token for its requester while usable. */
export async function requestDetail(
  context: HttpContext,
  viewer: AuthenticatedPrincipal,
  request: ApprovalRequest,
) {
  const [grantToken, timeline, stored, current] = await Promise.all([
    context.requests.grantTokenFor(viewer, request),
    listSubjectAuditEvents(`request:${request.id}`, context.db),
    getSummary(request.id, context.db),
    currentFactsOf(request, context.db),
  ]);
  const summary =
    stored === undefined
      ? undefined
      : { text: stored.text, risk: stored.risk, signals: stored.signals, source: stored.source };
  return bodyOf(RequestDetailSchema, {
    ...toRequestView(request, viewer, current),
    ...(grantToken === undefined ? {} : { grantToken }),
    timeline,
    ...(summary === undefined ? {} : { summary }),
  });
}

/** Submit, explain, list, show and wait for requests. */
export function registerRequestRoutes(
  app: OpenAPIHono<HttpEnv>,
  context: HttpContext,
  metrics: HttpMetrics,
): void {
  app.openapi(submitRoute, async (c) => {
    const principal = c.get('principal');
    const submitted = await context.requests.submit(
      principal,
      c.req.valid('json'),
      c.req.valid('header')['idempotency-key'],
    );
    const decision = decisionOf(submitted);
    if (submitted.created) metrics.requestsCreated.inc({ outcome: decision.outcome });
    const body = bodyOf(SubmittedSchema, {
      request: toRequestView(submitted.request, principal),
      ...(submitted.grantToken === undefined ? {} : { grant: submitted.grantToken }),
      decision,
    });
    return submitted.created ? c.json(body, 201) : c.json(body, 200);
  });

  app.openapi(evaluateRoute, (c) =>
    c.json(
      bodyOf(ExplanationSchema, context.requests.evaluate(c.get('principal'), c.req.valid('json'))),
      200,
    ),
  );

  app.openapi(listRoute, async (c) => {
    const principal = c.get('principal');
    const { awaiting, ...filter } = c.req.valid('query');
    const page = await context.requests.list(principal, { ...filter, awaitingMe: awaiting === 'me' });
    const body = bodyOf(RequestPageSchema, {
      requests: page.requests.map((request) => toRequestView(request, principal)),
      ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
    });
    return c.json(body, 200);
  });

  app.openapi(getRoute, async (c) => {
    const principal = c.get('principal');
    const request = await context.requests.get(principal, c.req.valid('param').id);
    return c.json(await requestDetail(context, principal, request), 200);
  });

  app.openapi(waitRoute, async (c) => {
    const principal = c.get('principal');
    const { timeout } = c.req.valid('query');
    // The client going away aborts the wait: no listener outlives its connection.
    const request = await context.requests.wait(
      principal,
      c.req.valid('param').id,
      timeout * 1000,
      c.req.raw.signal,
    );
    return c.json(await requestDetail(context, principal, request), 200);
  });
}
