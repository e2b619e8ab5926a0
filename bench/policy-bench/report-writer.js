/**
 * The written report (bench/results/policy.md) and the one-line summary.
 * Every verdict here is computed from the measured numbers, never written in advance.
 */

/** The targets the benchmark is held to, at 1000 rules. */
export const TARGETS = Object.freeze({ oursP50: 2, oursP99: 10, cedarRatio: 100, casbinRatio: 50 });

/** A latency in µs with about three significant digits. */
export function formatMicros(value) {
  if (!Number.isFinite(value)) return 'n/a';
  if (value < 10) return value.toFixed(3);
  if (value < 100) return value.toFixed(2);
  return value.toFixed(1);
}

function formatRatio(value) {
  if (!Number.isFinite(value)) return 'n/a';
  return value < 10 ? `${value.toFixed(2)}×` : `${Math.round(value)}×`;
}

function tableRow(cells) {
  return `| ${cells.join(' | ')} |`;
}

/** Rows whose sample count is too small for a 99th percentile to mean anything. */
const MIN_SAMPLES_FOR_P99 = 1000;

function resultRow(row, ours) {
  const enoughForP99 = row.samples >= MIN_SAMPLES_FOR_P99;
  const p99 = enoughForP99 ? formatMicros(row.p99) : 'n/a';
  // The timer floor is a yardstick, not an engine: a ratio to it would mean nothing.
  const compared = row.key !== 'timerFloor';
  const p50Ratio = compared ? formatRatio(row.p50 / ours.p50) : '—';
  const p99Ratio = compared && enoughForP99 ? formatRatio(row.p99 / ours.p99) : compared ? 'n/a' : '—';
  return tableRow([
    row.label,
    row.samples.toLocaleString('en-US'),
    formatMicros(row.p50),
    p99,
    formatMicros(row.batchedMean),
    p50Ratio,
    p99Ratio,
  ]);
}

function sizeSection(size) {
  const ours = size.rows.find((row) => row.key === 'ours');
  const mix = size.outcomeMix;
  const lines = [
    `### ${size.count} rules`,
    '',
    `Query pool: ${size.poolSize.toLocaleString('en-US')} queries; reference outcomes ` +
      `allow ${mix.allow} (of which ${mix.defaulted} by the default), deny ${mix.deny}, require ${mix.require}.`,
    '',
    tableRow(['engine', 'samples', 'p50 µs', 'p99 µs', 'batched mean µs', 'p50 × ours', 'p99 × ours']),
    tableRow(['---', '---:', '---:', '---:', '---:', '---:', '---:']),
    ...size.rows.map((row) => resultRow(row, ours)),
    '',
  ];
  return lines;
}

function agreementSection(sizes) {
  const lines = ['## Agreement', ''];
  for (const size of sizes) {
    for (const check of size.checks) {
      const verdict =
        check.disagreements.length === 0 ? 'all agree' : `${check.disagreements.length} DISAGREE`;
      lines.push(
        `- ${size.count} rules, ${check.label}: ${check.compared.toLocaleString('en-US')} queries compared, ${verdict}.`,
      );
      for (const d of check.disagreements.slice(0, 5)) lines.push(`  - \`${JSON.stringify(d)}\``);
    }
  }
  lines.push('');
  return lines;
}

function verdict(met) {
  return met ? 'met' : '**not met**';
}

/** The four targets, judged on the 1000-rule run. */
export function judgeTargets(size) {
  const row = (key) => size.rows.find((r) => r.key === key);
  const ours = row('ours');
  const cedarRatio = row('cedar').p50 / ours.p50;
  const casbinRatio = row('casbin').p50 / ours.p50;
  return Object.freeze([
    {
      target: `ours p50 ≤ ${TARGETS.oursP50} µs`,
      measured: `${formatMicros(ours.p50)} µs`,
      met: ours.p50 <= TARGETS.oursP50,
    },
    {
      target: `ours p99 ≤ ${TARGETS.oursP99} µs`,
      measured: `${formatMicros(ours.p99)} µs`,
      met: ours.p99 <= TARGETS.oursP99,
    },
    {
      target: `≥ ${TARGETS.cedarRatio}× faster than cedar-wasm (p50)`,
      measured: formatRatio(cedarRatio),
      met: cedarRatio >= TARGETS.cedarRatio,
    },
    {
      target: `≥ ${TARGETS.casbinRatio}× faster than casbin (p50)`,
      measured: formatRatio(casbinRatio),
      met: casbinRatio >= TARGETS.casbinRatio,
    },
  ]);
}

const HOW_TO_READ = [
  '## How to read it',
  '',
  '- **p50 / p99** are percentiles of single decisions, each timed alone with `process.hrtime.bigint()`.',
  '  Each sample includes one timer read; the *timer floor* row is the same loop around a function that',
  '  does nothing, so sub-microsecond figures should be read against it.',
  '- **batched mean** times a run of decisions as one interval: the mean cost of a decision without the',
  '  timer. It is the fairest single figure for throughput; p99 is the one for tail latency.',
  '- Before each engine’s turn in a round the script runs a full garbage collection and a short untimed',
  '  replay of queries that engine already measured, so no engine pays for another’s garbage or cache misses.',
  '- **× ours** divides an engine’s figure by ours *from the same run*: the engines run interleaved in',
  '  rounds, so noise on the shared machine hits all of them alike. Compare ratios across runs, not',
  '  absolute microseconds.',
  '- The p99 of a call that takes about a microsecond is at the mercy of whatever else the machine runs',
  '  (see the load averages above): a p99 verdict, met or not, means little unless the load was low.',
  '  Re-run on a quiet machine before relying on it; the p50 figures and the ratios move much less.',
  '- Every engine’s cost includes building its request from our `ActionInput` and turning its answer into',
  '  allow / deny / require (Cedar: scanning the determining policy ids; casbin: reading the matched line).',
  '- *cedar* is `statefulIsAuthorized` on a policy set parsed once (`preparsePolicySet`), the counterpart',
  '  of our compile-once. *cedar, isAuthorized* hands the policy set to every call, which re-parses it;',
  '  it is shown for completeness with few samples (p99 n/a).',
  '- *ours, distinct names* cycles through 6,000 distinct action names in a fixed order, more than the',
  '  compiled policy memoises per name, so it shows the cost without that memo (the rule-index walk).',
  '- *ours + CEL* is the same rule set with 10% of the rules carrying `when: "context.environment == \'prod\'"`;',
  '  it is checked against the reference decider only (the other engines do not run it).',
  '',
];

/**
 * The markdown report.
 *
 * @example writeReport({ environment, sizes, method }) // '# Policy evaluation benchmark\n…'
 */
export function renderReport({ environment, sizes, method }) {
  const largest = sizes.find((size) => size.count === 1000) ?? sizes[sizes.length - 1];
  const targets = judgeTargets(largest);
  const lines = [
    '# Policy evaluation benchmark: Gatehouse vs Cedar vs casbin',
    '',
    `Written by \`npm run bench:policy\` (bench/policy-bench.js) on ${environment.date}. Numbers from one run on`,
    'a shared machine; re-run to reproduce. See bench/README.md for what is measured and why.',
    '',
    '## Setup',
    '',
    `- Machine: ${environment.cpu}, ${environment.cores} logical cores; load average (1 / 5 / 15 min) ` +
      `${environment.load} at the start, ${environment.loadAfter ?? 'n/a'} at the end. Other work on the machine ` +
      'shows first in p99 and in the batched mean.',
    `- Runtime: Node ${environment.node} (${environment.platform}).`,
    `- Engines: @gatehouse/core ${environment.ours} (parsePolicy → compilePolicy → evaluateAction);`,
    `  ${environment.cedar} via @cedar-policy/cedar-wasm/nodejs; casbin ${environment.casbin} (\`enforceExSync\`).`,
    `- Rule sets: ${method.rules}`,
    `- Queries: ${method.queries}`,
    `- Method: ${method.timing}`,
    `- Semantics (all engines): every matching rule applies; any deny → deny; else any require → require;`,
    '  else any allow → allow; else the default (allow). Cedar: deny rules are `forbid`, allow and require',
    '  rules `permit`, outcome from the decision and the determining policy ids. casbin: one line per rule',
    '  with its outcome as a field, `priority(p.eft) || deny` with deny lines first, then require, then',
    '  allow, so the first matching line is the answer.',
    '',
    '## Results',
    '',
    ...sizes.flatMap(sizeSection),
    ...agreementSection(sizes),
    `## Targets (${largest.count} rules)`,
    '',
    tableRow(['target', 'measured', 'verdict']),
    tableRow(['---', '---:', '---']),
    ...targets.map((t) => tableRow([t.target, t.measured, verdict(t.met)])),
    '',
    ...HOW_TO_READ,
  ];
  return `${lines.join('\n')}\n`;
}

/** The one summary line the script must end its output with. */
export function summaryLine(size, agree) {
  const row = (key) => size.rows.find((r) => r.key === key);
  const ours = row('ours');
  return [
    'policy-bench',
    `rules=${size.count}`,
    `ours_p50_us=${formatMicros(ours.p50)}`,
    `ours_p99_us=${formatMicros(ours.p99)}`,
    `cedar_p50_us=${formatMicros(row('cedar').p50)}`,
    `casbin_p50_us=${formatMicros(row('casbin').p50)}`,
    `agree=${agree}`,
  ].join(' ');
}
