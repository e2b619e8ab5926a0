import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit } from '../audit/audit-writer.js';
import { type OpenDatabase, openDatabase } from './open-database.js';
import { IntegrityError } from './storage-errors.js';
import { ENGINES, openTestStorage, type TestStorage } from './storage-test-engines.test-support.js';
import { type Executor, withTransaction } from './transaction.js';
import {
  claimDueWebhookDeliveries,
  getWebhookDelivery,
  insertWebhookDeliveries,
  lastWebhookAttempt,
  listWebhookDeliveries,
  recordWebhookAttempt,
} from './webhook-deliveries-dal.js';
import {
  deleteWebhookSubscription,
  getWebhookSubscription,
  insertWebhookSubscription,
  listWebhookSubscriptions,
  lockWebhookCursor,
  setWebhookCursor,
  type WebhookSubscriptionRecord,
} from './webhooks-dal.js';

const LEASE = 60_000;

function aSubscription(
  id: string,
  overrides: Partial<WebhookSubscriptionRecord> = {},
): WebhookSubscriptionRecord {
  return {
    id,
    url: `https://hooks.example.com/${id}`,
    eventTypes: ['request.created'],
    secret: 'whsec_c2VjcmV0',
    active: true,
    createdAt: 1_000,
    createdBy: 'user:admin',
    ...overrides,
  };
}

for (const engine of ENGINES) {
  describe(`webhook subscriptions, cursors and deliveries (${engine})`, () => {
    let storage: TestStorage;

    beforeAll(async () => {
      storage = await openTestStorage(engine);
      // Deliveries point at audit events: make a few.
      await withTransaction(storage.db, (trx) =>
        appendAudit(
          Array.from({ length: 5 }, (_, i) => ({
            type: 'request.created',
            actor: 'system',
            subject: `request:r${i}`,
            data: {},
          })),
          1_000,
          trx,
        ),
      );
    });
    beforeEach(async () => {
      for (const subscription of await listWebhookSubscriptions(storage.db)) {
        await deleteWebhookSubscription(subscription.id, storage.db);
      }
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('stores, reads, lists and deletes subscriptions with their cursor', async () => {
      await insertWebhookSubscription(aSubscription('wh-1', { eventTypes: ['*'] }), 3, storage.db);
      await insertWebhookSubscription(
        aSubscription('wh-2', { active: false, createdAt: 2_000 }),
        0,
        storage.db,
      );
      expect(await getWebhookSubscription('wh-1', storage.db)).toEqual(
        aSubscription('wh-1', { eventTypes: ['*'] }),
      );
      expect((await listWebhookSubscriptions(storage.db)).map((s) => s.id)).toEqual(['wh-1', 'wh-2']);
      expect((await listWebhookSubscriptions(storage.db, { activeOnly: true })).map((s) => s.id)).toEqual([
        'wh-1',
      ]);
      expect(await withTransaction(storage.db, (trx) => lockWebhookCursor('wh-1', trx))).toBe(3);
      await setWebhookCursor('wh-1', 5, storage.db);
      expect(await withTransaction(storage.db, (trx) => lockWebhookCursor('wh-1', trx))).toBe(5);

      await insertWebhookDeliveries([delivery('d-1', 'wh-1', 1, 1)], storage.db);
      expect(await deleteWebhookSubscription('wh-1', storage.db)).toBe(true);
      expect(await deleteWebhookSubscription('wh-1', storage.db)).toBe(false);
      expect(await getWebhookSubscription('wh-1', storage.db)).toBeUndefined();
      expect(await getWebhookDelivery('d-1', storage.db)).toBeUndefined();
      expect(await withTransaction(storage.db, (trx) => lockWebhookCursor('wh-1', trx))).toBeUndefined();
    });

    it('enqueues each attempt once, and refuses deliveries of unknown events', async () => {
      await insertWebhookSubscription(aSubscription('wh-q'), 0, storage.db);
      expect(
        await insertWebhookDeliveries(
          [delivery('q-1', 'wh-q', 1, 1), delivery('q-2', 'wh-q', 2, 1)],
          storage.db,
        ),
      ).toBe(2);
      // The same subscription, event and attempt under another id: skipped.
      expect(await insertWebhookDeliveries([delivery('q-3', 'wh-q', 1, 1)], storage.db)).toBe(0);
      expect(await insertWebhookDeliveries([delivery('q-4', 'wh-q', 1, 2)], storage.db)).toBe(1);
      expect(await lastWebhookAttempt('wh-q', 1, storage.db)).toBe(2);
      expect(await lastWebhookAttempt('wh-q', 3, storage.db)).toBe(0);
      await expect(
        insertWebhookDeliveries([delivery('q-5', 'wh-q', 999, 1)], storage.db),
      ).rejects.toBeInstanceOf(IntegrityError);
      const log = await listWebhookDeliveries('wh-q', 10, storage.db);
      expect(log.map((d) => d.id)).toEqual(['q-2', 'q-4', 'q-1']);
      expect(log[2]).toEqual({
        id: 'q-1',
        subscriptionId: 'wh-q',
        eventSeq: 1,
        eventType: 'request.created',
        attempt: 1,
        status: 'pending',
        nextAttemptAt: 5_000,
        createdAt: 5_000,
      });
    });

    it('claims due attempts earliest first, leases them, and lets only the holder record the outcome', async () => {
      await insertWebhookSubscription(aSubscription('wh-c'), 0, storage.db);
      await insertWebhookDeliveries(
        [
          delivery('c-1', 'wh-c', 1, 1, 3_000),
          delivery('c-2', 'wh-c', 2, 1, 2_000),
          delivery('c-3', 'wh-c', 3, 1, 9_000),
        ],
        storage.db,
      );
      const claimed = await claimDueWebhookDeliveries(5_000, 'node-a', 10, LEASE, storage.db);
      expect(claimed.map((d) => d.id)).toEqual(['c-2', 'c-1']);
      expect(claimed[0]).toMatchObject({ claimedBy: 'node-a', claimedUntil: 5_000 + LEASE });
      expect(await claimDueWebhookDeliveries(5_000, 'node-b', 10, LEASE, storage.db)).toEqual([]);

      expect(
        await recordWebhookAttempt('c-2', 'node-b', { status: 'delivered', attemptedAt: 5_100 }, storage.db),
      ).toBe(false);
      expect(
        await recordWebhookAttempt(
          'c-2',
          'node-a',
          { status: 'delivered', attemptedAt: 5_100, responseStatus: 204 },
          storage.db,
        ),
      ).toBe(true);
      expect(await getWebhookDelivery('c-2', storage.db)).toMatchObject({
        status: 'delivered',
        responseStatus: 204,
        attemptedAt: 5_100,
        deliveredAt: 5_100,
      });
      // Recorded once: a second outcome for the same attempt is refused.
      expect(
        await recordWebhookAttempt('c-2', 'node-a', { status: 'dead', attemptedAt: 5_200 }, storage.db),
      ).toBe(false);

      // node-a died holding c-1: once the lease runs out node-b takes it over, and node-a's late report is refused.
      const taken = await claimDueWebhookDeliveries(5_000 + LEASE, 'node-b', 10, LEASE, storage.db);
      expect(taken.map((d) => d.id)).toEqual(['c-1', 'c-3']); // c-3 has fallen due meanwhile
      expect(
        await recordWebhookAttempt(
          'c-1',
          'node-a',
          { status: 'failed', attemptedAt: 70_000, error: 'x' },
          storage.db,
        ),
      ).toBe(false);
      expect(
        await recordWebhookAttempt(
          'c-1',
          'node-b',
          { status: 'failed', attemptedAt: 70_000, responseStatus: 500, error: 'HTTP 500' },
          storage.db,
        ),
      ).toBe(true);
      expect(await getWebhookDelivery('c-1', storage.db)).toMatchObject({
        status: 'failed',
        error: 'HTTP 500',
        responseStatus: 500,
      });
      expect((await getWebhookDelivery('c-1', storage.db))?.deliveredAt).toBeUndefined();
    });

    it('gives each of 60 due attempts to exactly one of two concurrent dispatchers', async () => {
      await insertWebhookSubscription(aSubscription('wh-p'), 0, storage.db);
      const rows = Array.from({ length: 60 }, (_, i) =>
        delivery(`p-${i}`, 'wh-p', 1 + (i % 5), 1 + Math.floor(i / 5), i),
      );
      await insertWebhookDeliveries(rows, storage.db);
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
              const batches = await Promise.all(
                [0, 1, 2].map(() => claimDueWebhookDeliveries(1_000, `node-${n}`, 4, LEASE, db)),
              );
              const ids = batches.flat().map((d) => d.id);
              if (ids.length === 0) return mine;
              mine.push(...ids);
            }
          }),
        );
        const all = claims.flat();
        expect(all).toHaveLength(60);
        expect(new Set(all).size).toBe(60);
      } finally {
        await Promise.all(nodes.map((node) => node.close()));
      }
    });
  });
}

function delivery(
  id: string,
  subscriptionId: string,
  eventSeq: number,
  attempt: number,
  nextAttemptAt = 5_000,
) {
  return {
    id,
    subscriptionId,
    eventSeq,
    eventType: 'request.created',
    attempt,
    nextAttemptAt,
    createdAt: nextAttemptAt,
  };
}
