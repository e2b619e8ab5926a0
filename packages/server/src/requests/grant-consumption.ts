import { payloadHash } from '@gatehouse/core';
import { nodeSha256 } from '@gatehouse/core/node';
import { RefusedError } from '../domain-errors.js';
import { consumeGrant as consumeGrantRow } from '../storage/index.js';
import { actorName, hasScope, type RequestActor } from './request-actor.js';
import { commitEvent, recordAudit } from './request-commit.js';
import type { RequestServiceDeps } from './request-service-deps.js';

/** What the executor presents: the grant and, optionally, the payload it is about to run. */
export interface GrantPresentation {
  readonly grant: string;
  readonly action?: string;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly context?: Readonly<Record<string, unknown>>;
}

/** What a consumed grant allows: exactly this action with exactly these params, once. */
export interface ConsumedGrant {
  readonly requestId: string;
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly context: Readonly<Record<string, unknown>>;
  readonly payloadHash: string;
}

async function refuse(
  deps: RequestServiceDeps,
  actor: RequestActor,
  code: string,
  message: string,
  requestId?: string,
) {
  await recordAudit(deps, [
    {
      type: 'grant.refused',
      actor: actorName(actor),
      subject: requestId === undefined ? 'grant:unverified' : `request:${requestId}`,
      data: { code, reason: message },
    },
  ]);
  return new RefusedError(code, message);
}

/**
 * Verify a grant (signature, expiry, audience, payload hash) and consume it exactly once.
 * When the executor presents the payload it will run, its hash must be the approved one.
 * The grant row's conditional update decides between concurrent consumers, in the same
 * transaction as the request's change; every refusal is audited.
 */
export async function consumeGrant(
  deps: RequestServiceDeps,
  actor: RequestActor,
  presented: GrantPresentation,
): Promise<ConsumedGrant> {
  if (!hasScope(actor, 'grants:consume')) {
    throw await refuse(deps, actor, 'missing-scope', 'this token may not consume grants');
  }
  const check = await deps.grants.verify(presented.grant, deps.now());
  if (!check.ok) throw await refuse(deps, actor, check.code, check.message, check.requestId);
  const presentsPayload = presented.action !== undefined || presented.params !== undefined;
  const { request } = await commitEvent(
    deps,
    check.requestId,
    (current) => {
      if (!presentsPayload) return { type: 'consume-grant', jti: check.jti, payloadHash: check.payloadHash };
      const hash = payloadHash(
        {
          action: presented.action ?? '',
          params: presented.params ?? {},
          context: presented.context ?? current.context,
          ...(current.onBehalfOf === undefined ? {} : { onBehalfOf: current.onBehalfOf }),
        },
        nodeSha256,
      );
      // The signed claim and the presented payload must agree; the core compares with the request.
      return {
        type: 'consume-grant',
        jti: check.jti,
        payloadHash: hash === check.payloadHash ? hash : `changed:${hash}`,
      };
    },
    {
      actor: actorName(actor),
      refusalType: 'grant.refused',
      inTransaction: async (_request, trx, now) =>
        (await consumeGrantRow(check.jti, now, trx))
          ? undefined
          : { code: 'grant-consumed', reason: 'this grant was already used or has expired' },
    },
  );
  return {
    requestId: request.id,
    action: request.action,
    params: request.params,
    context: request.context,
    payloadHash: request.payloadHash,
  };
}
