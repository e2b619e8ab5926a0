import { NotFoundError } from '../domain-errors.js';
import { addActsFor, removeActsFor } from '../storage/agent-acts-for-dal.js';
import { type AgentRecord, getAgent } from '../storage/agents-dal.js';
import type { Executor } from '../storage/transaction.js';
import { checkActsForUser, mayAddActsFor } from './acts-for-rules.js';
import { mayManageAgent } from './agent-directory.js';
import type { AuthenticatedPrincipal } from './authenticated-principal.js';
import { type DirectoryDeps, runDirectoryChange } from './directory-guard.js';

/** Who may change an agent's `actsFor`, and whom they may add. */
export interface ActsForDirectory {
  /**
   * Let `agentId` name `userId` as `onBehalfOf`. The admin may add any active user; anyone who
   * manages the agent (its owner, a maintainer of its owning team) may add only themselves.
   * Audited `agent.actsFor.added`; a refusal `permission.denied`.
   */
  addActsFor(actor: AuthenticatedPrincipal, agentId: string, userId: string, now: number): Promise<void>;
  /**
   * Stop `agentId` acting for `userId`: the admin, anyone who manages the agent, or the user
   * themselves (withdrawing their consent). Audited `agent.actsFor.removed`.
   */
  removeActsFor(actor: AuthenticatedPrincipal, agentId: string, userId: string, now: number): Promise<void>;
}

async function agentOrThrow(agentId: string, db: Executor): Promise<AgentRecord> {
  const agent = await getAgent(agentId, db);
  if (agent === undefined) throw new NotFoundError('agent', agentId);
  return agent;
}

/** Creates the acts-for half of the agent directory over `deps.db`. */
export function createActsForDirectory(deps: DirectoryDeps): ActsForDirectory {
  const { db } = deps;
  return Object.freeze<ActsForDirectory>({
    async addActsFor(actor, agentId, userId, now) {
      const operation = { name: 'agent.actsFor.add', subject: `agent:${agentId}` };
      await runDirectoryChange(actor, operation, now, db, async ({ trx, acting, record }) => {
        const agent = await agentOrThrow(agentId, trx);
        const manages = (await mayManageAgent(acting, agent, trx)) === undefined;
        const denial = mayAddActsFor(acting, userId, manages);
        if (denial !== undefined) return denial;
        await checkActsForUser(userId, trx);
        const added = await addActsFor({ agentId, userId, addedBy: acting.actor, addedAt: now }, trx);
        if (added) record('agent.actsFor.added', operation.subject, { user: userId });
      });
    },

    async removeActsFor(actor, agentId, userId, now) {
      const operation = { name: 'agent.actsFor.remove', subject: `agent:${agentId}` };
      await runDirectoryChange(actor, operation, now, db, async ({ trx, acting, record }) => {
        const agent = await agentOrThrow(agentId, trx);
        if (userId !== acting.id) {
          const denial = await mayManageAgent(acting, agent, trx);
          if (denial !== undefined) return denial;
        }
        if (await removeActsFor(agentId, userId, trx)) {
          record('agent.actsFor.removed', operation.subject, { user: userId });
        }
      });
    },
  });
}
