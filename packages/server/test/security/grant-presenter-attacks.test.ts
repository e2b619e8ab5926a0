import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../src/storage/storage-test-engines.test-support.js';
import { SECURITY_POLICY } from './security-policy.test-support.js';
import { createSecurityWorld, type Reply, type SecurityWorld } from './security-world.test-support.js';

// Grants bound to who may use them (issue 8, item 6; docs/adr/0007): a grant is consumed only by
// the principal that asked for it, or by an executor the active policy names for the action.
// Every attempt is audited with the presenter's identity, whether it consumed the grant or not.

/** The security suite's policy, with one executor for deploys. */
const EXECUTOR_POLICY = SECURITY_POLICY.replace(
  'groups:\n',
  'executors:\n  "deploy.*": [agent:deployer]\ngroups:\n',
);

function record(type: string, actor: string, subject: string, data: Record<string, unknown>) {
  return expect.objectContaining({ type, actor, subject, data: expect.objectContaining(data) });
}

function expectRefused(reply: Reply, status: number, reason: string | undefined): void {
  expect({ status: reply.status, reason: reply.body?.reason }).toEqual({ status, reason });
}

for (const engine of ENGINES) {
  describe(`grants bound to their presenter (${engine})`, () => {
    let w: SecurityWorld;
    const tokens: Record<string, string> = {};

    const consume = (presenter: string, body: Record<string, unknown>) =>
      w.send('POST', '/v1/grants/consume', { token: tokens[presenter] ?? w.tokens[presenter], body });
    const attack = async (run: () => Promise<Reply>) => {
      const mark = await w.auditHead();
      const reply = await run();
      return { reply, records: await w.auditSince(mark) };
    };
    const agent = async (owner: string, name: string) => {
      expect((await w.send('POST', '/v1/agents', { as: owner, body: { name } })).status).toBe(201);
      const minted = await w.send('POST', '/v1/tokens', { as: owner, body: { agentId: name } });
      tokens[name] = minted.body.token;
    };

    beforeAll(async () => {
      w = await createSecurityWorld(engine, EXECUTOR_POLICY);
      await agent('alice', 'deployer');
      await agent('bob', 'thief');
    });
    afterAll(async () => {
      await w?.dispose();
    });

    it('P1 a grant presented by another agent is refused (403 not-grant-holder), audited with the presenter, and stays usable', async () => {
      const approved = await w.approvedDeploy();
      for (const presenter of ['thief', 'mod-bot']) {
        const { reply, records } = await attack(() => consume(presenter, { grant: approved.grant }));
        expectRefused(reply, 403, 'not-grant-holder');
        expect(records).toEqual([
          record('grant.refused', `agent:${presenter}`, `request:${approved.id}`, {
            operation: 'consume',
            presenter: `agent:${presenter}`,
            code: 'not-grant-holder',
          }),
        ]);
      }
      expect((await w.grant(approved.jti)).consumedAt).toBeUndefined();
      const own = await attack(() => consume('ci-bot', { grant: approved.grant }));
      expect(own.reply.status).toBe(200);
      expect(own.records).toEqual([
        record('grant.consumed', 'agent:ci-bot', `request:${approved.id}`, {
          presenter: 'agent:ci-bot',
          as: 'requester',
        }),
      ]);
    });

    it('P2 the user who owns the requesting agent cannot consume its grant either', async () => {
      const approved = await w.approvedDeploy();
      const { reply, records } = await attack(() => consume('alice', { grant: approved.grant }));
      expectRefused(reply, 403, 'not-grant-holder');
      expect(records).toEqual([
        record('grant.refused', 'user:alice', `request:${approved.id}`, {
          presenter: 'user:alice',
          code: 'not-grant-holder',
        }),
      ]);
      expect((await w.grant(approved.jti)).consumedAt).toBeUndefined();
    });

    it('P3 the executor the policy names for the action consumes the grant, once, audited as the executor', async () => {
      const approved = await w.approvedDeploy();
      const { reply, records } = await attack(() =>
        consume('deployer', { grant: approved.grant, action: 'deploy.production', params: approved.params }),
      );
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ requestId: approved.id, action: 'deploy.production' });
      expect(records).toEqual([
        record('grant.consumed', 'agent:deployer', `request:${approved.id}`, {
          presenter: 'agent:deployer',
          as: 'executor',
        }),
      ]);
      expect((await w.grant(approved.jti)).consumedAt).toBeDefined();
      const again = await attack(() => consume('ci-bot', { grant: approved.grant }));
      expectRefused(again.reply, 409, 'grant-consumed');
      expect(again.records).toEqual([
        record('grant.refused', 'agent:ci-bot', `request:${approved.id}`, {
          presenter: 'agent:ci-bot',
          code: 'grant-consumed',
        }),
      ]);
    });

    it('P4 an executor named for other actions cannot consume this one', async () => {
      const { id } = await w.submit('ci-bot', {
        action: 'service.restart',
        params: { service: 'api' },
        context: { environment: 'prod' },
      });
      expect((await w.review('mod', id, 'approve')).status).toBe(200);
      const grant = (await w.send('GET', `/v1/requests/${id}`, { as: 'ci-bot' })).body.grantToken as string;
      const { reply, records } = await attack(() => consume('deployer', { grant }));
      expectRefused(reply, 403, 'not-grant-holder');
      expect(records).toEqual([
        record('grant.refused', 'agent:deployer', `request:${id}`, { code: 'not-grant-holder' }),
      ]);
    });

    it('P5 an executor the policy stops naming cannot consume from that moment', async () => {
      const approved = await w.approvedDeploy();
      expect(
        (await w.send('PUT', '/v1/policy', { as: 'admin', body: { source: SECURITY_POLICY } })).status,
      ).toBe(200);
      const { reply, records } = await attack(() => consume('deployer', { grant: approved.grant }));
      expectRefused(reply, 403, 'not-grant-holder');
      expect(records).toEqual([
        record('grant.refused', 'agent:deployer', `request:${approved.id}`, { code: 'not-grant-holder' }),
      ]);
      expect(
        (await w.send('PUT', '/v1/policy', { as: 'admin', body: { source: EXECUTOR_POLICY } })).status,
      ).toBe(200);
    });

    it('P6 a token that is not a grant is refused before anything else, audited with the presenter', async () => {
      const { reply, records } = await attack(() =>
        consume('thief', { grant: `not-a-grant-${randomUUID()}` }),
      );
      expectRefused(reply, 403, 'grant-malformed');
      expect(records).toEqual([
        record('grant.refused', 'agent:thief', 'grant:unverified', {
          operation: 'verify',
          presenter: 'agent:thief',
          code: 'malformed',
        }),
      ]);
    });
  });
}
