import type { Reviewer } from '@gatehouse/core';
import { currentApprovalGroupsOf } from '../policy/approval-groups.js';
import { type RequestActor, toReviewer } from './request-actor.js';
import type { RequestServiceDeps } from './request-service-deps.js';

/**
 * The reviewer as the directory and policy stand at the moment of the vote (DESIGN §4): role and
 * teams as authentication read them for this request, and approval groups read again now from
 * the database and the active policy as stored (not this node's cached copy), so a member removed
 * or a policy applied on any node a moment ago already counts.
 */
export async function reviewerAtVote(
  deps: Pick<RequestServiceDeps, 'db' | 'policies'>,
  actor: RequestActor,
): Promise<Reviewer> {
  if (actor.kind !== 'user') return toReviewer(actor);
  const { policy } = await deps.policies.fresh();
  return toReviewer({ ...actor, groups: await currentApprovalGroupsOf(policy, actor, deps.db) });
}
