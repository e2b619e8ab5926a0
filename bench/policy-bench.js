/**
 * Policy benchmark: our evaluator vs Cedar (cedar-wasm) vs casbin, side by side in one
 * process, on the same generated rule sets and queries. Run with `npm run bench:policy`.
 * Writes bench/results/policy.md; the last line on stdout is the machine-readable summary.
 */

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import * as core from '@gatehouse/core';
import { createCasbinEngine } from './policy-bench/casbin-engine.js';
import { cedarVersion, createCedarEngine, createCedarStatelessEngine } from './policy-bench/cedar-engine.js';
import { compareAnswers, createLatencySampler } from './policy-bench/latency-sampler.js';
import { createOurEngine } from './policy-bench/ours-engine.js';
import { decideByReference, ruleMatches } from './policy-bench/reference-decider.js';
import { formatMicros, renderReport, summaryLine } from './policy-bench/report-writer.js';
import {
  generateDistinctNameQueries,
  generateQueries,
  generateRuleSet,
} from './policy-bench/rule-set-generator.js';

const RULE_COUNTS = [200, 1000];
const RULE_SEED = 0x9a7e;
const QUERY_SEED = 0x51de;
/** Every engine in the main comparison is measured on every query of the pool. */
const POOL_SIZE = 2000;
const ROUNDS = 10;
const CEL_SHARE = 0.1;
/** 100 services × 10 resources × 6 ops = 6,000 distinct names, cycled in a fixed order. */
const DISTINCT_NAME_SERVICES = 100;

/**
 * Per engine: samples timed one by one and calls timed in batches, split over the rounds,
 * untimed warm-up calls before the first round and a short untimed replay (`rewarm`)
 * before each round's samples. Sized so the whole run stays within about three minutes on
 * a shared 2-core machine (Cedar costs about 1.5 ms a decision at 1000 rules).
 */
function planFor(count) {
  return {
    ours: { samples: 50_000, batched: 50_000, warmUp: 20_000, rewarm: 500 },
    cedar: { samples: POOL_SIZE, batched: POOL_SIZE, warmUp: 200, rewarm: 5 },
    casbin: { samples: POOL_SIZE, batched: POOL_SIZE, warmUp: 200, rewarm: 5 },
    oursCel: { samples: 20_000, batched: 20_000, warmUp: 10_000, rewarm: 500 },
    oursDistinct: { samples: 20_000, batched: 20_000, warmUp: 10_000, rewarm: 500 },
    cedarUnparsed: { samples: count >= 1000 ? 30 : 100, batched: 0, warmUp: 3, rewarm: 0 },
    timerFloor: { samples: 50_000, batched: 50_000, warmUp: 20_000, rewarm: 500 },
  };
}

/**
 * A full collection on demand, without a command-line flag (`npm run bench:policy` runs
 * plain `node`). Run before each engine's turn so no engine pays, in its own timings, for
 * collecting garbage another engine left behind.
 */
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc');

function log(message) {
  process.stderr.write(`[policy-bench] ${message}\n`);
}

function outcomeMix(rules, queries, expected) {
  const mix = { allow: 0, deny: 0, require: 0, defaulted: 0 };
  expected.forEach((outcome, i) => {
    mix[outcome]++;
    if (!rules.some((rule) => ruleMatches(rule, queries[i]))) mix.defaulted++;
  });
  return mix;
}

async function benchRuleCount(count) {
  const rules = generateRuleSet({ count, seed: RULE_SEED });
  const celRules = generateRuleSet({ count, seed: RULE_SEED, conditionShare: CEL_SHARE });
  const queries = generateQueries({ rules, count: POOL_SIZE, seed: QUERY_SEED });
  const distinctQueries = generateDistinctNameQueries({ services: DISTINCT_NAME_SERVICES, seed: QUERY_SEED });
  const expected = queries.map((query) => decideByReference(rules, query));
  const celExpected = queries.map((query) => decideByReference(celRules, query));
  const distinctExpected = distinctQueries.map((query) => decideByReference(rules, query));

  log(`${count} rules: building engines`);
  const plan = planFor(count);
  const entries = [
    ['ours', 'ours', createOurEngine(core, rules, { name: 'ours', version: `bench-${count}` }), queries],
    ['cedar', 'cedar (preparsed)', createCedarEngine(rules), queries],
    ['casbin', 'casbin', await createCasbinEngine(rules), queries],
    [
      'oursCel',
      `ours + CEL (${Math.round(CEL_SHARE * 100)}% of rules)`,
      createOurEngine(core, celRules, { name: 'ours + CEL', version: `bench-${count}-cel` }),
      queries,
    ],
    [
      'oursDistinct',
      'ours, distinct names',
      createOurEngine(core, rules, { name: 'ours, distinct names', version: `bench-${count}-distinct` }),
      distinctQueries,
    ],
    ['cedarUnparsed', 'cedar, isAuthorized (parses per call)', createCedarStatelessEngine(rules), queries],
    ['timerFloor', 'timer floor (empty call)', { name: 'timer floor', decide: () => 'allow' }, queries],
  ];
  const samplers = entries.map(([key, label, engine, pool]) => ({
    key,
    label,
    plan: plan[key],
    sampler: createLatencySampler(engine, pool, plan[key]),
  }));

  log(`${count} rules: warming up`);
  for (const { sampler, plan: p } of samplers) sampler.warmUp(p.warmUp);

  log(`${count} rules: measuring, ${ROUNDS} interleaved rounds`);
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate who goes first so no engine always runs right after the same neighbour.
    const order = samplers.map((_, i) => samplers[(i + round) % samplers.length]);
    for (const { sampler, plan: p } of order) {
      // The engine before it has just evicted its code and data from the CPU caches; a
      // short untimed replay keeps that eviction, an artefact of interleaving, out of p99.
      collectGarbage();
      sampler.warmUp(p.rewarm);
      sampler.sample(Math.ceil(p.samples / ROUNDS));
    }
    for (const { sampler, plan: p } of order) {
      collectGarbage();
      sampler.warmUp(p.rewarm);
      sampler.sampleBatch(Math.ceil(p.batched / ROUNDS));
    }
  }

  const results = Object.fromEntries(samplers.map(({ key, sampler }) => [key, sampler.result()]));
  const rows = samplers.map(({ key, label }) => ({ key, label, ...results[key] }));
  const checks = [
    {
      label: 'ours vs cedar (both calls) vs casbin vs reference',
      ...compareAnswers(
        [results.ours, results.cedar, results.casbin, results.cedarUnparsed],
        expected,
        queries,
      ),
    },
    { label: 'ours + CEL vs reference', ...compareAnswers([results.oursCel], celExpected, queries) },
    {
      label: 'ours, distinct names vs reference',
      ...compareAnswers([results.oursDistinct], distinctExpected, distinctQueries),
    },
  ];
  return { count, poolSize: POOL_SIZE, outcomeMix: outcomeMix(rules, queries, expected), rows, checks };
}

function packageVersion(relativePath) {
  return JSON.parse(readFileSync(new URL(relativePath, import.meta.url), 'utf8')).version;
}

function loadAverage() {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ');
}

function describeEnvironment() {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString().slice(0, 10),
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    load: loadAverage(),
    node: process.versions.node,
    platform: `${process.platform} ${process.arch}`,
    ours: packageVersion('../packages/core/package.json'),
    cedar: cedarVersion(),
    casbin: packageVersion('../node_modules/casbin/package.json'),
  };
}

const METHOD = {
  rules:
    `${RULE_COUNTS.join(' and ')} rules from a seeded PRNG over \`svc<i>.res<j>.<op>\` (50 services × 10 ` +
    'resources × 6 ops; rules name services 0-39 only); each rule matches one exact action (90%) or a ' +
    'service prefix `svc<i>.**` (10%), an environment half of the time (prod or staging), with outcome ' +
    'allow / deny / require at about 50 / 15 / 35%. No CEL except in the *ours + CEL* row.',
  queries:
    `a pool of ${POOL_SIZE.toLocaleString('en-US')} per rule set: half aimed at a rule (its action, or an action ` +
    'under its prefix), half uniform over all 50 services (many misses), environment prod or staging at random.',
  timing:
    `untimed warm-up, then ${ROUNDS} interleaved rounds; in each round every engine takes its share of ` +
    'per-call samples, then its share of batched calls. Ours: 50,000 samples; Cedar and casbin: ' +
    `${POOL_SIZE.toLocaleString('en-US')} samples each (the whole pool, once).`,
};

async function main() {
  const environment = describeEnvironment();
  log(`node ${environment.node}, ${environment.cpu}, ${environment.cores} cores`);
  const sizes = [];
  for (const count of RULE_COUNTS) sizes.push(await benchRuleCount(count));

  environment.loadAfter = loadAverage();
  const report = renderReport({ environment, sizes, method: METHOD });
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/policy.md', import.meta.url), report);

  const agree = sizes.every((size) => size.checks.every((check) => check.disagreements.length === 0));
  for (const size of sizes) {
    for (const row of size.rows) {
      const figures = `p50 ${formatMicros(row.p50)} µs  p99 ${formatMicros(row.p99)} µs  mean ${formatMicros(row.batchedMean)} µs`;
      console.log(`${String(size.count).padStart(4)} rules  ${row.label.padEnd(40)} ${figures}`);
    }
    for (const check of size.checks) {
      console.log(
        `${String(size.count).padStart(4)} rules  ${check.label}: ${check.compared} compared, ${check.disagreements.length} disagreements`,
      );
      for (const d of check.disagreements.slice(0, 5)) console.log(`    ${JSON.stringify(d)}`);
    }
  }
  console.log('wrote bench/results/policy.md');
  const largest = sizes.find((size) => size.count === 1000);
  console.log(summaryLine(largest, agree));
  if (!agree) process.exitCode = 1;
}

await main();
