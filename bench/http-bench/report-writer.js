/**
 * bench/results/http.md and the summary line, from one run's measurements. Every verdict,
 * ratio and finding is computed here from the numbers of that run; nothing is asserted.
 */

import { findings } from './report-findings.js';
import { fixed, int, mb, ms, pct, table, times } from './report-format.js';

/** The targets of issue 3, item 8. */
export const TARGETS = Object.freeze({ allowRps: 5_000, pendingRps: 3_000, notifyP99Ms: 20, rssMb: 120 });

/** The peer's figures as issue 3 gives them. */
export const PEER = Object.freeze({ allowRps: 540, pendingRps: 730, notifyMs: 1_000 });

const MB = 2 ** 20;

/** The better of the two runs of a ceiling (before and after the Gatehouse phases). */
export function bestHttpCeiling(results) {
  const { before, after } = results.ceilings;
  return after.rps > before.rps ? after : before;
}

/** The better of the two SQLite ceiling runs, per shape. */
export function bestSqliteCeiling(results) {
  const { before, after } = results.sqlite;
  const best = (shape) =>
    (after[shape].commitsPerSecond > before[shape].commitsPerSecond ? after : before)[shape];
  return { single: best('single'), batched: best('batched') };
}

/**
 * The one line stdout ends with.
 * @example http-bench allow_rps=4120 pending_rps=3980 approve_rps=2210 notify_p50_ms=1.21 notify_p99_ms=2.87 ceiling_rps=14200 rss_mb_after_50k=96.4
 */
export function summaryLine(results) {
  const fields = [
    ['allow_rps', Math.round(results.allow.rps)],
    ['pending_rps', Math.round(results.pending.rps)],
    ['approve_rps', Math.round(results.approve.rps)],
    ['notify_p50_ms', results.notify.sse.p50.toFixed(2)],
    ['notify_p99_ms', results.notify.sse.p99.toFixed(2)],
    ['ceiling_rps', Math.round(bestHttpCeiling(results).rps)],
    ['rss_mb_after_50k', (results.memory.after.rss / MB).toFixed(1)],
  ];
  return `http-bench ${fields.map(([key, value]) => `${key}=${value}`).join(' ')}`;
}

function setupSection({ environment: env, concurrency, plan, policyYaml }) {
  return `## Setup

${table(
  ['', ''],
  [
    ['date', env.date],
    ['CPU', `${env.cpu}, ${env.cores} cores visible, ${env.memoryGb.toFixed(0)} GB`],
    [
      'load average (1 / 5 / 15 min)',
      `${env.load} at the start, ${env.loadAfter} at the end (a shared machine)`,
    ],
    ['Node.js', `${env.node} on ${env.platform}`],
    [
      'server',
      `\`startGatehouse\` from the built \`@gatehouse/server\`, in this process, on 127.0.0.1 port 0; hono ${env.hono}, @hono/node-server ${env.honoNodeServer}; log level warn`,
    ],
    [
      'engine',
      `SQLite ${env.sqlite} through better-sqlite3 ${env.betterSqlite3} and Kysely ${env.kysely}; a fresh database file in ${env.tempDir} (${env.filesystem})`,
    ],
    [
      'durability',
      `journal_mode=${env.journalMode}, synchronous=FULL (every commit is fsynced), group commit (units of work that arrive while a commit is under way share the next one, at most ${env.groupCommitMax ?? '?'} per commit: \`group-commit.ts\`)`,
    ],
    [
      'load driver',
      `node:http, one keep-alive Agent (maxSockets ${concurrency}), ${concurrency} closed-loop clients in the same process (each sends its next request when its previous one has been answered), loopback`,
    ],
    [
      'principals',
      'an admin bootstrapped from GATEHOUSE_BOOTSTRAP_ADMIN / _PASSWORD; a moderator and an agent (owned by the admin) made through the identity directory service; API tokens with the default scopes',
    ],
  ],
)}

Each phase stops at its count or its time, whichever comes first: allow ${int(plan.allow.count)} requests or
${plan.allow.maxMs / 1000} s after ${int(plan.allow.warmUp)} untimed; pending ${int(plan.pending.count)} or ${plan.pending.maxMs / 1000} s after
${int(plan.pending.warmUp)} untimed; approve every request the pending phase created, or ${plan.approve.maxMs / 1000} s (warmed up
on the pending warm-up's requests); notification ${plan.notify.count} decisions per waiting client after ${plan.notify.warmUp} untimed;
HTTP ceiling ${int(plan.ceiling.count)} requests or ${plan.ceiling.maxMs / 1000} s; SQLite ceiling ${plan.sqlite.maxMs / 1000} s per shape.
Warm-ups stop after 5 s at the latest. A full GC runs before each measured phase. Both ceilings
are measured before and after the Gatehouse phases; ratios use the better of the two.

The policy file written to the temp directory:

\`\`\`yaml
${policyYaml.trim()}
\`\`\``;
}

function throughputTable(results) {
  const { allow, pending, approve } = results;
  const http = bestHttpCeiling(results);
  const sqlite = bestSqliteCeiling(results);
  const row = (label, phase, what) => [
    label,
    `**${int(phase.rps)}/s**`,
    `${ms(phase.latency.p50)} / ${ms(phase.latency.p99)}`,
    pct(phase.rps / http.rps),
    times(phase.rps / sqlite.single.commitsPerSecond),
    pct(phase.rps / sqlite.batched.rowsPerSecond),
    what,
  ];
  const ceilingRow = (label, phase) => [
    label,
    `${int(phase.rps)}/s`,
    `${ms(phase.latency.p50)} / ${ms(phase.latency.p99)}`,
    pct(phase.rps / http.rps),
    '',
    '',
    'bare node:http server in this process: reads a small JSON POST, parses it, answers JSON',
  ];
  const sqliteRow = (label, run, shape) => [
    label,
    shape === 'single'
      ? `${int(run.single.commitsPerSecond)} commits/s`
      : `${int(run.batched.commitsPerSecond)} commits/s = ${int(run.batched.rowsPerSecond)} rows/s`,
    '',
    '',
    shape === 'single' ? times(run.single.commitsPerSecond / sqlite.single.commitsPerSecond) : '',
    shape === 'batched' ? pct(run.batched.rowsPerSecond / sqlite.batched.rowsPerSecond) : '',
    shape === 'single'
      ? 'better-sqlite3 directly on the same file: `begin immediate; insert; commit`, synchronous=FULL'
      : 'the same inserts, 32 per commit (the most the 32 clients can have in one group commit)',
  ];
  return table(
    [
      'figure',
      'value',
      'latency p50 / p99 (ms) under load',
      'of the HTTP ceiling',
      'of SQLite commits/s, 1 row each',
      'of SQLite rows/s, 32 per commit',
      'what it is',
    ],
    [
      row(
        'allow_rps',
        allow,
        '`POST /v1/requests` `bench.read`: evaluated, stored approved with its grant row, audited; the grant (JWS) signed and returned',
      ),
      row(
        'pending_rps',
        pending,
        '`POST /v1/requests` `bench.write`: stored pending with its expiry timer, audited',
      ),
      row(
        'approve_rps',
        approve,
        '`POST /v1/requests/{id}/reviews` approve by the moderator: the review stored, the request approved, its grant issued, audited',
      ),
      ceilingRow('HTTP ceiling, before', results.ceilings.before),
      ceilingRow('HTTP ceiling, after', results.ceilings.after),
      sqliteRow('SQLite, 1 row per commit, before', results.sqlite.before, 'single'),
      sqliteRow('SQLite, 1 row per commit, after', results.sqlite.after, 'single'),
      sqliteRow('SQLite, 32 rows per commit, before', results.sqlite.before, 'batched'),
      sqliteRow('SQLite, 32 rows per commit, after', results.sqlite.after, 'batched'),
    ],
  );
}

function phaseTable(results) {
  const rows = [
    results.allow,
    results.pending,
    results.approve,
    ...(results.extra === undefined ? [] : [results.extra]),
    results.ceilings.before,
    results.ceilings.after,
    ...(results.profile === undefined ? [] : [results.profile.phase]),
  ].map((phase) => [
    phase.name,
    int(phase.completed),
    fixed(phase.elapsedMs / 1000, 1),
    phase.stoppedBy,
    String(phase.failed),
    fixed(phase.cpuCores, 2),
    pct(phase.mainThread.busy),
    pct(phase.mainThread.onCpu),
    pct(phase.mainThread.waitingForCpu),
    pct(phase.mainThread.blocked),
    phase.statements === undefined ? '–' : fixed(phase.statements / phase.completed, 1),
    phase.commits === undefined ? '–' : fixed(phase.completed / phase.commits, 1),
  ]);
  return table(
    [
      'phase',
      'requests',
      'seconds',
      'stopped by',
      'failed',
      'CPU (cores)',
      'main thread busy',
      'on a CPU',
      'waiting for a CPU',
      'blocked',
      'SQL statements / request',
      'requests / commit',
    ],
    rows,
  );
}

function memorySection(results) {
  const { atStart, after } = results.memory;
  const row = (label, m) => [
    label,
    `**${mb(m.rss)} MB**`,
    `${mb(m.heapUsed)} MB`,
    `${mb(m.heapTotal)} MB`,
    `${mb(m.external + m.arrayBuffers)} MB`,
  ];
  return table(
    ['after a full GC', 'RSS', 'heap used', 'heap total', 'external + array buffers'],
    [
      row('the server started, principals made, no load yet', atStart),
      row(`${int(after.served)} requests served by Gatehouse`, after),
    ],
  );
}

function resultsSection(results) {
  const { sse, longPoll } = results.notify;
  const failed = [results.allow, results.pending, results.approve, results.extra].filter(
    (phase) => phase !== undefined && phase.failed > 0,
  );
  return `## Results

${throughputTable(results)}

### Decision seen by the waiting client (one decision at a time, otherwise idle server)

${table(
  ['waiting client', 'samples', 'p50 (ms)', 'p90 (ms)', 'p99 (ms)', 'max (ms)'],
  [
    ['SSE stream `GET /v1/events` (its `request.approved` event): the summary line', sse],
    ['long-poll `GET /v1/requests/{id}/wait` (its answer read to the end)', longPoll],
  ].map(([label, s]) => [label, String(s.count), ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max)]),
)}

The time from sending the moderator's approve call to the agent's client seeing the decision.
The approve's own answer is not awaited first: it comes from the same commit, so the two race.

### Memory

${memorySection(results)}

RSS is the whole process: the server, the load driver and its sockets, SQLite's page cache.

### Per phase

${phaseTable(results)}

"CPU" is the process's CPU time, all threads, over the phase's wall time. The main thread runs the
server, the driver and every SQLite call (better-sqlite3 is synchronous, each commit's fsync
included). "Busy" is its event loop's utilisation; "on a CPU" and "waiting for a CPU" come from
the kernel's schedstat for that thread; "blocked" is busy time that was neither, i.e. time in
blocking system calls, which here means fsync. SQL statements and commits are counted in
process by wrapping better-sqlite3's \`prepare\` (Kysely's SQLite driver prepares every query).${
    failed.length === 0
      ? ''
      : `\n\n**Failures:** ${failed.map((phase) => `${phase.name}: ${phase.failed} (${phase.failures.join('; ')})`).join('; ')}`
  }`;
}

function targetsSection(results) {
  const { after } = results.memory;
  const rssMb = after.rss / MB;
  const reached = after.served >= 50_000;
  const { sse, longPoll } = results.notify;
  const verdict = (met) => (met ? '**met**' : '**not met**');
  const rows = [
    [
      'allowed requests/s, durable commits',
      `≥ ${int(TARGETS.allowRps)}`,
      `${int(results.allow.rps)}/s`,
      verdict(results.allow.rps >= TARGETS.allowRps),
    ],
    [
      'pending requests/s, durable commits',
      `≥ ${int(TARGETS.pendingRps)}`,
      `${int(results.pending.rps)}/s`,
      verdict(results.pending.rps >= TARGETS.pendingRps),
    ],
    [
      'decision seen by the waiting client, p99: SSE',
      `≤ ${TARGETS.notifyP99Ms} ms`,
      `${ms(sse.p99)} ms`,
      verdict(sse.p99 <= TARGETS.notifyP99Ms),
    ],
    [
      'decision seen by the waiting client, p99: long-poll',
      `≤ ${TARGETS.notifyP99Ms} ms`,
      `${ms(longPoll.p99)} ms`,
      verdict(longPoll.p99 <= TARGETS.notifyP99Ms),
    ],
    [
      'RSS after 50,000 requests',
      `≤ ${TARGETS.rssMb} MB`,
      `${rssMb.toFixed(1)} MB after ${int(after.served)} requests`,
      reached
        ? verdict(rssMb <= TARGETS.rssMb)
        : `**not measured**: only ${int(after.served)} requests were served within the run's time bounds${
            rssMb > TARGETS.rssMb ? `, and RSS was already above ${TARGETS.rssMb} MB then` : ''
          }`,
    ],
  ];
  return `## Targets

${table(['target', 'wanted', 'measured', 'verdict'], rows)}`;
}

function profileSection(profile) {
  if (profile === undefined) return '';
  const perRequest = (msTotal) => `${fixed((msTotal * 1000) / profile.phase.completed, 0)} µs`;
  return `

### Where the time goes: a CPU profile of one more ${profile.phase.name.replace(' (profiled)', '')} phase

A throughput target was missed, so one more phase (${int(profile.phase.completed)} requests, ${int(profile.phase.rps)}/s under the
profiler) ran under V8's sampling profiler (the inspector's \`Profiler\` domain: what \`node --cpu-prof\`
records, without restarting the process; saved as \`${profile.file}\`, which Chrome DevTools opens).
The main thread's self time over ${int(profile.totalMs)} ms of samples, by component; a native call (a
better-sqlite3 statement, a hash) is charged to its caller and marked "native"; the driver runs on
the same thread and is in here too. The profiler samples wall time: time the thread spent
waiting for a CPU (${pct(profile.phase.mainThread.waitingForCpu)} of this phase) or blocked (${pct(profile.phase.mainThread.blocked)}) is charged to
whatever it was running then, which favours code that sleeps and wakes (a commit's fsync): read
the shares, not the absolute times.

${table(
  ['component', 'self ms', 'per request', 'share'],
  profile.components.map((c) => [c.name, int(c.ms), perRequest(c.ms), pct(c.share)]),
)}

The hottest functions (self time):

${table(
  ['function: where', 'self ms', 'per request', 'share'],
  profile.functions.map((f) => [f.name.replaceAll('|', '\\|'), int(f.ms), perRequest(f.ms), pct(f.share)]),
)}

Native calls by the Gatehouse function that made them (\`run\` and \`all\` are better-sqlite3 statements,
\`Statement\` is preparing one):

${table(
  ['native call ← Gatehouse caller: where', 'self ms', 'per request', 'share'],
  profile.nativeCallers.map((f) => [
    f.name.replaceAll('|', '\\|'),
    int(f.ms),
    perRequest(f.ms),
    pct(f.share),
  ]),
)}`;
}

function peerSection(results) {
  const { sse } = results.notify;
  const rows = [
    [
      'allowed requests/s',
      int(PEER.allowRps),
      int(results.allow.rps),
      times(results.allow.rps / PEER.allowRps),
    ],
    [
      'pending requests/s',
      int(PEER.pendingRps),
      int(results.pending.rps),
      times(results.pending.rps / PEER.pendingRps),
    ],
    [
      'decision seen by the waiting client',
      `~${int(PEER.notifyMs)} ms`,
      `${ms(sse.p50)} ms p50, ${ms(sse.p99)} ms p99 (SSE)`,
      `${times(PEER.notifyMs / sse.p99)} faster at p99`,
    ],
  ];
  return `## Peer comparison

${table(['figure', 'peer (as issue 3 gives it)', 'Gatehouse, this run', 'Gatehouse / peer'], rows)}

The peer's figures were not measured on this machine or in this run: the ratios say how far apart
the two are, not what a controlled side-by-side run would show.`;
}

/** The whole report. */
export function renderReport(results) {
  return `# HTTP benchmark

Written by \`npm run bench:http\` (\`bench/http-bench.js\`); do not edit by hand. This run took
${fixed(results.runSeconds, 0)} s. Summary line:

\`\`\`
${summaryLine(results)}
\`\`\`

${setupSection(results)}

${resultsSection(results)}

${targetsSection(results)}

## What limits the numbers

${findings(results, { http: bestHttpCeiling(results), sqlite: bestSqliteCeiling(results) })
  .map((finding) => `- ${finding}`)
  .join('\n')}${profileSection(results.profile)}

${peerSection(results)}
`;
}
