import type { AuditEventDraft, AuditRecord } from '@gatehouse/core';
import { appendAudit } from '../audit/audit-writer.js';
import { RefusedError } from '../domain-errors.js';
import { type Executor, withTransaction } from '../storage/transaction.js';
import type { GrantClaims, GrantVerification } from './grant-claims.js';

/** What checking a presented grant needs. */
export interface GrantVerificationDeps {
  readonly db: Executor;
  /** Checks signature, claims, audience and expiry against the current keys (`verifyGrantToken`). */
  readonly verify: (token: unknown, now: number) => GrantVerification;
  /** Hands the committed refusal to live views, when there are any. */
  readonly publish?: (records: readonly AuditRecord[]) => void;
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
      presenter: actor,
      code: refusal.code,
      reason: refusal.message,
      signatureVerified,
      kid: refusal.kid,
      jti: claimedString(refusal.signedPayload, 'jti'),
    },
  };
}

/**
 * Checks a grant token presented to the server, before anything else looks at it: the one
 * audited path for refused tokens (grant consumption goes through here). A refused token is
 * audited `grant.refused` (the presenter, code, reason, kid and, when the signature verified, the
 * request and jti) and then thrown as a `RefusedError` with reason `grant-<code>`; if the audit
 * record cannot be written, the storage error is thrown instead (the grant is refused either way).
 *
 * @example const claims = await verifyPresentedGrant(deps, token, { actor: 'agent:ci-bot', now });
 */
export async function verifyPresentedGrant(
  deps: GrantVerificationDeps,
  token: unknown,
  presentation: GrantPresentation,
): Promise<GrantClaims> {
  const { actor, now } = presentation;
  const verdict = deps.verify(token, now);
  if (verdict.ok) return verdict.claims;
  const records = await withTransaction(deps.db, (trx) =>
    appendAudit([refusalDraft(verdict, actor)], now, trx),
  );
  deps.publish?.(records);
  throw new RefusedError(`grant-${verdict.code}`, `The grant was refused: ${verdict.message}`, {
    code: verdict.code,
  });
}
