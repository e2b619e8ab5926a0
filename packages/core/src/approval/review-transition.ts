import type {
  ApprovalRequest,
  AuditEventDraft,
  RefusalCode,
  RequestEvent,
  Review,
  TransitionResult,
} from './approval-types.js';
import { describeSelector, eligibleSelectorsFor, isEligible } from './reviewer-eligibility.js';
import { accepted, actorOf, auditDraft, refused, stageSummary, votesNeeded } from './transition-results.js';

/** A vote by a reviewer, as `transition` receives it. */
export type ReviewEvent = Extract<RequestEvent, { type: 'review' }>;

/**
 * Records a vote on the current stage. Approvals advance the stage once it has `min` distinct approvals and
 * approve the request after the last stage; `denyMin` denials on the current stage deny it.
 */
export function applyReview(request: ApprovalRequest, event: ReviewEvent, now: number): TransitionResult {
  const { reviewer, decision } = event;
  const actor = actorOf(reviewer);
  const stageIndex = request.stageIndex;
  const refuse = (code: RefusalCode, reason: string) =>
    refused(request, 'review.refused', actor, code, reason, { decision, stage: stageIndex });

  if (request.status !== 'pending')
    return refuse('not-pending', `request ${request.id} is ${request.status}`);
  if (now >= request.expiresAt)
    return refuse('expired', `request ${request.id} expired at ${request.expiresAt}`);
  // Before eligibility: a person eligible for a later stage through another team or group still has one vote.
  if (reviewer.kind === 'user' && request.reviews.some((review) => review.reviewer === reviewer.id)) {
    return refuse('already-voted', `user ${reviewer.id} has already voted on request ${request.id}`);
  }
  const eligibility = isEligible(request, reviewer, stageIndex);
  if (!eligibility.ok) return refuse(eligibility.code, eligibility.reason);
  const comment = event.comment?.trim() ?? '';
  if (decision === 'deny' && comment === '') {
    return refuse('comment-required', 'a denial needs a comment saying why');
  }

  // isEligible found the stage, so it exists.
  const stage = request.requirement.stages[stageIndex]!;
  const review: Review = {
    reviewer: reviewer.id,
    decision,
    ...(event.comment === undefined ? {} : { comment: event.comment }),
    stage: stageIndex,
    at: now,
  };
  const reviews = [...request.reviews, review];
  const audit: AuditEventDraft[] = [
    auditDraft(request, 'review.recorded', actor, {
      decision,
      stage: stageIndex,
      stageName: stage.name,
      comment: event.comment,
      via: eligibleSelectorsFor(request, reviewer, stageIndex).map(describeSelector),
    }),
  ];
  const voters = (kind: Review['decision']) =>
    reviews.filter((r) => r.stage === stageIndex && r.decision === kind).map((r) => r.reviewer);

  if (decision === 'deny') {
    const deniers = voters('deny');
    if (deniers.length < votesNeeded(stage.denyMin)) return accepted({ ...request, reviews }, audit);
    audit.push(
      auditDraft(request, 'request.denied', actor, {
        decidedBy: 'denied-by-reviewer',
        stage: stageSummary(stage, stageIndex),
        deniers,
        comment: event.comment,
      }),
    );
    return accepted(
      { ...request, reviews, status: 'denied', decidedAt: now, decidedBy: 'denied-by-reviewer' },
      audit,
    );
  }

  const approvers = voters('approve');
  if (approvers.length < votesNeeded(stage.min)) return accepted({ ...request, reviews }, audit);
  audit.push(
    auditDraft(request, 'stage.completed', actor, { stage: stageSummary(stage, stageIndex), approvers }),
  );
  const next = stageIndex + 1;
  if (next < request.requirement.stages.length) {
    return accepted({ ...request, reviews, stageIndex: next }, audit);
  }
  audit.push(
    auditDraft(request, 'request.approved', actor, {
      decidedBy: 'stages-met',
      approvers: reviews.filter((r) => r.decision === 'approve').map((r) => r.reviewer),
    }),
  );
  return accepted(
    { ...request, reviews, stageIndex: next, status: 'approved', decidedAt: now, decidedBy: 'stages-met' },
    audit,
  );
}
