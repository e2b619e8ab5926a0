/**
 * bench/results/http.md and the summary line, from one run's measurements. Every verdict,
 * ratio and finding is computed here from the numbers of that run; nothing is asserted.
 */

import { findings } from './report-findings.js';
import { fixed, int, ms, table, times } from './report-format.js';
import { profileSection } from './report-profile.js';
import { bestHttpCeiling, bestSqliteCeiling, resultsSection } from './report-results.js';
import { setupSection } from './report-setup.js';

/** The targets of issue 3, item 8. */
export const TARGETS = Object.freeze({ allowRps: 5_000, pendingRps: 3_000, notifyP99Ms: 20, rssMb: 120 });

/** The peer's figures as issue 3 gives them. */
export const PEER = Object.freeze({ allowRps: 540, pendingRps: 730, notifyMs: 1_000 });

const MB = 2 ** 20;

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
