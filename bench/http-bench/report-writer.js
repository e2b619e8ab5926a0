/**
 * bench/results/http.md and the summary line, from one run's measurements. Every verdict and
 * every ratio is computed here from the numbers of that run; nothing is asserted.
 */

/** The targets of issue 3, item 8. */
export const TARGETS = Object.freeze({ allowRps: 5_000, pendingRps: 3_000, notifyP99Ms: 20, rssMb: 120 });

/** The peer's figures as issue 3 gives them. */
export const PEER = Object.freeze({ allowRps: 540, pendingRps: 730, notifyMs: 1_000 });

const MB = 2 ** 20;

const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const ms = (n) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n.toFixed(1)) : 'n/a');
const pct = (n) => (Number.isFinite(n) ? `${(n * 100).toFixed(0)}%` : 'n/a');
const times = (n) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(2) : n.toFixed(1)}×` : 'n/a');
const mb = (bytes) => (bytes / MB).toFixed(1);
const verdict = (met) => (met ? '**met**' : '**not met**');

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
    ['ceiling_rps', Math.round(results.ceiling.rps)],
    ['rss_mb_after_50k', (results.rss.rss / MB).toFixed(1)],
  ];
  return `http-bench ${fields.map(([key, value]) => `${key}=${value}`).join(' ')}`;
}

function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Per-request SQL cost and group-commit batch size of a phase. */
function storageShape(phase) {
  return {
    statementsPerRequest: phase.completed > 0 ? phase.statements / phase.completed : Number.NaN,
    requestsPerCommit: phase.commits > 0 ? phase.completed / phase.commits : Number.NaN,
  };
}

function setupSection({ environment: env, concurrency, plan, policyYaml }) {
  return `## Setup

${table(
  ['', ''],
  [
    ['date', env.date],
    ['CPU', `${env.cpu}, ${env.cores} cores visible, ${env.memoryGb.toFixed(0)} GB`],
    ['load average (1 / 5 / 15 min)', `${env.load} before, ${env.loadAfter} after (shared machine)`],
    ['Node.js', `${env.node} on ${env.platform}`],
    ['server', `\`startGatehouse\` from the built \`@gatehouse/server\`, in this process, 127.0.0.1, port 0; hono ${env.hono}, @hono/node-server ${env.honoNodeServer}; log level warn`],
    ['engine', `SQLite ${env.sqlite} (better-sqlite3 ${env.betterSqlite3}, Kysely ${env.kysely}), a fresh file in ${env.dataDir} (${env.filesystem})`],
    ['durability', `journal_mode=${env.journalMode}, synchronous=FULL (every commit fsyncs), group commit: units of work that arrive during a commit share the next one (at most ${env.groupCommitMax ?? '?'} per commit, \`group-commit.ts\`)`],
    ['load driver', `node:http, one keep-alive Agent (maxSockets ${concurrency}), ${concurrency} closed-loop clients in the same process (each sends its next request when the previous one answered), loopback`],
    ['principals', 'admin bootstrapped from GATEHOUSE_BOOTSTRAP_ADMIN / _PASSWORD; a moderator and an agent (owned by the admin) made with the identity directory service; API tokens with default scopes'],
  ],
)}

Bounds (each phase stops at whichever comes first): allow ${int(plan.allow.count)} requests or ${plan.allow.maxMs / 1000} s
after ${int(plan.allow.warmUp)} untimed; pending ${int(plan.pending.count)} or ${plan.pending.maxMs / 1000} s after ${int(plan.pending.warmUp)} untimed;
approve every request the pending phase created or ${plan.approve.maxMs / 1000} s (warmed up on the pending warm-up's requests);
notification ${plan.notify.count} decisions per waiting client after ${plan.notify.warmUp} untimed; HTTP ceiling ${int(plan.ceiling.count)} or
${plan.ceiling.maxMs / 1000} s; SQLite ceiling ${plan.sqlite.maxMs / 1000} s per shape. A full GC before each measured phase.

The policy file written to the temp directory:

\`\`\`yaml
${policyYaml.trim()}
\`\`\``;
}

function resultsSection(results) {
  const { allow, pending, approve, ceiling, sqlite } = results;
  const singleCommits = sqlite.single.commitsPerSecond;
  const batchedRows = sqlite.batched.rowsPerSecond;
  const row = (label, phase, what) => [
    label,
    `**${int(phase.rps)}/s**`,
    `${ms(phase.latency.p50)} / ${ms(phase.latency.p99)}`,
    pct(phase.rps / ceiling.rps),
    times(phase.rps / singleCommits),
    pct(phase.rps / batchedRows),
    what,
  ];
  return `## Results

${table(
  ['figure', 'value', 'latency p50 / p99 (ms) under load', 'of HTTP ceiling', 'vs one-commit-per-request SQLite', 'of SQLite rows/s at 32 per commit', 'what it is'],
  [
    row('allow_rps', allow, '`POST /v1/requests` `bench.read`: evaluated, stored approved with its grant row, audited, grant JWS signed and returned'),
    row('pending_rps', pending, '`POST /v1/requests` `bench.write`: stored pending with its expiry timer, audited'),
    row('approve_rps', approve, '`POST /v1/requests/{id}/reviews` approve by the moderator: review stored, request approved, grant issued, audited'),
    [
      'ceiling_rps',
      `**${int(ceiling.rps)}/s**`,
      `${ms(ceiling.latency.p50)} / ${ms(ceiling.latency.p99)}`,
      '100%',
      '',
      '',
      'bare node:http server in this process: read a small JSON POST, parse it, answer JSON',
    ],
    [
      'SQLite, 1 row per commit',
      `**${int(singleCommits)} commits/s**`,
      '',
      '',
      '1×',
      '',
      'better-sqlite3 directly on the same file: `begin immediate; insert; commit`, synchronous=FULL',
    ],
    [
      'SQLite, 32 rows per commit',
      `**${int(sqlite.batched.commitsPerSecond)} commits/s = ${int(batchedRows)} rows/s**`,
      '',
      '',
      '',
      '100%',
      'the same inserts, 32 per commit (the most the 32 clients can put in one group commit)',
    ],
  ],
)}

### Decision seen by the waiting client (one decision at a time, idle server)

${table(
  ['waiting client', 'samples', 'p50 (ms)', 'p90 (ms)', 'p99 (ms)', 'max (ms)'],
  [
    ['SSE stream `GET /v1/events` (the `request.approved` event) — the summary line', results.notify.sse],
    ['long-poll `GET /v1/requests/{id}/wait` (its answer read to the end)', results.notify.longPoll],
  ].map(([label, s]) => [label, String(s.count), ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max)]),
)}

Time from sending the moderator's approve call to the agent's client seeing the decision. The
approve's own answer is not waited for first: it is the same transaction, so the two race.

### Memory

${table(
  ['after', 'RSS', 'heap used', 'heap total', 'external + array buffers'],
  [
    [
      `${int(results.rss.served)} requests served by Gatehouse, then a full GC`,
      `**${mb(results.rss.rss)} MB**`,
      `${mb(results.rss.heapUsed)} MB`,
      `${mb(results.rss.heapTotal)} MB`,
      `${mb(results.rss.external + results.rss.arrayBuffers)} MB`,
    ],
  ],
)}

The RSS is the whole process: the server, the load driver and its sockets, and the SQLite page cache.

### Per phase

${table(
  ['phase', 'requests', 'seconds', 'stopped by', 'failed', 'CPU (cores)', 'main thread busy', 'SQL statements / request', 'requests / commit'],
  [allow, pending, approve, ...(results.extra === undefined ? [] : [results.extra]), ceiling].map((phase) => {
    const shape = storageShape(phase);
    return [
      phase.name,
      int(phase.completed),
      (phase.elapsedMs / 1000).toFixed(1),
      phase.stoppedBy,
      String(phase.failed),
      phase.cpuCores.toFixed(2),
      pct(phase.eventLoopUtilization),
      phase.statements > 0 ? shape.statementsPerRequest.toFixed(1) : '–',
      phase.commits > 0 ? shape.requestsPerCommit.toFixed(1) : '–',
    ];
  }),
)}

"CPU" is the process's CPU time (all threads) over the phase's wall time; "main thread busy" is
the event loop's utilisation: the server, the driver and every SQLite call (better-sqlite3 is
synchronous, fsync included) share that one thread. Statements and commits are counted in
process by wrapping better-sqlite3's \`prepare\` (Kysely's SQLite driver prepares every query).${
    [allow, pending, approve, ceiling].some((phase) => phase.failed > 0)
      ? `\n\n**Failures:** ${[allow, pending, approve, ceiling]
          .filter((phase) => phase.failed > 0)
          .map((phase) => `${phase.name}: ${phase.failed} (${phase.failures.join('; ')})`)
          .join('; ')}`
      : ''
  }`;
}

function targetsSection(results) {
  const rssMb = results.rss.rss / MB;
  const { sse, longPoll } = results.notify;
  const rows = [
    ['allowed requests/s, durable commits', `≥ ${int(TARGETS.allowRps)}`, int(results.allow.rps), results.allow.rps >= TARGETS.allowRps],
    ['pending requests/s, durable commits', `≥ ${int(TARGETS.pendingRps)}`, int(results.pending.rps), results.pending.rps >= TARGETS.pendingRps],
    ['decision seen by the waiting client, p99 — SSE', `≤ ${TARGETS.notifyP99Ms} ms`, `${ms(sse.p99)} ms`, sse.p99 <= TARGETS.notifyP99Ms],
    ['decision seen by the waiting client, p99 — long-poll', `≤ ${TARGETS.notifyP99Ms} ms`, `${ms(longPoll.p99)} ms`, longPoll.p99 <= TARGETS.notifyP99Ms],
    [`RSS after ${int(results.rss.served)} requests`, `≤ ${TARGETS.rssMb} MB`, `${rssMb.toFixed(1)} MB`, rssMb <= TARGETS.rssMb],
  ];
  return `## Targets

${table(
  ['target', 'wanted', 'measured', 'verdict'],
  rows.map(([what, wanted, measured, met]) => [what, wanted, measured, verdict(met)]),
)}`;
}

function limitsSection(results) {
  const { allow, pending, approve, ceiling, sqlite, profile } = results;
  const lines = [];
  for (const phase of [allow, pending, approve]) {
    const shape = storageShape(phase);
    lines.push(
      `- **${phase.name}**: ${int(phase.rps)}/s is ${pct(phase.rps / ceiling.rps)} of the bare HTTP ceiling. ` +
        `The main thread was busy ${pct(phase.eventLoopUtilization)} of the phase and the process used ` +
        `${phase.cpuCores.toFixed(2)} cores. Each request ran ${shape.statementsPerRequest.toFixed(1)} SQL statements; ` +
        `${shape.requestsPerCommit.toFixed(1)} requests shared each durable commit, so the phase needed ` +
        `${int(phase.commits / (phase.elapsedMs / 1000))} commits/s of the ${int(sqlite.single.commitsPerSecond)} ` +
        'one-row commits/s the file sustains on its own.',
    );
  }
  const commitBound = [allow, pending, approve].some(
    (phase) => phase.commits / (phase.elapsedMs / 1000) > 0.8 * sqlite.single.commitsPerSecond,
  );
  lines.push(
    commitBound
      ? '- At least one phase committed at more than 80% of the raw commit rate: fsync is a real limit there.'
      : '- No phase came near the raw commit rate: thanks to the group commit, fsync is not what limits throughput.',
  );
  const busy = [allow, pending, approve].every((phase) => phase.eventLoopUtilization > 0.9);
  if (busy) {
    lines.push(
      '- In every phase the one main thread was (nearly) always busy: the server is CPU-bound on that thread, ' +
        'and the second core mostly idles (it only runs GC helpers, the libuv pool and the kernel). The driver ' +
        'shares the thread, so part of it is the benchmark itself (see the profile).',
    );
  }
  let profileText = '';
  if (profile !== undefined) {
    profileText = `

### Where the time goes: CPU profile of one ${profile.phase.name} phase

A throughput target was missed, so one extra ${profile.phase.name} phase (${int(profile.phase.completed)} requests,
${int(profile.phase.rps)}/s under the profiler) ran under V8's sampling profiler (the inspector's
\`Profiler\` domain, which is what \`node --cpu-prof\` records; kept at \`${profile.file}\`). Self
time over ${int(profile.totalMs)} ms of samples, by component (a native call such as a better-sqlite3
statement is charged to its caller, marked "native"):

${table(
  ['component', 'self ms', 'share'],
  profile.components.map((c) => [c.name, int(c.ms), pct(c.share)]),
)}

The hottest functions (self time):

${table(
  ['function — where', 'self ms', 'share'],
  profile.functions.map((f) => [f.name.replaceAll('|', '\\|'), int(f.ms), pct(f.share)]),
)}`;
  }
  return `## What limits the numbers

${lines.join('\n')}${profileText}`;
}

function peerSection(results) {
  const rows = [
    ['allowed requests/s', int(PEER.allowRps), int(results.allow.rps), times(results.allow.rps / PEER.allowRps)],
    ['pending requests/s', int(PEER.pendingRps), int(results.pending.rps), times(results.pending.rps / PEER.pendingRps)],
    [
      'decision seen by the waiting client',
      `~${int(PEER.notifyMs)} ms`,
      `${ms(results.notify.sse.p50)} ms p50, ${ms(results.notify.sse.p99)} ms p99 (SSE)`,
      `${times(PEER.notifyMs / results.notify.sse.p99)} faster at p99`,
    ],
  ];
  return `## Peer comparison

${table(['figure', 'peer (as given in issue 3)', 'Gatehouse, this run', 'ratio'], rows)}

The peer's figures were not measured on this machine; the ratios compare orders of magnitude, not
a controlled side-by-side run.`;
}

/** The whole report. */
export function renderReport(results) {
  return `# HTTP benchmark

Written by \`npm run bench:http\` (\`bench/http-bench.js\`); do not edit by hand. The run took
${results.runSeconds.toFixed(0)} s. Summary line:

\`\`\`
${summaryLine(results)}
\`\`\`

${setupSection(results)}

${resultsSection(results)}

${targetsSection(results)}

${limitsSection(results)}

${peerSection(results)}
`;
}
