import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeGrant, getGrant, insertGrant, type StoredGrant } from './grants-dal.js';
import { openDatabase } from './open-database.js';
import { insertRequest } from './requests-dal.js';
import type { ConflictError } from './storage-errors.js';
import { aRequest } from './storage-fixtures.test-support.js';
import { ENGINES, openTestStorage, type TestStorage } from './storage-test-engines.test-support.js';

for (const engine of ENGINES) {
  describe(`grants (${engine})`, () => {
    let storage: TestStorage;

    beforeAll(async () => {
      storage = await openTestStorage(engine);
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    async function aGrant(overrides: Partial<StoredGrant> = {}): Promise<StoredGrant> {
      const request = aRequest({ status: 'approved' });
      await insertRequest(request, undefined, storage.db);
      const grant: StoredGrant = {
        jti: `jti-${request.id}`,
        requestId: request.id,
        payloadHash: request.payloadHash,
        issuedAt: 1_000,
        expiresAt: 2_000,
        ...overrides,
      };
      await insertGrant(grant, storage.db);
      return grant;
    }

    it('consumes a grant once, and records when', async () => {
      const grant = await aGrant();
      expect(await consumeGrant(grant.jti, 1_500, storage.db)).toBe(true);
      expect(await consumeGrant(grant.jti, 1_600, storage.db)).toBe(false);
      expect((await getGrant(grant.jti, storage.db))?.consumedAt).toBe(1_500);
    });

    it('refuses an expired or unknown grant', async () => {
      const grant = await aGrant();
      expect(await consumeGrant(grant.jti, 2_000, storage.db)).toBe(false);
      expect((await getGrant(grant.jti, storage.db))?.consumedAt).toBeUndefined();
      expect(await consumeGrant('jti-unknown', 1_500, storage.db)).toBe(false);
    });

    it('issues at most one grant per request', async () => {
      const grant = await aGrant();
      const second = await insertGrant({ ...grant, jti: `${grant.jti}-again` }, storage.db).catch(
        (e: unknown) => e,
      );
      expect((second as ConflictError).constraint).toBe('grants_request_unique');
    });

    it('lets exactly one of 50 concurrent consumers win', async () => {
      const grant = await aGrant();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => consumeGrant(grant.jti, 1_100 + i, storage.db)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    if (engine === 'postgres') {
      it('lets exactly one of 50 consumers on two nodes win (pools of 8)', async () => {
        const grant = await aGrant();
        const nodes = [
          await openDatabase({ url: storage.url, maxConnections: 8 }),
          await openDatabase({ url: storage.url, maxConnections: 8 }),
        ];
        try {
          const results = await Promise.all(
            Array.from({ length: 50 }, (_, i) => consumeGrant(grant.jti, 1_100 + i, nodes[i % 2]!.db)),
          );
          expect(results.filter(Boolean)).toHaveLength(1);
        } finally {
          await Promise.all(nodes.map((node) => node.close()));
        }
      });
    }
  });
}
