/**
 * HTTP benchmark: request throughput and decision latency of the real Gatehouse server, in this
 * process, over loopback, with durable SQLite commits; against two ceilings measured the same
 * way (a bare node:http server, and SQLite's own durable commit rate on the same file), each
 * measured before and after the Gatehouse phases because the machine is shared.
 * Run with `npm run bench:http`. Writes bench/results/http.md; progress goes to stderr and the
 * last line on stdout is the machine-readable summary.
 */

import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { profilePhase, saveProfile, summarizeProfile } from './http-bench/cpu-profile.js';
import { describeEnvironment, loadAverage } from './http-bench/environment.js';
import { createGatehouseClient } from './http-bench/gatehouse-client.js';
import { BENCH_POLICY_YAML, startBenchGatehouse } from './http-bench/gatehouse-setup.js';
import { ceilingRequest, startCeilingServer } from './http-bench/http-ceiling.js';
import { createKeepAliveAgent } from './http-bench/http-client.js';
import { measureLongPollNotify, measureSseNotify } from './http-bench/notify-latency.js';
import { createPhaseRunner } from './http-bench/phase-runner.js';
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
  rss: { afterRequests: 50_000, extraMinMs: 5_000, extraMaxMs: 60_000 },
  profile: { count: 20_000, maxMs: 5_000 },
  ceiling: { warmUp: 2_000, count: 50_000, maxMs: 5_000 },
  sqlite: { maxCommits: 100_000, maxMs: 3_000 },
});

/**
 * The whole run's time budget: the phase that tops up the requests served towards 50,000 gets
 * what is left of it after the phases before, less what the phases after it need.
 */
const RUN_BUDGET_MS = 225_000;
const AFTER_RSS_RESERVE_MS = 40_000;

/** A warm-up stops at its count or after this long, whichever comes first. */
const WARM_UP_MAX_MS = 5_000;

/**
 * A full collection on demand, without a command-line flag (`npm run bench:http` runs plain
 * `node`): before each measured phase, and before each memory reading.
 */
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc');

function log(message) {
  process.stderr.write(`[http-bench] ${message}\n`);
}

const phases = createPhaseRunner({
  concurrency: CONCURRENCY,
  warmUpMaxMs: WARM_UP_MAX_MS,
  statements: countSqliteStatements(),
  collectGarbage,
  log,
});

function memoryAfterGc(served) {
  collectGarbage();
  return { served, ...process.memoryUsage() };
}

async function measureHttpCeiling(name) {
  const server = await startCeilingServer();
  const agent = createKeepAliveAgent(CONCURRENCY);
  try {
    const post = ceilingRequest(agent, server.origin);
    await phases.warmUp(name, PLAN.ceiling.warmUp, post);
    return await phases.measure(name, {
      maxRequests: PLAN.ceiling.count,
      maxMs: PLAN.ceiling.maxMs,
      issue: post,
      storage: false,
    });
  } finally {
    agent.destroy();
    await server.stop();
  }
}

function measureSqlite(name, file) {
  const result = measureSqliteCeiling(file, PLAN.sqlite);
  log(
    `${name}: ${Math.round(result.single.commitsPerSecond)} commits/s of one row, ` +
      `${Math.round(result.batched.commitsPerSecond)} commits/s of 32 rows`,
  );
  return result;
}

/** Profiles one more run of the throughput phase furthest below its target, if any is. */
async function profileWorstPhase(api, allow, pending) {
  const shortfalls = [
    { name: 'allow', ratio: allow.rps / TARGETS.allowRps },
    { name: 'pending', ratio: pending.rps / TARGETS.pendingRps },
  ].filter((shortfall) => shortfall.ratio < 1);
  if (shortfalls.length === 0) return undefined;
  const worst = shortfalls.sort((a, b) => a.ratio - b.ratio)[0].name;
  api.reconnect(); // idle during the HTTP ceiling
  log(`profiling one more ${worst} phase (a throughput target was missed)`);
  const issue =
    worst === 'allow' ? (i) => api.submitAllowed(`profiled-${i}`) : (i) => api.submitPending(`profiled-${i}`);
  const profiled = await profilePhase(() =>
    phases.measure(`${worst} (profiled)`, {
      maxRequests: PLAN.profile.count,
      maxMs: PLAN.profile.maxMs,
      issue,
    }),
  );
  const file = path.join(os.tmpdir(), `gatehouse-http-bench-${worst}.cpuprofile`);
  await saveProfile(file, profiled.profile);
  log(`wrote ${file}`);
  return { phase: profiled.result, file, ...summarizeProfile(profiled.profile) };
}

/** The Gatehouse phases, in order, with the ceilings measured around them. */
async function benchGatehouse(gatehouse, api, startedAt) {
  const environment = await describeEnvironment(gatehouse.dataDir, gatehouse.databaseFile);
  log(`node ${environment.node}, ${environment.cpu}, ${environment.cores} cores, load ${environment.load}`);
  const memoryAtStart = memoryAfterGc(api.served());
  const sqliteBefore = measureSqlite('SQLite ceiling (before, server idle)', gatehouse.databaseFile);
  const ceilingBefore = await measureHttpCeiling('HTTP ceiling (before)');

  api.reconnect(); // idle during the ceilings
  await phases.warmUp('allow', PLAN.allow.warmUp, (i) => api.submitAllowed(`warm-${i}`));
  const allow = await phases.measure('allow', {
    maxRequests: PLAN.allow.count,
    maxMs: PLAN.allow.maxMs,
    issue: (i) => api.submitAllowed(i),
    ownWrite: 'insert into requests',
  });

  const warmIds = [];
  await phases.warmUp('pending', PLAN.pending.warmUp, async (i) => {
    warmIds.push(await api.submitPending(`warm-${i}`));
  });
  const pendingIds = [];
  const pending = await phases.measure('pending', {
    maxRequests: PLAN.pending.count,
    maxMs: PLAN.pending.maxMs,
    issue: async (i) => {
      pendingIds.push(await api.submitPending(i));
    },
    ownWrite: 'insert into requests',
  });

  // Ids are taken in order; a warm-up cut short by its time bound leaves some for later phases.
  await phases.warmUp('approve', warmIds.length, (i) => api.approve(warmIds[i]));
  const approve = await phases.measure('approve', {
    maxRequests: pendingIds.length,
    maxMs: PLAN.approve.maxMs,
    issue: (i) => api.approve(pendingIds[i]),
    ownWrite: 'update requests',
  });

  log(`notify: ${PLAN.notify.count} decisions seen over SSE, one at a time`);
  const sse = await measureSseNotify(api, PLAN.notify);
  log(`notify: SSE p50 ${sse.p50.toFixed(2)} ms, p99 ${sse.p99.toFixed(2)} ms`);
  log(`notify: ${PLAN.notify.count} decisions seen by a long-poll, one at a time`);
  const longPoll = await measureLongPollNotify(api, PLAN.notify);
  log(`notify: long-poll p50 ${longPoll.p50.toFixed(2)} ms, p99 ${longPoll.p99.toFixed(2)} ms`);

  const short = PLAN.rss.afterRequests - api.served();
  const left = RUN_BUDGET_MS - AFTER_RSS_RESERVE_MS - (performance.now() - startedAt);
  const extra =
    short <= 0
      ? undefined
      : await phases.measure('allow (more, towards 50,000 served)', {
          maxRequests: short,
          maxMs: Math.min(PLAN.rss.extraMaxMs, Math.max(PLAN.rss.extraMinMs, left)),
          issue: (i) => api.submitAllowed(`extra-${i}`),
        });
  const memory = memoryAfterGc(api.served());
  log(`RSS after ${memory.served} requests served, after a full GC: ${(memory.rss / 2 ** 20).toFixed(1)} MB`);

  const ceilingAfter = await measureHttpCeiling('HTTP ceiling (after)');
  const profile = await profileWorstPhase(api, allow, pending);
  return {
    environment,
    allow,
    pending,
    approve,
    extra,
    notify: { sse, longPoll },
    memory: { atStart: memoryAtStart, after: memory },
    ceilings: { before: ceilingBefore, after: ceilingAfter },
    sqliteBefore,
    profile,
  };
}

async function main() {
  const startedAt = performance.now();
  log('starting Gatehouse on 127.0.0.1 (SQLite in a temp dir: WAL, synchronous=FULL, group commit)');
  const gatehouse = await startBenchGatehouse();
  const api = createGatehouseClient(gatehouse);
  let measured;
  try {
    measured = await benchGatehouse(gatehouse, api, startedAt);
  } finally {
    api.close();
    await gatehouse.stop();
  }
  let sqliteAfter;
  try {
    sqliteAfter = measureSqlite('SQLite ceiling (after, server stopped)', gatehouse.databaseFile);
  } finally {
    await gatehouse.removeDataDir();
  }

  const results = {
    ...measured,
    environment: { ...measured.environment, loadAfter: loadAverage() },
    sqlite: { before: measured.sqliteBefore, after: sqliteAfter },
    plan: PLAN,
    concurrency: CONCURRENCY,
    policyYaml: BENCH_POLICY_YAML,
    runSeconds: (performance.now() - startedAt) / 1000,
  };
  writeFileSync(new URL('./results/http.md', import.meta.url), renderReport(results));
  log(`wrote bench/results/http.md (the run took ${results.runSeconds.toFixed(0)} s)`);
  console.log(summaryLine(results));
  const phasesRun = [measured.allow, measured.pending, measured.approve, measured.extra].filter(Boolean);
  if (phasesRun.some((phase) => phase.failed > 0)) process.exitCode = 1;
}

await main();
