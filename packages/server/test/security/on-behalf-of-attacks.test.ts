import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../src/storage/storage-test-engines.test-support.js';
import { createSecurityWorld, type Reply, type SecurityWorld } from './security-world.test-support.js';

// An agent may name as `onBehalfOf` only an existing, active user on its `actsFor` list; each
// entry is a user's own consent or the admin's. Attacks through the HTTP API, on both engines:
// each asserts the refusal, its audit record, and that nothing was stored. ci-bot is alice's
// agent and acts for mod (the world's setup); the admin's user id is `admin`.

const deploy = () => ({ action: 'deploy.production', params: { version: randomUUID() } });

/** An audit record with these fields, and at least these `data` fields. */
function record(type: string, actor: string, subject: string, data: Record<string, unknown>) {
  return expect.objectContaining({ type, actor, subject, data: expect.objectContaining(data) });
}

/** The problem a refused submission answers with: 403, naming the field `onBehalfOf`. */
function expectOnBehalfOfRefused(reply: Reply): void {
  expect(reply.status).toBe(403);
  expect(reply.headers.get('content-type')).toBe('application/problem+json');
  expect(reply.body).toMatchObject({
    reason: 'on-behalf-of-refused',
    errors: [expect.objectContaining({ field: 'onBehalfOf' })],
  });
}

for (const engine of ENGINES) {
  describe(`onBehalfOf attacks (${engine})`, () => {
    let w: SecurityWorld;
    beforeAll(async () => {
      w = await createSecurityWorld(engine);
    });
    afterAll(async () => {
      await w?.dispose();
    });

    /** Runs `run` and returns its reply and every audit record it left. */
    const attack = async (run: () => Promise<Reply>) => {
      const mark = await w.auditHead();
      const reply = await run();
      return { reply, records: await w.auditSince(mark) };
    };
    const submitFor = (as: string, onBehalfOf: string) =>
      w.send('POST', '/v1/requests', { as, body: { ...deploy(), onBehalfOf } });
    const requestCount = async () =>
      ((await w.send('GET', '/v1/requests?limit=200', { as: 'admin' })).body.requests as unknown[]).length;

    it('an agent naming a user who does not exist is refused (403 on-behalf-of-refused) and audited', async () => {
      const before = await requestCount();
      const { reply, records } = await attack(() => submitFor('ci-bot', 'nobody-here'));
      expectOnBehalfOfRefused(reply);
      // The caller hears the same answer for every reason: no oracle for user names.
      expect(reply.body.detail).not.toMatch(/exist|disabled/i);
      expect(records).toEqual([
        record('request.onBehalfOf.refused', 'agent:ci-bot', 'agent:ci-bot', {
          onBehalfOf: 'nobody-here',
          reason: 'unknown-user',
          action: 'deploy.production',
        }),
      ]);
      expect(await requestCount()).toBe(before);
    });

    it('an agent naming a real user not on its actsFor list is refused and audited', async () => {
      const { reply, records } = await attack(() => submitFor('ci-bot', 'bob'));
      expectOnBehalfOfRefused(reply);
      expect(records).toEqual([
        record('request.onBehalfOf.refused', 'agent:ci-bot', 'agent:ci-bot', {
          onBehalfOf: 'bob',
          reason: 'not-in-acts-for',
        }),
      ]);
      // Nor does a prefixed spelling of a listed user get through.
      expectOnBehalfOfRefused(await submitFor('ci-bot', 'user:mod'));
    });

    it('an agent naming a user on its list who has since been disabled is refused and audited', async () => {
      expect(
        (await w.send('POST', '/v1/agents/ci-bot/acts-for', { as: 'admin', body: { user: 'frank' } })).status,
      ).toBe(204);
      expect((await submitFor('ci-bot', 'frank')).status).toBe(201);
      expect(
        (await w.send('PATCH', '/v1/users/frank', { as: 'admin', body: { disabled: true } })).status,
      ).toBe(204);
      const { reply, records } = await attack(() => submitFor('ci-bot', 'frank'));
      expectOnBehalfOfRefused(reply);
      expect(records).toEqual([
        record('request.onBehalfOf.refused', 'agent:ci-bot', 'agent:ci-bot', {
          onBehalfOf: 'frank',
          reason: 'user-disabled',
        }),
      ]);
    });

    it('a pending request on behalf of a user disabled since shows them as no longer active', async () => {
      expect(
        (await w.send('POST', '/v1/agents/ci-bot/acts-for', { as: 'admin', body: { user: 'gus' } })).status,
      ).toBe(204);
      const { id } = await w.submit('ci-bot', { ...deploy(), onBehalfOf: 'gus' });
      const active = await w.send('GET', `/v1/requests/${id}`, { as: 'admin' });
      expect(active.body.verified.onBehalfOf).toEqual({ user: 'gus', basis: 'acts-for', active: true });
      expect((await w.send('PATCH', '/v1/users/gus', { as: 'admin', body: { disabled: true } })).status).toBe(
        204,
      );
      const shown = await w.send('GET', `/v1/requests/${id}`, { as: 'admin' });
      expect(shown.body.verified.onBehalfOf).toEqual({ user: 'gus', basis: 'acts-for', active: false });
    });

    it('an owner letting their agent act for the admin is refused (403 acts-for-needs-admin) and audited', async () => {
      const { reply, records } = await attack(() =>
        w.send('POST', '/v1/agents/ci-bot/acts-for', { as: 'alice', body: { user: 'admin' } }),
      );
      expect(reply.status).toBe(403);
      expect(reply.body.reason).toBe('acts-for-needs-admin');
      expect(records).toEqual([
        record('permission.denied', 'user:alice', 'agent:ci-bot', {
          operation: 'agent.actsFor.add',
          reason: 'acts-for-needs-admin',
        }),
      ]);
      // Nor at creation: a new agent acting for the admin, made by a user, is not created.
      const created = await attack(() =>
        w.send('POST', '/v1/agents', { as: 'alice', body: { name: 'sneaky-bot', actsFor: ['admin'] } }),
      );
      expect(created.reply.status).toBe(403);
      expect(created.records).toEqual([
        record('permission.denied', 'user:alice', 'agent:sneaky-bot', { reason: 'acts-for-needs-admin' }),
      ]);
      const agents = (await w.send('GET', '/v1/agents', { as: 'admin' })).body.agents as {
        id: string;
        actsFor: string[];
      }[];
      expect(agents.map((agent) => agent.id)).not.toContain('sneaky-bot');
      expect(agents.find((agent) => agent.id === 'ci-bot')?.actsFor).not.toContain('admin');
      // And the agent still cannot name the admin.
      expectOnBehalfOfRefused(await submitFor('ci-bot', 'admin'));
    });

    it('a user adding themselves to an agent they do not manage is refused (403 not-agent-owner) and audited', async () => {
      const { reply, records } = await attack(() =>
        w.send('POST', '/v1/agents/ci-bot/acts-for', { as: 'bob', body: { user: 'bob' } }),
      );
      expect(reply.status).toBe(403);
      expect(reply.body.reason).toBe('not-agent-owner');
      expect(records).toEqual([
        record('permission.denied', 'user:bob', 'agent:ci-bot', { reason: 'not-agent-owner' }),
      ]);
    });

    it('an owner adding themselves is accepted and audited; the request shows them as verified and bound', async () => {
      const { reply, records } = await attack(() =>
        w.send('POST', '/v1/agents/ci-bot/acts-for', { as: 'alice', body: { user: 'alice' } }),
      );
      expect(reply.status).toBe(204);
      expect(records).toEqual([
        record('agent.actsFor.added', 'user:alice', 'agent:ci-bot', { user: 'alice' }),
      ]);
      const { id, body } = await w.submit('ci-bot', {
        ...deploy(),
        context: { reason: 'on behalf of alice, trust me' },
        onBehalfOf: 'alice',
      });
      expect(body.request.verified.onBehalfOf).toEqual({ user: 'alice', basis: 'acts-for' });
      expect(body.request.bound.onBehalfOf).toBe('alice');
      const detail = await w.send('GET', `/v1/requests/${id}`, { as: 'mod' });
      expect(detail.body.verified).toMatchObject({
        requester: { kind: 'agent', id: 'ci-bot', owner: 'alice' },
        onBehalfOf: { user: 'alice', basis: 'acts-for', active: true },
      });
      // The agent's words stay claimed: nowhere under verified.
      expect(JSON.stringify(detail.body.verified)).not.toContain('trust me');
      expect(detail.body.claimed.reason).toBe('on behalf of alice, trust me');
    });

    it('a user withdrawing their consent is audited, and the agent can no longer name them', async () => {
      const { reply, records } = await attack(() =>
        w.send('DELETE', '/v1/agents/ci-bot/acts-for/mod', { as: 'mod' }),
      );
      expect(reply.status).toBe(204);
      expect(records).toEqual([record('agent.actsFor.removed', 'user:mod', 'agent:ci-bot', { user: 'mod' })]);
      expectOnBehalfOfRefused(await submitFor('ci-bot', 'mod'));
      expect(
        (await w.send('POST', '/v1/agents/ci-bot/acts-for', { as: 'admin', body: { user: 'mod' } })).status,
      ).toBe(204);
    });
  });
}
