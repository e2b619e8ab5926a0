import { canonicalJson } from '../audit/canonical-json.js';
import type { Sha256 } from '../ports.js';

/** The payload hash format version; part of what is hashed, so a new format never collides. */
export const PAYLOAD_HASH_VERSION = 1 as const;

/**
 * The context fields an approval is bound to: where and for what the action runs. The agent's
 * `reason` and `risk` hint are deliberately left out: they are the agent's own words, shown
 * as claimed, and rewording them must not void (or be needed to match) an approval.
 */
export const PAYLOAD_CONTEXT_FIELDS = Object.freeze(['environment', 'team', 'workflow', 'runId'] as const);

/** What an approval and its grant are bound to. */
export interface ActionPayload {
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly context: Readonly<Record<string, unknown>>;
  readonly onBehalfOf?: string;
}

/**
 * SHA-256 of the canonical JSON of `{ v: 1, action, params, context: <the bound fields>,
 * onBehalfOf }`: equal for the same action however its keys are ordered, different when any
 * param or bound context field changes. Fields that are absent or `undefined` are left out
 * (a `null` is a value and counts). Throws `NotCanonicalizableError` for params JSON cannot carry.
 *
 * @example payloadHash({ action: 'deploy.production', params: { ref: 'v1.2' }, context: { environment: 'prod' } }, nodeSha256)
 */
export function payloadHash(payload: ActionPayload, sha256: Sha256): string {
  const context: Record<string, unknown> = {};
  for (const field of PAYLOAD_CONTEXT_FIELDS) {
    // Own properties only: an inherited `environment` is not something the agent sent.
    if (Object.hasOwn(payload.context, field)) context[field] = payload.context[field];
  }
  const { action, params, onBehalfOf } = payload;
  return sha256(canonicalJson({ v: PAYLOAD_HASH_VERSION, action, params, context, onBehalfOf }));
}
