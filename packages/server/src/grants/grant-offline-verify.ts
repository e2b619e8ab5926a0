import { createEd25519VerifierFromJwks, type JwkInput } from '@gatehouse/core/node';
import type { GrantVerification } from './grant-claims.js';
import { type GrantVerifyOptions, verifyGrantJws } from './grant-jws.js';

/**
 * Offline grant verification for executors and the SDK: a JWKS document in, no database.
 * It checks what a token alone can prove (signature, header, claims, audience, expiry); that
 * the grant is still unused and matches the payload about to run is checked online, when it
 * is consumed.
 */

/** A JWKS document as fetched from `/.well-known/jwks.json`: every key is checked before use. */
export interface JwksInput {
  readonly keys: readonly JwkInput[];
}

/**
 * Verifies a grant token against a JWKS document. Never throws for a bad token; throws a
 * `GatehouseError` (`invalid-key`) when an Ed25519 key of the document is malformed.
 *
 * @example
 * const jwks = await (await fetch(`${gatehouseUrl}/.well-known/jwks.json`)).json();
 * const verdict = verifyGrantOffline(token, jwks, { audience: 'deployer', now: Date.now() });
 * if (!verdict.ok) throw new Error(`grant refused: ${verdict.code}`);
 */
export function verifyGrantOffline(
  token: unknown,
  jwks: JwksInput,
  options: GrantVerifyOptions,
): GrantVerification {
  // A key set may hold keys for other uses; grants are only ever Ed25519.
  const ed25519 = jwks.keys.filter((jwk) => jwk.kty === 'OKP' && jwk.crv === 'Ed25519');
  const kids = new Set(ed25519.map((jwk) => jwk.kid));
  const verifier = createEd25519VerifierFromJwks(ed25519);
  return verifyGrantJws(token, { hasKey: (kid) => kids.has(kid), verify: verifier.verify }, options);
}
