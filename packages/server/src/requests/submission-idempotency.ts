import { type ApprovalRequest, canonicalJson } from '@gatehouse/core';
import { nodeSha256 } from '@gatehouse/core/node';
import { RefusedError } from '../domain-errors.js';
import {
  deleteIdempotencyKeyBefore,
  findIdempotencyKey,
  getRequest,
  type IdempotencyRecord,
  insertIdempotencyKey,
} from '../storage/index.js';
import type { Executor } from '../storage/transaction.js';
import { actorName, type RequestActor } from './request-actor.js';
import { recordAudit } from './request-commit.js';
import type { RequestServiceDeps } from './request-service-deps.js';

/**
 * How long an `Idempotency-Key` is remembered: within it, the same key and body answer with the
 * original request, the same key and another body are refused; after it, the key is free again.
 */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The refusal code (422) of a key sent again with a different body. */
export const IDEMPOTENCY_KEY_REUSED = 'idempotency-key-reused';

/** Bumped if what the body hash covers ever changes, so old and new hashes never compare equal. */
const BODY_HASH_VERSION = 1;

/** A submission's claim on an idempotency key: whose key, which key, and which body. */
export interface IdempotencyClaim {
  readonly principal: string;
  readonly key: string;
  readonly bodyHash: string;
}

/**
 * The claim of `actor`'s submission on `key`. The hash covers every field of the validated
 * body (action, params, context, reason, onBehalfOf), canonically: key order and whitespace do
 * not count, any difference of value does.
 */
export function idempotencyClaim(actor: RequestActor, key: string, body: object): IdempotencyClaim {
  const bodyHash = nodeSha256(canonicalJson({ v: BODY_HASH_VERSION, body }));
  return { principal: actorName(actor), key, bodyHash };
}

async function refuseReuse(
  deps: RequestServiceDeps,
  claim: IdempotencyClaim,
  earlier: IdempotencyRecord,
): Promise<never> {
  await recordAudit(deps, [
    {
      type: 'request.idempotency.refused',
      actor: claim.principal,
      subject: `request:${earlier.requestId}`,
      data: { code: IDEMPOTENCY_KEY_REUSED, key: claim.key },
    },
  ]);
  throw new RefusedError(
    IDEMPOTENCY_KEY_REUSED,
    `idempotency-key: "${claim.key}" was used for request ${earlier.requestId} with a different body; ` +
      'use a new key for a new submission',
    { field: 'idempotency-key', requestId: earlier.requestId },
  );
}

/**
 * The request the claim's key created within the window, when it was sent with the same body;
 * undefined when the key is unused or its window has passed. The same key with another body is
 * refused (422 `idempotency-key-reused`) and audited as `request.idempotency.refused`.
 */
export async function findIdempotentReplay(
  deps: RequestServiceDeps,
  claim: IdempotencyClaim,
): Promise<ApprovalRequest | undefined> {
  const earlier = await findIdempotencyKey(claim.principal, claim.key, deps.db);
  if (earlier === undefined || earlier.createdAt < deps.now() - IDEMPOTENCY_WINDOW_MS) return undefined;
  if (earlier.bodyHash !== claim.bodyHash) return refuseReuse(deps, claim, earlier);
  const stored = await getRequest(earlier.requestId, deps.db);
  if (stored === undefined) throw new Error(`idempotency key names a missing request ${earlier.requestId}`);
  return stored.request;
}

/**
 * Records the claim for a new request, in the submission's transaction, freeing the key first if
 * its window has passed. A key another submission holds is a `ConflictError` (`idempotency_pkey`):
 * the loser of a race then looks the winner up with {@link findIdempotentReplay}, body and all.
 */
export async function recordIdempotencyClaim(
  claim: IdempotencyClaim,
  requestId: string,
  now: number,
  trx: Executor,
): Promise<void> {
  await deleteIdempotencyKeyBefore(claim.principal, claim.key, now - IDEMPOTENCY_WINDOW_MS, trx);
  await insertIdempotencyKey({ ...claim, requestId, createdAt: now }, trx);
}
