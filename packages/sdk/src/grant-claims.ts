// The claims of a grant token and the rules they meet, exactly as the server checks them
// (packages/server/src/grants/grant-claims.ts), restated so the SDK depends on nothing.

/**
 * The grant format version this SDK reads.
 * @example if (claims.v !== GRANT_TOKEN_VERSION) upgradeSdk();
 */
export const GRANT_TOKEN_VERSION = 1 as const;

/**
 * The JWS `typ` of a grant.
 * @example header.typ === GRANT_TOKEN_TYPE // 'gatehouse-grant+jws'
 */
export const GRANT_TOKEN_TYPE = 'gatehouse-grant+jws';

/**
 * The payload of a grant. `iat`/`exp` are JWT NumericDates (seconds); `exp_ms` is the exact
 * expiry in ms, the one enforced (`exp` is `exp_ms` rounded down).
 * @example if (verdict.ok) console.log(verdict.claims.act, verdict.claims.sub, new Date(verdict.claims.exp_ms));
 */
export interface GrantClaims {
  readonly v: typeof GRANT_TOKEN_VERSION;
  /** The issuing Gatehouse. */
  readonly iss: string;
  /** The executors that may accept it. */
  readonly aud: string;
  /** The approval request id. */
  readonly sub: string;
  /** The grant's unique id, consumed once online. */
  readonly jti: string;
  /** The approved action. */
  readonly act: string;
  /** The approved payload's hash (64 lowercase hex). */
  readonly ph: string;
  readonly iat: number;
  readonly exp: number;
  readonly exp_ms: number;
}

/**
 * Why a grant was refused: the server's codes.
 * @example if (!verdict.ok && verdict.code === 'expired') askAgain();
 */
export type GrantRefusalCode =
  | 'malformed'
  | 'unsupported-algorithm'
  | 'unknown-key'
  | 'bad-signature'
  | 'expired'
  | 'wrong-audience'
  | 'invalid-claims'
  | 'unsupported-version';

const CLAIM_NAMES: ReadonlySet<string> = new Set([
  'v',
  'iss',
  'aud',
  'sub',
  'jti',
  'act',
  'ph',
  'iat',
  'exp',
  'exp_ms',
]);
const STRING_CLAIMS = ['iss', 'aud', 'sub', 'jti', 'act'] as const;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** An untrusted value for a message: quoted, at most 40 characters. */
export function quoteClaimed(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  const short = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return typeof value === 'string' ? JSON.stringify(short) : short;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const isTime = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/**
 * Checks that a payload holds exactly the claims of grant format 1, each well typed: `v`
 * first (another version may change everything else), then each claim, then nothing extra.
 */
export function readGrantClaims(payload: unknown):
  | { readonly ok: true; readonly claims: GrantClaims }
  | {
      readonly ok: false;
      readonly code: 'invalid-claims' | 'unsupported-version';
      readonly message: string;
    } {
  const invalid = (message: string) => ({ ok: false as const, code: 'invalid-claims' as const, message });
  if (!isPlainObject(payload)) return invalid('the payload is not a JSON object');
  if (payload.v === undefined) return invalid('claim v is missing');
  if (payload.v !== GRANT_TOKEN_VERSION) {
    const message = `grant version ${quoteClaimed(payload.v)} is not supported (this SDK reads ${GRANT_TOKEN_VERSION})`;
    return { ok: false, code: 'unsupported-version', message };
  }
  for (const name of STRING_CLAIMS) {
    const value = payload[name];
    if (typeof value !== 'string' || value.length === 0)
      return invalid(`claim ${name} must be a non-empty string`);
  }
  if (typeof payload.ph !== 'string' || !SHA256_HEX.test(payload.ph)) {
    return invalid('claim ph must be 64 lowercase hex digits');
  }
  for (const name of ['iat', 'exp', 'exp_ms'] as const) {
    if (!isTime(payload[name])) return invalid(`claim ${name} must be a non-negative integer`);
  }
  const { iat, exp, exp_ms } = payload as { iat: number; exp: number; exp_ms: number };
  if (exp !== Math.floor(exp_ms / 1000)) return invalid('claim exp does not agree with exp_ms');
  if (iat > exp) return invalid('claim iat is after exp');
  const extra = Object.keys(payload).find((name) => !CLAIM_NAMES.has(name));
  if (extra !== undefined) return invalid(`claim ${quoteClaimed(extra)} is not a grant claim`);
  const claims: GrantClaims = {
    v: GRANT_TOKEN_VERSION,
    iss: payload.iss as string,
    aud: payload.aud as string,
    sub: payload.sub as string,
    jti: payload.jti as string,
    act: payload.act as string,
    ph: payload.ph,
    iat,
    exp,
    exp_ms,
  };
  return { ok: true, claims: Object.freeze(claims) };
}
