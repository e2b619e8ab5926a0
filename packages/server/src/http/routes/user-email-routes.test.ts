import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../storage/storage-test-engines.test-support.js';
import { getUserEmail } from '../../storage/users-email-dal.js';
import { createTestApp, type TestApp } from '../http-test-app.test-support.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely and asserted field by field.
type Body = any;

for (const engine of ENGINES) {
  describe(`user email on ${engine}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(engine);
    });
    afterAll(async () => {
      await t.dispose();
    });

    const send = async (method: string, path: string, as: string, body?: unknown) => {
      const res = await t.call(method, path, { as, ...(body === undefined ? {} : { body }) });
      const text = await res.text();
      return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as Body };
    };
    const emailsSeenBy = async (as: string) =>
      Object.fromEntries(
        ((await send('GET', '/v1/users', as)).body.users as Body[]).map((u) => [u.id, u.email]),
      );

    it('the admin sets anyone’s email; audited user.email.changed with the actor, not the address', async () => {
      expect((await send('PATCH', '/v1/users/bob', 'admin', { email: 'bob@example.com' })).status).toBe(204);
      expect(await getUserEmail('bob', t.storage.db)).toBe('bob@example.com');
      const record = (await t.audit('user.email.changed')).at(-1);
      expect(record).toMatchObject({
        actor: 'user:admin',
        subject: 'user:bob',
        data: { by: 'admin', cleared: false },
      });
      expect(JSON.stringify(record)).not.toContain('bob@example.com');
    });

    it('a user sets and clears their own email', async () => {
      expect((await send('PATCH', '/v1/users/alice', 'alice', { email: 'alice@example.org' })).status).toBe(
        204,
      );
      expect((await t.audit('user.email.changed')).at(-1)).toMatchObject({
        actor: 'user:alice',
        subject: 'user:alice',
        data: { by: 'self', cleared: false },
      });
      expect((await send('PATCH', '/v1/users/alice', 'alice', { email: null })).status).toBe(204);
      expect(await getUserEmail('alice', t.storage.db)).toBeUndefined();
      expect((await t.audit('user.email.changed')).at(-1)).toMatchObject({ data: { cleared: true } });
      expect((await send('PATCH', '/v1/users/alice', 'alice', { email: 'alice@example.org' })).status).toBe(
        204,
      );
    });

    it('setting the same address again records nothing', async () => {
      const before = (await t.audit('user.email.changed')).length;
      expect((await send('PATCH', '/v1/users/bob', 'admin', { email: 'bob@example.com' })).status).toBe(204);
      expect(await t.audit('user.email.changed')).toHaveLength(before);
    });

    it('shows every email to the admin and only your own to anyone else', async () => {
      expect(await emailsSeenBy('admin')).toMatchObject({
        alice: 'alice@example.org',
        bob: 'bob@example.com',
      });
      const seenByAlice = await emailsSeenBy('alice');
      expect(seenByAlice.alice).toBe('alice@example.org');
      expect(seenByAlice.bob).toBeUndefined();
      expect(Object.values(await emailsSeenBy('mod')).filter((e) => e !== undefined)).toEqual([]);
    });

    it('security: a user cannot set another user’s email (403), and the refusal is audited', async () => {
      const { status, body } = await send('PATCH', '/v1/users/bob', 'alice', { email: 'evil@example.com' });
      expect(status).toBe(403);
      expect(body.reason).toBe('admin-only');
      expect((await t.audit('permission.denied')).at(-1)).toMatchObject({
        actor: 'user:alice',
        subject: 'user:bob',
        data: { operation: 'user.setEmail', reason: 'admin-only' },
      });
      expect(await getUserEmail('bob', t.storage.db)).toBe('bob@example.com');
    });

    it('security: a moderator cannot set another user’s email either (403, audited)', async () => {
      expect((await send('PATCH', '/v1/users/alice', 'mod', { email: 'mod@example.com' })).status).toBe(403);
      expect((await t.audit('permission.denied')).at(-1)).toMatchObject({
        actor: 'user:mod',
        data: { operation: 'user.setEmail' },
      });
      expect(await getUserEmail('alice', t.storage.db)).toBe('alice@example.org');
    });

    it('security: a user asking for a role change with their email changes nothing', async () => {
      const { status } = await send('PATCH', '/v1/users/alice', 'alice', {
        role: 'moderator',
        email: 'new@example.org',
      });
      expect(status).toBe(403);
      expect((await t.audit('permission.denied')).at(-1)).toMatchObject({
        actor: 'user:alice',
        data: { operation: 'user.setRole' },
      });
      expect(await getUserEmail('alice', t.storage.db)).toBe('alice@example.org');
    });

    it('refuses a malformed address with 400 naming email', async () => {
      for (const email of [
        'not-an-email',
        'a@b',
        'a b@example.com',
        'a@@example.com',
        '.a@example.com',
        '',
      ]) {
        const { status, body } = await send('PATCH', '/v1/users/alice', 'alice', { email });
        expect(status, email).toBe(400);
        expect(body.errors[0].field, email).toBe('email');
      }
      expect(
        (await send('PATCH', '/v1/users/alice', 'alice', { email: `${'a'.repeat(250)}@x.io` })).status,
      ).toBe(400);
      expect(await getUserEmail('alice', t.storage.db)).toBe('alice@example.org');
    });

    it('404 for an unknown user (the admin)', async () => {
      expect((await send('PATCH', '/v1/users/nobody', 'admin', { email: 'x@example.com' })).status).toBe(404);
    });
  });
}
