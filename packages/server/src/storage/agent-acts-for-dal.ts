import type { Kysely } from 'kysely';
import type { EpochMs, GatehouseDatabase } from './database-types.js';
import { guard } from './driver-errors.js';
import type { Executor } from './transaction.js';

/** `agent_acts_for` (migration 2026_12_02_0003): the users an agent may name as `onBehalfOf`. */
export interface AgentActsForTable {
  agent_id: string;
  user_id: string;
  /** Audit actor who added the row (`user:<id>`). */
  added_by: string;
  added_at: EpochMs;
}

/** The table, to merge into the schema (a type alias: `withTables` wants an index signature). */
export type AgentActsForTables = { agent_acts_for: AgentActsForTable };

// The same executor typed with the table; transactions stay on the original executor.
function tables(db: Executor): Kysely<GatehouseDatabase & AgentActsForTables> {
  return db.withTables<AgentActsForTables>() as unknown as Kysely<GatehouseDatabase & AgentActsForTables>;
}

/** The users `agentId` acts for, sorted. */
export async function listActsFor(agentId: string, db: Executor): Promise<readonly string[]> {
  return guard('read who an agent acts for', async () => {
    const rows = await tables(db)
      .selectFrom('agent_acts_for')
      .select('user_id')
      .where('agent_id', '=', agentId)
      .orderBy('user_id')
      .execute();
    return Object.freeze(rows.map((row) => row.user_id));
  });
}

/** Every agent's acts-for list, by agent id (agents acting for nobody are absent). */
export async function listAllActsFor(db: Executor): Promise<ReadonlyMap<string, readonly string[]>> {
  return guard('read who agents act for', async () => {
    const rows = await tables(db)
      .selectFrom('agent_acts_for')
      .select(['agent_id', 'user_id'])
      .orderBy('agent_id')
      .orderBy('user_id')
      .execute();
    const byAgent = new Map<string, string[]>();
    for (const row of rows) {
      const users = byAgent.get(row.agent_id) ?? [];
      users.push(row.user_id);
      byAgent.set(row.agent_id, users);
    }
    return byAgent;
  });
}

/** True when `agentId` may act for `userId`. */
export async function actsFor(agentId: string, userId: string, db: Executor): Promise<boolean> {
  return guard('check who an agent acts for', async () => {
    const row = await tables(db)
      .selectFrom('agent_acts_for')
      .select('user_id')
      .where('agent_id', '=', agentId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  });
}

/** Adds `userId` to the agent's list; false when already there. An unknown agent or user is an `IntegrityError`. */
export async function addActsFor(
  entry: {
    readonly agentId: string;
    readonly userId: string;
    readonly addedBy: string;
    readonly addedAt: number;
  },
  db: Executor,
): Promise<boolean> {
  return guard('add a user an agent acts for', async () => {
    const result = await tables(db)
      .insertInto('agent_acts_for')
      .values({
        agent_id: entry.agentId,
        user_id: entry.userId,
        added_by: entry.addedBy,
        added_at: entry.addedAt,
      })
      .onConflict((conflict) => conflict.columns(['agent_id', 'user_id']).doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  });
}

/** Removes `userId` from the agent's list; false when they were not on it. */
export async function removeActsFor(agentId: string, userId: string, db: Executor): Promise<boolean> {
  return guard('remove a user an agent acts for', async () => {
    const result = await tables(db)
      .deleteFrom('agent_acts_for')
      .where('agent_id', '=', agentId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  });
}
