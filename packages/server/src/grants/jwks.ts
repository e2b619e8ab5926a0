import { type Ed25519PublicJwk, ed25519PublicJwk } from '@gatehouse/core/node';
import type { KeyRing } from './signing-key-service.js';

/** The JSON Web Key Set served at `/.well-known/jwks.json`. */
export interface JwksDocument {
  readonly keys: readonly Ed25519PublicJwk[];
}

/**
 * The JWKS of a key ring: every key that may verify a grant (the active one first, then
 * retired ones still in their grace period), public halves only.
 *
 * @example app.get('/.well-known/jwks.json', (c) => c.json(jwksDocument(keyRing())));
 */
export function jwksDocument(keyRing: KeyRing): JwksDocument {
  const keys = [...keyRing.verificationKeys].map(([kid, key]) => ed25519PublicJwk(key, kid));
  return Object.freeze({ keys: Object.freeze(keys) });
}
