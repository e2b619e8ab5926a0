import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { DirectoryService } from '../../identity/directory-service.js';
import type { TokenView } from '../../identity/token-directory.js';
import type { HttpContext, HttpEnv } from '../http-context.js';
import { AUTHENTICATED, IdParamSchema, json, jsonBody, problems } from '../schemas/common-schemas.js';
import {
  CreateTokenBodySchema,
  IssuedTokenSchema,
  TokenListQuerySchema,
  TokenListSchema,
} from '../schemas/directory-schemas.js';

const iso = (ms: number) => new Date(ms).toISOString();

const listTokensRoute = createRoute({
  method: 'get',
  path: '/v1/tokens',
  tags: ['directory'],
  summary: 'Your API tokens, or an agent’s you manage (metadata only)',
  security: AUTHENTICATED,
  request: { query: TokenListQuerySchema },
  responses: { 200: json(TokenListSchema, 'The tokens'), ...problems(400, 401, 403, 404) },
});

const createTokenRoute = createRoute({
  method: 'post',
  path: '/v1/tokens',
  tags: ['directory'],
  summary: 'Issue an API token for yourself or an agent you manage: its text is shown once',
  description: 'Agent tokens never carry requests:review, policy:write or admin.',
  security: AUTHENTICATED,
  request: { body: jsonBody(CreateTokenBodySchema) },
  responses: { 201: json(IssuedTokenSchema, 'Issued'), ...problems(400, 401, 403, 404, 413, 415) },
});

const revokeTokenRoute = createRoute({
  method: 'delete',
  path: '/v1/tokens/{id}',
  tags: ['directory'],
  summary: 'Revoke a token (its user, whoever manages its agent, or the admin)',
  security: AUTHENTICATED,
  request: { params: IdParamSchema },
  responses: { 204: { description: 'Revoked' }, ...problems(400, 401, 403, 404) },
});

function tokenBody(token: TokenView) {
  return {
    id: token.id,
    prefix: token.prefix,
    principal: { kind: token.principal.kind, id: token.principal.id },
    scopes: [...token.scopes],
    createdAt: iso(token.createdAt),
    ...(token.expiresAt === undefined ? {} : { expiresAt: iso(token.expiresAt) }),
    ...(token.revokedAt === undefined ? {} : { revokedAt: iso(token.revokedAt) }),
    ...(token.lastUsedAt === undefined ? {} : { lastUsedAt: iso(token.lastUsedAt) }),
  };
}

/** API tokens. */
export function registerTokenRoutes(
  app: OpenAPIHono<HttpEnv>,
  context: HttpContext,
  directory: DirectoryService,
): void {
  app.openapi(listTokensRoute, async (c) => {
    const { agentId } = c.req.valid('query');
    const owner = agentId === undefined ? undefined : ({ kind: 'agent', id: agentId } as const);
    const tokens = await directory.listTokens(c.get('principal'), owner, context.now());
    return c.json({ tokens: tokens.map(tokenBody) }, 200);
  });

  app.openapi(createTokenRoute, async (c) => {
    const { agentId, scopes, expiresAt } = c.req.valid('json');
    const issued = await directory.createToken(
      c.get('principal'),
      {
        ...(agentId === undefined ? {} : { agentId }),
        ...(scopes === undefined ? {} : { scopes }),
        ...(expiresAt === undefined ? {} : { expiresAt: Date.parse(expiresAt) }),
      },
      context.now(),
    );
    const { metadata } = issued;
    // The secret is in this one response and nowhere else: never logged, never stored.
    c.header('Cache-Control', 'no-store');
    return c.json(
      {
        token: issued.token,
        id: metadata.id,
        prefix: metadata.prefix,
        scopes: [...metadata.scopes],
        ...(metadata.expiresAt === undefined ? {} : { expiresAt: iso(metadata.expiresAt) }),
      },
      201,
    );
  });

  app.openapi(revokeTokenRoute, async (c) => {
    await directory.revokeToken(c.get('principal'), c.req.valid('param').id, context.now());
    return c.body(null, 204);
  });
}
