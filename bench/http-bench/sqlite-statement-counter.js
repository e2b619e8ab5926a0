/**
 * Counts what the server asks of SQLite while the benchmark runs: statements prepared (Kysely's
 * SQLite driver prepares every query it runs, so this is the number of statements executed) and
 * commits. Requests per commit is the group commit's actual batch size. It wraps
 * better-sqlite3's `Database.prototype.prepare` in this process only: one counter increment and
 * one string comparison per statement, nothing in the server changes.
 */

import Database from 'better-sqlite3';

/** Installs the counter (once per process); `read()` returns the totals so far. */
export function countSqliteStatements() {
  const counts = { statements: 0, commits: 0 };
  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function countedPrepare(source, ...rest) {
    counts.statements++;
    if (typeof source === 'string' && source.length <= 8 && source.trim().toLowerCase() === 'commit')
      counts.commits++;
    return prepare.call(this, source, ...rest);
  };
  return { read: () => ({ ...counts }) };
}
