import { executorsFor, payloadHash } from '@gatehouse/core';
import { nodeSha256 } from '@gatehouse/core/node';
import { RefusedError } from '../domain-errors.js';
import { verifyPresentedGrant } from '../grants/grant-verification-service.js';
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

/**
 * Verify a grant (signature, expiry, audience, payload hash) and consume it exactly once, only
 * for its holder: the principal that asked for it, or an executor the active policy names for the
 * action (`executors:`), as the policy stands now. When the executor presents the payload it will
 * run, its hash must be the approved one. The grant row's conditional update decides between
 * concurrent consumers, in the same transaction as the request's change. Every consumption and
 * every refusal is audited with the presenter's identity.
 */
export async function consumeGrant(
  deps: RequestServiceDeps,
  actor: RequestActor,
  presented: GrantPresentation,
): Promise<ConsumedGrant> {
  const presenter = actorName(actor);
  if (!hasScope(actor, 'grants:consume')) {
    await recordAudit(deps, [
      {
        type: 'grant.refused',
        actor: presenter,
        subject: 'grant:unverified',
        data: {
          operation: 'consume',
          presenter,
          code: 'missing-scope',
          reason: 'the token lacks grants:consume',
        },
      },
    ]);
    throw new RefusedError('missing-scope', 'this token may not consume grants');
  }
  const claims = await verifyPresentedGrant(
    { db: deps.db, verify: deps.grants.verify, publish: (records) => deps.events.publish(records) },
    presented.grant,
    { actor: presenter, now: deps.now() },
  );
  const { policy } = await deps.policies.fresh();
  const presentsPayload = presented.action !== undefined || presented.params !== undefined;
  const { request } = await commitEvent(
    deps,
    claims.sub,
    (current) => {
      const holder = {
        presenter: { kind: actor.kind, id: actor.id },
        executors: executorsFor(policy.executors, current.action),
      };
      if (!presentsPayload)
        return { type: 'consume-grant', jti: claims.jti, payloadHash: claims.ph, ...holder };
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
        jti: claims.jti,
        payloadHash: hash === claims.ph ? hash : `changed:${hash}`,
        ...holder,
      };
    },
    {
      actor: presenter,
      refusalType: 'grant.refused',
      inTransaction: async (_request, trx, now) =>
        (await consumeGrantRow(claims.jti, now, trx))
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
