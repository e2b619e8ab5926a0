import type { ActionInput, Decision } from '../policy/decision-types.js';
import type { ApprovalGroup } from '../policy/policy-types.js';
import { APPROVAL_REQUEST_VERSION, type ApprovalRequest, type AuditEventDraft } from './approval-types.js';
import { deepFreeze } from './deep-freeze.js';
import { describeSelector } from './reviewer-eligibility.js';
import { actorOf, auditDraft, stageSummary } from './transition-results.js';

/** What `createApprovalRequest` needs: the action, the evaluator's `require` decision and the policy's groups. */
export interface CreateApprovalRequestArgs {
  readonly id: string;
  readonly input: ActionInput;
  readonly decision: Extract<Decision, { outcome: 'require' }>;
  /** The policy's approval groups; only those the stages name are copied into the request. */
  readonly groups: ReadonlyMap<string, ApprovalGroup>;
  readonly payloadHash: string;
  readonly now: number;
}

/**
 * A new pending request: a deep-frozen snapshot of the action and the requirement (so later policy edits do
 * not move the goalposts), the groups its stages name, and the `request.created` audit draft.
 * @example const { request, audit } = createApprovalRequest({ id, input, decision, groups, payloadHash, now })
 */
export function createApprovalRequest(args: CreateApprovalRequestArgs): {
  request: ApprovalRequest;
  audit: AuditEventDraft[];
} {
  const { id, input, decision, payloadHash, now } = args;
  const requirement = decision.requirement;
  const { groups, unresolved } = resolveGroups(decision, args.groups);
  const requesterTeam = requesterTeamOf(input);
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
      requirement,
      groups,
      ...(requesterTeam === undefined ? {} : { requesterTeam }),
      risk: decision.risk,
      status: 'pending',
      stageIndex: 0,
      reviews: [],
      createdAt: now,
      expiresAt: now + requirement.expiresIn,
      escalated: false,
    } satisfies ApprovalRequest),
  );
  const created = auditDraft(request, 'request.created', actorOf(input.requester), {
    action: request.action,
    payloadHash,
    policyVersion: request.policyVersion,
    rules,
    risk: request.risk,
    stages: request.requirement.stages.map((stage, index) => ({
      ...stageSummary(stage, index),
      approvers: stage.approvers.map(describeSelector),
    })),
    expiresAt: request.expiresAt,
    onBehalfOf: request.onBehalfOf,
    ...(unresolved.length === 0 ? {} : { unresolvedGroups: unresolved }),
  });
  return { request, audit: [created] };
}

// The context's team is the agent's claim, so it counts only when the requester really belongs to it.
function requesterTeamOf(input: ActionInput): string | undefined {
  const claimed = input.context.team;
  const teams = input.requester.teams;
  if (typeof claimed === 'string' && teams.includes(claimed)) return claimed;
  return teams[0];
}

// A group the policy does not define is left out, so it admits nobody; the audit names it.
function resolveGroups(
  decision: Extract<Decision, { outcome: 'require' }>,
  known: ReadonlyMap<string, ApprovalGroup>,
): { groups: Record<string, ApprovalGroup>; unresolved: string[] } {
  const found = new Map<string, ApprovalGroup>();
  const unresolved: string[] = [];
  for (const stage of decision.requirement.stages) {
    for (const selector of stage.approvers) {
      if (selector.kind !== 'group' || found.has(selector.group)) continue;
      const group = known.get(selector.group);
      if (group !== undefined) found.set(selector.group, group);
      else if (!unresolved.includes(selector.group)) unresolved.push(selector.group);
    }
  }
  // fromEntries defines own properties, so even a group named `__proto__` stays data.
  const groups: Record<string, ApprovalGroup> = Object.fromEntries(found);
  return { groups, unresolved };
}
