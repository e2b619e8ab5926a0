import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError, ValidationError } from '../domain-errors.js';
import { loadApprovalGroups } from '../policy/approval-groups.js';
import { ENGINES, openTestStorage, type TestStorage } from '../storage/storage-test-engines.test-support.js';
import { listTeamMembers } from '../storage/teams-dal.js';
import { createDirectoryService, type DirectoryService } from './directory-service.js';
import {
  lastAudit,
  rejectionOf,
  seedAdmin,
  seedUser,
  sessionOf,
  TEST_PASSWORDS,
} from './identity-fixtures.test-support.js';

const NOW = 1_700_000_000_000;

for (const engine of ENGINES) {
  describe(`teams and approval groups in the directory (${engine})`, () => {
    let storage: TestStorage;
    let directory: DirectoryService;
    const root = sessionOf('root', 'admin');
    const mod = sessionOf('mod', 'moderator');
    const alice = sessionOf('alice');
    const bob = sessionOf('bob');

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
      for (const id of ['alice', 'bob', 'carol', 'dan']) await seedUser(storage.db, id);
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('lets the admin and moderators create teams, audited; users cannot', async () => {
      expect(await directory.createTeam(root, 'infra', NOW)).toEqual({
        id: 'infra',
        name: 'infra',
        members: [],
      });
      await directory.createTeam(mod, 'web', NOW);
      expect(await lastAudit(storage.db, 'team.created')).toMatchObject({
        actor: 'user:mod',
        subject: 'team:web',
      });
      await expectDenied(
        directory.createTeam(alice, 'rogue', NOW),
        'moderator-only',
        'user:alice',
        'team:rogue',
      );
      expect(await rejectionOf(directory.createTeam(root, 'Bad Name', NOW))).toBeInstanceOf(ValidationError);
    });

    it('lets moderators and the team’s maintainers manage members, audited', async () => {
      await directory.addTeamMember(mod, 'infra', 'alice', 'maintainer', NOW);
      await directory.addTeamMember(alice, 'infra', 'bob', 'member', NOW);
      expect(await lastAudit(storage.db, 'team.member.added')).toMatchObject({
        actor: 'user:alice',
        subject: 'team:infra',
        data: { user: 'bob', role: 'member' },
      });
      await directory.addTeamMember(alice, 'infra', 'bob', 'maintainer', NOW);
      expect(await lastAudit(storage.db, 'team.member.role.changed')).toMatchObject({
        data: { user: 'bob', from: 'member', to: 'maintainer' },
      });
      await directory.addTeamMember(alice, 'infra', 'bob', 'member', NOW);
      await directory.addTeamMember(root, 'web', 'carol', 'member', NOW);
      expect((await listTeamMembers('infra', storage.db)).map((m) => [m.userId, m.role])).toEqual([
        ['alice', 'maintainer'],
        ['bob', 'member'],
      ]);
      expect(
        await rejectionOf(directory.addTeamMember(root, 'infra', 'nobody', 'member', NOW)),
      ).toBeInstanceOf(NotFoundError);
      expect(
        await rejectionOf(directory.addTeamMember(root, 'nowhere', 'bob', 'member', NOW)),
      ).toBeInstanceOf(NotFoundError);
    });

    it('a member of another team cannot add members to a team', async () => {
      // carol is a member of web, bob a (non-maintaining) member of infra.
      await expectDenied(
        directory.addTeamMember(sessionOf('carol', 'user', ['web']), 'infra', 'dan', 'member', NOW),
        'not-team-maintainer',
        'user:carol',
        'team:infra',
      );
      await expectDenied(
        directory.addTeamMember(bob, 'infra', 'dan', 'maintainer', NOW),
        'not-team-maintainer',
        'user:bob',
        'team:infra',
      );
      // A maintainer of infra is not a maintainer of web either.
      await expectDenied(
        directory.addTeamMember(alice, 'web', 'dan', 'member', NOW),
        'not-team-maintainer',
        'user:alice',
        'team:web',
      );
      expect((await listTeamMembers('infra', storage.db)).map((m) => m.userId)).not.toContain('dan');
      expect((await listTeamMembers('web', storage.db)).map((m) => m.userId)).not.toContain('dan');
    });

    it('removes members, audited; outsiders cannot', async () => {
      await directory.addTeamMember(alice, 'infra', 'dan', 'member', NOW);
      await expectDenied(
        directory.removeTeamMember(bob, 'infra', 'dan', NOW),
        'not-team-maintainer',
        'user:bob',
        'team:infra',
      );
      await directory.removeTeamMember(alice, 'infra', 'dan', NOW);
      expect(await lastAudit(storage.db, 'team.member.removed')).toMatchObject({
        actor: 'user:alice',
        data: { user: 'dan' },
      });
      expect(await rejectionOf(directory.removeTeamMember(alice, 'infra', 'dan', NOW))).toBeInstanceOf(
        NotFoundError,
      );
    });

    it('lists teams with members for any human', async () => {
      const teams = await directory.listTeams(sessionOf('carol', 'user', ['web']), NOW);
      expect(teams.map((t) => [t.name, t.members.length])).toEqual([
        ['infra', 2],
        ['web', 1],
      ]);
    });

    it('manages approval groups (admin and moderators only), audited, and resolves them for requests', async () => {
      await directory.createGroup(mod, 'operators', NOW);
      expect(await lastAudit(storage.db, 'group.created')).toMatchObject({
        actor: 'user:mod',
        subject: 'group:operators',
      });
      await directory.addGroupMember(mod, 'operators', { kind: 'team', id: 'infra' }, NOW);
      await directory.addGroupMember(root, 'operators', { kind: 'user', id: 'carol' }, NOW);
      expect(await lastAudit(storage.db, 'group.member.added')).toMatchObject({
        actor: 'user:root',
        data: { kind: 'user', id: 'carol' },
      });
      await expectDenied(
        directory.createGroup(alice, 'cabal', NOW),
        'moderator-only',
        'user:alice',
        'group:cabal',
      );
      await expectDenied(
        directory.addGroupMember(alice, 'operators', { kind: 'user', id: 'alice' }, NOW),
        'moderator-only',
        'user:alice',
        'group:operators',
      );
      expect(
        await rejectionOf(directory.addGroupMember(mod, 'operators', { kind: 'team', id: 'nowhere' }, NOW)),
      ).toBeInstanceOf(NotFoundError);
      expect(
        await rejectionOf(directory.addGroupMember(mod, 'nothing', { kind: 'user', id: 'bob' }, NOW)),
      ).toBeInstanceOf(NotFoundError);

      const groups = await loadApprovalGroups({ groups: new Map() }, storage.db);
      expect(groups.get('operators')).toEqual({ name: 'operators', users: ['carol'], teams: ['infra'] });
      expect(await directory.listGroups(bob, NOW)).toEqual([
        { name: 'operators', users: ['carol'], teams: ['infra'] },
      ]);

      await directory.removeGroupMember(mod, 'operators', { kind: 'user', id: 'carol' }, NOW);
      expect(await lastAudit(storage.db, 'group.member.removed')).toMatchObject({
        data: { kind: 'user', id: 'carol' },
      });
      expect((await loadApprovalGroups({ groups: new Map() }, storage.db)).get('operators')?.users).toEqual(
        [],
      );
    });
  });
}
