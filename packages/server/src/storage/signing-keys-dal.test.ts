import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertSigningKey,
  listSigningKeys,
  retireSigningKey,
  type SigningKeyRecord,
} from './signing-keys-dal.js';
import type { ConflictError } from './storage-errors.js';
import { ENGINES, openTestStorage, type TestStorage } from './storage-test-engines.test-support.js';

const key = (kid: string, createdAt: number): SigningKeyRecord => ({
  kid,
  alg: 'EdDSA',
  publicJwk: { kty: 'OKP', crv: 'Ed25519', x: `x-${kid}` },
  privatePkcs8: `-----BEGIN PRIVATE KEY-----${kid}`,
  createdAt,
});

for (const engine of ENGINES) {
  describe(`signing keys (${engine})`, () => {
    let storage: TestStorage;

    beforeAll(async () => {
      storage = await openTestStorage(engine);
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('stores keys, lists newest first, and retires once', async () => {
      await insertSigningKey(key('k1', 1), storage.db);
      await insertSigningKey({ ...key('k2', 2), privatePkcs8: undefined }, storage.db);
      const keys = await listSigningKeys(storage.db);
      expect(keys.map((k) => k.kid)).toEqual(['k2', 'k1']);
      expect(keys[1]).toEqual({ ...key('k1', 1), retiredAt: undefined });
      expect(keys[0]?.privatePkcs8).toBeUndefined();
      expect(Object.isFrozen(keys[0]?.publicJwk)).toBe(true);
      expect(await retireSigningKey('k1', 10, storage.db)).toBe(true);
      expect(await retireSigningKey('k1', 11, storage.db)).toBe(false);
      expect((await listSigningKeys(storage.db))[1]?.retiredAt).toBe(10);
      const dup = await insertSigningKey(key('k1', 3), storage.db).catch((e: unknown) => e);
      expect((dup as ConflictError).constraint).toBe('signing_keys_pkey');
    });
  });
}
