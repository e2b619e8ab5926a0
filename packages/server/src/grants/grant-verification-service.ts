import type { AuditEventDraft } from '@gatehouse/core';
import { appendAudit } from '../audit/audit-writer.js';
import { RefusedError } from '../domain-errors.js';
import { type Executor, withTransaction } from '../storage/transaction.js';
import type { GrantClaims, GrantVerification } from './grant-claims.js';
import { verifyGrantToken } from './grant-token.js';
import type { KeyRing } from './signing-key-service.js';

/** What checking a presented grant needs. */
export interface GrantVerificationDeps {
  readonly db: Executor;
  /** The current ring (rotation replaces it). */
  readonly keyRing: () => KeyRing;
  /** The audience this server's executors accept (`grantAudience`). */
  readonly audience: string;
}

/** Who presents the grant, and when. */
export interface GrantPresentation {
  /** `agent:<id>`, `user:<id>` or `system`. */
  readonly actor: string;
  readonly now: number;
}

/** The subject of a refused token: its request only when the signature proved the claim. */
const UNVERIFIED_SUBJECT = 'grant:unverified';

function claimedString(payload: Readonly<Record<string, unknown>> | undefined, name: string) {
  const value = payload?.[name];
  return typeof value === 'string' && value.length > 0 ? value.slice(0, 200) : undefined;
}

function refusalDraft(refusal: Extract<GrantVerification, { ok: false }>, actor: string): AuditEventDraft {
  // Only a verified signature makes the payload's claims facts; otherwise the attempt is
  // recorded apart from any request, so a forger cannot write into a request's history.
  const signatureVerified = refusal.signedPayload !== undefined;
  const requestId = claimedString(refusal.signedPayload, 'sub');
  return {
    type: 'grant.refused',
    actor,
    subject: requestId === undefined ? UNVERIFIED_SUBJECT : `request:${requestId}`,
    // Never the token or its signature: a grant is a bearer credential.
    data: {
      operation: 'verify',
      code: refusal.code,
      reason: refusal.message,
      signatureVerified,
      kid: refusal.kid,
      jti: claimedString(refusal.signedPayload, 'jti'),
    },
  };
}

/**
 * Checks a grant token presented to the server (before consuming it). A refused token is
 * audited `grant.refused` (code, reason, kid and, when the signature verified, the request and
 * jti) and then thrown as a `RefusedError` with reason `grant-<code>`; if the audit record
 * cannot be written, the storage error is thrown instead (the grant is refused either way).
 *
 * @example const claims = await verifyPresentedGrant(deps, token, { actor: 'agent:ci-bot', now });
 */
export async function verifyPresentedGrant(
  deps: GrantVerificationDeps,
  token: unknown,
  presentation: GrantPresentation,
): Promise<GrantClaims> {
  const { actor, now } = presentation;
  const verdict = verifyGrantToken(token, deps.keyRing(), { audience: deps.audience, now });
  if (verdict.ok) return verdict.claims;
  await withTransaction(deps.db, (trx) => appendAudit([refusalDraft(verdict, actor)], now, trx));
  throw new RefusedError(`grant-${verdict.code}`, `The grant was refused: ${verdict.message}`, {
    code: verdict.code,
  });
}
