import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../open-database.js';
import { MigrationError } from '../storage-errors.js';
import { ENGINES, openTestStorage, type TestStorage } from '../storage-test-engines.test-support.js';
import { UNIQUE_KEYS } from '../unique-keys.js';
import { GATEHOUSE_MIGRATIONS } from './gatehouse-migrations.js';
import { migrateToLatest } from './migrate-to-latest.js';

const MIGRATION_NAMES = Object.keys(GATEHOUSE_MIGRATIONS);

for (const engine of ENGINES) {
  describe(`migrations (${engine})`, () => {
    let storage: TestStorage;

    beforeAll(async () => {
      storage = await openTestStorage(engine);
    });
    afterAll(async () => {
      await storage?.dispose();
    });

    it('are named by timestamp and sorted', () => {
      for (const name of MIGRATION_NAMES) expect(name).toMatch(/^\d{4}_\d{2}_\d{2}_\d{4}_[a-z_]+$/);
      expect([...MIGRATION_NAMES].sort()).toEqual(MIGRATION_NAMES);
    });

    it('apply twice idempotently, also from another connection', async () => {
      expect(await migrateToLatest(storage.db)).toEqual([]);
      const other = await openDatabase({ url: storage.url });
      try {
        expect(await migrateToLatest(other.db)).toEqual([]);
      } finally {
        await other.close();
      }
      const tables = await storage.db.introspection.getTables();
      expect(tables.map((table) => table.name)).toEqual(
        expect.arrayContaining(['users', 'requests', 'timers']),
      );
    });

    it('name the migration that failed, and apply none of the batch', async () => {
      const broken = {
        ...GATEHOUSE_MIGRATIONS,
        '2099_01_01_0001_broken_first_half': {
          async up(db: Kysely<unknown>) {
            await db.schema.createTable('half_done').addColumn('id', 'text').execute();
          },
        },
        '2099_01_01_0002_broken': {
          async up(db: Kysely<unknown>) {
            await sql`select * from no_such_table`.execute(db);
          },
        },
      };
      const error = await migrateToLatest(storage.db, broken).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).migration).toBe('2099_01_01_0002_broken');
      expect((error as MigrationError).message).toBe('Migration 2099_01_01_0002_broken failed');
      expect((error as MigrationError).cause).toBeInstanceOf(Error);
      const tables = await storage.db.introspection.getTables();
      expect(tables.map((table) => table.name)).not.toContain('half_done');
      expect(await migrateToLatest(storage.db)).toEqual([]);
    });

    it('create exactly the unique keys that error mapping knows', async () => {
      const expected = UNIQUE_KEYS.map((key) => `${key.table}(${[...key.columns].sort().join(',')})`).sort();
      expect(await uniqueKeysInSchema(storage)).toEqual(expected);
    });

    if (engine === 'postgres') {
      it('name every unique key as the error mapping does', async () => {
        const { rows } = await sql<{ name: string }>`
          select i.relname as name from pg_index x
          join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
          where x.indisunique and t.relnamespace = current_schema()::regnamespace
            and t.relname not like 'kysely_%'`.execute(storage.db);
        expect(rows.map((row) => row.name).sort()).toEqual(UNIQUE_KEYS.map((key) => key.name).sort());
      });
    }
  });
}

/** Every unique key (primary keys included) of our tables, as `table(col,col)`. */
async function uniqueKeysInSchema(storage: TestStorage): Promise<string[]> {
  if (storage.engine === 'postgres') {
    const { rows } = await sql<{ key: string }>`
      select t.relname || '(' || string_agg(a.attname, ',' order by a.attname collate "C") || ')' as key
      from pg_index x
      join pg_class t on t.oid = x.indrelid
      join pg_attribute a on a.attrelid = t.oid and a.attnum = any(x.indkey)
      where x.indisunique and t.relnamespace = current_schema()::regnamespace and t.relname not like 'kysely_%'
      group by x.indexrelid, t.relname`.execute(storage.db);
    return rows.map((row) => row.key).sort();
  }
  const { rows } = await sql<{ key: string }>`
    select m.name || '(' || (
      select group_concat(c.name, ',') from (
        select ii.name from pragma_index_info(il.name) ii order by ii.name
      ) c
    ) || ')' as key
    from sqlite_master m join pragma_index_list(m.name) il
    where m.type = 'table' and m.name not like 'kysely_%' and il."unique" = 1
    union all
    select m.name || '(' || (
      select group_concat(c.name, ',') from (
        select ti.name from pragma_table_info(m.name) ti where ti.pk > 0 order by ti.name
      ) c
    ) || ')'
    from sqlite_master m
    where m.type = 'table' and m.name not like 'kysely_%' and m.name not like 'sqlite_%'
      and not exists (select 1 from pragma_index_list(m.name) il where il.origin = 'pk')
      and exists (select 1 from pragma_table_info(m.name) ti where ti.pk > 0)`.execute(storage.db);
  return rows.map((row) => row.key).sort();
}
