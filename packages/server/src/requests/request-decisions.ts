import type { ApprovalRequest } from '@gatehouse/core';
import { ForbiddenError, NotFoundError, ValidationError } from '../domain-errors.js';
import { getRequest } from '../storage/index.js';
import { hasScope, type RequestActor, toPrincipal } from './request-actor.js';
import { type Committed, commitEvent, recordAudit } from './request-commit.js';
import type { RequestServiceDeps } from './request-service-deps.js';
import { canSeeRequest } from './request-visibility.js';
import { reviewerAtVote } from './reviewer-at-vote.js';

const MAX_COMMENT = 4_000;

function checkText(field: string, text: string | undefined): void {
  if (text !== undefined && text.length > MAX_COMMENT) {
    throw new ValidationError(field, `at most ${MAX_COMMENT} characters`);
  }
}

/**
 * Approve or deny. Agents, self-approval, ineligible reviewers and second votes are refused
 * by the core and audited. A human token without the review scope is refused here, audited.
 */
export async function reviewRequest(
  deps: RequestServiceDeps,
  actor: RequestActor,
  id: string,
  vote: { readonly decision: 'approve' | 'deny'; readonly comment?: string },
): Promise<Committed> {
  checkText('comment', vote.comment);
  if (actor.kind === 'user' && !hasScope(actor, 'requests:review')) {
    await recordAudit(deps, [
      {
        type: 'review.refused',
        actor: `user:${actor.id}`,
        subject: `request:${id}`,
        data: {
          code: 'missing-scope',
          reason: 'the token lacks requests:review',
          tried: { decision: vote.decision },
        },
      },
    ]);
    throw new ForbiddenError('This token may not review requests', 'missing-scope');
  }
  const comment = vote.comment?.trim();
  const reviewer = await reviewerAtVote(deps, actor);
  return auditInvisibleVote(deps, actor, id, vote.decision, () =>
    commitEvent(
      deps,
      id,
      {
        type: 'review',
        reviewer,
        decision: vote.decision,
        ...(comment ? { comment } : {}),
      },
      // Anyone who tries to vote reaches the core, which refuses and audits; but a caller who
      // may not even see the request learns nothing about it.
      { visible: (request: ApprovalRequest) => actor.kind === 'agent' || canSeeRequest(actor, request) },
    ),
  );
}

/**
 * A vote on a request the voter may not see answers "not found" (its existence stays
 * hidden) but is still recorded: an approval attempt never leaves no trace.
 */
async function auditInvisibleVote(
  deps: RequestServiceDeps,
  actor: RequestActor,
  id: string,
  decision: 'approve' | 'deny',
  vote: () => Promise<Committed>,
): Promise<Committed> {
  try {
    return await vote();
  } catch (error) {
    if (error instanceof NotFoundError && (await getRequest(id, deps.db)) !== undefined) {
      await recordAudit(deps, [
        {
          type: 'review.refused',
          actor: `${actor.kind}:${actor.id}`,
          subject: `request:${id}`,
          data: { code: 'not-visible', reason: 'the reviewer may not see this request', tried: { decision } },
        },
      ]);
    }
    throw error;
  }
}

/** Cancel a pending request: its requester or the user it acts for. */
export async function cancelRequest(
  deps: RequestServiceDeps,
  actor: RequestActor,
  id: string,
): Promise<Committed> {
  return commitEvent(
    deps,
    id,
    { type: 'cancel', by: toPrincipal(actor) },
    {
      visible: (request) => canSeeRequest(actor, request),
    },
  );
}

/** Emergency override by a role the rule names, with a justification; flagged and audited. */
export async function overrideRequest(
  deps: RequestServiceDeps,
  actor: RequestActor,
  id: string,
  justification: string,
): Promise<Committed> {
  checkText('justification', justification);
  return commitEvent(
    deps,
    id,
    { type: 'override', by: await reviewerAtVote(deps, actor), justification: justification.trim() },
    { visible: (request) => canSeeRequest(actor, request) },
  );
}

/** The requester reports how the approved action went. */
export async function reportOutcome(
  deps: RequestServiceDeps,
  actor: RequestActor,
  id: string,
  outcome: { readonly result: 'succeeded' | 'failed'; readonly detail?: string },
): Promise<Committed> {
  checkText('detail', outcome.detail);
  return commitEvent(
    deps,
    id,
    {
      type: 'report-outcome',
      by: toPrincipal(actor),
      result: outcome.result,
      ...(outcome.detail === undefined ? {} : { detail: outcome.detail }),
    },
    { visible: (request) => canSeeRequest(actor, request) },
  );
}
