import { createHmac } from 'node:crypto';
import {
  decoded,
  ed25519,
  foreignKey,
  forgeToken,
  partsOf,
} from '../../src/grants/grant-fixtures.test-support.js';

// Grants an attacker builds from a genuine one (imported by *.test.ts only): the same header
// (our kid) and claims, signed some other way.

/** The genuine grant's header and claims, decoded. */
function pieces(genuine: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [header, payload] = partsOf(genuine);
  return { header: decoded(header), claims: decoded(payload) };
}

/** The same header and claims, signed with a fresh Ed25519 key that is not Gatehouse's. */
export function signedByForeignKey(genuine: string): string {
  const { header, claims } = pieces(genuine);
  return forgeToken(header, claims, ed25519(foreignKey().privateKey));
}

/** The same claims under `alg: none`, with an empty signature. */
export function unsigned(genuine: string): string {
  const { header, claims } = pieces(genuine);
  return forgeToken({ ...header, alg: 'none' }, claims, () => '');
}

/** The same claims under `alg: HS256`, keyed with `secret` (e.g. our public key's bytes). */
export function hmacSigned(genuine: string, secret: string): string {
  const { header, claims } = pieces(genuine);
  return forgeToken({ ...header, alg: 'HS256' }, claims, (input) =>
    createHmac('sha256', secret).update(input).digest('base64url'),
  );
}

/** The same claims, with the attacker's own public key embedded in the header (`jwk`). */
export function carryingOwnKey(genuine: string): string {
  const { header, claims } = pieces(genuine);
  const { privateKey, publicKey } = foreignKey();
  const jwk = publicKey.export({ format: 'jwk' });
  return forgeToken({ ...header, jwk }, claims, ed25519(privateKey));
}
