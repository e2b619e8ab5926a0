/** Field rules shared by audit records, checkpoints and heads. */

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** A SHA-256 digest as 64 lowercase hex digits. */
export function isSha256Hex(value: unknown): value is string {
  return typeof value === 'string' && HEX_SHA256.test(value);
}

/** A position in the log: an integer from 1. */
export function isAuditSeq(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 1;
}

/** A time in milliseconds since the epoch: a non-negative integer. */
export function isEpochMillis(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** A non-empty string. */
export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** A plain object (not an array, not null, not a class instance). */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Keys of `value` outside `allowed`, for refusing fields no hash or signature covers. */
export function unexpectedKeys(value: Record<string, unknown>, allowed: ReadonlySet<string>): string[] {
  return Object.keys(value).filter((key) => !allowed.has(key));
}
