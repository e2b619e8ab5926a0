import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../storage/storage-test-engines.test-support.js';
import { createTestApp, type TestApp } from '../http-test-app.test-support.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely and asserted field by field.
type Body = any;

const action = {
  action: 'shell.execute',
  params: { command: 'make release' },
  context: { environment: 'prod' },
};

for (const engine of ENGINES) {
  describe(`grant routes on ${engine}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(engine);
    });
    afterAll(async () => {
      await t.dispose();
    });

    /** An action allowed at once: its request id and grant token. */
    const granted = async (): Promise<{ id: string; grant: string }> => {
      const res = await t.call('POST', '/v1/requests', { as: 'ci-bot', body: action });
      const body = (await res.json()) as Body;
      return { id: body.request.id, grant: body.grant };
    };
    const consume = async (body: unknown, as = 'ci-bot') => {
      const res = await t.call('POST', '/v1/grants/consume', { as, body });
      return { status: res.status, body: (await res.json()) as Body };
    };
    const refusals = async () => t.audit('grant.refused');

    it('consumes a grant with the exact payload, then refuses a second use (409 grant-consumed, audited)', async () => {
      const { id, grant } = await granted();
      const first = await consume({ grant, ...action });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({
        requestId: id,
        action: 'shell.execute',
        params: action.params,
        context: action.context,
        payloadHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      const second = await consume({ grant });
      expect(second.status).toBe(409);
      expect(second.body).toMatchObject({
        type: 'https://gatehouse.dev/problems/grant-consumed',
        reason: 'grant-consumed',
      });
      // The core records this refusal with actor `system` (not the presenter): reported to the lead.
      expect((await refusals()).at(-1)).toMatchObject({
        subject: `request:${id}`,
        data: { code: 'grant-consumed' },
      });
    });

    it('security: a grant presented with changed params is refused (403 grant-mismatch) and audited', async () => {
      const { id, grant } = await granted();
      const { status, body } = await consume({
        grant,
        action: 'shell.execute',
        params: { command: 'rm -rf /' },
      });
      expect(status).toBe(403);
      expect(body.reason).toBe('grant-mismatch');
      expect((await refusals()).at(-1)).toMatchObject({
        subject: `request:${id}`,
        data: { code: 'grant-mismatch' },
      });
      // The refusal did not use it up: the exact payload still runs once.
      expect((await consume({ grant, ...action })).status).toBe(200);
    });

    it('security: a tampered grant is refused (403 grant-bad-signature) and audited apart from any request', async () => {
      const { grant } = await granted();
      const [header, payload, signature] = grant.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      const forged = Buffer.from(JSON.stringify({ ...claims, act: 'deploy.production' })).toString(
        'base64url',
      );
      const { status, body } = await consume({ grant: `${header}.${forged}.${signature}` });
      expect(status).toBe(403);
      expect(body).toMatchObject({
        type: 'https://gatehouse.dev/problems/grant-bad-signature',
        reason: 'grant-bad-signature',
      });
      expect((await refusals()).at(-1)).toMatchObject({
        actor: 'agent:ci-bot',
        subject: 'grant:unverified',
        data: { code: 'bad-signature' },
      });
    });

    it('security: an expired grant is refused (409 grant-expired, not 401) and audited', async () => {
      const { id, grant } = await granted();
      t.advance(11 * 60_000);
      const { status, body } = await consume({ grant });
      expect(status).toBe(409);
      expect(body).toMatchObject({
        type: 'https://gatehouse.dev/problems/grant-expired',
        reason: 'grant-expired',
      });
      expect((await refusals()).at(-1)).toMatchObject({
        subject: `request:${id}`,
        data: { code: 'expired' },
      });
    });

    it('security: a token without grants:consume is refused (403 missing-scope) and audited', async () => {
      const { grant } = await granted();
      const { token } = await t.directory.createToken(
        t.principals.bob!,
        { scopes: ['requests:read'] },
        t.context.now(),
      );
      const res = await t.app.request('/v1/grants/consume', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ grant }),
      });
      expect(res.status).toBe(403);
      expect(((await res.json()) as Body).reason).toBe('missing-scope');
      expect((await refusals()).at(-1)).toMatchObject({ actor: 'user:bob', data: { code: 'missing-scope' } });
    });

    it('refuses a body without a grant, naming grant', async () => {
      const { status, body } = await consume({ action: 'shell.execute' });
      expect(status).toBe(400);
      expect(body.errors[0].field).toBe('grant');
    });

    it('publishes the verification keys at /.well-known/jwks.json without credentials', async () => {
      const res = await t.call('GET', '/.well-known/jwks.json');
      expect(res.status).toBe(200);
      const { keys } = (await res.json()) as Body;
      expect(keys[0]).toMatchObject({
        kty: 'OKP',
        crv: 'Ed25519',
        alg: 'EdDSA',
        use: 'sig',
        kid: t.context.keyRing().active.kid,
      });
      expect(keys[0].d).toBeUndefined();
    });
  });
}
