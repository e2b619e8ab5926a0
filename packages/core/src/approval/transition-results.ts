import type { DecidedStage } from '../policy/decision-types.js';
import type { ApprovalRequest, AuditEventDraft, RefusalCode, TransitionResult } from './approval-types.js';
import type { Party } from './request-parties.js';

/** The actor of events no person caused directly (timeouts, grant bookkeeping). */
export const SYSTEM_ACTOR = 'system';

/** The audit-log form of a principal or reviewer: `user:alice`, `agent:ci-bot`. */
export function actorOf(party: Party): string {
  return `${party.kind}:${party.id}`;
}

/** An audit draft about `request`, frozen. */
export function auditDraft(
  request: ApprovalRequest,
  type: string,
  actor: string,
  data: Record<string, unknown>,
): AuditEventDraft {
  return Object.freeze({ type, actor, subject: `request:${request.id}`, data: Object.freeze(data) });
}

/** The number of approvals (or denials) a stage needs; a policy's 0 still means one, so nothing passes unseen. */
export function votesNeeded(count: number): number {
  return Math.max(1, count);
}

/** A stage as audit data shows it. */
export function stageSummary(stage: DecidedStage, index: number): Record<string, unknown> {
  return { index, name: stage.name, rule: stage.rule, min: stage.min, denyMin: stage.denyMin };
}

/** An accepted transition: the new request, frozen with every record it holds, and what to audit. */
export function accepted(request: ApprovalRequest, audit: readonly AuditEventDraft[]): TransitionResult {
  return Object.freeze({ ok: true, request: freezeRequest(request), audit: Object.freeze([...audit]) });
}

/**
 * A refused transition. The refusal is audited as `refusalType` (`review.refused`, …) with the code,
 * the reason, the request's status and whatever `tried` says the actor attempted.
 */
export function refused(
  request: ApprovalRequest,
  refusalType: string,
  actor: string,
  code: RefusalCode,
  reason: string,
  tried: Record<string, unknown> = {},
): TransitionResult {
  const draft = auditDraft(request, refusalType, actor, { ...tried, code, reason, status: request.status });
  return Object.freeze({ ok: false, code, reason, audit: Object.freeze([draft]) });
}

// The snapshot parts (requirement, groups, params, context) are deep-frozen once, when the request is made;
// each transition freezes what it may have rebuilt.
function freezeRequest(request: ApprovalRequest): ApprovalRequest {
  for (const review of request.reviews) Object.freeze(review);
  Object.freeze(request.reviews);
  if (request.grant !== undefined) Object.freeze(request.grant);
  if (request.override !== undefined) Object.freeze(request.override);
  if (request.outcome !== undefined) Object.freeze(request.outcome);
  return Object.freeze(request);
}
