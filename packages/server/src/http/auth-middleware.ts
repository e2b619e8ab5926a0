import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { UnauthenticatedError } from '../domain-errors.js';
import type { AuthenticatedPrincipal } from '../identity/authenticated-principal.js';
import { CSRF_HEADER_NAME, SESSION_COOKIE_NAME } from '../identity/session-cookie.js';
import { authenticateSession, verifyCsrf } from '../identity/session-service.js';
import { authenticateToken } from '../identity/token-authenticator.js';
import { withApprovalGroups } from '../policy/approval-groups.js';
import type { HttpContext, HttpEnv } from './http-context.js';

/** Routes under `/v1` that answer without credentials. Everything outside `/v1` is public. */
export const PUBLIC_V1_ROUTES: ReadonlySet<string> = new Set([
  'POST /v1/auth/login',
  'GET /v1/auth/setup-status',
]);

/** Methods that change state: on a cookie session they need the CSRF header. */
const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Who is calling: an `Authorization: Bearer` API token, else the session cookie. A present
 * but unusable Authorization header is refused (never silently ignored in favour of a
 * cookie), and the token authenticator audits every refusal, a malformed header included.
 * Like role and teams, a user's approval groups are read for every call: permissions are live.
 */
export async function authenticate(
  c: Context<HttpEnv>,
  context: HttpContext,
): Promise<AuthenticatedPrincipal> {
  const principal = await authenticateCredential(c, context);
  return withApprovalGroups(principal, context.policies.current().policy, context.db);
}

function authenticateCredential(c: Context<HttpEnv>, context: HttpContext): Promise<AuthenticatedPrincipal> {
  const authorization = c.req.header('authorization');
  if (authorization !== undefined) {
    const token = BEARER.exec(authorization)?.[1] ?? '';
    return authenticateToken(token, context.now(), context.db);
  }
  const cookie = getCookie(c, SESSION_COOKIE_NAME);
  if (cookie !== undefined && cookie !== '') return authenticateSession(cookie, context.now(), context.db);
  throw new UnauthenticatedError('Authentication required: send an API token or sign in');
}

/**
 * Authenticates every `/v1` request except the public ones and sets `principal` on the
 * context. For a cookie session, every unsafe method must carry the session's CSRF token in
 * `X-CSRF-Token` (a missing or wrong one is refused with 403 and audited by `verifyCsrf`);
 * API tokens carry no ambient credential and need none.
 */
export function authMiddleware(context: HttpContext): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    if (PUBLIC_V1_ROUTES.has(`${c.req.method} ${c.req.path}`)) return next();
    const principal = await authenticate(c, context);
    if (UNSAFE_METHODS.has(c.req.method)) {
      await verifyCsrf(principal, c.req.header(CSRF_HEADER_NAME), context.now(), context.db);
    }
    c.set('principal', principal);
    return next();
  };
}
