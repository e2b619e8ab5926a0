import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RateLimitedError, UnauthenticatedError } from '../domain-errors.js';
import { ENGINES, openTestStorage, type TestStorage } from '../storage/storage-test-engines.test-support.js';
import { getUser } from '../storage/users-dal.js';
import {
  auditEvents,
  GOOD_PASSWORD,
  lastAudit,
  rejectionOf,
  seedUser,
  TEST_PASSWORDS,
} from './identity-fixtures.test-support.js';
import { createLoginLimiter, type LoginLimiter } from './login-limiter.js';
import { LOCKOUT_DURATION_MS, LOCKOUT_THRESHOLD, LOGIN_FAILED_MESSAGE, login } from './login-service.js';
import { authenticateSession } from './session-service.js';

const NOW = 1_700_000_000_000;

for (const engine of ENGINES) {
  describe(`login (${engine})`, () => {
    let storage: TestStorage;
    let limiter: LoginLimiter;

    const attempt = (username: string, password: string, now = NOW, ip = '192.0.2.1') =>
      login({ username, password, ip, now }, storage.db, { limiter, passwords: TEST_PASSWORDS });

    async function failure(promise: Promise<unknown>): Promise<UnauthenticatedError> {
      const error = await rejectionOf(promise);
      expect(error).toBeInstanceOf(UnauthenticatedError);
      return error as UnauthenticatedError;
    }

    beforeAll(async () => {
      storage = await openTestStorage(engine);
      await seedUser(storage.db, 'alice');
      await seedUser(storage.db, 'mallory', { disabled: true });
    });
    beforeEach(() => {
      limiter = createLoginLimiter({ limit: 1_000 });
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('logs in with the right password, starts a session, and audits it', async () => {
      const result = await attempt('alice', GOOD_PASSWORD);
      expect(result.userId).toBe('alice');
      const principal = await authenticateSession(result.cookieValue, NOW, storage.db);
      expect(principal).toMatchObject({ kind: 'user', id: 'alice', via: 'session' });
      const audit = await lastAudit(storage.db, 'auth.login.succeeded');
      expect(audit).toMatchObject({
        actor: 'user:alice',
        subject: 'user:alice',
        data: { ip: '192.0.2.1', session: result.sessionId },
      });
      expect(JSON.stringify(audit)).not.toContain(GOOD_PASSWORD);
      expect(JSON.stringify(audit)).not.toContain(result.cookieValue);
    });

    it('gives one message for an unknown user, a wrong password and a disabled account; the audit says which', async () => {
      const unknown = await failure(attempt('nobody', GOOD_PASSWORD));
      const wrong = await failure(attempt('alice', 'wrong password!'));
      const disabled = await failure(attempt('mallory', GOOD_PASSWORD));
      for (const error of [unknown, wrong, disabled]) {
        expect(error.message).toBe(LOGIN_FAILED_MESSAGE);
        expect(error.data).toEqual({ reason: 'invalid-credentials' });
      }
      const failed = (await auditEvents(storage.db, 'auth.login.failed')).slice(-3);
      expect(failed.map((event) => [event.actor, event.data.reason])).toEqual([
        ['anonymous', 'unknown-user'],
        ['user:alice', 'bad-password'],
        ['user:mallory', 'disabled'],
      ]);
      expect(failed[0]?.data).toMatchObject({ username: 'nobody', ip: '192.0.2.1' });
      expect(JSON.stringify(failed)).not.toContain('wrong password!');
      expect(JSON.stringify(failed)).not.toContain(GOOD_PASSWORD);
      // A success resets the count.
      await attempt('alice', GOOD_PASSWORD);
      expect((await getUser('alice', storage.db))?.failedLogins).toBe(0);
    });

    it('fails an impossibly long password without hashing it whole, counted as a bad password', async () => {
      await seedUser(storage.db, 'longshot');
      await failure(attempt('longshot', 'x'.repeat(100_000)));
      expect(await lastAudit(storage.db, 'auth.login.failed')).toMatchObject({
        actor: 'user:longshot',
        data: { reason: 'bad-password' },
      });
    });

    it('login brute force locks the account', async () => {
      await seedUser(storage.db, 'victim');
      for (let i = 1; i < LOCKOUT_THRESHOLD; i += 1) {
        await failure(attempt('victim', `guess number ${i}`, NOW + i));
        expect((await getUser('victim', storage.db))?.failedLogins).toBe(i);
      }
      const lockedAt = NOW + LOCKOUT_THRESHOLD;
      await failure(attempt('victim', 'guess number 5', lockedAt));
      expect(await getUser('victim', storage.db)).toMatchObject({
        failedLogins: LOCKOUT_THRESHOLD,
        lockedUntil: lockedAt + LOCKOUT_DURATION_MS,
      });
      expect(await lastAudit(storage.db, 'auth.account.locked')).toMatchObject({
        actor: 'user:victim',
        subject: 'user:victim',
        at: lockedAt,
        data: { failedLogins: LOCKOUT_THRESHOLD, lockedUntil: lockedAt + LOCKOUT_DURATION_MS },
      });

      // While locked even the right password fails, with the same message, audited as `locked`.
      const locked = await failure(attempt('victim', GOOD_PASSWORD, lockedAt + 1));
      expect(locked.message).toBe(LOGIN_FAILED_MESSAGE);
      expect(await lastAudit(storage.db, 'auth.login.failed')).toMatchObject({
        actor: 'user:victim',
        data: { reason: 'locked' },
      });
      expect((await getUser('victim', storage.db))?.lockedUntil).toBe(lockedAt + LOCKOUT_DURATION_MS);

      // Once the lock runs out, the right password works and clears the record.
      await attempt('victim', GOOD_PASSWORD, lockedAt + LOCKOUT_DURATION_MS);
      const after = await getUser('victim', storage.db);
      expect(after?.failedLogins).toBe(0);
      expect(after?.lockedUntil).toBeUndefined();
    });

    it('counts afresh after a lock runs out', async () => {
      await seedUser(storage.db, 'forgetful');
      for (let i = 0; i < LOCKOUT_THRESHOLD; i += 1)
        await failure(attempt('forgetful', 'not it at all', NOW));
      const expired = NOW + LOCKOUT_DURATION_MS;
      await failure(attempt('forgetful', 'not it at all', expired));
      expect(await getUser('forgetful', storage.db)).toMatchObject({ failedLogins: 1 });
    });

    it('refuses a flood from one address before checking any password, auditing the first refusal', async () => {
      limiter = createLoginLimiter({ limit: 3 });
      for (let i = 0; i < 3; i += 1) await failure(attempt('alice', 'wrong password!', NOW, '198.51.100.7'));
      const before = (await auditEvents(storage.db)).length;
      const limited = await rejectionOf(attempt('alice', GOOD_PASSWORD, NOW + 1, '198.51.100.7'));
      expect(limited).toBeInstanceOf(RateLimitedError);
      expect((limited as RateLimitedError).retryAfterSeconds).toBe(60);
      await rejectionOf(attempt('alice', GOOD_PASSWORD, NOW + 2, '198.51.100.7'));
      const after = await auditEvents(storage.db);
      expect(after.slice(before).map((event) => [event.type, event.data.ip])).toEqual([
        ['auth.login.rate-limited', '198.51.100.7'],
      ]);
      // Another address is not affected.
      await attempt('alice', GOOD_PASSWORD, NOW + 3, '198.51.100.8');
    });
  });
}
