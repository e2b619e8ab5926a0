import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addGroupMember, createGroup, getGroup, listGroups, removeGroupMember } from './groups-dal.js';
import { type ConflictError, IntegrityError } from './storage-errors.js';
import { aUser } from './storage-fixtures.test-support.js';
import { ENGINES, openTestStorage, type TestStorage } from './storage-test-engines.test-support.js';
import {
  createTeam,
  getTeam,
  listTeamMembers,
  listTeams,
  listUserTeams,
  removeTeamMember,
  setTeamMember,
} from './teams-dal.js';
import { createUser } from './users-dal.js';

for (const engine of ENGINES) {
  describe(`teams and approval groups (${engine})`, () => {
    let storage: TestStorage;

    beforeAll(async () => {
      storage = await openTestStorage(engine);
      for (const id of ['alice', 'bob', 'carol']) await createUser(aUser({ id, username: id }), storage.db);
      await createTeam({ id: 't-infra', name: 'infra' }, storage.db);
      await createTeam({ id: 't-web', name: 'web' }, storage.db);
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('creates and lists teams; a taken name conflicts', async () => {
      expect(await getTeam('t-infra', storage.db)).toEqual({ id: 't-infra', name: 'infra' });
      expect((await listTeams(storage.db)).map((team) => team.name)).toEqual(['infra', 'web']);
      const error = await createTeam({ id: 't-other', name: 'infra' }, storage.db).catch((e: unknown) => e);
      expect((error as ConflictError).constraint).toBe('teams_name_unique');
    });

    it('keeps members with their role, one row per user and team', async () => {
      await setTeamMember('t-infra', 'alice', 'maintainer', storage.db);
      await setTeamMember('t-infra', 'bob', 'member', storage.db);
      await setTeamMember('t-web', 'bob', 'member', storage.db);
      await setTeamMember('t-infra', 'bob', 'maintainer', storage.db); // a role change, not a second row
      expect(await listTeamMembers('t-infra', storage.db)).toEqual([
        { teamId: 't-infra', teamName: 'infra', userId: 'alice', role: 'maintainer' },
        { teamId: 't-infra', teamName: 'infra', userId: 'bob', role: 'maintainer' },
      ]);
      expect((await listUserTeams('bob', storage.db)).map((m) => m.teamName)).toEqual(['infra', 'web']);
      expect(await removeTeamMember('t-web', 'bob', storage.db)).toBe(true);
      expect(await removeTeamMember('t-web', 'bob', storage.db)).toBe(false);
      expect((await listUserTeams('bob', storage.db)).map((m) => m.teamName)).toEqual(['infra']);
    });

    it('refuses members of unknown teams or users, and unknown roles', async () => {
      const noUser = await setTeamMember('t-infra', 'nobody', 'member', storage.db).catch((e: unknown) => e);
      expect((noUser as IntegrityError).rule).toBe('foreign_key');
      const noTeam = await setTeamMember('t-none', 'alice', 'member', storage.db).catch((e: unknown) => e);
      expect(noTeam).toBeInstanceOf(IntegrityError);
      const badRole = await setTeamMember('t-web', 'carol', 'owner' as 'member', storage.db).catch(
        (e: unknown) => e,
      );
      expect((badRole as IntegrityError).rule).toBe('team_members_role_check');
    });

    it('keeps approval groups of users and teams in the core’s shape', async () => {
      await createGroup('operators', storage.db);
      await createGroup('security', storage.db);
      await addGroupMember('operators', { kind: 'team', id: 'infra' }, storage.db);
      await addGroupMember('operators', { kind: 'user', id: 'carol' }, storage.db);
      await addGroupMember('operators', { kind: 'user', id: 'alice' }, storage.db);
      await addGroupMember('operators', { kind: 'user', id: 'alice' }, storage.db); // idempotent
      expect(await getGroup('operators', storage.db)).toEqual({
        name: 'operators',
        users: ['alice', 'carol'],
        teams: ['infra'],
      });
      expect(await removeGroupMember('operators', { kind: 'user', id: 'carol' }, storage.db)).toBe(true);
      expect(await listGroups(storage.db)).toEqual([
        { name: 'operators', users: ['alice'], teams: ['infra'] },
        { name: 'security', users: [], teams: [] },
      ]);
      expect(await getGroup('nobody', storage.db)).toBeUndefined();
      const dup = await createGroup('security', storage.db).catch((e: unknown) => e);
      expect((dup as ConflictError).constraint).toBe('approval_groups_pkey');
      const unknown = await addGroupMember('ghosts', { kind: 'user', id: 'alice' }, storage.db).catch(
        (e: unknown) => e,
      );
      expect((unknown as IntegrityError).rule).toBe('foreign_key');
    });
  });
}
