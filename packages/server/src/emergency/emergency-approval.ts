import type { ApprovalRequest, AuditEventDraft, Decision } from '@gatehouse/core';
import type { EmergencyWindowRecord } from '../storage/emergency-dal.js';

/** How an emergency-approved request records who decided it. */
export const EMERGENCY_DECIDED_BY = 'emergency';

/**
 * The allow decision an open emergency window stands in for a `require` one: same rules, risk,
 * grant lifetime and policy version, so the request and its grant look like any policy-allowed
 * one except for the flag. Only a `require` decision is ever turned: a deny still denies.
 */
export function emergencyAllow(
  decision: Extract<Decision, { outcome: 'require' }>,
): Extract<Decision, { outcome: 'allow' }> {
  return Object.freeze({
    outcome: 'allow',
    reason: 'rule',
    matched: decision.matched,
    risk: decision.risk,
    grantTtl: decision.requirement.grantTtl,
    policyVersion: decision.policyVersion,
  });
}

/**
 * Flags a request the core created as policy-allowed as approved by an emergency window: its
 * `decidedBy` becomes `emergency`, its `request.approved` record says so, and a
 * `request.emergency-approved` record (the notification reviewers see) names the window.
 */
export function flagEmergencyApproval(
  created: { readonly request: ApprovalRequest; readonly audit: readonly AuditEventDraft[] },
  window: EmergencyWindowRecord,
): { request: ApprovalRequest; audit: AuditEventDraft[] } {
  const request = Object.freeze({ ...created.request, decidedBy: EMERGENCY_DECIDED_BY });
  const audit = created.audit.map((draft) =>
    draft.type === 'request.approved'
      ? Object.freeze({ ...draft, data: Object.freeze({ ...draft.data, by: EMERGENCY_DECIDED_BY }) })
      : draft,
  );
  audit.push(
    Object.freeze({
      type: 'request.emergency-approved',
      actor: 'system',
      subject: `request:${request.id}`,
      data: Object.freeze({
        flagged: true,
        windowId: window.id,
        reason: window.reason,
        openedBy: window.openedBy,
        closesAt: window.closesAt,
      }),
    }),
  );
  return { request, audit };
}
