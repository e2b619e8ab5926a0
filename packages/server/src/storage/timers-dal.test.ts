import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type OpenDatabase, openDatabase } from './open-database.js';
import { insertRequest } from './requests-dal.js';
import { aRequest } from './storage-fixtures.test-support.js';
import { ENGINES, openTestStorage, type TestStorage } from './storage-test-engines.test-support.js';
import { claimDueTimers, deleteRequestTimers, deleteTimer, insertTimer } from './timers-dal.js';
import { type Executor, withTransaction } from './transaction.js';

const LEASE = 30_000;

for (const engine of ENGINES) {
  describe(`timers (${engine})`, () => {
    let storage: TestStorage;
    const request = aRequest();

    beforeAll(async () => {
      storage = await openTestStorage(engine);
      await insertRequest(request, undefined, storage.db);
    });
    beforeEach(async () => {
      await storage.db.deleteFrom('timers').execute();
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    async function schedule(count: number, dueAt: (i: number) => number): Promise<void> {
      await withTransaction(storage.db, async (trx) => {
        for (let i = 0; i < count; i += 1) {
          await insertTimer(
            { id: `t${String(i).padStart(3, '0')}`, requestId: request.id, kind: 'expire', dueAt: dueAt(i) },
            trx,
          );
        }
      });
    }

    it('claims only due timers, earliest first, up to the limit', async () => {
      await schedule(5, (i) => 1_000 * (5 - i)); // t004 is due first
      const claimed = await claimDueTimers(3_000, 'node-a', 2, LEASE, storage.db);
      expect(claimed.map((t) => t.id)).toEqual(['t004', 't003']);
      expect(claimed[0]).toEqual({
        id: 't004',
        requestId: request.id,
        kind: 'expire',
        dueAt: 1_000,
        claimedBy: 'node-a',
        claimedUntil: 3_000 + LEASE,
      });
      const rest = await claimDueTimers(3_000, 'node-a', 10, LEASE, storage.db);
      expect(rest.map((t) => t.id)).toEqual(['t002']); // t001 and t000 are not due yet
    });

    it('does not hand a leased timer to another node until the lease runs out', async () => {
      await schedule(1, () => 1_000);
      expect(await claimDueTimers(2_000, 'node-a', 10, LEASE, storage.db)).toHaveLength(1);
      expect(await claimDueTimers(2_000 + LEASE - 1, 'node-b', 10, LEASE, storage.db)).toEqual([]);
      const reclaimed = await claimDueTimers(2_000 + LEASE, 'node-b', 10, LEASE, storage.db);
      expect(reclaimed.map((t) => t.claimedBy)).toEqual(['node-b']);
    });

    it('forgets deleted timers', async () => {
      await schedule(3, () => 1_000);
      expect(await deleteTimer('t000', storage.db)).toBe(true);
      expect(await deleteTimer('t000', storage.db)).toBe(false);
      expect(await deleteRequestTimers(request.id, storage.db)).toBe(2);
      expect(await claimDueTimers(9_000, 'node-a', 10, LEASE, storage.db)).toEqual([]);
    });

    it('gives each of 100 timers to exactly one of two concurrent claimers', async () => {
      await schedule(100, (i) => i);
      // PostgreSQL: two nodes, each with its own pool. SQLite: one process owns the file
      // (better-sqlite3 is synchronous), so the two claimers share its connection.
      const nodes: OpenDatabase[] =
        engine === 'postgres'
          ? [await openDatabase({ url: storage.url }), await openDatabase({ url: storage.url })]
          : [];
      const dbs: Executor[] = nodes.length > 0 ? nodes.map((node) => node.db) : [storage.db, storage.db];
      try {
        const claims = await Promise.all(
          dbs.map(async (db, n) => {
            const mine: string[] = [];
            for (;;) {
              // Several claims in flight per node, so they really overlap.
              const batches = await Promise.all(
                [0, 1, 2].map(() => claimDueTimers(1_000, `node-${n}`, 7, LEASE, db)),
              );
              const ids = batches.flat().map((t) => t.id);
              if (ids.length === 0) return mine;
              mine.push(...ids);
            }
          }),
        );
        const all = claims.flat();
        expect(all).toHaveLength(100);
        expect(new Set(all).size).toBe(100);
        const owners = await storage.db.selectFrom('timers').select(['id', 'claimed_by']).execute();
        for (const [n, mine] of claims.entries()) {
          for (const id of mine) expect(owners.find((o) => o.id === id)?.claimed_by).toBe(`node-${n}`);
        }
      } finally {
        await Promise.all(nodes.map((node) => node.close()));
      }
    });
  });
}
