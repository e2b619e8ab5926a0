import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginLimiter } from '../../identity/login-limiter.js';
import { ENGINES } from '../../storage/storage-test-engines.test-support.js';
import { createHttpApp } from '../http-app.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../http-test-app.test-support.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely and asserted field by field.
type Body = any;

/** The Set-Cookie header for `name`. */
function setCookie(res: Response, name: string): string | undefined {
  return res.headers.getSetCookie().find((cookie) => cookie.startsWith(`${name}=`));
}

/** `name=value` from a Set-Cookie header, as a browser sends it back. */
const cookiePair = (header: string | undefined) => header?.split(';')[0] ?? '';

for (const engine of ENGINES) {
  describe(`auth routes on ${engine}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(engine);
    });
    afterAll(async () => {
      await t.dispose();
    });

    const loginAs = (username: string, password = TEST_PASSWORD, app = t.app) =>
      app.request('/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });

    it('signs in: session cookie HttpOnly, SameSite=Strict, Path=/, and the CSRF token once', async () => {
      const res = await loginAs('alice');
      expect(res.status).toBe(200);
      const body = (await res.json()) as Body;
      expect(body.user).toEqual({
        id: 'alice',
        username: 'alice',
        displayName: 'alice',
        role: 'user',
        teams: ['infra'],
      });
      expect(body.csrfToken).toMatch(/^[\w-]{43}$/);
      const session = setCookie(res, 'gatehouse_session') ?? '';
      expect(session).toMatch(/HttpOnly/);
      expect(session).toMatch(/SameSite=Strict/);
      expect(session).toMatch(/Path=\//);
      expect(session).not.toMatch(/Secure/);
      expect(setCookie(res, 'gatehouse_csrf')).not.toMatch(/HttpOnly/);
      expect((await t.audit('auth.login.succeeded')).at(-1)).toMatchObject({ actor: 'user:alice' });
    });

    it('marks the cookies Secure when the public URL is https', async () => {
      const app = createHttpApp({
        ...t.context,
        config: { ...t.context.config, publicUrl: 'https://gatehouse.example' },
      });
      const res = await loginAs('bob', TEST_PASSWORD, app);
      expect(setCookie(res, 'gatehouse_session')).toMatch(/Secure/);
      expect(setCookie(res, 'gatehouse_csrf')).toMatch(/Secure/);
    });

    it('says who is calling, with the CSRF token when its cookie matches the session', async () => {
      const login = await loginAs('mod');
      const cookies = `${cookiePair(setCookie(login, 'gatehouse_session'))}; ${cookiePair(setCookie(login, 'gatehouse_csrf'))}`;
      const { csrfToken } = (await login.json()) as Body;
      const res = await t.app.request('/v1/auth/session', { headers: { cookie: cookies } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Body;
      expect(body).toMatchObject({
        principal: { kind: 'user', id: 'mod', role: 'moderator', via: 'session' },
        user: { id: 'mod', role: 'moderator' },
        csrfToken,
      });
      const byToken = (await (await t.call('GET', '/v1/auth/session', { as: 'ci-bot' })).json()) as Body;
      expect(byToken.principal).toMatchObject({ kind: 'agent', id: 'ci-bot', via: 'token' });
      expect(byToken.user).toBeUndefined();
    });

    describe('CSRF', () => {
      it('security: a cookie session POST without X-CSRF-Token is refused (403) and audited', async () => {
        const session = await t.signIn('alice');
        const res = await t.app.request('/v1/requests', {
          method: 'POST',
          headers: { cookie: session.cookie, 'content-type': 'application/json' },
          body: JSON.stringify({ action: 'deploy.production', params: {} }),
        });
        expect(res.status).toBe(403);
        expect(((await res.json()) as Body).reason).toBe('csrf');
        expect((await t.audit('auth.csrf.refused')).at(-1)).toMatchObject({
          actor: 'user:alice',
          data: { reason: 'missing', session: session.principal.sessionId },
        });
      });

      it('security: a cookie session POST with a wrong X-CSRF-Token is refused (403) and audited', async () => {
        const session = await t.signIn('alice');
        const other = await t.signIn('alice');
        const res = await t.app.request('/v1/requests', {
          method: 'POST',
          headers: {
            cookie: session.cookie,
            'x-csrf-token': other.csrfToken,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ action: 'deploy.production', params: {} }),
        });
        expect(res.status).toBe(403);
        expect((await t.audit('auth.csrf.refused')).at(-1)).toMatchObject({ data: { reason: 'mismatch' } });
      });

      it('lets a cookie session with its CSRF token act, and reads need none', async () => {
        const session = await t.signIn('alice');
        const post = await t.app.request('/v1/requests', {
          method: 'POST',
          headers: {
            cookie: session.cookie,
            'x-csrf-token': session.csrfToken,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ action: 'deploy.production', params: {} }),
        });
        expect(post.status).toBe(201);
        const read = await t.app.request('/v1/requests', { headers: { cookie: session.cookie } });
        expect(read.status).toBe(200);
      });
    });

    it('answers every failed login with the same 401, and audits which it was', async () => {
      const wrong = await loginAs('alice', 'not the password at all');
      const unknown = await loginAs('nobody', 'not the password at all');
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const [a, b] = [(await wrong.json()) as Body, (await unknown.json()) as Body];
      expect(a.detail).toBe(b.detail);
      expect(a.reason).toBeUndefined();
      const reasons = (await t.audit('auth.login.failed')).slice(-2).map((record) => record.data.reason);
      expect(reasons).toEqual(['bad-password', 'unknown-user']);
    });

    it('security: a login flood from one address is refused (429 with Retry-After) and audited', async () => {
      const app = createHttpApp({ ...t.context, loginLimiter: createLoginLimiter({ limit: 2 }) });
      for (let attempt = 0; attempt < 2; attempt++)
        expect((await loginAs('nobody', 'x'.repeat(12), app)).status).toBe(401);
      const limited = await loginAs('alice', TEST_PASSWORD, app);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await limited.json()) as Body).type).toBe('https://gatehouse.dev/problems/rate-limited');
      expect((await t.audit('auth.login.rate-limited')).length).toBeGreaterThan(0);
    });

    it('signs out: the session ends, the cookies are cleared, audited', async () => {
      const session = await t.signIn('bob');
      const res = await t.app.request('/v1/auth/logout', {
        method: 'POST',
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      });
      expect(res.status).toBe(204);
      expect(setCookie(res, 'gatehouse_session')).toMatch(/Max-Age=0/);
      expect((await t.audit('auth.logout')).at(-1)).toMatchObject({ actor: 'user:bob' });
      const after = await t.app.request('/v1/auth/session', { headers: { cookie: session.cookie } });
      expect(after.status).toBe(401);
    });

    it('answers 401 with WWW-Authenticate without credentials; setup status is public', async () => {
      const res = await t.call('GET', '/v1/requests');
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(((await res.json()) as Body).type).toBe('https://gatehouse.dev/problems/unauthenticated');
      const setup = await t.call('GET', '/v1/auth/setup-status');
      expect(await setup.json()).toEqual({ needsSetup: false });
    });

    it('security: a token with a wrong secret is refused (401) and audited, never quoting the secret', async () => {
      const real = t.tokens.alice as string;
      const forged = `${real.slice(0, 16)}${'A'.repeat(real.length - 16)}`;
      const res = await t.app.request('/v1/requests', { headers: { authorization: `Bearer ${forged}` } });
      expect(res.status).toBe(401);
      const record = (await t.audit('auth.token.refused')).at(-1);
      expect(record).toMatchObject({ data: { reason: 'bad-secret' } });
      expect(JSON.stringify(record)).not.toContain(forged.slice(16));
    });

    it('security: an Authorization header that is not Bearer is refused (401), not ignored for the cookie', async () => {
      const session = await t.signIn('alice');
      const res = await t.app.request('/v1/requests', {
        headers: { authorization: 'Basic YWxpY2U6cGFzcw==', cookie: session.cookie },
      });
      expect(res.status).toBe(401);
      expect((await t.audit('auth.token.refused')).at(-1)).toMatchObject({ data: { reason: 'malformed' } });
    });
  });
}
