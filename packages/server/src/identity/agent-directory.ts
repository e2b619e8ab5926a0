import { NotFoundError, ValidationError } from '../domain-errors.js';
import { addActsFor, listActsFor, listAllActsFor } from '../storage/agent-acts-for-dal.js';
import {
  type AgentOwner,
  type AgentRecord,
  getAgent,
  createAgent as insertAgent,
  listAgents as readAgents,
  setAgentDisabled,
} from '../storage/agents-dal.js';
import { getTeam, listUserTeams } from '../storage/teams-dal.js';
import type { Executor } from '../storage/transaction.js';
import { getUser } from '../storage/users-dal.js';
import { checkActsForUser, mayAddActsFor } from './acts-for-rules.js';
import type { AuthenticatedPrincipal } from './authenticated-principal.js';
import {
  type Acting,
  actsAsAdmin,
  type Denial,
  type DirectoryDeps,
  deny,
  maintainsTeam,
  runDirectoryChange,
  runDirectoryRead,
} from './directory-guard.js';
import { checkName } from './directory-names.js';

/** A new agent. */
export interface NewAgentInput {
  /** Its id and name (what policies write: `agent: ci-bot`). */
  readonly name: string;
  /** Defaults to the acting user. */
  readonly owner?: AgentOwner;
  /** The users it may act for (`onBehalfOf`): yourself, or (the admin) anyone active. */
  readonly actsFor?: readonly string[];
}

/** An agent and the users it may act for. */
export interface Agent extends AgentRecord {
  readonly actsFor: readonly string[];
}

/** Agents: non-human principals owned by a user or a team, which authenticate only with API tokens. */
export interface AgentDirectory {
  /**
   * A user creates an agent they own; a team maintainer one the team owns; the admin any.
   * `actsFor` follows the rules of `addActsFor`. Audited `agent.created` and `agent.actsFor.added`.
   */
  createAgent(actor: AuthenticatedPrincipal, input: NewAgentInput, now: number): Promise<Agent>;
  /** The admin and moderators see every agent; a user sees their own and their teams'. */
  listAgents(actor: AuthenticatedPrincipal, now: number): Promise<readonly Agent[]>;
  /** Its owner, a maintainer of its owning team, or the admin disables it; its tokens stop at once. Audited `agent.disabled`. */
  disableAgent(actor: AuthenticatedPrincipal, agentId: string, now: number): Promise<void>;
  /** The same people enable it again. Audited `agent.enabled`. */
  enableAgent(actor: AuthenticatedPrincipal, agentId: string, now: number): Promise<void>;
}

/** Creates the agent directory over `deps.db`. */
export function createAgentDirectory(deps: DirectoryDeps): AgentDirectory {
  const { db } = deps;

  const setDisabled = async (
    actor: AuthenticatedPrincipal,
    agentId: string,
    disabled: boolean,
    now: number,
  ) => {
    const verb = disabled ? 'disable' : 'enable';
    const operation = { name: `agent.${verb}`, subject: `agent:${agentId}` };
    await runDirectoryChange(actor, operation, now, db, async ({ trx, acting, record }) => {
      const agent = await getAgent(agentId, trx);
      if (agent === undefined) throw new NotFoundError('agent', agentId);
      const denial = await mayManageAgent(acting, agent, trx);
      if (denial !== undefined) return denial;
      if (agent.disabled === disabled) return;
      await setAgentDisabled(agentId, disabled, trx);
      record(`agent.${verb}d`, operation.subject);
    });
  };

  return Object.freeze<AgentDirectory>({
    async createAgent(actor, input, now) {
      const name = checkName(input.name, 'name');
      const operation = { name: 'agent.create', subject: `agent:${name}` };
      return runDirectoryChange(actor, operation, now, db, async ({ trx, acting, record }) => {
        const owner: AgentOwner = input.owner ?? { kind: 'user', id: acting.id };
        if (owner.kind !== 'user' && owner.kind !== 'team') {
          throw new ValidationError('owner.kind', 'must be user or team');
        }
        const denial = await mayOwn(acting, owner, trx);
        if (denial !== undefined) return denial;
        // Whoever may create it manages it, so each entry is judged as `addActsFor` would, before any write.
        const users = [...new Set(input.actsFor ?? [])];
        for (const userId of users) {
          const refused = mayAddActsFor(acting, userId, true);
          if (refused !== undefined) return refused;
          await checkActsForUser(userId, trx);
        }
        const agent = await insertAgent({ id: name, name, owner, createdAt: now }, trx);
        record('agent.created', operation.subject, { name, owner: `${owner.kind}:${owner.id}` });
        for (const userId of users) {
          await addActsFor({ agentId: name, userId, addedBy: acting.actor, addedAt: now }, trx);
          record('agent.actsFor.added', operation.subject, { user: userId });
        }
        return Object.freeze({ ...agent, actsFor: await listActsFor(name, trx) });
      });
    },

    async listAgents(actor, now) {
      return runDirectoryRead(actor, { name: 'agent.list', subject: 'agents' }, now, db, async (acting) => {
        const [stored, actsFor] = await Promise.all([readAgents(db), listAllActsFor(db)]);
        const agents = stored.map((agent) =>
          Object.freeze({ ...agent, actsFor: actsFor.get(agent.id) ?? [] }),
        );
        if (acting.role === 'admin' || acting.role === 'moderator') return Object.freeze(agents);
        const teams = new Set((await listUserTeams(acting.id, db)).map((membership) => membership.teamId));
        return Object.freeze(
          agents.filter((agent) =>
            agent.owner.kind === 'user' ? agent.owner.id === acting.id : teams.has(agent.owner.id),
          ),
        );
      });
    },

    disableAgent: (actor, agentId, now) => setDisabled(actor, agentId, true, now),
    enableAgent: (actor, agentId, now) => setDisabled(actor, agentId, false, now),
  });
}

/**
 * Whether the acting user may manage `agent` (disable it, issue or revoke its tokens): the admin,
 * the user who owns it, or a maintainer of the team that owns it. Moderators are not owners.
 */
export async function mayManageAgent(
  acting: Acting,
  agent: AgentRecord,
  db: Executor,
): Promise<Denial | undefined> {
  if (actsAsAdmin(acting)) return undefined;
  if (agent.owner.kind === 'user' && agent.owner.id === acting.id) return undefined;
  if (agent.owner.kind === 'team' && (await maintainsTeam(acting.id, agent.owner.id, db))) return undefined;
  return deny(
    'not-agent-owner',
    `Only the agent’s owner, a maintainer of its owning team, or the admin can manage agent ${agent.id}`,
  );
}

/** Whether the acting user may create an agent owned by `owner`; an unknown owner is NotFound. */
async function mayOwn(acting: Acting, owner: AgentOwner, db: Executor): Promise<Denial | undefined> {
  if (owner.kind === 'user') {
    if ((await getUser(owner.id, db)) === undefined) throw new NotFoundError('user', owner.id);
    if (owner.id === acting.id || actsAsAdmin(acting)) return undefined;
    return deny('not-agent-owner', 'Only the admin can create an agent owned by another user');
  }
  if ((await getTeam(owner.id, db)) === undefined) throw new NotFoundError('team', owner.id);
  if (actsAsAdmin(acting) || (await maintainsTeam(acting.id, owner.id, db))) return undefined;
  return deny(
    'not-team-maintainer',
    `Only a maintainer of team ${owner.id} or the admin can create its agents`,
  );
}
