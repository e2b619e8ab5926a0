import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GatehouseError } from '../errors.js';
import {
  createEd25519Signer,
  createEd25519Verifier,
  createEd25519VerifierFromJwks,
  ed25519PublicJwk,
  generateEd25519Key,
  type JwkInput,
  nodeSha256,
} from './node.js';

describe('nodeSha256', () => {
  it('matches the FIPS 180-2 test vectors, as lowercase hex of the UTF-8 bytes', () => {
    expect(nodeSha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(nodeSha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(nodeSha256('é')).toBe(nodeSha256('\u00e9'));
    expect(nodeSha256('é')).not.toBe(nodeSha256('e\u0301'));
  });
});

describe('Ed25519 signer and verifier', () => {
  const key = generateEd25519Key('k1');
  const verifier = createEd25519VerifierFromJwks([key.publicKeyJwk]);

  it('generates a key with a publishable JWK', () => {
    expect(key.signer.keyId).toBe('k1');
    expect(key.publicKeyJwk).toMatchObject({
      kty: 'OKP',
      crv: 'Ed25519',
      kid: 'k1',
      alg: 'EdDSA',
      use: 'sig',
    });
    expect(key.publicKeyJwk.x).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key.publicKeyJwk).not.toHaveProperty('d');
    expect(ed25519PublicJwk(createPublicKey(key.privateKey), 'k1')).toEqual(key.publicKeyJwk);
  });

  it('signs to 64 bytes of base64url that verify for the same data only', () => {
    const signature = key.signer.sign('hello');
    expect(signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(verifier.verify('k1', 'hello', signature)).toBe(true);
    expect(verifier.verify('k1', 'hello!', signature)).toBe(false);
  });

  it('refuses an unknown key id, a foreign key, and a garbled signature', () => {
    const signature = key.signer.sign('data');
    expect(verifier.verify('k2', 'data', signature)).toBe(false);
    expect(verifier.verify('k1', 'data', generateEd25519Key('k1').signer.sign('data'))).toBe(false);
    expect(verifier.verify('k1', 'data', '')).toBe(false);
    expect(verifier.verify('k1', 'data', signature.slice(1))).toBe(false);
    expect(verifier.verify('k1', 'data', `${signature}==`)).toBe(false);
    // The same bytes in padded standard base64: not the encoding the port promises.
    expect(verifier.verify('k1', 'data', Buffer.from(signature, 'base64url').toString('base64'))).toBe(false);
  });

  it('verifies with public KeyObjects by key id', () => {
    const other = generateEd25519Key('k2');
    const both = createEd25519Verifier(
      new Map([
        ['k1', createPublicKey(key.privateKey)],
        ['k2', createPublicKey(other.privateKey)],
      ]),
    );
    expect(both.verify('k2', 'x', other.signer.sign('x'))).toBe(true);
    expect(both.verify('k1', 'x', other.signer.sign('x'))).toBe(false);
  });

  it('wraps an existing private key as a signer', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const signer = createEd25519Signer(privateKey, 'k3');
    const check = createEd25519Verifier(new Map([['k3', publicKey]]));
    expect(check.verify('k3', 'payload', signer.sign('payload'))).toBe(true);
  });

  it('refuses keys that are not Ed25519 or of the wrong kind', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const ed = generateKeyPairSync('ed25519');
    const failures = [
      () => createEd25519Signer(rsa.privateKey, 'r'),
      () => createEd25519Signer(ed.publicKey, 'p'),
      () => createEd25519Signer(ed.privateKey, ''),
      () => createEd25519Verifier(new Map([['r', rsa.publicKey]])),
      () => createEd25519Verifier(new Map([['p', ed.privateKey]])),
    ];
    for (const run of failures) expect(run).toThrow(GatehouseError);
  });

  it('refuses JWKs that are not Ed25519 signing keys, or repeat a kid', () => {
    const jwk = key.publicKeyJwk;
    const bad: JwkInput[] = [
      { ...jwk, kid: undefined },
      { ...jwk, crv: 'X25519' },
      { ...jwk, kty: 'EC' },
      { ...jwk, alg: 'RS256' },
      { ...jwk, use: 'enc' },
      { ...jwk, x: 'too-short' },
    ];
    for (const entry of bad) expect(() => createEd25519VerifierFromJwks([entry])).toThrow(GatehouseError);
    expect(() => createEd25519VerifierFromJwks([jwk, jwk])).toThrow(/appears twice/);
  });

  it('uses only the public part of a JWK that carries a private one', () => {
    const exported = key.privateKey.export({ format: 'jwk' });
    const fromPrivate = createEd25519VerifierFromJwks([{ ...exported, kid: 'k1' }]);
    expect(fromPrivate.verify('k1', 'm', key.signer.sign('m'))).toBe(true);
  });
});
