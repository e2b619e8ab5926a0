import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ForbiddenError,
  NotFoundError,
  type UnauthenticatedError,
  ValidationError,
} from '../domain-errors.js';
import { getAgent } from '../storage/agents-dal.js';
import { ENGINES, openTestStorage, type TestStorage } from '../storage/storage-test-engines.test-support.js';
import { setTeamMember } from '../storage/teams-dal.js';
import { hashTokenSecret, parseApiToken } from './api-token.js';
import { createDirectoryService, type DirectoryService } from './directory-service.js';
import {
  auditEvents,
  lastAudit,
  rejectionOf,
  seedAdmin,
  seedTeam,
  seedUser,
  sessionOf,
  TEST_PASSWORDS,
} from './identity-fixtures.test-support.js';
import { authenticateToken } from './token-authenticator.js';
import { AGENT_DEFAULT_SCOPES, USER_DEFAULT_SCOPES } from './token-scopes.js';

const NOW = 1_700_000_000_000;

for (const engine of ENGINES) {
  describe(`agents and tokens in the directory (${engine})`, () => {
    let storage: TestStorage;
    let directory: DirectoryService;
    const root = sessionOf('root', 'admin');
    const mod = sessionOf('mod', 'moderator');
    const alice = sessionOf('alice', 'user', ['infra']);
    const bob = sessionOf('bob', 'user', ['infra']);
    const carol = sessionOf('carol');

    async function expectDenied(promise: Promise<unknown>, reason: string, actor: string, subject: string) {
      const error = await rejectionOf(promise);
      expect(error).toBeInstanceOf(ForbiddenError);
      expect((error as ForbiddenError).data.reason).toBe(reason);
      expect(await lastAudit(storage.db, 'permission.denied')).toMatchObject({
        actor,
        subject,
        data: { reason },
      });
    }

    beforeAll(async () => {
      storage = await openTestStorage(engine);
      directory = createDirectoryService({ db: storage.db, passwords: TEST_PASSWORDS });
      await seedAdmin(storage.db, 'root');
      await seedUser(storage.db, 'mod', { role: 'moderator' });
      for (const id of ['alice', 'bob', 'carol']) await seedUser(storage.db, id);
      await seedTeam(storage.db, 'infra', { alice: 'maintainer', bob: 'member' });
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('lets a user create an agent they own, and a maintainer one their team owns, audited', async () => {
      const own = await directory.createAgent(carol, { name: 'carols-bot' }, NOW);
      expect(own).toMatchObject({ id: 'carols-bot', owner: { kind: 'user', id: 'carol' }, disabled: false });
      expect(await lastAudit(storage.db, 'agent.created')).toMatchObject({
        actor: 'user:carol',
        subject: 'agent:carols-bot',
        data: { owner: 'user:carol' },
      });
      await directory.createAgent(alice, { name: 'deployer', owner: { kind: 'team', id: 'infra' } }, NOW);
      await directory.createAgent(root, { name: 'bobs-bot', owner: { kind: 'user', id: 'bob' } }, NOW);
      expect((await getAgent('bobs-bot', storage.db))?.owner).toEqual({ kind: 'user', id: 'bob' });
    });

    it('refuses agents owned by someone else, or by a team one does not maintain', async () => {
      await expectDenied(
        directory.createAgent(carol, { name: 'sneaky', owner: { kind: 'user', id: 'alice' } }, NOW),
        'not-agent-owner',
        'user:carol',
        'agent:sneaky',
      );
      await expectDenied(
        directory.createAgent(bob, { name: 'sneaky', owner: { kind: 'team', id: 'infra' } }, NOW),
        'not-team-maintainer',
        'user:bob',
        'agent:sneaky',
      );
      await expectDenied(
        directory.createAgent(mod, { name: 'sneaky', owner: { kind: 'team', id: 'infra' } }, NOW),
        'not-team-maintainer',
        'user:mod',
        'agent:sneaky',
      );
      expect(await getAgent('sneaky', storage.db)).toBeUndefined();
    });

    it('lists all agents for the admin and moderators, and one’s own and one’s teams’ for users', async () => {
      expect((await directory.listAgents(mod, NOW)).map((a) => a.id)).toEqual([
        'bobs-bot',
        'carols-bot',
        'deployer',
      ]);
      expect((await directory.listAgents(bob, NOW)).map((a) => a.id)).toEqual(['bobs-bot', 'deployer']);
      expect((await directory.listAgents(carol, NOW)).map((a) => a.id)).toEqual(['carols-bot']);
    });

    it('issues an agent token once, storing only its hash, and it authenticates the agent', async () => {
      const issued = await directory.createToken(carol, { agentId: 'carols-bot' }, NOW);
      expect(issued.metadata).toMatchObject({
        principal: { kind: 'agent', id: 'carols-bot' },
        scopes: AGENT_DEFAULT_SCOPES,
        createdAt: NOW,
      });
      expect(issued.metadata).not.toHaveProperty('secretHash');
      const secret = parseApiToken(issued.token)?.secret ?? '';
      const row = await storage.db
        .selectFrom('api_tokens')
        .selectAll()
        .where('id', '=', issued.metadata.id)
        .executeTakeFirst();
      expect(row?.secret_hash).toBe(hashTokenSecret(secret));
      expect(JSON.stringify(row)).not.toContain(secret);
      const audit = await lastAudit(storage.db, 'token.created');
      expect(audit).toMatchObject({
        actor: 'user:carol',
        subject: `token:${issued.metadata.prefix}`,
        data: { prefix: issued.metadata.prefix, scopes: AGENT_DEFAULT_SCOPES, principal: 'agent:carols-bot' },
      });
      expect(JSON.stringify(audit)).not.toContain(secret);
      expect(await authenticateToken(issued.token, NOW, storage.db)).toMatchObject({
        kind: 'agent',
        id: 'carols-bot',
        owner: 'carol',
      });
    });

    it('an agent token cannot carry requests:review', async () => {
      await expectDenied(
        directory.createToken(
          carol,
          { agentId: 'carols-bot', scopes: ['requests:create', 'requests:review'] },
          NOW,
        ),
        'agent-forbidden-scope',
        'user:carol',
        'agent:carols-bot',
      );
      // Not even the admin can mint one, nor one with policy:write or admin.
      for (const scope of ['requests:review', 'policy:write', 'admin']) {
        await expectDenied(
          directory.createToken(root, { agentId: 'carols-bot', scopes: [scope] }, NOW),
          'agent-forbidden-scope',
          'user:root',
          'agent:carols-bot',
        );
      }
      const tokens = await directory.listTokens(carol, { kind: 'agent', id: 'carols-bot' }, NOW);
      expect(tokens.every((token) => !token.scopes.includes('requests:review'))).toBe(true);
    });

    it('lets only the owner, a maintainer of the owning team, or the admin issue an agent’s tokens', async () => {
      await directory.createToken(alice, { agentId: 'deployer' }, NOW); // maintainer of infra
      await directory.createToken(root, { agentId: 'carols-bot' }, NOW);
      await expectDenied(
        directory.createToken(bob, { agentId: 'deployer' }, NOW),
        'not-agent-owner',
        'user:bob',
        'agent:deployer',
      );
      await expectDenied(
        directory.createToken(mod, { agentId: 'carols-bot' }, NOW),
        'not-agent-owner',
        'user:mod',
        'agent:carols-bot',
      );
      expect(await rejectionOf(directory.createToken(root, { agentId: 'nobody' }, NOW))).toBeInstanceOf(
        NotFoundError,
      );
    });

    it('issues users their own tokens within their role, and never stronger than the issuing token', async () => {
      const own = await directory.createToken(bob, {}, NOW);
      expect(own.metadata.scopes).toEqual(USER_DEFAULT_SCOPES);
      const viaToken = await authenticateToken(own.token, NOW, storage.db);
      await expectDenied(
        directory.createToken(viaToken, { scopes: ['policy:write'] }, NOW),
        'scope-escalation',
        'user:bob',
        'user:bob',
      );
      await expectDenied(
        directory.createToken(bob, { scopes: ['admin'] }, NOW),
        'scope-not-held',
        'user:bob',
        'user:bob',
      );
      const adminToken = await directory.createToken(root, { scopes: ['admin'] }, NOW);
      expect(adminToken.metadata.scopes).toEqual(['admin']);
      expect(await rejectionOf(directory.createToken(bob, { scopes: ['nonsense'] }, NOW))).toBeInstanceOf(
        ValidationError,
      );
      expect(await rejectionOf(directory.createToken(bob, { expiresAt: NOW }, NOW))).toBeInstanceOf(
        ValidationError,
      );
      const agentAsIssuer = await authenticateToken(
        (await directory.createToken(carol, { agentId: 'carols-bot' }, NOW)).token,
        NOW,
        storage.db,
      );
      await expectDenied(
        directory.createToken(agentAsIssuer, {}, NOW),
        'agent-not-allowed',
        'agent:carols-bot',
        'agent:carols-bot',
      );
    });

    it('lists token metadata (never hashes) to whoever may manage them', async () => {
      const tokens = await directory.listTokens(bob, undefined, NOW);
      expect(tokens.length).toBeGreaterThan(0);
      expect(JSON.stringify(tokens)).not.toMatch(/secretHash|[0-9a-f]{64}/);
      await expectDenied(
        directory.listTokens(carol, { kind: 'user', id: 'bob' }, NOW),
        'not-token-owner',
        'user:carol',
        'user:bob',
      );
      expect((await directory.listTokens(root, { kind: 'user', id: 'bob' }, NOW)).length).toBe(tokens.length);
    });

    it('revokes: the owner or the admin, audited, and the token stops working', async () => {
      const issued = await directory.createToken(bob, { agentId: 'bobs-bot' }, NOW);
      await expectDenied(
        directory.revokeToken(carol, issued.metadata.id, NOW),
        'not-agent-owner',
        'user:carol',
        `token:${issued.metadata.id}`,
      );
      await directory.revokeToken(bob, issued.metadata.id, NOW + 1);
      expect(await lastAudit(storage.db, 'token.revoked')).toMatchObject({
        actor: 'user:bob',
        subject: `token:${issued.metadata.prefix}`,
        data: { prefix: issued.metadata.prefix, principal: 'agent:bobs-bot' },
      });
      const error = await rejectionOf(authenticateToken(issued.token, NOW + 2, storage.db));
      expect((error as UnauthenticatedError).data.reason).toBe('revoked');
      // Revoking twice changes nothing and records nothing more.
      const before = (await auditEvents(storage.db, 'token.revoked')).length;
      await directory.revokeToken(root, issued.metadata.id, NOW + 3);
      expect(await auditEvents(storage.db, 'token.revoked')).toHaveLength(before);
      expect(await rejectionOf(directory.revokeToken(root, 'abcdefghijkl', NOW))).toBeInstanceOf(
        NotFoundError,
      );
    });

    it('disables an agent (owner, maintainer, admin): its tokens are refused at once', async () => {
      const issued = await directory.createToken(alice, { agentId: 'deployer' }, NOW);
      await authenticateToken(issued.token, NOW, storage.db);
      await expectDenied(
        directory.disableAgent(bob, 'deployer', NOW),
        'not-agent-owner',
        'user:bob',
        'agent:deployer',
      );
      await directory.disableAgent(alice, 'deployer', NOW);
      expect(await lastAudit(storage.db, 'agent.disabled')).toMatchObject({
        actor: 'user:alice',
        subject: 'agent:deployer',
      });
      const error = await rejectionOf(authenticateToken(issued.token, NOW, storage.db));
      expect((error as UnauthenticatedError).data.reason).toBe('principal-disabled');
      expect(await rejectionOf(directory.createToken(alice, { agentId: 'deployer' }, NOW))).toBeInstanceOf(
        ValidationError,
      );
      // A new maintainer of the team may manage it too.
      await setTeamMember('infra', 'bob', 'maintainer', storage.db);
      await directory.enableAgent(bob, 'deployer', NOW);
      expect(await lastAudit(storage.db, 'agent.enabled')).toMatchObject({ actor: 'user:bob' });
      await authenticateToken(issued.token, NOW, storage.db);
    });
  });
}
