import type {
  ActionInput,
  CombinedRequirement,
  DecidedStage,
  Decision,
  Principal,
} from '../policy/decision-types.js';
import type { ApprovalGroup, ApproverSelector, Role } from '../policy/policy-types.js';
import { createApprovalRequest } from './approval-request-factory.js';
import { transition } from './approval-state-machine.js';
import type {
  ApprovalRequest,
  AuditEventDraft,
  RefusalCode,
  RequestEvent,
  Reviewer,
  TransitionResult,
} from './approval-types.js';
import type { Party } from './request-parties.js';

/** Builders for approval requests in tests, so state-machine tests do not depend on the policy evaluator. */

export const T0 = 1_000_000;
export const HOUR = 3_600_000;
export const PAYLOAD_HASH = 'a'.repeat(64);

export function user(id: string, role: Role = 'user', teams: string[] = [], groups: string[] = []): Reviewer {
  return { kind: 'user', id, role, teams, groups };
}

export function agentReviewer(id: string, teams: string[] = []): Reviewer {
  return { kind: 'agent', id, teams, groups: [] };
}

/** A consume-grant event presented by the requester (agent bot unless `presenter` says otherwise). */
export function consume(
  jti: string,
  payloadHash: string,
  presenter: Party = { kind: 'agent', id: 'bot' },
  executors: readonly string[] = [],
): RequestEvent {
  return { type: 'consume-grant', jti, payloadHash, presenter, executors };
}

export function decidedStage(
  approvers: ApproverSelector | ApproverSelector[],
  min = 1,
  extra: Partial<DecidedStage> = {},
): DecidedStage {
  return {
    name: 'stage',
    rule: 'rule',
    approvers: Array.isArray(approvers) ? approvers : [approvers],
    min,
    denyMin: 1,
    ...extra,
  };
}

export const MODERATOR_STAGE = decidedStage({ kind: 'role', role: 'moderator' }, 1, { name: 'moderators' });
export const ADMIN_STAGE = decidedStage({ kind: 'role', role: 'admin' }, 1, { name: 'admin' });

export function requirementOf(
  stages: DecidedStage[],
  extra: Partial<CombinedRequirement> = {},
): CombinedRequirement {
  return { stages, expiresIn: HOUR, onTimeout: 'deny', grantTtl: 600_000, selfApproval: false, ...extra };
}

export function requireDecision(requirement: CombinedRequirement): Extract<Decision, { outcome: 'require' }> {
  return {
    outcome: 'require',
    matched: [
      {
        rule: 'rule',
        position: { file: 'test.yaml', line: 1, column: 1 },
        outcome: 'require',
        trace: [],
      },
    ],
    requirement,
    risk: 'high',
    policyVersion: 'policy-v1',
  };
}

/** The agent `bot`, owned by alice, in team infra. */
export const AGENT_BOT: Principal = { kind: 'agent', id: 'bot', teams: ['infra'], owner: 'alice' };

export interface RequestOptions {
  readonly requester?: Principal;
  readonly onBehalfOf?: string;
  readonly context?: ActionInput['context'];
  readonly groups?: ReadonlyMap<string, ApprovalGroup>;
  readonly now?: number;
}

export function requestWith(
  stages: DecidedStage[],
  requirement: Partial<CombinedRequirement> = {},
  options: RequestOptions = {},
): ApprovalRequest {
  const input: ActionInput = {
    action: 'deploy.production',
    params: { service: 'api' },
    context: options.context ?? { environment: 'prod' },
    requester: options.requester ?? AGENT_BOT,
    ...(options.onBehalfOf === undefined ? {} : { onBehalfOf: options.onBehalfOf }),
  };
  return createApprovalRequest({
    id: 'r1',
    input,
    decision: requireDecision(requirementOf(stages, requirement)),
    groups: options.groups ?? new Map(),
    payloadHash: PAYLOAD_HASH,
    now: options.now ?? T0,
  }).request;
}

/** The new request of an accepted transition; fails the test when it was refused. */
export function expectOk(result: TransitionResult): ApprovalRequest {
  if (!result.ok)
    throw new Error(`expected the transition to be accepted, got ${result.code}: ${result.reason}`);
  return result.request;
}

/** A review event. */
export function vote(
  reviewer: Reviewer,
  decision: 'approve' | 'deny' = 'approve',
  comment?: string,
): RequestEvent {
  return { type: 'review', reviewer, decision, ...(comment === undefined ? {} : { comment }) };
}

/** Applies events in order at `now`, failing the test on the first refusal. */
export function applyAll(request: ApprovalRequest, events: RequestEvent[], now = T0): ApprovalRequest {
  return events.reduce((current, event) => expectOk(transition(current, event, now)), request);
}

export const MAYA = user('maya', 'moderator', ['infra']);

/** An approved moderator-stage request for agent bot (owner alice), its grant `g1` issued at T0 for 10 minutes. */
export function grantedRequest(): ApprovalRequest {
  const request = requestWith([MODERATOR_STAGE]);
  return applyAll(request, [vote(MAYA), { type: 'issue-grant', jti: 'g1', ttl: 600_000 }]);
}

/** The one audit draft of a refusal, after checking that it is one with `code`. */
export function refusalDraft(result: TransitionResult, code: RefusalCode): AuditEventDraft {
  if (result.ok) throw new Error(`expected a refusal with ${code}, the transition was accepted`);
  if (result.code !== code) throw new Error(`expected refusal ${code}, got ${result.code}: ${result.reason}`);
  if (result.audit.length !== 1)
    throw new Error(`a refusal must carry one audit draft, got ${result.audit.length}`);
  return result.audit[0]!;
}
