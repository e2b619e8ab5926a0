import { GatehouseError } from '@gatehouse/core';
import { createEd25519Signer, createEd25519Verifier } from '@gatehouse/core/node';
import {
  GRANT_ALGORITHM,
  GRANT_TOKEN_TYPE,
  GRANT_TOKEN_VERSION,
  type GrantClaims,
  type GrantVerification,
  readGrantClaims,
} from './grant-claims.js';
import { type GrantVerifyOptions, verifyGrantJws } from './grant-jws.js';
import type { KeyRing } from './signing-key-service.js';

/**
 * Grant tokens: compact JWS, EdDSA (Ed25519), signed and verified with the core's Node
 * Ed25519 adapter rather than a JOSE library: the signing input is ASCII, so the adapter's
 * "sign the UTF-8 bytes" is exactly JWS signing, the private key never leaves its KeyObject,
 * and verification accepts only the one shape we issue (see `grant-jws.ts`).
 */

/** What a grant binds, in the domain's words; times in milliseconds. */
export interface GrantToSign {
  /** The server's public URL. */
  readonly issuer: string;
  /** The executor audience (`grantAudience`). */
  readonly audience: string;
  readonly requestId: string;
  /** The grant's unique id (the core's `GrantRecord.jti`). */
  readonly jti: string;
  readonly action: string;
  /** The request's payload hash, 64 lowercase hex. */
  readonly payloadHash: string;
  readonly issuedAt: number;
  /** The exact expiry (the core's `GrantRecord.expiresAt`). */
  readonly expiresAt: number;
}

/** The grant to sign is not well formed: a caller's bug, never a user's input. */
export class InvalidGrantError extends GatehouseError {
  constructor(message: string) {
    super('invalid-grant', message);
  }
}

function base64url(json: unknown): string {
  return Buffer.from(JSON.stringify(json), 'utf8').toString('base64url');
}

/** The claims of a grant to sign, checked by the same rules verification applies. */
export function grantClaimsOf(grant: GrantToSign): GrantClaims {
  const expiresAt = grant.expiresAt;
  const candidate = {
    v: GRANT_TOKEN_VERSION,
    iss: grant.issuer,
    aud: grant.audience,
    sub: grant.requestId,
    jti: grant.jti,
    act: grant.action,
    ph: grant.payloadHash,
    iat: Math.floor(grant.issuedAt / 1000),
    exp: Math.floor(expiresAt / 1000),
    exp_ms: expiresAt,
  };
  const reading = readGrantClaims(candidate);
  if (!reading.ok) throw new InvalidGrantError(`cannot sign this grant: ${reading.message}`);
  return reading.claims;
}

/**
 * Signs a grant with the ring's active key: a compact JWS whose protected header is exactly
 * `{ alg: 'EdDSA', kid, typ: 'gatehouse-grant+jws' }`. Throws `InvalidGrantError` for a
 * malformed grant.
 *
 * @example const token = signGrant({ issuer, audience, requestId, jti, action, payloadHash, issuedAt, expiresAt }, keyRing);
 */
export function signGrant(grant: GrantToSign, keyRing: KeyRing): string {
  const claims = grantClaimsOf(grant);
  const { kid, privateKey } = keyRing.active;
  const signingInput = `${base64url({ alg: GRANT_ALGORITHM, kid, typ: GRANT_TOKEN_TYPE })}.${base64url(claims)}`;
  return `${signingInput}.${createEd25519Signer(privateKey, kid).sign(signingInput)}`;
}

/**
 * Verifies a grant token against the ring's verification keys (the active key and retired
 * ones within their grace period): signature, header, claims, audience and expiry. Never
 * throws for a bad token; see `GrantRefusalCode` for what it refuses.
 *
 * @example const verdict = verifyGrantToken(token, keyRing, { audience: config.grantAudience, now });
 */
export function verifyGrantToken(
  token: unknown,
  keyRing: KeyRing,
  options: GrantVerifyOptions,
): GrantVerification {
  const { verificationKeys } = keyRing;
  const verifier = createEd25519Verifier(verificationKeys);
  return verifyGrantJws(
    token,
    { hasKey: (kid) => verificationKeys.has(kid), verify: verifier.verify },
    options,
  );
}
