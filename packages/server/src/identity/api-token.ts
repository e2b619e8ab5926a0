import { randomBytes } from 'node:crypto';
import { constantTimeEquals, randomBase64url, sha256Hex } from './identity-crypto.js';

// An API token reads `gh_<prefix>_<secret>`: the prefix is its public id (stored, shown in
// lists, used to find it), the secret 32 random bytes of which only the SHA-256 is stored.

/** Lowercase RFC 4648 base32: no `_`, so the prefix never collides with the separators. */
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const PREFIX_LENGTH = 12;
const SECRET_BYTES = 32;
// 32 bytes are 43 unpadded base64url characters; the secret may itself contain `_` and `-`.
const TOKEN_TEXT = /^gh_([a-z2-7]{12})_([A-Za-z0-9_-]{43})$/;

/** A freshly made token: its text (shown once) and what is stored of it. */
export interface NewTokenSecret {
  /** `gh_<prefix>_<secret>`: give it to the caller once, never store or log it. */
  readonly text: string;
  readonly prefix: string;
  /** SHA-256 hex of the secret part. */
  readonly secretHash: string;
}

/** A token's text split into its parts (the secret still in the clear: hash it, then drop it). */
export interface ParsedToken {
  readonly prefix: string;
  readonly secret: string;
}

/** Makes a new random token: 60 bits of prefix, 256 bits of secret. */
export function generateApiToken(): NewTokenSecret {
  const bytes = randomBytes(PREFIX_LENGTH);
  // 32 symbols and 256 byte values: `byte % 32` is uniform.
  const prefix = Array.from(bytes, (byte) => BASE32[byte % 32]).join('');
  const secret = randomBase64url(SECRET_BYTES);
  return Object.freeze({ text: `gh_${prefix}_${secret}`, prefix, secretHash: hashTokenSecret(secret) });
}

/** Splits `gh_<prefix>_<secret>`; undefined when the text is not exactly that shape. */
export function parseApiToken(text: string): ParsedToken | undefined {
  const match = TOKEN_TEXT.exec(text);
  if (match === null) return undefined;
  const [, prefix, secret] = match;
  if (prefix === undefined || secret === undefined) return undefined;
  return Object.freeze({ prefix, secret });
}

/** How a token secret is stored: SHA-256 hex (the secret has 256 bits of entropy; no salt or KDF needed). */
export function hashTokenSecret(secret: string): string {
  return sha256Hex(secret);
}

/** True when `secret` hashes to `secretHash`; constant-time in where they differ. */
export function tokenSecretMatches(secret: string, secretHash: string): boolean {
  return constantTimeEquals(hashTokenSecret(secret), secretHash);
}
