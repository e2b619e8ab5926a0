/**
 * The claims a grant token carries, and the rules they must meet. Portable (no Node, no
 * database): the offline verifier an SDK reuses depends on this file.
 */

/** The `v` claim of the grant format this build writes and reads. */
export const GRANT_TOKEN_VERSION = 1 as const;

/** The JWS `typ` header of a grant: stops any other JWS of ours being passed off as a grant. */
export const GRANT_TOKEN_TYPE = 'gatehouse-grant+jws';

/** The only JWS algorithm grants use (Ed25519 signatures). */
export const GRANT_ALGORITHM = 'EdDSA';

/**
 * The payload of a grant token. `iat`/`exp` are JWT NumericDates (whole seconds) so standard
 * JWT tooling can read them; `exp_ms` is the exact expiry in ms, the one Gatehouse enforces
 * (`exp` is `exp_ms` rounded down, so a seconds-only reader never accepts a grant for longer).
 */
export interface GrantClaims {
  readonly v: typeof GRANT_TOKEN_VERSION;
  /** Who issued it: the Gatehouse server's public URL. */
  readonly iss: string;
  /** Who may accept it: the executor's audience (`grantAudience` in the server config). */
  readonly aud: string;
  /** The approval request id. */
  readonly sub: string;
  /** The grant's unique id, consumed exactly once online. */
  readonly jti: string;
  /** The approved action, e.g. `deploy.production`. */
  readonly act: string;
  /** The request's payload hash (64 lowercase hex): the exact payload that was approved. */
  readonly ph: string;
  /** Issued at, seconds since the epoch. */
  readonly iat: number;
  /** Expires at, seconds since the epoch (`floor(exp_ms / 1000)`). */
  readonly exp: number;
  /** Expires at, milliseconds since the epoch: the grant is refused from this instant on. */
  readonly exp_ms: number;
}

/** Why a grant token was refused. Stable codes, safe to show and to audit. */
export type GrantRefusalCode =
  | 'malformed'
  | 'unsupported-algorithm'
  | 'unknown-key'
  | 'bad-signature'
  | 'expired'
  | 'wrong-audience'
  | 'invalid-claims'
  | 'unsupported-version';

/** The verdict on a grant token. Verification never throws for a bad token. */
export type GrantVerification =
  | { readonly ok: true; readonly claims: GrantClaims; readonly kid: string }
  | {
      readonly ok: false;
      readonly code: GrantRefusalCode;
      /** A sentence for people; quotes at most a short prefix of anything the token claims. */
      readonly message: string;
      /** The `kid` the header named, when it had a string one (as claimed, not verified). */
      readonly kid?: string;
      /**
       * The payload, only when the signature verified (so it is authentic but refused:
       * expired, another audience, unreadable claims or version).
       */
      readonly signedPayload?: Readonly<Record<string, unknown>>;
    };

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

/** What `readGrantClaims` found. */
export type GrantClaimsReading =
  | { readonly ok: true; readonly claims: GrantClaims }
  | { readonly ok: false; readonly code: 'invalid-claims' | 'unsupported-version'; readonly message: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isTime(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** An untrusted value for a message: a string quoted, anything else as text, at most 40 characters. */
export function quoteClaimed(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  const short = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return typeof value === 'string' ? JSON.stringify(short) : short;
}

/**
 * Checks that `payload` holds exactly the claims of grant format {@link GRANT_TOKEN_VERSION},
 * each well typed: `v` first (another version may change every other claim), then each claim,
 * then that nothing else is there. Never throws.
 */
export function readGrantClaims(payload: unknown): GrantClaimsReading {
  const invalid = (message: string): GrantClaimsReading => ({ ok: false, code: 'invalid-claims', message });
  if (!isPlainObject(payload)) return invalid('the payload is not a JSON object');
  if (payload.v === undefined) return invalid('claim v is missing');
  if (payload.v !== GRANT_TOKEN_VERSION) {
    const message = `grant version ${quoteClaimed(payload.v)} is not supported (this build reads ${GRANT_TOKEN_VERSION})`;
    return { ok: false, code: 'unsupported-version', message };
  }
  for (const name of STRING_CLAIMS) {
    const value = payload[name];
    if (typeof value !== 'string' || value.length === 0)
      return invalid(`claim ${name} must be a non-empty string`);
  }
  if (typeof payload.ph !== 'string' || !SHA256_HEX.test(payload.ph))
    return invalid('claim ph must be 64 lowercase hex digits');
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
