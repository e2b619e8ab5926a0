import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { countSqliteStatements, writeLabel } from './sqlite-statement-counter.js';

describe('writeLabel', () => {
  it('names the verb and the table', () => {
    expect(writeLabel('insert into "requests" ("id") values (?)')).toBe('insert into requests');
    expect(writeLabel('update "webhook_deliveries" set "claimed_by" = ?')).toBe('update webhook_deliveries');
    expect(writeLabel('delete from "timers" where "request_id" = ?')).toBe('delete from timers');
  });
});

describe('countSqliteStatements', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'http-bench-counter-'));
  const counter = countSqliteStatements();
  const db = new Database(path.join(dir, 'counted.db'));
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts explicit commits by their first write, and writes outside a transaction as commits of their own', () => {
    db.prepare('create table t (id integer primary key, v text)').run();
    db.prepare('create table u (id integer primary key)').run();
    const before = counter.read();
    db.prepare('begin immediate').run();
    db.prepare('savepoint "unit_0"').run();
    db.prepare('select count(*) from t').get();
    db.prepare('insert into "t" ("v") values (?)').run('a');
    db.prepare('insert into "u" default values').run();
    db.prepare('release "unit_0"').run();
    db.prepare('commit').run();
    db.prepare('update "t" set "v" = ? returning "id"').all('b');
    db.prepare('begin').run();
    db.prepare('select 1').get();
    db.prepare('commit').run();
    const after = counter.read();
    expect(after.statements - before.statements).toBe(11);
    // An `update … returning` reads and writes: it counts as a write.
    expect(after.commits - before.commits).toBe(3);
    const grew = (label) => (after.commitsBy[label] ?? 0) - (before.commitsBy[label] ?? 0);
    expect(grew('insert into t')).toBe(1);
    expect(grew('update t (autocommit)')).toBe(1);
    expect(grew('nothing written')).toBe(1);
  });
});
