import type {
  ApprovalRequest,
  AuditEventDraft,
  AuditRecord,
  RequestEvent,
  TransitionResult,
} from '@gatehouse/core';
import { transition } from '@gatehouse/core';
import type { Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-writer.js';
import { NotFoundError, RefusedError } from '../domain-errors.js';
import type { GatehouseDatabase } from '../storage/database-types.js';
import {
  deleteRequestTimers,
  getRequest,
  insertGrant,
  insertReview,
  insertTimer,
  type StoredRequest,
  updateRequest,
  withTransaction,
} from '../storage/index.js';
import type { RequestServiceDeps } from './request-service-deps.js';

const MAX_ATTEMPTS = 8;

/** Thrown inside a transaction when another writer changed the request first: the attempt is retried. */
class LostRace extends Error {}

/** The outcome of one committed transition. */
export interface Committed {
  readonly request: ApprovalRequest;
  readonly records: readonly AuditRecord[];
}

/**
 * Persist what an accepted transition decided, in the caller's transaction: the request,
 * a new review, the grant (issued at once when the request became approved), the timers,
 * and every audit record. Throws `LostRace` when the request changed since it was read.
 */
async function persist(
  deps: RequestServiceDeps,
  stored: StoredRequest,
  result: Extract<TransitionResult, { ok: true }>,
  now: number,
  trx: Transaction<GatehouseDatabase>,
): Promise<{ request: ApprovalRequest; audit: AuditEventDraft[] }> {
  let request = result.request;
  const audit: AuditEventDraft[] = [...result.audit];
  const before = stored.request;
  if (before.status === 'pending' && request.status === 'approved' && request.grant === undefined) {
    const granted = transition(
      request,
      { type: 'issue-grant', jti: deps.newId(), ttl: request.requirement.grantTtl },
      now,
    );
    if (!granted.ok) throw new Error(`issuing the grant was refused: ${granted.reason}`);
    request = granted.request;
    audit.push(...granted.audit);
  }
  if ((await updateRequest(stored, request, trx)) === 0) throw new LostRace();
  if (request.reviews.length > before.reviews.length) {
    const review = request.reviews.at(-1);
    if (review !== undefined) await insertReview(request.id, review, trx);
  }
  if (request.grant !== undefined && before.grant === undefined) {
    const { jti, issuedAt, expiresAt } = request.grant;
    await insertGrant(
      { jti, requestId: request.id, payloadHash: request.payloadHash, issuedAt, expiresAt },
      trx,
    );
  }
  if (before.status === 'pending' && request.status !== 'pending') await deleteRequestTimers(request.id, trx);
  if (request.status === 'pending' && request.expiresAt !== before.expiresAt) {
    await insertTimer(
      { id: deps.newId(), requestId: request.id, kind: 'expire', dueAt: request.expiresAt },
      trx,
    );
  }
  return { request, audit };
}

/** A refusal found by an extra check inside the transaction (e.g. the grant row was already consumed). */
export interface ExtraRefusal {
  readonly code: string;
  readonly reason: string;
}

/** Options for `commitEvent`. */
export interface CommitOptions {
  /** Guards reads the caller may not make: false answers "not found". */
  readonly visible?: (request: ApprovalRequest) => boolean;
  /** Runs in the same transaction after the transition was accepted; a refusal rolls everything back. */
  readonly inTransaction?: (
    request: ApprovalRequest,
    trx: Transaction<GatehouseDatabase>,
    now: number,
  ) => Promise<ExtraRefusal | undefined>;
  /** Who is refused, and the audit type, for an extra refusal (default `request.refused`). */
  readonly actor?: string;
  readonly refusalType?: string;
}

/**
 * Apply one event to a request: read it inside a transaction, run the core's pure
 * `transition`, persist what it decided with its audit records (fail closed: no audit, no
 * change), and publish the committed records. A refusal is audited in a transaction of its
 * own and thrown as `RefusedError`.
 */
export async function commitEvent(
  deps: RequestServiceDeps,
  id: string,
  event: RequestEvent | ((request: ApprovalRequest) => RequestEvent),
  options: CommitOptions = {},
): Promise<Committed> {
  const visible = options.visible ?? (() => true);
  for (let attempt = 1; ; attempt++) {
    const now = deps.now();
    try {
      const outcome = await withTransaction(deps.db, async (trx) => {
        const stored = await getRequest(id, trx);
        if (stored === undefined || !visible(stored.request)) throw new NotFoundError('request', id);
        const result = transition(
          stored.request,
          typeof event === 'function' ? event(stored.request) : event,
          now,
        );
        if (!result.ok) {
          return {
            committed: undefined,
            refused: { code: result.code, reason: result.reason, audit: result.audit },
          };
        }
        const extra = await options.inTransaction?.(result.request, trx, now);
        if (extra !== undefined) throw new ExtraRefusalError(extra);
        const { request, audit } = await persist(deps, stored, result, now, trx);
        const records = await appendAudit(audit, now, trx);
        return { committed: { request, records }, refused: undefined };
      });
      if (outcome.committed !== undefined) {
        deps.events.publish(outcome.committed.records);
        return outcome.committed;
      }
      const refusal = outcome.refused;
      // The core names `system` for events it cannot attribute (grant bookkeeping); the caller knows who tried.
      const audit =
        options.actor === undefined
          ? refusal.audit
          : refusal.audit.map((draft) => ({ ...draft, actor: options.actor as string }));
      await recordAudit(deps, audit);
      throw new RefusedError(refusal.code, refusal.reason);
    } catch (error) {
      if (error instanceof LostRace && attempt < MAX_ATTEMPTS) continue;
      if (error instanceof ExtraRefusalError) {
        const { code, reason } = error.refusal;
        await recordAudit(deps, [
          {
            type: options.refusalType ?? 'request.refused',
            actor: options.actor ?? 'system',
            subject: `request:${id}`,
            data: { code, reason },
          },
        ]);
        throw new RefusedError(code, reason);
      }
      throw error;
    }
  }
}

class ExtraRefusalError extends Error {
  constructor(readonly refusal: ExtraRefusal) {
    super(refusal.reason);
  }
}

/** Append audit records on their own (refusals, denied grants) and publish them. */
export async function recordAudit(
  deps: RequestServiceDeps,
  drafts: readonly AuditEventDraft[],
): Promise<void> {
  if (drafts.length === 0) return;
  const records = await withTransaction(deps.db, (trx) => appendAudit(drafts, deps.now(), trx));
  deps.events.publish(records);
}
