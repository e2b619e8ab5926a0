import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanUp, cli, hostEnv, jsonOf, tempDir } from '../cli-harness.test-support.js';

let env: Record<string, string>;
let dataDir: string;

beforeAll(async () => {
  dataDir = await tempDir();
  env = hostEnv(dataDir);
  expect((await cli(['init'], { env })).code).toBe(0);
  for (const name of ['ann', 'ben', 'cat'])
    expect((await cli(['user', 'create', name], { env })).code).toBe(0);
});

afterAll(cleanUp);

describe('gatehouse audit export', () => {
  it('writes JSON Lines in sequence order to stdout, from a given record', async () => {
    const run = await cli(['audit', 'export'], { env });
    expect(run.code).toBe(0);
    const records = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { seq: number; type: string; hash: string });
    expect(records.map((record) => record.seq)).toEqual(records.map((_, index) => index + 1));
    expect(records.filter((record) => record.type === 'user.created')).toHaveLength(4);

    const tail = await cli(['audit', 'export', '--from', '3'], { env });
    expect(
      tail.stdout
        .trimEnd()
        .split('\n')
        .map((line) => (JSON.parse(line) as { seq: number }).seq)[0],
    ).toBe(3);
  });

  it('writes a new 0600 file with --output, and --json prints one document either way', async () => {
    const file = path.join(await tempDir(), 'audit.jsonl');
    const run = await cli(['audit', 'export', '--output', file, '--json'], { env });
    expect(run.code).toBe(0);
    const summary = jsonOf<{ output: string; count: number; last: { seq: number; hash: string } }>(run);
    expect(summary).toMatchObject({ output: file, count: expect.any(Number) });
    expect((await readFile(file, 'utf8')).trimEnd().split('\n')).toHaveLength(summary.count);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    // Never overwrites an earlier export.
    expect((await cli(['audit', 'export', '--output', file], { env })).code).toBe(3);

    const whole = jsonOf<{ records: { seq: number }[]; count: number; last: { seq: number } }>(
      await cli(['audit', 'export', '--json'], { env }),
    );
    expect(whole.records).toHaveLength(whole.count);
    expect(whole.last.seq).toBe(whole.count);
  });
});

describe('gatehouse audit verify', () => {
  it('reports ok with the count and the head of an intact log', async () => {
    const run = await cli(['audit', 'verify'], { env });
    expect(run.code).toBe(0);
    const [, count, seq, hash] =
      /^ok: (\d+) records, head (\d+):([0-9a-f]{64}), \d+ checkpoints verified\n$/.exec(run.stdout) ?? [
        undefined,
        '0',
        '0',
        '',
      ];
    expect(Number(count)).toBeGreaterThan(4);
    expect(seq).toBe(count);
    expect((await cli(['audit', 'verify', '--expect-head', `${seq}:${hash}`], { env })).code).toBe(0);
    expect(jsonOf(await cli(['audit', 'verify', '--json'], { env }))).toMatchObject({
      ok: true,
      count: Number(count),
    });
  });

  it('security: an edited audit record is detected and named (exit 1)', async () => {
    const before = jsonOf<{ head: { seq: number; hash: string } }>(
      await cli(['audit', 'verify', '--json'], { env }),
    );
    // An attacker with the database file: drop the append-only trigger and rewrite a record.
    const database = new Database(path.join(dataDir, 'gatehouse.db'));
    try {
      database.exec('drop trigger audit_events_no_update');
      database.prepare('update audit_events set data = \'{"username":"mallory"}\' where seq = 2').run();
    } finally {
      database.close();
    }
    const run = await cli(['audit', 'verify'], { env });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^TAMPERED: record 2 \(edited\): /);
    const verdict = jsonOf<{ ok: boolean; firstBad: { seq: number; problem: string } }>(
      await cli(['audit', 'verify', '--json', '--expect-head', `${before.head.seq}:${before.head.hash}`], {
        env,
      }),
    );
    expect(verdict).toMatchObject({ ok: false, firstBad: { seq: 2, problem: 'edited' } });
  });
});
