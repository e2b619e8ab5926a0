import { RefusedError } from '../domain-errors.js';
import { actsFor } from '../storage/agent-acts-for-dal.js';
import { getUser } from '../storage/users-dal.js';
import { actorName, type RequestActor } from './request-actor.js';
import { recordAudit } from './request-commit.js';
import type { RequestServiceDeps } from './request-service-deps.js';

/** The refusal code (403, naming the field `onBehalfOf`) of a submission naming a user it may not. */
export const ON_BEHALF_OF_REFUSED = 'on-behalf-of-refused';

/** Why, as the audit record says; the caller hears one answer for all, so it learns no user names. */
type Why = 'unknown-user' | 'user-disabled' | 'not-in-acts-for';

/**
 * Refuses (and audits `request.onBehalfOf.refused`) an agent's submission whose `onBehalfOf` is
 * not an existing, active user on the agent's `actsFor` list, read afresh from the database.
 * A user's own submission is left to the submission's check (only their own id).
 */
export async function checkOnBehalfOf(
  deps: RequestServiceDeps,
  actor: RequestActor,
  submission: { readonly action: string; readonly onBehalfOf?: string },
): Promise<void> {
  const { onBehalfOf } = submission;
  if (onBehalfOf === undefined || actor.kind !== 'agent') return;
  const why = await reasonToRefuse(deps, actor.id, onBehalfOf);
  if (why === undefined) return;
  await recordAudit(deps, [
    {
      type: 'request.onBehalfOf.refused',
      actor: actorName(actor),
      subject: actorName(actor),
      data: { onBehalfOf, reason: why, action: submission.action },
    },
  ]);
  throw new RefusedError(
    ON_BEHALF_OF_REFUSED,
    `onBehalfOf: agent ${actor.id} may not act on behalf of "${onBehalfOf}"; an active user must be on its actsFor list`,
    { field: 'onBehalfOf' },
  );
}

async function reasonToRefuse(
  deps: Pick<RequestServiceDeps, 'db'>,
  agentId: string,
  userId: string,
): Promise<Why | undefined> {
  const user = await getUser(userId, deps.db);
  if (user === undefined) return 'unknown-user';
  if (user.disabled) return 'user-disabled';
  return (await actsFor(agentId, userId, deps.db)) ? undefined : 'not-in-acts-for';
}
