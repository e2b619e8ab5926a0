/**
 * The report's results section: every figure with its ratios to the ceilings, the notification
 * percentiles, memory, the per-phase table and the durable commits by what they wrote.
 */

import { fixed, int, mb, ms, pct, table, times } from './report-format.js';

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
    phase.commits === undefined ? '–' : fixed(phase.commits / phase.completed, 2),
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
      'durable commits / request',
    ],
    rows,
  );
}

/** Durable commits per request in each write phase, by the first write each commit carried. */
function commitsByTable(results) {
  const writePhases = [results.allow, results.pending, results.approve];
  const labels = [...new Set(writePhases.flatMap((phase) => Object.keys(phase.commitsBy ?? {})))];
  const total = (label) => writePhases.reduce((sum, phase) => sum + (phase.commitsBy?.[label] ?? 0), 0);
  labels.sort((a, b) => total(b) - total(a));
  return table(
    ['first write of the commit', ...writePhases.map((phase) => phase.name)],
    [
      ...labels.map((label) => [
        `\`${label}\``,
        ...writePhases.map((phase) => fixed((phase.commitsBy?.[label] ?? 0) / phase.completed, 2)),
      ]),
      [
        '**all durable commits**',
        ...writePhases.map((phase) => `**${fixed(phase.commits / phase.completed, 2)}**`),
      ],
    ],
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

/** Results: the figures, notification, memory, per phase and durable commits. */
export function resultsSection(results) {
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
process by wrapping better-sqlite3's \`prepare\` (Kysely's SQLite driver prepares every query); a
durable commit is an explicit \`commit\` or a write outside any transaction (its own commit).

### Durable commits per request, by what they wrote first

${commitsByTable(results)}

Counted over each whole phase, so commits made off the request path (workers reacting to the
phase's events, timers) are in here too; a group commit carrying several units of work is
labelled by the first unit's first write.${
    failed.length === 0
      ? ''
      : `\n\n**Failures:** ${failed.map((phase) => `${phase.name}: ${phase.failed} (${phase.failures.join('; ')})`).join('; ')}`
  }`;
}
