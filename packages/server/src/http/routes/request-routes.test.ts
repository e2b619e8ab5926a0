import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../storage/storage-test-engines.test-support.js';
import { createTestApp, type TestApp } from '../http-test-app.test-support.js';
import { MAX_BODY_BYTES } from '../limits.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely and asserted field by field.
type Body = any;

const deploy = { action: 'deploy.production', params: { version: '1.2.3' } };

for (const engine of ENGINES) {
  describe(`request routes on ${engine}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(engine);
    });
    afterAll(async () => {
      await t.dispose();
    });

    const submit = async (as: string, body: unknown, headers: Record<string, string> = {}) => {
      const res = await t.call('POST', '/v1/requests', { as, body, headers });
      return { status: res.status, body: (await res.json()) as Body };
    };

    describe('POST /v1/requests', () => {
      it('allows at once with a grant token, records the decision, counts it', async () => {
        const { status, body } = await submit('ci-bot', {
          action: 'shell.execute',
          params: { command: 'ls' },
        });
        expect(status).toBe(201);
        expect(body.decision).toEqual({ outcome: 'allow' });
        expect(body.request).toMatchObject({
          status: 'approved',
          bound: { action: 'shell.execute' },
          verified: { requester: { id: 'ci-bot' } },
        });
        expect(body.grant).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
        const metrics = await (await t.call('GET', '/metrics')).text();
        expect(metrics).toMatch(/gatehouse_requests_created_total\{outcome="allow"\} [1-9]/);
      });

      it('denies with the rule’s reasons and no grant', async () => {
        const { status, body } = await submit('ci-bot', { action: 'secret.read', params: { name: 'db' } });
        expect(status).toBe(201);
        expect(body.decision).toEqual({
          outcome: 'deny',
          reasons: [{ rule: 'no-secrets', reason: 'Reading secrets is not allowed' }],
        });
        expect(body.request.status).toBe('denied');
        expect(body.grant).toBeUndefined();
      });

      it('puts a gated action in the queue, pending, with its stage', async () => {
        const { status, body } = await submit('ci-bot', { ...deploy, reason: 'release day' });
        expect(status).toBe(201);
        expect(body.decision).toEqual({ outcome: 'require' });
        expect(body.request).toMatchObject({
          status: 'pending',
          verified: { rules: ['deploys'] },
          risk: 'high',
        });
        expect(body.request.claimed).toEqual({ reason: 'release day', context: {} });
        expect(body.request.stages[0]).toMatchObject({ approvers: ['role:moderator'], state: 'current' });
      });

      it('answers a replayed Idempotency-Key and body with 200 and the original request', async () => {
        const key = { 'Idempotency-Key': 'release-42' };
        const first = await submit('ci-bot', deploy, key);
        const again = await submit('ci-bot', { params: { ...deploy.params }, action: deploy.action }, key);
        expect(first.status).toBe(201);
        expect(again.status).toBe(200);
        expect(again.body.request.id).toBe(first.body.request.id);
        expect(again.body.decision).toEqual({ outcome: 'require' });
      });

      it('refuses a replayed Idempotency-Key with another body: 422 naming the header', async () => {
        const key = { 'Idempotency-Key': 'release-43' };
        expect((await submit('ci-bot', deploy, key)).status).toBe(201);
        const other = await submit('ci-bot', { ...deploy, params: { version: 'other' } }, key);
        expect(other.status).toBe(422);
        expect(other.body).toMatchObject({
          reason: 'idempotency-key-reused',
          errors: [{ field: 'idempotency-key', message: expect.stringMatching(/different body/) }],
        });
      });

      it('refuses an Idempotency-Key over 128 characters, naming the header', async () => {
        const { status, body } = await submit('ci-bot', deploy, { 'Idempotency-Key': 'k'.repeat(129) });
        expect(status).toBe(400);
        expect(body.errors).toEqual([{ field: 'idempotency-key', message: expect.any(String) }]);
      });

      it('refuses an unknown field with 400 naming it, as a problem', async () => {
        const res = await t.call('POST', '/v1/requests', { as: 'ci-bot', body: { ...deploy, urgent: true } });
        expect(res.status).toBe(400);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        expect(await res.json()).toEqual({
          type: 'https://gatehouse.dev/problems/invalid-input',
          title: 'Invalid input',
          status: 400,
          detail: 'urgent: unknown field',
          instance: '/v1/requests',
          errors: [{ field: 'urgent', message: 'unknown field' }],
        });
      });

      it('refuses a malformed action name, naming action', async () => {
        const { status, body } = await submit('ci-bot', { action: 'Deploy..prod', params: {} });
        expect(status).toBe(400);
        expect(body.errors.map((e: Body) => e.field)).toEqual(['action']);
      });

      it('refuses params nested deeper than 32 levels, naming params', async () => {
        let params: Record<string, unknown> = { leaf: true };
        for (let depth = 1; depth < 40; depth++) params = { next: params };
        const { status, body } = await submit('ci-bot', { action: 'deploy.production', params });
        expect(status).toBe(400);
        expect(body.errors).toEqual([{ field: 'params', message: 'must not nest deeper than 32 levels' }]);
      });

      it('refuses params over 64 KiB, naming params', async () => {
        const { status, body } = await submit('ci-bot', {
          action: 'shell.execute',
          params: { blob: 'x'.repeat(70 * 1024) },
        });
        expect(status).toBe(400);
        expect(body.errors[0].field).toBe('params');
      });

      it('refuses a reason over 4,000 characters, naming reason', async () => {
        const { status, body } = await submit('ci-bot', { ...deploy, reason: 'r'.repeat(4_001) });
        expect(status).toBe(400);
        expect(body.errors[0].field).toBe('reason');
      });

      it('refuses a body over 256 KiB with 413 before reading it', async () => {
        const res = await t.call('POST', '/v1/requests', {
          as: 'ci-bot',
          body: { action: 'shell.execute', params: { blob: 'x'.repeat(MAX_BODY_BYTES) } },
        });
        expect(res.status).toBe(413);
        expect((await res.json()).type).toBe('https://gatehouse.dev/problems/payload-too-large');
      });

      it('refuses malformed JSON with 400 and a missing content type with 415, as problems', async () => {
        const bad = await t.call('POST', '/v1/requests', { as: 'ci-bot', body: '{"action":' });
        expect(bad.status).toBe(400);
        expect(bad.headers.get('content-type')).toBe('application/problem+json');
        const untyped = await t.call('POST', '/v1/requests', {
          as: 'ci-bot',
          body: JSON.stringify(deploy),
          headers: { 'content-type': 'text/plain' },
        });
        expect(untyped.status).toBe(415);
      });

      it('refuses a token without requests:create with 403 missing-scope', async () => {
        const { token } = await t.directory.createToken(
          t.principals.alice!,
          { scopes: ['requests:read'] },
          t.context.now(),
        );
        const res = await t.app.request('/v1/requests', {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(deploy),
        });
        expect(res.status).toBe(403);
        expect((await res.json()).reason).toBe('missing-scope');
      });
    });

    describe('POST /v1/evaluate', () => {
      it('explains the decision and stores nothing', async () => {
        const before = (await t.audit()).length;
        const res = await t.call('POST', '/v1/evaluate', { as: 'alice', body: deploy });
        expect(res.status).toBe(200);
        const body = (await res.json()) as Body;
        expect(body.decision.outcome).toBe('require');
        expect(body.decision.matched.map((m: Body) => m.rule)).toEqual(['deploys']);
        expect((await t.audit()).length).toBe(before);
      });
    });

    describe('GET /v1/requests and /v1/requests/{id}', () => {
      it('lists what the caller may see, filtered, and pages with a cursor', async () => {
        const mine = await submit('bob', { action: 'deploy.staging', params: {} });
        const bobs = (await (await t.call('GET', '/v1/requests?limit=200', { as: 'bob' })).json()) as Body;
        expect(bobs.requests.map((r: Body) => r.id)).toEqual([mine.body.request.id]);

        const pending = (await (
          await t.call('GET', '/v1/requests?status=pending&limit=1', { as: 'mod' })
        ).json()) as Body;
        expect(pending.requests).toHaveLength(1);
        expect(pending.requests[0].status).toBe('pending');
        expect(typeof pending.nextCursor).toBe('string');
        const next = await t.call('GET', `/v1/requests?status=pending&limit=1&cursor=${pending.nextCursor}`, {
          as: 'mod',
        });
        const page2 = (await next.json()) as Body;
        expect(page2.requests[0].id).not.toBe(pending.requests[0].id);

        const awaiting = (await (
          await t.call('GET', '/v1/requests?awaiting=me', { as: 'mod' })
        ).json()) as Body;
        expect(awaiting.requests.length).toBeGreaterThan(0);
        expect(awaiting.requests.every((r: Body) => r.viewer.canReview)).toBe(true);
      });

      it('refuses a forged cursor with 400 invalid-cursor and an unknown filter with 400', async () => {
        const forged = await t.call('GET', '/v1/requests?cursor=bm90LWEtY3Vyc29y', { as: 'mod' });
        expect(forged.status).toBe(400);
        expect((await forged.json()).type).toBe('https://gatehouse.dev/problems/invalid-cursor');
        const unknown = await t.call('GET', '/v1/requests?colour=blue', { as: 'mod' });
        expect(unknown.status).toBe(400);
        expect((await unknown.json()).errors[0].field).toBe('colour');
      });

      it('shows the timeline to viewers and the usable grant only to the requester', async () => {
        const { body } = await submit('ci-bot', { action: 'shell.execute', params: { command: 'date' } });
        const id = body.request.id as string;
        const asBot = (await (await t.call('GET', `/v1/requests/${id}`, { as: 'ci-bot' })).json()) as Body;
        expect(asBot.grantToken).toBe(body.grant);
        expect(asBot.timeline.map((r: Body) => r.type)).toEqual([
          'request.created',
          'request.approved',
          'grant.issued',
        ]);
        const asOwner = (await (await t.call('GET', `/v1/requests/${id}`, { as: 'alice' })).json()) as Body;
        expect(asOwner.id).toBe(id);
        expect(asOwner.grantToken).toBeUndefined();
      });

      it('answers 404 for a request the caller may not see, as for one that does not exist', async () => {
        const { body } = await submit('ci-bot', deploy);
        const hidden = await t.call('GET', `/v1/requests/${body.request.id}`, { as: 'bob' });
        const missing = await t.call('GET', '/v1/requests/no-such-request', { as: 'bob' });
        expect(hidden.status).toBe(404);
        expect(missing.status).toBe(404);
        expect((await hidden.json()).title).toBe((await missing.json()).title);
      });
    });

    describe('GET /v1/requests/{id}/wait', () => {
      it('returns as soon as another reviewer approves, with the grant for the requester', async () => {
        const { body } = await submit('ci-bot', deploy);
        const id = body.request.id as string;
        const waiting = t.call('GET', `/v1/requests/${id}/wait?timeout=60`, { as: 'ci-bot' });
        const review = await t.call('POST', `/v1/requests/${id}/reviews`, {
          as: 'mod',
          body: { decision: 'approve', comment: 'ship it' },
        });
        expect(review.status).toBe(200);
        const waited = await waiting;
        expect(waited.status).toBe(200);
        const detail = (await waited.json()) as Body;
        expect(detail.status).toBe('approved');
        expect(typeof detail.grantToken).toBe('string');
      });

      it('returns the pending request at once with timeout=0', async () => {
        const { body } = await submit('ci-bot', deploy);
        const res = await t.call('GET', `/v1/requests/${body.request.id}/wait?timeout=0`, { as: 'ci-bot' });
        expect(((await res.json()) as Body).status).toBe('pending');
      });

      it('ends the wait when the client goes away', async () => {
        const { body } = await submit('ci-bot', deploy);
        const client = new AbortController();
        const waiting = t.app.request(`/v1/requests/${body.request.id}/wait?timeout=60`, {
          headers: { authorization: `Bearer ${t.tokens['ci-bot']}` },
          signal: client.signal,
        });
        client.abort();
        const res = await waiting;
        expect(((await res.json()) as Body).status).toBe('pending');
      });

      it('refuses a timeout over 60 seconds, naming timeout', async () => {
        const res = await t.call('GET', '/v1/requests/x/wait?timeout=61', { as: 'ci-bot' });
        expect(res.status).toBe(400);
        expect((await res.json()).errors[0].field).toBe('timeout');
      });
    });
  });
}
