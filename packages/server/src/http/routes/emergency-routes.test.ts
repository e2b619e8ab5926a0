import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KeyRing, rotateSigningKey } from '../../grants/signing-key-service.js';
import { createRequestService } from '../../requests/request-service.js';
import { createSignedGrantIssuer } from '../../requests/signed-grant-issuer.js';
import { ENGINES } from '../../storage/storage-test-engines.test-support.js';
import { createHttpApp } from '../http-app.js';
import { createTestApp, type TestApp } from '../http-test-app.test-support.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely and asserted field by field.
type Body = any;

const deploy = { action: 'deploy.production', params: { version: '1.2.3' } };
const MINUTE = 60_000;

function kidOf(token: string): string {
  const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'));
  return header.kid as string;
}

for (const engine of ENGINES) {
  describe(`emergency routes on ${engine}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(engine);
    });
    afterAll(async () => {
      await t.dispose();
    });

    const call = async (method: string, path: string, as: string, body?: unknown) => {
      const res = await t.call(method, path, { as, ...(body === undefined ? {} : { body }) });
      const text = await res.text();
      return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as Body };
    };
    const open = (as: string, body: unknown) => call('POST', '/v1/emergency', as, body);
    const submit = (body: unknown) => call('POST', '/v1/requests', 'ci-bot', body);

    it('approves a gated action at once inside a window: flagged, audited, with a grant', async () => {
      const opened = await open('admin', { actions: ['deploy.*'], reason: 'incident 42', duration: '30m' });
      expect(opened.status).toBe(201);
      expect(opened.body.window).toMatchObject({
        actions: ['deploy.*'],
        reason: 'incident 42',
        active: true,
      });
      const windowId = opened.body.window.id as string;
      expect((await t.audit('emergency.opened')).at(-1)).toMatchObject({
        subject: `emergency:${windowId}`,
        data: { actions: ['deploy.*'], reason: 'incident 42' },
      });

      const { status, body } = await submit(deploy);
      expect(status).toBe(201);
      expect(body.request).toMatchObject({
        status: 'approved',
        decidedBy: 'emergency',
        verified: { rules: ['deploys'] },
      });
      expect(body.grant).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      const flagged = (await t.audit('request.emergency-approved')).at(-1);
      expect(flagged).toMatchObject({
        actor: 'system',
        subject: `request:${body.request.id}`,
        data: { flagged: true, windowId, reason: 'incident 42' },
      });
      expect(flagged?.data.openedBy).toMatch(/^user:/);

      await t.call('DELETE', `/v1/emergency/${windowId}`, { as: 'admin' });
    });

    it('still denies a deny rule inside a window (deny overrides)', async () => {
      const opened = await open('admin', { actions: ['secret.*'], reason: 'incident 43', duration: '1h' });
      expect(opened.status).toBe(201);
      const { body } = await submit({ action: 'secret.read', params: { name: 'db' } });
      expect(body.request).toMatchObject({ status: 'denied', decidedBy: 'policy-deny' });
      expect(body.grant).toBeUndefined();
      const flagged = await t.audit('request.emergency-approved');
      expect(flagged.some((record) => record.subject === `request:${body.request.id}`)).toBe(false);
      await t.call('DELETE', `/v1/emergency/${opened.body.window.id}`, { as: 'admin' });
    });

    it('closes by itself: after closes_at the same action waits for review again', async () => {
      const opened = await open('admin', {
        actions: ['deploy.production'],
        reason: 'hotfix',
        duration: '10m',
      });
      expect((await submit(deploy)).body.request.status).toBe('approved');
      t.advance(10 * MINUTE);
      const after = await submit(deploy);
      expect(after.body.request).toMatchObject({ status: 'pending' });
      const listed = await call('GET', '/v1/emergency', 'mod');
      expect(listed.status).toBe(200);
      expect(listed.body.windows.find((w: Body) => w.id === opened.body.window.id)).toMatchObject({
        active: false,
      });
    });

    it('closes early on the admin’s word, audited; closing twice is refused', async () => {
      const opened = await open('admin', { actions: ['deploy.*'], reason: 'rollout', duration: '2h' });
      const id = opened.body.window.id as string;
      const closed = await t.call('DELETE', `/v1/emergency/${id}`, { as: 'admin' });
      expect(closed.status).toBe(204);
      expect((await t.audit('emergency.closed')).at(-1)).toMatchObject({ subject: `emergency:${id}` });
      expect((await submit(deploy)).body.request.status).toBe('pending');
      expect((await call('DELETE', `/v1/emergency/${id}`, 'admin')).status).toBe(409);
      expect((await call('DELETE', '/v1/emergency/no-such-window', 'admin')).status).toBe(404);
    });

    for (const who of ['mod', 'alice']) {
      it(`security: ${who} cannot open a window (403, audited permission.denied)`, async () => {
        const before = (await t.audit('emergency.opened')).length;
        const { status, body } = await open(who, { actions: ['deploy.*'], reason: 'let me', duration: '1h' });
        expect(status).toBe(403);
        expect(body.type).toMatch(/forbidden/);
        expect((await t.audit('emergency.opened')).length).toBe(before);
        expect((await t.audit('permission.denied')).at(-1)).toMatchObject({
          actor: `user:${t.principals[who]?.id}`,
          subject: 'emergency',
          data: { operation: 'emergency.open', reason: 'admin-only' },
        });
        expect((await submit(deploy)).body.request.status).toBe('pending');
      });
    }

    it('security: a moderator cannot close a window, an agent cannot list them (403, audited)', async () => {
      const opened = await open('admin', { actions: ['deploy.*'], reason: 'rollout', duration: '1h' });
      const id = opened.body.window.id as string;
      expect((await call('DELETE', `/v1/emergency/${id}`, 'mod')).status).toBe(403);
      expect((await t.audit('permission.denied')).at(-1)).toMatchObject({
        subject: `emergency:${id}`,
        data: { operation: 'emergency.close', reason: 'admin-only' },
      });
      expect((await call('GET', '/v1/emergency', 'ci-bot')).status).toBe(403);
      expect((await t.audit('permission.denied')).at(-1)).toMatchObject({
        actor: 'agent:ci-bot',
        data: { operation: 'emergency.list' },
      });
      expect((await call('GET', '/v1/emergency', 'alice')).status).toBe(403);
      await t.call('DELETE', `/v1/emergency/${id}`, { as: 'admin' });
    });

    it('refuses a window longer than 24h, a bad glob and a bad duration (400)', async () => {
      expect((await open('admin', { actions: ['deploy.*'], reason: 'x', duration: '25h' })).status).toBe(400);
      expect((await open('admin', { actions: ['deploy..x'], reason: 'x', duration: '1h' })).status).toBe(400);
      expect((await open('admin', { actions: ['deploy.*'], reason: 'x', duration: 'soon' })).status).toBe(
        400,
      );
      expect(
        (await open('admin', { actions: ['deploy.*'], reason: 'x', duration: '1h', extra: 1 })).status,
      ).toBe(400);
    });

    it('rotates the signing key: new grants carry the new kid, old grants still verify', async () => {
      // The composition root's wiring: one ring variable, swapped by the rotation.
      let ring: KeyRing = t.context.keyRing();
      const grants = createSignedGrantIssuer(t.context.config, () => ring);
      const requests = createRequestService({
        db: t.storage.db,
        policies: t.context.policies,
        grants,
        events: t.context.events,
        now: t.context.now,
        newId: () => randomUUID(),
      });
      const app = createHttpApp({
        ...t.context,
        requests,
        keyRing: () => ring,
        rotateKeys: async (actor) => {
          ring = await rotateSigningKey(t.storage.db, t.context.now(), actor);
          return { kid: ring.active.kid };
        },
      });
      const send = (path: string, token: string | undefined, body?: unknown) =>
        app.request(path, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      const allowed = { action: 'shell.execute', params: { command: 'ls' } };
      const oldGrant = ((await (await send('/v1/requests', t.tokens['ci-bot'], allowed)).json()) as Body)
        .grant;
      const oldKid = ring.active.kid;
      expect(kidOf(oldGrant)).toBe(oldKid);

      const refused = await send('/v1/admin/signing-keys/rotate', t.tokens.mod);
      expect(refused.status).toBe(403);
      expect((await t.audit('permission.denied')).at(-1)).toMatchObject({
        data: { operation: 'signing-key.rotate', reason: 'admin-only' },
      });
      expect(ring.active.kid).toBe(oldKid);

      const rotated = await send('/v1/admin/signing-keys/rotate', t.tokens.admin);
      expect(rotated.status).toBe(200);
      const { kid } = (await rotated.json()) as Body;
      expect(kid).not.toBe(oldKid);
      expect(ring.active.kid).toBe(kid);
      expect((await t.audit('signing-key.rotated')).at(-1)).toMatchObject({
        actor: `user:${t.principals.admin?.id}`,
        data: { kid, previousKids: [oldKid] },
      });

      const newGrant = ((await (await send('/v1/requests', t.tokens['ci-bot'], allowed)).json()) as Body)
        .grant;
      expect(kidOf(newGrant)).toBe(kid);
      expect(await grants.verify(newGrant, t.context.now())).toMatchObject({ ok: true });
      expect(await grants.verify(oldGrant, t.context.now())).toMatchObject({ ok: true });
    });
  });
}
