import type { ActionInput, Decision } from '../policy/decision-types.js';
import { APPROVAL_REQUEST_VERSION, type ApprovalRequest, type AuditEventDraft } from './approval-types.js';
import { deepFreeze } from './deep-freeze.js';
import { actorOf, auditDraft } from './transition-results.js';

/** What `createDecidedRequest` needs: the action and the evaluator's `allow` or `deny` decision. */
export interface CreateDecidedRequestArgs {
  readonly id: string;
  readonly input: ActionInput;
  readonly decision: Exclude<Decision, { outcome: 'require' }>;
  readonly payloadHash: string;
  readonly now: number;
}

/**
 * A request the policy decided at once: `approved` (allowed by a rule or the default, ready
 * for its grant) or `denied` (with every denying rule's reason). Denied actions are
 * recorded like any other: the audit drafts are `request.created` then `request.approved`
 * or `request.denied`.
 *
 * @example const { request, audit } = createDecidedRequest({ id, input, decision, payloadHash, now })
 */
export function createDecidedRequest(args: CreateDecidedRequestArgs): {
  request: ApprovalRequest;
  audit: AuditEventDraft[];
} {
  const { id, input, decision, payloadHash, now } = args;
  const approved = decision.outcome === 'allow';
  const rules = [...new Set(decision.matched.map((match) => match.rule))];
  const request: ApprovalRequest = deepFreeze(
    structuredClone({
      v: APPROVAL_REQUEST_VERSION,
      id,
      action: input.action,
      params: input.params,
      context: input.context,
      payloadHash,
      requester: input.requester,
      ...(input.onBehalfOf === undefined ? {} : { onBehalfOf: input.onBehalfOf }),
      policyVersion: decision.policyVersion,
      rules,
      requirement: {
        stages: [],
        expiresIn: 0,
        onTimeout: 'deny',
        grantTtl: decision.outcome === 'allow' ? decision.grantTtl : 0,
        selfApproval: false,
      },
      groups: {},
      risk: decision.risk,
      status: approved ? 'approved' : 'denied',
      stageIndex: 0,
      reviews: [],
      createdAt: now,
      expiresAt: now,
      escalated: false,
      decidedAt: now,
      decidedBy: approved ? 'policy-allow' : 'policy-deny',
    } satisfies ApprovalRequest),
  );
  const actor = actorOf(input.requester);
  const created = auditDraft(request, 'request.created', actor, {
    action: request.action,
    payloadHash,
    policyVersion: request.policyVersion,
    rules,
    risk: request.risk,
    onBehalfOf: request.onBehalfOf,
  });
  const decided =
    decision.outcome === 'allow'
      ? auditDraft(request, 'request.approved', 'system', { by: 'policy', reason: decision.reason, rules })
      : auditDraft(request, 'request.denied', 'system', {
          by: 'policy',
          reason: decision.reason,
          reasons: decision.reasons,
        });
  return { request, audit: [created, decided] };
}
