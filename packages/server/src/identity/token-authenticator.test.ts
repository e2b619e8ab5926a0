import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnauthenticatedError } from '../domain-errors.js';
import { createAgent, setAgentDisabled } from '../storage/agents-dal.js';
import { findApiTokenByPrefix, insertApiToken, revokeApiToken } from '../storage/api-tokens-dal.js';
import { ENGINES, openTestStorage, type TestStorage } from '../storage/storage-test-engines.test-support.js';
import { setUserDisabled } from '../storage/users-dal.js';
import { generateApiToken } from './api-token.js';
import {
  auditEvents,
  lastAudit,
  rejectionOf,
  seedAdmin,
  seedTeam,
  seedUser,
} from './identity-fixtures.test-support.js';
import { authenticateToken, TOKEN_TOUCH_INTERVAL_MS } from './token-authenticator.js';

const NOW = 1_700_000_000_000;

for (const engine of ENGINES) {
  describe(`authenticateToken (${engine})`, () => {
    let storage: TestStorage;

    /** Stores a token for a principal and returns its text. */
    async function issue(
      principal: { kind: 'user' | 'agent'; id: string },
      scopes: string[],
      expiresAt?: number,
    ): Promise<{ text: string; prefix: string }> {
      const token = generateApiToken();
      await insertApiToken(
        {
          id: token.prefix,
          prefix: token.prefix,
          secretHash: token.secretHash,
          principal,
          scopes,
          createdAt: NOW - 1_000,
          ...(expiresAt === undefined ? {} : { expiresAt }),
        },
        storage.db,
      );
      return { text: token.text, prefix: token.prefix };
    }

    async function refusal(text: string, now = NOW): Promise<UnauthenticatedError> {
      const error = await rejectionOf(authenticateToken(text, now, storage.db));
      expect(error).toBeInstanceOf(UnauthenticatedError);
      return error as UnauthenticatedError;
    }

    beforeAll(async () => {
      storage = await openTestStorage(engine);
      await seedAdmin(storage.db, 'root');
      await seedUser(storage.db, 'alice');
      await seedUser(storage.db, 'bob');
      await seedTeam(storage.db, 'infra', { alice: 'maintainer' });
      await createAgent(
        { id: 'ci-bot', name: 'ci-bot', owner: { kind: 'user', id: 'alice' }, createdAt: 1 },
        storage.db,
      );
      await createAgent(
        { id: 'deployer', name: 'deployer', owner: { kind: 'team', id: 'infra' }, createdAt: 1 },
        storage.db,
      );
      await createAgent(
        { id: 'bobs-bot', name: 'bobs-bot', owner: { kind: 'user', id: 'bob' }, createdAt: 1 },
        storage.db,
      );
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('authenticates a user token with the user’s role and teams', async () => {
      const { text, prefix } = await issue({ kind: 'user', id: 'alice' }, [
        'requests:read',
        'requests:review',
      ]);
      expect(await authenticateToken(text, NOW, storage.db)).toEqual({
        kind: 'user',
        id: 'alice',
        role: 'user',
        teams: ['infra'],
        scopes: ['requests:read', 'requests:review'],
        via: 'token',
        tokenId: prefix,
      });
    });

    it('gives the admin’s token its admin scope, and drops it once the user is no longer admin', async () => {
      const { text } = await issue({ kind: 'user', id: 'root' }, ['admin', 'requests:read']);
      expect(await authenticateToken(text, NOW, storage.db)).toMatchObject({
        role: 'admin',
        scopes: ['admin', 'requests:read'],
      });
      const { text: aliceText } = await issue({ kind: 'user', id: 'alice' }, ['admin', 'requests:read']);
      expect((await authenticateToken(aliceText, NOW, storage.db)).scopes).toEqual(['requests:read']);
    });

    it('authenticates agents with their owner, or their owning team', async () => {
      const bot = await issue({ kind: 'agent', id: 'ci-bot' }, ['requests:create']);
      expect(await authenticateToken(bot.text, NOW, storage.db)).toEqual({
        kind: 'agent',
        id: 'ci-bot',
        teams: [],
        owner: 'alice',
        scopes: ['requests:create'],
        via: 'token',
        tokenId: bot.prefix,
      });
      const deployer = await issue({ kind: 'agent', id: 'deployer' }, ['requests:create']);
      expect(await authenticateToken(deployer.text, NOW, storage.db)).toMatchObject({
        kind: 'agent',
        teams: ['infra'],
        ownerTeam: 'infra',
      });
    });

    it('never lets an agent token carry review, policy-write or admin, even if the row says so', async () => {
      const { text } = await issue({ kind: 'agent', id: 'ci-bot' }, [
        'requests:create',
        'requests:review',
        'admin',
      ]);
      expect((await authenticateToken(text, NOW, storage.db)).scopes).toEqual(['requests:create']);
    });

    it('records the last use at most once a minute', async () => {
      const { text, prefix } = await issue({ kind: 'user', id: 'bob' }, ['requests:read']);
      await authenticateToken(text, NOW, storage.db);
      expect((await findApiTokenByPrefix(prefix, storage.db))?.lastUsedAt).toBe(NOW);
      await authenticateToken(text, NOW + TOKEN_TOUCH_INTERVAL_MS - 1, storage.db);
      expect((await findApiTokenByPrefix(prefix, storage.db))?.lastUsedAt).toBe(NOW);
      await authenticateToken(text, NOW + TOKEN_TOUCH_INTERVAL_MS, storage.db);
      expect((await findApiTokenByPrefix(prefix, storage.db))?.lastUsedAt).toBe(
        NOW + TOKEN_TOUCH_INTERVAL_MS,
      );
    });

    it('refuses a malformed token, audited as anonymous without the text', async () => {
      const error = await refusal('Bearer something');
      expect(error.data.reason).toBe('malformed');
      const audit = await lastAudit(storage.db, 'auth.token.refused');
      expect(audit).toMatchObject({ actor: 'anonymous', data: { reason: 'malformed' } });
      expect(JSON.stringify(audit)).not.toContain('something');
    });

    it('refuses an unknown prefix, audited as anonymous with the prefix', async () => {
      const token = generateApiToken();
      expect((await refusal(token.text)).data.reason).toBe('unknown');
      expect(await lastAudit(storage.db, 'auth.token.refused')).toMatchObject({
        actor: 'anonymous',
        subject: `token:${token.prefix}`,
        data: { reason: 'unknown', prefix: token.prefix },
      });
    });

    it('a token with a wrong secret is refused', async () => {
      const { text, prefix } = await issue({ kind: 'user', id: 'alice' }, ['requests:read']);
      const forged = `gh_${prefix}_${'A'.repeat(43)}`;
      expect((await refusal(forged)).data.reason).toBe('bad-secret');
      const audit = await lastAudit(storage.db, 'auth.token.refused');
      expect(audit).toMatchObject({ actor: 'user:alice', data: { reason: 'bad-secret', prefix } });
      expect(JSON.stringify(audit)).not.toContain(text.slice(16));
      expect(JSON.stringify(audit)).not.toContain('A'.repeat(43));
    });

    it('a revoked token is refused', async () => {
      const { text, prefix } = await issue({ kind: 'agent', id: 'ci-bot' }, ['requests:create']);
      await authenticateToken(text, NOW, storage.db);
      await revokeApiToken(prefix, NOW + 1, storage.db);
      expect((await refusal(text, NOW + 2)).data.reason).toBe('revoked');
      expect(await lastAudit(storage.db, 'auth.token.refused')).toMatchObject({
        actor: 'agent:ci-bot',
        subject: `token:${prefix}`,
        data: { reason: 'revoked', prefix },
      });
    });

    it('an expired token is refused', async () => {
      const { text, prefix } = await issue({ kind: 'user', id: 'bob' }, ['requests:read'], NOW + 10);
      await authenticateToken(text, NOW + 9, storage.db);
      expect((await refusal(text, NOW + 10)).data.reason).toBe('expired');
      expect(await lastAudit(storage.db, 'auth.token.refused')).toMatchObject({
        actor: 'user:bob',
        data: { reason: 'expired', prefix },
      });
    });

    it('a token of a disabled agent is refused', async () => {
      const { text, prefix } = await issue({ kind: 'agent', id: 'bobs-bot' }, ['requests:create']);
      await authenticateToken(text, NOW, storage.db);
      await setAgentDisabled('bobs-bot', true, storage.db);
      expect((await refusal(text)).data.reason).toBe('principal-disabled');
      expect(await lastAudit(storage.db, 'auth.token.refused')).toMatchObject({
        actor: 'agent:bobs-bot',
        data: { reason: 'principal-disabled', prefix },
      });
      await setAgentDisabled('bobs-bot', false, storage.db);
      await authenticateToken(text, NOW, storage.db);
    });

    it('refuses the tokens of a disabled user, and of the agents that user owns', async () => {
      await seedUser(storage.db, 'carol');
      await createAgent(
        { id: 'carols-bot', name: 'carols-bot', owner: { kind: 'user', id: 'carol' }, createdAt: 1 },
        storage.db,
      );
      const own = await issue({ kind: 'user', id: 'carol' }, ['requests:read']);
      const bots = await issue({ kind: 'agent', id: 'carols-bot' }, ['requests:create']);
      await setUserDisabled('carol', true, storage.db);
      expect((await refusal(own.text)).data.reason).toBe('principal-disabled');
      expect((await refusal(bots.text)).data.reason).toBe('principal-disabled');
      const refused = await auditEvents(storage.db, 'auth.token.refused');
      expect(refused.slice(-2).map((event) => event.actor)).toEqual(['user:carol', 'agent:carols-bot']);
    });
  });
}
