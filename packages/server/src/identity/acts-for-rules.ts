import { NotFoundError, ValidationError } from '../domain-errors.js';
import type { Executor } from '../storage/transaction.js';
import { getUser } from '../storage/users-dal.js';
import { type Acting, actsAsAdmin, type Denial, deny } from './directory-guard.js';

// Who an agent may act for (its `onBehalfOf`). Each entry is one user's consent: an agent acting
// for you lets its owner's requests carry your name and keeps you from approving them. So a user
// may add only themselves, to an agent they manage; only the admin adds anyone else. Moderators
// are not owners and get no more than users here.

/**
 * Whether the acting user may add `userId` to an agent's `actsFor`: the admin anyone; someone
 * who manages the agent (`manages`: its owner, a maintainer of its owning team) only themselves.
 */
export function mayAddActsFor(acting: Acting, userId: string, manages: boolean): Denial | undefined {
  if (actsAsAdmin(acting)) return undefined;
  if (!manages) {
    return deny(
      'not-agent-owner',
      'Only the agent’s owner, a maintainer of its owning team, or the admin can change whom it acts for',
    );
  }
  if (userId === acting.id) return undefined;
  return deny(
    'acts-for-needs-admin',
    `Only the admin can let an agent act for another user (${userId}); you may add only yourself`,
  );
}

/** The user an agent is to act for must exist and be active. */
export async function checkActsForUser(userId: string, db: Executor): Promise<void> {
  const user = await getUser(userId, db);
  if (user === undefined) throw new NotFoundError('user', userId);
  if (user.disabled) throw new ValidationError('actsFor', `user ${userId} is disabled`);
}
