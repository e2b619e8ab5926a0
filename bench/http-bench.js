/**
 * HTTP benchmark: request throughput and decision latency of the real Gatehouse server, in this
 * process, over loopback, with durable SQLite commits; against two ceilings measured the same
 * way (a bare node:http server, and SQLite's own durable commit rate on the same file).
 * Run with `npm run bench:http`. Writes bench/results/http.md; progress goes to stderr and the
 * last line on stdout is the machine-readable summary.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import Database from 'better-sqlite3';
import { profilePhase, saveProfile, summarizeProfile } from './http-bench/cpu-profile.js';
import { createGatehouseClient } from './http-bench/gatehouse-client.js';
import { BENCH_POLICY_YAML, startBenchGatehouse } from './http-bench/gatehouse-setup.js';
import { startCeilingServer } from './http-bench/http-ceiling.js';
import { createKeepAliveAgent, sendRequest } from './http-bench/http-client.js';
import { runLoad } from './http-bench/load-driver.js';
import { measureLongPollNotify, measureSseNotify } from './http-bench/notify-latency.js';
import { renderReport, summaryLine, TARGETS } from './http-bench/report-writer.js';
import { measureSqliteCeiling } from './http-bench/sqlite-ceiling.js';
import { countSqliteStatements } from './http-bench/sqlite-statement-counter.js';

const CONCURRENCY = 32;

/**
 * Every phase is bounded by a count and a time, so a whole run stays within about four minutes
 * on a shared 2-core machine however slow the server is.
 */
const PLAN = Object.freeze({
  allow: { warmUp: 1_000, count: 20_000, maxMs: 20_000 },
  pending: { warmUp: 1_000, count: 20_000, maxMs: 20_000 },
  approve: { maxMs: 20_000 },
  notify: { warmUp: 50, count: 500 },
  rss: { afterRequests: 50_000, extraMaxMs: 30_000 },
  profile: { count: 20_000, maxMs: 5_000 },
  ceiling: { warmUp: 2_000, count: 50_000, maxMs: 10_000 },
  sqlite: { maxCommits: 100_000, maxMs: 5_000 },
});

/** Where a CPU profile is kept (outside the repo; the report summarises it). */
const PROFILE_DIR = os.tmpdir();

/**
 * A full collection on demand, without a command-line flag (`npm run bench:http` runs plain
 * `node`): before each measured phase, so no phase pays for the garbage of the one before, and
 * before the RSS reading.
 */
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc');

function log(message) {
  process.stderr.write(`[http-bench] ${message}\n`);
}

function loadAverage() {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ');
}

/**
 * One measured phase under the load driver, with what the process spent on it: CPU time of all
 * threads as a share of one core, and how busy the main thread's event loop was (the server,
 * the driver and SQLite's synchronous calls all run on it).
 */
async function measurePhase(name, load) {
  collectGarbage();
  const cpuBefore = process.cpuUsage();
  const loopBefore = performance.eventLoopUtilization();
  const statementsBefore = statements.read();
  const result = await runLoad({ concurrency: CONCURRENCY, ...load });
  const cpu = process.cpuUsage(cpuBefore);
  const loop = performance.eventLoopUtilization(loopBefore);
  const statementsAfter = statements.read();
  const phase = {
    name,
    ...result,
    cpuCores: (cpu.user + cpu.system) / 1000 / result.elapsedMs,
    eventLoopUtilization: loop.utilization,
    statements: statementsAfter.statements - statementsBefore.statements,
    commits: statementsAfter.commits - statementsBefore.commits,
  };
  log(
    `${name}: ${phase.completed} in ${(phase.elapsedMs / 1000).toFixed(1)} s = ${Math.round(phase.rps)}/s, ` +
      `p50 ${phase.latency.p50.toFixed(1)} ms, p99 ${phase.latency.p99.toFixed(1)} ms, ${phase.failed} failed, ` +
      `event loop ${(phase.eventLoopUtilization * 100).toFixed(0)}%, ${phase.commits} commits`,
  );
  if (phase.failed > 0) log(`${name}: failures: ${phase.failures.join(' | ')}`);
  return phase;
}

/** Untimed traffic that brings the JIT, the caches and the database file to a steady state. */
async function warmUp(name, count, issue) {
  const result = await runLoad({ concurrency: CONCURRENCY, maxRequests: count, maxMs: 30_000, issue });
  if (result.failed > 0) throw new Error(`${name} warm-up failed: ${result.failures.join(' | ')}`);
}

/** Reads a constant from the server's source, for the setup table (undefined if it moved). */
function groupCommitBatchSize() {
  try {
    const source = readFileSync(new URL('../packages/server/src/storage/group-commit.ts', import.meta.url), 'utf8');
    return /const MAX_BATCH = ([\d_]+);/.exec(source)?.[1]?.replaceAll('_', '');
  } catch {
    return undefined;
  }
}

function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), 'utf8'))
      .version;
  } catch {
    return 'unknown';
  }
}

/** ext4, xfs, tmpfs…: an fsync on tmpfs costs nothing, which would make "durable" meaningless. */
const FILESYSTEMS = { 0xef53: 'ext4', 0x58465342: 'xfs', 0x01021994: 'tmpfs', 0x9123683e: 'btrfs', 0x794c7630: 'overlayfs' };

async function describeEnvironment(dataDir, databaseFile) {
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
    dataDir: path.dirname(dataDir),
    sqlite: sqliteVersion,
    betterSqlite3: packageVersion('better-sqlite3'),
    hono: packageVersion('hono'),
    honoNodeServer: packageVersion('@hono/node-server'),
    kysely: packageVersion('kysely'),
    journalMode,
    groupCommitMax: groupCommitBatchSize(),
  };
}

const statements = countSqliteStatements();

async function benchGatehouse() {
  log('starting Gatehouse (SQLite, WAL, synchronous=FULL) on 127.0.0.1');
  const gatehouse = await startBenchGatehouse();
  const api = createGatehouseClient(gatehouse);
  try {
    const environment = await describeEnvironment(gatehouse.dataDir, gatehouse.databaseFile);
    log(`node ${environment.node}, ${environment.cpu}, ${environment.cores} cores, load ${environment.load}`);

    log(`allow: warm-up ${PLAN.allow.warmUp}`);
    await warmUp('allow', PLAN.allow.warmUp, (i) => api.submitAllowed(`warm-${i}`));
    const allow = await measurePhase('allow', {
      maxRequests: PLAN.allow.count,
      maxMs: PLAN.allow.maxMs,
      issue: (i) => api.submitAllowed(i),
    });

    log(`pending: warm-up ${PLAN.pending.warmUp}`);
    const warmIds = [];
    await warmUp('pending', PLAN.pending.warmUp, async (i) => {
      warmIds.push(await api.submitPending(`warm-${i}`));
    });
    const pendingIds = [];
    const pending = await measurePhase('pending', {
      maxRequests: PLAN.pending.count,
      maxMs: PLAN.pending.maxMs,
      issue: async (i) => {
        pendingIds.push(await api.submitPending(i));
      },
    });

    log(`approve: warm-up on the ${warmIds.length} warm-up requests`);
    await warmUp('approve', warmIds.length, (i) => api.approve(warmIds[i]));
    const approve = await measurePhase('approve', {
      maxRequests: pendingIds.length,
      maxMs: PLAN.approve.maxMs,
      issue: (i) => api.approve(pendingIds[i]),
    });

    log(`notify: SSE, ${PLAN.notify.count} decisions one at a time`);
    const sse = await measureSseNotify(api, PLAN.notify);
    log(`notify: SSE p50 ${sse.p50.toFixed(2)} ms, p99 ${sse.p99.toFixed(2)} ms`);
    log(`notify: long-poll, ${PLAN.notify.count} decisions one at a time`);
    const longPoll = await measureLongPollNotify(api, PLAN.notify);
    log(`notify: long-poll p50 ${longPoll.p50.toFixed(2)} ms, p99 ${longPoll.p99.toFixed(2)} ms`);

    let extra;
    const short = PLAN.rss.afterRequests - api.served();
    if (short > 0) {
      extra = await measurePhase('allow (extra, to reach 50,000)', {
        maxRequests: short,
        maxMs: PLAN.rss.extraMaxMs,
        issue: (i) => api.submitAllowed(`extra-${i}`),
      });
    }
    collectGarbage();
    const memory = process.memoryUsage();
    const rss = { served: api.served(), ...memory };
    log(`RSS after ${rss.served} requests (after a full GC): ${(memory.rss / 2 ** 20).toFixed(1)} MB`);

    let profile;
    const shortfalls = [
      { name: 'allow', ratio: allow.rps / TARGETS.allowRps },
      { name: 'pending', ratio: pending.rps / TARGETS.pendingRps },
    ].filter((s) => s.ratio < 1);
    if (shortfalls.length > 0) {
      const worst = shortfalls.sort((a, b) => a.ratio - b.ratio)[0].name;
      log(`profiling one ${worst} phase (a throughput target was missed)`);
      const issue =
        worst === 'allow' ? (i) => api.submitAllowed(`profiled-${i}`) : (i) => api.submitPending(`profiled-${i}`);
      const profiled = await profilePhase(() =>
        measurePhase(`${worst} (profiled)`, { maxRequests: PLAN.profile.count, maxMs: PLAN.profile.maxMs, issue }),
      );
      const file = path.join(PROFILE_DIR, `gatehouse-http-bench-${worst}.cpuprofile`);
      await saveProfile(file, profiled.profile);
      log(`wrote ${file}`);
      profile = { phase: profiled.result, file, ...summarizeProfile(profiled.profile) };
    }
    return { environment, allow, pending, approve, sse, longPoll, extra, rss, profile, gatehouse };
  } finally {
    api.close();
    await gatehouse.stop();
  }
}

async function benchHttpCeiling() {
  log('ceiling: bare node:http server, same driver');
  const server = await startCeilingServer();
  const agent = createKeepAliveAgent(CONCURRENCY);
  const post = async (i) => {
    const answer = await sendRequest(agent, server.origin, {
      method: 'POST',
      path: '/v1/requests',
      json: { action: 'bench.read', params: { path: `/srv/bench/${i}` } },
    });
    if (answer.status !== 201) throw new Error(`ceiling: HTTP ${answer.status}`);
    JSON.parse(answer.body);
  };
  try {
    await warmUp('ceiling', PLAN.ceiling.warmUp, post);
    return await measurePhase('ceiling', { maxRequests: PLAN.ceiling.count, maxMs: PLAN.ceiling.maxMs, issue: post });
  } finally {
    agent.destroy();
    await server.stop();
  }
}

async function main() {
  const startedAt = performance.now();
  const measured = await benchGatehouse();
  const ceiling = await benchHttpCeiling();
  log('ceiling: SQLite durable commits on the same database file');
  const sqlite = measureSqliteCeiling(measured.gatehouse.databaseFile, PLAN.sqlite);
  log(
    `ceiling: SQLite ${Math.round(sqlite.single.commitsPerSecond)} commits/s one row each, ` +
      `${Math.round(sqlite.batched.commitsPerSecond)} commits/s × 32 rows`,
  );
  await measured.gatehouse.removeDataDir();

  const environment = { ...measured.environment, loadAfter: loadAverage() };
  const results = {
    environment,
    plan: PLAN,
    concurrency: CONCURRENCY,
    allow: measured.allow,
    pending: measured.pending,
    approve: measured.approve,
    extra: measured.extra,
    notify: { sse: measured.sse, longPoll: measured.longPoll },
    rss: measured.rss,
    profile: measured.profile,
    ceiling,
    sqlite,
    policyYaml: BENCH_POLICY_YAML,
    runSeconds: (performance.now() - startedAt) / 1000,
  };
  writeFileSync(new URL('./results/http.md', import.meta.url), renderReport(results));
  log(`wrote bench/results/http.md (run took ${results.runSeconds.toFixed(0)} s)`);
  console.log(summaryLine(results));
  const failed = [measured.allow, measured.pending, measured.approve, ceiling].some((phase) => phase.failed > 0);
  if (failed) process.exitCode = 1;
}

await main();
