import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeEmergencyWindow,
  type EmergencyWindowRecord,
  getEmergencyWindow,
  insertEmergencyWindow,
  listActiveEmergencyWindows,
  listEmergencyWindows,
} from './emergency-dal.js';
import { ConflictError } from './storage-errors.js';
import { ENGINES, openTestStorage, type TestStorage } from './storage-test-engines.test-support.js';

const T0 = 1_000_000;

function window(id: string, openedAt: number, closesAt: number): EmergencyWindowRecord {
  return {
    id,
    actions: ['deploy.*', 'shell.execute'],
    reason: 'incident 42',
    openedBy: 'user:admin',
    openedAt,
    closesAt,
  };
}

for (const engine of ENGINES) {
  describe(`emergency windows DAL (${engine})`, () => {
    let storage: TestStorage;

    beforeAll(async () => {
      storage = await openTestStorage(engine);
      await insertEmergencyWindow(window('w1', T0, T0 + 1_000), storage.db);
      await insertEmergencyWindow(window('w2', T0 + 100, T0 + 5_000), storage.db);
      await insertEmergencyWindow(window('w3', T0 + 200, T0 + 5_000), storage.db);
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('reads a window back as it was stored', async () => {
      expect(await getEmergencyWindow('w1', storage.db)).toEqual(window('w1', T0, T0 + 1_000));
      expect(await getEmergencyWindow('nope', storage.db)).toBeUndefined();
    });

    it('refuses a taken id as a conflict', async () => {
      const error = await insertEmergencyWindow(window('w1', T0, T0 + 1), storage.db).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConflictError);
    });

    it('lists the windows active at a moment: opened, before closes_at, not closed', async () => {
      const ids = async (now: number) => (await listActiveEmergencyWindows(now, storage.db)).map((w) => w.id);
      expect(await ids(T0 - 1)).toEqual([]);
      expect(await ids(T0 + 150)).toEqual(['w2', 'w1']);
      expect(await ids(T0 + 1_000)).toEqual(['w3', 'w2']);
      expect(await ids(T0 + 5_000)).toEqual([]);
    });

    it('closes a window early, once, and never one that closed by itself', async () => {
      expect(await closeEmergencyWindow('w1', 'user:admin', T0 + 2_000, storage.db)).toBe(false);
      expect(await closeEmergencyWindow('w3', 'user:admin', T0 + 300, storage.db)).toBe(true);
      expect(await closeEmergencyWindow('w3', 'user:admin', T0 + 301, storage.db)).toBe(false);
      expect(await closeEmergencyWindow('nope', 'user:admin', T0 + 300, storage.db)).toBe(false);
      expect(await getEmergencyWindow('w3', storage.db)).toMatchObject({
        closedAt: T0 + 300,
        closedBy: 'user:admin',
      });
      expect((await listActiveEmergencyWindows(T0 + 400, storage.db)).map((w) => w.id)).toEqual(['w2', 'w1']);
    });

    it('lists recent windows newest first, closed ones included, up to a limit', async () => {
      expect((await listEmergencyWindows(10, storage.db)).map((w) => w.id)).toEqual(['w3', 'w2', 'w1']);
      expect((await listEmergencyWindows(1, storage.db)).map((w) => w.id)).toEqual(['w3']);
    });
  });
}
