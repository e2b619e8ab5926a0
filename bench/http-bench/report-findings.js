/**
 * "What limits the numbers": findings computed from one run. Each one states what was measured
 * and, where the measurement shows a known mechanism at work, names it; a finding whose
 * condition did not occur in the run is left out.
 */

import { fixed, int, ms, pct } from './report-format.js';

/** Below this many requests per commit the group commit is taken as not grouping. */
const UNGROUPED_BELOW = 1.5;
/** Above this share of wall time a main-thread state is worth a finding. */
const NOTABLE_SHARE = 0.15;

/** Main-thread CPU time per request, in ms, or NaN without schedstat. */
export function cpuMsPerRequest(phase) {
  const { onCpu } = phase.mainThread;
  return onCpu === undefined || phase.completed === 0
    ? Number.NaN
    : (onCpu * phase.elapsedMs) / phase.completed;
}

function phaseFinding(phase, http, sqlite) {
  const { busy, onCpu, waitingForCpu, blocked } = phase.mainThread;
  const commitsPerSecond = phase.commits / (phase.elapsedMs / 1000);
  return (
    `**${phase.name}**: ${int(phase.rps)}/s, ${pct(phase.rps / http.rps)} of the HTTP ceiling. The main thread was busy ` +
    `${pct(busy)} of the time (on a CPU ${pct(onCpu)}, waiting for a CPU ${pct(waitingForCpu)}, blocked ${pct(blocked)}), ` +
    `${fixed(cpuMsPerRequest(phase), 2)} ms of its CPU time per request. Each request ran ` +
    `${fixed(phase.statements / phase.completed, 1)} SQL statements and came with ${fixed(phase.commits / phase.completed, 2)} ` +
    `durable commits: ${int(commitsPerSecond)} commits/s, ${pct(commitsPerSecond / sqlite.single.commitsPerSecond)} of the ` +
    `${int(sqlite.single.commitsPerSecond)} one-row commits/s the file sustained on its own.`
  );
}

/** Requests per commit of the request's own transaction (labelled by its first write). */
function groupedPerCommit(phase) {
  const own = phase.ownWrite === undefined ? undefined : phase.commitsBy?.[phase.ownWrite];
  return own === undefined || own === 0 ? Number.NaN : phase.completed / own;
}

function groupCommitFinding(writePhases) {
  const perCommit = writePhases.map(groupedPerCommit).filter(Number.isFinite);
  if (perCommit.length === 0) return undefined;
  const range = `${fixed(Math.min(...perCommit), 1)}–${fixed(Math.max(...perCommit), 1)}`;
  if (perCommit.every((n) => n < UNGROUPED_BELOW)) {
    return (
      `**The group commit did not group**: ${range} requests per commit of the requests' own transactions, so ` +
      'every request paid for its own fsync while 31 other clients waited. Why, from the code: better-sqlite3 is ' +
      'synchronous and a request reaches `withTransaction` through promise continuations only, so the committer ' +
      'finds its queue empty, starts a batch of one at once and runs it to its commit (fsync included) before ' +
      "the event loop reads the next client's request. Units can only join a batch that is under way, and while " +
      'one is, nothing else runs.'
    );
  }
  return `The group commit grouped ${range} requests per commit of the requests' own transactions.`;
}

function otherCommitsFinding(writePhases) {
  const others = writePhases
    .map((phase) => {
      const labels = Object.entries(phase.commitsBy ?? {}).filter(([label]) => label !== phase.ownWrite);
      const count = labels.reduce((sum, [, n]) => sum + n, 0);
      return { phase, perRequest: count / phase.completed, labels };
    })
    .filter(({ perRequest }) => perRequest >= 0.5);
  if (others.length === 0) return undefined;
  return (
    "**Durable commits besides the request's own**: " +
    others
      .map(
        ({ phase, perRequest, labels }) =>
          `${phase.name} ${fixed(perRequest, 2)} per request (${labels
            .slice(0, 3)
            .map(([label, n]) => `\`${label}\` ${fixed(n / phase.completed, 2)}`)
            .join(', ')})`,
      )
      .join('; ') +
    '. Each is an fsync of its own on the thread that serves requests. The benchmark configures no webhooks, ' +
    'no email and no LLM.'
  );
}

function cpuFindings(results, writePhases) {
  const out = [];
  const blocked = writePhases.filter((phase) => (phase.mainThread.blocked ?? 0) >= NOTABLE_SHARE);
  if (blocked.length > 0) {
    out.push(
      `**Blocked in system calls**: ${blocked.map((phase) => `${phase.name} ${pct(phase.mainThread.blocked)}`).join(', ')} ` +
        'of the wall time. With better-sqlite3 that is the commit fsync, which holds the one thread that also parses ' +
        'HTTP, runs the handlers and drives the load; nothing else moves meanwhile.',
    );
  }
  const crowded = [...writePhases, results.ceilings.before, results.ceilings.after].filter(
    (phase) => (phase.mainThread.waitingForCpu ?? 0) >= NOTABLE_SHARE,
  );
  if (crowded.length > 0) {
    const env = results.environment;
    out.push(
      `**The machine was oversubscribed** (load average ${env.load} at the start, ${env.loadAfter} at the end, on ` +
        `${env.cores} cores): the main thread was ready to run but waiting for a CPU ` +
        `${crowded.map((phase) => `${pct(phase.mainThread.waitingForCpu)} of ${phase.name}`).join(', ')}. Absolute ` +
        'rates are lower than a quiet machine would give; per-request CPU costs and ratios to the ceilings measured ' +
        'in the same run move less.',
    );
  }
  const ceilingCost = Math.min(
    cpuMsPerRequest(results.ceilings.before),
    cpuMsPerRequest(results.ceilings.after),
  );
  const costs = writePhases.map((phase) => ({ phase, cost: cpuMsPerRequest(phase) }));
  if (costs.every(({ cost }) => Number.isFinite(cost)) && Number.isFinite(ceilingCost)) {
    out.push(
      `**CPU per request on the main thread**: ${costs.map(({ phase, cost }) => `${phase.name} ${fixed(cost, 2)} ms`).join(', ')}, ` +
        `against ${fixed(ceilingCost, 3)} ms for the bare HTTP server (driver included in all of them). At that cost, ` +
        `one core kept busy and never blocked would serve at most ${costs
          .map(({ phase, cost }) => `${int(1000 / cost)} ${phase.name}`)
          .join(', ')} requests/s.`,
    );
  }
  return out;
}

function notifyFinding({ sse, longPoll }) {
  return (
    `**Notification**: SSE p50 ${ms(sse.p50)} ms / p99 ${ms(sse.p99)} ms, long-poll p50 ${ms(longPoll.p50)} ms / ` +
    `p99 ${ms(longPoll.p99)} ms. Both include the approve's own durable commit, since the event is published ` +
    'after it; the long-poll then re-reads the request and answers with its detail (its audit timeline read, ' +
    'the grant token signed), while SSE writes the audit record it already has.'
  );
}

function memoryFinding({ atStart, after }) {
  const mb = (bytes) => fixed(bytes / 2 ** 20, 1);
  const grew = after.rss - atStart.rss;
  return (
    `**Memory**: RSS ${mb(atStart.rss)} MB before any load, ${mb(after.rss)} MB after ${int(after.served)} requests ` +
    `(${grew >= 0 ? '+' : ''}${mb(grew)} MB). After a full GC the live JS heap was ${mb(after.heapUsed)} MB ` +
    `(${mb(atStart.heapUsed)} MB before the load) while V8 kept ${mb(after.heapTotal)} MB of heap ` +
    `(${mb(atStart.heapTotal)} MB before); the rest of the RSS is code, native allocations and SQLite's page cache.`
  );
}

/** The findings of one run, as Markdown sentences. */
export function findings(results, { http, sqlite }) {
  const writePhases = [results.allow, results.pending, results.approve];
  return [
    ...writePhases.map((phase) => phaseFinding(phase, http, sqlite)),
    groupCommitFinding(writePhases),
    otherCommitsFinding(writePhases),
    ...cpuFindings(results, writePhases),
    notifyFinding(results.notify),
    memoryFinding(results.memory),
  ].filter((finding) => finding !== undefined);
}
