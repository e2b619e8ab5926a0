import type {
  ApprovalRequest,
  GrantRecord,
  RefusalCode,
  RequestEvent,
  TransitionResult,
} from './approval-types.js';
import { isRequester } from './request-parties.js';
import { accepted, actorOf, auditDraft, refused, SYSTEM_ACTOR } from './transition-results.js';

/**
 * Issues the one grant of an approved request, living `min(ttl, requirement.grantTtl)` from `now`.
 */
export function applyIssueGrant(
  request: ApprovalRequest,
  event: Extract<RequestEvent, { type: 'issue-grant' }>,
  now: number,
): TransitionResult {
  const refuse = (code: RefusalCode, reason: string) =>
    refused(request, 'grant.refused', SYSTEM_ACTOR, code, reason, { operation: 'issue', jti: event.jti });
  if (request.status !== 'approved')
    return refuse('not-approved', `request ${request.id} is ${request.status}`);
  if (request.grant !== undefined) {
    return refuse('grant-already-issued', `request ${request.id} already has grant ${request.grant.jti}`);
  }
  // A negative ttl yields a grant that is already expired rather than one that lives longer.
  const ttl = Math.max(0, Math.min(event.ttl, request.requirement.grantTtl));
  const grant: GrantRecord = { jti: event.jti, issuedAt: now, expiresAt: now + ttl };
  return accepted({ ...request, grant }, [
    auditDraft(request, 'grant.issued', SYSTEM_ACTOR, {
      jti: grant.jti,
      action: request.action,
      payloadHash: request.payloadHash,
      issuedAt: grant.issuedAt,
      expiresAt: grant.expiresAt,
    }),
  ]);
}

/**
 * Consumes the grant exactly once. Only its holder may: the requester, or an executor the active policy
 * names for the action (`event.executors`). The presented jti and payload hash must be the grant's and the
 * request's, and the grant must not have expired. Consumption and refusal are both recorded as the presenter.
 */
export function applyConsumeGrant(
  request: ApprovalRequest,
  event: Extract<RequestEvent, { type: 'consume-grant' }>,
  now: number,
): TransitionResult {
  const { jti, payloadHash, presenter } = event;
  const grant = request.grant;
  const actor = actorOf(presenter);
  const refuse = (code: RefusalCode, reason: string) =>
    refused(request, 'grant.refused', actor, code, reason, {
      operation: 'consume',
      presenter: actor,
      jti,
      payloadHash,
      expectedPayloadHash: request.payloadHash,
    });
  // First: someone else's grant tells them nothing about the request, not even its state.
  const holder = holderRole(request, event);
  if (holder === undefined) {
    return refuse(
      'not-grant-holder',
      `${actor} neither made request ${request.id} nor is an executor the policy names for ${request.action}`,
    );
  }
  if (request.status !== 'approved')
    return refuse('not-approved', `request ${request.id} is ${request.status}`);
  if (grant === undefined) return refuse('grant-mismatch', `request ${request.id} has no grant`);
  if (jti !== grant.jti)
    return refuse('grant-mismatch', `grant ${jti} is not the grant of request ${request.id}`);
  if (payloadHash !== request.payloadHash) {
    return refuse('grant-mismatch', `the payload changed since request ${request.id} was approved`);
  }
  if (grant.consumedAt !== undefined) {
    return refuse('grant-consumed', `grant ${jti} was already used at ${grant.consumedAt}`);
  }
  if (now >= grant.expiresAt) return refuse('grant-expired', `grant ${jti} expired at ${grant.expiresAt}`);
  return accepted({ ...request, grant: { ...grant, consumedAt: now } }, [
    auditDraft(request, 'grant.consumed', actor, {
      jti,
      payloadHash,
      consumedAt: now,
      presenter: actor,
      as: holder,
    }),
  ]);
}

// The requester holds its own grant; an executor holds it only when the policy names it, by kind and id.
function holderRole(
  request: ApprovalRequest,
  event: Extract<RequestEvent, { type: 'consume-grant' }>,
): 'requester' | 'executor' | undefined {
  if (isRequester(request, event.presenter)) return 'requester';
  return event.executors.includes(actorOf(event.presenter)) ? 'executor' : undefined;
}

/** Records, once, what happened when the requester ran the approved action. */
export function applyReportOutcome(
  request: ApprovalRequest,
  event: Extract<RequestEvent, { type: 'report-outcome' }>,
  now: number,
): TransitionResult {
  const actor = actorOf(event.by);
  const refuse = (code: RefusalCode, reason: string) =>
    refused(request, 'outcome.refused', actor, code, reason, { result: event.result });
  if (!isRequester(request, event.by)) {
    return refuse('not-requester', `${actor} did not make request ${request.id}`);
  }
  if (request.grant?.consumedAt === undefined) {
    return refuse('not-consumed', `the grant of request ${request.id} has not been used`);
  }
  if (request.outcome !== undefined) {
    return refuse(
      'outcome-already-reported',
      `request ${request.id} already reported ${request.outcome.result}`,
    );
  }
  const outcome = {
    result: event.result,
    at: now,
    ...(event.detail === undefined ? {} : { detail: event.detail }),
  };
  return accepted({ ...request, outcome }, [
    auditDraft(request, 'request.outcome', actor, { result: event.result, detail: event.detail }),
  ]);
}
