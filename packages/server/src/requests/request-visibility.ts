import { type ApprovalRequest, isEligible, type Reviewer } from '@gatehouse/core';
import type { RequestActor } from './request-actor.js';
import { toReviewer } from './request-actor.js';

function isParty(actor: RequestActor, request: ApprovalRequest): boolean {
  const { requester } = request;
  if (requester.kind === actor.kind && requester.id === actor.id) return true;
  if (actor.kind !== 'user') return false;
  if (request.onBehalfOf === actor.id || request.onBehalfOf === `user:${actor.id}`) return true;
  return requester.owner === actor.id || requester.owner === `user:${actor.id}`;
}

function couldReviewAnyStage(reviewer: Reviewer, request: ApprovalRequest): boolean {
  for (let stage = 0; stage < request.requirement.stages.length; stage++) {
    const verdict = isEligible(request, reviewer, stage);
    // Eligible, or refused only because they are a party to it (parties see it anyway).
    if (verdict.ok || verdict.code === 'self-approval') return true;
  }
  return false;
}

/**
 * Who may see a request (list, show, wait, live events). The admin and moderators see
 * every request; an agent sees its own; a user sees requests they made, that act for
 * them, of agents they own, of their teams, and any they could review.
 */
export function canSeeRequest(actor: RequestActor, request: ApprovalRequest): boolean {
  if (actor.kind === 'user' && (actor.role === 'admin' || actor.role === 'moderator')) return true;
  if (isParty(actor, request)) return true;
  if (actor.kind !== 'user') return false;
  const teams = new Set(actor.teams);
  if (request.requesterTeam !== undefined && teams.has(request.requesterTeam)) return true;
  if (request.requester.teams.some((team) => teams.has(team))) return true;
  return couldReviewAnyStage(toReviewer(actor), request);
}
