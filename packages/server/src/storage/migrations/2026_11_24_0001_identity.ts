import { sql } from 'kysely';
import type { GatehouseMigration } from './migration-types.js';
import {
  createRefusalFunction,
  createRefusingTrigger,
  flagType,
  jsonType,
  withFlagCheck,
} from './schema-helpers.js';

/**
 * Who is who: users and the admin seat, teams, approval groups, agents, API tokens, sessions.
 * Exactly one admin is the database's job: the admin is the single row of `admin_seat`
 * (its key is pinned to 1, so a second row cannot exist) and a trigger refuses to delete it.
 */
export const identityMigration: GatehouseMigration = {
  async up(db, engine) {
    const flag = flagType(engine);
    await createRefusalFunction(db, engine);

    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text')
      .addColumn('disabled', flag, (c) => c.notNull().defaultTo(sql`false`))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('locked_until', 'bigint')
      .addPrimaryKeyConstraint('users_pkey', ['id'])
      .addUniqueConstraint('users_username_unique', ['username'])
      .addCheckConstraint('users_role_check', sql`role in ('moderator', 'user')`)
      .$call((b) => withFlagCheck(b, engine, 'users', 'disabled'))
      .execute();

    await db.schema
      .createTable('admin_seat')
      .addColumn('id', 'integer', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('admin_seat_pkey', ['id'])
      .addCheckConstraint('admin_seat_single', sql`id = 1`)
      .addForeignKeyConstraint('admin_seat_user_fkey', ['user_id'], 'users', ['id'])
      .execute();
    await createRefusingTrigger(db, engine, {
      name: 'admin_seat_keep',
      table: 'admin_seat',
      event: 'delete',
      rule: 'admin_seat_required',
    });

    await db.schema
      .createTable('teams')
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('teams_pkey', ['id'])
      .addUniqueConstraint('teams_name_unique', ['name'])
      .execute();

    await db.schema
      .createTable('team_members')
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('team_members_pkey', ['team_id', 'user_id'])
      .addCheckConstraint('team_members_role_check', sql`role in ('maintainer', 'member')`)
      .addForeignKeyConstraint('team_members_team_fkey', ['team_id'], 'teams', ['id'], (fk) =>
        fk.onDelete('cascade'),
      )
      .addForeignKeyConstraint('team_members_user_fkey', ['user_id'], 'users', ['id'], (fk) =>
        fk.onDelete('cascade'),
      )
      .execute();
    await db.schema.createIndex('team_members_user_idx').on('team_members').column('user_id').execute();

    await db.schema
      .createTable('approval_groups')
      .addColumn('name', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('approval_groups_pkey', ['name'])
      .execute();

    await db.schema
      .createTable('group_members')
      .addColumn('group_name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('member_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('group_members_pkey', ['group_name', 'kind', 'member_id'])
      .addCheckConstraint('group_members_kind_check', sql`kind in ('user', 'team')`)
      .addForeignKeyConstraint(
        'group_members_group_fkey',
        ['group_name'],
        'approval_groups',
        ['name'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute();

    await db.schema
      .createTable('agents')
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('owner_user_id', 'text')
      .addColumn('owner_team_id', 'text')
      .addColumn('disabled', flag, (c) => c.notNull().defaultTo(sql`false`))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('agents_pkey', ['id'])
      .addUniqueConstraint('agents_name_unique', ['name'])
      .addCheckConstraint(
        'agents_one_owner',
        sql`(owner_user_id is null and owner_team_id is not null)
          or (owner_user_id is not null and owner_team_id is null)`,
      )
      .addForeignKeyConstraint('agents_owner_user_fkey', ['owner_user_id'], 'users', ['id'])
      .addForeignKeyConstraint('agents_owner_team_fkey', ['owner_team_id'], 'teams', ['id'])
      .$call((b) => withFlagCheck(b, engine, 'agents', 'disabled'))
      .execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('secret_hash', 'text', (c) => c.notNull())
      .addColumn('principal_kind', 'text', (c) => c.notNull())
      .addColumn('principal_id', 'text', (c) => c.notNull())
      .addColumn('scopes', jsonType(engine), (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .addColumn('last_used_at', 'bigint')
      .addPrimaryKeyConstraint('api_tokens_pkey', ['id'])
      .addUniqueConstraint('api_tokens_prefix_unique', ['prefix'])
      .addCheckConstraint('api_tokens_principal_kind_check', sql`principal_kind in ('user', 'agent')`)
      .execute();
    await db.schema
      .createIndex('api_tokens_principal_idx')
      .on('api_tokens')
      .columns(['principal_kind', 'principal_id'])
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('csrf_token_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('sessions_pkey', ['id'])
      .addForeignKeyConstraint('sessions_user_fkey', ['user_id'], 'users', ['id'], (fk) =>
        fk.onDelete('cascade'),
      )
      .execute();
    await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
    await db.schema.createIndex('sessions_expires_idx').on('sessions').column('expires_at').execute();
  },
};
