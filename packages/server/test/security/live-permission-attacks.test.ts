import { randomUUID } from 'node:crypto';
import type { Role } from '@gatehouse/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../../src/http/http-test-app.test-support.js';
import { ENGINES } from '../../src/storage/storage-test-engines.test-support.js';
import { createSecurityWorld, type Reply, type SecurityWorld } from './security-world.test-support.js';

// Live permissions (issue 8, item 7; DESIGN §4): a vote, a submission and a grant consumption are
// judged by the directory and the policy as they are at that moment, never by what the server
// read earlier. Each attack changes the directory or the policy through the API, then tries what
// the change forbids, with no restart in between: the refusal and its audit record are asserted,
// and that nothing changed.

/** `desk` and `board` are groups of the policy file; the database's `desk` adds members to it. */
const LIVE_POLICY = `version: 1
defaults: { decision: allow, expiresIn: 1h, onTimeout: deny, grantTtl: 10m }
groups:
  desk: { users: [frank] }
  board: { users: [bea] }
rules:
  - name: desk-changes
    match: { action: desk.change }
    require:
      stages:
        - { approvers: { group: desk }, min: 1 }
  - name: board-changes
    match: { action: board.change }
    require:
      stages:
        - { approvers: { group: board }, min: 1 }
  - name: deploys
    match: { action: "deploy.*" }
    require:
      stages:
        - { approvers: { role: moderator }, min: 1 }
`;

function record(type: string, actor: string, subject: string, data: Record<string, unknown>) {
  return expect.objectContaining({ type, actor, subject, data: expect.objectContaining(data) });
}

function expectRefused(reply: Reply, status: number, reason: string | undefined): void {
  expect({ status: reply.status, reason: reply.body?.reason }).toEqual({ status, reason });
}

for (const engine of ENGINES) {
  describe(`live permissions (${engine})`, () => {
    let w: SecurityWorld;
    const tokens: Record<string, string> = {};

    /** A new user with an API token; moderators see every request, so their refusals are 403s. */
    const person = async (name: string, role: Role = 'user') => {
      const admin = w.t.principals.admin;
      if (admin === undefined) throw new Error('no admin');
      await w.t.directory.createUser(
        admin,
        { username: name, password: TEST_PASSWORD, ...(role === 'user' ? {} : { role }) },
        w.t.context.now(),
      );
      const session = await w.t.signIn(name);
      tokens[name] = (await w.t.directory.createToken(session.principal, {}, w.t.context.now())).token;
    };
    const as = (name: string) => ({ token: tokens[name] ?? w.tokens[name] });
    const vote = (name: string, id: string, decision: 'approve' | 'deny' = 'approve') =>
      w.send('POST', `/v1/requests/${id}/reviews`, {
        ...as(name),
        body: { decision, ...(decision === 'deny' ? { comment: 'no' } : {}) },
      });
    const admin = (method: string, path: string, body?: unknown) =>
      w.send(method, path, { as: 'admin', ...(body === undefined ? {} : { body }) });
    const attack = async (run: () => Promise<Reply>) => {
      const mark = await w.auditHead();
      const reply = await run();
      return { reply, records: await w.auditSince(mark) };
    };
    const expectUntouched = async (id: string) => {
      const request = await w.request(id);
      expect({ status: request.status, reviews: request.reviews.length, grant: request.grant }).toEqual({
        status: 'pending',
        reviews: 0,
        grant: undefined,
      });
    };

    beforeAll(async () => {
      w = await createSecurityWorld(engine, LIVE_POLICY);
      await person('vera', 'moderator');
      await person('bea', 'moderator');
      await person('otto', 'moderator');
      await person('una', 'moderator');
      expect((await admin('POST', '/v1/groups', { name: 'desk' })).status).toBe(201);
    });
    afterAll(async () => {
      await w?.dispose();
    });

    it('L1 a member removed from an approval group cannot approve, without a restart; added back, she can', async () => {
      expect((await admin('POST', '/v1/groups/desk/members', { kind: 'user', id: 'vera' })).status).toBe(204);
      const { id } = await w.submit('ci-bot', { action: 'desk.change', params: { n: 1 } });
      expect((await admin('DELETE', '/v1/groups/desk/members/user/vera')).status).toBe(204);

      const { reply, records } = await attack(() => vote('vera', id));
      expectRefused(reply, 403, 'not-eligible');
      expect(records).toEqual([
        record('review.refused', 'user:vera', `request:${id}`, { code: 'not-eligible', decision: 'approve' }),
      ]);
      await expectUntouched(id);

      // Membership counts as it is at the vote, both ways: added back, the same request is hers to approve.
      expect((await admin('POST', '/v1/groups/desk/members', { kind: 'user', id: 'vera' })).status).toBe(204);
      expect((await vote('vera', id)).status).toBe(200);
      expect((await w.request(id)).status).toBe('approved');
    });

    it('L2 a member removed from a group a team belongs to loses the vote with the team', async () => {
      await person('tess');
      await w.t.directory.addTeamMember(w.t.principals.admin!, 'ops', 'tess', 'member', w.t.context.now());
      expect((await admin('POST', '/v1/groups/desk/members', { kind: 'team', id: 'ops' })).status).toBe(204);
      const { id } = await w.submit('ci-bot', { action: 'desk.change', params: { n: 2 } });
      expect((await admin('DELETE', '/v1/teams/ops/members/tess')).status).toBe(204);

      // No longer in ops, tess is in no group that could review it: she may not even see it.
      const { reply, records } = await attack(() => vote('tess', id));
      expect(reply.status).toBe(404);
      expect(records).toEqual([
        record('review.refused', 'user:tess', `request:${id}`, { code: 'not-visible' }),
      ]);
      await expectUntouched(id);
      expect((await vote('dave', id)).status).toBe(200);
      expect((await admin('DELETE', '/v1/groups/desk/members/team/ops')).status).toBe(204);
    });

    it('L3 a moderator demoted to user cannot satisfy a moderator stage', async () => {
      await w.t.directory.addTeamMember(w.t.principals.admin!, 'ops', 'otto', 'member', w.t.context.now());
      // gus is in ops, so otto still sees the request after his demotion: the refusal is eligibility.
      const { id } = await w.submit('gus', { action: 'deploy.production', params: { v: randomUUID() } });
      expect((await admin('PATCH', '/v1/users/otto', { role: 'user' })).status).toBe(204);

      const { reply, records } = await attack(() => vote('otto', id));
      expectRefused(reply, 403, 'not-eligible');
      expect(records).toEqual([
        record('review.refused', 'user:otto', `request:${id}`, { code: 'not-eligible' }),
      ]);
      await expectUntouched(id);
    });

    it('L4 a disabled user cannot vote, by token or by an open browser session', async () => {
      const session = await w.t.signIn('una');
      const { id } = await w.submit('ci-bot', { action: 'deploy.production', params: { v: randomUUID() } });
      const disabling = await attack(() => admin('PATCH', '/v1/users/una', { disabled: true }));
      expect(disabling.reply.status).toBe(204);
      // Disabling ends her sessions in the same transaction: the browser's cookie is dead at once.
      expect(disabling.records).toEqual([
        record('user.disabled', 'user:admin', 'user:una', { sessionsEnded: 2 }),
      ]);

      const byToken = await attack(() => vote('una', id));
      expectRefused(byToken.reply, 401, undefined);
      expect(byToken.records).toEqual([
        record('auth.token.refused', 'user:una', expect.stringMatching(/^token:/), {
          reason: 'principal-disabled',
        }),
      ]);
      const bySession = await w.send('POST', `/v1/requests/${id}/reviews`, {
        cookie: session.cookie,
        csrf: session.csrfToken,
        body: { decision: 'approve' },
      });
      expect(bySession.status).toBe(401);
      await expectUntouched(id);
    });

    it('L5 a disabled agent can neither submit nor consume the grant it was given', async () => {
      expect((await w.send('POST', '/v1/agents', { as: 'alice', body: { name: 'ray-bot' } })).status).toBe(
        201,
      );
      const minted = await w.send('POST', '/v1/tokens', { as: 'alice', body: { agentId: 'ray-bot' } });
      tokens['ray-bot'] = minted.body.token;
      const submitted = await w.send('POST', '/v1/requests', {
        ...as('ray-bot'),
        body: { action: 'deploy.production', params: { v: randomUUID() } },
      });
      const id = submitted.body.request.id as string;
      expect((await vote('mod', id)).status).toBe(200);
      const grant = (await w.send('GET', `/v1/requests/${id}`, as('ray-bot'))).body.grantToken as string;
      expect(typeof grant).toBe('string');
      expect((await w.send('POST', '/v1/agents/ray-bot/disable', { as: 'alice' })).status).toBe(204);

      const consumed = await attack(() =>
        w.send('POST', '/v1/grants/consume', { ...as('ray-bot'), body: { grant } }),
      );
      expectRefused(consumed.reply, 401, undefined);
      expect(consumed.records).toEqual([
        record('auth.token.refused', 'agent:ray-bot', `token:${minted.body.id}`, {
          reason: 'principal-disabled',
        }),
      ]);
      const resubmitted = await attack(() =>
        w.send('POST', '/v1/requests', {
          ...as('ray-bot'),
          body: { action: 'deploy.production', params: { v: randomUUID() } },
        }),
      );
      expectRefused(resubmitted.reply, 401, undefined);
      expect(resubmitted.records).toEqual([
        record('auth.token.refused', 'agent:ray-bot', `token:${minted.body.id}`, {
          reason: 'principal-disabled',
        }),
      ]);
      const jti = (await w.request(id)).grant?.jti as string;
      expect((await w.grant(jti)).consumedAt).toBeUndefined();
    });

    it('L6 a revoked token cannot consume a grant, while the agent’s other token still can', async () => {
      const approved = await w.approvedDeploy();
      const minted = await w.send('POST', '/v1/tokens', { as: 'alice', body: { agentId: 'ci-bot' } });
      expect((await w.send('DELETE', `/v1/tokens/${minted.body.id}`, { as: 'alice' })).status).toBe(204);

      const { reply, records } = await attack(() =>
        w.send('POST', '/v1/grants/consume', { token: minted.body.token, body: { grant: approved.grant } }),
      );
      expectRefused(reply, 401, undefined);
      expect(records).toEqual([
        record('auth.token.refused', 'agent:ci-bot', `token:${minted.body.id}`, { reason: 'revoked' }),
      ]);
      expect((await w.grant(approved.jti)).consumedAt).toBeUndefined();
      expect(
        (await w.send('POST', '/v1/grants/consume', { as: 'ci-bot', body: { grant: approved.grant } }))
          .status,
      ).toBe(200);
    });

    it('L7 a policy applied is in force at once: for the next submission, and for votes on requests already pending', async () => {
      const pending = await w.submit('ci-bot', { action: 'board.change', params: { n: 1 } });
      const source = LIVE_POLICY.replace('board: { users: [bea] }', 'board: { users: [erin] }').replace(
        '  - name: deploys',
        '  - name: no-desk\n    match: { action: desk.change }\n    deny: "The desk is closed"\n  - name: deploys',
      );
      const applied = await admin('PUT', '/v1/policy', { source });
      expect(applied.status).toBe(200);

      const denied = await w.submit('ci-bot', { action: 'desk.change', params: { n: 3 } });
      expect(denied.body.request.status).toBe('denied');

      // bea left the board with the new policy: her vote on the request already pending is refused.
      const { reply, records } = await attack(() => vote('bea', pending.id));
      expectRefused(reply, 403, 'not-eligible');
      expect(records).toEqual([
        record('review.refused', 'user:bea', `request:${pending.id}`, { code: 'not-eligible' }),
      ]);
      await expectUntouched(pending.id);
      expect((await vote('erin', pending.id)).status).toBe(200);
      expect((await admin('PUT', '/v1/policy', { source: LIVE_POLICY })).status).toBe(200);
    });
  });
}
