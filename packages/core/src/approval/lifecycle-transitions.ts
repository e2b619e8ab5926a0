import type {
  ApprovalRequest,
  OverrideRecord,
  RefusalCode,
  RequestEvent,
  TransitionResult,
} from './approval-types.js';
import { describeSelfParty, isOnBehalfOfUser, isRequester, selfPartyOf } from './request-parties.js';
import { accepted, actorOf, auditDraft, refused, SYSTEM_ACTOR } from './transition-results.js';

/** Who is told when a request escalates. */
export const ESCALATION_NOTIFIES = Object.freeze(['admin', 'moderator'] as const);

/** Withdraws a pending request; only its requester or the user it acts for may. */
export function applyCancel(
  request: ApprovalRequest,
  event: Extract<RequestEvent, { type: 'cancel' }>,
  now: number,
): TransitionResult {
  const actor = actorOf(event.by);
  const refuse = (code: RefusalCode, reason: string) =>
    refused(request, 'cancel.refused', actor, code, reason);
  if (request.status !== 'pending')
    return refuse('not-pending', `request ${request.id} is ${request.status}`);
  if (!isRequester(request, event.by) && !isOnBehalfOfUser(request, event.by)) {
    return refuse('not-requester', `${actor} neither made request ${request.id} nor is it made for them`);
  }
  return accepted({ ...request, status: 'cancelled', decidedAt: now, decidedBy: 'cancelled' }, [
    auditDraft(request, 'request.cancelled', actor, { decidedBy: 'cancelled' }),
  ]);
}

/**
 * Applies the requirement's `onTimeout` to a pending request at or past its expiry: deny expires it, approve
 * approves it, escalate extends it once (notifying admin and moderators) and expires it the second time.
 */
export function applyTimeout(request: ApprovalRequest, now: number): TransitionResult {
  const refuse = (code: RefusalCode, reason: string) =>
    refused(request, 'timeout.refused', SYSTEM_ACTOR, code, reason, { expiresAt: request.expiresAt });
  if (request.status !== 'pending')
    return refuse('not-pending', `request ${request.id} is ${request.status}`);
  if (now < request.expiresAt)
    return refuse('not-due', `request ${request.id} expires at ${request.expiresAt}`);

  const { onTimeout, expiresIn } = request.requirement;
  if (onTimeout === 'approve') {
    return accepted({ ...request, status: 'approved', decidedAt: now, decidedBy: 'timeout-approve' }, [
      auditDraft(request, 'request.approved', SYSTEM_ACTOR, { decidedBy: 'timeout-approve', timeout: true }),
    ]);
  }
  if (onTimeout === 'escalate' && !request.escalated) {
    const expiresAt = request.expiresAt + expiresIn;
    return accepted({ ...request, escalated: true, expiresAt }, [
      auditDraft(request, 'request.escalated', SYSTEM_ACTOR, {
        notify: ESCALATION_NOTIFIES,
        previousExpiresAt: request.expiresAt,
        expiresAt,
      }),
    ]);
  }
  return accepted({ ...request, status: 'expired', decidedAt: now, decidedBy: 'timeout-deny' }, [
    auditDraft(request, 'request.expired', SYSTEM_ACTOR, {
      decidedBy: 'timeout-deny',
      onTimeout,
      escalated: request.escalated,
    }),
  ]);
}

/**
 * Approves a pending request without its stages, by a role the requirement's override policy names, with a
 * justification when required. Always flagged; the request's own side may not override it either.
 */
export function applyOverride(
  request: ApprovalRequest,
  event: Extract<RequestEvent, { type: 'override' }>,
  now: number,
): TransitionResult {
  const { by } = event;
  const actor = actorOf(by);
  const refuse = (code: RefusalCode, reason: string) =>
    refused(request, 'override.refused', actor, code, reason, {
      role: by.role,
      justification: event.justification,
    });
  if (request.status !== 'pending')
    return refuse('not-pending', `request ${request.id} is ${request.status}`);
  // Like a review, an override is a human decision and must come before the deadline.
  if (now >= request.expiresAt)
    return refuse('expired', `request ${request.id} expired at ${request.expiresAt}`);
  const policy = request.requirement.override;
  const role = by.role ?? 'user';
  if (by.kind !== 'user' || policy === undefined || !policy.by.includes(role)) {
    const allowed = policy === undefined ? 'nobody' : policy.by.join(', ');
    return refuse(
      'override-not-allowed',
      `${actor} (${by.kind === 'user' ? role : 'agent'}) may not override; allowed: ${allowed}`,
    );
  }
  const selfParty = selfPartyOf(request, by.id);
  if (selfParty !== undefined && !request.requirement.selfApproval) {
    return refuse(
      'self-approval',
      `user ${by.id} ${describeSelfParty(selfParty)} and the policy does not allow self-approval`,
    );
  }
  if (policy.justificationRequired && event.justification.trim() === '') {
    return refuse('justification-required', 'an override needs a justification');
  }
  const override: OverrideRecord = { by: by.id, role, justification: event.justification, at: now };
  return accepted({ ...request, status: 'approved', decidedAt: now, decidedBy: 'override', override }, [
    auditDraft(request, 'request.overridden', actor, {
      flagged: true,
      role,
      justification: event.justification,
      stageIndex: request.stageIndex,
    }),
    auditDraft(request, 'request.approved', actor, { decidedBy: 'override', flagged: true }),
  ]);
}
