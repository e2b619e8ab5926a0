import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aUser } from './storage-fixtures.test-support.js';
import { ENGINES, openTestStorage, type TestStorage } from './storage-test-engines.test-support.js';
import { createTeam, setTeamMember } from './teams-dal.js';
import { createUser, setUserDisabled } from './users-dal.js';
import { getUserEmail, listUserContacts, setUserEmail } from './users-email-dal.js';

for (const engine of ENGINES) {
  describe(`users' email addresses (${engine})`, () => {
    let storage: TestStorage;

    beforeAll(async () => {
      storage = await openTestStorage(engine);
      const db = storage.db;
      await createUser(aUser({ id: 'ann', role: 'moderator' }), db);
      await createUser(aUser({ id: 'ben' }), db);
      await createUser(aUser({ id: 'cat' }), db);
      await createUser(aUser({ id: 'dan', role: 'moderator' }), db);
      await createUser(aUser({ id: 'eve' }), db);
      await createTeam({ id: 't-infra', name: 'infra' }, db);
      await setTeamMember('t-infra', 'ben', 'member', db);
      await setTeamMember('t-infra', 'cat', 'maintainer', db);
      for (const id of ['ann', 'ben', 'cat', 'eve']) await setUserEmail(id, `${id}@example.com`, db);
      await setUserDisabled('eve', true, db);
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('sets, reads and clears an address', async () => {
      expect(await getUserEmail('ann', storage.db)).toBe('ann@example.com');
      expect(await setUserEmail('dan', 'dan@example.com', storage.db)).toBe(true);
      expect(await setUserEmail('dan', undefined, storage.db)).toBe(true);
      expect(await getUserEmail('dan', storage.db)).toBeUndefined();
      expect(await setUserEmail('nobody', 'x@example.com', storage.db)).toBe(false);
    });

    it('lists enabled users with an address, by id, role or team', async () => {
      const ids = async (filter: Parameters<typeof listUserContacts>[0]) =>
        (await listUserContacts(filter, storage.db)).map((c) => c.id);
      expect(await ids({ roles: ['moderator'] })).toEqual(['ann']); // dan has no address
      expect(await ids({ teams: ['infra'] })).toEqual(['ben', 'cat']);
      expect(await ids({ ids: ['cat', 'eve', 'dan'] })).toEqual(['cat']); // eve is disabled
      expect(await ids({ ids: ['ann'], teams: ['infra'] })).toEqual(['ann', 'ben', 'cat']);
      expect(await ids({ all: true })).toEqual(['ann', 'ben', 'cat']);
      expect(await ids({})).toEqual([]);
      expect((await listUserContacts({ ids: ['ann'] }, storage.db))[0]).toEqual({
        id: 'ann',
        displayName: 'User ann',
        email: 'ann@example.com',
      });
    });
  });
}
