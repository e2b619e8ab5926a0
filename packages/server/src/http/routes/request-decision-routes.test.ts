import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../storage/storage-test-engines.test-support.js';
import { createTestApp, type TestApp } from '../http-test-app.test-support.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely and asserted field by field.
type Body = any;

const deploy = { action: 'deploy.production', params: { version: '2.0.0' } };

for (const engine of ENGINES) {
  describe(`request decision routes on ${engine}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(engine);
    });
    afterAll(async () => {
      await t.dispose();
    });

    const submit = async (as: string, body: unknown = deploy): Promise<string> => {
      const res = await t.call('POST', '/v1/requests', { as, body });
      expect(res.status).toBe(201);
      return ((await res.json()) as Body).request.id;
    };
    const post = async (as: string, path: string, body?: unknown) => {
      const res = await t.call('POST', path, { as, ...(body === undefined ? {} : { body }) });
      return { status: res.status, body: (await res.json()) as Body };
    };
    /** The last audit record of `type` about request `id`. */
    const lastAbout = async (type: string, id: string) =>
      (await t.audit(type)).filter((record) => record.subject === `request:${id}`).at(-1);

    it('approves with a moderator’s vote and records the review', async () => {
      const id = await submit('ci-bot');
      const { status, body } = await post('mod', `/v1/requests/${id}/reviews`, { decision: 'approve' });
      expect(status).toBe(200);
      expect(body).toMatchObject({ id, status: 'approved', decidedBy: 'stages-met' });
      expect(body.reviews).toEqual([
        { reviewer: 'mod', decision: 'approve', stage: 0, at: expect.any(String) },
      ]);
      expect(await lastAbout('review.recorded', id)).toMatchObject({ actor: 'user:mod' });
    });

    it('denies with a comment, and refuses a denial without one naming comment', async () => {
      const id = await submit('ci-bot');
      const bare = await post('mod', `/v1/requests/${id}/reviews`, { decision: 'deny' });
      expect(bare.status).toBe(400);
      expect(bare.body.errors).toEqual([{ field: 'comment', message: 'a denial needs a comment' }]);
      const denied = await post('mod', `/v1/requests/${id}/reviews`, {
        decision: 'deny',
        comment: 'not today',
      });
      expect(denied.status).toBe(200);
      expect(denied.body.status).toBe('denied');
    });

    it('security: a requester approving their own request is refused (403 self-approval) and audited', async () => {
      const id = await submit('mod');
      const { status, body } = await post('mod', `/v1/requests/${id}/reviews`, { decision: 'approve' });
      expect(status).toBe(403);
      expect(body).toMatchObject({
        type: 'https://gatehouse.dev/problems/self-approval',
        reason: 'self-approval',
      });
      expect(await lastAbout('review.refused', id)).toMatchObject({
        actor: 'user:mod',
        data: { code: 'self-approval', decision: 'approve' },
      });
    });

    it('security: an agent owner approving their agent’s request is refused (403) and audited', async () => {
      const id = await submit('ci-bot');
      const own = await post('alice', `/v1/requests/${id}/reviews`, { decision: 'approve' });
      expect(own.status).toBe(403);
      expect(own.body.reason).toBe('self-approval');
      expect(await lastAbout('review.refused', id)).toMatchObject({
        actor: 'user:alice',
        data: { code: 'self-approval' },
      });
    });

    it('security: a user who is not eligible for the stage is refused (403 not-eligible) and audited', async () => {
      const id = await submit('alice', { ...deploy, context: { team: 'infra' } });
      await t.directory.addTeamMember(t.principals.admin!, 'infra', 'bob', 'member', t.context.now());
      const bob = await t.signIn('bob');
      const res = await t.app.request(`/v1/requests/${id}/reviews`, {
        method: 'POST',
        headers: { cookie: bob.cookie, 'x-csrf-token': bob.csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify({ decision: 'approve' }),
      });
      expect(res.status).toBe(403);
      expect(((await res.json()) as Body).reason).toBe('not-eligible');
      expect(await lastAbout('review.refused', id)).toMatchObject({
        actor: 'user:bob',
        data: { code: 'not-eligible' },
      });
    });

    it('security: an agent trying to review is refused (403 agent-cannot-review) and audited', async () => {
      const id = await submit('alice');
      const { status, body } = await post('ci-bot', `/v1/requests/${id}/reviews`, { decision: 'approve' });
      expect(status).toBe(403);
      expect(body.reason).toBe('agent-cannot-review');
      expect(await lastAbout('review.refused', id)).toMatchObject({
        actor: 'agent:ci-bot',
        data: { code: 'agent-cannot-review' },
      });
    });

    it('refuses a vote on a decided request with 409 not-pending, audited', async () => {
      const id = await submit('ci-bot');
      await post('mod', `/v1/requests/${id}/reviews`, { decision: 'approve' });
      const { status, body } = await post('admin', `/v1/requests/${id}/reviews`, { decision: 'approve' });
      expect(status).toBe(409);
      expect(body.reason).toBe('not-pending');
      expect(await lastAbout('review.refused', id)).toMatchObject({ data: { code: 'not-pending' } });
    });

    it('cancels for the requester; another user gets 404', async () => {
      const id = await submit('ci-bot');
      expect((await post('bob', `/v1/requests/${id}/cancel`)).status).toBe(404);
      const { status, body } = await post('ci-bot', `/v1/requests/${id}/cancel`);
      expect(status).toBe(200);
      expect(body.status).toBe('cancelled');
    });

    it('lets the admin override with a justification, flagged; a moderator may not (403, audited)', async () => {
      const id = await submit('ci-bot');
      const byMod = await post('mod', `/v1/requests/${id}/override`, { justification: 'outage' });
      expect(byMod.status).toBe(403);
      expect(byMod.body.reason).toBe('override-not-allowed');
      expect(await lastAbout('override.refused', id)).toMatchObject({ actor: 'user:mod' });
      const empty = await post('admin', `/v1/requests/${id}/override`, { justification: '' });
      expect(empty.status).toBe(400);
      expect(empty.body.errors[0].field).toBe('justification');
      const { status, body } = await post('admin', `/v1/requests/${id}/override`, {
        justification: 'outage',
      });
      expect(status).toBe(200);
      expect(body).toMatchObject({
        status: 'approved',
        override: { by: 'admin', justification: 'outage', flagged: true },
      });
    });

    it('takes the outcome after the grant was used, once', async () => {
      const submitted = await t.call('POST', '/v1/requests', {
        as: 'ci-bot',
        body: { action: 'shell.execute', params: { command: 'uptime' } },
      });
      const { request, grant } = (await submitted.json()) as Body;
      const early = await post('ci-bot', `/v1/requests/${request.id}/outcome`, { result: 'succeeded' });
      expect(early.status).toBe(409);
      expect(early.body.reason).toBe('not-consumed');
      expect((await post('ci-bot', '/v1/grants/consume', { grant })).status).toBe(200);
      const { status, body } = await post('ci-bot', `/v1/requests/${request.id}/outcome`, {
        result: 'succeeded',
        detail: 'up 3 days',
      });
      expect(status).toBe(200);
      expect(body.outcome).toMatchObject({ result: 'succeeded', detail: 'up 3 days' });
      const twice = await post('ci-bot', `/v1/requests/${request.id}/outcome`, { result: 'failed' });
      expect(twice.status).toBe(409);
      expect(twice.body.reason).toBe('outcome-already-reported');
    });
  });
}
