import { type CreateTableBuilder, type Kysely, sql } from 'kysely';
import { REFUSAL_PREFIX } from '../driver-errors.js';
import type { StorageEngine } from '../storage-engine.js';

// Landed migrations call these helpers: change none of them; add new ones instead.

/** The type of a JSON column: `jsonb` on PostgreSQL, `text` on SQLite. */
export function jsonType(engine: StorageEngine): 'jsonb' | 'text' {
  return engine === 'postgres' ? 'jsonb' : 'text';
}

/** The type of a flag column: `boolean` on PostgreSQL, `integer` (0/1, checked) on SQLite. */
export function flagType(engine: StorageEngine): 'boolean' | 'integer' {
  return engine === 'postgres' ? 'boolean' : 'integer';
}

/** On SQLite, checks that a flag column holds only 0 or 1 (PostgreSQL's boolean needs no check). */
export function withFlagCheck<TB extends string, C extends string>(
  builder: CreateTableBuilder<TB, C>,
  engine: StorageEngine,
  table: string,
  column: string,
): CreateTableBuilder<TB, C> {
  if (engine === 'postgres') return builder;
  return builder.addCheckConstraint(`${table}_${column}_flag`, sql`${sql.ref(column)} in (0, 1)`);
}

/**
 * PostgreSQL only: the trigger function every refusing trigger calls. It raises
 * `gatehouse:<rule>`, which `toStorageError` turns into an `IntegrityError` naming the rule.
 */
export async function createRefusalFunction(db: Kysely<unknown>, engine: StorageEngine): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`
    create or replace function gatehouse_refuse() returns trigger language plpgsql as $$
    begin
      raise exception '${sql.raw(REFUSAL_PREFIX)}%', tg_argv[0];
    end
    $$`.execute(db);
}

/** A trigger that refuses every `event` on `table`, reporting `rule`. */
export interface RefusingTrigger {
  readonly name: string;
  readonly table: string;
  readonly event: 'update' | 'delete';
  readonly rule: string;
}

/**
 * Creates a BEFORE trigger that refuses a whole kind of change, on either engine.
 * On PostgreSQL a `delete` refusal also refuses TRUNCATE, which skips row triggers.
 */
export async function createRefusingTrigger(
  db: Kysely<unknown>,
  engine: StorageEngine,
  trigger: RefusingTrigger,
): Promise<void> {
  const name = sql.id(trigger.name);
  const table = sql.id(trigger.table);
  const event = sql.raw(trigger.event);
  if (engine === 'sqlite') {
    const message = sql.lit(`${REFUSAL_PREFIX}${trigger.rule}`);
    await sql`create trigger ${name} before ${event} on ${table}
      begin select raise(abort, ${message}); end`.execute(db);
    return;
  }
  const rule = sql.lit(trigger.rule);
  await sql`create trigger ${name} before ${event} on ${table}
    for each row execute function gatehouse_refuse(${rule})`.execute(db);
  if (trigger.event === 'delete') {
    await sql`create trigger ${sql.id(`${trigger.name}_truncate`)} before truncate on ${table}
      for each statement execute function gatehouse_refuse(${rule})`.execute(db);
  }
}
