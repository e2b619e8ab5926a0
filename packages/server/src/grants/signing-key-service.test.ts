import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { untilBlockedBy } from '../audit/audit-fixtures.test-support.js';
import { listSigningKeys } from '../storage/signing-keys-dal.js';
import { ENGINES, openTestStorage, type TestStorage } from '../storage/storage-test-engines.test-support.js';
import { withTransaction } from '../storage/transaction.js';
import { AUDIENCE, aGrant, auditEvents, auditEventsOfType } from './grant-fixtures.test-support.js';
import { verifyGrantOffline } from './grant-offline-verify.js';
import { signGrant, verifyGrantToken } from './grant-token.js';
import { jwksDocument } from './jwks.js';
import {
  ensureSigningKey,
  type KeyRing,
  loadKeyRing,
  rotateSigningKey,
  SIGNING_KEY_GRACE_MS,
  SigningKeyError,
} from './signing-key-service.js';

const T0 = 1_800_000_000_000;
const HOUR = 3_600_000;

for (const engine of ENGINES) {
  describe(`signing keys (${engine})`, () => {
    let storage: TestStorage;

    beforeEach(async () => {
      storage = await openTestStorage(engine);
    });
    afterEach(async () => {
      await storage?.dispose();
    });

    it('has no key ring before the first key is created', async () => {
      await expect(loadKeyRing(storage.db, T0)).rejects.toBeInstanceOf(SigningKeyError);
    });

    it('creates the first Ed25519 key on first start, once, and audits it', async () => {
      let again: Promise<KeyRing> | undefined;
      const ring = await withTransaction(storage.db, async (trx) => {
        const created = await ensureSigningKey(trx, T0);
        // A second node starts while the first has not committed its key yet.
        again = ensureSigningKey(storage.db, T0);
        if (engine === 'postgres') await untilBlockedBy(trx, storage);
        return created;
      });
      expect((await again)?.active.kid).toBe(ring.active.kid);
      expect((await ensureSigningKey(storage.db, T0 + 1)).active.kid).toBe(ring.active.kid);
      expect(ring.active.privateKey.asymmetricKeyType).toBe('ed25519');
      // The kid is the RFC 7638 thumbprint of the public key.
      const { x } = ring.active.publicJwk;
      const thumbprint = createHash('sha256')
        .update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`)
        .digest('base64url');
      expect(ring.active.kid).toBe(thumbprint);
      expect([...ring.verificationKeys.keys()]).toEqual([ring.active.kid]);

      const stored = await listSigningKeys(storage.db);
      expect(stored).toHaveLength(1);
      expect(stored[0]?.publicJwk).toEqual(ring.active.publicJwk);
      expect(stored[0]?.privatePkcs8).toMatch(/^-----BEGIN PRIVATE KEY-----/);

      const events = await auditEvents(storage.db);
      expect(events.map((e) => [e.type, e.actor, e.subject])).toEqual([
        ['signing-key.created', 'system', `signing-key:${ring.active.kid}`],
      ]);
      expect(JSON.stringify(events)).not.toContain('PRIVATE KEY');
    });

    it('loads the same ring it created', async () => {
      const created = await ensureSigningKey(storage.db, T0);
      const loaded = await loadKeyRing(storage.db, T0 + HOUR);
      expect(loaded.active.kid).toBe(created.active.kid);
      expect(loaded.active.publicJwk).toEqual(created.active.publicJwk);
      const token = signGrant(aGrant({ issuedAt: T0 }), loaded);
      expect(verifyGrantToken(token, created, { audience: AUDIENCE, now: T0 + 1 }).ok).toBe(true);
    });

    it('rotation keeps old grants verifiable and new ones use the new kid', async () => {
      const before = await ensureSigningKey(storage.db, T0);
      const oldGrant = signGrant(aGrant({ issuedAt: T0, expiresAt: T0 + 2 * HOUR }), before);

      const after = await rotateSigningKey(storage.db, T0 + HOUR, 'user:alice');
      expect(after.active.kid).not.toBe(before.active.kid);
      const newGrant = signGrant(aGrant({ issuedAt: T0 + HOUR, jti: 'grant-43' }), after);
      expect(JSON.parse(Buffer.from(newGrant.split('.')[0] ?? '', 'base64url').toString()).kid).toBe(
        after.active.kid,
      );
      const now = T0 + HOUR + 1;
      const reloaded = await loadKeyRing(storage.db, now);
      for (const ring of [after, reloaded]) {
        expect(verifyGrantToken(oldGrant, ring, { audience: AUDIENCE, now })).toMatchObject({
          ok: true,
          kid: before.active.kid,
        });
        expect(verifyGrantToken(newGrant, ring, { audience: AUDIENCE, now })).toMatchObject({
          ok: true,
          kid: after.active.kid,
        });
      }

      const [rotated] = await auditEventsOfType(storage.db, 'signing-key.rotated');
      expect(rotated).toMatchObject({
        actor: 'user:alice',
        subject: `signing-key:${after.active.kid}`,
        data: {
          kid: after.active.kid,
          previousKids: [before.active.kid],
          graceUntil: T0 + HOUR + SIGNING_KEY_GRACE_MS,
        },
      });
      const stored = await listSigningKeys(storage.db);
      expect(stored.find((k) => k.kid === before.active.kid)?.retiredAt).toBe(T0 + HOUR);
    });

    it('JWKS lists both keys during the grace period, then only the new one', async () => {
      const before = await ensureSigningKey(storage.db, T0);
      const oldGrant = signGrant(aGrant({ issuedAt: T0, expiresAt: T0 + 48 * HOUR }), before);
      const after = await rotateSigningKey(storage.db, T0 + HOUR, 'user:alice');

      const retiredAt = T0 + HOUR;
      const during = jwksDocument(await loadKeyRing(storage.db, retiredAt + SIGNING_KEY_GRACE_MS - 1));
      expect(during.keys.map((k) => k.kid)).toEqual([after.active.kid, before.active.kid]);
      for (const key of during.keys) {
        expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
        expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
      }
      // An executor holding only the published JWKS verifies the old grant offline.
      const published = JSON.parse(JSON.stringify(during));
      const options = { audience: AUDIENCE, now: retiredAt + SIGNING_KEY_GRACE_MS - 1 };
      expect(verifyGrantOffline(oldGrant, published, options).ok).toBe(true);

      const afterGrace = await loadKeyRing(storage.db, retiredAt + SIGNING_KEY_GRACE_MS);
      expect(jwksDocument(afterGrace).keys.map((k) => k.kid)).toEqual([after.active.kid]);
      const options2 = { audience: AUDIENCE, now: retiredAt + SIGNING_KEY_GRACE_MS };
      expect(verifyGrantToken(oldGrant, afterGrace, options2)).toMatchObject({
        ok: false,
        code: 'unknown-key',
      });
    });

    it('refuses to sign with a stored private key that does not match its public key', async () => {
      const ring = await ensureSigningKey(storage.db, T0);
      const other = await rotateSigningKey(storage.db, T0 + 1, 'user:alice');
      // An attacker with database access swaps the published half of the active key.
      await storage.db
        .updateTable('signing_keys')
        .set({ public_jwk: JSON.stringify(ring.active.publicJwk) })
        .where('kid', '=', other.active.kid)
        .execute();
      await expect(loadKeyRing(storage.db, T0 + 2)).rejects.toMatchObject({
        code: 'signing-key-unavailable',
        message: expect.not.stringContaining('PRIVATE'),
      });
    });

    it('creates a new key when every key was retired', async () => {
      const first = await ensureSigningKey(storage.db, T0);
      await storage.db
        .updateTable('signing_keys')
        .set({ retired_at: T0 + 1 })
        .execute();
      const second = await ensureSigningKey(storage.db, T0 + 2);
      expect(second.active.kid).not.toBe(first.active.kid);
      expect([...second.verificationKeys.keys()]).toEqual([second.active.kid, first.active.kid]);
      expect((await auditEventsOfType(storage.db, 'signing-key.created')).length).toBe(2);
    });
  });
}
