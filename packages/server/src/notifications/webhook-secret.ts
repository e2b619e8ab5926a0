import { randomBytes } from 'node:crypto';

/** Bytes of a signing secret (the Standard Webhooks spec asks for 24 to 64). */
const SECRET_BYTES = 32;

/**
 * A new signing secret in the Standard Webhooks form: `whsec_` and base64. Shown once, when the
 * subscription is created; the receiver verifies signatures with it.
 */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(SECRET_BYTES).toString('base64')}`;
}
