import type { JwksDocument } from './api-types.js';
import { GatehouseUnavailable } from './gatehouse-denial.js';
import {
  GRANT_TOKEN_TYPE,
  type GrantClaims,
  type GrantRefusalCode,
  quoteClaimed,
  readGrantClaims,
} from './grant-claims.js';

// Offline grant verification for executors, as strict as the server's
// (packages/server/src/grants/grant-jws.ts): one exact token shape, Ed25519 only, keys only
// from the JWKS. `alg` never selects an algorithm, so `none`, HS256-with-the-public-key and
// every other algorithm confusion have no code path to succeed. WebCrypto does the signature.

/**
 * Where the keys come from and what the grant must be for.
 * @example await verifyGrant(token, { jwksUrl: `${url}/.well-known/jwks.json`, audience: 'deployer' });
 */
export interface VerifyGrantOptions {
  /** A JWKS document (`/.well-known/jwks.json`), or … */
  readonly jwks?: JwksDocument;
  /** … the URL to fetch it from. */
  readonly jwksUrl?: string;
  /** The `aud` this executor accepts (the server's `grantAudience`). */
  readonly audience: string;
  /** The time to judge expiry by, ms since the epoch (default: now). */
  readonly now?: number;
  /** For `jwksUrl` (default: the global fetch). */
  readonly fetch?: typeof fetch;
}

/**
 * The verdict: the claims, or the first reason to refuse. Verification never throws for a bad token.
 * @example const verdict: GrantVerification = await verifyGrant(token, options); if (!verdict.ok) refuse(verdict.code);
 */
export type GrantVerification =
  | { readonly ok: true; readonly claims: GrantClaims; readonly kid: string }
  | { readonly ok: false; readonly code: GrantRefusalCode; readonly message: string; readonly kid?: string };

/**
 * Tokens longer than this are refused before any decoding.
 * @example if (token.length > MAX_GRANT_TOKEN_LENGTH) return badRequest();
 */
export const MAX_GRANT_TOKEN_LENGTH = 4_096;

const HEADER_NAMES: ReadonlySet<string> = new Set(['alg', 'kid', 'typ']);
// A token must never choose its own key.
const KEY_CARRYING_HEADERS: ReadonlySet<string> = new Set(['jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256']);
const BASE64URL = /^[A-Za-z0-9_-]+$/;
// 64 bytes, unpadded.
const ED25519_SIGNATURE = /^[A-Za-z0-9_-]{86}$/;
const MAX_KID_LENGTH = 128;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** A WebCrypto public key (the type is not in the ES lib this package compiles against). */
type VerifyKey = Awaited<ReturnType<typeof globalThis.crypto.subtle.importKey>>;

type Refusal = Extract<GrantVerification, { ok: false }>;

function refuse(code: GrantRefusalCode, message: string, kid?: string): Refusal {
  return Object.freeze({ ok: false, code, message, ...(kid === undefined ? {} : { kid }) });
}

/** The bytes of a canonical, unpadded base64url segment; undefined for any other spelling. */
function decodeSegment(segment: string): Uint8Array | undefined {
  if (!BASE64URL.test(segment) || segment.length % 4 === 1) return undefined;
  const base64 = segment.replaceAll('-', '+').replaceAll('_', '/');
  let binary: string;
  try {
    binary = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='));
  } catch {
    return undefined;
  }
  // Decoders ignore an encoding's spare bits: without this, several strings would be one signature.
  if (btoa(binary).replace(/=+$/, '') !== base64) return undefined;
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

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

function readHeader(header: Record<string, unknown>): { readonly kid: string } | Refusal {
  const claimedKid = typeof header.kid === 'string' ? header.kid.slice(0, MAX_KID_LENGTH) : undefined;
  if (header.alg !== 'EdDSA') {
    return refuse(
      'unsupported-algorithm',
      `alg ${quoteClaimed(header.alg)} is not accepted: grants are signed with EdDSA`,
      claimedKid,
    );
  }
  for (const name of Object.keys(header)) {
    if (KEY_CARRYING_HEADERS.has(name)) {
      return refuse(
        'malformed',
        `the header carries its own key (${name}): grants verify only with Gatehouse's keys`,
        claimedKid,
      );
    }
    if (!HEADER_NAMES.has(name))
      return refuse('malformed', `header parameter ${quoteClaimed(name)} is not accepted`, claimedKid);
  }
  if (header.typ !== GRANT_TOKEN_TYPE) {
    return refuse('malformed', `typ ${quoteClaimed(header.typ)} is not ${GRANT_TOKEN_TYPE}`, claimedKid);
  }
  if (typeof header.kid !== 'string' || header.kid.length === 0 || header.kid.length > MAX_KID_LENGTH) {
    return refuse('malformed', `kid must be a string of 1 to ${MAX_KID_LENGTH} characters`);
  }
  return { kid: header.kid };
}

/**
 * The Ed25519 keys of a JWKS by kid. Keys of other types are skipped (a key set may serve
 * other uses); a malformed Ed25519 key or a repeated kid throws, as the server's does.
 */
async function importJwks(jwks: JwksDocument): Promise<Map<string, VerifyKey>> {
  const keys = new Map<string, VerifyKey>();
  for (const jwk of jwks.keys) {
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') continue;
    const { kid, x, alg, use } = jwk;
    if (typeof kid !== 'string' || kid.length === 0) throw new TypeError('every JWK needs a kid');
    if (typeof x !== 'string') throw new TypeError(`JWK ${kid} is not an Ed25519 key`);
    if ((alg !== undefined && alg !== 'EdDSA') || (use !== undefined && use !== 'sig')) {
      throw new TypeError(`JWK ${kid} is not meant for EdDSA signatures`);
    }
    if (keys.has(kid)) throw new TypeError(`JWK ${kid} appears twice`);
    try {
      const key = await globalThis.crypto.subtle.importKey(
        'jwk',
        { kty: 'OKP', crv: 'Ed25519', x },
        { name: 'Ed25519' },
        false,
        ['verify'],
      );
      keys.set(kid, key);
    } catch (cause) {
      throw new TypeError(`JWK ${kid} does not hold a valid Ed25519 public key`, { cause });
    }
  }
  return keys;
}

async function loadJwks(options: VerifyGrantOptions): Promise<JwksDocument> {
  if ((options.jwks === undefined) === (options.jwksUrl === undefined)) {
    throw new TypeError('verifyGrant needs exactly one of jwks or jwksUrl');
  }
  if (options.jwks !== undefined) return options.jwks;
  const url = options.jwksUrl as string;
  let response: Response;
  try {
    response = await (options.fetch ?? globalThis.fetch)(url, { headers: { accept: 'application/json' } });
  } catch (cause) {
    throw new GatehouseUnavailable('network', `the keys at ${url} are unreachable`, { cause });
  }
  if (!response.ok)
    throw new GatehouseUnavailable('server', `the keys at ${url} answered ${response.status}`, {
      status: response.status,
    });
  const document = (await response.json()) as JwksDocument;
  if (!Array.isArray(document?.keys))
    throw new GatehouseUnavailable('server', `${url} is not a JWKS document`);
  return document;
}

/**
 * Verifies a grant offline, as an executor does before acting: compact JWS form, header exactly
 * `{ alg: 'EdDSA', kid, typ: 'gatehouse-grant+jws' }`, a kid of the JWKS, the Ed25519 signature,
 * then the claims, the audience and the expiry (expired from `exp_ms` on). Offline proves the
 * grant is genuine and current; that it is unused and matches the payload is checked when it
 * is consumed online (`gate.consumeGrant`). Throws only when the keys cannot be had.
 *
 * @example
 * const verdict = await verifyGrant(token, { jwksUrl: 'https://gatehouse.example.com/.well-known/jwks.json', audience: 'deployer' });
 * if (!verdict.ok) throw new Error(`grant refused: ${verdict.code}`);
 * console.log(verdict.claims.act, verdict.claims.sub);
 */
export async function verifyGrant(token: unknown, options: VerifyGrantOptions): Promise<GrantVerification> {
  const keys = await importJwks(await loadJwks(options));
  const now = options.now ?? Date.now();
  if (typeof token !== 'string') return refuse('malformed', 'a grant token must be a string');
  if (token.length > MAX_GRANT_TOKEN_LENGTH) {
    return refuse('malformed', `a grant token is at most ${MAX_GRANT_TOKEN_LENGTH} characters`);
  }
  const parts = token.split('.');
  const [headerSegment, payloadSegment, signature] = parts;
  if (
    parts.length !== 3 ||
    headerSegment === undefined ||
    payloadSegment === undefined ||
    signature === undefined
  ) {
    return refuse('malformed', 'a grant token is a compact JWS: three base64url parts joined by dots');
  }
  const header = decodeJsonObject(headerSegment);
  if (header === undefined) return refuse('malformed', 'the header is not a base64url-encoded JSON object');
  const checked = readHeader(header);
  if ('ok' in checked) return checked;
  const { kid } = checked;
  const key = keys.get(kid);
  if (key === undefined) return refuse('unknown-key', `no grant key has kid ${quoteClaimed(kid)}`, kid);
  const signatureBytes = decodeSegment(signature);
  if (signatureBytes === undefined)
    return refuse('malformed', 'the signature is not canonical base64url', kid);
  const verified =
    ED25519_SIGNATURE.test(signature) &&
    (await globalThis.crypto.subtle
      .verify({ name: 'Ed25519' }, key, signatureBytes, encoder.encode(`${headerSegment}.${payloadSegment}`))
      .catch(() => false));
  if (!verified)
    return refuse('bad-signature', `the signature does not verify under key ${quoteClaimed(kid)}`, kid);

  // Signed by Gatehouse from here on: only the content can be refused.
  const payload = decodeJsonObject(payloadSegment);
  if (payload === undefined) return refuse('invalid-claims', 'the payload is not a JSON object', kid);
  const reading = readGrantClaims(payload);
  if (!reading.ok) return refuse(reading.code, reading.message, kid);
  const { claims } = reading;
  if (claims.aud !== options.audience) {
    return refuse(
      'wrong-audience',
      `the grant is for audience ${quoteClaimed(claims.aud)}, not ${quoteClaimed(options.audience)}`,
      kid,
    );
  }
  if (now >= claims.exp_ms)
    return refuse('expired', `grant ${quoteClaimed(claims.jti)} expired at ${claims.exp_ms}`, kid);
  return Object.freeze({ ok: true, claims, kid });
}
