import type { GatehouseMigration } from './migration-types.js';

/**
 * The users an agent may act for (`onBehalfOf`). One row is one consent: the user added
 * themselves, or the admin added them; `added_by` says who. Rows go with the agent or the
 * user they name. Disabling a user keeps the row but a submission then names an inactive user.
 */
export const agentActsForMigration: GatehouseMigration = {
  async up(db) {
    await db.schema
      .createTable('agent_acts_for')
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('added_by', 'text', (c) => c.notNull())
      .addColumn('added_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('agent_acts_for_pkey', ['agent_id', 'user_id'])
      .addForeignKeyConstraint('agent_acts_for_agent_fkey', ['agent_id'], 'agents', ['id'], (fk) =>
        fk.onDelete('cascade'),
      )
      .addForeignKeyConstraint('agent_acts_for_user_fkey', ['user_id'], 'users', ['id'], (fk) =>
        fk.onDelete('cascade'),
      )
      .execute();
    // "Which agents act for this user": listing and withdrawing one's consents.
    await db.schema.createIndex('agent_acts_for_user_idx').on('agent_acts_for').column('user_id').execute();
  },
};
