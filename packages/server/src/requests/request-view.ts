import { type ApprovalRequest, describeSelector, isEligible } from '@gatehouse/core';
import type { RequestActor } from './request-actor.js';
import { toReviewer } from './request-actor.js';
import {
  type BoundFields,
  boundOf,
  type ClaimedFields,
  type CurrentFacts,
  claimedOf,
  type VerifiedFacts,
  verifiedOf,
} from './request-kinds.js';

/** One stage's progress as the API shows it. */
export interface StageView {
  readonly index: number;
  readonly name: string;
  readonly rule: string;
  readonly min: number;
  readonly approvers: readonly string[];
  readonly approvedBy: readonly string[];
  readonly deniedBy: readonly string[];
  readonly state: 'done' | 'current' | 'waiting';
  /** Approvals still needed. */
  readonly remaining: number;
}

/**
 * A request as the API returns it. What it carries comes in three groups, never mixed:
 * `verified` (established by Gatehouse), `bound` (covered by the payload hash, so the grant
 * holds the executor to it) and `claimed` (the agent's own words, enforced by nothing).
 */
export interface RequestView {
  readonly id: string;
  readonly status: ApprovalRequest['status'];
  readonly verified: VerifiedFacts;
  readonly bound: BoundFields;
  readonly claimed: ClaimedFields;
  /** The risk the policy gave it (never the agent's hint). */
  readonly risk: ApprovalRequest['risk'];
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly decidedAt?: string;
  readonly decidedBy?: string;
  readonly escalated: boolean;
  readonly stages: readonly StageView[];
  readonly reviews: readonly {
    readonly reviewer: string;
    readonly decision: 'approve' | 'deny';
    readonly comment?: string;
    readonly stage: number;
    readonly at: string;
  }[];
  readonly override?: {
    readonly by: string;
    readonly justification: string;
    readonly at: string;
    readonly flagged: true;
  };
  readonly grant?: { readonly jti: string; readonly expiresAt: string; readonly consumedAt?: string };
  readonly outcome?: {
    readonly result: 'succeeded' | 'failed';
    readonly at: string;
    readonly detail?: string;
  };
  /** Whether the viewer may vote now, and why not. */
  readonly viewer: { readonly canReview: boolean; readonly reason?: string; readonly code?: string };
}

const iso = (ms: number): string => new Date(ms).toISOString();

function stagesOf(request: ApprovalRequest): StageView[] {
  return request.requirement.stages.map((stage, index) => {
    const votes = request.reviews.filter((review) => review.stage === index);
    const approvedBy = votes
      .filter((review) => review.decision === 'approve')
      .map((review) => review.reviewer);
    const deniedBy = votes.filter((review) => review.decision === 'deny').map((review) => review.reviewer);
    const state =
      index < request.stageIndex
        ? 'done'
        : index === request.stageIndex && request.status === 'pending'
          ? 'current'
          : 'waiting';
    return {
      index,
      name: stage.name,
      rule: stage.rule,
      min: stage.min,
      approvers: stage.approvers.map(describeSelector),
      approvedBy,
      deniedBy,
      state,
      remaining: state === 'done' ? 0 : Math.max(0, stage.min - approvedBy.length),
    };
  });
}

function viewerVerdict(actor: RequestActor, request: ApprovalRequest): RequestView['viewer'] {
  if (request.status !== 'pending')
    return { canReview: false, code: 'not-pending', reason: `The request is ${request.status}` };
  if (request.reviews.some((review) => review.reviewer === actor.id)) {
    return { canReview: false, code: 'already-voted', reason: 'You have already voted on this request' };
  }
  const verdict = isEligible(request, toReviewer(actor), request.stageIndex);
  return verdict.ok ? { canReview: true } : { canReview: false, code: verdict.code, reason: verdict.reason };
}

/** Shape a request for `actor`; `current` adds what the directory says now (detail views). */
export function toRequestView(
  request: ApprovalRequest,
  actor: RequestActor,
  current: CurrentFacts = {},
): RequestView {
  return {
    id: request.id,
    status: request.status,
    verified: verifiedOf(request, current),
    bound: boundOf(request),
    claimed: claimedOf(request),
    risk: request.risk,
    createdAt: iso(request.createdAt),
    expiresAt: iso(request.expiresAt),
    ...(request.decidedAt === undefined ? {} : { decidedAt: iso(request.decidedAt) }),
    ...(request.decidedBy === undefined ? {} : { decidedBy: request.decidedBy }),
    escalated: request.escalated,
    stages: stagesOf(request),
    reviews: request.reviews.map((review) => ({
      reviewer: review.reviewer,
      decision: review.decision,
      ...(review.comment === undefined ? {} : { comment: review.comment }),
      stage: review.stage,
      at: iso(review.at),
    })),
    ...(request.override === undefined
      ? {}
      : {
          override: {
            by: request.override.by,
            justification: request.override.justification,
            at: iso(request.override.at),
            flagged: true as const,
          },
        }),
    ...(request.grant === undefined
      ? {}
      : {
          grant: {
            jti: request.grant.jti,
            expiresAt: iso(request.grant.expiresAt),
            ...(request.grant.consumedAt === undefined ? {} : { consumedAt: iso(request.grant.consumedAt) }),
          },
        }),
    ...(request.outcome === undefined
      ? {}
      : {
          outcome: {
            result: request.outcome.result,
            at: iso(request.outcome.at),
            ...(request.outcome.detail === undefined ? {} : { detail: request.outcome.detail }),
          },
        }),
    viewer: viewerVerdict(actor, request),
  };
}
