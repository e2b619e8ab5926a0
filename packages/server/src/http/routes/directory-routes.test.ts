import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../storage/storage-test-engines.test-support.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../http-test-app.test-support.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely and asserted field by field.
type Body = any;

for (const engine of ENGINES) {
  describe(`directory routes on ${engine}`, () => {
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
    const lastDenial = async () => (await t.audit('permission.denied')).at(-1);

    describe('users', () => {
      it('creates a user (admin) and lists users (any human)', async () => {
        const created = await send('POST', '/v1/users', 'admin', {
          username: 'carol',
          password: TEST_PASSWORD,
        });
        expect(created.status).toBe(201);
        expect(created.body).toMatchObject({ id: 'carol', role: 'user', baseRole: 'user', disabled: false });
        expect(created.body.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
        const list = await send('GET', '/v1/users', 'bob');
        expect(list.body.users.map((u: Body) => [u.id, u.role])).toEqual(
          expect.arrayContaining([
            ['admin', 'admin'],
            ['carol', 'user'],
          ]),
        );
        expect(JSON.stringify(list.body)).not.toMatch(/argon2|password/i);
      });

      it('security: a moderator cannot create a moderator (403) and it is audited', async () => {
        const { status, body } = await send('POST', '/v1/users', 'mod', {
          username: 'dave',
          role: 'moderator',
        });
        expect(status).toBe(403);
        expect(body.reason).toBe('admin-only');
        expect(await lastDenial()).toMatchObject({ actor: 'user:mod', data: { operation: 'user.create' } });
      });

      it('refuses a bad username, naming it, and an unknown field', async () => {
        expect(
          (await send('POST', '/v1/users', 'admin', { username: 'Not Valid' })).body.errors[0].field,
        ).toBe('username');
        expect(
          (await send('POST', '/v1/users', 'admin', { username: 'ok', admin: true })).body.errors[0].field,
        ).toBe('admin');
      });

      it('changes a role and disables a user (admin); the disabled user’s token stops working', async () => {
        expect((await send('PATCH', '/v1/users/carol', 'admin', { role: 'moderator' })).status).toBe(204);
        expect((await send('PATCH', '/v1/users/bob', 'admin', { disabled: true })).status).toBe(204);
        const users = (await send('GET', '/v1/users', 'admin')).body.users as Body[];
        expect(users.find((u) => u.id === 'carol').role).toBe('moderator');
        expect(users.find((u) => u.id === 'bob').disabled).toBe(true);
        expect((await t.call('GET', '/v1/requests', { as: 'bob' })).status).toBe(401);
        expect((await send('PATCH', '/v1/users/bob', 'admin', { disabled: false })).status).toBe(204);
        expect((await t.call('GET', '/v1/requests', { as: 'bob' })).status).toBe(200);
        expect((await send('PATCH', '/v1/users/bob', 'admin', {})).status).toBe(400);
      });

      it('changes your own password with the current one, ending your sessions', async () => {
        const session = await t.signIn('alice');
        const wrong = await send('POST', '/v1/users/alice/password', 'alice', {
          currentPassword: 'definitely wrong',
          newPassword: 'a brand new passphrase',
        });
        expect(wrong.status).toBe(403);
        const ok = await send('POST', '/v1/users/alice/password', 'alice', {
          currentPassword: TEST_PASSWORD,
          newPassword: TEST_PASSWORD.toUpperCase(),
        });
        expect(ok.status).toBe(204);
        expect(
          (await t.app.request('/v1/auth/session', { headers: { cookie: session.cookie } })).status,
        ).toBe(401);
        await send('POST', '/v1/users/alice/password', 'admin', { newPassword: TEST_PASSWORD });
      });
    });

    describe('teams and groups', () => {
      it('creates a team, adds and removes members (admin, moderators, the team’s maintainers)', async () => {
        const created = await send('POST', '/v1/teams', 'mod', { name: 'payments' });
        expect(created.status).toBe(201);
        expect(created.body).toEqual({ id: 'payments', name: 'payments', members: [] });
        expect((await send('POST', '/v1/teams/infra/members', 'alice', { userId: 'bob' })).status).toBe(204);
        const teams = (await send('GET', '/v1/teams', 'bob')).body.teams as Body[];
        expect(teams.find((team) => team.id === 'infra').members).toEqual(
          expect.arrayContaining([
            { userId: 'alice', role: 'maintainer' },
            { userId: 'bob', role: 'member' },
          ]),
        );
        expect((await send('DELETE', '/v1/teams/infra/members/bob', 'alice')).status).toBe(204);
        expect((await send('DELETE', '/v1/teams/infra/members/bob', 'alice')).status).toBe(404);
      });

      it('security: a member of another team cannot add members to a team (403) and it is audited', async () => {
        const { status, body } = await send('POST', '/v1/teams/payments/members', 'alice', {
          userId: 'alice',
        });
        expect(status).toBe(403);
        expect(body.reason).toBe('not-team-maintainer');
        expect(await lastDenial()).toMatchObject({ actor: 'user:alice', subject: 'team:payments' });
      });

      it('manages approval groups (admin, moderators)', async () => {
        expect((await send('POST', '/v1/groups', 'mod', { name: 'operators' })).status).toBe(201);
        expect(
          (await send('POST', '/v1/groups/operators/members', 'mod', { kind: 'team', id: 'infra' })).status,
        ).toBe(204);
        expect(
          (await send('POST', '/v1/groups/operators/members', 'mod', { kind: 'user', id: 'bob' })).status,
        ).toBe(204);
        const groups = (await send('GET', '/v1/groups', 'alice')).body.groups as Body[];
        expect(groups).toContainEqual({ name: 'operators', users: ['bob'], teams: ['infra'] });
        expect((await send('DELETE', '/v1/groups/operators/members/user/bob', 'mod')).status).toBe(204);
        const denied = await send('POST', '/v1/groups', 'alice', { name: 'mine' });
        expect(denied.status).toBe(403);
        expect(await lastDenial()).toMatchObject({
          actor: 'user:alice',
          data: { operation: 'group.create' },
        });
      });
    });

    describe('agents and tokens', () => {
      it('creates an agent and a token for it, shown once; lists metadata only', async () => {
        const agent = await send('POST', '/v1/agents', 'alice', { name: 'deploy-bot' });
        expect(agent.status).toBe(201);
        expect(agent.body).toMatchObject({
          id: 'deploy-bot',
          owner: { kind: 'user', id: 'alice' },
          disabled: false,
        });
        const issued = await t.call('POST', '/v1/tokens', { as: 'alice', body: { agentId: 'deploy-bot' } });
        expect(issued.status).toBe(201);
        expect(issued.headers.get('cache-control')).toBe('no-store');
        const token = (await issued.json()) as Body;
        expect(token.token).toMatch(/^gh_[a-z2-7]{12}_/);
        expect(token.scopes).toEqual(['requests:create', 'requests:read', 'grants:consume']);
        const listed = await send('GET', '/v1/tokens?agentId=deploy-bot', 'alice');
        expect(listed.body.tokens).toEqual([
          expect.objectContaining({ id: token.id, principal: { kind: 'agent', id: 'deploy-bot' } }),
        ]);
        expect(JSON.stringify(listed.body)).not.toContain(token.token.split('_')[2]);
        const agents = (await send('GET', '/v1/agents', 'alice')).body.agents as Body[];
        expect(agents.map((a) => a.id)).toEqual(expect.arrayContaining(['ci-bot', 'deploy-bot']));
      });

      it('security: an agent token cannot carry requests:review (403) and it is audited', async () => {
        const { status, body } = await send('POST', '/v1/tokens', 'alice', {
          agentId: 'deploy-bot',
          scopes: ['requests:create', 'requests:review'],
        });
        expect(status).toBe(403);
        expect(body.reason).toBe('agent-forbidden-scope');
        expect(await lastDenial()).toMatchObject({
          actor: 'user:alice',
          data: { operation: 'token.create' },
        });
      });

      it('security: a token of a disabled agent is refused (401) and audited', async () => {
        const { token } = (await send('POST', '/v1/tokens', 'alice', { agentId: 'deploy-bot' })).body;
        expect((await send('POST', '/v1/agents/deploy-bot/disable', 'alice')).status).toBe(204);
        const res = await t.app.request('/v1/requests', { headers: { authorization: `Bearer ${token}` } });
        expect(res.status).toBe(401);
        expect((await t.audit('auth.token.refused')).at(-1)).toMatchObject({
          actor: 'agent:deploy-bot',
          data: { reason: 'principal-disabled' },
        });
        expect((await send('POST', '/v1/agents/deploy-bot/enable', 'alice')).status).toBe(204);
      });

      it('security: a revoked token is refused (401) and audited', async () => {
        const issued = (await send('POST', '/v1/tokens', 'bob', {})).body;
        expect((await send('DELETE', `/v1/tokens/${issued.id}`, 'bob')).status).toBe(204);
        const res = await t.app.request('/v1/requests', {
          headers: { authorization: `Bearer ${issued.token}` },
        });
        expect(res.status).toBe(401);
        expect((await t.audit('auth.token.refused')).at(-1)).toMatchObject({
          data: { reason: 'revoked', prefix: issued.id },
        });
      });

      it('security: an agent cannot create users or agents (403) and it is audited', async () => {
        const { status } = await send('POST', '/v1/agents', 'ci-bot', { name: 'spawned' });
        expect(status).toBe(403);
        expect(await lastDenial()).toMatchObject({
          actor: 'agent:ci-bot',
          data: { reason: 'agent-not-allowed' },
        });
      });
    });

    describe('the admin seat', () => {
      it('security: a non-admin cannot transfer the admin seat (403) and it is audited', async () => {
        const { status, body } = await send('POST', '/v1/admin/transfer', 'mod', { userId: 'mod' });
        expect(status).toBe(403);
        expect(body.reason).toBe('admin-only');
        expect(await lastDenial()).toMatchObject({
          actor: 'user:mod',
          data: { operation: 'admin.transfer' },
        });
      });

      it('transfers the seat (admin): the old admin becomes a moderator', async () => {
        expect((await send('POST', '/v1/admin/transfer', 'admin', { userId: 'mod' })).status).toBe(204);
        const users = (await send('GET', '/v1/users', 'mod')).body.users as Body[];
        expect(users.find((u) => u.id === 'mod').role).toBe('admin');
        expect(users.find((u) => u.id === 'admin').role).toBe('moderator');
        expect((await t.audit('admin.transferred')).at(-1)).toMatchObject({ actor: 'user:admin' });
      });
    });
  });
}
