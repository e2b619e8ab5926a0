import { createHash, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { GatehouseError } from '../errors.js';
import type { Sha256, SignatureVerifier, Signer } from '../ports.js';

/**
 * The `Sha256` port on Node: SHA-256 of the string's UTF-8 bytes, as lowercase hex.
 * (Lone surrogates encode as U+FFFD, which is why the core hashes canonical JSON, which refuses them.)
 */
export const nodeSha256: Sha256 = (data) => createHash('sha256').update(data, 'utf8').digest('hex');

/** An Ed25519 public key as published at `/.well-known/jwks.json`. */
export interface Ed25519PublicJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  /** The public key, base64url. */
  readonly x: string;
  readonly kid: string;
  readonly alg: 'EdDSA';
  readonly use: 'sig';
}

/** A JWK as read from a JWKS document: every field is checked before use. */
export type JwkInput = { readonly [field in 'kid' | 'kty' | 'crv' | 'x' | 'alg' | 'use']?: unknown };

/** A fresh signing key: its signer, its public JWK to publish, and the private key to store. */
export interface Ed25519KeyPair {
  readonly signer: Signer;
  readonly publicKeyJwk: Ed25519PublicJwk;
  readonly privateKey: KeyObject;
}

// An Ed25519 signature is 64 bytes: 86 base64url characters without padding.
const ED25519_SIGNATURE = /^[A-Za-z0-9_-]{86}$/;

function invalidKey(message: string): GatehouseError {
  return new GatehouseError('invalid-key', message);
}

function requireEd25519(key: KeyObject, type: 'private' | 'public', keyId: string): void {
  if (key.type !== type || key.asymmetricKeyType !== 'ed25519') {
    throw invalidKey(
      `key ${keyId} must be an Ed25519 ${type} key (got ${key.asymmetricKeyType ?? 'secret'} ${key.type})`,
    );
  }
}

/**
 * The `Signer` port over an Ed25519 private key: signs the UTF-8 bytes of `data`, returns base64url.
 *
 * @example const signer = createEd25519Signer(createPrivateKey(pem), 'audit-2025-01');
 */
export function createEd25519Signer(privateKey: KeyObject, keyId: string): Signer {
  if (keyId.length === 0) throw invalidKey('a signing key needs a non-empty key id');
  requireEd25519(privateKey, 'private', keyId);
  return Object.freeze({
    keyId,
    sign: (data: string) => sign(null, Buffer.from(data, 'utf8'), privateKey).toString('base64url'),
  });
}

/**
 * The `SignatureVerifier` port over known Ed25519 public keys by key id. An unknown key id or
 * a signature that is not exactly 64 bytes of unpadded base64url verifies false; it never throws.
 */
export function createEd25519Verifier(publicKeys: ReadonlyMap<string, KeyObject>): SignatureVerifier {
  const keys = new Map<string, KeyObject>();
  for (const [keyId, key] of publicKeys) {
    requireEd25519(key, 'public', keyId);
    keys.set(keyId, key);
  }
  return Object.freeze({
    verify(keyId: string, data: string, signature: string): boolean {
      const key = keys.get(keyId);
      // Buffer decoding skips characters it does not know, so insist on the exact encoding:
      // otherwise many strings would pass as the same signature.
      if (key === undefined || typeof signature !== 'string' || !ED25519_SIGNATURE.test(signature))
        return false;
      try {
        return verify(null, Buffer.from(data, 'utf8'), key, Buffer.from(signature, 'base64url'));
      } catch {
        return false;
      }
    },
  });
}

/**
 * A verifier from published JWKs (a JWKS `keys` array). Each key needs a `kid`, `kty: 'OKP'`,
 * `crv: 'Ed25519'` and `x`; only the public part is used. Throws for anything else and for a
 * repeated `kid`.
 */
export function createEd25519VerifierFromJwks(jwks: readonly JwkInput[]): SignatureVerifier {
  const keys = new Map<string, KeyObject>();
  for (const jwk of jwks) {
    const { kid, kty, crv, x, alg, use } = jwk;
    if (typeof kid !== 'string' || kid.length === 0) throw invalidKey('every JWK needs a kid');
    if (kty !== 'OKP' || crv !== 'Ed25519' || typeof x !== 'string')
      throw invalidKey(`JWK ${kid} is not an Ed25519 key`);
    if ((alg !== undefined && alg !== 'EdDSA') || (use !== undefined && use !== 'sig')) {
      throw invalidKey(`JWK ${kid} is not meant for EdDSA signatures`);
    }
    if (keys.has(kid)) throw invalidKey(`JWK ${kid} appears twice`);
    let key: KeyObject;
    try {
      key = createPublicKey({ key: { kty, crv, x }, format: 'jwk' });
    } catch (cause) {
      throw new GatehouseError('invalid-key', `JWK ${kid} does not hold a valid Ed25519 public key`, {
        cause,
      });
    }
    keys.set(kid, key);
  }
  return createEd25519Verifier(keys);
}

/** The public JWK of an Ed25519 key, ready to publish. */
export function ed25519PublicJwk(key: KeyObject, keyId: string): Ed25519PublicJwk {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  requireEd25519(publicKey, 'public', keyId);
  const { x } = publicKey.export({ format: 'jwk' });
  if (typeof x !== 'string') throw invalidKey(`key ${keyId} did not export a public value`);
  return Object.freeze({ kty: 'OKP', crv: 'Ed25519', x, kid: keyId, alg: 'EdDSA', use: 'sig' });
}

/**
 * A fresh Ed25519 key named `keyId`.
 *
 * @example const { signer, publicKeyJwk } = generateEd25519Key('audit-2025-01');
 */
export function generateEd25519Key(keyId: string): Ed25519KeyPair {
  const { privateKey } = generateKeyPairSync('ed25519');
  return Object.freeze({
    signer: createEd25519Signer(privateKey, keyId),
    publicKeyJwk: ed25519PublicJwk(privateKey, keyId),
    privateKey,
  });
}
