import type { SignatureVerifier } from '@gatehouse/core';
import {
  GRANT_ALGORITHM,
  GRANT_TOKEN_TYPE,
  type GrantRefusalCode,
  type GrantVerification,
  quoteClaimed,
  readGrantClaims,
} from './grant-claims.js';

/**
 * Strict verification of a grant's compact JWS, over any Ed25519 key source. Portable (only
 * the `SignatureVerifier` port, `atob` and `TextDecoder`): the server checks grants with its
 * key ring, an SDK with a JWKS, a browser with a WebCrypto-backed verifier.
 *
 * Why not a general JOSE library: a grant is one exact shape we issue, so verification accepts
 * that shape and nothing else. `alg` is never used to choose an algorithm (it must be `EdDSA`,
 * and only Ed25519 is ever run), so `none`, HS256 keyed with our public key and every other
 * algorithm confusion have no code path to succeed; a header may carry no key of its own.
 */

/** The keys a grant may be signed with: Ed25519 signatures by key id, and which ids exist. */
export interface GrantVerificationKeys extends SignatureVerifier {
  /** True when `kid` names a key that may verify grants (so a miss is `unknown-key`). */
  hasKey(kid: string): boolean;
}

/** What a grant is verified against. */
export interface GrantVerifyOptions {
  /** The `aud` this verifier accepts. */
  readonly audience: string;
  /** The current time, in milliseconds since the epoch. */
  readonly now: number;
}

/** Longest token accepted, so an oversized input is refused before any decoding. */
export const MAX_GRANT_TOKEN_LENGTH = 4_096;

const HEADER_NAMES: ReadonlySet<string> = new Set(['alg', 'kid', 'typ']);
// Header parameters that carry or point to a key: a token must never choose its own key.
const KEY_CARRYING_HEADERS: ReadonlySet<string> = new Set(['jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256']);
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const MAX_KID_LENGTH = 128;
const utf8 = new TextDecoder('utf-8', { fatal: true });

type Refusal = Extract<GrantVerification, { ok: false }>;

function refuse(code: GrantRefusalCode, message: string, extra: Partial<Refusal> = {}): Refusal {
  return Object.freeze({ ok: false, code, message, ...extra });
}

/**
 * Decodes one base64url segment to bytes; undefined unless it is the exact, unpadded,
 * canonical encoding (so no two strings decode to the same bytes).
 */
function decodeSegment(segment: string): Uint8Array | undefined {
  if (!BASE64URL.test(segment) || segment.length % 4 === 1) return undefined;
  const base64 = segment.replaceAll('-', '+').replaceAll('_', '/');
  let binary: string;
  try {
    binary = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='));
  } catch {
    return undefined;
  }
  if (btoa(binary).replace(/=+$/, '') !== base64) return undefined;
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** The JSON object a segment encodes, or undefined when it is anything else. */
function decodeJsonObject(segment: string): Record<string, unknown> | undefined {
  const bytes = decodeSegment(segment);
  if (bytes === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(utf8.decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Checks the protected header; returns the kid, or the refusal. */
function readHeader(header: Record<string, unknown>): { readonly ok: true; readonly kid: string } | Refusal {
  const claimedKid = typeof header.kid === 'string' ? { kid: header.kid.slice(0, MAX_KID_LENGTH) } : {};
  if (header.alg !== GRANT_ALGORITHM) {
    const message = `alg ${quoteClaimed(header.alg)} is not accepted: grants are signed with ${GRANT_ALGORITHM}`;
    return refuse('unsupported-algorithm', message, claimedKid);
  }
  for (const name of Object.keys(header)) {
    if (KEY_CARRYING_HEADERS.has(name)) {
      const message = `the header carries its own key (${name}): grants verify only with Gatehouse's keys`;
      return refuse('malformed', message, claimedKid);
    }
    if (!HEADER_NAMES.has(name))
      return refuse('malformed', `header parameter ${quoteClaimed(name)} is not accepted`, claimedKid);
  }
  if (header.typ !== GRANT_TOKEN_TYPE)
    return refuse('malformed', `typ ${quoteClaimed(header.typ)} is not ${GRANT_TOKEN_TYPE}`, claimedKid);
  if (typeof header.kid !== 'string' || header.kid.length === 0 || header.kid.length > MAX_KID_LENGTH)
    return refuse('malformed', `kid must be a string of 1 to ${MAX_KID_LENGTH} characters`);
  return { ok: true, kid: header.kid };
}

/**
 * Verifies a grant token: compact JWS form, header exactly `{ alg: 'EdDSA', kid, typ }`, a
 * known kid, the Ed25519 signature, then the claims (`v`, types), audience and expiry (a grant
 * is expired from `exp_ms` on). Returns the claims or the first reason to refuse; never throws
 * for a bad token.
 *
 * @example const verdict = verifyGrantJws(token, keys, { audience: 'deployer', now: Date.now() });
 */
export function verifyGrantJws(
  token: unknown,
  keys: GrantVerificationKeys,
  options: GrantVerifyOptions,
): GrantVerification {
  if (typeof token !== 'string') return refuse('malformed', 'a grant token must be a string');
  if (token.length > MAX_GRANT_TOKEN_LENGTH)
    return refuse('malformed', `a grant token is at most ${MAX_GRANT_TOKEN_LENGTH} characters`);
  const parts = token.split('.');
  const [headerSegment, payloadSegment, signature] = parts;
  if (
    parts.length !== 3 ||
    headerSegment === undefined ||
    payloadSegment === undefined ||
    signature === undefined
  )
    return refuse('malformed', 'a grant token is a compact JWS: three base64url parts joined by dots');
  const header = decodeJsonObject(headerSegment);
  if (header === undefined) return refuse('malformed', 'the header is not a base64url-encoded JSON object');
  // The header first, so an unsigned `alg: none` token is named for what it is.
  const checked = readHeader(header);
  if (!checked.ok) return checked;
  const { kid } = checked;
  if (!keys.hasKey(kid)) return refuse('unknown-key', `no grant key has kid ${quoteClaimed(kid)}`, { kid });
  // One token, one spelling: base64url decoders ignore an encoding's spare bits, so without
  // this check several signature strings would verify as the same signature.
  if (decodeSegment(signature) === undefined)
    return refuse('malformed', 'the signature is not canonical base64url', { kid });
  if (!keys.verify(kid, `${headerSegment}.${payloadSegment}`, signature))
    return refuse('bad-signature', `the signature does not verify under key ${quoteClaimed(kid)}`, { kid });

  // Signed by us from here on: the payload is authentic, and only its content can be refused.
  const payload = decodeJsonObject(payloadSegment);
  if (payload === undefined) return refuse('invalid-claims', 'the payload is not a JSON object', { kid });
  const signedPayload = Object.freeze({ ...payload });
  const reading = readGrantClaims(payload);
  if (!reading.ok) return refuse(reading.code, reading.message, { kid, signedPayload });
  const { claims } = reading;
  if (claims.aud !== options.audience) {
    const message = `the grant is for audience ${quoteClaimed(claims.aud)}, not ${quoteClaimed(options.audience)}`;
    return refuse('wrong-audience', message, { kid, signedPayload });
  }
  if (options.now >= claims.exp_ms)
    return refuse('expired', `grant ${quoteClaimed(claims.jti)} expired at ${claims.exp_ms}`, {
      kid,
      signedPayload,
    });
  return Object.freeze({ ok: true, claims, kid });
}
