/**
 * Counts what the process asks of SQLite while the benchmark runs: statements prepared (Kysely's
 * SQLite driver prepares every query it runs, so this is the number of statements executed) and
 * durable commits: explicit `commit`s and writes outside any transaction (each its own commit,
 * fsync included), each labelled by the first write it carried (`insert into requests`,
 * `update webhook_deliveries (autocommit)`), so the report can say what the fsyncs were for.
 * It wraps better-sqlite3's `Database.prototype.prepare` in this process only; nothing in the
 * server changes.
 */

import Database from 'better-sqlite3';

/**
 * Told by the SQL, not by better-sqlite3's `reader` flag: an `update … returning` is a reader
 * and a write.
 */
const WRITE = /^(insert|update|delete|replace|create|drop|alter)\b/;

/** `insert into requests`, `update webhook_deliveries`, `delete from timers`. */
export function writeLabel(sql) {
  const match = /^(insert(?: or \w+)? into|update|delete from|replace into)\s+"?([\w.]+)"?/i.exec(sql.trim());
  return match === null
    ? sql.trim().split(/\s+/).slice(0, 3).join(' ').toLowerCase()
    : `${match[1].toLowerCase()} ${match[2]}`;
}

/**
 * Installs the counter (once per process). `read()` returns the totals so far:
 * `{ statements, commits, commitsBy: { [label]: count } }`.
 */
export function countSqliteStatements() {
  let statements = 0;
  let commits = 0;
  const commitsBy = new Map();
  // The first write of the transaction each connection has open.
  const firstWrite = new WeakMap();
  const commit = (label) => {
    commits++;
    commitsBy.set(label, (commitsBy.get(label) ?? 0) + 1);
  };

  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function countedPrepare(source, ...rest) {
    const statement = prepare.call(this, source, ...rest);
    statements++;
    const sql = typeof source === 'string' ? source.trim().toLowerCase() : '';
    if (sql.startsWith('begin')) firstWrite.delete(this);
    else if (sql === 'commit' || sql === 'end') {
      commit(firstWrite.get(this) ?? 'nothing written');
      firstWrite.delete(this);
    } else if (WRITE.test(sql)) {
      const label = writeLabel(sql);
      if (!this.inTransaction) commit(`${label} (autocommit)`);
      else if (!firstWrite.has(this)) firstWrite.set(this, label);
    }
    return statement;
  };
  return { read: () => ({ statements, commits, commitsBy: Object.fromEntries(commitsBy) }) };
}
