import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { RefusedError } from '../../domain-errors.js';
import { jwksDocument } from '../../grants/jwks.js';
import type { HttpContext, HttpEnv } from '../http-context.js';
import { AUTHENTICATED, bodyOf, json, jsonBody, PUBLIC, problems } from '../schemas/common-schemas.js';
import { ConsumedGrantSchema, ConsumeGrantBodySchema, JwksSchema } from '../schemas/grant-schemas.js';

/** The grant verifier's refusal codes, which the request service passes through bare. */
const VERIFICATION_CODES: ReadonlySet<string> = new Set([
  'malformed',
  'unsupported-algorithm',
  'unknown-key',
  'bad-signature',
  'expired',
  'wrong-audience',
  'invalid-claims',
  'unsupported-version',
]);

/**
 * Names a verification refusal as a grant problem (`expired` → `grant-expired`), so it cannot
 * be mistaken for a request that expired and maps by the one table (403, or 409 when expired).
 */
export function asGrantRefusal(error: unknown): unknown {
  if (!(error instanceof RefusedError) || !VERIFICATION_CODES.has(error.reason)) return error;
  return new RefusedError(`grant-${error.reason}`, error.message, {
    ...error.data,
    reason: `grant-${error.reason}`,
  });
}

const consumeRoute = createRoute({
  method: 'post',
  path: '/v1/grants/consume',
  tags: ['grants'],
  summary: 'Verify a grant and consume it, exactly once',
  description:
    'Checks signature, expiry, audience and (when given) the payload against the approved one. Only the ' +
    'principal that made the request, or an executor the policy names for the action (`executors:`), may ' +
    'consume it: anyone else is 403 `not-grant-holder`. A second use is 409 `grant-consumed`; an expired grant ' +
    '409 `grant-expired`; a forged, foreign or mismatched grant 403 with its `reason`. Every consumption and ' +
    'every refusal is audited with the presenter.',
  security: AUTHENTICATED,
  request: { body: jsonBody(ConsumeGrantBodySchema) },
  responses: {
    200: json(ConsumedGrantSchema, 'What the grant allows: run exactly this, once'),
    ...problems(400, 401, 403, 404, 409, 413, 415),
  },
});

const jwksRoute = createRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  tags: ['grants'],
  summary: 'The public keys that verify grants (offline verification)',
  security: PUBLIC,
  responses: { 200: json(JwksSchema, 'A JSON Web Key Set'), ...problems() },
});

/** Grant consumption and the JWKS. */
export function registerGrantRoutes(app: OpenAPIHono<HttpEnv>, context: HttpContext): void {
  app.openapi(consumeRoute, async (c) => {
    try {
      const consumed = await context.requests.consumeGrant(c.get('principal'), c.req.valid('json'));
      return c.json(bodyOf(ConsumedGrantSchema, consumed), 200);
    } catch (error) {
      throw asGrantRefusal(error);
    }
  });

  app.openapi(jwksRoute, (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(bodyOf(JwksSchema, jwksDocument(context.keyRing())), 200);
  });
}
