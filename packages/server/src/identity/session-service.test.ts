import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError, UnauthenticatedError } from '../domain-errors.js';
import { getSession } from '../storage/sessions-dal.js';
import { ENGINES, openTestStorage, type TestStorage } from '../storage/storage-test-engines.test-support.js';
import { setUserDisabled } from '../storage/users-dal.js';
import { sha256Hex } from './identity-crypto.js';
import { lastAudit, rejectionOf, seedAdmin, seedTeam, seedUser } from './identity-fixtures.test-support.js';
import { csrfCookieAttributes, SESSION_COOKIE_NAME, sessionCookieAttributes } from './session-cookie.js';
import {
  authenticateSession,
  createSession,
  logout,
  SESSION_ABSOLUTE_TIMEOUT_MS,
  SESSION_IDLE_TIMEOUT_MS,
  SESSION_TOUCH_INTERVAL_MS,
  verifyCsrf,
} from './session-service.js';
import { humanScopes } from './token-scopes.js';

const NOW = 1_700_000_000_000;
const HOUR = 60 * 60 * 1000;

describe('session cookie attributes', () => {
  it('are HttpOnly, SameSite=Strict, Path=/, and Secure behind https', () => {
    expect(SESSION_COOKIE_NAME).toBe('gatehouse_session');
    expect(sessionCookieAttributes('https://gate.example.com')).toEqual({
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
      path: '/',
    });
    expect(sessionCookieAttributes('http://127.0.0.1:8080').secure).toBe(false);
    expect(csrfCookieAttributes('https://gate.example.com')).toMatchObject({ httpOnly: false, secure: true });
  });
});

for (const engine of ENGINES) {
  describe(`sessions (${engine})`, () => {
    let storage: TestStorage;

    beforeAll(async () => {
      storage = await openTestStorage(engine);
      await seedAdmin(storage.db, 'root');
      await seedUser(storage.db, 'alice');
      await seedTeam(storage.db, 'infra', { alice: 'member' });
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('stores only hashes of the cookie and the CSRF token', async () => {
      const session = await createSession('alice', NOW, storage.db);
      expect(session.cookieValue).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(session.expiresAt).toBe(NOW + SESSION_IDLE_TIMEOUT_MS);
      const stored = await getSession(sha256Hex(session.cookieValue), NOW, storage.db);
      expect(stored).toMatchObject({ userId: 'alice', csrfTokenHash: sha256Hex(session.csrfToken) });
      const rows = await storage.db.selectFrom('sessions').selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain(session.cookieValue);
      expect(JSON.stringify(rows)).not.toContain(session.csrfToken);
    });

    it('authenticates the cookie as the user, with every scope their role holds', async () => {
      const session = await createSession('alice', NOW, storage.db);
      expect(await authenticateSession(session.cookieValue, NOW + 1, storage.db)).toEqual({
        kind: 'user',
        id: 'alice',
        role: 'user',
        teams: ['infra'],
        scopes: humanScopes('user'),
        via: 'session',
        sessionId: session.sessionId,
        csrfTokenHash: sha256Hex(session.csrfToken),
      });
      const root = await createSession('root', NOW, storage.db);
      expect(await authenticateSession(root.cookieValue, NOW, storage.db)).toMatchObject({
        role: 'admin',
        scopes: humanScopes('admin'),
      });
    });

    it('ends after 12 hours idle, and slides with use (written at most once a minute)', async () => {
      const session = await createSession('alice', NOW, storage.db);
      const id = session.sessionId;
      await authenticateSession(session.cookieValue, NOW + SESSION_TOUCH_INTERVAL_MS - 1, storage.db);
      expect((await getSession(id, NOW, storage.db))?.lastSeenAt).toBe(NOW);
      const later = NOW + 11 * HOUR;
      await authenticateSession(session.cookieValue, later, storage.db);
      expect((await getSession(id, later, storage.db))?.expiresAt).toBe(later + SESSION_IDLE_TIMEOUT_MS);
      // Still alive 22 h after login, because it was used at 11 h.
      await authenticateSession(session.cookieValue, NOW + 22 * HOUR, storage.db);
      const idle = await rejectionOf(
        authenticateSession(session.cookieValue, NOW + 22 * HOUR + SESSION_IDLE_TIMEOUT_MS, storage.db),
      );
      expect(idle).toBeInstanceOf(UnauthenticatedError);
    });

    it('ends 7 days after login however busy', async () => {
      const session = await createSession('alice', NOW, storage.db);
      for (let t = NOW; t < NOW + SESSION_ABSOLUTE_TIMEOUT_MS; t += 10 * HOUR) {
        await authenticateSession(session.cookieValue, t, storage.db);
      }
      expect((await getSession(session.sessionId, NOW, storage.db))?.expiresAt).toBe(
        NOW + SESSION_ABSOLUTE_TIMEOUT_MS,
      );
      const error = await rejectionOf(
        authenticateSession(session.cookieValue, NOW + SESSION_ABSOLUTE_TIMEOUT_MS, storage.db),
      );
      expect((error as UnauthenticatedError).data.reason).toBe('unknown');
    });

    it('refuses malformed and unknown cookies', async () => {
      expect(
        ((await rejectionOf(authenticateSession('x', NOW, storage.db))) as UnauthenticatedError).data.reason,
      ).toBe('malformed');
      const unknown = await rejectionOf(authenticateSession('a'.repeat(43), NOW, storage.db));
      expect((unknown as UnauthenticatedError).data.reason).toBe('unknown');
    });

    it('refuses and ends the session of a disabled user, audited', async () => {
      await seedUser(storage.db, 'dave');
      const session = await createSession('dave', NOW, storage.db);
      await setUserDisabled('dave', true, storage.db);
      const error = await rejectionOf(authenticateSession(session.cookieValue, NOW, storage.db));
      expect((error as UnauthenticatedError).data.reason).toBe('principal-disabled');
      expect(await getSession(session.sessionId, NOW, storage.db)).toBeUndefined();
      expect(await lastAudit(storage.db, 'auth.session.refused')).toMatchObject({
        actor: 'user:dave',
        data: { reason: 'principal-disabled' },
      });
    });

    it('accepts the right CSRF token, and token-authenticated requests need none', async () => {
      const session = await createSession('alice', NOW, storage.db);
      const principal = await authenticateSession(session.cookieValue, NOW, storage.db);
      await verifyCsrf(principal, session.csrfToken, NOW, storage.db);
      const viaToken = { ...principal, via: 'token' as const, csrfTokenHash: undefined };
      await verifyCsrf(viaToken, undefined, NOW, storage.db);
    });

    it('CSRF token mismatch is refused', async () => {
      const session = await createSession('alice', NOW, storage.db);
      const other = await createSession('alice', NOW, storage.db);
      const principal = await authenticateSession(session.cookieValue, NOW, storage.db);
      const wrong = await rejectionOf(verifyCsrf(principal, other.csrfToken, NOW, storage.db));
      expect(wrong).toBeInstanceOf(ForbiddenError);
      expect((wrong as ForbiddenError).data).toMatchObject({ reason: 'csrf', problem: 'mismatch' });
      const audit = await lastAudit(storage.db, 'auth.csrf.refused');
      expect(audit).toMatchObject({
        actor: 'user:alice',
        data: { reason: 'mismatch', session: session.sessionId },
      });
      expect(JSON.stringify(audit)).not.toContain(other.csrfToken);

      const missing = await rejectionOf(verifyCsrf(principal, undefined, NOW, storage.db));
      expect((missing as ForbiddenError).data).toMatchObject({ reason: 'csrf', problem: 'missing' });
      expect(await lastAudit(storage.db, 'auth.csrf.refused')).toMatchObject({ data: { reason: 'missing' } });
    });

    it('logs out: the session ends and the logout is audited', async () => {
      const session = await createSession('alice', NOW, storage.db);
      const principal = await authenticateSession(session.cookieValue, NOW, storage.db);
      await logout(principal, NOW + 5, storage.db);
      expect(await rejectionOf(authenticateSession(session.cookieValue, NOW + 6, storage.db))).toBeInstanceOf(
        UnauthenticatedError,
      );
      expect(await lastAudit(storage.db, 'auth.logout')).toMatchObject({
        actor: 'user:alice',
        at: NOW + 5,
        data: { session: session.sessionId },
      });
    });
  });
}
