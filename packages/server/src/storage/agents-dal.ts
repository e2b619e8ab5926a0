import type { Selectable } from 'kysely';
import type { AgentsTable } from './database-types.js';
import { guard } from './driver-errors.js';
import { flag, isSet } from './row-values.js';
import type { Executor } from './transaction.js';

/** Who owns an agent: exactly one user or one team (the database checks it). */
export interface AgentOwner {
  readonly kind: 'user' | 'team';
  readonly id: string;
}

/** A non-human principal as stored. */
export interface AgentRecord {
  readonly id: string;
  readonly name: string;
  readonly owner: AgentOwner;
  readonly disabled: boolean;
  readonly createdAt: number;
}

/** What creating an agent takes. */
export type NewAgent = Omit<AgentRecord, 'disabled'>;

/** Creates an agent. A taken id or name is a `ConflictError`; an unknown owner an `IntegrityError`. */
export async function createAgent(agent: NewAgent, db: Executor): Promise<AgentRecord> {
  return guard('create an agent', async () => {
    const row = await db
      .insertInto('agents')
      .values({
        id: agent.id,
        name: agent.name,
        owner_user_id: agent.owner.kind === 'user' ? agent.owner.id : null,
        owner_team_id: agent.owner.kind === 'team' ? agent.owner.id : null,
        disabled: flag(false),
        created_at: agent.createdAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toAgent(row);
  });
}

/** The agent with this id, if any. */
export async function getAgent(id: string, db: Executor): Promise<AgentRecord | undefined> {
  return guard('read an agent', async () => {
    const row = await db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toAgent(row);
  });
}

/** Every agent, by name. */
export async function listAgents(db: Executor): Promise<readonly AgentRecord[]> {
  return guard('list agents', async () => {
    const rows = await db.selectFrom('agents').selectAll().orderBy('name').execute();
    return Object.freeze(rows.map(toAgent));
  });
}

/** Disables or enables an agent; false when there is no such agent. */
export async function setAgentDisabled(id: string, disabled: boolean, db: Executor): Promise<boolean> {
  return guard('disable an agent', async () => {
    const result = await db
      .updateTable('agents')
      .set({ disabled: flag(disabled) })
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  });
}

function toAgent(row: Selectable<AgentsTable>): AgentRecord {
  const owner: AgentOwner =
    row.owner_user_id !== null
      ? { kind: 'user', id: row.owner_user_id }
      : { kind: 'team', id: row.owner_team_id ?? '' };
  return Object.freeze({
    id: row.id,
    name: row.name,
    owner: Object.freeze(owner),
    disabled: isSet(row.disabled),
    createdAt: row.created_at,
  });
}
