import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { UnauthenticatedError } from '../../domain-errors.js';
import type { AuthenticatedPrincipal } from '../../identity/authenticated-principal.js';
import { constantTimeEquals, sha256Hex } from '../../identity/identity-crypto.js';
import { login } from '../../identity/login-service.js';
import { loadUserStanding } from '../../identity/principal-loader.js';
import {
  CSRF_COOKIE_NAME,
  csrfCookieAttributes,
  SESSION_COOKIE_NAME,
  sessionCookieAttributes,
} from '../../identity/session-cookie.js';
import { logout } from '../../identity/session-service.js';
import { getAdmin } from '../../storage/admin-seat-dal.js';
import { getUser } from '../../storage/users-dal.js';
import { clientAddress } from '../client-address.js';
import type { HttpContext, HttpEnv } from '../http-context.js';
import {
  LoginBodySchema,
  LoginResultSchema,
  SessionInfoSchema,
  SetupStatusSchema,
} from '../schemas/auth-schemas.js';
import { AUTHENTICATED, json, jsonBody, PUBLIC, problems } from '../schemas/common-schemas.js';

const loginRoute = createRoute({
  method: 'post',
  path: '/v1/auth/login',
  tags: ['auth'],
  summary: 'Sign in with username and password: sets the session cookie',
  description:
    'Sets `gatehouse_session` (HttpOnly, SameSite=Strict) and `gatehouse_csrf` (readable by the web app). ' +
    'Send the CSRF token in `X-CSRF-Token` on every unsafe request. Every failure answers the same 401.',
  security: PUBLIC,
  request: { body: jsonBody(LoginBodySchema) },
  responses: { 200: json(LoginResultSchema, 'Signed in'), ...problems(400, 401, 413, 415, 429) },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/v1/auth/logout',
  tags: ['auth'],
  summary: 'End the browser session',
  security: AUTHENTICATED,
  responses: { 204: { description: 'Signed out' }, ...problems(400, 401, 403) },
});

const sessionRoute = createRoute({
  method: 'get',
  path: '/v1/auth/session',
  tags: ['auth'],
  summary: 'Who is calling',
  security: AUTHENTICATED,
  responses: { 200: json(SessionInfoSchema, 'The caller'), ...problems(401) },
});

const setupStatusRoute = createRoute({
  method: 'get',
  path: '/v1/auth/setup-status',
  tags: ['auth'],
  summary: 'Whether the first admin still has to be created',
  security: PUBLIC,
  responses: { 200: json(SetupStatusSchema, 'The setup status'), ...problems() },
});

/** The signed-in user as the web app shows them. */
async function sessionUser(context: HttpContext, userId: string) {
  const [user, standing] = await Promise.all([
    getUser(userId, context.db),
    loadUserStanding(userId, context.db),
  ]);
  if (user === undefined || standing === undefined) throw new UnauthenticatedError();
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: standing.role,
    teams: [...standing.teams],
  };
}

/** The session's CSRF token from its readable cookie, when that cookie belongs to this session. */
function csrfTokenOf(principal: AuthenticatedPrincipal, cookie: string | undefined): string | undefined {
  const expected = principal.csrfTokenHash;
  if (principal.via !== 'session' || cookie === undefined || expected === undefined) return undefined;
  return constantTimeEquals(sha256Hex(cookie), expected) ? cookie : undefined;
}

/** Sign in and out, who am I, and whether setup is needed. */
export function registerAuthRoutes(app: OpenAPIHono<HttpEnv>, context: HttpContext): void {
  app.openapi(loginRoute, async (c) => {
    const { username, password } = c.req.valid('json');
    const session = await login(
      { username, password, ip: clientAddress(c), now: context.now() },
      context.db,
      {
        limiter: context.loginLimiter,
        ...(context.passwords === undefined ? {} : { passwords: context.passwords }),
      },
    );
    const { publicUrl } = context.config;
    setCookie(c, SESSION_COOKIE_NAME, session.cookieValue, { ...sessionCookieAttributes(publicUrl) });
    setCookie(c, CSRF_COOKIE_NAME, session.csrfToken, { ...csrfCookieAttributes(publicUrl) });
    return c.json({ user: await sessionUser(context, session.userId), csrfToken: session.csrfToken }, 200);
  });

  app.openapi(logoutRoute, async (c) => {
    await logout(c.get('principal'), context.now(), context.db);
    const { publicUrl } = context.config;
    deleteCookie(c, SESSION_COOKIE_NAME, { ...sessionCookieAttributes(publicUrl) });
    deleteCookie(c, CSRF_COOKIE_NAME, { ...csrfCookieAttributes(publicUrl) });
    return c.body(null, 204);
  });

  app.openapi(sessionRoute, async (c) => {
    const principal = c.get('principal');
    const csrfToken = csrfTokenOf(principal, getCookie(c, CSRF_COOKIE_NAME));
    return c.json(
      {
        principal: {
          kind: principal.kind,
          id: principal.id,
          ...(principal.role === undefined ? {} : { role: principal.role }),
          teams: [...principal.teams],
          scopes: [...principal.scopes],
          via: principal.via,
        },
        ...(principal.kind === 'user' ? { user: await sessionUser(context, principal.id) } : {}),
        ...(csrfToken === undefined ? {} : { csrfToken }),
      },
      200,
    );
  });

  app.openapi(setupStatusRoute, async (c) =>
    c.json({ needsSetup: (await getAdmin(context.db)) === undefined }, 200),
  );
}
