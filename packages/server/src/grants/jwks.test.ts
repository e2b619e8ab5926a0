import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, openTestStorage, type TestStorage } from '../storage/storage-test-engines.test-support.js';
import { AUDIENCE, aGrant, ed25519, foreignKey, forgeToken, partsOf } from './grant-fixtures.test-support.js';
import { type JwksInput, verifyGrantOffline } from './grant-offline-verify.js';
import { signGrant } from './grant-token.js';
import { jwksDocument } from './jwks.js';
import { ensureSigningKey, type KeyRing } from './signing-key-service.js';

const ISSUED = 1_800_000_000_000;
const NOW = ISSUED + 1_000;

for (const engine of ENGINES) {
  describe(`JWKS and offline verification (${engine})`, () => {
    let storage: TestStorage;
    let ring: KeyRing;
    /** The JWKS as an executor fetched it: JSON, no database. */
    let published: JwksInput;

    beforeAll(async () => {
      storage = await openTestStorage(engine);
      ring = await ensureSigningKey(storage.db, ISSUED - 1);
      published = JSON.parse(JSON.stringify(jwksDocument(ring)));
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('publishes the public half of each verification key, and nothing private', () => {
      const document = jwksDocument(ring);
      expect(document).toEqual({ keys: [ring.active.publicJwk] });
      expect(JSON.stringify(document)).not.toMatch(/"d"|PRIVATE/);
    });

    it('verifies a grant offline with the published JWKS', () => {
      const token = signGrant(aGrant({ issuedAt: ISSUED }), ring);
      const verdict = verifyGrantOffline(token, published, { audience: AUDIENCE, now: NOW });
      expect(verdict).toMatchObject({
        ok: true,
        kid: ring.active.kid,
        claims: { sub: 'req-42', jti: 'grant-42' },
      });
    });

    it('offline: a grant signed by a foreign key is refused', () => {
      const [h, p] = partsOf(signGrant(aGrant({ issuedAt: ISSUED }), ring));
      const attacker = foreignKey();
      const forged = `${h}.${p}.${ed25519(attacker.privateKey)(`${h}.${p}`)}`;
      expect(verifyGrantOffline(forged, published, { audience: AUDIENCE, now: NOW })).toMatchObject({
        ok: false,
        code: 'bad-signature',
      });
      const ownKid = forgeToken(
        { alg: 'EdDSA', kid: 'mallory', typ: 'gatehouse-grant+jws' },
        {},
        ed25519(attacker.privateKey),
      );
      expect(verifyGrantOffline(ownKid, published, { audience: AUDIENCE, now: NOW })).toMatchObject({
        code: 'unknown-key',
      });
    });

    it('offline: an expired grant and a grant for another audience are refused', () => {
      const token = signGrant(aGrant({ issuedAt: ISSUED, expiresAt: ISSUED + 5_000 }), ring);
      expect(verifyGrantOffline(token, published, { audience: AUDIENCE, now: ISSUED + 5_000 })).toMatchObject(
        {
          code: 'expired',
        },
      );
      expect(verifyGrantOffline(token, published, { audience: 'other', now: NOW })).toMatchObject({
        code: 'wrong-audience',
      });
    });

    it('ignores keys of other kinds in a key set, and refuses a broken Ed25519 key', () => {
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
      const mixed: JwksInput = { keys: [{ ...rsa, kid: 'rsa-1' }, ...published.keys] };
      const token = signGrant(aGrant({ issuedAt: ISSUED }), ring);
      expect(verifyGrantOffline(token, mixed, { audience: AUDIENCE, now: NOW }).ok).toBe(true);
      const broken: JwksInput = { keys: [{ kty: 'OKP', crv: 'Ed25519', kid: 'k', x: 42 }] };
      expect(() => verifyGrantOffline(token, broken, { audience: AUDIENCE, now: NOW })).toThrow(/Ed25519/);
    });
  });
}
