import type { DatabaseConnection, DialectAdapter, Driver, SqliteDialectConfig } from 'kysely';
import { CompiledQuery, SqliteAdapter, SqliteDialect, SqliteDriver } from 'kysely';

/**
 * Kysely's SQLite dialect with two changes that suit a single-writer database:
 * transactions begin IMMEDIATE, and migrations run in one transaction.
 */
export class DurableSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/**
 * Takes the write lock when a transaction begins. A deferred `BEGIN` that reads and then
 * writes can fail with SQLITE_BUSY on the lock upgrade, which busy_timeout cannot wait out;
 * every Gatehouse transaction writes, so it asks for the lock up front.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * SQLite does run DDL inside transactions; saying so makes Kysely's migrator apply a
 * batch of migrations all or nothing, as on PostgreSQL. (A future migration that needs
 * `PRAGMA foreign_keys = OFF` for a table rebuild must do that outside; the pragma is a
 * no-op inside a transaction.)
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
