import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { createEd25519Signer } from '@gatehouse/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RefusedError } from '../domain-errors.js';
import type { AuditEventRecord } from '../storage/audit-dal.js';
import { ENGINES, openTestStorage, type TestStorage } from '../storage/storage-test-engines.test-support.js';
import type { GrantRefusalCode } from './grant-claims.js';
import {
  AUDIENCE,
  aGrant,
  auditEventsOfType,
  decoded,
  ed25519,
  foreignKey,
  forgeToken,
  partsOf,
  segment,
} from './grant-fixtures.test-support.js';
import { MAX_GRANT_TOKEN_LENGTH } from './grant-jws.js';
import { grantClaimsOf, InvalidGrantError, signGrant, verifyGrantToken } from './grant-token.js';
import { verifyPresentedGrant } from './grant-verification-service.js';
import { ensureSigningKey, type KeyRing } from './signing-key-service.js';

const ISSUED = 1_800_000_000_000;
const NOW = ISSUED + 60_000;
const ATTACKER = 'agent:mallory';

for (const engine of ENGINES) {
  describe(`grant tokens (${engine})`, () => {
    let storage: TestStorage;
    let ring: KeyRing;
    let kid: string;
    let ourSignature: (input: string) => string;

    beforeAll(async () => {
      storage = await openTestStorage(engine);
      ring = await ensureSigningKey(storage.db, ISSUED - 1);
      kid = ring.active.kid;
      const signer = createEd25519Signer(ring.active.privateKey, kid);
      ourSignature = (input) => signer.sign(input);
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    const header = () => ({ alg: 'EdDSA', kid, typ: 'gatehouse-grant+jws' });
    const presentedTo = () => ({
      db: storage.db,
      verify: (token: unknown, now: number) => verifyGrantToken(token, ring, { audience: AUDIENCE, now }),
    });
    const claims = () => ({ ...grantClaimsOf(aGrant({ issuedAt: ISSUED })) });

    /**
     * Presents the token to the server as the attacker: it must be refused with `code`, and
     * the refusal must be the newest `grant.refused` audit record. Returns that record.
     */
    async function expectRefusedAndAudited(token: unknown, code: GrantRefusalCode, now = NOW) {
      expect(verifyGrantToken(token, ring, { audience: AUDIENCE, now })).toMatchObject({ ok: false, code });
      const before = (await auditEventsOfType(storage.db, 'grant.refused')).length;
      const error = await verifyPresentedGrant(presentedTo(), token, { actor: ATTACKER, now }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(RefusedError);
      expect((error as RefusedError).reason).toBe(`grant-${code}`);
      const refusals = await auditEventsOfType(storage.db, 'grant.refused');
      expect(refusals).toHaveLength(before + 1);
      const audited = refusals.at(-1) as AuditEventRecord;
      expect(audited).toMatchObject({
        actor: ATTACKER,
        at: now,
        data: { operation: 'verify', presenter: ATTACKER, code },
      });
      // A grant is a bearer credential: neither it nor its signature is ever recorded.
      if (typeof token === 'string' && token.length > 0) {
        const text = JSON.stringify(audited);
        expect(text).not.toContain(token);
        const signature = partsOf(token)[2];
        if (signature.length > 8) expect(text).not.toContain(signature);
      }
      return audited;
    }

    it('signs a grant that verifies, with exactly the header and claims of the format', () => {
      const token = signGrant(aGrant({ issuedAt: ISSUED, expiresAt: ISSUED + 600_500 }), ring);
      const [h, p] = partsOf(token);
      expect(decoded(h)).toEqual({ alg: 'EdDSA', kid, typ: 'gatehouse-grant+jws' });
      const expected = {
        v: 1,
        iss: 'https://gatehouse.example',
        aud: AUDIENCE,
        sub: 'req-42',
        jti: 'grant-42',
        act: 'deploy.production',
        ph: 'ab'.repeat(32),
        iat: ISSUED / 1000,
        exp: Math.floor((ISSUED + 600_500) / 1000),
        exp_ms: ISSUED + 600_500,
      };
      expect(decoded(p)).toEqual(expected);
      expect(verifyGrantToken(token, ring, { audience: AUDIENCE, now: NOW })).toEqual({
        ok: true,
        claims: expected,
        kid,
      });
    });

    it('accepts a valid grant without auditing anything', async () => {
      const token = signGrant(aGrant({ issuedAt: ISSUED }), ring);
      const before = (await auditEventsOfType(storage.db, 'grant.refused')).length;
      const verified = await verifyPresentedGrant(presentedTo(), token, { actor: 'agent:ci-bot', now: NOW });
      expect(verified.jti).toBe('grant-42');
      expect(await auditEventsOfType(storage.db, 'grant.refused')).toHaveLength(before);
    });

    it('refuses to sign a malformed grant', () => {
      expect(() => signGrant(aGrant({ payloadHash: 'not-a-hash' }), ring)).toThrow(InvalidGrantError);
      expect(() => signGrant(aGrant({ jti: '' }), ring)).toThrow(InvalidGrantError);
      expect(() => signGrant(aGrant({ expiresAt: 1.5 }), ring)).toThrow(InvalidGrantError);
    });

    it('grant with alg none is refused', async () => {
      const token = `${segment({ ...header(), alg: 'none' })}.${segment(claims())}.`;
      const audited = await expectRefusedAndAudited(token, 'unsupported-algorithm');
      expect(audited.subject).toBe('grant:unverified');
      // With a signature part as well, and with no signature part at all.
      await expectRefusedAndAudited(
        forgeToken({ ...header(), alg: 'none' }, claims(), () => 'AA'),
        'unsupported-algorithm',
      );
      await expectRefusedAndAudited(`${segment({ alg: 'none' })}.${segment(claims())}`, 'malformed');
    });

    it('HS256 grant keyed with the public key is refused', async () => {
      // The classic confusion: an HMAC "secret" an attacker can read, our published key.
      const publicPem = ring.verificationKeys.get(kid)?.export({ format: 'pem', type: 'spki' }) ?? '';
      const publicRaw = Buffer.from(ring.active.publicJwk.x, 'base64url');
      for (const secret of [publicPem, publicRaw, JSON.stringify(ring.active.publicJwk)]) {
        const hmac = (input: string) => createHmac('sha256', secret).update(input).digest('base64url');
        await expectRefusedAndAudited(
          forgeToken({ ...header(), alg: 'HS256' }, claims(), hmac),
          'unsupported-algorithm',
        );
      }
    });

    it('grant signed with another algorithm is refused', async () => {
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const es256 = (input: string) =>
        sign('sha256', Buffer.from(input), { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }).toString(
          'base64url',
        );
      await expectRefusedAndAudited(
        forgeToken({ ...header(), alg: 'ES256' }, claims(), es256),
        'unsupported-algorithm',
      );
      // `Ed25519` (the newer JOSE name) is not what we issue either; nor is a missing alg.
      const attacker = ed25519(ring.active.privateKey);
      await expectRefusedAndAudited(
        forgeToken({ ...header(), alg: 'Ed25519' }, claims(), attacker),
        'unsupported-algorithm',
      );
      const { alg: _, ...noAlg } = header();
      await expectRefusedAndAudited(forgeToken(noAlg, claims(), attacker), 'unsupported-algorithm');
    });

    it('grant with an embedded jwk header is refused', async () => {
      const attacker = foreignKey();
      const jwk = { ...attacker.publicKey.export({ format: 'jwk' }), kid };
      const token = forgeToken({ ...header(), jwk }, claims(), ed25519(attacker.privateKey));
      const audited = await expectRefusedAndAudited(token, 'malformed');
      expect(audited.data.reason).toContain('jwk');
    });

    it('grant with a jku, x5u or x5c header is refused', async () => {
      const attacker = foreignKey();
      const pointers: Record<string, unknown> = {
        jku: 'https://evil.example/jwks.json',
        x5u: 'https://evil.example/cert.pem',
        x5c: ['MIIBszCCAVmgAwIBAgIUQ'],
        x5t: 'abc',
      };
      for (const [name, value] of Object.entries(pointers)) {
        const token = forgeToken({ ...header(), [name]: value }, claims(), ed25519(attacker.privateKey));
        const audited = await expectRefusedAndAudited(token, 'malformed');
        expect(audited.data.reason).toContain(name);
      }
    });

    it('grant with an extra or wrong header parameter is refused', async () => {
      const ours = ourSignature;
      await expectRefusedAndAudited(forgeToken({ ...header(), crit: ['exp'] }, claims(), ours), 'malformed');
      await expectRefusedAndAudited(forgeToken({ ...header(), b64: false }, claims(), ours), 'malformed');
      await expectRefusedAndAudited(forgeToken({ ...header(), typ: 'JWT' }, claims(), ours), 'malformed');
      const { typ: _, ...noTyp } = header();
      await expectRefusedAndAudited(forgeToken(noTyp, claims(), ours), 'malformed');
      await expectRefusedAndAudited(forgeToken({ ...header(), kid: 7 }, claims(), ours), 'malformed');
    });

    it('grant with an unknown kid is refused', async () => {
      const attacker = foreignKey();
      const token = forgeToken({ ...header(), kid: 'attacker-key' }, claims(), ed25519(attacker.privateKey));
      const audited = await expectRefusedAndAudited(token, 'unknown-key');
      expect(audited.data.kid).toBe('attacker-key');
    });

    it('grant signed by a foreign key is refused', async () => {
      const attacker = foreignKey();
      const token = forgeToken(header(), claims(), ed25519(attacker.privateKey));
      const audited = await expectRefusedAndAudited(token, 'bad-signature');
      // The claims of a forged token are not facts: the attempt stays out of the request's history.
      expect(audited).toMatchObject({ subject: 'grant:unverified', data: { kid, signatureVerified: false } });
      expect(audited.data.jti).toBeUndefined();
    });

    it('tampered grant payload is refused', async () => {
      const token = signGrant(aGrant({ issuedAt: ISSUED }), ring);
      const [h, p, s] = partsOf(token);
      const changes: Record<string, unknown>[] = [
        { act: 'proxmox.vm.delete' },
        { ph: 'cd'.repeat(32) },
        { exp_ms: ISSUED + 86_400_000, exp: (ISSUED + 86_400_000) / 1000 },
        { aud: 'other' },
      ];
      for (const change of changes) {
        await expectRefusedAndAudited(`${h}.${segment({ ...decoded(p), ...change })}.${s}`, 'bad-signature');
      }
      // Swapping in another grant's signature does not help either.
      const other = partsOf(signGrant(aGrant({ issuedAt: ISSUED, jti: 'grant-99' }), ring))[2];
      await expectRefusedAndAudited(`${h}.${p}.${other}`, 'bad-signature');
    });

    it('grant with a re-encoded signature is refused', async () => {
      const token = signGrant(aGrant({ issuedAt: ISSUED }), ring);
      const [h, p, s] = partsOf(token);
      // The last character of an Ed25519 signature carries 4 spare bits that decoders ignore.
      const last = s.at(-1) ?? 'A';
      const respelled = `${s.slice(0, -1)}${String.fromCharCode(last.charCodeAt(0) + 1)}`;
      await expectRefusedAndAudited(`${h}.${p}.${respelled}`, 'malformed');
    });

    it('expired grant is refused', async () => {
      const token = signGrant(aGrant({ issuedAt: ISSUED, expiresAt: ISSUED + 600_000 }), ring);
      const options = { audience: AUDIENCE, now: ISSUED + 599_999 };
      expect(verifyGrantToken(token, ring, options).ok).toBe(true);
      const audited = await expectRefusedAndAudited(token, 'expired', ISSUED + 600_000);
      // The signature verified: the refusal belongs to the request's history.
      expect(audited).toMatchObject({
        subject: 'request:req-42',
        data: { jti: 'grant-42', kid, signatureVerified: true },
      });
    });

    it('grant for another audience is refused', async () => {
      const token = signGrant(aGrant({ issuedAt: ISSUED, audience: 'billing-service' }), ring);
      const audited = await expectRefusedAndAudited(token, 'wrong-audience');
      expect(audited.subject).toBe('request:req-42');
    });

    it('grant with missing or ill-typed claims is refused', async () => {
      const { jti: _, ...noJti } = claims();
      const broken: Record<string, unknown>[] = [
        noJti,
        { ...claims(), ph: 'not-a-hash' },
        { ...claims(), aud: [AUDIENCE] },
        { ...claims(), exp_ms: String(ISSUED + 600_000) },
        { ...claims(), exp: claims().exp + 3_600 },
        { ...claims(), iat: claims().exp + 1 },
        { ...claims(), admin: true },
        { ...claims(), v: undefined },
      ];
      for (const payload of broken)
        await expectRefusedAndAudited(forgeToken(header(), payload, ourSignature), 'invalid-claims');
      const notJson = `${segment(header())}.${Buffer.from('not json').toString('base64url')}`;
      await expectRefusedAndAudited(`${notJson}.${ourSignature(notJson)}`, 'invalid-claims');
    });

    it('grant of another format version is refused', async () => {
      const token = forgeToken(header(), { ...claims(), v: 2 }, ourSignature);
      const audited = await expectRefusedAndAudited(token, 'unsupported-version');
      expect(audited.data.reason).toContain('version 2');
    });

    it('malformed tokens are refused without throwing', async () => {
      const valid = signGrant(aGrant({ issuedAt: ISSUED }), ring);
      const [h, p, s] = partsOf(valid);
      const junk: unknown[] = [
        undefined,
        null,
        42,
        { token: valid },
        '',
        'abc',
        `${h}.${p}`,
        `${h}.${p}.${s}.extra`,
        `${h}.${p}.${s}.a.b`,
        `${h}=.${p}.${s}`,
        `${h}.${p}.${s}=`,
        ` ${valid}`,
        `${h}.${p}.${s}`.replace(/^./, '*'),
        `${segment([header()])}.${p}.${s}`,
        `${segment('EdDSA')}.${p}.${s}`,
        `${Buffer.from([0xff, 0xfe, 0x7b]).toString('base64url')}.${p}.${s}`,
        `${valid}${'A'.repeat(MAX_GRANT_TOKEN_LENGTH)}`,
      ];
      for (const token of junk) await expectRefusedAndAudited(token, 'malformed');
    });
  });
}
