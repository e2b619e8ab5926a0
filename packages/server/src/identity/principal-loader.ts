import type { Role } from '@gatehouse/core';
import { getEffectiveRole } from '../storage/admin-seat-dal.js';
import type { AgentRecord } from '../storage/agents-dal.js';
import { getTeam, listUserTeams } from '../storage/teams-dal.js';
import type { Executor } from '../storage/transaction.js';

// What authentication adds to an id: a user's effective role and teams, an agent's owners.

/** A user's effective role (admin seat included) and team names, as of now. */
export interface UserStanding {
  readonly role: Role;
  readonly teams: readonly string[];
}

/** The standing of an existing user; undefined when the user does not exist. */
export async function loadUserStanding(userId: string, db: Executor): Promise<UserStanding | undefined> {
  const role = await getEffectiveRole(userId, db);
  if (role === undefined) return undefined;
  const memberships = await listUserTeams(userId, db);
  return Object.freeze({ role, teams: Object.freeze(memberships.map((m) => m.teamName)) });
}

/** An agent's owners as a principal carries them: the owning user, or the owning team's id and name. */
export interface AgentStanding {
  readonly owner?: string;
  readonly ownerTeam?: string;
  readonly teams: readonly string[];
}

/** Where an agent belongs: its owning user, or its owning team (by id, and by name in `teams`). */
export async function loadAgentStanding(agent: AgentRecord, db: Executor): Promise<AgentStanding> {
  if (agent.owner.kind === 'user') return Object.freeze({ owner: agent.owner.id, teams: Object.freeze([]) });
  const team = await getTeam(agent.owner.id, db);
  return Object.freeze({
    ownerTeam: agent.owner.id,
    teams: Object.freeze(team === undefined ? [] : [team.name]),
  });
}
