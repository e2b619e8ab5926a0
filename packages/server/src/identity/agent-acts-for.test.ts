import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError, ValidationError } from '../domain-errors.js';
import { listActsFor } from '../storage/agent-acts-for-dal.js';
import { ENGINES, openTestStorage, type TestStorage } from '../storage/storage-test-engines.test-support.js';
import { createDirectoryService, type DirectoryService } from './directory-service.js';
import {
  lastAudit,
  rejectionOf,
  seedAdmin,
  seedTeam,
  seedUser,
  sessionOf,
  TEST_PASSWORDS,
} from './identity-fixtures.test-support.js';

const NOW = 1_700_000_000_000;

// Who may let an agent act for whom. alice maintains infra (bob is a member); infra-bot is the
// team's agent, carol-bot carol's; mod is a moderator, root the admin, dora is disabled.
for (const engine of ENGINES) {
  describe(`an agent's actsFor in the directory (${engine})`, () => {
    let storage: TestStorage;
    let directory: DirectoryService;
    const root = sessionOf('root', 'admin');
    const mod = sessionOf('mod', 'moderator');
    const alice = sessionOf('alice', 'user', ['infra']);
    const bob = sessionOf('bob', 'user', ['infra']);
    const carol = sessionOf('carol');

    async function expectDenied(promise: Promise<unknown>, reason: string, actor: string) {
      const error = await rejectionOf(promise);
      expect(error).toBeInstanceOf(ForbiddenError);
      expect((error as ForbiddenError).data.reason).toBe(reason);
      expect(await lastAudit(storage.db, 'permission.denied')).toMatchObject({ actor, data: { reason } });
    }

    beforeAll(async () => {
      storage = await openTestStorage(engine);
      directory = createDirectoryService({ db: storage.db, passwords: TEST_PASSWORDS });
      await seedAdmin(storage.db, 'root');
      await seedUser(storage.db, 'mod', { role: 'moderator' });
      for (const id of ['alice', 'bob', 'carol']) await seedUser(storage.db, id);
      await seedUser(storage.db, 'dora', { disabled: true });
      await seedTeam(storage.db, 'infra', { alice: 'maintainer', bob: 'member' });
      await directory.createAgent(alice, { name: 'infra-bot', owner: { kind: 'team', id: 'infra' } }, NOW);
      await directory.createAgent(carol, { name: 'carol-bot', actsFor: ['carol'] }, NOW);
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('lets an owner list themselves at creation, audited', async () => {
      expect(await listActsFor('carol-bot', storage.db)).toEqual(['carol']);
      expect(await lastAudit(storage.db, 'agent.actsFor.added')).toMatchObject({
        actor: 'user:carol',
        subject: 'agent:carol-bot',
        data: { user: 'carol' },
      });
    });

    it('lets a maintainer of the owning team add only themselves, not a team member', async () => {
      await directory.addActsFor(alice, 'infra-bot', 'alice', NOW);
      await expectDenied(
        directory.addActsFor(alice, 'infra-bot', 'bob', NOW),
        'acts-for-needs-admin',
        'user:alice',
      );
      expect(await listActsFor('infra-bot', storage.db)).toEqual(['alice']);
    });

    it('refuses members and moderators who do not manage the agent, even for themselves', async () => {
      await expectDenied(directory.addActsFor(bob, 'infra-bot', 'bob', NOW), 'not-agent-owner', 'user:bob');
      await expectDenied(directory.addActsFor(mod, 'carol-bot', 'mod', NOW), 'not-agent-owner', 'user:mod');
    });

    it('lets the admin add any active user, never a disabled or unknown one', async () => {
      await directory.addActsFor(root, 'infra-bot', 'bob', NOW);
      expect(await listActsFor('infra-bot', storage.db)).toEqual(['alice', 'bob']);
      expect(await rejectionOf(directory.addActsFor(root, 'infra-bot', 'dora', NOW))).toBeInstanceOf(
        ValidationError,
      );
      expect(await rejectionOf(directory.addActsFor(root, 'infra-bot', 'nobody', NOW))).toBeInstanceOf(
        NotFoundError,
      );
      expect(await rejectionOf(directory.addActsFor(root, 'no-bot', 'bob', NOW))).toBeInstanceOf(
        NotFoundError,
      );
    });

    it('refuses a user creating an agent that acts for someone else, and creates nothing', async () => {
      await expectDenied(
        directory.createAgent(carol, { name: 'lend-bot', actsFor: ['carol', 'root'] }, NOW),
        'acts-for-needs-admin',
        'user:carol',
      );
      expect((await directory.listAgents(root, NOW)).map((agent) => agent.id)).not.toContain('lend-bot');
    });

    it('lets a user withdraw from an agent they do not manage; others may not remove them', async () => {
      await expectDenied(
        directory.removeActsFor(carol, 'infra-bot', 'bob', NOW),
        'not-agent-owner',
        'user:carol',
      );
      await directory.removeActsFor(bob, 'infra-bot', 'bob', NOW);
      expect(await lastAudit(storage.db, 'agent.actsFor.removed')).toMatchObject({
        actor: 'user:bob',
        subject: 'agent:infra-bot',
        data: { user: 'bob' },
      });
      expect(
        (await directory.listAgents(alice, NOW)).find((agent) => agent.id === 'infra-bot')?.actsFor,
      ).toEqual(['alice']);
    });
  });
}
