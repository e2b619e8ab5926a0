import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, getAgent, listAgents, setAgentDisabled } from './agents-dal.js';
import {
  findApiTokenByPrefix,
  insertApiToken,
  listApiTokens,
  type NewApiToken,
  revokeApiToken,
  touchApiToken,
} from './api-tokens-dal.js';
import { toStorageError } from './driver-errors.js';
import { ConflictError, type IntegrityError } from './storage-errors.js';
import { aUser } from './storage-fixtures.test-support.js';
import { ENGINES, openTestStorage, type TestStorage } from './storage-test-engines.test-support.js';
import { createTeam } from './teams-dal.js';
import { createUser } from './users-dal.js';

const token = (overrides: Partial<NewApiToken>): NewApiToken => ({
  id: 'tok-1',
  prefix: 'gh_ab12',
  secretHash: 'sha256:secret',
  principal: { kind: 'agent', id: 'ci-bot' },
  scopes: ['requests:create', 'grants:consume'],
  createdAt: 1_000,
  ...overrides,
});

for (const engine of ENGINES) {
  describe(`agents and API tokens (${engine})`, () => {
    let storage: TestStorage;

    beforeAll(async () => {
      storage = await openTestStorage(engine);
      await createUser(aUser({ id: 'alice', username: 'alice' }), storage.db);
      await createTeam({ id: 't-infra', name: 'infra' }, storage.db);
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('keeps agents owned by a user or a team', async () => {
      const ci = await createAgent(
        { id: 'ci-bot', name: 'ci-bot', owner: { kind: 'team', id: 't-infra' }, createdAt: 5 },
        storage.db,
      );
      expect(ci).toEqual({
        id: 'ci-bot',
        name: 'ci-bot',
        owner: { kind: 'team', id: 't-infra' },
        disabled: false,
        createdAt: 5,
      });
      await createAgent(
        { id: 'helper', name: 'helper', owner: { kind: 'user', id: 'alice' }, createdAt: 6 },
        storage.db,
      );
      expect((await getAgent('helper', storage.db))?.owner).toEqual({ kind: 'user', id: 'alice' });
      expect((await listAgents(storage.db)).map((agent) => agent.id)).toEqual(['ci-bot', 'helper']);
      expect(await setAgentDisabled('helper', true, storage.db)).toBe(true);
      expect((await getAgent('helper', storage.db))?.disabled).toBe(true);
    });

    it('refuses an agent with no owner, two owners, or an unknown owner', async () => {
      const none = await storage.db
        .insertInto('agents')
        .values({ id: 'x', name: 'x', owner_user_id: null, owner_team_id: null, disabled: 0, created_at: 1 })
        .execute()
        .catch((e: unknown) => e);
      expect((toStorageError('create an agent', none) as IntegrityError).rule).toBe('agents_one_owner');
      const both = await storage.db
        .insertInto('agents')
        .values({
          id: 'y',
          name: 'y',
          owner_user_id: 'alice',
          owner_team_id: 't-infra',
          disabled: 0,
          created_at: 1,
        })
        .execute()
        .catch((e: unknown) => e);
      expect((toStorageError('create an agent', both) as IntegrityError).rule).toBe('agents_one_owner');
      const unknown = await createAgent(
        { id: 'z', name: 'z', owner: { kind: 'user', id: 'nobody' }, createdAt: 1 },
        storage.db,
      ).catch((e: unknown) => e);
      expect((unknown as IntegrityError).rule).toBe('foreign_key');
      expect((await listAgents(storage.db)).map((agent) => agent.id)).not.toContain('x');
    });

    it('finds a token by its public prefix, with its scopes', async () => {
      await insertApiToken(token({ expiresAt: 99_000 }), storage.db);
      const found = await findApiTokenByPrefix('gh_ab12', storage.db);
      expect(found).toEqual({
        id: 'tok-1',
        prefix: 'gh_ab12',
        secretHash: 'sha256:secret',
        principal: { kind: 'agent', id: 'ci-bot' },
        scopes: ['requests:create', 'grants:consume'],
        createdAt: 1_000,
        expiresAt: 99_000,
        revokedAt: undefined,
        lastUsedAt: undefined,
      });
      expect(await findApiTokenByPrefix('gh_zz99', storage.db)).toBeUndefined();
      const dup = await insertApiToken(token({ id: 'tok-2' }), storage.db).catch((e: unknown) => e);
      expect(dup).toBeInstanceOf(ConflictError);
      expect((dup as ConflictError).constraint).toBe('api_tokens_prefix_unique');
    });

    it('records use and revokes once', async () => {
      await touchApiToken('tok-1', 2_000, storage.db);
      expect((await findApiTokenByPrefix('gh_ab12', storage.db))?.lastUsedAt).toBe(2_000);
      expect(await revokeApiToken('tok-1', 3_000, storage.db)).toBe(true);
      expect(await revokeApiToken('tok-1', 4_000, storage.db)).toBe(false);
      expect((await findApiTokenByPrefix('gh_ab12', storage.db))?.revokedAt).toBe(3_000);
      await insertApiToken(token({ id: 'tok-3', prefix: 'gh_cd34', createdAt: 5_000 }), storage.db);
      const listed = await listApiTokens({ kind: 'agent', id: 'ci-bot' }, storage.db);
      expect(listed.map((t) => t.id)).toEqual(['tok-3', 'tok-1']);
      expect(await listApiTokens({ kind: 'user', id: 'ci-bot' }, storage.db)).toEqual([]);
    });
  });
}
