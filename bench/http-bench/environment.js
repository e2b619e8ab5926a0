/**
 * The setup table's facts: the machine, its load, the runtime, the file system under the
 * temp directory, and the database as the server left it configured.
 */

import { readFileSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

/** The 1, 5 and 15 minute load averages, as `a / b / c`. */
export function loadAverage() {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ');
}

function packageVersion(name) {
  try {
    return JSON.parse(
      readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), 'utf8'),
    ).version;
  } catch {
    return 'unknown';
  }
}

/** The group commit's batch limit, read from the server's source (undefined if it moved). */
function groupCommitBatchSize() {
  try {
    const file = new URL('../../packages/server/src/storage/group-commit.ts', import.meta.url);
    return /const MAX_BATCH = ([\d_]+);/.exec(readFileSync(file, 'utf8'))?.[1]?.replaceAll('_', '');
  } catch {
    return undefined;
  }
}

/** An fsync on tmpfs costs nothing, which would make "durable" meaningless: say which it is. */
const FILESYSTEMS = {
  61267: 'ext4',
  1481003842: 'xfs',
  16914836: 'tmpfs',
  2435016766: 'btrfs',
  2035054128: 'overlayfs',
};

/** Everything the report's setup table shows. */
export async function describeEnvironment(dataDir, databaseFile) {
  const cpus = os.cpus();
  const fs = await statfs(dataDir).catch(() => undefined);
  const db = new Database(databaseFile, { readonly: true });
  const sqliteVersion = db.prepare('select sqlite_version() as v').get().v;
  const journalMode = db.pragma('journal_mode', { simple: true });
  db.close();
  return {
    date: new Date().toISOString().slice(0, 10),
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memoryGb: os.totalmem() / 2 ** 30,
    load: loadAverage(),
    node: process.versions.node,
    platform: `${process.platform} ${process.arch} (${os.release()})`,
    filesystem: fs === undefined ? 'unknown' : (FILESYSTEMS[fs.type] ?? `type 0x${fs.type.toString(16)}`),
    tempDir: path.dirname(dataDir),
    sqlite: sqliteVersion,
    betterSqlite3: packageVersion('better-sqlite3'),
    hono: packageVersion('hono'),
    honoNodeServer: packageVersion('@hono/node-server'),
    kysely: packageVersion('kysely'),
    journalMode,
    groupCommitMax: groupCommitBatchSize(),
  };
}
