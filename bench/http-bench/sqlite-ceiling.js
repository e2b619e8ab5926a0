/**
 * The database's own durable transaction rate: better-sqlite3 directly on the benchmark's
 * database file, with the pragmas the server opens it with (WAL, synchronous=FULL), no Kysely,
 * no HTTP. A scratch table of its own; rows about the size of an audit record.
 * Two shapes: one row per commit (every commit an fsync), and 32 rows per commit (the most
 * requests the 32 clients can have in one group commit).
 */

import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';

/** Rows per commit in the batched shape: one per concurrent client. */
export const BATCH_ROWS = 32;

/** About the size of one audit record's JSON. */
const PAYLOAD = randomBytes(300).toString('base64');

function measure(limit, maxMs, commitOnce) {
  let commits = 0;
  const startedAt = performance.now();
  const deadline = startedAt + maxMs;
  while (commits < limit && performance.now() < deadline) {
    commitOnce(commits);
    commits++;
  }
  const elapsedMs = performance.now() - startedAt;
  return { commits, elapsedMs, commitsPerSecond: commits / (elapsedMs / 1000) };
}

/**
 * Measures both shapes, each bounded by `maxCommits` and `maxMs`, then drops the scratch table.
 * @returns {{ single: { commits: number, elapsedMs: number, commitsPerSecond: number, rowsPerSecond: number },
 *   batched: { commits: number, elapsedMs: number, commitsPerSecond: number, rowsPerSecond: number },
 *   pragmas: { journalMode: string, synchronous: number } }}
 */
export function measureSqliteCeiling(file, { maxCommits, maxMs }) {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const pragmas = {
      journalMode: db.pragma('journal_mode', { simple: true }),
      synchronous: db.pragma('synchronous', { simple: true }),
    };
    db.exec(
      'create table if not exists bench_raw_commits (id integer primary key, at integer not null, data text not null)',
    );
    const insert = db.prepare('insert into bench_raw_commits (at, data) values (?, ?)');
    const begin = db.prepare('begin immediate');
    const commit = db.prepare('commit');
    // Warm the statement cache and the file's pages, untimed.
    measure(50, 1_000, () => {
      begin.run();
      insert.run(Date.now(), PAYLOAD);
      commit.run();
    });
    const single = measure(maxCommits, maxMs, () => {
      begin.run();
      insert.run(Date.now(), PAYLOAD);
      commit.run();
    });
    const batched = measure(maxCommits, maxMs, () => {
      begin.run();
      for (let row = 0; row < BATCH_ROWS; row++) insert.run(Date.now(), PAYLOAD);
      commit.run();
    });
    db.exec('drop table bench_raw_commits');
    return {
      single: { ...single, rowsPerSecond: single.commitsPerSecond },
      batched: { ...batched, rowsPerSecond: batched.commitsPerSecond * BATCH_ROWS },
      pragmas,
    };
  } finally {
    db.close();
  }
}
