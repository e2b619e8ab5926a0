import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// The few cryptographic primitives identity needs, in one place so every secret is made and
// compared the same way: random bytes as base64url, SHA-256 as hex, constant-time equality.

/** `size` random bytes from the OS CSPRNG, as unpadded base64url. */
export function randomBase64url(size: number): string {
  return randomBytes(size).toString('base64url');
}

/** SHA-256 of a UTF-8 string, as lowercase hex: how secrets are stored (never the secret itself). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Compares two strings in time that depends only on their lengths, never on where they differ.
 * Hashes of the same algorithm always have equal lengths, so nothing leaks when comparing those.
 */
export function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}
