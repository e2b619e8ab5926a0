import { describe, expect, it } from 'vitest';
import { renderReport, summaryLine } from './report-writer.js';

const MB = 2 ** 20;

function phase(name, rps, { commits, statements = 11, mainThread, storage = true, commitsBy } = {}) {
  const elapsedMs = 10_000;
  const completed = Math.round((rps * elapsedMs) / 1000);
  return {
    name,
    completed,
    failed: 0,
    failures: [],
    elapsedMs,
    rps,
    latency: { count: completed, p50: 6.5, p90: 9, p99: 12.25, max: 30 },
    stoppedBy: 'time',
    cpuCores: 1.1,
    mainThread: mainThread ?? { busy: 0.99, onCpu: 0.5, waitingForCpu: 0.3, blocked: 0.19 },
    ...(storage
      ? {
          ownWrite: 'insert into requests',
          statements: statements * completed,
          commits: commits ?? completed,
          commitsBy: commitsBy ?? { 'insert into requests': commits ?? completed },
        }
      : {}),
  };
}

function sqliteRun(single) {
  return {
    single: { commits: single, elapsedMs: 1000, commitsPerSecond: single, rowsPerSecond: single },
    batched: { commits: single, elapsedMs: 1000, commitsPerSecond: single, rowsPerSecond: single * 32 },
    pragmas: { journalMode: 'wal', synchronous: 2 },
  };
}

function results({ allowRps = 117, pendingRps = 118, served = 14_195, rssMb = 174.2, sseP99 = 20.96 } = {}) {
  const memory = (rss, at) => ({
    served: at,
    rss,
    heapUsed: 30 * MB,
    heapTotal: 80 * MB,
    external: 2 * MB,
    arrayBuffers: MB,
  });
  return {
    environment: {
      date: '2026-11-24',
      cpu: 'AMD EPYC',
      cores: 2,
      memoryGb: 24,
      load: '2.84 / 3.33 / 4.21',
      loadAfter: '3.00 / 3.00 / 3.00',
      node: '20.20.2',
      platform: 'linux x64',
      filesystem: 'ext4',
      tempDir: '/tmp',
      sqlite: '3.50.0',
      betterSqlite3: '12.0.0',
      hono: '4',
      honoNodeServer: '2',
      kysely: '0.28',
      journalMode: 'wal',
      groupCommitMax: '256',
    },
    plan: {
      allow: { warmUp: 1000, count: 20000, maxMs: 20000 },
      pending: { warmUp: 1000, count: 20000, maxMs: 20000 },
      approve: { maxMs: 20000 },
      notify: { warmUp: 50, count: 500 },
      ceiling: { warmUp: 2000, count: 50000, maxMs: 5000 },
      sqlite: { maxCommits: 100000, maxMs: 3000 },
    },
    concurrency: 32,
    policyYaml: 'version: 1\n',
    runSeconds: 184,
    allow: phase('allow', allowRps),
    pending: phase('pending', pendingRps),
    approve: phase('approve', 67, { statements: 15 }),
    extra: undefined,
    notify: {
      sse: { count: 500, p50: 4.65, p90: 9, p99: sseP99, max: 40 },
      longPoll: { count: 500, p50: 16.03, p90: 30, p99: 77.7, max: 90 },
    },
    memory: { atStart: memory(90 * MB, 4), after: memory(rssMb * MB, served) },
    ceilings: {
      before: phase('HTTP ceiling (before)', 3663, { storage: false }),
      after: phase('HTTP ceiling (after)', 3000, { storage: false }),
    },
    sqlite: { before: sqliteRun(1500), after: sqliteRun(273) },
    profile: undefined,
  };
}

describe('summaryLine', () => {
  it('is the one line the brief asks for, SSE in the notify fields, the better HTTP ceiling', () => {
    expect(summaryLine(results())).toBe(
      'http-bench allow_rps=117 pending_rps=118 approve_rps=67 notify_p50_ms=4.65 notify_p99_ms=20.96 ceiling_rps=3663 rss_mb_after_50k=174.2',
    );
  });
});

describe('renderReport', () => {
  it('states missed targets plainly', () => {
    const text = renderReport(results());
    expect(text).toContain('| allowed requests/s, durable commits | ≥ 5,000 | 117/s | **not met** |');
    expect(text).toContain('| pending requests/s, durable commits | ≥ 3,000 | 118/s | **not met** |');
    expect(text).toContain(
      '| decision seen by the waiting client, p99: SSE | ≤ 20 ms | 21.0 ms | **not met** |',
    );
  });

  it('says met only when the numbers meet the target', () => {
    const text = renderReport(
      results({ allowRps: 5000, pendingRps: 3000, sseP99: 20, served: 50_000, rssMb: 120 }),
    );
    expect(text).toContain('| ≥ 5,000 | 5,000/s | **met** |');
    expect(text).toContain('| ≥ 3,000 | 3,000/s | **met** |');
    expect(text).toContain('| ≤ 20 ms | 20.0 ms | **met** |');
    expect(text).toContain('| ≤ 120 MB | 120.0 MB after 50,000 requests | **met** |');
  });

  it('does not judge RSS at 50,000 requests when fewer were served', () => {
    const text = renderReport(results({ served: 14_195, rssMb: 174.2 }));
    expect(text).toContain(
      "**not measured**: only 14,195 requests were served within the run's time bounds, and RSS was already above 120 MB then",
    );
  });

  it('says so when the group commit did not group', () => {
    expect(renderReport(results())).toContain(
      '**The group commit did not group**: 1.0–1.0 requests per commit',
    );
    const grouped = results();
    grouped.allow = phase('allow', 1000, { commits: 400 });
    grouped.pending = phase('pending', 1000, { commits: 500 });
    grouped.approve = phase('approve', 500, { commits: 250 });
    expect(renderReport(grouped)).toContain('The group commit grouped 20.0–25.0 requests per commit');
  });

  it('names the durable commits that are not the request’s own', () => {
    const busy = results();
    busy.allow = phase('allow', 100, {
      commits: 3000,
      commitsBy: { 'insert into requests': 1000, 'update webhook_deliveries': 2000 },
    });
    const text = renderReport(busy);
    expect(text).toContain('allow 2.00 per request (`update webhook_deliveries` 2.00)');
    expect(text).toContain('| `update webhook_deliveries` | 2.00 | 0.00 | 0.00 |');
    expect(text).toContain('| **all durable commits** | **3.00** | **1.00** | **1.00** |');
  });

  it('shows no storage figures for the ceilings', () => {
    expect(renderReport(results())).toContain(
      '| HTTP ceiling (before) | 36,630 | 10.0 | time | 0 | 1.10 | 99% | 50% | 30% | 19% | – | – |',
    );
  });

  it('compares with the peer by ratio', () => {
    expect(renderReport(results())).toContain('| allowed requests/s | 540 | 117 | 0.22× |');
  });
});
